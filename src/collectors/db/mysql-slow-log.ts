// The MySQL/MariaDB slow query log as a sample and plan source. Each cycle reads what the server appended since the
// last one (src/sources/log-tail.ts; position kept in <state_dir>/slow-log-<database>.json), keeps the slowest
// entry per statement fingerprint for a TTL, and gives every ranked statement (digest or prepared) whose
// fingerprint matches: a literal sample (the slow log holds prepared statements with their values in place, which
// no performance_schema table does) and, with MariaDB's log_slow_verbosity=explain, the plan of that real execution
// (`plan.method: "slow_log"`, nothing re-run). Nothing happens when the log is off; a log that cannot be read is a
// named problem with the remedy.
import { mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { errorMessage, ParseError } from '../../core/errors';
import type { Flavor, PlanReport, Problem, SlowQuery } from '../../core/report';
import { writeFileAtomic } from '../../sources/atomic-file';
import { parseSlowLog, statementFingerprint, type SlowLogChunk, type SlowLogEntry } from '../../parsers/logs/mysql-slow-log';
import { parseExplainTable } from '../../parsers/plans/mysql';
import { evaluateMysqlPlan } from '../../plans/registry';
import { planned } from '../../explain/plan-report';
import { advance, LogReadError, readLogIncrement, type LogPosition } from '../../sources/log-tail';
import type { SqlSession } from '../../sources/sql';
import { MY_SLOW_LOG_SETTINGS_MARIADB, MY_SLOW_LOG_SETTINGS_MYSQL } from './mysql-sql';

/** Read at most this much per cycle: a burst of slow statements is worked off over the next cycles. */
export const MAX_BYTES_PER_CYCLE = 4 * 1024 * 1024;
/** Statements remembered between cycles (the slowest entry of each). */
export const MAX_OBSERVATIONS = 1000;
const STATE_VERSION = 1;

export interface SlowLogOptions {
  database: string;
  flavor: Exclude<Flavor, 'postgresql'>;
  /** databases[].slow_log: a path, 'off', or undefined (ask the server). */
  configured: string | undefined;
  stateDir: string;
  /** How long an observed entry stays a sample and plan source (explain.cache_ttl_seconds). */
  ttlSeconds: number;
  maxBytes?: number;
  now: () => Date;
}

export interface Observation {
  fingerprint: string;
  sql: string;
  schema: string | null;
  query_time_ms: number;
  rows_examined: number | null;
  /** When the statement ran (the entry's SET timestamp, else when it was read). */
  captured_at: string;
  explain: string[];
  flags: Record<string, boolean | number>;
}

interface SlowLogState {
  version: number;
  path: string;
  position: LogPosition | null;
  /** The last entry cut at the byte limit: skip to the next entry header. */
  resync: boolean;
  /** The schema of the last entry read (later entries of the same session omit `use`). */
  schema: string | null;
  observations: Observation[];
}

function stateFile(stateDir: string, database: string): string {
  return join(stateDir, `slow-log-${database}.json`);
}

async function loadState(file: string, path: string): Promise<SlowLogState> {
  const fresh: SlowLogState = { version: STATE_VERSION, path, position: null, resync: false, schema: null, observations: [] };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fresh;
    throw error;
  }
  let state: SlowLogState;
  try {
    state = JSON.parse(text) as SlowLogState;
  } catch (error: unknown) {
    throw new ParseError(`slow log state ${file} is not JSON`, { cause: error });
  }
  if (state.version !== STATE_VERSION || !Array.isArray(state.observations)) throw new ParseError(`slow log state ${file}: unknown layout`);
  // Another log file configured: its positions mean nothing here.
  return state.path === path ? state : fresh;
}

/** The entries read this cycle folded into the remembered ones: the slowest per fingerprint, unexpired, bounded. */
export function foldObservations(previous: readonly Observation[], entries: readonly SlowLogEntry[], now: Date,
  ttlSeconds: number): Observation[] {
  const byFingerprint = new Map(previous.map((observation) => [observation.fingerprint, observation]));
  for (const entry of entries) {
    const fingerprint = statementFingerprint(entry.sql);
    const known = byFingerprint.get(fingerprint);
    if (known !== undefined && known.query_time_ms >= entry.queryTimeMs) continue;
    byFingerprint.set(fingerprint, {
      fingerprint, sql: entry.sql, schema: entry.schema, query_time_ms: entry.queryTimeMs, rows_examined: entry.rowsExamined,
      captured_at: (entry.timestamp === null ? now : new Date(entry.timestamp * 1000)).toISOString(),
      explain: entry.explain, flags: entry.flags,
    });
  }
  const oldest = now.getTime() - ttlSeconds * 1000;
  return [...byFingerprint.values()]
    .filter((observation) => Date.parse(observation.captured_at) >= oldest)
    .sort((a, b) => b.query_time_ms - a.query_time_ms)
    .slice(0, MAX_OBSERVATIONS);
}

/** The log file: configured, or the server's slow_query_log_file when the log is on and written to a file. */
async function locateLog(session: SqlSession, options: SlowLogOptions): Promise<string | null> {
  if (options.configured === 'off') return null;
  if (options.configured !== undefined) return options.configured;
  const sql = options.flavor === 'mariadb' ? MY_SLOW_LOG_SETTINGS_MARIADB : MY_SLOW_LOG_SETTINGS_MYSQL;
  const [settings] = await session.query('MY_SLOW_LOG_SETTINGS', sql);
  if (settings === undefined || Number(settings.slow_query_log) !== 1) return null;
  if (!/FILE/i.test(String(settings.log_output ?? ''))) return null;
  const file = String(settings.slow_query_log_file ?? '');
  if (file === '') return null;
  return isAbsolute(file) ? file : join(String(settings.datadir ?? ''), file);
}

/** Reads the new part of the slow log and returns the observations valid now (also kept in the state file). */
export async function readSlowLog(session: SqlSession, options: SlowLogOptions, problems: Problem[]): Promise<Observation[]> {
  const path = await locateLog(session, options);
  if (path === null) return [];
  const file = stateFile(options.stateDir, options.database);
  const state = await loadState(file, path);
  const now = options.now();
  let increment;
  try {
    increment = await readLogIncrement(path, state.position, options.maxBytes ?? MAX_BYTES_PER_CYCLE);
  } catch (error: unknown) {
    if (!(error instanceof LogReadError)) throw error;
    problems.push({
      code: 'slow_log_unreadable',
      message: `the slow query log cannot be read, so it gives no samples or executed plans: ${error.message}`,
      remedy: error.code === 'EACCES'
        ? `let the agent's user read it (e.g. add it to the group owning ${path}, usually adm or mysql, and keep the file `
          + 'group-readable), or set databases[].slow_log: off'
        : `check databases[].slow_log or the server's slow_query_log_file (${path}); set databases[].slow_log: off to stop reading it`,
    });
    return state.observations.filter((observation) => Date.parse(observation.captured_at) >= now.getTime() - options.ttlSeconds * 1000);
  }
  let text = increment.text;
  let skipped = 0;
  if (increment.startsMidFile || state.resync) {
    // Reading started inside an entry: skip to the first entry header.
    const header = /^# (Time|User@Host): /m.exec(text);
    skipped = header === null ? text.length : header.index;
    text = text.slice(skipped);
  }
  let chunk: SlowLogChunk;
  try {
    chunk = parseSlowLog(text, increment.restarted === null ? state.schema : null);
  } catch (error: unknown) {
    if (!(error instanceof ParseError)) throw error;
    // A damaged stretch must not stop the reading for good: named once, then skipped up to the next entry header.
    const next = /^# (Time|User@Host): /m.exec(text.slice(1));
    problems.push({ code: 'slow_log_unparsable', message: `part of the slow query log ${path} was skipped: ${error.message}` });
    chunk = { entries: [], consumed: next === null ? (increment.more ? text.length : 0) : next.index + 1 };
  }
  let consumed = skipped + chunk.consumed;
  let resync = false;
  if (chunk.consumed === 0 && increment.more) {
    // One entry larger than a cycle's read: leave it, and find the next one.
    consumed = text.length + skipped;
    resync = true;
  }
  const observations = foldObservations(state.observations, chunk.entries, now, options.ttlSeconds);
  const last = chunk.entries[chunk.entries.length - 1];
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, JSON.stringify({
    version: STATE_VERSION, path, position: advance(increment, consumed), resync,
    schema: last?.schema ?? state.schema, observations,
  } satisfies SlowLogState), 0o600);
  return observations;
}

function observedPlan(observation: Observation, query: SlowQuery): PlanReport | null {
  if (observation.explain.length < 2) return null;
  let plan;
  try {
    plan = parseExplainTable(observation.explain);
  } catch (error: unknown) {
    return { method: 'skipped', reason: `slow log explain unreadable: ${errorMessage(error)}`, findings: [],
      summary: 'skipped: slow log explain unreadable', captured_at: observation.captured_at };
  }
  const context = { calls: query.calls, rows_sent: query.rows,
    ...(query.rows_examined === undefined ? {} : { rows_examined: query.rows_examined }) };
  const report = planned('slow_log', { explain: observation.explain, query_time_ms: observation.query_time_ms,
    flags: observation.flags, sql: observation.sql },
    evaluateMysqlPlan(plan, context), new Date(observation.captured_at));
  return report;
}

/** Gives the ranked statements their slow log sample and executed plan (in place). */
export function applyObservations(queries: readonly SlowQuery[], observations: readonly Observation[]): void {
  if (observations.length === 0) return;
  const byFingerprint = new Map(observations.map((observation) => [observation.fingerprint, observation]));
  for (const query of queries) {
    const observation = byFingerprint.get(statementFingerprint(query.query));
    if (observation === undefined
      || (query.database ?? null) !== null && observation.schema !== null && query.database !== observation.schema) continue;
    if (query.sample === null) {
      query.sample = observation.sql;
      query.sample_source = 'slow_log';
    }
    const plan = observedPlan(observation, query);
    if (plan !== null) query.plan = plan;
  }
}
