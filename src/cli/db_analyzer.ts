// Entry point of `db_analyzer` (build/db_analyzer.js): one subcommand per way of looking at the analyzer's report.
import { serveMain, SERVE_USAGE } from './analyzer-serve';
import { runMain, UsageError } from './common';

const USAGE = `usage: ${SERVE_USAGE}`;

runMain('db_analyzer', async () => {
  const [subcommand, ...rest] = process.argv.slice(2);
  switch (subcommand) {
    case 'serve':
      return serveMain(rest);
    default:
      throw new UsageError(`${subcommand === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(subcommand)}`}\n${USAGE}`);
  }
});
