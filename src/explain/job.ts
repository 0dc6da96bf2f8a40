// One cycle's EXPLAIN work for db_analyzer (serve, report), done in a short-lived child process (build/db_explain.js)
// so that the daemon never holds the SQL parsers (libpg-query's WASM, node-sql-parser) or what they allocate: the child
// exits after each batch and its memory goes back to the system. The daemon collects, ranks and caches; the child
// gets, per database, only the connection settings (the same opener: search_path pinned, TLS, password_file read by
// itself), the explain settings, the slow queries still without a usable plan, and the cached plans, and runs the
// same stage as a one-shot command: the server log (PostgreSQL, when the daemon saw it worth reading), then the gate
// and the runner (SET LOCAL ROLE, READ ONLY, timeouts) of explainSlowQueries. It returns the queries with their
// plans, its problems and the plans to cache. The job and its result are JSON on the child's stdin and stdout.
import type { DatabaseConfig, ExplainConfig } from '../core/config';
import { errorMessage } from '../core/errors';
import type { Problem, SlowQuery } from '../core/report';
import type { SqlSession } from '../sources/sql';
import { explainSlowQueries, PlanCache, type PlanCacheEntry } from './index';
import { assessLogStage, readServerLogStage } from './server-log';
import type { ObservedStore } from './observed';

export interface ExplainJobDatabase {
  database: DatabaseConfig;
  slowQueries: SlowQuery[];
  slowQueriesByTotal: SlowQuery[] | null;
  /** PostgreSQL: read the server log first (the daemon found it worth reading: it holds plans or timed statements). */
  observeLog: boolean;
  /** This database's unexpired cached plans. */
  cache: PlanCacheEntry[];
}

export interface ExplainJob {
  explain: ExplainConfig;
  /** state_dir: the server log's read position and observed plans outlive the child there. */
  stateDir: string;
  databases: ExplainJobDatabase[];
}

export interface ExplainJobOutcome {
  name: string;
  slowQueries: SlowQuery[];
  slowQueriesByTotal: SlowQuery[] | null;
  problems: Problem[];
  /** Every unexpired plan of this database after the job, to be put back in the daemon's cache. */
  cache: PlanCacheEntry[];
  /** Set when the server log was read: the read's problems (the daemon reports the settings' own every cycle, and
   * these until the next read). */
  logProblems?: Problem[];
  /** Set when the child could not work on this database at all (no connection): the reason. */
  error?: string;
}

export interface ExplainJobResult {
  databases: ExplainJobOutcome[];
}

export type JobSessionOpener = (database: DatabaseConfig) => Promise<SqlSession>;

async function runDatabase(
  job: ExplainJob, entry: ExplainJobDatabase, open: JobSessionOpener, now: () => Date,
): Promise<ExplainJobOutcome> {
  const { database } = entry;
  const outcome: ExplainJobOutcome = {
    name: database.name, slowQueries: entry.slowQueries, slowQueriesByTotal: entry.slowQueriesByTotal, problems: [], cache: entry.cache,
  };
  let session: SqlSession;
  try {
    session = await open(database);
  } catch (error: unknown) {
    return { ...outcome, error: `the EXPLAIN process could not connect to ${database.name}: ${errorMessage(error)}` };
  }
  try {
    const cache = new PlanCache();
    cache.restore(entry.cache);
    let observed: ObservedStore | undefined;
    if (entry.observeLog) {
      // The settings are read again for the log's place and line prefix; their problems are the daemon's to report.
      const assessed = await assessLogStage(session, database);
      const stage = await readServerLogStage({ database, config: job.explain, session, stateDir: job.stateDir, now }, assessed);
      outcome.logProblems = stage.problems;
      observed = stage.store;
    }
    // This child's start is the cost: plans past half their TTL are re-planned in it, so they expire together.
    const request = {
      database: database.name, engine: database.engine, session, config: job.explain, cache, now,
      openWatchdog: () => open(database), refreshEarly: true,
      ...(observed === undefined ? {} : { observed }),
    };
    await explainSlowQueries(outcome.slowQueries, request);
    if (outcome.slowQueriesByTotal !== null) await explainSlowQueries(outcome.slowQueriesByTotal, request);
    outcome.cache = cache.unexpiredOf(database.name, now().getTime());
  } finally {
    await session.close().catch((error: unknown) => outcome.problems.push({
      code: 'close_failed', message: `EXPLAIN process: ${errorMessage(error)}`,
    }));
  }
  return outcome;
}

/** The job's databases concurrently, each on its own connection; never throws for one database's failure. */
export async function runExplainJob(
  job: ExplainJob, open: JobSessionOpener, now: () => Date = () => new Date(),
): Promise<ExplainJobResult> {
  return { databases: await Promise.all(job.databases.map((entry) => runDatabase(job, entry, open, now))) };
}
