// Entry point of `db_beacon` (build/db_beacon.js), run from cron:
//   node build/db_beacon.js [--config FILE] [--state-file FILE] [--dry-run]
// Runs db_check's checks plus the cheap tuning drift check, and on each change of a check's status sends
// `salt-call event.send db_sentinel/check/<check>/<status> '<json>'` to the master. --dry-run prints the events as
// JSON lines instead and leaves the state file alone. Silent when nothing changed; a salt-call that is missing or
// fails is an UNKNOWN line and exit 3, with the state not advanced so the event is retried on the next run.
import { BEACON_COLLECTORS } from '../collectors/registry';
import { collectReport } from '../core/runner';
import { deliver, readState, transitions, sendEvent } from '../outputs/salt-event';
import { spawnCommand } from '../sources/spawn';
import { buildContext, CONFIG_FLAG, loadConfig, parseFlags, runMain, type CommandHelp } from './common';

const HELP: CommandHelp = {
  usage: 'db_beacon [--config FILE] [--state-file FILE] [--dry-run]',
  summary: "Runs db_check's checks and tuning_drift; on a change of a check's status sends the event\n" +
    'db_sentinel/check/<check>/<status> to the Salt master with salt-call event.send. Silent when nothing changed.',
  flags: [
    CONFIG_FLAG,
    ['--state-file FILE', "each check's last status (default beacon.state_file)"],
    ['--dry-run', 'print the events as JSON lines instead, and leave the state file alone'],
  ],
};

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
  const { sample_seconds: sample, command_timeout_seconds: timeout } = config.check;
  // The light command runner, as db_check's: the beacon too runs from cron every minute on every host.
  const report = await collectReport(BEACON_COLLECTORS, buildContext(config, spawnCommand), { deadlineMs: (sample + 2 * timeout + 1) * 1000 });
  if (values['dry-run']) {
    for (const { event } of transitions(report, state).events) process.stdout.write(`${JSON.stringify(event)}\n`);
    return 0;
  }
  await deliver(report, state, stateFile, (event) => sendEvent(spawnCommand, event));
  return 0;
});
