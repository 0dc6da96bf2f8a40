// `serve --web.config.file`: the Prometheus exporter-toolkit web configuration, as node_exporter and every official
// exporter read it (https://prometheus.io/docs/prometheus/latest/configuration/https/): TLS with an optional client
// CA and client_auth_type, and basic auth users with bcrypt hashes. Unknown keys are errors, as in exporter-toolkit.
// bcrypt is bcryptjs (pure JavaScript, bundled: nothing to install on the host). A verified user:password pair is
// remembered (by its SHA-256) so that a scrape every 15 s does not pay bcrypt's cost each time.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { compareSync } from 'bcryptjs';
import { load } from 'js-yaml';
import { ConfigError, errorMessage } from '../core/errors';
import { describe, expectMap, rejectUnknownKeys } from '../core/validate';

export const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert'] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];
const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
type TlsVersionName = keyof typeof TLS_VERSIONS;
/** A bcrypt hash in modular crypt format ($2a$, $2b$ or $2y$, cost, 53 characters of salt and hash). */
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export interface WebConfig {
  tls?: {
    cert_file: string;
    key_file: string;
    client_ca_file?: string;
    client_auth_type: ClientAuthType;
    min_version: (typeof TLS_VERSIONS)[TlsVersionName];
  };
  /** user -> bcrypt hash; empty: no basic auth. */
  basic_auth_users: Record<string, string>;
}

function fileKey(map: Record<string, unknown>, key: string, where: string, required: boolean): string | undefined {
  const value = map[key];
  if (value === undefined || value === null || value === '') {
    if (required) throw new ConfigError(`${where}.${key}`, 'required');
    return undefined;
  }
  if (typeof value !== 'string') throw new ConfigError(`${where}.${key}`, `expected a file path, got ${describe(value)}`);
  return value;
}

/** Validates a web config document; `file` names it in errors. */
export function parseWebConfig(text: string, file: string): WebConfig {
  let document: unknown;
  try {
    document = load(text, { filename: file });
  } catch (error: unknown) {
    throw new ConfigError('web.config.file', `${file} is not valid YAML: ${errorMessage(error).split('\n')[0]}`, { cause: error });
  }
  const map = expectMap(document, 'web.config.file');
  rejectUnknownKeys(map, ['tls_server_config', 'basic_auth_users'], '');
  const config: WebConfig = { basic_auth_users: {} };
  if (map.tls_server_config !== undefined && map.tls_server_config !== null) {
    const where = 'tls_server_config';
    const tls = expectMap(map.tls_server_config, where);
    rejectUnknownKeys(tls, ['cert_file', 'key_file', 'client_ca_file', 'client_auth_type', 'min_version'], where);
    const clientAuth = tls.client_auth_type ?? 'NoClientCert';
    if (!(CLIENT_AUTH_TYPES as readonly unknown[]).includes(clientAuth)) {
      throw new ConfigError(`${where}.client_auth_type`, `expected one of ${CLIENT_AUTH_TYPES.join(', ')}, got ${describe(clientAuth)}`);
    }
    const minVersion = tls.min_version ?? 'TLS12';
    if (typeof minVersion !== 'string' || !(minVersion in TLS_VERSIONS)) {
      throw new ConfigError(`${where}.min_version`, `expected one of ${Object.keys(TLS_VERSIONS).join(', ')}, got ${describe(minVersion)}`);
    }
    const clientCa = fileKey(tls, 'client_ca_file', where, false);
    if ((clientAuth === 'VerifyClientCertIfGiven' || clientAuth === 'RequireAndVerifyClientCert') && clientCa === undefined) {
      throw new ConfigError(`${where}.client_ca_file`, `required with client_auth_type ${clientAuth as string}`);
    }
    config.tls = {
      cert_file: fileKey(tls, 'cert_file', where, true)!,
      key_file: fileKey(tls, 'key_file', where, true)!,
      client_auth_type: clientAuth as ClientAuthType,
      min_version: TLS_VERSIONS[minVersion as TlsVersionName],
      ...(clientCa === undefined ? {} : { client_ca_file: clientCa }),
    };
  }
  const users = expectMap(map.basic_auth_users, 'basic_auth_users');
  for (const [user, hash] of Object.entries(users)) {
    if (user === '' || user.includes(':')) throw new ConfigError(`basic_auth_users.${user}`, 'a user name cannot be empty or hold ":"');
    if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) {
      throw new ConfigError(`basic_auth_users.${user}`,
        'expected a bcrypt hash ($2y$10$..., e.g. from htpasswd -nBC 10 "" | tr -d \':\\n\')');
    }
    config.basic_auth_users[user] = hash;
  }
  return config;
}

export interface WebTls {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  clientAuth: ClientAuthType;
  minVersion: (typeof TLS_VERSIONS)[TlsVersionName];
}

/** Reads the web config and the files it names; a missing file is an error naming its key. */
export async function readWebConfig(file: string): Promise<{ config: WebConfig; tls?: WebTls }> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new ConfigError('web.config.file',
      `cannot read ${file}: ${(error as { code?: string }).code ?? errorMessage(error)}`, { cause: error });
  });
  const config = parseWebConfig(text, file);
  if (config.tls === undefined) return { config };
  const read = (path: string, key: string): Promise<Buffer> => readFile(path).catch((error: unknown) => {
    throw new ConfigError(`tls_server_config.${key}`,
      `cannot read ${path}: ${(error as { code?: string }).code ?? errorMessage(error)}`, { cause: error });
  });
  const tls: WebTls = {
    cert: await read(config.tls.cert_file, 'cert_file'),
    key: await read(config.tls.key_file, 'key_file'),
    clientAuth: config.tls.client_auth_type,
    minVersion: config.tls.min_version,
  };
  if (config.tls.client_ca_file !== undefined) tls.ca = await read(config.tls.client_ca_file, 'client_ca_file');
  return { config, tls };
}

/** bcrypt of a random string, cost 10: compared for unknown users. */
const UNKNOWN_USER_HASH = '$2b$10$1uphfIij2Rg30KAUG89bqOt2OP37379UdaRgVyrSmAa2uhlPTXDjG';

/** Checks `Authorization: Basic ...` against the bcrypt hashes; verified pairs are remembered. */
export class BasicAuth {
  private readonly verified = new Set<string>();

  constructor(private readonly users: Readonly<Record<string, string>>) {}

  allows(header: string | undefined): boolean {
    const match = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const hash = Object.prototype.hasOwnProperty.call(this.users, user) ? this.users[user] : undefined;
    if (hash === undefined) {
      // As long as a known user's check: the answer time does not tell which users exist.
      compareSync(decoded.slice(colon + 1), UNKNOWN_USER_HASH);
      return false;
    }
    const key = createHash('sha256').update(`${hash}\0${decoded}`).digest('hex');
    if (this.verified.has(key)) return true;
    if (!compareSync(decoded.slice(colon + 1), hash)) return false;
    // Bounded: a handful of scrapers use one or two credentials.
    if (this.verified.size > 64) this.verified.clear();
    this.verified.add(key);
    return true;
  }
}
