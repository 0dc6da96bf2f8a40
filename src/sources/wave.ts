// db_check's command runner: the commands its collectors start in the same tick (vmstat and iostat over the sample
// interval, free, systemctl) run as one *wave* under one small launcher, /bin/sh, that Node starts with spawnSync.
//
// Why: what a Node process pays for its commands is mostly Node's own machinery, not the tools or the forks
// (bench/db_check.py, this 2-core VM: Node running the four tools with one child_process.spawn each costs 1.66x the
// CPU of the bash script doing all of db_check's work; the same tools under one launcher, 1.18x). Each spawn builds a
// ChildProcess and a net.Socket per pipe, and loads child_process with net, stream and dgram (~12M instructions);
// spawnSync's engine reads the pipes in C++ and builds nothing, and dash forks the tools from a 2 MB process.
// db_check has nothing else to do while its tools run, so blocking for the wave costs it nothing.
//
// How, and why this way:
// - Each tool's stdout and stderr are a pipe of their own (tool i: fds 2i+1 and 2i+2) and its exit status is a line
//   `i status` on fd 9, written by a subshell that waits for the tool: nothing to frame or parse out of the output.
//   dash redirects only single-digit fds, so a launcher holds at most four tools (db_check's widest wave); a wider
//   wave runs each command with spawnCommand instead (asynchronously, so that they still run at the same time).
// - No argument is ever part of the shell text: the text names only positional parameters ("${7}"), and the values
//   (tools' paths, arguments such as check.services units) are passed as parameters after it.
// - Tools are found in Node (PATH plus /usr/sbin:/sbin, as spawnCommand): a missing tool is not_found without
//   running anything or reading a shell's message, and the shell runs the absolute path (never a builtin).
// - Timeouts: the launcher is detached (its own process group). The wave is stopped at the longest timeout of its
//   commands: spawnSync kills the launcher and stops reading; Node then kills the launcher's process group, which
//   takes each unfinished tool and whatever it started. A command with no exit status by then is a timeout. Within a
//   wave a hanging command may so run until the wave's longest timeout (db_check: a hanging `free` is stopped with
//   vmstat's bound, sample + command_timeout_seconds, not command_timeout_seconds alone).
// A wave of one command (db_service's is-active after list-units, iostat's text form after a rejected -o JSON) is
// spawned directly and synchronously too: detached, so that its timeout (its own) kills its process group, as
// spawnCommand does, without loading child_process.
import type * as ChildProcess from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { CommandError } from '../core/errors';
import type { CommandResult, CommandRunner, RunOptions } from './exec';
import { commandEnv, failedCommandError, spawnCommand } from './spawn';

/** Four tools per launcher: stdout and stderr each on fds 1..8; fd 9 carries the exit statuses. */
export const MAX_WAVE = 4;
const STATUS_FD = 9;
const LAUNCHER = '/bin/sh';

/** What runWave needs of a synchronous spawn (child_process.spawnSync's result, errors as code and message). */
export interface SyncOutcome {
  pid: number;
  status: number | null;
  signal: string | null;
  output: readonly (Buffer | null)[];
  error?: { code: string; message: string };
}

/** A synchronous spawn of `file` with `args` (argv[1..]), detached, killed with SIGKILL after `timeoutMs`. */
export type SyncSpawn = (file: string, args: readonly string[], env: NodeJS.ProcessEnv, stdio: readonly ('pipe' | 'ignore')[],
  timeoutMs: number) => SyncOutcome;

/** child_process.spawnSync, loaded on first use. */
export const childProcessSpawnSync: SyncSpawn = (file, args, env, stdio, timeoutMs) => {
  const { spawnSync } = require('node:child_process') as typeof ChildProcess;
  const result = spawnSync(file, [...args], {
    stdio: [...stdio], env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: Infinity,
    // Not in spawnSync's typings, but passed on to libuv as for spawn (UV_PROCESS_DETACHED): a process group to kill.
    ...{ detached: true },
  });
  const error = result.error as NodeJS.ErrnoException | undefined;
  return {
    pid: result.pid, status: result.status, signal: result.signal, output: result.output ?? [],
    ...(error ? { error: { code: error.code ?? 'ERROR', message: error.message } } : {}),
  };
};

/** The name of an errno value (ETIMEDOUT), looked up only on failure: node:util's getSystemErrorName costs a module. */
function errnoName(errno: number): string {
  return Object.entries(osConstants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
}

interface SpawnSyncBinding {
  spawn(options: {
    file: string; args: string[]; envPairs: string[]; timeout: number; maxBuffer: number; killSignal: number;
    detached: boolean; windowsHide: boolean; windowsVerbatimArguments: boolean;
    stdio: ({ type: 'ignore' } | { type: 'pipe'; readable: boolean; writable: boolean })[];
  }): { pid: number; status: number | null; signal: string | null; output: (Buffer | null)[] | null; error?: number };
}

/**
 * The engine under child_process.spawnSync, called as spawnSync calls it (lib/child_process.js, Node 12 to 22):
 * the same spawn without loading the child_process module, whose graph (net, stream, dgram) db_check otherwise
 * never uses, ~12M instructions of its ~125M. Where the binding is not offered, child_process.spawnSync. (process.binding
 * is deprecated in documentation only; it warns only under --pending-deprecation, which cron does not set.)
 */
export function bindingSpawnSync(): SyncSpawn {
  // Only on the Node majors whose lib/child_process.js was read for this call shape: a binding called with options it
  // no longer expects may abort the process (a C++ CHECK), which no catch can turn into an UNKNOWN line.
  const major = Number(process.versions.node.split('.')[0]);
  if (!(major >= 18 && major <= 22)) return childProcessSpawnSync;
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  let engine: SpawnSyncBinding;
  try {
    engine = binding?.('spawn_sync') as SpawnSyncBinding;
  } catch (error: unknown) {
    // A Node that no longer hands out its bindings: the public function does the same.
    if (!(error instanceof Error)) throw error;
    return childProcessSpawnSync;
  }
  if (typeof engine?.spawn !== 'function') return childProcessSpawnSync;
  return (file, args, env, stdio, timeoutMs) => {
    const result = engine.spawn({
      file, args: [file, ...args], timeout: timeoutMs, maxBuffer: Infinity, killSignal: osConstants.signals.SIGKILL,
      envPairs: Object.entries(env).filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${value}`),
      detached: true, windowsHide: false, windowsVerbatimArguments: false,
      stdio: stdio.map((kind, fd) => (kind === 'ignore' ? { type: 'ignore' } : { type: 'pipe', readable: fd === 0, writable: fd !== 0 })),
    });
    const code = result.error === undefined || result.error === 0 ? undefined : errnoName(-result.error);
    return {
      pid: result.pid, status: result.status, signal: result.signal, output: result.output ?? [],
      ...(code ? { error: { code, message: `spawnSync ${file} ${code}` } } : {}),
    };
  };
}

interface Queued {
  command: string;
  args: readonly string[];
  options: RunOptions;
  resolve: (result: CommandResult) => void;
  reject: (error: unknown) => void;
}

interface Resolved extends Queued {
  path: string;
}

/** The executable a command name stands for (as execvp would find it), or null. */
export function resolveCommand(command: string, searchPath: string): string | null {
  const candidates = command.includes('/') ? [command] : searchPath.split(':').map((dir) => `${dir}/${command}`);
  for (const candidate of candidates) {
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile() !== true) continue;
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch (error: unknown) {
      // Not executable by us: execvp goes on to the next directory too.
      if ((error as { code?: unknown }).code !== 'EACCES') throw error;
    }
  }
  return null;
}

/**
 * The launcher's text for `count` commands whose words start at the given positional parameters (each command's
 * last word ends where the next one starts). Only numbers chosen here go into the text.
 */
export function launcherScript(firstWords: readonly number[], lastParameter: number): string {
  const pipeFds = Array.from({ length: 2 * firstWords.length - 2 }, (_, index) => index + 3);
  const lines = firstWords.map((first, index) => {
    const end = index + 1 < firstWords.length ? (firstWords[index + 1] as number) : lastParameter + 1;
    const words = Array.from({ length: end - first }, (_, offset) => `"\${${first + offset}}"`).join(' ');
    // The subshell keeps fd 9 for its status line; the tool gets only its own stdout and stderr.
    const own = index === 0 ? '' : ` >&${2 * index + 1} 2>&${2 * index + 2}`;
    const closed = pipeFds.map((fd) => ` ${fd}>&-`).join('');
    return `{ ${words} ${STATUS_FD}>&-; echo "${index} $?" >&${STATUS_FD}; }${own}${closed} &`;
  });
  return `${lines.join('\n')}\nwait\n`;
}

function display(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}

/** A signal's name from the shell's 128+n status, or null when n names none. */
function signalName(status: number): string | null {
  if (status <= 128) return null;
  const entry = Object.entries(osConstants.signals).find(([, number]) => number === status - 128);
  return entry === undefined ? null : entry[0];
}

function settleFromStatus(item: Resolved, status: number, stdout: string, stderr: string): void {
  if (status === 0 || item.options.acceptExitCodes?.includes(status)) {
    item.resolve({ stdout, stderr, exitCode: status });
    return;
  }
  // The shell reports a tool killed by signal n as 128+n (a tool exiting with such a status itself reads the same).
  const signal = signalName(status);
  item.reject(signal !== null
    ? new CommandError(item.command, 'signal', `${display(item.command, item.args)}: killed by ${signal}`)
    : failedCommandError(item.command, item.args, status, stderr));
}

function parseStatuses(text: string): Map<number, number> {
  const statuses = new Map<number, number>();
  for (const line of text.split('\n')) {
    const match = /^(\d) (\d+)$/.exec(line);
    if (match) statuses.set(Number(match[1]), Number(match[2]));
  }
  return statuses;
}

/** Kills the launcher's process group: what is left of the tools (and what they started) after a timeout. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error: unknown) {
    // ESRCH: nothing of the group is left.
    if ((error as { code?: unknown }).code !== 'ESRCH') throw error;
  }
}

function runWave(wave: readonly Resolved[], spawnSync: SyncSpawn): void {
  const parameters: string[] = [];
  const firstWords: number[] = [];
  for (const item of wave) {
    firstWords.push(parameters.length + 1);
    parameters.push(item.path, ...item.args);
  }
  const deadlineMs = Math.max(...wave.map((item) => item.options.timeoutMs));
  const stdio: ('pipe' | 'ignore')[] = ['ignore'];
  for (let fd = 1; fd < STATUS_FD; fd += 1) stdio.push(fd <= 2 * wave.length ? 'pipe' : 'ignore');
  stdio.push('pipe');
  const result = spawnSync(LAUNCHER, ['-c', launcherScript(firstWords, parameters.length), 'db_sentinel', ...parameters],
    commandEnv(), stdio, deadlineMs);
  const timedOut = result.error?.code === 'ETIMEDOUT';
  if (timedOut && result.pid > 0) killGroup(result.pid);
  const output = (fd: number): string => result.output[fd]?.toString('utf8') ?? '';
  const statuses = parseStatuses(output(STATUS_FD));
  wave.forEach((item, index) => {
    const status = statuses.get(index);
    if (status !== undefined) {
      settleFromStatus(item, status, output(2 * index + 1), output(2 * index + 2));
    } else if (timedOut) {
      item.reject(new CommandError(item.command, 'timeout',
        `${display(item.command, item.args)}: no answer within ${deadlineMs} ms, stopped`));
    } else {
      const launcher = result.error ? `could not run ${LAUNCHER}: ${result.error.message}`
        : `${LAUNCHER} ended (${result.signal ?? `status ${result.status}`}) without its exit status`;
      item.reject(new CommandError(item.command, 'spawn', `${display(item.command, item.args)}: ${launcher}`));
    }
  });
}

function runAlone(item: Resolved, spawnSync: SyncSpawn): void {
  const result = spawnSync(item.path, item.args, commandEnv(), ['ignore', 'pipe', 'pipe'], item.options.timeoutMs);
  const stdout = result.output[1]?.toString('utf8') ?? '';
  const stderr = result.output[2]?.toString('utf8') ?? '';
  if (result.error?.code === 'ETIMEDOUT') {
    if (result.pid > 0) killGroup(result.pid);
    item.reject(new CommandError(item.command, 'timeout',
      `${display(item.command, item.args)}: no answer within ${item.options.timeoutMs} ms, stopped`));
  } else if (result.error) {
    item.reject(new CommandError(item.command, 'spawn', `${display(item.command, item.args)}: could not be run: ${result.error.message}`));
  } else if (result.signal !== null) {
    item.reject(new CommandError(item.command, 'signal', `${display(item.command, item.args)}: killed by ${result.signal}`));
  } else {
    const status = result.status ?? 0;
    if (status === 0 || item.options.acceptExitCodes?.includes(status)) item.resolve({ stdout, stderr, exitCode: status });
    else item.reject(failedCommandError(item.command, item.args, status, stderr));
  }
}

function start(queued: readonly Queued[], spawnSync: SyncSpawn): void {
  const path = commandEnv().PATH;
  const wave: Resolved[] = [];
  for (const item of queued) {
    if ([item.command, ...item.args].some((word) => word.includes('\0'))) {
      item.reject(new CommandError(item.command, 'spawn', `${display(item.command, item.args)}: an argument holds a NUL byte`));
      continue;
    }
    const resolved = resolveCommand(item.command, path);
    if (resolved === null) {
      item.reject(new CommandError(item.command, 'not_found', `${item.command}: command not found in PATH`));
      continue;
    }
    wave.push({ ...item, path: resolved });
  }
  if (wave.length === 1) {
    runAlone(wave[0] as Resolved, spawnSync);
    return;
  }
  if (wave.length <= MAX_WAVE) {
    runWave(wave, spawnSync);
    return;
  }
  for (const item of wave) spawnCommand(item.command, item.args, item.options).then(item.resolve, item.reject);
}

/**
 * A CommandRunner with spawnCommand's contract (stdout, stderr, exit status, CommandError naming the command) that
 * runs the commands asked for in one tick of the event loop as one wave (see above).
 */
export function createWaveRunner(spawnSync: SyncSpawn = bindingSpawnSync()): CommandRunner {
  let pending: Queued[] = [];
  return (command, args, options) => new Promise<CommandResult>((resolve, reject) => {
    // The collectors ask for their commands as they start, one after the other in the same synchronous pass; the
    // wave leaves right after that pass.
    // (A promise reaction, not queueMicrotask: Node wraps that in an AsyncResource, and loads async_hooks for it.)
    if (pending.length === 0) void Promise.resolve().then(() => {
      const wave = pending;
      pending = [];
      start(wave, spawnSync);
    });
    pending.push({ command, args, options, resolve, reject });
  });
}
