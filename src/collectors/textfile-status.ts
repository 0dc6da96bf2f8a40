// The `textfile` check: whether db_textfile could write db_sentinel.prom for node_exporter. db_textfile (or serve with
// server.textfile, after each collection) records each run's outcome in textfile.status_file; a host where the
// textfile path is not in use has no such file and no check.
// A failed write is critical (node_exporter serves nothing of db_sentinel, or an old file), a last write older than
// STALE_AFTER_MS a warning (the cron job stopped). The check reaches /report, /metrics and the beacon like any other.
import { readFile } from 'node:fs/promises';
import type { Collector } from './collector';
import { errorMessage, ParseError } from '../core/errors';
import type { CheckResult } from '../core/report';

/** db_textfile runs every minute from cron: fifteen missed runs is a stopped job. */
export const STALE_AFTER_MS = 15 * 60_000;

export interface TextfileStatus {
  /** When db_textfile finished (ISO 8601). */
  at: string;
  /** The file written, or null when the write failed. */
  file: string | null;
  /** Why the write failed; null on success. */
  error: string | null;
}

export function parseTextfileStatus(text: string, source: string): TextfileStatus {
  let status: Partial<TextfileStatus>;
  try {
    status = JSON.parse(text) as Partial<TextfileStatus>;
  } catch (error: unknown) {
    throw new ParseError(`${source} is not JSON: ${errorMessage(error)}`, { cause: error });
  }
  if (typeof status !== 'object' || status === null || typeof status.at !== 'string' || Number.isNaN(Date.parse(status.at)) ||
    !(typeof status.error === 'string' || status.error === null) || !(typeof status.file === 'string' || status.file === null)) {
    throw new ParseError(`${source} is not a db_textfile status ({at, file, error})`);
  }
  return status as TextfileStatus;
}

export function textfileCheck(status: TextfileStatus, now: Date): CheckResult {
  const ageMs = now.getTime() - Date.parse(status.at);
  if (status.error !== null) {
    return { name: 'textfile', status: 'critical', value: 1, unit: '',
      message: `db_textfile cannot write the textfile (${status.at}): ${status.error}` };
  }
  if (ageMs > STALE_AFTER_MS) {
    return { name: 'textfile', status: 'warning', value: Math.round(ageMs / 1000), unit: 's',
      message: `db_textfile last wrote ${status.file ?? 'the textfile'} at ${status.at}, `
        + `${Math.round(ageMs / 60_000)} minutes ago `
        + "(is its writer running: db_analyzer serve where the daemon runs, else db_textfile's cron job?)" };
  }
  return { name: 'textfile', status: 'ok', value: 0, unit: '',
    message: `db_textfile wrote ${status.file ?? 'the textfile'} at ${status.at}` };
}

export const textfileStatusCollector: Collector = {
  name: 'textfile_status',
  checks: ['textfile'],
  async collect(context) {
    const file = context.config.textfile.status_file;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error: unknown) {
      if ((error as { code?: string }).code === 'ENOENT') return { checks: [] };
      throw new ParseError(`cannot read ${file}: ${(error as { code?: string }).code ?? errorMessage(error)}`, { cause: error });
    }
    return { checks: [textfileCheck(parseTextfileStatus(text, file), context.now())] };
  },
};
