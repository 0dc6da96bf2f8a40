// One PostgreSQL connection per configured database: connect and statement timeouts, application_name db_sentinel,
// the password from password_file (never in a URL, log or message), and search_path pinned to pg_catalog from the
// startup packet on: a database owner's ALTER DATABASE … SET search_path = public, pg_catalog plus a
// public.current_setting() (the CVE-2018-1058 pattern) never resolves the agent's own SQL.
import type { ClientConfig, DatabaseError as PgDatabaseError, QueryConfig } from 'pg';
import type { DatabaseConfig } from '../core/config';
import { DatabaseError, errorMessage } from '../core/errors';
import { DB_SENTINEL_TAG } from './statement-tag';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import {
  APPLICATION_NAME, cleartextRefused, describeTarget, driverSession, readPassword, serverIsVerified, tlsOptions,
  type SqlSession,
} from './sql';

/** The startup option that pins every agent session's name resolution to the system catalogs. */
export const PINNED_SEARCH_PATH_OPTION = '-c search_path=pg_catalog,pg_temp';

/** pg's Client as far as the cleartext-password hook needs it (private API of pg 8, pinned by the fake-server test). */
interface ClientInternals {
  _handleAuthCleartextPassword(message: unknown): void;
  connection: { emit(event: 'error', error: Error): boolean; stream: { destroy(): void } };
}

/** Client settings from the configured URL (host, port, user, database, ?host=/socket/dir) and config.tls. */
export function postgresClientConfig(config: DatabaseConfig, password: string | undefined, tls: TlsOptions | null = null): ClientConfig {
  const url = new URL(config.url);
  const socketDir = url.searchParams.get('host');
  const statementTimeoutMs = config.statement_timeout_seconds * 1000;
  const clientConfig: ClientConfig = {
    host: socketDir ?? (url.hostname.replace(/^\[|\]$/g, '') || 'localhost'),
    port: url.port ? Number(url.port) : 5432,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: config.connect_timeout_seconds * 1000,
    statement_timeout: statementTimeoutMs,
    // The server enforces statement_timeout; this client-side limit catches a server that stops answering at all.
    query_timeout: statementTimeoutMs + 2000,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
    // pg_temp last: left out, it would be searched first for relations and types.
    options: PINNED_SEARCH_PATH_OPTION,
  };
  if (password !== undefined) clientConfig.password = password;
  if (tls !== null) clientConfig.ssl = tls;
  return clientConfig;
}

function pgCode(error: unknown): string | null {
  const code = (error as Partial<PgDatabaseError> | null)?.code;
  return typeof code === 'string' ? code : null;
}

const QUERY_CANCELED = '57014'; // statement_timeout (and lock_timeout is 55P03)

/** Connects; failures (refused, unknown host, wrong password, timeout) are DatabaseErrors naming the target. */
export async function openPostgres(config: DatabaseConfig): Promise<SqlSession> {
  const target = describeTarget(new URL(config.url));
  // Loaded on first use: a host (or the server process) with no PostgreSQL to watch never pays for the driver.
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client(postgresClientConfig(config, await readPassword(config), await tlsOptions(config)));
  // AuthenticationCleartextPassword ('R' code 3) would put the password on the wire as it is: only to a server whose
  // certificate was verified. Anything else ends the connection before a byte of it is sent.
  if (!serverIsVerified(config)) {
    const internals = client as unknown as ClientInternals;
    internals._handleAuthCleartextPassword = () => {
      internals.connection.stream.destroy();
      internals.connection.emit('error', cleartextRefused(config, 'PostgreSQL AuthenticationCleartextPassword'));
    };
  }
  // A server that goes away between queries emits 'error' on the idle client: driverSession keeps it.
  const session = driverSession(config.name, {
    connection: client,
    // Extended protocol always: one statement per message, so a second statement in a text is an error, never run.
    run: async (sql, values) => (await client.query({ text: sql, values, queryMode: 'extended' } as QueryConfig)).rows,
    codeOf: pgCode,
    isTimeout: (code, message) => code === QUERY_CANCELED || /timeout/i.test(message),
    async readOnly(inner, work, options) {
      // Tagged like the collector's SQL, so that the EXPLAIN transactions stay out of the slow-query rankings.
      await inner.query('BEGIN_READ_ONLY', `${DB_SENTINEL_TAG} BEGIN TRANSACTION READ ONLY`);
      try {
        // SET LOCAL ends with the transaction, so the session's own timeouts come back on ROLLBACK.
        await inner.query('SET_LOCAL_TIMEOUTS', `${DB_SENTINEL_TAG} SELECT pg_catalog.set_config('statement_timeout', $1, true), pg_catalog.set_config('lock_timeout', $2, true)`,
          [`${options.statementTimeoutMs}ms`, `${options.lockTimeoutMs}ms`]);
        return await work(inner);
      } finally {
        await inner.query('ROLLBACK', `${DB_SENTINEL_TAG} ROLLBACK`);
      }
    },
    close: () => client.end(),
  });
  try {
    await client.connect();
  } catch (error: unknown) {
    await client.end().catch((endError: unknown) => endError);
    throw new DatabaseError(`${config.name}: cannot connect to ${target}: ${errorMessage(error)}`, { cause: error });
  }
  return session;
}
