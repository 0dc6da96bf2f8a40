// The EXPLAIN stage takes a logged execution first: a slow query whose plan auto_explain logged (real PG 17 jsonlog
// fixture) gets it even over a cached generic plan, and not one statement is sent to the database for it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { explainSlowQueries, PlanCache } from '../../../src/explain';
import { emptyStore, ingestEntries } from '../../../src/explain/observed';
import { loadPostgresParser } from '../../../src/parsers/sql/postgres';
import { DEFAULT_EXPLAIN } from '../../../src/core/config';
import type { SlowQuery } from '../../../src/core/report';
import { logEntry, type ExplainEntry } from '../../../src/parsers/logs/postgres-entries';
import { parseJsonlog } from '../../../src/parsers/logs/postgres-records';
import type { SqlSession } from '../../../src/sources/sql';
import { PLANTED_SCENARIOS } from '../../../src/demo/planted-workload';

const LOG = readFileSync(join(__dirname, '..', '..', 'fixtures', 'pglog', 'postgresql-17-jsonlog.json'), 'utf8');

/** A session that fails the test if the stage sends anything. */
const untouchable: SqlSession = {
  query: async (name) => assert.fail(`statement ${name} sent`),
  readOnly: async () => assert.fail('a transaction opened'),
  queriesSent: 0,
  close: async () => undefined,
};

describe('observed plans before EXPLAIN', () => {
  before(() => loadPostgresParser());

  it('a logged plan replaces a cached generic one, and nothing is sent to the server', async () => {
    const entries = parseJsonlog(LOG).records.map(logEntry).filter((entry): entry is ExplainEntry => entry?.kind === 'plan');
    const store = ingestEntries(emptyStore(), entries, Date.now(), 3600);
    const scenario = PLANTED_SCENARIOS.find((item) => item.name === 'nested_loop');
    const entry = entries.find((item) => item.queryText === scenario?.sql);
    assert.ok(scenario && entry?.queryId);
    const query: SlowQuery = { rank: 1, id: entry.queryId, query: scenario.sql, calls: 4, mean_ms: 100, total_ms: 400, max_ms: 120, rows: 400000, sample: null, database: 'shop' };
    const cache = new PlanCache();
    cache.set('shop', entry.queryId, { method: 'generic_explain', findings: [], summary: 'generic plan (estimates only): no findings' }, Date.now() + 3_600_000);
    await explainSlowQueries([query], { database: 'shop', engine: 'postgresql', session: untouchable, config: DEFAULT_EXPLAIN, cache, observed: store });
    assert.equal(query.plan?.method, 'auto_explain');
    assert.ok(query.plan?.findings.some((finding) => finding.rule === 'nested_loop_inner_loops'), JSON.stringify(query.plan?.findings));
    assert.match(query.plan?.parameters ?? '', /^\$1 = 'click'$/);
  });
});
