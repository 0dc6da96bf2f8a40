// `db_analyzer serve` (the built bundle, as its unit runs it) keeps one session per database open from one
// collection to the next (src/collectors/db/kept-sessions.ts), on a real PostgreSQL 17 and MariaDB: the same backend
// answers cycle after cycle; a connection the server ends (pg_terminate_backend, KILL) is replaced by a new one and
// the database is up again; and a stopped daemon leaves no session behind.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../../src/core/report';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import { waitUntil } from '../../src/demo/local-server';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { startServe, UNIT_NODE_ARGS, type ServeProcess } from '../harness/serve-process';

describe('db_analyzer serve keeps its database sessions between collections', () => {
  let postgres: PostgresServer;
  let mariadb: MariadbServer;
  let setup: TestConfig;
  let serve: ServeProcess;
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-serve-sessions-'));

  /** The agent's connections now: PostgreSQL backend pids and MariaDB connection ids. */
  const agentConnections = async (): Promise<{ pg: number[]; maria: number[] }> => ({
    pg: (await postgres.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE usename = 'db_sentinel' ORDER BY pid"))
      .map((row) => Number(row.pid)),
    maria: (await mariadb.query("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = 'db_sentinel' ORDER BY ID"))
      .map((row) => Number((row as { id: unknown }).id)),
  });

  /** The next report collected after `since` (ISO time) in which both databases are up. */
  const nextReportUp = (since: string): Promise<Report> => waitUntil(`a report after ${since} with both databases up`, async () => {
    const response = await fetch(`${serve.url}/report`);
    if (response.status !== 200) return undefined;
    const report = (await response.json()) as Report;
    return report.collected_at > since && report.databases.every((database) => database.up) ? report : undefined;
  }, 60_000);

  before(async () => {
    [postgres, mariadb] = await Promise.all([startPostgres(17), startMariadb()]);
    const pgUrl = await postgres.createRole('db_sentinel', 'agent-pw', ['pg_monitor']);
    const myUrl = await mariadb.createUser('db_sentinel', 'agent-pw', ['SELECT ON performance_schema.*', 'PROCESS ON *.*']);
    setup = testConfig([{ name: 'pg', engine: 'postgresql', url: pgUrl }, { name: 'maria', engine: 'mysql', url: myUrl }]);
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...setup.document, state_dir: dir, server: { interval_seconds: 1 }, explain: { enabled: false } }),
      { mode: 0o600 });
    serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], process.execPath, 120_000, UNIT_NODE_ARGS);
  });

  after(async () => {
    await serve?.stop();
    await Promise.all([postgres?.stop(), mariadb?.stop()]);
    setup?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers cycle after cycle on one connection per database', async () => {
    let report = await nextReportUp('');
    const first = await agentConnections();
    assert.equal(first.pg.length, 1, `PostgreSQL: ${JSON.stringify(first)}`);
    assert.equal(first.maria.length, 1, `MariaDB: ${JSON.stringify(first)}`);
    for (let cycle = 0; cycle < 3; cycle += 1) report = await nextReportUp(report.collected_at);
    assert.deepEqual(await agentConnections(), first, 'three collections later, the same sessions');
  });

  it('replaces a connection the server ended, and the databases are up again', async () => {
    const before = await agentConnections();
    await postgres.query('SELECT pg_terminate_backend($1)', [before.pg[0]]);
    await mariadb.query(`KILL ${before.maria[0]}`);
    const killedAt = new Date().toISOString();
    let report = await nextReportUp(killedAt);
    report = await nextReportUp(report.collected_at);
    const now = await agentConnections();
    assert.equal(now.pg.length, 1);
    assert.equal(now.maria.length, 1);
    assert.notEqual(now.pg[0], before.pg[0], 'a new PostgreSQL backend');
    assert.notEqual(now.maria[0], before.maria[0], 'a new MariaDB connection');
    assert.ok(report.checks.some((check) => check.name === 'db_up' && check.status === 'ok'), JSON.stringify(report.checks));
  });

  it('closes its sessions when it stops', async () => {
    assert.equal(await serve.stop(), 0);
    const left = await waitUntil('no session of the stopped daemon', async () => {
      const now = await agentConnections();
      return now.pg.length === 0 && now.maria.length === 0 ? now : undefined;
    }, 30_000);
    assert.deepEqual(left, { pg: [], maria: [] });
  });
});
