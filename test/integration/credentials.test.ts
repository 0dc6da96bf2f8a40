// The password never goes in cleartext to a server that is not verified. A fake server on a loopback port speaks just
// enough of each protocol to ask for it: PostgreSQL AuthenticationCleartextPassword ('R', code 3) after the startup
// message; MySQL an initial handshake, then an auth switch to mysql_clear_password. Every byte the client sends is
// kept, and the password is searched in them. The connection fails with our error naming the mechanism.
import { strict as assert } from 'node:assert';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { credentialFilesCheck } from '../../src/checks/db-checks';
import type { DatabaseReport, Report } from '../../src/core/report';
import { collectDatabase } from '../../src/collectors/db/databases';
import { DatabaseError } from '../../src/core/errors';
import { openMysql } from '../../src/sources/mysql';
import { openPostgres } from '../../src/sources/postgres';
import { testConfig, type TestConfig } from '../harness/dbconfig';

const PASSWORD = 'pw-cleartext-canary-5e1d';

interface FakeServer {
  port: number;
  received(): Buffer;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that answers each chunk the client sends with `reply(chunkIndex)`. */
async function fakeServer(greeting: Buffer | null, reply: (chunk: number) => Buffer | null): Promise<FakeServer> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let count = 0;
    if (greeting !== null) socket.write(greeting);
    socket.on('data', (data) => {
      chunks.push(data);
      const answer = reply(count);
      count += 1;
      if (answer !== null) socket.write(answer);
    });
    socket.on('error', (error) => chunks.push(Buffer.from(`(socket error ${error.message})`)));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => Buffer.concat(chunks),
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

/** A MySQL packet: 3-byte little-endian length, sequence id, payload. */
function mysqlPacket(sequence: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequence;
  return Buffer.concat([header, payload]);
}

/** Protocol::HandshakeV10 offering mysql_native_password. */
function mysqlHandshake(): Buffer {
  const capabilities = 0x1 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x80000 | 0x100000 | 0x200000;
  const flags = Buffer.alloc(2);
  const upper = Buffer.alloc(2);
  flags.writeUInt16LE(capabilities & 0xffff);
  upper.writeUInt16LE(capabilities >>> 16);
  return mysqlPacket(0, Buffer.concat([
    Buffer.from([10]), Buffer.from('8.0.36-fake\0'), Buffer.from([1, 0, 0, 0]), Buffer.from('abcdefgh'), Buffer.from([0]),
    flags, Buffer.from([0x21]), Buffer.from([2, 0]), upper, Buffer.from([21]), Buffer.alloc(10),
    Buffer.from('ijklmnopqrst\0'), Buffer.from('mysql_native_password\0'),
  ]));
}

describe('no cleartext password to an unverified server', () => {
  const configs: TestConfig[] = [];
  after(() => configs.forEach((config) => config.cleanup()));

  for (const mode of ['disable', 'require'] as const) {
    it(`PostgreSQL: AuthenticationCleartextPassword is refused (tls.mode ${mode}), the password never sent`, async () => {
      // 'R', length 8, code 3. With mode require the client first asks for SSL ('N': not supported, so it fails
      // before authentication when TLS is required; the password is never asked for either way).
      const askPassword = Buffer.concat([Buffer.from('R'), int32(8), int32(3)]);
      const server = await fakeServer(null, (chunk) => (mode === 'require' && chunk === 0 ? Buffer.from('N') : askPassword));
      try {
        const config = testConfig([{ name: 'fake', engine: 'postgresql', url: `postgresql://agent:${PASSWORD}@127.0.0.1:${server.port}/db` }],
          {});
        configs.push(config);
        const database = { ...config.config.databases[0]!, tls: { mode } };
        await assert.rejects(openPostgres(database), (error: unknown) => {
          const message = String((error as Error).message);
          return mode === 'require' ? /cannot connect/.test(message)
            : /asked for the password in cleartext \(PostgreSQL AuthenticationCleartextPassword\) .*refused, the password was not sent/.test(message);
        });
        assert.ok(server.received().length > 0, 'the client sent nothing: the server was not reached');
        assert.equal(server.received().includes(PASSWORD), false, 'the password reached the fake server');
        assert.equal(server.received().includes(Buffer.from('p')) && server.received().toString('latin1').includes(PASSWORD), false);
      } finally {
        await server.close();
      }
    });
  }

  it('MySQL: an auth switch to mysql_clear_password is refused, the password never sent', async () => {
    const authSwitch = mysqlPacket(2, Buffer.concat([Buffer.from([0xfe]), Buffer.from('mysql_clear_password\0')]));
    const server = await fakeServer(mysqlHandshake(), (chunk) => (chunk === 0 ? authSwitch : null));
    try {
      const config = testConfig([{ name: 'fake', engine: 'mysql', url: `mysql://agent:${PASSWORD}@127.0.0.1:${server.port}/db` }]);
      configs.push(config);
      await assert.rejects(openMysql(config.config.databases[0]!),
        /asked for the password in cleartext \(MySQL mysql_clear_password\) over a connection that is not verified TLS \(tls\.mode disable\); refused/);
      assert.ok(server.received().length > 30, 'no handshake response reached the fake server');
      assert.equal(server.received().includes(PASSWORD), false, 'the password reached the fake server');
    } finally {
      await server.close();
    }
  });
});

describe('a password file readable by group or others is a named warning', () => {
  for (const [mode, who] of [[0o644, 'others'], [0o640, 'its group'], [0o600, null]] as const) {
    it(`mode ${mode.toString(8)}: ${who === null ? 'no problem' : `problem password_file_readable (${who})`}`, async () => {
      const config = testConfig([{ name: 'main', engine: 'postgresql', url: `postgresql://agent:${PASSWORD}@127.0.0.1:1/db` }]);
      try {
        const database = config.config.databases[0]!;
        chmodSync(database.password_file!, mode);
        const report = await collectDatabase(database, { limit: 10, min_calls: 2 }, async () => {
          throw new DatabaseError('main: cannot connect to postgresql://agent@127.0.0.1:1/db: ECONNREFUSED');
        });
        const problem = report.problems.find((entry) => entry.code === 'password_file_readable');
        if (who === null) assert.equal(problem, undefined);
        else {
          assert.equal(problem?.message, `password_file ${database.password_file} is readable by ${who} (mode 0${mode.toString(8)})`);
          assert.equal(problem?.remedy, `chmod 600 ${database.password_file}`);
        }
      } finally {
        config.cleanup();
      }
    });
  }
});

describe('check credential_files', () => {
  it('is a warning naming the config file and each password file readable beyond the owner, ok otherwise', () => {
    const database = (name: string, problems: DatabaseReport['problems']): DatabaseReport =>
      ({ name, engine: 'postgresql', version: null, up: false, problems, slow_queries: [] });
    const exposed = database('main', [{ code: 'password_file_readable', message: 'password_file /etc/db_sentinel/secrets/main.password is readable by others (mode 0644)' }]);
    const check = credentialFilesCheck([exposed, database('other', [])], { path: '/etc/db_sentinel/config.yml', exposedMode: 0o640 });
    assert.equal(check.status, 'warning');
    assert.equal(check.value, 2);
    assert.equal(check.message, 'config file /etc/db_sentinel/config.yml is readable by its group (mode 0640); '
      + 'password_file /etc/db_sentinel/secrets/main.password is readable by others (mode 0644): chmod 600');
    assert.deepEqual(check.details?.map((detail) => detail.subject), ['config', 'main']);
    assert.equal(credentialFilesCheck([database('other', [])], { path: '/etc/db_sentinel/config.yml', exposedMode: null }).status, 'ok');
  });

  it('db_analyzer report: a config file and a password file readable by others are in checks[] as a warning', () => {
    const config = testConfig([{ name: 'main', engine: 'postgresql', url: `postgresql://agent:${PASSWORD}@127.0.0.1:1/db`, connect_timeout_seconds: 1 }]);
    try {
      const file = join(config.dir, 'config.yml');
      writeFileSync(file, dump(config.document), { mode: 0o644 });
      chmodSync(file, 0o644);
      chmodSync(config.config.databases[0]!.password_file!, 0o604);
      const run = spawnSync(process.execPath, ['build/db_analyzer.js', 'report', '--config', file], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, run.stderr);
      const check = (JSON.parse(run.stdout) as Report).checks.find((entry) => entry.name === 'credential_files');
      assert.equal(check?.status, 'warning');
      assert.match(check?.message ?? '', new RegExp(`config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is readable by others \\(mode 0644\\).*password_file .* is readable by others \\(mode 0604\\)`));
      assert.equal(run.stdout.includes(PASSWORD), false, 'the password is in the report');
    } finally {
      config.cleanup();
    }
  });
});
