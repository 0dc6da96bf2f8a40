// The OS parsers on real output (test/fixtures/cmd/*, each with a .source saying where it came from).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseFree, MIB } from '../../src/parsers/os/free';
import { parseIostatJson, parseIostatText } from '../../src/parsers/os/iostat';
import { parseIsActive, parseListUnits, systemdUnavailableReason } from '../../src/parsers/os/systemctl';
import { parseVmstat } from '../../src/parsers/os/vmstat';
import { commandFixture } from '../harness/fixtures';

describe('parseVmstat', () => {
  it('takes the interval line, not the since-boot line (procps-ng 4.0.2, Debian 12)', () => {
    const sample = parseVmstat(commandFixture('vmstat', 'procps-ng-4.0.2-debian12-1-2.txt'), 1);
    assert.deepEqual(sample, {
      interval_seconds: 1, runnable: 2, blocked: 0, swap_in_per_second: 0, swap_out_per_second: 0,
      interrupts_per_second: 477, context_switches_per_second: 617,
      cpu_percent: { user: 47, system: 6, idle: 48, iowait: 0, steal: 0 },
    });
  });

  it('reads a busy interval: 8 runnable on 2 CPUs', () => {
    const sample = parseVmstat(commandFixture('vmstat', 'procps-ng-4.0.2-debian12-busy.txt'), 1);
    assert.equal(sample.runnable, 8);
    assert.equal(sample.context_switches_per_second, 1645);
    assert.equal(sample.interrupts_per_second, 1145);
    assert.deepEqual(sample.cpu_percent, { user: 82, system: 7, idle: 10, iowait: 1, steal: 0 });
  });

  it('reads procps-ng 3.3.10 (CentOS 7) and takes the last of several interval lines', () => {
    const sample = parseVmstat(commandFixture('vmstat', 'procps-ng-3.3.10-centos7-n-2-3.txt'), 2);
    assert.equal(sample.interval_seconds, 2);
    assert.equal(sample.runnable, 0);
    assert.equal(sample.swap_in_per_second, 16);
    assert.equal(sample.context_switches_per_second, 2392);
    assert.equal(sample.cpu_percent.idle, 99);
  });

  it('refuses output that has only the since-boot line', () => {
    assert.throws(() => parseVmstat(commandFixture('vmstat', 'procps-ng-3.3.10-centos7-since-boot-only.txt'), 1),
      /vmstat: expected 2 samples \(since boot, then the interval\), got 1/);
  });
});

describe('parseIostatText', () => {
  it('sysstat 12.6.1: computes await from r_await and w_await weighted by r/s and w/s', () => {
    const [vda, ...rest] = parseIostatText(commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky.txt'));
    assert.equal(rest.length, 0);
    assert.deepEqual(vda, {
      device: 'vda', reads_per_second: 766, writes_per_second: 0, read_kib_per_second: 7484, write_kib_per_second: 0,
      await_ms: 0.58, read_await_ms: 0.58, write_await_ms: 0, average_queue_size: 0.44, utilization_percent: 2,
    });
  });

  it('sysstat 12.6.1: two devices (a loop device beside vda)', () => {
    const devices = parseIostatText(commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky-loop.txt'));
    assert.deepEqual(devices.map((device) => [device.device, device.await_ms, device.utilization_percent]),
      [['loop0', 0.01, 4.75], ['vda', 0.5, 0]]);
    assert.equal(devices[0]?.writes_per_second, 8391.09);
  });

  it('sysstat 11.6.1 (no await column): weights r_await and w_await', () => {
    const devices = parseIostatText(commandFixture('iostat', 'sysstat-11.6.1-ubuntu1804-x.txt'));
    assert.equal(devices.length, 20);
    const sda = devices.find((device) => device.device === 'sda');
    assert.ok(sda);
    // (2.57 * 127.92 + 6.93 * 67.15) / (127.92 + 67.15)
    assert.equal(sda.await_ms, 4.071);
    assert.equal(sda.utilization_percent, 15.14);
    assert.equal(sda.average_queue_size, 0.79);
  });

  it('sysstat 10.1.5 ("Device:", await column): reads await as printed', () => {
    const devices = parseIostatText(commandFixture('iostat', 'sysstat-10.1.5-centos7-x.txt'));
    assert.deepEqual(devices.map((device) => [device.device, device.await_ms, device.utilization_percent]),
      [['sda', 0.88, 0.01], ['dm-0', 0.92, 0.01], ['dm-1', 0.08, 0]]);
    assert.equal(devices[0]?.read_kib_per_second, 5.27);
    assert.equal(devices[0]?.average_queue_size, 0);
  });
});

describe('parseIostatJson', () => {
  it('sysstat 12.6.1 -o JSON matches the text form of the same second', () => {
    const fromJson = parseIostatJson(commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky.json'));
    const fromText = parseIostatText(commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky.txt'));
    assert.deepEqual(fromJson, fromText);
  });

  it('sysstat 12.6.1 -o JSON with a loop device', () => {
    const devices = parseIostatJson(commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky-loop.json'));
    assert.deepEqual(devices.map((device) => [device.device, device.writes_per_second, device.await_ms,
      device.utilization_percent]), [['loop0', 8475, 0.01, 4.8], ['vda', 78, 0.5, 0]]);
  });
});

describe('parseFree', () => {
  it('free -m with swap in use (procps-ng 4.0.2)', () => {
    assert.deepEqual(parseFree(commandFixture('free', 'procps-ng-4.0.2-debian12-m-swap-in-use.txt')), {
      total_bytes: 24105 * MIB, used_bytes: 565 * MIB, available_bytes: 23540 * MIB,
      swap_total_bytes: 255 * MIB, swap_used_bytes: 99 * MIB, swap_free_bytes: 156 * MIB,
    });
  });

  it('free -m without swap', () => {
    const memory = parseFree(commandFixture('free', 'procps-ng-4.0.2-debian12-m-no-swap.txt'));
    assert.equal(memory.swap_total_bytes, 0);
    assert.equal(memory.swap_used_bytes, 0);
    assert.equal(memory.available_bytes, 23312 * MIB);
  });

  it('procps-ng 3.3.10 (CentOS 7) in KiB', () => {
    const memory = parseFree(commandFixture('free', 'procps-ng-3.3.10-centos7.txt'), 1024);
    assert.equal(memory.total_bytes, 3861332 * 1024);
    assert.equal(memory.available_bytes, 3389588 * 1024);
    assert.equal(memory.swap_total_bytes, 2097148 * 1024);
    assert.equal(memory.swap_used_bytes, 0);
  });
});

describe('systemctl', () => {
  it('recognises "System has not been booted with systemd" (systemd 252, no systemd as PID 1)', () => {
    assert.equal(systemdUnavailableReason(commandFixture('systemctl', 'systemd-252-debian12-not-booted.stderr')),
      "System has not been booted with systemd as init system (PID 1). Can't operate.");
    assert.equal(systemdUnavailableReason('Unit foo.service could not be found.\n'), null);
  });

  it('reads list-units rows and skips the header', () => {
    assert.deepEqual(parseListUnits(commandFixture('systemctl', 'systemd-debian-list-units-postgresql.txt')), [
      { unit: 'postgresql.service', load: 'loaded', active: 'active', sub: 'exited' },
      { unit: 'postgresql@18-main.service', load: 'loaded', active: 'active', sub: 'running' },
    ]);
  });

  it('pairs is-active answers with units in argument order', () => {
    assert.deepEqual(parseIsActive(commandFixture('systemctl', 'systemd-is-active-failed.txt'), ['snapd.core-fixup.service']),
      [{ unit: 'snapd.core-fixup.service', state: 'failed' }]);
    assert.deepEqual(parseIsActive(commandFixture('systemctl', 'systemd-is-failed-two-units.txt'), ['fail', 'cups']),
      [{ unit: 'fail', state: 'failed' }, { unit: 'cups', state: 'active' }]);
  });
});
