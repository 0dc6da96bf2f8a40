// Entry point of `db_analyzer` (build/db_analyzer.js): a subcommand dispatch. Each subcommand lives in
// src/cli/analyzer/<name>.ts and takes the arguments after its name (`db_analyzer report --help` is its help).
import { answerInfoFlags, runMain, UsageError, type CommandHelp } from './common';
import { reportCommand, REPORT_HELP } from './analyzer/report';
import { serveCommand, SERVE_HELP } from './analyzer/serve';
import { tuningCommand, TUNING_HELP } from './analyzer/tuning';

const SUBCOMMANDS: Record<string, { run: (argv: readonly string[]) => Promise<number>; help: CommandHelp }> = {
  report: { run: reportCommand, help: REPORT_HELP },
  serve: { run: serveCommand, help: SERVE_HELP },
  tuning: { run: tuningCommand, help: TUNING_HELP },
};

function usage(): string {
  return `usage:\n${Object.values(SUBCOMMANDS).map(({ help }) => `  ${help.usage}`).join('\n')}`;
}

function help(): string {
  const summaries = Object.entries(SUBCOMMANDS).map(([name, { help: { summary } }]) =>
    `${name}:\n${summary.split('\n').map((line) => `  ${line}`).join('\n')}`);
  return `${usage()}\n  db_analyzer SUBCOMMAND --help\n  db_analyzer --version\n\n${summaries.join('\n\n')}\n`;
}

runMain('db_analyzer', async () => {
  const [name, ...rest] = process.argv.slice(2);
  if (name === undefined) throw new UsageError(`a subcommand is required\n${usage()}`);
  const subcommand = SUBCOMMANDS[name];
  if (subcommand === undefined) {
    answerInfoFlags([name, ...rest], 'db_analyzer', help);
    throw new UsageError(`unknown subcommand ${JSON.stringify(name)}\n${usage()}`);
  }
  return subcommand.run(rest);
});
