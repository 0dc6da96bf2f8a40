// Bad input on real servers: a database that is down, a wrong password, an unknown host, a server that never
// answers (connect timeout), a statement that hits the statement timeout, pg_stat_statements not created or not
// loaded, a role without pg_monitor, a missing password file. Each database gets up:false with an error naming
// what was wrong, or a named problem; the others and the OS part are still reported (`db_analyzer report`, the
// built bundle, end to end).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { dump } from 'js-yaml';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import type { DatabaseConfig } from '../../src/core/config';
import type { DatabaseReport, Report } from '../../src/core/report';
import { freePort } from '../../src/demo/local-server';
import { assertValidReport } from '../harness/report-schema';
import { testConfig, type TestConfig, type TestDatabase } from '../harness/dbconfig';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import { startPostgresStatement } from '../harness/workload';

const limits = { limit: 10, min_calls: 2 };
const REPO = join(__dirname, '..', '..');

/** A TCP server that accepts connections and never says a word (a hung database). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('silent server: no port');
  return {
    port: address.port,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('bad input on real servers', () => {
  let pg: PostgresServer;
  let bare: PostgresServer;
  let my: MariadbServer;
  let silent: { port: number; close(): Promise<void> };
  let downPort: number;
  const setups: TestConfig[] = [];

  const collect = async (db: TestDatabase) => {
    const setup = testConfig([db]);
    setups.push(setup);
    return collectDatabase(setup.config.databases[0] as DatabaseConfig, limits, DEFAULT_OPENERS[db.engine]);
  };

  before(async () => {
    [pg, bare, my] = await Promise.all([startPostgres(17), startPostgres(17, { shared_preload_libraries: '' }), startMariadb()]);
    await pg.query('CREATE EXTENSION pg_stat_statements');
    await pg.query('CREATE DATABASE other');
    silent = await silentServer();
    downPort = await freePort();
  });
  after(async () => {
    for (const setup of setups) setup.cleanup();
    await silent?.close();
    await Promise.all([pg?.stop(), bare?.stop(), my?.stop()]);
  });

  it('a database that is down: up false, connection refused', async () => {
    const report = await collect({ name: 'down', engine: 'postgresql', url: `postgresql://postgres@127.0.0.1:${downPort}/postgres` });
    assert.equal(report.up, false);
    assert.match(report.error ?? '', /^down: cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres: .*ECONNREFUSED/);
    const mysql = await collect({ name: 'down_my', engine: 'mysql', url: `mysql://root@127.0.0.1:${downPort}/` });
    assert.equal(mysql.up, false);
    assert.match(mysql.error ?? '', /ECONNREFUSED/);
  });

  it('a wrong password: up false, authentication failed, the password appears nowhere', async () => {
    const report = await collect({ name: 'badpw', engine: 'postgresql', url: pg.url('postgres', 'postgres', 'wrong-secret-1') });
    assert.equal(report.up, false);
    assert.match(report.error ?? '', /password authentication failed for user "postgres"/);
    const mysql = await collect({ name: 'badpw_my', engine: 'mysql', url: my.url('', 'admin', 'wrong-secret-2') });
    assert.equal(mysql.up, false);
    assert.match(mysql.error ?? '', /Access denied for user 'admin'/);
    assert.ok(!JSON.stringify([report, mysql]).includes('wrong-secret'));
  });

  it('an unknown host: up false, name not resolved', async () => {
    const report = await collect({ name: 'nohost', engine: 'postgresql', url: 'postgresql://postgres@db.invalid:5432/postgres' });
    assert.equal(report.up, false);
    assert.match(report.error ?? '', /ENOTFOUND|EAI_AGAIN/);
  });

  it('a server that never answers: up false after the connect timeout', async () => {
    // The silent server never answers, so only the drivers' connect timeouts can end these (not a wall-clock race):
    // their own errors name them, where the collector's deadline (connect + 2 x statement timeout, 21 s) would say
    // "no complete answer within".
    const [report, mysql] = await Promise.all([
      collect({ name: 'hung', engine: 'postgresql', url: `postgresql://postgres@127.0.0.1:${silent.port}/postgres`, connect_timeout_seconds: 1 }),
      collect({ name: 'hung_my', engine: 'mysql', url: `mysql://root@127.0.0.1:${silent.port}/`, connect_timeout_seconds: 1 }),
    ]);
    assert.equal(report.up, false);
    assert.match(report.error ?? '', /^hung: cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres: timeout expired$/);
    assert.equal(mysql.up, false);
    assert.match(mysql.error ?? '', /^hung_my: cannot connect to mysql:\/\/root@127\.0\.0\.1:\d+\/: connect ETIMEDOUT$/);
  });

  it('a missing password_file: up false naming the file', async () => {
    const report = await collect({ name: 'nofile', engine: 'postgresql', url: `postgresql://postgres@127.0.0.1:${pg.port}/postgres`, password_file: '/nonexistent/main.pass' });
    assert.equal(report.up, false);
    assert.equal(report.error, 'nofile: cannot read password_file /nonexistent/main.pass: ENOENT');
  });

  it('a statement timeout: a named problem, the rest still reported', async () => {
    // The slow part is unambiguous: the test holds pg_extension locked, so the collector's look-up of the extension
    // waits until the statement timeout however fast the machine is, while every other statement (and the connection,
    // which no statement timeout covers) has a margin of seconds, however loaded the machine is.
    const locker = await pg.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE pg_extension IN ACCESS EXCLUSIVE MODE');
      const report = await collect({ name: 'slow', engine: 'postgresql', url: pg.url(), connect_timeout_seconds: 60, statement_timeout_seconds: 5 });
      assert.equal(report.up, true, report.error);
      assert.deepEqual(report.problems.map((item) => item.code), ['statement_timeout'], JSON.stringify(report.problems));
      const problem = report.problems.find((item) => item.code === 'statement_timeout');
      assert.ok(problem, JSON.stringify(report.problems));
      assert.match(problem.message, /PG_STAT_STATEMENTS_EXTENSION: .*statement timeout/);
      assert.ok(report.connections, 'connections still reported');
      assert.equal(report.slow_query_source, 'pg_stat_activity');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('pg_stat_statements loaded but not created in the database: how to create it, pg_stat_activity fallback', async () => {
    const report = await collect({ name: 'other', engine: 'postgresql', url: pg.url('other') });
    assert.equal(report.up, true);
    assert.deepEqual(report.problems.map((item) => item.code), ['pg_stat_statements_not_created']);
    assert.equal(report.problems[0]?.remedy, 'as a superuser, in database other: CREATE EXTENSION pg_stat_statements;');
    assert.equal(report.slow_query_source, 'pg_stat_activity');
    assert.equal(report.latency?.mean_ms, null);
  });

  it('pg_stat_statements not loaded: how to load it, and the running statements ranked instead', async () => {
    const running = await startPostgresStatement(bare, `SELECT pg_sleep(600), 'running' AS label`, 0.2);
    let report: DatabaseReport;
    try {
      report = await collect({ name: 'bare', engine: 'postgresql', url: bare.url() });
    } finally {
      await running.stop();
    }
    assert.deepEqual(report.problems.map((item) => item.code), ['pg_stat_statements_not_loaded']);
    assert.match(report.problems[0]?.remedy ?? '', /shared_preload_libraries = 'pg_stat_statements'.*restart.*CREATE EXTENSION pg_stat_statements/);
    assert.equal(report.slow_queries[0]?.sample, `SELECT pg_sleep(600), 'running' AS label`);
    assert.equal(report.slow_queries[0]?.sample_source, 'pg_stat_activity');
    assert.ok((report.slow_queries[0]?.mean_ms ?? 0) >= 200);
  });

  it('a role without pg_monitor: the hidden statements and sessions are named with the grant that fixes it', async () => {
    const url = await pg.createRole('plain', 'plain secret');
    const busy = await startPostgresStatement(pg, `SELECT pg_sleep(600), 'busy' AS label`, 0.2);
    let report: DatabaseReport;
    try {
      report = await collect({ name: 'plain', engine: 'postgresql', url });
    } finally {
      await busy.stop();
    }
    const codes = report.problems.map((item) => item.code);
    assert.deepEqual(codes, ['missing_privilege_pg_read_all_stats', 'insufficient_privilege_pg_stat_statements']);
    assert.match(report.problems[1]?.message ?? '', /^\d+ of \d+ pg_stat_statements rows show <insufficient privilege> \(NULL queryid\) to plain/);
    assert.match(report.problems[1]?.remedy ?? '', /^GRANT pg_monitor TO plain;/);
    // The running pg_sleep is another role's, hidden: the longest times are unknown, not 0.
    assert.equal(report.longest_query_seconds, null);
    assert.equal(report.longest_transaction_seconds, null);
  });

  it('db_analyzer report: the good databases, the bad ones and the OS part in one report', async () => {
    const setup = testConfig([
      { name: 'pg_ok', engine: 'postgresql', url: pg.url() },
      { name: 'pg_down', engine: 'postgresql', url: `postgresql://postgres@127.0.0.1:${downPort}/postgres` },
      { name: 'pg_badpw', engine: 'postgresql', url: pg.url('postgres', 'postgres', 'wrong-secret-3') },
      { name: 'pg_nohost', engine: 'postgresql', url: 'postgresql://postgres@db.invalid/postgres' },
      { name: 'my_ok', engine: 'mysql', url: my.url('') },
      { name: 'my_hung', engine: 'mysql', url: `mysql://root@127.0.0.1:${silent.port}/`, connect_timeout_seconds: 1 },
    ]);
    setups.push(setup);
    const configFile = join(setup.dir, 'config.yml');
    writeFileSync(configFile, dump(setup.document));
    // Under this Node and the hosts' Node 18.20 (npm alias node18).
    for (const node of [process.execPath, join(REPO, 'node_modules', 'node18', 'bin', 'node')]) {
      const { stdout, stderr } = await promisify(execFile)(node, [
        join(REPO, 'build', 'db_analyzer.js'), 'report', '--config', configFile,
        '--proc-root', join(REPO, 'test', 'fixtures', 'proc', 'debian12-kvm'), '--sys-root', join(REPO, 'test', 'fixtures', 'sys', 'debian12-kvm'),
      ], { timeout: 60_000 });
      assert.ok(![pg.superuserPassword, my.superuserPassword, 'wrong-secret-3'].some((secret) => stdout.includes(secret) || stderr.includes(secret)));
      const report = JSON.parse(stdout) as Report;
      assertValidReport(report, `db_analyzer report under ${node}`);
      assert.equal(report.schema_version, 1);
      assert.equal(report.status, 'critical');
      assert.deepEqual(report.databases.map((db) => [db.name, db.up]),
        [['pg_ok', true], ['pg_down', false], ['pg_badpw', false], ['pg_nohost', false], ['my_ok', true], ['my_hung', false]]);
      assert.equal(report.checks.find((check) => check.name === 'db_up')?.status, 'critical');
      assert.equal(report.checks.find((check) => check.name === 'db_up')?.value, 4);
      assert.ok(report.databases[0]?.connections && report.databases[4]?.connections, 'the good databases are fully reported');
      assert.equal(report.databases[0]?.slow_query_source, 'pg_stat_statements');
      assert.match(report.databases[5]?.error ?? '', /^my_hung: cannot connect to mysql:\/\/root@127\.0\.0\.1:\d+\/: .*(ETIMEDOUT|timeout)/i);
      assert.equal(report.checks.find((check) => check.name === 'tuning_drift')?.status, 'warning');
      const connections = report.checks.find((check) => check.name === 'db_connections');
      assert.equal(connections?.status, 'ok');
      assert.deepEqual(connections?.details?.map((detail) => detail.subject), ['pg_ok', 'my_ok']);
      assert.equal(report.os.hugepages?.transparent_enabled, 'madvise');
      assert.deepEqual(report.os.schedulers?.map((state) => state.device), ['loop0', 'loop1', 'vda']);
      assert.equal(report.os.sysctl?.['vm.swappiness'], '60');
      assert.ok(report.collectors.every((run) => run.success), JSON.stringify(report.collectors));
    }
  });
});
