// The health metrics of a database (DatabaseReport.health), part of the database collector's metrics. Labels stay bounded:
// db (configured), replica (standbys of a primary), slot (max_replication_slots), datname (the cluster's
// databases), channel (replication channels), kind (write/flush/replay). Server counters are exported as counters
// (`_total`) so that PromQL's rate() gives deadlocks, temp bytes and aborted connections per second on either path
// (the analyzer's /metrics and the textfile, whose cron runs keep no previous sample).
import type { MetricSink, MetricSpec } from '../../collector';
import { XID_WRAPAROUND_LIMIT, type MysqlHealth, type PostgresHealth } from '../../../core/health-report';
import type { DatabaseReport } from '../../../core/report';

export const HEALTH_FAMILIES: Record<string, MetricSpec> = {
  pg_standby: { help: '1 if the PostgreSQL server is a standby (in recovery), 0 if a primary.', labels: ['db'] },
  pg_replicas: { help: 'Standbys connected to this primary (pg_stat_replication rows).', labels: ['db'] },
  pg_replication_lag_seconds: { help: 'How far each standby is behind this primary, by write/flush/replay (pg_stat_replication).', labels: ['db', 'replica', 'kind'] },
  pg_replication_lag_bytes: { help: 'WAL bytes between this primary\'s current position and each standby\'s write/flush/replay position.', labels: ['db', 'replica', 'kind'] },
  pg_standby_replay_lag_seconds: { help: 'On a standby: now minus the last replayed commit while received WAL waits, else 0.', labels: ['db'] },
  pg_standby_replay_lag_bytes: { help: 'On a standby: WAL received but not replayed yet.', labels: ['db'] },
  pg_wal_receiver_streaming: { help: 'On a standby: 1 if the WAL receiver is streaming from a primary.', labels: ['db'] },
  pg_replay_paused: { help: 'On a standby: 1 if replay is paused (pg_wal_replay_pause).', labels: ['db'] },
  pg_replication_slot_retained_bytes: { help: 'WAL kept for each replication slot.', labels: ['db', 'slot'] },
  pg_replication_slot_active: { help: '1 if the replication slot has a consumer connected.', labels: ['db', 'slot'] },
  pg_replication_slot_wal_lost: { help: '1 if the slot\'s WAL is lost or about to be (wal_status lost or unreserved).', labels: ['db', 'slot'] },
  pg_xid_age: { help: 'age(datfrozenxid) of each database of the cluster (transactions).', labels: ['db', 'datname'] },
  pg_mxid_age: { help: 'mxid_age(datminmxid) of each database of the cluster.', labels: ['db', 'datname'] },
  pg_wraparound_ratio: { help: 'Oldest XID or multixact age of the cluster over the 2^31 wraparound limit (0-1).', labels: ['db'] },
  pg_autovacuum_freeze_max_age: { help: 'The autovacuum_freeze_max_age setting.', labels: ['db'] },
  pg_archiver_failing: { help: '1 if the last WAL archiving attempt failed (after the last success).', labels: ['db'] },
  pg_archiver_seconds_since_success: { help: 'Seconds since the archiver last archived a segment (or since reset/start).', labels: ['db'] },
  pg_archiver_archived_total: { help: 'WAL segments archived (pg_stat_archiver.archived_count).', labels: ['db'], type: 'counter' },
  pg_archiver_failed_total: { help: 'Failed archiving attempts (pg_stat_archiver.failed_count).', labels: ['db'], type: 'counter' },
  pg_dead_tuple_ratio_max: { help: 'Highest dead tuple share among tables with at least health.vacuum_min_rows rows (0-1).', labels: ['db'] },
  pg_xmin_horizon_seconds: { help: 'Age of the oldest transaction holding back the xmin horizon (0 when none).', labels: ['db'] },
  pg_xmin_horizon_age: { help: 'Transactions the xmin horizon is held back by the oldest snapshot (0 when none).', labels: ['db'] },
  pg_checkpoints_timed_total: { help: 'Checkpoints started by checkpoint_timeout.', labels: ['db'], type: 'counter' },
  pg_checkpoints_requested_total: { help: 'Checkpoints requested (max_wal_size reached, CHECKPOINT, shutdown, base backup).', labels: ['db'], type: 'counter' },
  pg_deadlocks_total: { help: 'Deadlocks detected, all databases of the cluster (pg_stat_database).', labels: ['db'], type: 'counter' },
  pg_temp_bytes_total: { help: 'Bytes written to temporary files, all databases of the cluster (pg_stat_database).', labels: ['db'], type: 'counter' },
  mysql_replica_io_running: { help: '1 if the replication IO thread of the channel runs.', labels: ['db', 'channel'] },
  mysql_replica_sql_running: { help: '1 if the replication SQL thread of the channel runs.', labels: ['db', 'channel'] },
  mysql_replica_lag_seconds: { help: 'Seconds_Behind_Master/Source of the channel (absent while a thread is stopped).', labels: ['db', 'channel'] },
  mysql_replica_last_errno: { help: 'Last error number of the channel\'s IO or SQL thread (0 when none).', labels: ['db', 'channel', 'thread'] },
  mysql_replica_channels: { help: 'Replication channels of this server (0 when it is not a replica).', labels: ['db'] },
  mysql_innodb_history_length: { help: 'InnoDB history list length: undo records not yet purged.', labels: ['db'] },
  mysql_threads_running: { help: 'Threads_running (including the collector\'s own statement).', labels: ['db'] },
  mysql_threads_connected: { help: 'Threads_connected.', labels: ['db'] },
  mysql_aborted_connects_total: { help: 'Failed connection attempts (Aborted_connects).', labels: ['db'], type: 'counter' },
  mysql_aborted_clients_total: { help: 'Connections aborted without a proper close (Aborted_clients).', labels: ['db'], type: 'counter' },
  mysql_innodb_row_lock_waits_total: { help: 'Row lock waits (Innodb_row_lock_waits).', labels: ['db'], type: 'counter' },
  mysql_innodb_deadlocks_total: { help: 'InnoDB deadlocks (Innodb_deadlocks, or INNODB_METRICS lock_deadlocks).', labels: ['db'], type: 'counter' },
};

const LAG_KINDS = ['write', 'flush', 'replay'] as const;

function addPostgres(sink: MetricSink, db: string, health: PostgresHealth): void {
  sink.set('pg_standby', { db }, health.role === 'standby' ? 1 : 0);
  if (health.replicas !== undefined) sink.set('pg_replicas', { db }, health.replicas.length);
  for (const replica of health.replicas ?? []) {
    for (const kind of LAG_KINDS) {
      const labels = { db, replica: replica.name, kind };
      // A NULL lag is a standby that caught up with an idle primary: 0, not a missing series.
      sink.set('pg_replication_lag_seconds', labels, replica[`${kind}_lag_seconds`] ?? 0);
      sink.set('pg_replication_lag_bytes', labels, replica[`${kind}_lag_bytes`]);
    }
  }
  if (health.wal_receiver !== undefined) {
    sink.set('pg_standby_replay_lag_seconds', { db }, health.wal_receiver.replay_lag_seconds);
    sink.set('pg_standby_replay_lag_bytes', { db }, health.wal_receiver.replay_lag_bytes);
    sink.set('pg_wal_receiver_streaming', { db }, health.wal_receiver.status === 'streaming' ? 1 : 0);
    sink.set('pg_replay_paused', { db }, health.wal_receiver.replay_paused ? 1 : 0);
  }
  for (const slot of health.slots ?? []) {
    sink.set('pg_replication_slot_retained_bytes', { db, slot: slot.name }, slot.retained_bytes);
    sink.set('pg_replication_slot_active', { db, slot: slot.name }, slot.active ? 1 : 0);
    sink.set('pg_replication_slot_wal_lost', { db, slot: slot.name }, slot.wal_status === 'lost' || slot.wal_status === 'unreserved' ? 1 : 0);
  }
  if (health.wraparound !== undefined) {
    let oldest = 0;
    for (const item of health.wraparound.databases) {
      sink.set('pg_xid_age', { db, datname: item.database }, item.xid_age);
      sink.set('pg_mxid_age', { db, datname: item.database }, item.mxid_age);
      oldest = Math.max(oldest, item.xid_age, item.mxid_age);
    }
    sink.set('pg_wraparound_ratio', { db }, oldest / XID_WRAPAROUND_LIMIT);
    sink.set('pg_autovacuum_freeze_max_age', { db }, health.wraparound.freeze_max_age);
  }
  if (health.archiver !== undefined && health.archiver.archive_mode !== 'off') {
    sink.set('pg_archiver_failing', { db }, health.archiver.failing ? 1 : 0);
    sink.set('pg_archiver_seconds_since_success', { db }, health.archiver.seconds_since_success);
    sink.set('pg_archiver_archived_total', { db }, health.archiver.archived_count);
    sink.set('pg_archiver_failed_total', { db }, health.archiver.failed_count);
  }
  if (health.vacuum !== undefined) {
    sink.set('pg_dead_tuple_ratio_max', { db }, health.vacuum.dead_tuples[0]?.dead_ratio ?? 0);
    if (health.unavailable.replication === undefined) {
      const holder = health.vacuum.xmin_holders.find((item) => item.transaction_seconds !== null);
      sink.set('pg_xmin_horizon_seconds', { db }, holder?.transaction_seconds ?? 0);
      sink.set('pg_xmin_horizon_age', { db }, health.vacuum.xmin_holders[0]?.xmin_age ?? 0);
    }
  }
  if (health.checkpoints !== undefined) {
    sink.set('pg_checkpoints_timed_total', { db }, health.checkpoints.timed);
    sink.set('pg_checkpoints_requested_total', { db }, health.checkpoints.requested);
  }
  sink.set('pg_deadlocks_total', { db }, health.deadlocks);
  sink.set('pg_temp_bytes_total', { db }, health.temp_bytes);
}

function addMysql(sink: MetricSink, db: string, health: MysqlHealth): void {
  if (health.replication !== undefined) sink.set('mysql_replica_channels', { db }, health.replication.length);
  for (const channel of health.replication ?? []) {
    const labels = { db, channel: channel.channel };
    sink.set('mysql_replica_io_running', labels, channel.io_running === 'Yes' ? 1 : 0);
    sink.set('mysql_replica_sql_running', labels, channel.sql_running === 'Yes' ? 1 : 0);
    sink.set('mysql_replica_lag_seconds', labels, channel.seconds_behind);
    sink.set('mysql_replica_last_errno', { ...labels, thread: 'io' }, channel.last_io_errno);
    sink.set('mysql_replica_last_errno', { ...labels, thread: 'sql' }, channel.last_sql_errno);
  }
  sink.set('mysql_innodb_history_length', { db }, health.history_length);
  sink.set('mysql_threads_running', { db }, health.threads_running);
  sink.set('mysql_threads_connected', { db }, health.threads_connected);
  sink.set('mysql_aborted_connects_total', { db }, health.aborted_connects);
  sink.set('mysql_aborted_clients_total', { db }, health.aborted_clients);
  sink.set('mysql_innodb_row_lock_waits_total', { db }, health.row_lock_waits);
  sink.set('mysql_innodb_deadlocks_total', { db }, health.deadlocks);
}

export function addHealth(sink: MetricSink, database: DatabaseReport): void {
  const health = database.health;
  if (!database.up || health === undefined) return;
  if (health.engine === 'postgresql') addPostgres(sink, database.name, health);
  else addMysql(sink, database.name, health);
}
