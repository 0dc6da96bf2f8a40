// The health part of a database's report (DatabaseReport.health): what the replication, wraparound, WAL, vacuum and
// InnoDB checks of src/checks/health/ grade. Collected on the database's one connection by
// src/collectors/db/health/. A section that could not be read is absent and named in `unavailable` with the reason
// (a missing privilege names its GRANT in the database's problems).

/** Transaction IDs are 32-bit and compared modulo 2^32: half of that is the distance to wraparound. */
export const XID_WRAPAROUND_LIMIT = 2 ** 31;

/** One standby as its primary sees it (pg_stat_replication). Bytes behind pg_current_wal_lsn(); seconds from the
 * *_lag columns (NULL once the standby has caught up and is idle). */
export interface PgReplica {
  name: string;
  client_addr: string | null;
  state: string | null;
  sync_state: string | null;
  write_lag_bytes: number | null;
  flush_lag_bytes: number | null;
  replay_lag_bytes: number | null;
  write_lag_seconds: number | null;
  flush_lag_seconds: number | null;
  replay_lag_seconds: number | null;
}

/** A standby's own view: its WAL receiver and how far replay is behind what it received. */
export interface PgWalReceiver {
  /** pg_stat_wal_receiver.status (streaming, catchup, …); null when no WAL receiver runs. */
  status: string | null;
  sender: string | null;
  replay_lag_bytes: number | null;
  /** now() - pg_last_xact_replay_timestamp() while received WAL waits to be replayed, else 0. */
  replay_lag_seconds: number | null;
  replay_paused: boolean;
}

export interface PgSlot {
  name: string;
  type: string;
  active: boolean;
  /** reserved, extended, unreserved or lost (PostgreSQL 13+). */
  wal_status: string | null;
  /** WAL kept for the slot: current (or last replayed) LSN minus restart_lsn. */
  retained_bytes: number | null;
}

export interface PgDatabaseAge {
  database: string;
  xid_age: number;
  mxid_age: number;
}

export interface PgTableAge {
  table: string;
  xid_age: number;
}

export interface PgWraparound {
  freeze_max_age: number;
  multixact_freeze_max_age: number;
  /** Every database of the cluster, oldest first. */
  databases: PgDatabaseAge[];
  /** The tables with the oldest relfrozenxid in the connected database (pg_class is per database). */
  oldest_tables: PgTableAge[];
}

export interface PgArchiver {
  archive_mode: string;
  /** archive_command or archive_library is set; null when this role may not read them. */
  archiver_configured: boolean | null;
  archived_count: number;
  failed_count: number;
  last_archived_at: string | null;
  last_failed_at: string | null;
  last_failed_wal: string | null;
  /** The last attempt failed (last failure after the last success). */
  failing: boolean;
  /** Seconds since the last success (or since statistics were reset or the server started, if none). */
  seconds_since_success: number | null;
}

export interface PgTableVacuum {
  table: string;
  live_tuples: number;
  dead_tuples: number;
  dead_ratio: number;
  /** Seconds since the last VACUUM or autovacuum; null if never vacuumed since statistics were reset. */
  seconds_since_vacuum: number | null;
}

/** A session whose snapshot holds back the xmin horizon, so that VACUUM cannot remove rows deleted after it. */
export interface PgXminHolder {
  pid: number;
  user: string | null;
  application: string | null;
  state: string | null;
  xmin_age: number;
  transaction_seconds: number | null;
}

export interface PgVacuum {
  /** Tables of the connected database with at least health.vacuum_min_rows rows, most dead tuples (ratio) first. */
  dead_tuples: PgTableVacuum[];
  /** Among those tables, the ones vacuumed longest ago (never first). */
  stalest: PgTableVacuum[];
  xmin_holders: PgXminHolder[];
}

export interface PgCheckpoints {
  /** pg_stat_bgwriter (up to 16) or pg_stat_checkpointer (17+). */
  source: string;
  timed: number;
  requested: number;
}

export interface PostgresHealth {
  engine: 'postgresql';
  role: 'primary' | 'standby';
  replicas?: PgReplica[];
  wal_receiver?: PgWalReceiver;
  slots?: PgSlot[];
  wraparound?: PgWraparound;
  archiver?: PgArchiver;
  vacuum?: PgVacuum;
  checkpoints?: PgCheckpoints;
  /** pg_stat_database summed over the cluster's databases: counters since their statistics were reset. */
  deadlocks?: number;
  temp_bytes?: number;
  /** Section -> why it is absent (missing privilege, failed query). */
  unavailable: Record<string, string>;
}

/** One replication channel of a MySQL/MariaDB replica (SHOW ALL SLAVES STATUS / SHOW REPLICA STATUS). */
export interface MysqlReplicaChannel {
  /** Connection_name (MariaDB) or Channel_Name (MySQL); '' for the default channel. */
  channel: string;
  source: string | null;
  io_running: string | null;
  sql_running: string | null;
  seconds_behind: number | null;
  last_io_errno: number;
  last_io_error: string;
  last_sql_errno: number;
  last_sql_error: string;
  /** Gtid_IO_Pos (MariaDB) or Retrieved_Gtid_Set (MySQL). */
  gtid_received: string | null;
  /** Executed_Gtid_Set (MySQL); MariaDB's gtid_slave_pos. */
  gtid_executed: string | null;
}

export interface MysqlHealth {
  engine: 'mysql';
  /** Replication channels; empty on a server that is not a replica. */
  replication?: MysqlReplicaChannel[];
  /** InnoDB undo history not yet purged (trx_rseg_history_len). */
  history_length?: number;
  threads_running?: number;
  threads_connected?: number;
  /** Counters since the server started. */
  aborted_connects?: number;
  aborted_clients?: number;
  row_lock_waits?: number;
  deadlocks?: number;
  /** Aborted connection attempts per second since the previous collection of this process; null on the first. */
  aborted_connects_per_second?: number | null;
  unavailable: Record<string, string>;
}

export type DatabaseHealth = PostgresHealth | MysqlHealth;
