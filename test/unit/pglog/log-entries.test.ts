// The server log parsers on REAL logs (test/fixtures/pglog/, captured by capture.ts from embedded PostgreSQL 13
// csvlog, 15 and 17 jsonlog, 17 stderr, with auto_explain on and the planted workload sent with bound parameters):
// records, auto_explain plan entries (read by the EXPLAIN plan parser), timed statements with their parameters,
// fingerprints that match pg_stat_statements' text, and the observed store (worst within the TTL). Then a table of
// bad input, each refused with a message naming what was wrong.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { bindParameters, emptyStore, findObservedPlan, findObservedSample, ingestEntries, logTimestampToIso, observedPlanReport } from '../../../src/explain/observed';
import { fingerprintPostgres } from '../../../src/parsers/sql/pg-fingerprint';
import { loadPostgresParser, parsePostgres } from '../../../src/parsers/sql/postgres';
import { ParseError } from '../../../src/core/errors';
import type { SlowQuery } from '../../../src/core/report';
import { logEntry, parseParameters, type ExplainEntry, type LogEntry, type StatementEntry } from '../../../src/parsers/logs/postgres-entries';
import { compileLinePrefix, completeLength, detectFormat, parseCsvlog, parseJsonlog, parseLogRecords, type LogFormat } from '../../../src/parsers/logs/postgres-records';
import { parsePostgresPlan } from '../../../src/parsers/plans/postgres';
import { PLANTED_SCENARIOS, STDERR_PREFIX } from '../../../src/demo/planted-workload';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'pglog');

interface Fixture {
  file: string;
  major: number;
  format: LogFormat;
}

const LOGS: Fixture[] = [
  { file: 'postgresql-13-csvlog.csv', major: 13, format: 'csvlog' },
  { file: 'postgresql-15-jsonlog.json', major: 15, format: 'jsonlog' },
  { file: 'postgresql-17-jsonlog.json', major: 17, format: 'jsonlog' },
  { file: 'postgresql-17-stderr.log', major: 17, format: 'stderr' },
];

function entriesOf(fixture: Fixture): { text: string; entries: LogEntry[] } {
  const path = join(FIXTURES, fixture.file);
  const text = readFileSync(path, 'utf8');
  const format = detectFormat(path, text.slice(0, 256));
  assert.equal(format, fixture.format);
  assert.equal(completeLength(Buffer.from(text), format), Buffer.byteLength(text), 'a finished log is all complete records');
  const { records, malformed } = parseLogRecords(text, format, format === 'stderr' ? compileLinePrefix(STDERR_PREFIX) : null);
  assert.deepEqual(malformed, []);
  assert.ok(records.length > 100);
  return { text, entries: records.map(logEntry).filter((entry): entry is LogEntry => entry !== null) };
}

const planned = (entries: LogEntry[]): ExplainEntry[] => entries.filter((entry): entry is ExplainEntry => entry.kind === 'plan');
const timed = (entries: LogEntry[]): StatementEntry[] => entries.filter((entry): entry is StatementEntry => entry.kind === 'statement');

describe('server log entries (real logs)', () => {
  before(() => loadPostgresParser());

  for (const fixture of LOGS) {
    it(`${fixture.file}: every auto_explain plan is read, with query id (14+) and parameters (16+)`, () => {
      const { text, entries } = entriesOf(fixture);
      const plans = planned(entries);
      assert.equal(plans.length, text.split('ms  plan:').length - 1, 'one entry per logged plan');
      for (const plan of plans) assert.ok(parsePostgresPlan(plan.plan).analyzed, 'log_analyze: executed plans');
      for (const scenario of PLANTED_SCENARIOS) {
        const mine = plans.filter((plan) => plan.queryText === scenario.sql);
        assert.equal(mine.length, scenario.calls, `${scenario.name}: one plan per execution`);
        for (const plan of mine) {
          assert.equal(plan.database, 'shop');
          assert.equal(plan.user, 'postgres');
          if (fixture.major >= 14) assert.match(plan.queryId ?? '', /^-?\d{5,}$/, 'Query Identifier');
          else assert.equal(plan.queryId, null);
          if (fixture.major >= 16) assert.match(plan.parameters ?? '', /^\$1 = /);
          else assert.equal(plan.parameters, null);
          assert.equal(fingerprintPostgres(plan.queryText), fingerprintPostgres(scenario.sql));
        }
        if (fixture.major >= 14) assert.equal(new Set(mine.map((plan) => plan.queryId)).size, 1, `${scenario.name}: one query id`);
      }
    });

    it(`${fixture.file}: timed statements carry their parameters and bind into runnable literal text`, () => {
      const statements = timed(entriesOf(fixture).entries);
      for (const scenario of PLANTED_SCENARIOS) {
        const mine = statements.filter((statement) => statement.text === scenario.sql);
        assert.equal(mine.length, scenario.calls, `${scenario.name}: execute lines`);
        for (const [index, statement] of mine.entries()) {
          const bound = bindParameters(statement.text, statement.parameters);
          assert.ok(bound !== null && !bound.includes('$'), `${scenario.name}: ${bound}`);
          parsePostgres(bound);
          assert.equal(fingerprintPostgres(bound), fingerprintPostgres(scenario.sql));
          const values = scenario.values(index).map((value) => `'${String(value)}'`);
          for (const value of values) assert.ok(bound.includes(value), `${bound} holds ${value}`);
        }
      }
    });
  }

  it('stderr and jsonlog of the same workload on PostgreSQL 17 give the same statements', () => {
    const texts = (fixture: Fixture): string[] => planned(entriesOf(fixture).entries).map((plan) => plan.queryText)
      .filter((text) => PLANTED_SCENARIOS.some((scenario) => scenario.sql === text)).sort();
    assert.deepEqual(texts(LOGS[3] as Fixture), texts(LOGS[2] as Fixture));
  });

  it('the observed store keeps the worst execution per statement within the TTL, and matches pg_stat_statements rows', () => {
    for (const fixture of [LOGS[0], LOGS[2]] as Fixture[]) {
      const entries = entriesOf(fixture).entries;
      const store = ingestEntries(emptyStore(), entries, 1_000_000, 60);
      const scenario = PLANTED_SCENARIOS.find((item) => item.name === 'sort_spill');
      assert.ok(scenario);
      const worst = Math.max(...planned(entries).filter((plan) => plan.queryText === scenario.sql).map((plan) => plan.durationMs));
      const plan = planned(entries).find((item) => item.queryText === scenario.sql) as ExplainEntry;
      // A pg_stat_statements row: PG13 has no id in the log (matched by fingerprint), 17 by query id.
      const row: SlowQuery = {
        rank: 1, id: plan.queryId ?? '4242', query: scenario.sql, calls: 4, mean_ms: 1, total_ms: 4, max_ms: 1, rows: 40, sample: null, database: 'shop',
      };
      const found = findObservedPlan(store, row, 1_000_001);
      assert.equal(found?.durationMs, worst, `${fixture.file}: the worst of the executions`);
      assert.ok(observedPlanReport(found, row).findings.some((finding) => finding.rule === 'sort_spill'));
      assert.equal(findObservedPlan(store, row, 1_000_000 + 61_000), null, 'expired after the TTL');
      assert.equal(findObservedPlan(store, { ...row, database: 'other' }, 1_000_001), null, 'another database is not matched');
      assert.match(findObservedSample(store, row, 1_000_001)?.text ?? '', /amount > '\d+' ORDER BY note DESC LIMIT 10 OFFSET '150000'/);
      if (fixture.major >= 14) assert.equal(findObservedPlan(store, { ...row, id: '12345' }, 1_000_001), null, 'ids differ: no match');

      // A later, faster execution does not replace the worst; after expiry any newer one does.
      const faster: ExplainEntry = { ...plan, durationMs: 0.001 };
      assert.equal(findObservedPlan(ingestEntries(store, [faster], 1_000_002, 60), row, 1_000_003)?.durationMs, worst);
      assert.equal(findObservedPlan(ingestEntries(store, [faster], 1_000_000 + 61_000, 60), row, 1_000_000 + 61_001)?.durationMs, 0.001);
    }
  });

  it('log timestamps become ISO 8601 where the zone is known', () => {
    assert.equal(logTimestampToIso('2026-11-30 11:42:33.123 UTC'), '2026-11-30T11:42:33.123Z');
    assert.equal(logTimestampToIso('2026-11-30 12:42:33 +01'), '2026-11-30T11:42:33.000Z');
    assert.equal(logTimestampToIso('2026-11-30 17:12:33.5 +05:30'), '2026-11-30T11:42:33.500Z');
    assert.equal(logTimestampToIso('2026-11-30 12:42:33 CET'), null);
  });
});

describe('server log parsers: bad input is named', () => {
  it('log_line_prefix that cannot separate records, or an unknown escape', () => {
    assert.throws(() => compileLinePrefix('[%p] %m '), (error: unknown) => error instanceof ParseError && /does not start with %m, %t or %n/.test(error.message));
    assert.throws(() => compileLinePrefix('%m %Z '), /escape %Z is not known/);
    assert.throws(() => parseLogRecords('x\n', 'stderr', null), /log_line_prefix is unknown/);
  });

  it('jsonlog and csvlog lines that are not records are listed, the rest still read', () => {
    const good = readFileSync(join(FIXTURES, 'postgresql-17-jsonlog.json'), 'utf8').split('\n')[0] as string;
    const read = parseJsonlog(`${good}\n{"timestamp": "2026-11-30 \n[1,2]\n`);
    assert.equal(read.records.length, 1);
    assert.deepEqual(read.malformed.map((item) => item.replace(/\(.*\)/, '()')), [
      'jsonlog line 2: not JSON (): "{\\"timestamp\\": \\"2026-11-30 "', 'jsonlog line 3: not a JSON object']);
    assert.match(parseCsvlog('2026-11-30 11:42:33.123 UTC,"postgres",x\n').malformed[0] ?? '', /csvlog record 1: 3 columns, expected 23/);
    assert.throws(() => parseCsvlog('2026-11-30,"unterminated\n'), /quoted field is not terminated/);
  });

  it('parameters that are not "$n = value" lists', () => {
    assert.deepEqual([...parseParameters("$1 = 'it''s', $2 = NULL, $3 = '7'")], [[1, "'it''s'"], [2, 'NULL'], [3, "'7'"]]);
    assert.throws(() => parseParameters("$1 = 'open"), /unterminated quoted value/);
    assert.throws(() => parseParameters('$1 = 7'), /expected a quoted value or NULL at character 6/);
    assert.throws(() => parseParameters("1 = '7'"), /expected "\$n = "/);
  });

  it('a plan in text format, or JSON that is not a plan, is refused naming why', () => {
    const record = { timestamp: null, database: null, user: null, queryId: null, severity: 'LOG', detail: null };
    assert.throws(() => logEntry({ ...record, message: 'duration: 1.0 ms  plan:\nQuery Text: SELECT 1\nResult  (cost=0.00..0.01 rows=1 width=4)' }),
      /not in json format: set auto_explain.log_format = json/);
    assert.throws(() => logEntry({ ...record, message: 'duration: 1.0 ms  plan:\n{"Query Text": "SELECT 1", "Plan": {"Plan Rows": 1}}' }),
      /has no "Node Type"/);
    assert.equal(logEntry({ ...record, message: 'duration: 1.0 ms' }), null, 'log_duration alone is no entry');
    assert.equal(logEntry({ ...record, message: 'checkpoint starting: time' }), null);
  });

  it('a sample with a parameter cut at log_parameter_max_length, or missing, is no sample', async () => {
    await loadPostgresParser();
    assert.equal(bindParameters('SELECT 1 FROM t WHERE a = $1 AND b = $2', new Map([[1, "'x'"]])), null);
    assert.equal(bindParameters('SELECT 1 FROM t WHERE a = $1', new Map([[1, "'abc…'"]])), null);
    assert.equal(bindParameters("SELECT '$1' FROM t WHERE a = $1", new Map([[1, "'é'"]])), "SELECT '$1' FROM t WHERE a = 'é'");
  });
});
