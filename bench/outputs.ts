// Benchmark of db_analyzer serve's /metrics and /report beside Debian's prometheus-postgres-exporter and
// prometheus-mysqld-exporter scraping the same databases (embedded PostgreSQL 17 and MariaDB with the test
// workload), all on 127.0.0.1, measured with wrk in the same loop. The daemon's memory over time is
// bench/serve-soak.ts's.
//
//   node --require ./test/harness/register.js bench/outputs.ts [--seconds 10] [--server-node-options '--max-semi-space-size=1']
//
// The server's Node options matter for memory: V8's young generation grows to 16 MiB semi-spaces under request
// churn unless capped on the command line (v8.setFlagsFromString at run time does not shrink it).
//
// Goals (issue 6): throughput >= 20x the better peer's, p99 <= 2 ms at 1 connection, 0 database queries per
// scrape.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dump } from 'js-yaml';
import { startMariadb, type MariadbServer } from '../test/harness/mariadb';
import { startPostgres, type PostgresServer } from '../src/demo/embedded-postgres';
import { runMariadbWorkload, runPostgresWorkload } from '../test/harness/workload';
import { testConfig } from '../test/harness/dbconfig';
import { freePort } from '../src/demo/local-server';
import { startServe, type ServeProcess } from '../test/harness/serve-process';

interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!match) throw new Error(`wrk: unreadable latency ${JSON.stringify(value)}`);
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
  return Number(match[1]) * scale[match[2]!]!;
}

function wrk(url: string, connections: number, seconds: number, headers: string[] = []): WrkResult {
  const args = ['-t', String(Math.min(connections, 2)), '-c', String(connections), '-d', `${seconds}s`, '--latency'];
  for (const header of headers) args.push('-H', header);
  const result = spawnSync('wrk', [...args, url], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}${result.stdout}`);
  const out = result.stdout;
  const field = (pattern: RegExp, what: string): string => {
    const match = pattern.exec(out);
    if (!match) throw new Error(`wrk: no ${what} in output:\n${out}`);
    return match[1]!;
  };
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: Number(field(/Requests\/sec:\s+([\d.]+)/, 'Requests/sec')),
    p50Ms: toMs(field(/^\s+50%\s+(\S+)/m, 'p50')),
    p99Ms: toMs(field(/^\s+99%\s+(\S+)/m, 'p99')),
    requests: Number(field(/(\d+) requests in/, 'request count')),
    errors: Number(errors?.[1] ?? 0) + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

/** Statements the databases executed so far (PostgreSQL: transactions of every database; MariaDB: Questions). */
async function databaseWork(postgres: PostgresServer, mariadb: MariadbServer): Promise<{ pg: number; my: number }> {
  const pg = await postgres.query<{ n: string }>('SELECT sum(xact_commit + xact_rollback) AS n FROM pg_stat_database');
  const my = await mariadb.query<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Questions'");
  return { pg: Number(pg[0]?.n), my: Number(my[0]?.Value) };
}

async function waitHttp(url: string, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not answer on ${url}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    seconds: { type: 'string', default: '10' },
    'server-node-options': { type: 'string', default: '' },
  } });
  const nodeArgs = values['server-node-options'].split(/\s+/).filter((option) => option !== '');
  const seconds = Number(values.seconds);
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    process.stdout.write('starting PostgreSQL 17 and MariaDB with the workload ...\n');
    const [postgres, mariadb] = await Promise.all([startPostgres(17), startMariadb()]);
    cleanups.push(() => postgres.stop(), () => mariadb.stop());
    await Promise.all([runPostgresWorkload(postgres), runMariadbWorkload(mariadb)]);

    const bench = testConfig([
      { name: 'pg', engine: 'postgresql', url: postgres.url() },
      { name: 'maria', engine: 'mysql', url: mariadb.url('shop') },
    ]);
    cleanups.push(() => bench.cleanup());
    const writeConfig = (interval: number): string => {
      const file = join(bench.dir, `config-${interval}.yml`);
      writeFileSync(file, dump({ ...bench.document, server: { interval_seconds: interval } }));
      return file;
    };
    // A long interval: the one collection happens at start, none during the measurements.
    const serve: ServeProcess = await startServe(['--config', writeConfig(3600), '--listen', '127.0.0.1:0'], process.execPath, 30_000, nodeArgs);
    cleanups.push(async () => void (await serve.stop()));
    await waitHttp(`${serve.url}/report`, serve.child, 'db_analyzer serve');

    const pgPort = await freePort();
    const pgExporter = spawn('prometheus-postgres-exporter', [`--web.listen-address=127.0.0.1:${pgPort}`], {
      env: { ...process.env, DATA_SOURCE_NAME: `${postgres.url()}?sslmode=disable` }, stdio: 'ignore',
    });
    cleanups.push(() => stopChild(pgExporter));
    const myCnf = join(bench.dir, 'my.cnf');
    writeFileSync(myCnf, `[client]\nuser=${mariadb.superuser}\npassword=${mariadb.superuserPassword}\nhost=127.0.0.1\nport=${mariadb.port}\n`, { mode: 0o600 });
    const myPort = await freePort();
    const myExporter = spawn('prometheus-mysqld-exporter', [`--config.my-cnf=${myCnf}`, `--web.listen-address=127.0.0.1:${myPort}`], { stdio: 'ignore' });
    cleanups.push(() => stopChild(myExporter));
    // The ceiling: a bare Node HTTP server answering every request with the same bytes, same Node and flags.
    const metricsFile = join(bench.dir, 'metrics.prom');
    writeFileSync(metricsFile, Buffer.from(await (await fetch(`${serve.url}/metrics`)).arrayBuffer()));
    const barePort = await freePort();
    const bare = spawn(process.execPath, [...nodeArgs, '-e', `const body = require('fs').readFileSync(${JSON.stringify(metricsFile)});
      require('http').createServer((request, response) => { response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }); response.end(body); })
        .listen(${barePort}, '127.0.0.1');`], { stdio: 'ignore' });
    cleanups.push(() => stopChild(bare));
    const targets = [
      { name: 'db_sentinel /metrics', url: `${serve.url}/metrics` },
      { name: 'bare Node, same bytes', url: `http://127.0.0.1:${barePort}/metrics` },
      { name: 'db_sentinel /report', url: `${serve.url}/report` },
      { name: 'postgres_exporter', url: `http://127.0.0.1:${pgPort}/metrics` },
      { name: 'mysqld_exporter', url: `http://127.0.0.1:${myPort}/metrics` },
    ];
    await waitHttp(targets[1]!.url, bare, 'bare Node server');
    await waitHttp(targets[3]!.url, pgExporter, 'postgres_exporter');
    await waitHttp(targets[4]!.url, myExporter, 'mysqld_exporter');

    // What one measurement of the counters costs by itself (it runs statements too).
    const probeA = await databaseWork(postgres, mariadb);
    const probeB = await databaseWork(postgres, mariadb);
    const probe = { pg: probeB.pg - probeA.pg, my: probeB.my - probeA.my };

    process.stdout.write(`\nwrk ${seconds} s per run on 127.0.0.1 (Node ${process.version} ${nodeArgs.join(' ')} for the server; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})\n`);
    process.stdout.write(`${'target'.padEnd(22)} ${'conns'.padStart(5)} ${'req/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'DB stmts/scrape'.padStart(16)}\n`);
    const results = new Map<string, WrkResult>();
    for (const connections of [1, 20]) {
      for (const target of targets) {
        const before = await databaseWork(postgres, mariadb);
        const result = wrk(target.url, connections, seconds);
        const after = await databaseWork(postgres, mariadb);
        const statements = Math.max(0, after.pg - before.pg - probe.pg) + Math.max(0, after.my - before.my - probe.my);
        results.set(`${target.name}@${connections}`, result);
        process.stdout.write(`${target.name.padEnd(22)} ${String(connections).padStart(5)} ${result.requestsPerSecond.toFixed(0).padStart(10)} ` +
          `${result.p50Ms.toFixed(3).padStart(8)} ${result.p99Ms.toFixed(3).padStart(8)} ${(statements / Math.max(1, result.requests)).toFixed(2).padStart(16)}` +
          `${result.errors ? `  (${result.errors} errors)` : ''}\n`);
      }
    }
    process.stdout.write('\ngoals:\n');
    for (const connections of [1, 20]) {
      const ours = results.get(`db_sentinel /metrics@${connections}`)!;
      const peer = Math.max(results.get(`postgres_exporter@${connections}`)!.requestsPerSecond, results.get(`mysqld_exporter@${connections}`)!.requestsPerSecond);
      const ratio = ours.requestsPerSecond / peer;
      process.stdout.write(`  /metrics at ${connections} conn: ${ratio.toFixed(1)}x the better peer (goal >= 20x): ${ratio >= 20 ? 'met' : 'NOT met'}\n`);
    }
    const ceiling = results.get('db_sentinel /metrics@20')!.requestsPerSecond / results.get('bare Node, same bytes@20')!.requestsPerSecond;
    process.stdout.write(`  /metrics at 20 conn: ${ceiling.toFixed(2)}x a bare Node server serving the same bytes\n`);
    const p99 = results.get('db_sentinel /metrics@1')!.p99Ms;
    process.stdout.write(`  /metrics p99 at 1 conn: ${p99.toFixed(3)} ms (goal <= 2 ms): ${p99 <= 2 ? 'met' : 'NOT met'}\n`);
    await serve.stop();
  } finally {
    for (const step of cleanups.reverse()) await step();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
