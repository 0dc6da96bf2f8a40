// The PostgreSQL health sections (replication both ways, slots, wraparound, archiver, vacuum and the xmin horizon,
// checkpoints, deadlocks and temp bytes), on the database's one connection. A section that fails is left out,
// named in health.unavailable and, for a missing privilege, a problem with the GRANT.
import type { DatabaseReport } from '../../../core/report';
import type {
  PgArchiver, PgCheckpoints, PgReplica, PgSlot, PgTableVacuum, PgVacuum, PgWalReceiver, PgWraparound, PostgresHealth,
} from '../../../core/health-report';
import type { Row, SqlSession } from '../../../sources/sql';
import { numberOf, numberOrNull } from '../common';
import { section } from './section';
import {
  PG_ARCHIVER, PG_DATABASE_AGES, PG_DATABASE_COUNTERS, PG_HEALTH_SETTINGS, PG_OLDEST_TABLES, PG_REPLICAS, PG_SLOTS_PRIMARY,
  PG_SLOTS_STANDBY, PG_VACUUM_TABLES, PG_WAL_RECEIVER, PG_XMIN_HOLDERS, pgCheckpointsSql,
} from './postgres-sql';

/** How many tables and sessions each list names. */
const HEALTH_LIST_LIMIT = 5;

export interface PgHealthOptions {
  vacuumMinRows: number;
}

const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const timeOrNull = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : textOrNull(value));

function tableVacuum(row: Row): PgTableVacuum {
  return {
    table: String(row.table_name), live_tuples: numberOf(row.live), dead_tuples: numberOf(row.dead),
    dead_ratio: numberOf(row.dead_ratio), seconds_since_vacuum: numberOrNull(row.seconds_since_vacuum),
  };
}

export async function collectPostgresHealth(session: SqlSession, report: DatabaseReport, options: PgHealthOptions): Promise<void> {
  const health: PostgresHealth = { engine: 'postgresql', role: 'primary', unavailable: {} };
  report.health = health;
  const [settings] = await session.query('PG_HEALTH_SETTINGS', PG_HEALTH_SETTINGS);
  if (settings === undefined) throw new Error('PG_HEALTH_SETTINGS returned no row');
  const standby = settings.standby === true;
  health.role = standby ? 'standby' : 'primary';
  const remedy = `GRANT pg_monitor TO ${String(settings.user_name)};`;
  if (settings.read_all_stats !== true) {
    // pg_stat_replication and pg_stat_activity hide the positions and snapshots of other roles' sessions: the
    // replication and xmin verdicts would be blind, so they are reported unavailable rather than falsely ok.
    health.unavailable.replication = `role ${String(settings.user_name)} is not a member of pg_read_all_stats: `
      + `standbys' positions and other sessions' snapshots are hidden (${remedy})`;
  }

  if (settings.read_all_stats === true) {
    if (standby) {
      health.wal_receiver = await section(report, health.unavailable, 'PG_WAL_RECEIVER', remedy, async () => {
        const [row] = await session.query('PG_WAL_RECEIVER', PG_WAL_RECEIVER);
        return {
          status: textOrNull(row?.status), sender: textOrNull(row?.sender),
          replay_lag_bytes: numberOrNull(row?.replay_lag_bytes), replay_lag_seconds: numberOrNull(row?.replay_lag_seconds),
          replay_paused: row?.replay_paused === true,
        } satisfies PgWalReceiver;
      });
    } else {
      health.replicas = await section(report, health.unavailable, 'PG_REPLICAS', remedy, async () =>
        (await session.query('PG_REPLICAS', PG_REPLICAS)).map((row): PgReplica => ({
          name: String(row.name ?? ''), client_addr: textOrNull(row.client_addr), state: textOrNull(row.state),
          sync_state: textOrNull(row.sync_state), write_lag_bytes: numberOrNull(row.write_lag_bytes),
          flush_lag_bytes: numberOrNull(row.flush_lag_bytes), replay_lag_bytes: numberOrNull(row.replay_lag_bytes),
          write_lag_seconds: numberOrNull(row.write_lag_seconds), flush_lag_seconds: numberOrNull(row.flush_lag_seconds),
          replay_lag_seconds: numberOrNull(row.replay_lag_seconds),
        })));
    }
  }

  health.slots = await section(report, health.unavailable, 'PG_SLOTS', remedy, async () =>
    (await session.query(standby ? 'PG_SLOTS_STANDBY' : 'PG_SLOTS_PRIMARY',
      standby ? PG_SLOTS_STANDBY : PG_SLOTS_PRIMARY)).map((row): PgSlot => ({
      name: String(row.slot_name), type: String(row.slot_type), active: row.active === true, wal_status: textOrNull(row.wal_status),
      retained_bytes: numberOrNull(row.retained_bytes),
    })));

  health.wraparound = await section(report, health.unavailable, 'PG_WRAPAROUND', remedy, async (): Promise<PgWraparound> => {
    const databases = await session.query('PG_DATABASE_AGES', PG_DATABASE_AGES);
    const tables = await session.query('PG_OLDEST_TABLES', PG_OLDEST_TABLES, [HEALTH_LIST_LIMIT]);
    return {
      freeze_max_age: numberOf(settings.freeze_max_age), multixact_freeze_max_age: numberOf(settings.multixact_freeze_max_age),
      databases: databases.map((row) => ({ database: String(row.datname), xid_age: numberOf(row.xid_age),
        mxid_age: numberOf(row.mxid_age) })),
      oldest_tables: tables.map((row) => ({ table: String(row.table_name), xid_age: numberOf(row.xid_age) })),
    };
  });

  health.archiver = await section(report, health.unavailable, 'PG_ARCHIVER', remedy, async (): Promise<PgArchiver> => {
    const [row] = await session.query('PG_ARCHIVER', PG_ARCHIVER);
    return {
      archive_mode: String(settings.archive_mode),
      archiver_configured: settings.archive_command === null && settings.archive_library === null
        ? null : (settings.archive_command ?? '') !== '' || (settings.archive_library ?? '') !== '',
      archived_count: numberOf(row?.archived_count), failed_count: numberOf(row?.failed_count),
      last_archived_at: timeOrNull(row?.last_archived_time), last_failed_at: timeOrNull(row?.last_failed_time),
      last_failed_wal: textOrNull(row?.last_failed_wal), failing: row?.failing === true,
      seconds_since_success: numberOrNull(row?.seconds_since_success),
    };
  });

  const tables = await section(report, health.unavailable, 'PG_VACUUM_TABLES', remedy, () =>
    session.query('PG_VACUUM_TABLES', PG_VACUUM_TABLES, [options.vacuumMinRows, HEALTH_LIST_LIMIT]));
  const holders = settings.read_all_stats === true
    ? await section(report, health.unavailable, 'PG_XMIN_HOLDERS', remedy, () => session.query('PG_XMIN_HOLDERS',
      PG_XMIN_HOLDERS, [HEALTH_LIST_LIMIT]))
    : undefined;
  if (tables !== undefined) {
    health.vacuum = {
      dead_tuples: tables.filter((row) => row.ranking === 'dead').map(tableVacuum),
      stalest: tables.filter((row) => row.ranking === 'stale').map(tableVacuum),
      xmin_holders: (holders ?? []).map((row) => ({
        pid: numberOf(row.pid), user: textOrNull(row.usename), application: textOrNull(row.application_name), state: textOrNull(row.state),
        xmin_age: numberOf(row.xmin_age), transaction_seconds: numberOrNull(row.transaction_seconds),
      })),
    } satisfies PgVacuum;
  }

  const checkpoints = pgCheckpointsSql(Number(settings.version_num));
  health.checkpoints = await section(report, health.unavailable, checkpoints.name, remedy, async (): Promise<PgCheckpoints> => {
    const [row] = await session.query(checkpoints.name, checkpoints.sql);
    return { source: checkpoints.source, timed: numberOf(row?.timed), requested: numberOf(row?.requested) };
  });

  await section(report, health.unavailable, 'PG_DATABASE_COUNTERS', remedy, async () => {
    const [row] = await session.query('PG_DATABASE_COUNTERS', PG_DATABASE_COUNTERS);
    health.deadlocks = numberOf(row?.deadlocks);
    health.temp_bytes = numberOf(row?.temp_bytes);
  });
}
