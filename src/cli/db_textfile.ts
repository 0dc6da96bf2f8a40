// Entry point of `db_textfile` (build/db_textfile.js): `db_textfile --dir DIR [--config FILE]`, run from cron,
// collects the analyzer's report once and writes DIR/db_sentinel.prom for node_exporter's textfile collector.
// Silent on success (cron mails any output); an error is one UNKNOWN line and exit 3, the old file left as it was.
import { collectReport } from '../core/runner';
import { ANALYZER_COLLECTORS } from '../collectors/analyzer-registry';
import { renderMetrics } from '../outputs/prometheus';
import { writeTextfile } from '../outputs/textfile';
import { runCommand } from '../sources/exec';
import { buildContext, loadConfig, parseFlags, runMain } from './common';

const USAGE = 'db_textfile --dir DIR [--config FILE]';

runMain('db_textfile', async () => {
  const { values } = parseFlags(process.argv.slice(2), { dir: { type: 'string' }, config: { type: 'string' } }, USAGE);
  const config = await loadConfig(values.config);
  const dir = values.dir ?? config.textfile.dir;
  const deadlineMs = (config.check.sample_seconds + config.check.command_timeout_seconds) * 1000 + 30_000;
  const report = await collectReport(ANALYZER_COLLECTORS, buildContext(config, runCommand), { deadlineMs });
  await writeTextfile(dir, await renderMetrics(report));
  return 0;
});
