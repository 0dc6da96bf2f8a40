// The exporter-toolkit web config of `serve --web.config.file`: parsing with errors naming the key, and basic auth
// against bcrypt hashes made by other tools (Apache's htpasswd: $2y$; Python's bcrypt: $2b$; see the .source files).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BasicAuth, parseWebConfig } from '../../src/outputs/web-config';

const FIXTURES = join(__dirname, '..', 'fixtures', 'web-config');
const users = (file: string): Record<string, string> => Object.fromEntries(readFileSync(join(FIXTURES, file), 'utf8').trim().split('\n')
  .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('web config (exporter-toolkit format)', () => {
  it('reads TLS with a client CA and basic auth users', () => {
    const config = parseWebConfig([
      'tls_server_config:',
      '  cert_file: /etc/db_sentinel/tls/cert.pem',
      '  key_file: /etc/db_sentinel/tls/key.pem',
      '  client_ca_file: /etc/db_sentinel/tls/ca.pem',
      '  client_auth_type: RequireAndVerifyClientCert',
      'basic_auth_users:',
      `  prometheus: ${users('htpasswd-2.4.71.txt').prometheus}`,
    ].join('\n'), 'web.yml');
    assert.deepEqual(config.tls, { cert_file: '/etc/db_sentinel/tls/cert.pem', key_file: '/etc/db_sentinel/tls/key.pem',
      client_ca_file: '/etc/db_sentinel/tls/ca.pem', client_auth_type: 'RequireAndVerifyClientCert', min_version: 'TLSv1.2' });
    assert.deepEqual(Object.keys(config.basic_auth_users), ['prometheus']);
  });

  const refused: Array<[string, string, RegExp]> = [
    ['an unknown key', 'basic_auth_user:\n  a: b\n', /config: basic_auth_user: unknown key/],
    ['a password instead of a hash', 'basic_auth_users:\n  prometheus: secret\n', /config: basic_auth_users\.prometheus: expected a bcrypt hash/],
    ['an unknown client_auth_type', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: Always\n', /tls_server_config\.client_auth_type: expected one of NoClientCert/],
    ['client verification without a CA', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: RequireAndVerifyClientCert\n', /tls_server_config\.client_ca_file: required with client_auth_type RequireAndVerifyClientCert/],
    ['TLS without a key', 'tls_server_config:\n  cert_file: c\n', /tls_server_config\.key_file: required/],
    ['an unknown TLS version', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: SSL3\n', /tls_server_config\.min_version: expected one of TLS10/],
  ];
  for (const [what, text, message] of refused) {
    it(`refuses ${what}, naming the key`, () => {
      assert.throws(() => parseWebConfig(text, 'web.yml'), message);
    });
  }

  it('basic auth accepts the right password for htpasswd ($2y$) and Python bcrypt ($2b$) hashes, nothing else', () => {
    const auth = new BasicAuth({ ...users('htpasswd-2.4.71.txt'), ...users('python-bcrypt-4.2.1.txt') });
    assert.equal(auth.allows(basic('prometheus', 'scrape-secret-1')), true);
    assert.equal(auth.allows(basic('prometheus', 'scrape-secret-1')), true, 'remembered');
    assert.equal(auth.allows(basic('grafana', 'another:pass')), true, 'a colon in the password');
    assert.equal(auth.allows(basic('alertmanager', 'py-secret-2')), true);
    assert.equal(auth.allows(basic('prometheus', 'scrape-secret-2')), false);
    assert.equal(auth.allows(basic('grafana', 'scrape-secret-1')), false, 'another user\'s password');
    assert.equal(auth.allows(basic('nobody', 'scrape-secret-1')), false);
    assert.equal(auth.allows(basic('constructor', 'x')), false, 'no prototype keys');
    assert.equal(auth.allows('Bearer scrape-secret-1'), false);
    assert.equal(auth.allows(undefined), false);
  });
});
