// What the health tests share: one collection of the database collector into a Report (with an injected clock and
// CPU count), and a real Prometheus scraping a report's /metrics, on which the dashboard's health panels and the
// health alert expressions are evaluated.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import type { Config } from '../../src/core/config';
import type { TestConfig } from './dbconfig';
import type { Collector } from '../../src/collectors/collector';
import type { Report } from '../../src/core/report';
import type { DatabaseHealth } from '../../src/core/health-report';
import type { SaltEvent } from '../../src/outputs/salt-event';
import { collectReport } from '../../src/report/runner';
import { renderMetrics } from '../../src/outputs/prometheus';
import { HOST_ROOTS } from '../../src/sources/fsroot';
import { spawnCommand } from '../../src/sources/spawn';
import { promqlOf, queryPanels, type DashboardJson } from './dashboard-lint';
import { sleep } from '../../src/demo/local-server';
import { PROMETHEUS_DIR, prometheusApi, readAlertRules, REPO_ROOT, startPrometheus, type RunningServer, type Sample } from './prometheus';

export const HEALTH_RULES = join(PROMETHEUS_DIR, 'rules', 'db_sentinel_health.yml');

export async function collectWith(collector: Collector, config: Config, options: { now?: Date; cpuCount?: number } = {}): Promise<Report> {
  const context = {
    config, exec: spawnCommand, roots: HOST_ROOTS, now: () => options.now ?? new Date(), cpuCount: options.cpuCount ?? 2, hostname: 'db1',
  };
  return collectReport([collector], context, { deadlineMs: 120_000 });
}

/** Collects until `done(report)` holds (a server-side condition, never a fixed sleep); fails after `timeoutMs`. */
export async function collectUntil(collect: () => Promise<Report>, done: (report: Report) => boolean, what: string,
  timeoutMs = 60_000): Promise<Report> {
  const deadline = Date.now() + timeoutMs;
  let report = await collect();
  while (!done(report)) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s; last checks: ${JSON.stringify(report.checks.map((check) => [check.name, check.status, check.message]))}`);
    await sleep(500);
    report = await collect();
  }
  return report;
}

/** The health part of database `db`, which must be `engine`'s (typed as that engine's health). */
export function healthOf<E extends DatabaseHealth['engine']>(report: Report, db: string, engine: E): Extract<DatabaseHealth, { engine: E }> {
  const health = report.databases.find((item) => item.name === db)?.health;
  assert.equal(health?.engine, engine, `${db} has no ${engine} health`);
  return health as Extract<DatabaseHealth, { engine: E }>;
}

export function check(report: Report, name: string): Report['checks'][number] {
  const found = report.checks.find((item) => item.name === name);
  if (found === undefined) throw new Error(`no check ${name} in the report`);
  return found;
}

/** The status of one subject of a check, undefined while it is not reported (for polling conditions). */
export function statusOf(report: Report, checkName: string, subject: string, message: RegExp = /(?:)/): string | undefined {
  const detail = check(report, checkName).details?.find((item) => item.subject === subject);
  return detail !== undefined && message.test(detail.message) ? detail.status : undefined;
}

/** One subject of a check; fails naming the check's details when it is not there. */
export function detailOf(report: Report, checkName: string, subject: string): { status: string; message: string } {
  const detail = check(report, checkName).details?.find((item) => item.subject === subject);
  if (detail === undefined) throw new Error(`${checkName}: no detail ${subject} in ${JSON.stringify(check(report, checkName).details)}`);
  return detail;
}

/**
 * The built db_beacon bundle, --dry-run, on the test's databases (it collects every check itself: no fresh report
 * of serve); one run makes an event (hysteresis_runs 1). Returns the events it prints.
 */
export function beaconDryRun(setup: TestConfig): SaltEvent[] {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-health-beacon-run-'));
  try {
    const config = join(dir, 'config.yml');
    writeFileSync(config, dump({
      ...setup.document, explain: { enabled: false }, state_dir: dir, // no last-report.json of serve in it
      beacon: { hysteresis_runs: 1, minion_id: 'db1', state_file: join(dir, 'state.json') },
    }));
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'build', 'db_beacon.js'), '--config', config, '--dry-run'], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`db_beacon exited ${run.status}: ${run.stdout}${run.stderr}`);
    return run.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as SaltEvent);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface MonitoringStack {
  /** Replaces the report whose metrics are served. */
  serve(report: Report): Promise<void>;
  /** Instant query; waits until Prometheus has scraped the current report at least twice. */
  query(expr: string): Promise<Sample[]>;
  /** Every target of the dashboard panels with these titles, as Grafana would send it (all variables .+). */
  panelQueries(titles: readonly string[]): Array<{ title: string; expr: string }>;
  /** The expression of an alert of prometheus/rules/db_sentinel_health.yml. */
  alertExpr(name: string): string;
  stop(): Promise<void>;
}

const TARGET_LABELS = { instance: 'db1', host: 'db1', db_engine: 'postgresql', cluster: 'test', role: 'primary' };

/** db_analyzer's /metrics stand-in (the report rendered as the server renders it) scraped every second. */
export async function startMonitoring(): Promise<MonitoringStack> {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-health-prom-'));
  let current = '';
  let generation = 0;
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(current);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port for the metrics server');
  writeFileSync(join(dir, 'prometheus.yml'), dump({
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [HEALTH_RULES],
    scrape_configs: [{ job_name: 'db_analyzer', static_configs: [{ targets: [`127.0.0.1:${address.port}`], labels: TARGET_LABELS }],
      // The targets' labels as prometheus.yml's relabeling gives them (instance is the host name, no port).
      relabel_configs: [{ target_label: 'instance', replacement: 'db1' }] }],
  }));
  let prometheus: RunningServer;
  try {
    prometheus = await startPrometheus(join(dir, 'prometheus.yml'), join(dir, 'tsdb'));
  } catch (error: unknown) {
    server.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'grafana/dashboards/db_sentinel.json'), 'utf8')) as DashboardJson;
  const alerts = readAlertRules([HEALTH_RULES]);
  const variables = { datasource: 'prometheus', job: '.+', instance: '.+', db: '.+', cluster: '.+', role: '.+' };
  return {
    async serve(report) {
      generation += 1;
      // A generation gauge of the test's own, so that a query can wait for the scrape of this report.
      current = `${await renderMetrics(report)}# TYPE test_report_generation gauge\ntest_report_generation ${generation}\n`;
    },
    async query(expr) {
      // A guard, not a margin: a 1 s scrape comes in seconds, a loaded machine may need more.
      const deadline = Date.now() + 120_000;
      for (;;) {
        const answer = await prometheusApi<{ result: Sample[] }>(prometheus, 'query', { query: `count_over_time((test_report_generation == ${generation})[10s:1s])` });
        // Seen in three evaluations: rate() windows and rules have samples of this report.
        if (answer.status === 'success' && Number(answer.data.result[0]?.value?.[1] ?? 0) >= 3) break;
        if (Date.now() > deadline) throw new Error(`Prometheus did not scrape report ${generation}: ${prometheus.log()}`);
        await sleep(300);
      }
      const answer = await prometheusApi<{ result: Sample[] }>(prometheus, 'query', { query: expr });
      if (answer.status !== 'success') throw new Error(`${expr}: ${answer.error}`);
      return answer.data.result;
    },
    panelQueries(titles) {
      const panels = queryPanels(dashboard).filter((panel) => titles.includes(panel.title ?? ''));
      const missing = titles.filter((title) => !panels.some((panel) => panel.title === title));
      if (missing.length > 0) throw new Error(`no dashboard panels ${missing.join(', ')}`);
      return panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ title: panel.title ?? '', expr: promqlOf(target.expr, { rateInterval: '10s', variables }) })));
    },
    alertExpr(name) {
      const alert = alerts.find((rule) => rule.alert === name);
      if (alert === undefined) throw new Error(`no alert ${name} in ${HEALTH_RULES}`);
      return alert.expr;
    },
    async stop() {
      await prometheus.stop();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
