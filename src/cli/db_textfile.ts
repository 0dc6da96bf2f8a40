// Entry point of `db_textfile` (build/db_textfile.js): `db_textfile --dir DIR [--config FILE]`, run from cron,
// writes DIR/db_sentinel.prom for node_exporter's textfile collector from the analyzer's report: the one
// `db_analyzer serve` left in <state_dir>/last-report.json when it is fresh (a host with the daemon), else one it collects.
// Silent on success (cron mails any output); an error is one UNKNOWN line and exit 3, the old file left as it was.
// The plan cache lives in explain.cache_file between runs, so a plan is made once per explain.cache_ttl_seconds,
// not once a minute; a cache file that cannot be read or written is a warning on stderr, never a lost textfile.
import { loadConfig } from '../core/config';
import { PlanCache } from '../explain';
import { loadPlanCache, savePlanCache } from '../explain/cache-file';
import { errorMessage } from '../core/errors';
import { collectReport } from '../report/runner';
import { analyzerCollectors } from '../collectors/analyzer-registry';
import { renderMetrics } from '../outputs/prometheus';
import { writeTextfile, writeTextfileStatus } from '../outputs/textfile';
import { runCommand } from '../sources/exec';
import { lastReportPath, readFreshReport } from '../sources/last-report';
import { analyzerDeadlineMs } from './analyzer/report';
import { buildContext, CONFIG_FLAG, parseFlags, runMain, type CommandHelp } from './common';

const HELP: CommandHelp = {
  usage: 'db_textfile --dir DIR [--config FILE]',
  summary: "Collects the analyzer's report once and writes DIR/db_sentinel.prom (atomically) for node_exporter's\n" +
    'textfile collector. Silent on success.',
  flags: [
    ['--dir DIR', 'the textfile collector directory (default textfile.dir)'],
    CONFIG_FLAG,
  ],
};

function warn(error: unknown): void {
  process.stderr.write(`db_textfile: warning: ${errorMessage(error)}\n`);
}

runMain('db_textfile', async () => {
  const { values } = parseFlags(process.argv.slice(2), { dir: { type: 'string' }, config: { type: 'string' } }, HELP);
  const config = await loadConfig(values.config);
  const dir = values.dir ?? config.textfile.dir;
  const last = await readFreshReport(lastReportPath(config.state_dir), config.server.interval_seconds, new Date());
  if ('report' in last) {
    await writeTextfile(dir, await renderMetrics(last.report));
    return 0;
  }
  if (last.warn) warn(last.reason);
  const explains = config.explain.enabled && config.databases.length > 0;
  const planCache = new PlanCache();
  if (explains) await loadPlanCache(planCache, config.explain.cache_file).catch(warn);
  const report = await collectReport(analyzerCollectors({ planCache }), buildContext(config, runCommand), { deadlineMs: analyzerDeadlineMs(config) });
  // The outcome is recorded for the report's `textfile` check (serve's /report and /metrics, the beacon).
  const metrics = await renderMetrics(report);
  const at = new Date().toISOString();
  try {
    const file = await writeTextfile(dir, metrics);
    await writeTextfileStatus(config.textfile.status_file, { at, file, error: null }).catch(warn);
  } catch (error: unknown) {
    await writeTextfileStatus(config.textfile.status_file, { at, file: null, error: errorMessage(error) }).catch(warn);
    throw error;
  }
  if (explains) await savePlanCache(planCache, config.explain.cache_file, Date.now()).catch(warn);
  return 0;
});
