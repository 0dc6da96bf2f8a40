// grafana/dashboards/db_sentinel.json: generated from grafana/src (not stale), pinned uid, the panels and variables
// of the issue, the rules of grafana/dashboard-linter that apply, and PromQL that Debian's promtool parses.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dump } from 'js-yaml';
import { DASHBOARD_UID } from '../../grafana/src/dashboard';
import { DASHBOARD_JSON, renderDashboard } from '../../grafana/src/generate';
import { labelValuesSelector, lintDashboard, promqlOf, queryPanels, type DashboardJson } from '../harness/dashboard-lint';
import { promtool, readYaml, REPO_ROOT } from '../harness/prometheus';

const committedText = readFileSync(DASHBOARD_JSON, 'utf8');
const committed = JSON.parse(committedText) as DashboardJson;

function copy(): DashboardJson {
  return JSON.parse(committedText) as DashboardJson;
}

function panel(dashboard: DashboardJson, title: string) {
  const found = dashboard.panels.find((p) => p.title === title);
  assert.ok(found, `no panel ${title}`);
  return found;
}

describe('grafana dashboard', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'db_sentinel-grafana-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('the committed JSON is what grafana/src generates (run `npm run dashboard` and commit)', () => {
    assert.ok(committedText === renderDashboard(), 'grafana/dashboards/db_sentinel.json is stale: run npm run dashboard');
  });

  it('has the pinned uid, a title and an annotation list Grafana can extend', () => {
    assert.equal(DASHBOARD_UID, 'db-sentinel');
    assert.equal(committed.uid, DASHBOARD_UID);
    assert.equal(committed.title, 'db_sentinel');
    assert.ok(Array.isArray(committed.annotations?.list), 'annotations.list');
  });

  it('has the panels of the issue, each with unique id and without overlapping another', () => {
    const titles = queryPanels(committed).map((p) => p.title);
    assert.deepEqual(titles, [
      'Check status', 'Connections by state', 'Query latency', 'Top slowest queries', 'Tuning drift',
      'Replication lag', 'WAL kept by replication slots', 'Transaction ID age', 'WAL archiver', 'Vacuum and the xmin horizon',
      'Checkpoints', 'Deadlocks, lock waits and temp files', 'InnoDB history length and buffer pool',
      'MySQL threads running and aborted connections',
      'CPU usage', 'I/O wait', 'Available memory', 'Swap', 'Disk await', 'Disk utilization', 'Run queue',
      'Context switches',
    ]);
    const ids = committed.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids are not unique');
    const boxes = committed.panels.map((p) => p.gridPos ?? assert.fail(`panel ${p.title} has no gridPos`));
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      assert.ok(!overlap, `panels overlap: ${JSON.stringify(a)} ${JSON.stringify(b)}`);
      assert.ok(a.x + a.w <= 24, 'panel wider than the grid');
    }));
  });

  it('has the variables datasource, job, cluster, role, instance (multi, All) and db', () => {
    const variables = committed.templating.list;
    assert.deepEqual(variables.map((v) => v.name), ['datasource', 'job', 'cluster', 'role', 'instance', 'db']);
    for (const name of ['cluster', 'role']) assert.equal(variables.find((v) => v.name === name)?.multi, true, name);
    const instance = variables.find((v) => v.name === 'instance');
    assert.equal(instance?.multi, true);
    assert.equal(instance?.includeAll, true);
    const db = variables.find((v) => v.name === 'db');
    assert.equal(db?.multi, true);
    assert.equal(db?.includeAll, true);
  });

  it('passes the dashboard-linter rules', () => {
    assert.deepEqual(lintDashboard(committed), []);
  });

  it('the lint finds each kind of defect (the checks can fail)', () => {
    const cases: [string, (d: DashboardJson) => void, RegExp][] = [
      ['fixed datasource on a panel', (d) => { panel(d, 'Swap').datasource = { type: 'prometheus', uid: 'prom1' }; },
        /panel-datasource-rule: panel "Swap"/],
      ['rate over a fixed range', (d) => {
        const target = panel(d, 'Context switches').targets?.[1];
        assert.ok(target);
        target.expr = target.expr.replace('$__rate_interval', '5m');
      }, /target-rate-interval-rule: .*uses \[5m\]/],
      ['no unit', (d) => { delete panel(d, 'Run queue').fieldConfig?.defaults?.unit; }, /panel-units-rule: panel "Run queue"/],
      ['invalid unit', (d) => { const c = panel(d, 'Swap').fieldConfig?.defaults; if (c) c.unit = 'megabytes'; }, /panel-units-rule/],
      ['no instance matcher', (d) => {
        const target = panel(d, 'Disk await').targets?.[0];
        assert.ok(target);
        target.expr = target.expr.replace(', instance=~"$instance"', '');
      }, /target-instance-rule: panel "Disk await" query A: db_sentinel_disk_await_seconds/],
      ['no job matcher', (d) => {
        const target = panel(d, 'Swap').targets?.[0];
        assert.ok(target);
        target.expr = target.expr.replace('job=~"$job", ', '');
      }, /target-job-rule: panel "Swap" query A/],
      ['counter without rate', (d) => {
        const target = panel(d, 'I/O wait').targets?.[1];
        assert.ok(target);
        target.expr = 'sum by (instance) (node_cpu_seconds_total{job=~"$job", instance=~"$instance"})';
      }, /target-counter-agg-rule: .*node_cpu_seconds_total/],
      ['single-select instance', (d) => { const v = d.templating.list.find((x) => x.name === 'instance'); if (v) v.multi = false; },
        /template-instance-rule: instance is not multi-select/],
      ['no job variable', (d) => { d.templating.list = d.templating.list.filter((v) => v.name !== 'job'); }, /template-job-rule: no `job` variable/],
      ['variable not reloaded on time change', (d) => { const v = d.templating.list.find((x) => x.name === 'db'); if (v) v.refresh = 1; },
        /template-on-time-change-reload-rule: db/],
      ['panel without description', (d) => { delete panel(d, 'Tuning drift').description; }, /panel-title-description-rule: panel "Tuning drift"/],
      ['editable', (d) => { d.editable = true; }, /uneditable-dashboard/],
    ];
    for (const [name, mutate, expected] of cases) {
      const broken = copy();
      mutate(broken);
      const problems = lintDashboard(broken);
      assert.ok(problems.some((p) => expected.test(p)), `${name}: expected ${expected}, got ${JSON.stringify(problems)}`);
    }
  });

  it('filters every per-database query by db=~"$db"', () => {
    for (const p of queryPanels(committed)) {
      for (const target of p.targets ?? []) {
        for (const match of target.expr.matchAll(/(db_sentinel_(?:db|slow_query)_\w+)\{([^}]*)\}/g)) {
          assert.ok(match[2].includes('db=~"$db"'), `${p.title} ${target.refId}: ${match[1]} lacks db=~"$db"`);
        }
      }
    }
  });

  it('every panel query and variable query is PromQL that promtool parses (variables filled in)', () => {
    const rules: { record: string; expr: string }[] = [];
    for (const p of queryPanels(committed)) {
      for (const target of p.targets ?? []) rules.push({ record: `dashboard:panel_${p.id}:${target.refId}`, expr: promqlOf(target.expr) });
    }
    for (const variable of committed.templating.list.filter((v) => v.type === 'query')) {
      const parsed = labelValuesSelector(variable);
      assert.ok(parsed, `variable ${variable.name}`);
      rules.push({ record: `dashboard:variable:${variable.name}`, expr: promqlOf(parsed.selector) });
    }
    const file = join(scratch, 'dashboard-queries.yml');
    writeFileSync(file, dump({ groups: [{ name: 'dashboard', rules }] }));
    const result = promtool(['check', 'rules', '--lint=none', file]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, new RegExp(`SUCCESS: ${rules.length} rules found`));

    const broken = join(scratch, 'broken.yml');
    writeFileSync(broken, dump({ groups: [{ name: 'x', rules: [{ record: 'x:y', expr: promqlOf('max by (instance (up{job=~"$job"})') }] }] }));
    assert.equal(promtool(['check', 'rules', '--lint=none', broken]).status, 1, 'promtool accepted broken PromQL');
  });

  it('provisions a Prometheus datasource and a file provider for the dashboards', () => {
    const datasources = readYaml(join(REPO_ROOT, 'grafana/provisioning/datasources/db_sentinel.yml')) as
      { apiVersion: number; datasources: { type: string; url: string; uid: string }[] };
    assert.equal(datasources.apiVersion, 1);
    assert.equal(datasources.datasources[0].type, 'prometheus');
    assert.match(datasources.datasources[0].url, /^http:\/\/localhost:9090$/);
    const providers = readYaml(join(REPO_ROOT, 'grafana/provisioning/dashboards/db_sentinel.yml')) as
      { apiVersion: number; providers: { type: string; options: { path: string } }[] };
    assert.equal(providers.apiVersion, 1);
    assert.equal(providers.providers[0].type, 'file');
    assert.match(providers.providers[0].options.path, /^\/var\/lib\/grafana\/dashboards/);
  });
});
