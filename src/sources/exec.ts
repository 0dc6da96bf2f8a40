// Runs external commands for collectors: found through PATH (cron's PATH plus /usr/sbin:/sbin, so hosts and
// tests can substitute commands), LC_ALL=C so numbers and column names do not depend on the locale, a hard
// timeout, and one typed failure (CommandError) naming the command.
import { execa, type ExecaError } from 'execa';
import { CommandError } from '../core/errors';

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

function isExecaError(error: unknown): error is ExecaError {
  return error instanceof Error && 'isTerminated' in error && 'timedOut' in error;
}

export const runCommand: CommandRunner = async (command, args, options) => {
  const display = [command, ...args].join(' ');
  try {
    const result = await execa(command, [...args], {
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
      reject: false,
      stdin: 'ignore',
      extendEnv: true,
      env: { LC_ALL: 'C', LANG: 'C', PATH: commandSearchPath(process.env.PATH), S_COLORS: 'never' },
      stripFinalNewline: false,
    });
    if (result.failed) throw result;
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? 0 };
  } catch (error: unknown) {
    if (!isExecaError(error)) {
      throw new CommandError(command, 'spawn', `${display}: could not be run`, { cause: error });
    }
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new CommandError(command, 'not_found', `${command}: command not found in PATH`, { cause: error });
    }
    if (error.timedOut) {
      throw new CommandError(command, 'timeout', `${display}: no answer within ${options.timeoutMs} ms, stopped`, {
        cause: error,
      });
    }
    const exitCode = error.exitCode;
    if (exitCode !== undefined && options.acceptExitCodes?.includes(exitCode)) {
      return { stdout: String(error.stdout ?? ''), stderr: String(error.stderr ?? ''), exitCode };
    }
    if (error.signal) {
      throw new CommandError(command, 'signal', `${display}: killed by ${error.signal}`, { cause: error });
    }
    const stderr = String(error.stderr ?? '').trim().split('\n').slice(-1)[0] ?? '';
    throw new CommandError(
      command,
      'exit_status',
      `${display}: exited with status ${exitCode ?? '?'}${stderr ? `: ${stderr}` : ''}`,
      { cause: error },
    );
  }
};
