// The database sources on real servers: one connection named db_sentinel with the configured statement timeout,
// and the read-only transaction helper (for EXPLAIN in the plans issue): writes fail inside it, its own timeouts
// apply inside and the session's come back after, and nothing it did survives.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { openMysql } from '../../src/sources/mysql';
import { openPostgres } from '../../src/sources/postgres';
import { QueryError, type SqlSession } from '../../src/sources/sql';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';

describe('database sources', () => {
  let pg: PostgresServer;
  let my: MariadbServer;
  let setup: TestConfig;
  let pgSession: SqlSession;
  let mySession: SqlSession;

  before(async () => {
    [pg, my] = await Promise.all([startPostgres(15), startMariadb()]);
    await pg.query('CREATE TABLE t (x int)');
    await my.query('CREATE DATABASE app');
    await my.query('CREATE TABLE app.t (x int) ENGINE=InnoDB');
    setup = testConfig([
      { name: 'pg', engine: 'postgresql', url: pg.url(), statement_timeout_seconds: 3 },
      { name: 'my', engine: 'mysql', url: my.url('app'), statement_timeout_seconds: 3 },
    ]);
    pgSession = await openPostgres(setup.config.databases[0]!);
    mySession = await openMysql(setup.config.databases[1]!);
  });
  after(async () => {
    await pgSession?.close();
    await mySession?.close();
    setup?.cleanup();
    await Promise.all([pg?.stop(), my?.stop()]);
  });

  it('PostgreSQL: application_name db_sentinel and the configured statement timeout', async () => {
    const [row] = await pgSession.query<{ app: string; timeout: string }>('TEST', `SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout`);
    assert.deepEqual(row, { app: 'db_sentinel', timeout: '3s' });
  });

  it('PostgreSQL: readOnly refuses writes, applies its own timeouts, then restores the session', async () => {
    // search_path is pinned to pg_catalog on every agent connection: the test table is named with its schema.
    await assert.rejects(
      pgSession.readOnly((inner) => inner.query('WRITE', 'INSERT INTO public.t VALUES (1)'), { statementTimeoutMs: 500, lockTimeoutMs: 100 }),
      (error: unknown) => error instanceof QueryError && error.code === '25006' && /read-only transaction/.test(error.message));
    const inside = await pgSession.readOnly((inner) => inner.query<{ s: string; l: string }>('TEST',
      `SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l`), { statementTimeoutMs: 500, lockTimeoutMs: 100 });
    assert.deepEqual(inside, [{ s: '500ms', l: '100ms' }]);
    // Cancelled by the server (57014) at 300 ms: the client's own limit (3 s + 2 s) would give no SQLSTATE.
    await assert.rejects(pgSession.readOnly((inner) => inner.query('SLEEP', 'SELECT pg_sleep(600)'), { statementTimeoutMs: 300, lockTimeoutMs: 100 }),
      (error: unknown) => error instanceof QueryError && error.timedOut && error.code === '57014');
    const [after] = await pgSession.query<{ s: string; n: string }>('TEST', `SELECT current_setting('statement_timeout') AS s, (SELECT count(*) FROM public.t) AS n`);
    assert.deepEqual(after, { s: '3s', n: '0' });
  });

  it('MariaDB: program_name db_sentinel and max_statement_time from the config', async () => {
    const [row] = await mySession.query<{ attr: string; timeout: string }>('TEST',
      `SELECT (SELECT ATTR_VALUE FROM performance_schema.session_connect_attrs WHERE PROCESSLIST_ID = CONNECTION_ID() AND ATTR_NAME = 'program_name') AS attr, @@max_statement_time AS timeout`);
    assert.equal(row?.attr, 'db_sentinel');
    assert.equal(Number(row?.timeout), 3);
  });

  it('MariaDB: readOnly refuses writes, applies its timeout, then restores the session', async () => {
    await assert.rejects(
      mySession.readOnly((inner) => inner.query('WRITE', 'INSERT INTO t VALUES (1)'), { statementTimeoutMs: 500, lockTimeoutMs: 1000 }),
      (error: unknown) => error instanceof QueryError && error.code === 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION');
    // Stopped by the server's max_statement_time, not by the client's own limit (3 s + 2 s, PROTOCOL_SEQUENCE_TIMEOUT):
    // the sleep far beyond both makes it the server's doing, with no clock in the test.
    await assert.rejects(mySession.readOnly((inner) => inner.query('SLEEP', 'SELECT SLEEP(600) AS slept FROM (SELECT 1) s'), { statementTimeoutMs: 300, lockTimeoutMs: 1000 }),
      (error: unknown) => error instanceof QueryError && error.timedOut && /\(max_statement_time exceeded\)$/.test(error.message));
    const [row] = await mySession.query<{ timeout: string; n: number }>('TEST', 'SELECT @@max_statement_time AS timeout, (SELECT COUNT(*) FROM t) AS n');
    assert.equal(Number(row?.timeout), 3);
    assert.equal(Number(row?.n), 0);
  });
});
