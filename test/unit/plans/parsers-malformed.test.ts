// Plan documents that are not plans: a ParseError naming what was wrong, never a half-parsed plan.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ParseError } from '../../../src/core/errors';
import { parsePostgresPlan } from '../../../src/parsers/plans/postgres';
import { parseMysqlPlan } from '../../../src/parsers/plans/mysql';

const PLANS = join(__dirname, '..', '..', 'fixtures', 'plans');

function parseError(parse: () => unknown, pattern: RegExp): void {
  assert.throws(parse, (error: unknown) => error instanceof ParseError && pattern.test(error.message));
}

describe('plan parsers on malformed input', () => {
  it('PostgreSQL: not JSON, no Plan, a node without Node Type, Plan Rows that is not a number', () => {
    parseError(() => parsePostgresPlan('Seq Scan on orders'), /postgres plan: not JSON/);
    parseError(() => parsePostgresPlan('[{"Planning Time": 1}]'), /expected \[\{"Plan": …\}\]/);
    parseError(() => parsePostgresPlan('[{"Plan": {"Plan Rows": 1}}]'), /node at Plan has no "Node Type"/);
    parseError(() => parsePostgresPlan('[{"Plan": {"Node Type": "Limit", "Plan Rows": 1, "Plans": [{"Node Type": "Sort", "Plan Rows": "9"}]}}]'),
      /"Plan Rows" of Sort at Plan\.Plans\[0\] is not a number/);
  });

  it('MySQL: neither JSON nor a tree, JSON without query_block, an unreadable tree line', () => {
    parseError(() => parseMysqlPlan('id\tselect_type\ttable'), /neither JSON nor an EXPLAIN tree/);
    parseError(() => parseMysqlPlan('{"select_id": 1}'), /without "query_block"/);
    parseError(() => parseMysqlPlan('-> Table scan on t  (cost=1 rows=2)\n  garbage'), /tree line 2 unreadable: "  garbage"/);
  });

  it('a truncated real plan is refused, not read in part', () => {
    const text = readFileSync(join(PLANS, 'postgresql', '02-sort-spill-pg17.plan.json'), 'utf8');
    parseError(() => parsePostgresPlan(text.slice(0, text.length / 2)), /not JSON/);
    const tree = readFileSync(join(PLANS, 'mysql', '01-explain-analyze-tree-mysql8.0.18.plan.txt'), 'utf8');
    parseError(() => parseMysqlPlan(tree.slice(0, 120)), /unreadable/);
  });
});
