// The report as Prometheus metrics: a fresh prom-client Registry per report (never the global one). The catalog is
// assembled from the collectors' own metric families (collectors/analyzer-registry.ts ANALYZER_METRICS), plus the
// report's own: check status, collection time and each collector's outcome. Base units (seconds, bytes, ratios 0-1),
// gauges (readings) and, for the servers' own cumulative counters, counters; bounded series.
import { Counter, Gauge, Registry } from 'prom-client';
import type { CollectorMetrics, MetricSink, MetricSpec } from '../collectors/collector';
import { ANALYZER_METRICS } from '../collectors/analyzer-registry';
import type { Report } from '../core/report';
import { EXIT_CODE } from '../core/status';

// The query label's masking is part of what this output promises (no row data in a label); it lives with the metric.
export { queryLabel } from '../collectors/db/metrics';

export const METRIC_PREFIX = 'db_sentinel_';

type Labels = Record<string, string>;

/** The report's own families, beside those of the collectors. */
const REPORT_FAMILIES: Record<string, MetricSpec> = {
  check_status: { help: 'Status of each check: 0 ok, 1 warning, 2 critical, 3 unknown.', labels: ['check'] },
  last_run_timestamp_seconds: { help: 'Unix time the last collection started.', labels: [] },
  collection_duration_seconds: { help: 'How long the last collection took.', labels: [] },
  collector_success: { help: '1 if the collector succeeded in the last collection, else 0.', labels: ['collector'] },
  collector_duration_seconds: { help: 'How long each collector took in the last collection.', labels: ['collector'] },
  // Not cpu_count: promtool reserves _count for summaries.
  cpus: { help: 'CPUs available to the process.', labels: [] },
};

/** One catalog from several owners; a family declared twice is a programming error, found at load. */
export function assembleCatalog(own: Record<string, MetricSpec>, sources: readonly CollectorMetrics[]): Record<string, MetricSpec> {
  const catalog: Record<string, MetricSpec> = { ...own };
  for (const source of sources) {
    for (const [name, spec] of Object.entries(source.families)) {
      if (name in catalog) throw new Error(`prometheus: metric ${name} is declared twice`);
      catalog[name] = spec;
    }
  }
  return catalog;
}

/** The metric catalog (binding: dashboards, alerts and the textfile use these names). */
export const CATALOG: Readonly<Record<string, MetricSpec>> = assembleCatalog(REPORT_FAMILIES, ANALYZER_METRICS);

class Builder implements MetricSink {
  readonly registry = new Registry();
  private readonly gauges = new Map<string, Gauge<string> | Counter<string>>();

  constructor(private readonly declared: Readonly<Record<string, MetricSpec>>) {}

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
  builder.set('cpus', {}, report.os.cpu_count);
  for (const source of ANALYZER_METRICS) source.samples(report, builder);
  return builder.registry;
}

/** The report in the Prometheus text exposition format (no timestamps on samples). */
export function renderMetrics(report: Report): Promise<string> {
  return reportRegistry(report).metrics();
}

export const METRICS_CONTENT_TYPE = new Registry().contentType;
