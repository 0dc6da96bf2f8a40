// The test harness itself: real PostgreSQL 17 and MariaDB servers start, run the workload (which must leave its
// statements in pg_stat_statements / the performance_schema digests with the expected call counts), and stop
// leaving nothing behind.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import { holdMariadbLock, matchesMarker, holdPostgresLock, runMariadbWorkload, runPostgresWorkload, type WorkloadResult } from '../harness/workload';

describe('harness: PostgreSQL 17 + workload', () => {
  let pg: PostgresServer;
  let workload: WorkloadResult;
  before(async () => {
    pg = await startPostgres(17);
    workload = await runPostgresWorkload(pg);
  });
  after(async () => {
    await pg?.stop();
  });

  it('preloads pg_stat_statements and auto_explain with track=all and track_io_timing', async () => {
    const [row] = await pg.query<{ libs: string; track: string; io: string; user: string }>(
      `SELECT current_setting('shared_preload_libraries') AS libs, current_setting('pg_stat_statements.track') AS track,
              current_setting('track_io_timing') AS io, (SELECT usename FROM pg_stat_activity WHERE pid = pg_backend_pid()) AS user`);
    assert.equal(row.libs, 'pg_stat_statements,auto_explain');
    assert.equal(row.track, 'all');
    assert.equal(row.io, 'on');
  });

  it('the workload statements are in pg_stat_statements with their call counts', async () => {
    const rows = await pg.query<{ query: string; calls: string }>('SELECT query, calls FROM pg_stat_statements');
    for (const query of workload.queries) {
      const match = rows.find((row) => matchesMarker(row.query, query.marker));
      assert.ok(match, `${query.name}: no statement containing ${query.marker}`);
      assert.equal(Number(match.calls), query.calls, query.name);
    }
  });

  it('the sort spills to disk and the stale statistics misestimate', async () => {
    const sort = workload.queries.find((query) => query.name === 'big_sort');
    const plan = (await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, FORMAT TEXT) ${sort?.sample}`)).map((r) => r['QUERY PLAN']).join('\n');
    assert.match(plan, /external merge/);
    const [estimate] = await pg.query<{ reltuples: number }>(`SELECT reltuples FROM pg_class WHERE relname = 'events'`);
    assert.ok(estimate.reltuples < 2000, `events reltuples ${estimate.reltuples}`);
  });

  it('holds a lock that blocks another session', async () => {
    const lock = await holdPostgresLock(pg);
    try {
      const [row] = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0`);
      assert.equal(Number(row.n), 1);
    } finally {
      await lock.release();
    }
  });

  it('stop() ends the server and removes its directory', async () => {
    const other = await startPostgres(13);
    assert.ok(existsSync(other.dir));
    await other.stop();
    assert.ok(!existsSync(other.dir));
    await assert.rejects(other.query('SELECT 1'));
  });
});

describe('harness: MariaDB + workload', () => {
  let db: MariadbServer;
  let workload: WorkloadResult;
  before(async () => {
    db = await startMariadb();
    workload = await runMariadbWorkload(db);
  });
  after(async () => {
    await db?.stop();
  });

  it('performance_schema and the statement consumers are on', async () => {
    const consumers = await db.query<{ NAME: string; ENABLED: string }>(
      `SELECT NAME, ENABLED FROM performance_schema.setup_consumers WHERE NAME LIKE 'events_statements%'`);
    assert.deepEqual(consumers.map((c) => c.ENABLED), ['YES', 'YES', 'YES']);
  });

  it('the workload statements are digests with their call counts', async () => {
    const rows = await db.query<{ DIGEST_TEXT: string; COUNT_STAR: number }>(
      `SELECT DIGEST_TEXT, COUNT_STAR FROM performance_schema.events_statements_summary_by_digest WHERE SCHEMA_NAME = 'shop'`);
    for (const query of workload.queries) {
      const match = rows.find((row) => matchesMarker(row.DIGEST_TEXT ?? '', query.marker));
      assert.ok(match, `${query.name}: no digest containing ${query.marker}`);
      assert.equal(Number(match.COUNT_STAR), query.calls, query.name);
    }
  });

  it('holds a lock that blocks another session', async () => {
    const lock = await holdMariadbLock(db);
    try {
      const rows = await db.query<{ n: number }>(`SELECT count(*) AS n FROM information_schema.INNODB_LOCK_WAITS`);
      assert.equal(Number(rows[0].n), 1);
    } finally {
      await lock.release();
    }
  });
});
