// EXPLAIN for one PostgreSQL slow query, on the collector's own connection (search_path pinned to pg_catalog).
// Layers, in order:
//   1. the gate (src/explain/gate/postgres.ts): an allow-list judged against the catalogs; a refusal is `skipped`;
//   2. never more rights than the author: SET LOCAL ROLE to explain.role (NOLOGIN, not superuser, not BYPASSRLS);
//      a superuser or BYPASSRLS agent without explain.role plans nothing;
//   3. a READ ONLY transaction with SET LOCAL statement_timeout and lock_timeout, always rolled back
//      (SqlSession.readOnly), the EXPLAIN sent alone in one extended-protocol message, with the search_path the
//      author's session starts with (pg_db_role_setting) set local to it;
//   4. nothing leaks: a failed EXPLAIN is reported by SQLSTATE and a message of ours, never the server's text
//      (an error can quote the data the statement read);
//   5. cost control: ANALYZE only below explain.analyze_max_mean_ms (above it plain EXPLAIN).
// INSERT/UPDATE/DELETE that pass the gate get a plain EXPLAIN only (or a generic plan), never ANALYZE: PostgreSQL
// checks their own privilege even to plan them, so they run as explain.write_role, after checking that the author
// holds that privilege on the target (never more rights than the author).
// Text with $1..$n and no complete literal sample gets a generic plan: plan_cache_mode = force_generic_plan +
// PREPARE + EXPLAIN EXECUTE with NULLs (+ DEALLOCATE), on every version. Not EXPLAIN (GENERIC_PLAN) on 16+: it needs
// the $n left unbound, and the extended protocol binds every $n of a message (bound NULLs are folded into the plan,
// "One-Time Filter: false"); keeping one statement per extended-protocol message matters more.
import type { ExplainConfig } from '../core/config';
import type { PlanReport, SlowQuery } from '../core/report';
import { errorMessage } from '../core/errors';
import { QueryError, type Row, type SqlSession } from '../sources/sql';
import { parsePostgresPlan, pgNodes, type PgPlan } from '../parsers/plans/postgres';
import type { RuleContext } from '../plans/types';
import { evaluatePostgresPlan } from '../plans/registry';
import {
  OPERATORS_SQL, RELATIONS_SQL, ROUTINES_SQL, TARGETS_SQL, TYPES_SQL, USER_CASTS_SQL, gatePostgres, loadPostgresParser,
  type CastRow, type OperatorRow, type PostgresCatalog, type RelationRow, type RoutineRow, type TargetRow, type TypeRow,
  type WriteTarget,
} from './gate/postgres';
import { parsePostgres } from '../parsers/sql/postgres';
import { walkTree } from '../parsers/sql/tree';
import { DB_SENTINEL_TAG } from '../sources/statement-tag';
import { failurePrefix, planned, skipped } from './plan-report';

// Every statement of ours starts with DB_SENTINEL_TAG, so the collector leaves it out of the rankings.
/** Whether a prepared statement of ours is still there after the transaction (PREPARE is not transactional). */
/** Row counts of relations (any schema; the largest when a name repeats), for estimate-only plans. $1 = text[]. */
export const RELATION_ROWS_SQL = `${DB_SENTINEL_TAG} SELECT c.relname AS name, max(c.reltuples)::float8 AS rows
FROM pg_catalog.pg_class c WHERE c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'm') GROUP BY c.relname`;

export const PREPARED_STATEMENT_EXISTS_SQL = `${DB_SENTINEL_TAG} SELECT 1 AS present FROM pg_catalog.pg_prepared_statements `
  + 'WHERE name = $1';
const PREPARED_NAME = 'db_sentinel_explain';

export function postgresCatalog(session: SqlSession): PostgresCatalog {
  return {
    routines: (names) => session.query<RoutineRow & Row>('ROUTINES_SQL', ROUTINES_SQL, [names]),
    operators: (symbols) => session.query<OperatorRow & Row>('OPERATORS_SQL', OPERATORS_SQL, [symbols]),
    types: (names) => session.query<TypeRow & Row>('TYPES_SQL', TYPES_SQL, [names]),
    relations: (names, allowed) => session.query<RelationRow & Row>('RELATIONS_SQL', RELATIONS_SQL, [names, allowed]),
    targets: (names, allowed) => session.query<TargetRow & Row>('TARGETS_SQL', TARGETS_SQL, [names, allowed]),
    userCasts: (allowed) => session.query<CastRow & Row>('USER_CASTS_SQL', USER_CASTS_SQL, [allowed]),
  };
}

/** The agent's own role. */
export const AGENT_ROLE_SQL = `${DB_SENTINEL_TAG} SELECT r.rolname::text AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls
FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER`;

/** The configured explain role, and whether the agent may SET ROLE to it. $1 = its name. */
export const EXPLAIN_ROLE_SQL = `${DB_SENTINEL_TAG} SELECT r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
  r.rolcanlogin AS can_login, pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER') AS member
FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) $1::pg_catalog.text`;

/**
 * The search_path a session of role $1 starts with in this database: ALTER ROLE … IN DATABASE first, then ALTER
 * ROLE, then ALTER DATABASE (no row: the server default).
 */
export const AUTHOR_SEARCH_PATH_SQL = `${DB_SENTINEL_TAG} SELECT pg_catalog.substr(c, 13) AS search_path
FROM pg_catalog.pg_db_role_setting s, pg_catalog.unnest(s.setconfig) c
WHERE c OPERATOR(pg_catalog.~~) 'search_path=%'
  AND s.setdatabase IN (0, (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()))
  AND s.setrole IN (0, (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) $1::pg_catalog.text))
  AND (s.setdatabase <> 0 OR s.setrole <> 0)
ORDER BY (s.setrole <> 0) DESC, (s.setdatabase <> 0) DESC LIMIT 1`;

const SERVER_DEFAULT_SEARCH_PATH = '"$user", public';

/**
 * Whether the author ($1) holds the privilege ($3: INSERT, UPDATE or DELETE; for the first two on any column) on the
 * target ($2, resolved on the search_path in force: the author's). Run inside the EXPLAIN's transaction.
 */
export const AUTHOR_WRITE_PRIVILEGE_SQL = `${DB_SENTINEL_TAG} SELECT t.oid IS NOT NULL AS found,
  t.oid IS NOT NULL AND (pg_catalog.has_table_privilege($1::pg_catalog.text, t.oid, $3::pg_catalog.text)
    OR ($3::pg_catalog.text OPERATOR(pg_catalog.<>) 'DELETE'
      AND pg_catalog.has_any_column_privilege($1::pg_catalog.text, t.oid, $3::pg_catalog.text))) AS allowed
FROM (SELECT pg_catalog.to_regclass($2::pg_catalog.text) AS oid) t`;

/** The explain role's setup, for reasons and problems. */
export function explainRoleSetup(agent: string, role = 'db_sentinel_explain'): string {
  return `CREATE ROLE ${role} NOLOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}; GRANT ${role} TO ${agent}; ` +
    `then explain.role: ${role} in the config (pillar db_sentinel:config:explain:role)`;
}

export interface AgentRole {
  name: string;
  superuser: boolean;
  bypass_rls: boolean;
}

export interface ExplainRoleRow {
  superuser: boolean;
  bypass_rls: boolean;
  can_login: boolean;
  member: boolean;
}

/** The write-planning role's setup (plain EXPLAIN of INSERT/UPDATE/DELETE checks their privileges), for reasons. */
export function explainWriteRoleSetup(agent: string, role = 'db_sentinel_explain_write'): string {
  return `CREATE ROLE ${role} NOLOGIN; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}; ` +
    `GRANT ${role} TO ${agent}; then explain.write_role: ${role} in the config (pillar db_sentinel:config:explain:write_role)`;
}

/**
 * Whom a plain EXPLAIN of INSERT/UPDATE/DELETE runs as. PostgreSQL checks the statement's own privilege (UPDATE …) on
 * its target even when it only plans, so the SELECT-only explain.role cannot: explain.write_role (validated like
 * explain.role) can, and every such EXPLAIN first checks that the statement's author holds that privilege too. An
 * ordinary agent without either role plans as itself, as it does SELECTs.
 */
export function chooseWriteIdentity(
  agent: AgentRole, config: { role?: string; write_role?: string }, roleRow: ExplainRoleRow | null,
): ExplainIdentity {
  if (config.write_role !== undefined) return chooseExplainIdentity(agent, config.write_role, roleRow, 'write');
  if (config.role !== undefined) {
    return {
      refusal: `a plain EXPLAIN of INSERT, UPDATE or DELETE needs that privilege on the table, and explain.role ${config.role} ` +
        `reads only; its executed plan comes from auto_explain. To plan it: ${explainWriteRoleSetup(agent.name)}`,
    };
  }
  return chooseExplainIdentity(agent, undefined, null);
}

/** Whom EXPLAINs run as: the explain role, the agent itself (an ordinary role), or nobody (the reason). */
export type ExplainIdentity = { role: string | null } | { refusal: string };

export function chooseExplainIdentity(agent: AgentRole, configuredRole: string | undefined, roleRow: ExplainRoleRow | null,
  purpose: 'read' | 'write' = 'read'): ExplainIdentity {
  if (configuredRole === undefined) {
    if (!agent.superuser && !agent.bypass_rls) return { role: null };
    const power = agent.superuser ? 'a superuser' : 'BYPASSRLS';
    return {
      refusal: `the agent's role ${agent.name} is ${power} and explain.role is not set: another user's statement is never ` +
        `planned with more rights than its author. Set up: ${explainRoleSetup(agent.name)}`,
    };
  }
  const key = purpose === 'read' ? 'explain.role' : 'explain.write_role';
  const setup = purpose === 'read' ? explainRoleSetup(agent.name, configuredRole) : explainWriteRoleSetup(agent.name, configuredRole);
  const grants = purpose === 'read' ? 'SELECT only' : 'SELECT, INSERT, UPDATE and DELETE';
  if (roleRow === null) return { refusal: `${key} ${configuredRole} does not exist. Set up: ${setup}` };
  if (roleRow.superuser) return { refusal: `${key} ${configuredRole} is a superuser; it must be an ordinary NOLOGIN role with ${grants}` };
  if (roleRow.bypass_rls) return { refusal: `${key} ${configuredRole} has BYPASSRLS; ALTER ROLE ${configuredRole} NOBYPASSRLS;` };
  if (roleRow.can_login) return { refusal: `${key} ${configuredRole} can log in; ALTER ROLE ${configuredRole} NOLOGIN;` };
  if (!roleRow.member) return { refusal: `${agent.name} may not SET ROLE ${configuredRole}; GRANT ${configuredRole} TO ${agent.name};` };
  return { role: configuredRole };
}

/** Whom SELECTs (read) and INSERT/UPDATE/DELETE (write) are planned as. */
export interface ExplainIdentities {
  read: ExplainIdentity;
  write: ExplainIdentity;
}

/** Reads the agent's and the explain roles' attributes and decides (once per database and cycle). */
export async function readExplainIdentities(
  session: SqlSession, config: { role?: string; write_role?: string },
): Promise<ExplainIdentities> {
  const [agent] = await session.query<AgentRole & Row>('AGENT_ROLE_SQL', AGENT_ROLE_SQL);
  if (agent === undefined) {
    const refusal = { refusal: 'the agent cannot see its own role in pg_roles' };
    return { read: refusal, write: refusal };
  }
  const roleRow = async (name: string | undefined): Promise<ExplainRoleRow | null> => (name === undefined ? null
    : (await session.query<ExplainRoleRow & Row>('EXPLAIN_ROLE_SQL', EXPLAIN_ROLE_SQL, [name]))[0] ?? null);
  return {
    read: chooseExplainIdentity(agent, config.role, await roleRow(config.role)),
    write: chooseWriteIdentity(agent, config, await roleRow(config.write_role)),
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The author's search_path with $user made the author (the EXPLAIN runs as another role). */
export function authorSearchPath(setting: string | null, author: string | null): string {
  const path = setting ?? SERVER_DEFAULT_SEARCH_PATH;
  return author === null ? path : path.replace(/"\$user"|\$user/g, quoteIdent(author));
}

/** SQLSTATEs named in our own messages; any other is named by its class. */
const SQLSTATE_NAMES: Record<string, string> = {
  '57014': 'canceled: explain.statement_timeout_ms reached', '55P03': 'lock not available within explain.lock_timeout_ms',
  '42501': 'insufficient privilege', '42P01': 'undefined table', '42883': 'undefined function', '42703': 'undefined column',
  '25006': 'read-only transaction', '53200': 'out of memory', '53100': 'disk full', '54001': 'statement too complex',
  P0001: 'raised exception',
};
const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'connection exception', '0A': 'feature not supported', '21': 'cardinality violation', '22': 'data exception',
  '23': 'integrity constraint violation', '25': 'invalid transaction state', '28': 'invalid authorization',
  '38': 'external routine exception', '39': 'external routine invocation exception', '40': 'transaction rollback',
  '42': 'syntax error or access rule violation', '53': 'insufficient resources', '54': 'program limit exceeded',
  '55': 'object not in prerequisite state', '57': 'operator intervention', '58': 'system error', F0: 'configuration file error',
  P0: 'PL/pgSQL error', XX: 'internal error',
};

/**
 * A failed EXPLAIN in our own words: the SQLSTATE and its name, never the server's message, which can quote the
 * data the statement read (a failing cast quotes the value) or anything a function chose to raise.
 */
export function describeExplainError(error: unknown): string {
  const code = error instanceof QueryError ? error.code : null;
  if (code === null) {
    const timedOut = error instanceof QueryError && error.timedOut;
    return timedOut ? 'no answer within the client-side timeout' : 'the connection failed (message withheld)';
  }
  const name = SQLSTATE_NAMES[code] ?? SQLSTATE_CLASSES[code.slice(0, 2)] ?? 'error';
  return `SQLSTATE ${code} (${name}); the server's message is withheld, since it can carry the data the statement read`;
}

/** Highest $n in the text (0 when it has no parameters); the text must parse (the gate passed it). */
export function parameterCount(sql: string): number {
  let highest = 0;
  walkTree(parsePostgres(sql), (node, key) => {
    if (key === 'ParamRef' && typeof node.number === 'number') highest = Math.max(highest, node.number);
  });
  return highest;
}

export interface PostgresExplainOptions {
  config: ExplainConfig;
  /** Whom the EXPLAIN runs as (readExplainIdentities, once per cycle). */
  identities: ExplainIdentities;
  now?: () => Date;
}

/** Chooses the runnable text: a complete literal sample when there is one (no $n), else the normalized text. */
function chooseText(query: SlowQuery): { text: string; parameters: number; fromSample: boolean } {
  if (query.sample !== null && sampleParameters(query.sample) === 0) return { text: query.sample, parameters: 0, fromSample: true };
  return { text: query.query, parameters: parameterCount(query.query), fromSample: false };
}

/** $n count of a sample, or null when it does not parse (cut at track_activity_query_size): then it is not runnable. */
function sampleParameters(sample: string): number | null {
  try {
    return parameterCount(sample);
  } catch (error: unknown) {
    if (error instanceof Error && /not initialized/i.test(error.message)) throw error;
    return null;
  }
}

export async function explainPostgresQuery(session: SqlSession, query: SlowQuery, options: PostgresExplainOptions): Promise<PlanReport> {
  const now = options.now ?? (() => new Date());
  const { config } = options;
  await loadPostgresParser();
  let choice: ReturnType<typeof chooseText>;
  try {
    choice = chooseText(query);
  } catch (error: unknown) {
    return skipped(`not parsable by the PostgreSQL parser: ${errorMessage(error)}`, now());
  }
  if ('refusal' in options.identities.read) return skipped(options.identities.read.refusal, now());
  let searchPath: string;
  let write: WriteTarget | undefined;
  try {
    const verdict = await gatePostgres(choice.text, postgresCatalog(session), { allowedExtensions: config.allowed_extensions });
    if (!verdict.allowed) return skipped(verdict.reason, now());
    write = verdict.write;
    const [row] = await session.query<{ search_path: string } & Row>('AUTHOR_SEARCH_PATH_SQL', AUTHOR_SEARCH_PATH_SQL,
      [query.user ?? null]);
    searchPath = authorSearchPath(row?.search_path ?? null, query.user ?? null);
  } catch (error: unknown) {
    return skipped(`${failurePrefix(error)}the gate's catalog lookup failed: ${describeExplainError(error)}`, now());
  }
  const identity = write === undefined ? options.identities.read : options.identities.write;
  if ('refusal' in identity) return skipped(identity.refusal, now());
  if (write !== undefined && (query.user === undefined || query.user === null)) {
    return skipped(`${write.command} is planned only when its author is known `
      + `(to check the author holds ${write.command} on the table)`, now());
  }

  // INSERT/UPDATE/DELETE: plain EXPLAIN (plans, never executes); SELECT: ANALYZE unless too slow.
  const tooSlow = write !== undefined || query.mean_ms > config.analyze_max_mean_ms;
  const readOnly = { statementTimeoutMs: config.statement_timeout_ms, lockTimeoutMs: config.lock_timeout_ms };
  const context = { calls: query.calls, rows_sent: query.rows };
  // Inside the transaction: the author's rights at most, then the author's names (undone by the ROLLBACK).
  const becomeAuthor = async (inner: SqlSession): Promise<void> => {
    if (identity.role !== null) await inner.query('SET_LOCAL_ROLE', `${DB_SENTINEL_TAG} SET LOCAL ROLE ${quoteIdent(identity.role)}`);
    await inner.query('SET_LOCAL_SEARCH_PATH', `${DB_SENTINEL_TAG} SELECT pg_catalog.set_config('search_path', $1, true)`, [searchPath]);
    if (write !== undefined) await requireAuthorWritePrivilege(inner, write, query.user ?? '');
  };
  try {
    if (choice.parameters === 0) {
      const options_ = tooSlow ? 'BUFFERS, FORMAT JSON' : 'ANALYZE, BUFFERS, FORMAT JSON';
      const rows = await session.readOnly(async (inner) => {
        await becomeAuthor(inner);
        return inner.query('EXPLAIN', `${DB_SENTINEL_TAG} EXPLAIN (${options_}) ${choice.text}`);
      }, readOnly);
      const document = rows[0]?.['QUERY PLAN'];
      const findings = await findingsFor(session, parsePostgresPlan(document), context);
      if (write !== undefined) {
        return planned('explain', document, findings, now(),
          `${write.command}: plain EXPLAIN, not executed (its executed plan comes from auto_explain)`);
      }
      if (tooSlow) {
        return planned('explain', document, findings, now(),
          `mean ${query.mean_ms.toFixed(0)} ms > analyze_max_mean_ms ${config.analyze_max_mean_ms}: plain EXPLAIN, not executed`);
      }
      return planned('explain_analyze', document, findings, now(),
        choice.fromSample ? `literal sample from ${query.sample_source ?? 'the collector'}` : undefined);
    }
    const reason = query.sample === null ? 'no literal sample: generic plan of the normalized text, not executed'
      : 'the sample is incomplete or has parameters: generic plan of the normalized text, not executed';
    const document = await preparedGenericPlan(session, choice.text, choice.parameters, readOnly, becomeAuthor);
    return planned('generic_explain', document, await findingsFor(session, parsePostgresPlan(document), context), now(), reason);
  } catch (error: unknown) {
    if (error instanceof AuthorLacksPrivilege) return skipped(error.message, now());
    const needs = write === undefined ? '' : `; ${WRITE_PRIVILEGE_NOTE} ${write.command} needs ${write.command} on ${write.target.name}`;
    return skipped(`${failurePrefix(error)}${describeExplainError(error)}${needs}`, now());
  }
}

/** Marks the reason of a write whose plain EXPLAIN was denied (the problem's remedy then names explain.write_role). */
export const WRITE_PRIVILEGE_NOTE = 'a plain EXPLAIN of';

/** The statement's author does not hold the privilege its INSERT/UPDATE/DELETE needs: nothing is planned. */
class AuthorLacksPrivilege extends Error {}

async function requireAuthorWritePrivilege(session: SqlSession, write: WriteTarget, author: string): Promise<void> {
  const target = write.target.schema === null
    ? quoteIdent(write.target.name)
    : `${quoteIdent(write.target.schema)}.${quoteIdent(write.target.name)}`;
  const [row] = await session.query<{ found: boolean; allowed: boolean } & Row>('AUTHOR_WRITE_PRIVILEGE_SQL',
    AUTHOR_WRITE_PRIVILEGE_SQL, [author, target, write.command]);
  if (row?.found !== true) throw new AuthorLacksPrivilege(`${write.command} target ${target} is not found on the author's search_path`);
  if (row.allowed !== true) {
    throw new AuthorLacksPrivilege(`the author ${author} does not hold ${write.command} on ${target}: `
      + 'never planned with more rights than its author');
  }
}

/** Rules over the plan; a plan without ANALYZE gets the scanned tables' row counts to weigh its estimates. */
async function findingsFor(session: SqlSession, plan: PgPlan, context: RuleContext): Promise<ReturnType<typeof evaluatePostgresPlan>> {
  if (plan.analyzed) return evaluatePostgresPlan(plan, context);
  const relations = [...new Set(pgNodes(plan).flatMap((node) => (node.relation === null ? [] : [node.relation])))];
  if (relations.length === 0) return evaluatePostgresPlan(plan, context);
  const rows = await session.query<{ name: string; rows: number } & Row>('RELATION_ROWS_SQL', RELATION_ROWS_SQL, [relations]);
  const relationRows = Object.fromEntries(rows.map((row) => [String(row.name), Number(row.rows)]));
  return evaluatePostgresPlan(plan, { ...context, relation_rows: relationRows });
}

/** A generic plan through PREPARE and EXPLAIN EXECUTE with NULL for every parameter. */
async function preparedGenericPlan(session: SqlSession, text: string, parameters: number,
  readOnly: { statementTimeoutMs: number; lockTimeoutMs: number }, becomeAuthor: (inner: SqlSession) => Promise<void>): Promise<unknown> {
  try {
    const rows = await session.readOnly(async (inner) => {
      await inner.query('SET_PLAN_CACHE_MODE',
        `${DB_SENTINEL_TAG} SELECT pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true)`);
      await becomeAuthor(inner);
      await inner.query('PREPARE', `${DB_SENTINEL_TAG} PREPARE ${PREPARED_NAME} AS ${text}`);
      const nulls = Array.from({ length: parameters }, () => 'NULL').join(', ');
      return inner.query('EXPLAIN_EXECUTE', `${DB_SENTINEL_TAG} EXPLAIN (FORMAT JSON) EXECUTE ${PREPARED_NAME}(${nulls})`);
    }, readOnly);
    return rows[0]?.['QUERY PLAN'];
  } finally {
    // Prepared statements outlive ROLLBACK: remove ours whether the EXPLAIN worked or not.
    const present = await session.query('PREPARED_STATEMENT_EXISTS_SQL', PREPARED_STATEMENT_EXISTS_SQL, [PREPARED_NAME]);
    if (present.length > 0) await session.query('DEALLOCATE', `${DB_SENTINEL_TAG} DEALLOCATE ${PREPARED_NAME}`);
  }
}
