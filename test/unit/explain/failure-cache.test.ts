// A failed EXPLAIN is cached like a verdict: hostile text that always fails, or times out (a recursive-CTE bomb),
// must not run again every cycle — not in the second top list of the same cycle, nor in the next cycles. Failures
// that will fail again (syntax, privilege) wait cache_ttl_seconds; timeouts and lost connections retry_ttl_seconds.
// And the MariaDB runner's last line of defence: a user lock released after the EXPLAIN replaces its plan.
// The session is a stand-in answering the MariaDB runner's statements by name (test/harness/mariadb-explain-standin.ts);
// the real server's behaviour is in test/integration/explain-mariadb.test.ts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { explainSlowQueries, PlanCache } from '../../../src/explain';
import { EXPLAIN_DENIED, EXPLAIN_FAILED, EXPLAIN_TIMED_OUT } from '../../../src/explain/plan-report';
import { DEFAULT_EXPLAIN, type ExplainConfig } from '../../../src/core/config';
import type { SlowQuery } from '../../../src/core/report';
import { QueryError, type SqlSession } from '../../../src/sources/sql';
import { mariadbExplainStandIn as failingSession } from '../../harness/mariadb-explain-standin';

const SECRET = 'secret-9f3c';

const bomb = (): SlowQuery => ({
  rank: 1, id: 'bomb', query: 'WITH RECURSIVE r (n) AS (SELECT ? UNION ALL SELECT n + ? FROM r) SELECT COUNT(*) FROM r',
  calls: 4, mean_ms: 900, total_ms: 3600, max_ms: 1000, rows: 1,
  sample: 'WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r', sample_source: 'test',
});

const CONFIG: ExplainConfig = { ...DEFAULT_EXPLAIN, cache_ttl_seconds: 3600, retry_ttl_seconds: 600 };

async function cycle(session: SqlSession, cache: PlanCache, atSeconds: number): Promise<SlowQuery[]> {
  const now = (): Date => new Date(atSeconds * 1000);
  const request = { database: 'shop', engine: 'mysql' as const, session, config: CONFIG, cache, now };
  // Both top lists of one cycle, as the database collector explains them.
  const byMean = await explainSlowQueries([bomb()], request);
  const byTotal = await explainSlowQueries([bomb()], request);
  return [...byMean, ...byTotal];
}

describe('failed EXPLAINs are cached', () => {
  it('a timeout runs once per retry_ttl_seconds, not twice every cycle', async () => {
    const session = failingSession(() => new QueryError('shop', 'ANALYZE_FORMAT_JSON', 'ER_STATEMENT_TIMEOUT', true,
      `Query execution was interrupted (max_statement_time exceeded) near '${SECRET}'`));
    const cache = new PlanCache();
    const first = await cycle(session, cache, 1_000);
    assert.equal(session.explains, 1, 'the second list of the same cycle ran it again');
    for (const query of first) {
      assert.equal(query.plan?.method, 'skipped');
      assert.ok(query.plan?.reason?.startsWith(EXPLAIN_TIMED_OUT), query.plan?.reason);
      assert.doesNotMatch(JSON.stringify(query.plan), new RegExp(SECRET), 'the server message reached the report');
    }
    for (const second of [1_060, 1_300, 1_599]) await cycle(session, cache, second);
    assert.equal(session.explains, 1, 'retried before retry_ttl_seconds');
    await cycle(session, cache, 1_600);
    assert.equal(session.explains, 2, 'not retried after retry_ttl_seconds');
  });

  for (const [what, error, prefix] of [
    ['a syntax error', () => new QueryError('shop', 'ANALYZE_FORMAT_JSON', 'ER_PARSE_ERROR', false, `You have an error near '${SECRET}'`), EXPLAIN_FAILED],
    ['a missing privilege', () => new QueryError('shop', 'ANALYZE_FORMAT_JSON', 'ER_TABLEACCESS_DENIED_ERROR', false,
      "SELECT command denied to user 'db_sentinel'@'localhost' for table `shop`.`orders`"), EXPLAIN_DENIED],
  ] as const) {
    it(`${what} waits cache_ttl_seconds like a verdict`, async () => {
      const session = failingSession(error);
      const cache = new PlanCache();
      const [plan] = await cycle(session, cache, 1_000);
      assert.ok(plan?.plan?.reason?.startsWith(prefix), plan?.plan?.reason);
      assert.doesNotMatch(plan?.plan?.reason ?? '', new RegExp(SECRET));
      await cycle(session, cache, 1_000 + 601);
      await cycle(session, cache, 1_000 + 3599);
      assert.equal(session.explains, 1, 'retried before cache_ttl_seconds');
      await cycle(session, cache, 1_000 + 3600);
      assert.equal(session.explains, 2);
    });
  }

  it('retry_ttl_seconds is validated, and never outlasts cache_ttl_seconds', async () => {
    const { parseConfig } = await import('../../../src/core/config');
    assert.equal(parseConfig({}, 'test').explain.retry_ttl_seconds, 600);
    assert.throws(() => parseConfig({ explain: { retry_ttl_seconds: -1 } }, 'test'), /explain\.retry_ttl_seconds/);
    const session = failingSession(() => new QueryError('shop', 'ANALYZE_FORMAT_JSON', null, false, 'connection lost: read ECONNRESET'));
    const cache = new PlanCache();
    const request = { database: 'shop', engine: 'mysql' as const, session, cache, now: () => new Date(0),
      config: { ...CONFIG, cache_ttl_seconds: 60, retry_ttl_seconds: 600 } };
    await explainSlowQueries([bomb()], request);
    assert.equal(cache.get('shop', 'bomb', 59_999)?.reason?.startsWith(EXPLAIN_TIMED_OUT), true);
    assert.equal(cache.get('shop', 'bomb', 60_000), null);
  });
});

describe('user locks after a MariaDB EXPLAIN', () => {
  for (const [released, method] of [[0, 'explain_analyze'], [1, 'skipped']] as const) {
    it(`RELEASE_ALL_LOCKS() releasing ${released} lock(s): ${method}`, async () => {
      const query = { ...bomb(), id: 'plain', sample: 'SELECT id, amount, status FROM orders WHERE customer_id = 12' };
      await explainSlowQueries([query], { database: 'shop', engine: 'mysql', session: failingSession(() => null, released), config: CONFIG, cache: new PlanCache() });
      assert.equal(query.plan?.method, method, query.plan?.summary);
      if (released > 0) assert.equal(query.plan?.reason, 'the statement took 1 user locks although the gate passed it; released them');
      else assert.ok(query.plan?.findings.some((finding) => finding.rule === 'full_table_scan'), query.plan?.summary);
    });
  }
});
