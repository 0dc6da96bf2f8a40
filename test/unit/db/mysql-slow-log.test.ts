// The MariaDB slow query log: the parser on REAL logs from MariaDB 10.11 (test/fixtures/logs/mariadb, captured by
// capture.ts there: default verbosity, and log_slow_verbosity=query_plan,explain with prepared statements), the
// statement fingerprint that ties log entries to digest and prepared texts, and the incremental reading across
// cycles on real files: a half-written entry waits, rotation, truncation, an entry larger than a cycle's read, a
// long existing log read from near its end, a missing log named as a problem; and the merge of prepared statements
// with digests (one row per statement).
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ParseError } from '../../../src/core/errors';
import type { Problem } from '../../../src/core/report';
import { parseSlowLog, statementFingerprint } from '../../../src/parsers/logs/mysql-slow-log';
import { parseExplainTable } from '../../../src/parsers/plans/mysql';
import { evaluateMysqlPlan } from '../../../src/plans/registry';
import { applyObservations, readSlowLog, type Observation, type SlowLogOptions } from '../../../src/collectors/db/mysql-slow-log';
import type { SqlSession } from '../../../src/sources/sql';
import { mergePrepared } from '../../../src/collectors/db/mysql';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'logs', 'mariadb');
const EXPLAIN_LOG = readFileSync(join(FIXTURES, 'slow-query-plan-explain-mariadb10.11.log'), 'utf8');
const DEFAULT_LOG = readFileSync(join(FIXTURES, 'slow-default-mariadb10.11.log'), 'utf8');

/** Offsets of every entry start ("# Time:" or the "# User@Host:" not preceded by "# Time:"). */
function entryStarts(text: string): number[] {
  const starts: number[] = [];
  const pattern = /^# (Time|User@Host): /gm;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const previousLine = text.lastIndexOf('\n', match.index - 2);
    if (match[1] === 'User@Host' && text.slice(previousLine + 1, match.index).startsWith('# Time: ')) continue;
    starts.push(match.index);
  }
  return starts;
}

describe('slow log parser on MariaDB 10.11 logs', () => {
  it('reads every entry of the query_plan,explain log, with the executed plan of prepared statements', () => {
    const chunk = parseSlowLog(EXPLAIN_LOG);
    assert.equal(chunk.consumed, EXPLAIN_LOG.length);
    assert.equal(chunk.entries.length, (EXPLAIN_LOG.match(/^# Query_time: /gm) ?? []).length);
    const prepared = chunk.entries.filter((entry) => entry.sql.startsWith('SELECT id, amount FROM orders WHERE customer_id = '));
    assert.equal(prepared.length, 5, 'the five execute() calls, with their values in place');
    assert.deepEqual(prepared.map((entry) => entry.sql), [103, 114, 125, 136, 147].map((value) => `SELECT id, amount FROM orders WHERE customer_id = ${value}`));
    const first = prepared[0]!;
    assert.equal(first.schema, 'shop');
    assert.equal(first.user, 'admin');
    assert.equal(first.host, '127.0.0.1');
    assert.equal(first.rowsExamined, 200000);
    assert.equal(first.rowsSent, 10);
    assert.ok(first.queryTimeMs > 1, `${first.queryTimeMs}`);
    assert.ok(first.timestamp !== null && first.timestamp > 1.7e9);
    assert.equal(first.flags.Full_scan, true);
    assert.equal(first.flags.Filesort, false);
    assert.equal(first.flags.Merge_passes, 0);
    assert.match(first.explain[0] ?? '', /^id\tselect_type\ttable\ttype\tpossible_keys\tkey\tkey_len\tref\trows\tr_rows\tfiltered\tr_filtered\tExtra$/);

    const plan = parseExplainTable(first.explain);
    assert.equal(plan.format, 'mariadb_slow_log_explain');
    assert.deepEqual(plan.tables.map((table) => [table.table, table.accessType, table.rowsActual, table.rFiltered]), [['orders', 'ALL', 200000, 0.01]]);
    const findings = evaluateMysqlPlan(plan, {});
    // As the ANALYZE FORMAT=JSON fixture of the same statement (test/fixtures/plans/mariadb/01-full-table-scan).
    assert.deepEqual(findings.map((finding) => [finding.rule, finding.severity, finding.node]), [
      ['row_misestimate', 'critical', 'orders (ALL)'], ['full_table_scan', 'warning', 'Full table scan on orders']]);

    const sorted = chunk.entries.find((entry) => /ORDER BY note DESC/.test(entry.sql))!;
    assert.equal(sorted.flags.Filesort, true);
    assert.ok(evaluateMysqlPlan(parseExplainTable(sorted.explain), {}).some((finding) => finding.rule === 'filesort'));
  });

  it('reads the default-verbosity log (no plan, no flags) and keeps the schema of `use` across entries', () => {
    const chunk = parseSlowLog(DEFAULT_LOG);
    assert.equal(chunk.consumed, DEFAULT_LOG.length);
    assert.equal(chunk.entries.length, (DEFAULT_LOG.match(/^# Query_time: /gm) ?? []).length);
    assert.ok(chunk.entries.every((entry) => entry.explain.length === 0 && Object.keys(entry.flags).every((key) => key === 'QC_hit')));
    const multiLine = chunk.entries.find((entry) => entry.sql.startsWith('INSERT INTO shop.orders SELECT'))!;
    assert.equal(multiLine.sql.split('\n').length, 3, 'a statement over three lines stays whole');
    assert.ok(!multiLine.sql.endsWith(';'));
  });

  it('leaves a half-written last entry for the next cycle, at every cut point', () => {
    const starts = entryStarts(EXPLAIN_LOG);
    const lastStart = starts[starts.length - 1]!;
    const total = parseSlowLog(EXPLAIN_LOG).entries.length;
    for (let cut = lastStart + 1; cut < EXPLAIN_LOG.length; cut += 7) {
      const chunk = parseSlowLog(EXPLAIN_LOG.slice(0, cut));
      assert.equal(chunk.entries.length, total - 1, `cut at ${cut}`);
      assert.equal(chunk.consumed, lastStart, `cut at ${cut}`);
    }
    const rest = parseSlowLog(EXPLAIN_LOG.slice(lastStart), 'shop');
    assert.equal(rest.entries.length, 1);
    assert.equal(rest.consumed, EXPLAIN_LOG.length - lastStart);
  });

  it('names what is wrong in a damaged entry', () => {
    const start = entryStarts(EXPLAIN_LOG)[3]!;
    const damaged = EXPLAIN_LOG.slice(start).replace(/# Query_time: [\d.]+/, '# Query_time: 1.2.3');
    assert.throws(() => parseSlowLog(damaged), (error: unknown) => error instanceof ParseError && /Query_time is not a number \("1\.2\.3"\)/.test(error.message));
    assert.throws(() => parseSlowLog('garbage line\n'), /unexpected line before the first entry: "garbage line"/);
    const entry = parseSlowLog(EXPLAIN_LOG).entries.find((item) => item.explain.length > 1)!;
    assert.throws(() => parseExplainTable(['id\tselect_type\ttable', ...entry.explain.slice(1)]), /explain table header lacks type, possible_keys, key, rows/);
  });
});

describe('statement fingerprint', () => {
  it('ties the digest text, the prepared text and the logged statement together', () => {
    const logged = 'SELECT id, amount FROM orders WHERE customer_id = 103';
    const prepared = 'SELECT id, amount FROM orders WHERE customer_id = ?';
    // MariaDB 10.11 DIGEST_TEXT of the text-protocol form (captured from performance_schema on the harness server).
    const digest = 'SELECT ID , `amount` FROM `orders` WHERE `customer_id` = ? ';
    assert.equal(statementFingerprint(logged), statementFingerprint(prepared));
    assert.equal(statementFingerprint(digest), statementFingerprint(prepared));
    assert.equal(statementFingerprint("SELECT count(*) AS n FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.name = 'customer 42'"),
      statementFingerprint('SELECT COUNT ( * ) AS `n` FROM `orders` `o` JOIN `customers` `c` ON `c` . `id` = `o` . `customer_id` WHERE `c` . `name` = ? '));
    assert.equal(statementFingerprint('SELECT * FROM t WHERE id IN (1, 2, 3)'), statementFingerprint('SELECT * FROM `t` WHERE `id` IN ( ?, ?, ? )'));
    assert.notEqual(statementFingerprint('SELECT id FROM orders WHERE customer_id = 1'), statementFingerprint('SELECT id FROM orders WHERE amount = 1'));
    assert.notEqual(statementFingerprint('SELECT * FROM t1'), statementFingerprint('SELECT * FROM t2'), 'digits in names are kept');
  });
});

describe('slow log reading across cycles (real files)', () => {
  let dir: string;
  let clock = new Date('2026-11-30T12:00:00Z');
  const noSession = { query: () => Promise.reject(new Error('no query expected: the log path is configured')) } as unknown as SqlSession;
  const options = (log: string, extra: Partial<SlowLogOptions> = {}): SlowLogOptions => ({
    database: 'main', flavor: 'mariadb', configured: log, stateDir: join(dir, 'state'), ttlSeconds: 1e9, now: () => clock, ...extra,
  });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'db_sentinel-slowlog-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what was appended, waits for a half-written entry, follows rotation and truncation', async () => {
    const log = join(dir, 'slow.log');
    const starts = entryStarts(EXPLAIN_LOG);
    const cut = starts[10]! + 40; // inside the 11th entry
    writeFileSync(log, EXPLAIN_LOG.slice(0, cut));
    const problems: Problem[] = [];
    const first = await readSlowLog(noSession, options(log), problems);
    assert.deepEqual(problems, []);
    const stateFile = join(dir, 'state', 'slow-log-main.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { position: { offset: number; inode: number } };
    assert.equal(state.position.offset, Buffer.byteLength(EXPLAIN_LOG.slice(0, starts[10]!)), 'stops before the half-written entry');
    const firstCount = first.length;

    appendFileSync(log, EXPLAIN_LOG.slice(cut));
    const all = await readSlowLog(noSession, options(log), problems);
    assert.ok(all.length > firstCount);
    const whole = JSON.parse(readFileSync(stateFile, 'utf8')) as { position: { offset: number } };
    assert.equal(whole.position.offset, Buffer.byteLength(EXPLAIN_LOG));
    assert.ok(all.some((observation) => observation.sql.startsWith('SELECT id, amount FROM orders WHERE customer_id = ') && observation.explain.length === 2));
    // Again: nothing new, same observations.
    assert.deepEqual(await readSlowLog(noSession, options(log), problems), all);

    // logrotate: the file moves away, the server opens a new one at the path.
    renameSync(log, `${log}.1`);
    writeFileSync(log, DEFAULT_LOG);
    await readSlowLog(noSession, options(log), problems);
    const rotated = JSON.parse(readFileSync(stateFile, 'utf8')) as { position: { offset: number; inode: number } };
    assert.notEqual(rotated.position.inode, state.position.inode);
    assert.equal(rotated.position.offset, Buffer.byteLength(DEFAULT_LOG));

    // copytruncate: the same file cut to zero, then written again.
    truncateSync(log, 0);
    writeFileSync(log, EXPLAIN_LOG.slice(0, starts[5]!), { flag: 'a' });
    await readSlowLog(noSession, options(log), problems);
    const truncated = JSON.parse(readFileSync(stateFile, 'utf8')) as { position: { offset: number; inode: number } };
    assert.equal(truncated.position.inode, rotated.position.inode);
    assert.equal(truncated.position.offset, Buffer.byteLength(EXPLAIN_LOG.slice(0, starts[5]!)));
    assert.deepEqual(problems, []);
  });

  it('skips an entry larger than a cycle\'s read and starts a long existing log near its end', async () => {
    const log = join(dir, 'big.log');
    const starts = entryStarts(EXPLAIN_LOG);
    const huge = `# User@Host: admin[admin] @  [127.0.0.1]\n# Query_time: 1.0  Lock_time: 0.0  Rows_sent: 0  Rows_examined: 0\nSET timestamp=1796039200;\nSELECT '${'x'.repeat(5000)}';\n`;
    const text = EXPLAIN_LOG.slice(0, starts[2]!) + huge + EXPLAIN_LOG.slice(starts[2]!);
    writeFileSync(log, text);
    const problems: Problem[] = [];
    // First read of an existing log: only the last 4000 bytes, from the first entry header in them.
    const tailState = join(dir, 'state-tail');
    const tail = await readSlowLog(noSession, options(log, { stateDir: tailState, maxBytes: 4000 }), problems);
    assert.equal(tail.length, 1, 'the lookups of the last 4000 bytes: one fingerprint, the slowest entry kept');
    assert.match(tail[0]!.sql, /^SELECT id, name FROM customers WHERE id = (4\d|50)$/);
    const tailPosition = JSON.parse(readFileSync(join(tailState, 'slow-log-main.json'), 'utf8')) as { position: { offset: number } };
    assert.equal(tailPosition.position.offset, Buffer.byteLength(text));
    // From the first byte (a state saying offset 0 of this file), 4000 bytes per cycle: the 5 kB entry is skipped.
    const fromStart = join(dir, 'state-from-start');
    mkdirSync(fromStart);
    writeFileSync(join(fromStart, 'slow-log-main.json'), JSON.stringify({
      version: 1, path: log, position: { inode: statSync(log).ino, offset: 0 }, resync: false, schema: null, observations: [],
    }));
    let observations: Observation[] = [];
    for (let cycle = 0; cycle < 40; cycle += 1) observations = await readSlowLog(noSession, options(log, { stateDir: fromStart, maxBytes: 4000 }), problems);
    const final = JSON.parse(readFileSync(join(fromStart, 'slow-log-main.json'), 'utf8')) as { position: { offset: number } };
    assert.equal(final.position.offset, Buffer.byteLength(text), 'read to the end, past the huge entry');
    assert.ok(!observations.some((observation) => observation.sql.includes('xxxx')), 'the oversized entry is skipped');
    assert.ok(observations.some((observation) => /customer_id = \d+$/.test(observation.sql)));
    assert.equal(observations.length, new Set(parseSlowLog(EXPLAIN_LOG).entries.map((entry) => statementFingerprint(entry.sql))).size);
    assert.deepEqual(problems, []);
  });

  it('names a damaged stretch once, skips to the next entry and reads on', async () => {
    const log = join(dir, 'damaged.log');
    const starts = entryStarts(EXPLAIN_LOG);
    // A statement cut by a copy at a wrong offset: lines of SQL before any entry header, then whole entries.
    writeFileSync(log, EXPLAIN_LOG.slice(0, starts[3]!));
    const problems: Problem[] = [];
    const opts = options(log, { stateDir: join(dir, 'state-damaged') });
    await readSlowLog(noSession, opts, problems);
    appendFileSync(log, `  AND e.id > 0;\n${EXPLAIN_LOG.slice(starts[3]!)}`);
    const stateFile = join(dir, 'state-damaged', 'slow-log-main.json');
    const before = (JSON.parse(readFileSync(stateFile, 'utf8')) as { position: { offset: number } }).position.offset;
    // Force the damaged line to be read as the start of a chunk.
    await readSlowLog(noSession, opts, problems);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0]?.code, 'slow_log_unparsable');
    assert.match(problems[0]?.message ?? '', /unexpected line before the first entry: "  AND e\.id > 0;"/);
    await readSlowLog(noSession, opts, problems);
    const after = (JSON.parse(readFileSync(stateFile, 'utf8')) as { position: { offset: number } }).position.offset;
    assert.ok(after > before);
    assert.equal(after, Buffer.byteLength(readFileSync(log, 'utf8')), 'read to the end after the damaged line');
    assert.equal(problems.length, 1, 'named once');
  });

  it('names a log that cannot be read and keeps going', async () => {
    const problems: Problem[] = [];
    const observations = await readSlowLog(noSession, options(join(dir, 'missing.log'), { stateDir: join(dir, 'state-missing') }), problems);
    assert.deepEqual(observations, []);
    assert.equal(problems[0]?.code, 'slow_log_unreadable');
    assert.match(problems[0]?.message ?? '', /cannot open .*missing\.log: ENOENT/);
    assert.match(problems[0]?.remedy ?? '', /slow_log: off/);
  });

  it('gives ranked statements the logged sample and the executed plan', () => {
    const entries = parseSlowLog(EXPLAIN_LOG).entries;
    clock = new Date(((entries[entries.length - 1]?.timestamp ?? 0) + 60) * 1000);
    const query = { rank: 1, id: 'abc', query: 'SELECT id, amount FROM orders WHERE customer_id = ?', calls: 5, mean_ms: 40, total_ms: 200, max_ms: 50, rows: 50, rows_examined: 1_000_000, sample: null, database: 'shop' };
    const other = { ...query, id: 'def', query: 'SELECT 42 FROM nowhere', sample: null };
    const observations = parseSlowLog(EXPLAIN_LOG).entries.map((entry) => ({
      fingerprint: statementFingerprint(entry.sql), sql: entry.sql, schema: entry.schema, query_time_ms: entry.queryTimeMs,
      rows_examined: entry.rowsExamined, captured_at: new Date((entry.timestamp ?? 0) * 1000).toISOString(), explain: entry.explain, flags: entry.flags,
    }));
    applyObservations([query, other], observations);
    assert.match(query.sample ?? '', /^SELECT id, amount FROM orders WHERE customer_id = \d+$/);
    assert.equal((query as { sample_source?: string }).sample_source, 'slow_log');
    const plan = (query as { plan?: { method: string; findings: Array<{ rule: string }> } }).plan;
    assert.equal(plan?.method, 'slow_log');
    assert.deepEqual(plan?.findings.map((finding) => finding.rule), ['row_misestimate', 'rows_examined_ratio', 'full_table_scan']);
    assert.equal(other.sample, null);
    assert.equal((other as { plan?: unknown }).plan, undefined);
  });
});

describe('prepared statements merged with digests', () => {
  it('keeps a digest row and drops the prepared row of the same statement (same ranking and schema)', () => {
    const digest = { ranking: 'mean', id: 'd1', schema_name: 'shop', query: 'SELECT ID , `amount` FROM `orders` WHERE `customer_id` = ? ' };
    const samePrepared = { ranking: 'mean', id: 'p1', schema_name: 'shop', query: 'SELECT id, amount FROM orders WHERE customer_id = ?' };
    const otherSchema = { ...samePrepared, id: 'p2', schema_name: 'billing' };
    const otherStatement = { ranking: 'mean', id: 'p3', schema_name: 'shop', query: 'SELECT id FROM customers WHERE id = ?' };
    assert.deepEqual(mergePrepared([digest], [samePrepared, otherSchema, otherStatement]).map((row) => row.id), ['d1', 'p2', 'p3']);
  });
});
