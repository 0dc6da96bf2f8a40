// SQL of the PostgreSQL health checks, by server version (13-17), all readable by pg_monitor. Every statement
// carries the db_sentinel tag so that it stays out of the slow-query rankings.
import { DB_SENTINEL_TAG } from '../../../sources/statement-tag';

/** Role and the settings the verdicts compare against (archive_library is 15+: NULL before, as for a role that may not
 * read archive_command). */
export const PG_HEALTH_SETTINGS = `${DB_SENTINEL_TAG} SELECT pg_is_in_recovery() AS standby,
  current_setting('server_version_num')::int AS version_num, current_user AS user_name,
  current_setting('archive_mode') AS archive_mode,
  (SELECT setting FROM pg_settings WHERE name = 'archive_command') AS archive_command,
  (SELECT setting FROM pg_settings WHERE name = 'archive_library') AS archive_library,
  current_setting('autovacuum_freeze_max_age')::float8 AS freeze_max_age,
  current_setting('autovacuum_multixact_freeze_max_age')::float8 AS multixact_freeze_max_age,
  pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats`;

/** A primary's standbys; the LSN and lag columns are NULL without pg_read_all_stats. */
export const PG_REPLICAS = `${DB_SENTINEL_TAG} SELECT application_name AS name, host(client_addr) AS client_addr, state, sync_state,
  pg_wal_lsn_diff(pg_current_wal_lsn(), write_lsn)::float8 AS write_lag_bytes,
  pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn)::float8 AS flush_lag_bytes,
  pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS replay_lag_bytes,
  extract(epoch FROM write_lag)::float8 AS write_lag_seconds,
  extract(epoch FROM flush_lag)::float8 AS flush_lag_seconds,
  extract(epoch FROM replay_lag)::float8 AS replay_lag_seconds
  FROM pg_stat_replication ORDER BY application_name, pid`;

/** A standby's WAL receiver and replay position. Replay lag in seconds is the classic "now minus the last replayed
 * commit" while received WAL waits, and 0 when everything received is replayed (an idle primary is not lag). */
export const PG_WAL_RECEIVER = `${DB_SENTINEL_TAG} SELECT r.status, r.sender_host || ':' || r.sender_port AS sender,
  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 AS replay_lag_bytes,
  CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
       ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END AS replay_lag_seconds,
  pg_is_wal_replay_paused() AS replay_paused
  FROM (SELECT 1) AS one LEFT JOIN pg_stat_wal_receiver AS r ON true`;

/** Slots and the WAL each keeps (wal_status is 13+, the oldest version supported). */
export const PG_SLOTS_PRIMARY = `${DB_SENTINEL_TAG} SELECT slot_name, slot_type, active, wal_status,
  pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 AS retained_bytes
  FROM pg_replication_slots ORDER BY slot_name`;
export const PG_SLOTS_STANDBY = `${DB_SENTINEL_TAG} SELECT slot_name, slot_type, active, wal_status,
  pg_wal_lsn_diff(pg_last_wal_replay_lsn(), restart_lsn)::float8 AS retained_bytes
  FROM pg_replication_slots ORDER BY slot_name`;

export const PG_DATABASE_AGES = `${DB_SENTINEL_TAG} SELECT datname, age(datfrozenxid)::float8 AS xid_age,
  mxid_age(datminmxid)::float8 AS mxid_age FROM pg_database ORDER BY age(datfrozenxid) DESC, datname`;

/** The tables holding the connected database's datfrozenxid back (TOAST tables included: they count too). */
export const PG_OLDEST_TABLES = `${DB_SENTINEL_TAG} SELECT c.oid::regclass::text AS table_name, age(c.relfrozenxid)::float8 AS xid_age
  FROM pg_class AS c WHERE c.relkind IN ('r', 'm', 't') ORDER BY age(c.relfrozenxid) DESC LIMIT $1`;

export const PG_ARCHIVER = `${DB_SENTINEL_TAG} SELECT archived_count::float8 AS archived_count, failed_count::float8 AS failed_count,
  last_archived_time, last_failed_time, last_failed_wal,
  (last_failed_time IS NOT NULL AND (last_archived_time IS NULL OR last_failed_time > last_archived_time)) AS failing,
  extract(epoch FROM now() - greatest(last_archived_time, stats_reset, pg_postmaster_start_time()))::float8 AS seconds_since_success
  FROM pg_stat_archiver`;

/** Tables with at least $1 rows: the most dead tuples (ratio) and the longest unvacuumed, $2 of each. */
export const PG_VACUUM_TABLES = `${DB_SENTINEL_TAG} WITH t AS (
  SELECT schemaname || '.' || relname AS table_name, n_live_tup::float8 AS live, n_dead_tup::float8 AS dead,
    n_dead_tup::float8 / greatest(n_live_tup + n_dead_tup, 1) AS dead_ratio,
    extract(epoch FROM now() - greatest(last_vacuum, last_autovacuum))::float8 AS seconds_since_vacuum
  FROM pg_stat_user_tables WHERE n_live_tup + n_dead_tup >= $1)
  (SELECT 'dead' AS ranking, * FROM t ORDER BY dead_ratio DESC, table_name LIMIT $2)
  UNION ALL
  (SELECT 'stale' AS ranking, * FROM t ORDER BY seconds_since_vacuum DESC NULLS FIRST, table_name LIMIT $2)`;

/** Sessions whose snapshot holds the xmin horizon back, oldest first (this session left out). */
export const PG_XMIN_HOLDERS = `${DB_SENTINEL_TAG} SELECT pid, usename, application_name, state,
  age(backend_xmin)::float8 AS xmin_age, extract(epoch FROM now() - xact_start)::float8 AS transaction_seconds
  FROM pg_stat_activity WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid()
  ORDER BY age(backend_xmin) DESC, pid LIMIT $1`;

/** Checkpoint counters moved to pg_stat_checkpointer in 17. */
export const PG_CHECKPOINTS_BGWRITER = `${DB_SENTINEL_TAG} SELECT checkpoints_timed::float8 AS timed, `
  + 'checkpoints_req::float8 AS requested FROM pg_stat_bgwriter';
export const PG_CHECKPOINTS_CHECKPOINTER = `${DB_SENTINEL_TAG} SELECT num_timed::float8 AS timed, `
  + 'num_requested::float8 AS requested FROM pg_stat_checkpointer';

export function pgCheckpointsSql(versionNum: number): { name: string; sql: string; source: string } {
  return versionNum >= 170000
    ? { name: 'PG_CHECKPOINTS_CHECKPOINTER', sql: PG_CHECKPOINTS_CHECKPOINTER, source: 'pg_stat_checkpointer' }
    : { name: 'PG_CHECKPOINTS_BGWRITER', sql: PG_CHECKPOINTS_BGWRITER, source: 'pg_stat_bgwriter' };
}

export const PG_DATABASE_COUNTERS = `${DB_SENTINEL_TAG} SELECT coalesce(sum(deadlocks), 0)::float8 AS deadlocks,
  coalesce(sum(temp_bytes), 0)::float8 AS temp_bytes FROM pg_stat_database`;
