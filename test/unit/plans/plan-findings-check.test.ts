// Check plan_findings over database reports whose slow queries carry the findings of real fixture plans.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadPostgresParser } from '../../../src/explain/gate/postgres';
import { planFindingsCheck } from '../../../src/checks/plan-findings';
import type { DatabaseReport, SlowQuery } from '../../../src/core/report';
import { findingsOf } from '../../fixtures/plans/evaluate';

const PLANS = join(__dirname, '..', '..', 'fixtures', 'plans');

function query(rank: number, engine: string, file: string): SlowQuery {
  const findings = findingsOf(engine, join(PLANS, engine, file));
  return {
    rank, id: String(rank), query: file, calls: 5, mean_ms: 10, total_ms: 50, max_ms: null, rows: 1, sample: null,
    plan: { method: 'explain_analyze', findings, summary: 'fixture' },
  };
}

function database(name: string, queries: SlowQuery[], up = true): DatabaseReport {
  return { name, engine: 'postgresql', version: '17', up, problems: [], slow_queries: queries };
}

describe('check plan_findings', () => {
  before(() => loadPostgresParser());

  it('is the worst finding severity over the databases that are up, naming it', () => {
    const check = planFindingsCheck([
      database('pg', [query(1, 'postgresql', '01-seq-scan-filter-pg17.plan.json'), query(2, 'postgresql', '03-row-misestimate-pg17.plan.json')]),
      database('maria', [query(1, 'mariadb', '03-temporary-table-mariadb10.11.plan.json')]),
    ]);
    assert.equal(check.status, 'critical');
    assert.equal(check.value, 2, 'one critical finding in each database');
    assert.match(check.message, /pg: 1 critical finding, e\.g\. #2 row_misestimate: Seq Scan on events e underestimated/);
    assert.deepEqual(check.details?.map((detail) => [detail.subject, detail.status]), [['pg', 'critical'], ['maria', 'critical']]);
  });

  it('is ok with info findings only or none; databases that are down are db_up\'s verdict', () => {
    const check = planFindingsCheck([
      database('pg', [query(1, 'postgresql', '10-indexed-lookup-pg17.plan.json')]),
      database('mysql', [query(1, 'mysql', '01-explain-analyze-tree-mysql8.0.18.plan.txt')]),
      database('down', [], false),
    ]);
    assert.equal(check.status, 'ok');
    assert.deepEqual(check.details?.map((detail) => detail.subject), ['pg', 'mysql']);
    assert.equal(planFindingsCheck([database('down', [], false)]).status, 'ok');
  });

  it('is a warning when the worst finding is a warning', () => {
    const check = planFindingsCheck([database('pg', [query(1, 'postgresql', '04-hash-spill-pg17.plan.json')])]);
    assert.equal(check.status, 'warning');
    assert.equal(check.value, 1);
  });
});
