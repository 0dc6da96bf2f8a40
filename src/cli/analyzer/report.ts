// `db_analyzer report [--config FILE] [--proc-root DIR] [--sys-root DIR]`: one collection cycle of every analyzer
// collector, printed as the report JSON. Exits 0 when a report was printed (its status is inside it); flag or config
// errors exit UNKNOWN (3) through runMain.
import { collectReport } from '../../core/runner';
import type { Config } from '../../core/config';
import type { Report } from '../../core/report';
import type { Collector } from '../../core/collector';
import { join } from 'node:path';
import { DEFAULT_PLAN_CACHE } from '../../analysis/explain';
import { explainChildRunner } from '../../analysis/explain/child-process';
import { explainJobTimeoutMs, type ExplainInChild } from '../../analysis/explain/in-child';
import { analyzerCollectors } from '../../collectors/analyzer-registry';
import { createDatabasesCollector, DEFAULT_OPENERS } from '../../collectors/db/databases';
import { HOST_ROOTS, type FsRoots } from '../../sources/fsroot';
import { runCommand } from '../../sources/exec';
import { buildContext, CONFIG_FLAG, loadConfig, parseFlags, type CommandHelp } from '../common';

export const REPORT_HELP: CommandHelp = {
  usage: 'db_analyzer report [--config FILE] [--proc-root DIR] [--sys-root DIR]',
  summary: 'Runs one collection cycle (OS tuning state and drift, databases, slow queries with plans) and prints\n' +
    'the report as JSON; its verdict is `status` inside (exit 0).',
  flags: [
    CONFIG_FLAG,
    ['--proc-root DIR', 'read /proc from DIR (a copied tree)'],
    ['--sys-root DIR', 'read /sys from DIR'],
  ],
};

/** The runner's deadline per collector: long enough for every database's connect and statement timeouts. */
export function analyzerDeadlineMs(config: Config): number {
  const databaseMs = Math.max(0, ...config.databases.map((db) => (db.connect_timeout_seconds + 2 * db.statement_timeout_seconds) * 1000));
  // EXPLAIN of the slow queries runs inside the database collector, within its own budget (src/analysis/explain).
  const explainMs = config.explain.enabled ? config.explain.budget_seconds * 1000 + config.explain.statement_timeout_ms : 0;
  return Math.max(30_000, databaseMs + explainMs + 5_000);
}

/** The EXPLAIN child's bundle (src/cli/db_explain.ts), deployed beside db_analyzer.js. */
export const EXPLAIN_CHILD_BUNDLE = 'db_explain.js';

export interface AnalyzerCollection {
  collectors: readonly Collector[];
  /** The runner's deadline per collector. */
  deadlineMs: number;
}

/**
 * db_analyzer's collection (report and serve): EXPLAIN (the gate, the runner and their parsers) in a child process
 * that exits after each cycle's batch (src/analysis/explain/in-child.ts), so the daemon's memory never holds the
 * parsers and db_analyzer's bundle leaves them out (src/build.ts). One plan cache per process.
 */
export function collectionWithExplainChild(config: Config): AnalyzerCollection {
  const explainChild: ExplainInChild = { run: explainChildRunner(join(__dirname, EXPLAIN_CHILD_BUNDLE)), cache: DEFAULT_PLAN_CACHE, jobs: [] };
  const childMs = config.explain.enabled ? explainJobTimeoutMs(config.databases, config.explain) : 0;
  return { collectors: analyzerCollectors(createDatabasesCollector(DEFAULT_OPENERS, explainChild)), deadlineMs: analyzerDeadlineMs(config) + childMs };
}

/** `collection`: the demo's, which runs from the sources and explains in its own process. */
export async function collectAnalyzerReport(config: Config, roots: FsRoots,
  collection: AnalyzerCollection = collectionWithExplainChild(config)): Promise<Report> {
  return collectReport(collection.collectors, buildContext(config, runCommand, roots), { deadlineMs: collection.deadlineMs });
}

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    config: { type: 'string' },
    'proc-root': { type: 'string' },
    'sys-root': { type: 'string' },
  }, REPORT_HELP);
  const config = await loadConfig(values.config);
  const roots: FsRoots = { proc: values['proc-root'] ?? HOST_ROOTS.proc, sys: values['sys-root'] ?? HOST_ROOTS.sys };
  const report = await collectAnalyzerReport(config, roots);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
