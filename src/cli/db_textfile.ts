// Entry point of `db_textfile` (build/db_textfile.js): `db_textfile --dir DIR [--config FILE]`, run from cron,
// writes DIR/db_sentinel.prom for node_exporter's textfile collector from the analyzer's report: the one
// `db_analyzer serve` left in <state_dir>/last-report.json when it is fresh (a host with the daemon), else one it collects.
// Silent on success (cron mails any output); an error is one UNKNOWN line and exit 3, the old file left as it was.
// The plan cache lives in explain.cache_file between runs, so a plan is made once per explain.cache_ttl_seconds,
// not once a minute; a cache file that cannot be read or written is a warning on stderr, never a lost textfile.
import { loadConfig } from '../core/config';
import { errorMessage } from '../core/errors';
import { renderMetrics } from '../outputs/prometheus';
import { writeTextfile, writeTextfileRecorded } from '../outputs/textfile';
import { spawnCommand } from '../sources/spawn';
import { cronReport } from './analyzer/report';
import { CONFIG_FLAG, parseFlags, runMain, type CommandHelp } from './common';

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
  const { report, collected } = await cronReport(config, spawnCommand, warn);
  if (!collected) {
    await writeTextfile(dir, await renderMetrics(report));
    return 0;
  }
  // The outcome is recorded for the report's `textfile` check (serve's /report and /metrics, the beacon).
  await writeTextfileRecorded(dir, config.textfile.status_file, await renderMetrics(report), warn);
  return 0;
});
