// One collection cycle of the database collector (no EXPLAIN) against PostgreSQL 17 and MariaDB whose
// pg_stat_statements / statement digest table holds 500, 5,000 and 20,000 distinct statements, beside the baseline
// in the same loop: one connection that fetches every row of the view and ranks in JavaScript. Goal: the collector's
// whole cycle (every section, not only the top lists) is never slower than that fetch, and what it reads back is
// bounded by the top k, not by the number of statements (rows received, counted on the session; MariaDB samples at
// most one row per digest). A second cycle per round keeps the digest texts of earlier cycles and, on MariaDB, the
// size of the digest summary (one whole read when it is small), as serve does and a cron command from its second run
// on (<state_dir>/digest-texts.json); on MariaDB that whole read is also timed against the two reads it replaces
// (ranked without texts, then the top texts), interleaved on one session.
//
//   node --require ./test/harness/register.js bench/db-collect.ts [--rounds N] [--sizes 500,5000,20000]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { collectDatabase, type SessionOpener } from '../src/collectors/db/databases';
import { DigestTextCache } from '../src/collectors/db/mysql';
import { digestTextsSql, MARIADB_WHOLE_READ_MAX, MY_DIGEST_ALL_MARIADB, MY_DIGEST_COLLECT_MARIADB } from '../src/collectors/db/mysql-sql';
import type { DatabaseConfig } from '../src/core/config';
import { openMysql } from '../src/sources/mysql';
import { openPostgres } from '../src/sources/postgres';
import type { Row, SqlSession } from '../src/sources/sql';
import { testConfig } from '../test/harness/dbconfig';
import { startMariadb } from '../test/harness/mariadb';
import { startPostgres } from '../src/demo/embedded-postgres';

const LIMITS = { limit: 10, min_calls: 2 };
const COLUMNS = 100;

/** Statement i of the workload: distinct for every i below 3 * COLUMNS^2 (constants are normalized away). */
function statement(i: number): string {
  const operator = ['=', '<', '>'][Math.floor(i / (COLUMNS * COLUMNS))];
  return `SELECT c${i % COLUMNS} FROM w WHERE c${Math.floor(i / COLUMNS) % COLUMNS} ${operator} ${i}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The statements of a cycle that stand in for the baseline's fetch: the totals, the top lists, their samples. */
const TOP_LIST_STATEMENT = /^(PGSS_|MY_DIGEST|MY_PREPARED|MY_HISTORY_SAMPLES)/;

/** A session that counts the rows it receives and the time each statement takes, by statement name, and the time
 * spent in the top-list statements. */
function counting(session: SqlSession, rows: Map<string, number>, topListMs: number[], statementMs: Map<string, number[]>): SqlSession {
  return {
    async query<R extends Row = Row>(name: string, sql: string, params?: readonly unknown[]): Promise<R[]> {
      const started = performance.now();
      const result = await session.query<R>(name, sql, params);
      const elapsed = performance.now() - started;
      if (TOP_LIST_STATEMENT.test(name)) topListMs[topListMs.length - 1]! += elapsed;
      statementMs.set(name, [...(statementMs.get(name) ?? []), elapsed]);
      rows.set(name, (rows.get(name) ?? 0) + result.length);
      return result;
    },
    readOnly: (work, options) => session.readOnly(work, options),
    get queriesSent() {
      return session.queriesSent;
    },
    close: () => session.close(),
  };
}

interface Engine {
  label: string;
  config: DatabaseConfig;
  open: SessionOpener;
  /** Runs statements first..last-1 of the workload, a third of them twice (above min_calls). */
  grow(first: number, last: number): Promise<void>;
  count(): Promise<number>;
  baselineSql: string;
  /** MariaDB: time the whole read of the digest summary against the ranked read plus the top texts. */
  comparesDigestReads: boolean;
}

/** One whole read of the digest summary (MY_DIGEST_ALL_MARIADB, bounded) and the two reads it replaces, timed. */
async function timeDigestReads(session: SqlSession): Promise<{ whole: number; ranked: number }> {
  let started = performance.now();
  await session.query('MY_DIGEST_ALL', MY_DIGEST_ALL_MARIADB, [MARIADB_WHOLE_READ_MAX + 1]);
  const whole = performance.now() - started;
  started = performance.now();
  const rows = await session.query('MY_DIGEST_COLLECT', MY_DIGEST_COLLECT_MARIADB, [LIMITS.min_calls, LIMITS.limit, LIMITS.min_calls, LIMITS.limit]);
  const ids = [...new Set(rows.filter((row) => row.ranking !== null).map((row) => String(row.id)))];
  await session.query('MY_DIGEST_TEXTS', digestTextsSql(ids.length), ids);
  return { whole, ranked: performance.now() - started };
}

async function measure(engine: Engine, size: number, rounds: number): Promise<boolean> {
  const collector: number[] = [];
  // serve's cycle: the digest texts of the previous cycles kept (MySQL/MariaDB), as its databases collector does and
  // a cron command's next run from its file.
  const kept = new DigestTextCache();
  const warm: number[] = [];
  const wholeReads: number[] = [];
  const rankedReads: number[] = [];
  const topLists: number[] = [];
  const baseline: number[] = [];
  const statementMs = new Map<string, number[]>();
  let received = new Map<string, number>();
  let baselineRows = 0;
  for (let round = 0; round < rounds; round += 1) {
    received = new Map();
    topLists.push(0);
    let started = performance.now();
    const report = await collectDatabase(engine.config, LIMITS, async (db) => counting(await engine.open(db), received, topLists, statementMs));
    collector.push(performance.now() - started);
    if (report.slow_queries.length !== LIMITS.limit) {
      throw new Error(`${engine.label}: expected a full top ${LIMITS.limit}, got ${report.slow_queries.length}: ${JSON.stringify(report.problems)}`);
    }

    started = performance.now();
    const warmReport = await collectDatabase(engine.config, LIMITS, engine.open, undefined, undefined, undefined, kept);
    warm.push(performance.now() - started);
    if (warmReport.slow_queries.length !== LIMITS.limit) throw new Error(`${engine.label}: the cycle with texts kept has no full top ${LIMITS.limit}`);

    if (engine.comparesDigestReads) {
      const session = await engine.open(engine.config);
      const reads = await timeDigestReads(session);
      await session.close();
      wholeReads.push(reads.whole);
      rankedReads.push(reads.ranked);
    }

    started = performance.now();
    const session = await engine.open(engine.config);
    const rows = await session.query<{ calls: unknown; mean: unknown; total: unknown }>('BASELINE_ALL_ROWS', engine.baselineSql);
    const ranked = rows.filter((row) => Number(row.calls) >= LIMITS.min_calls);
    const byMean = [...ranked].sort((a, b) => Number(b.mean) - Number(a.mean)).slice(0, LIMITS.limit);
    const byTotal = [...ranked].sort((a, b) => Number(b.total) - Number(a.total)).slice(0, LIMITS.limit);
    await session.close();
    baseline.push(performance.now() - started);
    baselineRows = rows.length;
    if (byMean.length !== LIMITS.limit || byTotal.length !== LIMITS.limit) throw new Error('baseline: no top 10');
  }
  const total = [...received.values()].reduce((sum, rows) => sum + rows, 0);
  const samples = [...received].filter(([name]) => name.includes('SAMPLES')).reduce((sum, [, rows]) => sum + rows, 0);
  const ok = median(collector) <= median(baseline);
  process.stdout.write(`${engine.label.padEnd(10)} ${String(size).padStart(6)}  cycle ${median(collector).toFixed(1).padStart(7)} ms, `
    + `of which top lists ${median(topLists).toFixed(1).padStart(6)} ms (${String(total).padStart(3)} rows received${samples ? `, ${samples} samples` : ''})   `
    + `baseline ${median(baseline).toFixed(1).padStart(7)} ms (${baselineRows} rows)   `
    + `cycle ${(median(collector) / median(baseline)).toFixed(2)}x, top lists ${(median(topLists) / median(baseline)).toFixed(2)}x  ${ok ? 'ok' : 'SLOWER'}\n`
    + `${''.padEnd(18)}cycle with the digest texts of earlier cycles kept (serve; a cron run after the first) ${median(warm).toFixed(1)} ms, ${(median(warm) / median(baseline)).toFixed(2)}x\n`
    + (wholeReads.length > 0 ? `${''.padEnd(18)}digest summary: whole read (at most ${MARIADB_WHOLE_READ_MAX + 1} rows) ${median(wholeReads).toFixed(1)} ms, `
      + `ranked read + top texts ${median(rankedReads).toFixed(1)} ms\n` : '')
    + `${''.padEnd(18)}by statement (median ms): ${[...statementMs].map(([name, times]) => `${name} ${median(times).toFixed(1)}`).join(', ')}\n`);
  return ok;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, sizes: { type: 'string', default: '500,5000,20000' } } });
  const rounds = Number(values.rounds);
  const sizes = String(values.sizes).split(',').map(Number);
  const largest = Math.max(...sizes);
  const table = `CREATE TABLE w (${Array.from({ length: COLUMNS }, (_, i) => `c${i} int`).join(', ')})`;
  const cleanups: Array<() => Promise<void>> = [];
  let allOk = true;
  try {
    const pg = await startPostgres(17, { 'pg_stat_statements.max': String(largest + 1000) });
    cleanups.push(() => pg.stop());
    const maria = await startMariadb({ extraArgs: [`--performance-schema-digests-size=${largest + 1000}`] });
    cleanups.push(() => maria.stop());
    const setup = testConfig([
      { name: 'bench_pg', engine: 'postgresql', url: pg.url() },
      { name: 'bench_maria', engine: 'mysql', url: maria.url('bench') },
    ]);
    cleanups.push(async () => setup.cleanup());

    const pgClient = await pg.connect();
    cleanups.push(() => pgClient.end());
    await pgClient.query('CREATE EXTENSION pg_stat_statements');
    await pgClient.query(table);
    await pgClient.query('SELECT pg_stat_statements_reset()');
    const mariaClient = await maria.connect('mysql');
    cleanups.push(() => mariaClient.end());
    await mariaClient.query('CREATE DATABASE bench');
    await mariaClient.query('USE bench');
    await mariaClient.query(table);
    await mariaClient.query('TRUNCATE performance_schema.events_statements_summary_by_digest');
    const engines: Engine[] = [
      {
        label: 'PostgreSQL', config: setup.config.databases[0]!, open: openPostgres,
        grow: async (first, last) => {
          for (let i = first; i < last; i += 1) {
            await pgClient.query(statement(i));
            if (i % 3 === 0) await pgClient.query(statement(i));
          }
        },
        count: async () => Number((await pgClient.query('SELECT count(*) AS n FROM pg_stat_statements')).rows[0].n),
        baselineSql: 'SELECT queryid, query, calls, mean_exec_time AS mean, total_exec_time AS total, max_exec_time, rows FROM public.pg_stat_statements',
        comparesDigestReads: false,
      },
      {
        label: 'MariaDB', config: setup.config.databases[1]!, open: openMysql,
        grow: async (first, last) => {
          for (let i = first; i < last; i += 1) {
            await mariaClient.query(statement(i));
            if (i % 3 === 0) await mariaClient.query(statement(i));
          }
        },
        count: async () => {
          const [rows] = await mariaClient.query('SELECT COUNT(*) AS n FROM performance_schema.events_statements_summary_by_digest');
          return Number((rows as Array<{ n: unknown }>)[0]?.n);
        },
        baselineSql: `SELECT DIGEST AS id, SCHEMA_NAME, DIGEST_TEXT, COUNT_STAR AS calls, SUM_TIMER_WAIT / COUNT_STAR AS mean,
          SUM_TIMER_WAIT AS total, MAX_TIMER_WAIT, SUM_ROWS_SENT, SUM_ROWS_EXAMINED FROM performance_schema.events_statements_summary_by_digest`,
        comparesDigestReads: true,
      },
    ];
    process.stdout.write(`PostgreSQL ${pg.version}, MariaDB ${maria.version}; medians of ${rounds} cycles each, alternating with the baseline\n`);
    let grown = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      for (const engine of engines) await engine.grow(grown, size);
      grown = size;
      for (const engine of engines) {
        const held = await engine.count();
        if (held < size) throw new Error(`${engine.label} holds ${held} statements, expected at least ${size}`);
        allOk = (await measure(engine, size, rounds)) && allOk;
      }
    }
    process.stdout.write(`goal: the collector's whole cycle never slower than fetching every row: ${allOk ? 'met' : 'MISSED'}\n`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
