// The database collector: for each configured database, one connection, then its DatabaseReport (engine-specific
// collection in postgres.ts / mysql.ts). Databases are collected concurrently, each under its own deadline; one
// that is down, refuses the password or hangs gets up:false or a named problem and never hides the others.
// Decides db_up and db_connections.
import type { Collector } from '../collector';
import { DATABASE_METRICS } from './metrics';
import type { DatabaseConfig, ExplainConfig } from '../../core/config';
import { errorMessage } from '../../core/errors';
import type { DatabaseReport, Engine } from '../../core/report';
import { credentialFilesCheck, dbConnectionsCheck, dbUpCheck } from '../../checks/db-checks';
import { explainPrivilegeProblem, explainSlowQueries, type PlanCache } from '../../explain';
import type { ObservedStore } from '../../explain/observed';
import { observeServerLog } from '../../explain/server-log';
import { planFindingsCheck } from '../../checks/plan-findings';
import { deferExplain, finishExplainInChild, type ExplainInChild, type ServerLogRead } from '../../explain/in-child';
import type { ExplainJobRunner } from '../../explain/child-process';
import { DEFAULT_OPENERS, type SessionOpener, type SessionOpeners } from './openers';
import { exposedFileMode, type SqlSession } from '../../sources/sql';
import type { SlowQueryLimits } from './common';
import { collectMysql, DigestTextCache } from './mysql';
import { applyObservations, readSlowLog } from './mysql-slow-log';
import { collectPostgres } from './postgres';
import { collectDatabaseHealth, type HealthOptions } from './health';
import { CounterRates } from './health/counter-rate';
import type { KeptSessions } from './kept-sessions';
import { HEALTH_CHECKS, healthChecks } from '../../checks/health';

export { DEFAULT_OPENERS, type SessionOpener, type SessionOpeners };

/** `digestTexts`: MySQL/MariaDB digest texts known from earlier collections (PostgreSQL reads its texts in one pass). */
type EngineCollector = (
  session: SqlSession, report: DatabaseReport, limits: SlowQueryLimits, digestTexts: DigestTextCache,
) => Promise<void>;

const COLLECTORS: Record<Engine, EngineCollector> = {
  postgresql: collectPostgres,
  mysql: collectMysql,
};

/** Connect timeout plus two statement timeouts: a database slower than that is reported as timed out. */
export function databaseDeadlineMs(config: DatabaseConfig): number {
  return (config.connect_timeout_seconds + 2 * config.statement_timeout_seconds) * 1000;
}

/** The explain stage's settings and the plan cache it keeps between collections; `child` (db_analyzer): the EXPLAIN
 * work goes to the cycle's child process (src/explain/in-child.ts) instead of running here. */
export interface ExplainStage {
  config: ExplainConfig;
  cache: PlanCache;
  child?: ExplainInChild;
}

/** Where state that outlives a run lives (slow log positions), and the clock. */
export interface LogOptions {
  stateDir: string;
  now?: () => Date;
}

export async function collectDatabase(config: DatabaseConfig, limits: SlowQueryLimits, open: SessionOpener,
  stage?: ExplainStage, logs?: LogOptions, health?: HealthOptions, digestTexts = new DigestTextCache(), kept?: KeptSessions,
): Promise<DatabaseReport> {
  const explain = stage?.config;
  const report: DatabaseReport = { name: config.name, engine: config.engine, version: null, up: false, problems: [], slow_queries: [] };
  let session: SqlSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const work = (async () => {
    const exposedMode = config.password_file === undefined ? null : await exposedFileMode(config.password_file);
    if (exposedMode !== null) {
      report.problems.push({
        code: 'password_file_readable',
        message: `password_file ${config.password_file ?? ''} is readable by `
          + `${(exposedMode & 0o004) !== 0 ? 'others' : 'its group'} (mode ${exposedMode.toString(8).padStart(4, '0')})`,
        remedy: `chmod 600 ${config.password_file ?? ''}`,
      });
    }
    session = kept === undefined ? await open(config) : await kept.open(config, open);
    report.up = true; // connected and authenticated; a section that fails from here on is a named problem
    await COLLECTORS[config.engine](session, report, limits, digestTexts);
    // Samples and executed plans observed in the MySQL/MariaDB slow log, before anything is re-run.
    if (config.engine === 'mysql' && logs !== undefined && (report.flavor === 'mysql' || report.flavor === 'mariadb')) {
      const flavor = report.flavor;
      const observations = await readSlowLog(session, {
        database: config.name, flavor, configured: config.slow_log, stateDir: logs.stateDir,
        ttlSeconds: explain?.cache_ttl_seconds ?? 3600, now: logs.now ?? (() => new Date()),
      }, report.problems).catch((error: unknown) => {
        report.problems.push({ code: 'slow_log_failed', message: `slow query log: ${errorMessage(error)}` });
        return [];
      });
      applyObservations(report.slow_queries, observations);
      applyObservations(report.slow_queries_by_total ?? [], observations);
    }
    // Replication, wraparound, WAL, vacuum and InnoDB state on the same connection (src/collectors/db/health).
    if (health !== undefined) await collectDatabaseHealth(session, report, health);
    // Plans for the top queries, on the same connection (src/explain; its own budget and timeouts).
    if (stage?.child !== undefined && explain !== undefined && explain.enabled) {
      await deferExplain(config, session, report, explain, stage.cache, stage.child, logs?.now);
    } else if (stage !== undefined && explain !== undefined) {
      let observed: ObservedStore | undefined;
      if (config.engine === 'postgresql' && explain.enabled) {
        // Plans of real executions from the server log first (src/explain/server-log.ts).
        const stage = await observeServerLog({ database: config, config: explain, session,
          stateDir: logs?.stateDir ?? null, ...(logs?.now ? { now: logs.now } : {}) });
        report.problems.push(...stage.problems);
        observed = stage.store;
      }
      const request = {
        database: config.name, engine: config.engine, session, config: explain, cache: stage.cache, openWatchdog: () => open(config),
        ...(observed === undefined ? {} : { observed }), ...(logs?.now ? { now: logs.now } : {}),
      };
      await explainSlowQueries(report.slow_queries, request);
      if (report.slow_queries_by_total) await explainSlowQueries(report.slow_queries_by_total, request);
      const denied = explainPrivilegeProblem(report.slow_queries, config.engine, explain.role);
      if (denied !== null) report.problems.push(denied);
    }
  })();
  const deadline = new Promise<'timeout'>((resolve) => {
    const explainMs = explain?.enabled ? explain.budget_seconds * 1000 + explain.statement_timeout_ms : 0;
    timer = setTimeout(() => resolve('timeout'), databaseDeadlineMs(config) + explainMs);
  });
  try {
    const outcome = await Promise.race([work.then(() => 'done' as const), deadline]);
    if (outcome === 'timeout') {
      timedOut = true;
      const message = `no complete answer within ${databaseDeadlineMs(config) / 1000} s `
        + '(connect_timeout_seconds + 2 x statement_timeout_seconds)';
      if (report.up) report.problems.push({ code: 'collection_timeout', message });
      else report.error = `${config.name}: ${message}`;
      // The work goes on in the background until its own timeouts fire; its session is closed when it ends.
      kept?.forget(config);
      work.then(() => session?.close(), () => session?.close()).catch((error: unknown) => error);
    }
  } catch (error: unknown) {
    if (report.up) report.problems.push({ code: 'collection_failed', message: errorMessage(error) });
    else report.error = errorMessage(error);
  } finally {
    clearTimeout(timer);
  }
  if (session !== undefined && !timedOut) {
    const closeFailure = kept === undefined
      ? await session.close().then(() => null, (error: unknown) => errorMessage(error))
      : await kept.release(config, session);
    if (closeFailure !== null) report.problems.push({ code: 'close_failed', message: closeFailure });
  }
  return report;
}

/** What the database collector is given rather than reaching for: the plan cache, how sessions are opened, (db_analyzer)
 * the runner of the EXPLAIN child process, (a daemon) the sessions it keeps open between collections, and (a cron
 * command) the digest texts of its runs before, from their file (src/collectors/db/digest-text-file.ts). */
export interface DatabaseDependencies {
  planCache: PlanCache;
  openers?: SessionOpeners;
  explainChild?: ExplainJobRunner;
  keptSessions?: KeptSessions;
  digestTexts?: DigestTextCache;
}

export function createDatabasesCollector({
  planCache, openers = DEFAULT_OPENERS, explainChild, keptSessions,
  // Digest texts of the previous collections: a long-running analyzer (serve) skips reading known ones again.
  digestTexts = new DigestTextCache(),
}: DatabaseDependencies): Collector {
  // Counter samples of the previous collection, for the rates of a long-running analyzer (serve).
  const rates = new CounterRates();
  // When the EXPLAIN child last read each database's server log: read again after explain.server_log_interval_seconds.
  const logReads = new Map<string, ServerLogRead>();
  return {
    name: 'databases',
    metrics: DATABASE_METRICS,
    checks: ['db_up', 'db_connections', 'plan_findings', 'credential_files', ...HEALTH_CHECKS],
    async collect(context) {
      const limits = context.config.slow_queries;
      const health: HealthOptions = { config: context.config.health, now: context.now, rates };
      const child: ExplainInChild | undefined = explainChild === undefined ? undefined
        : { run: explainChild, jobs: [], rideAlong: [], logWanted: new Map(), logReads };
      const stage: ExplainStage = { config: context.config.explain, cache: planCache, ...(child === undefined ? {} : { child }) };
      const databases = await Promise.all(context.config.databases.map((db) => collectDatabase(db, limits, openers[db.engine], stage,
        { stateDir: context.config.state_dir, now: context.now }, health, digestTexts, keptSessions)));
      if (child !== undefined) await finishExplainInChild(databases, child, planCache, context.config.explain,
        context.config.state_dir, context.now);
      // '(defaults)' and the like: no file was read.
      const configFile = context.config.source.startsWith('(') ? null
        : { path: context.config.source, exposedMode: await exposedFileMode(context.config.source) };
      return {
        databases,
        checks: [dbUpCheck(databases), dbConnectionsCheck(databases), planFindingsCheck(databases),
          credentialFilesCheck(databases, configFile), ...healthChecks(databases, context.config.health, context.cpuCount)],
      };
    },
  };
}
