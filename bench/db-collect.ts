// One collection cycle of the database collector against a PostgreSQL 17 whose pg_stat_statements holds 5,000
// distinct statements. Goal: <= 300 ms per cycle and a bounded number of statements sent (counted on the session).
// Baseline in the same loop: the naive way, fetching every pg_stat_statements row and ranking in JavaScript.
//
//   node --require ./test/harness/register.js bench/db-collect.ts
import { performance } from 'node:perf_hooks';
import { collectDatabase } from '../src/collectors/db/databases';
import type { DatabaseConfig } from '../src/core/config';
import { openPostgres } from '../src/sources/postgres';
import type { SqlSession } from '../src/sources/sql';
import { testConfig } from '../test/harness/dbconfig';
import { startPostgres } from '../test/harness/postgres';

const STATEMENTS = 5000;
const ROUNDS = 15;
const GOAL_MS = 300;
const COLUMNS = 100;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const pg = await startPostgres(17);
  const setup = testConfig([{ name: 'bench', engine: 'postgresql', url: pg.url() }]);
  try {
    const client = await pg.connect();
    await client.query('CREATE EXTENSION pg_stat_statements');
    await client.query(`CREATE TABLE w (${Array.from({ length: COLUMNS }, (_, i) => `c${i} int`).join(', ')})`);
    await client.query('SELECT pg_stat_statements_reset()');
    // Distinct statements: the column numbers are part of the query id, constants are not.
    for (let i = 0; i < STATEMENTS; i += 1) {
      const sql = `SELECT c${i % COLUMNS} FROM w WHERE c${Math.floor(i / COLUMNS)} = ${i}`;
      await client.query(sql);
      if (i % 3 === 0) await client.query(sql); // a third of them above the floor on calls
    }
    await client.end();
    const [{ n }] = await pg.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_statements');
    process.stdout.write(`pg_stat_statements holds ${n} statements (PostgreSQL ${pg.version})\n`);

    const config = setup.config.databases[0] as DatabaseConfig;
    const limits = { limit: 10, min_calls: 2 };
    const collector: number[] = [];
    const naive: number[] = [];
    let collectorQueries = 0;
    let naiveQueries = 0;
    let naiveRows = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      let session: SqlSession | undefined;
      let started = performance.now();
      const report = await collectDatabase(config, limits, async (db) => {
        session = await openPostgres(db);
        return session;
      });
      collector.push(performance.now() - started);
      collectorQueries = session?.queriesSent ?? 0;
      if (report.slow_queries.length !== 10) throw new Error(`expected a full top 10, got ${report.slow_queries.length}: ${JSON.stringify(report.problems)}`);

      // Baseline: one connection, every row fetched, ranked client-side.
      started = performance.now();
      const baseline = await openPostgres(config);
      const rows = await baseline.query<{ calls: string; mean: number; total: number }>('BASELINE_ALL_ROWS',
        'SELECT queryid, query, calls, mean_exec_time AS mean, total_exec_time AS total, max_exec_time, rows FROM pg_stat_statements');
      const ranked = rows.filter((row) => Number(row.calls) >= limits.min_calls).sort((a, b) => b.mean - a.mean).slice(0, limits.limit);
      const byTotal = [...rows].sort((a, b) => b.total - a.total).slice(0, limits.limit);
      naiveQueries = baseline.queriesSent;
      naiveRows = rows.length;
      await baseline.close();
      naive.push(performance.now() - started);
      if (ranked.length !== 10 || byTotal.length !== 10) throw new Error('baseline: no top 10');
    }
    const line = (label: string, times: number[], queries: number, extra: string): string =>
      `${label.padEnd(34)} median ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms   ${String(queries).padStart(2)} statements sent   ${extra}\n`;
    process.stdout.write(line('db collector (full cycle)', collector, collectorQueries, 'top lists ranked in SQL'));
    process.stdout.write(line('baseline: fetch all rows, rank in JS', naive, naiveQueries, `${naiveRows} rows transferred, pgss only`));
    const verdict = percentile(collector, 95) <= GOAL_MS ? 'within' : 'OVER';
    process.stdout.write(`goal: <= ${GOAL_MS} ms per cycle: p95 ${verdict} the goal; statements per cycle bounded (${collectorQueries}, independent of the ${STATEMENTS} statements)\n`);
  } finally {
    setup.cleanup();
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
