import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { gateMysql, inspectMysqlStatement, type MysqlCatalog, type MysqlServer, type MysqlViewDefinition } from '../../../src/explain/gate/mysql';
import { builtinFunctions, SIDE_EFFECT_FUNCTIONS } from '../../../src/explain/gate/mysql-builtins';

const SERVERS: Record<'mysql' | 'mariadb', MysqlServer> = { mysql: { flavor: 'mysql', version: [8, 0, 36] }, mariadb: { flavor: 'mariadb', version: [10, 11, 19] } };

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
  ['DELETE FROM orders WHERE id = 2', 'EXPLAIN of DELETE needs DELETE privilege, which the read-only agent does not hold'],
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
  // Allow, don't deny: only built-ins on the flavor's list, called unqualified.
  ['SELECT LOWER(name), COUNT(*), ROUND(AVG(amount), 2), DATE_FORMAT(NOW(), \'%Y\') FROM orders GROUP BY 1', true],
  ['SELECT hostile_touch(), id FROM orders', 'calls hostile_touch(), which is not built in'],
  ['SELECT shop.lower(name) FROM orders', 'calls shop.lower(), which is not built in (a schema-qualified call'],
  ['SELECT `shop`.`hostile_touch`() AS `touched`', 'calls shop.hostile_touch()'],
  ['SELECT metaphon(name) FROM customers', 'calls metaphon(), which is not built in'],
  ['SELECT `left`(name, 1) FROM customers', 'calls `left`(), which is not built in (a quoted name'],
  ['SELECT `lower`(name) FROM customers', 'calls `lower`(), which is not built in'],
  ['SELECT uuid_v7(), id FROM orders', 'calls uuid_v7(), which is not built in'],
  ['SELECT RELEASE_ALL_LOCKS(), IS_USED_LOCK(\'x\')', 'release_all_locks(), a built-in with side effects'],
  ["SELECT EXTRACTVALUE(1, CONCAT('~', (SELECT name FROM customers LIMIT 1)))", 'extractvalue(), a built-in with side effects'],
];

const FLAVORS = ['mysql', 'mariadb'] as const;

describe('MySQL/MariaDB SQL gate (node-sql-parser)', () => {
  for (const flavor of FLAVORS) {
    for (const [sql, expected] of TABLE) {
      it(`${flavor} ${expected === true ? 'passes' : 'refuses'}: ${sql}`, () => {
        const result = inspectMysqlStatement(sql, SERVERS[flavor]);
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
    const result = inspectMysqlStatement('SELECT * FROM orders WHERE id = 1 /*!50000 FOR UPDATE */', SERVERS.mysql);
    assert.equal(result.allowed, true);
    assert.equal(result.canonicalSql, 'SELECT * FROM `orders` WHERE `id` = 1');
  });
});

describe('MySQL/MariaDB gate, views: a view runs its definition when read, so the gate reads it too', () => {
  // information_schema answers as MariaDB gives them: VIEW_DEFINITION text as stored (qualified, lower-case keywords).
  const catalog = (views: MysqlViewDefinition[]): MysqlCatalog => ({
    viewDefinitions: async (names) => views.filter((view) => names.includes(view.name.toLowerCase())),
  });

  for (const flavor of FLAVORS) {
    it(`${flavor}: refuses a view whose definition calls a stored function, naming the view`, async () => {
      const verdict = await gateMysql('SELECT * FROM hostile_view', SERVERS[flavor],
        catalog([{ schema: 'shop', name: 'hostile_view', definition: 'select `hostile_touch`() AS `touched`' }]));
      assert.equal(verdict.allowed, false);
      assert.match(verdict.reason, /reads view shop\.hostile_view, whose definition is refused: calls hostile_touch\(\), which is not built in/);
    });
  }

  it('refuses a view that takes a user lock, found in a subquery of a join', async () => {
    const verdict = await gateMysql('SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id IN (SELECT id FROM `Shop`.`Lock_View`)',
      SERVERS.mariadb, catalog([{ schema: 'shop', name: 'lock_view', definition: "select get_lock('x',0) AS `id`" }]));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /reads view shop\.lock_view, whose definition is refused: calls get_lock\(\)/);
  });

  it('finds a view inside a parenthesized join, as MariaDB writes joins in VIEW_DEFINITION', async () => {
    const verdict = await gateMysql('SELECT COUNT(*) FROM nested_view', SERVERS.mariadb, catalog([
      { schema: 'shop', name: 'nested_view', definition: 'select `v`.`id` AS `id` from (`shop`.`lock_view` `v` join `shop`.`customers` `c` on(`c`.`id` = `v`.`id`))' },
      { schema: 'shop', name: 'lock_view', definition: "select `shop`.`orders`.`id` AS `id` from `shop`.`orders` where get_lock('x',0) is not null" }]));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /view shop\.nested_view.*view shop\.lock_view.*get_lock\(\)/);
  });

  it('follows views over views, and refuses SLEEP in the inner definition', async () => {
    const verdict = await gateMysql('SELECT * FROM reporting.outer_view', SERVERS.mysql,
      catalog([{ schema: 'reporting', name: 'outer_view', definition: 'select `x`.`a` AS `a` from `shop`.`inner_view` `x`' },
        { schema: 'shop', name: 'inner_view', definition: 'select sleep(1) AS `a`' }]));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /view reporting\.outer_view.*view shop\.inner_view.*sleep/);
  });

  it('refuses a view whose definition it may not read (empty VIEW_DEFINITION)', async () => {
    const verdict = await gateMysql('SELECT * FROM secret_view', SERVERS.mariadb, catalog([{ schema: 'shop', name: 'secret_view', definition: '' }]));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /cannot read the definition of view shop\.secret_view/);
  });

  it('passes a plain view, keeps the outer canonical text, and ignores a view of that name in another schema', async () => {
    const views = [{ schema: 'shop', name: 'totals', definition: 'select `shop`.`orders`.`customer_id` AS `customer_id`,sum(`shop`.`orders`.`amount`) AS `total` from `shop`.`orders` group by `shop`.`orders`.`customer_id`' },
      { schema: 'other', name: 'totals', definition: 'select `hostile_touch`() AS `total`' }];
    const verdict = await gateMysql('SELECT * FROM shop.totals WHERE customer_id = 3', SERVERS.mariadb, catalog(views));
    assert.equal(verdict.allowed, true, verdict.reason);
    assert.match(verdict.reason, /1 views read/);
    assert.equal(verdict.canonicalSql, 'SELECT * FROM `shop`.`totals` WHERE `customer_id` = 3');
    const unqualified = await gateMysql('SELECT * FROM totals', SERVERS.mariadb, catalog(views));
    assert.equal(unqualified.allowed, false, 'an unqualified name may resolve to either view');
  });

  it('refuses views nested deeper than it follows', async () => {
    const chain = Array.from({ length: 12 }, (_, level) => ({ schema: 'shop', name: `v${level}`, definition: `select * from \`shop\`.\`v${level + 1}\`` }));
    const verdict = await gateMysql('SELECT * FROM v0', SERVERS.mysql, catalog(chain));
    assert.equal(verdict.allowed, false);
    assert.match(verdict.reason, /nested deeper than 8/);
  });
});

describe('MySQL/MariaDB built-in allow-list', () => {
  it('never allows a built-in with side effects, on any flavor or version', () => {
    for (const [flavor, version] of [['mariadb', [10, 11, 19]], ['mariadb', [10, 6, 0]], ['mysql', [8, 0, 36]], ['mysql', [5, 7, 44]]] as const) {
      const { names } = builtinFunctions(flavor, version);
      assert.deepEqual([...SIDE_EFFECT_FUNCTIONS].filter((name) => names.has(name)), [], `${flavor} ${version.join('.')}`);
    }
  });

  it('is per flavor and version: MariaDB-only names are refused on MySQL, newer ones on older servers', () => {
    assert.equal(inspectMysqlStatement('SELECT NVL(note, 1) FROM orders', SERVERS.mariadb).allowed, true);
    assert.match(inspectMysqlStatement('SELECT NVL(note, 1) FROM orders', SERVERS.mysql).reason, /nvl\(\), which is not built in \(not on the MySQL 8\.0\+ allow-list/);
    assert.equal(inspectMysqlStatement('SELECT ROW_NUMBER() OVER (ORDER BY id) FROM orders', SERVERS.mysql).allowed, true);
    assert.match(inspectMysqlStatement('SELECT ROW_NUMBER() OVER (ORDER BY id) FROM orders', { flavor: 'mysql', version: [5, 7, 44] }).reason,
      /row_number\(\), which is not built in \(not on the MySQL before 8\.0 allow-list/);
  });
});
