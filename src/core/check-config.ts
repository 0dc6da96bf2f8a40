// The configuration file (/etc/db_sentinel/config.yml, rendered by Salt from pillar `db_sentinel`): reading it, and the
// `check` section, all that db_check needs. The analyzer's sections (databases, explain, server, health, tuning …)
// are parsed by ./config.ts on top of this; db_check's bundle carries none of their code or defaults. A missing file
// at the default path means defaults; an invalid one is a ConfigError naming the key (the commands exit UNKNOWN).
// Every default is documented beside it with its reason; pillar.example documents the same keys.
import { readFileSync } from 'node:fs';
import { ConfigError } from './errors';
import {
  describe, expectMap, join, readEnum, readNumber, readString, readStringList, readThresholds, rejectUnknownKeys,
  type Thresholds,
} from './validate';

export const DEFAULT_CONFIG_PATH = '/etc/db_sentinel/config.yml';

/** The sections of the config file; every command accepts the whole file, an unknown section is an error. */
export const CONFIG_SECTIONS = ['check', 'databases', 'slow_queries', 'explain', 'server', 'textfile', 'beacon', 'tuning',
  'state_dir', 'health'];

export interface CheckConfig {
  /** Length of the vmstat/iostat interval sample, seconds. */
  sample_seconds: number;
  /** How long any one command may run beyond the sample interval before it is stopped, seconds. */
  command_timeout_seconds: number;
  thresholds: {
    run_queue_per_cpu: Thresholds;
    context_switches_per_cpu: Thresholds;
    disk_await_ms: Thresholds;
    disk_util_percent: Thresholds;
    /** PSI "some" avg60 of each resource, percent of wall time (the pressure check). */
    pressure_cpu_some_percent: Thresholds;
    pressure_io_some_percent: Thresholds;
    pressure_memory_some_percent: Thresholds;
  };
  /** Status when any swap is in use. */
  swap_used_status: 'warning' | 'critical';
  /** systemd units of the database; empty means "whichever of the usual units exist". */
  services: string[];
  /** Block devices to leave out of disk checks (regular expressions on the device name). */
  ignore_devices: string[];
  /** Lock file that keeps two overlapping cron runs from piling up. */
  lock_file: string;
}

export const DEFAULT_CHECK: CheckConfig = {
  sample_seconds: 1,
  command_timeout_seconds: 10,
  thresholds: {
    // Runnable threads per CPU: above 2 work queues for CPU, above 4 latency suffers visibly (Gregg, Systems
    // Performance, "load/CPU > 2 warrants investigation").
    run_queue_per_cpu: { warning: 2, critical: 4 },
    // Context switches per CPU per second: tens of thousands are normal for a busy database; beyond 50k per core
    // the kernel spends real time switching (lock contention, too many backends).
    context_switches_per_cpu: { warning: 30000, critical: 60000 },
    // Mean I/O time: SSDs answer in < 1 ms and disks in ~10 ms; 20 ms is slow storage, 50 ms hurts commits.
    disk_await_ms: { warning: 20, critical: 50 },
    // %util near 100 means the device was busy all interval (for a single-queue device, saturated).
    disk_util_percent: { warning: 80, critical: 95 },
    // Share of the last minute some task waited. CPU: on a busy host runnable tasks queue often; past half the time
    // a core is short. I/O: every such wait stalls a query or a commit. Memory: waits on reclaim or swap-in are
    // direct latency; systemd-oomd acts at 60% (full) by default, long before that a database is in trouble.
    pressure_cpu_some_percent: { warning: 30, critical: 70 },
    pressure_io_some_percent: { warning: 20, critical: 50 },
    pressure_memory_some_percent: { warning: 10, critical: 30 },
  },
  // The plan: any swap in use is a non-zero exit.
  swap_used_status: 'critical',
  services: [],
  // Loop, RAM and device-mapper snapshot devices say nothing about the database's storage.
  ignore_devices: ['^loop\\d+$', '^ram\\d+$', '^zram\\d+$', '^sr\\d+$'],
  lock_file: '/run/lock/db_sentinel-check.lock',
};

/** db_check's part of the config: where it came from, and the check section. */
export interface CheckCommandConfig {
  source: string;
  check: CheckConfig;
}

export function parseCheck(value: unknown): CheckConfig {
  const path = 'check';
  const map = expectMap(value, path);
  rejectUnknownKeys(map, ['sample_seconds', 'command_timeout_seconds', 'thresholds', 'swap_used_status', 'services',
    'ignore_devices', 'lock_file'], path);
  const thresholdsPath = join(path, 'thresholds');
  const thresholds = expectMap(map.thresholds, thresholdsPath);
  const defaults = DEFAULT_CHECK.thresholds;
  rejectUnknownKeys(thresholds, Object.keys(defaults), thresholdsPath);
  const ignoreDevices = readStringList(map, 'ignore_devices', path, DEFAULT_CHECK.ignore_devices);
  ignoreDevices.forEach((pattern, index) => {
    try {
      new RegExp(pattern);
    } catch (error: unknown) {
      throw new ConfigError(join(join(path, 'ignore_devices'), index), `not a regular expression: ${describe(pattern)}`,
        { cause: error });
    }
  });
  return {
    sample_seconds: readNumber(map, 'sample_seconds', path, DEFAULT_CHECK.sample_seconds, { min: 1, max: 60, integer: true }),
    command_timeout_seconds: readNumber(map, 'command_timeout_seconds', path, DEFAULT_CHECK.command_timeout_seconds,
      { min: 1, max: 300 }),
    thresholds: {
      run_queue_per_cpu: readThresholds(thresholds, 'run_queue_per_cpu', thresholdsPath, defaults.run_queue_per_cpu),
      context_switches_per_cpu: readThresholds(thresholds, 'context_switches_per_cpu', thresholdsPath,
        defaults.context_switches_per_cpu),
      disk_await_ms: readThresholds(thresholds, 'disk_await_ms', thresholdsPath, defaults.disk_await_ms),
      disk_util_percent: readThresholds(thresholds, 'disk_util_percent', thresholdsPath, defaults.disk_util_percent),
      pressure_cpu_some_percent: readThresholds(thresholds, 'pressure_cpu_some_percent', thresholdsPath,
        defaults.pressure_cpu_some_percent),
      pressure_io_some_percent: readThresholds(thresholds, 'pressure_io_some_percent', thresholdsPath,
        defaults.pressure_io_some_percent),
      pressure_memory_some_percent: readThresholds(thresholds, 'pressure_memory_some_percent', thresholdsPath,
        defaults.pressure_memory_some_percent),
    },
    swap_used_status: readEnum(map, 'swap_used_status', path, ['warning', 'critical'], DEFAULT_CHECK.swap_used_status),
    services: readStringList(map, 'services', path, DEFAULT_CHECK.services),
    ignore_devices: ignoreDevices,
    lock_file: readString(map, 'lock_file', path, DEFAULT_CHECK.lock_file),
  };
}

/** db_check's config from a parsed document: the whole file's sections are known, only `check` is read. */
export function parseCheckCommandConfig(document: unknown, source: string): CheckCommandConfig {
  rejectUnknownKeys(expectMap(document, ''), CONFIG_SECTIONS, '');
  return { source, check: parseCheck(expectMap(document, '').check) };
}

/**
 * Salt renders the config file as JSON (which is YAML too): JSON.parse reads it without loading a YAML parser, a
 * start-up cost the cron commands pay every minute. A hand-written YAML file is read by js-yaml, loaded then.
 */
function parseDocument(text: string, source: string): unknown {
  if (!text.trimStart().startsWith('{')) return parseYaml(text, source);
  try {
    return JSON.parse(text);
  } catch {
    // A YAML flow mapping need not be JSON: js-yaml decides, and its error is the one to report.
    return parseYaml(text, source);
  }
}

function parseYaml(text: string, source: string): unknown {
  const { load } = require('js-yaml') as typeof import('js-yaml');
  return load(text, { filename: source });
}

/** The parsed document of the config file at `path` (default: /etc/db_sentinel/config.yml, which may be missing: then
 * an empty document, the defaults), or a ConfigError naming the file. */
export function readConfigDocument(path: string | undefined): { document: unknown; source: string } {
  const file = path ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    // One small file read before anything else runs: the synchronous read spares the cron commands fs/promises.
    text = readFileSync(file, 'utf8');
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' && path === undefined) return { document: {}, source: '(defaults)' };
    throw new ConfigError('(file)', `cannot read ${file}: ${code ?? String(error)}`, { cause: error });
  }
  return { document: parseConfigDocument(text, file), source: file };
}

/** The document of a config file's text: JSON or YAML, or a ConfigError. */
export function parseConfigDocument(text: string, source: string): unknown {
  try {
    return parseDocument(text, source);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError('(file)', `${source} is not valid YAML: ${reason}`, { cause: error });
  }
}

/** db_check's config file. */
export async function loadCheckConfig(path: string | undefined): Promise<CheckCommandConfig> {
  const { document, source } = readConfigDocument(path);
  return parseCheckCommandConfig(document, source);
}
