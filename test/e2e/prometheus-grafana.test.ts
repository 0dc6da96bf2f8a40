// The monitoring stack end to end with real parts: Debian's Prometheus (prometheus/prometheus.yml with its rules,
// a 1 s scrape interval, temporary storage) scrapes a running `db_analyzer serve` (the bundle, with a bearer token,
// against the harness' embedded PostgreSQL 17 and MariaDB, idle after their slow-query workload) and Debian's
// node_exporter serving the db_textfile output. Both are found through one file_sd entry in the form Salt renders
// (file_sd/db_sentinel.json): the "host" is a loopback address of its own, db_analyzer on a free port there and
// node_exporter on 9100, as the node job derives it. After a few scrapes every
// dashboard query (variables filled in as Grafana does) must return data, every alert expression must be valid and
// every rule healthy, and every metric the dashboard and the rules read must be exposed by db_sentinel or node_exporter.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump, load } from 'js-yaml';
import { REPLICATION_PANELS } from '../../grafana/src/health-panels';
import { labelValuesSelector, promqlOf, queryPanels, type DashboardJson } from '../harness/dashboard-lint';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import {
  PROMETHEUS_DIR, privateLoopbackHost, prometheusApi, readAlertRules, REPO_ROOT, startNodeExporterWithTextfile, startPrometheus,
  type RunningServer, type Sample,
} from '../harness/prometheus';
import { metricNames } from '../harness/promql';
import { startServe, type ServeProcess } from '../harness/serve-process';
import { runMariadbWorkload, runPostgresWorkload } from '../harness/workload';
import type { Report } from '../../src/core/report';
import { TEXTFILE_NAME } from '../../src/outputs/textfile';

const TOKEN = 'e2e-scrape-token-0123456789abcdef';
/** What Grafana would compute for $__rate_interval with a 1 s scrape interval and a short time range, with margin. */
const RATE_INTERVAL = '10s';
const TARGET_LABELS = { host: 'db1', db_engine: 'postgresql', cluster: 'e2e', role: 'primary' };
/**
 * Metrics this machine cannot produce live, each with the reason; test/unit/monitoring-metrics.test.ts checks them
 * against the catalog and the golden exposition instead.
 */
const NOT_LIVE_HERE: Record<string, string> = {
  db_sentinel_service_active: 'systemd is not PID 1 on the test machine, so no unit state is known',
  ...Object.fromEntries(['pg_replication_lag_seconds', 'pg_standby_replay_lag_seconds', 'mysql_replica_lag_seconds',
    'pg_replication_slot_retained_bytes', 'pg_archiver_failed_total', 'pg_archiver_seconds_since_success']
    .map((name) => [`db_sentinel_${name}`, 'needs a standby, a replica, a slot or archiving: test/integration/health-{postgres,mariadb}.test.ts'])),
};

const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'grafana/dashboards/db_sentinel.json'), 'utf8')) as DashboardJson;
// Every rule file, as prometheus.yml loads rules/*.yml.
const alerts = readAlertRules(readdirSync(join(PROMETHEUS_DIR, 'rules')).filter((file) => file.endsWith('.yml')).map((file) => join(PROMETHEUS_DIR, 'rules', file)));

function metricNamesOf(exposition: string): Set<string> {
  return new Set([...exposition.matchAll(/^([a-zA-Z_:][\w:]*)(?:\{| )/gm)].map((match) => match[1]));
}

/** Grafana's rendering of a multi-value variable for a Prometheus regex matcher. */
function multiValue(values: readonly string[]): string {
  return values.length === 1 ? values[0] : `(${values.join('|')})`;
}

describe('Prometheus + db_analyzer + node_exporter, with the dashboard and the rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-e2e-prom-'));
  const textfileDir = join(dir, 'textfile');
  const promDir = join(dir, 'prometheus');
  let pg: PostgresServer | undefined;
  let mariadb: MariadbServer | undefined;
  let analyzer: ServeProcess | undefined;
  let nodeExporter: RunningServer | undefined;
  let prometheus: RunningServer;
  /** Values of the dashboard's query variables as Prometheus lists them, and as Grafana fills them into queries. */
  const variableValues: Record<string, string[]> = {};
  const variables: Record<string, string> = {};

  before(async () => {
    [pg, mariadb] = await Promise.all([startPostgres(17), startMariadb()]);
    await runPostgresWorkload(pg);
    await runMariadbWorkload(mariadb);
    // From here on both databases are idle: every panel must show data on a quiet host too.

    // The host: db_analyzer's config with both databases (passwords in 0600 files) and a scrape token.
    mkdirSync(textfileDir);
    writeFileSync(join(dir, 'pg.pass'), `${pg.superuserPassword}\n`, { mode: 0o600 });
    // MariaDB EXPLAIN runs only as an account that can do nothing but read (README, least privileges).
    const agentPassword = `agent-${process.pid}`;
    await mariadb.createUser('db_sentinel', agentPassword, ['SELECT, SHOW VIEW ON shop.*', 'SELECT ON performance_schema.*', 'PROCESS ON *.*']);
    writeFileSync(join(dir, 'mariadb.pass'), `${agentPassword}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'scrape.token'), `${TOKEN}\n`, { mode: 0o600 });
    const config = join(dir, 'config.yml');
    writeFileSync(config, dump({
      server: { interval_seconds: 2, token_file: join(dir, 'scrape.token') },
      databases: [
        { name: 'main', engine: 'postgresql', url: `postgresql://${pg.superuser}@127.0.0.1:${pg.port}/postgres`, password_file: join(dir, 'pg.pass') },
        { name: 'shop', engine: 'mysql', url: `mysql://db_sentinel@127.0.0.1:${mariadb.port}/shop`, password_file: join(dir, 'mariadb.pass') },
      ],
      textfile: { dir: textfileDir },
      explain: { cache_file: join(dir, 'plan-cache.json') },
      state_dir: dir,
    }));
    const runTextfile = (): void => {
      const textfile = spawnSync(process.execPath, [join(REPO_ROOT, 'build', 'db_textfile.js'), '--dir', textfileDir, '--config', config],
        { encoding: 'utf8', timeout: 120_000 });
      assert.equal(textfile.status, 0, `db_textfile: ${textfile.stdout}${textfile.stderr}`);
      assert.equal(textfile.stderr, '', 'db_textfile warned');
    };
    runTextfile();
    // A cron run is a new process: the second run takes its plans from the cache file instead of planning again
    // (a re-planned entry would carry a later expiry).
    const cached = (): Map<string, number> => new Map((JSON.parse(readFileSync(join(dir, 'plan-cache.json'), 'utf8')) as
      { entries: Array<{ key: string; expiresAt: number }> }).entries.map((entry) => [entry.key, entry.expiresAt]));
    const first = cached();
    assert.ok(first.size > 0, 'the first run cached no plan');
    runTextfile();
    const second = cached();
    for (const [key, expiresAt] of first) assert.equal(second.get(key), expiresAt, `plan ${key} was made again`);
    // node_exporter first: it picks the host address (one whose port 9100 is free), db_analyzer joins it there.
    nodeExporter = await startNodeExporterWithTextfile(textfileDir, privateLoopbackHost);
    const host = new URL(nodeExporter.url).hostname;
    analyzer = await startServe(['--config', config, '--listen', `${host}:0`]);

    // The monitoring host: prometheus/ as installed, with file_sd naming these two servers (and one unmarked target
    // that relabeling must drop), and a 1 s scrape and evaluation interval instead of 30 s.
    cpSync(PROMETHEUS_DIR, promDir, { recursive: true });
    writeFileSync(join(promDir, 'db_sentinel.token'), `${TOKEN}\n`);
    const promConfig = load(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as { global: Record<string, string> };
    promConfig.global = { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' };
    writeFileSync(join(promDir, 'prometheus.yml'), dump(promConfig, { noRefs: true }));
    rmSync(join(promDir, 'file_sd'), { recursive: true });
    mkdirSync(join(promDir, 'file_sd'));
    writeFileSync(join(promDir, 'file_sd', 'db_sentinel.json'), JSON.stringify([
      { targets: [new URL(analyzer.url).host], labels: { ...TARGET_LABELS, db_sentinel: 'true' } },
      { targets: ['127.0.0.1:9'], labels: { host: 'not-a-db' } },
    ]));
    prometheus = await startPrometheus(join(promDir, 'prometheus.yml'), join(dir, 'tsdb'));

    // A few scrapes of both targets, and the analyzer's databases in them.
    for (let wait = 0; ; wait += 1) {
      const answer = await prometheusApi<{ result: Sample[] }>(prometheus, 'query', {
        query: 'count_over_time(up[1m]) >= 8 and up == 1',
      });
      const jobs = new Set(answer.data?.result.map((sample) => sample.metric.job));
      if (jobs.has('db_analyzer') && jobs.has('node')) break;
      // A guard, not a margin: eight 1 s scrapes come in seconds, a loaded machine may need more.
      if (wait > 480) assert.fail(`no scrapes of both jobs after 240 s: ${JSON.stringify(answer)}\n${prometheus.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    // The dashboard's variables, from Prometheus as Grafana's label_values() would list them.
    for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
      const parsed = labelValuesSelector(variable);
      assert.ok(parsed, variable.name);
      const answer = await prometheusApi<Record<string, string>[]>(prometheus, 'series', { 'match[]': promqlOf(parsed.selector, { variables }) });
      assert.equal(answer.status, 'success', JSON.stringify(answer));
      const values = [...new Set(answer.data.map((series) => series[parsed.label]))].sort();
      variableValues[variable.name] = values;
      // An empty variable is reported by its own test; the panels are then queried with All (.+).
      if (values.length > 0) variables[variable.name] = multiValue(values);
    }
  });

  after(async () => {
    await prometheus?.stop();
    await nodeExporter?.stop();
    await analyzer?.stop();
    await pg?.stop();
    await mariadb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('relabels both targets: instance is the host name, with host, db_engine, cluster and role; the unmarked one is dropped', async () => {
    const answer = await prometheusApi<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[];
      droppedTargets: { discoveredLabels: Record<string, string> }[] }>(prometheus, 'targets');
    assert.equal(answer.status, 'success');
    const active = answer.data.activeTargets.map((target): Record<string, string> => ({ ...target.labels, health: target.health }))
      .sort((a, b) => (a.job < b.job ? -1 : 1));
    assert.deepEqual(active, [
      { job: 'db_analyzer', instance: 'db1', ...TARGET_LABELS, health: 'up' },
      { job: 'node', instance: 'db1', ...TARGET_LABELS, health: 'up' },
    ]);
    // Dropped by both jobs (Prometheus 2.42 shows the node job's copy with the address its relabeling made, :9100).
    assert.deepEqual(answer.data.droppedTargets.map((target) => target.discoveredLabels.__address__).sort(),
      ['127.0.0.1:9', '127.0.0.1:9100']);
  });

  it('fills the dashboard variables from Prometheus', () => {
    assert.deepEqual(variableValues, { job: ['db_analyzer', 'node'], cluster: ['e2e'], role: ['primary'], instance: ['db1'], db: ['main', 'shop'] });
    assert.equal(variables.job, '(db_analyzer|node)');
  });

  it('every dashboard panel query returns data', async () => {
    const empty: string[] = [];
    const end = Math.floor(Date.now() / 1000);
    for (const panel of queryPanels(dashboard)) {
      // Series of a replication setup: their panels are queried in test/integration/health-{postgres,mariadb}.test.ts.
      if ((REPLICATION_PANELS as readonly string[]).includes(panel.title ?? '')) continue;
      for (const target of panel.targets ?? []) {
        const query = promqlOf(target.expr, { rateInterval: RATE_INTERVAL, variables });
        const instant = (target as { instant?: boolean }).instant === true;
        const answer = instant
          ? await prometheusApi<{ result: Sample[] }>(prometheus, 'query', { query })
          : await prometheusApi<{ result: Sample[] }>(prometheus, 'query_range', { query, start: String(end - 30), end: String(end), step: '1' });
        assert.equal(answer.status, 'success', `${panel.title} ${target.refId}: ${answer.error} in ${query}`);
        if (answer.data.result.length === 0) empty.push(`${panel.title} ${target.refId}: ${query}`);
      }
    }
    assert.deepEqual(empty, [], 'panel queries without data');
  });

  it('the idle databases: longest query and transaction are 0 for both, from db_analyzer and the textfile', async () => {
    const values: string[] = [];
    for (const metric of ['db_sentinel_db_longest_query_seconds', 'db_sentinel_db_longest_transaction_seconds']) {
      const answer = await prometheusApi<{ result: Sample[] }>(prometheus, 'query', { query: metric });
      for (const sample of answer.data.result) values.push(`${metric}{job=${sample.metric.job},db=${sample.metric.db}} ${sample.value?.[1]}`);
    }
    assert.deepEqual(values.sort(), ['main', 'shop'].flatMap((db) => ['query', 'transaction'].flatMap((what) =>
      ['db_analyzer', 'node'].map((job) => `db_sentinel_db_longest_${what}_seconds{job=${job},db=${db}} 0`))).sort());
  });

  it('the slow query table names real statements of both databases', async () => {
    const table = queryPanels(dashboard).find((panel) => panel.title === 'Top slowest queries');
    const query = promqlOf(table?.targets?.[0]?.expr ?? '', { variables });
    const answer = await prometheusApi<{ result: Sample[] }>(prometheus, 'query', { query });
    const rows = answer.data.result.map((sample) => sample.metric);
    assert.deepEqual([...new Set(rows.map((row) => row.db))].sort(), ['main', 'shop']);
    assert.ok(rows.some((row) => /orders/i.test(row.query ?? '')), `no workload statement: ${JSON.stringify(rows)}`);
  });

  it('every alert expression is valid on the live data, and Prometheus evaluates every rule without error', async () => {
    for (const alert of alerts) {
      const answer = await prometheusApi<{ result: Sample[] }>(prometheus, 'query', { query: alert.expr });
      assert.equal(answer.status, 'success', `${alert.alert}: ${answer.error}`);
    }
    const rules = await prometheusApi<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>(prometheus, 'rules');
    const loaded = rules.data.groups.flatMap((group) => group.rules);
    assert.deepEqual(loaded.map((rule) => rule.name).sort(), alerts.map((alert) => alert.alert).sort());
    for (const rule of loaded) assert.equal(rule.health, 'ok', `${rule.name}: ${rule.lastError}`);
  });

  it('drift in the report shows as DbSentinelTuningDrift alerts per host (no job label), though both jobs carry the series', async () => {
    assert.ok(analyzer);
    const report = (await (await fetch(`${analyzer.url}/report`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Report;
    const drifting = (report.os.drift ?? []).map((item) => item.setting).sort();
    const answer = await prometheusApi<{ alerts: { labels: Record<string, string>; state: string }[] }>(prometheus, 'alerts');
    const alerting = answer.data.alerts.filter((alert) => alert.labels.alertname === 'DbSentinelTuningDrift');
    for (const alert of alerting) {
      assert.equal(alert.labels.instance, 'db1');
      assert.equal(alert.labels.job, undefined, 'the alert is per host, not per job');
      assert.ok(['pending', 'firing'].includes(alert.state));
    }
    // Compared loosely, as another test on this machine may retune a setting between the collection and the rule
    // evaluation: drift in the report means alerts, and every alert names a setting of the profile.
    const profile = new Set((report.os.tuning ?? []).map((item) => item.setting));
    assert.equal(alerting.length > 0, drifting.length > 0, `report drift ${drifting.join(', ')}; alerts ${JSON.stringify(alerting)}`);
    for (const alert of alerting) assert.ok(profile.has(alert.labels.setting), alert.labels.setting);
  });

  it('the textfile is labeled with its full path, as the stale-textfile alert expects', async () => {
    const answer = await prometheusApi<{ result: Sample[] }>(prometheus, 'query', {
      query: 'node_textfile_mtime_seconds{file=~".*/db_sentinel[.]prom"}',
    });
    assert.deepEqual(answer.data.result.map((sample) => sample.metric.file), [join(textfileDir, TEXTFILE_NAME)]);
  });

  it('every metric the dashboard and the rules read is exposed by db_analyzer or node_exporter', async (t) => {
    assert.ok(analyzer && nodeExporter);
    const authorization = { authorization: `Bearer ${TOKEN}` };
    const analyzerMetrics = await fetch(`${analyzer.url}/metrics`, { headers: authorization });
    assert.equal(analyzerMetrics.status, 200);
    const exposed = new Set([...metricNamesOf(await analyzerMetrics.text()),
      ...metricNamesOf(await (await fetch(`${nodeExporter.url}/metrics`)).text()), 'up']);
    // Per-query findings are series only for slow queries whose plan has findings: when the report has none, their
    // absence is right (plan_findings, by severity, is always there).
    const report = (await (await fetch(`${analyzer.url}/report`, { headers: authorization })).json()) as Report;
    const findings = report.databases.flatMap((db) => db.slow_queries).flatMap((query) => query.plan?.findings ?? []);
    if (findings.length === 0) {
      t.diagnostic('the report has no plan findings: db_sentinel_slow_query_findings is not expected');
      exposed.add('db_sentinel_slow_query_findings');
      assert.ok(exposed.has('db_sentinel_plan_findings'));
    }
    const expressions = [...alerts.map((alert) => alert.expr),
      ...queryPanels(dashboard).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr))];
    const missing = [...new Set(expressions.flatMap((expr) => metricNames(expr)))]
      .filter((name) => !exposed.has(name) && NOT_LIVE_HERE[name] === undefined);
    assert.deepEqual(missing, [], 'metrics used but not exposed');
  });
});
