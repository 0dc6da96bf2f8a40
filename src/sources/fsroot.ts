// Reads files under replaceable /proc and /sys roots (as prometheus/procfs does), so a fixture tree can stand in
// for the host in tests and in `--proc-root` / `--sys-root`.
// Read synchronously: /proc and /sys files are made by the kernel on read and never wait for a disk, and the daemon
// reads dozens a cycle, each of which cost fs.promises four round trips through the thread pool (open, fstat, read,
// close) and a FileHandle (bench/agent-cpu.ts). Still a Promise to callers, so a failure is a rejection as before.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FsRoots {
  proc: string;
  sys: string;
}

export const HOST_ROOTS: FsRoots = { proc: '/proc', sys: '/sys' };

export async function readProcFile(roots: FsRoots, relative: string): Promise<string> {
  return readFileSync(join(roots.proc, relative), 'utf8');
}

export async function readSysFile(roots: FsRoots, relative: string): Promise<string> {
  return readFileSync(join(roots.sys, relative), 'utf8');
}

export async function listSysDir(roots: FsRoots, relative: string): Promise<string[]> {
  return readdirSync(join(roots.sys, relative));
}

/** True for "no such file" errors, which collectors treat as "absent" rather than as failures. */
export function isMissingFile(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
