// db_analyzer serve starts an EXPLAIN child only when a slow query lacks a usable cached plan; that child also
// re-plans the cached plans past half their TTL (refreshDue), of its databases and of the others, so plans made at
// different times expire together and a steady top 10 costs one child start per TTL, not one per plan expiry. Driven through the daemon's own stage
// (deferExplain, finishExplainInChild) with the child's job run in-process (runExplainJob, the code of
// build/db_explain.js) on a MariaDB stand-in session, and a clock the test sets: no timing margins.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseConfig, DEFAULT_EXPLAIN, type DatabaseConfig, type ExplainConfig } from '../../../src/core/config';
import type { DatabaseReport, PlanMethod, PlanReport, SlowQuery } from '../../../src/core/report';
import { PlanCache, refreshDue } from '../../../src/explain';
import { deferExplain, finishExplainInChild, type ExplainInChild } from '../../../src/explain/in-child';
import { runExplainJob } from '../../../src/explain/job';
import { EXPLAIN_TIMED_OUT } from '../../../src/explain/plan-report';
import { QueryError, type SqlSession } from '../../../src/sources/sql';
import { mariadbExplainStandIn } from '../../harness/mariadb-explain-standin';

const CONFIG: ExplainConfig = { ...DEFAULT_EXPLAIN, cache_ttl_seconds: 3600, retry_ttl_seconds: 600, generic_cache_ttl_seconds: 300 };

const DATABASES: ReadonlyMap<string, DatabaseConfig> = new Map(parseConfig({
  databases: ['shop', 'blog'].map((name) => ({ name, engine: 'mysql', url: `mysql://db_sentinel@127.0.0.1:3306/${name}` })),
}, 'test').databases.map((database) => [database.name, database]));

const query = (id: string): SlowQuery => ({
  rank: 1, id, query: `SELECT id, amount, status FROM orders WHERE customer_id = ? /* ${id} */`,
  calls: 40, mean_ms: 90, total_ms: 3600, max_ms: 100, rows: 1,
  sample: `SELECT id, amount, status FROM orders WHERE customer_id = 12 /* ${id} */`, sample_source: 'test',
});

const timeout = (): QueryError => new QueryError('shop', 'ANALYZE_FORMAT_JSON', 'ER_STATEMENT_TIMEOUT', true,
  'Query execution was interrupted (max_statement_time exceeded)');

/** The daemon's EXPLAIN stage, cycle after cycle, on one cache; counts the child starts. */
class Daemon {
  readonly cache = new PlanCache();
  readonly childStarts: number[] = [];
  /** The last cycle's database reports. */
  reports: DatabaseReport[] = [];
  clockMs = 0;
  /** Queries of shop whose samples have not come yet (sample null). */
  readonly unsampled = new Set<string>();

  constructor(readonly session: SqlSession & { explains: number }, readonly config: ExplainConfig = CONFIG) {}

  now = (): Date => new Date(this.clockMs);

  /** One collection cycle at `atSeconds` whose top 10 of shop is `ids` (and of the other databases `others`);
   * returns shop's slow queries with their plans. */
  async cycle(atSeconds: number, ids: readonly string[], others: Readonly<Record<string, readonly string[]>> = {}): Promise<SlowQuery[]> {
    this.clockMs = atSeconds * 1000;
    const reports: DatabaseReport[] = Object.entries({ shop: ids, ...others }).map(([name, top]) =>
      ({
        name, engine: 'mysql', version: '10.11.19', up: true, problems: [],
        slow_queries: top.map((id) => (name === 'shop' && this.unsampled.has(id) ? { ...query(id), sample: null } : query(id))),
      }));
    const child: ExplainInChild = {
      jobs: [],
      rideAlong: [],
      logWanted: new Map(),
      logReads: new Map(),
      run: async (job) => {
        this.childStarts.push(atSeconds);
        return runExplainJob(job, async () => this.session, this.now);
      },
    };
    for (const report of reports) {
      const database = DATABASES.get(report.name);
      if (database === undefined) throw new Error(`no database ${report.name} in the test's config`);
      await deferExplain(database, this.session, report, this.config, this.cache, child, this.now);
    }
    await finishExplainInChild(reports, child, this.cache, this.config, '/nonexistent-state-dir', this.now);
    this.reports = reports;
    return reports[0]?.slow_queries ?? [];
  }
}

/** Every minute from `from` to `to` (seconds), with shop's top 10 `ids(t)` (and the other databases' `others`). */
async function run(daemon: Daemon, from: number, to: number, ids: (atSeconds: number) => string[],
  others: Readonly<Record<string, readonly string[]>> = {}): Promise<void> {
  for (let t = from; t < to; t += 60) await daemon.cycle(t, ids(t), others);
}

describe('cached plans are refreshed together by a child that starts anyway', () => {
  it('plans that expire at different times: one child start per TTL once the first expires', async () => {
    const daemon = new Daemon(mariadbExplainStandIn(() => null));
    // a, b and c enter the top 10 ten minutes apart: three child starts, three different expiry times.
    await run(daemon, 0, 4 * 3600, (t) => ['a', ...(t >= 600 ? ['b'] : []), ...(t >= 1200 ? ['c'] : [])]);
    // At 3600 a expires; b (600 s left) and c (1200 s left) are past half their TTL and go along in the same batch.
    // Without the refresh, b and c would start children of their own at 4200, 4800, 7800, 8400, ...
    assert.deepEqual(daemon.childStarts, [0, 600, 1200, 3600, 7200, 10800]);
    assert.equal(daemon.session.explains, 3 + 3 * 3, 'every plan is made once per batch, none more often');
    for (const id of ['a', 'b', 'c']) assert.equal(daemon.cache.expiresAt('shop', id), 14_400_000, id);
  });

  it('across databases: a child started for one database takes the plans of the others along', async () => {
    const daemon = new Daemon(mariadbExplainStandIn(() => null));
    // blog's plan is made at 0, shop's at 900: without the refresh, blog's expiry at 3600 and shop's at 4500 would
    // each start a child, every hour.
    await run(daemon, 0, 4 * 3600, (t) => (t >= 900 ? ['a'] : []), { blog: ['p'] });
    assert.deepEqual(daemon.childStarts, [0, 900, 3600, 7200, 10800]);
    assert.equal(daemon.cache.expiresAt('shop', 'a'), 14_400_000);
    assert.equal(daemon.cache.expiresAt('blog', 'p'), 14_400_000);
  });

  it('a statement cached without a literal sample is EXPLAINed as soon as a sample comes, not a TTL later', async () => {
    const daemon = new Daemon(mariadbExplainStandIn(() => null));
    daemon.unsampled.add('a');
    const [first] = await daemon.cycle(0, ['a']);
    assert.equal(first?.plan?.method, 'skipped');
    assert.match(first?.plan?.reason ?? '', /^no literal sample/);
    await daemon.cycle(60, ['a']); // still no sample: the cached verdict stands, no child
    assert.deepEqual(daemon.childStarts, [0]);
    daemon.unsampled.delete('a');
    const [second] = await daemon.cycle(120, ['a']);
    assert.deepEqual(daemon.childStarts, [0, 120]);
    assert.equal(second?.plan?.method, 'explain_analyze');
    assert.equal(daemon.session.explains, 1, 'the sample-less statement itself was never run');
  });

  it('a refused EXPLAIN is reported once per cycle, with or without a child taking it along', async () => {
    const daemon = new Daemon(mariadbExplainStandIn(() => new QueryError('blog', 'ANALYZE_FORMAT_JSON', 'ER_TABLEACCESS_DENIED_ERROR', false,
      "SELECT command denied to user 'db_sentinel'@'localhost' for table `blog`.`posts`")));
    const denied = (): number => (daemon.reports.find((report) => report.name === 'blog')?.problems ?? [])
      .filter((problem) => problem.code === 'explain_permission_denied').length;
    await daemon.cycle(0, [], { blog: ['p'] });
    assert.equal(denied(), 1);
    await daemon.cycle(1800, [], { blog: ['p'] }); // due, but no child runs: the cached verdict stands
    assert.equal(denied(), 1);
    await daemon.cycle(1860, ['a'], { blog: ['p'] }); // shop's new query starts a child: blog goes along
    assert.deepEqual(daemon.childStarts, [0, 1860]);
    assert.equal(denied(), 1);
  });

  it('a plan is not refreshed before half its TTL: a new query alone starts a child and re-plans only itself', async () => {
    const daemon = new Daemon(mariadbExplainStandIn(() => null));
    await daemon.cycle(0, ['a']);
    await daemon.cycle(1799, ['a', 'b']);
    assert.equal(daemon.cache.expiresAt('shop', 'a'), 3600_000, 'a was re-planned with 1801 s of its 3600 left');
    await daemon.cycle(1800, ['a', 'b', 'c']);
    assert.deepEqual(daemon.childStarts, [0, 1799, 1800]);
    assert.equal(daemon.cache.expiresAt('shop', 'a'), 5400_000, 'a was not re-planned with 1800 s of its 3600 left');
    assert.equal(daemon.session.explains, 4);
  });

  it('timeout verdicts (retry_ttl_seconds) line up too: one retry batch per retry_ttl_seconds', async () => {
    const daemon = new Daemon(mariadbExplainStandIn(timeout));
    await run(daemon, 0, 3000, (t) => ['x', ...(t >= 120 ? ['y'] : [])]);
    // At 600 x's verdict expires; y's (120 s left of 600) is retried with it, and both then expire together.
    assert.deepEqual(daemon.childStarts, [0, 120, 600, 1200, 1800, 2400]);
    const [x, y] = await daemon.cycle(3000, ['x', 'y']);
    for (const plan of [x?.plan, y?.plan]) assert.ok(plan?.reason?.startsWith(EXPLAIN_TIMED_OUT), plan?.reason);
  });

  it('a refresh that times out keeps the plan it would replace, still valid', async () => {
    let failing = false;
    const daemon = new Daemon(mariadbExplainStandIn(() => (failing ? timeout() : null)));
    await daemon.cycle(0, ['a']);
    failing = true;
    const [a, b] = await daemon.cycle(2400, ['a', 'b']);
    assert.equal(daemon.session.explains, 3, 'b planned and a refreshed in the batch b started');
    assert.equal(a?.plan?.method, 'explain_analyze', a?.plan?.reason);
    assert.equal(daemon.cache.expiresAt('shop', 'a'), 3600_000);
    assert.ok(b?.plan?.reason?.startsWith(EXPLAIN_TIMED_OUT), b?.plan?.reason);
  });

  it('refreshes come after the queries without a plan and stop quietly at explain.budget_seconds', async () => {
    let clockMs = 0;
    // Each EXPLAIN takes 5 s of the test's clock; the budget is 6 s.
    const session = mariadbExplainStandIn(() => {
      clockMs += 5000;
      return null;
    });
    const daemon = new Daemon(session, { ...CONFIG, budget_seconds: 6 });
    daemon.now = (): Date => new Date(clockMs);
    clockMs = 0;
    await daemon.cycle(0, ['a']);
    clockMs = 1000;
    await daemon.cycle(1, ['a', 'b']);
    clockMs = 2_000_000;
    const before = session.explains;
    const plans = await daemon.cycle(2000, ['a', 'b', 'c']);
    // c (new) first: 5 s; then one refresh (a, at 5 s < 6 s): 10 s; b keeps its cached plan.
    assert.equal(session.explains - before, 2);
    assert.deepEqual(plans.map((item) => item.plan?.method), ['explain_analyze', 'explain_analyze', 'explain_analyze']);
    assert.equal(daemon.cache.expiresAt('shop', 'b'), 1000 + 5000 + 3600_000, 'b kept its cached plan: no refresh once the budget is used up');
  });

  it('refreshDue: half of the plan\'s own TTL', () => {
    const plan = (method: PlanMethod, reason?: string): PlanReport => ({ method, summary: '', findings: [], ...(reason === undefined ? {} : { reason }) });
    assert.equal(refreshDue(plan('explain_analyze'), 3600_000, 1800_000, CONFIG), true);
    assert.equal(refreshDue(plan('explain_analyze'), 3600_000, 1799_999, CONFIG), false);
    assert.equal(refreshDue(plan('generic_explain'), 300_000, 150_000, CONFIG), true);
    assert.equal(refreshDue(plan('generic_explain'), 300_000, 149_999, CONFIG), false);
    assert.equal(refreshDue(plan('skipped', `${EXPLAIN_TIMED_OUT}statement timeout`), 600_000, 299_999, CONFIG), false);
    assert.equal(refreshDue(plan('skipped', `${EXPLAIN_TIMED_OUT}statement timeout`), 600_000, 300_000, CONFIG), true);
  });
});
