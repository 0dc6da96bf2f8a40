// What the embedded servers share (the demo's PostgreSQL, and the test harnesses' servers that import this): free
// loopback ports, temporary directories owned by a service user, waiting,
// and a last-resort cleanup when the process exits without calling stop().
import { execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A free TCP port on 127.0.0.1 (bound on port 0 and released; callers retry if another process takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: no port number from the loopback listener'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** Looks up a system user (postgres, mysql) via getent; the servers refuse to run as root. */
export function systemUser(name: string): SystemUser {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
  } catch (error: unknown) {
    throw new Error(`harness: system user ${name} does not exist (install the server package or create it)`, { cause: error });
  }
  const fields = line.split(':');
  return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** A mkdtemp directory under os.tmpdir(), owned by `owner` so that a server dropping root can write in it. */
export function ownedTempDir(prefix: string, owner: SystemUser): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chownSync(dir, owner.uid, owner.gid);
  return dir;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns something other than undefined: for a state a server reaches (a session waiting
 * on a lock, a statement running for a while), however slowly a loaded machine gets there. `limitMs` is no margin:
 * it only turns a state that never comes into a failure naming `what`, instead of a test that hangs.
 */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, limitMs = 120_000, pollMs = 50): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > limitMs) throw new Error(`harness: ${what} did not happen within ${limitMs / 1000} s`);
    await sleep(pollMs);
  }
}

/** Waits for a child to exit; kills it with SIGKILL after `graceMs`. Resolves once it is gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }
  await drainOutput(child);
}

/**
 * A server's last lines (PostgreSQL's "database system is shut down") can still be in its pipes after 'exit': waits
 * for 'close' so that every output handler has run before the caller removes the directory they write into, then
 * destroys the pipes, since a grandchild that inherited them (and outlived its parent) may hold them open.
 */
async function drainOutput(child: ChildProcess): Promise<void> {
  const pipes = [child.stdout, child.stderr].filter((pipe): pipe is Readable => pipe !== null && !pipe.destroyed);
  await Promise.all(pipes.map((pipe) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5000);
    pipe.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  })));
  for (const pipe of pipes) pipe.destroy();
}

// Servers and directories still alive when the process exits (a test that crashed before `after`, or the runner
// stopping the file with SIGTERM/SIGINT): their whole process group is killed and the directory removed
// synchronously, so that nothing outlives the test file. Servers are spawned detached, as group leaders.
const leftovers = new Map<string, { child: ChildProcess | null; dir: string }>();
let exitHookInstalled = false;

function cleanUpLeftovers(): void {
  for (const { child, dir } of leftovers.values()) {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (error: unknown) {
        // ESRCH: the group is already gone; anything else is reported, cleanup goes on.
        if ((error as { code?: unknown }).code !== 'ESRCH') process.stderr.write(`harness: cannot kill ${child.pid}: ${String(error)}\n`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  leftovers.clear();
}

export function trackForExit(key: string, child: ChildProcess | null, dir: string): void {
  leftovers.set(key, { child, dir });
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', cleanUpLeftovers);
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    // Prepended, so it runs before every other listener and sees them all (once-listeners are removed as they run).
    process.prependListener(signal, () => {
      // A program with its own handler (the demo's clean Ctrl-C stop) decides; the exit hook still cleans up.
      if (process.listenerCount(signal) > 1) return;
      cleanUpLeftovers();
      process.exit(code);
    });
  }
}

export function untrack(key: string): void {
  leftovers.delete(key);
}

/** Removes a server's directory and forgets it: a server that did not start, or one that was stopped. */
export function removeTracked(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  untrack(dir);
}

/**
 * A server's stop(): the first call stops `child` (`signal`, SIGKILL after `graceMs`) and removes `dir`; every later
 * call gets the same promise.
 */
export function stopOnce(child: ChildProcess, signal: NodeJS.Signals, graceMs: number, dir: string): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= stopChild(child, signal, graceMs).then(() => removeTracked(dir));
    return stopping;
  };
}
