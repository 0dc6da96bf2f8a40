// PostgreSQL SQL, as named constants chosen by server and pg_stat_statements version (as postgres_exporter does).
// Sessions run with search_path pinned to pg_catalog (src/sources/postgres.ts); catalog objects are qualified too.
// Every statement starts with the DB_SENTINEL_TAG comment (src/sources/statement-tag.ts).
import { DB_SENTINEL_TAG } from '../../sources/statement-tag';

/** Server settings. From pg_settings: track_activity_query_size in bytes (current_setting says "1kB"), and
 * shared_preload_libraries as NULL rather than an error for a role without pg_read_all_settings. */
export const PG_SETTINGS = `${DB_SENTINEL_TAG} SELECT
  pg_catalog.current_setting('server_version') AS version,
  pg_catalog.current_setting('server_version_num')::int AS version_num,
  pg_catalog.current_setting('max_connections')::int AS max_connections,
  (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'shared_preload_libraries') AS preload,
  (SELECT setting::int FROM pg_catalog.pg_settings WHERE name = 'track_activity_query_size') AS activity_query_size,
  pg_catalog.current_database() AS database,
  current_user AS user_name,
  pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats`;

export const PG_STAT_STATEMENTS_EXTENSION = `${DB_SENTINEL_TAG} SELECT e.extversion AS version, n.nspname AS schema
  FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`;

/**
 * Client backends by state, excluding this session from the state counts (but not from the total held against
 * max_connections). waiting = waiting on a heavyweight lock. Without pg_read_all_stats other roles' sessions
 * have no state and count only in the total (the collector names the missing privilege).
 */
export const PG_ACTIVITY = `${DB_SENTINEL_TAG} SELECT
  count(*) AS total,
  count(*) FILTER (WHERE pid <> pg_catalog.pg_backend_pid() AND state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock') AS active,
  count(*) FILTER (WHERE pid <> pg_catalog.pg_backend_pid() AND state = 'active' AND wait_event_type = 'Lock') AS waiting,
  count(*) FILTER (WHERE state = 'idle') AS idle,
  count(*) FILTER (WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')) AS idle_in_transaction,
  max(extract(epoch FROM now() - query_start)) FILTER (WHERE pid <> pg_catalog.pg_backend_pid() AND state = 'active') AS longest_query_seconds,
  max(extract(epoch FROM now() - xact_start)) FILTER (WHERE pid <> pg_catalog.pg_backend_pid()) AS longest_transaction_seconds,
  count(*) FILTER (WHERE pg_catalog.cardinality(pg_catalog.pg_blocking_pids(pid)) > 0) AS blocked
  FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend'`;

/** The statements running now, longest first (PostgreSQL 14+ has query_id for matching pg_stat_statements). */
export const PG_RUNNING_14 = `${DB_SENTINEL_TAG} SELECT pid, datname, usename, state, query_id::text AS query_id,
  extract(epoch FROM now() - query_start)::float8 AS duration_seconds, query
  FROM pg_catalog.pg_stat_activity
  WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_catalog.pg_backend_pid()
  ORDER BY query_start LIMIT $1`;

export const PG_RUNNING_10 = `${DB_SENTINEL_TAG} SELECT pid, datname, usename, state, NULL::text AS query_id,
  extract(epoch FROM now() - query_start)::float8 AS duration_seconds, query
  FROM pg_catalog.pg_stat_activity
  WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_catalog.pg_backend_pid()
  ORDER BY query_start LIMIT $1`;

export function pgRunningSql(versionNum: number): string {
  return versionNum >= 140000 ? PG_RUNNING_14 : PG_RUNNING_10;
}

/** Buffer cache hit ratio over all databases since the statistics reset. */
export const PG_CACHE = `${DB_SENTINEL_TAG} SELECT sum(blks_hit)::float8 AS hit, sum(blks_read)::float8 AS read `
  + 'FROM pg_catalog.pg_stat_database';

// ---- pg_stat_statements, by extension version ----------------------------------------------------------------

/** Column expressions that changed names across pg_stat_statements versions. */
export interface PgssColumns {
  total: string;
  mean: string;
  max: string;
  ioRead: string;
}

/** 1.11 (PostgreSQL 17): blk_read_time split into shared_blk_read_time and local_blk_read_time. */
export const PGSS_COLUMNS_1_11: PgssColumns = {
  total: 'total_exec_time', mean: 'mean_exec_time', max: 'max_exec_time',
  ioRead: 'shared_blk_read_time + local_blk_read_time',
};
/** 1.8 (PostgreSQL 13) to 1.10: *_time became *_exec_time (planning time is separate). */
export const PGSS_COLUMNS_1_8: PgssColumns = {
  total: 'total_exec_time', mean: 'mean_exec_time', max: 'max_exec_time', ioRead: 'blk_read_time',
};
/** Up to 1.7 (PostgreSQL 12 and older). */
export const PGSS_COLUMNS_LEGACY: PgssColumns = {
  total: 'total_time', mean: 'mean_time', max: 'max_time', ioRead: 'blk_read_time',
};

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

export function pgssColumns(extensionVersion: string): PgssColumns {
  if (versionAtLeast(extensionVersion, 1, 11)) return PGSS_COLUMNS_1_11;
  if (versionAtLeast(extensionVersion, 1, 8)) return PGSS_COLUMNS_1_8;
  return PGSS_COLUMNS_LEGACY;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * pg_stat_statements read once, for the statements of the connected database only (dbid: the plans are made
 * there, and a database's report is about that database), less our own: the totals (call-weighted mean latency,
 * the rows this role may not see, queryid NULL) on every row, and the top statements two ways — by mean time and
 * by total time, each among those called at least $1 times, $2 of each — with their texts. Only the top rows
 * leave the server, whatever the view holds. `materialized` (PostgreSQL 12+ syntax; older servers always
 * materialize a CTE) keeps the view to one scan.
 */
export function pgssCollectSql(columns: PgssColumns, schema: string, materialized: boolean): string {
  return `${DB_SENTINEL_TAG} WITH s AS ${materialized ? 'MATERIALIZED ' : ''}(
  SELECT p.queryid, p.userid, p.query, p.calls::float8 AS calls, p.${columns.mean}::float8 AS mean_ms,
         p.${columns.total}::float8 AS total_ms, p.${columns.max}::float8 AS max_ms, p.rows::float8 AS rows,
         (${columns.ioRead.split(' + ').map((column) => `p.${column}`).join(' + ')})::float8 AS io_read_ms
  FROM ${quoteIdent(schema)}.pg_stat_statements p
  WHERE p.dbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
    AND (p.queryid IS NULL OR p.query NOT LIKE '${DB_SENTINEL_TAG}%')
), totals AS (
  SELECT coalesce(sum(calls), 0)::float8 AS all_calls, coalesce(sum(total_ms), 0)::float8 AS all_total_ms,
         count(*) AS statements, count(*) FILTER (WHERE queryid IS NULL) AS hidden
  FROM s
), ranked AS (
  (SELECT 'mean' AS ranking, * FROM s WHERE queryid IS NOT NULL AND calls >= $1 ORDER BY mean_ms DESC LIMIT $2)
  UNION ALL
  (SELECT 'total' AS ranking, * FROM s WHERE queryid IS NOT NULL AND calls >= $1 ORDER BY total_ms DESC LIMIT $2)
)
SELECT t.all_calls, t.all_total_ms, t.statements, t.hidden, r.ranking, r.queryid::text AS id, r.query, r.calls,
       r.mean_ms, r.total_ms, r.max_ms, r.rows, r.io_read_ms, pg_catalog.current_database() AS database,
       u.rolname AS user_name
FROM totals t
LEFT JOIN ranked r ON true
LEFT JOIN pg_catalog.pg_roles u ON u.oid = r.userid`;
}
