// The report `db_analyzer serve` leaves after every collection (<state_dir>/last-report.json, default
// /var/lib/db_sentinel/last-report.json, mode 0600, written atomically). The cron commands (db_textfile, db_beacon)
// on a host where the daemon runs read it instead of collecting again; without the daemon, or when its report is
// older than two collection intervals, they collect themselves.
import { join } from 'node:path';
import { errorMessage } from '../core/errors';
import { SCHEMA_VERSION, type Report } from '../core/report';
import { readOwnFile } from './own-file';

/**
 * The fresh report, or why there is none: `warn` when something is wrong with the file (unreadable, planted,
 * damaged) rather than absent or old, the normal states of a host without the daemon or of a stopped one.
 */
export type LastReport = { report: Report } | { reason: string; warn: boolean };

export function lastReportPath(stateDir: string): string {
  return join(stateDir, 'last-report.json');
}

/** Which of the report's fields a reader relies on; anything else is a report of another version or no report. */
export function parseLastReport(text: string, source: string): Report {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error: unknown) {
    throw new Error(`${source} is not JSON`, { cause: error });
  }
  const report = document as Partial<Report> | null;
  if (report === null || typeof report !== 'object' || Array.isArray(report)) throw new Error(`${source} holds no report object`);
  if (report.schema_version !== SCHEMA_VERSION) {
    throw new Error(`${source} has schema_version ${JSON.stringify(report.schema_version)}, this agent reads ${SCHEMA_VERSION}`);
  }
  if (typeof report.collected_at !== 'string' || Number.isNaN(Date.parse(report.collected_at))) {
    throw new Error(`${source} has no collected_at time`);
  }
  if (!Array.isArray(report.checks) || !Array.isArray(report.collectors)) throw new Error(`${source} has no checks or collectors`);
  return report as Report;
}

/**
 * Whether a report collected at `collectedAt` still stands for the host at `now`: collected within two of the
 * daemon's collection intervals (one missed cycle tolerated), and not in the future.
 */
export function isFresh(collectedAt: string, now: Date, intervalSeconds: number): boolean {
  const age = now.getTime() - Date.parse(collectedAt);
  return age >= -60_000 && age <= 2 * intervalSeconds * 1000;
}

/**
 * The daemon's last report when it is fresh, else why not (no file: no daemon here). A file that anybody but this
 * user (or root) owns, or that others may write, is refused (readOwnFile).
 */
export async function readFreshReport(file: string, intervalSeconds: number, now: Date): Promise<LastReport> {
  let text: string | undefined;
  try {
    text = await readOwnFile(file);
  } catch (error: unknown) {
    return { reason: errorMessage(error), warn: true };
  }
  if (text === undefined) return { reason: `no ${file} (no db_analyzer serve on this host)`, warn: false };
  let report: Report;
  try {
    report = parseLastReport(text, file);
  } catch (error: unknown) {
    return { reason: error instanceof Error ? error.message : String(error), warn: true };
  }
  if (!isFresh(report.collected_at, now, intervalSeconds)) {
    return { reason: `${file} was collected at ${report.collected_at}, more than two intervals (${2 * intervalSeconds} s) ago`,
      warn: false };
  }
  return { report };
}
