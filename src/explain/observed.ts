// Executions observed in the server log, per statement: the worst auto_explain plan within explain.observed_ttl_seconds,
// and the worst timed statement with its parameter values (a literal sample for the statements auto_explain did not
// cover). Pure: the store is a value that the log stage (server-log.ts) loads, feeds and saves with the read position.
// Entries are keyed by query id where the log has one, else by the fingerprint of the text (pg-fingerprint.ts), and
// matched to pg_stat_statements rows by either.
import type { PlanReport, SlowQuery } from '../core/report';
import type { ExplainEntry, LogEntry, StatementEntry } from '../parsers/logs/postgres-entries';
import { parsePostgresPlan } from '../parsers/plans/postgres';
import { evaluatePostgresPlan, summarizeFindings } from '../plans/registry';
import { walkTree } from '../parsers/sql/tree';
import { parsePostgres } from '../parsers/sql/postgres';
import { fingerprintPostgres } from '../parsers/sql/pg-fingerprint';

/** One logged execution of a statement: how it is matched, how long it took, until when it stands. */
interface ObservedExecution {
  queryId: string | null;
  fingerprint: string | null;
  database: string | null;
  durationMs: number;
  capturedAt: string;
  expiresAt: number;
}

export interface ObservedPlan extends ObservedExecution {
  plan: Record<string, unknown>;
  parameters: string | null;
}

export interface ObservedSample extends ObservedExecution {
  /** The statement with its logged parameter values in place of $n: runnable as it is. */
  text: string;
}

export interface ObservedStore {
  plans: ObservedPlan[];
  samples: ObservedSample[];
}

/** How many statements the store remembers (the worst by duration stay), and how many bytes of plans: bounds the
 * state file and memory whatever the plans' size. */
export const OBSERVED_LIMIT = 200;
export const OBSERVED_PLAN_BYTES = 32 * 1024 * 1024;

export function emptyStore(): ObservedStore {
  return { plans: [], samples: [] };
}

/** "2026-11-30 11:42:33.123 UTC" (or +01 / +05:30) → ISO 8601; null for a zone name we cannot place. */
export function logTimestampToIso(timestamp: string | null): string | null {
  if (timestamp === null) return null;
  const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?: (UTC|GMT|[+-]\d\d(?::?\d\d)?))?$/.exec(timestamp);
  if (match === null) return null;
  const zone = match[3] === undefined || match[3] === 'UTC' || match[3] === 'GMT' ? 'Z'
    : match[3].length === 3 ? `${match[3]}:00` : match[3].includes(':') ? match[3] : `${match[3].slice(0, 3)}:${match[3].slice(3)}`;
  const date = new Date(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function fingerprintOrNull(text: string): string | null {
  try {
    return fingerprintPostgres(text);
  } catch (error: unknown) {
    if (error instanceof Error && /not loaded/i.test(error.message)) throw error;
    return null; // text the parser rejects (cut, or not SQL): matched by query id only
  }
}

/**
 * `text` with each $n replaced by its logged literal (byte positions from the parser). Null when a parameter has no
 * value, or a value was cut at log_parameter_max_length (ends in "…'"): an incomplete sample is no sample.
 */
export function bindParameters(text: string, parameters: ReadonlyMap<number, string>): string | null {
  const places: Array<{ at: number; number: number }> = [];
  walkTree(parsePostgres(text), (node, key) => {
    if (key === 'ParamRef' && typeof node.number === 'number' && typeof node.location === 'number') places.push({
      at: node.location, number: node.number,
    });
  });
  if (places.length === 0) return text;
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let from = 0;
  for (const place of places.sort((a, b) => a.at - b.at)) {
    const value = parameters.get(place.number);
    if (value === undefined || value.endsWith("…'")) return null;
    const token = `$${place.number}`;
    if (bytes.subarray(place.at, place.at + token.length).toString('utf8') !== token) return null;
    out += bytes.subarray(from, place.at).toString('utf8') + value;
    from = place.at + token.length;
  }
  return out + bytes.subarray(from).toString('utf8');
}

function sameStatement(a: { queryId: string | null; fingerprint: string | null; database: string | null },
  b: { queryId: string | null; fingerprint: string | null; database: string | null }): boolean {
  if (a.database !== null && b.database !== null && a.database !== b.database) return false;
  if (a.queryId !== null && b.queryId !== null) return a.queryId === b.queryId;
  return a.fingerprint !== null && a.fingerprint === b.fingerprint;
}

/** Keeps the worse of an existing unexpired entry and a new one: a longer execution wins, an expired one loses. */
function keepWorst<T extends ObservedExecution>(
  list: T[], entry: T, nowMs: number): void {
  const index = list.findIndex((item) => sameStatement(item, entry));
  if (index < 0) list.push(entry);
  else if ((list[index] as T).expiresAt <= nowMs || (list[index] as T).durationMs < entry.durationMs) list[index] = entry;
}

function prune<T extends ObservedExecution>(list: T[], nowMs: number): T[] {
  return list.filter((item) => item.expiresAt > nowMs).sort((a, b) => b.durationMs - a.durationMs).slice(0, OBSERVED_LIMIT);
}

/** The store with the entries of one cycle added (the parser must be loaded: texts are fingerprinted). */
export function ingestEntries(store: ObservedStore, entries: readonly LogEntry[], nowMs: number, ttlSeconds: number): ObservedStore {
  const plans = [...store.plans];
  const samples = [...store.samples];
  const expiresAt = nowMs + ttlSeconds * 1000;
  const readAt = new Date(nowMs).toISOString();
  for (const entry of entries) {
    const capturedAt = logTimestampToIso(entry.timestamp) ?? readAt;
    if (entry.kind === 'plan') keepWorst(plans, observedPlan(entry, capturedAt, expiresAt), nowMs);
    else {
      const sample = observedSample(entry, capturedAt, expiresAt);
      if (sample !== null) keepWorst(samples, sample, nowMs);
    }
  }
  let planBytes = 0;
  const kept = prune(plans, nowMs).filter((plan) => {
    planBytes += JSON.stringify(plan.plan).length;
    return planBytes <= OBSERVED_PLAN_BYTES;
  });
  return { plans: kept, samples: prune(samples, nowMs) };
}

function observedPlan(entry: ExplainEntry, capturedAt: string, expiresAt: number): ObservedPlan {
  return {
    queryId: entry.queryId, fingerprint: entry.queryText === '' ? null : fingerprintOrNull(entry.queryText), database: entry.database,
    durationMs: entry.durationMs, capturedAt, expiresAt, plan: entry.plan, parameters: entry.parameters,
  };
}

function observedSample(entry: StatementEntry, capturedAt: string, expiresAt: number): ObservedSample | null {
  const fingerprint = fingerprintOrNull(entry.text);
  if (fingerprint === null) return null; // not one statement the parser reads: no runnable sample
  let text: string | null;
  try {
    text = bindParameters(entry.text, entry.parameters);
  } catch (error: unknown) {
    if (error instanceof Error && /not loaded/i.test(error.message)) throw error;
    text = null;
  }
  if (text === null) return null;
  return { queryId: entry.queryId, fingerprint, database: entry.database, durationMs: entry.durationMs, capturedAt, expiresAt, text };
}

/** A pg_stat_statements row's key: its id, and the fingerprint of its normalized text. */
function rowKey(query: SlowQuery): { queryId: string; fingerprint: string | null; database: string | null } {
  return { queryId: query.id, fingerprint: fingerprintOrNull(query.query), database: query.database ?? null };
}

/** Matching by id when both sides have one; by fingerprint when the log side has no id (PostgreSQL 13). */
function matches(
  row: ReturnType<typeof rowKey>, entry: { queryId: string | null; fingerprint: string | null; database: string | null },
): boolean {
  if (row.database !== null && entry.database !== null && row.database !== entry.database) return false;
  if (entry.queryId !== null) return entry.queryId === row.queryId;
  return entry.fingerprint !== null && entry.fingerprint === row.fingerprint;
}

export function findObservedPlan(store: ObservedStore, query: SlowQuery, nowMs: number): ObservedPlan | null {
  const key = rowKey(query);
  return store.plans.find((plan) => plan.expiresAt > nowMs && matches(key, plan)) ?? null;
}

export function findObservedSample(store: ObservedStore, query: SlowQuery, nowMs: number): ObservedSample | null {
  const key = rowKey(query);
  return store.samples.find((sample) => sample.expiresAt > nowMs && matches(key, sample)) ?? null;
}

/** The PlanReport of a logged execution: the rules over the plan auto_explain printed. */
export function observedPlanReport(observed: ObservedPlan, query: SlowQuery): PlanReport {
  const findings = evaluatePostgresPlan(parsePostgresPlan(observed.plan), { calls: query.calls, rows_sent: query.rows });
  const report: PlanReport = {
    method: 'auto_explain',
    findings,
    summary: `auto_explain (executed, ${observed.durationMs.toFixed(1)} ms): ${summarizeFindings(findings)}`,
    plan: observed.plan,
    captured_at: observed.capturedAt,
    duration_ms: observed.durationMs,
  };
  if (observed.parameters !== null) report.parameters = observed.parameters;
  return report;
}
