// The run lock of db_check: cron starts a run every interval, and a run that overlaps the previous one (a hung
// tool, a very slow host) must not pile up. The lock is a file created exclusively (O_CREAT|O_EXCL) holding the
// owner's pid and start time; a second run finds it and gives up at once (the caller reports UNKNOWN "previous
// run still running"). A lock whose owner is gone (killed -9, host crash) or that is older than `staleAfterMs`
// (pid reused by another program) is stale and taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { DbSentinelError, errorMessage } from '../core/errors';

export class LockError extends DbSentinelError {}

export interface LockOwner {
  pid: number;
  started_at: string;
}

export type LockAttempt =
  | { acquired: true; release: () => void }
  | { acquired: false; owner: LockOwner };

export interface LockOptions {
  staleAfterMs: number;
  now?: () => Date;
  pid?: number;
  isAlive?: (pid: number) => boolean;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** The owner written in the lock file; null when the content is unreadable; throws ENOENT when it is gone. */
function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.started_at === 'string') return { pid: owner.pid, started_at: owner.started_at };
    return null;
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === 'ENOENT') throw error;
    // Unreadable content (a crash between create and write): treated as stale below.
    return null;
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === 'EEXIST') return false;
    throw new LockError(`lock file ${path}: cannot create it: ${errorMessage(error)}`, { cause: error });
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

export function acquireLock(path: string, options: LockOptions): LockAttempt {
  const now = options.now ?? (() => new Date());
  const isAlive = options.isAlive ?? processAlive;
  const me: LockOwner = { pid: options.pid ?? process.pid, started_at: now().toISOString() };
  const release = (): void => {
    try {
      if (readOwner(path)?.pid === me.pid) unlinkSync(path);
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    }
  };
  // Two attempts: the second after removing a stale lock. Losing the race for it to another run means that run owns it.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (tryCreate(path, me)) return { acquired: true, release };
    let owner: LockOwner | null;
    try {
      owner = readOwner(path);
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code === 'ENOENT') continue; // released between our create and read
      throw error;
    }
    const age = owner ? now().getTime() - Date.parse(owner.started_at) : Number.POSITIVE_INFINITY;
    if (owner && isAlive(owner.pid) && age < options.staleAfterMs) return { acquired: false, owner };
    try {
      unlinkSync(path);
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code !== 'ENOENT') {
        throw new LockError(`lock file ${path}: cannot remove the stale lock: ${errorMessage(error)}`, { cause: error });
      }
    }
  }
  // Another run took the stale lock over between our two attempts.
  let owner: LockOwner | null = null;
  try {
    owner = readOwner(path);
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  return { acquired: false, owner: owner ?? { pid: 0, started_at: 'unknown' } };
}
