// MySQL 8 cannot run here (no MySQL 8 package on Debian 12, no network for a tarball), so its SQL path is tested on
// RECORDED MySQL 8.0 rows (test/fixtures/db/mysql8/events_statements_summary_by_digest.txt, from public sources named
// there) loaded into a table shaped like MySQL 8.0's events_statements_summary_by_digest on a real MariaDB, which
// runs the MySQL 8 statements (CTE, window function, picosecond division in SQL) for real. The session reports the
// recorded server's version so the collector takes its MySQL 8 branch (QUERY_SAMPLE_TEXT samples).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectDatabase } from '../../src/collectors/db/databases';
import { MY_DIGEST_TOP_80, mysqlDigestTopSql } from '../../src/collectors/db/mysql-sql';
import type { DatabaseReport } from '../../src/core/report';
import { openMysql } from '../../src/sources/mysql';
import type { Row, SqlSession } from '../../src/sources/sql';
import type { DatabaseConfig } from '../../src/core/config';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startMariadb, type MariadbServer } from '../harness/mariadb';

const FIXTURE = join(__dirname, '..', 'fixtures', 'db', 'mysql8', 'events_statements_summary_by_digest.txt');
const RECORDED_VERSION = '8.0.18'; // the server of Listing 19-1

/** Rows of mysql's \G output: "*** N. row ***" starts a row, "KEY: value" lines fill it, "#" lines are notes. */
function parseVerticalRows(text: string): Array<Record<string, string>> {
  const rows: Array<Record<string, string>> = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (/^\*+ \d+\. row \*+$/.test(line.trim())) {
      rows.push({});
      continue;
    }
    const match = /^\s*([A-Z_0-9]+): (.*)$/.exec(line);
    if (!match || rows.length === 0) throw new Error(`${FIXTURE}: unreadable line ${JSON.stringify(line)}`);
    rows[rows.length - 1]![match[1]!] = match[2]!;
  }
  return rows;
}

/** MySQL 8.0.x's column types for the columns the collector reads. */
const MYSQL8_DIGEST_TABLE = `CREATE TABLE mysql8_recorded.events_statements_summary_by_digest (
  SCHEMA_NAME varchar(64), DIGEST varchar(64), DIGEST_TEXT longtext, COUNT_STAR bigint unsigned NOT NULL,
  SUM_TIMER_WAIT bigint unsigned NOT NULL, MIN_TIMER_WAIT bigint unsigned NOT NULL, AVG_TIMER_WAIT bigint unsigned NOT NULL,
  MAX_TIMER_WAIT bigint unsigned NOT NULL, SUM_LOCK_TIME bigint unsigned NOT NULL, SUM_ROWS_SENT bigint unsigned NOT NULL,
  SUM_ROWS_EXAMINED bigint unsigned NOT NULL, FIRST_SEEN timestamp(6) NULL, LAST_SEEN timestamp(6) NULL,
  QUANTILE_95 bigint unsigned NOT NULL, QUANTILE_99 bigint unsigned NOT NULL, QUANTILE_999 bigint unsigned NOT NULL,
  QUERY_SAMPLE_TEXT longtext, QUERY_SAMPLE_SEEN timestamp(6) NULL, QUERY_SAMPLE_TIMER_WAIT bigint unsigned NOT NULL)`;

/** A real session on MariaDB that reads the recorded table and reports the recorded MySQL 8 version. */
function asRecordedMysql8(session: SqlSession): SqlSession {
  return {
    async query<R extends Row = Row>(name: string, sql: string, params?: readonly unknown[]): Promise<R[]> {
      const rows = await session.query<R>(name, sql.replaceAll('performance_schema.events_statements_summary_by_digest', 'mysql8_recorded.events_statements_summary_by_digest'), params);
      if (name === 'MY_SETTINGS') return rows.map((row) => ({ ...row, version: RECORDED_VERSION, version_comment: 'MySQL Community Server - GPL' })) as typeof rows;
      return rows;
    },
    readOnly: (work, options) => session.readOnly(work, options),
    get queriesSent() {
      return session.queriesSent;
    },
    close: () => session.close(),
  };
}

describe('MySQL 8.0 digest path on recorded rows', () => {
  let db: MariadbServer;
  let setup: TestConfig;
  let report: DatabaseReport;
  const recorded = parseVerticalRows(readFileSync(FIXTURE, 'utf8'));

  before(async () => {
    db = await startMariadb();
    await db.query('CREATE DATABASE mysql8_recorded');
    await db.query(MYSQL8_DIGEST_TABLE);
    // Row 1 twice: rows of one (schema, digest) must come out as one statement with summed counters.
    for (const row of [recorded[0]!, recorded[0]!, recorded[1]!]) {
      const columns = Object.keys(row);
      await db.query(`INSERT INTO mysql8_recorded.events_statements_summary_by_digest (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        columns.map((column) => row[column]));
    }
    setup = testConfig([{ name: 'mysql8', engine: 'mysql', url: db.url('') }]);
    report = await collectDatabase(setup.config.databases[0]!, { limit: 10, min_calls: 2 },
      async (config: DatabaseConfig) => asRecordedMysql8(await openMysql(config)));
  });
  after(async () => {
    setup?.cleanup();
    await db?.stop();
  });

  it('takes the MySQL 8 branch: QUERY_SAMPLE_TEXT, by version and flavor', () => {
    assert.equal(mysqlDigestTopSql('mysql', 8), MY_DIGEST_TOP_80);
    assert.notEqual(mysqlDigestTopSql('mariadb', 10), MY_DIGEST_TOP_80);
    assert.equal(report.flavor, 'mysql');
    assert.equal(report.version, RECORDED_VERSION);
    assert.equal(report.slow_query_source, 'performance_schema');
  });

  it('ranks by mean with picosecond timers divided exactly in SQL (a sum above 2^53)', () => {
    const [first, second] = report.slow_queries;
    assert.equal(report.slow_queries.length, 2);
    assert.equal(first?.id, '58fddf65d882f69efcd30fb2f9136010a6c9bd9db54a0b2ef7a54c6448dfcfa1');
    assert.equal(first?.database, 'rep');
    assert.equal(first?.calls, 798588);
    assert.equal(first?.total_ms, 65079266.039023);
    assert.ok(Math.abs((first?.mean_ms ?? 0) - 81.492917) < 1e-6, `mean ${first?.mean_ms}`);
    assert.equal(first?.max_ms, 798.614957);
    assert.equal(first?.rows, 798578);
    assert.equal(first?.rows_examined, 240372580);
    assert.equal(first?.sample, 'select count(*) from t_prop where pid+0 = 66');
    assert.equal(first?.sample_source, 'events_statements_summary_by_digest');
    assert.equal(second?.query, 'SELECT * FROM `city` WHERE NAME = ?');
  });

  it('merges rows of the same (schema, digest): counts and timers summed, the sample kept', () => {
    const city = report.slow_queries.find((query) => query.database === 'world');
    assert.equal(city?.calls, 2 * 102349);
    assert.equal(city?.total_ms, 277517.376545024);
    assert.equal(city?.max_ms, 19.321416576);
    assert.equal(city?.rows_examined, 2 * 417481571);
    assert.equal(city?.sample, "SELECT * FROM city WHERE Name = 'San José'");
    assert.equal(report.latency?.calls, 798588 + 2 * 102349);
  });
});
