// `db_analyzer serve --web.config.file` (the bundle) with the exporter-toolkit format: TLS whose client certificates
// must be signed by the configured CA (RequireAndVerifyClientCert), and basic auth against a bcrypt hash made by
// Apache's htpasswd (test/fixtures/web-config). Certificates are made here with openssl: a CA, the server's, a client's
// signed by the CA and a self-signed client's.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../../src/demo/local-server';
import { ROOT, startServe, type ServeProcess } from '../harness/serve-process';

const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-webconfig-'));
const file = (name: string) => join(dir, name);
const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
const hash = readFileSync(join(__dirname, '..', 'fixtures', 'web-config', 'htpasswd-2.4.71.txt'), 'utf8').split('\n')[0]!.split(':').slice(1).join(':');

function makeCertificates(): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=db_sentinel test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const [name, ext] of [['server', ['-extfile', 'server.ext']], ['client', []]] as const) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.pem`, ...ext]);
  }
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=rogue', '-keyout', 'rogue.key', '-out', 'rogue.pem']);
}

interface Answer {
  status?: number;
  error?: string;
}

function get(url: string, options: { client?: 'client' | 'rogue'; user?: string; password?: string }): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (options.user !== undefined) headers.Authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
    const req = request(`${url}/healthz`, {
      ca: readFileSync(file('ca.pem')),
      ...(options.client ? { cert: readFileSync(file(`${options.client}.pem`)), key: readFileSync(file(`${options.client}.key`)) } : {}),
      headers,
    }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode }));
    });
    req.on('error', (error: Error & { code?: string }) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

describe('db_analyzer serve --web.config.file', () => {
  let serve: ServeProcess;
  const config = file('config.yml');

  before(async () => {
    makeCertificates();
    writeFileSync(config, 'server:\n  interval_seconds: 1\n');
    writeFileSync(file('web.yml'), [
      'tls_server_config:',
      `  cert_file: ${file('server.pem')}`,
      `  key_file: ${file('server.key')}`,
      `  client_ca_file: ${file('ca.pem')}`,
      '  client_auth_type: RequireAndVerifyClientCert',
      'basic_auth_users:',
      `  prometheus: ${hash}`,
    ].join('\n'));
    // Beyond loopback is allowed: the web config authenticates (verified client certificate, basic auth).
    serve = await startServe(['--config', config, '--listen', '0.0.0.0:0', '--web.config.file', file('web.yml')]);
  });

  after(async () => {
    await serve?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a client with a CA-signed certificate and the right basic auth password', async () => {
    const url = serve.url.replace('0.0.0.0', '127.0.0.1');
    assert.match(url, /^https:/);
    // 503 until the first collection is in, however long a loaded machine takes.
    const answer = await waitUntil('an answer other than 503', async () => {
      const reply = await get(url, { client: 'client', user: 'prometheus', password: 'scrape-secret-1' });
      return reply.status === 503 ? undefined : reply;
    });
    assert.equal(answer.status, 200, JSON.stringify(answer));
  });

  it('refuses a wrong password (401), and a missing or unknown client certificate at the TLS handshake', async () => {
    const url = serve.url.replace('0.0.0.0', '127.0.0.1');
    assert.equal((await get(url, { client: 'client', user: 'prometheus', password: 'wrong' })).status, 401);
    assert.equal((await get(url, { client: 'client' })).status, 401);
    for (const client of [undefined, 'rogue'] as const) {
      const answer = await get(url, { client, user: 'prometheus', password: 'scrape-secret-1' });
      assert.equal(answer.status, undefined, `${client ?? 'no'} client certificate got an answer`);
      assert.ok(answer.error, JSON.stringify(answer));
    }
  });

  it('refuses a web config with a plain password, naming the key', () => {
    writeFileSync(file('bad.yml'), 'basic_auth_users:\n  prometheus: scrape-secret-1\n');
    const result = spawnSync(process.execPath, [join(ROOT, 'build', 'db_analyzer.js'), 'serve', '--config', config, '--web.config.file', file('bad.yml')],
      { encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 3);
    assert.match(result.stdout, /basic_auth_users\.prometheus: expected a bcrypt hash/);
  });
});
