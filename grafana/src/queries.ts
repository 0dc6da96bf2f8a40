// PromQL of the dashboard, built from one selector helper so that every query carries the dashboard's variables
// (job, cluster, role, instance and, for per-database metrics, db) the same way. db_sentinel series can arrive through two jobs
// (db_analyzer's /metrics and node_exporter's textfile), so panels aggregate with max by the identifying labels.

/** The label matchers of the dashboard's variables. */
export const JOB_MATCHER = 'job=~"$job"';
export const INSTANCE_MATCHER = 'instance=~"$instance"';
/** cluster and role come from the Salt pillar (labels) through file_sd relabeling; "unknown" where unset. */
export const CLUSTER_MATCHER = 'cluster=~"$cluster"';
export const ROLE_MATCHER = 'role=~"$role"';
export const DB_MATCHER = 'db=~"$db"';

/** `metric{job=~"$job", cluster=~"$cluster", role=~"$role", instance=~"$instance", ...}`, with `db=~"$db"` for per-database metrics. */
export function selector(metric: string, options: { perDatabase?: boolean; matchers?: readonly string[] } = {}): string {
  const matchers = [JOB_MATCHER, CLUSTER_MATCHER, ROLE_MATCHER, INSTANCE_MATCHER];
  if (options.perDatabase === true) matchers.push(DB_MATCHER);
  matchers.push(...(options.matchers ?? []));
  return `${metric}{${matchers.join(', ')}}`;
}

/** `max by (labels) (selector)`: one series per identifying label set, whichever job delivered it. */
export function maxBy(labels: readonly string[], metricSelector: string): string {
  return `max by (${labels.join(', ')}) (${metricSelector})`;
}

/** The per-second rate of a counter over Grafana's $__rate_interval (at least four scrape intervals). */
export function rateOf(metricSelector: string): string {
  return `rate(${metricSelector}[$__rate_interval])`;
}
