// One MySQL or MariaDB database's part of the report: version and flavor, sessions by state against
// max_connections, latency and top statements from performance_schema digests (MySQL 8 with QUERY_SAMPLE_TEXT;
// MariaDB with literal samples from the statement history tables when their consumers are on), InnoDB buffer pool
// hit ratio, longest query and transaction, blocked sessions, and the processlist. Missing privileges or
// performance_schema off become named problems with the statement that fixes them.
import type { DatabaseReport, Flavor, Problem, RunningQuery, SlowQuery } from '../../core/report';
import { mysqlFlavor } from '../../sources/mysql';
import type { Row, SqlSession } from '../../sources/sql';
import { statementFingerprint } from '../../parsers/logs/mysql-slow-log';
import { attempt, longestSeconds, numberOf, numberOrNull, problemFromError, rankRunningInstead, type SlowQueryLimits } from './common';
import {
  digestTextsSql, historySamplesSql, historySamplesSql57, MARIADB_WHOLE_READ_MAX, MY_ACTIVITY_WITH_TRX, MY_ACTIVITY_WITHOUT_TRX,
  MY_BUFFER_POOL, MY_CONSUMERS, MY_DIGEST_ALL_MARIADB, MY_DIGEST_COLLECT_MARIADB, MY_DIGEST_TOTALS, MY_PREPARED_TOP, MY_RUNNING,
  MY_SETTINGS, mysqlDigestTopSql,
} from './mysql-sql';

const RUNNING_LIMIT = 10;
const HISTORY_TABLES = ['events_statements_current', 'events_statements_history', 'events_statements_history_long'] as const;

interface Settings extends Row {
  version: string;
  version_comment: string | null;
  max_connections: unknown;
  performance_schema: unknown;
  user_name: string;
  has_process: unknown;
}

/** What the collection needs to know about the server, from MY_SETTINGS. */
interface Server {
  flavor: Exclude<Flavor, 'postgresql'>;
  major: number;
  /** The account as GRANT names it. */
  user: string;
  maxConnections: number;
  hasProcess: boolean;
  performanceSchema: boolean;
}

/** The top rows by mean and by total (column `ranking`), digests and prepared statements, before the cut at k. */
interface Rankings {
  top: Row[];
  /** Ids of the prepared statements among them: no digest, so no sample from the history tables. */
  preparedIds: Set<string>;
}

interface Sample {
  sample: string;
  source: string;
}

/** 'user'@'host' as GRANT wants it, from CURRENT_USER() ("user@host"). */
export function grantee(currentUser: string): string {
  const at = currentUser.lastIndexOf('@');
  return at < 0 ? `'${currentUser}'` : `'${currentUser.slice(0, at)}'@'${currentUser.slice(at + 1)}'`;
}

/** Which statement history tables are filled: the consumer and its parents (global, thread, current) are on. */
export function effectiveHistoryTables(consumers: readonly Row[]): Array<(typeof HISTORY_TABLES)[number]> {
  const on = new Set(consumers.filter((row) => String(row.enabled).toUpperCase() === 'YES').map((row) => String(row.name)));
  if (!on.has('global_instrumentation') || !on.has('thread_instrumentation') || !on.has('events_statements_current')) return [];
  return HISTORY_TABLES.filter((table) => on.has(table));
}

/** A DigestTextCache's content: [database, digest, text] and [database, rows of its digest summary]. */
export interface DigestTextSnapshot {
  texts: Array<[string, string, string]>;
  sizes: Array<[string, number]>;
}

/**
 * Digest texts kept between the collections of a long-running collector (serve; a cron command's runs, through
 * src/collectors/db/digest-text-file.ts): a digest is the hash of its normalized text, so the text of a database's
 * digest never changes, and a cycle whose top digests are all known skips MY_DIGEST_TEXTS, a whole read of the
 * digest summary. Bounded by characters, not entries (a digest text can be as long as
 * performance_schema_max_digest_length, up to 1 MiB): the least recently used go first, and a text longer than the
 * whole bound is not kept. It also keeps how many rows each database's digest summary held at the last collection: a
 * summary known to be small is read whole (readWholeDigestSummary).
 */
export class DigestTextCache {
  private readonly texts = new Map<string, string>();
  private readonly sizes = new Map<string, number>();
  private characters = 0;

  constructor(private readonly maxCharacters = 1 << 20) {}

  /** Rows of the database's digest summary at the last collection; undefined before the first. */
  lastSize(database: string): number | undefined {
    return this.sizes.get(database);
  }

  rememberSize(database: string, rows: number): void {
    this.sizes.set(database, rows);
  }

  get(database: string, digest: string): string | undefined {
    const key = `${database}\u0000${digest}`;
    const text = this.texts.get(key);
    if (text !== undefined) this.remember(key, text);
    return text;
  }

  set(database: string, digest: string, text: string): void {
    if (text.length <= this.maxCharacters) this.remember(`${database}\u0000${digest}`, text);
  }

  /** What the cache holds, the least recently used text first (restore puts them back in that order). */
  snapshot(): DigestTextSnapshot {
    return {
      texts: [...this.texts].map(([key, text]) => {
        const [database = '', digest = ''] = key.split('\u0000');
        return [database, digest, text];
      }),
      sizes: [...this.sizes],
    };
  }

  /** Adds what `snapshot` returned (of this cache or another run's), within this cache's bound. */
  restore(snapshot: DigestTextSnapshot): void {
    for (const [database, digest, text] of snapshot.texts) this.set(database, digest, text);
    for (const [database, rows] of snapshot.sizes) this.rememberSize(database, rows);
  }

  private remember(key: string, text: string): void {
    this.characters -= this.texts.get(key)?.length ?? 0;
    this.texts.delete(key);
    this.texts.set(key, text);
    this.characters += text.length;
    for (const [oldest, oldestText] of this.texts) {
      if (this.characters <= this.maxCharacters) break;
      this.texts.delete(oldest);
      this.characters -= oldestText.length;
    }
  }
}

/** `texts`: the digest texts known from earlier collections (a new cache: none). */
export async function collectMysql(session: SqlSession, report: DatabaseReport, limits: SlowQueryLimits,
  texts: DigestTextCache = new DigestTextCache()): Promise<void> {
  const server = await readServer(session, report);
  await collectConnections(session, report, server);
  const running = await collectRunning(session, report);
  await collectBufferPool(session, report);
  const consumers = await readStatementConsumers(session, report.problems, server);
  const latency = consumers === null ? undefined : await collectLatency(session, report, server, limits, texts);
  if (consumers === null || latency === undefined) {
    fallBackToProcesslist(report, running);
    return;
  }
  const rankings = await collectRankings(session, report, server, limits, { ranked: latency.ranked, texts });
  if (rankings === undefined) return;
  const samples = await collectSamples(session, report.problems, server, consumers, rankings);
  report.slow_query_source = 'performance_schema';
  // Digests and prepared statements each bring their own top `limit`; the merged lists keep the best `limit`.
  report.slow_queries = topOf(rankings.top, 'mean', limits.limit).map((row, index) => toSlowQuery(row, index + 1, samples));
  report.slow_queries_by_total = topOf(rankings.top, 'total', limits.limit).map((row, index) => toSlowQuery(row, index + 1, samples));
}

/** Version, flavor and this account's reach; a missing PROCESS privilege is a problem with its GRANT. */
async function readServer(session: SqlSession, report: DatabaseReport): Promise<Server> {
  const [settings] = await session.query<Settings>('MY_SETTINGS', MY_SETTINGS);
  if (settings === undefined) throw new Error('MY_SETTINGS returned no row');
  const server: Server = {
    flavor: mysqlFlavor(settings.version, settings.version_comment),
    major: Number(/^(\d+)/.exec(settings.version)?.[1] ?? 0),
    user: grantee(settings.user_name),
    maxConnections: numberOf(settings.max_connections),
    hasProcess: numberOf(settings.has_process) > 0,
    performanceSchema: numberOf(settings.performance_schema) !== 0,
  };
  report.version = settings.version;
  report.flavor = server.flavor;
  if (!server.hasProcess) {
    report.problems.push({
      code: 'missing_privilege_process',
      message: `${server.user} lacks PROCESS: only its own sessions are visible, and InnoDB transactions `
        + '(idle in transaction, transaction age, blocked sessions) are not',
      remedy: `GRANT PROCESS ON *.* TO ${server.user};`,
    });
  }
  return server;
}

/** Sessions by state against max_connections, the longest query and transaction, blocked sessions. */
async function collectConnections(session: SqlSession, report: DatabaseReport, server: Server): Promise<void> {
  await attempt(report.problems, 'MY_ACTIVITY', async () => {
    const [row] = server.hasProcess
      ? await session.query('MY_ACTIVITY_WITH_TRX', MY_ACTIVITY_WITH_TRX)
      : await session.query('MY_ACTIVITY_WITHOUT_TRX', MY_ACTIVITY_WITHOUT_TRX);
    if (row === undefined) return;
    const total = numberOf(row.total);
    report.connections = {
      active: numberOf(row.active), idle: numberOf(row.idle), idle_in_transaction: numberOf(row.idle_in_transaction),
      waiting: numberOf(row.waiting), total, max_connections: server.maxConnections,
      usage_ratio: server.maxConnections > 0 ? total / server.maxConnections : 0,
    };
    report.longest_query_seconds = longestSeconds(row.longest_query_seconds, server.hasProcess);
    report.longest_transaction_seconds = longestSeconds(row.longest_transaction_seconds, server.hasProcess);
    report.blocked_sessions = numberOf(row.blocked);
  });
}

/** The statements running now, longest first (also the slow-query source without performance_schema). */
async function collectRunning(session: SqlSession, report: DatabaseReport): Promise<RunningQuery[]> {
  const running = await attempt(report.problems, 'MY_RUNNING', async () =>
    (await session.query('MY_RUNNING', MY_RUNNING, [RUNNING_LIMIT])).map((row): RunningQuery => ({
      pid: numberOf(row.pid), database: textOrNull(row.db), user: textOrNull(row.user_name), state: textOrNull(row.state),
      duration_seconds: numberOf(row.duration_seconds), query: String(row.query ?? ''),
    }))) ?? [];
  report.running_queries = running;
  return running;
}

async function collectBufferPool(session: SqlSession, report: DatabaseReport): Promise<void> {
  await attempt(report.problems, 'MY_BUFFER_POOL', async () => {
    const rows = await session.query('MY_BUFFER_POOL', MY_BUFFER_POOL);
    const value = (name: string): number =>
      numberOf(rows.find((row) => String(row.Variable_name).toLowerCase() === name.toLowerCase())?.Value);
    const requests = value('Innodb_buffer_pool_read_requests');
    report.cache_hit_ratio = requests > 0 ? 1 - value('Innodb_buffer_pool_reads') / requests : null;
  });
}

/** The statement consumers, or null when performance_schema is off or closed to this account (a problem says which
 * and how to fix it); a digest consumer that is off is a problem too, but what it holds is still read. */
async function readStatementConsumers(session: SqlSession, problems: Problem[], server: Server): Promise<Row[] | null> {
  if (!server.performanceSchema) {
    problems.push({
      code: 'performance_schema_off',
      message: 'performance_schema is OFF: no statement digests, so slow queries come from the processlist (running statements only)',
      remedy: "set performance_schema = ON in the [mysqld] section of the server's option file"
        + (server.flavor === 'mariadb' ? ' (with performance-schema-consumer-events-statements-history-long = ON for samples)' : '')
        + ' and restart; it cannot be switched on at run time',
    });
    return null;
  }
  const consumers = await session.query('MY_CONSUMERS', MY_CONSUMERS).catch((error: unknown) => {
    problems.push(performanceSchemaProblem(error, server.user));
    return null;
  });
  if (consumers !== null && !consumers.some((row) => row.name === 'statements_digest' && String(row.enabled).toUpperCase() === 'YES')) {
    problems.push({
      code: 'statements_digest_off',
      message: 'the statements_digest consumer is off: the digest summary is not being updated',
      remedy: "UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME = 'statements_digest'; "
        + '(and performance-schema-consumer-statements-digest = ON in the option file)',
    });
  }
  return consumers;
}

/** min_calls holds for both lists: a statement run once is not a pattern, by mean or by total. */
function rankingParameters(limits: SlowQueryLimits): number[] {
  return [limits.min_calls, limits.limit, limits.min_calls, limits.limit];
}

/**
 * Call-weighted latency over every digest, and a problem when the digest table is full. MariaDB reads the totals
 * and both top lists at once: a small summary whole, texts included (readWholeDigestSummary), a larger one ranked on
 * the server (MY_DIGEST_COLLECT_MARIADB): `ranked` holds the top rows, texts still missing there; MySQL ranks
 * in a statement of its own (`ranked` null). undefined when the digest summary cannot be read.
 */
async function collectLatency(session: SqlSession, report: DatabaseReport, server: Server, limits: SlowQueryLimits,
  texts: DigestTextCache): Promise<{ ranked: Row[] | null } | undefined> {
  const section = server.flavor === 'mariadb' ? 'MY_DIGEST_COLLECT' : 'MY_DIGEST_TOTALS';
  const read = await attempt(report.problems, section, async () => {
    if (server.flavor === 'mysql') return { totals: (await session.query(section, MY_DIGEST_TOTALS))[0], ranked: null };
    const whole = await readWholeDigestSummary(session, limits, texts, report.name);
    if (whole !== undefined) return whole;
    const rows = await session.query(section, MY_DIGEST_COLLECT_MARIADB, rankingParameters(limits));
    texts.rememberSize(report.name, numberOf(rows[0]?.statements));
    return { totals: rows[0], ranked: rows.filter((row) => row.ranking !== null) };
  });
  if (read === undefined) return undefined;
  const calls = numberOf(read.totals?.all_calls);
  const overflowCalls = numberOf(read.totals?.overflow_calls);
  report.latency = {
    mean_ms: calls > 0 ? numberOf(read.totals?.all_total_ms) / calls : null, calls,
    source: 'performance_schema.events_statements_summary_by_digest',
  };
  if (overflowCalls > 0) {
    report.problems.push({
      code: 'digest_table_full',
      message: `the digest summary is full: ${overflowCalls} calls were counted in the NULL-digest row and cannot be ranked`,
      remedy: 'raise performance_schema_digests_size (restart), or TRUNCATE performance_schema.events_statements_summary_by_digest',
    });
  }
  return { ranked: read.ranked };
}

/**
 * MariaDB, a digest summary that held at most MARIADB_WHOLE_READ_MAX rows at the last collection: every row with its
 * text in one read, totals and both top lists computed here. undefined when its size is unknown (the first
 * collection: trying the whole read on a large summary would cost a read of MARIADB_WHOLE_READ_MAX rows for nothing,
 * more than it saves on a small one) or larger (also when it has grown past the bound since: a full answer); the
 * ranked read on the server then.
 */
async function readWholeDigestSummary(session: SqlSession, limits: SlowQueryLimits, texts: DigestTextCache, database: string):
  Promise<{ totals: Row; ranked: Row[] } | undefined> {
  const known = texts.lastSize(database);
  if (known === undefined || known > MARIADB_WHOLE_READ_MAX) return undefined;
  const rows = await session.query('MY_DIGEST_ALL', MY_DIGEST_ALL_MARIADB, [MARIADB_WHOLE_READ_MAX + 1]);
  texts.rememberSize(database, rows.length);
  if (rows.length > MARIADB_WHOLE_READ_MAX) return undefined;
  const ranked = rankDigestRows(rows, limits);
  for (const row of ranked) texts.set(database, String(row.id), String(row.query));
  return { totals: digestTotals(rows), ranked };
}

/** An exact DECIMAL (or integer) from the driver as an integer scaled by 10^20; SQL NULL below every value, as
 * MariaDB sorts it. */
function decimalKey(value: unknown): bigint {
  if (value === null || value === undefined) return -1n;
  const [whole = '0', fraction = ''] = String(value).split('.');
  return BigInt(whole) * 10n ** 20n + BigInt(fraction.padEnd(20, '0').slice(0, 20));
}

function formatScaled(scaled: bigint): string {
  return `${scaled / 10n ** 20n}.${String(scaled % 10n ** 20n).padStart(20, '0')}`;
}

/** NULL first, then by code unit: MariaDB's ascending order on the lowercase hex digests. */
function compareNullableText(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A DECIMAL's sort keys: as a double (cheap, never in the wrong order) and exact, for two values that meet in one
 * double. SQL NULL below every value, as MariaDB sorts it. */
interface DecimalKeys {
  approximate: number;
  text: unknown;
}

function decimalKeys(value: unknown): DecimalKeys {
  return { approximate: value === null || value === undefined ? -1 : Number(value), text: value };
}

function compareDescending(a: DecimalKeys, b: DecimalKeys): number {
  if (a.approximate !== b.approximate) return b.approximate - a.approximate;
  const exact = decimalKey(b.text) - decimalKey(a.text);
  return exact > 0n ? 1 : exact < 0n ? -1 : 0;
}

/** Both top lists of MY_DIGEST_ALL_MARIADB's rows, as MY_DIGEST_COLLECT_MARIADB ranks them on the server: digests
 * with at least min_calls calls, by exact mean and by exact total, ties by digest then schema, `limit` each. */
export function rankDigestRows(rows: readonly Row[], limits: SlowQueryLimits): Row[] {
  const eligible = rows.filter((row) => row.id !== null && row.id !== undefined && numberOf(row.calls) >= limits.min_calls)
    .map((row) => ({ row, mean: decimalKeys(row.mean_ms), total: decimalKeys(row.total_ms) }));
  const top = (ranking: 'mean' | 'total'): Row[] => [...eligible]
    .sort((a, b) => compareDescending(a[ranking], b[ranking])
      || compareNullableText(a.row.id, b.row.id) || compareNullableText(a.row.schema_name, b.row.schema_name))
    .slice(0, limits.limit)
    .map(({ row }) => ({ ...row, ranking }));
  return [...top('mean'), ...top('total')];
}

/** The totals MY_DIGEST_COLLECT_MARIADB computes, from every row of the summary (the NULL-digest row included). */
function digestTotals(rows: readonly Row[]): Row {
  let calls = 0n;
  let overflowCalls = 0n;
  let totalMs = 0n;
  for (const row of rows) {
    const rowCalls = BigInt(String(row.calls ?? 0));
    calls += rowCalls;
    if (row.id === null || row.id === undefined) overflowCalls += rowCalls;
    totalMs += decimalKey(row.total_ms ?? 0);
  }
  return { all_calls: String(calls), all_total_ms: formatScaled(totalMs), statements: rows.length, overflow_calls: String(overflowCalls) };
}

/** The top digests with their texts (MariaDB: `ranked` from collectLatency; MySQL: MY_DIGEST_TOP by version), then
 * the top server-side prepared statements. undefined when the digests cannot be ranked. */
async function collectRankings(session: SqlSession, report: DatabaseReport, server: Server, limits: SlowQueryLimits,
  digests: { ranked: Row[] | null; texts: DigestTextCache }): Promise<Rankings | undefined> {
  const { problems } = report;
  const { ranked, texts } = digests;
  const digestTop = ranked === null
    ? await attempt(problems, 'MY_DIGEST_TOP', () =>
      session.query('MY_DIGEST_TOP', mysqlDigestTopSql(server.flavor, server.major), rankingParameters(limits)))
    : await attempt(problems, 'MY_DIGEST_TEXTS', () => withDigestTexts(session, ranked, texts, report.name));
  if (digestTop === undefined) return undefined;
  const preparedTop = await attempt(problems, 'MY_PREPARED_TOP', () =>
    session.query('MY_PREPARED_TOP', MY_PREPARED_TOP, rankingParameters(limits))) ?? [];
  const top = mergePrepared(digestTop, preparedTop);
  return { top, preparedIds: new Set(top.filter((row) => preparedTop.includes(row)).map((row) => String(row.id))) };
}

/** The ranked digests with their texts, read for the digests whose text is not known yet only (one text per digest:
 * the digest is the hash of the normalized text, whatever the schema). A digest gone between the two reads (the
 * table truncated or full) has no text left to show, and drops out. */
async function withDigestTexts(session: SqlSession, ranked: readonly Row[], texts: DigestTextCache, database: string): Promise<Row[]> {
  if (ranked.every((row) => typeof row.query === 'string')) return [...ranked]; // read whole, texts included
  const unknown = [...new Set(ranked.map((row) => String(row.id)))].filter((id) => texts.get(database, id) === undefined);
  if (unknown.length > 0) {
    for (const row of await session.query('MY_DIGEST_TEXTS', digestTextsSql(unknown.length), unknown)) {
      texts.set(database, String(row.id), String(row.query));
    }
  }
  return ranked.flatMap((row) => {
    const query = texts.get(database, String(row.id));
    return query === undefined ? [] : [{ ...row, query }];
  });
}

/**
 * Literal samples: MySQL 8's QUERY_SAMPLE_TEXT first, then the statement history tables that are filled, asked in
 * one statement for the digests still without one (history_long preferred: it holds the most statements, then
 * history, then the statements running now). Prepared statements have no digest: the history cannot sample them.
 */
async function collectSamples(session: SqlSession, problems: Problem[], server: Server, consumers: readonly Row[],
  rankings: Rankings): Promise<Map<string, Sample>> {
  const samples = new Map<string, Sample>();
  for (const row of rankings.top) {
    if (row.sample === null || row.sample === undefined) continue;
    samples.set(sampleKey(row.schema_name, row.id), { sample: String(row.sample), source: 'events_statements_summary_by_digest' });
  }
  const missing = [...new Set(rankings.top
    .filter((row) => !samples.has(sampleKey(row.schema_name, row.id)) && !rankings.preparedIds.has(String(row.id)))
    .map((row) => String(row.id)))];
  if (missing.length === 0) return samples;
  const tables = [...effectiveHistoryTables(consumers)].reverse();
  if (tables.length === 0) {
    if (server.flavor === 'mariadb') {
      problems.push({
        code: 'statement_history_off',
        message: 'no runnable samples: the events_statements_history_long (or _history) consumer, with events_statements_current, is off',
        remedy: "UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('events_statements_current', "
          + "'events_statements_history', 'events_statements_history_long'); "
          + '(and the performance-schema-consumer-* options in the option file)',
      });
    }
    return samples;
  }
  const sql = server.flavor === 'mysql' && server.major < 8
    ? historySamplesSql57(tables, missing.length) : historySamplesSql(tables, missing.length);
  const rows = await attempt(problems, 'MY_HISTORY_SAMPLES', () => session.query('MY_HISTORY_SAMPLES', sql, tables.flatMap(() => missing)));
  for (const row of rows ?? []) {
    const key = sampleKey(row.schema_name, row.id);
    if (!samples.has(key)) samples.set(key, { sample: String(row.sample), source: String(row.source) });
  }
  return samples;
}

/** The best `limit` rows of one ranking. */
function topOf(top: readonly Row[], ranking: 'mean' | 'total', limit: number): Row[] {
  const figure = ranking === 'mean' ? 'mean_ms' : 'total_ms';
  return top.filter((row) => row.ranking === ranking).sort((a, b) => numberOf(b[figure]) - numberOf(a[figure])).slice(0, limit);
}

function toSlowQuery(row: Row, rank: number, samples: ReadonlyMap<string, Sample>): SlowQuery {
  const found = samples.get(sampleKey(row.schema_name, row.id));
  const query: SlowQuery = {
    rank, id: String(row.id), query: String(row.query), calls: numberOf(row.calls), mean_ms: numberOf(row.mean_ms),
    total_ms: numberOf(row.total_ms), max_ms: numberOrNull(row.max_ms), rows: numberOf(row.rows_sent),
    rows_examined: numberOf(row.rows_examined), sample: found?.sample ?? null,
    database: textOrNull(row.schema_name), user: null,
  };
  if (found) query.sample_source = found.source;
  return query;
}

/**
 * Digest rows and prepared-statement rows in one list. A prepared statement whose executions the server also counts
 * under a digest (MySQL 8 instruments some as statement/sql/*) would be ranked twice: the digest row, which can
 * carry a sample, is kept.
 */
export function mergePrepared(digestRows: readonly Row[], preparedRows: readonly Row[]): Row[] {
  const key = (row: Row): string =>
    `${String(row.ranking)}\u0000${String(row.schema_name ?? '')}\u0000${statementFingerprint(String(row.query))}`;
  const digested = new Set(digestRows.map(key));
  return [...digestRows, ...preparedRows.filter((row) => !digested.has(key(row)))];
}

/** A driver value as text, SQL NULL as null. */
function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function sampleKey(schema: unknown, id: unknown): string {
  return `${schema === null || schema === undefined ? '' : String(schema)}\u0000${String(id)}`;
}

function performanceSchemaProblem(error: unknown, user: string): ReturnType<typeof problemFromError> {
  const problem = problemFromError('MY_CONSUMERS', error);
  if (problem.code !== 'permission_denied') return problem;
  return {
    code: 'missing_privilege_performance_schema',
    message: `${user} may not read performance_schema: no statement digests, so slow queries come from the processlist`,
    remedy: `GRANT SELECT ON performance_schema.* TO ${user};`,
  };
}

/** Without digests: the statements running now, from the processlist. */
function fallBackToProcesslist(report: DatabaseReport, running: RunningQuery[]): void {
  rankRunningInstead(report, running, 'processlist', 'performance_schema');
}
