// MariaDB 10.11 (Debian's mariadbd) with server-side prepared statements (mysql2 execute()) and the slow query log
// on (log_slow_verbosity=query_plan,explain): the collector ranks the prepared statements beside the digests, and
// the slow log gives them (and the text statements) a literal sample and the plan of a real execution
// (plan.method slow_log), so EXPLAIN re-runs none of them. With the log off the prepared statements are still ranked;
// a closed connection takes its prepared statements' counters with it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'mysql2/promise';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import { gateMysql } from '../../src/explain/gate/mysql';
import { DEFAULT_EXPLAIN, type ExplainConfig } from '../../src/core/config';
import type { DatabaseReport } from '../../src/core/report';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { matchesMarker, runMariadbPreparedWorkload, runMariadbWorkload, type WorkloadQuery } from '../harness/workload';
import { PlanCache } from '../../src/explain';

/** The plan cache of this file's collections (one per process, as serve keeps one). */
const planCache = new PlanCache();

const limits = { limit: 10, min_calls: 2 };
const EXPLAIN: ExplainConfig = { ...DEFAULT_EXPLAIN, statement_timeout_ms: 5000, budget_seconds: 120 };

describe('MariaDB 10.11: prepared statements and the slow query log', () => {
  let db: MariadbServer;
  let setup: TestConfig;
  let stateDir: string;
  let prepared: { connection: Connection; queries: WorkloadQuery[] };
  let text: WorkloadQuery[];
  let report: DatabaseReport;

  before(async () => {
    db = await startMariadb();
    stateDir = mkdtempSync(join(tmpdir(), 'db_sentinel-state-'));
    await db.query('SET GLOBAL slow_query_log_file = ?', [join(db.dir, 'slow.log')]);
    await db.query('SET GLOBAL long_query_time = 0.005');
    await db.query("SET GLOBAL log_slow_verbosity = 'query_plan,explain'");
    await db.query('SET GLOBAL slow_query_log = ON');
    text = (await runMariadbWorkload(db)).queries;
    prepared = await runMariadbPreparedWorkload(db);
    const monitor = await db.createUser('sentinel', 'monitor secret', ['PROCESS ON *.*', 'SELECT ON performance_schema.*', 'SELECT ON shop.*']);
    setup = testConfig([
      { name: 'main', engine: 'mysql', url: monitor },
      { name: 'nolog', engine: 'mysql', url: monitor, slow_log: 'off' },
    ]);
    report = await collectDatabase(setup.config.databases[0]!, limits, DEFAULT_OPENERS.mysql, { config: EXPLAIN, cache: planCache }, { stateDir });
  });
  after(async () => {
    await prepared?.connection.end();
    setup?.cleanup();
    await db?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('ranks the prepared statements (execute()) beside the digests, by mean and by total', () => {
    assert.deepEqual(report.problems, []);
    for (const name of ['prepared_unindexed_filter', 'prepared_join_filter', 'prepared_lookup']) {
      const expected = prepared.queries.find((query) => query.name === name)!;
      const found = report.slow_queries.find((query) => query.query === expected.marker);
      assert.ok(found, `${name} ranked: ${report.slow_queries.map((query) => query.query).join(' | ')}`);
      assert.equal(found.calls, expected.calls, name);
      assert.match(found.id, /^[0-9a-f]{32}$/);
      assert.equal(found.database, 'shop');
      assert.ok(found.mean_ms > 0 && found.total_ms >= found.mean_ms * found.calls * 0.999 && (found.max_ms ?? 0) >= found.mean_ms);
    }
    const scan = report.slow_queries.find((query) => query.query === prepared.queries[0]!.marker)!;
    assert.equal(scan.rows_examined, 5 * 200000, 'a full scan of orders per execution');
    assert.equal(scan.rows, 50);
    const ranked = report.slow_queries.map((query) => query.mean_ms);
    assert.deepEqual(ranked, [...ranked].sort((a, b) => b - a), 'one ranking, by mean');
    assert.ok(report.slow_queries.length <= limits.limit);
    assert.ok((report.slow_queries_by_total ?? []).some((query) => query.query === prepared.queries[0]!.marker));
    // The text-protocol workload is still there.
    for (const name of ['unindexed_filter', 'big_sort']) {
      const marker = text.find((query) => query.name === name)!.marker;
      assert.ok(report.slow_queries.some((query) => matchesMarker(query.query, marker)), name);
    }
  });

  it('gives prepared statements a literal sample and the executed plan from the slow log, without re-running them', () => {
    for (const name of ['prepared_unindexed_filter', 'prepared_join_filter']) {
      const found = report.slow_queries.find((query) => query.query === prepared.queries.find((item) => item.name === name)!.marker)!;
      assert.equal(found.sample_source, 'slow_log', name);
      assert.ok(found.sample !== null && !found.sample.includes('?'), `${name}: ${found.sample}`);
      assert.equal(found.plan?.method, 'slow_log', `${name}: ${JSON.stringify(found.plan)}`);
      assert.match(found.plan?.summary ?? '', /^executed plan from the slow query log: /);
      // The tabular EXPLAIN names tables by alias (orders o).
      assert.ok(found.plan?.findings.some((finding) => finding.rule === 'full_table_scan' && /^Full table scan on (orders|o)$/.test(finding.node)), `${name}: ${JSON.stringify(found.plan?.findings)}`);
    }
    // Text statements the slow log saw get its plan too (their history sample stays).
    const big = report.slow_queries.find((query) => matchesMarker(query.query, 'ORDER BY note DESC'))!;
    assert.equal(big.plan?.method, 'slow_log');
    assert.equal(big.sample_source, 'events_statements_history_long');
    assert.ok(big.plan?.findings.some((finding) => finding.rule === 'filesort'));
  });

  it('a write gets the plan of its execution from the slow log; EXPLAIN, which needs the write privilege, plans none', async () => {
    for (let run = 0; run < 3; run += 1) await db.query(`UPDATE shop.orders SET status = status WHERE customer_id = ${101 + run}`);
    const later = await collectDatabase(setup.config.databases[0]!, { limit: 50, min_calls: 2 }, DEFAULT_OPENERS.mysql, { config: EXPLAIN, cache: planCache }, { stateDir });
    const update = later.slow_queries.find((query) => /^UPDATE .*orders.* SET /.test(query.query));
    assert.ok(update, later.slow_queries.map((query) => query.query).join(' | '));
    assert.equal(update.plan?.method, 'slow_log', JSON.stringify(update.plan));
    assert.ok(update.plan?.findings.some((finding) => finding.rule === 'full_table_scan'), JSON.stringify(update.plan?.findings));
    // The gate's word on re-running it, had the log not covered it: not with a read-only account.
    const verdict = await gateMysql(update.sample ?? '', { flavor: 'mariadb', version: [10, 11, 0] }, { viewDefinitions: async () => [] });
    assert.match(verdict.reason, /UPDATE is not a SELECT: EXPLAIN of UPDATE needs UPDATE privilege, which the read-only agent does not hold/);
  });

  it('keeps its place in the log: a second cycle reads only what is new and keeps the observations', async () => {
    const again = await collectDatabase(setup.config.databases[0]!, limits, DEFAULT_OPENERS.mysql, { config: EXPLAIN, cache: planCache }, { stateDir });
    const scan = again.slow_queries.find((query) => query.query === prepared.queries[0]!.marker)!;
    assert.equal(scan.plan?.method, 'slow_log');
    assert.equal(scan.sample_source, 'slow_log');
  });

  it('with the slow log off: prepared statements ranked, no sample, and EXPLAIN cannot plan their ? text', async () => {
    const off = await collectDatabase(setup.config.databases[1]!, limits, DEFAULT_OPENERS.mysql, { config: EXPLAIN, cache: planCache }, { stateDir: join(stateDir, 'other') });
    const scan = off.slow_queries.find((query) => query.query === prepared.queries[0]!.marker);
    assert.ok(scan, 'ranked without the log');
    assert.equal(scan.sample, null);
    assert.equal(scan.plan?.method, 'skipped');
  });

  it('a closed connection takes its prepared statements out of the ranking', async () => {
    await prepared.connection.end();
    const closed = await collectDatabase(setup.config.databases[1]!, limits, DEFAULT_OPENERS.mysql, undefined, { stateDir: join(stateDir, 'other') });
    assert.ok(!closed.slow_queries.some((query) => prepared.queries.some((item) => item.marker === query.query)));
    assert.ok(closed.slow_queries.some((query) => matchesMarker(query.query, 'ORDER BY note DESC')));
  });
});
