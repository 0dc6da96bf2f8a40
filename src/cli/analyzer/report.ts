// `db_analyzer report [--config FILE] [--proc-root DIR] [--sys-root DIR]`: one collection cycle of every analyzer
// collector, printed as the report JSON. Exits 0 when a report was printed (its status is inside it); flag or config
// errors exit UNKNOWN (3) through runMain.
import { collectReport } from '../../report/runner';
import { loadConfig, type Config } from '../../core/config';
import type { Report } from '../../core/report';
import { analyzerCollectors } from '../../collectors/analyzer-registry';
import { PlanCache } from '../../explain';
import { loadPlanCache, savePlanCache } from '../../explain/cache-file';
import { lastReportPath, readFreshReport } from '../../sources/last-report';
import type { CommandRunner } from '../../sources/exec';
import { HOST_ROOTS, type FsRoots } from '../../sources/fsroot';
import { runCommand } from '../../sources/exec';
import { buildContext, CONFIG_FLAG, parseFlags, type CommandHelp } from '../common';

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
  // EXPLAIN of the slow queries runs inside the database collector, within its own budget (src/explain).
  const explainMs = config.explain.enabled ? config.explain.budget_seconds * 1000 + config.explain.statement_timeout_ms : 0;
  return Math.max(30_000, databaseMs + explainMs + 5_000);
}

/** One collection of every analyzer collector; `planCache` outlives it where the caller keeps plans (serve). */
export async function collectAnalyzerReport(config: Config, roots: FsRoots, planCache: PlanCache): Promise<Report> {
  return collectReport(analyzerCollectors({ planCache }), buildContext(config, runCommand, roots),
    { deadlineMs: analyzerDeadlineMs(config) });
}

/**
 * The report of a cron command (db_textfile, db_beacon): serve's last report when it is fresh, else one collection
 * with `exec`, its plan cache loaded from explain.cache_file and saved back, so that a plan is made once per
 * explain.cache_ttl_seconds and not once a minute. A cache file that cannot be read or written is a warning.
 */
export async function cronReport(config: Config, exec: CommandRunner,
  warn: (problem: unknown) => void): Promise<{ report: Report; collected: boolean }> {
  const last = await readFreshReport(lastReportPath(config.state_dir), config.server.interval_seconds, new Date());
  if ('report' in last) return { report: last.report, collected: false };
  if (last.warn) warn(last.reason);
  const explains = config.explain.enabled && config.databases.length > 0;
  const planCache = new PlanCache();
  if (explains) await loadPlanCache(planCache, config.explain.cache_file).catch(warn);
  const context = buildContext(config, exec);
  const report = await collectReport(analyzerCollectors({ planCache }), context, { deadlineMs: analyzerDeadlineMs(config) });
  if (explains) await savePlanCache(planCache, config.explain.cache_file, Date.now()).catch(warn);
  return { report, collected: true };
}

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    config: { type: 'string' },
    'proc-root': { type: 'string' },
    'sys-root': { type: 'string' },
  }, REPORT_HELP);
  const config = await loadConfig(values.config);
  const roots: FsRoots = { proc: values['proc-root'] ?? HOST_ROOTS.proc, sys: values['sys-root'] ?? HOST_ROOTS.sys };
  const report = await collectAnalyzerReport(config, roots, new PlanCache());
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
