// Reading a server log a piece at a time, across collection cycles: where the last cycle stopped (the file's inode
// and a byte offset) is kept by the caller, so each cycle reads only what was appended, at most `maxBytes`.
// A new inode at the path (logrotate moved the file away, the server reopened a new one) starts the new file from 0;
// a file shorter than the offset (copytruncate, FLUSH after truncation) starts from 0 too. The caller decides how
// much of the text was complete (advance()): a half-written last entry is read again next cycle.
import { open } from 'node:fs/promises';
import { DbSentinelError, errorMessage } from '../core/errors';

export interface LogPosition {
  inode: number;
  /** Bytes of the file already handled. */
  offset: number;
}

export interface LogIncrement {
  /** What was read from `start.offset`, decoded as UTF-8. */
  text: string;
  start: LogPosition;
  /** Why reading started over at 0: a new file at the path, or the old one cut shorter. */
  restarted: 'rotated' | 'truncated' | null;
  /** True when the file holds more after `text` (the next cycle continues). */
  more: boolean;
}

export class LogReadError extends DbSentinelError {
  constructor(readonly path: string, readonly code: string | null, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Reads what follows `previous` in `path`, at most `maxBytes`. Without a previous position, reading starts
 * `maxBytes` before the end (a log that has grown for years is not read from its first byte); the caller then finds
 * the first entry boundary (startsMidFile).
 */
export async function readLogIncrement(path: string, previous: LogPosition | null,
  maxBytes: number): Promise<LogIncrement & { startsMidFile: boolean }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    throw new LogReadError(path, code, `cannot open ${path}: ${errorMessage(error)}`, { cause: error });
  }
  try {
    const info = await handle.stat();
    let restarted: LogIncrement['restarted'] = null;
    let offset: number;
    let startsMidFile = false;
    if (previous === null) {
      offset = Math.max(0, info.size - maxBytes);
      startsMidFile = offset > 0;
    } else if (previous.inode !== info.ino) {
      restarted = 'rotated';
      offset = 0;
    } else if (info.size < previous.offset) {
      restarted = 'truncated';
      offset = 0;
    } else {
      offset = previous.offset;
    }
    const length = Math.min(info.size - offset, maxBytes);
    const buffer = Buffer.alloc(Math.max(length, 0));
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, offset + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return {
      text: buffer.subarray(0, read).toString('utf8'), start: { inode: info.ino, offset }, restarted,
      more: offset + read < info.size, startsMidFile,
    };
  } catch (error: unknown) {
    throw new LogReadError(path, (error as NodeJS.ErrnoException).code ?? null,
      `cannot read ${path}: ${errorMessage(error)}`, { cause: error });
  } finally {
    await handle.close();
  }
}

/** The position after the first `characters` of `increment.text` (byte-exact for multi-byte UTF-8). */
export function advance(increment: LogIncrement, characters: number): LogPosition {
  return { inode: increment.start.inode, offset: increment.start.offset + Buffer.byteLength(increment.text.slice(0, characters), 'utf8') };
}
