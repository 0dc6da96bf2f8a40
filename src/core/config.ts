// The analyzer's configuration: the whole file (/etc/db_sentinel/config.yml), its `check` section and the reading of the
// file from ./check-config.ts (all db_check needs), the databases, explain, server, textfile, beacon, tuning and health
// sections here. An invalid value is a ConfigError naming the key, and the commands exit UNKNOWN (3).
// Every default is documented beside it with its reason; pillar.example documents the same keys.
import {
  CONFIG_SECTIONS, parseCheck, parseConfigDocument, readConfigDocument, type CheckCommandConfig,
} from './check-config';
import { ConfigError } from './errors';
import { parseHealth, type HealthConfig } from './health-config';
import { defaultTuningProfile, parseTuningProfile, type TuningProfile } from './tuning-profile';
import type { Engine } from './report';
import {
  describe, expectMap, join, readBoolean, readEnum, readNumber, readOptionalString, readString,
  readStringList, rejectUnknownKeys, type Thresholds, type YamlMap,
} from './validate';

export type { Thresholds };
export { DEFAULT_CHECK, DEFAULT_CONFIG_PATH, type CheckConfig } from './check-config';

export interface DatabaseConfig {
  name: string;
  engine: Engine;
  url: string;
  password_file?: string;
  connect_timeout_seconds: number;
  statement_timeout_seconds: number;
  /** PostgreSQL: the server log (path or glob) to read auto_explain plans and timed statements from; when absent,
   * found through pg_current_logfile(). */
  server_log?: string;
  tls: TlsConfig;
  /** MySQL/MariaDB slow query log read as a sample and plan source: a path, or 'off'; absent = the server's
   * slow_query_log_file when slow_query_log is ON and the file is on this host. */
  slow_log?: string;
}

/** libpq's sslmode words: disable, require (encrypted, unverified), verify-ca (CA checked), verify-full (and host). */
export const TLS_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export interface TlsConfig {
  mode: TlsMode;
  /** PEM file of the CA(s) that sign the server's certificate; without it, the system's CAs. */
  ca_file?: string;
}

export interface ExplainConfig {
  enabled: boolean;
  /** Statements whose mean time exceeds this get plain EXPLAIN, not ANALYZE, milliseconds. */
  analyze_max_mean_ms: number;
  statement_timeout_ms: number;
  lock_timeout_ms: number;
  cache_ttl_seconds: number;
  /** How long a timed-out EXPLAIN (or one that lost its connection) is cached before it is tried again, seconds. */
  retry_ttl_seconds: number;
  /** Total time EXPLAIN may take in one collection cycle, seconds. */
  budget_seconds: number;
  /** Where db_textfile, a new process every cron minute, keeps the plan cache between runs. */
  cache_file: string;
  /** PostgreSQL: the NOLOGIN role (SELECT only) every EXPLAIN runs as, by SET LOCAL ROLE. */
  role?: string;
  /** PostgreSQL: the NOLOGIN role a plain EXPLAIN of INSERT/UPDATE/DELETE runs as (it needs their privileges). */
  write_role?: string;
  /** PostgreSQL: extensions whose functions, operators and types the gate treats as built in. */
  allowed_extensions: string[];
  /** Generic plans (estimates only) are kept this long: a literal sample or a logged plan may come soon, seconds. */
  generic_cache_ttl_seconds: number;
  /** The worst logged execution (auto_explain) of a statement stands for it this long, seconds. */
  observed_ttl_seconds: number;
  /** At most this much of the server log is read per cycle, bytes. */
  server_log_max_bytes: number;
  /** A single log record larger than this is passed over, bytes. */
  server_log_max_entry_bytes: number;
  /** db_analyzer serve: the server log is read at most this often when nothing else starts an EXPLAIN child, seconds. */
  server_log_interval_seconds: number;
}

export interface ServerConfig {
  listen: string;
  interval_seconds: number;
  token_file?: string;
  allow_unauthenticated: boolean;
  tls_cert?: string;
  tls_key?: string;
  /** serve sends the beacon's events from its own cycle (the formula sets it where the daemon runs, and then
   * installs no db_beacon cron job). */
  beacon: boolean;
  /** serve writes textfile.dir/db_sentinel.prom from its own cycle (then no db_textfile cron job). */
  textfile: boolean;
}

export interface BeaconConfig {
  state_file: string;
  /** The Salt minion id put in events as `host` (Salt renders it); the OS hostname when unset. */
  minion_id?: string;
  /** Runs in a row a new status must hold before it is an event. */
  hysteresis_runs: number;
}

export interface Config extends CheckCommandConfig {
  databases: DatabaseConfig[];
  slow_queries: { limit: number; min_calls: number };
  explain: ExplainConfig;
  server: ServerConfig;
  /** status_file: db_textfile's last write (ok or the error), which the report's `textfile` check reads. */
  textfile: { dir: string; status_file: string };
  beacon: BeaconConfig;
  tuning: TuningProfile;
  /** Where the analyzer keeps what must outlive a run (log read positions, observed plans). */
  state_dir: string;
  health: HealthConfig;
}

// Defaults, with the reason for each.
export const DEFAULT_EXPLAIN: ExplainConfig = {
  enabled: true,
  analyze_max_mean_ms: 5000,
  statement_timeout_ms: 10000,
  lock_timeout_ms: 100,
  cache_ttl_seconds: 3600,
  // A timeout may be load, not the statement: tried again sooner than a verdict, yet ten server cycles apart.
  retry_ttl_seconds: 600,
  budget_seconds: 30,
  cache_file: '/var/lib/db_sentinel/plan-cache.json',
  // Only what initdb creates is trusted until the operator names an extension.
  allowed_extensions: [],
  // As long as any plan: asking again on a timer gets the same generic plan. What can do better (a literal sample,
  // a logged execution) replaces it as soon as it comes (src/explain/index.ts, usableCachedPlan).
  generic_cache_ttl_seconds: 3600,
  observed_ttl_seconds: 3600,
  // 32 MiB a cycle keeps memory bounded on a chatty log; the rest is read on the next cycles.
  server_log_max_bytes: 32 * 1024 * 1024,
  server_log_max_entry_bytes: 8 * 1024 * 1024,
  // Reading the log takes an EXPLAIN child start (~0.35 CPU-s); one per minute cost more than the whole exporter stack.
  server_log_interval_seconds: 300,
};

// Prometheus' default port allocations (github.com/prometheus/prometheus/wiki/Default-port-allocations) fill
// 9100-9999 and spill past 10000; 9617 there is eko/pihole-exporter's. The Prometheus docs advise exporters of
// internal applications to stay outside that range: 19617 is, and lies below Linux's ephemeral ports (32768+).
export const DEFAULT_LISTEN = '127.0.0.1:19617';

export const DEFAULT_SERVER: ServerConfig = {
  listen: DEFAULT_LISTEN,
  interval_seconds: 60,
  allow_unauthenticated: false,
  // Off: a host without the formula's daemon setup keeps its cron db_beacon/db_textfile, and two senders of the
  // same events would send each change twice.
  beacon: false,
  textfile: false,
};

const DATABASE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function parseDatabases(value: unknown): DatabaseConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigError('databases', `expected a list, got ${describe(value)}`);
  const seen = new Set<string>();
  return value.map((item, index) => {
    const path = join('databases', index);
    const map = expectMap(item, path);
    rejectUnknownKeys(map, ['name', 'engine', 'url', 'password_file', 'connect_timeout_seconds',
      'statement_timeout_seconds', 'tls', 'slow_log', 'server_log'], path);
    const name = readString(map, 'name', path, '');
    if (!DATABASE_NAME.test(name)) {
      throw new ConfigError(join(path, 'name'), `expected 1-64 letters, digits, '_', '.' or '-', got ${describe(map.name)}`);
    }
    if (seen.has(name)) throw new ConfigError(join(path, 'name'), `duplicate database name ${describe(name)}`);
    seen.add(name);
    const engine = readEnum(map, 'engine', path, ['postgresql', 'mysql'] as const, 'postgresql');
    if (map.engine === undefined) throw new ConfigError(join(path, 'engine'), 'required: postgresql or mysql');
    const url = readString(map, 'url', path, '');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error: unknown) {
      throw new ConfigError(join(path, 'url'), 'required: a URL like postgresql://user@host:5432/dbname', { cause: error });
    }
    const schemes = engine === 'postgresql' ? ['postgresql:', 'postgres:'] : ['mysql:', 'mariadb:'];
    if (!schemes.includes(parsed.protocol)) {
      throw new ConfigError(join(path, 'url'), `scheme ${parsed.protocol} does not match engine ${engine}`);
    }
    if (parsed.password) {
      throw new ConfigError(join(path, 'url'), 'must not contain a password; use password_file');
    }
    if (parsed.searchParams.has('sslmode') || parsed.searchParams.has('ssl')) {
      throw new ConfigError(join(path, 'url'),
        'TLS is not set in the URL; use tls: {mode: disable|require|verify-ca|verify-full, ca_file}');
    }
    const config: DatabaseConfig = {
      name,
      engine,
      url,
      connect_timeout_seconds: readNumber(map, 'connect_timeout_seconds', path, 5, { min: 1, max: 120 }),
      statement_timeout_seconds: readNumber(map, 'statement_timeout_seconds', path, 10, { min: 1, max: 600 }),
      tls: parseTls(map.tls, join(path, 'tls')),
    };
    const passwordFile = readOptionalString(map, 'password_file', path);
    if (passwordFile !== undefined) config.password_file = passwordFile;
    const slowLog = readOptionalString(map, 'slow_log', path);
    if (slowLog !== undefined && engine !== 'mysql') throw new ConfigError(join(path, 'slow_log'),
      'only for engine mysql (the MySQL/MariaDB slow query log)');
    if (slowLog !== undefined && slowLog !== 'off' && !slowLog.startsWith('/')) {
      throw new ConfigError(join(path, 'slow_log'), `expected an absolute path or off, got ${describe(slowLog)}`);
    }
    if (slowLog !== undefined) config.slow_log = slowLog;
    const serverLog = readOptionalString(map, 'server_log', path);
    if (serverLog !== undefined) {
      if (engine !== 'postgresql') throw new ConfigError(join(path, 'server_log'), 'only for engine postgresql');
      if (!serverLog.startsWith('/')) throw new ConfigError(join(path, 'server_log'),
        `expected an absolute path or glob, got ${describe(serverLog)}`);
      config.server_log = serverLog;
    }
    return config;
  });
}

function parseTls(value: unknown, path: string): TlsConfig {
  const map = expectMap(value, path);
  rejectUnknownKeys(map, ['mode', 'ca_file'], path);
  // disable by default, as before TLS could be configured: local sockets and loopback need none, and a cleartext
  // password is refused on any connection that is not verify-ca or verify-full.
  const tls: TlsConfig = { mode: readEnum(map, 'mode', path, TLS_MODES, 'disable') };
  const caFile = readOptionalString(map, 'ca_file', path);
  if (caFile !== undefined) {
    if (tls.mode === 'disable' || tls.mode === 'require') {
      throw new ConfigError(join(path, 'ca_file'), `is used only by mode verify-ca or verify-full, not ${tls.mode}`);
    }
    tls.ca_file = caFile;
  }
  return tls;
}

function parseExplain(value: unknown): ExplainConfig {
  const path = 'explain';
  const map = expectMap(value, path);
  rejectUnknownKeys(map, [...Object.keys(DEFAULT_EXPLAIN), 'role', 'write_role'], path);
  const role = readRoleName(map, 'role', path);
  const writeRole = readRoleName(map, 'write_role', path);
  const explain: ExplainConfig = {
    enabled: readBoolean(map, 'enabled', path, DEFAULT_EXPLAIN.enabled),
    analyze_max_mean_ms: readNumber(map, 'analyze_max_mean_ms', path, DEFAULT_EXPLAIN.analyze_max_mean_ms, { min: 0 }),
    statement_timeout_ms: readNumber(map, 'statement_timeout_ms', path, DEFAULT_EXPLAIN.statement_timeout_ms,
      { min: 1, integer: true }),
    lock_timeout_ms: readNumber(map, 'lock_timeout_ms', path, DEFAULT_EXPLAIN.lock_timeout_ms, { min: 1, integer: true }),
    cache_ttl_seconds: readNumber(map, 'cache_ttl_seconds', path, DEFAULT_EXPLAIN.cache_ttl_seconds, { min: 0 }),
    retry_ttl_seconds: readNumber(map, 'retry_ttl_seconds', path, DEFAULT_EXPLAIN.retry_ttl_seconds, { min: 0 }),
    budget_seconds: readNumber(map, 'budget_seconds', path, DEFAULT_EXPLAIN.budget_seconds, { min: 0 }),
    cache_file: readString(map, 'cache_file', path, DEFAULT_EXPLAIN.cache_file),
    allowed_extensions: readStringList(map, 'allowed_extensions', path, DEFAULT_EXPLAIN.allowed_extensions),
    generic_cache_ttl_seconds: readNumber(map, 'generic_cache_ttl_seconds', path, DEFAULT_EXPLAIN.generic_cache_ttl_seconds, { min: 0 }),
    observed_ttl_seconds: readNumber(map, 'observed_ttl_seconds', path, DEFAULT_EXPLAIN.observed_ttl_seconds, { min: 0 }),
    server_log_max_bytes: readNumber(map, 'server_log_max_bytes', path, DEFAULT_EXPLAIN.server_log_max_bytes, { min: 4096, integer: true }),
    server_log_max_entry_bytes: readNumber(map, 'server_log_max_entry_bytes', path, DEFAULT_EXPLAIN.server_log_max_entry_bytes,
      { min: 4096, integer: true }),
    server_log_interval_seconds: readNumber(map, 'server_log_interval_seconds', path, DEFAULT_EXPLAIN.server_log_interval_seconds, { min: 0 }),
  };
  if (role !== undefined) explain.role = role;
  if (writeRole !== undefined) explain.write_role = writeRole;
  return explain;
}

function readRoleName(map: YamlMap, key: string, path: string): string | undefined {
  const role = readOptionalString(map, key, path);
  if (role !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(role)) {
    throw new ConfigError(join(path, key), `expected a role name (letters, digits, _ and $, at most 63), got ${describe(role)}`);
  }
  return role;
}

function readAbsolutePath(map: YamlMap, key: string, fallback: string): string {
  const value = readString(map, key, '', fallback);
  if (!value.startsWith('/')) throw new ConfigError(key, `expected an absolute path, got ${describe(value)}`);
  return value;
}

function parseServer(value: unknown): ServerConfig {
  const path = 'server';
  const map = expectMap(value, path);
  rejectUnknownKeys(map, ['listen', 'interval_seconds', 'token_file', 'allow_unauthenticated', 'tls_cert', 'tls_key',
    'beacon', 'textfile'], path);
  const server: ServerConfig = {
    listen: readString(map, 'listen', path, DEFAULT_SERVER.listen),
    interval_seconds: readNumber(map, 'interval_seconds', path, DEFAULT_SERVER.interval_seconds, { min: 1 }),
    allow_unauthenticated: readBoolean(map, 'allow_unauthenticated', path, DEFAULT_SERVER.allow_unauthenticated),
    beacon: readBoolean(map, 'beacon', path, DEFAULT_SERVER.beacon),
    textfile: readBoolean(map, 'textfile', path, DEFAULT_SERVER.textfile),
  };
  for (const key of ['token_file', 'tls_cert', 'tls_key'] as const) {
    const file = readOptionalString(map, key, path);
    if (file !== undefined) server[key] = file;
  }
  if ((server.tls_cert === undefined) !== (server.tls_key === undefined)) {
    throw new ConfigError(join(path, server.tls_cert ? 'tls_key' : 'tls_cert'), 'tls_cert and tls_key go together');
  }
  return server;
}

/** Validates a parsed config document. Pure: `source` only labels errors and the report. */
export function parseConfig(document: unknown, source: string): Config {
  const map = expectMap(document, '');
  rejectUnknownKeys(map, CONFIG_SECTIONS, '');
  const slow = expectMap(map.slow_queries, 'slow_queries');
  rejectUnknownKeys(slow, ['limit', 'min_calls'], 'slow_queries');
  const textfile = expectMap(map.textfile, 'textfile');
  rejectUnknownKeys(textfile, ['dir', 'status_file'], 'textfile');
  const beacon = expectMap(map.beacon, 'beacon');
  rejectUnknownKeys(beacon, ['state_file', 'minion_id', 'hysteresis_runs'], 'beacon');
  // What outlives a run (log positions, the last report, the textfile's status) lives here unless placed elsewhere.
  const stateDir = readAbsolutePath(map, 'state_dir', '/var/lib/db_sentinel');
  return {
    source,
    check: parseCheck(map.check),
    databases: parseDatabases(map.databases),
    slow_queries: {
      limit: readNumber(slow, 'limit', 'slow_queries', 10, { min: 1, max: 50, integer: true }),
      // A statement run once is not a pattern: rank only those called at least this often.
      min_calls: readNumber(slow, 'min_calls', 'slow_queries', 2, { min: 1, integer: true }),
    },
    explain: parseExplain(map.explain),
    server: parseServer(map.server),
    textfile: {
      dir: readString(textfile, 'dir', 'textfile', '/var/lib/prometheus/node-exporter'),
      status_file: readString(textfile, 'status_file', 'textfile', `${stateDir}/textfile-status.json`),
    },
    beacon: {
      state_file: readString(beacon, 'state_file', 'beacon', '/var/lib/db_sentinel/beacon-state.json'),
      minion_id: readOptionalString(beacon, 'minion_id', 'beacon'),
      // Two runs (two minutes from cron): a value crossing a threshold once is no orchestration.
      hysteresis_runs: readNumber(beacon, 'hysteresis_runs', 'beacon', 2, { min: 1, max: 60, integer: true }),
    },
    tuning: parseTuningProfile(map.tuning, 'tuning', defaultTuningProfile()),
    state_dir: stateDir,
    health: parseHealth(map.health),
  };
}

export function parseConfigText(text: string, source: string): Config {
  return parseConfig(parseConfigDocument(text, source), source);
}

/** Reads the config file; a missing file at the default path means defaults, a missing explicit file is an error. */
export async function loadConfig(path: string | undefined): Promise<Config> {
  const { document, source } = readConfigDocument(path);
  return parseConfig(document, source);
}
