// db_up and db_connections are pure functions of the database reports; the version-chosen SQL and the consumer
// hierarchy are pure functions of what the server says.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CONNECTION_USAGE_PERCENT, dbConnectionsCheck, dbUpCheck } from '../../../src/checks/db-checks';
import { numberOrNull } from '../../../src/collectors/db/common';
import { effectiveHistoryTables } from '../../../src/collectors/db/mysql';
import { mysqlFlavor } from '../../../src/sources/mysql';
import { PGSS_COLUMNS_1_11, PGSS_COLUMNS_1_8, PGSS_COLUMNS_LEGACY, pgRunningSql, PG_RUNNING_10, PG_RUNNING_14, pgssCollectSql, pgssColumns } from '../../../src/collectors/db/postgres-sql';
import { ParseError } from '../../../src/core/errors';
import type { DatabaseReport } from '../../../src/core/report';

function database(name: string, up: boolean, total?: number): DatabaseReport {
  const report: DatabaseReport = { name, engine: 'postgresql', version: up ? '17.10' : null, up, problems: [], slow_queries: [] };
  if (!up) report.error = `${name}: cannot connect to postgresql://x@127.0.0.1:1/postgres: connect ECONNREFUSED 127.0.0.1:1`;
  if (total !== undefined) {
    report.connections = { active: 0, idle: total, idle_in_transaction: 0, waiting: 0, total, max_connections: 100, usage_ratio: total / 100 };
  }
  return report;
}

describe('db_up', () => {
  it('ok with every database up, critical naming each one down', () => {
    assert.equal(dbUpCheck([database('a', true, 1)]).status, 'ok');
    const check = dbUpCheck([database('a', true, 1), database('b', false)]);
    assert.equal(check.status, 'critical');
    assert.equal(check.value, 1);
    assert.match(check.message, /^1 of 2 databases down: b: cannot connect .*ECONNREFUSED/);
    assert.deepEqual(check.details?.map((detail) => [detail.subject, detail.status]), [['a', 'ok'], ['b', 'critical']]);
  });

  it('no databases configured is ok with nothing measured', () => {
    assert.deepEqual(dbUpCheck([]), { name: 'db_up', status: 'ok', message: 'no databases configured', value: null });
  });
});

describe('db_connections', () => {
  it('grades the worst usage against 80 % / 95 %', () => {
    assert.deepEqual(CONNECTION_USAGE_PERCENT, { warning: 80, critical: 95 });
    assert.equal(dbConnectionsCheck([database('a', true, 10)]).status, 'ok');
    const warning = dbConnectionsCheck([database('a', true, 10), database('b', true, 85)]);
    assert.equal(warning.status, 'warning');
    assert.equal(warning.value, 85);
    assert.equal(dbConnectionsCheck([database('a', true, 96)]).status, 'critical');
  });

  it('down databases are left to db_up; an up database without connection figures is unknown', () => {
    const withDown = dbConnectionsCheck([database('a', true, 10), database('b', false)]);
    assert.equal(withDown.status, 'ok');
    assert.deepEqual(withDown.details?.map((detail) => detail.subject), ['a']);
    assert.equal(dbConnectionsCheck([database('b', false)]).status, 'unknown');
    const unmeasured = dbConnectionsCheck([database('a', true, 10), database('c', true)]);
    assert.equal(unmeasured.status, 'unknown');
    assert.match(unmeasured.message, /c: connections not measured/);
  });
});

describe('SQL chosen by version', () => {
  it('pg_stat_statements columns by extension version', () => {
    assert.equal(pgssColumns('1.7'), PGSS_COLUMNS_LEGACY);
    assert.equal(pgssColumns('1.8'), PGSS_COLUMNS_1_8);
    assert.equal(pgssColumns('1.10'), PGSS_COLUMNS_1_8);
    assert.equal(pgssColumns('1.11'), PGSS_COLUMNS_1_11);
    assert.equal(pgssColumns('2.0'), PGSS_COLUMNS_1_11);
    assert.match(pgssCollectSql(PGSS_COLUMNS_1_11, 'public', true), /\(p\.shared_blk_read_time \+ p\.local_blk_read_time\)::float8 AS io_read_ms/);
    assert.match(pgssCollectSql(PGSS_COLUMNS_LEGACY, 'my"schema', false), /FROM "my""schema"\.pg_stat_statements p/);
  });

  it('pg_stat_activity query_id from PostgreSQL 14', () => {
    assert.equal(pgRunningSql(130023), PG_RUNNING_10);
    assert.equal(pgRunningSql(140000), PG_RUNNING_14);
  });

  it('MySQL or MariaDB from VERSION() and version_comment', () => {
    assert.equal(mysqlFlavor('10.11.19-MariaDB-0+deb12u1', 'Debian 12'), 'mariadb');
    assert.equal(mysqlFlavor('8.0.18', 'MySQL Community Server - GPL'), 'mysql');
  });

  it('history tables count only when their parent consumers are on', () => {
    const consumers = (on: string[]) => ['global_instrumentation', 'thread_instrumentation', 'events_statements_current',
      'events_statements_history', 'events_statements_history_long'].map((name) => ({ name, enabled: on.includes(name) ? 'YES' : 'NO' }));
    const all = ['global_instrumentation', 'thread_instrumentation', 'events_statements_current', 'events_statements_history', 'events_statements_history_long'];
    assert.deepEqual(effectiveHistoryTables(consumers(all)), ['events_statements_current', 'events_statements_history', 'events_statements_history_long']);
    assert.deepEqual(effectiveHistoryTables(consumers(all.filter((name) => name !== 'events_statements_current'))), []);
  });

  it('driver numbers: DECIMAL and BIGINT strings, NULL, and non-numbers rejected', () => {
    assert.equal(numberOrNull('65079266.039023000'), 65079266.039023);
    assert.equal(numberOrNull(null), null);
    assert.throws(() => numberOrNull('abc'), ParseError);
  });
});
