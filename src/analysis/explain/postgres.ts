// EXPLAIN for one PostgreSQL slow query, on the collector's own connection. Layers, in order:
//   1. the gate (src/analysis/sqlgate/postgres.ts): parser + pg_proc volatility; a refusal means `skipped`;
//   2. a READ ONLY transaction with SET LOCAL statement_timeout and lock_timeout, always rolled back
//      (SqlSession.readOnly), the EXPLAIN sent alone in one extended-protocol message;
//   3. cost control: ANALYZE only below explain.analyze_max_mean_ms (above it plain EXPLAIN).
// Text with $1..$n and no complete literal sample gets a generic plan: plan_cache_mode = force_generic_plan +
// PREPARE + EXPLAIN EXECUTE with NULLs (+ DEALLOCATE), on every version. Not EXPLAIN (GENERIC_PLAN) on 16+: it needs
// the $n left unbound, and the extended protocol binds every $n of a message (bound NULLs are folded into the plan,
// "One-Time Filter: false"); keeping one statement per extended-protocol message matters more.
import type { ExplainConfig } from '../../core/config';
import type { PlanReport, SlowQuery } from '../../core/report';
import { errorMessage } from '../../core/errors';
import type { Row, SqlSession } from '../../sources/sql';
import { parsePostgresPlan, pgNodes, type PgPlan } from '../../parsers/plans/postgres';
import type { RuleContext } from '../rules/types';
import { evaluatePostgresPlan } from '../rules/registry';
import {
  FUNCTION_VOLATILITY_SQL, OPERATOR_VOLATILITY_SQL, VIEW_DEFINITION_SQL, gatePostgres, loadPostgresParser, type PostgresCatalog,
  type RoutineVolatility, type ViewDefinition,
} from '../sqlgate/postgres';
import { parsePostgres } from '../pg-parser';
import { walkTree } from '../sqlgate/verdict';
import { DB_SENTINEL_TAG } from '../../collectors/db/postgres-sql';
import { failurePrefix, planned, skipped } from './plan-report';

// Every statement of ours starts with DB_SENTINEL_TAG, so the collector leaves it out of the rankings.
/** Whether a prepared statement of ours is still there after the transaction (PREPARE is not transactional). */
/** Row counts of relations (any schema; the largest when a name repeats), for estimate-only plans. $1 = text[]. */
export const RELATION_ROWS_SQL = `${DB_SENTINEL_TAG} SELECT c.relname AS name, max(c.reltuples)::float8 AS rows
FROM pg_catalog.pg_class c WHERE c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'm') GROUP BY c.relname`;

export const PREPARED_STATEMENT_EXISTS_SQL = `${DB_SENTINEL_TAG} SELECT 1 AS present FROM pg_catalog.pg_prepared_statements WHERE name = $1`;
const PREPARED_NAME = 'db_sentinel_explain';

export function postgresCatalog(session: SqlSession): PostgresCatalog {
  return {
    functionVolatility: (names) => session.query<RoutineVolatility & Row>('FUNCTION_VOLATILITY_SQL', FUNCTION_VOLATILITY_SQL, [names]),
    operatorVolatility: (symbols) => session.query<RoutineVolatility & Row>('OPERATOR_VOLATILITY_SQL', OPERATOR_VOLATILITY_SQL, [symbols]),
    viewDefinitions: (names) => session.query<ViewDefinition & Row>('VIEW_DEFINITION_SQL', VIEW_DEFINITION_SQL, [names]),
  };
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
  const verdict = await gatePostgres(choice.text, postgresCatalog(session));
  if (!verdict.allowed) return skipped(verdict.reason, now());

  const tooSlow = query.mean_ms > config.analyze_max_mean_ms;
  const readOnly = { statementTimeoutMs: config.statement_timeout_ms, lockTimeoutMs: config.lock_timeout_ms };
  const context = { calls: query.calls, rows_sent: query.rows };
  try {
    if (choice.parameters === 0) {
      const options_ = tooSlow ? 'BUFFERS, FORMAT JSON' : 'ANALYZE, BUFFERS, FORMAT JSON';
      const rows = await session.readOnly((inner) => inner.query('EXPLAIN', `${DB_SENTINEL_TAG} EXPLAIN (${options_}) ${choice.text}`), readOnly);
      const document = rows[0]?.['QUERY PLAN'];
      const findings = await findingsFor(session, parsePostgresPlan(document), context);
      if (tooSlow) {
        return planned('explain', document, findings, now(),
          `mean ${query.mean_ms.toFixed(0)} ms > analyze_max_mean_ms ${config.analyze_max_mean_ms}: plain EXPLAIN, not executed`);
      }
      return planned('explain_analyze', document, findings, now(), choice.fromSample ? `literal sample from ${query.sample_source ?? 'the collector'}` : undefined);
    }
    const reason = query.sample === null ? 'no literal sample: generic plan of the normalized text, not executed'
      : 'the sample is incomplete or has parameters: generic plan of the normalized text, not executed';
    const document = await preparedGenericPlan(session, choice.text, choice.parameters, readOnly);
    return planned('generic_explain', document, await findingsFor(session, parsePostgresPlan(document), context), now(), reason);
  } catch (error: unknown) {
    return skipped(`${failurePrefix(error)}${errorMessage(error)}`, now());
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
  readOnly: { statementTimeoutMs: number; lockTimeoutMs: number }): Promise<unknown> {
  try {
    const rows = await session.readOnly(async (inner) => {
      await inner.query('SET_PLAN_CACHE_MODE', `${DB_SENTINEL_TAG} SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`);
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
