// Executed plans for the top 10 without re-running anything: real PostgreSQL 15 and 17 (jsonlog) and 13 (csvlog)
// with auto_explain on as the Salt state sets it, the planted workload (src/demo/planted-workload.ts: eight
// known problems, one an UPDATE, and two healthy statements) sent through the pg driver with bound parameters. The
// database collector finds the log through pg_current_logfile() as a pg_monitor role, and:
//   - at least 9 of the top 10 carry plan.method "auto_explain", with the duration and (16+) the parameters;
//   - every planted problem is found on its statement, and the healthy ones raise no warning or critical finding;
//   - nothing was re-executed: pg_stat_statements calls of every statement are the same before and after.
// Then the log reading edge on a live server: a second cycle reads only what is new (state file), a log of another
// cluster matches nothing, and the built bundle run as a user who may not read the log names the problem. On 17,
// serve's collector with the built EXPLAIN child, cycle after cycle: a child reads the log only every
// explain.server_log_interval_seconds, the logged plans standing in between; and the built serve, its children
// counted, starts one child in six cycles or more while the log is not due.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chownSync, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from 'js-yaml';
import { collectDatabase, createDatabasesCollector } from '../../src/collectors/db/databases';
import { parseConfig, type DatabaseConfig, type ExplainConfig } from '../../src/core/config';
import type { DatabaseReport, Report, SlowQuery } from '../../src/core/report';
import { openPostgres } from '../../src/sources/postgres';
import { sleep, systemUser, waitUntil } from '../../src/demo/local-server';
import { startPostgres, type PostgresMajor, type PostgresServer } from '../../src/demo/embedded-postgres';
import { autoExplainSettings, createPlantedSchema, PLANTED_SCENARIOS, runPlantedWorkload } from '../../src/demo/planted-workload';
import { matchesMarker } from '../harness/workload';
import { assertValidReport } from '../harness/report-schema';
import { startServe } from '../harness/serve-process';
import { PlanCache } from '../../src/explain';
import { explainChildRunner } from '../../src/explain/child-process';
import { buildContext } from '../../src/cli/common';
import { spawnCommand } from '../../src/sources/spawn';

/** The plan cache of this file's collections (one per process, as serve keeps one). */
const planCache = new PlanCache();

const REPO = resolve(__dirname, '..', '..');
const LIMITS = { limit: 10, min_calls: 2 };

async function callsByQuery(server: PostgresServer): Promise<Map<string, number>> {
  const rows = await server.query<{ queryid: string; calls: string }>(
    "SELECT queryid::text AS queryid, calls::text AS calls FROM pg_stat_statements WHERE query NOT LIKE '%db_sentinel%' AND query NOT LIKE '%pg_stat_statements%'", [], 'shop');
  return new Map(rows.map((row) => [row.queryid, Number(row.calls)]));
}

/** Waits until the logging collector has written the workload's last statement (its plan and its timed line). */
async function waitForLog(server: PostgresServer, extension: string, occurrences = 2): Promise<void> {
  const logDir = join(server.dir, 'data', 'log');
  const last = PLANTED_SCENARIOS[PLANTED_SCENARIOS.length - 1]?.sql ?? '';
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const text = existsSync(logDir) ? readdirSync(logDir).filter((file) => file.endsWith(extension))
      .map((file) => readFileSync(join(logDir, file), 'utf8')).join('') : '';
    if ((text.split(last.split(' BETWEEN')[0] as string).length - 1) >= occurrences) return;
    await sleep(100);
  }
  throw new Error(`the server log of PostgreSQL ${server.major} never showed the workload's last statement`);
}

function scenarioQuery(queries: SlowQuery[], marker: string): SlowQuery | undefined {
  return queries.find((query) => matchesMarker(query.query, marker));
}

for (const [major, destination, extension] of [[17, 'jsonlog', '.json'], [15, 'jsonlog', '.json'], [13, 'csvlog', '.csv']] as const) {
  describe(`auto_explain plans from the server log: PostgreSQL ${major} ${destination}`, () => {
    let server: PostgresServer;
    let dir: string;
    let database: DatabaseConfig;
    let explain: ExplainConfig;
    let report: DatabaseReport;
    let callsBefore: Map<string, number>;
    let callsAfter: Map<string, number>;

    before(async () => {
      server = await startPostgres(major as PostgresMajor, autoExplainSettings(major, destination));
      dir = mkdtempSync(join(tmpdir(), 'db_sentinel-autoexplain-'));
      await server.query('CREATE DATABASE shop');
      const password = `sentinel-${process.pid}`;
      // A monitoring role that could re-run the statements (SELECT on the tables): nothing must be re-run anyway.
      await server.createRole('db_sentinel', password, major >= 14 ? ['pg_monitor', 'pg_read_all_data'] : ['pg_monitor'], 'shop');
      await createPlantedSchema(server, 'shop');
      if (major < 14) await server.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO db_sentinel', [], 'shop');
      // pg_monitor may call pg_current_logfile() from 16 on; before, the grant the problem's remedy names.
      if (major < 16) await server.query('GRANT EXECUTE ON FUNCTION pg_current_logfile(text) TO db_sentinel', [], 'shop');
      await runPlantedWorkload(server, 'shop');
      await waitForLog(server, extension);
      const passwordFile = join(dir, 'password');
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
      const config = parseConfig({
        databases: [{ name: 'shop', engine: 'postgresql', url: `postgresql://db_sentinel@127.0.0.1:${server.port}/shop`, password_file: passwordFile }],
        explain: { cache_file: join(dir, 'plan-cache.json') },
        state_dir: dir,
      }, '(test)');
      database = config.databases[0] as DatabaseConfig;
      explain = config.explain;
      callsBefore = await callsByQuery(server);
      report = await collectDatabase(database, LIMITS, openPostgres, { config: explain, cache: planCache }, { stateDir: dir });
      callsAfter = await callsByQuery(server);
    });
    after(async () => {
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('at least 9 of the top 10 carry an executed plan from auto_explain, and the report is valid', (t) => {
      assert.equal(report.up, true, report.error);
      assert.equal(report.slow_queries.length, 10, report.slow_queries.map((query) => query.query).join('\n'));
      const observed = report.slow_queries.filter((query) => query.plan?.method === 'auto_explain');
      assert.ok(observed.length >= 9, `${observed.length} of 10 from auto_explain: ${report.slow_queries.map((query) => `${query.plan?.method} ${query.query}`).join('\n')}
problems: ${JSON.stringify(report.problems)}`);
      t.diagnostic(`${observed.length} of ${report.slow_queries.length} plans from auto_explain`);
      for (const query of observed) {
        assert.ok((query.plan?.duration_ms ?? -1) >= 0, 'the logged duration');
        assert.match(query.plan?.captured_at ?? '', /^\d{4}-\d\d-\d\dT/);
        if (major >= 16) assert.match(query.plan?.parameters ?? '', /^\$1 = /, `parameters of ${query.query}`);
      }
      assert.deepEqual(report.problems.filter((problem) => problem.code.startsWith('server_log') || problem.code.startsWith('auto_explain')), []);
      assertValidReport({ schema_version: 1, host: 'test', collected_at: new Date().toISOString(), duration_seconds: 0, status: 'ok', checks: [], collectors: [], os: {}, databases: [report] }, 'report');
    });

    it('finds every planted problem on its statement (the UPDATE too), and nothing on the healthy ones', () => {
      for (const scenario of PLANTED_SCENARIOS) {
        const query = scenarioQuery(report.slow_queries, scenario.marker);
        assert.ok(query, `${scenario.name} is in the top 10`);
        const findings = query.plan?.findings ?? [];
        if (scenario.rule === null) {
          // The issue's "Done when": healthy statements raise nothing, not even an info finding.
          assert.deepEqual(findings.map((finding) => `${finding.rule} ${finding.severity}`), [], `${scenario.name} is healthy`);
          assert.equal(query.plan?.method, 'auto_explain', `${scenario.name}: judged on its executed plan`);
        } else {
          assert.ok(findings.some((finding) => finding.rule === scenario.rule),
            `${scenario.name}: expected ${scenario.rule} in ${JSON.stringify(findings.map((finding) => finding.rule))} (${query.plan?.method})`);
          // Found on what its author's execution did, not on a re-plan.
          assert.equal(query.plan?.method, 'auto_explain', `${scenario.name}: found on its executed plan`);
        }
      }
    });

    it('re-executed nothing: pg_stat_statements calls are unchanged', () => {
      for (const [queryid, calls] of callsBefore) assert.equal(callsAfter.get(queryid), calls, `calls of ${queryid}`);
    });

    it('a second cycle reads only the new part of the log (state file) and keeps the plans', async () => {
      const state = join(dir, 'server-log-shop.json');
      assert.ok(existsSync(state));
      const first = JSON.parse(readFileSync(state, 'utf8')) as { position: { offset: number } };
      const again = await collectDatabase(database, LIMITS, openPostgres, { config: explain, cache: planCache }, { stateDir: dir });
      const second = JSON.parse(readFileSync(state, 'utf8')) as { position: { offset: number } };
      assert.ok(second.position.offset >= first.position.offset);
      assert.ok(again.slow_queries.filter((query) => query.plan?.method === 'auto_explain').length >= 9);
    });

    if (major === 17) {
      it('db_analyzer serve: the built EXPLAIN child starts for the log only every server_log_interval_seconds', async () => {
        // serve's database collector, made once as serve makes it, with the real child (build/db_explain.js) counted,
        // cycles a minute apart on a clock the test sets: the logged plans are cached between reads.
        const stateDir = mkdtempSync(join(tmpdir(), 'db_sentinel-logread-'));
        try {
          const config = parseConfig({
            databases: [{ name: 'shop', engine: 'postgresql', url: database.url, password_file: database.password_file }],
            explain: { cache_file: join(stateDir, 'plan-cache.json'), server_log_interval_seconds: 300 },
            state_dir: stateDir,
          }, '(test)');
          const child = explainChildRunner(join(REPO, 'build', 'db_explain.js'));
          const startedAt = Date.now();
          let clockMs = startedAt;
          const starts: number[] = [];
          const collector = createDatabasesCollector({
            planCache: new PlanCache(),
            explainChild: (job, timeoutMs) => {
              starts.push((clockMs - startedAt) / 1000);
              return child(job, timeoutMs);
            },
          });
          const context = { ...buildContext(config, spawnCommand), now: () => new Date(clockMs) };
          for (let t = 0; t <= 300; t += 60) {
            clockMs = startedAt + t * 1000;
            const shop = (await collector.collect(context)).databases?.[0];
            assert.ok(shop?.up, JSON.stringify(shop));
            const observed = shop.slow_queries.filter((query) => query.plan?.method === 'auto_explain');
            assert.ok(observed.length >= 9, `cycle at ${t}: ${shop.slow_queries.map((query) => `${query.plan?.method} ${query.query}`).join('\n')}`);
            assert.deepEqual(shop.problems.filter((problem) => /^(server_log|auto_explain|explain_)/.test(problem.code)), [], `cycle at ${t}`);
          }
          assert.deepEqual(starts, [0, 300], 'a child at the first cycle and when the log was due again, none between');
        } finally {
          rmSync(stateDir, { recursive: true, force: true });
        }
      });

      it('db_analyzer serve as built, cycle after cycle: one EXPLAIN child, at the first cycle, while the log is not due', async () => {
        // The daemon's children counted by a db_explain.js of the test's, beside db_analyzer.js, that notes each start
        // and runs the real bundle. Cycles every second, the log due again only after an hour: whatever the machine's
        // pace, every cycle after the first finds its plans cached and starts nothing.
        const runDir = mkdtempSync(join(tmpdir(), 'db_sentinel-serve-logread-'));
        const starts = join(runDir, 'child-starts');
        try {
          mkdirSync(join(runDir, 'real'));
          copyFileSync(join(REPO, 'build', 'db_analyzer.js'), join(runDir, 'db_analyzer.js'));
          copyFileSync(join(REPO, 'build', 'db_explain.js'), join(runDir, 'real', 'db_explain.js'));
          writeFileSync(join(runDir, 'db_explain.js'),
            `require('node:fs').appendFileSync(${JSON.stringify(starts)}, 'start\\n');\nrequire('./real/db_explain.js');\n`);
          const configFile = join(runDir, 'config.json');
          writeFileSync(configFile, JSON.stringify({
            databases: [{ name: 'shop', engine: 'postgresql', url: database.url, password_file: database.password_file }],
            slow_queries: LIMITS, state_dir: runDir, server: { interval_seconds: 1 },
            explain: { cache_file: join(runDir, 'plan-cache.json'), server_log_interval_seconds: 3600 },
          }), { mode: 0o600 });
          const serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], process.execPath, 120_000, [], process.env, runDir);
          const cycles = new Set<string>();
          try {
            await waitUntil('six collection cycles of serve', async () => {
              const response = await fetch(`${serve.url}/report`);
              if (response.status !== 200) return undefined;
              const served = (await response.json()) as Report;
              const shop = served.databases[0];
              assert.ok(shop?.up, JSON.stringify(shop));
              assert.ok(shop.slow_queries.filter((query) => query.plan?.method === 'auto_explain').length >= 9,
                shop.slow_queries.map((query) => `${query.plan?.method} ${query.query}`).join('\n'));
              assert.deepEqual(shop.problems.filter((problem) => /^(server_log|auto_explain|explain_)/.test(problem.code)), []);
              cycles.add(served.collected_at);
              return cycles.size >= 6 ? true : undefined;
            }, 300_000, 200);
          } finally {
            assert.equal(await serve.stop(), 0, serve.stderr());
          }
          assert.equal(readFileSync(starts, 'utf8'), 'start\n', `one child in ${cycles.size} or more cycles`);
        } finally {
          rmSync(runDir, { recursive: true, force: true });
        }
      });

      it('a log of another cluster matches nothing: no plan comes from it', async () => {
        const other = join(dir, 'other-cluster');
        rmSync(other, { recursive: true, force: true });
        const otherDir = mkdtempSync(join(tmpdir(), 'db_sentinel-othercluster-'));
        // The fixture log of a different PostgreSQL 15 cluster: its query ids are not this cluster's.
        writeFileSync(join(otherDir, 'postgresql.json'), readFileSync(join(REPO, 'test', 'fixtures', 'pglog', 'postgresql-15-jsonlog.json')));
        const elsewhere: DatabaseConfig = { ...database, name: 'shop-other', server_log: join(otherDir, '*.json') };
        const result = await collectDatabase(elsewhere, LIMITS, openPostgres, { config: explain, cache: planCache }, { stateDir: otherDir });
        rmSync(otherDir, { recursive: true, force: true });
        assert.equal(result.slow_queries.filter((query) => query.plan?.method === 'auto_explain').length, 0);
      });

      it('the bundle run as a user who may not read the log names the problem with the remedy', () => {
        const nobody = systemUser('nobody');
        const runDir = mkdtempSync(join(tmpdir(), 'db_sentinel-nobody-'));
        chmodSync(runDir, 0o755);
        const passwordFile = join(runDir, 'password');
        writeFileSync(passwordFile, `${readFileSync(database.password_file as string, 'utf8')}`, { mode: 0o600 });
        chownSync(passwordFile, nobody.uid, nobody.gid);
        chownSync(runDir, nobody.uid, nobody.gid);
        const configFile = join(runDir, 'config.yml');
        writeFileSync(configFile, dump({
          databases: [{ name: 'shop', engine: 'postgresql', url: database.url, password_file: passwordFile }],
          explain: { cache_file: join(runDir, 'plan-cache.json'), budget_seconds: 0 },
          state_dir: runDir,
        }), { mode: 0o644 });
        const result = spawnSync(process.execPath, [join(REPO, 'build', 'db_analyzer.js'), 'report', '--config', configFile],
          { uid: nobody.uid, gid: nobody.gid, encoding: 'utf8', cwd: '/', timeout: 120_000 });
        rmSync(runDir, { recursive: true, force: true });
        assert.equal(result.status, 0, result.stderr);
        const printed = JSON.parse(result.stdout) as { databases: DatabaseReport[] };
        const problem = printed.databases[0]?.problems.find((item) => item.code === 'server_log_unreadable');
        assert.ok(problem, JSON.stringify(printed.databases[0]?.problems));
        assert.match(problem.message, /EACCES/);
        assert.match(problem.remedy ?? '', /log_file_mode/);
      });
    }
  });
}

// Item 2: where auto_explain logs nothing, log_min_duration_statement's lines with their `Parameters:` become complete
// literal samples, and the gated re-execution path runs EXPLAIN ANALYZE with the real values instead of keeping a
// generic plan (which gave way at once: it was cached before the samples arrived).
describe('literal samples from timed statements in the server log: PostgreSQL 17', () => {
  let server: PostgresServer;
  let dir: string;
  let first: DatabaseReport;
  let second: DatabaseReport;

  before(async () => {
    server = await startPostgres(17, { logging_collector: 'on', log_destination: 'jsonlog', log_min_duration_statement: '0' });
    dir = mkdtempSync(join(tmpdir(), 'db_sentinel-samples-'));
    await server.query('CREATE DATABASE shop');
    const password = `sentinel-${process.pid}`;
    await server.createRole('db_sentinel', password, ['pg_monitor', 'pg_read_all_data'], 'shop');
    await createPlantedSchema(server, 'shop');
    await runPlantedWorkload(server, 'shop');
    await waitForLog(server, '.json', 1);
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'empty.json'), '');
    const config = parseConfig({
      databases: [{ name: 'shop-samples', engine: 'postgresql', url: `postgresql://db_sentinel@127.0.0.1:${server.port}/shop`, password_file: passwordFile }],
      explain: { cache_file: join(dir, 'plan-cache.json') },
    }, '(test)');
    const database = config.databases[0] as DatabaseConfig;
    // First a log with nothing in it: generic plans, cached. A top 20: the gate's own catalog statements are not
    // tagged yet and may rank among these ten.
    const limits = { limit: 20, min_calls: 2 };
    first = await collectDatabase({ ...database, server_log: join(dir, 'empty.json') }, limits, openPostgres, { config: config.explain, cache: planCache }, { stateDir: dir });
    second = await collectDatabase(database, limits, openPostgres, { config: config.explain, cache: planCache }, { stateDir: dir });
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('without samples the top 10 had generic plans; with the logged parameters they get EXPLAIN ANALYZE', () => {
    assert.ok(first.slow_queries.filter((query) => query.plan?.method === 'generic_explain').length >= 8,
      first.slow_queries.map((query) => `${query.plan?.method} ${query.query}`).join('\n'));
    for (const scenario of PLANTED_SCENARIOS.filter((item) => !item.sql.startsWith('UPDATE'))) {
      const query = scenarioQuery(second.slow_queries, scenario.marker);
      assert.ok(query, `${scenario.name} ranked: ${second.slow_queries.map((item) => `${item.calls} ${item.plan?.method} ${item.query}`).join('\n')}`);
      assert.equal(query.sample_source, 'server_log', scenario.name);
      assert.ok(query.sample !== null && !query.sample.includes('$'), `${scenario.name}: literal sample ${query.sample}`);
      assert.equal(query.plan?.method, 'explain_analyze', `${scenario.name}: ${query.plan?.reason}`);
      if (scenario.rule !== null && !['sort_spill', 'hash_spill', 'lossy_bitmap', 'workers_not_launched', 'nested_loop_inner_loops'].includes(scenario.rule)) {
        // Rules that need the author's session settings (work_mem, planner switches) cannot fire on a re-run in
        // the agent's session: that is what auto_explain is for.
        assert.ok(query.plan?.findings.some((finding) => finding.rule === scenario.rule), `${scenario.name}: ${JSON.stringify(query.plan?.findings)}`);
      }
    }
    assert.ok(second.problems.some((problem) => problem.code === 'auto_explain_off'), JSON.stringify(second.problems));
  });

  it('an UPDATE with a literal sample is still refused by the EXPLAIN gate (never executed)', () => {
    const update = scenarioQuery(second.slow_queries, 'UPDATE orders SET status = status WHERE customer_id =');
    assert.ok(update);
    assert.equal(update.plan?.method, 'skipped');
  });
});
