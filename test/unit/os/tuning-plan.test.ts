// The remediation plan (db_analyzer tuning plan) on the real /proc and /sys files copied from the build machine
// (test/fixtures/{proc,sys}/debian12-kvm): per setting and device, actual -> desired, what to persist, and the profile
// errors that must stop remediation before anything changes.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planTuning, TuningPlanError, type TuningPlan } from '../../../src/checks/tuning-plan';
import { compareTuning } from '../../../src/checks/drift';
import { defaultTuningProfile, parseTuningProfile } from '../../../src/core/tuning-profile';
import { readHugePages } from '../../../src/collectors/os/hugepages';
import { readSchedulers } from '../../../src/collectors/os/schedulers';
import { readSysctls } from '../../../src/collectors/os/sysctl';
import type { FsRoots } from '../../../src/sources/fsroot';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const ROOTS: FsRoots = { proc: join(FIXTURES, 'proc', 'debian12-kvm'), sys: join(FIXTURES, 'sys', 'debian12-kvm') };
const BUNDLE = join(__dirname, '..', '..', '..', 'build', 'db_analyzer.js');
const WHERE = 'db_sentinel:remediation';

async function actual(names: string[]) {
  const [sysctl, schedulers, hugepages] = await Promise.all([readSysctls(ROOTS, names), readSchedulers(ROOTS), readHugePages(ROOTS)]);
  return { sysctl, schedulers, hugepages };
}

async function plan(document: unknown): Promise<TuningPlan> {
  const profile = parseTuningProfile(document, WHERE, defaultTuningProfile());
  return planTuning(await actual(Object.keys(profile.sysctl)), profile, ROOTS, WHERE);
}

describe('tuning plan', () => {
  it('lists every setting with actual and desired, the changes, and the paths remediation writes', async () => {
    const result = await plan({ scheduler_devices: ['vd*', 'loop0'] });
    const bySetting = Object.fromEntries(result.settings.map((setting) => [setting.setting, setting]));
    assert.deepEqual(bySetting['vm.swappiness'], { setting: 'vm.swappiness', actual: '60', desired: '1', drifting: true,
      kind: 'sysctl', path: `${ROOTS.proc}/sys/vm/swappiness` });
    assert.deepEqual(bySetting['transparent_hugepage'], { setting: 'transparent_hugepage', actual: 'madvise', desired: 'never',
      drifting: true, kind: 'transparent_hugepage', path: `${ROOTS.sys}/kernel/mm/transparent_hugepage/enabled` });
    // vda is rotational in this VM (virtio reports 1) and already mq-deadline: planned, no change.
    assert.equal(bySetting['scheduler.vda'].drifting, false);
    assert.equal(bySetting['scheduler.vda'].device_class, 'rotational');
    assert.deepEqual(bySetting['scheduler.loop0'], { setting: 'scheduler.loop0', actual: 'none', desired: 'mq-deadline',
      drifting: true, kind: 'scheduler', path: `${ROOTS.sys}/block/loop0/queue/scheduler`, device: 'loop0',
      device_class: 'rotational', available: ['none', 'mq-deadline', 'kyber', 'bfq'] });
    assert.equal(bySetting['scheduler.loop1'], undefined, 'loop1 is not in scheduler_devices');
    assert.deepEqual(result.changes.map((change) => change.setting),
      result.settings.filter((setting) => setting.actual !== setting.desired).map((setting) => setting.setting));
    assert.deepEqual(result.unmatched_globs, []);
  });

  it('is the drift check\'s own comparison: the same settings, actual and desired values', async () => {
    const profile = parseTuningProfile({ scheduler_devices: ['vd*', 'loop*'] }, WHERE, defaultTuningProfile());
    const state = await actual(Object.keys(profile.sysctl));
    const planned = planTuning(state, profile, ROOTS, WHERE).settings.map(({ setting, actual: value, desired, drifting }) => ({ setting, actual: value, desired, drifting }));
    assert.deepEqual(planned, compareTuning(state, profile));
  });

  it('persists the sysctl values, udev rules by device class and the THP tmpfiles line', async () => {
    const result = await plan({ hugepages: 4, scheduler_devices: ['vd*', 'nvme*n*'] });
    assert.equal(result.persist.sysctl['vm.nr_hugepages'], '4');
    assert.equal(result.persist.sysctl['vm.swappiness'], '1');
    assert.deepEqual(result.persist.udev_rules, [
      'ACTION=="add|change", SUBSYSTEM=="block", ENV{DEVTYPE}=="disk", KERNEL=="vd*", ATTR{queue/rotational}=="1", ATTR{queue/scheduler}="mq-deadline"',
      'ACTION=="add|change", SUBSYSTEM=="block", ENV{DEVTYPE}=="disk", KERNEL=="vd*", ATTR{queue/rotational}=="0", ATTR{queue/scheduler}="mq-deadline"',
      'ACTION=="add|change", SUBSYSTEM=="block", ENV{DEVTYPE}=="disk", KERNEL=="nvme*n*", ATTR{queue/scheduler}="none"',
    ]);
    assert.equal(result.persist.thp_tmpfiles, 'w /sys/kernel/mm/transparent_hugepage/enabled - - - - never');
    assert.deepEqual(result.unmatched_globs, ['nvme*n*']);
    assert.equal((await plan({ transparent_hugepage: null, scheduler_devices: ['vd*'] })).persist.thp_tmpfiles, null);
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['a glob list matching no device', { scheduler_devices: ['nosuchdev*'] },
      /^db_sentinel:remediation\.scheduler_devices: "nosuchdev\*" match no block device with an I\/O scheduler on this host \(devices: loop0, loop1, vda\)$/],
    ['a scheduler the device does not offer', { scheduler_devices: ['vd*'], schedulers: { rotational: 'cfq' } },
      /^db_sentinel:remediation\.schedulers\.rotational: vda \(rotational\) does not offer the I\/O scheduler cfq \(available: none, mq-deadline, kyber, bfq\)$/],
    ['a kernel parameter this kernel lacks', { sysctl: { 'vm.no_such_knob': 1 }, scheduler_devices: ['vd*'] },
      /^db_sentinel:remediation\.sysctl\.vm\.no_such_knob: this kernel has no parameter vm\.no_such_knob/],
  ];
  for (const [what, document, message] of refused) {
    it(`refuses ${what}, naming the key`, async () => {
      await assert.rejects(plan(document), (error: unknown) => error instanceof TuningPlanError && message.test(error.message));
    });
  }
});

describe('db_analyzer tuning plan (the bundle)', () => {
  const run = (args: string[]) => {
    try {
      return { code: 0, stdout: execFileSync(process.execPath, [BUNDLE, 'tuning', 'plan', '--proc-root', ROOTS.proc, '--sys-root', ROOTS.sys, ...args], { encoding: 'utf8' }) };
    } catch (error: unknown) {
      const failed = error as { status: number; stdout: string };
      return { code: failed.status, stdout: failed.stdout };
    }
  };

  it('prints the plan of the profile given as JSON', () => {
    const { code, stdout } = run(['--profile', JSON.stringify({ sysctl: { 'vm.swappiness': 10 }, scheduler_devices: ['loop0'] })]);
    assert.equal(code, 0, stdout);
    const printed = JSON.parse(stdout) as TuningPlan & { profile: { sysctl: Record<string, string> } };
    assert.equal(printed.profile.sysctl['vm.swappiness'], '10');
    assert.deepEqual(printed.changes.find((change) => change.setting === 'vm.swappiness'),
      { setting: 'vm.swappiness', actual: '60', desired: '10', drifting: true, kind: 'sysctl', path: `${ROOTS.proc}/sys/vm/swappiness` });
  });

  it('prints one JSON error line naming the key and exits 3 on a bad value', () => {
    const { code, stdout } = run(['--profile', '{"sysctl": {"vm.swappiness": "abc"}}', '--profile-name', WHERE]);
    assert.equal(code, 3);
    assert.deepEqual(JSON.parse(stdout), { error: 'db_sentinel:remediation.sysctl.vm.swappiness: expected an integer >= 0 and <= 200, got "abc"' });
    assert.equal(stdout.trim().split('\n').length, 1);
  });

  it('--help prints the usage and exits 0', () => {
    const help = execFileSync(process.execPath, [BUNDLE, 'tuning', '--help'], { encoding: 'utf8' });
    assert.match(help, /^usage: db_analyzer tuning plan \[--profile JSON\]/);
  });
});
