import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { gateMysql, inspectMysqlStatement, type MysqlCatalog, type MysqlViewDefinition } from '../../../src/analysis/sqlgate/mysql';
import type { Flavor } from '../../../src/core/report';

// [statement, expected: true = passes the parser stage, or a fragment of the refusal reason]
const TABLE: Array<[string, true | string]> = [
  ['SELECT * FROM orders WHERE customer_id = ?', true],
  ['SELECT `o`.`id`, SUM(`l`.`amount`) FROM `orders` `o` JOIN `lines` `l` ON `l`.`order_id` = `o`.`id` GROUP BY `o`.`id` ORDER BY 2 DESC LIMIT 10', true],
  ["SELECT COUNT(*) FROM orders WHERE note LIKE '%x%'", true],
  ['SELECT 1 /* ; DELETE FROM orders */', true],
  ['(SELECT id FROM a) UNION (SELECT id FROM b)', true],
  ['SELECT 1; DELETE FROM orders', '2 statements'],
  ['DELETE FROM orders WHERE id = 1', 'DELETE is not a SELECT'],
  ['UPDATE orders SET status = 1', 'UPDATE is not a SELECT'],
  ['INSERT INTO orders (id) VALUES (1)', 'INSERT is not a SELECT'],
  ['REPLACE INTO orders (id) VALUES (1)', 'REPLACE is not a SELECT'],
  ['SELECT * FROM orders WHERE id = 1 FOR UPDATE', 'locks rows'],
  ['SELECT * FROM orders WHERE id = 1 LOCK IN SHARE MODE', 'locks rows'],
  ['SELECT id INTO @last FROM orders LIMIT 1', 'SELECT INTO'],
  ["SELECT id FROM orders INTO OUTFILE '/tmp/orders.txt'", 'SELECT INTO'],
  ['SELECT @n := @n + 1 FROM orders', 'assigns a user variable'],
  ['SELECT SLEEP(5)', 'sleep'],
  ["SELECT GET_LOCK('x', 10)", 'get_lock'],
  ['SELECT BENCHMARK(1000000, MD5(1))', 'benchmark'],
  ["SELECT LOAD_FILE('/etc/passwd')", 'load_file'],
  ['SELECT NEXTVAL(orders_seq)', 'nextval'],
  ['SELECT LAST_INSERT_ID(42)', 'last_insert_id'],
  ['EXPLAIN ANALYZE DELETE FROM orders', 'not parsable'],
  ['SELEC broken', 'not parsable'],
  ['SELECT id, amount, status FROM orders WHERE customer_id = 12', true],
];

const FLAVORS: Flavor[] = ['mysql', 'mariadb'];

describe('MySQL/MariaDB SQL gate (node-sql-parser)', () => {
  for (const flavor of FLAVORS) {
    for (const [sql, expected] of TABLE) {
      it(`${flavor} ${expected === true ? 'passes' : 'refuses'}: ${sql}`, () => {
        const result = inspectMysqlStatement(sql, flavor);
        if (expected === true) {
          assert.equal(result.allowed, true, result.reason);
          assert.ok(result.canonicalSql !== undefined && result.canonicalSql.length > 0);
        } else {
          assert.equal(result.allowed, false, `expected a refusal of ${sql}`);
          assert.match(result.reason, new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
        }
      });
    }
  }

  it('executes the canonical text: a version comment that would lock rows is gone', () => {
    const result = inspectMysqlStatement('SELECT * FROM orders WHERE id = 1 /*!50000 FOR UPDATE */', 'mysql');
    assert.equal(result.allowed, true);
    assert.equal(result.canonicalSql, 'SELECT * FROM `orders` WHERE `id` = 1');
  });
});

describe('MySQL/MariaDB gate, views: a view runs its definition when read, so the gate reads it too', () => {
  // information_schema answers as MariaDB gives them: VIEW_DEFINITION text as stored (qualified, lower-case keywords).
  const catalog = (views: MysqlViewDefinition[]): MysqlCatalog => ({
    storedFunctions: async (names) => names.filter((name) => name === 'hostile_touch'),
    viewDefinitions: async (names) => views.filter((view) => names.includes(view.name.toLowerCase())),
  });

  for (const flavor of FLAVORS) {
    it(`${flavor}: refuses a view whose definition calls a stored function, naming the view`, async () => {
      const verdict = await gateMysql('SELECT * FROM hostile_view', flavor,
        catalog([{ schema: 'shop', name: 'hostile_view', definition: 'select `hostile_touch`() AS `touched`' }]));
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /reads view shop\.hostile_view, whose definition is refused: calls stored function hostile_touch/);
    });
  }

  it('refuses a view that takes a user lock, found in a subquery of a join', async () => {
    const verdict = await gateMysql('SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id IN (SELECT id FROM `Shop`.`Lock_View`)',
      'mariadb', catalog([{ schema: 'shop', name: 'lock_view', definition: "select get_lock('x',0) AS `id`" }]));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /reads view shop\.lock_view, whose definition is refused: calls get_lock\(\)/);
  });

  it('follows views over views, and refuses SLEEP in the inner definition', async () => {
    const verdict = await gateMysql('SELECT * FROM reporting.outer_view', 'mysql',
      catalog([{ schema: 'reporting', name: 'outer_view', definition: 'select `x`.`a` AS `a` from `shop`.`inner_view` `x`' },
        { schema: 'shop', name: 'inner_view', definition: 'select sleep(1) AS `a`' }]));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /view reporting\.outer_view.*view shop\.inner_view.*sleep/);
  });

  it('refuses a view whose definition it may not read (empty VIEW_DEFINITION)', async () => {
    const verdict = await gateMysql('SELECT * FROM secret_view', 'mariadb', catalog([{ schema: 'shop', name: 'secret_view', definition: '' }]));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /cannot read the definition of view shop\.secret_view/);
  });

  it('passes a plain view, keeps the outer canonical text, and ignores a view of that name in another schema', async () => {
    const views = [{ schema: 'shop', name: 'totals', definition: 'select `shop`.`orders`.`customer_id` AS `customer_id`,sum(`shop`.`orders`.`amount`) AS `total` from `shop`.`orders` group by `shop`.`orders`.`customer_id`' },
      { schema: 'other', name: 'totals', definition: 'select `hostile_touch`() AS `total`' }];
    const verdict = await gateMysql('SELECT * FROM shop.totals WHERE customer_id = 3', 'mariadb', catalog(views));
    assert.equal(verdict.allowed, true, verdict.reason);
    assert.match(verdict.reason, /1 views read/);
    assert.equal(verdict.canonicalSql, 'SELECT * FROM `shop`.`totals` WHERE `customer_id` = 3');
    const unqualified = await gateMysql('SELECT * FROM totals', 'mariadb', catalog(views));
    assert.equal(unqualified.allowed, false, 'an unqualified name may resolve to either view');
  });

  it('refuses views nested deeper than it follows', async () => {
    const chain = Array.from({ length: 12 }, (_, level) => ({ schema: 'shop', name: `v${level}`, definition: `select * from \`shop\`.\`v${level + 1}\`` }));
    const verdict = await gateMysql('SELECT * FROM v0', 'mysql', catalog(chain));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /nested deeper than 8/);
  });
});
