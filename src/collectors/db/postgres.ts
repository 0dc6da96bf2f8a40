// One PostgreSQL database's part of the report: version, connections by state against max_connections, latency,
// cache hit ratio, longest query and transaction, blocked sessions, the statements running now, and the top
// statements from pg_stat_statements (or, without it, from pg_stat_activity). Each section that fails becomes a
// named problem; the others are still reported.
import type { DatabaseReport, Problem, RunningQuery, SlowQuery } from '../../core/report';
import type { Row, SqlSession } from '../../sources/sql';
import { attempt, longestSeconds, numberOrNull, numberOf, rankRunningInstead, type SlowQueryLimits } from './common';
import {
  PG_ACTIVITY, PG_CACHE, PG_SETTINGS, PG_STAT_STATEMENTS_EXTENSION, pgRunningSql, pgssCollectSql, pgssColumns,
} from './postgres-sql';

const RUNNING_LIMIT = 10;

const REMEDY_MONITOR = (user: string): string =>
  `GRANT pg_monitor TO ${user}; (pg_monitor includes pg_read_all_stats, which shows every session's statements)`;

interface Settings extends Row {
  version: string;
  version_num: number;
  max_connections: number;
  preload: string | null;
  activity_query_size: number;
  database: string;
  user_name: string;
  read_all_stats: boolean;
}

/** Split by concern: settings and privileges, connections, the statements running now, cache, then the rankings. */
export async function collectPostgres(session: SqlSession, report: DatabaseReport, limits: SlowQueryLimits): Promise<void> {
  const settings = await readSettings(session, report);
  await attempt(report.problems, 'PG_ACTIVITY', () => collectConnections(session, report, settings));
  const running = await attempt(report.problems, 'PG_RUNNING', () => readRunning(session, settings)) ?? [];
  report.running_queries = running.map((item) => item.entry);
  await attempt(report.problems, 'PG_CACHE', () => collectCacheHitRatio(session, report));
  await collectRankings(session, report, settings, limits, running);
}

async function readSettings(session: SqlSession, report: DatabaseReport): Promise<Settings> {
  const [settings] = await session.query<Settings>('PG_SETTINGS', PG_SETTINGS);
  if (settings === undefined) throw new Error('PG_SETTINGS returned no row');
  report.version = settings.version;
  report.flavor = 'postgresql';
  if (!settings.read_all_stats) {
    report.problems.push({
      code: 'missing_privilege_pg_read_all_stats',
      message: `role ${settings.user_name} is not a member of pg_read_all_stats: other roles' sessions and statements are hidden`,
      remedy: REMEDY_MONITOR(settings.user_name),
    });
  }
  return settings;
}

async function collectConnections(session: SqlSession, report: DatabaseReport, settings: Settings): Promise<void> {
  const [row] = await session.query('PG_ACTIVITY', PG_ACTIVITY);
  if (row === undefined) return;
  const total = numberOf(row.total);
  report.connections = {
    active: numberOf(row.active),
    idle: numberOf(row.idle),
    idle_in_transaction: numberOf(row.idle_in_transaction),
    waiting: numberOf(row.waiting),
    total,
    max_connections: settings.max_connections,
    usage_ratio: settings.max_connections > 0 ? total / settings.max_connections : 0,
  };
  report.longest_query_seconds = longestSeconds(row.longest_query_seconds, settings.read_all_stats);
  report.longest_transaction_seconds = longestSeconds(row.longest_transaction_seconds, settings.read_all_stats);
  report.blocked_sessions = numberOf(row.blocked);
}

/** A statement running now, with its pg_stat_statements query id where the server gives one (14+). */
interface Running {
  query_id: string | null;
  entry: RunningQuery;
}

async function readRunning(session: SqlSession, settings: Settings): Promise<Running[]> {
  const rows = await session.query('PG_RUNNING', pgRunningSql(settings.version_num), [RUNNING_LIMIT]);
  return rows.map((row) => ({
    query_id: row.query_id === null || row.query_id === '0' ? null : String(row.query_id),
    entry: {
      pid: numberOf(row.pid),
      database: row.datname === null ? null : String(row.datname),
      user: row.usename === null ? null : String(row.usename),
      state: row.state === null ? null : String(row.state),
      duration_seconds: numberOf(row.duration_seconds),
      query: String(row.query ?? ''),
    },
  }));
}

async function collectCacheHitRatio(session: SqlSession, report: DatabaseReport): Promise<void> {
  const [row] = await session.query('PG_CACHE', PG_CACHE);
  const hit = numberOf(row?.hit);
  const read = numberOf(row?.read);
  report.cache_hit_ratio = hit + read > 0 ? hit / (hit + read) : null;
}

/** The top statements from pg_stat_statements (by mean and by total time), or without it those running now. */
async function collectRankings(session: SqlSession, report: DatabaseReport, settings: Settings, limits: SlowQueryLimits,
  running: readonly Running[]): Promise<void> {
  const { problems } = report;
  const extension = await attempt(problems, 'PG_STAT_STATEMENTS_EXTENSION', async () => (await session
    .query<{ version: string; schema: string }>('PG_STAT_STATEMENTS_EXTENSION', PG_STAT_STATEMENTS_EXTENSION))[0] ?? null);
  const preloaded = settings.preload === null ? null
    : settings.preload.split(',').map((item) => item.trim()).includes('pg_stat_statements');
  if (extension === null || extension === undefined) {
    if (extension === null) problems.push(missingExtensionProblem(preloaded, settings.database));
    rankRunningInstead(report, running.map((item) => item.entry), 'pg_stat_activity', 'pg_stat_statements');
    return;
  }
  const columns = pgssColumns(extension.version);
  const rows = await attempt(problems, 'PGSS_COLLECT', () => session.query('PGSS_COLLECT',
    pgssCollectSql(columns, extension.schema, settings.version_num >= 120000), [limits.min_calls, limits.limit]));
  if (rows === undefined) {
    rankRunningInstead(report, running.map((item) => item.entry), 'pg_stat_activity', 'pg_stat_statements');
    return;
  }
  const totals = rows[0];
  const calls = numberOf(totals?.all_calls);
  const meanMs = calls > 0 ? numberOf(totals?.all_total_ms) / calls : null;
  report.latency = { mean_ms: meanMs, calls, source: `pg_stat_statements ${extension.version}` };
  const hidden = numberOf(totals?.hidden);
  if (hidden > 0) {
    problems.push({
      code: 'insufficient_privilege_pg_stat_statements',
      message: `${hidden} of ${numberOf(totals?.statements)} pg_stat_statements rows show <insufficient privilege> (NULL queryid) `
        + `to ${settings.user_name} and cannot be ranked`,
      remedy: REMEDY_MONITOR(settings.user_name),
    });
  }
  const samples = literalSamples(running, settings.activity_query_size);
  const byMean = rows.filter((row) => row.ranking === 'mean').sort((a, b) => numberOf(b.mean_ms) - numberOf(a.mean_ms));
  const byTotal = rows.filter((row) => row.ranking === 'total').sort((a, b) => numberOf(b.total_ms) - numberOf(a.total_ms));
  report.slow_query_source = 'pg_stat_statements';
  report.slow_queries = byMean.map((row, index) => slowQuery(row, index + 1, samples));
  report.slow_queries_by_total = byTotal.map((row, index) => slowQuery(row, index + 1, samples));
}

/** A running statement's text is a literal sample of its pg_stat_statements entry, unless it was cut at
 * track_activity_query_size. */
function literalSamples(running: readonly Running[], activityQuerySize: number): Map<string, string> {
  const samples = new Map<string, string>();
  for (const item of running) {
    if (item.query_id !== null && item.entry.query.length < activityQuerySize - 1) samples.set(item.query_id, item.entry.query);
  }
  return samples;
}

function slowQuery(row: Row, rank: number, samples: ReadonlyMap<string, string>): SlowQuery {
  const id = String(row.id);
  const sample = samples.get(id) ?? null;
  const query: SlowQuery = {
    rank, id, query: String(row.query), calls: numberOf(row.calls), mean_ms: numberOf(row.mean_ms),
    total_ms: numberOf(row.total_ms), max_ms: numberOrNull(row.max_ms), rows: numberOf(row.rows), sample,
    database: row.database === null ? null : String(row.database), user: row.user_name === null ? null : String(row.user_name),
    io_read_ms: numberOrNull(row.io_read_ms),
  };
  if (sample !== null) query.sample_source = 'pg_stat_activity';
  return query;
}

/** preloaded null: this role may not read shared_preload_libraries, so the remedy names both steps. */
function missingExtensionProblem(preloaded: boolean | null, database: string): Problem {
  if (preloaded === true) {
    return {
      code: 'pg_stat_statements_not_created',
      message: `pg_stat_statements is loaded but the extension is not created in database ${database}; `
        + 'slow queries come from pg_stat_activity (running statements only)',
      remedy: `as a superuser, in database ${database}: CREATE EXTENSION pg_stat_statements;`,
    };
  }
  return {
    code: 'pg_stat_statements_not_loaded',
    message: preloaded === false
      ? 'pg_stat_statements is not in shared_preload_libraries; slow queries come from pg_stat_activity (running statements only)'
      : `pg_stat_statements is not created in database ${database} (and this role may not read shared_preload_libraries); `
        + 'slow queries come from pg_stat_activity (running statements only)',
    remedy: "set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf (keep any existing entries), restart "
      + `PostgreSQL, then in database ${database}: CREATE EXTENSION pg_stat_statements;`,
  };
}
