// The CommandRunner of every bundle (src/sources/exec.ts has the contract), on node:child_process alone: PATH plus
// the system directories, LC_ALL=C, a hard timeout, one typed CommandError naming the command (db_check through its
// wave runner, src/sources/wave.ts, for waves wider than one launcher). Not execa: loading it cost a cron run more
// CPU than the whole check (bench/db_check.py), and in serve its per-call work a quarter of the daemon's CPU
// (bench/agent-cpu.ts). The child gets its own process group so that a timeout kills what it started too (a wrapper
// script's `sleep`), and the answer does not wait for pipes a grandchild holds.
import type * as ChildProcess from 'node:child_process';
import { CommandError } from '../core/errors';
import { commandSearchPath, type CommandRunner } from './exec';

/** The environment of every command: this one with the C locale, PATH plus /usr/sbin:/sbin, and no colours. */
export function commandEnv(): NodeJS.ProcessEnv & { PATH: string } {
  return { ...process.env, LC_ALL: 'C', LANG: 'C', PATH: commandSearchPath(process.env.PATH), S_COLORS: 'never' };
}

/** A non-zero exit status that was not accepted, with the last line the command wrote on stderr. */
export function failedCommandError(command: string, args: readonly string[], exitCode: number, stderr: string): CommandError {
  const last = stderr.trim().split('\n').slice(-1)[0] ?? '';
  return new CommandError(command, 'exit_status',
    `${[command, ...args].join(' ')}: exited with status ${exitCode}${last ? `: ${last}` : ''}`);
}

export const spawnCommand: CommandRunner = (command, args, options) => new Promise((resolve, reject) => {
  const display = [command, ...args].join(' ');
  // Required here, not at the top: db_check's waves never load child_process (src/sources/wave.ts).
  const { spawn } = require('node:child_process') as typeof ChildProcess;
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: commandEnv() });
  let stdout = '';
  let stderr = '';
  let settled = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const finish = (outcome: () => void): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    outcome();
  };
  const timer = setTimeout(() => {
    finish(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch (error: unknown) {
        // ESRCH: the group ended on its own between the timer firing and the kill.
        if ((error as { code?: unknown }).code !== 'ESRCH') throw error;
      }
      child.stdout.destroy();
      child.stderr.destroy();
      reject(new CommandError(command, 'timeout', `${display}: no answer within ${options.timeoutMs} ms, stopped`));
    });
  }, options.timeoutMs);
  child.on('error', (error: NodeJS.ErrnoException) => {
    finish(() => {
      child.stdout.destroy();
      child.stderr.destroy();
      reject(error.code === 'ENOENT'
        ? new CommandError(command, 'not_found', `${command}: command not found in PATH`, { cause: error })
        : new CommandError(command, 'spawn', `${display}: could not be run`, { cause: error }));
    });
  });
  child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
    finish(() => {
      if (signal !== null) {
        reject(new CommandError(command, 'signal', `${display}: killed by ${signal}`));
        return;
      }
      const exitCode = code ?? 0;
      if (exitCode === 0 || options.acceptExitCodes?.includes(exitCode)) {
        resolve({ stdout, stderr, exitCode });
        return;
      }
      reject(failedCommandError(command, args, exitCode, stderr));
    });
  });
});
