// EXPLAIN for one MySQL/MariaDB slow query, on the collector's own connection. Layers, in order:
//   0. the account: MySQL/MariaDB cannot drop rights inside a session (no SET LOCAL ROLE to fewer rights: roles only
//      add), so nothing is planned unless the agent's own account is read-only (READ_ONLY_PRIVILEGES, no GRANT
//      OPTION, no role enabled) — never more rights than a statement's author needs to read;
//   1. the gate (src/explain/gate/mysql.ts): parser + allow-list of built-in functions + the definitions of
//      views read; the server runs the parser's canonical text, never the original (no version comments);
//   2. a READ ONLY transaction, always rolled back (SqlSession.readOnly), with statement and lock timeouts;
//      MariaDB: SET STATEMENT max_statement_time=…, lock_wait_timeout=… FOR ANALYZE FORMAT=JSON …;
//      MySQL 8.0.18+: EXPLAIN ANALYZE (tree) under max_execution_time, plus a watchdog that runs KILL QUERY from a
//      second connection if the server-side limit does not stop it;
//   3. cost control: ANALYZE only below explain.analyze_max_mean_ms (above it plain EXPLAIN FORMAT=JSON);
//   4. after it, RELEASE_ALL_LOCKS(): a user lock outlives ROLLBACK and lives as long as the session; one released
//      there means the gate missed a lock, and the plan is replaced by a refusal saying so.
// Server error text is not put in the report (EXTRACTVALUE-style errors quote table data): the error code and a
// message of ours, except for missing privileges, whose text names only the table and the account.
// Digest text has `?` placeholders and MySQL has no generic-plan EXPLAIN: without a literal sample it is `skipped`.
import type { ExplainConfig } from '../core/config';
import type { PlanReport, SlowQuery } from '../core/report';
import { errorMessage } from '../core/errors';
import { mysqlFlavor } from '../sources/mysql';
import { isPermissionDenied, type Row, type SqlSession } from '../sources/sql';
import { parseMysqlPlan, parseServerJson } from '../parsers/plans/mysql';
import { evaluateMysqlPlan } from '../plans/registry';
import { gateMysql, type MysqlCatalog, type MysqlServer } from './gate/mysql';
import { failurePrefix, isTransientError, NO_LITERAL_SAMPLE, planned, skipped } from './plan-report';

// The `db_sentinel` alias keeps these out of the digest rankings (the collector's OWN_STATEMENT_FILTER).
export const VERSION_SQL = 'SELECT 1 AS db_sentinel, VERSION() AS version';
export const CONNECTION_ID_SQL = 'SELECT 1 AS db_sentinel, CONNECTION_ID() AS id';
export const RELEASE_ALL_LOCKS_SQL = 'SELECT 1 AS db_sentinel, RELEASE_ALL_LOCKS() AS released';
/** The agent's own privileges (global, schema, table, column) and whether it may grant them; GRANTEE is 'user'@'host'. */
export const ACCOUNT_PRIVILEGES_SQL = `SELECT 1 AS db_sentinel, p.PRIVILEGE_TYPE AS privilege, p.IS_GRANTABLE AS grantable FROM (
  SELECT GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.USER_PRIVILEGES
  UNION ALL SELECT GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES
  UNION ALL SELECT GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.TABLE_PRIVILEGES
  UNION ALL SELECT GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.COLUMN_PRIVILEGES) p
WHERE p.GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')`;
/** Roles active in the session (MariaDB: NULL when none; MySQL 8: 'NONE'); their privileges come on top. */
export const CURRENT_ROLE_SQL = 'SELECT 1 AS db_sentinel, CURRENT_ROLE() AS role, CURRENT_USER() AS account';
/** MySQL before 8.0 has no roles (and no CURRENT_ROLE()). */
export const NO_ROLE_SQL = 'SELECT 1 AS db_sentinel, NULL AS role, CURRENT_USER() AS account';

/** Privileges that read and nothing else: an account with only these cannot write, kill, grant or run code. */
export const READ_ONLY_PRIVILEGES = new Set(['USAGE', 'SELECT', 'SHOW VIEW', 'PROCESS', 'SHOW DATABASES',
  'REPLICATION CLIENT', 'BINLOG MONITOR', 'SLAVE MONITOR', 'REPLICA MONITOR']);
/** Views of these (lower-case) names in any schema; VIEW_DEFINITION is empty where the user may not see it. */
export const VIEW_DEFINITIONS_SQL = `SELECT 1 AS db_sentinel, TABLE_SCHEMA AS view_schema, TABLE_NAME AS view_name,
  VIEW_DEFINITION AS definition FROM information_schema.VIEWS WHERE LOWER(TABLE_NAME) IN (?)`;

/** Extra time the watchdog gives the server's own limit before it kills the query. */
export const WATCHDOG_GRACE_MS = 1000;

export function mysqlCatalog(session: SqlSession): MysqlCatalog {
  return {
    async viewDefinitions(names) {
      const rows = await session.query<{ view_schema: string; view_name: string; definition: string | null } & Row>(
        'VIEW_DEFINITIONS_SQL', VIEW_DEFINITIONS_SQL, [names]);
      return rows.map((row) => ({ schema: String(row.view_schema), name: String(row.view_name), definition: row.definition ?? '' }));
    },
  };
}

export type { MysqlServer };

export function parseServerVersion(text: string): MysqlServer {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text);
  const version: [number, number, number] = match === null ? [0, 0, 0] : [Number(match[1]), Number(match[2]), Number(match[3])];
  return { flavor: mysqlFlavor(text), version };
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
  const server = options.server ?? parseServerVersion(String((await session.query('VERSION_SQL', VERSION_SQL))[0]?.version ?? ''));
  if (query.sample === null) {
    return skipped(`${NO_LITERAL_SAMPLE} (digest text has ? placeholders, and MySQL/MariaDB have no generic-plan EXPLAIN)`, now());
  }
  const accountProblem = await readOnlyAccountProblem(session, server);
  if (accountProblem !== null) return skipped(accountProblem, now());
  const verdict = await gateMysql(query.sample, server, mysqlCatalog(session));
  if (!verdict.allowed || verdict.canonicalSql === undefined) return skipped(verdict.reason, now());
  const plan = await runExplain(session, query, verdict.canonicalSql, server, options);
  let released: number;
  try {
    released = Number((await session.query<{ released: unknown } & Row>('RELEASE_ALL_LOCKS_SQL', RELEASE_ALL_LOCKS_SQL))[0]?.released ?? 0);
  } catch (error: unknown) {
    return skipped(`${failurePrefix(error)}cannot release user locks after the EXPLAIN: ${ownErrorText(error)}`, now());
  }
  return released > 0 ? skipped(`the statement took ${released} user locks although the gate passed it; released them`, now()) : plan;
}

async function runExplain(session: SqlSession, query: SlowQuery, sql: string, server: MysqlServer,
  options: MysqlExplainOptions): Promise<PlanReport> {
  const now = options.now ?? (() => new Date());
  const { config } = options;
  const { flavor } = server;

  const tooSlow = query.mean_ms > config.analyze_max_mean_ms;
  const canAnalyze = flavor === 'mariadb' || atLeast(server.version, [8, 0, 18]);
  const readOnly = { statementTimeoutMs: config.statement_timeout_ms, lockTimeoutMs: config.lock_timeout_ms };
  const context = {
    calls: query.calls, rows_sent: query.rows,
    ...(query.rows_examined === undefined ? {} : { rows_examined: query.rows_examined }),
  };
  try {
    if (tooSlow || !canAnalyze) {
      const rows = await session.readOnly((inner) => inner.query('EXPLAIN_FORMAT_JSON', `EXPLAIN FORMAT=JSON ${sql}`), readOnly);
      const text = planText(rows);
      const reason = tooSlow
        ? `mean ${query.mean_ms.toFixed(0)} ms > analyze_max_mean_ms ${config.analyze_max_mean_ms}: plain EXPLAIN, not executed`
        : `MySQL ${server.version.join('.')} has no EXPLAIN ANALYZE (8.0.18+): plain EXPLAIN, not executed`;
      return planned('explain', parseServerJson(text), evaluateMysqlPlan(parseMysqlPlan(text), context), now(), reason);
    }
    if (flavor === 'mariadb') {
      const seconds = config.statement_timeout_ms / 1000;
      const lockSeconds = Math.max(1, Math.ceil(config.lock_timeout_ms / 1000));
      const rows = await session.readOnly((inner) => inner.query('ANALYZE_FORMAT_JSON',
        `SET STATEMENT max_statement_time=${seconds}, lock_wait_timeout=${lockSeconds}, `
          + `innodb_lock_wait_timeout=${lockSeconds} FOR ANALYZE FORMAT=JSON ${sql}`), readOnly);
      const text = planText(rows);
      return planned('explain_analyze', parseServerJson(text), evaluateMysqlPlan(parseMysqlPlan(text), context), now(),
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
    return skipped(`${failurePrefix(error)}${ownErrorText(error)}`, now());
  }
}

/**
 * Our text for a failed EXPLAIN: the server's error code, and the server's own words only for a missing privilege
 * (they name the account and the table). Any other message may quote data (XPATH errors, conversion errors).
 */
export function ownErrorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const label = typeof code === 'string' ? code : 'no error code';
  if (isPermissionDenied(error)) return errorMessage(error).split(': ').slice(-1)[0] ?? label;
  if (isTransientError(error)) return `${label}: the statement did not finish (statement timeout, or the connection was lost)`;
  return `${label}: the server refused the statement (its message is not reported: it may quote table data)`;
}

const accountChecks = new WeakMap<SqlSession, Promise<string | null>>();

/** Why the agent's account may not plan statements of others, or null when it only reads. Once per session. */
export function readOnlyAccountProblem(session: SqlSession, server: MysqlServer): Promise<string | null> {
  let check = accountChecks.get(session);
  if (check === undefined) {
    const hasRoles = server.flavor === 'mariadb' || atLeast(server.version, [8, 0, 0]);
    check = (async () => {
      const [identity] = hasRoles
        ? await session.query<{ role: unknown; account: unknown } & Row>('CURRENT_ROLE_SQL', CURRENT_ROLE_SQL)
        : await session.query<{ role: unknown; account: unknown } & Row>('NO_ROLE_SQL', NO_ROLE_SQL);
      const account = String(identity?.account ?? '');
      const role = identity?.role === null || identity?.role === undefined || identity.role === 'NONE' ? null : String(identity.role);
      const rows = await session.query<{ privilege: unknown; grantable: unknown } & Row>('ACCOUNT_PRIVILEGES_SQL', ACCOUNT_PRIVILEGES_SQL);
      const beyond = [...new Set(rows.map((row) => String(row.privilege).toUpperCase()).filter((name) => !READ_ONLY_PRIVILEGES.has(name)))];
      if (rows.some((row) => row.grantable === 'YES')) beyond.push('GRANT OPTION');
      const held = [...beyond, ...(role === null ? [] : [`role ${role}`])];
      if (held.length === 0) return null;
      return `the agent's account ${account} holds ${held.slice(0, 6).join(', ')}${held.length > 6 ? ` and ${held.length - 6} more` : ''}: `
        + 'EXPLAIN runs a statement of another user, so only an account that can do nothing but read may run it '
        + '(MySQL/MariaDB cannot drop rights inside a session). Connect as a read-only account: '
        + "GRANT SELECT, PROCESS ON *.* TO 'db_sentinel'@'localhost' and nothing else, no default role";
    })().catch((error: unknown) => `cannot tell whether the agent's account only reads (${ownErrorText(error)}): nothing is planned`);
    accountChecks.set(session, check);
  }
  return check;
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
