import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import {
  gatePostgres, inspectPostgresStatement, loadPostgresParser, type CastRow, type OperatorRow, type PostgresCatalog,
  type RelationRow, type RoutineRow, type TargetRow, type TypeRow,
} from '../../../src/explain/gate/postgres';
import type { GateVerdict } from '../../../src/explain/gate/verdict';

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
  // INSERT, UPDATE and DELETE pass the parser stage (the runner only ever plans them, never ANALYZE); MERGE does not.
  ['DELETE FROM orders WHERE id = 1', true],
  ['UPDATE orders SET status = $1', true],
  ['INSERT INTO orders (id) VALUES (1)', true],
  ['UPDATE orders o SET (status, note) = ($1, DEFAULT) FROM customers c WHERE c.id = o.customer_id RETURNING o.id', true],
  ['INSERT INTO orders AS o (id, note) VALUES (1, DEFAULT) ON CONFLICT (id) DO UPDATE SET note = excluded.note', true],
  ['DELETE FROM ONLY orders USING customers c WHERE c.id = orders.customer_id', true],
  ['INSERT INTO orders (id) VALUES (1) ON CONFLICT (id int4_ops) DO NOTHING', 'names an operator class in ON CONFLICT'],
  ['UPDATE orders SET status = 1 WHERE CURRENT OF c', 'uses CurrentOfExpr, which the gate does not judge'],
  ['UPDATE orders SET note = hostile_seq() WHERE id IN (SELECT id FROM orders FOR UPDATE)', 'locks rows'],
  ['WITH x AS (DELETE FROM audit RETURNING id) UPDATE orders SET status = 1 WHERE id IN (SELECT id FROM x)', 'data-modifying DeleteStmt'],
  ['INSERT INTO orders SELECT pg_advisory_lock(1)', 'pg_advisory_lock(), which has side effects'],
  ['MERGE INTO orders o USING src s ON o.id = s.id WHEN MATCHED THEN DELETE', 'MergeStmt is not a SELECT, INSERT, UPDATE or DELETE'],
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
  ['SELECT pg_try_advisory_lock(1)', 'pg_try_advisory_lock(), which has side effects'],
  ["SELECT query_to_xml('delete from t returning *', true, false, '')", 'query_to_xml'],
  ["SELECT pg_read_file('/etc/passwd')", 'pg_read_file'],
  ["SELECT pg_create_physical_replication_slot('s')", 'pg_create_physical_replication_slot'],
  ["SELECT pg_drop_replication_slot('s')", 'pg_drop_replication_slot'],
  ["SELECT ts_stat('select 1')", 'ts_stat'],
  ['SELECT txid_current()', 'txid_current'],
  ['SELECT pg_reload_conf()', 'pg_reload_conf'],
  ["SELECT * FROM XMLTABLE('/a' PASSING '<a/>' COLUMNS x int)", 'uses RangeTableFunc, which the gate does not judge'],
  ["SELECT xmlparse(document '<a/>')", 'uses XmlExpr, which the gate does not judge'],
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

  it('lists operators (implicit comparisons, BETWEEN, ANY subqueries, ORDER BY USING), types and attribute names', () => {
    const result = inspectPostgresStatement(
      "SELECT c.total, (c).score, x::app.money2 FROM t c WHERE a BETWEEN 1 AND 2 AND b =#= ANY (SELECT 1) ORDER BY a USING ~<~");
    assert.ok('facts' in result);
    const operators = result.facts.operators.map((op) => op.name);
    for (const symbol of ['=', '<>', '<', '>', '<=', '>=', '=#=', '~<~']) assert.ok(operators.includes(symbol), symbol);
    assert.ok(!operators.includes('BETWEEN'));
    assert.deepEqual(result.facts.types, [{ schema: 'app', name: 'money2' }]);
    assert.deepEqual(result.facts.attributes.sort(), ['score', 'total']);
  });

  describe('catalog rules', () => {
    // pg_proc / pg_operator / pg_type / pg_class answers as PostgreSQL 17 gives them for these objects (OIDs of
    // initdb's objects are below 16384, later ones above).
    const routines: RoutineRow[] = [
      { oid: 870, schema: 'pg_catalog', name: 'lower', volatility: 'i', args: 1, extension: null },
      { oid: 16500, schema: 'public', name: 'lower', volatility: 'i', args: 1, extension: null },
      { oid: 2147, schema: 'pg_catalog', name: 'count', volatility: 'i', args: 1, extension: null },
      { oid: 1598, schema: 'pg_catalog', name: 'random', volatility: 'v', args: 0, extension: null },
      { oid: 3036, schema: 'pg_catalog', name: 'pg_notify_queue_usage', volatility: 'v', args: 0, extension: null },
      { oid: 16600, schema: 'public', name: 'similarity', volatility: 'i', args: 2, extension: 'pg_trgm' },
      { oid: 16700, schema: 'public', name: 'wrap', volatility: 's', args: 1, extension: null },
    ];
    const operators: OperatorRow[] = ['=', '<>', '<', '>', '<=', '>='].map((name, index) => ({
      oid: 96 + index, schema: 'pg_catalog', name, extension: null, code_oid: 65 + index, code: `pg_catalog.f${index}`,
      code_extension: null, code_volatility: 'i',
    }));
    const catalog = (extra: Partial<{ operators: OperatorRow[]; relations: RelationRow[]; casts: CastRow[]; types: TypeRow[]; targets: TargetRow[] }> = {}): PostgresCatalog => ({
      routines: async (names) => routines.filter((row) => names.includes(row.name)),
      operators: async (symbols) => [...operators, ...(extra.operators ?? [])].filter((row) => symbols.includes(row.name)),
      types: async (names) => [{ oid: 25, schema: 'pg_catalog', name: 'text', extension: null }, ...(extra.types ?? [])]
        .filter((row) => names.includes(row.name)),
      relations: async (names) => (extra.relations ?? []).filter((row) => names.includes(row.root_name)),
      targets: async (names) => (extra.targets ?? []).filter((row) => names.includes(row.root_name)),
      userCasts: async () => extra.casts ?? [],
    });
    const table = (name: string, rest: Partial<RelationRow> = {}): RelationRow => ({
      root_schema: 'public', root_name: name, schema: 'public', name, kind: 'r', row_security: false, definition: null,
      foreign_columns: [], foreign_dependencies: [], ...rest,
    });
    const gate = (sql: string, extra?: Parameters<typeof catalog>[0], allowedExtensions: string[] = []): Promise<GateVerdict> =>
      gatePostgres(sql, catalog(extra), { allowedExtensions });

    it('passes built-ins on plain tables, naming what it checked', async () => {
      const verdict = await gate("SELECT count(*), random() FROM orders WHERE note = 'x'::text", { relations: [table('orders')] });
      assert.equal(verdict.allowed, true, verdict.reason);
      assert.match(verdict.reason, /all built in; 1 relations read/);
    });

    it('refuses a name with any non-built-in overload in any schema (public.lower shadowing the built-in)', async () => {
      const verdict = await gate('SELECT lower(note) FROM orders', { relations: [table('orders')] });
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /calls public\.lower\(\), which is not built in/);
    });

    it('refuses attribute notation that may call a user function, and a VOLATILE built-in not known harmless', async () => {
      assert.match((await gate('SELECT o.wrap FROM orders o', { relations: [table('orders')] })).reason,
        /\.wrap may call public\.wrap\(\) by attribute notation, which is not built in/);
      assert.match((await gate('SELECT pg_notify_queue_usage()')).reason, /VOLATILE function pg_catalog\.pg_notify_queue_usage/);
    });

    it('an extension counts as built in only when the config names it', async () => {
      assert.match((await gate("SELECT similarity('a', 'b')")).reason,
        /belongs to extension pg_trgm, not allowed by explain\.allowed_extensions/);
      assert.equal((await gate("SELECT similarity('a', 'b')", {}, ['pg_trgm'])).allowed, true);
    });

    it('refuses user operators, operators over user functions, user types and user casts between built-in types', async () => {
      const userEquals: OperatorRow = { oid: 16800, schema: 'public', name: '=', extension: null, code_oid: 16801, code: 'public.eq', code_extension: null, code_volatility: 'i' };
      assert.match((await gate('SELECT 1 WHERE 1 = 1', { operators: [userEquals] })).reason, /uses operator public\.=, which is not built in/);
      const builtInSymbolUserCode: OperatorRow = { ...userEquals, oid: 500, code: 'public.eq' };
      assert.match((await gate('SELECT 1 WHERE 1 = 1', { operators: [builtInSymbolUserCode] })).reason, /operator = runs public\.eq\(\), which is not built in/);
      assert.match((await gate("SELECT 'x'::text", { types: [{ oid: 16900, schema: 'public', name: 'text', extension: null }] })).reason,
        /names type public\.text, which is not built in/);
      assert.match((await gate('SELECT 1', { casts: [{ source: 'integer', target: 'text' }] })).reason,
        /a cast from integer to text is not built in and could apply/);
    });

    it('refuses RLS, user-typed columns, foreign tables, non-built-in code of indexes, and names the child it came through', async () => {
      const relations = [
        table('secured', { row_security: true }),
        table('typed', { foreign_columns: ['v app.dom'] }),
        table('parent'), table('parent', { schema: 'public', name: 'remote_part', kind: 'f' }),
        table('indexed', { foreign_dependencies: ['function public.wrap(integer)'] }),
      ];
      const reason = async (name: string): Promise<string> => (await gate(`SELECT * FROM ${name}`, { relations })).reason;
      assert.match(await reason('secured'), /reads table public\.secured, which has row-level security/);
      assert.match(await reason('typed'), /whose column v app\.dom is not of a built-in type/);
      assert.match(await reason('parent'), /reads foreign table public\.remote_part \(a child of public\.parent\)/);
      assert.match(await reason('indexed'), /which depends on function public\.wrap\(integer\), which is not built in/);
    });
  });

  describe('INSERT/UPDATE/DELETE: the target judged as written (planning folds defaults and runs rules)', () => {
    const routines: RoutineRow[] = [{ oid: 1598, schema: 'pg_catalog', name: 'random', volatility: 'v', args: 0, extension: null }];
    const catalog = (relations: RelationRow[], targets: TargetRow[]): PostgresCatalog => ({
      routines: async (names) => routines.filter((row) => names.includes(row.name)),
      operators: async (symbols) => symbols.map((name, index) => ({ oid: 96 + index, schema: 'pg_catalog', name, extension: null,
        code_oid: 65, code: 'pg_catalog.int4eq', code_extension: null, code_volatility: 'i' })),
      types: async () => [],
      relations: async (names) => relations.filter((row) => names.includes(row.root_name)),
      targets: async (names) => targets.filter((row) => names.includes(row.root_name)),
      userCasts: async () => [],
    });
    const relation = (name: string, rest: Partial<RelationRow> = {}): RelationRow => ({
      root_schema: 'public', root_name: name, schema: 'public', name, kind: 'r', row_security: false, definition: null,
      foreign_columns: [], foreign_dependencies: [], ...rest,
    });
    const target = (name: string, rest: Partial<TargetRow> = {}): TargetRow => ({
      root_schema: 'public', root_name: name, schema: 'public', name, kind: 'r', rules: [], write_dependencies: [], ...rest,
    });
    const gate = (sql: string, relations: RelationRow[], targets: TargetRow[]) => gatePostgres(sql, catalog(relations, targets), { allowedExtensions: [] });

    it('passes a write on a plain table with built-in triggers and defaults, naming the command and target', async () => {
      const verdict = await gate('UPDATE orders SET note = $1 WHERE id = $2', [relation('orders')], [target('orders')]);
      assert.equal(verdict.allowed, true, verdict.reason);
      assert.deepEqual(verdict.write, { command: 'UPDATE', target: { schema: null, name: 'orders' } });
      assert.match(verdict.reason, /single UPDATE \(plain EXPLAIN only\).*target orders without rules/);
      assert.equal((await gate('SELECT 1 FROM orders', [relation('orders')], [])).write, undefined);
    });

    it('refuses a target with a user trigger, a user default, a rule, a view target, and names the partition it came through', async () => {
      const reason = async (sql: string, targets: TargetRow[]): Promise<string> => {
        const verdict = await gate(sql, [relation('orders')], targets);
        assert.equal(verdict.allowed, false, sql);
        return verdict.reason;
      };
      assert.match(await reason('UPDATE orders SET note = 1', [target('orders', { write_dependencies: ['trigger audit on table public.orders uses function public.audit()'] })]),
        /UPDATE writes table public\.orders, whose trigger audit on table public\.orders uses function public\.audit\(\), which is not built in/);
      assert.match(await reason('INSERT INTO orders (id) VALUES (1)', [target('orders', { write_dependencies: ['default value for column note of table public.orders uses function public.stamp()'] })]),
        /INSERT writes table public\.orders, whose default value for column note .* uses function public\.stamp\(\)/);
      assert.match(await reason('DELETE FROM orders', [target('orders', { rules: ['archive'] })]), /has rule archive \(rules rewrite it/);
      assert.match(await reason('DELETE FROM orders', [target('orders', { kind: 'v' })]), /DELETE writes view public\.orders, which only plain and partitioned tables may be/);
      assert.match(await reason('DELETE FROM orders', [target('orders', { kind: 'p' }), target('orders', { name: 'orders_2024', write_dependencies: ['trigger t on table public.orders_2024 uses function public.f()'] })]),
        /table public\.orders_2024 \(a child of public\.orders\), whose trigger t/);
      assert.match(await reason('DELETE FROM orders', []), /DELETE target orders not found in pg_class/);
    });

    it('judges the target as a read relation too (row-level security refuses it)', async () => {
      const verdict = await gate('DELETE FROM orders', [relation('orders', { row_security: true })], [target('orders')]);
      assert.match(verdict.reason, /reads table public\.orders, which has row-level security/);
    });
  });

  describe('views: a view runs its definition when read, so the gate reads it too', () => {
    const catalog = (views: Array<{ schema: string; name: string; definition: string }>): PostgresCatalog => ({
      routines: async (names) => [
        { oid: 870, schema: 'pg_catalog', name: 'lower', volatility: 'i', args: 1, extension: null },
        { oid: 16400, schema: 'public', name: 'hostile_touch', volatility: 'v', args: 0, extension: null },
        { oid: 2926, schema: 'pg_catalog', name: 'pg_advisory_lock', volatility: 'v', args: 1, extension: null },
      ].filter((row) => names.includes(row.name)),
      operators: async (symbols) => symbols.map((name, index) => ({ oid: 96 + index, schema: 'pg_catalog', name, extension: null,
        code_oid: 65, code: 'pg_catalog.int4eq', code_extension: null, code_volatility: 'i' })),
      types: async () => [],
      relations: async (names) => [...views.map((view) => ({ ...view, kind: 'v' })), { schema: 'public', name: 'customers', definition: null, kind: 'r' }]
        .filter((row) => names.includes(row.name))
        .map((row) => ({ root_schema: row.schema, root_name: row.name, row_security: false, foreign_columns: [], foreign_dependencies: [], ...row })),
      targets: async () => [],
      userCasts: async () => [],
    });
    const gate = (sql: string, views: Parameters<typeof catalog>[0]): Promise<GateVerdict> => gatePostgres(sql, catalog(views), { allowedExtensions: [] });

    it('refuses a view whose definition calls a user function, naming the view', async () => {
      const verdict = await gate('SELECT * FROM hostile_view', [{ schema: 'public', name: 'hostile_view', definition: ' SELECT hostile_touch() AS touched;' }]);
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /reads view public\.hostile_view, whose definition is refused: calls public\.hostile_touch\(\), which is not built in/);
    });

    it('follows views over views, and refuses a definition on the deny list', async () => {
      const verdict = await gate('SELECT * FROM reporting.outer_view', [{ schema: 'reporting', name: 'outer_view', definition: 'SELECT * FROM inner_view' },
        { schema: 'public', name: 'inner_view', definition: 'SELECT pg_advisory_lock(1) AS locked' }]);
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /view reporting\.outer_view.*view public\.inner_view.*pg_advisory_lock/);
    });

    it('passes a view whose definition is a plain SELECT, and ignores a view of that name in another schema', async () => {
      const views = [{ schema: 'public', name: 'names', definition: 'SELECT lower(name) AS name FROM customers' },
        { schema: 'other', name: 'names', definition: 'SELECT hostile_touch() AS name' }];
      const verdict = await gate('SELECT * FROM public.names', views);
      assert.equal(verdict.allowed, true, verdict.reason);
      assert.match(verdict.reason, /1 views' definitions checked/);
      const unqualified = await gate('SELECT * FROM names', views);
      assert.equal(unqualified.allowed, false, 'an unqualified name may resolve to either view');
    });

    it('refuses views nested deeper than it follows', async () => {
      const chain = Array.from({ length: 12 }, (_, level) => ({ schema: 'public', name: `v${level}`, definition: `SELECT * FROM v${level + 1}` }));
      const verdict = await gate('SELECT * FROM v0', chain);
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /nested deeper than 8/);
    });
  });
});
