// db_analyzer's EXPLAIN stage (serve and report): decided in the analyzer's process, done in a child process
// (job.ts, child-process.ts).
// While a database's session is open the daemon asks only what needs no parser: what the server logs (one settings
// query, its problems reported every cycle) and whether every slow query already has a usable cached plan (logged
// executions' plans included). If so, and the server log is not due, the cached plans are set there and no child
// starts; otherwise the database becomes part of the cycle's one job. After the databases are collected, one child
// runs the job and its plans, problems and cache entries come back.
// A child start (~0.35 CPU-s) is the cost worth sharing: a database whose plans are all cached but some past half
// their TTL, or whose server log is worth reading but not due (explain.server_log_interval_seconds), goes along only
// when that child runs anyway. Read every cycle, the log alone started a child every minute on an auto_explain host.
import type { DatabaseConfig, ExplainConfig } from '../core/config';
import { errorMessage } from '../core/errors';
import type { DatabaseReport, Problem, SlowQuery } from '../core/report';
import type { SqlSession } from '../sources/sql';
import { explainPrivilegeProblem, explainSlowQueries, plansDueForRefresh, plansPending, usableCachedPlan, type PlanCache } from './index';
import type { ExplainJobDatabase, ExplainJobOutcome } from './job';
import type { ExplainJobRunner } from './child-process';
import { skipped } from './plan-report';
import { assessLogStage } from './server-log';

/** Time a child may take to start, load its bundle and parsers and print its result, beyond its databases' work. */
export const CHILD_ALLOWANCE_MS = 30_000;

/** The daemon's memory of a database's last server log read by a child. */
export interface ServerLogRead {
  /** The cycle's time when it was read (epoch ms). */
  atMs: number;
  /** That read's problems (log not found, unreadable, entries passed over), reported every cycle until the next. */
  problems: Problem[];
}

export interface ExplainInChild {
  run: ExplainJobRunner;
  /** This cycle's job, filled by deferExplain. */
  jobs: ExplainJobDatabase[];
  /** Databases with nothing that needs a child this cycle but something to gain from one: cached plans past half
   * their TTL (refreshDue, so that they expire with the others'), or a server log worth reading before it is due.
   * Added to the job only when a child runs anyway. */
  rideAlong: ExplainJobDatabase[];
  /** This cycle's databases whose server log is worth reading, with the cycle's time when deferExplain found so. */
  logWanted: Map<string, number>;
  /** Kept across cycles (the database collector's closure): each database's last server log read. */
  logReads: Map<string, ServerLogRead>;
}

/** Whether the child must read this database's server log this cycle: never read, or read interval seconds ago. */
function serverLogDue(read: ServerLogRead | undefined, nowMs: number, explain: ExplainConfig): boolean {
  return read === undefined || nowMs < read.atMs || nowMs - read.atMs >= explain.server_log_interval_seconds * 1000;
}

/**
 * On the collector's open session: sets the cached plans when they cover every slow query and the log is not due,
 * else adds the database to the cycle's job (its plans come from finishExplainInChild).
 */
export async function deferExplain(database: DatabaseConfig, session: SqlSession, report: DatabaseReport, explain: ExplainConfig,
  cache: PlanCache, child: ExplainInChild, now: () => Date = () => new Date()): Promise<void> {
  const nowMs = now().getTime();
  let observeLog = false;
  if (database.engine === 'postgresql') {
    const assessed = await assessLogStage(session, database);
    observeLog = assessed.wanted;
    // The settings' problems every cycle; the last read's are added by finishExplainInChild.
    report.problems.push(...assessed.problems);
    if (observeLog) child.logWanted.set(database.name, nowMs);
    else child.logReads.delete(database.name);
  }
  const byTotal = report.slow_queries_by_total ?? null;
  const job = (): ExplainJobDatabase => ({
    database, slowQueries: report.slow_queries, slowQueriesByTotal: byTotal, observeLog, cache: cache.unexpiredOf(database.name, nowMs),
  });
  if ((observeLog && serverLogDue(child.logReads.get(database.name), nowMs, explain))
    || plansPending(report.slow_queries, database.name, cache, nowMs)
    || (byTotal !== null && plansPending(byTotal, database.name, cache, nowMs))) {
    child.jobs.push(job());
    return;
  }
  // Every plan is cached: nothing is parsed, nothing runs.
  const request = { database: database.name, engine: database.engine, session, config: explain, cache, now };
  await explainSlowQueries(report.slow_queries, request);
  if (byTotal !== null) await explainSlowQueries(byTotal, request);
  if (observeLog || plansDueForRefresh(report.slow_queries, database.name, cache, nowMs, explain)
    || (byTotal !== null && plansDueForRefresh(byTotal, database.name, cache, nowMs, explain))) {
    // Its privilege problem is added by finishExplainInChild, after the child that may re-plan it.
    child.rideAlong.push(job());
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

/** The log read's problems for the report: this cycle's when the child read the log (remembered with the time), else
 * the last read's. */
function serverLogProblems(child: ExplainInChild, database: string, outcome: ExplainJobOutcome | null): Problem[] {
  const wantedAt = child.logWanted.get(database);
  if (wantedAt === undefined) return [];
  if (outcome?.logProblems !== undefined) {
    child.logReads.set(database, { atMs: wantedAt, problems: outcome.logProblems });
    return outcome.logProblems;
  }
  return child.logReads.get(database)?.problems ?? [];
}

/** Runs the cycle's job in one child and puts its plans into the reports (a failed child: cached plans or reasons). */
export async function finishExplainInChild(reports: readonly DatabaseReport[], child: ExplainInChild, cache: PlanCache,
  explain: ExplainConfig, stateDir: string, now: () => Date = () => new Date()): Promise<void> {
  const byName = new Map(reports.map((report) => [report.name, report]));
  const rideAlong = child.rideAlong.splice(0);
  // No child this cycle unless a database needs one: then the others go along.
  const jobs = child.jobs.length === 0 ? [] : [...child.jobs.splice(0), ...rideAlong];
  let outcomes: ExplainJobOutcome[] = [];
  if (jobs.length > 0) {
    try {
      outcomes = (await child.run({ explain, stateDir, databases: jobs },
        explainJobTimeoutMs(jobs.map((job) => job.database), explain))).databases;
    } catch (error: unknown) {
      const message = errorMessage(error);
      outcomes = jobs.map((job) => ({
        name: job.database.name, slowQueries: [], slowQueriesByTotal: null, problems: [], cache: [], error: message,
      }));
    }
  }
  // Without a child the ride-along databases' cached plans stand.
  for (const job of jobs.length > 0 ? jobs : rideAlong) {
    const report = byName.get(job.database.name);
    if (report === undefined) continue;
    const outcome = jobs.length === 0 ? null : outcomes.find((item) => item.name === job.database.name)
      ?? {
        name: job.database.name, slowQueries: [], slowQueriesByTotal: null, problems: [], cache: [],
        error: `the EXPLAIN child returned nothing for ${job.database.name}`,
      };
    if (outcome !== null) applyOutcome(report, outcome, cache, now);
    report.problems.push(...serverLogProblems(child, job.database.name, outcome));
    const denied = explainPrivilegeProblem(report.slow_queries, job.database.engine, explain.role);
    if (denied !== null) report.problems.push(denied);
  }
  child.logWanted.clear();
}
