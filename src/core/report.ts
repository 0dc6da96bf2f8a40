// The report: one typed document that every output (Nagios text, JSON, Prometheus, textfile, Salt events) is a
// view of. Bump SCHEMA_VERSION on any incompatible change; test/golden and the JSON Schema follow it.
import type { Status } from './status';
import type { DatabaseHealth } from './health-report';

export const SCHEMA_VERSION = 1;

/** One verdict. `details` holds the per-subject verdicts (a device, a unit) behind an aggregated check. */
export interface CheckResult {
  name: string;
  status: Status;
  message: string;
  /** The measured value the verdict rests on (worst subject for aggregated checks); null when not measured. */
  value: number | null;
  /** Nagios perfdata unit of `value` ('', 's', 'ms', '%', 'B', 'c'). */
  unit?: string;
  warning?: number;
  critical?: number;
  details?: CheckDetail[];
}

export interface CheckDetail {
  subject: string;
  status: Status;
  value: number | null;
  message: string;
}

export interface CollectorRun {
  name: string;
  success: boolean;
  /** @minimum 0 */
  duration_seconds: number;
  error?: string;
}

// ---- OS ---------------------------------------------------------------------------------------------------

/** One vmstat interval sample (not the since-boot averages of the first line). */
export interface VmstatSample {
  interval_seconds: number;
  runnable: number;
  blocked: number;
  swap_in_per_second: number;
  swap_out_per_second: number;
  interrupts_per_second: number;
  context_switches_per_second: number;
  cpu_percent: { user: number; system: number; idle: number; iowait: number; steal: number };
}

/** Extended statistics of one block device over one interval. */
export interface IostatDevice {
  device: string;
  reads_per_second: number;
  writes_per_second: number;
  read_kib_per_second: number;
  write_kib_per_second: number;
  /** Mean time of a completed I/O, milliseconds; from `await` or r_await/w_await weighted by r/s and w/s. */
  await_ms: number;
  read_await_ms: number | null;
  write_await_ms: number | null;
  average_queue_size: number | null;
  utilization_percent: number;
}

export interface MemoryState {
  total_bytes: number;
  used_bytes: number;
  available_bytes: number;
  swap_total_bytes: number;
  swap_used_bytes: number;
  swap_free_bytes: number;
}

export interface ServiceState {
  unit: string;
  /** systemctl is-active's answer (active, inactive, failed, activating, …) or 'unknown'. */
  state: string;
}

export type DeviceClass = 'rotational' | 'non_rotational' | 'nvme';

export interface SchedulerState {
  device: string;
  active: string;
  available: string[];
  rotational: boolean | null;
  device_class: DeviceClass;
}

export interface HugePagesState {
  total: number;
  free: number;
  reserved: number;
  surplus: number;
  in_use: number;
  page_size_bytes: number;
  /** Transparent hugepage modes (the bracketed word of /sys/kernel/mm/transparent_hugepage/*), null if absent. */
  transparent_enabled: string | null;
  transparent_defrag: string | null;
}

/** A setting whose actual value differs from the desired tuning profile. */
export interface DriftItem {
  setting: string;
  actual: string | null;
  desired: string;
}

/** One setting of the tuning profile beside its actual value; `drift` lists only those with drifting = true. */
export interface TuningComparison extends DriftItem {
  drifting: boolean;
}

export type PressureResource = 'cpu' | 'io' | 'memory';

/** One line of /proc/pressure/<resource>: the share of wall time (percent) tasks stalled on the resource, averaged
 * over 10, 60 and 300 seconds, and the stall time since boot. */
export interface PressureStall {
  avg10: number;
  avg60: number;
  avg300: number;
  total_seconds: number;
}

/** Pressure stall information (PSI) of one resource: `some` task stalled, or `full`: every non-idle task at once
 * (null for cpu before Linux 5.13, which had no such line). */
export interface PressureState {
  resource: PressureResource;
  some: PressureStall;
  full: PressureStall | null;
}

export interface OsReport {
  /** @integer */
  cpu_count?: number;
  vmstat?: VmstatSample;
  iostat?: IostatDevice[];
  memory?: MemoryState;
  services?: ServiceState[];
  schedulers?: SchedulerState[];
  hugepages?: HugePagesState;
  /** Kernel parameters as the sysctl command reports them. */
  sysctl?: Record<string, string>;
  drift?: DriftItem[];
  /** Every profile setting compared (one metric series each), matching ones included. */
  tuning?: TuningComparison[];
  pressure?: PressureState[];
}

// ---- Databases ----------------------------------------------------------------------------------------------

export type Engine = 'postgresql' | 'mysql';
export type Flavor = 'postgresql' | 'mysql' | 'mariadb';

/** Something wrong or missing that an SRE can fix: a privilege, an extension, a setting. */
export interface Problem {
  code: string;
  message: string;
  remedy?: string;
}

export interface ConnectionStats {
  active: number;
  idle: number;
  idle_in_transaction: number;
  waiting: number;
  total: number;
  max_connections: number;
  usage_ratio: number;
}

export interface LatencyStats {
  /** Mean statement execution time weighted by calls, milliseconds. */
  mean_ms: number | null;
  calls: number;
  source: string;
}

export type PlanMethod = 'explain_analyze' | 'explain' | 'generic_explain' | 'skipped' | 'slow_log' | 'auto_explain';
export type FindingSeverity = 'info' | 'warning' | 'critical';

export interface Finding {
  rule: string;
  severity: FindingSeverity;
  /** The plan node it points at, e.g. "Seq Scan on orders". */
  node: string;
  message: string;
  advice: string;
}

export interface PlanReport {
  method: PlanMethod;
  reason?: string;
  findings: Finding[];
  summary: string;
  /** The engine's plan document as returned (JSON), when one was obtained. */
  plan?: unknown;
  captured_at?: string;
  /** auto_explain: how long the logged execution took, milliseconds. */
  duration_ms?: number;
  /** auto_explain: the execution's parameter values as the server logged them (PostgreSQL 16+), e.g. "$1 = '101'". */
  parameters?: string;
}

export interface SlowQuery {
  /** @integer @minimum 1 */
  rank: number;
  /** queryid (PostgreSQL) or digest (MySQL/MariaDB). */
  id: string;
  /** Normalized text, literals replaced by placeholders. */
  query: string;
  calls: number;
  mean_ms: number;
  total_ms: number;
  max_ms: number | null;
  rows: number;
  rows_examined?: number;
  /** Time reading blocks (PostgreSQL with track_io_timing: blk_read_time or shared+local_blk_read_time), ms. */
  io_read_ms?: number | null;
  /** A runnable literal sample of the statement when one exists, and where it came from. */
  sample: string | null;
  sample_source?: string;
  database?: string | null;
  user?: string | null;
  plan?: PlanReport;
}

export interface RunningQuery {
  pid: number;
  database: string | null;
  user: string | null;
  state: string | null;
  duration_seconds: number;
  query: string;
}

export interface DatabaseReport {
  name: string;
  engine: Engine;
  flavor?: Flavor;
  version: string | null;
  up: boolean;
  error?: string;
  problems: Problem[];
  connections?: ConnectionStats;
  latency?: LatencyStats;
  cache_hit_ratio?: number | null;
  /** 0 when nothing runs; null when unknown (other sessions hidden from the collector's account). */
  longest_query_seconds?: number | null;
  longest_transaction_seconds?: number | null;
  blocked_sessions?: number;
  slow_query_source?: string;
  /** Top 10 by mean time (with a floor on calls). */
  slow_queries: SlowQuery[];
  /** Top 10 by total time, beside the mean-time view. */
  slow_queries_by_total?: SlowQuery[];
  running_queries?: RunningQuery[];
  /** Replication, wraparound, WAL, vacuum and InnoDB state behind the health checks (src/core/health-report.ts). */
  health?: DatabaseHealth;
}

// ---- The whole --------------------------------------------------------------------------------------------

export interface Report {
  schema_version: typeof SCHEMA_VERSION;
  host: string;
  /** @pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$ */
  collected_at: string;
  /** @minimum 0 */
  duration_seconds: number;
  status: Status;
  checks: CheckResult[];
  collectors: CollectorRun[];
  os: OsReport;
  databases: DatabaseReport[];
}
