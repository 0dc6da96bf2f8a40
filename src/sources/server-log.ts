// Reads a PostgreSQL server log incrementally: where the last cycle stopped (device + inode + offset, kept by the
// caller in the state directory), through rotation (a glob that matches the rotated files: the rest of the old file
// first, then the newer ones) and truncation (same inode, smaller than the offset: from the start), at most
// `maxBytes` per cycle. Only complete records are handed over: a record cut mid-write waits for the next cycle
// (in the newest file only; an older file is no longer written). A first cycle without a position starts near the
// end of the newest file (its last `maxBytes`), not at the beginning of a log of months.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DbSentinelError } from '../core/errors';
import { completeLength, detectFormat, type LogFormat } from '../parsers/logs/postgres-records';

/** Where reading stopped. */
export interface LogPosition {
  path: string;
  dev: number;
  ino: number;
  offset: number;
}

export interface LogChunk {
  path: string;
  format: LogFormat;
  text: string;
}

export interface LogRead {
  chunks: LogChunk[];
  position: LogPosition | null;
  bytesRead: number;
  /** What happened to the files (truncated, gone). */
  notes: string[];
  /** Records passed over (larger than maxEntryBytes), each named by file and offset. */
  skipped: string[];
}

export interface LogReadOptions {
  /** A path or a glob (`*`, `?` in the file name part). */
  pattern: string;
  position: LogPosition | null;
  maxBytes: number;
  /** A single record larger than this is passed over (noted), so that it never stalls reading. */
  maxEntryBytes: number;
}

/** The log could not be read: `code` is the errno (EACCES, ENOENT …), for a problem with the remedy. */
export class ServerLogError extends DbSentinelError {
  readonly code: string | null;
  constructor(message: string, code: string | null, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const CHUNK_BYTES = 1 << 20;

function errnoOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

interface LogFile {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** The files the pattern names, oldest first (by modification time, then name). */
async function listFiles(pattern: string): Promise<LogFile[]> {
  const name = basename(pattern);
  let paths: string[];
  if (!/[*?]/.test(name)) {
    paths = [pattern];
  } else {
    const directory = dirname(pattern);
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error: unknown) {
      throw new ServerLogError(`server log: cannot list ${directory}: ${errnoOf(error) ?? String(error)}`,
        errnoOf(error), { cause: error });
    }
    const matcher = globToRegExp(name);
    paths = names.filter((entry) => matcher.test(entry)).map((entry) => join(directory, entry));
  }
  const files: LogFile[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      if (info.isFile()) files.push({ path, dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs });
    } catch (error: unknown) {
      throw new ServerLogError(`server log: cannot stat ${path}: ${errnoOf(error) ?? String(error)}`, errnoOf(error), { cause: error });
    }
  }
  if (files.length === 0) throw new ServerLogError(`server log: no file matches ${pattern}`, 'ENOENT');
  return files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
}

/** One cycle's reading. Errors (no such file, permission denied) are ServerLogErrors naming the file and errno. */
export async function readServerLog(options: LogReadOptions): Promise<LogRead> {
  const files = await listFiles(options.pattern);
  const notes: string[] = [];
  const skipped: string[] = [];
  const previous = options.position;
  let startIndex = files.length - 1;
  let startOffset: number;
  const known = previous === null ? -1 : files.findIndex((file) => file.dev === previous.dev && file.ino === previous.ino);
  const newest = files[files.length - 1] as LogFile;
  if (previous !== null && known >= 0) {
    startIndex = known;
    startOffset = previous.offset;
    const file = files[known] as LogFile;
    if (file.size < startOffset) {
      notes.push(`${file.path} was truncated (${file.size} bytes, read up to ${startOffset}): read from its start`);
      startOffset = 0;
    }
  } else {
    // First cycle, or the file we were reading is gone: the recent end of the newest file.
    if (previous !== null) notes.push(`${previous.path} (inode ${previous.ino}) is gone: reading on in ${newest.path}`);
    startOffset = previous === null ? Math.max(0, newest.size - options.maxBytes) : 0;
  }

  const chunks: LogChunk[] = [];
  let budget = options.maxBytes;
  let position: LogPosition | null = null;
  let bytesRead = 0;
  for (let index = startIndex; index < files.length; index += 1) {
    const file = files[index] as LogFile;
    const offset = index === startIndex ? startOffset : 0;
    const isNewest = index === files.length - 1;
    const align = index === startIndex && previous === null && offset > 0;
    const result = await readFileSpan(file, offset, budget, options.maxEntryBytes, !isNewest, align, skipped);
    bytesRead += result.bytesRead;
    budget -= result.bytesRead;
    if (result.text.length > 0) chunks.push({ path: file.path, format: result.format, text: result.text });
    position = { path: file.path, dev: file.dev, ino: file.ino, offset: result.endOffset };
    if (result.endOffset < file.size || budget <= 0) break; // stopped inside this file: go on there next cycle
  }
  return { chunks, position, bytesRead, notes, skipped };
}

interface Span {
  text: string;
  format: LogFormat;
  endOffset: number;
  bytesRead: number;
}

async function readFileSpan(file: LogFile, offset: number, budget: number, maxEntryBytes: number, finished: boolean,
  align: boolean, skipped: string[]): Promise<Span> {
  let handle;
  try {
    handle = await open(file.path, 'r');
  } catch (error: unknown) {
    throw new ServerLogError(`server log: cannot open ${file.path}: ${errnoOf(error) ?? String(error)}`, errnoOf(error), { cause: error });
  }
  try {
    const head = Buffer.alloc(Math.min(256, file.size));
    await handle.read(head, 0, head.length, 0);
    const format = detectFormat(file.path, head.toString('utf8'));
    const pieces: Buffer[] = [];
    let cursor = offset; // next byte to read
    let end = offset; // just past the last complete record taken
    let pending = Buffer.alloc(0); // an incomplete record, starting at `end`
    let aligned = !align;
    // Within the budget; past it only to finish the first record (a record larger than the budget still completes).
    while (cursor < file.size && (cursor - offset < budget || (pieces.length === 0 && pending.length > 0))) {
      const left = budget - (cursor - offset);
      const buffer = Buffer.alloc(Math.min(left > 0 ? Math.min(CHUNK_BYTES, left) : CHUNK_BYTES, file.size - cursor));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, cursor);
      if (bytesRead === 0) break;
      cursor += bytesRead;
      let data = Buffer.concat([pending, buffer.subarray(0, bytesRead)]);
      if (!aligned) {
        // Started in the middle of the file: whole records begin after the first newline.
        const newline = data.indexOf(0x0a);
        if (newline < 0) {
          pending = Buffer.alloc(0);
          end = cursor;
          continue;
        }
        end += newline + 1;
        data = data.subarray(newline + 1);
        aligned = true;
      }
      const complete = completeLength(data, format);
      if (complete > 0) pieces.push(data.subarray(0, complete));
      end += complete;
      pending = data.subarray(complete);
      if (pending.length > maxEntryBytes) {
        // One record larger than the limit: pass over it to its end, never holding it all.
        skipped.push(`${file.path}: a record of more than ${maxEntryBytes} bytes at offset ${end} was passed over `
          + '(server_log_max_entry_bytes)');
        const skippedTo = await skipRecord(handle, cursor, file.size);
        end = skippedTo ?? file.size;
        cursor = end;
        pending = Buffer.alloc(0);
      }
    }
    if (finished && pending.length > 0) {
      // A file that is no longer written ends where it ends.
      pieces.push(pending);
      end += pending.length;
    }
    return { text: Buffer.concat(pieces).toString('utf8'), format, endOffset: end, bytesRead: cursor - offset };
  } finally {
    await handle.close();
  }
}

/** Reads from `from` to the next newline without keeping the bytes: the offset just past it, null at end of file. */
async function skipRecord(handle: Awaited<ReturnType<typeof open>>, from: number, size: number): Promise<number | null> {
  let position = from;
  const buffer = Buffer.alloc(CHUNK_BYTES);
  while (position < size) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - position), position);
    if (bytesRead === 0) break;
    const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
    if (newline >= 0) return position + newline + 1;
    position += bytesRead;
  }
  return null;
}
