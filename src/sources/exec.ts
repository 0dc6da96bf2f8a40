// The command runner's contract, shared by its two engines (spawn.ts, one command; wave.ts, db_check's commands of one
// tick under one launcher): commands found through PATH (cron's PATH plus /usr/sbin:/sbin, so hosts and tests can
// substitute commands), LC_ALL=C so numbers and column names do not depend on the locale, a hard timeout, and one
// typed failure (CommandError) naming the command. No bundle uses execa: in db_analyzer serve it cost a quarter of
// the daemon's CPU and 7 MiB (its per-call options, environment copy, AbortController and stream helpers); the test
// harness still drives Salt with it.

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  timeoutMs: number;
  /** Exit codes that are answers rather than failures (e.g. `systemctl is-active` exits 3 for inactive). */
  acceptExitCodes?: readonly number[];
}

/** The replaceable command runner: collectors receive one, tests pass a fake. */
export type CommandRunner = (command: string, args: readonly string[], options: RunOptions) => Promise<CommandResult>;

/** cron's PATH when the environment has none (Debian cron: /usr/bin:/bin). */
const CRON_PATH = ['/usr/bin', '/bin'];
/** What cron's minimal PATH lacks: sysctl and friends live in /usr/sbin. */
const SBIN_DIRS = ['/usr/sbin', '/sbin'];

/**
 * PATH as given (cron's when unset), extended with /usr/sbin:/sbin — and nothing else, so that a test or a host can
 * leave a tool out of PATH and see what a host without it sees.
 */
export function commandSearchPath(path: string | undefined): string {
  const given = (path ?? '').split(':').filter((dir) => dir !== '');
  const dirs = given.length > 0 ? given : [...CRON_PATH];
  for (const dir of SBIN_DIRS) if (!dirs.includes(dir)) dirs.push(dir);
  return dirs.join(':');
}
