// Writing a cron command's whole output with one write(2) on fd 1 instead of process.stdout: the first touch of
// process.stdout builds a stream for whatever fd 1 is (a net.Socket for cron's pipe, a SyncWriteStream for a file),
// ~8M instructions of db_check's run (bench/db_check.py --callgrind) to write a few lines once.
import { writeSync } from 'node:fs';

/** Writes all of `text` to stdout before returning; a non-blocking pipe that is full hands the rest to process.stdout. */
export function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written);
    } catch (error: unknown) {
      // EAGAIN: fd 1 is a non-blocking pipe (shared with a parent that set O_NONBLOCK) and full; the stream waits.
      if ((error as { code?: unknown }).code !== 'EAGAIN') throw error;
      process.stdout.write(bytes.subarray(written));
      return;
    }
  }
}
