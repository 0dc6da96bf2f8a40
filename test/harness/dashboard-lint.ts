// The rules of grafana/dashboard-linter that apply to a Prometheus dashboard, as checks on the dashboard JSON
// (the Go linter is not packaged for Debian). Each problem names its rule, as the linter does:
// template-datasource-rule, template-job-rule, template-instance-rule, template-label-promql-rule (PromQL validity is
// checked by promtool via promqlOf), template-on-time-change-reload-rule, template-unused-rule,
// panel-datasource-rule, panel-title-description-rule, panel-units-rule, panel-no-targets-rule,
// target-rate-interval-rule, target-job-rule, target-instance-rule, target-counter-agg-rule, uneditable-dashboard.
import * as units from '@grafana/grafana-foundation-sdk/units';
import { metricNames } from './promql';

export interface DashboardTarget {
  refId: string;
  expr: string;
  datasource?: { type?: string; uid?: string };
}

export interface DashboardPanel {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  fieldConfig?: { defaults?: { unit?: string }; overrides?: { properties: { id: string; value?: unknown }[] }[] };
  targets?: DashboardTarget[];
  gridPos?: { x: number; y: number; w: number; h: number };
}

export interface DashboardVariable {
  type: string;
  name: string;
  label?: string;
  query?: unknown;
  datasource?: { type?: string; uid?: string };
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  refresh?: number;
}

export interface DashboardJson {
  uid?: string;
  title?: string;
  editable?: boolean;
  annotations?: { list?: unknown[] };
  templating: { list: DashboardVariable[] };
  panels: DashboardPanel[];
}

const VALID_UNITS = new Set<string>(Object.values(units as Record<string, unknown>).filter((value): value is string => typeof value === 'string'));
const TEMPLATED_DATASOURCE_UIDS = new Set(['$datasource', '${datasource}']);
const PANELS_WITHOUT_QUERIES = new Set(['row', 'text', 'news', 'dashlist']);

/** Panels that run queries (rows and text panels do not). */
export function queryPanels(dashboard: DashboardJson): DashboardPanel[] {
  return dashboard.panels.filter((panel) => !PANELS_WITHOUT_QUERIES.has(panel.type));
}

/** The PromQL of a variable query `label_values(<selector>, <label>)`, or undefined when it has another form. */
export function labelValuesSelector(variable: DashboardVariable): { selector: string; label: string } | undefined {
  const text = typeof variable.query === 'string' ? variable.query
    : (variable.query as { query?: unknown } | undefined)?.query;
  if (typeof text !== 'string') return undefined;
  const match = /^label_values\((.+),\s*(\w+)\)$/.exec(text.trim());
  return match ? { selector: match[1], label: match[2] } : undefined;
}

/** A dashboard expression with its variables filled in, as Grafana sends it to Prometheus. */
export function promqlOf(expr: string, values: { rateInterval?: string; variables?: Record<string, string> } = {}): string {
  const variables = values.variables ?? {};
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, values.rateInterval ?? '2m')
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (_whole: string, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      return variables[name] ?? '.+';
    });
}

function checkTemplatedVariable(dashboard: DashboardJson, name: string, label: string, problems: string[]): void {
  const rule = `template-${name}-rule`;
  const variable = dashboard.templating.list.find((v) => v.name === name);
  if (!variable) {
    problems.push(`${rule}: no \`${name}\` variable`);
    return;
  }
  if (variable.type !== 'query') problems.push(`${rule}: ${name} is a ${variable.type} variable, not a query`);
  if (!TEMPLATED_DATASOURCE_UIDS.has(variable.datasource?.uid ?? '')) {
    problems.push(`${rule}: ${name} uses datasource ${JSON.stringify(variable.datasource?.uid)}, not $datasource`);
  }
  if (variable.label !== label) problems.push(`${rule}: ${name} is labeled ${JSON.stringify(variable.label)}, not "${label}"`);
  if (variable.multi !== true) problems.push(`${rule}: ${name} is not multi-select`);
  if (variable.includeAll !== true) problems.push(`${rule}: ${name} has no All option`);
  if (variable.allValue !== '.+') problems.push(`${rule}: ${name} allValue is ${JSON.stringify(variable.allValue)}, not ".+"`);
}

/** The label matchers of every vector selector of an expression, by metric name occurrence. */
function selectorsOf(expr: string): { metric: string; matchers: string }[] {
  const selectors: { metric: string; matchers: string }[] = [];
  for (const metric of metricNames(expr)) {
    const occurrences = new RegExp(`(?<![\\w:])${metric}(?![\\w:])(\\{[^}]*\\})?`, 'g');
    for (const match of expr.matchAll(occurrences)) selectors.push({ metric, matchers: match[1] ?? '' });
  }
  return selectors;
}

export function lintDashboard(dashboard: DashboardJson): string[] {
  const problems: string[] = [];
  const variables = dashboard.templating.list;

  const datasources = variables.filter((v) => v.type === 'datasource');
  if (datasources.length !== 1) problems.push(`template-datasource-rule: ${datasources.length} datasource variables, want 1`);
  for (const ds of datasources) {
    if (ds.name !== 'datasource') problems.push(`template-datasource-rule: datasource variable named ${ds.name}`);
    if (ds.label !== 'Data source') problems.push(`template-datasource-rule: datasource variable labeled ${JSON.stringify(ds.label)}`);
    if (ds.query !== 'prometheus') problems.push(`template-datasource-rule: datasource variable of type ${JSON.stringify(ds.query)}`);
  }
  checkTemplatedVariable(dashboard, 'job', 'Job', problems);
  checkTemplatedVariable(dashboard, 'instance', 'Instance', problems);

  const allExpressions = queryPanels(dashboard).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  for (const variable of variables.filter((v) => v.type === 'query')) {
    if (!labelValuesSelector(variable)) problems.push(`template-label-promql-rule: ${variable.name} is not label_values(<selector>, <label>)`);
    if (variable.refresh !== 2) problems.push(`template-on-time-change-reload-rule: ${variable.name} refresh is ${variable.refresh}, not 2`);
    if (!TEMPLATED_DATASOURCE_UIDS.has(variable.datasource?.uid ?? '')) {
      problems.push(`template-datasource-rule: variable ${variable.name} does not use $datasource`);
    }
  }
  for (const variable of variables.filter((v) => v.type !== 'datasource')) {
    const used = new RegExp(`\\$(?:\\{${variable.name}\\}|${variable.name}\\b)`);
    if (!allExpressions.some((expr) => used.test(expr))) problems.push(`template-unused-rule: variable ${variable.name} used by no query`);
  }

  if (dashboard.editable !== false) problems.push('uneditable-dashboard: dashboard is editable');

  for (const panel of queryPanels(dashboard)) {
    const where = `panel ${JSON.stringify(panel.title)}`;
    if (!TEMPLATED_DATASOURCE_UIDS.has(panel.datasource?.uid ?? '')) problems.push(`panel-datasource-rule: ${where} does not use $datasource`);
    if (!panel.title?.trim()) problems.push(`panel-title-description-rule: ${where} has no title`);
    if (!panel.description?.trim()) problems.push(`panel-title-description-rule: ${where} has no description`);
    const unit = panel.fieldConfig?.defaults?.unit;
    if (unit === undefined || !VALID_UNITS.has(unit)) problems.push(`panel-units-rule: ${where} has no or an invalid unit: ${JSON.stringify(unit)}`);
    for (const override of panel.fieldConfig?.overrides ?? []) {
      for (const property of override.properties) {
        if (property.id === 'unit' && !VALID_UNITS.has(String(property.value))) {
          problems.push(`panel-units-rule: ${where} overrides with an invalid unit ${JSON.stringify(property.value)}`);
        }
      }
    }
    const targets = panel.targets ?? [];
    if (targets.length === 0) problems.push(`panel-no-targets-rule: ${where} has no queries`);
    for (const target of targets) {
      const at = `${where} query ${target.refId}`;
      if (!TEMPLATED_DATASOURCE_UIDS.has(target.datasource?.uid ?? '')) problems.push(`panel-datasource-rule: ${at} does not use $datasource`);
      for (const range of target.expr.matchAll(/\[([^\]]*)\]/g)) {
        if (range[1] !== '$__rate_interval') problems.push(`target-rate-interval-rule: ${at} uses [${range[1]}], not [$__rate_interval]`);
      }
      const selectors = selectorsOf(target.expr);
      for (const { metric, matchers } of selectors) {
        if (!matchers.includes('job=~"$job"')) problems.push(`target-job-rule: ${at}: ${metric} has no job=~"$job" matcher`);
        if (!matchers.includes('instance=~"$instance"')) problems.push(`target-instance-rule: ${at}: ${metric} has no instance=~"$instance" matcher`);
      }
      for (const counter of new Set(selectors.map((s) => s.metric).filter((m) => m.endsWith('_total')))) {
        const uses = selectors.filter((s) => s.metric === counter).length;
        const inRate = [...target.expr.matchAll(new RegExp(`\\b(?:rate|irate|increase)\\(\\s*${counter}(?:\\{[^}]*\\})?\\[`, 'g'))].length;
        if (inRate < uses) problems.push(`target-counter-agg-rule: ${at}: counter ${counter} not inside rate()`);
      }
    }
  }
  return problems;
}
