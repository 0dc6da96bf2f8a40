// What every command shares: flag parsing with clear errors, loading the config, building the collection
// context, and exiting with a Nagios code on failure.
import { availableParallelism, cpus, hostname } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CollectContext } from '../core/collector';
import { loadConfig, type Config } from '../core/config';
import { ConfigError, DbSentinelError, errorMessage } from '../core/errors';
import { EXIT_CODE } from '../core/status';
import type { CommandRunner } from '../sources/exec';
import { HOST_ROOTS, type FsRoots } from '../sources/fsroot';

export class UsageError extends DbSentinelError {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses flags; unknown flags or missing values become a UsageError that names them and shows the usage line. */
export function parseFlags<T extends Options>(argv: readonly string[], options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error: unknown) {
    throw new UsageError(`${errorMessage(error)}\nusage: ${usage}`, { cause: error });
  }
}

export function cpuCount(): number {
  // availableParallelism honours CPU affinity (a database pinned to some cores); it exists from Node 18.14.
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}

/**
 * The collection context on the host. The runner is the caller's choice: the cron commands (db_check, db_beacon)
 * pass spawnCommand, which loads in a fraction of execa's time; the analyzer passes runCommand (execa).
 */
export function buildContext(config: Config, exec: CommandRunner, roots: FsRoots = HOST_ROOTS): CollectContext {
  return { config, exec, roots, now: () => new Date(), cpuCount: cpuCount(), hostname: hostname() };
}

export { loadConfig };

/**
 * Runs a command's main function; an error that escapes is printed as one UNKNOWN line naming what was wrong and
 * the process exits 3 (a broken config or bad flag is not a host problem, but it must not look like OK).
 */
export function runMain(commandName: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const kind = error instanceof ConfigError ? 'invalid configuration' : error instanceof UsageError ? 'usage' : 'error';
      process.stdout.write(`DB_SENTINEL UNKNOWN - ${commandName}: ${kind}: ${errorMessage(error)}\n`);
      process.exitCode = EXIT_CODE.unknown;
    },
  );
}
