// Nagios output of a db_check report built from real output: the first line, perfdata, details, exit codes.
// The whole text is a golden file (test/golden/check-output.txt), regenerated on purpose with
// UPDATE_GOLDEN=1 node --test --require ./test/harness/register.js test/unit/nagios-output.test.ts
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkContextSwitches } from '../../src/checks/context-switches';
import { serviceUnknown } from '../../src/checks/db-service';
import { checkDiskAwait } from '../../src/checks/disk-await';
import { checkDiskUtil } from '../../src/checks/disk-util';
import { checkRunQueue } from '../../src/checks/run-queue';
import { checkSwap } from '../../src/checks/swap';
import { DEFAULT_CHECK } from '../../src/core/config';
import { SCHEMA_VERSION, type CheckResult, type Report } from '../../src/core/report';
import { worstStatus } from '../../src/core/status';
import { nagiosExitCode, renderNagios } from '../../src/outputs/nagios';
import { parseFree } from '../../src/parsers/os/free';
import { parseIostatText } from '../../src/parsers/os/iostat';
import { parseVmstat } from '../../src/parsers/os/vmstat';
import { commandFixture } from '../harness/fixtures';

const GOLDEN = join(__dirname, '..', 'golden', 'check-output.txt');
const thresholds = DEFAULT_CHECK.thresholds;

function report(checks: CheckResult[]): Report {
  return {
    schema_version: SCHEMA_VERSION, host: 'db1', collected_at: '2026-01-01T00:00:00.000Z', duration_seconds: 1.01,
    status: worstStatus(checks.map((check) => check.status)), checks, collectors: [], os: { cpu_count: 2 }, databases: [],
  };
}

const vmstat = parseVmstat(commandFixture('vmstat', 'procps-ng-4.0.2-debian12-busy.txt'), 1);
const devices = parseIostatText(commandFixture('iostat', 'sysstat-12.6.1-debian12-dxky-loop.txt'));
const memory = parseFree(commandFixture('free', 'procps-ng-4.0.2-debian12-m-swap-in-use.txt'));
const checks = [
  checkRunQueue(vmstat, 2, thresholds.run_queue_per_cpu),
  checkContextSwitches(vmstat, 2, thresholds.context_switches_per_cpu),
  checkDiskAwait(devices, thresholds.disk_await_ms),
  checkDiskUtil(devices, thresholds.disk_util_percent),
  checkSwap(memory, 'critical'),
  serviceUnknown("systemctl cannot answer: System has not been booted with systemd as init system (PID 1). Can't operate."),
];

describe('Nagios output', () => {
  it('first line: DB_SENTINEL <STATUS> - <summary, worst first> | <perfdata>', () => {
    const text = renderNagios(report(checks));
    const first = text.split('\n')[0] ?? '';
    assert.match(first, /^DB_SENTINEL CRITICAL - swap CRITICAL: 99 MiB of 255 MiB swap in use; run_queue WARNING: 3\.5 runnable per CPU .*; db_service UNKNOWN: systemctl cannot answer: .* \| /);
    const perf = first.split(' | ')[1]?.split(' ') ?? [];
    assert.deepEqual(perf, [
      'run_queue=3.5;2;4;0', 'context_switches=823;30000;60000;0', 'disk_await=0.5ms;20;50;0',
      'disk_await_loop0=0.01ms;20;50;0', 'disk_await_vda=0.5ms;20;50;0', 'disk_util=4.75%;80;95;0;100',
      'disk_util_loop0=4.75%;80;95;0;100', 'disk_util_vda=0%;80;95;0;100', 'swap=99MB;;0;0',
    ]);
    assert.equal(nagiosExitCode(report(checks)), 2);
  });

  it('one detail line per check and per device, and the golden text', () => {
    const text = renderNagios(report(checks));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    assert.equal(text, readFileSync(GOLDEN, 'utf8'));
    assert.match(text, /\n\[WARNING\] run_queue: /);
    assert.match(text, /\n {4}vda: OK await 0\.5ms\n/);
  });

  it('all checks OK: exit 0 and a short summary; UNKNOWN alone: exit 3; WARNING: exit 1', () => {
    const healthy = checks.slice(0, 4).map((check) => ({ ...check, status: 'ok' as const }));
    assert.match(renderNagios(report(healthy)), /^DB_SENTINEL OK - all 4 checks OK \| run_queue=/);
    assert.equal(nagiosExitCode(report(healthy)), 0);
    assert.equal(nagiosExitCode(report([...healthy, checks[5] as CheckResult])), 3);
    assert.equal(nagiosExitCode(report([...healthy, checks[0] as CheckResult])), 1);
  });
});
