// The db_check collectors with a replaced command runner answering with real output, and the runner around them:
// a missing tool names its Debian package, a rejected `-o JSON` falls back to text, systemd not running is UNKNOWN.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CHECK_COLLECTORS } from '../../src/collectors/registry';
import type { CheckCollector, CollectContext, CollectorOutput } from '../../src/collectors/collector';
import { parseConfig } from '../../src/core/config';
import { CommandError } from '../../src/core/errors';
import { collectReport } from '../../src/report/runner';
import type { CommandResult, CommandRunner, RunOptions } from '../../src/sources/exec';
import { HOST_ROOTS } from '../../src/sources/fsroot';
import { commandFixture } from '../harness/fixtures';

type Answer = CommandResult | CommandError;
interface Call { command: string; args: readonly string[]; options: RunOptions }

function fakeRunner(answer: (command: string, args: readonly string[]) => Answer): { exec: CommandRunner; calls: Call[] } {
  const calls: Call[] = [];
  const exec: CommandRunner = async (command, args, options) => {
    calls.push({ command, args, options });
    const result = answer(command, args);
    if (result instanceof CommandError) throw result;
    if (result.exitCode !== 0 && !options.acceptExitCodes?.includes(result.exitCode)) {
      throw new CommandError(command, 'exit_status', `${command}: exited with status ${result.exitCode}`);
    }
    return result;
  };
  return { exec, calls };
}

const ok = (stdout: string, stderr = '', exitCode = 0): CommandResult => ({ stdout, stderr, exitCode });
const notBooted = commandFixture('systemctl', 'systemd-252-debian12-not-booted.stderr');

/** A host like the development VM: sysstat 12 with JSON, swap in use, no systemd as PID 1. */
function debianHost(command: string, args: readonly string[]): Answer {
  switch (command) {
    case 'vmstat': return ok(commandFixture('vmstat', 'procps-ng-4.0.2-debian12-busy.txt'));
    case 'iostat': return ok(commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky-loop.json'));
    case 'free': return ok(commandFixture('free', 'procps-ng-4.0.2-debian12-m-swap-in-use.txt'));
    case 'systemctl': return ok('', notBooted, 1);
    default: throw new Error(`unexpected command ${command} ${args.join(' ')}`);
  }
}

function context(exec: CommandRunner, check: Record<string, unknown> = {}): CollectContext {
  return {
    config: parseConfig({ check }, 'test'), exec, roots: HOST_ROOTS, now: () => new Date('2026-01-01T00:00:00Z'),
    cpuCount: 2, hostname: 'db1',
  };
}

describe('db_check collectors', () => {
  it('run concurrently and give every check of db_check, in a stable order', async () => {
    const { exec, calls } = fakeRunner(debianHost);
    const report = await collectReport(CHECK_COLLECTORS, context(exec, { sample_seconds: 3 }), { deadlineMs: 5000 });
    assert.deepEqual(report.checks.map((check) => [check.name, check.status]), [
      ['run_queue', 'warning'], ['context_switches', 'ok'], ['disk_await', 'ok'], ['disk_util', 'ok'],
      ['swap', 'critical'], ['db_service', 'unknown'],
    ]);
    assert.equal(report.status, 'critical');
    // vmstat N 2 and iostat -y N 1 over the configured interval; sampling tools get the interval on top of the timeout.
    const vmstat = calls.find((call) => call.command === 'vmstat');
    assert.deepEqual(vmstat?.args, ['3', '2']);
    assert.equal(vmstat?.options.timeoutMs, 13_000);
    assert.deepEqual(calls.find((call) => call.command === 'iostat')?.args, ['-d', '-x', '-k', '-y', '-o', 'JSON', '3', '1']);
    assert.equal(calls.find((call) => call.command === 'free')?.options.timeoutMs, 10_000);
    // the loop device is left out by the default ignore_devices
    assert.deepEqual(report.os.iostat?.map((device) => device.device), ['vda']);
    assert.equal(report.os.memory?.swap_used_bytes, 99 * 1024 * 1024);
    assert.equal(report.os.vmstat?.runnable, 8);
    assert.ok(report.collectors.every((run) => run.success));
  });

  it('db_service is UNKNOWN with systemctl\'s reason when systemd is not PID 1', async () => {
    const { exec } = fakeRunner(debianHost);
    const report = await collectReport(CHECK_COLLECTORS, context(exec), { deadlineMs: 5000 });
    const service = report.checks.find((check) => check.name === 'db_service');
    assert.equal(service?.status, 'unknown');
    assert.equal(service?.message,
      "systemctl cannot answer: System has not been booted with systemd as init system (PID 1). Can't operate.");
  });

  it('a missing iostat makes disk_await and disk_util UNKNOWN naming the sysstat package', async () => {
    const { exec } = fakeRunner((command, args) => (command === 'iostat'
      ? new CommandError('iostat', 'not_found', 'iostat: command not found in PATH') : debianHost(command, args)));
    const report = await collectReport(CHECK_COLLECTORS, context(exec), { deadlineMs: 5000 });
    for (const name of ['disk_await', 'disk_util']) {
      const check = report.checks.find((candidate) => candidate.name === name);
      assert.equal(check?.status, 'unknown');
      assert.match(check?.message ?? '', /iostat: not installed .*install the Debian package sysstat/);
    }
    assert.equal(report.collectors.find((run) => run.name === 'iostat')?.success, false);
    assert.equal(report.checks.find((check) => check.name === 'swap')?.status, 'critical');
  });

  it('an iostat without -o JSON (sysstat 10) is read in its text layout', async () => {
    const { exec, calls } = fakeRunner((command, args) => {
      if (command !== 'iostat') return debianHost(command, args);
      if (args.includes('JSON')) return ok('', 'Usage: iostat [ options ] [ <interval> [ <count> ] ]\n', 1);
      return ok(commandFixture('iostat', 'sysstat-10.1.5-centos7-x.txt'));
    });
    const report = await collectReport(CHECK_COLLECTORS, context(exec), { deadlineMs: 5000 });
    assert.deepEqual(calls.filter((call) => call.command === 'iostat').map((call) => call.args.join(' ')),
      ['-d -x -k -y -o JSON 1 1', '-d -x -k -y 1 1']);
    assert.deepEqual(report.os.iostat?.map((device) => device.device), ['sda', 'dm-0', 'dm-1']);
    assert.equal(report.checks.find((check) => check.name === 'disk_await')?.value, 0.92);
  });

  it('a hanging vmstat (timeout) makes its checks UNKNOWN and leaves the others', async () => {
    const { exec } = fakeRunner((command, args) => (command === 'vmstat'
      ? new CommandError('vmstat', 'timeout', 'vmstat 1 2: no answer within 11000 ms, stopped') : debianHost(command, args)));
    const report = await collectReport(CHECK_COLLECTORS, context(exec), { deadlineMs: 5000 });
    assert.equal(report.checks.find((check) => check.name === 'run_queue')?.message, 'vmstat 1 2: no answer within 11000 ms, stopped');
    assert.equal(report.checks.find((check) => check.name === 'context_switches')?.status, 'unknown');
    assert.equal(report.checks.find((check) => check.name === 'disk_util')?.status, 'ok');
  });

  it('with systemd: discovers the loaded database units, then asks is-active for them', async () => {
    const { exec, calls } = fakeRunner((command, args) => {
      if (command !== 'systemctl') return debianHost(command, args);
      if (args[0] === 'list-units') return ok(commandFixture('systemctl', 'systemd-debian-list-units-postgresql.txt'));
      return ok('active\nfailed\n', '', 3);
    });
    const report = await collectReport(CHECK_COLLECTORS, context(exec), { deadlineMs: 5000 });
    assert.deepEqual(calls.find((call) => call.args[0] === 'is-active')?.args,
      ['is-active', 'postgresql.service', 'postgresql@18-main.service']);
    const service = report.checks.find((check) => check.name === 'db_service');
    assert.equal(service?.status, 'critical');
    assert.equal(service?.message, 'postgresql@18-main.service failed (1 of 2 active)');
    assert.deepEqual(report.os.services, [
      { unit: 'postgresql.service', state: 'active' }, { unit: 'postgresql@18-main.service', state: 'failed' }]);
  });

  it('configured units are asked directly; none found is UNKNOWN asking for check.services', async () => {
    const configured = fakeRunner((command, args) => (command === 'systemctl' ? ok('active\n') : debianHost(command, args)));
    const report = await collectReport(CHECK_COLLECTORS, context(configured.exec, { services: ['mariadb.service'] }),
      { deadlineMs: 5000 });
    assert.deepEqual(configured.calls.filter((call) => call.command === 'systemctl').map((call) => call.args),
      [['is-active', 'mariadb.service']]);
    assert.equal(report.checks.find((check) => check.name === 'db_service')?.status, 'ok');

    const empty = fakeRunner((command, args) => (command === 'systemctl' ? ok('') : debianHost(command, args)));
    const none = await collectReport(CHECK_COLLECTORS, context(empty.exec), { deadlineMs: 5000 });
    const service = none.checks.find((check) => check.name === 'db_service');
    assert.equal(service?.status, 'unknown');
    assert.match(service?.message ?? '', /no database service unit found .*check\.services/);
  });

  it('an unreadable line is UNKNOWN naming the tool and the line', async () => {
    const { exec } = fakeRunner((command, args) => (command === 'free'
      ? ok(commandFixture('free', 'procps-ng-4.0.2-debian12-m-swap-in-use.txt').replace(' 99 ', ' 9x9 '))
      : debianHost(command, args)));
    const report = await collectReport(CHECK_COLLECTORS, context(exec), { deadlineMs: 5000 });
    const swap = report.checks.find((check) => check.name === 'swap');
    assert.equal(swap?.status, 'unknown');
    assert.match(swap?.message ?? '', /^free: column used is not a number \("9x9"\) in line "Swap: /);
  });
});

describe('the runner\'s collector deadline (src/report/runner.ts)', () => {
  const collector = (name: string, collect: () => Promise<CollectorOutput>): CheckCollector =>
    ({ name, checks: [name], collect });
  const done = async (): Promise<CollectorOutput> =>
    ({ checks: [{ name: 'quick', status: 'ok', message: 'ok', value: 1 }] });
  const exec = fakeRunner(debianHost).exec;

  it('makes a collector that never settles UNKNOWN once its deadline passes, and keeps the others', async () => {
    const never = collector('stuck', () => new Promise<CollectorOutput>(() => undefined));
    const report = await collectReport([collector('quick', done), never], context(exec), { deadlineMs: 50 });
    assert.deepEqual(report.checks.map((check) => [check.name, check.status]), [['quick', 'ok'], ['stuck', 'unknown']]);
    assert.deepEqual(report.collectors.map((run) => [run.name, run.success, run.error]),
      [['quick', true, undefined], ['stuck', false, 'stuck: no result within 50 ms']]);
  });

  it('arms no timer for collectors that settle without waiting for I/O (db_check\'s, on the wave)', async (t) => {
    const setTimeoutCalls = t.mock.method(globalThis, 'setTimeout');
    const report = await collectReport([collector('quick', done)], context(exec), { deadlineMs: 60_000 });
    assert.equal(report.status, 'ok');
    // The deadline would be armed on the loop's next turn.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(setTimeoutCalls.mock.callCount(), 0);
  });
});
