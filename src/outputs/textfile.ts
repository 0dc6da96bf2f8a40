// The node_exporter textfile view: the report's metrics written to DIR/db_sentinel.prom atomically, without
// sample timestamps (node_exporter refuses files that carry them).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/errors';
import type { TextfileStatus } from '../collectors/textfile-status';
import { OutputError, writeFileAtomic } from '../sources/atomic-file';

export const TEXTFILE_NAME = 'db_sentinel.prom';

export async function writeTextfile(dir: string, metrics: string): Promise<string> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new OutputError(`textfile directory ${dir} is not a directory`);
  } catch (error: unknown) {
    if (error instanceof OutputError) throw error;
    throw new OutputError(`textfile directory ${dir} cannot be used: ${(error as { code?: string }).code ?? errorMessage(error)}`,
      { cause: error });
  }
  // A line with a third field is a timestamp; the Prometheus view never writes one, and this keeps it so.
  if (/^[a-zA-Z_:][\w:]*(?:\{.*\})? \S+ \S+$/m.test(metrics)) throw new OutputError('refusing to write samples with timestamps');
  const target = join(dir, TEXTFILE_NAME);
  await writeFileAtomic(target, metrics);
  return target;
}

/** Records a db_textfile run's outcome for the report's `textfile` check (textfile.status_file). */
export function writeTextfileStatus(file: string, status: TextfileStatus): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(status)}\n`);
}

/**
 * Writes the textfile and records the outcome in `statusFile` for the report's `textfile` check: db_textfile when it
 * collected, serve after each collection (server.textfile). A failed write is recorded, then raised; a status that
 * cannot be written is passed to `warn` (the textfile itself was written).
 */
export async function writeTextfileRecorded(dir: string, statusFile: string, metrics: string,
  warn: (problem: unknown) => void): Promise<string> {
  const at = new Date().toISOString();
  try {
    const file = await writeTextfile(dir, metrics);
    await writeTextfileStatus(statusFile, { at, file, error: null }).catch(warn);
    return file;
  } catch (error: unknown) {
    await writeTextfileStatus(statusFile, { at, file: null, error: errorMessage(error) }).catch(warn);
    throw error;
  }
}
