// Soak of the daemon's memory: `db_analyzer serve` (the built bundle) and the baseline bundle, side by side in the
// same loop, each collecting every few seconds from the same embedded PostgreSQL 17 and MariaDB with the test
// workload in their top 10 and EXPLAIN on (the agent set up as the README says: pg_monitor plus explain.role on
// PostgreSQL, a read-only account on MariaDB), scraped like Prometheus would. Both run in cron's environment
// (env -i PATH=/usr/bin:/bin LANG=C.UTF-8, /usr/bin/node). Ours runs twice: as the formula's unit starts it (node
// --no-opt, MALLOC_ARENA_MAX=2: salt/db_sentinel/service/files/db_sentinel-analyzer.service.jinja) and bare; the
// baseline as its unit started it (bare). Prints the RSS of each daemon over time (VmRSS of the serve process; for
// ours as deployed also with its EXPLAIN child when one runs at the sample), then the peak and the slope.
//
//   node --require ./test/harness/register.js bench/serve-soak.ts [--minutes 10] [--interval-seconds 5]
//     [--sample-seconds 10] [--baseline FILE | --baseline-commit COMMIT]
//
// The plan cache lives explain.cache_ttl_seconds (here 60 s), so EXPLAIN runs again every minute of the soak
// rather than once at the start; the workload's statements run again every two minutes, which keeps MariaDB's
// statement history (its literal samples) fresh.
// Goal (issue 14): the daemon's RSS <= 80 MiB and flat over 10 minutes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPLAIN_ROLE, startAgentDatabases } from './agent-databases';
import { ROOT, startServe, UNIT_ENV, UNIT_NODE_ARGS, type ServeProcess } from '../test/harness/serve-process';
import { sleep, waitUntil } from '../src/demo/local-server';

/** main before issue 14 (the EXPLAIN stage inside the daemon). */
const DEFAULT_BASELINE_COMMIT = '129ea79';
const CRON_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
const GOAL_MIB = 80;
/** Growth over the soak (by the fitted slope) that still counts as flat. */
const FLAT_MIB = 4;

function rssKiB(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** The process and every descendant alive now. */
function familyKiB(pid: number): number {
  let total = rssKiB(pid);
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    for (const child of children.split(/\s+/).filter((item) => item !== '')) total += familyKiB(Number(child));
  }
  return total;
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const cov = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return variance === 0 ? 0 : cov / variance;
}

function baselineBundle(file: string | undefined, commit: string, dir: string): { path: string; name: string } {
  if (file !== undefined) return { path: file, name: file };
  const shown = spawnSync('git', ['show', `${commit}:build/db_analyzer.js`], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  if (shown.status !== 0) throw new Error(`git show ${commit}:build/db_analyzer.js failed: ${String(shown.stderr)}`);
  const path = join(dir, 'db_analyzer.js');
  writeFileSync(path, shown.stdout, { mode: 0o755 });
  return { path, name: `build/db_analyzer.js of commit ${commit}` };
}

interface Daemon {
  name: string;
  serve: ServeProcess;
  samples: Array<{ seconds: number; rss: number; family: number }>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    minutes: { type: 'string', default: '10' },
    'interval-seconds': { type: 'string', default: '5' },
    'sample-seconds': { type: 'string', default: '10' },
    baseline: { type: 'string' },
    'baseline-commit': { type: 'string', default: DEFAULT_BASELINE_COMMIT },
  } });
  const minutes = Number(values.minutes);
  const intervalSeconds = Number(values['interval-seconds']);
  const sampleSeconds = Number(values['sample-seconds']);
  for (const [flag, value] of [['--minutes', minutes], ['--interval-seconds', intervalSeconds], ['--sample-seconds', sampleSeconds]] as const) {
    if (!(value > 0)) throw new Error(`${flag}: expected a positive number`);
  }
  const work = mkdtempSync(join(tmpdir(), 'db_sentinel-soak-'));
  const baseline = baselineBundle(values.baseline, values['baseline-commit'], work);
  const cleanups: Array<() => Promise<unknown> | void> = [() => rmSync(work, { recursive: true, force: true })];
  try {
    const { postgres, mariadb, pgWorkload, myWorkload, setup } = await startAgentDatabases(cleanups);
    const startDaemon = async (name: string, bundleDir: string, nodeArgs: readonly string[] = [], env: Readonly<Record<string, string>> = {}): Promise<Daemon> => {
      const stateDir = mkdtempSync(join(work, 'state-'));
      const configFile = join(stateDir, 'config.json');
      writeFileSync(configFile, JSON.stringify({
        ...setup.document, state_dir: stateDir, server: { interval_seconds: intervalSeconds },
        explain: { role: EXPLAIN_ROLE, cache_ttl_seconds: 60, cache_file: join(stateDir, 'plan-cache.json') },
      }), { mode: 0o600 });
      const serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], '/usr/bin/node', 120_000, nodeArgs, { ...CRON_ENV, ...env }, bundleDir);
      cleanups.push(() => serve.stop());
      // Serving starts before the first collection ends (/metrics answers 503 until then).
      await waitUntil(`${name}'s first report`, async () => ((await fetch(`${serve.url}/metrics`)).ok ? true : undefined), 300_000);
      return { name, serve, samples: [] };
    };
    const baselineDir = join(work, 'baseline');
    mkdirSync(baselineDir);
    writeFileSync(join(baselineDir, 'db_analyzer.js'), readFileSync(baseline.path), { mode: 0o755 });
    const daemons = [
      await startDaemon('this build, as its unit runs it (--no-opt, MALLOC_ARENA_MAX=2)', join(ROOT, 'build'), UNIT_NODE_ARGS, UNIT_ENV),
      await startDaemon('this build, bare node', join(ROOT, 'build')),
      await startDaemon('baseline, bare node (as its unit ran it)', baselineDir),
    ];

    const node = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8', env: CRON_ENV }).stdout.trim();
    process.stdout.write(`soak ${minutes} min: collecting every ${intervalSeconds} s, /metrics scraped every 5 s, RSS sampled every ` +
      `${sampleSeconds} s (Node ${node}, env -i PATH=/usr/bin:/bin LANG=C.UTF-8; baseline: ${baseline.name}; ` +
      `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})\n\n`);
    process.stdout.write(`${'min'.padStart(5)} ${'unit MiB'.padStart(9)} ${'+child'.padStart(7)} ${'bare MiB'.padStart(9)} ${'baseline MiB'.padStart(13)}\n`);
    const started = Date.now();
    const endAt = started + minutes * 60_000;
    let nextWorkload = started + 120_000;
    let nextSample = started;
    while (Date.now() < endAt) {
      await Promise.all(daemons.map(async ({ serve }) => {
        const response = await fetch(`${serve.url}/metrics`);
        if (!response.ok) throw new Error(`${serve.url}/metrics answered ${response.status}`);
        await response.arrayBuffer();
      }));
      if (Date.now() >= nextSample) {
        const seconds = (Date.now() - started) / 1000;
        for (const daemon of daemons) {
          const pid = daemon.serve.child.pid!;
          daemon.samples.push({ seconds, rss: rssKiB(pid) / 1024, family: familyKiB(pid) / 1024 });
        }
        const [unit, bare, base] = daemons.map((daemon) => daemon.samples.at(-1)!);
        process.stdout.write(`${(seconds / 60).toFixed(1).padStart(5)} ${unit!.rss.toFixed(1).padStart(9)} ${unit!.family.toFixed(1).padStart(7)} ` +
          `${bare!.rss.toFixed(1).padStart(9)} ${base!.rss.toFixed(1).padStart(13)}\n`);
        nextSample += sampleSeconds * 1000;
      }
      if (Date.now() >= nextWorkload) {
        // The workload's statements again (no schema change): fresh samples in MariaDB's statement history.
        for (const query of pgWorkload.queries) await postgres.query(query.sample);
        for (const query of myWorkload.queries) await mariadb.query(query.sample, [], 'shop');
        nextWorkload += 120_000;
      }
      await sleep(5000);
    }

    // What the daemons were planning: the methods of the last report (EXPLAIN must really be on).
    const methods = async (serve: ServeProcess): Promise<string> => {
      const report = JSON.parse(await (await fetch(`${serve.url}/report`)).text()) as { databases: Array<{ name: string; slow_queries: Array<{ plan?: { method: string } }> }> };
      return report.databases.map((db) => {
        const counts = new Map<string, number>();
        for (const query of db.slow_queries) counts.set(query.plan?.method ?? 'none', (counts.get(query.plan?.method ?? 'none') ?? 0) + 1);
        return `${db.name}: ${[...counts].map(([method, count]) => `${count} ${method}`).join(', ')}`;
      }).join('; ');
    };
    process.stdout.write('\n');
    for (const daemon of daemons) {
      const after = daemon.samples.filter((sample) => sample.seconds >= 60);
      const points = after.map((sample): [number, number] => [sample.seconds / 60, sample.rss]);
      const perMinute = slope(points);
      const peak = Math.max(...daemon.samples.map((sample) => sample.rss));
      const peakFamily = Math.max(...daemon.samples.map((sample) => sample.family));
      const growth = perMinute * minutes;
      const verdict = peak <= GOAL_MIB && growth <= FLAT_MIB ? 'met' : 'NOT met';
      process.stdout.write(`${daemon.name}: RSS peak ${peak.toFixed(1)} MiB (with its children ${peakFamily.toFixed(1)}), last ${daemon.samples.at(-1)!.rss.toFixed(1)} MiB, ` +
        `slope ${perMinute.toFixed(2)} MiB/min after the first minute (${growth.toFixed(1)} MiB over ${minutes} min); ` +
        `goal <= ${GOAL_MIB} MiB and flat (< ${FLAT_MIB} MiB): ${verdict}\n  plans in the last report: ${await methods(daemon.serve)}\n`);
      if (daemon.serve.child.exitCode !== null) throw new Error(`${daemon.name} exited during the soak: ${daemon.serve.stderr()}`);
    }
  } finally {
    for (const step of cleanups.reverse()) await step();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
