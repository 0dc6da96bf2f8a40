import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import {
  gatePostgres, inspectPostgresStatement, judgeVolatility, loadPostgresParser, type PostgresCatalog, type ViewDefinition,
} from '../../../src/analysis/sqlgate/postgres';

// [statement, expected: true = passes the parser stage, or a fragment of the refusal reason]
const TABLE: Array<[string, true | string]> = [
  ['SELECT * FROM orders WHERE customer_id = $1', true],
  ['select o.id, sum(l.amount) from orders o join lines l on l.order_id = o.id group by o.id order by 2 desc limit 10', true],
  ['WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval \'1 day\') SELECT count(*) FROM recent', true],
  ['SELECT 1 /* ; DELETE FROM orders */', true],
  ['SELECT 1 -- ; DELETE FROM orders', true],
  ['(SELECT id FROM a) UNION ALL (SELECT id FROM b)', true],
  ['SELECT 1; DELETE FROM orders', '2 statements'],
  ['SELECT 1; SELECT 2', '2 statements'],
  ['DELETE FROM orders WHERE id = 1', 'DeleteStmt is not a SELECT'],
  ['UPDATE orders SET status = $1', 'UpdateStmt is not a SELECT'],
  ['INSERT INTO orders (id) VALUES (1)', 'InsertStmt is not a SELECT'],
  ['MERGE INTO orders o USING src s ON o.id = s.id WHEN MATCHED THEN DELETE', 'MergeStmt is not a SELECT'],
  ['EXPLAIN ANALYZE DELETE FROM orders', 'ExplainStmt is not a SELECT'],
  ['CALL do_work()', 'CallStmt is not a SELECT'],
  ["DO $$ BEGIN DELETE FROM orders; END $$", 'DoStmt is not a SELECT'],
  ['COPY orders TO STDOUT', 'CopyStmt is not a SELECT'],
  ['WITH gone AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM gone', 'data-modifying DeleteStmt'],
  ['WITH x AS (UPDATE orders SET status = 1 RETURNING id) SELECT * FROM x', 'data-modifying UpdateStmt'],
  ['WITH x AS (INSERT INTO audit VALUES (1) RETURNING *) SELECT * FROM x', 'data-modifying InsertStmt'],
  ['SELECT * FROM orders WHERE id = 1 FOR UPDATE', 'locks rows'],
  ['SELECT * FROM orders FOR SHARE SKIP LOCKED', 'locks rows'],
  ['SELECT * FROM (SELECT * FROM orders FOR NO KEY UPDATE) s', 'locks rows'],
  ['SELECT * INTO orders_copy FROM orders', 'SELECT INTO'],
  ["SELECT nextval('orders_id_seq')", 'nextval'],
  ["SELECT setval('orders_id_seq', 1)", 'setval'],
  ['SELECT pg_sleep(10)', 'pg_sleep'],
  ['SELECT pg_advisory_lock(1)', 'pg_advisory_lock'],
  ["SELECT dblink_exec('dbname=x', 'delete from t')", 'dblink_exec'],
  ["SELECT lo_unlink(1234)", 'lo_unlink'],
  ["SELECT set_config('work_mem', '1GB', false)", 'set_config'],
  ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity', 'pg_terminate_backend'],
  ['SELECT pg_cancel_backend(123)', 'pg_cancel_backend'],
  ['SELECT pg_stat_statements_reset()', 'pg_stat_statements_reset'],
  ['SELECT pg_catalog.pg_stat_reset()', 'pg_catalog.pg_stat_reset'],
  ['SELECT * FROM orders WHERE id IN (SELECT nextval(\'s\'))', 'nextval'],
  ['SELEC broken', 'not parsable'],
];

describe('PostgreSQL SQL gate (libpg-query)', () => {
  before(() => loadPostgresParser());

  for (const [sql, expected] of TABLE) {
    it(`${expected === true ? 'passes' : 'refuses'}: ${sql}`, () => {
      const result = inspectPostgresStatement(sql);
      if (expected === true) {
        assert.ok('facts' in result, `expected to pass, got ${JSON.stringify(result)}`);
      } else {
        assert.ok('verdict' in result, `expected a refusal, got ${JSON.stringify(result)}`);
        assert.equal(result.verdict.allowed, false);
        assert.match(result.verdict.reason, new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      }
    });
  }

  it('lists every function the tree calls, qualified where the text qualifies it', () => {
    const result = inspectPostgresStatement(
      'SELECT app.audit_touch(o.id), lower(o.note) FROM orders o WHERE o.id IN (SELECT max(id) FROM generate_series(1, 3) id)');
    assert.ok('facts' in result);
    assert.deepEqual(result.facts.functions.map((fn) => `${fn.schema ?? ''}.${fn.name}`).sort(),
      ['.generate_series', '.lower', '.max', 'app.audit_touch']);
  });

  it('refuses a call of any VOLATILE overload and of a function missing from pg_proc', () => {
    const facts = { functions: [{ schema: null, name: 'touch_audit' }, { schema: 'public', name: 'ghost' }], relations: [], operators: [] };
    const verdict = judgeVolatility(facts, [{ schema: 'public', name: 'touch_audit', provolatile: 'v' }], []);
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /VOLATILE function touch_audit/);
    assert.match(verdict.reason, /public\.ghost\(\) not found/);
  });

  describe('views: a view runs its definition when read, so the gate reads it too', () => {
    // A catalog of pg_proc/pg_class answers as PostgreSQL gives them for these objects (lower is immutable).
    const catalog = (views: ViewDefinition[]): PostgresCatalog => ({
      functionVolatility: async (names) => names.flatMap((name) => name === 'lower' ? [{ schema: 'pg_catalog', name, provolatile: 'i' }]
        : name === 'hostile_touch' ? [{ schema: 'public', name, provolatile: 'v' }] : []),
      operatorVolatility: async () => [],
      viewDefinitions: async (names) => views.filter((view) => names.includes(view.name)),
    });

    it('refuses a view whose definition calls a VOLATILE function, naming the view', async () => {
      const verdict = await gatePostgres('SELECT * FROM hostile_view',
        catalog([{ schema: 'public', name: 'hostile_view', definition: ' SELECT hostile_touch() AS touched;' }]));
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /reads view public\.hostile_view, whose definition is refused: calls VOLATILE function hostile_touch/);
    });

    it('follows views over views, and refuses a definition on the deny list', async () => {
      const verdict = await gatePostgres('SELECT * FROM reporting.outer_view',
        catalog([{ schema: 'reporting', name: 'outer_view', definition: 'SELECT * FROM inner_view' },
          { schema: 'public', name: 'inner_view', definition: 'SELECT pg_advisory_lock(1) AS locked' }]));
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /view reporting\.outer_view.*view public\.inner_view.*pg_advisory_lock/);
    });

    it('passes a view whose definition is a plain SELECT, and ignores a view of that name in another schema', async () => {
      const views = [{ schema: 'public', name: 'names', definition: 'SELECT lower(name) AS name FROM customers' },
        { schema: 'other', name: 'names', definition: 'SELECT hostile_touch() AS name' }];
      const verdict = await gatePostgres('SELECT * FROM public.names', catalog(views));
      assert.equal(verdict.allowed, true, verdict.reason);
      assert.match(verdict.reason, /1 views read/);
      const unqualified = await gatePostgres('SELECT * FROM names', catalog(views));
      assert.equal(unqualified.allowed, false, 'an unqualified name may resolve to either view');
    });

    it('refuses views nested deeper than it follows', async () => {
      const chain = Array.from({ length: 12 }, (_, level) => ({ schema: 'public', name: `v${level}`, definition: `SELECT * FROM v${level + 1}` }));
      const verdict = await gatePostgres('SELECT * FROM v0', catalog(chain));
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /nested deeper than 8/);
    });
  });
});
