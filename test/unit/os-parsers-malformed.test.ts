// Malformed input: each parser fails with a ParseError that names the tool and the line it could not read. The
// inputs are the real fixtures, damaged the way output gets damaged (cut short, a garbled field, a missing row).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/core/errors';
import { parseFree } from '../../src/parsers/os/free';
import { parseIostatJson, parseIostatText } from '../../src/parsers/os/iostat';
import { parseIsActive, parseListUnits } from '../../src/parsers/os/systemctl';
import { parseVmstat } from '../../src/parsers/os/vmstat';
import { commandFixture } from '../harness/fixtures';

const vmstat = commandFixture('vmstat', 'procps-ng-4.0.2-debian12-1-2.txt');
const vmstatLines = vmstat.split('\n');
const iostat12 = commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky-loop.txt');
const iostat10 = commandFixture('iostat', 'sysstat-10.1.5-centos7-x.txt');
const iostatJson = commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky-loop.json');
const free = commandFixture('free', 'procps-ng-4.0.2-debian12-m-swap-in-use.txt');

interface Case {
  name: string;
  parse: () => unknown;
  /** The error must match all of these. */
  expect: RegExp[];
}

const cases: Case[] = [
  { name: 'vmstat: empty output', parse: () => parseVmstat('', 1), expect: [/^vmstat: no column header/] },
  { name: 'vmstat: header only', parse: () => parseVmstat(vmstatLines.slice(0, 2).join('\n'), 1),
    expect: [/^vmstat: expected 2 samples/, /got 0/] },
  { name: 'vmstat: interval line cut short', parse: () => parseVmstat(vmstat.replace(/ 48 {2}0 {2}0\n$/, '\n'), 1),
    expect: [/^vmstat: unreadable line " 2  0      0 22244748  33760 1940568    0    0     0 11232  477  617 47  6"/,
      /14 fields, the header has 17/] },
  { name: 'vmstat: garbled number', parse: () => parseVmstat(vmstat.replace(' 617 ', ' 6l7 '), 1),
    expect: [/^vmstat: column cs is not a number \("6l7"\) in line " 2 {2}0 .* 6l7 /] },
  { name: 'vmstat: garbled since-boot line', parse: () => parseVmstat(vmstat.replace(' 1496 ', ' 1,496 '), 1),
    expect: [/^vmstat: column cs is not a number \("1,496"\)/] },
  { name: 'vmstat: header without cs', parse: () => parseVmstat(vmstat.replace(' cs ', ' xx '), 1),
    expect: [/^vmstat: column cs missing from header/] },
  { name: 'iostat text: no Device header', parse: () => parseIostatText(iostat12.replace('Device', 'Gerät')),
    expect: [/^iostat: no "Device" header line/] },
  { name: 'iostat text: row cut short', parse: () => parseIostatText(iostat12.replace(/ {4}0\.05 {3}4\.75\n/, '\n')),
    expect: [/^iostat: unreadable line "loop0 /, /21 fields, the header has 23/] },
  { name: 'iostat text: -nan in a row', parse: () => parseIostatText(iostat10.replace('   0.52   0.01', '   -nan   0.01')),
    expect: [/^iostat: column svctm is not a number \("-nan"\) in line "sda /] },
  { name: 'iostat text: neither await nor r_await/w_await',
    parse: () => parseIostatText(iostat12.replace(' r_await', ' r_wait_')),
    expect: [/^iostat: neither await nor r_await and w_await for device loop0 in line "loop0 /] },
  { name: 'iostat JSON: cut short', parse: () => parseIostatJson(iostatJson.slice(0, 400)),
    expect: [/^iostat: unreadable JSON output/] },
  { name: 'iostat JSON: no statistics', parse: () => parseIostatJson(iostatJson.replace('"statistics"', '"stats"')),
    expect: [/^iostat: JSON output has no sysstat.hosts\[0\].statistics/] },
  { name: 'iostat JSON: r/s missing', parse: () => parseIostatJson(iostatJson.replace('"r/s": 0.00, "w/s": 78.00', '"w/s": 78.00')),
    expect: [/^iostat: no r\/s for device vda in JSON disk entry 1 /] },
  { name: 'iostat JSON: util as a string', parse: () => parseIostatJson(iostatJson.replace('"util": 4.80', '"util": "4.80"')),
    expect: [/^iostat: util is not a number in JSON disk entry 0 .*"disk_device":"loop0"/] },
  { name: 'free: no Swap: row', parse: () => parseFree(free.replace(/Swap:.*\n?/, '')), expect: [/^free: no "Swap:" line/] },
  { name: 'free: garbled number', parse: () => parseFree(free.replace(' 99 ', ' 9?9 ')),
    expect: [/^free: column used is not a number \("9\?9"\) in line "Swap: +255 +9\?9 +156"/] },
  { name: 'free: no header', parse: () => parseFree(free.split('\n').slice(1).join('\n')), expect: [/^free: no header line/] },
  { name: 'systemctl is-active: fewer answers than units', parse: () => parseIsActive('active\n', ['a.service', 'b.service']),
    expect: [/^systemctl: is-active printed 1 state lines for 2 units \(a.service, b.service\)/] },
  { name: 'systemctl is-active: not a state word', parse: () => parseIsActive('Active!\n', ['a.service']),
    expect: [/^systemctl: unreadable is-active line "Active!"/] },
  { name: 'systemctl list-units: row cut short', parse: () => parseListUnits('postgresql.service loaded\n'),
    expect: [/^systemctl: unreadable list-units line "postgresql.service loaded"/] },
];

describe('malformed command output', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.throws(testCase.parse, (error: unknown) => {
        assert.ok(error instanceof ParseError, `expected a ParseError, got ${String(error)}`);
        for (const pattern of testCase.expect) assert.match(error.message, pattern);
        return true;
      });
    });
  }
});
