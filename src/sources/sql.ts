// What the database collectors see of a connection: named queries (the name is the SQL constant, used in errors
// and in the bench's query count), a read-only transaction helper (for EXPLAIN in the plans issue), and close().
// src/sources/postgres.ts and mysql.ts implement it over one real connection; tests can pass recorded result sets.
import { readFile, stat } from 'node:fs/promises';
import { checkServerIdentity, type ConnectionOptions as TlsOptions } from 'node:tls';
import { DatabaseError, errorMessage } from '../core/errors';
import type { DatabaseConfig } from '../core/config';

/** How db_sentinel names itself to the server (application_name, program_name), so its sessions can be told apart. */
export const APPLICATION_NAME = 'db_sentinel';

export type Row = Record<string, unknown>;

export interface ReadOnlyOptions {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

export interface SqlSession {
  /** Runs one statement; `name` is the SQL constant's name. Failures are QueryErrors. */
  query<R extends Row = Row>(name: string, sql: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * Runs `work` inside a READ ONLY transaction that is always rolled back, with its own statement and lock
   * timeouts (the session's defaults are restored after). Writes fail inside it on both engines.
   */
  readOnly<T>(work: (session: SqlSession) => Promise<T>, options: ReadOnlyOptions): Promise<T>;
  /** Statements sent so far on this session (the bench counts them). */
  readonly queriesSent: number;
  /** Whether a next collection may use it again: its connection was not lost, no statement on it timed out (a
   * client-side timeout may leave a reply in flight), it was not closed. Absent: never reused. */
  readonly reusable?: boolean;
  close(): Promise<void>;
}

/** What differs between the drivers under a session: how a statement runs, how its failure is named. */
export interface SessionDriver {
  /** The connection, whose 'error' event (it went away while idle) is kept to fail the next statement with. */
  connection: { on(event: 'error', listener: (error: Error) => void): unknown };
  run(sql: string, params: unknown[]): Promise<Row[]>;
  /** The SQLSTATE or error name of a failure, null when the driver gives none. */
  codeOf(error: unknown): string | null;
  /** Whether the failure was a timeout, server-side or client-side. */
  isTimeout(code: string | null, message: string): boolean;
  /** The engine's READ ONLY transaction around `work`, through `session`'s own query(). */
  readOnly<T>(session: SqlSession, work: (inner: SqlSession) => Promise<T>, options: ReadOnlyOptions): Promise<T>;
  close(): Promise<void>;
}

/** One session over one connection, the same for both engines: statements counted, failures as QueryErrors naming
 * the database and the statement, a lost connection reported on the next statement instead of hanging it. */
export function driverSession(database: string, driver: SessionDriver): SqlSession {
  let lostConnection: Error | null = null;
  driver.connection.on('error', (error) => {
    lostConnection = error;
  });
  let sent = 0;
  let timedOut = false;
  let closed = false;
  const session: SqlSession = {
    async query<R extends Row = Row>(name: string, sql: string, params: readonly unknown[] = []): Promise<R[]> {
      if (lostConnection) throw new QueryError(database, name, null, false, `connection lost: ${errorMessage(lostConnection)}`);
      sent += 1;
      try {
        return await driver.run(sql, [...params]) as R[];
      } catch (error: unknown) {
        const code = driver.codeOf(error);
        const message = errorMessage(error);
        const timeout = driver.isTimeout(code, message);
        if (timeout) timedOut = true;
        throw new QueryError(database, name, code, timeout, message, { cause: error });
      }
    },
    readOnly: (work, options) => driver.readOnly(session, work, options),
    get queriesSent() {
      return sent;
    },
    get reusable() {
      return lostConnection === null && !timedOut && !closed;
    },
    close: () => {
      closed = true;
      return driver.close();
    },
  };
  return session;
}

/** A statement that failed; `code` is the SQLSTATE (PostgreSQL) or the error name/number (MySQL, e.g. ER_TABLEACCESS_DENIED_ERROR). */
export class QueryError extends DatabaseError {
  readonly queryName: string;
  readonly code: string | null;
  readonly timedOut: boolean;
  constructor(database: string, queryName: string, code: string | null, timedOut: boolean, message: string, options?: { cause?: unknown }) {
    super(`${database}: ${queryName}: ${message}`, options);
    this.queryName = queryName;
    this.code = code;
    this.timedOut = timedOut;
  }
}

/** Error codes of a missing privilege: PostgreSQL SQLSTATE 42501; MySQL/MariaDB table, column, command or database
 * access denied. The collectors report them as permission_denied, the explain stage as "EXPLAIN not permitted". */
const PERMISSION_CODES: ReadonlySet<string> = new Set(['42501', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR']);

/** True when `error` (a QueryError, or any error carrying a driver code) is a missing privilege. */
export function isPermissionDenied(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && PERMISSION_CODES.has(code);
}

/** The password from password_file (the file's first line); never logged. Missing file = a named error. */
export async function readPassword(config: DatabaseConfig): Promise<string | undefined> {
  if (config.password_file === undefined) return undefined;
  try {
    const text = await readFile(config.password_file, 'utf8');
    return text.split(/\r?\n/)[0] ?? '';
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    throw new DatabaseError(`${config.name}: cannot read password_file ${config.password_file}: ${String(code ?? errorMessage(error))}`,
      { cause: error });
  }
}

/** The target without any secret, for messages: engine://user@host:port/database. */
export function describeTarget(url: URL): string {
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return `${url.protocol}//${user}${url.host}${url.pathname}`;
}

/** True when the connection is TLS and the server's certificate is checked against a CA (so a password may go). */
export function serverIsVerified(config: DatabaseConfig): boolean {
  return config.tls.mode === 'verify-ca' || config.tls.mode === 'verify-full';
}

/** The error when a server asks for the password in cleartext over a connection that is not verified TLS. */
export function cleartextRefused(config: DatabaseConfig, mechanism: string): DatabaseError {
  return new DatabaseError(`${config.name}: the server at ${describeTarget(new URL(config.url))} asked for the password in cleartext `
    + `(${mechanism}) over a connection that is not verified TLS (tls.mode ${config.tls.mode}); refused, the password was not sent. `
    + 'Use tls.mode verify-full with tls.ca_file, or a server authentication method that does not send the password');
}

/** Node TLS options of config.tls (sslmode semantics), or null for mode disable. */
export async function tlsOptions(config: DatabaseConfig): Promise<TlsOptions | null> {
  const { mode } = config.tls;
  if (mode === 'disable') return null;
  if (mode === 'require') return { rejectUnauthorized: false };
  // The drivers set the server name from the host (never for an IP address, which RFC 6066 does not allow).
  const options: TlsOptions = { rejectUnauthorized: true };
  if (config.tls.ca_file !== undefined) {
    try {
      options.ca = await readFile(config.tls.ca_file, 'utf8');
    } catch (error: unknown) {
      const code = (error as { code?: unknown }).code;
      throw new DatabaseError(`${config.name}: cannot read tls.ca_file ${config.tls.ca_file}: ${String(code ?? errorMessage(error))}`,
        { cause: error });
    }
  }
  // verify-ca: the chain is checked, the host name is not (libpq's meaning).
  options.checkServerIdentity = mode === 'verify-full' ? checkServerIdentity : () => undefined;
  return options;
}

/** The permission bits of `file` when group or others may read it, else null (also when it does not exist). */
export async function exposedFileMode(file: string): Promise<number | null> {
  try {
    const mode = (await stat(file)).mode & 0o777;
    return (mode & 0o044) === 0 ? null : mode;
  } catch (error: unknown) {
    // A missing file is reported by whoever reads it (readPassword, loadConfig); nothing to add here.
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw new DatabaseError(`cannot stat ${file}: ${errorMessage(error)}`, { cause: error });
  }
}
