// EXPLAIN safety and findings on real MariaDB 10.11 (Debian's mariadbd, harness). A hostile corpus of statements that
// write, lock or have side effects is run (and rolled back) until the statement digests rank it beside the workload;
// the database collector then explains its whole slow-query list (limit 50) with the literal samples it finds in
// the statement history, as the read-only agent account (SELECT and SHOW VIEW on shop, PROCESS, performance_schema);
// the corpus is also fed directly as samples (two statements in one text, a second statement behind a comment,
// version comments). Part of the corpus is planted by an ordinary user, mallory, with the rights of an application
// account: stored functions called directly, behind a view, behind a SQL SECURITY DEFINER view over a function the
// agent cannot see in information_schema.ROUTINES, GET_LOCK hidden in a view and in a function, names of loadable
// functions and of built-ins of newer versions, a schema-qualified shadow of a built-in, and an error-based read of a
// secret. Afterwards InnoDB row counters and per-table I/O counters (which count rolled-back work), the sequence,
// table checksums, user locks (IS_USED_LOCK and performance_schema.metadata_locks from another session) and files are
// unchanged, every hostile entry is `skipped` or plain `explain` with its reason, and the secret is in neither the
// report, /metrics nor the textfile of the real commands. The workload's own queries get real findings.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { after, before, describe, it } from 'node:test';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import { explainSlowQueries, PlanCache } from '../../src/explain';
import { parseServerVersion, withWatchdog } from '../../src/explain/mysql';
import { builtinFunctions } from '../../src/explain/gate/mysql-builtins';
import { DEFAULT_EXPLAIN, type ExplainConfig } from '../../src/core/config';
import type { DatabaseReport, Report, SlowQuery } from '../../src/core/report';
import { renderMetrics } from '../../src/outputs/prometheus';
import { openMysql } from '../../src/sources/mysql';
import { waitUntil } from '../../src/demo/local-server';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startServe } from '../harness/serve-process';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { matchesMarker, runMariadbWorkload } from '../harness/workload';

/** The plan cache of this file's collections (one per process, as serve keeps one). */
const planCache = new PlanCache();

const OUTFILE = join(tmpdir(), `db_sentinel-hostile-outfile-${process.pid}.txt`);

/** What only the agent may read: mallory tries to get it into an error message. */
const SECRET = 'vault-secret-7d41c0';
const AGENT_GRANTS = ['SELECT, SHOW VIEW ON shop.*', 'SELECT ON shop_private.*', 'SELECT ON performance_schema.*', 'PROCESS ON *.*'];
/** An application account: reads and writes shop, may create routines and views there; not shop_private. */
const MALLORY_GRANTS = ['SELECT, INSERT, UPDATE, DELETE, CREATE ROUTINE, ALTER ROUTINE, CREATE VIEW, SHOW VIEW, EXECUTE ON shop.*'];

const MALLORY_OBJECTS = [
  `CREATE FUNCTION mallory_write() RETURNS INT MODIFIES SQL DATA
     BEGIN INSERT INTO hostile_audit (note) VALUES ('mallory wrote'); RETURN 1; END`,
  // The agent has no privilege on this routine: information_schema.ROUTINES does not show it to the agent.
  `CREATE DEFINER = CURRENT_USER FUNCTION mallory_hidden() RETURNS INT MODIFIES SQL DATA SQL SECURITY DEFINER
     BEGIN INSERT INTO hostile_audit (note) VALUES ('definer code ran'); RETURN 1; END`,
  "CREATE FUNCTION mallory_lock() RETURNS INT READS SQL DATA RETURN GET_LOCK('mallory_fn_lock', 0)",
  // Named like MySQL's example loadable function, like a built-in of MariaDB 11.7, and like LOWER (called qualified).
  "CREATE FUNCTION metaphon(s VARCHAR(64)) RETURNS VARCHAR(64) MODIFIES SQL DATA BEGIN INSERT INTO hostile_audit (note) VALUES ('udf lookalike'); RETURN s; END",
  "CREATE FUNCTION uuid_v7() RETURNS VARCHAR(64) MODIFIES SQL DATA BEGIN INSERT INTO hostile_audit (note) VALUES ('newer built-in'); RETURN 'x'; END",
  "CREATE FUNCTION lower(s VARCHAR(64)) RETURNS VARCHAR(64) MODIFIES SQL DATA BEGIN INSERT INTO hostile_audit (note) VALUES ('shadow'); RETURN s; END",
  'CREATE VIEW mallory_view AS SELECT mallory_write() AS w, id FROM orders WHERE customer_id = 41',
  'CREATE SQL SECURITY DEFINER VIEW mallory_definer_view AS SELECT mallory_hidden() AS h, id FROM orders WHERE customer_id = 43',
  "CREATE VIEW mallory_lock_view AS SELECT id FROM orders WHERE customer_id = 45 AND GET_LOCK('mallory_view_lock', 0) IS NOT NULL",
  'CREATE VIEW mallory_nested_view AS SELECT v.id FROM mallory_lock_view v JOIN customers c ON c.id = v.id',
  // MariaDB keeps a stored function named like a built-in qualified in VIEW_DEFINITION (`shop`.`lower`).
  'CREATE VIEW mallory_shadow_view AS SELECT shop.lower(name) AS n, id FROM customers WHERE id < 3',
];

/** Four scans of orders: enough to rank mallory's statements in the top 10 by mean time. */
const SLOW = "(SELECT COUNT(*) FROM orders x JOIN orders y ON y.id = x.id WHERE x.note LIKE '%mallory%') = 0"
  + " AND (SELECT COUNT(*) FROM orders x JOIN orders y ON y.id = x.id WHERE y.note LIKE '%mallory%') = 0";
const MALLORY_STATEMENTS = [
  `SELECT mallory_write(), id FROM orders WHERE customer_id = 51 AND ${SLOW}`,
  `SELECT * FROM mallory_view WHERE ${SLOW}`,
  `SELECT * FROM mallory_definer_view WHERE ${SLOW}`,
  `SELECT mallory_lock(), COUNT(*) FROM orders WHERE customer_id = 53 AND ${SLOW}`,
  `SELECT COUNT(*) FROM mallory_nested_view WHERE ${SLOW}`,
  `SELECT metaphon(name) FROM customers WHERE id < 3 AND ${SLOW}`,
  `SELECT uuid_v7(), id FROM orders WHERE customer_id = 55 AND ${SLOW}`,
  `SELECT shop.lower(name) FROM customers WHERE id < 3 AND ${SLOW}`,
  `SELECT id FROM orders WHERE customer_id = 57 AND IS_FREE_LOCK('mallory_probe') AND RELEASE_ALL_LOCKS() >= 0 AND ${SLOW}`,
  `SELECT * FROM mallory_shadow_view WHERE ${SLOW}`,
  // Fails for mallory (no SELECT on shop_private), ranks anyway; the agent could read the secret.
  "SELECT EXTRACTVALUE(1, CONCAT('~', (SELECT secret FROM shop_private.vault LIMIT 1))) AS x FROM orders WHERE customer_id = 59",
];

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
  /** User locks held by anyone, and who holds mallory's (another session asks). */
  userLocks: unknown[];
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
  const userLocks = await db.query<Record<string, unknown>>(
    `SELECT OBJECT_NAME AS name, OWNER_THREAD_ID AS thread FROM performance_schema.metadata_locks WHERE OBJECT_TYPE = 'USER LEVEL LOCK'
     UNION ALL SELECT name, IS_USED_LOCK(name) FROM (SELECT 'mallory_fn_lock' AS name UNION SELECT 'mallory_view_lock' UNION SELECT 'mallory_probe') n
     WHERE IS_USED_LOCK(name) IS NOT NULL`);
  return {
    innodbRows: Object.fromEntries(status.filter((row) => /inserted|updated|deleted/.test(row.Variable_name)).map((row) => [row.Variable_name, row.Value])),
    tableIo: Object.fromEntries(io.map((row) => [row.name, row.counts])),
    sequence: sequence?.value ?? '', checksums, userLock: lock?.holder ?? null, viewLock: lock?.view_holder ?? null, userLocks,
  };
}

function isHostile(query: SlowQuery): boolean {
  return /hostile|mallory|metaphon|uuid_v7|shop\.lower|vault/i.test(`${query.query} ${query.sample ?? ''}`);
}

/** mallory plants its objects and runs its statements (each twice, rolled back) so that they rank, then leaves. */
async function plantAsMallory(db: MariadbServer): Promise<void> {
  await db.createUser('mallory', 'mallory-pw', MALLORY_GRANTS, 'shop');
  const mallory = await db.connect('shop', { user: 'mallory', password: 'mallory-pw' });
  try {
    for (const statement of MALLORY_OBJECTS) await mallory.query(statement);
    for (const sql of MALLORY_STATEMENTS) {
      for (let run = 0; run < 2; run += 1) {
        await mallory.query('START TRANSACTION');
        // The exfiltration attempt fails for mallory itself (no SELECT on shop_private): it ranks all the same.
        await mallory.query(sql).catch((error: unknown) => assert.match(String(error), /denied/));
        await mallory.query('ROLLBACK');
      }
    }
    await mallory.query('SELECT RELEASE_ALL_LOCKS()');
  } finally {
    await mallory.end();
  }
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
      await admin.query('CREATE DATABASE shop_private');
      await admin.query('CREATE TABLE shop_private.vault (secret VARCHAR(64))');
      await admin.query('INSERT INTO shop_private.vault VALUES (?)', [SECRET]);
    } finally {
      await admin.end();
    }
    await plantAsMallory(db);
    before_ = await snapshot(db);
    setup = testConfig([{ name: 'shop', engine: 'mysql', url: await db.createUser('db_sentinel', 'agent-pw', AGENT_GRANTS, 'shop') }]);
    const database = setup.config.databases[0]!;
    report = await collectDatabase(database, { limit: 50, min_calls: 2 }, DEFAULT_OPENERS.mysql, { config: EXPLAIN, cache: planCache });
    [...HOSTILE.map((statement) => statement.sql), ...MALLORY_STATEMENTS].forEach((sql, index) => injected.push({
      rank: index + 1, id: `hostile-${index}`, query: sql, calls: 5, mean_ms: 50, total_ms: 250, max_ms: 60,
      rows: 5, rows_examined: 5000, sample: sql, sample_source: 'test corpus',
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
    // mallory's statements are all ranked and explained (limit 50), and take top-10 slots by mean time beside the workload.
    const ranked = (marker: string): SlowQuery | undefined => report.slow_queries.find((query) => `${query.query} ${query.sample ?? ''}`.includes(marker));
    const markers = ['mallory_write()', 'mallory_view ', 'mallory_definer_view', 'mallory_lock()', 'mallory_nested_view', 'metaphon(',
      'shop.lower(', 'uuid_v7(', 'mallory_shadow_view', "IS_FREE_LOCK('mallory_probe')"];
    for (const marker of markers) assert.ok(ranked(marker) !== undefined, `${marker} did not rank`);
    const inTop10 = markers.filter((marker) => (ranked(marker)?.rank ?? 99) <= 10);
    const ranking = report.slow_queries.slice(0, 14).map((query) => `${query.rank} ${query.mean_ms.toFixed(0)} ms ${query.query.slice(0, 70)}`).join('\n');
    assert.ok(inTop10.length >= 3, `only ${inTop10.join(', ')} in the top 10:\n${ranking}`);
    // Denied to mallory before it runs, so it is fast: ranked, not in the top 10.
    assert.ok(report.slow_queries.some((query) => /EXTRACTVALUE/i.test(query.query)), 'the exfiltration attempt did not rank');
  });

  it("the DEFINER view's function is invisible to the agent in information_schema.ROUTINES, and refused all the same", async () => {
    const session = await openMysql(setup.config.databases[0]!);
    try {
      const rows = await session.query('ROUTINES', "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'shop'");
      assert.deepEqual(rows, [], 'the agent sees the routines: the scenario is not the one of the issue');
    } finally {
      await session.close();
    }
    const plan = injected.find((query) => query.sample === MALLORY_STATEMENTS[2])?.plan;
    assert.equal(plan?.method, 'skipped');
    assert.match(plan?.reason ?? '', /reads view shop\.mallory_definer_view, whose definition is refused: calls mallory_hidden\(\), which is not built in/);
  });

  it('changed nothing: InnoDB row counters, table I/O counters, sequence, checksums, user locks, files', () => {
    assert.deepEqual(after_.innodbRows, before_.innodbRows);
    assert.deepEqual(after_.tableIo, before_.tableIo);
    assert.equal(after_.sequence, before_.sequence);
    assert.deepEqual(after_.checksums, before_.checksums);
    assert.equal(after_.userLock, null);
    assert.equal(after_.viewLock, null, 'a user lock taken through a view is held');
    assert.deepEqual(after_.userLocks, [], 'a user lock is held after the cycle');
    assert.equal(existsSync(OUTFILE), false, 'SELECT INTO OUTFILE ran');
  });

  it('every hostile entry is skipped or plain explain, with its reason', () => {
    for (const query of [...report.slow_queries.filter(isHostile), ...injected]) {
      assert.ok(query.plan, `no plan for ${query.query}`);
      assert.ok(query.plan.method === 'skipped' || query.plan.method === 'explain', `${query.query} got ${query.plan.method}: ${query.plan.summary}`);
      assert.ok((query.plan.reason ?? '').length > 5, `no reason for ${query.query}`);
    }
    const reason = (text: string): string => injected.find((query) => query.sample === text)?.plan?.reason ?? '';
    assert.match(reason('SELECT hostile_liar(), id FROM orders WHERE customer_id = 27'), /calls hostile_liar\(\), which is not built in/);
    assert.match(reason(MALLORY_STATEMENTS[0]!), /calls mallory_write\(\), which is not built in \(not on the MariaDB 10\.11\+ allow-list/);
    assert.match(reason(MALLORY_STATEMENTS[1]!), /reads view shop\.mallory_view, whose definition is refused: calls mallory_write\(\), which is not built in/);
    assert.match(reason(MALLORY_STATEMENTS[3]!), /calls mallory_lock\(\), which is not built in/);
    assert.match(reason(MALLORY_STATEMENTS[4]!), /view shop\.mallory_nested_view.*view shop\.mallory_lock_view.*get_lock\(\), a built-in with side effects/);
    assert.match(reason(MALLORY_STATEMENTS[5]!), /calls metaphon\(\), which is not built in/);
    assert.match(reason(MALLORY_STATEMENTS[6]!), /calls uuid_v7\(\), which is not built in/);
    assert.match(reason(MALLORY_STATEMENTS[7]!), /calls shop\.lower\(\), which is not built in/);
    assert.match(reason(MALLORY_STATEMENTS[8]!), /is_free_lock\(\), a built-in with side effects/);
    assert.match(reason(MALLORY_STATEMENTS[9]!), /reads view shop\.mallory_shadow_view, whose definition is refused: calls shop\.lower\(\), which is not built in/);
    assert.match(reason(MALLORY_STATEMENTS[10]!), /extractvalue\(\), a built-in with side effects/);
    assert.match(reason('SELECT * FROM orders hostile WHERE customer_id = 15 LOCK IN SHARE MODE'), /locks rows/);
    assert.match(reason('SELECT COUNT(*) FROM orders hostile /* harmless */; DELETE FROM hostile_audit -- cleanup'), /2 statements/);
    assert.match(reason('SELECT * FROM hostile_view'), /reads view shop\.hostile_view, whose definition is refused: calls hostile_touch\(\), which is not built in/);
    assert.match(reason('SELECT * FROM hostile_lock_view'), /reads view shop\.hostile_lock_view, whose definition is refused: calls get_lock\(\)/);
  });

  it('as a superuser nothing is planned: the reason names the rights beyond reading', async () => {
    const admin = testConfig([{ name: 'shop', engine: 'mysql', url: db.url('shop') }]);
    const session = await openMysql(admin.config.databases[0]!);
    const sql = 'SELECT id, amount, status FROM orders WHERE customer_id = 12';
    const query: SlowQuery = { rank: 1, id: 'as-admin', query: sql, calls: 3, mean_ms: 30, total_ms: 90, max_ms: null, rows: 10, sample: sql };
    try {
      await explainSlowQueries([query], { database: 'shop', engine: 'mysql', session, config: EXPLAIN, cache: new PlanCache() });
    } finally {
      await session.close();
      admin.cleanup();
    }
    assert.equal(query.plan?.method, 'skipped');
    assert.match(query.plan?.reason ?? '', /the agent's account admin@127\.0\.0\.1 holds INSERT, UPDATE, DELETE.* and \d+ more: .*only an account that can do nothing but read/);
  });

  it('a recursive-CTE bomb that times out runs once, not every cycle (its failure is cached)', async () => {
    // max_recursive_iterations (1000) stops a counter; a join with orders in each step multiplies the rows instead.
    const sql = 'WITH RECURSIVE bomb (n) AS (SELECT 1 UNION ALL SELECT b.n + 1 FROM bomb b, orders o WHERE b.n < 3) SELECT COUNT(*) FROM bomb';
    const session = await openMysql(setup.config.databases[0]!);
    const cache = new PlanCache();
    const config: ExplainConfig = { ...EXPLAIN, statement_timeout_ms: 1000 };
    const plans: string[] = [];
    try {
      for (let cycle = 0; cycle < 3; cycle += 1) {
        for (const list of ['slow_queries', 'slow_queries_by_total']) {
          const query: SlowQuery = { rank: 1, id: 'cte-bomb', query: sql, calls: 3, mean_ms: 900, total_ms: 2700, max_ms: null, rows: 1, sample: sql };
          await explainSlowQueries([query], { database: 'shop', engine: 'mysql', session, config, cache });
          plans.push(`${list}: ${query.plan?.reason}`);
        }
      }
    } finally {
      await session.close();
    }
    const [ran] = await db.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM performance_schema.events_statements_history_long WHERE SQL_TEXT LIKE '%FOR ANALYZE FORMAT=JSON WITH RECURSIVE `bomb`%'");
    assert.equal(Number(ran?.n), 1, plans.join('\n'));
    for (const plan of plans) assert.match(plan, /EXPLAIN timed out or lost its connection: 1969: the statement did not finish/);
  });

  it('the real commands publish no secret: report JSON, /metrics text and the textfile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-mariadb-secret-'));
    try {
      const config = testConfig([{ name: 'shop', engine: 'mysql', url: db.url('shop', 'db_sentinel', 'agent-pw') }],
        { explain: { cache_file: join(dir, 'plan-cache.json'), statement_timeout_ms: 5000 }, slow_queries: { limit: 50, min_calls: 2 } });
      const configFile = join(config.dir, 'config.yml');
      writeFileSync(configFile, dump(config.document));
      const env = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };
      const report = spawnSync(process.execPath, ['build/db_analyzer.js', 'report', '--config', configFile], { encoding: 'utf8', env, timeout: 240_000 });
      assert.equal(report.status, 0, report.stderr);
      const textfile = spawnSync(process.execPath, ['build/db_textfile.js', '--dir', dir, '--config', configFile], { encoding: 'utf8', env, timeout: 240_000 });
      assert.equal(textfile.status, 0, textfile.stderr);
      const parsed = JSON.parse(report.stdout) as Report;
      const shop = parsed.databases.find((database) => database.name === 'shop');
      assert.equal(shop?.up, true, String(shop?.error));
      assert.ok(shop?.slow_queries.some((query) => /EXTRACTVALUE/i.test(query.sample ?? '')), 'the exfiltration attempt did not rank');
      const metrics = await renderMetrics(parsed);
      const prom = readFileSync(join(dir, 'db_sentinel.prom'), 'utf8');
      // db_analyzer serve: its first background cycle, as GET /report and GET /metrics answer it.
      const serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0']);
      let served: { report: string; metrics: string };
      try {
        const servedReport = await waitUntil('the first served report', async () => {
          const response = await fetch(`${serve.url}/report`);
          return response.status === 200 ? response.text() : undefined;
        }, 240_000);
        served = { report: servedReport, metrics: await (await fetch(`${serve.url}/metrics`)).text() };
      } finally {
        await serve.stop();
      }
      assert.match(served.report, /shop_private\.vault/, 'the exfiltration attempt is not in the served report');
      for (const [what, text] of [['report', report.stdout], ['metrics', metrics], ['textfile', prom], ['plan cache', readFileSync(join(dir, 'plan-cache.json'), 'utf8')],
        ['served /report', served.report], ['served /metrics', served.metrics]]) {
        assert.ok(!text.includes(SECRET), `the secret is in the ${what}`);
      }
      config.cleanup();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every name on the MariaDB allow-list is built in here: a stored function of that name is never reached unqualified', async () => {
    const server = parseServerVersion(db.version);
    const { names, label } = builtinFunctions('mariadb', server.version);
    assert.equal(label, 'MariaDB 10.11+');
    const admin = await db.connect('mysql');
    const reached: string[] = [];
    const outcomes = new Map<string, number>();
    try {
      await admin.query('CREATE DATABASE probe');
      await admin.query('USE probe');
      for (const name of names) {
        await admin.query(`CREATE FUNCTION probe.\`${name}\`() RETURNS VARCHAR(20) RETURN 'stored-probe'`);
        // Unqualified and bare, as the gate lets it through: the built-in (or a syntax / argument-count error) answers.
        const answer = await admin.query(`SELECT ${name}() AS v`).then(([rows]) => String((rows as Array<{ v: unknown }>)[0]?.v),
          (error: unknown) => `error ${String((error as { code?: unknown }).code)}`);
        if (answer === 'stored-probe') reached.push(name);
        const kind = answer.startsWith('error') ? answer : 'built-in value';
        outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
      }
      // The probe is sound: a name that is not built in does reach the stored function.
      await admin.query("CREATE FUNCTION probe.not_a_builtin() RETURNS VARCHAR(20) RETURN 'stored-probe'");
      const [[control]] = await admin.query('SELECT not_a_builtin() AS v') as unknown as [[{ v: string }]];
      assert.equal(control.v, 'stored-probe');
    } finally {
      await admin.query('DROP DATABASE IF EXISTS probe');
      await admin.end();
    }
    assert.deepEqual(reached, [], `not built in on ${db.version}, yet allowed: ${reached.join(', ')}`);
    assert.ok(names.size > 250, `${names.size} names`);
    assert.ok([...outcomes.keys()].every((kind) => /^(built-in value|error ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT|error ER_PARSE_ERROR)$/.test(kind)),
      JSON.stringify([...outcomes]));
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

  it('a sample whose condition MariaDB prints with a raw tab and \\x escapes (not valid JSON) gets its EXPLAIN ANALYZE', async () => {
    const session = await openMysql(setup.config.databases[0]!);
    try {
      const sql = "SELECT count(*) FROM orders WHERE note = 'tab\\there' OR note = _binary'line\\nbreak'";
      const query: SlowQuery = { rank: 1, id: 'escaped-condition', query: sql, calls: 3, mean_ms: 30, total_ms: 90, max_ms: null, rows: 1, sample: sql };
      await explainSlowQueries([query], { database: 'shop', engine: 'mysql', session, config: EXPLAIN, cache: new PlanCache() });
      assert.equal(query.plan?.method, 'explain_analyze', query.plan?.summary);
      assert.match(JSON.stringify(query.plan?.plan), /tab\\there/);
      assert.ok(query.plan?.findings.some((finding) => finding.rule === 'full_table_scan'), query.plan?.summary);
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
