// One MySQL/MariaDB connection per configured database: connect timeout, a server-side statement timeout
// (MariaDB max_statement_time, MySQL max_execution_time) plus a client-side one, program_name db_sentinel in the
// connection attributes, the password from password_file (never in a URL, log or message).
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import type { DatabaseConfig } from '../core/config';
import type { Flavor } from '../core/report';
import { DatabaseError, errorMessage } from '../core/errors';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import {
  APPLICATION_NAME, cleartextRefused, describeTarget, driverSession, readPassword, serverIsVerified, tlsOptions,
  type Row, type SqlSession,
} from './sql';

/** MySQL or MariaDB, from what the server says of itself (VERSION(), @@version_comment): MariaDB names itself. */
export function mysqlFlavor(...serverTexts: ReadonlyArray<string | null>): Exclude<Flavor, 'postgresql'> {
  return serverTexts.some((text) => text !== null && /mariadb/i.test(text)) ? 'mariadb' : 'mysql';
}

export function mysqlConnectionOptions(config: DatabaseConfig, password: string | undefined,
  tls: TlsOptions | null = null): ConnectionOptions {
  const url = new URL(config.url);
  const socket = url.searchParams.get('socket');
  const options: ConnectionOptions = {
    user: url.username ? decodeURIComponent(url.username) : undefined,
    database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
    connectTimeout: config.connect_timeout_seconds * 1000,
    connectAttributes: { program_name: APPLICATION_NAME },
    // Picosecond timers are BIGINT UNSIGNED: keep big numbers exact as strings (the collectors convert in SQL).
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: false,
  };
  if (socket !== null) options.socketPath = socket;
  else {
    options.host = url.hostname.replace(/^\[|\]$/g, '') || 'localhost';
    options.port = url.port ? Number(url.port) : 3306;
  }
  if (password !== undefined) options.password = password;
  if (tls !== null) {
    options.ssl = {
      rejectUnauthorized: tls.rejectUnauthorized ?? false,
      verifyIdentity: config.tls.mode === 'verify-full',
      ...(typeof tls.ca === 'string' ? { ca: tls.ca } : {}),
    };
  }
  // mysql_clear_password (an auth switch any server, or an impostor on its port, may ask for) sends the password as
  // it is: only over TLS whose certificate was verified; otherwise the connection fails before it is sent.
  options.authPlugins = {
    mysql_clear_password: () => () => {
      if (!serverIsVerified(config) || password === undefined) throw cleartextRefused(config, 'MySQL mysql_clear_password');
      return Buffer.from(`${password}\0`);
    },
  };
  return options;
}

/** The error's name, or its number when mysql2 has no name for it (MariaDB-only codes such as 1969). */
function mysqlCode(error: unknown): string | null {
  const { code, errno } = (error as { code?: unknown; errno?: unknown } | null) ?? {};
  if (typeof code === 'string') return code;
  return typeof errno === 'number' ? String(errno) : null;
}

const TIMEOUT_CODES = new Set(['PROTOCOL_SEQUENCE_TIMEOUT', 'ER_QUERY_TIMEOUT', 'ER_STATEMENT_TIMEOUT', 'ETIMEDOUT']);

/** Sets the server-side statement timeout of the session by flavor. */
function statementTimeoutSql(isMariadb: boolean, ms: number): string {
  return isMariadb ? `SET SESSION max_statement_time = ${ms / 1000}` : `SET SESSION max_execution_time = ${Math.round(ms)}`;
}

export async function openMysql(config: DatabaseConfig): Promise<SqlSession> {
  const target = describeTarget(new URL(config.url));
  let connection: Connection;
  try {
    // Loaded on first use: a host with no MySQL/MariaDB to watch never pays for the driver.
    const { createConnection } = require('mysql2/promise') as typeof import('mysql2/promise');
    const tls = new URL(config.url).searchParams.get('socket') === null ? await tlsOptions(config) : null;
    connection = await createConnection(mysqlConnectionOptions(config, await readPassword(config), tls));
  } catch (error: unknown) {
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(`${config.name}: cannot connect to ${target}: ${errorMessage(error)}`, { cause: error });
  }
  const statementTimeoutMs = config.statement_timeout_seconds * 1000;
  const open = connection;
  const session = driverSession(config.name, {
    connection: open,
    run: async (sql, values) => {
      const [rows] = await open.query({ sql, values, timeout: statementTimeoutMs + 2000 });
      return Array.isArray(rows) ? (rows as Row[]) : [];
    },
    codeOf: mysqlCode,
    isTimeout: (code, message) => (code !== null && TIMEOUT_CODES.has(code))
      || /timeout|max_statement_time|maximum statement execution time/i.test(message),
    async readOnly(inner, work, options) {
      const isMariadb = await flavorIsMariadb(inner);
      await inner.query('SET_STATEMENT_TIMEOUT', statementTimeoutSql(isMariadb, options.statementTimeoutMs));
      await inner.query('SET_LOCK_TIMEOUT',
        `SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(options.lockTimeoutMs / 1000))}, `
          + `SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(options.lockTimeoutMs / 1000))}`);
      await inner.query('START_READ_ONLY', 'START TRANSACTION READ ONLY');
      try {
        return await work(inner);
      } finally {
        await inner.query('ROLLBACK', 'ROLLBACK');
        await inner.query('SET_STATEMENT_TIMEOUT', statementTimeoutSql(isMariadb, statementTimeoutMs));
        await inner.query('RESET_LOCK_TIMEOUT', 'SET SESSION innodb_lock_wait_timeout = DEFAULT, SESSION lock_wait_timeout = DEFAULT');
      }
    },
    close: () => open.end(),
  });
  try {
    await session.query('SET_STATEMENT_TIMEOUT', statementTimeoutSql(await flavorIsMariadb(session), statementTimeoutMs));
  } catch (error: unknown) {
    await connection.end().catch((endError: unknown) => endError);
    throw new DatabaseError(`${config.name}: connected to ${target} but cannot set the statement timeout: ${errorMessage(error)}`,
      { cause: error });
  }
  return session;
}

const flavorCache = new WeakMap<SqlSession, boolean>();

async function flavorIsMariadb(session: SqlSession): Promise<boolean> {
  const known = flavorCache.get(session);
  if (known !== undefined) return known;
  // The db_sentinel alias keeps this statement out of the slow-query lists (see OWN_STATEMENT_FILTER).
  const [row] = await session.query<{ db_sentinel_version: string }>('VERSION', 'SELECT VERSION() AS db_sentinel_version');
  const isMariadb = mysqlFlavor(String(row?.db_sentinel_version ?? '')) === 'mariadb';
  flavorCache.set(session, isMariadb);
  return isMariadb;
}
