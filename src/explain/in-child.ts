// db_analyzer's EXPLAIN stage (serve and report): decided in the analyzer's process, done in a child process
// (job.ts, child-process.ts).
// While a database's session is open the daemon asks only what needs no parser: whether the server log holds
// anything to read (one settings query) and whether every slow query already has a usable cached plan. If so the
// cached plans are set there and no child starts; otherwise the database becomes part of the cycle's one job. After
// the databases are collected, one child runs the job and its plans, problems and cache entries come back.
// A database whose plans are all cached but some past half their TTL goes along only when that child runs anyway.
import type { DatabaseConfig, ExplainConfig } from '../core/config';
import { errorMessage } from '../core/errors';
import type { DatabaseReport, SlowQuery } from '../core/report';
import type { SqlSession } from '../sources/sql';
import { explainPrivilegeProblem, explainSlowQueries, plansDueForRefresh, plansPending, usableCachedPlan, type PlanCache } from './index';
import type { ExplainJobDatabase, ExplainJobOutcome } from './job';
import type { ExplainJobRunner } from './child-process';
import { skipped } from './plan-report';
import { assessLogStage } from './server-log';

/** Time a child may take to start, load its bundle and parsers and print its result, beyond its databases' work. */
export const CHILD_ALLOWANCE_MS = 30_000;

export interface ExplainInChild {
  run: ExplainJobRunner;
  /** This cycle's job, filled by deferExplain. */
  jobs: ExplainJobDatabase[];
  /** Databases whose plans are all cached but some past half their TTL: added to the job only when a child runs
   * anyway, so that their plans expire with the others' and start no child of their own (refreshDue). */
  refreshable: ExplainJobDatabase[];
}

/**
 * On the collector's open session: sets the cached plans when they cover every slow query and the log has nothing
 * to read, else adds the database to the cycle's job (its plans come from finishExplainInChild).
 */
export async function deferExplain(database: DatabaseConfig, session: SqlSession, report: DatabaseReport, explain: ExplainConfig,
  cache: PlanCache, child: ExplainInChild, now: () => Date = () => new Date()): Promise<void> {
  let observeLog = false;
  if (database.engine === 'postgresql') {
    const assessed = await assessLogStage(session, database);
    observeLog = assessed.wanted;
    // Read again by the child when it reads the log; reported here when it does not.
    if (!observeLog) report.problems.push(...assessed.problems);
  }
  const nowMs = now().getTime();
  const byTotal = report.slow_queries_by_total ?? null;
  if (observeLog || plansPending(report.slow_queries, database.name, cache, nowMs)
    || (byTotal !== null && plansPending(byTotal, database.name, cache, nowMs))) {
    child.jobs.push({
      database, slowQueries: report.slow_queries, slowQueriesByTotal: byTotal, observeLog, cache: cache.unexpiredOf(database.name, nowMs),
    });
    return;
  }
  // Every plan is cached: nothing is parsed, nothing runs.
  const request = { database: database.name, engine: database.engine, session, config: explain, cache, now };
  await explainSlowQueries(report.slow_queries, request);
  if (byTotal !== null) await explainSlowQueries(byTotal, request);
  if (plansDueForRefresh(report.slow_queries, database.name, cache, nowMs, explain)
    || (byTotal !== null && plansDueForRefresh(byTotal, database.name, cache, nowMs, explain))) {
    // Its privilege problem is added by finishExplainInChild, after the child that may re-plan it.
    child.refreshable.push({
      database, slowQueries: report.slow_queries, slowQueriesByTotal: byTotal, observeLog, cache: cache.unexpiredOf(database.name, nowMs),
    });
    return;
  }
  const denied = explainPrivilegeProblem(report.slow_queries, database.engine, explain.role);
  if (denied !== null) report.problems.push(denied);
}

/** How long the child may run: the slowest database's connect, both lists' budgets and a last statement each. */
export function explainJobTimeoutMs(databases: readonly DatabaseConfig[], explain: ExplainConfig): number {
  const perDatabase = databases.map((database) =>
    database.connect_timeout_seconds * 1000 + 2 * (explain.budget_seconds * 1000 + explain.statement_timeout_ms));
  return Math.max(0, ...perDatabase) + CHILD_ALLOWANCE_MS;
}

/** Cached plans where there are, the reason elsewhere: the cycle's child failed; it is tried again next cycle. */
function planWithoutChild(queries: SlowQuery[], database: string, cache: PlanCache, reason: string, now: () => Date): void {
  for (const query of queries) {
    if (query.plan?.method === 'slow_log') continue;
    query.plan = usableCachedPlan(cache, database, query, now().getTime()) ?? skipped(`${reason}; tried again next cycle`, now());
  }
}

function applyOutcome(report: DatabaseReport, outcome: ExplainJobOutcome, cache: PlanCache, now: () => Date): void {
  if (outcome.error !== undefined) {
    planWithoutChild(report.slow_queries, report.name, cache, outcome.error, now);
    planWithoutChild(report.slow_queries_by_total ?? [], report.name, cache, outcome.error, now);
    report.problems.push({ code: 'explain_process_failed', message: outcome.error });
    return;
  }
  report.slow_queries = outcome.slowQueries;
  if (outcome.slowQueriesByTotal !== null) report.slow_queries_by_total = outcome.slowQueriesByTotal;
  report.problems.push(...outcome.problems);
  cache.restore(outcome.cache);
}

/** Runs the cycle's job in one child and puts its plans into the reports (a failed child: cached plans or reasons). */
export async function finishExplainInChild(reports: readonly DatabaseReport[], child: ExplainInChild, cache: PlanCache,
  explain: ExplainConfig, stateDir: string, now: () => Date = () => new Date()): Promise<void> {
  const byName = new Map(reports.map((report) => [report.name, report]));
  const refreshable = child.refreshable.splice(0);
  if (child.jobs.length === 0) {
    // No child this cycle: their cached plans stand.
    for (const job of refreshable) {
      const report = byName.get(job.database.name);
      const denied = report === undefined ? null : explainPrivilegeProblem(report.slow_queries, job.database.engine, explain.role);
      if (report !== undefined && denied !== null) report.problems.push(denied);
    }
    return;
  }
  const jobs = [...child.jobs.splice(0), ...refreshable];
  let outcomes: ExplainJobOutcome[];
  try {
    outcomes = (await child.run({ explain, stateDir, databases: jobs },
      explainJobTimeoutMs(jobs.map((job) => job.database), explain))).databases;
  } catch (error: unknown) {
    const message = errorMessage(error);
    outcomes = jobs.map((job) => ({
      name: job.database.name, slowQueries: [], slowQueriesByTotal: null, problems: [], cache: [], error: message,
    }));
  }
  for (const job of jobs) {
    const report = byName.get(job.database.name);
    if (report === undefined) continue;
    const outcome = outcomes.find((item) => item.name === job.database.name)
      ?? {
        name: job.database.name, slowQueries: [], slowQueriesByTotal: null, problems: [], cache: [],
        error: `the EXPLAIN child returned nothing for ${job.database.name}`,
      };
    applyOutcome(report, outcome, cache, now);
    const denied = explainPrivilegeProblem(report.slow_queries, job.database.engine, explain.role);
    if (denied !== null) report.problems.push(denied);
  }
}
