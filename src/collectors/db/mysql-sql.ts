// MySQL and MariaDB SQL, as named constants chosen by flavor and version. Every SELECT carries the column alias
// `db_sentinel` (digest texts keep aliases, drop comments), so the collector can leave its own statements out of
// the slow-query lists together with the SHOW/SET statements it sends (OWN_STATEMENT_FILTER).

/** Server settings and whether this account holds PROCESS (needed to see every session and InnoDB transactions). */
export const MY_SETTINGS = `SELECT 1 AS db_sentinel, VERSION() AS version, @@version_comment AS version_comment,
  @@max_connections AS max_connections, @@performance_schema AS performance_schema, CURRENT_USER() AS user_name,
  (SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES
    WHERE PRIVILEGE_TYPE = 'PROCESS'
      AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')) AS has_process`;

const SESSION_FILTER = `p.COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Binlog Dump GTID') `
  + `AND p.USER NOT IN ('system user', 'event_scheduler')`;
const WAITING = `(t.trx_state = 'LOCK WAIT' OR p.STATE LIKE 'Waiting for % lock')`;

/**
 * Sessions by state with InnoDB transactions (needs PROCESS): idle in transaction = Sleep with an open trx. InnoDB
 * refreshes INNODB_TRX only when it was last read over 100 ms ago (trx_i_s_cache): read once per cycle here, it is
 * current unless another client polls it faster than that.
 */
export const MY_ACTIVITY_WITH_TRX = `SELECT 1 AS db_sentinel,
  COUNT(*) AS total,
  SUM(p.ID <> CONNECTION_ID() AND p.COMMAND <> 'Sleep' AND NOT COALESCE(${WAITING}, 0)) AS active,
  SUM(p.COMMAND = 'Sleep' AND t.trx_id IS NULL) AS idle,
  SUM(p.COMMAND = 'Sleep' AND t.trx_id IS NOT NULL) AS idle_in_transaction,
  SUM(COALESCE(${WAITING}, 0)) AS waiting,
  MAX(CASE WHEN p.COMMAND = 'Query' AND p.ID <> CONNECTION_ID() THEN p.TIME END) AS longest_query_seconds,
  MAX(CASE WHEN p.ID <> CONNECTION_ID() THEN TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) / 1000000 END) AS longest_transaction_seconds,
  SUM(t.trx_state = 'LOCK WAIT') AS blocked
  FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
  WHERE ${SESSION_FILTER}`;

/** Without PROCESS: only this account's sessions are visible and transactions are unknown. */
export const MY_ACTIVITY_WITHOUT_TRX = `SELECT 1 AS db_sentinel,
  COUNT(*) AS total,
  SUM(p.ID <> CONNECTION_ID() AND p.COMMAND <> 'Sleep' AND NOT (p.STATE LIKE 'Waiting for % lock')) AS active,
  SUM(p.COMMAND = 'Sleep') AS idle,
  0 AS idle_in_transaction,
  SUM(p.STATE LIKE 'Waiting for % lock') AS waiting,
  MAX(CASE WHEN p.COMMAND = 'Query' AND p.ID <> CONNECTION_ID() THEN p.TIME END) AS longest_query_seconds,
  NULL AS longest_transaction_seconds,
  SUM(p.STATE LIKE 'Waiting for % lock') AS blocked
  FROM information_schema.PROCESSLIST p
  WHERE ${SESSION_FILTER}`;

/** The statements running now, longest first. */
export const MY_RUNNING = `SELECT 1 AS db_sentinel, p.ID AS pid, p.DB AS db, p.USER AS user_name, p.STATE AS state,
  p.TIME AS duration_seconds, p.INFO AS query
  FROM information_schema.PROCESSLIST p
  WHERE p.COMMAND = 'Query' AND p.ID <> CONNECTION_ID() AND p.INFO IS NOT NULL AND ${SESSION_FILTER}
  ORDER BY p.TIME DESC LIMIT ?`;

/** InnoDB buffer pool hit ratio = 1 - reads from disk / read requests. */
export const MY_BUFFER_POOL = `SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_reads', 'Innodb_buffer_pool_read_requests')`;

/** Which statement consumers are on (history tables are filled only when their parents are on too). */
export const MY_CONSUMERS = `SELECT 1 AS db_sentinel, NAME AS name, ENABLED AS enabled FROM performance_schema.setup_consumers`;

/** Our own statements, left out of the digest lists and totals: every SELECT carries the `db_sentinel` alias; the
 * session settings and EXPLAIN transactions the sources send are known by how they start (LIKE patterns). */
export const OWN_ALIAS_PATTERN = '%db\\_sentinel%';
export const OWN_STATEMENT_PREFIXES: readonly string[] = ['SHOW GLOBAL STATUS%', 'SET SESSION %max\\_statement\\_time%',
  'SET SESSION %max\\_execution\\_time%', 'SET SESSION %lock\\_wait\\_timeout%', 'START TRANSACTION READ ONLY%',
  'SET STATEMENT %FOR ANALYZE %', 'EXPLAIN %', 'ROLLBACK%'];

/** How many leading characters tell a text from every prefix: the shortest literal start among them, at most 4. */
const PREFIX_HEAD_LENGTH = Math.min(4, ...OWN_STATEMENT_PREFIXES.map((prefix) => {
  const wildcard = prefix.search(/[%_\\]/);
  return wildcard === -1 ? prefix.length : wildcard;
}));

/**
 * The prefixes' first PREFIX_HEAD_LENGTH characters: a text that starts with none of them (under the column's
 * collation, as LIKE compares) matches no prefix, so one comparison of a few characters spares nearly every row the
 * LIKE evaluations (MariaDB 10.11, 20,000 digests, interleaved medians by hand: a read with the whole filter 56 ms,
 * with this check 50, with the alias pattern alone 47).
 */
const OWN_PREFIX_HEADS = [...new Set(OWN_STATEMENT_PREFIXES.map((prefix) => prefix.slice(0, PREFIX_HEAD_LENGTH)))];

/** `LIKE BINARY` compares bytes, a fraction of the cost of the collation's LIKE on the one pattern that searches the
 * whole text (MariaDB; MySQL 8 deprecates the operator). Only the alias is matched so: digest texts keep identifiers
 * as sent (the alias is lowercase everywhere) but spell keywords in capitals (MariaDB's MAX_STATEMENT_TIME). */
function ownStatementFilter(aliasLike: 'LIKE' | 'LIKE BINARY'): string {
  const heads = OWN_PREFIX_HEADS.map((head) => `'${head}'`).join(', ');
  const prefixes = OWN_STATEMENT_PREFIXES.map((prefix) => `DIGEST_TEXT NOT LIKE '${prefix}'`).join(' AND ');
  return `DIGEST_TEXT NOT ${aliasLike} '${OWN_ALIAS_PATTERN}' AND `
    + `(LEFT(DIGEST_TEXT, ${PREFIX_HEAD_LENGTH}) NOT IN (${heads}) OR (${prefixes}))`;
}

export const OWN_STATEMENT_FILTER = ownStatementFilter('LIKE');

// Picosecond timers become milliseconds in SQL, exactly: DECIMAL multiplication by 1e-9 keeps every digit
// (a division would round to div_precision_increment = 4 places), and sums beyond 2^53 never pass through a double.

/** Call-weighted latency over every digest, and the calls counted in the row that collects statements once the
 * digest table is full (DIGEST NULL). */
export const MY_DIGEST_TOTALS = `SELECT 1 AS db_sentinel, COALESCE(SUM(COUNT_STAR), 0) AS all_calls,
  COALESCE(SUM(SUM_TIMER_WAIT), 0) * 0.000000001 AS all_total_ms, COUNT(*) AS statements,
  COALESCE(SUM(CASE WHEN DIGEST IS NULL THEN COUNT_STAR END), 0) AS overflow_calls
  FROM performance_schema.events_statements_summary_by_digest
  WHERE DIGEST IS NULL OR (${OWN_STATEMENT_FILTER})`;

function digestTopSql(merged: string): string {
  return `WITH merged AS (${merged})
(SELECT 'mean' AS ranking, merged.* FROM merged WHERE calls >= ? ORDER BY mean_ms DESC LIMIT ?)
UNION ALL
(SELECT 'total' AS ranking, merged.* FROM merged WHERE calls >= ? ORDER BY total_ms DESC LIMIT ?)`;
}

const MY_DIGEST_COLUMNS = `1 AS db_sentinel, DIGEST AS id, SCHEMA_NAME AS schema_name, DIGEST_TEXT AS query,
    COUNT_STAR AS calls, SUM_TIMER_WAIT * 0.000000001 AS total_ms, SUM_TIMER_WAIT / COUNT_STAR * 0.000000001 AS mean_ms,
    MAX_TIMER_WAIT * 0.000000001 AS max_ms, SUM_ROWS_SENT AS rows_sent, SUM_ROWS_EXAMINED AS rows_examined, NULL AS sample`;
const MY_DIGEST_RANKED = `FROM performance_schema.events_statements_summary_by_digest
  WHERE DIGEST IS NOT NULL AND COUNT_STAR >= ? AND ${OWN_STATEMENT_FILTER}`;

/**
 * MySQL 5.7 (no CTEs): the digest summary without sample texts, each top list one pass over the table that keeps
 * only the top rows (a sort with LIMIT), so what is built and sent grows with k. The table holds one row per
 * (schema, digest) — the key of performance_schema's digest hash — so nothing is merged. Timers are picoseconds,
 * converted in SQL.
 */
export const MY_DIGEST_TOP = `(SELECT 'mean' AS ranking, ${MY_DIGEST_COLUMNS}
  ${MY_DIGEST_RANKED} ORDER BY SUM_TIMER_WAIT / COUNT_STAR DESC LIMIT ?)
UNION ALL
(SELECT 'total' AS ranking, ${MY_DIGEST_COLUMNS}
  ${MY_DIGEST_RANKED} ORDER BY SUM_TIMER_WAIT DESC LIMIT ?)`;

/**
 * MariaDB: the totals and both top lists from ONE read of the digest summary. Every read of that table builds each
 * row again, digest text included (a bare COUNT(*) costs most of a fetch of everything), so the rows are read once,
 * without their texts, into `db_sentinel_digests`: a recursive CTE, because MariaDB materializes a recursive CTE
 * once for all its references where a plain one is read again by each (at 20,000 digests on 10.11: 31 ms for one
 * reference, 38 for three, against 20 ms per extra read of the table). The texts of the top rows come from
 * MY_DIGEST_TEXTS; a text in it would move the temporary table to disk. The CTE's name carries the marker
 * (OWN_ALIAS_PATTERN) at the statement's start: a digest text ends at performance_schema_max_digest_length (1,024
 * bytes by default), before this statement's own alias. Same columns as MY_DIGEST_TOP, plus the totals of
 * MY_DIGEST_TOTALS on every row (a LEFT JOIN: one row with NULL ranking when nothing ranks). Ties go by digest, then
 * schema, as rankDigestRows breaks them.
 */
export const MY_DIGEST_COLLECT_MARIADB = `WITH RECURSIVE db_sentinel_digests AS (
  SELECT DIGEST, SCHEMA_NAME, COUNT_STAR, SUM_TIMER_WAIT, MAX_TIMER_WAIT, SUM_ROWS_SENT, SUM_ROWS_EXAMINED
  FROM performance_schema.events_statements_summary_by_digest
  WHERE DIGEST IS NULL OR (${ownStatementFilter('LIKE BINARY')})
  UNION ALL SELECT * FROM db_sentinel_digests WHERE FALSE
), totals AS (
  SELECT COALESCE(SUM(COUNT_STAR), 0) AS all_calls, COALESCE(SUM(SUM_TIMER_WAIT), 0) * 0.000000001 AS all_total_ms,
    COUNT(*) AS statements, COALESCE(SUM(CASE WHEN DIGEST IS NULL THEN COUNT_STAR END), 0) AS overflow_calls
  FROM db_sentinel_digests
), ranked AS (
  (SELECT 'mean' AS ranking, db_sentinel_digests.* FROM db_sentinel_digests
    WHERE DIGEST IS NOT NULL AND COUNT_STAR >= ? ORDER BY SUM_TIMER_WAIT / COUNT_STAR DESC, DIGEST, SCHEMA_NAME LIMIT ?)
  UNION ALL
  (SELECT 'total' AS ranking, db_sentinel_digests.* FROM db_sentinel_digests
    WHERE DIGEST IS NOT NULL AND COUNT_STAR >= ? ORDER BY SUM_TIMER_WAIT DESC, DIGEST, SCHEMA_NAME LIMIT ?)
)
SELECT 1 AS db_sentinel, t.all_calls, t.all_total_ms, t.statements, t.overflow_calls, r.ranking, r.DIGEST AS id,
  r.SCHEMA_NAME AS schema_name, r.COUNT_STAR AS calls, r.SUM_TIMER_WAIT * 0.000000001 AS total_ms,
  r.SUM_TIMER_WAIT / r.COUNT_STAR * 0.000000001 AS mean_ms, r.MAX_TIMER_WAIT * 0.000000001 AS max_ms,
  r.SUM_ROWS_SENT AS rows_sent, r.SUM_ROWS_EXAMINED AS rows_examined, NULL AS sample
FROM totals t LEFT JOIN ranked r ON TRUE`;

/**
 * MariaDB, a small digest summary: every row in one read, texts included, ranked in TypeScript (mysql.ts,
 * rankDigestRows) exactly as MY_DIGEST_COLLECT_MARIADB ranks them: same rows, same per-row expressions. Under
 * MARIADB_WHOLE_READ_MAX rows one read costs less than MY_DIGEST_COLLECT_MARIADB and MY_DIGEST_TEXTS together (two
 * reads, two round trips). The parameter is MARIADB_WHOLE_READ_MAX + 1: a full answer means the table is larger, and
 * the collector ranks on the server instead.
 */
export const MY_DIGEST_ALL_MARIADB = `SELECT ${MY_DIGEST_COLUMNS}
  FROM performance_schema.events_statements_summary_by_digest
  WHERE DIGEST IS NULL OR (${ownStatementFilter('LIKE BINARY')})
  LIMIT ?`;

/** The largest digest summary read whole (MY_DIGEST_ALL_MARIADB). On MariaDB 10.11 (this repository's 2-core VM,
 * interleaved medians of 41) the whole read took 4.8 ms at 500 rows and 7.5 at 1,000, the ranked read plus the top
 * texts 6.4 and 10.2; larger sizes may still gain, but what comes back would no longer be small. */
export const MARIADB_WHOLE_READ_MAX = 1000;

/** The digest texts of the given digests (one more read of the table, bounded by k in what it sends). */
export function digestTextsSql(digestCount: number): string {
  return `SELECT 1 AS db_sentinel, DIGEST AS id, DIGEST_TEXT AS query
  FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST IN (${placeholders(digestCount)})`;
}

/** MySQL 8.0.3+: QUERY_SAMPLE_TEXT of the most recently seen row of each (schema, digest), unless truncated. */
export const MY_DIGEST_TOP_80 = digestTopSql(`SELECT 1 AS db_sentinel, DIGEST AS id, SCHEMA_NAME AS schema_name,
    MIN(DIGEST_TEXT) AS query, SUM(COUNT_STAR) AS calls, SUM(SUM_TIMER_WAIT) * 0.000000001 AS total_ms,
    SUM(SUM_TIMER_WAIT) / SUM(COUNT_STAR) * 0.000000001 AS mean_ms, MAX(MAX_TIMER_WAIT) * 0.000000001 AS max_ms,
    SUM(SUM_ROWS_SENT) AS rows_sent, SUM(SUM_ROWS_EXAMINED) AS rows_examined,
    MAX(CASE WHEN sample_rank = 1 AND CHAR_LENGTH(QUERY_SAMPLE_TEXT) < @@performance_schema_max_sql_text_length
             THEN QUERY_SAMPLE_TEXT END) AS sample
  FROM (SELECT d.*, ROW_NUMBER() OVER (PARTITION BY SCHEMA_NAME, DIGEST ORDER BY QUERY_SAMPLE_SEEN DESC) AS sample_rank
        FROM performance_schema.events_statements_summary_by_digest d
        WHERE DIGEST IS NOT NULL AND COUNT_STAR > 0 AND ${OWN_STATEMENT_FILTER}) ranked
  GROUP BY SCHEMA_NAME, DIGEST`);

export function mysqlDigestTopSql(flavor: 'mysql' | 'mariadb', major: number): string {
  return flavor === 'mysql' && major >= 8 ? MY_DIGEST_TOP_80 : MY_DIGEST_TOP;
}

export type HistoryTable = 'events_statements_current' | 'events_statements_history' | 'events_statements_history_long';

/** `?, ?, …`: an IN list of n values. */
function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** The runnable texts of the given digests in each history table (each table takes the digests as its own
 * parameters), `preference` in the order given; texts cut at performance_schema_max_sql_text_length are not runnable. */
function historyCandidates(tables: readonly HistoryTable[], digestCount: number): string {
  return tables.map((table, preference) => `SELECT ${preference} AS preference, '${table}' AS source, DIGEST AS id,
      CURRENT_SCHEMA AS schema_name, SQL_TEXT AS sample, TIMER_START AS started
    FROM performance_schema.${table}
    WHERE DIGEST IN (${placeholders(digestCount)}) AND SQL_TEXT IS NOT NULL
      AND CHAR_LENGTH(SQL_TEXT) < @@performance_schema_max_sql_text_length`).join('\n    UNION ALL\n    ');
}

/** Literal samples for the given digests from the statement history tables, in one statement: the newest runnable
 * one of each (schema, digest) from the first table that has one, so at most one row per digest whatever the tables
 * hold. MariaDB 10.2+ and MySQL 8 (window functions). */
export function historySamplesSql(tables: readonly HistoryTable[], digestCount: number): string {
  return `SELECT 1 AS db_sentinel, id, schema_name, sample, source FROM (
  SELECT id, schema_name, sample, source,
    ROW_NUMBER() OVER (PARTITION BY schema_name, id ORDER BY preference, started DESC) AS newest
  FROM (${historyCandidates(tables, digestCount)}) candidates) samples
  WHERE newest = 1`;
}

/** MySQL 5.7 (no window functions): every matching row, preferred table and newest first; the collector keeps the
 * first of each. */
export function historySamplesSql57(tables: readonly HistoryTable[], digestCount: number): string {
  return `SELECT 1 AS db_sentinel, id, schema_name, sample, source FROM (
    ${historyCandidates(tables, digestCount)}) candidates
  ORDER BY preference, started DESC`;
}

/**
 * Server-side prepared statements (mysql2 `execute()`, PDO without emulation, JDBC useServerPrepStmts): their
 * executions reach the digest table as `statement/com/Execute` with a NULL digest and SQL_TEXT, so they are ranked
 * from prepared_statements_instances instead, one row per (schema, text) over every connection that holds the
 * statement. Counters live as long as the statement: a connection that closes takes its executions with it
 * (connection pools keep them). The id is MD5 of the text: 32 hex digits like a digest, stable across connections.
 * Merged with the digest ranking in TypeScript (mysql.ts); same columns as MY_DIGEST_TOP.
 */
export const MY_PREPARED_TOP = `WITH merged AS (SELECT 1 AS db_sentinel, MD5(p.SQL_TEXT) AS id, t.PROCESSLIST_DB AS schema_name,
    p.SQL_TEXT AS query, SUM(p.COUNT_EXECUTE) AS calls, SUM(p.SUM_TIMER_EXECUTE) * 0.000000001 AS total_ms,
    SUM(p.SUM_TIMER_EXECUTE) / SUM(p.COUNT_EXECUTE) * 0.000000001 AS mean_ms, MAX(p.MAX_TIMER_EXECUTE) * 0.000000001 AS max_ms,
    SUM(p.SUM_ROWS_SENT) AS rows_sent, SUM(p.SUM_ROWS_EXAMINED) AS rows_examined, NULL AS sample
  FROM performance_schema.prepared_statements_instances p
  LEFT JOIN performance_schema.threads t ON t.THREAD_ID = p.OWNER_THREAD_ID
  WHERE p.COUNT_EXECUTE > 0 AND p.SQL_TEXT NOT LIKE '%db\\_sentinel%'
  GROUP BY t.PROCESSLIST_DB, p.SQL_TEXT)
(SELECT 'mean' AS ranking, merged.* FROM merged WHERE calls >= ? ORDER BY mean_ms DESC LIMIT ?)
UNION ALL
(SELECT 'total' AS ranking, merged.* FROM merged WHERE calls >= ? ORDER BY total_ms DESC LIMIT ?)`;

/** Whether the slow query log is on, where it goes (a relative file name is under the datadir), and MariaDB's
 * log_slow_verbosity (query_plan adds Full_scan/Filesort… flags, explain the executed plan). MySQL has no verbosity. */
export const MY_SLOW_LOG_SETTINGS_MARIADB = `SELECT 1 AS db_sentinel, @@slow_query_log AS slow_query_log,
  @@slow_query_log_file AS slow_query_log_file, @@datadir AS datadir, @@log_output AS log_output,
  @@log_slow_verbosity AS log_slow_verbosity`;
export const MY_SLOW_LOG_SETTINGS_MYSQL = `SELECT 1 AS db_sentinel, @@slow_query_log AS slow_query_log,
  @@slow_query_log_file AS slow_query_log_file, @@datadir AS datadir, @@log_output AS log_output,
  '' AS log_slow_verbosity`;
