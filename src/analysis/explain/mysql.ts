// EXPLAIN for one MySQL/MariaDB slow query, on the collector's own connection. Layers, in order:
//   1. the gate (src/analysis/sqlgate/mysql.ts): parser + stored-function lookup + the definitions of views read;
//      the server runs the parser's canonical text, never the original (no version comments);
//   2. a READ ONLY transaction, always rolled back (SqlSession.readOnly), with statement and lock timeouts;
//      MariaDB: SET STATEMENT max_statement_time=…, lock_wait_timeout=… FOR ANALYZE FORMAT=JSON …;
//      MySQL 8.0.18+: EXPLAIN ANALYZE (tree) under max_execution_time, plus a watchdog that runs KILL QUERY from a
//      second connection if the server-side limit does not stop it;
//   3. cost control: ANALYZE only below explain.analyze_max_mean_ms (above it plain EXPLAIN FORMAT=JSON).
// Digest text has `?` placeholders and MySQL has no generic-plan EXPLAIN: without a literal sample it is `skipped`.
import type { ExplainConfig } from '../../core/config';
import type { Flavor, PlanReport, SlowQuery } from '../../core/report';
import { errorMessage } from '../../core/errors';
import type { Row, SqlSession } from '../../sources/sql';
import { parseMysqlPlan } from '../../parsers/plans/mysql';
import { evaluateMysqlPlan } from '../rules/registry';
import { gateMysql, type MysqlCatalog } from '../sqlgate/mysql';
import { EXPLAIN_DENIED, EXPLAIN_FAILED, isPrivilegeError, planned, skipped } from './plan-report';

// The `db_sentinel` alias keeps these out of the digest rankings (the collector's OWN_STATEMENT_FILTER).
export const VERSION_SQL = 'SELECT 1 AS db_sentinel, VERSION() AS version';
export const CONNECTION_ID_SQL = 'SELECT 1 AS db_sentinel, CONNECTION_ID() AS id';
export const STORED_FUNCTIONS_SQL = `SELECT DISTINCT 1 AS db_sentinel, LOWER(ROUTINE_NAME) AS name FROM information_schema.ROUTINES
WHERE ROUTINE_TYPE = 'FUNCTION' AND LOWER(ROUTINE_NAME) IN (?)`;
/** Views of these (lower-case) names in any schema; VIEW_DEFINITION is empty where the user may not see it. */
export const VIEW_DEFINITIONS_SQL = `SELECT 1 AS db_sentinel, TABLE_SCHEMA AS view_schema, TABLE_NAME AS view_name,
  VIEW_DEFINITION AS definition FROM information_schema.VIEWS WHERE LOWER(TABLE_NAME) IN (?)`;

/** Extra time the watchdog gives the server's own limit before it kills the query. */
export const WATCHDOG_GRACE_MS = 1000;

export function mysqlCatalog(session: SqlSession): MysqlCatalog {
  return {
    async storedFunctions(names) {
      const rows = await session.query<{ name: string } & Row>('STORED_FUNCTIONS_SQL', STORED_FUNCTIONS_SQL, [names]);
      return rows.map((row) => String(row.name));
    },
    async viewDefinitions(names) {
      const rows = await session.query<{ view_schema: string; view_name: string; definition: string | null } & Row>(
        'VIEW_DEFINITIONS_SQL', VIEW_DEFINITIONS_SQL, [names]);
      return rows.map((row) => ({ schema: String(row.view_schema), name: String(row.view_name), definition: row.definition ?? '' }));
    },
  };
}

export interface MysqlServer {
  flavor: 'mysql' | 'mariadb';
  /** [major, minor, patch] */
  version: [number, number, number];
}

export function parseServerVersion(text: string): MysqlServer {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text);
  const version: [number, number, number] = match === null ? [0, 0, 0] : [Number(match[1]), Number(match[2]), Number(match[3])];
  return { flavor: /mariadb/i.test(text) ? 'mariadb' : 'mysql', version };
}

function atLeast(version: [number, number, number], wanted: [number, number, number]): boolean {
  for (let i = 0; i < 3; i += 1) {
    if ((version[i] ?? 0) !== wanted[i]) return (version[i] ?? 0) > (wanted[i] ?? 0);
  }
  return true;
}

export interface MysqlExplainOptions {
  config: ExplainConfig;
  server?: MysqlServer;
  /** Opens a second connection for the watchdog's KILL QUERY (only when it fires). */
  openWatchdog?: () => Promise<SqlSession>;
  now?: () => Date;
}

/** The single text column of EXPLAIN / ANALYZE output (EXPLAIN, ANALYZE). */
function planText(rows: Row[]): string {
  const row = rows[0] ?? {};
  const value = Object.values(row)[0];
  return typeof value === 'string' ? value : String(value);
}

export async function explainMysqlQuery(session: SqlSession, query: SlowQuery, options: MysqlExplainOptions): Promise<PlanReport> {
  const now = options.now ?? (() => new Date());
  const { config } = options;
  const server = options.server ?? parseServerVersion(String((await session.query('VERSION_SQL', VERSION_SQL))[0]?.version ?? ''));
  const flavor: Flavor = server.flavor;
  if (query.sample === null) {
    return skipped('no literal sample (digest text has ? placeholders, and MySQL/MariaDB have no generic-plan EXPLAIN)', now());
  }
  const verdict = await gateMysql(query.sample, flavor, mysqlCatalog(session));
  if (!verdict.allowed || verdict.canonicalSql === undefined) return skipped(verdict.reason, now());
  const sql = verdict.canonicalSql;

  const tooSlow = query.mean_ms > config.analyze_max_mean_ms;
  const canAnalyze = flavor === 'mariadb' || atLeast(server.version, [8, 0, 18]);
  const readOnly = { statementTimeoutMs: config.statement_timeout_ms, lockTimeoutMs: config.lock_timeout_ms };
  const context = { calls: query.calls, rows_sent: query.rows, ...(query.rows_examined === undefined ? {} : { rows_examined: query.rows_examined }) };
  try {
    if (tooSlow || !canAnalyze) {
      const rows = await session.readOnly((inner) => inner.query('EXPLAIN_FORMAT_JSON', `EXPLAIN FORMAT=JSON ${sql}`), readOnly);
      const text = planText(rows);
      const reason = tooSlow
        ? `mean ${query.mean_ms.toFixed(0)} ms > analyze_max_mean_ms ${config.analyze_max_mean_ms}: plain EXPLAIN, not executed`
        : `MySQL ${server.version.join('.')} has no EXPLAIN ANALYZE (8.0.18+): plain EXPLAIN, not executed`;
      return planned('explain', JSON.parse(text), evaluateMysqlPlan(parseMysqlPlan(text), context), now(), reason);
    }
    if (flavor === 'mariadb') {
      const seconds = config.statement_timeout_ms / 1000;
      const lockSeconds = Math.max(1, Math.ceil(config.lock_timeout_ms / 1000));
      const rows = await session.readOnly((inner) => inner.query('ANALYZE_FORMAT_JSON',
        `SET STATEMENT max_statement_time=${seconds}, lock_wait_timeout=${lockSeconds}, innodb_lock_wait_timeout=${lockSeconds} FOR ANALYZE FORMAT=JSON ${sql}`), readOnly);
      const text = planText(rows);
      return planned('explain_analyze', JSON.parse(text), evaluateMysqlPlan(parseMysqlPlan(text), context), now(),
        `literal sample from ${query.sample_source ?? 'the collector'}`);
    }
    const text = await session.readOnly(async (inner) => {
      const id = (await inner.query('CONNECTION_ID_SQL', CONNECTION_ID_SQL))[0]?.id;
      return withWatchdog(options.openWatchdog, Number(id), config.statement_timeout_ms + WATCHDOG_GRACE_MS,
        async () => planText(await inner.query('EXPLAIN_ANALYZE', `EXPLAIN ANALYZE ${sql}`)));
    }, readOnly);
    return planned('explain_analyze', text, evaluateMysqlPlan(parseMysqlPlan(text), context), now(),
      `literal sample from ${query.sample_source ?? 'the collector'}`);
  } catch (error: unknown) {
    return skipped(`${isPrivilegeError(error) ? EXPLAIN_DENIED : EXPLAIN_FAILED}${errorMessage(error)}`, now());
  }
}

/**
 * Runs `work`; if it has not finished after `afterMs`, kills the statement of connection `connectionId` from a
 * second connection (max_execution_time is the first line; this catches a server that ignores it).
 */
export async function withWatchdog<T>(openWatchdog: (() => Promise<SqlSession>) | undefined, connectionId: number,
  afterMs: number, work: () => Promise<T>): Promise<T> {
  if (openWatchdog === undefined || !Number.isInteger(connectionId)) return work();
  let killing: Promise<unknown> | null = null;
  const timer = setTimeout(() => {
    killing = openWatchdog().then(async (watchdog) => {
      try {
        await watchdog.query('KILL_QUERY', `KILL QUERY ${connectionId}`);
      } finally {
        await watchdog.close();
      }
    });
  }, afterMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    if (killing !== null) await killing;
  }
}
