// `db_analyzer serve [--config FILE] [--listen HOST:PORT]`: collects in the background every
// server.interval_seconds and serves the last report on /report, /metrics and /healthz until SIGTERM or SIGINT.
import { readFile } from 'node:fs/promises';
import { DEFAULT_LISTEN, loadConfig, type Config } from '../../core/config';
import { ConfigError, errorMessage } from '../../core/errors';
import { HOST_ROOTS } from '../../sources/fsroot';
import { checkExposure, listen, parseListen, type ServerSecurity } from '../../outputs/http';
import { startReportServer } from '../../outputs/report-server';
import { daemonOutputs } from '../../outputs/daemon-outputs';
import { spawnCommand } from '../../sources/spawn';
import { PlanCache } from '../../explain';
import { writeFileAtomic } from '../../sources/atomic-file';
import { lastReportPath } from '../../sources/last-report';
import { BasicAuth, readWebConfig } from '../../outputs/web-config';
import { CONFIG_FLAG, parseFlags, type CommandHelp } from '../common';
import { analyzerCollection, explainChildBesideThisBundle } from './report';
import { KeptSessions } from '../../collectors/db/kept-sessions';

export const SERVE_HELP: CommandHelp = {
  usage: 'db_analyzer serve [--config FILE] [--listen HOST:PORT] [--web.config.file FILE]',
  summary: 'Collects every server.interval_seconds in the background and serves the last report: GET /report (JSON),\n' +
    '/metrics (Prometheus), /healthz. Stops on SIGTERM or SIGINT.',
  flags: [
    CONFIG_FLAG,
    ['--listen HOST:PORT', `the address to listen on (default server.listen, ${DEFAULT_LISTEN})`],
    ['--web.config.file FILE', 'exporter-toolkit web configuration: TLS (with client CA) and basic auth (bcrypt)'],
  ],
};

async function readSecret(file: string, key: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new ConfigError(key, `cannot read ${file}: ${(error as { code?: string }).code ?? errorMessage(error)}`, { cause: error });
  }
  const token = text.trim();
  // A short token can be guessed over the network; 16 characters of base64 is 96 bits.
  if (token.length < 16 || /\s/.test(token)) {
    throw new ConfigError(key, `${file} must hold one token of at least 16 characters without spaces`);
  }
  return token;
}

async function readSecurity(config: Config, webConfigFile: string | undefined): Promise<ServerSecurity> {
  const server = config.server;
  const security: ServerSecurity = { allowUnauthenticated: server.allow_unauthenticated };
  if (webConfigFile !== undefined) {
    if (server.tls_cert !== undefined) throw new ConfigError('server.tls_cert', 'give TLS either here or in --web.config.file, not both');
    const web = await readWebConfig(webConfigFile);
    if (web.tls !== undefined) security.tls = web.tls;
    if (Object.keys(web.config.basic_auth_users).length > 0) security.basicAuth = new BasicAuth(web.config.basic_auth_users);
  }
  if (server.token_file !== undefined) security.token = await readSecret(server.token_file, 'server.token_file');
  if (server.tls_cert !== undefined && server.tls_key !== undefined) {
    const read = (file: string, key: string): Promise<Buffer> => readFile(file).catch((error: unknown) => {
      throw new ConfigError(key, `cannot read ${file}: ${(error as { code?: string }).code ?? errorMessage(error)}`, { cause: error });
    });
    security.tls = { cert: await read(server.tls_cert, 'server.tls_cert'), key: await read(server.tls_key, 'server.tls_key') };
  }
  return security;
}

export async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv,
    { config: { type: 'string' }, listen: { type: 'string' }, 'web.config.file': { type: 'string' } }, SERVE_HELP);
  const config = await loadConfig(values.config);
  const address = values.listen !== undefined
    ? parseListen(values.listen, '--listen')
    : parseListen(config.server.listen, 'server.listen');
  const security = await readSecurity(config, values['web.config.file']);
  checkExposure(address, security);

  const log = (line: string): void => void process.stderr.write(`db_analyzer: ${line}\n`);
  const intervalMs = config.server.interval_seconds * 1000;
  // One plan cache for the life of the process: a plan is made once per explain.cache_ttl_seconds. EXPLAIN runs in a
  // child process per cycle that needs it: the daemon never holds the SQL parsers.
  const planCache = new PlanCache();
  const explainChild = explainChildBesideThisBundle();
  // One session per database for the life of the process, closed when it stops (src/collectors/db/kept-sessions.ts).
  const keptSessions = new KeptSessions();
  // Where the formula runs this daemon, the beacon's events and the textfile come from here, not from cron (README,
  // Deployment). salt-call is run as db_beacon runs it (spawnCommand).
  const outputs = daemonOutputs(config, spawnCommand, log);
  const serving = await startReportServer({
    collect: analyzerCollection(config, HOST_ROOTS, planCache, explainChild, keptSessions),
    intervalMs,
    security,
    log,
    bind: (server) => listen(server, address),
    // The cron commands on this host read this instead of collecting again (src/sources/last-report.ts). A
    // failed write costs them a collection of their own, never a scrape: it is logged and serving goes on.
    keep: (json) => writeFileAtomic(lastReportPath(config.state_dir), json, 0o600)
      .catch((error: unknown) => log(`warning: ${errorMessage(error)}`)),
    ...(outputs === undefined ? {} : { publish: outputs.publish }),
  });
  const { bound } = serving;
  void serving.loop.start();
  const scheme = security.tls ? 'https' : 'http';
  const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  const after = [config.server.beacon ? "sending the beacon's events" : '',
    config.server.textfile ? `writing ${config.textfile.dir}/db_sentinel.prom` : '']
    .filter((output) => output !== '');
  log(`serving ${scheme}://${host}:${bound.port}/ (GET /report, /metrics, /healthz), collecting every ${config.server.interval_seconds} s` +
    (after.length > 0 ? `, then ${after.join(' and ')}` : ''));

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping`);
      resolve();
    };
    // `on`, not `once`: a second SIGTERM while stopping (systemd's, an impatient operator's) must find a listener, or
    // Node's default action kills the process before the sessions are closed and the beacon's state is written.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  await serving.stop();
  await keptSessions.closeAll();
  // A salt-call under way ends (or times out) before the exit, so that the state file records what it sent.
  await outputs?.idle();
  return 0;
}
