// The collector interface (one file per collector, listed in an explicit registry, as node_exporter does).
import type { Config } from '../core/config';
import type { CheckResult, DatabaseReport, OsReport } from '../core/report';
import type { CommandRunner } from '../sources/exec';
import type { FsRoots } from '../sources/fsroot';

/** Everything a collector may touch, each part replaceable in tests. */
export interface CollectContext {
  config: Config;
  exec: CommandRunner;
  roots: FsRoots;
  now: () => Date;
  cpuCount: number;
  hostname: string;
}

/** The part of the report one collector fills. */
export interface CollectorOutput {
  os?: Partial<OsReport>;
  databases?: DatabaseReport[];
  checks?: CheckResult[];
}

export interface Collector {
  readonly name: string;
  /**
   * Checks this collector decides. When it fails, the runner reports each of them UNKNOWN with the error, so a
   * check never silently disappears from the output.
   */
  readonly checks: readonly string[];
  collect(context: CollectContext): Promise<CollectorOutput>;
}
