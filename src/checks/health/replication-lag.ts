// replication_lag: PostgreSQL primaries grade each standby's replay lag (seconds and WAL bytes, from
// pg_stat_replication); standbys grade their own replay lag and whether their WAL receiver streams, and a paused
// replay; MySQL/MariaDB replicas grade each channel: a stopped IO or SQL thread is critical (with the last error),
// else Seconds_Behind_Master/Source. A server with no standby or that is no replica is ok and says so.
import type { HealthConfig } from '../../core/health-config';
import type { MysqlReplicaChannel, PgReplica, PgWalReceiver } from '../../core/health-report';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove, worstStatus, type Status } from '../../core/status';
import { fold, formatBytes, formatSeconds, mysqlDatabases, nothingToGrade, postgresDatabases, unavailable } from './common';

function lagStatus(seconds: number | null, bytes: number | null, config: HealthConfig): Status {
  const bySeconds = seconds === null ? 'ok' : gradeAbove(seconds, config.replication_lag_seconds.warning,
    config.replication_lag_seconds.critical);
  const byBytes = bytes === null ? 'ok' : gradeAbove(bytes, config.replication_lag_bytes.warning, config.replication_lag_bytes.critical);
  return worstStatus([bySeconds, byBytes]);
}

function standbyDetail(db: string, replica: PgReplica, config: HealthConfig): CheckDetail {
  const seconds = replica.replay_lag_seconds ?? 0; // NULL once a standby has caught up and the primary is idle
  let status = lagStatus(seconds, replica.replay_lag_bytes, config);
  const notStreaming = replica.state !== 'streaming';
  if (notStreaming) status = worstStatus([status, 'warning']);
  const who = `${replica.name || '(no application_name)'}${replica.client_addr ? ` at ${replica.client_addr}` : ''}`;
  const bytes = replica.replay_lag_bytes === null ? 'unknown bytes' : formatBytes(replica.replay_lag_bytes);
  return {
    subject: `${db}/${replica.name}`, status, value: seconds,
    message: `${db}: standby ${who} replays ${formatSeconds(seconds)} (${bytes}) behind`
      + `${notStreaming ? `, state ${replica.state ?? 'unknown'}` : ''}`,
  };
}

function receiverDetail(db: string, receiver: PgWalReceiver, config: HealthConfig): CheckDetail {
  const seconds = receiver.replay_lag_seconds;
  const statuses: Status[] = [lagStatus(seconds, receiver.replay_lag_bytes, config)];
  const notes: string[] = [];
  if (receiver.status !== 'streaming') {
    statuses.push('critical');
    notes.push(receiver.status === null ? 'no WAL receiver: not streaming from a primary' : `WAL receiver ${receiver.status}`);
  }
  if (receiver.replay_paused) {
    statuses.push('warning');
    notes.push('replay is paused (pg_wal_replay_resume() resumes it)');
  }
  const bytes = receiver.replay_lag_bytes === null ? 'unknown bytes' : formatBytes(receiver.replay_lag_bytes);
  return {
    subject: db, status: worstStatus(statuses), value: seconds,
    message: `${db}: standby of ${receiver.sender ?? 'unknown primary'} replays `
      + `${seconds === null ? 'unknown time' : formatSeconds(seconds)} (${bytes}) behind`
      + `${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
  };
}

function channelDetail(db: string, channel: MysqlReplicaChannel, config: HealthConfig): CheckDetail {
  const name = channel.channel === '' ? 'default channel' : `channel ${channel.channel}`;
  const subject = channel.channel === '' ? db : `${db}/${channel.channel}`;
  const gtid = channel.gtid_executed ?? channel.gtid_received;
  const where = `${db}: replica (${name}) of ${channel.source ?? 'unknown source'}${gtid ? `, GTID ${gtid}` : ''}`;
  const stopped: string[] = [];
  if (channel.io_running !== 'Yes') stopped.push(`IO thread ${channel.io_running ?? 'unknown'}`
    + `${channel.last_io_errno > 0 ? ` (error ${channel.last_io_errno}: ${channel.last_io_error})` : ''}`);
  if (channel.sql_running !== 'Yes') stopped.push(`SQL thread ${channel.sql_running ?? 'unknown'}`
    + `${channel.last_sql_errno > 0 ? ` (error ${channel.last_sql_errno}: ${channel.last_sql_error})` : ''}`);
  if (stopped.length > 0) return { subject, status: 'critical', value: channel.seconds_behind, message: `${where}: ${stopped.join(', ')}` };
  const seconds = channel.seconds_behind;
  if (seconds === null) return { subject, status: 'unknown', value: null,
    message: `${where}: threads running but Seconds_Behind_Master is NULL` };
  return {
    subject, status: gradeAbove(seconds, config.replication_lag_seconds.warning, config.replication_lag_seconds.critical), value: seconds,
    message: `${where}: ${formatSeconds(seconds)} behind`,
  };
}

export function replicationLagCheck(databases: readonly DatabaseReport[], config: HealthConfig): CheckResult {
  const name = 'replication_lag';
  const none = nothingToGrade(name, databases, ['postgresql', 'mysql'], 'PostgreSQL or MySQL/MariaDB');
  if (none !== null) return none;
  const details: CheckDetail[] = [];
  for (const db of postgresDatabases(databases)) {
    const health = db.health;
    if (health === undefined || health.unavailable.replication !== undefined) {
      details.push(unavailable(db.name, health?.unavailable.replication));
    } else if (health.role === 'standby') {
      details.push(health.wal_receiver ? receiverDetail(db.name, health.wal_receiver, config) : unavailable(db.name,
        health.unavailable.PG_WAL_RECEIVER));
    } else if (health.replicas === undefined) {
      details.push(unavailable(db.name, health.unavailable.PG_REPLICAS));
    } else if (health.replicas.length === 0) {
      details.push({ subject: db.name, status: 'ok', value: null, message: `${db.name}: primary with no standby connected` });
    } else {
      details.push(...health.replicas.map((replica) => standbyDetail(db.name, replica, config)));
    }
  }
  for (const db of mysqlDatabases(databases)) {
    const replication = db.health?.replication;
    if (replication === undefined) {
      details.push(unavailable(db.name,
        Object.entries(db.health?.unavailable ?? {}).find(([section]) => /^MY_(ALL_SLAVES|SLAVE|REPLICA)_STATUS$/.test(section))?.[1]));
    } else if (replication.length === 0) {
      details.push({ subject: db.name, status: 'ok', value: null, message: `${db.name}: not a replica` });
    } else {
      details.push(...replication.map((channel) => channelDetail(db.name, channel, config)));
    }
  }
  return fold(name, 's', config.replication_lag_seconds, details);
}
