// TLS to a real MariaDB 10.11 (harness) with a certificate signed by a CA the test makes with openssl: mysql2 with
// tls.mode verify-full and the right CA connects encrypted; with the wrong CA it fails on the certificate; require
// encrypts without checking; disable stays in the clear.
import { strict as assert } from 'node:assert';
import { chownSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatabaseConfig, TlsConfig } from '../../src/core/config';
import { openMysql } from '../../src/sources/mysql';
import { ownedTempDir, systemUser } from '../../src/demo/local-server';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startMariadb, type MariadbServer } from '../harness/mariadb';
import { makeCa } from '../harness/tls';

describe('MariaDB over TLS (a CA made by the test)', () => {
  const owner = systemUser('mysql');
  let certs: string;
  let db: MariadbServer;
  let setup: TestConfig;

  before(async () => {
    certs = ownedTempDir('db_sentinel-tls-', owner);
    makeCa(certs, 'right', 'localhost');
    makeCa(certs, 'wrong');
    for (const file of ['server.key', 'server.pem', 'right-ca.pem']) chownSync(join(certs, file), owner.uid, owner.gid);
    db = await startMariadb({ extraArgs: [`--ssl-cert=${join(certs, 'server.pem')}`, `--ssl-key=${join(certs, 'server.key')}`,
      `--ssl-ca=${join(certs, 'right-ca.pem')}`] });
    setup = testConfig([{ name: 'shop', engine: 'mysql', url: db.url('mysql') }]);
  });
  after(async () => {
    setup?.cleanup();
    await db?.stop();
    if (certs !== undefined) rmSync(certs, { recursive: true, force: true });
  });

  const withTls = (tls: TlsConfig): DatabaseConfig => ({ ...setup.config.databases[0]!, tls });
  const cipher = async (tls: TlsConfig): Promise<string> => {
    const session = await openMysql(withTls(tls));
    try {
      const [row] = await session.query<{ Value: string }>('SSL_CIPHER', "SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      return String(row?.Value ?? '');
    } finally {
      await session.close();
    }
  };

  it('verify-full with the CA that signed the certificate connects, encrypted', async () => {
    assert.notEqual(await cipher({ mode: 'verify-full', ca_file: join(certs, 'right-ca.pem') }), '');
  });

  it('verify-full and verify-ca with another CA fail on the certificate, naming the target', async () => {
    for (const mode of ['verify-full', 'verify-ca'] as const) {
      await assert.rejects(openMysql(withTls({ mode, ca_file: join(certs, 'wrong-ca.pem') })),
        /shop: cannot connect to mysql:\/\/admin@127\.0\.0\.1:\d+\/mysql: .*(self[- ]signed|unable to (get|verify)|certificate)/i);
    }
  });

  it('require encrypts without checking the certificate; disable does not encrypt', async () => {
    assert.notEqual(await cipher({ mode: 'require' }), '');
    assert.equal(await cipher({ mode: 'disable' }), '');
  });
});
