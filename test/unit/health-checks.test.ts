// The health verdicts as pure functions of database reports: thresholds and their edges, not-applicable cases
// (no database of the engine, a primary without standbys, archive_mode off), unknown with the reason when a section
// could not be read, and the config keys with their errors. The real-server cases are in
// test/integration/health-{postgres,mariadb}.test.ts.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, it } from 'node:test';
import { healthChecks, HEALTH_CHECKS } from '../../src/checks/health';
import { CounterRates } from '../../src/collectors/db/health/counter-rate';
import { myReplicaStatusSql, replicaStatusGrant } from '../../src/collectors/db/health/mysql-sql';
import { pgCheckpointsSql } from '../../src/collectors/db/health/postgres-sql';
import { parseConfig } from '../../src/core/config';
import { DEFAULT_HEALTH } from '../../src/core/health-config';
import type { MysqlHealth, PostgresHealth } from '../../src/core/health-report';
import type { DatabaseReport } from '../../src/core/report';

function pg(name: string, health: Partial<PostgresHealth>, up = true): DatabaseReport {
  return { name, engine: 'postgresql', version: '17.10', up, problems: [], slow_queries: [], health: { engine: 'postgresql', role: 'primary', unavailable: {}, ...health } };
}

function my(name: string, health: Partial<MysqlHealth>): DatabaseReport {
  return { name, engine: 'mysql', version: '10.11.19-MariaDB', up: true, problems: [], slow_queries: [], health: { engine: 'mysql', unavailable: {}, ...health } };
}

function verdict(databases: DatabaseReport[], name: string, cpus = 2): { status: string; message: string; value: number | null } {
  const found = healthChecks(databases, DEFAULT_HEALTH, cpus).find((check) => check.name === name);
  assert.ok(found, name);
  return found;
}

const replica = {
  name: 'standby1', client_addr: '10.0.0.2', state: 'streaming', sync_state: 'async', write_lag_bytes: 0, flush_lag_bytes: 0,
  replay_lag_bytes: 0, write_lag_seconds: null, flush_lag_seconds: null, replay_lag_seconds: null,
};

describe('health checks', () => {
  it('reports every check, ok with the reason when no database of its engine is configured', () => {
    const checks = healthChecks([], DEFAULT_HEALTH, 2);
    assert.deepEqual(checks.map((check) => check.name), [...HEALTH_CHECKS]);
    for (const check of checks) assert.equal(check.status, 'ok');
    assert.equal(verdict([pg('main', {})], 'innodb_history_length').message, 'no MySQL/MariaDB database configured');
    assert.equal(verdict([my('shop', {})], 'wraparound').message, 'no PostgreSQL database configured');
    assert.equal(verdict([pg('main', {}, false)], 'wraparound').status, 'unknown');
  });

  it('replication_lag: standbys by replay seconds and bytes, a caught-up idle standby is 0 s, a standby not streaming warns', () => {
    assert.equal(verdict([pg('main', { replicas: [] })], 'replication_lag').message, 'main: primary with no standby connected');
    assert.equal(verdict([pg('main', { replicas: [replica] })], 'replication_lag').status, 'ok');
    const behind = verdict([pg('main', { replicas: [{ ...replica, replay_lag_seconds: 45, replay_lag_bytes: 3 * 1024 ** 2 }] })], 'replication_lag');
    assert.equal(behind.status, 'warning');
    assert.equal(behind.message, 'main: standby standby1 at 10.0.0.2 replays 45.0 s (3.0 MiB) behind');
    assert.equal(verdict([pg('main', { replicas: [{ ...replica, replay_lag_bytes: 9 * 1024 ** 3 }] })], 'replication_lag').status, 'critical');
    assert.equal(verdict([pg('main', { replicas: [{ ...replica, state: 'catchup' }] })], 'replication_lag').status, 'warning');
  });

  it('replication_lag: a standby without a WAL receiver is critical, a paused replay warns', () => {
    const receiver = { status: 'streaming', sender: '10.0.0.1:5432', replay_lag_bytes: 0, replay_lag_seconds: 0, replay_paused: false };
    assert.equal(verdict([pg('s', { role: 'standby', wal_receiver: receiver })], 'replication_lag').status, 'ok');
    assert.equal(verdict([pg('s', { role: 'standby', wal_receiver: { ...receiver, replay_paused: true } })], 'replication_lag').status, 'warning');
    const lost = verdict([pg('s', { role: 'standby', wal_receiver: { ...receiver, status: null, sender: null } })], 'replication_lag');
    assert.equal(lost.status, 'critical');
    assert.match(lost.message, /no WAL receiver: not streaming from a primary/);
  });

  it('replication_lag: a MySQL channel with a stopped thread is critical with its error; no channel is no replica', () => {
    const channel = {
      channel: '', source: '10.0.0.1:3306', io_running: 'Yes', sql_running: 'Yes', seconds_behind: 0, last_io_errno: 0, last_io_error: '',
      last_sql_errno: 0, last_sql_error: '', gtid_received: '0-1-5', gtid_executed: '0-1-5',
    };
    assert.equal(verdict([my('shop', { replication: [] })], 'replication_lag').message, 'shop: not a replica');
    assert.equal(verdict([my('shop', { replication: [{ ...channel, seconds_behind: 400 }] })], 'replication_lag').status, 'critical');
    const broken = verdict([my('shop', { replication: [{ ...channel, sql_running: 'No', seconds_behind: null, last_sql_errno: 1062, last_sql_error: "Duplicate entry '1'" }] })], 'replication_lag');
    assert.equal(broken.status, 'critical');
    assert.equal(broken.message, "shop: replica (default channel) of 10.0.0.1:3306, GTID 0-1-5: SQL thread No (error 1062: Duplicate entry '1')");
    const denied = verdict([my('shop', { unavailable: { MY_ALL_SLAVES_STATUS: "access denied (GRANT SLAVE MONITOR ON *.* TO 'm'@'h';)" } })], 'replication_lag');
    assert.equal(denied.status, 'unknown');
    assert.match(denied.message, /GRANT SLAVE MONITOR/);
  });

  it('replication_slots: inactive slots by retained WAL, lost WAL critical, active slots left to replication_lag', () => {
    const slot = { name: 'idle', type: 'physical', active: false, wal_status: 'reserved', retained_bytes: 2 * 1024 ** 3 };
    assert.equal(verdict([pg('main', { slots: [slot] })], 'replication_slots').status, 'warning');
    assert.equal(verdict([pg('main', { slots: [{ ...slot, retained_bytes: 11 * 1024 ** 3 }] })], 'replication_slots').status, 'critical');
    assert.equal(verdict([pg('main', { slots: [{ ...slot, active: true }] })], 'replication_slots').status, 'ok');
    assert.equal(verdict([pg('main', { slots: [{ ...slot, retained_bytes: 1024, wal_status: 'lost' }] })], 'replication_slots').status, 'critical');
    assert.equal(verdict([pg('main', { slots: [] })], 'replication_slots').message, 'main: no replication slots');
  });

  it('wraparound: the oldest age against 1 and 1.5 billion, naming the database and the tables', () => {
    const wraparound = (age: number) => ({
      freeze_max_age: 200_000_000, multixact_freeze_max_age: 400_000_000,
      databases: [{ database: 'app', xid_age: age, mxid_age: 10 }, { database: 'postgres', xid_age: 100, mxid_age: 10 }],
      oldest_tables: [{ table: 'public.events', xid_age: age }],
    });
    assert.equal(verdict([pg('main', { wraparound: wraparound(999_999_999) })], 'wraparound').status, 'ok');
    const old = verdict([pg('main', { wraparound: wraparound(1_000_000_000) })], 'wraparound');
    assert.equal(old.status, 'warning');
    assert.equal(old.message, 'main: oldest database app age(datfrozenxid) 1000000000 (46.6 % of 2^31, 5.0x autovacuum_freeze_max_age 200000000); oldest tables here: public.events 1000000000');
    assert.equal(verdict([pg('main', { wraparound: wraparound(1_600_000_000) })], 'wraparound').status, 'critical');
  });

  it('archiver: off or a standby is ok, failing is graded by the time without success', () => {
    const archiver = { archive_mode: 'on', archiver_configured: true, archived_count: 10, failed_count: 3, last_archived_at: null, last_failed_at: '2026-01-01T00:00:00.000Z', last_failed_wal: '000000010000000000000003', failing: true, seconds_since_success: 30 };
    assert.equal(verdict([pg('main', { archiver: { ...archiver, archive_mode: 'off' } })], 'archiver').message, 'main: archive_mode is off');
    assert.equal(verdict([pg('main', { archiver })], 'archiver').status, 'ok');
    const unset = verdict([pg('main', { archiver: { ...archiver, archiver_configured: false, failing: false } })], 'archiver');
    assert.equal(unset.status, 'warning');
    assert.match(unset.message, /archive_command \(and archive_library\) is empty: WAL is kept in pg_wal and not archived/);
    assert.equal(verdict([pg('main', { archiver: { ...archiver, seconds_since_success: 60 } })], 'archiver').status, 'warning');
    assert.equal(verdict([pg('main', { archiver: { ...archiver, seconds_since_success: 600 } })], 'archiver').status, 'critical');
    assert.equal(verdict([pg('main', { role: 'standby', archiver: { ...archiver, seconds_since_success: 6000 } })], 'archiver').status, 'ok');
  });

  it('vacuum and checkpoints: dead tuple share, the xmin holder, requested checkpoints once there are enough', () => {
    const table = { table: 'public.t', live_tuples: 5000, dead_tuples: 5000, dead_ratio: 0.5, seconds_since_vacuum: null };
    const holder = { pid: 42, user: 'app', application: 'psql', state: 'idle in transaction', xmin_age: 1234, transaction_seconds: 4000 };
    const vacuum = verdict([pg('main', { vacuum: { dead_tuples: [table], stalest: [table], xmin_holders: [holder] } })], 'vacuum');
    assert.equal(vacuum.status, 'warning');
    assert.equal(vacuum.value, 4000);
    assert.match(vacuum.message, /main: public\.t has 5000 dead tuples \(50\.0 % of 10000; last vacuum never\).*; main: pid 42 \(app, psql, idle in transaction\) holds the xmin horizon 1234 transactions back in a transaction open 66\.7 min/);
    const few = verdict([pg('main', { checkpoints: { source: 'pg_stat_checkpointer', timed: 1, requested: 8 } })], 'checkpoints');
    assert.equal(few.status, 'ok');
    assert.match(few.message, /too few to judge/);
    assert.equal(verdict([pg('main', { checkpoints: { source: 'pg_stat_bgwriter', timed: 4, requested: 6 } })], 'checkpoints').status, 'warning');
  });

  it('InnoDB history, threads running per CPU (minus the check itself) and the aborted connection rate', () => {
    assert.equal(verdict([my('shop', { history_length: 99_999 })], 'innodb_history_length').status, 'ok');
    assert.equal(verdict([my('shop', { history_length: 100_000 })], 'innodb_history_length').status, 'warning');
    assert.equal(verdict([my('shop', { threads_running: 4, threads_connected: 9 })], 'threads_running').status, 'ok');
    const busy = verdict([my('shop', { threads_running: 5, threads_connected: 9 })], 'threads_running');
    assert.equal(busy.status, 'warning');
    assert.equal(busy.message, 'shop: 2.00 running threads per CPU (4 besides this check on 2 CPUs; 9 connected)');
    assert.match(verdict([my('shop', { aborted_connects: 7, aborted_connects_per_second: null })], 'aborted_connections').message, /a rate needs the previous collection/);
    assert.equal(verdict([my('shop', { aborted_connects: 7, aborted_connects_per_second: 12 })], 'aborted_connections').status, 'critical');
  });

  it('picks the statements by server version and names the GRANT by flavor', () => {
    assert.equal(myReplicaStatusSql('mariadb', '10.11.19-MariaDB-0+deb12u1').sql, 'SHOW ALL SLAVES STATUS');
    assert.equal(myReplicaStatusSql('mysql', '8.0.21').sql, 'SHOW SLAVE STATUS');
    assert.equal(myReplicaStatusSql('mysql', '8.0.22').sql, 'SHOW REPLICA STATUS');
    assert.equal(myReplicaStatusSql('mysql', '8.4.3').sql, 'SHOW REPLICA STATUS');
    assert.equal(myReplicaStatusSql('mysql', '5.7.44-log').sql, 'SHOW SLAVE STATUS');
    assert.equal(replicaStatusGrant('mariadb', "'m'@'h'"), "GRANT SLAVE MONITOR ON *.* TO 'm'@'h';");
    assert.equal(replicaStatusGrant('mysql', "'m'@'h'"), "GRANT REPLICATION CLIENT ON *.* TO 'm'@'h';");
    assert.equal(pgCheckpointsSql(160004).source, 'pg_stat_bgwriter');
    assert.equal(pgCheckpointsSql(170000).source, 'pg_stat_checkpointer');
  });

  it('counter rates need a previous sample, a later clock and a counter that did not go back', () => {
    const rates = new CounterRates();
    assert.equal(rates.rate('a', 10, new Date(0)), null);
    assert.equal(rates.rate('a', 40, new Date(10_000)), 3);
    assert.equal(rates.rate('a', 5, new Date(20_000)), null); // server restarted: counter reset
    assert.equal(rates.rate('a', 5, new Date(20_000)), null); // no time passed
  });

  it('pillar.example documents the defaults', () => {
    const example = load(readFileSync(join(__dirname, '..', '..', 'pillar', 'pillar.example'), 'utf8')) as { db_sentinel: { config: { health: unknown } } };
    assert.deepEqual(parseConfig({ health: example.db_sentinel.config.health }, 'pillar.example').health, DEFAULT_HEALTH);
    assert.deepEqual(Object.keys(example.db_sentinel.config.health as object).sort(), Object.keys(DEFAULT_HEALTH).sort());
  });

  it('health: thresholds are configurable, and a bad one is named', () => {
    const config = parseConfig({ health: { replication_lag_seconds: { warning: 5, critical: 60 }, vacuum_min_rows: 100 } }, 'test');
    assert.deepEqual(config.health.replication_lag_seconds, { warning: 5, critical: 60 });
    assert.deepEqual(config.health.wraparound_age, DEFAULT_HEALTH.wraparound_age);
    assert.throws(() => parseConfig({ health: { wraparound_age: { warning: 2, critical: 1 } } }, 'test'), /health\.wraparound_age.*critical \(1\) must not be below warning \(2\)/);
    assert.throws(() => parseConfig({ health: { replication_lag: 5 } }, 'test'), /health.*replication_lag/);
    assert.throws(() => parseConfig({ health: { innodb_history_length: { warning: 'lots' } } }, 'test'), /health\.innodb_history_length\.warning/);
  });
});
