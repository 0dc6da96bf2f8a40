// The MySQL-family collector on a real MariaDB 10.11 (Debian's mariadbd, performance_schema and the statement
// consumers on) after the harness workload, through a least-privilege account (PROCESS + SELECT on
// performance_schema): digests ranked by mean (floor on calls) and total, literal samples from
// events_statements_history_long, connections, latency, buffer pool hit ratio, blocked sessions. Then the same
// server with less: no privileges, history consumers off; and a second server with performance_schema off.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import { CRON_DIGEST_TEXT_CHARACTERS, digestTextsPath, loadDigestTexts, saveDigestTexts } from '../../src/collectors/db/digest-text-file';
import { DigestTextCache, rankDigestRows } from '../../src/collectors/db/mysql';
import {
  MARIADB_WHOLE_READ_MAX, MY_DIGEST_ALL_MARIADB, OWN_ALIAS_PATTERN, OWN_STATEMENT_FILTER, OWN_STATEMENT_PREFIXES,
} from '../../src/collectors/db/mysql-sql';
import type { DatabaseReport } from '../../src/core/report';
import type { Row } from '../../src/sources/sql';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { REPO_ROOT } from '../harness/prometheus';
import { holdMariadbLock, matchesMarker, runMariadbWorkload, startMariadbStatement, type WorkloadResult } from '../harness/workload';

const limits = { limit: 10, min_calls: 2 };

describe('MariaDB 10.11: database collector', () => {
  let db: MariadbServer;
  let workload: WorkloadResult;
  let setup: TestConfig;
  let report: DatabaseReport;

  before(async () => {
    db = await startMariadb();
    workload = await runMariadbWorkload(db);
    const monitor = await db.createUser('sentinel', 'monitor secret', ['PROCESS ON *.*', 'SELECT ON performance_schema.*']);
    const bare = await db.createUser('nobody_special', 'bare secret');
    setup = testConfig([
      { name: 'main', engine: 'mysql', url: monitor },
      { name: 'bare', engine: 'mysql', url: bare },
    ]);
    report = await collectDatabase(setup.config.databases[0]!, limits, DEFAULT_OPENERS.mysql);
  });
  after(async () => {
    setup?.cleanup();
    await db?.stop();
  });

  it('is up as MariaDB with no problems for PROCESS + SELECT on performance_schema', () => {
    assert.equal(report.up, true, report.error);
    assert.equal(report.version, db.version);
    assert.equal(report.flavor, 'mariadb');
    assert.deepEqual(report.problems, []);
    assert.equal(report.slow_query_source, 'performance_schema');
  });

  it('ranks the workload digests by mean with literal samples from events_statements_history_long', () => {
    const ranked = report.slow_queries;
    assert.ok(ranked.length >= 5 && ranked.length <= 10, `${ranked.length}`);
    for (let i = 1; i < ranked.length; i += 1) assert.ok(ranked[i - 1]!.mean_ms >= ranked[i]!.mean_ms);
    assert.ok(ranked.every((query) => query.calls >= limits.min_calls));
    for (const name of ['unindexed_filter', 'big_sort', 'join_aggregate', 'stale_statistics', 'indexed_lookup']) {
      const expected = workload.queries.find((query) => query.name === name)!;
      const found = ranked.find((query) => matchesMarker(query.query, expected.marker));
      assert.ok(found, `${name} in the top 10: ${ranked.map((query) => query.query).join(' | ')}`);
      assert.equal(found.calls, expected.calls, name);
      assert.match(found.id, /^[0-9a-f]{32}$/);
      assert.equal(found.database, 'shop');
      assert.equal(found.sample_source, 'events_statements_history_long');
      assert.ok(found.sample && matchesMarker(found.sample, expected.marker), `${name}: sample ${found.sample}`);
      assert.ok(!found.sample.includes('?'), 'a literal sample, not the digest text');
      assert.ok(found.max_ms !== null && found.max_ms >= found.mean_ms);
      assert.ok((found.rows_examined ?? 0) >= found.rows);
    }
    const unindexed = ranked.find((query) => matchesMarker(query.query, 'FROM orders WHERE customer_id ='))!;
    assert.equal(unindexed.rows_examined, 5 * 200000, 'a full scan of orders per call');
    assert.ok(!ranked.some((query) => /db_sentinel|performance_schema|SHOW GLOBAL STATUS/.test(query.query)), 'own statements left out');
    assert.ok(!ranked.some((query) => matchesMarker(query.query, 'FROM orders WHERE note LIKE')), 'one-off below the floor');
    // min_calls holds for the total-time list too (issue #11): a statement run once is not a pattern there either.
    assert.ok((report.slow_queries_by_total ?? []).length > 0);
    assert.ok((report.slow_queries_by_total ?? []).every((query) => query.calls >= limits.min_calls));
    assert.ok(!(report.slow_queries_by_total ?? []).some((query) => matchesMarker(query.query, 'FROM orders WHERE note LIKE')));
  });

  it('the own-statement filter keeps exactly the rows its patterns keep, its check of the first characters included', async () => {
    // The patterns alone, as the filter was before the check: the oracle.
    const patterns = [`DIGEST_TEXT NOT LIKE '${OWN_ALIAS_PATTERN}'`,
      ...OWN_STATEMENT_PREFIXES.map((prefix) => `DIGEST_TEXT NOT LIKE '${prefix}'`)].join(' AND ');
    const compare = (from: string): string =>
      `SELECT DIGEST_TEXT AS text, (${OWN_STATEMENT_FILTER}) AS kept, (${patterns}) AS expected FROM ${from}`;
    // The digest summary's own texts: the workload's and this collector's (SELECTs with the alias, SHOW GLOBAL STATUS).
    const summary = await db.query<{ text: string; kept: number; expected: number }>(
      compare('performance_schema.events_statements_summary_by_digest WHERE DIGEST_TEXT IS NOT NULL'));
    assert.ok(summary.some((row) => Number(row.expected) === 1), 'rows kept');
    assert.ok(summary.some((row) => Number(row.expected) === 0 && !row.text.includes('db_sentinel')),
      'a row left out by a prefix');
    for (const row of summary) assert.equal(Number(row.kept), Number(row.expected), row.text);
    // Texts at the edges of the check, in the column's character set and collation (case, accents as LIKE sees them).
    const [column] = await db.query<{ charset: string; collation: string }>(`SELECT CHARACTER_SET_NAME AS charset,
      COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'performance_schema'
      AND TABLE_NAME = 'events_statements_summary_by_digest' AND COLUMN_NAME = 'DIGEST_TEXT'`);
    const probes = ['SHOW GLOBAL STATUS LIKE ?', 'show global status', 'SHOW VARIABLES',
      'SET SESSION `max_statement_time` = ?', 'set session max_statement_time = ?', 'SET @x = ?', 'SET', 'SETTINGS',
      'START TRANSACTION READ ONLY', 'start transaction', 'EXPLAIN SELECT ?', '\u00c9XPLAIN SELECT ?', 'ROLLBACK',
      'rollback', 'ROLLBACKS', 'SET STATEMENT max_statement_time = ? FOR ANALYZE SELECT ?', 'SELECT ? AS `db_sentinel`',
      'SELECT `c0` FROM `w`', ''];
    const values = probes.map(() => `SELECT CONVERT(? USING ${column!.charset}) COLLATE ${column!.collation} AS DIGEST_TEXT`)
      .join(' UNION ALL ');
    const edges = await db.query<{ text: string; kept: number; expected: number }>(compare(`(${values}) probes`), probes);
    assert.equal(edges.length, probes.length);
    assert.ok(edges.some((row) => Number(row.expected) === 0) && edges.some((row) => Number(row.expected) === 1));
    for (const row of edges) assert.equal(Number(row.kept), Number(row.expected), JSON.stringify(row.text));
  });

  /** One cycle through a session that counts the rows of each statement and names those reading the digest summary. */
  const countedCycle = async (texts: DigestTextCache): Promise<{ cycle: DatabaseReport; rows: Map<string, number>; digestReads: string[] }> => {
    const rows = new Map<string, number>();
    const digestReads: string[] = [];
    const cycle = await collectDatabase(setup.config.databases[0]!, limits, async (config) => {
      const session = await DEFAULT_OPENERS.mysql(config);
      return {
        async query<R extends Row = Row>(name: string, sql: string, params?: readonly unknown[]): Promise<R[]> {
          const result = await session.query<R>(name, sql, params);
          rows.set(name, (rows.get(name) ?? 0) + result.length);
          if (sql.includes('performance_schema.events_statements_summary_by_digest')) digestReads.push(name);
          if (name === 'MY_HISTORY_SAMPLES') {
            const keys = result.map((row) => `${String(row.schema_name)}/${String(row.id)}`);
            assert.equal(new Set(keys).size, keys.length, `one sample per digest: ${keys.join(' ')}`);
          }
          return result;
        },
        readOnly: (work, options) => session.readOnly(work, options),
        get queriesSent() {
          return session.queriesSent;
        },
        close: () => session.close(),
      };
    }, undefined, undefined, undefined, texts);
    return { cycle, rows, digestReads };
  };
  const asReported = (queries: DatabaseReport['slow_queries']): unknown[] =>
    queries.map((query) => [query.id, query.query, query.calls, query.sample]);
  /** A cache that remembers a digest summary larger than the whole read takes: the ranked read on the server. */
  const rememberingLarge = (): DigestTextCache => {
    const texts = new DigestTextCache();
    texts.rememberSize('main', MARIADB_WHOLE_READ_MAX + 1);
    return texts;
  };

  it('a digest summary known to be small: one read of every row, the same report as the ranked read on the server', async () => {
    const texts = new DigestTextCache();
    const ranked = await countedCycle(texts);
    assert.deepEqual(ranked.cycle.problems, []);
    assert.deepEqual(ranked.digestReads, ['MY_DIGEST_COLLECT', 'MY_DIGEST_TEXTS'], 'the size is not known yet');
    assert.deepEqual(asReported(ranked.cycle.slow_queries), asReported(report.slow_queries),
      'the same ranking, texts and samples as the first collection');
    const size = texts.lastSize('main') ?? 0;
    assert.ok(size > 0 && size <= MARIADB_WHOLE_READ_MAX, `${size} rows`);

    const whole = await countedCycle(texts);
    assert.deepEqual(whole.cycle.problems, []);
    assert.deepEqual(whole.digestReads, ['MY_DIGEST_ALL']);
    assert.equal(whole.rows.get('MY_DIGEST_ALL'), size);
    // The indexed lookup ran LOOKUP_CALLS times, all in events_statements_history_long: still one sample row.
    assert.ok((whole.rows.get('MY_HISTORY_SAMPLES') ?? 0) <= 2 * limits.limit);
    // Everything the two reads decide: ranking, figures, texts, samples, totals.
    assert.deepEqual(whole.cycle.slow_queries, ranked.cycle.slow_queries);
    assert.deepEqual(whole.cycle.slow_queries_by_total, ranked.cycle.slow_queries_by_total);
    assert.deepEqual(whole.cycle.latency, ranked.cycle.latency);
    assert.ok((whole.cycle.latency?.calls ?? 0) > 0);
  });

  it('the ranked read on the server: the digest summary twice (rankings, their texts), once with texts kept', async () => {
    const texts = rememberingLarge();
    const first = await countedCycle(texts);
    assert.deepEqual(first.digestReads, ['MY_DIGEST_COLLECT', 'MY_DIGEST_TEXTS']);
    const ranked = first.rows.get('MY_DIGEST_COLLECT') ?? 0;
    assert.ok(ranked > 0 && ranked <= 2 * limits.limit, `${ranked} ranked rows`);
    assert.ok((first.rows.get('MY_DIGEST_TEXTS') ?? 0) <= 2 * limits.limit, `${first.rows.get('MY_DIGEST_TEXTS')} texts`);
    texts.rememberSize('main', MARIADB_WHOLE_READ_MAX + 1); // the summary is small: keep the server's ranking

    const kept = await countedCycle(texts);
    assert.deepEqual(kept.digestReads, ['MY_DIGEST_COLLECT'], 'the texts of the top digests are known from the cycle before');
    assert.deepEqual(asReported(kept.cycle.slow_queries), asReported(report.slow_queries));
    assert.deepEqual(asReported(kept.cycle.slow_queries_by_total ?? []), asReported(report.slow_queries_by_total ?? []));
  });

  it('a cron command\'s next run: the texts and size of the run before, from its file, spare it the second read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-digest-texts-'));
    try {
      const file = digestTextsPath(dir);
      const firstTexts = new DigestTextCache(CRON_DIGEST_TEXT_CHARACTERS);
      const first = await countedCycle(firstTexts);
      assert.deepEqual(first.digestReads, ['MY_DIGEST_COLLECT', 'MY_DIGEST_TEXTS'], 'a first run knows nothing');
      // What the first process leaves, through the file only: the next process starts with a new cache.
      await saveDigestTexts(firstTexts, file);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const next = new DigestTextCache(CRON_DIGEST_TEXT_CHARACTERS);
      await loadDigestTexts(next, file);
      const second = await countedCycle(next);
      assert.deepEqual(second.digestReads, ['MY_DIGEST_ALL'], 'a small summary, known from the run before: read whole, once');
      assert.deepEqual(asReported(second.cycle.slow_queries), asReported(report.slow_queries));
      // A large summary (its size as the file says): ranked on the server, the top texts from the file.
      const large = new DigestTextCache(CRON_DIGEST_TEXT_CHARACTERS);
      await loadDigestTexts(large, file);
      large.rememberSize('main', MARIADB_WHOLE_READ_MAX + 1);
      const ranked = await countedCycle(large);
      assert.deepEqual(ranked.digestReads, ['MY_DIGEST_COLLECT'], 'the texts of the top digests came from the file');
      assert.deepEqual(asReported(ranked.cycle.slow_queries), asReported(report.slow_queries));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the built db_textfile keeps the digest texts file between its runs: the second run knows the summary is small', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-cron-digests-'));
    try {
      const configFile = join(dir, 'config.json');
      const main = { ...setup.document, databases: (setup.document.databases as unknown[]).slice(0, 1) };
      writeFileSync(configFile, JSON.stringify({ ...main, state_dir: dir, explain: { enabled: false } }), { mode: 0o600 });
      // MY_DIGEST_COLLECT_MARIADB, the ranked read a run makes when it does not know the summary to be small.
      const rankedReads = async (): Promise<number> => Number((await db.query<{ n: unknown }>(`SELECT COALESCE(SUM(COUNT_STAR), 0) AS n
        FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST_TEXT LIKE 'WITH RECURSIVE \`db\\_sentinel\\_digests\`%'`))[0]?.n);
      const run = (): void => {
        const result = spawnSync(process.execPath, [join(REPO_ROOT, 'build', 'db_textfile.js'), '--dir', dir, '--config', configFile],
          { encoding: 'utf8', timeout: 120_000 });
        assert.equal(result.status, 0, result.stdout + result.stderr);
        assert.equal(result.stderr, '', 'db_textfile warned');
      };
      const before = await rankedReads();
      run();
      assert.equal(await rankedReads(), before + 1, 'a first run ranks on the server');
      const file = digestTextsPath(dir);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const saved = new DigestTextCache();
      await loadDigestTexts(saved, file);
      const size = saved.lastSize('main') ?? 0;
      assert.ok(size > 0 && size <= MARIADB_WHOLE_READ_MAX, `the summary's size: ${size}`);
      assert.ok(report.slow_queries.every((query) => saved.get('main', query.id) === query.query), 'the top texts');
      run();
      assert.equal(await rankedReads(), before + 1, 'the next run read the small summary whole, knowing its size from the file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('samples from the first filled history table that holds the statement: history_long, else the thread history', async () => {
    const everything = { limit: 1000, min_calls: 2 };
    const client = await db.connect('shop');
    const sampled = async (): Promise<DatabaseReport['slow_queries'][number] | undefined> =>
      (await collectDatabase(setup.config.databases[0]!, everything, DEFAULT_OPENERS.mysql)).slow_queries
        .find((query) => query.query.includes('history_preference'));
    try {
      for (const round of [1, 2, 3]) await client.query(`SELECT ${round} AS history_preference`);
      const both = await sampled();
      assert.equal(both?.sample_source, 'events_statements_history_long');
      assert.equal(both?.sample, 'SELECT 3 AS history_preference', 'the newest run');
      await db.query(`UPDATE performance_schema.setup_consumers SET ENABLED = 'NO' WHERE NAME = 'events_statements_history_long'`);
      const threadOnly = await sampled();
      assert.equal(threadOnly?.sample_source, 'events_statements_history', 'this connection is still open: its history holds the runs');
      assert.equal(threadOnly?.sample, 'SELECT 3 AS history_preference');
    } finally {
      await db.query(`UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME = 'events_statements_history_long'`);
      await client.end();
    }
  });

  it('reports latency, buffer pool hit ratio and connections', () => {
    assert.ok(report.latency?.mean_ms !== null && (report.latency?.mean_ms ?? 0) > 1, `latency ${report.latency?.mean_ms}`);
    assert.ok(report.cache_hit_ratio !== null && report.cache_hit_ratio! > 0.5 && report.cache_hit_ratio! <= 1);
    assert.equal(report.connections?.max_connections, 50);
    assert.ok((report.connections?.total ?? 0) >= 1);
  });

  it('an idle database: longest query and transaction are 0, not absent', () => {
    assert.equal(report.connections?.active, 0, 'nothing runs after the workload');
    assert.equal(report.longest_query_seconds, 0);
    assert.equal(report.longest_transaction_seconds, 0);
  });

  it('sees a blocked session, the idle transaction holding the lock and its age', async () => {
    const lock = await holdMariadbLock(db);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const locked = await collectDatabase(setup.config.databases[0]!, limits, DEFAULT_OPENERS.mysql);
      assert.equal(locked.blocked_sessions, 1);
      assert.equal(locked.connections?.waiting, 1);
      assert.equal(locked.connections?.idle_in_transaction, 1);
      assert.ok((locked.longest_transaction_seconds ?? 0) >= 1, `transaction age ${locked.longest_transaction_seconds}`);
      assert.ok(locked.running_queries?.some((query) => /UPDATE customers/.test(query.query)));
    } finally {
      await lock.release();
    }
  });

  it('an account without privileges: up, with the missing grants named and the processlist as source', async () => {
    const bare = await collectDatabase(setup.config.databases[1]!, limits, DEFAULT_OPENERS.mysql);
    assert.equal(bare.up, true, bare.error);
    const codes = bare.problems.map((problem) => problem.code);
    assert.deepEqual(codes, ['missing_privilege_process', 'missing_privilege_performance_schema']);
    assert.equal(bare.problems[0]!.remedy, "GRANT PROCESS ON *.* TO 'nobody_special'@'127.0.0.1';");
    assert.equal(bare.problems[1]!.remedy, "GRANT SELECT ON performance_schema.* TO 'nobody_special'@'127.0.0.1';");
    assert.equal(bare.slow_query_source, 'processlist');
    assert.ok(bare.connections, 'own sessions still counted');
    // Other sessions are hidden without PROCESS: nothing visible running proves nothing.
    assert.equal(bare.longest_query_seconds, null);
    assert.equal(bare.longest_transaction_seconds, null);
  });

  it('history consumers off: digests without samples and a named problem', async () => {
    await db.query(`UPDATE performance_schema.setup_consumers SET ENABLED = 'NO' WHERE NAME LIKE 'events_statements_%'`);
    try {
      const off = await collectDatabase(setup.config.databases[0]!, limits, DEFAULT_OPENERS.mysql);
      assert.ok(off.problems.some((problem) => problem.code === 'statement_history_off'), JSON.stringify(off.problems));
      assert.ok(off.slow_queries.length >= 5);
      assert.ok(off.slow_queries.every((query) => query.sample === null));
    } finally {
      await db.query(`UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME LIKE 'events_statements_%'`);
    }
  });

  it('a digest summary larger than the whole read: ranked on the server, the same ranking as every row ranked here', async () => {
    const columns = 40;
    const client = await db.connect('shop');
    try {
      await client.query(`CREATE TABLE wide (${Array.from({ length: columns }, (_, i) => `c${i} int`).join(', ')})`);
      // Distinct digests (constants are normalized away, column pairs are not), a third of them run twice.
      for (let i = 0; i <= MARIADB_WHOLE_READ_MAX; i += 1) {
        const text = `SELECT c${i % columns} FROM wide WHERE c${Math.floor(i / columns) % columns} ${i < columns * columns ? '=' : '<'} ${i}`;
        await client.query(text);
        if (i % 3 === 0) await client.query(text);
      }
    } finally {
      await client.end();
    }
    const texts = new DigestTextCache();
    texts.rememberSize('main', 20); // small at the last collection: it has grown since
    const first = await countedCycle(texts);
    assert.deepEqual(first.cycle.problems, []);
    assert.deepEqual(first.digestReads, ['MY_DIGEST_ALL', 'MY_DIGEST_COLLECT', 'MY_DIGEST_TEXTS']);
    assert.equal(first.rows.get('MY_DIGEST_ALL'), MARIADB_WHOLE_READ_MAX + 1, 'the whole read stops one row past its bound');
    assert.ok((first.rows.get('MY_DIGEST_COLLECT') ?? 0) <= 2 * limits.limit);
    assert.ok((texts.lastSize('main') ?? 0) > MARIADB_WHOLE_READ_MAX);

    const session = await DEFAULT_OPENERS.mysql(setup.config.databases[0]!);
    let everyRow: Row[];
    try {
      everyRow = await session.query('MY_DIGEST_ALL', MY_DIGEST_ALL_MARIADB, [1_000_000]);
    } finally {
      await session.close();
    }
    assert.ok(everyRow.length > MARIADB_WHOLE_READ_MAX);
    const byHand = rankDigestRows(everyRow, limits);
    const figures = (queries: ReadonlyArray<{ id: string; query: string; calls: number; mean_ms: number; total_ms: number }>): unknown[] =>
      queries.map((query) => [query.id, query.query, query.calls, query.mean_ms, query.total_ms]);
    const fromRows = (ranking: string): unknown[] => figures(byHand.filter((row) => row.ranking === ranking).map((row) => ({
      id: String(row.id), query: String(row.query), calls: Number(row.calls), mean_ms: Number(row.mean_ms), total_ms: Number(row.total_ms),
    })));
    assert.deepEqual(figures(first.cycle.slow_queries), fromRows('mean'));
    assert.deepEqual(figures(first.cycle.slow_queries_by_total ?? []), fromRows('total'));
    const calls = everyRow.reduce((sum, row) => sum + Number(row.calls), 0);
    assert.equal(first.cycle.latency?.calls, calls);

    const kept = await countedCycle(texts);
    assert.deepEqual(kept.digestReads, ['MY_DIGEST_COLLECT'], 'the size is remembered: no whole read, texts kept');
    assert.deepEqual((await countedCycle(new DigestTextCache())).digestReads, ['MY_DIGEST_COLLECT', 'MY_DIGEST_TEXTS'],
      'a first collection ranks on the server');
    assert.deepEqual(figures(kept.cycle.slow_queries), figures(first.cycle.slow_queries));
  });
});

describe('MariaDB 10.11 with performance_schema off', () => {
  let db: MariadbServer;
  let setup: TestConfig;
  before(async () => {
    db = await startMariadb({ performanceSchema: false });
    setup = testConfig([{ name: 'main', engine: 'mysql', url: db.url() }]);
  });
  after(async () => {
    setup?.cleanup();
    await db?.stop();
  });

  it('says so, says how to enable it, and ranks the running statements from the processlist', async () => {
    // Runs until stopped: the collection sees it running however long it takes on a loaded machine.
    const sleeper = await startMariadbStatement(db, 'SELECT SLEEP(600) AS slept');
    let report: DatabaseReport;
    try {
      report = await collectDatabase(setup.config.databases[0]!, limits, DEFAULT_OPENERS.mysql);
    } finally {
      await sleeper.stop();
    }
    assert.equal(report.up, true);
    const problem = report.problems.find((item) => item.code === 'performance_schema_off');
    assert.ok(problem, JSON.stringify(report.problems));
    assert.match(problem.remedy ?? '', /performance_schema = ON .*restart/);
    assert.equal(report.slow_query_source, 'processlist');
    assert.equal(report.slow_queries[0]?.sample, 'SELECT SLEEP(600) AS slept');
    assert.equal(report.slow_queries[0]?.sample_source, 'processlist');
    assert.equal(report.latency?.mean_ms, null);
  });
});
