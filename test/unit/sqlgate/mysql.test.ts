import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { inspectMysqlStatement } from '../../../src/analysis/sqlgate/mysql';
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
