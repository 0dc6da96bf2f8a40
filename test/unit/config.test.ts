import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseConfig, parseConfigText, DEFAULT_CHECK } from '../../src/core/config';
import { ConfigError } from '../../src/core/errors';

function configError(document: unknown): ConfigError {
  try {
    parseConfig(document, 'test.yml');
  } catch (error: unknown) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the document to be rejected');
}

describe('config', () => {
  it('an empty document gives the documented defaults and the embedded tuning profile', () => {
    const config = parseConfig({}, 'test.yml');
    assert.deepEqual(config.check, DEFAULT_CHECK);
    assert.deepEqual(config.databases, []);
    assert.equal(config.tuning.sysctl['vm.swappiness'], '1');
    assert.equal(config.tuning.schedulers.nvme, 'none');
    assert.equal(config.state_dir, '/var/lib/db_sentinel');
  });

  it('takes a slow log path or off for MySQL/MariaDB databases', () => {
    const config = parseConfig({ databases: [
      { name: 'a', engine: 'mysql', url: 'mysql://u@h/db', slow_log: '/var/log/mysql/mariadb-slow.log' },
      { name: 'b', engine: 'mysql', url: 'mysql://u@h/db', slow_log: 'off' },
      { name: 'c', engine: 'mysql', url: 'mysql://u@h/db' },
    ] }, 'test.yml');
    assert.deepEqual(config.databases.map((db) => db.slow_log), ['/var/log/mysql/mariadb-slow.log', 'off', undefined]);
  });

  it('overrides merge over the defaults', () => {
    const config = parseConfigText(
      'check:\n  thresholds:\n    disk_await_ms: {warning: 5, critical: 10}\ntuning:\n  sysctl:\n    vm.swappiness: 10\n',
      'test.yml',
    );
    assert.deepEqual(config.check.thresholds.disk_await_ms, { warning: 5, critical: 10 });
    assert.deepEqual(config.check.thresholds.disk_util_percent, DEFAULT_CHECK.thresholds.disk_util_percent);
    assert.equal(config.tuning.sysctl['vm.swappiness'], '10');
    assert.equal(config.tuning.sysctl['vm.dirty_ratio'], '10');
  });

  const invalid: Array<[string, unknown, string]> = [
    ['a threshold that is not a number', { check: { thresholds: { disk_await_ms: { warning: 'abc' } } } },
      'check.thresholds.disk_await_ms.warning'],
    ['critical below warning', { check: { thresholds: { disk_util_percent: { warning: 90, critical: 50 } } } },
      'check.thresholds.disk_util_percent'],
    ['a misspelt key', { check: { thresholds: { disk_awiat_ms: {} } } }, 'check.thresholds.disk_awiat_ms'],
    ['an unknown engine', { databases: [{ name: 'a', engine: 'oracle', url: 'x' }] }, 'databases[0].engine'],
    ['a password in the URL', { databases: [{ name: 'a', engine: 'postgresql', url: 'postgresql://u:secret@h/db' }] },
      'databases[0].url'],
    ['a swappiness of "abc"', { tuning: { sysctl: { 'vm.swappiness': 'abc' } } }, 'tuning.sysctl.vm.swappiness'],
    ['an unknown scheduler', { tuning: { schedulers: { nvme: 'fastest' } } }, 'tuning.schedulers.nvme'],
    ['a negative page count', { tuning: { hugepages: -1 } }, 'tuning.hugepages'],
    ['a relative slow log path', { databases: [{ name: 'a', engine: 'mysql', url: 'mysql://u@h/db', slow_log: 'slow.log' }] },
      'databases[0].slow_log'],
    ['a slow log on PostgreSQL', { databases: [{ name: 'a', engine: 'postgresql', url: 'postgresql://u@h/db', slow_log: '/var/log/x' }] },
      'databases[0].slow_log'],
    ['a relative state_dir', { state_dir: 'state' }, 'state_dir'],
    ['a relative server_log', { databases: [{ name: 'a', engine: 'postgresql', url: 'postgresql://u@h/db', server_log: 'log/*.json' }] },
      'databases[0].server_log'],
    ['a server_log of MySQL', { databases: [{ name: 'a', engine: 'mysql', url: 'mysql://u@h/db', server_log: '/var/log/mysql.log' }] },
      'databases[0].server_log'],
    ['a per-cycle log budget under 4 KiB', { explain: { server_log_max_bytes: 100 } }, 'explain.server_log_max_bytes'],
    ['a negative generic plan TTL', { explain: { generic_cache_ttl_seconds: -1 } }, 'explain.generic_cache_ttl_seconds'],
  ];
  for (const [what, document, keyPath] of invalid) {
    it(`rejects ${what}, naming ${keyPath}`, () => {
      const error = configError(document);
      assert.equal(error.keyPath, keyPath);
      assert.match(error.message, new RegExp(`^config: ${keyPath.replace(/[.[\]]/g, '\\$&')}: `));
    });
  }

  it('reads the JSON that Salt renders as it reads the same document in YAML, and a YAML flow mapping too', () => {
    const yaml = 'check:\n  sample_seconds: 2\n  services: [postgresql.service]\ntuning:\n  sysctl:\n    vm.swappiness: 10\n';
    const json = JSON.stringify({ check: { sample_seconds: 2, services: ['postgresql.service'] },
      tuning: { sysctl: { 'vm.swappiness': 10 } } }, null, 2);
    assert.deepEqual({ ...parseConfigText(json, 'c.yml'), source: '' }, { ...parseConfigText(yaml, 'c.yml'), source: '' });
    assert.equal(parseConfigText(json, 'c.yml').check.sample_seconds, 2);
    // Starts like JSON, is not JSON: YAML reads it.
    assert.equal(parseConfigText('{check: {sample_seconds: 3}}', 'c.yml').check.sample_seconds, 3);
    assert.throws(() => parseConfigText('{"check": {', 'c.yml'), /c\.yml is not valid YAML/);
  });

  it('rejects YAML that does not parse, naming the file', () => {
    assert.throws(() => parseConfigText('check: [unclosed', '/etc/db_sentinel/config.yml'),
      /config\.yml is not valid YAML/);
  });
});

describe('config: databases[].tls', () => {
  const database = (extra: Record<string, unknown>): unknown => ({ databases: [{ name: 'main', engine: 'postgresql', url: 'postgresql://agent@db1:5432/app', ...extra }] });
  it('defaults to mode disable, takes sslmode words and a CA file for the verifying modes', () => {
    assert.deepEqual(parseConfig(database({}), 'test').databases[0]?.tls, { mode: 'disable' });
    assert.deepEqual(parseConfig(database({ tls: { mode: 'verify-full', ca_file: '/etc/db_sentinel/ca.pem' } }), 'test').databases[0]?.tls,
      { mode: 'verify-full', ca_file: '/etc/db_sentinel/ca.pem' });
  });
  for (const [tls, message] of [
    [{ mode: 'prefer' }, /databases\[0\]\.tls\.mode/],
    [{ mode: 'require', ca_file: '/ca.pem' }, /databases\[0\]\.tls\.ca_file: is used only by mode verify-ca or verify-full, not require/],
    [{ mode: 'verify-ca', cafile: '/ca.pem' }, /databases\[0\]\.tls.*cafile/],
  ] as const) {
    it(`rejects tls ${JSON.stringify(tls)}, naming the key`, () => {
      assert.throws(() => parseConfig(database({ tls }), 'test'), (error: unknown) => error instanceof ConfigError && message.test(error.message));
    });
  }
  it('rejects sslmode in the URL: TLS is configured in one place', () => {
    assert.throws(() => parseConfig(database({ url: 'postgresql://agent@db1:5432/app?sslmode=require' }), 'test'), /use tls: \{mode/);
  });
});

describe('config: explain.role and explain.allowed_extensions (PostgreSQL)', () => {
  it('takes a role name and extension names; no role and no extension by default', () => {
    assert.equal(parseConfig({}, 'test').explain.role, undefined);
    assert.deepEqual(parseConfig({}, 'test').explain.allowed_extensions, []);
    const config = parseConfig({ explain: { role: 'db_sentinel_explain', allowed_extensions: ['pg_trgm'] } }, 'test');
    assert.equal(config.explain.role, 'db_sentinel_explain');
    assert.deepEqual(config.explain.allowed_extensions, ['pg_trgm']);
  });

  it('rejects a role that is not a plain role name, naming the key', () => {
    assert.throws(() => parseConfig({ explain: { role: 'x"; DROP ROLE y; --' } }, 'test'),
      (error: unknown) => error instanceof ConfigError && /explain\.role: expected a role name/.test(error.message));
  });

  it('takes explain.write_role (none by default) and rejects one that is not a plain role name', () => {
    assert.equal(parseConfig({}, 'test').explain.write_role, undefined);
    assert.equal(parseConfig({ explain: { write_role: 'db_sentinel_explain_write' } }, 'test').explain.write_role, 'db_sentinel_explain_write');
    assert.throws(() => parseConfig({ explain: { write_role: 'w; DROP ROLE y' } }, 'test'),
      (error: unknown) => error instanceof ConfigError && /explain\.write_role: expected a role name/.test(error.message));
  });
});
