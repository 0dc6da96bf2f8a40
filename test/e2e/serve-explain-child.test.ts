// The daemon's plans come from its EXPLAIN child (build/db_explain.js, issue 14): db_analyzer serve, as shipped, on a
// real PostgreSQL 17 with the workload in its top 10 and the agent set up as the README says (pg_monitor plus
// explain.role). With db_explain.js beside db_analyzer.js the slow queries get plans, made under the explain role;
// with db_analyzer.js alone (no child to start) the same daemon plans nothing and every plan names the missing
// child, so the plans cannot come from the daemon's own process — whose bundle holds no SQL parser at all.
// Under Node 20 and the hosts' Node 18.20.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatabaseReport, Report } from '../../src/core/report';
import { PlanCache } from '../../src/explain';
import { explainChildRunner, type ExplainJobRunner } from '../../src/explain/child-process';
import { buildContext } from '../../src/cli/common';
import { createDatabasesCollector, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import { spawnCommand } from '../../src/sources/spawn';
import { waitUntil } from '../../src/demo/local-server';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import { NODE18, ROOT, startServe } from '../harness/serve-process';
import { matchesMarker, runPostgresWorkload, type WorkloadResult } from '../harness/workload';

const EXPLAIN_ROLE = 'db_sentinel_explain';

describe('db_analyzer serve: plans from the EXPLAIN child', () => {
  let pg: PostgresServer;
  let workload: WorkloadResult;
  let setup: TestConfig;
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-explain-child-'));
  const withChild = join(dir, 'with-child');
  const alone = join(dir, 'alone');

  before(async () => {
    pg = await startPostgres(17);
    workload = await runPostgresWorkload(pg);
    const url = await pg.createRole('db_sentinel', 'agent-pw', ['pg_monitor']);
    await pg.query(`CREATE ROLE ${EXPLAIN_ROLE} NOLOGIN`);
    await pg.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${EXPLAIN_ROLE}`);
    await pg.query(`GRANT ${EXPLAIN_ROLE} TO db_sentinel`);
    setup = testConfig([{ name: 'main', engine: 'postgresql', url }]);
    for (const [target, bundles] of [[withChild, ['db_analyzer', 'db_explain']], [alone, ['db_analyzer']]] as const) {
      mkdirSync(target);
      for (const bundle of bundles) copyFileSync(join(ROOT, 'build', `${bundle}.js`), join(target, `${bundle}.js`));
    }
  });

  after(async () => {
    await pg?.stop();
    setup?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  async function servedReport(bundleDir: string, node: string, label: string): Promise<Report> {
    const stateDir = mkdtempSync(join(dir, `state-${label}-`));
    const config = join(stateDir, 'config.json');
    writeFileSync(config, JSON.stringify({
      ...setup.document, state_dir: stateDir, server: { interval_seconds: 3600 },
      explain: { role: EXPLAIN_ROLE, cache_file: join(stateDir, 'plan-cache.json') },
    }), { mode: 0o600 });
    const serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], node, 120_000, [], process.env, bundleDir);
    try {
      return await waitUntil(`${label}: the first report`, async () => {
        const response = await fetch(`${serve.url}/report`);
        return response.status === 200 ? (await response.json()) as Report : undefined;
      }, 300_000);
    } finally {
      assert.equal(await serve.stop(), 0, serve.stderr());
    }
  }

  it("db_analyzer.js holds no SQL parser: libpg-query's WASM and node-sql-parser are only in db_explain.js", () => {
    const analyzer = readFileSync(join(ROOT, 'build', 'db_analyzer.js'), 'latin1');
    const child = readFileSync(join(ROOT, 'build', 'db_explain.js'), 'latin1');
    for (const module of ['libpg-query', 'node-sql-parser/build/mysql', 'node-sql-parser/build/mariadb']) {
      assert.ok(analyzer.includes(`${module} is not in this bundle`), `db_analyzer.js lacks the stand-in of ${module}`);
    }
    // libpg-query's WASM (base64 of its "\0asm" magic) and node-sql-parser's grammar (its SyntaxError class).
    for (const marker of ['AGFzbQ', 'SyntaxError']) {
      assert.ok(!analyzer.includes(marker), `db_analyzer.js contains ${marker}`);
      assert.ok(child.includes(marker), `db_explain.js lacks ${marker}`);
    }
  });

  for (const [label, node] of [['node20', process.execPath], ['node18', NODE18]] as const) {
    it(`${label}: with db_explain.js the workload's statements are planned`, async () => {
      const report = await servedReport(withChild, node, `${label}-with-child`);
      const database = report.databases.find((db) => db.name === 'main');
      assert.ok(database?.up, JSON.stringify(database));
      const workloadPlans = database.slow_queries.filter((query) => workload.queries.some((item) => matchesMarker(query.query, item.marker)));
      assert.ok(workloadPlans.length >= 3, `workload statements in the top 10: ${database.slow_queries.map((query) => query.query).join(' | ')}`);
      for (const query of workloadPlans) {
        assert.ok(query.plan !== undefined && ['generic_explain', 'explain_analyze', 'explain'].includes(query.plan.method),
          `${query.query}: ${JSON.stringify(query.plan?.method)} ${query.plan?.reason ?? ''}`);
      }
      assert.ok(workloadPlans.some((query) => (query.plan?.findings ?? []).some((finding) => finding.rule === 'seq_scan_filter')),
        'the unindexed filter is found in a plan made by the child');
      assert.ok(!database.problems.some((problem) => problem.code === 'explain_process_failed'), JSON.stringify(database.problems));
    });
  }

  it('a cycle whose plans are all cached starts no child; a failing child leaves the cached plans and names why', async () => {
    const stateDir = mkdtempSync(join(dir, 'state-cycles-'));
    const cycles = testConfig([{ name: 'main', engine: 'postgresql', url: pg.url('postgres', 'db_sentinel', 'agent-pw') }],
      { state_dir: stateDir, explain: { role: EXPLAIN_ROLE, cache_file: join(stateDir, 'plan-cache.json') } });
    try {
      const real = explainChildRunner(join(ROOT, 'build', 'db_explain.js'));
      let started = 0;
      let failing = false;
      const explainChild: ExplainJobRunner = (job, timeoutMs) => {
        started += 1;
        return failing ? Promise.reject(new Error('child failed on purpose (test)')) : real(job, timeoutMs);
      };
      const planCache = new PlanCache();
      const collector = createDatabasesCollector({ planCache, openers: DEFAULT_OPENERS, explainChild });
      const context = buildContext(cycles.config, spawnCommand);
      const planned = async (): Promise<DatabaseReport> => {
        const database = (await collector.collect(context)).databases?.[0];
        assert.ok(database?.up, JSON.stringify(database));
        return database;
      };
      const first = await planned();
      assert.equal(started, 1);
      assert.ok(first.slow_queries.length > 0 && first.slow_queries.every((query) => query.plan !== undefined && query.plan.method !== 'skipped'),
        JSON.stringify(first.slow_queries.map((query) => [query.query, query.plan?.method, query.plan?.reason])));
      // Every plan cached (generic plans for 300 s): the next cycle uses them and starts nothing.
      const second = await planned();
      assert.equal(started, 1, 'a second child was started although every plan was cached');
      assert.deepEqual(second.slow_queries.map((query) => query.plan?.captured_at), first.slow_queries.map((query) => query.plan?.captured_at));
      // A query without a cached plan needs the child; when it fails, the cached plans stay and the rest say why.
      const dropped = planCache.unexpiredOf('main', Date.now()).find((entry) => entry.key.endsWith(`\u0000${first.slow_queries[0]!.id}`));
      assert.ok(dropped !== undefined);
      planCache.restore([{ ...dropped, expiresAt: 0 }]);
      failing = true;
      const third = await planned();
      assert.equal(started, 2);
      assert.equal(third.slow_queries[0]?.plan?.method, 'skipped');
      assert.match(third.slow_queries[0]?.plan?.reason ?? '', /child failed on purpose \(test\); tried again next cycle/);
      assert.ok(third.slow_queries.slice(1).every((query) => query.plan?.method !== 'skipped'), 'the cached plans were kept');
      assert.match(third.problems.find((problem) => problem.code === 'explain_process_failed')?.message ?? '', /child failed on purpose/);
    } finally {
      cycles.cleanup();
    }
  });

  it('without db_explain.js the daemon plans nothing: each plan names the missing child, and the database says so', async () => {
    const report = await servedReport(alone, process.execPath, 'alone');
    const database = report.databases.find((db) => db.name === 'main');
    assert.ok(database?.up && database.slow_queries.length > 0, JSON.stringify(database));
    for (const query of database.slow_queries) {
      assert.equal(query.plan?.method, 'skipped', `${query.query}: ${JSON.stringify(query.plan)}`);
      assert.match(query.plan?.reason ?? '', /the EXPLAIN child .*db_explain\.js cannot be read \(ENOENT\): deploy it beside db_analyzer\.js/);
    }
    const problem = database.problems.find((item) => item.code === 'explain_process_failed');
    assert.match(problem?.message ?? '', /db_explain\.js cannot be read/);
  });
});
