// What every command shares: flag parsing with clear errors, loading the config, building the collection
// context, and exiting with a Nagios code on failure.
import { availableParallelism, cpus, hostname } from 'node:os';
import type { CollectContext } from '../collectors/collector';
import { DEFAULT_CONFIG_PATH, type CheckCommandConfig } from '../core/check-config';
import { ConfigError, DbSentinelError, errorMessage } from '../core/errors';
import { EXIT_CODE } from '../core/status';
import { COMPLETED_RUN_KEY } from '../core/completed-run';
import { SNAPSHOT_EXIT_OFFSET, STARTUP_SNAPSHOT_KEY, type StartupSnapshotApi } from '../core/startup-snapshot';
import type { CommandRunner } from '../sources/exec';
import { HOST_ROOTS, type FsRoots } from '../sources/fsroot';
// The bundle embeds this one field of package.json at build time (esbuild inlines the JSON import).
import { version as VERSION } from '../../package.json';

export class UsageError extends DbSentinelError {}

/** What --help prints: the usage line (bad flags print it too), what the command does, and each flag. */
export interface CommandHelp {
  usage: string;
  /** The name --version prints; the usage line's first word unless given. */
  command?: string;
  summary: string;
  flags: readonly (readonly [flag: string, meaning: string])[];
}

export const CONFIG_FLAG = ['--config FILE', `the configuration file (default ${DEFAULT_CONFIG_PATH}, defaults if it is missing)`] as const;

const INFO_FLAGS: readonly (readonly [string, string])[] = [['--help, -h', 'print this help and exit'], ['--version',
  'print the version and exit']];

function renderHelp(help: CommandHelp): string {
  const flags = [...help.flags, ...INFO_FLAGS];
  const width = Math.max(...flags.map(([flag]) => flag.length));
  return `usage: ${help.usage}\n\n${help.summary}\n\n` +
    `${flags.map(([flag, meaning]) => `  ${flag.padEnd(width)}  ${meaning}`).join('\n')}\n`;
}

/**
 * --help or --version was given (or db_check's --build-snapshot, which reports what it wrote): the command prints
 * `text` on stdout and exits 0 without doing its work. Thrown (by parseFlags or a subcommand dispatch) so that every
 * command answers them the same way through runMain.
 */
export class InfoRequested extends Error {
  constructor(readonly text: string) {
    super('--help or --version');
  }
}

/** Throws InfoRequested when argv asks for help or the version (anywhere before a `--`), even beside a bad flag. */
export function answerInfoFlags(argv: readonly string[], commandName: string, help: () => string): void {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) throw new InfoRequested(help());
  if (flags.includes('--version')) throw new InfoRequested(`${commandName} (db_sentinel) ${VERSION}\n`);
}

/** The commands' flags: long only, a string value (`--flag VALUE` or `--flag=VALUE`) or a boolean. */
export type FlagOptions = Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;

export type FlagValues<T extends FlagOptions> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };

/**
 * What node:util's parseArgs does with `strict: true` for long flags, with its messages; written out because
 * parseArgs costs the cron commands 3.6M instructions at every run on Node 20, and on Node 18 node:util's module
 * 8.7M (bench/db_check.py: db_check's whole own work is ~20M).
 */
function parseLongFlags<T extends FlagOptions>(argv: readonly string[], options: T, allowPositionals: boolean):
  { values: FlagValues<T>; positionals: string[] } {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const known = (name: string) => Object.prototype.hasOwnProperty.call(options, name);
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') {
      const rest = arg === '--' ? argv.slice(index + 1) : [arg];
      const first = rest[0];
      if (!allowPositionals && first !== undefined) {
        throw new UsageError(`Unexpected argument '${first}'. This command does not take positional arguments`);
      }
      positionals.push(...rest);
      if (arg === '--') break;
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, equals === -1 ? undefined : equals) : '';
    if (name === '' || !known(name)) {
      const flag = equals === -1 ? arg : arg.slice(0, equals);
      throw new UsageError(`Unknown option '${flag}'${allowPositionals ? '. To specify a positional argument starting with a ' +
        `'-', place it at the end of the command after '--', as in '-- ${JSON.stringify(flag)}` : ''}`);
    }
    if (options[name]?.type === 'boolean') {
      if (equals !== -1) throw new UsageError(`Option '--${name}' does not take an argument`);
      values[name] = true;
      continue;
    }
    if (equals !== -1) {
      values[name] = arg.slice(equals + 1);
      continue;
    }
    const value = argv[index + 1];
    if (value === undefined) throw new UsageError(`Option '--${name} <value>' argument missing`);
    if (value.length > 1 && value.startsWith('-')) {
      throw new UsageError(`Option '--${name}' argument is ambiguous.\nDid you forget to specify the option argument for ` +
        `'--${name}'?\nTo specify an option argument starting with a dash use '--${name}=-XYZ'.`);
    }
    values[name] = value;
    index += 1;
  }
  return { values: values as FlagValues<T>, positionals };
}

/**
 * Parses flags; --help and --version are answered first (InfoRequested); unknown flags or missing values become a
 * UsageError that names them and shows the usage line.
 */
export function parseFlags<T extends FlagOptions>(argv: readonly string[], options: T, help: CommandHelp, allowPositionals = false) {
  answerInfoFlags(argv, help.command ?? help.usage.split(' ')[0] ?? '', () => renderHelp(help));
  try {
    return parseLongFlags(argv, options, allowPositionals);
  } catch (error: unknown) {
    throw new UsageError(`${errorMessage(error)}\nusage: ${help.usage}`, { cause: error });
  }
}

export function cpuCount(): number {
  // availableParallelism honours CPU affinity (a database pinned to some cores); it exists from Node 18.14.
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}

/**
 * The collection context on the host. The runner is the caller's choice: db_check passes its wave runner, the
 * others spawnCommand; tests pass fakes.
 */
export function buildContext<C extends CheckCommandConfig>(config: C, exec: CommandRunner, roots: FsRoots = HOST_ROOTS): CollectContext<C> {
  return { config, exec, roots, now: () => new Date(), cpuCount: cpuCount(), hostname: hostname() };
}

/** How runMain runs the command and ends the process. */
export interface MainOptions {
  /** Added to every exit code: a run started from a startup snapshot (SNAPSHOT_EXIT_OFFSET). */
  offset?: number;
  /**
   * Exit as soon as main is done (process.exit: the 'exit' event, not the teardown of Node's heap and environment).
   * For a command that leaves nothing pending once main has settled: db_check, whose teardown after forking its
   * tools re-faults ~500 pages of a Node 18 heap started from a snapshot.
   */
  atOnce?: boolean;
  /**
   * Called by `node --build-snapshot` once the bundle is evaluated, to call the Node functions a run calls: Node
   * compiles its own functions on first use, so a run compiles them anew each time unless the snapshot holds them.
   */
  warmSnapshot?: () => void;
}

/**
 * Runs a command's main function; an error that escapes is printed as one UNKNOWN line naming what was wrong and
 * the process exits 3 (a broken config or bad flag is not a host problem, but it must not look like OK).
 * --help and --version print their text on stdout and exit 0.
 */
export function runMain(commandName: string, main: () => Promise<number>, options: MainOptions = {}): void {
  const snapshotBuilds = globalThis as { [key: symbol]: StartupSnapshotApi | undefined };
  const snapshot = snapshotBuilds[Symbol.for(STARTUP_SNAPSHOT_KEY)];
  if (snapshot !== undefined) {
    // `node --build-snapshot` is evaluating the bundle (src/build-code-cache.ts): main runs in the processes that
    // start from the snapshot, with their own argv and environment, not now; they exit SNAPSHOT_EXIT_OFFSET + code.
    delete snapshotBuilds[Symbol.for(STARTUP_SNAPSHOT_KEY)];
    options.warmSnapshot?.();
    snapshot.setDeserializeMainFunction(() => runMain(commandName, main, { ...options, offset: SNAPSHOT_EXIT_OFFSET }));
    return;
  }
  const offset = options.offset ?? 0;
  const done = (code: number): void => {
    process.exitCode = offset + code;
    if (options.atOnce === true) process.exit();
  };
  main().then(
    (code) => {
      (globalThis as { [key: symbol]: boolean })[Symbol.for(COMPLETED_RUN_KEY)] = true;
      done(code);
    },
    (error: unknown) => {
      if (error instanceof InfoRequested) {
        process.stdout.write(error.text);
        done(0);
        return;
      }
      const kind = error instanceof ConfigError ? 'invalid configuration' : error instanceof UsageError ? 'usage' : 'error';
      process.stdout.write(`DB_SENTINEL UNKNOWN - ${commandName}: ${kind}: ${errorMessage(error)}\n`);
      done(EXIT_CODE.unknown);
    },
  );
}
