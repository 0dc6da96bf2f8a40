// One session per configured database, by engine: the collector's connections and the EXPLAIN child's
// (src/cli/db_explain.ts) are opened alike (timeouts, TLS, password_file, PostgreSQL's pinned search_path).
import type { DatabaseConfig } from '../../core/config';
import type { Engine } from '../../core/report';
import { openMysql } from '../../sources/mysql';
import { openPostgres } from '../../sources/postgres';
import type { SqlSession } from '../../sources/sql';

export type SessionOpener = (config: DatabaseConfig) => Promise<SqlSession>;
export type SessionOpeners = Record<Engine, SessionOpener>;

export const DEFAULT_OPENERS: SessionOpeners = { postgresql: openPostgres, mysql: openMysql };
