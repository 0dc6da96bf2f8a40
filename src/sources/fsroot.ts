// Reads files under replaceable /proc and /sys roots (as prometheus/procfs does), so a fixture tree can stand in
// for the host in tests and in `--proc-root` / `--sys-root`.
// fs.promises, reached through fs, loads on first use: db_check imports this module but reads no /proc file.
import { promises as fsPromises } from 'node:fs';
import { join } from 'node:path';

export interface FsRoots {
  proc: string;
  sys: string;
}

export const HOST_ROOTS: FsRoots = { proc: '/proc', sys: '/sys' };

export function readProcFile(roots: FsRoots, relative: string): Promise<string> {
  return fsPromises.readFile(join(roots.proc, relative), 'utf8');
}

export function readSysFile(roots: FsRoots, relative: string): Promise<string> {
  return fsPromises.readFile(join(roots.sys, relative), 'utf8');
}

export function listSysDir(roots: FsRoots, relative: string): Promise<string[]> {
  return fsPromises.readdir(join(roots.sys, relative));
}

/** True for "no such file" errors, which collectors treat as "absent" rather than as failures. */
export function isMissingFile(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
