// Runs collectors concurrently (so vmstat and iostat sample the same interval), each under a deadline, and merges
// their parts into one report. A failing collector is recorded with its error and its checks become UNKNOWN;
// it never sinks the others.
import type { Collector, CollectContext, CollectorOutput } from '../collectors/collector';
import type { CheckCommandConfig } from '../core/check-config';
import { DbSentinelError, errorMessage } from '../core/errors';
import { SCHEMA_VERSION, type CheckResult, type CollectorRun, type Report } from '../core/report';
import { worstStatus } from '../core/status';

export class CollectorTimeoutError extends DbSentinelError {}

/**
 * The collector's result, or a CollectorTimeoutError after `ms`. The deadline is armed once the event loop turns
 * (setImmediate) with the collector still pending: a collector that settles without waiting for I/O never needs one.
 * db_check's do (their commands run in one synchronous wave, src/sources/wave.ts), and a timer they never use would
 * cost each run Node's timer machinery, compiled on first use (~1.5M instructions, bench/db_check.py --callgrind).
 */
function withDeadline<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let pending = true;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    setImmediate(() => {
      if (!pending) return;
      timer = setTimeout(() => reject(new CollectorTimeoutError(`${name}: no result within ${ms} ms`)), ms);
    });
  });
  return Promise.race([promise, deadline]).finally(() => {
    pending = false;
    if (timer !== undefined) clearTimeout(timer);
  });
}

interface Outcome {
  run: CollectorRun;
  output: CollectorOutput;
}

async function runOne<C extends CheckCommandConfig>(collector: Collector<C>, context: CollectContext<C>,
  deadlineMs: number): Promise<Outcome> {
  const started = process.hrtime.bigint();
  const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const output = await withDeadline(collector.collect(context), deadlineMs, collector.name);
    return { run: { name: collector.name, success: true, duration_seconds: seconds() }, output };
  } catch (error: unknown) {
    const message = errorMessage(error);
    const checks: CheckResult[] = collector.checks.map((name) => ({ name, status: 'unknown', message, value: null }));
    return { run: { name: collector.name, success: false, duration_seconds: seconds(), error: message }, output: { checks } };
  }
}

export interface RunOptions {
  /** Deadline for each collector, milliseconds. */
  deadlineMs: number;
}

export async function collectReport<C extends CheckCommandConfig>(
  collectors: readonly Collector<C>[],
  context: CollectContext<C>,
  options: RunOptions,
): Promise<Report> {
  const started = process.hrtime.bigint();
  const collectedAt = context.now();
  const outcomes = await Promise.all(collectors.map((collector) => runOne(collector, context, options.deadlineMs)));
  const report: Report = {
    schema_version: SCHEMA_VERSION,
    host: context.hostname,
    collected_at: collectedAt.toISOString(),
    duration_seconds: 0,
    status: 'ok',
    checks: [],
    collectors: [],
    os: { cpu_count: context.cpuCount },
    databases: [],
  };
  for (const { run, output } of outcomes) {
    report.collectors.push(run);
    if (output.os) Object.assign(report.os, output.os);
    if (output.databases) report.databases.push(...output.databases);
    if (output.checks) report.checks.push(...output.checks);
  }
  report.status = worstStatus(report.checks.map((check) => check.status));
  report.duration_seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return report;
}
