// The analyzer's last report as `db_analyzer serve` leaves it on disk each cycle, read by the cron commands that
// would otherwise collect the same report again. Only a fresh one is used: collected within two of serve's intervals
// (a stopped or stalled serve leaves an old file, and the caller then collects itself).
import { readFile } from 'node:fs/promises';
import { errorMessage, ParseError } from '../core/errors';
import type { Report } from '../core/report';

/** The report in `file` when it was collected at most `maxAgeMs` before `now`; null when absent or stale. */
export async function readFreshReport(file: string, maxAgeMs: number, now: Date): Promise<Report | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw new ParseError(`cannot read the last report ${file}: ${(error as { code?: string }).code ?? errorMessage(error)}`, { cause: error });
  }
  return parseFreshReport(text, file, maxAgeMs, now);
}

export function parseFreshReport(text: string, file: string, maxAgeMs: number, now: Date): Report | null {
  let report: Partial<Report>;
  try {
    report = JSON.parse(text) as Partial<Report>;
  } catch (error: unknown) {
    throw new ParseError(`the last report ${file} is not JSON: ${errorMessage(error)}`, { cause: error });
  }
  if (typeof report !== 'object' || report === null || !Array.isArray(report.checks) || typeof report.collected_at !== 'string') {
    throw new ParseError(`the last report ${file} is not a db_sentinel report (no checks or collected_at)`);
  }
  const age = now.getTime() - Date.parse(report.collected_at);
  return Number.isFinite(age) && age >= 0 && age <= maxAgeMs ? report as Report : null;
}
