// The demo's terminal summary of a report.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { summarize } from '../../src/demo/summary';
import { fixtureReport } from '../harness/fixture-report';

describe('demo summary', () => {
  it('names the status, the checks that are not ok, and the slow queries with their findings', () => {
    const lines = summarize(fixtureReport()).split('\n');
    assert.equal(lines[0], 'db1.example.net: CRITICAL (collected 2026-11-25T01:40:00.000Z in 2.31 s)');
    assert.deepEqual(lines.filter((line) => /^ {2}(WARNING|CRITICAL|UNKNOWN) /.test(line)).map((line) => line.trim().split(/\s+/)[1]),
      ['disk_await:', 'tuning_drift:', 'db_up:', 'plan_findings:']);
    assert.ok(lines.includes('  database shop_pg (postgresql 15.18): 3 slow queries, 4 plan findings'));
    assert.ok(lines.some((line) => line.startsWith('    #1 812.4 ms x 120  SELECT o.id, o.total, c.email FROM orders o JOIN')));
    assert.ok(lines.some((line) => /^ {7}warning: missing_index on Seq Scan on order_items: CREATE INDEX ON order_items \(product_id\)$/.test(line)));
    assert.ok(lines.includes('  database shop_mariadb: DOWN: connect ECONNREFUSED 127.0.0.1:3306'));
    assert.ok(lines.every((line) => line.length <= 140), 'lines fit a terminal');
  });
});
