// Whole-agent CPU against the exporter stack it replaces (issue 14), on one host with one PostgreSQL 17 and one
// MariaDB (the harness servers with the test workload in their top 10, EXPLAIN on as the README sets it up).
//   agent, as the formula deploys it where its systemd unit runs: `db_analyzer serve` (server.interval_seconds 60,
//     node flags and environment of its unit) with server.beacon on, scraped every 30 s, and db_check every 5 min from
//     cron; for the textfile opt-in, a second such serve with server.textfile on too (totals with and without it).
//     serve's salt-call is a recording shell script first on its PATH (its CPU counted as serve's: it is its child);
//     cron's environment, the built bundles;
//   aside, counted in neither total: the cron jobs of a host without the daemon, db_beacon (--dry-run) and
//     db_textfile every minute, each collecting itself (a config whose state_dir holds no daemon report);
//   exporters: Debian's prometheus-node-exporter (default collectors), prometheus-postgres-exporter and
//     prometheus-mysqld-exporter, each scraped every 30 s.
// Method: the schedule is compressed in time — every period (collection, scrapes, cron jobs, and the plan cache's
// TTLs, so EXPLAIN re-runs as often per simulated hour as per real one) divided by --speedup — and run for
// --simulated-minutes; CPU is user + system time: the daemons' own and that of the children they reaped
// (/proc/PID/stat: vmstat, iostat, the EXPLAIN child), and each cron run's with its children (GNU time). CPU-seconds
// per host-hour = measured x 60 / simulated minutes. A daemon's idle CPU between events is compressed too (it is
// counted at 1/speedup of its real rate, for both stacks alike). The databases' own CPU for either is not counted.
//
//   node --require ./test/harness/register.js bench/agent-cpu.ts [--simulated-minutes 30] [--speedup 10]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPLAIN_ROLE, startAgentDatabases } from './agent-databases';
import { freePort, sleep, waitUntil } from '../src/demo/local-server';
import { ROOT, startServe, UNIT_ENV, UNIT_NODE_ARGS, type ServeProcess } from '../test/harness/serve-process';

const CRON_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Seconds of CPU of a live process: its own user + system and that of its reaped children. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14).
  return [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0) / CLOCK_TICKS;
}

/** One cron run in cron's environment; its CPU (user + system, with its children) by GNU time. */
function cronRunCpuSeconds(argv: string[], work: string): number {
  const timeFile = join(work, 'time.txt');
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, ...argv], { env: CRON_ENV, encoding: 'utf8', cwd: work });
  if (result.status !== 0 && !argv.some((arg) => arg.endsWith('db_check.js'))) {
    throw new Error(`${argv.join(' ')} exited with ${result.status}: ${result.stdout}${result.stderr}`);
  }
  const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return (user ?? 0) + (system ?? 0);
}

/** The pids of `parent`'s children running `command` now (/proc/PID/stat: comm and ppid). */
function childrenRunning(parent: number, command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch (error: unknown) {
      if ((error as { code?: string }).code === 'ENOENT' || (error as { code?: string }).code === 'ESRCH') continue; // it ended meanwhile
      throw error;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent && comm === command) pids.push(Number(entry));
  }
  return pids;
}

interface Daemon {
  name: string;
  pid: number;
  url: string;
  /** 'opt-in': the agent's serve with the textfile on too (its own total); 'aside': measured in the same loop,
   * counted in no total. */
  stack: 'agent' | 'opt-in' | 'exporters' | 'aside';
  start: number;
}

async function startExporter(name: string, command: string, args: (port: number) => string[], env: NodeJS.ProcessEnv,
  cleanups: Array<() => Promise<unknown> | void>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(command, args(port), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-4000); });
  cleanups.push(() => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  }));
  const url = `http://127.0.0.1:${port}/metrics`;
  await waitUntil(`${name} answering`, async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${log}`);
    try {
      return (await fetch(url)).ok ? true : undefined;
    } catch {
      return undefined; // not listening yet
    }
  });
  return { child, url };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    'simulated-minutes': { type: 'string', default: '30' },
    speedup: { type: 'string', default: '10' },
  } });
  const simulatedMinutes = Number(values['simulated-minutes']);
  const speedup = Number(values.speedup);
  if (!(simulatedMinutes > 0)) throw new Error('--simulated-minutes: expected a positive number');
  if (!Number.isInteger(60 / speedup) || !(speedup >= 1)) throw new Error('--speedup: expected a divisor of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)');
  const period = (simulatedSeconds: number): number => (simulatedSeconds * 1000) / speedup;
  const work = mkdtempSync(join(tmpdir(), 'db_sentinel-agent-cpu-'));
  const cleanups: Array<() => Promise<unknown> | void> = [() => rmSync(work, { recursive: true, force: true })];
  try {
    const { postgres, mariadb, setup } = await startAgentDatabases(cleanups);
    /** An agent's config in its own directory (state, beacon state, textfile, plan cache), written there. */
    const agentConfig = (name: string, server: Record<string, unknown>, explain: Record<string, unknown> = {}): string => {
      const dir = mkdtempSync(join(work, `${name}-`));
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({
        ...setup.document, state_dir: dir,
        server: { interval_seconds: 60 / speedup, ...server },
        check: { lock_file: join(dir, 'check.lock') },
        beacon: { state_file: join(dir, 'beacon-state.json') },
        textfile: { dir },
        explain: {
          role: EXPLAIN_ROLE, cache_file: join(dir, 'plan-cache.json'),
          cache_ttl_seconds: 3600 / speedup, generic_cache_ttl_seconds: 3600 / speedup, retry_ttl_seconds: 600 / speedup,
          ...explain,
        },
      }), { mode: 0o600 });
      return file;
    };
    // serve's salt-call: a shell script that records the call and answers as event.send does, so that the beacon's
    // delivery costs a process start, not Salt's Python (the same on every host, and not the agent's to cut).
    const saltBin = mkdtempSync(join(work, 'salt-bin-'));
    writeFileSync(join(saltBin, 'salt-call'), `#!/bin/sh\nprintf '%s\\n' "$1 $2" >> '${join(saltBin, 'calls.log')}'\nprintf 'local:\\n    True\\n'\n`, { mode: 0o755 });
    const serveEnv = { ...CRON_ENV, ...UNIT_ENV, PATH: `${saltBin}:${CRON_ENV.PATH}` };
    const startAgentServe = async (label: string, config: string): Promise<ServeProcess> => {
      const started = await startServe(['--config', config, '--listen', '127.0.0.1:0'], '/usr/bin/node', 120_000, UNIT_NODE_ARGS, serveEnv);
      cleanups.push(() => started.stop());
      await waitUntil(`the first report (${label})`, async () => ((await fetch(`${started.url}/metrics`)).ok ? true : undefined), 300_000);
      return started;
    };
    const configFile = agentConfig('agent', { beacon: true });
    // Beside it, not counted in the totals: the same daemon with EXPLAIN off, to show what EXPLAIN's child costs.
    const serveNoExplain = await startAgentServe('EXPLAIN off', agentConfig('no-explain', { beacon: true }, { enabled: false }));
    const serve = await startAgentServe('beacon', configFile);
    const serveTextfile = await startAgentServe('beacon and textfile', agentConfig('textfile', { beacon: true, textfile: true }));
    // A host without the daemon: no last-report.json in its state_dir, so its cron jobs collect themselves.
    const noDaemonConfig = agentConfig('no-daemon', {});

    const myCnf = join(work, 'my.cnf');
    writeFileSync(myCnf, `[client]\nuser=${mariadb.superuser}\npassword=${mariadb.superuserPassword}\nhost=127.0.0.1\nport=${mariadb.port}\n`, { mode: 0o600 });
    const nodeExporter = await startExporter('node_exporter', 'prometheus-node-exporter', (port) => [`--web.listen-address=127.0.0.1:${port}`], CRON_ENV, cleanups);
    const pgExporter = await startExporter('postgres_exporter', 'prometheus-postgres-exporter', (port) => [`--web.listen-address=127.0.0.1:${port}`],
      { ...CRON_ENV, DATA_SOURCE_NAME: `${postgres.url()}?sslmode=disable` }, cleanups);
    const myExporter = await startExporter('mysqld_exporter', 'prometheus-mysqld-exporter', (port) => [`--config.my-cnf=${myCnf}`, `--web.listen-address=127.0.0.1:${port}`], CRON_ENV, cleanups);

    const daemons: Daemon[] = [
      { name: 'db_analyzer serve', pid: serve.child.pid!, url: `${serve.url}/metrics`, stack: 'agent', start: 0 },
      { name: 'serve + textfile', pid: serveTextfile.child.pid!, url: `${serveTextfile.url}/metrics`, stack: 'opt-in', start: 0 },
      { name: 'node_exporter', pid: nodeExporter.child.pid!, url: nodeExporter.url, stack: 'exporters', start: 0 },
      { name: 'postgres_exporter', pid: pgExporter.child.pid!, url: pgExporter.url, stack: 'exporters', start: 0 },
      { name: 'mysqld_exporter', pid: myExporter.child.pid!, url: myExporter.url, stack: 'exporters', start: 0 },
      { name: 'serve, EXPLAIN off', pid: serveNoExplain.child.pid!, url: `${serveNoExplain.url}/metrics`, stack: 'aside', start: 0 },
    ];
    const bundle = (name: string): string => join(ROOT, 'build', `${name}.js`);
    const cron: Array<{ name: string; stack: Daemon['stack']; everySeconds: number; argv: string[]; cpu: number; runs: number }> = [
      { name: 'db_check', stack: 'agent', everySeconds: 300, argv: ['/usr/bin/node', bundle('db_check'), '--config', configFile], cpu: 0, runs: 0 },
      { name: 'db_textfile', stack: 'aside', everySeconds: 60, argv: ['/usr/bin/node', bundle('db_textfile'), '--config', noDaemonConfig], cpu: 0, runs: 0 },
      { name: 'db_beacon', stack: 'aside', everySeconds: 60, argv: ['/usr/bin/node', bundle('db_beacon'), '--config', noDaemonConfig, '--dry-run'], cpu: 0, runs: 0 },
    ];
    // Warm-up: each cron bundle once (its code cache written, as after the first minute on a host), unmeasured.
    for (const job of cron) cronRunCpuSeconds(job.argv, work);

    const cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
    const node = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' }).stdout.trim();
    process.stdout.write(`${simulatedMinutes} simulated minutes at ${speedup}x (${(simulatedMinutes / speedup).toFixed(1)} real minutes) on ` +
      `${cpuModel}, ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? '?'} CPUs, load average ` +
      `${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; Node ${node}\n`);
    for (const daemon of daemons) daemon.start = processCpuSeconds(daemon.pid);
    const started = Date.now();
    const endAt = started + period(simulatedMinutes * 60);
    const nextScrape = new Map(daemons.map((daemon) => [daemon.name, started]));
    const nextCron = new Map(cron.map((job) => [job.name, started]));
    let scrapes = 0;
    const explainChildren = new Set<number>();
    while (Date.now() < endAt) {
      for (const daemon of daemons) {
        if (Date.now() < nextScrape.get(daemon.name)!) continue;
        const response = await fetch(daemon.url);
        if (!response.ok) throw new Error(`${daemon.name} answered ${response.status}`);
        await response.arrayBuffer();
        scrapes += 1;
        nextScrape.set(daemon.name, nextScrape.get(daemon.name)! + period(30));
      }
      for (const job of cron) {
        if (Date.now() < nextCron.get(job.name)!) continue;
        job.cpu += cronRunCpuSeconds(job.argv, work);
        job.runs += 1;
        nextCron.set(job.name, nextCron.get(job.name)! + period(job.everySeconds));
      }
      // serve's EXPLAIN children live a second or more; watched every loop (50 ms), none is missed.
      for (const pid of childrenRunning(serve.child.pid!, 'node')) explainChildren.add(pid);
      await sleep(50);
    }
    const perHour = 60 / simulatedMinutes;
    const rows: Array<{ name: string; stack: Daemon['stack']; cpu: number; what: string }> = [
      ...daemons.map((daemon) => ({ name: daemon.name, stack: daemon.stack, cpu: processCpuSeconds(daemon.pid) - daemon.start, what: 'scraped every 30 s' })),
      ...cron.map((job) => ({ name: job.name, stack: job.stack, cpu: job.cpu, what: `${job.runs} runs (every ${job.everySeconds / 60} min)` })),
    ];
    const line = (name: string, what: string, cpu: number | null, perHostHour: number): void => void process.stdout.write(
      `${name.padEnd(24)} ${what.padEnd(24)} ${(cpu === null ? '' : cpu.toFixed(2)).padStart(15)} ${perHostHour.toFixed(1).padStart(18)}\n`);
    const cpuOf = (name: string): number => rows.find((row) => row.name === name)!.cpu * perHour;
    process.stdout.write(`\n${'process'.padEnd(24)} ${'schedule'.padEnd(24)} ${'CPU s measured'.padStart(15)} ${'CPU s / host-hour'.padStart(18)}\n`);
    const total = { agent: 0, exporters: 0 };
    for (const stack of ['agent', 'exporters'] as const) {
      for (const row of rows.filter((item) => item.stack === stack)) {
        total[stack] += row.cpu * perHour;
        line(row.name, row.what, row.cpu, row.cpu * perHour);
      }
      line(`= ${stack === 'agent' ? 'agent (serve, beacon on)' : 'exporter stack'}`, '', null, total[stack]);
      process.stdout.write('\n');
    }
    // The textfile opt-in: the same agent with its serve writing the textfile too (the second serve, same schedule).
    const optIn = rows.find((row) => row.stack === 'opt-in')!;
    line(optIn.name, optIn.what, optIn.cpu, optIn.cpu * perHour);
    const withTextfile = total.agent - cpuOf('db_analyzer serve') + optIn.cpu * perHour;
    line('= agent, textfile opt-in', '', null, withTextfile);
    process.stdout.write('\n');
    for (const [label, agent] of [['agent as the formula deploys it with the daemon (no textfile)', total.agent], ['agent with the textfile opt-in', withTextfile]] as const) {
      const ratio = agent / total.exporters;
      process.stdout.write(`${label} / exporter stack: ${agent.toFixed(1)} / ${total.exporters.toFixed(1)} = ${ratio.toFixed(2)} (goal <= 1.0): ${ratio <= 1 ? 'met' : 'NOT met'}\n`);
    }
    process.stdout.write('aside, counted in neither total:\n');
    const serveRow = rows.find((row) => row.name === 'db_analyzer serve')!;
    for (const row of rows.filter((item) => item.stack === 'aside')) {
      if (row.name === 'serve, EXPLAIN off') {
        process.stdout.write(`  the same daemon with EXPLAIN off: ${(row.cpu * perHour).toFixed(1)} CPU s / host-hour ` +
          `(EXPLAIN, its child processes included: ${((serveRow.cpu - row.cpu) * perHour).toFixed(1)})\n`);
      } else {
        process.stdout.write(`  host without the daemon, cron ${row.name} collecting, ${row.what}: ${(row.cpu * perHour).toFixed(1)} CPU s / host-hour\n`);
      }
    }
    const callLog = join(saltBin, 'calls.log');
    const saltCalls = existsSync(callLog) ? readFileSync(callLog, 'utf8').split('\n').filter((call) => call !== '').length : 0;
    process.stdout.write(`${saltCalls} salt-calls by the serve daemons\n`);
    process.stdout.write(`${explainChildren.size} EXPLAIN child processes started by db_analyzer serve `
      + `(${(explainChildren.size * perHour).toFixed(1)} per host-hour)\n`);
    process.stdout.write(`${scrapes} scrapes\n`);
    for (const daemon of [serve, serveTextfile, serveNoExplain]) {
      if (daemon.child.exitCode !== null) throw new Error(`serve exited: ${daemon.stderr()}`);
    }
  } finally {
    for (const step of cleanups.reverse()) await step();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
