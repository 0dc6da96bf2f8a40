// Debian's promtool and Prometheus for the tests of prometheus/ and grafana/ (the binaries of the monitoring host).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { freePort, sleep, stopChild } from '../../src/demo/local-server';

export const REPO_ROOT = join(__dirname, '..', '..');
export const PROMETHEUS_DIR = join(REPO_ROOT, 'prometheus');
export const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
export const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';
export const NODE_EXPORTER = process.env.NODE_EXPORTER ?? '/usr/bin/prometheus-node-exporter';

export interface ToolResult {
  status: number | null;
  stdout: string;
  /** stdout and stderr together, since promtool splits its messages between them. */
  output: string;
}

/** Runs promtool with the given arguments. */
export function promtool(args: readonly string[], cwd: string = REPO_ROOT): ToolResult {
  const result = spawnSync(PROMTOOL, [...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw new Error(`promtool ${args.join(' ')}: ${result.error.message}`, { cause: result.error });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

export function readYaml(path: string): unknown {
  return load(readFileSync(path, 'utf8'), { filename: path });
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups: { name: string; rules: (AlertRule | { record: string; expr: string })[] }[];
}

/** Every alerting rule of prometheus/rules/*.yml. */
export function readAlertRules(ruleFiles: readonly string[]): AlertRule[] {
  const alerts: AlertRule[] = [];
  for (const file of ruleFiles) {
    const parsed = readYaml(file) as RuleFile;
    for (const group of parsed.groups) {
      for (const rule of group.rules) if ('alert' in rule) alerts.push(rule);
    }
  }
  return alerts;
}

/** A server process of the monitoring host (Prometheus, node_exporter) on a loopback port. */
export interface RunningServer {
  /** http://127.0.0.1:<port> */
  url: string;
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a binary that takes its listen address as a flag, on a free loopback port, and waits until `readyPath`
 * answers 200. Retries on another port when the chosen one was taken in between (other tests run servers too).
 */
async function startListening(binary: string, args: (listen: string) => string[], readyPath: string,
  chooseAddress: () => Promise<string> = async () => `127.0.0.1:${await freePort()}`): Promise<RunningServer> {
  let lastLog = '';
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const address = await chooseAddress();
    const child = spawn(binary, args(address), { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    const url = `http://${address}`;
    const server: RunningServer = { url, log: () => log, stop: () => stopChild(child, 'SIGTERM', 10_000) };
    for (let wait = 0; wait < 300 && child.exitCode === null; wait += 1) {
      const ready = await fetch(`${url}${readyPath}`).then((response) => response.ok, () => false);
      if (ready) return server;
      await sleep(100);
    }
    await server.stop();
    lastLog = log;
    if (!/address already in use/.test(log)) throw new Error(`${binary} did not become ready on ${url}: ${log}`);
  }
  throw new Error(`${binary}: no free port after 5 attempts: ${lastLog}`);
}

/** Debian's Prometheus on a config file, with its TSDB in `storageDir`; ready when /-/ready answers. */
export function startPrometheus(configFile: string, storageDir: string): Promise<RunningServer> {
  return startListening(PROMETHEUS, (listen) => [`--config.file=${configFile}`, `--storage.tsdb.path=${storageDir}`,
    `--web.listen-address=${listen}`, '--log.level=warn'], '/-/ready');
}

/**
 * A loopback address of its own (127.x.y.z; Linux answers on all of 127/8), so that a server can take its standard
 * port there (node_exporter's 9100, as prometheus.yml expects beside db_analyzer) without meeting other tests.
 */
export function privateLoopbackHost(): string {
  const octet = (): number => 2 + Math.floor(Math.random() * 250);
  return `127.${octet()}.${octet()}.${octet()}`;
}

/**
 * Debian's node_exporter with the textfile collector on `textfileDir`, plus the cpu and stat collectors, listening
 * on `host` at its standard port 9100 (another host is tried if that address is taken).
 */
export function startNodeExporterWithTextfile(textfileDir: string, host: () => string): Promise<RunningServer> {
  return startListening(NODE_EXPORTER, (listen) => ['--collector.disable-defaults', '--collector.textfile',
    `--collector.textfile.directory=${textfileDir}`, '--collector.cpu', '--collector.stat', `--web.listen-address=${listen}`],
  '/metrics', async () => `${host()}:9100`);
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}

/** GET on Prometheus' HTTP API; returns the answer whether it succeeded or not (callers assert on status). */
export async function prometheusApi<T>(server: RunningServer, path: string, params: Record<string, string> = {}): Promise<ApiAnswer<T>> {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(`${server.url}/api/v1/${path}${query ? `?${query}` : ''}`);
  return (await response.json()) as ApiAnswer<T>;
}

export interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}
