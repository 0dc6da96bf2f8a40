// `db_analyzer report [--config FILE] [--proc-root DIR] [--sys-root DIR]`: one collection cycle of every analyzer
// collector, printed as the report JSON. Exits 0 when a report was printed (its status is inside it); flag or config
// errors exit UNKNOWN (3) through runMain.
import { collectReport } from '../../core/runner';
import type { Config } from '../../core/config';
import type { Report } from '../../core/report';
import type { Collector } from '../../core/collector';
import { ANALYZER_COLLECTORS } from '../../collectors/analyzer-registry';
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

/** `collectors` and `extraDeadlineMs`: db_analyzer serve's, whose EXPLAIN child runs after the databases' collection. */
export async function collectAnalyzerReport(config: Config, roots: FsRoots, collectors: readonly Collector[] = ANALYZER_COLLECTORS,
  extraDeadlineMs = 0): Promise<Report> {
  return collectReport(collectors, buildContext(config, runCommand, roots), { deadlineMs: analyzerDeadlineMs(config) + extraDeadlineMs });
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
