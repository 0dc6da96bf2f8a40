// EXPLAIN for every slow query of one database in one collection cycle, on the collector's connection: plans cached
// per query id for explain.cache_ttl_seconds, and a time budget (explain.budget_seconds) per cycle after which the
// rest are `skipped`. Called by the database collector after the top 10 is known — never on an HTTP request path
// (db_analyzer's server serves the last collected report).
import type { ExplainConfig } from '../core/config';
import type { Engine, PlanReport, SlowQuery } from '../core/report';
import type { SqlSession } from '../sources/sql';
import {
  describeExplainError, explainPostgresQuery, explainWriteRoleSetup, readExplainIdentities, WRITE_PRIVILEGE_NOTE,
  type ExplainIdentities,
} from './postgres';
import { explainMysqlQuery } from './mysql';
import { EXPLAIN_DENIED, EXPLAIN_TIMED_OUT, failurePrefix, NO_LITERAL_SAMPLE, skipped } from './plan-report';
import type { Problem } from '../core/report';
import { loadPostgresParser } from '../parsers/sql/postgres';
import { findObservedPlan, findObservedSample, observedPlanReport, type ObservedStore } from './observed';

interface CachedPlan {
  report: PlanReport;
  expiresAt: number;
}

/** Plans by database and query id; one per process (db_analyzer's server) or per run (the cron commands load it from
 * explain.cache_file and save it back), handed to the database collector by whoever runs it. */
export class PlanCache {
  private readonly entries = new Map<string, CachedPlan>();

  get(database: string, id: string, nowMs: number): PlanReport | null {
    const entry = this.entries.get(`${database}\u0000${id}`);
    if (entry === undefined) return null;
    if (entry.expiresAt <= nowMs) {
      this.entries.delete(`${database}\u0000${id}`);
      return null;
    }
    return entry.report;
  }

  /** When the plan cached for this query expires (epoch ms), or null when none is cached. */
  expiresAt(database: string, id: string): number | null {
    return this.entries.get(`${database}\u0000${id}`)?.expiresAt ?? null;
  }

  set(database: string, id: string, report: PlanReport, expiresAt: number): void {
    this.entries.set(`${database}\u0000${id}`, { report, expiresAt });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The plans still valid at `nowMs`, for keeping the cache in a file between runs. */
  unexpired(nowMs: number): PlanCacheEntry[] {
    return [...this.entries].filter(([, entry]) => entry.expiresAt > nowMs)
      .map(([key, entry]) => ({ key, expiresAt: entry.expiresAt, report: entry.report }));
  }

  restore(entries: ReadonlyArray<PlanCacheEntry>): void {
    for (const { key, expiresAt, report } of entries) this.entries.set(key, { report, expiresAt });
  }

  /** The plans of one database still valid at `nowMs` (what db_analyzer serve hands its EXPLAIN child). */
  unexpiredOf(database: string, nowMs: number): PlanCacheEntry[] {
    return this.unexpired(nowMs).filter((entry) => entry.key.startsWith(`${database}\u0000`));
  }
}

export interface PlanCacheEntry {
  key: string;
  expiresAt: number;
  report: PlanReport;
}

/** Whether this plan was made without a literal sample: a generic plan, or MySQL's refusal for want of one. */
function madeWithoutSample(plan: PlanReport): boolean {
  return plan.method === 'generic_explain' || (plan.method === 'skipped' && (plan.reason ?? '').startsWith(NO_LITERAL_SAMPLE));
}

/** The cached plan a query may use now; one made without a sample gives way as soon as a literal sample allows a
 * better one. */
export function usableCachedPlan(cache: PlanCache, database: string, query: SlowQuery, nowMs: number): PlanReport | null {
  const cached = cache.get(database, query.id, nowMs);
  return cached !== null && !(madeWithoutSample(cached) && query.sample !== null) ? cached : null;
}

/** A timeout or a lost connection: the one failure that may not happen again. */
function timedOut(plan: PlanReport): boolean {
  return plan.method === 'skipped' && (plan.reason ?? '').startsWith(EXPLAIN_TIMED_OUT);
}

/** How long an EXPLAIN outcome is cached. Every outcome is, failures too: hostile text that fails (a recursive-CTE
 * bomb that times out) must not run again every cycle. Only a timeout or a lost connection may succeed sooner:
 * retried after retry_ttl_seconds. A generic plan is kept for generic_cache_ttl_seconds (by default as long as any
 * plan): it needs no timer to be replaced, a literal sample (usableCachedPlan) or a logged plan (in the batch that
 * next reads the server log) replaces it at once. A logged plan is cached until its observed entry expires. */
export function cacheTtlSeconds(plan: PlanReport, config: ExplainConfig): number {
  return timedOut(plan) ? Math.min(config.retry_ttl_seconds, config.cache_ttl_seconds)
    : plan.method === 'generic_explain' ? Math.min(config.generic_cache_ttl_seconds, config.cache_ttl_seconds) : config.cache_ttl_seconds;
}

/**
 * Whether a cached plan, still valid, is re-planned early by a batch that runs anyway (ExplainRequest.refreshEarly):
 * once it has lived half its TTL. Why half: after such a batch every plan of the database expires between half a
 * TTL and a TTL from then, so the next batch (started by the first of them to expire) takes all the others along,
 * and a steady top 10 costs one EXPLAIN child per TTL instead of one per plan expiry. The price is at most twice the
 * EXPLAINs of a plan (a few ms each, in a process that is running anyway) against a child start (a Node start, the
 * bundle, libpg-query's WASM, logins). Half of the plan's own TTL, not of cache_ttl_seconds: a failure verdict
 * (a statement that timed out: seconds of server CPU) is re-run at most twice per retry_ttl_seconds, never at every
 * batch.
 */
export function refreshDue(plan: PlanReport, expiresAt: number, nowMs: number, config: ExplainConfig): boolean {
  return expiresAt - nowMs <= (cacheTtlSeconds(plan, config) * 1000) / 2;
}

/** Whether this query's usable cached plan has lived half its TTL (refreshDue). A logged execution's plan is never
 * re-planned early: it stands until its observed entry expires (explain.observed_ttl_seconds), or a worse logged
 * execution replaces it when the log is read. */
function cachedRefreshDue(cache: PlanCache, database: string, query: SlowQuery, nowMs: number, config: ExplainConfig): boolean {
  const cached = usableCachedPlan(cache, database, query, nowMs);
  const expiresAt = cache.expiresAt(database, query.id);
  return cached !== null && cached.method !== 'auto_explain' && expiresAt !== null && refreshDue(cached, expiresAt, nowMs, config);
}

/** Whether a batch that runs anyway should take these queries' database along: one of its cached plans is due. */
export function plansDueForRefresh(queries: readonly SlowQuery[], database: string, cache: PlanCache, nowMs: number,
  config: ExplainConfig): boolean {
  return queries.some((query) => query.plan?.method !== 'slow_log' && cachedRefreshDue(cache, database, query, nowMs, config));
}

/** Whether EXPLAIN has work to do for these queries (explain.enabled): a query with neither a slow log plan nor a
 * usable cached one. Reads no parser: db_analyzer serve starts its EXPLAIN child only when this is true. */
export function plansPending(queries: readonly SlowQuery[], database: string, cache: PlanCache, nowMs: number): boolean {
  return queries.some((query) => query.plan?.method !== 'slow_log' && usableCachedPlan(cache, database, query, nowMs) === null);
}

export interface ExplainRequest {
  /** The configured database name (cache key, messages). */
  database: string;
  engine: Engine;
  session: SqlSession;
  config: ExplainConfig;
  cache: PlanCache;
  /** PostgreSQL: executions seen in the server log (server-log.ts); a logged plan is used, nothing is re-run. */
  observed?: ObservedStore;
  /** MySQL: a second connection for the KILL QUERY watchdog. */
  openWatchdog?: () => Promise<SqlSession>;
  now?: () => Date;
  /** Also re-plan the cached plans past half their TTL (refreshDue), after the others and while the budget lasts:
   * set by the EXPLAIN child (job.ts), whose start is the cost worth sharing. */
  refreshEarly?: boolean;
}

/** The privilege EXPLAIN lacked, as a problem with the GRANT (once per database); `role` = explain.role. */
export function explainPrivilegeProblem(queries: readonly SlowQuery[], engine: Engine, role?: string): Problem | null {
  const denied = queries.filter((query) => (query.plan?.reason ?? '').startsWith(EXPLAIN_DENIED));
  if (denied.length === 0) return null;
  const writes = engine === 'postgresql' && denied.some((query) => (query.plan?.reason ?? '').includes(WRITE_PRIVILEGE_NOTE));
  const reads = engine === 'postgresql' && role !== undefined
    ? `GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO ${role}; (explain.role) — EXPLAIN needs SELECT on the tables it plans`
    : engine === 'postgresql'
    ? 'GRANT pg_read_all_data TO db_sentinel; (PostgreSQL 14+; before: GRANT SELECT ON ALL TABLES IN SCHEMA <schema> '
      + 'TO db_sentinel;) — EXPLAIN needs SELECT on the tables it plans'
    : "GRANT SELECT ON <database>.* TO 'db_sentinel'@'localhost'; — EXPLAIN needs SELECT on the tables it plans";
  return {
    code: 'explain_permission_denied',
    message: `EXPLAIN of ${denied.length} slow ${denied.length === 1 ? 'query' : 'queries'} was refused: `
      + `${denied[0]?.plan?.reason?.slice(EXPLAIN_DENIED.length) ?? ''}`,
    // A denied write (its plain EXPLAIN needs INSERT/UPDATE/DELETE) adds the write role's setup to the read grant.
    remedy: writes
      ? `${reads}; a plain EXPLAIN of INSERT/UPDATE/DELETE needs that privilege too: ${explainWriteRoleSetup('db_sentinel')}`
      : reads,
  };
}

/** Sets `plan` on each slow query (in place) and returns them. Failures become `skipped` plans, never exceptions. */
export async function explainSlowQueries(queries: SlowQuery[], request: ExplainRequest): Promise<SlowQuery[]> {
  const now = request.now ?? (() => new Date());
  const { cache } = request;
  const { config } = request;
  if (!config.enabled) {
    for (const query of queries) if (query.plan?.method !== 'slow_log') query.plan = skipped('explain.enabled is false', now());
    return queries;
  }
  const started = now().getTime();
  const budgetMs = config.budget_seconds * 1000;
  if (request.observed !== undefined) await loadPostgresParser(); // texts are matched by fingerprint
  // PostgreSQL: whom EXPLAINs run as, read once, when the first query needs planning.
  let identities: ExplainIdentities | undefined;
  const postgresIdentities = async (): Promise<ExplainIdentities> => {
    identities ??= await readExplainIdentities(request.session, config).catch((error: unknown) => {
      const refusal = { refusal: `${failurePrefix(error)}the roles could not be read: ${describeExplainError(error)}` };
      return { read: refusal, write: refusal };
    });
    return identities;
  };
  const runExplain = async (query: SlowQuery): Promise<PlanReport> => request.engine === 'postgresql'
    ? explainPostgresQuery(request.session, query, { config, identities: await postgresIdentities(), now })
    : explainMysqlQuery(request.session, query, { config, now, ...(request.openWatchdog ? { openWatchdog: request.openWatchdog } : {}) });
  const planAndCache = async (query: SlowQuery): Promise<PlanReport> => {
    const plan = await runExplain(query);
    cache.set(request.database, query.id, plan, now().getTime() + cacheTtlSeconds(plan, config) * 1000);
    return plan;
  };
  // Cached plans re-planned early in this batch (refreshEarly).
  const due: Array<{ query: SlowQuery; cached: PlanReport }> = [];
  for (const query of queries) {
    if (query.plan?.method === 'slow_log') continue; // the plan of a real execution, observed: nothing to re-run
    if (request.observed !== undefined) {
      // Observed first: the plan of a real execution, by its author, with its parameters; nothing is re-run.
      const logged = findObservedPlan(request.observed, query, now().getTime());
      if (logged !== null) {
        query.plan = observedPlanReport(logged, query);
        // Cached like any plan, until its observed entry expires: the cycles between log reads need no child for it.
        cache.set(request.database, query.id, query.plan, logged.expiresAt);
        continue;
      }
      const sample = query.sample === null ? findObservedSample(request.observed, query, now().getTime()) : null;
      if (sample !== null) {
        query.sample = sample.text;
        query.sample_source = 'server_log';
      }
    }
    const cached = usableCachedPlan(cache, request.database, query, now().getTime());
    if (cached !== null) {
      query.plan = cached;
      const refreshDue = request.refreshEarly === true && cachedRefreshDue(cache, request.database, query, now().getTime(), config);
      if (refreshDue) due.push({ query, cached });
      continue;
    }
    if (now().getTime() - started >= budgetMs) {
      query.plan = skipped(`explain.budget_seconds (${config.budget_seconds} s) used up in this cycle; next cycle`, now());
      continue;
    }
    query.plan = await planAndCache(query);
  }
  // After the queries that had no plan, so a refresh never costs one of them its plan; the budget ends them quietly.
  for (const { query, cached } of due) {
    if (now().getTime() - started >= budgetMs) break;
    const refreshed = await runExplain(query);
    // A refresh that timed out keeps the plan it would replace (still valid; re-planned when it expires) unless that
    // was a timeout too, whose new verdict then lines up with the rest.
    if (timedOut(refreshed) && !timedOut(cached)) continue;
    query.plan = refreshed;
    cache.set(request.database, query.id, refreshed, now().getTime() + cacheTtlSeconds(refreshed, config) * 1000);
  }
  return queries;
}
