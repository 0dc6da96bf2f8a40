// Helpers the database collectors share: running one section of a collection so that its failure becomes a named
// problem instead of sinking the database's report, and reading numbers from driver rows (numeric, DECIMAL
// strings, BIGINT strings).
import { createHash } from 'node:crypto';
import { errorMessage, ParseError } from '../../core/errors';
import type { Problem, RunningQuery, SlowQuery } from '../../core/report';
import { isPermissionDenied, QueryError } from '../../sources/sql';

export interface SlowQueryLimits {
  /** How many statements each top list holds. */
  limit: number;
  /** The floor on calls of the mean-time ranking. */
  min_calls: number;
}

export function problemFromError(section: string, error: unknown): Problem {
  if (error instanceof QueryError) {
    if (error.timedOut) return { code: 'statement_timeout', message: `${section}: no answer within the statement timeout: ${error.message}`, remedy: 'look for locks or load on the server; raise statement_timeout_seconds of this database if the server is just slow' };
    if (isPermissionDenied(error)) return { code: 'permission_denied', message: `${section}: ${error.message}` };
  }
  return { code: 'query_failed', message: `${section}: ${errorMessage(error)}` };
}

/** Runs one section; on failure records a problem naming it and returns undefined. */
export async function attempt<T>(problems: Problem[], section: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error: unknown) {
    problems.push(problemFromError(section, error));
    return undefined;
  }
}

/** A number from a driver value (number, numeric string, bigint); null/undefined count as 0. */
export function numberOf(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return numberOrNull(value) as number;
}

/**
 * The longest running statement or transaction: SQL NULL (none running besides ours) is a longest time of 0, so a
 * quiet database still has the series; but when other sessions are hidden from this account (no PROCESS, no
 * pg_read_all_stats) nothing visible running proves nothing, and the value stays unknown (null).
 */
export function longestSeconds(value: unknown, seesEverySession: boolean): number | null {
  return numberOrNull(value) ?? (seesEverySession ? 0 : null);
}

/** A number from a driver value, null for SQL NULL; anything else that is not numeric is a ParseError. */
export function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new ParseError(`expected a number from the database, got ${JSON.stringify(String(value))}`);
  return number;
}

/** Without statement statistics: the statements running now, grouped by text, ranked by how long they have run
 * (mean and total views); each text is its own literal sample. */
export function rankRunningQueries(running: readonly RunningQuery[], source: string): { byMean: SlowQuery[]; byTotal: SlowQuery[] } {
  const groups = new Map<string, RunningQuery[]>();
  for (const entry of running) {
    if (entry.query === '' || entry.query === '<insufficient privilege>') continue;
    groups.set(entry.query, [...(groups.get(entry.query) ?? []), entry]);
  }
  const ranked = [...groups.entries()].map(([text, entries]) => {
    const durations = entries.map((entry) => entry.duration_seconds * 1000);
    const total = durations.reduce((sum, value) => sum + value, 0);
    return {
      id: createHash('sha1').update(text).digest('hex').slice(0, 16), query: text, calls: entries.length,
      mean_ms: total / entries.length, total_ms: total, max_ms: Math.max(...durations), rows: 0, sample: text,
      sample_source: source, database: entries[0]?.database ?? null, user: entries[0]?.user ?? null,
    };
  });
  return {
    byMean: [...ranked].sort((a, b) => b.mean_ms - a.mean_ms).map((item, index) => ({ rank: index + 1, ...item })),
    byTotal: [...ranked].sort((a, b) => b.total_ms - a.total_ms).map((item, index) => ({ rank: index + 1, ...item })),
  };
}
