// `db_analyzer report [--config FILE] [--proc-root DIR] [--sys-root DIR]`: one collection cycle of every analyzer
// collector, printed as the report JSON. Exits 0 when a report was printed (its status is inside it); flag or config
// errors exit UNKNOWN (3) through runMain.
import { collectReport } from '../../report/runner';
import { loadConfig, type Config } from '../../core/config';
import type { Report } from '../../core/report';
import { analyzerCollectors } from '../../collectors/analyzer-registry';
import { join } from 'node:path';
import { PlanCache } from '../../explain';
import type { KeptSessions } from '../../collectors/db/kept-sessions';
import { DigestTextCache } from '../../collectors/db/mysql';
import {
  CRON_DIGEST_TEXT_CHARACTERS, digestTextsPath, loadDigestTexts, saveDigestTexts,
} from '../../collectors/db/digest-text-file';
import { loadPlanCache, savePlanCache } from '../../explain/cache-file';
import { explainChildRunner, type ExplainJobRunner } from '../../explain/child-process';
import { explainJobTimeoutMs } from '../../explain/in-child';
import { lastReportPath, readFreshReport } from '../../sources/last-report';
import { HOST_ROOTS, type FsRoots } from '../../sources/fsroot';
import type { CommandRunner } from '../../sources/exec';
import { spawnCommand } from '../../sources/spawn';
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

/** The EXPLAIN child's bundle (src/cli/db_explain.ts), deployed beside db_analyzer.js. */
export const EXPLAIN_CHILD_BUNDLE = 'db_explain.js';

/**
 * db_analyzer's EXPLAIN (report and serve): the gate, the runner and their parsers in a child process that exits
 * after each cycle's batch (src/explain/in-child.ts), so the daemon's memory never holds the parsers and
 * db_analyzer's bundle leaves them out (src/build.ts).
 */
export function explainChildBesideThisBundle(): ExplainJobRunner {
  return explainChildRunner(join(__dirname, EXPLAIN_CHILD_BUNDLE));
}

/**
 * The analyzer's collection, for a process that collects again and again (serve, the demo): the collectors are made
 * once, so that what they keep between cycles survives (the database collector's counter samples, which rates need,
 * and its digest texts; `planCache`, the plans; `keptSessions`, the open sessions, which the caller closes when it
 * stops). `explainChild`: where EXPLAIN runs (db_analyzer's commands); without it, in this process (the demo, from
 * sources).
 */
export function analyzerCollection(
  config: Config, roots: FsRoots, planCache: PlanCache, explainChild?: ExplainJobRunner, keptSessions?: KeptSessions,
): () => Promise<Report> {
  const collectors = analyzerCollectors({
    planCache, ...(explainChild === undefined ? {} : { explainChild }), ...(keptSessions === undefined ? {} : { keptSessions }),
  });
  // The child runs after the databases' collection: its own time limit comes on top.
  const childMs = explainChild !== undefined && config.explain.enabled ? explainJobTimeoutMs(config.databases, config.explain) : 0;
  return () => collectReport(collectors, buildContext(config, spawnCommand, roots), { deadlineMs: analyzerDeadlineMs(config) + childMs });
}

/** One collection of every analyzer collector (db_analyzer report, tests). */
export function collectAnalyzerReport(
  config: Config, roots: FsRoots, planCache: PlanCache, explainChild?: ExplainJobRunner,
): Promise<Report> {
  return analyzerCollection(config, roots, planCache, explainChild)();
}

/**
 * The report of a cron command (db_textfile, db_beacon): serve's last report when it is fresh, else one collection
 * with `exec`, its plan cache loaded from explain.cache_file and saved back, so that a plan is made once per
 * explain.cache_ttl_seconds and not once a minute; and so its MySQL/MariaDB digest texts, in
 * <state_dir>/digest-texts.json, so that a run reads the digest summary once, as serve does. A cache file that cannot
 * be read or written is a warning.
 */
export async function cronReport(config: Config, exec: CommandRunner,
  warn: (problem: unknown) => void): Promise<{ report: Report; collected: boolean }> {
  const last = await readFreshReport(lastReportPath(config.state_dir), config.server.interval_seconds, new Date());
  if ('report' in last) return { report: last.report, collected: false };
  if (last.warn) warn(last.reason);
  const explains = config.explain.enabled && config.databases.length > 0;
  const planCache = new PlanCache();
  if (explains) await loadPlanCache(planCache, config.explain.cache_file).catch(warn);
  // Only MySQL and MariaDB read digest texts apart from their ranking.
  const keepsDigestTexts = config.databases.some((database) => database.engine === 'mysql');
  const digestTexts = new DigestTextCache(CRON_DIGEST_TEXT_CHARACTERS);
  const digestTextsFile = digestTextsPath(config.state_dir);
  if (keepsDigestTexts) await loadDigestTexts(digestTexts, digestTextsFile).catch(warn);
  const context = buildContext(config, exec);
  const report = await collectReport(analyzerCollectors({ planCache, digestTexts }), context,
    { deadlineMs: analyzerDeadlineMs(config) });
  if (explains) await savePlanCache(planCache, config.explain.cache_file, Date.now()).catch(warn);
  if (keepsDigestTexts) await saveDigestTexts(digestTexts, digestTextsFile).catch(warn);
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
  const report = await collectAnalyzerReport(config, roots, new PlanCache(), explainChildBesideThisBundle());
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
