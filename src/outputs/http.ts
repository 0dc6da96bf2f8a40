// The analyzer's HTTP endpoint: GET /report (JSON), /metrics (Prometheus text), /healthz, answered from the last
// snapshot of the background loop. Loopback by default; anywhere else only with a bearer token (compared in
// constant time) or an explicit allow_unauthenticated. Header and request timeouts, a bounded body, optional TLS.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ConfigError } from '../core/errors';
import { METRICS_CONTENT_TYPE } from './prometheus';
import { REPORT_CONTENT_TYPE } from './report-json';
import type { Snapshot } from '../report/report-loop';
import type { BasicAuth, WebTls } from './web-config';

/** A GET carries no body; anything past this is refused with 413. */
export const MAX_BODY_BYTES = 1024;
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const MAX_HEADER_BYTES = 8 * 1024;

export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses HOST:PORT (IPv6 as [::1]:PORT); port 0 asks the kernel for a free one. */
export function parseListen(text: string, where: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new ConfigError(where, `expected HOST:PORT (like 127.0.0.1:19617), got ${JSON.stringify(text)}`);
  return { host: (match[1] ?? match[2])!, port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export interface ServerSecurity {
  /** The bearer token; required unless the address is loopback or allowUnauthenticated is set. */
  token?: string;
  allowUnauthenticated: boolean;
  /** Basic auth users of the web config file (serve --web.config.file). */
  basicAuth?: BasicAuth;
  tls?: { cert: Buffer; key: Buffer } | WebTls;
}

function clientAuthOf(security: ServerSecurity): WebTls['clientAuth'] {
  return security.tls !== undefined && 'clientAuth' in security.tls ? security.tls.clientAuth : 'NoClientCert';
}

/** Refuses to expose the report beyond loopback without a token or an explicit opt-out. */
export function checkExposure(listen: ListenAddress, security: ServerSecurity): void {
  if (isLoopback(listen.host) || security.token !== undefined || security.basicAuth !== undefined ||
    clientAuthOf(security) === 'RequireAndVerifyClientCert' || security.allowUnauthenticated) return;
  throw new ConfigError('server.listen',
    `${listen.host} is not loopback: set server.token_file (bearer token), --web.config.file with basic_auth_users `
      + 'or a verified client certificate, or server.allow_unauthenticated: true');
}

export interface SentinelServerOptions {
  security: ServerSecurity;
  snapshot: () => Snapshot | null;
  /** A snapshot older than this makes /healthz answer 503 (collection stuck). */
  staleAfterMs: number;
  now?: () => number;
  /** Overrides HEADERS_TIMEOUT_MS / REQUEST_TIMEOUT_MS (tests use short ones). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares the Authorization header with the token in constant time (both hashed to equal lengths first). */
export function bearerMatches(header: string | undefined, expectedDigest: Buffer): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  const presented = digest(match?.[1] ?? '');
  return timingSafeEqual(presented, expectedDigest) && match !== null;
}

const ROUTES = ['/report', '/metrics', '/healthz'] as const;
type Route = (typeof ROUTES)[number];

function send(response: ServerResponse, request: IncomingMessage, status: number, type: string, body: Buffer | string,
  headers: Record<string, string> = {}): void {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(payload.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : payload);
}

/** A client certificate the web config's client_auth_type demands but the TLS layer let through (not verified). */
function clientCertRefused(request: IncomingMessage, security: ServerSecurity): boolean {
  const clientAuth = clientAuthOf(security);
  if (clientAuth === 'NoClientCert' || clientAuth === 'RequestClientCert' || clientAuth === 'RequireAndVerifyClientCert') return false;
  const socket = request.socket as TLSSocket;
  const presented = Object.keys(socket.getPeerCertificate?.() ?? {}).length > 0;
  if (clientAuth === 'RequireAnyClientCert') return !presented;
  return presented && !socket.authorized;
}

function answer(request: IncomingMessage, response: ServerResponse, options: SentinelServerOptions, tokenDigest: Buffer | null): void {
  const text = 'text/plain; charset=utf-8';
  const { basicAuth } = options.security;
  if (clientCertRefused(request, options.security)) {
    send(response, request, 403, text, 'client certificate required or not verified\n');
    return;
  }
  // Any configured credential will do: the bearer token or a basic auth user.
  if ((tokenDigest || basicAuth) && !(tokenDigest && bearerMatches(request.headers.authorization, tokenDigest)) &&
    !(basicAuth && basicAuth.allows(request.headers.authorization))) {
    const challenge = basicAuth ? 'Basic realm="db_sentinel"' : 'Bearer realm="db_sentinel"';
    send(response, request, 401, text, `${basicAuth ? 'basic auth' : 'bearer token'} required\n`, { 'WWW-Authenticate': challenge });
    return;
  }
  const path = (request.url ?? '/').split('?')[0] as Route;
  if (!ROUTES.includes(path)) {
    send(response, request, 404, text, 'not found: GET /report, /metrics or /healthz\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, request, 405, text, `method ${request.method ?? '?'} not allowed\n`, { Allow: 'GET, HEAD' });
    return;
  }
  const snapshot = options.snapshot();
  if (!snapshot) {
    send(response, request, 503, text, 'no report yet: the first collection is running\n', { 'Retry-After': '5' });
    return;
  }
  if (path === '/metrics') {
    send(response, request, 200, METRICS_CONTENT_TYPE, snapshot.metrics);
  } else if (path === '/report') {
    send(response, request, 200, REPORT_CONTENT_TYPE, snapshot.json);
  } else {
    const ageSeconds = ((options.now ?? Date.now)() - snapshot.installedAt) / 1000;
    const fresh = ageSeconds * 1000 <= options.staleAfterMs;
    const line = `${fresh ? 'ok' : 'stale'}: report of ${snapshot.report.collected_at} (${snapshot.report.status}), ` +
      `installed ${ageSeconds.toFixed(0)} s ago, collected in ${snapshot.report.duration_seconds.toFixed(3)} s\n`;
    send(response, request, fresh ? 200 : 503, text, line);
  }
}

export function createSentinelServer(options: SentinelServerOptions): Server {
  const tokenDigest = options.security.token === undefined ? null : digest(options.security.token);
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    // A scrape carries no body: answered at once, without the stream listeners (and their per-request cost) a body
    // needs. Anything announcing a body is read, up to MAX_BODY_BYTES.
    const length = request.headers['content-length'];
    if (request.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
      answer(request, response, options, tokenDigest);
      return;
    }
    let received = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_BODY_BYTES && !refused) {
        refused = true;
        // The rest of the body is never read: answer, then close the connection so it cannot be parsed as a request.
        response.once('finish', () => request.socket.destroy());
        send(response, request, 413, 'text/plain; charset=utf-8', `request body over ${MAX_BODY_BYTES} bytes\n`,
          { Connection: 'close' });
      }
    });
    request.on('end', () => {
      if (!refused) answer(request, response, options, tokenDigest);
    });
  };
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  // Timeouts are enforced by a periodic sweep (30 s by default): sweep often enough that they hold to the second.
  const serverOptions = { maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: Math.min(1000, headersTimeout) };
  const tls = options.security.tls;
  const clientAuth = clientAuthOf(options.security);
  const server: Server = tls
    ? createHttpsServer({
      ...serverOptions, cert: tls.cert, key: tls.key,
      ...('clientAuth' in tls ? {
        minVersion: tls.minVersion,
        ...(tls.ca === undefined ? {} : { ca: tls.ca }),
        requestCert: clientAuth !== 'NoClientCert',
        // Only this type has the TLS layer refuse the handshake; the others are checked per request.
        rejectUnauthorized: clientAuth === 'RequireAndVerifyClientCert',
      } : {}),
    }, handler)
    : createHttpServer(serverOptions, handler);
  server.headersTimeout = headersTimeout;
  server.requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}

export function listen(server: Server, address: ListenAddress): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound ? { host: address.host, port: bound.port } : address);
    });
  });
}

/** Stops accepting, lets requests in flight finish, then drops idle keep-alive connections. */
export function closeGracefully(server: Server, forceAfterMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), forceAfterMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
