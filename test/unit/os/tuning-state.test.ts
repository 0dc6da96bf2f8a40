// OS tuning state parsers and collectors on the real /proc and /sys files copied from the build machine
// (test/fixtures/{proc,sys}/debian12-kvm*, see the .source files), and sysctl parity with the sysctl command.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/core/config';
import type { CollectContext } from '../../../src/collectors/collector';
import { ParseError } from '../../../src/core/errors';
import { hugePagesFromMeminfo, parseMeminfo } from '../../../src/parsers/os/meminfo';
import { deviceClass, parseBracketChoice, parseRotational, parseScheduler, parseThpMode } from '../../../src/parsers/os/scheduler';
import { normalizeSysctlValue, parseSysctlValue, REPORTED_SYSCTLS, sysctlPath } from '../../../src/parsers/os/sysctl';
import { readHugePages } from '../../../src/collectors/os/hugepages';
import { readSchedulers } from '../../../src/collectors/os/schedulers';
import { readSysctls } from '../../../src/collectors/os/sysctl';
import { tuningDriftCollector } from '../../../src/collectors/os/tuning-drift';
import { HOST_ROOTS, type FsRoots } from '../../../src/sources/fsroot';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const ROOTS: FsRoots = { proc: join(FIXTURES, 'proc', 'debian12-kvm'), sys: join(FIXTURES, 'sys', 'debian12-kvm') };
const fixture = (relative: string): string => readFileSync(join(FIXTURES, relative), 'utf8');

describe('meminfo', () => {
  it('parses every line, kB values in bytes, counts as counts', () => {
    const meminfo = parseMeminfo(fixture('proc/debian12-kvm/meminfo'));
    assert.ok(meminfo.MemTotal! > 1024 * 1024 * 1024, 'MemTotal in bytes');
    assert.equal(meminfo.Hugepagesize, 2048 * 1024);
    assert.equal(meminfo.HugePages_Total, 0);
  });

  it('huge pages with some reserved by vm.nr_hugepages=4: in use = total - free', () => {
    const pages = hugePagesFromMeminfo(parseMeminfo(fixture('proc/debian12-kvm-hugepages/meminfo')));
    assert.deepEqual(pages, { total: 4, free: 4, reserved: 0, surplus: 0, in_use: 0, page_size_bytes: 2097152 });
  });

  it('a malformed line or a non-meminfo file is a ParseError naming it', () => {
    const text = fixture('proc/debian12-kvm/meminfo').replace('MemFree:', 'MemFree');
    assert.throws(() => parseMeminfo(text), (error: unknown) => error instanceof ParseError && /unreadable line "MemFree/.test(error.message));
    assert.throws(() => parseMeminfo(fixture('proc/debian12-kvm/sys/vm/swappiness')), ParseError);
  });
});

describe('schedulers and THP modes', () => {
  it('reads the active and available scheduler and rotational flag', () => {
    assert.deepEqual(parseScheduler(fixture('sys/debian12-kvm/block/vda/queue/scheduler'), 'vda'),
      { active: 'mq-deadline', available: ['none', 'mq-deadline', 'kyber', 'bfq'] });
    assert.equal(parseRotational(fixture('sys/debian12-kvm/block/vda/queue/rotational'), 'vda'), true);
    assert.equal(parseRotational(fixture('sys/debian12-kvm/block/loop1/queue/rotational'), 'loop1'), false);
    assert.throws(() => parseRotational('yes\n', 'sdz'), /sdz\/queue\/rotational: expected 0 or 1, got "yes"/);
  });

  it('THP modes: the bracketed word', () => {
    assert.equal(parseThpMode(fixture('sys/debian12-kvm/kernel/mm/transparent_hugepage/enabled'), 'enabled'), 'madvise');
    assert.equal(parseThpMode(fixture('sys/debian12-kvm/kernel/mm/transparent_hugepage/defrag'), 'defrag'), 'madvise');
    assert.throws(() => parseBracketChoice('always madvise never', 'x'), /no active choice/);
  });

  it('device classes: nvme by name, otherwise by the rotational flag', () => {
    assert.equal(deviceClass('nvme0n1', false), 'nvme');
    assert.equal(deviceClass('vda', true), 'rotational');
    assert.equal(deviceClass('sda', false), 'non_rotational');
    assert.equal(deviceClass('sdb', null), 'rotational');
  });

  it('readSchedulers lists devices with a scheduler and skips those without (zram0)', async () => {
    const states = await readSchedulers(ROOTS);
    assert.deepEqual(states.map((state) => state.device), ['loop0', 'loop1', 'vda']);
    assert.deepEqual(states.find((state) => state.device === 'vda'),
      { device: 'vda', active: 'mq-deadline', available: ['none', 'mq-deadline', 'kyber', 'bfq'], rotational: true, device_class: 'rotational' });
  });

  it('readHugePages combines meminfo and THP', async () => {
    const pages = await readHugePages(ROOTS);
    assert.equal(pages.transparent_enabled, 'madvise');
    assert.equal(pages.page_size_bytes, 2097152);
  });

  it('a wrong --sys-root is an error naming the path', async () => {
    await assert.rejects(readSchedulers({ proc: ROOTS.proc, sys: '/nonexistent' }), /cannot list \/nonexistent\/block/);
  });
});

describe('sysctl', () => {
  it('maps names to /proc/sys paths and rejects non-names', () => {
    assert.equal(sysctlPath('fs.file-max'), 'sys/fs/file-max');
    assert.throws(() => sysctlPath('../etc/passwd'), ParseError);
  });

  it('reads values as sysctl -n prints them (kernel.sem tab-separated, shmmax beyond 2^53 kept as text)', async () => {
    const values = await readSysctls(ROOTS, [...REPORTED_SYSCTLS, 'kernel.sem', 'vm.no_such_setting']);
    assert.equal(values['vm.swappiness'], '60');
    assert.equal(values['kernel.shmmax'], '18446744073692774399');
    assert.equal(values['kernel.sem'], '32000\t1024000000\t500\t32000');
    assert.ok(!('vm.no_such_setting' in values));
    assert.equal(normalizeSysctlValue('32000 1024000000  500\t32000'), values['kernel.sem']);
    assert.equal(parseSysctlValue('1\n', 'x'), '1');
  });

  it('matches the sysctl command on this host for every reported parameter', async () => {
    const names = [...REPORTED_SYSCTLS, 'kernel.sem'];
    const values = await readSysctls(HOST_ROOTS, names);
    for (const name of names) {
      const printed = execFileSync('sysctl', ['-n', name], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
      assert.equal(values[name], printed.replace(/\n$/, ''), name);
    }
  });
});

describe('tuning drift', () => {
  const context = (document: unknown): CollectContext => ({
    config: parseConfig(document, 'test.yml'), exec: async () => assert.fail('no commands'), roots: ROOTS,
    now: () => new Date(0), cpuCount: 2, hostname: 'test',
  });

  it('against the default profile: swappiness, dirty ratios, THP and vda drift; loop devices are not in scheduler_devices', async () => {
    const output = await tuningDriftCollector.collect(context({}));
    assert.deepEqual(output.os?.drift, [
      { setting: 'vm.dirty_background_ratio', actual: '10', desired: '5' },
      { setting: 'vm.dirty_ratio', actual: '20', desired: '10' },
      { setting: 'vm.swappiness', actual: '60', desired: '1' },
      { setting: 'transparent_hugepage', actual: 'madvise', desired: 'never' },
    ]);
    assert.deepEqual(output.os?.tuning?.filter((item) => !item.drifting).map((item) => item.setting),
      ['vm.overcommit_memory', 'vm.zone_reclaim_mode', 'scheduler.vda']);
    const [check] = output.checks ?? [];
    assert.equal(check?.name, 'tuning_drift');
    assert.equal(check?.status, 'warning');
    assert.equal(check?.value, 4);
    assert.match(check?.message ?? '', /vm\.swappiness is 60, desired 1/);
  });

  it('a profile matching the host gives ok; a missing parameter, hugepages and a scheduler class drift', async () => {
    const matching = await tuningDriftCollector.collect(context({ tuning: {
      sysctl: { 'vm.swappiness': 60, 'vm.dirty_ratio': 20, 'vm.dirty_background_ratio': 10, 'kernel.sem': '32000 1024000000 500 32000' },
      transparent_hugepage: 'madvise',
    } }));
    assert.deepEqual(matching.os?.drift, []);
    assert.equal(matching.checks?.[0]?.status, 'ok');

    const drifting = await tuningDriftCollector.collect(context({ tuning: {
      sysctl: { 'vm.swappiness': 60, 'vm.dirty_ratio': 20, 'vm.dirty_background_ratio': 10, 'vm.no_such_setting': 1 },
      transparent_hugepage: 'madvise', hugepages: 512, schedulers: { rotational: 'bfq' },
    } }));
    assert.deepEqual(drifting.os?.drift, [
      { setting: 'vm.no_such_setting', actual: null, desired: '1' },
      { setting: 'vm.nr_hugepages', actual: '0', desired: '512' },
      { setting: 'scheduler.vda', actual: 'mq-deadline', desired: 'bfq' },
    ]);
    assert.match(drifting.checks?.[0]?.message ?? '', /vm\.no_such_setting is missing, desired 1/);
  });

  it('compares the schedulers of exactly the devices of scheduler_devices, the ones remediation sets', async () => {
    const output = await tuningDriftCollector.collect(context({ tuning: { scheduler_devices: ['loop*'] } }));
    const schedulers = output.os?.tuning?.filter((item) => item.setting.startsWith('scheduler.'));
    assert.deepEqual(schedulers?.map((item) => item.setting), ['scheduler.loop0', 'scheduler.loop1']);
    const none = await tuningDriftCollector.collect(context({ tuning: { scheduler_devices: [] } }));
    assert.deepEqual(none.os?.tuning?.filter((item) => item.setting.startsWith('scheduler.')), []);
  });

  it('rejects a scheduler_devices entry that is not a device name glob, naming it', () => {
    assert.throws(() => parseConfig({ tuning: { scheduler_devices: ['sd*', '/dev/sda'] } }, 'test.yml'),
      /^ConfigError: config: tuning\.scheduler_devices\[1\]: expected a device name glob/);
  });
});
