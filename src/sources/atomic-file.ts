// Replaces a file so that a reader sees the old content or the new, never a part: a temporary file in the same
// directory (same filesystem, so rename is atomic), flushed to disk, renamed over the target, directory synced.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DbSentinelError, errorMessage } from '../core/errors';

export class OutputError extends DbSentinelError {}

/**
 * The temporary name starts with a dot and ends in `.tmp`: node_exporter's textfile collector reads only `*.prom`,
 * so it never sees a half-written file.
 */
export function temporaryName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(target: string, content: string, mode = 0o644): Promise<void> {
  const temp = temporaryName(target);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error: unknown) {
    await rm(temp, { force: true });
    const code = (error as { code?: string }).code;
    throw new OutputError(`cannot write ${target}: ${code ?? errorMessage(error)}`, { cause: error });
  }
  // The rename is durable only once the directory entry is on disk.
  const directory = await open(dirname(target), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
