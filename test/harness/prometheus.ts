// Debian's promtool and Prometheus for the tests of prometheus/ and grafana/ (the binaries of the monitoring host).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

export const REPO_ROOT = join(__dirname, '..', '..');
export const PROMETHEUS_DIR = join(REPO_ROOT, 'prometheus');
export const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
export const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';

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
