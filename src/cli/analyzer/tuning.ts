// `db_analyzer tuning plan [--profile JSON] [--profile-name KEY] [--config FILE] [--proc-root DIR] [--sys-root DIR]`:
// the validated remediation plan of a tuning profile on this host (every setting with its actual and desired value,
// the changes, what to persist) as JSON, or `{"error": "<key>: <what is wrong>"}` and exit 3. The profile is the
// JSON given (keys left out take parameters/tuning.yaml's defaults) or the config's `tuning:`. The Salt formula
// renders its remediation states from this output and verifies with it afterwards (no change left).
import { loadConfig } from '../../core/config';
import { planTuning, TuningPlanError } from '../../checks/tuning-plan';
import { ConfigError, errorMessage, ParseError } from '../../core/errors';
import { EXIT_CODE } from '../../core/status';
import { defaultTuningProfile, parseTuningProfile, type TuningProfile } from '../../core/tuning-profile';
import { readHugePages } from '../../collectors/os/hugepages';
import { readSchedulers } from '../../collectors/os/schedulers';
import { readSysctls } from '../../collectors/os/sysctl';
import { HOST_ROOTS, type FsRoots } from '../../sources/fsroot';
import { CONFIG_FLAG, parseFlags, UsageError, type CommandHelp } from '../common';

export const TUNING_HELP: CommandHelp = {
  usage: 'db_analyzer tuning plan [--profile JSON] [--profile-name KEY] [--config FILE] [--proc-root DIR] [--sys-root DIR]',
  summary: "Prints the validated remediation plan of a tuning profile on this host as JSON (every setting's actual and\n" +
    'desired value, the changes, what to persist), or {"error": "<key>: <what is wrong>"} and exit 3.',
  flags: [
    ['--profile JSON', "the profile to plan (keys left out take the defaults); default: the config's tuning"],
    ['--profile-name KEY', 'the key path errors name (default: profile, or tuning)'],
    CONFIG_FLAG,
    ['--proc-root DIR', 'read /proc from DIR (tests)'],
    ['--sys-root DIR', 'read /sys from DIR (tests)'],
  ],
};

function profileFromJson(text: string, name: string): TuningProfile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error: unknown) {
    throw new ConfigError(name, `--profile is not JSON: ${errorMessage(error)}`, { cause: error });
  }
  return parseTuningProfile(document, name, defaultTuningProfile());
}

export async function tuningCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    profile: { type: 'string' },
    'profile-name': { type: 'string' },
    config: { type: 'string' },
    'proc-root': { type: 'string' },
    'sys-root': { type: 'string' },
  }, TUNING_HELP, true);
  if (positionals.length !== 1 || positionals[0] !== 'plan') {
    throw new UsageError(`expected the action "plan", got ${JSON.stringify(positionals.join(' '))}\nusage: ${TUNING_HELP.usage}`);
  }
  const name = values['profile-name'] ?? (values.profile !== undefined ? 'profile' : 'tuning');
  const roots: FsRoots = { proc: values['proc-root'] ?? HOST_ROOTS.proc, sys: values['sys-root'] ?? HOST_ROOTS.sys };
  try {
    const profile = values.profile !== undefined ? profileFromJson(values.profile, name) : (await loadConfig(values.config)).tuning;
    const [sysctl, schedulers, hugepages] = await Promise.all([
      readSysctls(roots, Object.keys(profile.sysctl)),
      readSchedulers(roots),
      readHugePages(roots),
    ]);
    const plan = planTuning({ sysctl, schedulers, hugepages }, profile, roots, name);
    process.stdout.write(`${JSON.stringify({ profile, ...plan }, null, 2)}\n`);
    return 0;
  } catch (error: unknown) {
    if (!(error instanceof ConfigError || error instanceof TuningPlanError || error instanceof ParseError)) throw error;
    // ConfigError says "config: <key>: ..."; the profile given on the command line is no config file.
    const message = error instanceof ConfigError && values.profile !== undefined
      ? `${error.keyPath}: ${error.message.slice(`config: ${error.keyPath}: `.length)}`
      : error.message;
    process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    return EXIT_CODE.unknown;
  }
}
