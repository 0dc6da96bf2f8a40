// EXPLAIN safety and findings on real MariaDB 10.11 (Debian's mariadbd, harness). A hostile corpus of statements that
// write, lock or have side effects is run (and rolled back) until the statement digests rank it beside the workload;
// the database collector then explains its whole slow-query list (limit 50) with the literal samples it finds in
// the statement history, as a superuser; the corpus is also fed directly as samples (two statements in one text,
// a second statement behind a comment, version comments). Afterwards InnoDB row counters and per-table I/O counters
// (which count rolled-back work), the sequence, table checksums, user locks and files are unchanged, and every
// hostile entry is `skipped` or plain `explain` with its reason. The workload's own queries get real findings.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import { explainSlowQueries, PlanCache } from '../../src/analysis/explain';
import { withWatchdog } from '../../src/analysis/explain/mysql';
import { DEFAULT_EXPLAIN, type ExplainConfig } from '../../src/core/config';
import type { DatabaseReport, SlowQuery } from '../../src/core/report';
import { openMysql } from '../../src/sources/mysql';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { matchesMarker, runMariadbWorkload } from '../harness/workload';

const OUTFILE = join(tmpdir(), `db_sentinel-hostile-outfile-${process.pid}.txt`);

const HOSTILE_OBJECTS = [
  'CREATE TABLE hostile_audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(64)) ENGINE=InnoDB',
  "INSERT INTO hostile_audit (note) SELECT CONCAT('seed ', seq) FROM seq_1_to_100",
  'CREATE SEQUENCE hostile_seq',
  `CREATE FUNCTION hostile_touch() RETURNS INT MODIFIES SQL DATA
     BEGIN INSERT INTO hostile_audit (note) VALUES ('touched'); RETURN LAST_INSERT_ID(); END`,
  // Declared READS SQL DATA but writes: MariaDB does not enforce the declaration, so the gate refuses every stored function.
  `CREATE FUNCTION hostile_liar() RETURNS INT READS SQL DATA
     BEGIN INSERT INTO hostile_audit (note) VALUES ('lied'); RETURN 1; END`,
  `CREATE PROCEDURE hostile_proc() MODIFIES SQL DATA INSERT INTO hostile_audit (note) VALUES ('called')`,
  'CREATE VIEW hostile_view AS SELECT hostile_touch() AS touched',
  // READ ONLY does not stop a user lock, and the explaining connection is long-lived: the lock would stay held.
  "CREATE VIEW hostile_lock_view AS SELECT GET_LOCK('hostile_view_lock', 0) AS locked",
];

interface HostileStatement {
  sql: string;
  runs: boolean;
}

const HOSTILE: HostileStatement[] = [
  // Uncorrelated subqueries: scanned once (slow enough to rank), not once per outer row.
  { sql: 'DELETE FROM hostile_audit WHERE id < (SELECT COUNT(*) FROM orders o WHERE o.customer_id = 7)', runs: true },
  { sql: "UPDATE customers hostile SET name = CONCAT(name, '') WHERE id = 1 AND (SELECT COUNT(*) FROM orders WHERE note LIKE '%ff%') > 0", runs: true },
  { sql: 'INSERT INTO hostile_audit (note) SELECT note FROM orders WHERE customer_id = 9', runs: true },
  { sql: 'REPLACE INTO hostile_audit (id, note) SELECT id, note FROM orders WHERE customer_id = 11', runs: true },
  { sql: 'SELECT * FROM orders hostile WHERE customer_id = 13 FOR UPDATE', runs: true },
  { sql: 'SELECT * FROM orders hostile WHERE customer_id = 15 LOCK IN SHARE MODE', runs: true },
  { sql: 'SELECT id INTO @hostile_last FROM orders WHERE customer_id = 17 LIMIT 1', runs: true },
  { sql: `SELECT id FROM orders hostile WHERE customer_id = 19 INTO OUTFILE '${OUTFILE}'`, runs: false },
  { sql: 'SELECT NEXTVAL(hostile_seq), id FROM orders WHERE customer_id = 21', runs: true },
  { sql: 'SELECT SETVAL(hostile_seq, 1000), COUNT(*) FROM orders hostile', runs: true },
  { sql: 'SELECT NEXT VALUE FOR hostile_seq, id FROM orders WHERE customer_id = 23', runs: true },
  { sql: 'SELECT hostile_touch(), id FROM orders WHERE customer_id = 25', runs: true },
  { sql: 'SELECT hostile_liar(), id FROM orders WHERE customer_id = 27', runs: true },
  { sql: 'SELECT * FROM hostile_view', runs: true },
  { sql: 'SELECT * FROM hostile_lock_view', runs: false },
  { sql: 'CALL hostile_proc()', runs: true },
  { sql: 'SELECT SLEEP(0.02), COUNT(*) FROM orders hostile WHERE customer_id = 29', runs: true },
  { sql: "SELECT GET_LOCK('hostile_lock', 0), COUNT(*) FROM orders hostile", runs: false },
  { sql: 'SELECT BENCHMARK(1000, MD5(1)), COUNT(*) FROM orders hostile', runs: true },
  { sql: "SELECT LOAD_FILE('/etc/hostname'), COUNT(*) FROM orders hostile", runs: true },
  { sql: 'SELECT @hostile_n := COUNT(*) FROM orders WHERE customer_id = 31', runs: true },
  { sql: 'SELECT LAST_INSERT_ID(42), COUNT(*) FROM orders hostile', runs: true },
  { sql: 'ANALYZE DELETE FROM hostile_audit WHERE id < (SELECT COUNT(*) FROM orders WHERE customer_id = 33)', runs: true },
  { sql: 'EXPLAIN ANALYZE DELETE FROM hostile_audit WHERE id < 10', runs: false },
  { sql: 'CREATE TABLE hostile_ctas AS SELECT * FROM orders WHERE customer_id = 35', runs: false },
  { sql: 'TRUNCATE TABLE hostile_audit', runs: false },
  { sql: 'DO (SELECT COUNT(*) FROM hostile_audit)', runs: false },
  { sql: 'SELECT COUNT(*) FROM orders hostile; DELETE FROM hostile_audit', runs: false },
  { sql: 'SELECT COUNT(*) FROM orders hostile /* harmless */; DELETE FROM hostile_audit -- cleanup', runs: false },
  { sql: "SELECT COUNT(*) FROM orders hostile WHERE note = '#'; UPDATE customers SET name = 'x'", runs: false },
];

const EXPLAIN: ExplainConfig = { ...DEFAULT_EXPLAIN, statement_timeout_ms: 5000, budget_seconds: 120 };

interface Snapshot {
  innodbRows: Record<string, string>;
  tableIo: Record<string, string>;
  sequence: string;
  checksums: Record<string, string>;
  userLock: unknown;
  viewLock: unknown;
}

async function snapshot(db: MariadbServer): Promise<Snapshot> {
  const status = await db.query<{ Variable_name: string; Value: string }>("SHOW GLOBAL STATUS LIKE 'Innodb_rows_%'");
  const io = await db.query<{ name: string; counts: string }>(
    `SELECT OBJECT_NAME AS name, CONCAT(COUNT_INSERT, '/', COUNT_UPDATE, '/', COUNT_DELETE) AS counts
     FROM performance_schema.table_io_waits_summary_by_table WHERE OBJECT_SCHEMA = 'shop' ORDER BY OBJECT_NAME`);
  const [sequence] = await db.query<{ value: string }>('SELECT CONCAT(next_not_cached_value) AS value FROM shop.hostile_seq');
  const checksums: Record<string, string> = {};
  for (const table of ['orders', 'customers', 'events', 'hostile_audit']) {
    const [row] = await db.query<{ Checksum: string }>(`CHECKSUM TABLE shop.${table}`);
    checksums[table] = String(row?.Checksum);
  }
  const [lock] = await db.query<{ holder: unknown; view_holder: unknown }>(
    "SELECT IS_USED_LOCK('hostile_lock') AS holder, IS_USED_LOCK('hostile_view_lock') AS view_holder");
  return {
    innodbRows: Object.fromEntries(status.filter((row) => /inserted|updated|deleted/.test(row.Variable_name)).map((row) => [row.Variable_name, row.Value])),
    tableIo: Object.fromEntries(io.map((row) => [row.name, row.counts])),
    sequence: sequence?.value ?? '', checksums, userLock: lock?.holder ?? null, viewLock: lock?.view_holder ?? null,
  };
}

function isHostile(query: SlowQuery): boolean {
  return /hostile/i.test(query.query) || /hostile/i.test(query.sample ?? '');
}

describe('MariaDB: EXPLAIN safety and findings', () => {
  let db: MariadbServer;
  let setup: TestConfig;
  let before_: Snapshot;
  let after_: Snapshot;
  let report: DatabaseReport;
  const injected: SlowQuery[] = [];
  const runnable = HOSTILE.filter((statement) => statement.runs);

  before(async () => {
    db = await startMariadb();
    await runMariadbWorkload(db);
    const admin = await db.connect('shop');
    try {
      for (const statement of HOSTILE_OBJECTS) await admin.query(statement);
      for (const statement of runnable) {
        for (let run = 0; run < 2; run += 1) {
          await admin.query('START TRANSACTION');
          await admin.query(statement.sql);
          await admin.query('ROLLBACK');
        }
      }
    } finally {
      await admin.end();
    }
    before_ = await snapshot(db);
    setup = testConfig([{ name: 'shop', engine: 'mysql', url: db.url('shop') }]);
    const database = setup.config.databases[0]!;
    report = await collectDatabase(database, { limit: 50, min_calls: 2 }, DEFAULT_OPENERS.mysql, EXPLAIN);
    HOSTILE.forEach((statement, index) => injected.push({
      rank: index + 1, id: `hostile-${index}`, query: statement.sql, calls: 5, mean_ms: 50, total_ms: 250, max_ms: 60,
      rows: 5, rows_examined: 5000, sample: statement.sql, sample_source: 'test corpus',
    }));
    const session = await openMysql(database);
    try {
      await explainSlowQueries(injected, {
        database: 'shop', engine: 'mysql', session, config: EXPLAIN, cache: new PlanCache(), openWatchdog: () => openMysql(database),
      });
      // While the explaining connection is still open: a user lock lives as long as its session.
      after_ = await snapshot(db);
    } finally {
      await session.close();
    }
  });
  after(async () => {
    setup?.cleanup();
    await db?.stop();
  });

  it('collected the hostile statements into the slow-query ranking beside the workload', () => {
    assert.equal(report.up, true, report.error);
    const hostile = report.slow_queries.filter(isHostile);
    assert.ok(hostile.length >= runnable.length - 2, `${hostile.length} hostile entries ranked, ${runnable.length} statements run`);
    assert.ok(HOSTILE.length >= 25);
  });

  it('changed nothing: InnoDB row counters, table I/O counters, sequence, checksums, user locks, files', () => {
    assert.deepEqual(after_.innodbRows, before_.innodbRows);
    assert.deepEqual(after_.tableIo, before_.tableIo);
    assert.equal(after_.sequence, before_.sequence);
    assert.deepEqual(after_.checksums, before_.checksums);
    assert.equal(after_.userLock, null);
    assert.equal(after_.viewLock, null, 'a user lock taken through a view is held');
    assert.equal(existsSync(OUTFILE), false, 'SELECT INTO OUTFILE ran');
  });

  it('every hostile entry is skipped or plain explain, with its reason', () => {
    for (const query of [...report.slow_queries.filter(isHostile), ...injected]) {
      assert.ok(query.plan, `no plan for ${query.query}`);
      assert.ok(query.plan.method === 'skipped' || query.plan.method === 'explain', `${query.query} got ${query.plan.method}: ${query.plan.summary}`);
      assert.ok((query.plan.reason ?? '').length > 5, `no reason for ${query.query}`);
    }
    const reason = (text: string): string => injected.find((query) => query.sample === text)?.plan?.reason ?? '';
    assert.match(reason('SELECT hostile_liar(), id FROM orders WHERE customer_id = 27'), /stored function hostile_liar/);
    assert.match(reason('SELECT * FROM orders hostile WHERE customer_id = 15 LOCK IN SHARE MODE'), /locks rows/);
    assert.match(reason('SELECT COUNT(*) FROM orders hostile /* harmless */; DELETE FROM hostile_audit -- cleanup'), /2 statements/);
    assert.match(reason('SELECT * FROM hostile_view'), /reads view shop\.hostile_view, whose definition is refused: calls stored function hostile_touch/);
    assert.match(reason('SELECT * FROM hostile_lock_view'), /reads view shop\.hostile_lock_view, whose definition is refused: calls get_lock\(\)/);
  });

  it('a version comment is dropped: the canonical text runs, without the row lock it asked for', async () => {
    const session = await openMysql(setup.config.databases[0]!);
    try {
      const sql = 'SELECT id FROM orders hostile WHERE customer_id = 37 /*!50000 FOR UPDATE */';
      const query: SlowQuery = { rank: 1, id: 'version-comment', query: sql, calls: 3, mean_ms: 30, total_ms: 90, max_ms: null, rows: 10, sample: sql };
      await explainSlowQueries([query], { database: 'shop', engine: 'mysql', session, config: EXPLAIN, cache: new PlanCache() });
      assert.equal(query.plan?.method, 'explain_analyze', query.plan?.summary);
      const [locks] = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_rows_locked > 0");
      assert.equal(Number(locks?.n), 0);
    } finally {
      await session.close();
    }
  });

  it('a plain view passes on its real definition; one whose definition the user may not see is refused', async () => {
    await db.query('CREATE VIEW customer_totals AS SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id', [], 'shop');
    const sql = 'SELECT * FROM customer_totals WHERE customer_id = 3';
    const plain: SlowQuery = { rank: 1, id: 'plain-view', query: sql, calls: 3, mean_ms: 30, total_ms: 90, max_ms: null, rows: 1, sample: sql };
    const session = await openMysql(setup.config.databases[0]!);
    try {
      await explainSlowQueries([plain], { database: 'shop', engine: 'mysql', session, config: EXPLAIN, cache: new PlanCache() });
    } finally {
      await session.close();
    }
    assert.equal(plain.plan?.method, 'explain_analyze', plain.plan?.reason ?? plain.plan?.summary);

    // SELECT without SHOW VIEW: MariaDB lists the view in information_schema.VIEWS with an empty VIEW_DEFINITION.
    const reader = testConfig([{ name: 'shop', engine: 'mysql', url: await db.createUser('view_reader', 'reader-pw', ['SELECT ON shop.*'], 'shop') }]);
    const hidden: SlowQuery = { ...plain, id: 'hidden-view' };
    const readerSession = await openMysql(reader.config.databases[0]!);
    try {
      await explainSlowQueries([hidden], { database: 'shop', engine: 'mysql', session: readerSession, config: EXPLAIN, cache: new PlanCache() });
    } finally {
      await readerSession.close();
      reader.cleanup();
    }
    assert.equal(hidden.plan?.method, 'skipped');
    assert.match(hidden.plan?.reason ?? '', /cannot read the definition of view shop\.customer_totals/);
  });

  it('the watchdog kills a statement that outlives its limit, from a second connection', async () => {
    // The session's own limits (max_statement_time, and the client's 2 s beyond it) far beyond any test: only the
    // watchdog's KILL QUERY can end the sleep (ER_QUERY_INTERRUPTED), however slowly its second connection opens.
    const database = { ...setup.config.databases[0]!, statement_timeout_seconds: 600 };
    const session = await openMysql(database);
    try {
      const [row] = await session.query<{ id: number }>('CONNECTION_ID', 'SELECT CONNECTION_ID() AS id');
      await assert.rejects(withWatchdog(() => openMysql(database), Number(row?.id), 300,
        () => session.query('SLEEP', 'SELECT SLEEP(600) AS slept')), (error: unknown) => (error as { code?: string }).code === 'ER_QUERY_INTERRUPTED');
    } finally {
      await session.close();
    }
  });

  it('the workload gets EXPLAIN ANALYZE from history samples, with real findings', () => {
    const find = (marker: string): SlowQuery | undefined =>
      report.slow_queries.find((query) => !isHostile(query) && matchesMarker(query.query, marker));
    const filter = find('SELECT id, amount, status FROM orders WHERE customer_id =');
    assert.equal(filter?.plan?.method, 'explain_analyze', filter?.plan?.summary);
    const rules = (query: SlowQuery | undefined): string[] => (query?.plan?.findings ?? []).map((finding) => finding.rule);
    assert.ok(rules(filter).includes('full_table_scan'), filter?.plan?.summary);
    // No column statistics on customer_id: the optimizer expects the filter to keep 100% of 200k rows.
    assert.ok(rules(filter).includes('row_misestimate'), filter?.plan?.summary);
    assert.ok(rules(filter).includes('rows_examined_ratio'), filter?.plan?.summary);
    assert.ok(rules(find('ORDER BY note DESC')).includes('filesort'));
    assert.match(filter?.plan?.findings.find((finding) => finding.rule === 'full_table_scan')?.advice ?? '', /index on orders\(customer_id\)/);
    for (const query of report.slow_queries) assert.ok(query.plan !== undefined, `no plan for ${query.query}`);
  });
});
