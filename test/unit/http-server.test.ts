// The HTTP server with a real client over loopback: routes, methods, auth, body limit, TLS, staleness.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  bearerMatches, checkExposure, closeGracefully, createSentinelServer, isLoopback, listen, MAX_BODY_BYTES, parseListen,
  type SentinelServerOptions,
} from '../../src/outputs/http';
import { renderMetrics } from '../../src/outputs/prometheus';
import { renderReportJson } from '../../src/outputs/report-json';
import type { Snapshot } from '../../src/report/report-loop';
import { fixtureReport } from '../harness/fixture-report';
import { createHash } from 'node:crypto';
import { DEFAULT_LISTEN } from '../../src/core/config';
import { connect } from 'node:net';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function call(port: number, method: string, path: string, options: { headers?: Record<string, string>; body?: Buffer; tls?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const make = options.tls ? httpsRequest : httpRequest;
    // Node's client sends a GET body without framing unless told its length.
    const headers = { ...options.headers, ...(options.body ? { 'Content-Length': String(options.body.length) } : {}) };
    const req = make({ host: '127.0.0.1', port, method, path, headers, ca: options.tls, servername: 'localhost' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function snapshotOf(installedAt: number): Promise<Snapshot> {
  const report = fixtureReport();
  return { report, json: Buffer.from(renderReportJson(report)), metrics: Buffer.from(await renderMetrics(report)), installedAt };
}

async function start(options: SentinelServerOptions): Promise<{ server: Server; port: number }> {
  const server = createSentinelServer(options);
  const { port } = await listen(server, { host: '127.0.0.1', port: 0 });
  return { server, port };
}

describe('HTTP server', () => {
  let snapshot: Snapshot | null = null;
  let open: { server: Server; port: number };
  let port: number;
  before(async () => {
    open = await start({ security: { allowUnauthenticated: false }, snapshot: () => snapshot, staleAfterMs: 60_000 });
    port = open.port;
  });
  after(() => closeGracefully(open.server));

  it('answers 503 with Retry-After before the first report', async () => {
    const reply = await call(port, 'GET', '/metrics');
    assert.equal(reply.status, 503);
    assert.equal(reply.headers['retry-after'], '5');
    assert.equal((await call(port, 'GET', '/healthz')).status, 503);
  });

  it('serves /report, /metrics and /healthz from the snapshot', async () => {
    snapshot = await snapshotOf(Date.now());
    const report = await call(port, 'GET', '/report');
    assert.equal(report.status, 200);
    assert.match(String(report.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(report.body), fixtureReport());
    const metrics = await call(port, 'GET', '/metrics?ignored=1');
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.equal(metrics.body, snapshot.metrics.toString());
    const health = await call(port, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.match(health.body, /^ok: report of 2026-11-25T01:40:00.000Z \(critical\)/);
  });

  it('answers HEAD with the headers and no body', async () => {
    const reply = await call(port, 'HEAD', '/metrics');
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '');
    assert.equal(Number(reply.headers['content-length']), snapshot!.metrics.length);
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    assert.equal((await call(port, 'GET', '/')).status, 404);
    assert.equal((await call(port, 'GET', '/metrics/x')).status, 404);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const reply = await call(port, method, '/report');
      assert.equal(reply.status, 405, method);
      assert.equal(reply.headers.allow, 'GET, HEAD');
    }
  });

  it('refuses a body over the limit with 413', async () => {
    const reply = await call(port, 'GET', '/report', { body: Buffer.alloc(MAX_BODY_BYTES * 4, 'x') });
    assert.equal(reply.status, 413);
    assert.equal((await call(port, 'GET', '/report', { body: Buffer.from('small') })).status, 200);
  });

  it('drops a client that never finishes its headers (slowloris) after the header timeout', async () => {
    const slow = await start({ security: { allowUnauthenticated: false }, snapshot: () => snapshot, staleAfterMs: 60_000,
      headersTimeoutMs: 300, requestTimeoutMs: 600 });
    try {
      const socket = connect(slow.port, '127.0.0.1');
      socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
      const started = Date.now();
      const answer = await new Promise<string>((resolve) => {
        let data = '';
        socket.on('data', (chunk: Buffer) => { data += chunk.toString(); });
        socket.on('close', () => resolve(data));
      });
      assert.match(answer, /^HTTP\/1\.1 408 /);
      // Node's own header timeout is 60 s: closing well before it is this server's 300 ms setting, even on a loaded
      // machine (the bound only tells the two apart; the 408 is the proof).
      assert.ok(Date.now() - started < 30_000, `closed after ${Date.now() - started} ms`);
    } finally {
      await closeGracefully(slow.server);
    }
  });

  it('says 503 stale on /healthz when collection stopped installing reports', async () => {
    snapshot = await snapshotOf(Date.now() - 120_000);
    const reply = await call(port, 'GET', '/healthz');
    assert.equal(reply.status, 503);
    assert.match(reply.body, /^stale: /);
    assert.equal((await call(port, 'GET', '/metrics')).status, 200, 'metrics still served from the last report');
  });
});

describe('HTTP server security', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses listen addresses and knows loopback', () => {
    assert.deepEqual(parseListen('127.0.0.1:19617', 'x'), { host: '127.0.0.1', port: 19617 });
    assert.deepEqual(parseListen(DEFAULT_LISTEN, 'x'), { host: '127.0.0.1', port: 19617 });
    assert.deepEqual(parseListen('[::1]:0', 'x'), { host: '::1', port: 0 });
    assert.throws(() => parseListen('19617', 'server.listen'), /server\.listen: expected HOST:PORT/);
    assert.throws(() => parseListen('host:70000', 'server.listen'), /expected HOST:PORT/);
    assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost'));
    assert.ok(!isLoopback('0.0.0.0') && !isLoopback('10.0.0.5') && !isLoopback('::'));
  });

  it('refuses a non-loopback address without a token or allow_unauthenticated', () => {
    assert.throws(() => checkExposure({ host: '0.0.0.0', port: 19617 }, { allowUnauthenticated: false }),
      /server\.listen: 0\.0\.0\.0 is not loopback: set server\.token_file/);
    checkExposure({ host: '0.0.0.0', port: 19617 }, { allowUnauthenticated: true });
    checkExposure({ host: '0.0.0.0', port: 19617 }, { allowUnauthenticated: false, token: 'x'.repeat(16) });
    checkExposure({ host: '127.0.0.1', port: 19617 }, { allowUnauthenticated: false });
  });

  it('compares bearer tokens exactly', () => {
    const expected = createHash('sha256').update('s3cret-token-0123456789').digest();
    assert.ok(bearerMatches('Bearer s3cret-token-0123456789', expected));
    assert.ok(!bearerMatches('Bearer s3cret-token-012345678', expected));
    assert.ok(!bearerMatches('Basic s3cret-token-0123456789', expected));
    assert.ok(!bearerMatches(undefined, expected));
  });

  it('requires the bearer token on every path, over TLS', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    const token = 'tok-abcdefghijklmnop';
    const snapshot = await snapshotOf(Date.now());
    const { server, port } = await start({
      security: { allowUnauthenticated: false, token, tls: { cert, key: readFileSync(join(dir, 'key.pem')) } },
      snapshot: () => snapshot, staleAfterMs: 60_000,
    });
    try {
      for (const path of ['/metrics', '/report', '/healthz']) {
        const denied = await call(port, 'GET', path, { tls: cert });
        assert.equal(denied.status, 401, path);
        assert.equal(denied.headers['www-authenticate'], 'Bearer realm="db_sentinel"');
        assert.equal((await call(port, 'GET', path, { tls: cert, headers: { Authorization: 'Bearer wrong-token-abcdefgh' } })).status, 401);
        assert.equal((await call(port, 'GET', path, { tls: cert, headers: { Authorization: `Bearer ${token}` } })).status, 200);
      }
    } finally {
      await closeGracefully(server);
    }
  });
});
