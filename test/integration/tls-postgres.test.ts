// TLS to a real server: embedded PostgreSQL 17 with ssl=on and a certificate signed by a CA the test makes with
// openssl (and a second CA that signed nothing of the server's). verify-full with the right CA connects over TLS;
// with the wrong CA it fails on the certificate. A role whose pg_hba method is `password` (cleartext) logs in over
// verify-full, and is refused by us over require (TLS, but nobody checked whose certificate).
import { strict as assert } from 'node:assert';
import { chownSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { DatabaseConfig, TlsConfig } from '../../src/core/config';
import { openPostgres } from '../../src/sources/postgres';
import { tlsOptions } from '../../src/sources/sql';
import { ownedTempDir, systemUser } from '../../src/demo/local-server';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import { makeCa } from '../harness/tls';

describe('PostgreSQL over TLS (ssl=on, a CA made by the test)', () => {
  const owner = systemUser('postgres');
  let certs: string;
  let db: PostgresServer;
  let setup: TestConfig;
  let clear: TestConfig;

  before(async () => {
    certs = ownedTempDir('db_sentinel-tls-', owner);
    makeCa(certs, 'right', 'localhost');
    makeCa(certs, 'wrong');
    for (const file of ['server.key', 'server.pem']) chownSync(join(certs, file), owner.uid, owner.gid);
    db = await startPostgres(17, { ssl: 'on', ssl_cert_file: join(certs, 'server.pem'), ssl_key_file: join(certs, 'server.key') });
    setup = testConfig([{ name: 'main', engine: 'postgresql', url: db.url('postgres') }]);
    // Cleartext password authentication for one role, on TLS connections only.
    const clearUrl = await db.createRole('clear_user', 'clear-pw-4b9e');
    const hba = join(db.dir, 'data', 'pg_hba.conf');
    const rules = readFileSync(hba, 'utf8');
    writeFileSync(hba, `hostssl all clear_user 127.0.0.1/32 password\n${rules}`);
    await db.query('SELECT pg_reload_conf()');
    clear = testConfig([{ name: 'clear', engine: 'postgresql', url: clearUrl }]);
  });
  after(async () => {
    setup?.cleanup();
    clear?.cleanup();
    await db?.stop();
    if (certs !== undefined) rmSync(certs, { recursive: true, force: true });
  });

  const withTls = (config: TestConfig, tls: TlsConfig): DatabaseConfig => ({ ...config.config.databases[0]!, tls });

  it('verify-full with the CA that signed the certificate connects, and the session is encrypted', async () => {
    const session = await openPostgres(withTls(setup, { mode: 'verify-full', ca_file: join(certs, 'right-ca.pem') }));
    try {
      const [row] = await session.query<{ ssl: boolean }>('SSL', 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      assert.equal(row?.ssl, true);
    } finally {
      await session.close();
    }
  });

  it('verify-full with another CA fails on the certificate, naming the target', async () => {
    await assert.rejects(openPostgres(withTls(setup, { mode: 'verify-full', ca_file: join(certs, 'wrong-ca.pem') })),
      /main: cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres: .*(self[- ]signed|unable to (get|verify)|certificate)/i);
  });

  it('verify-ca checks the chain only: the right CA connects, the wrong one fails', async () => {
    const session = await openPostgres(withTls(setup, { mode: 'verify-ca', ca_file: join(certs, 'right-ca.pem') }));
    await session.close();
    await assert.rejects(openPostgres(withTls(setup, { mode: 'verify-ca', ca_file: join(certs, 'wrong-ca.pem') })), /certificate/i);
  });

  it('a cleartext password goes to the verified server, and is refused over unverified TLS', async () => {
    const session = await openPostgres(withTls(clear, { mode: 'verify-full', ca_file: join(certs, 'right-ca.pem') }));
    try {
      const [row] = await session.query<{ user: string }>('WHO', 'SELECT current_user AS user');
      assert.equal(row?.user, 'clear_user');
    } finally {
      await session.close();
    }
    await assert.rejects(openPostgres(withTls(clear, { mode: 'require' })),
      /asked for the password in cleartext \(PostgreSQL AuthenticationCleartextPassword\) over a connection that is not verified TLS \(tls\.mode require\); refused/);
  });

  it('verify-full checks the host name against the certificate, verify-ca does not (libpq\'s meaning)', async () => {
    const certificate = new X509Certificate(readFileSync(join(certs, 'server.pem'))).toLegacyObject() as PeerCertificate;
    const full = await tlsOptions(withTls(setup, { mode: 'verify-full', ca_file: join(certs, 'right-ca.pem') }));
    const ca = await tlsOptions(withTls(setup, { mode: 'verify-ca', ca_file: join(certs, 'right-ca.pem') }));
    assert.equal(full?.checkServerIdentity?.('localhost', certificate), undefined);
    assert.match(String(full?.checkServerIdentity?.('db.example', certificate)), /Host: db\.example\. is not in the cert's altnames: DNS:localhost/);
    assert.equal(ca?.checkServerIdentity?.('db.example', certificate), undefined);
    assert.equal(full?.rejectUnauthorized, true);
    assert.equal(ca?.rejectUnauthorized, true);
    assert.equal((await tlsOptions(withTls(setup, { mode: 'require' })))?.rejectUnauthorized, false);
    assert.equal(await tlsOptions(withTls(setup, { mode: 'disable' })), null);
  });

  it('a missing ca_file is an error naming it', async () => {
    await assert.rejects(openPostgres(withTls(setup, { mode: 'verify-full', ca_file: join(certs, 'absent.pem') })),
      /main: cannot read tls\.ca_file .*absent\.pem: ENOENT/);
  });
});
