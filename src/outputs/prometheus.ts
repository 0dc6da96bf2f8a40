// The report as Prometheus metrics: a fresh prom-client Registry per report (never the global one), base units
// (seconds, bytes, ratios 0-1), gauges (readings) and, for the servers' own cumulative counters, counters, and
// bounded series: per database at most 15 fixed series plus 5 per slow-query rank slot (ranks 1..10).
import { Counter, Gauge, Registry } from 'prom-client';
import type { DatabaseReport, FindingSeverity, Report, SlowQuery } from '../core/report';
import { EXIT_CODE } from '../core/status';
import { SEVERITY_ORDER } from '../plans/types';
import { addHealth, HEALTH_CATALOG, type MetricSpec } from './prometheus-health';

export const METRIC_PREFIX = 'db_sentinel_';
/** Rank slots exported per database; the JSON report holds the full detail. */
export const MAX_RANK_SLOTS = 10;
/** Length of the `query` label of db_sentinel_slow_query_info. */
export const QUERY_LABEL_LENGTH = 80;

const SEVERITIES: readonly FindingSeverity[] = ['info', 'warning', 'critical'];
const CONNECTION_STATES = ['active', 'idle', 'idle_in_transaction', 'waiting'] as const;
const CPU_MODES = ['user', 'system', 'idle', 'iowait', 'steal'] as const;

/**
 * The query label: normalized text on one line, any literal that slipped through normalization masked (quoted
 * strings and bare numbers become `?`), cut to 80 characters. Label values must never carry data from rows.
 */
export function queryLabel(normalized: string): string {
  const masked = normalized
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/(?<![\w$.])\d+(?:\.\d+)?(?![\w.])/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return Array.from(masked).slice(0, QUERY_LABEL_LENGTH).join('');
}

/** A sysctl value exported as a number, or null for multi-value and textual settings. */
export function numericSysctl(value: string): number | null {
  return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : null;
}

type Labels = Record<string, string>;

/** Milliseconds to seconds without binary noise (23.4 ms is 0.0234, not 0.023399999999999997). */
function msToSeconds(ms: number): number {
  return Math.round(ms * 1e6) / 1e9;
}

class Builder {
  readonly registry = new Registry();
  private readonly gauges = new Map<string, Gauge<string> | Counter<string>>();

  constructor(private readonly declared: Record<string, MetricSpec>) {}

  set(name: string, labels: Labels, value: number | null | undefined): void {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    const metric = this.metric(name);
    // A counter is the server's own (a fresh registry per report): exported as read, never summed across reports.
    if (metric instanceof Counter) metric.inc(labels, value);
    else metric.set(labels, value);
  }

  private metric(name: string): Gauge<string> | Counter<string> {
    let metric = this.gauges.get(name);
    if (!metric) {
      const spec = this.declared[name];
      if (!spec) throw new Error(`prometheus: metric ${name} is not in the catalog`);
      const options = { name: METRIC_PREFIX + name, help: spec.help, labelNames: [...spec.labels], registers: [this.registry] };
      metric = spec.type === 'counter' ? new Counter(options) : new Gauge(options);
      this.gauges.set(name, metric);
    }
    return metric;
  }
}

/** The metric catalog (binding: dashboards, alerts and the textfile use these names). */
export const CATALOG: Record<string, MetricSpec> = {
  check_status: { help: 'Status of each check: 0 ok, 1 warning, 2 critical, 3 unknown.', labels: ['check'] },
  last_run_timestamp_seconds: { help: 'Unix time the last collection started.', labels: [] },
  collection_duration_seconds: { help: 'How long the last collection took.', labels: [] },
  collector_success: { help: '1 if the collector succeeded in the last collection, else 0.', labels: ['collector'] },
  collector_duration_seconds: { help: 'How long each collector took in the last collection.', labels: ['collector'] },
  // Not cpu_count / hugepages_total: promtool reserves _count for summaries and _total for counters.
  cpus: { help: 'CPUs available to the process.', labels: [] },
  run_queue: { help: 'Runnable threads (vmstat r) over the sample interval.', labels: [] },
  blocked_processes: { help: 'Threads blocked on I/O (vmstat b) over the sample interval.', labels: [] },
  context_switches_per_second: { help: 'Context switches per second over the sample interval.', labels: [] },
  interrupts_per_second: { help: 'Interrupts per second over the sample interval.', labels: [] },
  cpu_ratio: { help: 'Share of CPU time by mode over the sample interval (0-1).', labels: ['mode'] },
  memory_total_bytes: { help: 'Total memory.', labels: [] },
  memory_available_bytes: { help: 'Memory available for new work without swapping.', labels: [] },
  swap_total_bytes: { help: 'Total swap space.', labels: [] },
  swap_used_bytes: { help: 'Swap space in use.', labels: [] },
  disk_await_seconds: { help: 'Mean time of a completed I/O over the sample interval.', labels: ['device'] },
  disk_utilization_ratio: { help: 'Share of the sample interval the device was busy (0-1).', labels: ['device'] },
  disk_reads_per_second: { help: 'Completed reads per second over the sample interval.', labels: ['device'] },
  disk_writes_per_second: { help: 'Completed writes per second over the sample interval.', labels: ['device'] },
  service_active: { help: '1 if the systemd unit is active, else 0.', labels: ['unit'] },
  io_scheduler_info: { help: 'Active I/O scheduler of each block device (always 1).', labels: ['device', 'scheduler', 'device_class'] },
  hugepages_pool: { help: 'Huge pages in the pool (HugePages_Total).', labels: [] },
  hugepages_free: { help: 'Huge pages not yet allocated (HugePages_Free).', labels: [] },
  hugepages_in_use: { help: 'Huge pages allocated (total - free).', labels: [] },
  hugepage_size_bytes: { help: 'Size of one huge page.', labels: [] },
  sysctl: { help: 'Numeric kernel parameters as sysctl reports them.', labels: ['setting'] },
  tuning_drift: { help: '1 if the setting differs from the tuning profile, 0 if it matches.', labels: ['setting', 'actual', 'desired'] },
  db_up: { help: '1 if the database answered, else 0.', labels: ['db', 'engine'] },
  db_connections: { help: 'Client connections by state.', labels: ['db', 'state'] },
  db_max_connections: { help: 'The max_connections setting.', labels: ['db'] },
  db_connection_usage_ratio: { help: 'Connections in use over max_connections (0-1).', labels: ['db'] },
  db_query_mean_seconds: { help: 'Mean statement execution time weighted by calls.', labels: ['db'] },
  db_cache_hit_ratio: { help: 'Buffer cache hit ratio (0-1).', labels: ['db'] },
  db_longest_transaction_seconds: { help: 'Age of the oldest open transaction.', labels: ['db'] },
  db_longest_query_seconds: { help: 'Run time of the longest running statement.', labels: ['db'] },
  db_blocked_sessions: { help: 'Sessions waiting on a lock held by another session.', labels: ['db'] },
  slow_query_mean_seconds: { help: 'Mean execution time of the slow query in this rank slot.', labels: ['db', 'rank'] },
  slow_query_calls: { help: 'Calls of the slow query in this rank slot since statistics were reset.', labels: ['db', 'rank'] },
  slow_query_total_seconds: { help: 'Total execution time of the slow query in this rank slot since statistics were reset.', labels: ['db', 'rank'] },
  slow_query_info: { help: 'Identity of the slow query in this rank slot (always 1; query is the normalized text cut to 80 characters).', labels: ['db', 'rank', 'queryid', 'query'] },
  slow_query_findings: { help: 'Plan findings of the slow query in this rank slot, counted at its worst severity.', labels: ['db', 'rank', 'severity'] },
  plan_findings: { help: 'Plan findings over the slow queries by severity.', labels: ['db', 'severity'] },
  ...HEALTH_CATALOG,
};

function addOs(builder: Builder, report: Report): void {
  const os = report.os;
  builder.set('cpus', {}, os.cpu_count);
  if (os.vmstat) {
    const vmstat = os.vmstat;
    builder.set('run_queue', {}, vmstat.runnable);
    builder.set('blocked_processes', {}, vmstat.blocked);
    builder.set('context_switches_per_second', {}, vmstat.context_switches_per_second);
    builder.set('interrupts_per_second', {}, vmstat.interrupts_per_second);
    for (const mode of CPU_MODES) builder.set('cpu_ratio', { mode }, vmstat.cpu_percent[mode] / 100);
  }
  if (os.memory) {
    builder.set('memory_total_bytes', {}, os.memory.total_bytes);
    builder.set('memory_available_bytes', {}, os.memory.available_bytes);
    builder.set('swap_total_bytes', {}, os.memory.swap_total_bytes);
    builder.set('swap_used_bytes', {}, os.memory.swap_used_bytes);
  }
  for (const device of os.iostat ?? []) {
    const labels = { device: device.device };
    builder.set('disk_await_seconds', labels, msToSeconds(device.await_ms));
    builder.set('disk_utilization_ratio', labels, Math.min(device.utilization_percent, 100) / 100);
    builder.set('disk_reads_per_second', labels, device.reads_per_second);
    builder.set('disk_writes_per_second', labels, device.writes_per_second);
  }
  for (const service of os.services ?? []) builder.set('service_active', { unit: service.unit }, service.state === 'active' ? 1 : 0);
  for (const scheduler of os.schedulers ?? []) {
    builder.set('io_scheduler_info',
      { device: scheduler.device, scheduler: scheduler.active, device_class: scheduler.device_class }, 1);
  }
  if (os.hugepages) {
    builder.set('hugepages_pool', {}, os.hugepages.total);
    builder.set('hugepages_free', {}, os.hugepages.free);
    builder.set('hugepages_in_use', {}, os.hugepages.in_use);
    builder.set('hugepage_size_bytes', {}, os.hugepages.page_size_bytes);
  }
  for (const [setting, value] of Object.entries(os.sysctl ?? {})) builder.set('sysctl', { setting }, numericSysctl(value));
  addDrift(builder, report);
}

function addDrift(builder: Builder, report: Report): void {
  // One series per compared profile setting when the report has the comparison; otherwise only the drifting ones.
  const items = report.os.tuning ?? (report.os.drift ?? []).map((item) => ({ ...item, drifting: true }));
  for (const item of items) {
    builder.set('tuning_drift', { setting: item.setting, actual: item.actual ?? '', desired: item.desired }, item.drifting ? 1 : 0);
  }
}

function worstSeverity(query: SlowQuery): FindingSeverity | null {
  let worst: FindingSeverity | null = null;
  for (const finding of query.plan?.findings ?? []) {
    if (worst === null || SEVERITY_ORDER[finding.severity] > SEVERITY_ORDER[worst]) worst = finding.severity;
  }
  return worst;
}

function addDatabase(builder: Builder, database: DatabaseReport): void {
  const db = database.name;
  builder.set('db_up', { db, engine: database.engine }, database.up ? 1 : 0);
  if (database.connections) {
    for (const state of CONNECTION_STATES) builder.set('db_connections', { db, state }, database.connections[state]);
    builder.set('db_max_connections', { db }, database.connections.max_connections);
    builder.set('db_connection_usage_ratio', { db }, database.connections.usage_ratio);
  }
  const meanMs = database.latency?.mean_ms;
  builder.set('db_query_mean_seconds', { db }, meanMs === null || meanMs === undefined ? null : msToSeconds(meanMs));
  builder.set('db_cache_hit_ratio', { db }, database.cache_hit_ratio);
  builder.set('db_longest_transaction_seconds', { db }, database.longest_transaction_seconds);
  builder.set('db_longest_query_seconds', { db }, database.longest_query_seconds);
  builder.set('db_blocked_sessions', { db }, database.blocked_sessions);

  const counts: Record<FindingSeverity, number> = { info: 0, warning: 0, critical: 0 };
  const slots = [...database.slow_queries].sort((a, b) => a.rank - b.rank).slice(0, MAX_RANK_SLOTS);
  slots.forEach((query, index) => {
    // Slots are renumbered 1..n so the label set stays bounded whatever ranks the collector produced.
    const rank = String(index + 1);
    builder.set('slow_query_mean_seconds', { db, rank }, msToSeconds(query.mean_ms));
    builder.set('slow_query_calls', { db, rank }, query.calls);
    builder.set('slow_query_total_seconds', { db, rank }, msToSeconds(query.total_ms));
    builder.set('slow_query_info', { db, rank, queryid: query.id, query: queryLabel(query.query) }, 1);
    const worst = worstSeverity(query);
    if (worst !== null) {
      const atWorst = (query.plan?.findings ?? []).filter((finding) => finding.severity === worst).length;
      builder.set('slow_query_findings', { db, rank, severity: worst }, atWorst);
    }
  });
  for (const query of database.slow_queries) {
    for (const finding of query.plan?.findings ?? []) counts[finding.severity] += 1;
  }
  if (database.up) for (const severity of SEVERITIES) builder.set('plan_findings', { db, severity }, counts[severity]);
  addHealth(builder, database);
}

/** Builds a Registry holding the report's metrics (a new one each time: no series outlives its report). */
export function reportRegistry(report: Report): Registry {
  const builder = new Builder(CATALOG);
  for (const check of report.checks) builder.set('check_status', { check: check.name }, EXIT_CODE[check.status]);
  builder.set('last_run_timestamp_seconds', {}, Date.parse(report.collected_at) / 1000);
  builder.set('collection_duration_seconds', {}, report.duration_seconds);
  for (const run of report.collectors) {
    builder.set('collector_success', { collector: run.name }, run.success ? 1 : 0);
    builder.set('collector_duration_seconds', { collector: run.name }, run.duration_seconds);
  }
  addOs(builder, report);
  for (const database of report.databases) addDatabase(builder, database);
  return builder.registry;
}

/** The report in the Prometheus text exposition format (no timestamps on samples). */
export function renderMetrics(report: Report): Promise<string> {
  return reportRegistry(report).metrics();
}

export const METRICS_CONTENT_TYPE = new Registry().contentType;
