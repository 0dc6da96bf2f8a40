// The functions a MySQL/MariaDB statement may call before EXPLAIN runs it: an allow-list of built-ins by flavor and
// version, not a deny list. Why a list of names is enough: an unqualified name the server knows as native (or as a
// grammar keyword) always resolves to the built-in — a loadable function (mysql.func) cannot take a native name, and a
// stored function of that name is reached only schema-qualified, which the gate refuses. A name that is NOT native in
// that server version resolves to a loadable function or to a stored function of the current database, so the list
// must hold exactly what the server has: MariaDB's is checked name by name on the real 10.11 server
// (test/integration/explain-mariadb.test.ts creates a stored function of each name and proves the built-in wins).
// Names come from MariaDB's help tables (/usr/share/mysql/fill_help_tables.sql) and the MySQL 8.0 function
// reference; built-ins with effects outside the statement are in SIDE_EFFECT_FUNCTIONS and never allowed.
import type { Flavor } from '../../core/report';

/** In MySQL 5.7+ and MariaDB 10.3+. Lower case; node-sql-parser's pseudo-functions (exists, convert, trim) included. */
const COMMON = [
  // control flow, comparison
  'if', 'ifnull', 'nullif', 'coalesce', 'greatest', 'least', 'isnull', 'interval', 'exists',
  // strings
  'ascii', 'bin', 'bit_length', 'char', 'char_length', 'character_length', 'concat', 'concat_ws', 'convert', 'elt',
  'export_set', 'field', 'find_in_set', 'format', 'from_base64', 'hex', 'insert', 'instr', 'lcase', 'left', 'length',
  'locate', 'lower', 'lpad', 'ltrim', 'make_set', 'mid', 'oct', 'octet_length', 'ord', 'position', 'quote', 'repeat',
  'replace', 'reverse', 'right', 'rpad', 'rtrim', 'soundex', 'space', 'strcmp', 'substr', 'substring',
  'substring_index', 'to_base64', 'trim', 'ucase', 'unhex', 'upper', 'weight_string',
  // numbers
  'abs', 'acos', 'asin', 'atan', 'atan2', 'ceil', 'ceiling', 'conv', 'cos', 'cot', 'crc32', 'degrees', 'exp', 'floor',
  'ln', 'log', 'log10', 'log2', 'mod', 'pi', 'pow', 'power', 'radians', 'rand', 'round', 'sign', 'sin', 'sqrt', 'tan',
  'truncate', 'bit_count',
  // dates and times
  'adddate', 'addtime', 'convert_tz', 'curdate', 'current_date', 'current_time', 'current_timestamp', 'curtime',
  'date', 'date_add', 'date_format', 'date_sub', 'datediff', 'day', 'dayname', 'dayofmonth', 'dayofweek', 'dayofyear',
  'from_days', 'from_unixtime', 'get_format', 'hour', 'last_day', 'localtime', 'localtimestamp', 'makedate',
  'maketime', 'microsecond', 'minute', 'month', 'monthname', 'now', 'period_add', 'period_diff', 'quarter',
  'sec_to_time', 'second', 'str_to_date', 'subdate', 'subtime', 'sysdate', 'time', 'time_format', 'time_to_sec',
  'timediff', 'timestamp', 'timestampadd', 'timestampdiff', 'to_days', 'to_seconds', 'unix_timestamp', 'utc_date',
  'utc_time', 'utc_timestamp', 'week', 'weekday', 'weekofyear', 'year', 'yearweek',
  // aggregates
  'avg', 'bit_and', 'bit_or', 'bit_xor', 'count', 'group_concat', 'max', 'min', 'std', 'stddev', 'stddev_pop',
  'stddev_samp', 'sum', 'var_pop', 'var_samp', 'variance',
  // hashes, compression, addresses, character sets
  'md5', 'sha1', 'sha', 'sha2', 'aes_encrypt', 'aes_decrypt', 'compress', 'uncompress', 'uncompressed_length',
  'inet_aton', 'inet_ntoa', 'inet6_aton', 'inet6_ntoa', 'is_ipv4', 'is_ipv4_compat', 'is_ipv4_mapped', 'is_ipv6',
  'uuid', 'charset', 'coercibility', 'collation',
  // JSON
  'json_array', 'json_array_append', 'json_array_insert', 'json_contains', 'json_contains_path', 'json_depth',
  'json_extract', 'json_insert', 'json_keys', 'json_length', 'json_merge', 'json_merge_patch', 'json_merge_preserve',
  'json_object', 'json_quote', 'json_remove', 'json_replace', 'json_search', 'json_set', 'json_type', 'json_unquote',
  'json_valid',
];

/** Window functions: MySQL 8.0+, MariaDB 10.2+. */
const WINDOW = ['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value'];

/** MariaDB 10.11 beyond COMMON: each one proved native on the real server by the integration test. */
const MARIADB_10_11 = [
  ...WINDOW, 'median', 'percentile_cont', 'percentile_disc',
  'nvl', 'nvl2', 'decode_oracle', 'chr', 'lengthb', 'natural_sort_key', 'sformat', 'crc32c', 'add_months', 'to_char',
  'regexp_instr', 'regexp_replace', 'regexp_substr', 'random_bytes',
  'json_compact', 'json_detailed', 'json_loose', 'json_exists', 'json_value', 'json_query', 'json_arrayagg',
  'json_objectagg', 'json_overlaps', 'json_equals', 'json_normalize',
  'column_add', 'column_check', 'column_create', 'column_delete', 'column_exists', 'column_get', 'column_json',
  'column_list',
];

/** MySQL 8.0 beyond COMMON, from its function reference (no MySQL 8 server runs here to prove them). */
const MYSQL_8_0 = [
  ...WINDOW, 'regexp_instr', 'regexp_like', 'regexp_replace', 'regexp_substr', 'json_arrayagg', 'json_objectagg',
  'json_pretty', 'json_storage_size', 'bin_to_uuid', 'uuid_to_bin', 'is_uuid', 'any_value', 'grouping',
];

/**
 * Built-ins the gate refuses by name although they are built in: they sleep, take or test user locks (a GET_LOCK lock
 * outlives ROLLBACK), wait on replication, read server files, move sequences, set session state, or put table content
 * into an error message (EXTRACTVALUE/UPDATEXML's "XPATH syntax error: '…'").
 */
export const SIDE_EFFECT_FUNCTIONS = new Set([
  'sleep', 'benchmark', 'get_lock', 'release_lock', 'release_all_locks', 'is_used_lock', 'is_free_lock',
  'load_file', 'master_pos_wait', 'source_pos_wait', 'master_gtid_wait', 'wait_for_executed_gtid_set',
  'wait_until_sql_thread_after_gtids', 'wsrep_sync_wait_upto_gtid', 'nextval', 'setval', 'lastval',
  'last_insert_id', 'extractvalue', 'updatexml', 'name_const', 'uuid_short',
]);

export interface BuiltinList {
  /** For messages: "MariaDB 10.11+", "MySQL 8.0+", … */
  label: string;
  names: ReadonlySet<string>;
}

function atLeast(version: readonly [number, number, number], major: number, minor: number): boolean {
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/** The allow-list for one server; older versions get the common list only (a needless refusal, never a miss). */
export function builtinFunctions(flavor: Flavor, version: readonly [number, number, number]): BuiltinList {
  if (flavor === 'mariadb' && atLeast(version, 10, 11)) {
    return { label: 'MariaDB 10.11+', names: new Set([...COMMON, ...MARIADB_10_11]) };
  }
  if (flavor === 'mysql' && atLeast(version, 8, 0)) return { label: 'MySQL 8.0+', names: new Set([...COMMON, ...MYSQL_8_0]) };
  return { label: flavor === 'mariadb' ? 'MariaDB before 10.11' : 'MySQL before 8.0', names: new Set(COMMON) };
}
