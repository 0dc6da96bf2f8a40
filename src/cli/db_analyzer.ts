// Entry point of `db_analyzer` (build/db_analyzer.js): a subcommand dispatch. Each subcommand lives in
// src/cli/analyzer/<name>.ts and takes the arguments after its name.
import { runMain, UsageError } from './common';
import { reportCommand, REPORT_USAGE } from './analyzer/report';
import { serveCommand, SERVE_USAGE } from './analyzer/serve';
import { tuningCommand, TUNING_USAGE } from './analyzer/tuning';

const SUBCOMMANDS: Record<string, { run: (argv: readonly string[]) => Promise<number>; usage: string }> = {
  report: { run: reportCommand, usage: REPORT_USAGE },
  serve: { run: serveCommand, usage: SERVE_USAGE },
  tuning: { run: tuningCommand, usage: TUNING_USAGE },
};

function usage(): string {
  return `usage:\n${Object.values(SUBCOMMANDS).map((command) => `  ${command.usage}`).join('\n')}`;
}

runMain('db_analyzer', async () => {
  const [name, ...rest] = process.argv.slice(2);
  if (name === undefined) throw new UsageError(`a subcommand is required\n${usage()}`);
  const subcommand = SUBCOMMANDS[name];
  if (subcommand === undefined) throw new UsageError(`unknown subcommand ${JSON.stringify(name)}\n${usage()}`);
  return subcommand.run(rest);
});
