// Runs Debian's promtool on metrics text: `promtool check metrics` lints names, units, HELP/TYPE and label use.
import { spawnSync } from 'node:child_process';

export function promtoolCheck(text: string): { ok: boolean; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool could not be run (apt-get install prometheus): ${result.error.message}`);
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}
