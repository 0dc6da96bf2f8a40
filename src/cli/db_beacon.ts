// Entry point of `db_beacon` (build/db_beacon.js), run from cron:
//   node build/db_beacon.js [--config FILE] [--state-file FILE] [--dry-run]
// Takes the analyzer's report - serve's last one when fresh (<state_dir>/last-report.json, collected within two
// server.interval_seconds), otherwise it collects every check itself, database checks included - and sends each
// check's change of status (held for beacon.hysteresis_runs runs) to the master, all of a run's changes in one
// salt-call. --dry-run prints the events as JSON lines instead and leaves the state file alone. Silent when nothing
// changed; a salt-call that is missing or fails is an UNKNOWN line and exit 3, with no status advanced so the events
// are retried on the next run.
import { loadConfig } from '../core/config';
import { errorMessage } from '../core/errors';
import { beaconOptions, deliverBySaltCall, readState, transitions } from '../outputs/salt-event';
import { spawnCommand } from '../sources/spawn';
import { cronReport } from './analyzer/report';
import { CONFIG_FLAG, parseFlags, runMain, type CommandHelp } from './common';

const HELP: CommandHelp = {
  usage: 'db_beacon [--config FILE] [--state-file FILE] [--dry-run]',
  summary: "Takes serve's last report when fresh, else collects every check itself; each change of a check's status\n" +
    '(held for beacon.hysteresis_runs runs) goes to the Salt master as db_sentinel/check/<check>/<status>, all of a\n' +
    "run's changes in one salt-call. Silent when nothing changed.",
  flags: [
    CONFIG_FLAG,
    ['--state-file FILE', "each check's last status (default beacon.state_file)"],
    ['--dry-run', 'print the events as JSON lines instead, and leave the state file alone'],
  ],
};

function warn(error: unknown): void {
  process.stderr.write(`db_beacon: warning: ${errorMessage(error)}\n`);
}

runMain('db_beacon', async () => {
  const { values } = parseFlags(process.argv.slice(2), {
    config: { type: 'string' },
    'state-file': { type: 'string' },
    'dry-run': { type: 'boolean' },
  }, HELP);
  const config = await loadConfig(values.config);
  const stateFile = values['state-file'] ?? config.beacon.state_file;
  // Read first: an unreadable state file stops the run before any command is spent.
  const state = await readState(stateFile);
  // The light command runner, as db_check's: the beacon runs from cron every minute on every host.
  const { report } = await cronReport(config, spawnCommand, warn);
  const options = beaconOptions(config.beacon);
  if (values['dry-run']) {
    for (const event of transitions(report, state, options).events) process.stdout.write(`${JSON.stringify(event)}\n`);
    return 0;
  }
  await deliverBySaltCall(report, state, stateFile, options, spawnCommand);
  return 0;
});
