// The "Database health" row: the figures behind the health checks (replication, slots, wraparound, archiver, vacuum,
// checkpoints, deadlocks and temp files, InnoDB purge, MySQL threads and aborted connections). Counters are shown
// as rates over $__rate_interval.
import * as units from '@grafana/grafana-foundation-sdk/units';
import { query, timeSeries, type PanelBuilders } from './dashboard';
import { maxBy, rateOf, selector } from './queries';

const perDatabase = { perDatabase: true };

/** max by (labels) of a per-database metric, with extra matchers. */
function perDb(metric: string, labels: readonly string[], matchers: readonly string[] = []): string {
  return maxBy(['instance', 'db', ...labels], selector(metric, { ...perDatabase, matchers }));
}

/** Per-second rate of a per-database counter, one series per instance and db whichever job delivered it. */
function perDbRate(metric: string): string {
  return `max by (instance, db) (${rateOf(selector(metric, perDatabase))})`;
}

/** Panel titles whose series exist only on a replication setup (a standby, a replica, a slot, archiving on). */
export const REPLICATION_PANELS = ['Replication lag', 'WAL kept by replication slots', 'WAL archiver'] as const;

export function healthPanels(): PanelBuilders {
  return [
    timeSeries('Replication lag', 'PostgreSQL: each standby\'s replay lag seen from its primary, and a standby\'s own replay lag; MySQL/MariaDB: Seconds_Behind_Master/Source of each channel (absent while a replication thread is stopped: see the replication_lag check).', units.Seconds)
      .withTarget(query('A', perDb('db_sentinel_pg_replication_lag_seconds', ['replica'], ['kind="replay"']), '{{instance}} {{db}} standby {{replica}}'))
      .withTarget(query('B', perDb('db_sentinel_pg_standby_replay_lag_seconds', []), '{{instance}} {{db}} replay (standby)'))
      .withTarget(query('C', perDb('db_sentinel_mysql_replica_lag_seconds', ['channel']), '{{instance}} {{db}} channel {{channel}}')),
    timeSeries('WAL kept by replication slots', 'WAL each replication slot keeps in pg_wal (an inactive slot keeps it without bound unless max_slot_wal_keep_size is set).', units.BytesIEC)
      .withTarget(query('A', perDb('db_sentinel_pg_replication_slot_retained_bytes', ['slot']), '{{instance}} {{db}} {{slot}}')),
    timeSeries('Transaction ID age', 'age(datfrozenxid) of every database of each PostgreSQL cluster, against autovacuum_freeze_max_age; wraparound is at 2^31 (2.1 billion).', units.Short)
      .withTarget(query('A', perDb('db_sentinel_pg_xid_age', ['datname']), '{{instance}} {{db}} {{datname}}'))
      .withTarget(query('B', perDb('db_sentinel_pg_autovacuum_freeze_max_age', []), '{{instance}} {{db}} autovacuum_freeze_max_age')),
    timeSeries('WAL archiver', 'Failed archiving attempts per second, and seconds since the last segment was archived (PostgreSQL with archive_mode on).', units.Short)
      .withTarget(query('A', perDbRate('db_sentinel_pg_archiver_failed_total'), '{{instance}} {{db}} failures/s'))
      .withTarget(query('B', perDb('db_sentinel_pg_archiver_seconds_since_success', []), '{{instance}} {{db}} s since success')),
    timeSeries('Vacuum and the xmin horizon', 'Age of the oldest transaction holding back the xmin horizon (VACUUM cannot remove rows deleted after it), and the highest dead tuple share of a large table.', units.Seconds)
      .withTarget(query('A', perDb('db_sentinel_pg_xmin_horizon_seconds', []), '{{instance}} {{db}} xmin holder age'))
      .withTarget(query('B', perDb('db_sentinel_pg_dead_tuple_ratio_max', []), '{{instance}} {{db}} dead tuple ratio'))
      .overrideByRegexp('.*dead tuple ratio', [{ id: 'unit', value: units.PercentUnit }]),
    timeSeries('Checkpoints', 'Timed and requested checkpoints per second; requested ones dominating means max_wal_size is too small.', units.Short)
      .withTarget(query('A', perDbRate('db_sentinel_pg_checkpoints_timed_total'), '{{instance}} {{db}} timed'))
      .withTarget(query('B', perDbRate('db_sentinel_pg_checkpoints_requested_total'), '{{instance}} {{db}} requested')),
    timeSeries('Deadlocks, lock waits and temp files', 'Deadlocks per second (PostgreSQL pg_stat_database, InnoDB), InnoDB row lock waits per second, PostgreSQL temp file bytes per second.', units.Short)
      .withTarget(query('A', perDbRate('db_sentinel_pg_deadlocks_total'), '{{instance}} {{db}} deadlocks/s'))
      .withTarget(query('B', perDbRate('db_sentinel_pg_temp_bytes_total'), '{{instance}} {{db}} temp bytes/s'))
      .withTarget(query('C', perDbRate('db_sentinel_mysql_innodb_deadlocks_total'), '{{instance}} {{db}} deadlocks/s'))
      .withTarget(query('D', perDbRate('db_sentinel_mysql_innodb_row_lock_waits_total'), '{{instance}} {{db}} row lock waits/s')),
    timeSeries('InnoDB history length and buffer pool', 'Undo history not yet purged (grows behind a long-open read view), and the buffer pool hit ratio.', units.Short)
      .withTarget(query('A', perDb('db_sentinel_mysql_innodb_history_length', []), '{{instance}} {{db}} history length'))
      .withTarget(query('B', perDb('db_sentinel_db_cache_hit_ratio', [], []), '{{instance}} {{db}} hit ratio'))
      .overrideByRegexp('.*hit ratio', [{ id: 'unit', value: units.PercentUnit }]),
    timeSeries('MySQL threads running and aborted connections', 'Threads_running per CPU of the host, and failed connection attempts per second.', units.Short)
      .withTarget(query('A', `${perDb('db_sentinel_mysql_threads_running', [])} / on (instance) group_left () max by (instance) (${selector('db_sentinel_cpus')})`, '{{instance}} {{db}} running per CPU'))
      .withTarget(query('B', perDbRate('db_sentinel_mysql_aborted_connects_total'), '{{instance}} {{db}} aborted connects/s')),
  ];
}
