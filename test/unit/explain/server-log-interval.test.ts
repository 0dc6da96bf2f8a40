// On a PostgreSQL host with auto_explain, db_analyzer serve starts its EXPLAIN child to read the server log at most
// every explain.server_log_interval_seconds: the plans it found are cached until their observed entry expires, so a
// steady top 10 with logged plans needs no child between reads, and a child started for another reason (a pending
// plan, another database) reads the log along. The log's problems are reported every cycle, read or not.
// Driven through the daemon's own stage (deferExplain, finishExplainInChild) cycle by cycle, with a clock the test
// sets and the child's job run in-process (runExplainJob, the code of build/db_explain.js), on a real PostgreSQL 17
// jsonlog (test/fixtures/pglog, the planted workload with auto_explain) in a temp dir named by databases[].server_log.
// The PostgreSQL session answers the one statement these cycles may send, the log settings, with the row PostgreSQL
// 17.10 returned for LOG_SETTINGS_SQL under the fixture's settings (autoExplainSettings(17, 'jsonlog')); any other
// statement fails the test: a logged plan re-runs nothing. The real server is in
// test/integration/auto-explain-postgres.test.ts.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig, type DatabaseConfig, type ExplainConfig } from '../../../src/core/config';
import type { DatabaseReport, PlanMethod, SlowQuery } from '../../../src/core/report';
import { PlanCache } from '../../../src/explain';
import { deferExplain, finishExplainInChild, type ExplainInChild, type ServerLogRead } from '../../../src/explain/in-child';
import { runExplainJob } from '../../../src/explain/job';
import { PLANTED_SCENARIOS } from '../../../src/demo/planted-workload';
import { loadPostgresParser } from '../../../src/parsers/sql/postgres';
import type { Row, SqlSession } from '../../../src/sources/sql';
import { mariadbExplainStandIn } from '../../harness/mariadb-explain-standin';

const LOG_LINES = readFileSync(join(__dirname, '..', '..', 'fixtures', 'pglog', 'postgresql-17-jsonlog.json'), 'utf8')
  .split('\n').filter((line) => line !== '').map((line) => `${line}\n`);

/** LOG_SETTINGS_SQL's row from PostgreSQL 17.10 started with autoExplainSettings(17, 'jsonlog'). */
const PG17_LOG_SETTINGS: Row = {
  shared_preload: 'pg_stat_statements,auto_explain', session_preload: '', auto_explain_format: 'json',
  auto_explain_analyze: 'on', auto_explain_min_duration: '0', statement_min_duration: '-1', log_destination: 'jsonlog',
  logging_collector: 'on', log_line_prefix: '%m [%p] ', data_directory: '/var/lib/postgresql/17/main',
};

/** A PostgreSQL session that answers the log settings only; `unexpected` lists anything else sent. */
function logSettingsSession(settings: Row): SqlSession & { settingsReads: number; unexpected: string[] } {
  const session = {
    settingsReads: 0,
    unexpected: [] as string[],
    async query<R extends Row = Row>(name: string): Promise<R[]> {
      if (name === 'LOG_SETTINGS_SQL') {
        session.settingsReads += 1;
        return [settings] as R[];
      }
      session.unexpected.push(name);
      throw new Error(`unexpected statement ${name}`);
    },
    readOnly<T>(): Promise<T> {
      session.unexpected.push('a transaction');
      throw new Error('unexpected transaction');
    },
    queriesSent: 0,
    async close() {},
  };
  return session;
}

/** A jsonlog line's query id, as written (a 64-bit integer: JSON.parse would round it). */
function lineQueryId(line: string): string | null {
  return /"query_id":(-?\d+)/.exec(line)?.[1] ?? null;
}

/** The planted statement's query id as the log gives it (PostgreSQL 17 logs query ids). */
function queryIdOf(marker: string): string {
  for (const line of LOG_LINES) {
    const message = (JSON.parse(line) as { message?: string }).message ?? '';
    const id = lineQueryId(line);
    if (message.startsWith('duration:') && message.includes(marker) && id !== null) return id;
  }
  throw new Error(`no logged execution of ${marker} in the fixture`);
}

/** The planted statements as pg_stat_statements ranks them (their ids from the log), by scenario name. */
function slowQuery(name: string): SlowQuery {
  const scenario = PLANTED_SCENARIOS.find((item) => item.name === name);
  if (scenario === undefined) throw new Error(`no planted scenario ${name}`);
  return {
    rank: 1, id: queryIdOf(scenario.marker), query: scenario.sql, calls: 4, mean_ms: 100, total_ms: 400, max_ms: 120, rows: 10,
    sample: null, database: 'shop',
  };
}

/** The log's lines up to (not including) the first that logs `name`'s statement. */
function linesBefore(name: string): string[] {
  const id = slowQuery(name).id;
  const index = LOG_LINES.findIndex((line) => lineQueryId(line) === id);
  assert.ok(index > 0);
  return LOG_LINES.slice(0, index);
}

const FIRST_FOUR = ['unindexed_filter', 'sort_spill', 'misestimate', 'hash_spill'];

/** The daemon's EXPLAIN stage, cycle after cycle, on one cache and one memory of log reads; counts the child starts. */
class Daemon {
  readonly cache = new PlanCache();
  readonly logReads = new Map<string, ServerLogRead>();
  readonly childStarts: number[] = [];
  /** The last cycle's reports, by database. */
  reports = new Map<string, DatabaseReport>();
  clockMs = 0;
  readonly shopSession: ReturnType<typeof logSettingsSession>;
  readonly blogSession = mariadbExplainStandIn(() => null);
  readonly databases: Map<string, DatabaseConfig>;
  readonly explain: ExplainConfig;

  /** `dir`: state_dir, apart from the log (its state file would match the log's glob). */
  constructor(readonly dir: string, serverLog: string, settings: Row = PG17_LOG_SETTINGS) {
    this.shopSession = logSettingsSession(settings);
    const config = parseConfig({
      databases: [
        { name: 'shop', engine: 'postgresql', url: 'postgresql://db_sentinel@127.0.0.1:5432/shop', server_log: serverLog },
        { name: 'blog', engine: 'mysql', url: 'mysql://db_sentinel@127.0.0.1:3306/blog' },
      ],
      explain: { server_log_interval_seconds: 300 },
      state_dir: dir,
    }, 'test');
    this.databases = new Map(config.databases.map((database) => [database.name, database]));
    this.explain = config.explain;
  }

  now = (): Date => new Date(this.clockMs);

  private session(name: string): SqlSession {
    return name === 'shop' ? this.shopSession : this.blogSession;
  }

  /** One collection cycle at `atSeconds` with these top 10s by database. */
  async cycle(atSeconds: number, tops: Readonly<Record<string, readonly SlowQuery[]>>): Promise<void> {
    this.clockMs = atSeconds * 1000;
    const reports: DatabaseReport[] = Object.entries(tops).map(([name, top]) => ({
      name, engine: name === 'shop' ? 'postgresql' : 'mysql', version: name === 'shop' ? '17.10' : '10.11.19', up: true, problems: [],
      slow_queries: top.map((query) => ({ ...query })),
    }));
    const child: ExplainInChild = {
      jobs: [], rideAlong: [], logWanted: new Map(), logReads: this.logReads,
      run: async (job) => {
        this.childStarts.push(atSeconds);
        return runExplainJob(job, async (database) => this.session(database.name), this.now);
      },
    };
    for (const report of reports) {
      const database = this.databases.get(report.name);
      if (database === undefined) throw new Error(`no database ${report.name}`);
      await deferExplain(database, this.session(report.name), report, this.explain, this.cache, child, this.now);
    }
    await finishExplainInChild(reports, child, this.cache, this.explain, this.dir, this.now);
    this.reports = new Map(reports.map((report) => [report.name, report]));
  }

  methods(database = 'shop'): Array<PlanMethod | undefined> {
    return (this.reports.get(database)?.slow_queries ?? []).map((query) => query.plan?.method);
  }

  /** Where the child's last read of shop's log ended (its state file). */
  logOffset(): number {
    return (JSON.parse(readFileSync(join(this.dir, 'server-log-shop.json'), 'utf8')) as { position: { offset: number } }).position.offset;
  }
}

describe('serve reads the server log at most every server_log_interval_seconds', () => {
  let dir: string;
  const dirs: string[] = [];
  const freshDir = (): string => {
    const made = mkdtempSync(join(tmpdir(), 'db_sentinel-logread-'));
    dirs.push(made);
    return made;
  };
  before(async () => {
    await loadPostgresParser();
    dir = freshDir();
  });
  after(() => {
    for (const made of dirs) rmSync(made, { recursive: true, force: true });
  });

  it('a steady top 10 with logged plans starts no child between reads; the log is read again after the interval', async () => {
    const logDir = freshDir();
    writeFileSync(join(logDir, 'postgresql.json'), LOG_LINES.join(''));
    const daemon = new Daemon(freshDir(), join(logDir, '*.json'));
    const top = PLANTED_SCENARIOS.map((scenario) => slowQuery(scenario.name));
    for (let t = 0; t < 960; t += 60) {
      await daemon.cycle(t, { shop: top });
      assert.deepEqual(daemon.methods(), top.map(() => 'auto_explain'), `cycle at ${t}: ${JSON.stringify(daemon.reports.get('shop'))}`);
    }
    // The child read the log at 0, 300, 600 and 900; every other cycle set the cached logged plans.
    assert.deepEqual(daemon.childStarts, [0, 300, 600, 900]);
    assert.equal(daemon.shopSession.settingsReads, 16 + 4, 'the daemon asks for the settings every cycle, the child when it reads');
    assert.deepEqual(daemon.shopSession.unexpected, [], 'nothing but the settings was sent: no EXPLAIN, no role lookup');
    const plan = daemon.reports.get('shop')?.slow_queries.find((query) => query.id === slowQuery('nested_loop').id)?.plan;
    assert.ok(plan?.findings.some((finding) => finding.rule === 'nested_loop_inner_loops'), JSON.stringify(plan?.findings));
    assert.equal(daemon.cache.expiresAt('shop', slowQuery('nested_loop').id), 3600_000, 'cached until its observed entry expires');
  });

  it('a plan logged after a read replaces the cached generic plan at the next read, or sooner when a child runs anyway', async () => {
    const logDir = freshDir();
    const logFile = join(logDir, 'postgresql.json');
    // The log holds the first four statements' executions; nested_loop's are written later.
    const firstPart = linesBefore('nested_loop');
    writeFileSync(logFile, firstPart.join(''));
    const nestedLoop = slowQuery('nested_loop');
    const genericPlan = { method: 'generic_explain' as const, findings: [], summary: 'generic plan (estimates only): no findings' };

    // Alone: the new plan shows at the read at 300, not before.
    const alone = new Daemon(freshDir(), join(logDir, '*.json'));
    alone.cache.set('shop', nestedLoop.id, genericPlan, 3600_000);
    const shopTop = [...FIRST_FOUR.map(slowQuery), nestedLoop];
    await alone.cycle(0, { shop: shopTop });
    assert.deepEqual(alone.methods(), ['auto_explain', 'auto_explain', 'auto_explain', 'auto_explain', 'generic_explain']);
    appendFileSync(logFile, LOG_LINES.slice(firstPart.length).join(''));
    for (const t of [60, 120, 180, 240]) {
      await alone.cycle(t, { shop: shopTop });
      assert.equal(alone.methods()[4], 'generic_explain', `cycle at ${t}: the log is not read yet`);
    }
    assert.equal(alone.logOffset(), Buffer.byteLength(firstPart.join('')));
    await alone.cycle(300, { shop: shopTop });
    assert.deepEqual(alone.childStarts, [0, 300]);
    assert.equal(alone.methods()[4], 'auto_explain');
    assert.equal(alone.logOffset(), statSync(logFile).size);

    // Another database's new query starts a child at 120: shop's log is read in it.
    const stateDir = freshDir();
    writeFileSync(logFile, firstPart.join(''));
    const along = new Daemon(stateDir, join(logDir, '*.json'));
    along.cache.set('shop', nestedLoop.id, genericPlan, 3600_000);
    const blogQuery: SlowQuery = {
      rank: 1, id: 'b1', query: 'SELECT id, amount, status FROM orders WHERE customer_id = ?', calls: 40, mean_ms: 90,
      total_ms: 3600, max_ms: 100, rows: 1, sample: 'SELECT id, amount, status FROM orders WHERE customer_id = 12',
    };
    await along.cycle(0, { shop: shopTop, blog: [] });
    appendFileSync(logFile, LOG_LINES.slice(firstPart.length).join(''));
    await along.cycle(60, { shop: shopTop, blog: [] });
    assert.equal(along.methods()[4], 'generic_explain');
    await along.cycle(120, { shop: shopTop, blog: [blogQuery] });
    assert.deepEqual(along.childStarts, [0, 120]);
    assert.equal(along.methods('blog')[0], 'explain_analyze');
    assert.equal(along.methods()[4], 'auto_explain', 'read by the child blog started');
    // The read at 120 counts: the next is due at 420, not at 300.
    for (let t = 180; t < 420; t += 60) await along.cycle(t, { shop: shopTop, blog: [blogQuery] });
    await along.cycle(420, { shop: shopTop, blog: [blogQuery] });
    assert.deepEqual(along.childStarts, [0, 120, 420]);

    // shop's own new statement (no plan cached) starts a child at once, and reads the log with it.
    const own = new Daemon(freshDir(), join(logDir, '*.json'));
    writeFileSync(logFile, firstPart.join(''));
    await own.cycle(0, { shop: FIRST_FOUR.map(slowQuery) });
    appendFileSync(logFile, LOG_LINES.slice(firstPart.length).join(''));
    await own.cycle(60, { shop: shopTop });
    assert.deepEqual(own.childStarts, [0, 60]);
    assert.equal(own.methods()[4], 'auto_explain');
    assert.deepEqual(own.shopSession.unexpected, []);
  });

  it("the log's problems are reported every cycle, also when no child reads it", async () => {
    // auto_explain without ANALYZE (the settings' problem) and a configured log that matches no file (the read's).
    const daemon = new Daemon(dir, join(dir, 'missing', '*.json'), { ...PG17_LOG_SETTINGS, auto_explain_analyze: 'off' });
    const codes = (): string[] => (daemon.reports.get('shop')?.problems ?? []).map((problem) => problem.code);
    const healthy = slowQuery('healthy_lookup');
    daemon.cache.set('shop', healthy.id, { method: 'generic_explain', findings: [], summary: 'generic plan (estimates only): no findings' }, 3600_000);
    for (let t = 0; t < 720; t += 60) {
      await daemon.cycle(t, { shop: [healthy] });
      assert.deepEqual(codes(), ['auto_explain_without_analyze', 'server_log_unreadable'], `cycle at ${t}`);
    }
    assert.deepEqual(daemon.childStarts, [0, 300, 600], 'a log that cannot be read is tried again every interval, not every cycle');
    const problem = daemon.reports.get('shop')?.problems.find((item) => item.code === 'server_log_unreadable');
    assert.match(problem?.message ?? '', /cannot list .*missing: ENOENT/);
  });

  it('server_log_interval_seconds is validated like its siblings', () => {
    assert.throws(() => parseConfig({ explain: { server_log_interval_seconds: -1 } }, 'test'), /explain\.server_log_interval_seconds/);
    assert.throws(() => parseConfig({ explain: { server_log_interval_seconds: 'often' } }, 'test'), /explain\.server_log_interval_seconds/);
    assert.equal(parseConfig({}, 'test').explain.server_log_interval_seconds, 300);
  });
});
