// What the database collectors see of a connection: named queries (the name is the SQL constant, used in errors
// and in the bench's query count), a read-only transaction helper (for EXPLAIN in the plans issue), and close().
// src/sources/postgres.ts and mysql.ts implement it over one real connection; tests can pass recorded result sets.
import { readFile } from 'node:fs/promises';
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
  close(): Promise<void>;
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

/** The password from password_file (the file's first line); never logged. Missing file = a named error. */
export async function readPassword(config: DatabaseConfig): Promise<string | undefined> {
  if (config.password_file === undefined) return undefined;
  try {
    const text = await readFile(config.password_file, 'utf8');
    return text.split(/\r?\n/)[0] ?? '';
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    throw new DatabaseError(`${config.name}: cannot read password_file ${config.password_file}: ${String(code ?? errorMessage(error))}`, { cause: error });
  }
}

/** The target without any secret, for messages: engine://user@host:port/database. */
export function describeTarget(url: URL): string {
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return `${url.protocol}//${user}${url.host}${url.pathname}`;
}
