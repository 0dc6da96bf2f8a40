// The MySQL/MariaDB health checks on real servers: two mariadbd on loopback, a GTID replica of a binlogging
// primary. The replica's SQL thread is stopped, then an error is injected (a row the replica has and the primary
// then inserts: error 1062); InnoDB history grows behind a long-open read view; sleeping statements raise
// Threads_running; failed logins raise Aborted_connects between two collections of one process (clock injected).
// For each: the check's status and message, the metric, the alert expression on a real Prometheus scraping the
// report and the dashboard's panels returning data, the beacon event, and the recovery. The collector logs in
// with the README's least privileges (PROCESS, SLAVE MONITOR, SELECT on performance_schema).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'mysql2/promise';
import { createDatabasesCollector } from '../../src/collectors/db/databases';
import type { Report } from '../../src/core/report';
import { renderMetrics } from '../../src/outputs/prometheus';
import { deliver, emptyState, type BeaconOptions, type BeaconState, type SaltEvent } from '../../src/outputs/salt-event';
import { sleep, waitUntil } from '../../src/demo/local-server';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { beaconDryRun, check, collectUntil, collectWith, detailOf, healthOf, startMonitoring, statusOf, type MonitoringStack } from '../harness/health';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { PlanCache } from '../../src/explain';
import { startServe, UNIT_NODE_ARGS } from '../harness/serve-process';

const HEALTH = {
  innodb_history_length: { warning: 500, critical: 1_000_000 },
  threads_running_per_cpu: { warning: 1.5, critical: 100 },
  aborted_connects_per_second: { warning: 0.2, critical: 100 },
};
const LEAST_PRIVILEGES = ['PROCESS ON *.*', 'SLAVE MONITOR ON *.*', 'SELECT ON performance_schema.*'];

/** The beacon as the formula runs it: one run makes an event (no hysteresis), the minion id as host. */
const BEACON: BeaconOptions = { hold: 1, host: 'db1' };

describe('MySQL/MariaDB health checks on a GTID primary and replica', () => {
  let primary: MariadbServer;
  let replica: MariadbServer;
  let setup: TestConfig;
  let monitoring: MonitoringStack;
  const held: Connection[] = [];
  const stateDir = mkdtempSync(join(tmpdir(), 'db_sentinel-health-beacon-'));
  let beaconState: BeaconState = emptyState();
  let troubled: Report;
  let beforeLogins: Report;
  const collect = (): Promise<Report> => collectWith(createDatabasesCollector({ planCache: new PlanCache() }), setup.config);
  const replicaStatus = async (): Promise<Record<string, unknown>> => (await replica.query('SHOW SLAVE STATUS'))[0] ?? {};

  before(async () => {
    [primary, replica, monitoring] = await Promise.all([
      startMariadb({ extraArgs: ['--log-bin=mariadb-bin', '--server-id=1', '--binlog-format=ROW'] }),
      startMariadb({ extraArgs: ['--server-id=2'] }),
      startMonitoring(),
    ]);
    // Created on the primary, replicated to the replica with everything else.
    const primaryUrl = await primary.createUser('sentinel', 'sentinel-pw', LEAST_PRIVILEGES);
    await primary.createUser('nomon', 'nomon-pw', ['PROCESS ON *.*']);
    await primary.query('CREATE DATABASE shop');
    await primary.query('CREATE TABLE shop.items (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB');
    await primary.query('INSERT INTO shop.items VALUES (100, 0)');
    await replica.query(`CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER=?, MASTER_PASSWORD=?, MASTER_USE_GTID=slave_pos`,
      [primary.superuser, primary.superuserPassword]);
    await replica.query('START SLAVE');
    const replicaUrl = new URL(primaryUrl);
    replicaUrl.port = String(replica.port);
    setup = testConfig([
      { name: 'primary', engine: 'mysql', url: primaryUrl },
      { name: 'replica', engine: 'mysql', url: replicaUrl.toString() },
    ], { health: HEALTH });
  });

  after(async () => {
    for (const connection of held) connection.destroy();
    await Promise.all([primary?.stop(), replica?.stop(), monitoring?.stop()]);
    setup?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts healthy: the replica runs both threads and is caught up, the primary is no replica', async () => {
    const report = await collectUntil(collect, (r) => statusOf(r, 'replication_lag', 'replica') === 'ok'
      && (healthOf(r, 'replica', 'mysql').replication?.[0]?.gtid_executed ?? '').length > 0
      && check(r, 'innodb_history_length').status === 'ok' && check(r, 'threads_running').status === 'ok', 'replica running');
    assert.match(detailOf(report, 'replication_lag', 'replica').message, /^replica: replica \(default channel\) of 127\.0\.0\.1:\d+, GTID 0-1-\d+: 0\.0 s behind$/);
    assert.equal(detailOf(report, 'replication_lag', 'primary').message, 'primary: not a replica');
    assert.match(check(report, 'aborted_connections').message, /a rate needs the previous collection of this process/);
    beaconState = (await deliver(report, beaconState, join(stateDir, 'state.json'), BEACON, async () => undefined)).state;
  });

  it('a stopped SQL thread is critical', async () => {
    await replica.query('STOP SLAVE SQL_THREAD');
    const report = await collectUntil(collect, (r) => check(r, 'replication_lag').status === 'critical', 'SQL thread stopped');
    assert.match(detailOf(report, 'replication_lag', 'replica').message, /^replica: replica \(default channel\) of 127\.0\.0\.1:\d+, GTID 0-1-\d+: SQL thread No$/);
    assert.match(await renderMetrics(report), /^db_sentinel_mysql_replica_sql_running\{db="replica",channel=""\} 0$/m);
  });

  it('grades an injected replication error, purge held back by a read view, running threads and failed logins', async () => {
    // The replica gets row 1 on its own; the primary's insert of row 1 then fails to apply (1062).
    const direct = await replica.connect();
    await direct.query('SET SESSION sql_log_bin = 0');
    await direct.query('INSERT INTO shop.items VALUES (1, 0)');
    await direct.end();
    await primary.query('INSERT INTO shop.items VALUES (1, 0)');
    await replica.query('START SLAVE SQL_THREAD');
    // A read view opened before the updates keeps their undo history from being purged.
    const reader = await primary.connect('shop');
    held.push(reader);
    await reader.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
    await reader.query('SELECT COUNT(*) FROM items');
    await primary.query('CREATE PROCEDURE shop.churn(IN times INT) BEGIN DECLARE i INT DEFAULT 0; WHILE i < times DO UPDATE shop.items SET n = n + 1 WHERE id = 100; SET i = i + 1; END WHILE; END');
    await primary.query('CALL shop.churn(2000)');
    // Four statements sleeping on the primary: Threads_running 5 with the collector's own, 2 per CPU on 2 CPUs.
    for (let index = 0; index < 4; index += 1) {
      const sleeper = await primary.connect();
      held.push(sleeper);
      sleeper.query('SELECT SLEEP(600)').catch((error: unknown) => error); // ended by destroy() below
    }
    await collectUntil(collect, (r) => statusOf(r, 'replication_lag', 'replica', /error 1062/) === 'critical'
      && check(r, 'innodb_history_length').status === 'warning' && statusOf(r, 'threads_running', 'primary') === 'warning',
    'replication error, history length and running threads', 90_000);

    // Aborted connections: one process collects, 20 logins fail, the same process collects 10 s later by its clock.
    const collector = createDatabasesCollector({ planCache: new PlanCache() });
    const start = new Date();
    beforeLogins = await collectWith(collector, setup.config, { now: start });
    for (let index = 0; index < 20; index += 1) {
      await startFailedLogin(primary);
    }
    troubled = await collectWith(collector, setup.config, { now: new Date(start.getTime() + 10_000) });

    assert.equal(check(troubled, 'replication_lag').status, 'critical');
    assert.match(detailOf(troubled, 'replication_lag', 'replica').message,
      /^replica: replica \(default channel\) of 127\.0\.0\.1:\d+, GTID 0-1-\d+: SQL thread No \(error 1062: .*Duplicate entry '1' for key 'PRIMARY'.*\)$/);
    assert.equal(healthOf(troubled, 'replica', 'mysql').replication?.[0]?.last_sql_errno, 1062);
    assert.match(detailOf(troubled, 'innodb_history_length', 'primary').message, /^primary: InnoDB history list length \d+ \(purge is held back/);
    assert.ok((healthOf(troubled, 'primary', 'mysql').history_length ?? 0) >= 500);
    assert.match(detailOf(troubled, 'threads_running', 'primary').message, /^primary: [\d.]+ running threads per CPU \([4-9] besides this check on 2 CPUs; \d+ connected\)$/);
    assert.equal(detailOf(troubled, 'aborted_connections', 'primary').status, 'warning');
    assert.match(detailOf(troubled, 'aborted_connections', 'primary').message, /^primary: 2\.\d\d aborted connects per second \(\d+ aborted connects/);
    assert.equal(detailOf(troubled, 'aborted_connections', 'replica').status, 'ok');
  });

  it('exports the figures as bounded metrics', async () => {
    const text = await renderMetrics(troubled);
    for (const pattern of [
      /^db_sentinel_mysql_replica_sql_running\{db="replica",channel=""\} 0$/m,
      /^db_sentinel_mysql_replica_io_running\{db="replica",channel=""\} 1$/m,
      /^db_sentinel_mysql_replica_last_errno\{db="replica",channel="",thread="sql"\} 1062$/m,
      /^db_sentinel_mysql_replica_channels\{db="primary"\} 0$/m,
      /^db_sentinel_mysql_innodb_history_length\{db="primary"\} \d{3,}$/m,
      /^db_sentinel_mysql_threads_running\{db="primary"\} [5-9]$/m,
      /^# TYPE db_sentinel_mysql_aborted_connects_total counter$/m,
      /^db_sentinel_mysql_aborted_connects_total\{db="primary"\} [1-9]\d*$/m,
      /^db_sentinel_mysql_innodb_row_lock_waits_total\{db="primary"\} \d+$/m,
      /^db_sentinel_mysql_innodb_deadlocks_total\{db="primary"\} \d+$/m,
      /^db_sentinel_check_status\{check="replication_lag"\} 2$/m,
    ]) assert.match(text, pattern);
  });

  it('fires the alert expressions and fills the panels on a real Prometheus', async () => {
    await monitoring.serve(beforeLogins);
    await monitoring.query('up');
    await monitoring.serve(troubled);
    for (const [alert, value] of [['DbSentinelReplicationLag', '2'], ['DbSentinelInnodbHistoryLength', '1'], ['DbSentinelThreadsRunningHigh', '1']] as const) {
      const result = await monitoring.query(monitoring.alertExpr(alert));
      assert.deepEqual(result.map((sample) => sample.value?.[1]), [value], `${alert}: ${JSON.stringify(result)}`);
    }
    // rate() over the alert's 5 minutes divides by the whole window, and this Prometheus holds seconds of samples:
    // the 20 failed logins show as a rate above 0 here (firing above 1/s is the promtool test's part).
    const abortedExpr = monitoring.alertExpr('DbSentinelAbortedConnections');
    assert.match(abortedExpr, / > 1$/);
    const aborted = await monitoring.query(abortedExpr.replace(/ > 1$/, ' > 0'));
    assert.deepEqual(aborted.map((sample) => sample.metric.db), ['primary'], JSON.stringify(aborted));
    const empty: string[] = [];
    for (const { title, expr } of monitoring.panelQueries(['Replication lag', 'Deadlocks, lock waits and temp files',
      'InnoDB history length and buffer pool', 'MySQL threads running and aborted connections'])) {
      if (/_pg_/.test(expr)) continue; // the PostgreSQL test fills those
      // Seconds_Behind_Master is NULL while the SQL thread is stopped: the lag series is absent by design (the
      // replication_lag check says why); it is present in the recovered report below.
      if (/mysql_replica_lag_seconds/.test(expr)) continue;
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
    for (const tag of ['db_sentinel/check/replication_lag/critical', 'db_sentinel/check/innodb_history_length/warning',
      'db_sentinel/check/threads_running/warning', 'db_sentinel/check/aborted_connections/warning']) {
      assert.ok(tags.includes(tag), `no event ${tag} in ${tags.join(', ')}`);
    }
    assert.match(sent.find((event) => event.data.check === 'replication_lag')?.data.message ?? '', /error 1062/);
    // The same from the real db_beacon bundle, collecting on its own (a rate needs two runs: no aborted_connections).
    const dryRun = beaconDryRun(setup);
    for (const tag of ['db_sentinel/check/replication_lag/critical', 'db_sentinel/check/innodb_history_length/warning',
      'db_sentinel/check/threads_running/warning']) assert.ok(dryRun.some((event) => event.tag === tag), `db_beacon: no ${tag} in ${dryRun.map((event) => event.tag).join(', ')}`);
    assert.equal(dryRun.find((event) => event.tag === 'db_sentinel/check/replication_lag/critical')?.data.host, 'db1');
  });

  it('recovers: the conflicting row removed and the thread restarted, the read view and sleepers ended', async () => {
    const direct = await replica.connect();
    await direct.query('SET SESSION sql_log_bin = 0');
    await direct.query('DELETE FROM shop.items WHERE id = 1');
    await direct.end();
    await replica.query('START SLAVE SQL_THREAD');
    for (const connection of held.splice(0)) connection.destroy();
    const recovered = await collectUntil(collect, (r) => check(r, 'replication_lag').status === 'ok'
      && check(r, 'innodb_history_length').status === 'ok' && check(r, 'threads_running').status === 'ok', 'recovery', 180_000);
    assert.equal((await replicaStatus()).Slave_SQL_Running, 'Yes');
    await monitoring.serve(recovered);
    assert.deepEqual(await monitoring.query(monitoring.alertExpr('DbSentinelReplicationLag')), []);
    assert.equal((await monitoring.query(monitoring.panelQueries(['Replication lag']).find((item) => /mysql_replica_lag/.test(item.expr))?.expr ?? '')).length, 1);
    const sent: SaltEvent[] = [];
    await deliver(recovered, beaconState, join(stateDir, 'state.json'), BEACON, async (events) => {
      sent.push(...events);
    });
    for (const name of ['replication_lag', 'innodb_history_length', 'threads_running']) {
      assert.equal(sent.find((event) => event.data.check === name)?.tag, `db_sentinel/check/${name}/ok`, `${name}: ${JSON.stringify(sent.map((e) => e.tag))}`);
    }
  });

  it('db_analyzer serve keeps its counter samples from one cycle to the next: the daemon grades aborted connections', async () => {
    // Its collectors are made once per process (analyzerCollection): a daemon that made them anew each cycle lost the
    // previous sample and never had a rate.
    const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-health-serve-'));
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...setup.document, state_dir: dir, server: { interval_seconds: 1 }, explain: { enabled: false } }), { mode: 0o600 });
    const serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], process.execPath, 120_000, UNIT_NODE_ARGS);
    try {
      const report = await waitUntil('a served report with a rate of aborted connects', async () => {
        const response = await fetch(`${serve.url}/report`);
        if (response.status !== 200) return undefined;
        const served = (await response.json()) as Report;
        return /aborted connects per second/.test(detailOf(served, 'aborted_connections', 'primary').message) ? served : undefined;
      }, 60_000);
      assert.match(detailOf(report, 'aborted_connections', 'primary').message, /^primary: \d+\.\d\d aborted connects per second/);
    } finally {
      await serve.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the missing GRANT for a user without SLAVE MONITOR, and raises no false alarm', async () => {
    const url = new URL(replica.url('', 'nomon', 'nomon-pw'));
    url.pathname = '/';
    const bare = testConfig([{ name: 'replica', engine: 'mysql', url: url.toString() }]);
    try {
      const report = await collectWith(createDatabasesCollector({ planCache: new PlanCache() }), bare.config);
      assert.equal(check(report, 'replication_lag').status, 'unknown');
      assert.match(check(report, 'replication_lag').message, /^replica: not measured: .*GRANT SLAVE MONITOR ON \*\.\* TO 'nomon'@'127\.0\.0\.1';/);
      assert.ok(report.databases[0]?.problems.some((problem) => problem.remedy === "GRANT SLAVE MONITOR ON *.* TO 'nomon'@'127.0.0.1';"));
      for (const name of ['innodb_history_length', 'threads_running', 'aborted_connections']) assert.equal(check(report, name).status, 'ok', name);
    } finally {
      bare.cleanup();
    }
  });
});

/** One login with a wrong password (Aborted_connects + 1), waited for until the server has refused it. */
async function startFailedLogin(server: MariadbServer): Promise<void> {
  const refused = await server.connect('mysql', { password: 'wrong-password' }).then(
    async (connection) => {
      await connection.end();
      return false;
    },
    (error: unknown) => /Access denied/.test(String(error)));
  assert.ok(refused, 'a wrong password was accepted');
  await sleep(0);
}
