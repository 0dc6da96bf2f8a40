// Thresholds of the database health checks (config key `health:`), each default with its source. Parsed like the
// rest of the config: an invalid value is a ConfigError naming the key path.
import { expectMap, readNumber, readThresholds, rejectUnknownKeys, type Thresholds } from './validate';

export type HealthThresholds = Thresholds;

export interface HealthConfig {
  /** Standby / replica behind its primary, seconds (PostgreSQL replay lag, MySQL Seconds_Behind_Master). */
  replication_lag_seconds: HealthThresholds;
  /** Standby behind its primary in WAL bytes (PostgreSQL). */
  replication_lag_bytes: HealthThresholds;
  /** WAL kept by an inactive replication slot, bytes. */
  slot_retained_bytes: HealthThresholds;
  /** age(datfrozenxid) / mxid_age(datminmxid) of the oldest database, transactions. */
  wraparound_age: HealthThresholds;
  /** How long the archiver has been failing (no success since), seconds. */
  archiver_failing_seconds: HealthThresholds;
  /** Dead tuples over live + dead of a table with at least vacuum_min_rows rows. */
  dead_tuple_ratio: HealthThresholds;
  vacuum_min_rows: number;
  /** Age of the transaction holding back the xmin horizon, seconds. */
  xmin_horizon_seconds: HealthThresholds;
  /** Requested checkpoints over all checkpoints, once there are checkpoints_min of them. */
  checkpoints_requested_ratio: HealthThresholds;
  checkpoints_min: number;
  /** InnoDB history list length (undo records not yet purged). */
  innodb_history_length: HealthThresholds;
  /** Threads_running (minus the collector's own) per CPU of the host. */
  threads_running_per_cpu: HealthThresholds;
  /** Aborted_connects per second between two collections. */
  aborted_connects_per_second: HealthThresholds;
}

export const DEFAULT_HEALTH: HealthConfig = {
  // Alerting on lag is common at 30-60 s sustained (Wikimedia pages its MariaDB replicas at 5/10 s over 5 minutes);
  // 30 s is the staleness most read-from-replica applications still tolerate, 5 minutes is an outage for them.
  replication_lag_seconds: { warning: 30, critical: 300 },
  // One WAL segment is 16 MiB: 1 GiB is 64 segments not replayed yet, 8 GiB a standby that will take minutes to
  // catch up (and WAL piling up on a primary with a slot).
  replication_lag_bytes: { warning: 1024 ** 3, critical: 8 * 1024 ** 3 },
  // An inactive slot keeps WAL without bound unless max_slot_wal_keep_size is set (PostgreSQL docs, "Replication
  // Slots"): warn at 1 GiB (beyond max_wal_size's default), critical at 10 GiB, before pg_wal fills the disk.
  slot_retained_bytes: { warning: 1024 ** 3, critical: 10 * 1024 ** 3 },
  // postgres_exporter's database_wraparound collector reference: warning above 1 billion, critical above 1.5 billion
  // (the server refuses new XIDs 3 million short of 2^31; autovacuum_freeze_max_age's default is 200 million).
  wraparound_age: { warning: 1_000_000_000, critical: 1_500_000_000 },
  // The archiver retries a failing command every 60 s (pgarch.c); a failure that outlives one retry is real, and
  // after 10 minutes WAL is piling up in pg_wal and point-in-time recovery has a hole (PostgreSQL docs 26.3).
  archiver_failing_seconds: { warning: 60, critical: 600 },
  // autovacuum_vacuum_scale_factor is 0.2: autovacuum should have vacuumed a table long before twice that.
  dead_tuple_ratio: { warning: 0.4, critical: 0.8 },
  vacuum_min_rows: 10_000,
  // check_postgres txn_time/txn_idle have no defaults; an hour-old snapshot blocks VACUUM on every table of the
  // cluster (and hot_standby_feedback turns a standby's into the primary's): warning 1 h, critical 6 h.
  xmin_horizon_seconds: { warning: 3600, critical: 6 * 3600 },
  // PostgreSQL docs (WAL configuration): checkpoints should be timed; frequent requested ones mean max_wal_size is
  // too small ("checkpoints are occurring too frequently" hint, checkpoint_warning).
  checkpoints_requested_ratio: { warning: 0.5, critical: 0.9 },
  checkpoints_min: 10,
  // Netdata's MySQL guide / Percona ("InnoDB transaction history often hides dangerous debt"): below 10k benign,
  // above 100k meaningful MVCC debt, above 1 million something blocks purge and reads slow down everywhere.
  innodb_history_length: { warning: 100_000, critical: 1_000_000 },
  // As run_queue: more running threads than CPUs queue inside InnoDB (innodb_thread_concurrency) or the kernel.
  threads_running_per_cpu: { warning: 2, critical: 4 },
  // Aborted_connects counts failed logins, handshake timeouts and refused hosts: a few a minute are typos, one a
  // second is a broken client, a scanner or max_connections refusals; 10 a second is a storm.
  aborted_connects_per_second: { warning: 1, critical: 10 },
};

const THRESHOLD_KEYS = Object.entries(DEFAULT_HEALTH).filter(([, value]) => typeof value === 'object').map(([key]) => key);

export function parseHealth(value: unknown): HealthConfig {
  const path = 'health';
  const map = expectMap(value, path);
  rejectUnknownKeys(map, Object.keys(DEFAULT_HEALTH), path);
  const thresholds = Object.fromEntries(THRESHOLD_KEYS.map((key) =>
    [key, readThresholds(map, key, path, DEFAULT_HEALTH[key as keyof HealthConfig] as HealthThresholds)]));
  return {
    ...(thresholds as Omit<HealthConfig, 'vacuum_min_rows' | 'checkpoints_min'>),
    vacuum_min_rows: readNumber(map, 'vacuum_min_rows', path, DEFAULT_HEALTH.vacuum_min_rows, { min: 0, integer: true }),
    checkpoints_min: readNumber(map, 'checkpoints_min', path, DEFAULT_HEALTH.checkpoints_min, { min: 1, integer: true }),
  };
}
