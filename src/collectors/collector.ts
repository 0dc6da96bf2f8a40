// The collector interface (one file per collector, listed in an explicit registry, as node_exporter does).
import type { CheckCommandConfig } from '../core/check-config';
import type { Config } from '../core/config';
import type { CheckResult, DatabaseReport, OsReport, Report } from '../core/report';
import type { CommandRunner } from '../sources/exec';
import type { FsRoots } from '../sources/fsroot';

/** Everything a collector may touch, each part replaceable in tests. `config` is the analyzer's whole config, or for
 * the collectors db_check runs, just the part it reads (so that db_check's bundle carries no other section). */
export interface CollectContext<C extends CheckCommandConfig = Config> {
  config: C;
  exec: CommandRunner;
  roots: FsRoots;
  now: () => Date;
  cpuCount: number;
  hostname: string;
}

/** A collector of db_check's: it reads only the check section of the config. */
export type CheckCollector = Collector<CheckCommandConfig>;

/** The part of the report one collector fills. */
export interface CollectorOutput {
  os?: Partial<OsReport>;
  databases?: DatabaseReport[];
  checks?: CheckResult[];
}

export interface Collector<C extends CheckCommandConfig = Config> {
  readonly name: string;
  /**
   * Checks this collector decides. When it fails, the runner reports each of them UNKNOWN with the error, so a
   * check never silently disappears from the output.
   */
  readonly checks: readonly string[];
  collect(context: CollectContext<C>): Promise<CollectorOutput>;
  /** The Prometheus metrics of what it collects (outputs/prometheus.ts assembles the catalog from these). */
  readonly metrics?: CollectorMetrics;
}

/** One metric family, named without the db_sentinel_ prefix; a counter only for a server's own cumulative counter. */
export interface MetricSpec {
  help: string;
  labels: readonly string[];
  type?: 'counter';
}

/** Where samples go; a null, undefined or non-finite value is no sample. */
export interface MetricSink {
  set(name: string, labels: Record<string, string>, value: number | null | undefined): void;
}

/**
 * A collector's metrics, as node_exporter's collectors describe theirs: the families it declares and how its part of
 * a report becomes samples. Base units (seconds, bytes, ratios 0-1); labels bounded.
 */
export interface CollectorMetrics {
  readonly families: Readonly<Record<string, MetricSpec>>;
  samples(report: Report, sink: MetricSink): void;
}

/** Milliseconds to seconds without binary noise (23.4 ms is 0.0234, not 0.023399999999999997). */
export function msToSeconds(ms: number): number {
  return Math.round(ms * 1e6) / 1e9;
}
