// One MySQL or MariaDB database's part of the report: version and flavor, sessions by state against
// max_connections, latency and top statements from performance_schema digests (MySQL 8 with QUERY_SAMPLE_TEXT;
// MariaDB with literal samples from the statement history tables when their consumers are on), InnoDB buffer pool
// hit ratio, longest query and transaction, blocked sessions, and the processlist. Missing privileges or
// performance_schema off become named problems with the statement that fixes them.
import type { DatabaseReport, RunningQuery, SlowQuery } from '../../core/report';
import { mysqlFlavor } from '../../sources/mysql';
import type { Row, SqlSession } from '../../sources/sql';
import { statementFingerprint } from '../../parsers/logs/mysql-slow-log';
import { attempt, longestSeconds, numberOf, numberOrNull, problemFromError, rankRunningQueries, type SlowQueryLimits } from './common';
import {
  historySamplesSql, historySamplesSql57, MY_ACTIVITY_WITH_TRX, MY_ACTIVITY_WITHOUT_TRX, MY_BUFFER_POOL, MY_CONSUMERS,
  MY_DIGEST_TOTALS, MY_PREPARED_TOP, MY_RUNNING, MY_SETTINGS, mysqlDigestTopSql,
} from './mysql-sql';

const RUNNING_LIMIT = 10;
const HISTORY_TABLES = ['events_statements_current', 'events_statements_history', 'events_statements_history_long'] as const;

interface Settings extends Row {
  version: string;
  version_comment: string | null;
  max_connections: unknown;
  performance_schema: unknown;
  user_name: string;
  has_process: unknown;
}

/** 'user'@'host' as GRANT wants it, from CURRENT_USER() ("user@host"). */
export function grantee(currentUser: string): string {
  const at = currentUser.lastIndexOf('@');
  return at < 0 ? `'${currentUser}'` : `'${currentUser.slice(0, at)}'@'${currentUser.slice(at + 1)}'`;
}

/** Which statement history tables are filled: the consumer and its parents (global, thread, current) are on. */
export function effectiveHistoryTables(consumers: readonly Row[]): Array<(typeof HISTORY_TABLES)[number]> {
  const on = new Set(consumers.filter((row) => String(row.enabled).toUpperCase() === 'YES').map((row) => String(row.name)));
  if (!on.has('global_instrumentation') || !on.has('thread_instrumentation') || !on.has('events_statements_current')) return [];
  return HISTORY_TABLES.filter((table) => on.has(table));
}

export async function collectMysql(session: SqlSession, report: DatabaseReport, limits: SlowQueryLimits): Promise<void> {
  const problems = report.problems;
  const [settings] = await session.query<Settings>('MY_SETTINGS', MY_SETTINGS);
  if (settings === undefined) throw new Error('MY_SETTINGS returned no row');
  report.version = settings.version;
  const flavor = mysqlFlavor(settings.version, settings.version_comment);
  report.flavor = flavor;
  const user = grantee(settings.user_name);
  const maxConnections = numberOf(settings.max_connections);
  const hasProcess = numberOf(settings.has_process) > 0;
  if (!hasProcess) {
    problems.push({
      code: 'missing_privilege_process',
      message: `${user} lacks PROCESS: only its own sessions are visible, and InnoDB transactions (idle in transaction, transaction age, blocked sessions) are not`,
      remedy: `GRANT PROCESS ON *.* TO ${user};`,
    });
  }

  await attempt(problems, 'MY_ACTIVITY', async () => {
    const [row] = await session.query(hasProcess ? 'MY_ACTIVITY_WITH_TRX' : 'MY_ACTIVITY_WITHOUT_TRX', hasProcess ? MY_ACTIVITY_WITH_TRX : MY_ACTIVITY_WITHOUT_TRX);
    if (row === undefined) return;
    const total = numberOf(row.total);
    report.connections = {
      active: numberOf(row.active), idle: numberOf(row.idle), idle_in_transaction: numberOf(row.idle_in_transaction),
      waiting: numberOf(row.waiting), total, max_connections: maxConnections,
      usage_ratio: maxConnections > 0 ? total / maxConnections : 0,
    };
    report.longest_query_seconds = longestSeconds(row.longest_query_seconds, hasProcess);
    report.longest_transaction_seconds = longestSeconds(row.longest_transaction_seconds, hasProcess);
    report.blocked_sessions = numberOf(row.blocked);
  });

  const running = await attempt(problems, 'MY_RUNNING', async () =>
    (await session.query('MY_RUNNING', MY_RUNNING, [RUNNING_LIMIT])).map((row): RunningQuery => ({
      pid: numberOf(row.pid), database: row.db === null ? null : String(row.db), user: row.user_name === null ? null : String(row.user_name),
      state: row.state === null ? null : String(row.state), duration_seconds: numberOf(row.duration_seconds), query: String(row.query ?? ''),
    }))) ?? [];
  report.running_queries = running;

  await attempt(problems, 'MY_BUFFER_POOL', async () => {
    const rows = await session.query('MY_BUFFER_POOL', MY_BUFFER_POOL);
    const value = (name: string): number => numberOf(rows.find((row) => String(row.Variable_name).toLowerCase() === name.toLowerCase())?.Value);
    const requests = value('Innodb_buffer_pool_read_requests');
    report.cache_hit_ratio = requests > 0 ? 1 - value('Innodb_buffer_pool_reads') / requests : null;
  });

  if (numberOf(settings.performance_schema) === 0) {
    problems.push({
      code: 'performance_schema_off',
      message: 'performance_schema is OFF: no statement digests, so slow queries come from the processlist (running statements only)',
      remedy: `set performance_schema = ON in the [mysqld] section of the server's option file${flavor === 'mariadb' ? ' (with performance-schema-consumer-events-statements-history-long = ON for samples)' : ''} and restart; it cannot be switched on at run time`,
    });
    fallBackToProcesslist(report, running);
    return;
  }

  const consumers = await session.query('MY_CONSUMERS', MY_CONSUMERS).catch((error: unknown) => {
    problems.push(performanceSchemaProblem(error, user));
    return null;
  });
  if (consumers === null) {
    fallBackToProcesslist(report, running);
    return;
  }
  const digestOn = consumers.some((row) => row.name === 'statements_digest' && String(row.enabled).toUpperCase() === 'YES');
  if (!digestOn) {
    problems.push({
      code: 'statements_digest_off',
      message: 'the statements_digest consumer is off: the digest summary is not being updated',
      remedy: "UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME = 'statements_digest'; (and performance-schema-consumer-statements-digest = ON in the option file)",
    });
  }

  const totalsOk = await attempt(problems, 'MY_DIGEST_TOTALS', async () => {
    const [totals] = await session.query('MY_DIGEST_TOTALS', MY_DIGEST_TOTALS);
    const calls = numberOf(totals?.calls);
    report.latency = { mean_ms: calls > 0 ? numberOf(totals?.total_ms) / calls : null, calls, source: 'performance_schema.events_statements_summary_by_digest' };
    if (numberOf(totals?.overflow_calls) > 0) {
      problems.push({
        code: 'digest_table_full',
        message: `the digest summary is full: ${numberOf(totals?.overflow_calls)} calls were counted in the NULL-digest row and cannot be ranked`,
        remedy: 'raise performance_schema_digests_size (restart), or TRUNCATE performance_schema.events_statements_summary_by_digest',
      });
    }
    return true;
  });
  if (totalsOk !== true) {
    fallBackToProcesslist(report, running);
    return;
  }

  const major = Number(/^(\d+)/.exec(settings.version)?.[1] ?? 0);
  // min_calls holds for both lists: a statement run once is not a pattern, by mean or by total.
  const ranking = [limits.min_calls, limits.limit, limits.min_calls, limits.limit];
  const digestTop = await attempt(problems, 'MY_DIGEST_TOP', () =>
    session.query('MY_DIGEST_TOP', mysqlDigestTopSql(flavor, major), ranking));
  if (digestTop === undefined) return;
  const preparedTop = await attempt(problems, 'MY_PREPARED_TOP', () =>
    session.query('MY_PREPARED_TOP', MY_PREPARED_TOP, ranking)) ?? [];
  const top = mergePrepared(digestTop, preparedTop);
  const preparedIds = new Set(top.filter((row) => preparedTop.includes(row)).map((row) => String(row.id)));

  // Literal samples: MySQL 8's QUERY_SAMPLE_TEXT first, then the statement history tables that are filled.
  const samples = new Map<string, { sample: string; source: string }>();
  for (const row of top) {
    if (row.sample !== null && row.sample !== undefined) samples.set(sampleKey(row.schema_name, row.id), { sample: String(row.sample), source: 'events_statements_summary_by_digest' });
  }
  const tables = effectiveHistoryTables(consumers);
  // Prepared statements have no digest: the history tables cannot give them a sample.
  const missingIds = (): string[] =>
    [...new Set(top.filter((row) => !samples.has(sampleKey(row.schema_name, row.id)) && !preparedIds.has(String(row.id)))
      .map((row) => String(row.id)))];
  if (missingIds().length > 0 && tables.length > 0) {
    // history_long first (it holds the most statements), then history, then the statements running now: each
    // table asked only for the digests still without a sample.
    for (const table of [...tables].reverse()) {
      const ids = missingIds();
      if (ids.length === 0) break;
      const rows = await attempt(problems, `MY_HISTORY_SAMPLES ${table}`, () =>
        session.query(`MY_HISTORY_SAMPLES_${table.toUpperCase()}`,
          flavor === 'mysql' && major < 8 ? historySamplesSql57(table, ids.length) : historySamplesSql(table, ids.length), ids));
      for (const row of rows ?? []) {
        const key = sampleKey(row.schema_name, row.id);
        if (!samples.has(key)) samples.set(key, { sample: String(row.sample), source: table });
      }
    }
  } else if (missingIds().length > 0 && flavor === 'mariadb') {
    problems.push({
      code: 'statement_history_off',
      message: 'no runnable samples: the events_statements_history_long (or _history) consumer, with events_statements_current, is off',
      remedy: "UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('events_statements_current', 'events_statements_history', 'events_statements_history_long'); (and the performance-schema-consumer-* options in the option file)",
    });
  }

  const toSlowQuery = (row: Row, rank: number): SlowQuery => {
    const found = samples.get(sampleKey(row.schema_name, row.id));
    const query: SlowQuery = {
      rank, id: String(row.id), query: String(row.query), calls: numberOf(row.calls), mean_ms: numberOf(row.mean_ms),
      total_ms: numberOf(row.total_ms), max_ms: numberOrNull(row.max_ms), rows: numberOf(row.rows_sent),
      rows_examined: numberOf(row.rows_examined), sample: found?.sample ?? null,
      database: row.schema_name === null || row.schema_name === undefined ? null : String(row.schema_name), user: null,
    };
    if (found) query.sample_source = found.source;
    return query;
  };
  report.slow_query_source = 'performance_schema';
  // Digests and prepared statements each bring their own top `limit`; the merged lists keep the best `limit`.
  report.slow_queries = top.filter((row) => row.ranking === 'mean').sort((a, b) => numberOf(b.mean_ms) - numberOf(a.mean_ms))
    .slice(0, limits.limit).map((row, index) => toSlowQuery(row, index + 1));
  report.slow_queries_by_total = top.filter((row) => row.ranking === 'total').sort((a, b) => numberOf(b.total_ms) - numberOf(a.total_ms))
    .slice(0, limits.limit).map((row, index) => toSlowQuery(row, index + 1));
}

/**
 * Digest rows and prepared-statement rows in one list. A prepared statement whose executions the server also counts
 * under a digest (MySQL 8 instruments some as statement/sql/*) would be ranked twice: the digest row, which can
 * carry a sample, is kept.
 */
export function mergePrepared(digestRows: readonly Row[], preparedRows: readonly Row[]): Row[] {
  const key = (row: Row): string => `${String(row.ranking)}\u0000${String(row.schema_name ?? '')}\u0000${statementFingerprint(String(row.query))}`;
  const digested = new Set(digestRows.map(key));
  return [...digestRows, ...preparedRows.filter((row) => !digested.has(key(row)))];
}

function sampleKey(schema: unknown, id: unknown): string {
  return `${schema === null || schema === undefined ? '' : String(schema)}\u0000${String(id)}`;
}

function performanceSchemaProblem(error: unknown, user: string): ReturnType<typeof problemFromError> {
  const problem = problemFromError('MY_CONSUMERS', error);
  if (problem.code !== 'permission_denied') return problem;
  return {
    code: 'missing_privilege_performance_schema',
    message: `${user} may not read performance_schema: no statement digests, so slow queries come from the processlist`,
    remedy: `GRANT SELECT ON performance_schema.* TO ${user};`,
  };
}

/** Without digests: the statements running now, from the processlist. */
function fallBackToProcesslist(report: DatabaseReport, running: RunningQuery[]): void {
  report.slow_query_source = 'processlist';
  report.latency ??= { mean_ms: null, calls: 0, source: 'unavailable without performance_schema' };
  const { byMean, byTotal } = rankRunningQueries(running, 'processlist');
  report.slow_queries = byMean;
  report.slow_queries_by_total = byTotal;
}
