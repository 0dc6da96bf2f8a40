// `npm run demo`: the analyzer on a real database in under a minute, with nothing configured. Starts an embedded
// PostgreSQL 17 on loopback (as the non-root postgres user, in a temporary directory) with auto_explain on as the
// Salt state db_sentinel.auto_explain sets it (json plans in a jsonlog), creates a small shop schema and a workload
// with planted plan problems sent with bound parameters, then serves db_analyzer's /report and /metrics on loopback
// and prints the URL and a summary: the executed plans come from the server log, nothing is re-run. Ctrl-C stops the
// server and the database and removes the directory.
//   npm run demo [-- --listen HOST:PORT]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, DEFAULT_LISTEN } from '../core/config';
import { errorMessage } from '../core/errors';
import { analyzerCollection } from '../cli/analyzer/report';
import { InfoRequested, parseFlags, type CommandHelp } from '../cli/common';
import { HOST_ROOTS } from '../sources/fsroot';
import type { Server } from 'node:http';
import { PlanCache } from '../explain';
import { listen, parseListen, type ListenAddress } from '../outputs/http';
import { startReportServer } from '../outputs/report-server';
import { summarize } from './summary';
import { startPostgres } from './embedded-postgres';
import { autoExplainSettings, createPlantedSchema, PLANTED_SCENARIOS, runPlantedWorkload } from './planted-workload';

const INTERVAL_SECONDS = 10;
const EXPLAIN_ROLE = 'db_sentinel_explain';

const DEMO_HELP: CommandHelp = {
  usage: 'npm run demo [-- --listen HOST:PORT]',
  command: 'demo',
  summary: 'Starts an embedded PostgreSQL 17 with a slow-query workload and serves db_analyzer on loopback; Ctrl-C stops it.',
  flags: [['--listen HOST:PORT', `the address to serve on (default ${DEFAULT_LISTEN}, or a free port if taken)`]],
};

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function listenSomewhere(server: Server, wanted: ListenAddress, explicit: boolean): Promise<ListenAddress> {
  try {
    return await listen(server, wanted);
  } catch (error: unknown) {
    // The default port may be taken (a real db_analyzer on this host): any free loopback port will do.
    if (explicit || (error as { code?: string }).code !== 'EADDRINUSE') throw error;
    return listen(server, { host: wanted.host, port: 0 });
  }
}

async function main(): Promise<void> {
  const { values } = parseFlags(process.argv.slice(2), { listen: { type: 'string' } }, DEMO_HELP);
  const address = parseListen(values.listen ?? DEFAULT_LISTEN, '--listen');

  say('db_sentinel demo: starting PostgreSQL 17 on 127.0.0.1 (embedded, temporary directory, auto_explain on) ...');
  // During start-up embedded-postgres.ts's own signal handlers stop the server and remove its directory on Ctrl-C.
  const postgres = await startPostgres(17, autoExplainSettings(17, 'jsonlog'));
  // From here on Ctrl-C is the normal way out: replace those emergency handlers with the orderly stop below.
  let stopRequested = false;
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      // `on`, not `once`: a second signal while stopping must find a listener too (see serve).
      process.on(signal, () => {
        stopRequested = true;
        resolve();
      });
    }
  });
  const secrets = mkdtempSync(join(tmpdir(), 'db_sentinel-demo-'));
  const cleanups: Array<() => Promise<void>> = [async () => postgres.stop(), async () => rmSync(secrets, { recursive: true, force: true })];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.reverse()) {
      await step().catch((error: unknown) => say(`cleanup: ${errorMessage(error)}`));
    }
  };
  try {
    say(`PostgreSQL ${postgres.version} on port ${postgres.port} (data in ${postgres.dir}); `
      + 'creating the shop schema and running the workload ...');
    await postgres.query('CREATE DATABASE shop');
    // A monitoring role as an SRE would create it: pg_monitor (reads pg_stat_statements and, 16+, finds the server
    // log through pg_current_logfile()), password in a file, never in the URL.
    const password = `demo-${process.pid}-${Date.now()}`;
    // pg_read_all_data (14+): EXPLAIN of what the log does not cover needs SELECT on the tables.
    await postgres.createRole('db_sentinel', password, ['pg_monitor', 'pg_read_all_data'], 'shop');
    await createPlantedSchema(postgres, 'shop');
    await runPlantedWorkload(postgres, 'shop');
    if (stopRequested) return;
    say('workload done (bound parameters, auto_explain logging every plan): '
      + `${PLANTED_SCENARIOS.map((scenario) => `${scenario.name} x${scenario.calls}`).join(', ')}`);
    // Other users' statements are planned as this NOLOGIN role with SELECT only (explain.role), never as db_sentinel.
    for (const statement of [`CREATE ROLE ${EXPLAIN_ROLE} NOLOGIN`, `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${EXPLAIN_ROLE}`,
      `GRANT ${EXPLAIN_ROLE} TO db_sentinel`]) {
      await postgres.query(statement, [], 'shop');
    }
    const passwordFile = join(secrets, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    const config = parseConfig({
      databases: [{ name: 'shop', engine: 'postgresql',
        url: `postgresql://db_sentinel@127.0.0.1:${postgres.port}/shop`, password_file: passwordFile }],
      server: { interval_seconds: INTERVAL_SECONDS },
      explain: { role: EXPLAIN_ROLE, cache_file: join(secrets, 'plan-cache.json') },
      state_dir: secrets,
    }, '(demo)');

    const planCache = new PlanCache();
    const serving = await startReportServer({
      collect: analyzerCollection(config, HOST_ROOTS, planCache),
      intervalMs: INTERVAL_SECONDS * 1000,
      security: { allowUnauthenticated: false },
      log: (line) => say(`demo: ${line}`),
      bind: (server) => listenSomewhere(server, address, values.listen !== undefined),
    });
    const { bound, loop } = serving;
    cleanups.push(() => serving.stop());
    const url = `http://${bound.host}:${bound.port}`;
    say(`\nserving ${url}/report (JSON) and ${url}/metrics (Prometheus), refreshed every ${INTERVAL_SECONDS} s; Ctrl-C stops`);
    say(`  try: curl -s ${url}/metrics | grep slow_query`);
    await loop.start();
    const first = loop.current();
    if (first) say(`\n${summarize(first.report)}`);

    await stopped;
    say('\nstopping: server, collection, PostgreSQL ...');
  } finally {
    await cleanup();
  }
  say('stopped; temporary files removed');
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    if (error instanceof InfoRequested) {
      process.stdout.write(error.text);
      return;
    }
    process.stderr.write(`demo failed: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
