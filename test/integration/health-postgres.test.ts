// The PostgreSQL health checks on real clusters: a PostgreSQL 15 primary (archive_mode on) with a streaming
// standby made by pg_basebackup, archive_command = 'false', an inactive physical slot, a transaction holding the xmin horizon, requested
// checkpoints, and a scratch cluster whose next XID was moved to 1.35 billion with pg_resetwal -x. Each condition is
// polled for on the server (no fixed sleeps). For each check: its status and message, the metric, the alert
// expression on a real Prometheus scraping the report (and the dashboard's health panels returning data), and the
// beacon event, then the recovery. PostgreSQL 13 and 17 run the version-gated SQL (pg_stat_checkpointer on 17).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'pg';
import { createDatabasesCollector } from '../../src/collectors/db/databases';
import type { Report } from '../../src/core/report';
import { renderMetrics } from '../../src/outputs/prometheus';
import { deliver, emptyState, type BeaconOptions, type BeaconState, type SaltEvent } from '../../src/outputs/salt-event';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { beaconDryRun, check, collectUntil, collectWith, detailOf, healthOf, startMonitoring, statusOf, type MonitoringStack } from '../harness/health';
import { startStandby, startWraparoundCluster, type PgCluster } from '../harness/pg-replication';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import { PlanCache } from '../../src/explain';
import { waitUntil } from '../../src/demo/local-server';

const MiB = 1024 * 1024;
/** 1288 pg_xact segments of 2^20 transactions: age(datfrozenxid) about 1.35 billion, between the default 1 and 1.5 billion. */
const NEXT_XID = 1288 * 2 ** 20;

const HEALTH = {
  replication_lag_seconds: { warning: 2, critical: 3600 },
  replication_lag_bytes: { warning: MiB, critical: 1024 * MiB },
  slot_retained_bytes: { warning: MiB, critical: 1024 * MiB },
  archiver_failing_seconds: { warning: 0, critical: 0 },
  xmin_horizon_seconds: { warning: 2, critical: 3600 },
  vacuum_min_rows: 1000,
};

/** The beacon as the formula runs it: one run makes an event (no hysteresis), the minion id as host. */
const BEACON: BeaconOptions = { hold: 1, host: 'db1' };

describe('PostgreSQL health checks on a primary, a standby and an old cluster', () => {
  let primary: PostgresServer;
  let standby: PgCluster;
  let old: PgCluster;
  let setup: TestConfig;
  let holder: Client | undefined;
  let monitoring: MonitoringStack;
  const collector = createDatabasesCollector({ planCache: new PlanCache() });
  const stateDir = mkdtempSync(join(tmpdir(), 'db_sentinel-health-beacon-'));
  let beaconState: BeaconState = emptyState();
  let troubled: Report;
  const collect = (): Promise<Report> => collectWith(collector, setup.config);

  before(async () => {
    [primary, old, monitoring] = await Promise.all([
      startPostgres(15, { archive_mode: 'on' }),
      startWraparoundCluster(NEXT_XID),
      startMonitoring(),
    ]);
    // Least privilege: the collector logs in as a pg_monitor role (replicated to the standby).
    const monitorUrl = await primary.createRole('sentinel', 'sentinel-pw', ['pg_monitor']);
    await primary.createRole('plain', 'plain-pw');
    // The standby runs with the primary's settings, as a standby made from a primary's config would.
    standby = await startStandby(primary, { archive_mode: 'on' });
    const standbyUrl = new URL(standby.url());
    standbyUrl.username = 'sentinel';
    standbyUrl.password = 'sentinel-pw';
    setup = testConfig([
      { name: 'main', engine: 'postgresql', url: monitorUrl },
      { name: 'replica', engine: 'postgresql', url: standbyUrl.toString() },
      { name: 'old', engine: 'postgresql', url: old.url() },
    ], { health: HEALTH });
  });

  after(async () => {
    await holder?.end().catch((error: unknown) => error);
    await Promise.all([standby?.stop(), old?.stop(), monitoring?.stop()]);
    await primary?.stop();
    setup?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts healthy where it should: the standby streams and is caught up, the primary sees it', async () => {
    // A commit for the standby to replay: its replay lag in seconds counts from the last replayed commit.
    await primary.query('CREATE TABLE warmup (id int)');
    const report = await collectUntil(collect, (r) => statusOf(r, 'replication_lag', 'main/test_standby') === 'ok'
      && statusOf(r, 'replication_lag', 'replica') === 'ok'
      && (healthOf(r, 'replica', 'postgresql').wal_receiver?.replay_lag_bytes ?? 1) === 0 && healthOf(r, 'main', 'postgresql').replicas?.[0]?.replay_lag_bytes === 0,
    'standby streaming and caught up');
    assert.match(detailOf(report, 'replication_lag', 'main/test_standby').message, /standby test_standby at 127\.0\.0\.1 replays/);
    assert.equal(healthOf(report, 'replica', 'postgresql').role, 'standby');
    assert.equal(healthOf(report, 'replica', 'postgresql').wal_receiver?.status, 'streaming');
    assert.equal(detailOf(report, 'archiver', 'replica').status, 'ok');
    assert.match(detailOf(report, 'archiver', 'replica').message, /standby with archive_mode on: its primary archives/);
    assert.equal(detailOf(report, 'replication_slots', 'main').status, 'ok');
    // The first beacon run: only what is not ok is an event — the old cluster's wraparound (graded below) and the
    // archiver without a command.
    const first: SaltEvent[] = [];
    beaconState = (await deliver(report, beaconState, join(stateDir, 'state.json'), BEACON, async (events) => {
      first.push(...events);
    })).state;
    // archive_mode is on and archive_command not set yet: WAL is kept, nothing archived.
    assert.equal(detailOf(report, 'archiver', 'main').status, 'warning');
    assert.match(detailOf(report, 'archiver', 'main').message, /^main: archive_mode is on but archive_command \(and archive_library\) is empty/);
    assert.deepEqual(first.map((event) => event.tag), ['db_sentinel/check/wraparound/warning', 'db_sentinel/check/archiver/warning']);
    assert.match(first[0]?.data.message ?? '', /^old: oldest database \w+ age\(datfrozenxid\) 13505\d{5}/);
    assert.equal(beaconState.checks.replication_lag?.status, 'ok');
  });

  it('grades a paused standby, an inactive slot, a failing archiver, an old snapshot, requested checkpoints and an old XID', async () => {
    // archive_command by ALTER SYSTEM, not on the command line (which would outrank it), so that it can be fixed below.
    await primary.query("ALTER SYSTEM SET archive_command = 'false'");
    await primary.query('SELECT pg_reload_conf()');
    await primary.query("SELECT pg_create_physical_replication_slot('idle_slot', true)");
    // A commit replayed before the pause: the lag in seconds counts from the last replayed commit, which a standby
    // that has replayed none since it started does not have (pg_last_xact_replay_timestamp() is NULL: no figure).
    await primary.query('SELECT txid_current()');
    await waitUntil('a commit replayed on the standby', async () =>
      ((await standby.query<{ replayed: boolean }>('SELECT pg_last_xact_replay_timestamp() IS NOT NULL AS replayed'))[0]?.replayed ? true : undefined),
    60_000);
    await standby.query('SELECT pg_wal_replay_pause()');
    holder = await primary.connect();
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await holder.query('SELECT count(*) FROM pg_class');
    // WAL beyond the 1 MiB thresholds, kept by the slot and not replayed by the paused standby; a completed segment
    // for the archiver to fail on; requested checkpoints (CHECKPOINT counts as requested).
    await primary.query('CREATE TABLE filler AS SELECT g AS id, repeat(md5(g::text), 8) AS pad FROM generate_series(1, 20000) AS g');
    await primary.query('DELETE FROM filler WHERE id % 2 = 0');
    for (let index = 0; index < 12; index += 1) await primary.query('CHECKPOINT');
    await primary.query('SELECT pg_switch_wal()');
    await primary.query('INSERT INTO filler SELECT g, md5(g::text) FROM generate_series(20001, 20100) AS g');

    troubled = await collectUntil(collect, (r) =>
      statusOf(r, 'replication_lag', 'main/test_standby') === 'warning'
      && statusOf(r, 'replication_lag', 'replica', /paused/) === 'warning'
      && check(r, 'replication_slots').status === 'warning'
      && statusOf(r, 'archiver', 'main') === 'critical'
      && statusOf(r, 'vacuum', 'main/xmin') === 'warning'
      && statusOf(r, 'checkpoints', 'main') === 'critical',
    'every condition visible', 90_000);

    const lag = detailOf(troubled, 'replication_lag', 'main/test_standby');
    assert.match(lag.message, /^main: standby test_standby at 127\.0\.0\.1 replays [\d.]+ (s|min) \([\d.]+ MiB\) behind$/);
    assert.ok((healthOf(troubled, 'main', 'postgresql').replicas?.[0]?.replay_lag_bytes ?? 0) >= MiB);
    assert.match(detailOf(troubled, 'replication_lag', 'replica').message, /^replica: standby of 127\.0\.0\.1:\d+ replays .* behind; replay is paused/);
    assert.match(detailOf(troubled, 'replication_slots', 'main/idle_slot').message, /^main: inactive physical slot idle_slot keeps [\d.]+ MiB of WAL; drop it/);
    assert.match(detailOf(troubled, 'archiver', 'main').message, /^main: archiving 0000000100000000000000\w\w fails \(\d+ failures; last at .*\), no success for .* \(last never\)/);
    assert.match(detailOf(troubled, 'vacuum', 'main/xmin').message, /^main: pid \d+ \(postgres, no application_name, idle in transaction\) holds the xmin horizon \d+ transactions back in a transaction open/);
    assert.match(detailOf(troubled, 'checkpoints', 'main').message, /^main: [\d.]+ % of checkpoints requested: \d+ requested, \d+ timed \(pg_stat_bgwriter\); raise max_wal_size/);
    assert.equal(check(troubled, 'wraparound').status, 'warning');
    assert.match(detailOf(troubled, 'wraparound', 'old').message,
      /^old: oldest database \w+ age\(datfrozenxid\) 13505\d{5} \(62\.9 % of 2\^31, 0\.7x autovacuum_freeze_max_age 2000000000\); oldest tables here: \S+ 13505\d{5}/);
    assert.equal(detailOf(troubled, 'wraparound', 'main').status, 'ok');
    // Dead tuples are graded on the table's counters: half of filler was deleted, autovacuum may or may not have run yet.
    assert.match(detailOf(troubled, 'vacuum', 'main/tables').message, /^main: public\.filler has \d+ dead tuples/);
  });

  it('exports the figures as bounded metrics', async () => {
    const text = await renderMetrics(troubled);
    for (const pattern of [
      /^db_sentinel_pg_replication_lag_bytes\{db="main",replica="test_standby",kind="replay"\} \d{7,}/m,
      /^db_sentinel_pg_replay_paused\{db="replica"\} 1$/m,
      /^db_sentinel_pg_wal_receiver_streaming\{db="replica"\} 1$/m,
      /^db_sentinel_pg_replication_slot_retained_bytes\{db="main",slot="idle_slot"\} \d{7,}/m,
      /^db_sentinel_pg_replication_slot_active\{db="main",slot="idle_slot"\} 0$/m,
      /^db_sentinel_pg_archiver_failing\{db="main"\} 1$/m,
      /^db_sentinel_pg_archiver_failed_total\{db="main"\} [1-9]/m,
      /^db_sentinel_pg_xmin_horizon_seconds\{db="main"\} [\d.]+$/m,
      /^db_sentinel_pg_checkpoints_requested_total\{db="main"\} (1[2-9]|[2-9]\d)/m,
      /^db_sentinel_pg_xid_age\{db="old",datname="postgres"\} 13505\d{5}$/m,
      /^# TYPE db_sentinel_pg_deadlocks_total counter$/m,
      /^db_sentinel_pg_temp_bytes_total\{db="main"\} \d+$/m,
      /^db_sentinel_check_status\{check="wraparound"\} 1$/m,
    ]) assert.match(text, pattern);
  });

  it('fires the alert expressions and fills the health panels on a real Prometheus', async () => {
    await monitoring.serve(troubled);
    for (const [alert, value] of [['DbSentinelReplicationLag', '1'], ['DbSentinelReplicationSlot', '1'], ['DbSentinelWraparound', '1'],
      ['DbSentinelArchiverFailing', '2'], ['DbSentinelVacuumHeldBack', '1'], ['DbSentinelCheckpointsRequested', '2']] as const) {
      const result = await monitoring.query(monitoring.alertExpr(alert));
      assert.deepEqual(result.map((sample) => sample.value?.[1]), [value], `${alert}: ${JSON.stringify(result)}`);
    }
    const empty: string[] = [];
    for (const { title, expr } of monitoring.panelQueries(['Replication lag', 'WAL kept by replication slots', 'Transaction ID age',
      'WAL archiver', 'Vacuum and the xmin horizon', 'Checkpoints', 'Deadlocks, lock waits and temp files'])) {
      if (/mysql_/.test(expr)) continue; // the MariaDB test fills those
      if ((await monitoring.query(expr)).length === 0) empty.push(`${title}: ${expr}`);
    }
    assert.deepEqual(empty, []);
  });

  it('sends a beacon event for each check that went bad', async () => {
    const sent: SaltEvent[] = [];
    beaconState = (await deliver(troubled, beaconState, join(stateDir, 'state.json'), BEACON, async (events) => {
      sent.push(...events);
    })).state;
    const tags = sent.map((event) => event.tag);
    for (const tag of ['db_sentinel/check/replication_lag/warning', 'db_sentinel/check/replication_slots/warning',
      'db_sentinel/check/vacuum/warning', 'db_sentinel/check/archiver/critical', 'db_sentinel/check/checkpoints/critical']) {
      assert.ok(tags.includes(tag), `no event ${tag} in ${tags.join(', ')}`);
    }
    // The same from the real db_beacon bundle, collecting on its own.
    const dryRun = beaconDryRun(setup).map((event) => event.tag);
    for (const tag of ['db_sentinel/check/replication_lag/warning', 'db_sentinel/check/replication_slots/warning',
      'db_sentinel/check/wraparound/warning', 'db_sentinel/check/archiver/critical', 'db_sentinel/check/vacuum/warning',
      'db_sentinel/check/checkpoints/critical']) assert.ok(dryRun.includes(tag), `db_beacon: no ${tag} in ${dryRun.join(', ')}`);
    const archiver = sent.find((event) => event.data.check === 'archiver');
    assert.match(archiver?.data.message ?? '', /main: archiving \w+ fails/);
  });

  it('recovers: replay resumed, the slot dropped, the snapshot ended, archiving fixed; the alerts stop and the beacon says ok', async () => {
    await standby.query('SELECT pg_wal_replay_resume()');
    await primary.query("SELECT pg_drop_replication_slot('idle_slot')");
    await holder?.query('ROLLBACK');
    await primary.query("ALTER SYSTEM SET archive_command = 'true'");
    await primary.query('SELECT pg_reload_conf()');
    await primary.query('SELECT pg_switch_wal()');
    const recovered = await collectUntil(collect, (r) => check(r, 'replication_lag').status === 'ok'
      && check(r, 'replication_slots').status === 'ok' && statusOf(r, 'archiver', 'main') === 'ok'
      && statusOf(r, 'vacuum', 'main/xmin') === 'ok', 'recovery', 120_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nstandby log:\n${standby.log().slice(-3000)}`);
    });
    assert.match(detailOf(recovered, 'archiver', 'main').message, /^main: archiving works \(\d+ archived, last at .*; \d+ failures, none since\)/);
    await monitoring.serve(recovered);
    for (const alert of ['DbSentinelReplicationLag', 'DbSentinelReplicationSlot', 'DbSentinelArchiverFailing']) {
      assert.deepEqual(await monitoring.query(monitoring.alertExpr(alert)), [], `${alert} still fires`);
    }
    const sent: SaltEvent[] = [];
    await deliver(recovered, beaconState, join(stateDir, 'state.json'), BEACON, async (events) => {
      sent.push(...events);
    });
    for (const name of ['replication_lag', 'replication_slots', 'archiver']) {
      const event = sent.find((item) => item.data.check === name);
      assert.equal(event?.tag, `db_sentinel/check/${name}/ok`, `${name}: ${JSON.stringify(sent)}`);
      assert.notEqual(event?.data.previous, 'ok');
    }
  });

  it('names the missing GRANT for a role without pg_monitor, and raises no false alarm', async () => {
    const plain = testConfig([{ name: 'main', engine: 'postgresql', url: primary.url('postgres', 'plain', 'plain-pw') }], { health: HEALTH });
    try {
      const report = await collectWith(createDatabasesCollector({ planCache: new PlanCache() }), plain.config);
      assert.equal(check(report, 'replication_lag').status, 'unknown');
      assert.match(check(report, 'replication_lag').message, /main: not measured: role plain is not a member of pg_read_all_stats.*GRANT pg_monitor TO plain;/);
      assert.equal(detailOf(report, 'vacuum', 'main/xmin').status, 'unknown');
      // What pg_monitor is not needed for is still measured (the checkpoints of this primary are really critical).
      for (const name of ['replication_slots', 'wraparound', 'checkpoints', 'archiver']) assert.notEqual(check(report, name).status, 'unknown', name);
      const codes = report.databases[0]?.problems.map((problem) => problem.code) ?? [];
      assert.ok(codes.includes('missing_privilege_pg_read_all_stats'), codes.join());
      assert.ok(!codes.includes('permission_denied') && !codes.includes('query_failed'), codes.join());
    } finally {
      plain.cleanup();
    }
  });
});

for (const major of [13, 17] as const) {
  describe(`PostgreSQL ${major}: the version-gated health SQL`, () => {
    let server: PostgresServer;
    let setup: TestConfig;
    before(async () => {
      server = await startPostgres(major);
      setup = testConfig([{ name: 'main', engine: 'postgresql', url: await server.createRole('sentinel', 'pw', ['pg_monitor']) }]);
    });
    after(async () => {
      await server?.stop();
      setup?.cleanup();
    });

    it('reads every section with pg_monitor and grades a lone primary ok', async () => {
      const report = await collectWith(createDatabasesCollector({ planCache: new PlanCache() }), setup.config);
      const health = healthOf(report, 'main', 'postgresql');
      assert.deepEqual(health.unavailable, {});
      assert.equal(health.checkpoints?.source, major >= 17 ? 'pg_stat_checkpointer' : 'pg_stat_bgwriter');
      assert.deepEqual(health.replicas, []);
      for (const name of ['replication_lag', 'replication_slots', 'wraparound', 'archiver', 'vacuum', 'checkpoints']) {
        assert.equal(check(report, name).status, 'ok', `${name}: ${check(report, name).message}`);
      }
      assert.match(check(report, 'replication_lag').message, /^main: primary with no standby connected$/);
      assert.match(check(report, 'archiver').message, /^main: archive_mode is off$/);
      assert.equal(check(report, 'innodb_history_length').message, 'no MySQL/MariaDB database configured');
    });
  });
}
