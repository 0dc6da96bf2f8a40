// Writing a cron command's whole output with one write(2) on fd 1 instead of process.stdout: the first touch of
// process.stdout builds a stream for whatever fd 1 is (a net.Socket for cron's pipe, a SyncWriteStream for a file),
// ~8M instructions of db_check's run (bench/db_check.py --callgrind) to write a few lines once.
import { writeSync } from 'node:fs';

/** Writes all of `text` to stdout before returning; a non-blocking pipe that is full hands the rest to process.stdout. */
export function writeStdout(text: string): void {
  let rest: Buffer | undefined;
  try {
    // One write for the whole text is the rule; a pipe may take less, and the rest is written from its bytes.
    const written = writeSync(1, text);
    if (written === Buffer.byteLength(text)) return;
    rest = Buffer.from(text, 'utf8').subarray(written);
    while (rest.length > 0) rest = rest.subarray(writeSync(1, rest));
  } catch (error: unknown) {
    // EAGAIN: fd 1 is a non-blocking pipe (shared with a parent that set O_NONBLOCK) and full; the stream waits.
    if ((error as { code?: unknown }).code !== 'EAGAIN') throw error;
    process.stdout.write(rest ?? text);
  }
}
