// The observe stage of PostgreSQL plans: what auto_explain and log_min_duration_statement wrote to the server log
// since the last cycle, read on the same host (databases[].server_log, or the file pg_current_logfile() names and
// its rotated siblings), kept with the read position in the state directory (one file per database, written
// atomically), and matched to the slow queries. Nothing is executed. What stands in the way (auto_explain not
// loaded, a plan format other than json, a log that cannot be found or read) is a named problem with the remedy.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join } from 'node:path';
import type { DatabaseConfig, ExplainConfig } from '../core/config';
import { errorMessage } from '../core/errors';
import type { Problem } from '../core/report';
import { writeFileAtomic } from '../sources/atomic-file';
import { logEntry, type LogEntry } from '../parsers/logs/postgres-entries';
import { compileLinePrefix, parseLogRecords, type LinePrefix } from '../parsers/logs/postgres-records';
import { isMissingFile } from '../sources/fsroot';
import { readServerLog, ServerLogError, type LogPosition } from '../sources/server-log';
import type { Row, SqlSession } from '../sources/sql';
import { DB_SENTINEL_TAG } from '../sources/statement-tag';
import { loadPostgresParser } from '../parsers/sql/postgres';
import { emptyStore, ingestEntries, type ObservedStore } from './observed';

/** What the log stage needs to know of the server; each setting NULL when this role may not read it. */
export const LOG_SETTINGS_SQL = `${DB_SENTINEL_TAG} SELECT
  current_setting('shared_preload_libraries', true) AS shared_preload,
  current_setting('session_preload_libraries', true) AS session_preload,
  current_setting('auto_explain.log_format', true) AS auto_explain_format,
  current_setting('auto_explain.log_analyze', true) AS auto_explain_analyze,
  current_setting('auto_explain.log_min_duration', true) AS auto_explain_min_duration,
  current_setting('log_min_duration_statement', true) AS statement_min_duration,
  current_setting('log_destination', true) AS log_destination,
  current_setting('logging_collector', true) AS logging_collector,
  current_setting('log_line_prefix', true) AS log_line_prefix,
  current_setting('data_directory', true) AS data_directory`;

/** The file the logging collector writes now, per format; pg_monitor may call it from 16 on, before only a superuser
 * or a role granted EXECUTE. $1 = format. */
export const CURRENT_LOGFILE_SQL = `${DB_SENTINEL_TAG} SELECT pg_catalog.pg_current_logfile($1) AS path`;

interface LogSettings extends Row {
  shared_preload: string | null;
  session_preload: string | null;
  auto_explain_format: string | null;
  auto_explain_analyze: string | null;
  auto_explain_min_duration: string | null;
  statement_min_duration: string | null;
  log_destination: string | null;
  logging_collector: string | null;
  log_line_prefix: string | null;
  data_directory: string | null;
}

const STATE_VERSION = 1;

interface LogState {
  version: number;
  pattern: string;
  position: LogPosition | null;
  observed: ObservedStore;
}

export const AUTO_EXPLAIN_REMEDY = 'turn auto_explain on: pillar db_sentinel:auto_explain:enabled: true and state.apply '
  + "db_sentinel.auto_explain, or as a superuser: ALTER SYSTEM SET session_preload_libraries = 'auto_explain'; "
  + "ALTER SYSTEM SET auto_explain.log_min_duration = '250ms'; ALTER SYSTEM SET auto_explain.log_format = 'json'; "
  + 'ALTER SYSTEM SET auto_explain.log_analyze = on; ALTER SYSTEM SET auto_explain.log_buffers = on; '
  + 'ALTER SYSTEM SET auto_explain.log_timing = off; ALTER SYSTEM SET auto_explain.log_verbose = on; '
  + 'SELECT pg_reload_conf(); (new sessions load it)';

function listed(value: string | null, name: string): boolean {
  return (value ?? '').split(',').map((item) => item.trim().replace(/^"|"$/g, '')).includes(name);
}

/** State survives a failing state directory within one process (the server), so a cycle never re-reads it all. */
const statesInMemory = new Map<string, LogState>();

async function loadState(key: string, file: string | null, pattern: string): Promise<LogState> {
  const remembered = statesInMemory.get(key);
  const fresh: LogState = remembered?.pattern === pattern
    ? remembered
    : { version: STATE_VERSION, pattern, position: null, observed: emptyStore() };
  if (file === null) return fresh;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    if (isMissingFile(error)) return fresh;
    throw error;
  }
  const state = JSON.parse(text) as Partial<LogState>;
  if (state.version !== STATE_VERSION || typeof state.pattern !== 'string' || state.observed === undefined
    || !Array.isArray(state.observed.plans) || !Array.isArray(state.observed.samples)) {
    throw new Error(`${file} is not a version ${STATE_VERSION} server log state`);
  }
  // A log pointed elsewhere starts afresh: positions of another file mean nothing there.
  return state.pattern === pattern ? state as LogState : { ...(state as LogState), pattern, position: null };
}

export interface LogStageResult {
  store: ObservedStore;
  problems: Problem[];
}

export interface LogStageOptions {
  database: DatabaseConfig;
  config: ExplainConfig;
  session: SqlSession;
  /** The state directory (config state_dir); null keeps the position in this process's memory only. */
  stateDir: string | null;
  now?: () => Date;
}

/** Where the server log is: the configured path or glob, else the collector's current file and its siblings. */
async function logPattern(options: LogStageOptions, settings: LogSettings, problems: Problem[]): Promise<string | null> {
  if (options.database.server_log !== undefined) return options.database.server_log;
  const destinations = (settings.log_destination ?? '').split(',').map((item) => item.trim());
  const format = ['jsonlog', 'csvlog', 'stderr'].find((item) => destinations.includes(item)) ?? 'stderr';
  let path: string | null = null;
  try {
    const [row] = await options.session.query<{ path: string | null } & Row>('CURRENT_LOGFILE_SQL', CURRENT_LOGFILE_SQL, [format]);
    path = row?.path ?? null;
  } catch (error: unknown) {
    problems.push({
      code: 'server_log_unknown',
      message: `pg_current_logfile() refused (${errorMessage(error)}): the server log cannot be found, so no plans come from auto_explain`,
      remedy: `set databases[].server_log of ${options.database.name} to the log's path or glob `
        + "(e.g. /var/lib/postgresql/17/main/log/*.json), or let the agent's role call it: GRANT pg_monitor TO <role> (16+); "
        + 'before 16 as a superuser: GRANT EXECUTE ON FUNCTION pg_current_logfile(text) TO <role>;',
    });
    return null;
  }
  if (path === null) {
    problems.push({
      code: 'server_log_unknown',
      message: `pg_current_logfile('${format}') is NULL (logging_collector = ${settings.logging_collector ?? 'unknown'}): `
        + 'the server log cannot be found, so no plans come from auto_explain',
      remedy: `set databases[].server_log of ${options.database.name} to the log's path or glob, or turn logging_collector `
        + "on (with log_destination = 'jsonlog' on 15+, 'csvlog' before)",
    });
    return null;
  }
  const absolute = isAbsolute(path) ? path : settings.data_directory === null ? null : join(settings.data_directory, path);
  if (absolute === null) {
    problems.push({
      code: 'server_log_unknown',
      message: `the log file ${path} is relative to data_directory, which this role may not read`,
      remedy: `set databases[].server_log of ${options.database.name}, or GRANT pg_read_all_settings TO the agent's role`,
    });
    return null;
  }
  // The collector's rotated files share the extension: a glob over them reads the rest of a file after rotation.
  const extension = extname(absolute);
  return extension === '' ? absolute : join(absolute.slice(0, absolute.lastIndexOf('/')), `*${extension}`);
}

export interface LogStageAssessment {
  /** The server's log settings; null when they could not be read (the reason is in problems). */
  settings: LogSettings | null;
  problems: Problem[];
  /** Whether the log can hold anything this stage uses (plans, timed statements) or a log is configured. */
  wanted: boolean;
}

/**
 * What the server logs, as problems with remedies, and whether the log is worth reading: one statement, no log
 * read, no parser (db_analyzer serve decides by it whether its EXPLAIN child must read the log this cycle).
 */
export async function assessLogStage(session: SqlSession, database: DatabaseConfig): Promise<LogStageAssessment> {
  const problems: Problem[] = [];
  let settings: LogSettings;
  try {
    const [row] = await session.query<LogSettings>('LOG_SETTINGS_SQL', LOG_SETTINGS_SQL);
    if (row === undefined) throw new Error('LOG_SETTINGS_SQL returned no row');
    settings = row;
  } catch (error: unknown) {
    return {
      settings: null, problems: [{ code: 'server_log_failed', message: `reading the log settings: ${errorMessage(error)}` }],
      wanted: false,
    };
  }
  const loaded = listed(settings.shared_preload, 'auto_explain') || listed(settings.session_preload, 'auto_explain')
    || settings.auto_explain_format !== null;
  if (!loaded) {
    problems.push({
      code: 'auto_explain_not_loaded',
      message: 'auto_explain is not loaded: executed plans of the slow queries cannot come from the server log, only from re-running them',
      remedy: AUTO_EXPLAIN_REMEDY,
    });
  } else if (settings.auto_explain_min_duration === '-1') {
    problems.push({
      code: 'auto_explain_off',
      message: 'auto_explain is loaded but auto_explain.log_min_duration is -1: it logs no plans',
      remedy: "ALTER SYSTEM SET auto_explain.log_min_duration = '250ms'; SELECT pg_reload_conf(); "
        + '(or pillar db_sentinel:auto_explain:log_min_duration with state db_sentinel.auto_explain)',
    });
  } else if (settings.auto_explain_format !== null && settings.auto_explain_format !== 'json') {
    problems.push({
      code: 'auto_explain_format',
      message: `auto_explain.log_format is ${settings.auto_explain_format}: only json plans are read`,
      remedy: "ALTER SYSTEM SET auto_explain.log_format = 'json'; SELECT pg_reload_conf();",
    });
  } else if (settings.auto_explain_analyze === 'off') {
    problems.push({
      code: 'auto_explain_without_analyze',
      message: 'auto_explain.log_analyze is off: logged plans carry estimates only (no spills, loops or misestimates)',
      remedy: 'ALTER SYSTEM SET auto_explain.log_analyze = on; ALTER SYSTEM SET auto_explain.log_timing = off; SELECT pg_reload_conf();',
    });
  }
  // Nothing goes to the log that this stage could use, and no log is configured: no log to look for.
  const logsPlans = loaded && settings.auto_explain_min_duration !== '-1';
  const logsStatements = settings.statement_min_duration !== null && settings.statement_min_duration !== '-1';
  return { settings, problems, wanted: logsPlans || logsStatements || database.server_log !== undefined };
}

/** One cycle of the log stage for one PostgreSQL database: what the server logs, then the log read. Never throws:
 * what fails becomes a problem. */
export async function observeServerLog(options: LogStageOptions): Promise<LogStageResult> {
  const assessed = await assessLogStage(options.session, options.database);
  const read = await readServerLogStage(options, assessed);
  return { store: read.store, problems: [...assessed.problems, ...read.problems] };
}

/** The log read of a database whose settings were assessed; its problems are the read's alone (db_analyzer serve
 * reports the assessment's every cycle, and the last read's until the next). Never throws. */
export async function readServerLogStage(options: LogStageOptions, assessed: LogStageAssessment): Promise<LogStageResult> {
  const now = options.now ?? (() => new Date());
  const problems: Problem[] = [];
  const { settings } = assessed;
  if (settings === null || !assessed.wanted) return { store: emptyStore(), problems };
  const pattern = await logPattern(options, settings, problems);
  if (pattern === null) return { store: emptyStore(), problems };
  const stateFile = options.stateDir === null ? null : join(options.stateDir, `server-log-${options.database.name}.json`);
  const stateKey = stateFile ?? `(memory) ${options.database.name}`;
  let state: LogState;
  try {
    state = await loadState(stateKey, stateFile, pattern);
  } catch (error: unknown) {
    problems.push({
      code: 'server_log_state', message: `${stateFile ?? ''}: ${errorMessage(error)}; reading the log from its recent end`,
      remedy: `remove ${stateFile ?? ''}`,
    });
    state = { version: STATE_VERSION, pattern, position: null, observed: emptyStore() };
  }
  const nowMs = now().getTime();
  try {
    const read = await readServerLog({
      pattern, position: state.position, maxBytes: options.config.server_log_max_bytes,
      maxEntryBytes: options.config.server_log_max_entry_bytes,
    });
    let prefix: LinePrefix | null = null;
    if (read.chunks.some((chunk) => chunk.format === 'stderr')) {
      try {
        prefix = compileLinePrefix(settings.log_line_prefix ?? '');
      } catch (error: unknown) {
        problems.push({
          code: 'server_log_unsupported', message: errorMessage(error),
          remedy: "log_destination = 'jsonlog' (15+) or 'csvlog' with logging_collector = on, or log_line_prefix = '%m [%p] %q%u@%d '",
        });
      }
    }
    await loadPostgresParser();
    const entries: LogEntry[] = [];
    const unreadable: string[] = [...read.skipped];
    for (const chunk of read.chunks) {
      if (chunk.format === 'stderr' && prefix === null) continue;
      const { records, malformed } = parseLogRecords(chunk.text, chunk.format, prefix);
      unreadable.push(...malformed.map((item) => `${chunk.path}: ${item}`));
      for (const record of records) {
        try {
          const entry = logEntry(record);
          if (entry !== null) entries.push(entry);
        } catch (error: unknown) {
          unreadable.push(`${chunk.path}: ${errorMessage(error)}`);
        }
      }
    }
    if (unreadable.length > 0) {
      problems.push({
        code: 'server_log_entries_skipped',
        message: `${unreadable.length} server log ${unreadable.length === 1 ? 'entry was' : 'entries were'} passed over, `
          + `first: ${unreadable[0]}`,
      });
    }
    state = {
      ...state, position: read.position,
      observed: ingestEntries(state.observed, entries, nowMs, options.config.observed_ttl_seconds),
    };
  } catch (error: unknown) {
    problems.push(logReadProblem(error, options.database.name));
    return { store: ingestEntries(state.observed, [], nowMs, options.config.observed_ttl_seconds), problems };
  }
  statesInMemory.set(stateKey, state);
  if (stateFile === null) return { store: state.observed, problems };
  try {
    await writeFileAtomic(stateFile, JSON.stringify(state), 0o600);
  } catch (error: unknown) {
    problems.push({
      code: 'server_log_state',
      message: `${errorMessage(error)}: the read position is kept in memory only (a new process reads the log's recent end again)`,
      remedy: `make state_dir (${options.stateDir ?? ''}) writable by the agent`,
    });
  }
  return { store: state.observed, problems };
}

function logReadProblem(error: unknown, database: string): Problem {
  const code = error instanceof ServerLogError ? error.code : null;
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      code: 'server_log_unreadable',
      message: `${errorMessage(error)}: the agent may not read the server log, so no plans come from auto_explain`,
      remedy: "let the agent's user read it: log_file_mode = 0640 in postgresql.conf (new files) and the agent's user in "
        + "the server's group (e.g. usermod -aG postgres <agent user>), or run the agent as that group",
    };
  }
  return {
    code: 'server_log_unreadable',
    message: `${errorMessage(error)}: no plans come from auto_explain`,
    remedy: `check databases[].server_log of ${database} (a path or a glob of the server's log files)`,
  };
}
