// Starts Debian's MariaDB server (mariadbd, 10.11) with its own datadir (mariadb-install-db), socket, pid file and
// log in a mkdtemp directory, on a free port on 127.0.0.1, as the `mysql` user, with performance_schema on and the
// statement consumers (events_statements_current, _history, _history_long) enabled. An init file creates the
// superuser `admin`@`127.0.0.1` with a password (root is unix_socket-only on Debian).
//
//   const db = await startMariadb();
//   try { await db.query('SELECT 1'); } finally { await db.stop(); }
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';
import { freePort, ownedTempDir, removeTracked, sleep, stopChild, stopOnce, systemUser, trackForExit } from '../../src/demo/local-server';

export interface MariadbServer {
  /** VERSION(), e.g. "10.11.19-MariaDB-0+deb12u1". */
  version: string;
  host: '127.0.0.1';
  port: number;
  superuser: string;
  superuserPassword: string;
  /** mysql://admin:<password>@127.0.0.1:<port>/<database> */
  url(database?: string, user?: string, password?: string): string;
  /** A connected superuser connection (caller ends it); multipleStatements off. */
  connect(database?: string, options?: Partial<ConnectionOptions>): Promise<Connection>;
  /** One statement on a fresh superuser connection; returns the rows. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
  /** Creates user@'127.0.0.1' with a password and the given GRANT clauses (e.g. "PROCESS ON *.*"); returns its URL
   * (no default database unless given: an account without grants may not use `mysql`). */
  createUser(name: string, password: string, grants?: string[], database?: string): Promise<string>;
  dir: string;
  logFile: string;
  socket: string;
  /** Stops the server (SIGTERM = clean shutdown, SIGKILL after 15 s) and removes the directory; idempotent. */
  stop(): Promise<void>;
}

export interface MariadbOptions {
  /** performance_schema on (default true); off tests the "how to enable it" path. */
  performanceSchema?: boolean;
  /** The statement history consumers on (default true). */
  statementConsumers?: boolean;
  /** More server options, after the harness' own (a later option wins: e.g. --log-bin, --server-id for replication). */
  extraArgs?: string[];
}

function serverArgs(dir: string, port: number, options: Required<MariadbOptions>): string[] {
  const consumers = options.statementConsumers ? 'ON' : 'OFF';
  return [
    '--no-defaults', // first: ignore /etc/mysql
    `--datadir=${join(dir, 'data')}`,
    `--socket=${join(dir, 'mariadb.sock')}`,
    `--pid-file=${join(dir, 'mariadb.pid')}`,
    `--log-error=${join(dir, 'mariadb.log')}`,
    `--tmpdir=${dir}`,
    `--init-file=${join(dir, 'init.sql')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--user=mysql',
    '--skip-name-resolve',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=64M',
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    '--max-connections=50',
    `--performance-schema=${options.performanceSchema ? 'ON' : 'OFF'}`,
    `--performance-schema-consumer-events-statements-current=${consumers}`,
    `--performance-schema-consumer-events-statements-history=${consumers}`,
    `--performance-schema-consumer-events-statements-history-long=${consumers}`,
    ...options.extraArgs,
  ];
}

export async function startMariadb(requested: MariadbOptions = {}): Promise<MariadbServer> {
  const options: Required<MariadbOptions> = { performanceSchema: true, statementConsumers: true, extraArgs: [], ...requested };
  const owner = systemUser('mysql');
  const dir = ownedTempDir('db_sentinel-mariadb-', owner);
  const logFile = join(dir, 'mariadb.log');
  const socket = join(dir, 'mariadb.sock');
  const superuser = 'admin';
  const superuserPassword = `pw-${process.pid}-${Date.now()}`;
  trackForExit(dir, null, dir);
  try {
    const install = spawnSync('mariadb-install-db', [
      // --tmpdir: a starting mariadbd removes every #sql* file in its tmpdir, so concurrent bootstraps sharing /tmp
      // would delete each other's temporary tables.
      '--no-defaults', '--user=mysql', `--datadir=${join(dir, 'data')}`, `--tmpdir=${dir}`, '--auth-root-authentication-method=socket',
      '--skip-test-db', '--skip-name-resolve',
    ], { encoding: 'utf8', cwd: '/' });
    if (install.status !== 0) {
      throw new Error(`harness: mariadb-install-db failed (${install.status ?? install.signal}): ${install.stderr}${install.stdout}`);
    }
    const initSql = join(dir, 'init.sql');
    writeFileSync(initSql, [
      `CREATE USER IF NOT EXISTS '${superuser}'@'127.0.0.1' IDENTIFIED BY '${superuserPassword}';`,
      `GRANT ALL PRIVILEGES ON *.* TO '${superuser}'@'127.0.0.1' WITH GRANT OPTION;`,
      '',
    ].join('\n'), { mode: 0o600 });
    chownSync(initSql, owner.uid, owner.gid);

    let child: ChildProcess | null = null;
    let port = 0;
    let lastError = '';
    for (let attempt = 0; attempt < 3 && child === null; attempt += 1) {
      port = await freePort();
      const started = spawn('mariadbd', serverArgs(dir, port, options), { cwd: '/', stdio: 'ignore', detached: true });
      trackForExit(dir, started, dir);
      const ready = await waitReady(started, port, superuser, superuserPassword, logFile);
      if (ready === true) child = started;
      else {
        lastError = ready;
        await stopChild(started, 'SIGKILL', 1000);
      }
    }
    if (child === null) throw new Error(`harness: MariaDB did not start: ${lastError}`);
    const running = child;

    const url = (database = 'mysql', user = superuser, password = superuserPassword): string =>
      `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const connect = (database = 'mysql', extra: Partial<ConnectionOptions> = {}): Promise<Connection> =>
      createConnection({ host: '127.0.0.1', port, user: superuser, password: superuserPassword, database, ...extra });
    const query = async <R = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<R[]> => {
      const connection = await connect(database);
      try {
        const [rows] = await connection.query(sql, params);
        return rows as R[];
      } finally {
        await connection.end();
      }
    };
    const [{ version }] = await query<{ version: string }>('SELECT VERSION() AS version');
    return {
      version, host: '127.0.0.1', port, superuser, superuserPassword, url, connect, query, dir, logFile, socket,
      async createUser(name, password, grants = [], database = '') {
        const connection = await connect();
        try {
          await connection.query('CREATE USER ?@? IDENTIFIED BY ?', [name, '127.0.0.1', password]);
          for (const grant of grants) await connection.query(`GRANT ${grant} TO ?@?`, [name, '127.0.0.1']);
        } finally {
          await connection.end();
        }
        return url(database, name, password);
      },
      stop: stopOnce(running, 'SIGTERM', 15_000, dir),
    };
  } catch (error: unknown) {
    removeTracked(dir);
    throw error;
  }
}

function readLog(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  } catch (error: unknown) {
    return `(no log: ${String(error)})`;
  }
}

/** Polls until the superuser can log in over TCP; returns true or the reason the server will not come up. */
async function waitReady(child: ChildProcess, port: number, user: string, password: string, logFile: string): Promise<true | string> {
  // A guard, not a margin: a loaded machine may take long to start a server, never this long.
  const deadline = Date.now() + 120_000;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return `mariadbd exited: ${readLog(logFile)}`;
    try {
      const connection = await createConnection({ host: '127.0.0.1', port, user, password, connectTimeout: 1000 });
      await connection.end();
      return true;
    } catch (error: unknown) {
      lastError = String(error); // still starting up (or the init file has not run yet)
    }
    await sleep(150);
  }
  return `not ready within 120 s (${lastError}): ${readLog(logFile)}`;
}
