// db_check (build/db_check.js), run from cron on every database host:
//   node build/db_check.js [--config FILE] [--json] [--sample-seconds N]
//   node build/db_check.js --build-snapshot DIR
// Samples vmstat and iostat over the same interval, reads free -m and systemctl is-active, prints Nagios plugin
// output (or the report as JSON) and exits 0/1/2/3. It imports no database driver and no prom-client: the bundle
// stays small and starts fast (bench/db_check.ts checks both).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_COLLECTORS } from '../collectors/registry';
import { acquireLock } from '../sources/lock';
import { collectReport } from '../report/runner';
import { EXIT_CODE } from '../core/status';
import { nagiosExitCode, renderNagios } from '../outputs/nagios';
import { writeStdout } from '../outputs/stdout';
import { createWaveRunner, resolveCommand } from '../sources/wave';
import { buildStartupSnapshot } from '../sources/startup-snapshot';
import { loadCheckConfig } from '../core/check-config';
import { buildContext, InfoRequested, parseFlags, runMain, UsageError, CONFIG_FLAG, type CommandHelp } from './common';

const HELP: CommandHelp = {
  usage: 'db_check [--config FILE] [--json] [--sample-seconds N]',
  summary: 'Checks a database host (vmstat, iostat, swap, database service) and prints Nagios plugin output;\n' +
    'exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
  flags: [
    CONFIG_FLAG,
    ['--json', 'print the whole report as JSON instead of Nagios text'],
    ['--sample-seconds N', 'the vmstat/iostat sample interval, 1-60 (default check.sample_seconds)'],
    ['--build-snapshot DIR', 'write the startup snapshot build/db_check.sh runs db_check from (Node 18), then exit'],
  ],
};

function sampleSecondsFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 60) {
    throw new UsageError(`--sample-seconds: expected a whole number of seconds from 1 to 60, got ${JSON.stringify(value)}`
      + `\nusage: ${HELP.usage}`);
  }
  return seconds;
}

/**
 * What a run from the startup snapshot would otherwise compile of Node's own code every time (fs, Stats, Buffer,
 * setImmediate; ~1.6M instructions a run on Node 18): the build calls it through db_check's own functions, on a lock
 * file in a directory of its own, and the snapshot keeps it compiled. test/e2e/db_check-snapshot.test.ts checks with
 * V8's function log that a run compiles none of it.
 */
function warmSnapshot(): void {
  const dir = mkdtempSync(join(tmpdir(), 'db_check-snapshot-'));
  try {
    const lock = acquireLock(join(dir, 'lock'), { staleAfterMs: 60_000 });
    if (lock.acquired) lock.release();
    resolveCommand('sh', '/usr/bin:/bin');
    Buffer.byteLength(dir); // writeStdout's check of a whole write
    process.hrtime.bigint(); // the runner's durations
    setImmediate(() => undefined); // the runner's collector deadline
  } finally {
    // Whatever the lock left if it failed half-way: the error to see is the lock's, not a directory not empty.
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain('db_check', async () => {
  const { values } = parseFlags(process.argv.slice(2), {
    config: { type: 'string' },
    json: { type: 'boolean' },
    'sample-seconds': { type: 'string' },
    'build-snapshot': { type: 'string' },
  }, HELP);
  const snapshotDir = values['build-snapshot'];
  if (snapshotDir !== undefined) {
    // argv[1] is the bundle whether node runs it or starts from a snapshot (build/db_check.sh passes it on).
    const outcome = buildStartupSnapshot({
      dir: snapshotDir, node: process.execPath, nodeVersion: process.version, bundle: process.argv[1] ?? '',
    });
    throw new InfoRequested(`db_check: ${outcome.message}\n`);
  }
  const sampleSeconds = sampleSecondsFlag(values['sample-seconds']);
  const loaded = await loadCheckConfig(values.config);
  const config = sampleSeconds === undefined ? loaded
    : { ...loaded, check: { ...loaded.check, sample_seconds: sampleSeconds } };
  const { sample_seconds: sample, command_timeout_seconds: timeout } = config.check;
  // The service check runs two commands one after the other; each is bounded by its own timeout.
  const deadlineMs = (sample + 2 * timeout + 1) * 1000;

  const lock = acquireLock(config.check.lock_file, { staleAfterMs: Math.max(600_000, 3 * deadlineMs) });
  if (!lock.acquired) {
    const message = `previous db_check run still running (pid ${lock.owner.pid} since ${lock.owner.started_at}; ` +
      `lock file ${config.check.lock_file})`;
    writeStdout(values.json
      ? `${JSON.stringify({ status: 'unknown', error: message }, null, 2)}\n`
      : `DB_SENTINEL UNKNOWN - ${message}\n`);
    return EXIT_CODE.unknown;
  }
  try {
    const report = await collectReport(CHECK_COLLECTORS, buildContext(config, createWaveRunner()), { deadlineMs });
    writeStdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderNagios(report));
    return nagiosExitCode(report);
  } finally {
    lock.release();
  }
}, { atOnce: true, warmSnapshot });
