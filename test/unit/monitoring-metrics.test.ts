// The metric names that the alert rules and the dashboard read exist: db_sentinel's in its catalog
// (src/outputs/prometheus.ts) and in the golden exposition rendered from a real report (test/golden/metrics.prom),
// node_exporter's among the few this repository relies on. Label matchers on db_sentinel metrics use their labels.
// The end-to-end test (test/e2e/prometheus-grafana.test.ts) checks the same against a live db_analyzer.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATALOG, METRIC_PREFIX } from '../../src/outputs/prometheus';
import { queryPanels, type DashboardJson } from '../harness/dashboard-lint';
import { PROMETHEUS_DIR, readAlertRules, REPO_ROOT } from '../harness/prometheus';
import { metricNames } from '../harness/promql';

/** node_exporter metrics used (the textfile's mtime, CPU and context switch counters) and Prometheus' own `up`. */
const OTHER_METRICS = new Set(['up', 'node_textfile_mtime_seconds', 'node_cpu_seconds_total', 'node_context_switches_total']);
/** Labels every series gets from prometheus.yml's relabeling. */
const TARGET_LABELS = ['job', 'instance', 'host', 'db_engine', 'cluster', 'role'];

function expressions(): { where: string; expr: string }[] {
  const rules = readAlertRules(readdirSync(join(PROMETHEUS_DIR, 'rules')).map((f) => join(PROMETHEUS_DIR, 'rules', f)))
    .map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }));
  const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'grafana/dashboards/db_sentinel.json'), 'utf8')) as DashboardJson;
  const panels = queryPanels(dashboard).flatMap((panel) => (panel.targets ?? [])
    .map((target) => ({ where: `panel ${panel.title} ${target.refId}`, expr: target.expr })));
  return [...rules, ...panels];
}

describe('metrics used by prometheus/rules and grafana/dashboards', () => {
  const golden = new Set([...readFileSync(join(REPO_ROOT, 'test/golden/metrics.prom'), 'utf8').matchAll(/^(\w+)[{ ]/gm)].map((m) => m[1]));

  it('are db_sentinel catalog metrics present in the golden exposition, or known node_exporter metrics', () => {
    const used = new Set<string>();
    for (const { where, expr } of expressions()) {
      for (const name of metricNames(expr)) {
        used.add(name);
        if (name.startsWith(METRIC_PREFIX)) {
          assert.ok(CATALOG[name.slice(METRIC_PREFIX.length)], `${where}: ${name} is not in the catalog`);
          assert.ok(golden.has(name), `${where}: ${name} is not in test/golden/metrics.prom`);
        } else {
          assert.ok(OTHER_METRICS.has(name), `${where}: unexpected metric ${name}`);
        }
      }
    }
    assert.ok(used.size > 25, `only ${used.size} metrics found: the expression scan is broken`);
  });

  it('filter db_sentinel metrics only by labels those metrics have', () => {
    for (const { where, expr } of expressions()) {
      for (const match of expr.matchAll(/\b(db_sentinel_\w+)\{([^}]*)\}/g)) {
        const spec = CATALOG[match[1].slice(METRIC_PREFIX.length)];
        assert.ok(spec, `${where}: ${match[1]}`);
        for (const label of [...match[2].matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1])) {
          assert.ok([...spec.labels, ...TARGET_LABELS].includes(label), `${where}: ${match[1]} has no label ${label}`);
        }
      }
    }
  });
});
