// Small validators for YAML documents (config file, tuning profile). Each failure is a ConfigError that names the
// key path, e.g. `check.thresholds.disk_await_ms.warning: expected a number >= 0, got "abc"`.
import { ConfigError } from './errors';

export type YamlMap = Record<string, unknown>;

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}

export function expectMap(value: unknown, path: string): YamlMap {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(path || '(top level)', `expected a mapping, got ${describe(value)}`);
  }
  return value as YamlMap;
}

/** Rejects keys the schema does not know: a misspelt threshold must not silently fall back to a default. */
export function rejectUnknownKeys(map: YamlMap, known: readonly string[], path: string): void {
  for (const key of Object.keys(map)) {
    if (!known.includes(key)) {
      const where = path ? `${path}.${key}` : key;
      throw new ConfigError(where, `unknown key (expected one of: ${known.join(', ')})`);
    }
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function readNumber(map: YamlMap, key: string, path: string, fallback: number, rule: NumberRule = {}): number {
  const value = map[key];
  if (value === undefined || value === null) return fallback;
  return checkNumber(value, join(path, key), rule);
}

export function checkNumber(value: unknown, where: string, rule: NumberRule = {}): number {
  const bounds = [
    rule.min !== undefined ? `>= ${rule.min}` : '',
    rule.max !== undefined ? `<= ${rule.max}` : '',
  ].filter(Boolean);
  const wanted = `${rule.integer ? 'an integer' : 'a number'}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(where, `expected ${wanted}, got ${describe(value)}`);
  }
  if ((rule.integer && !Number.isInteger(value)) || (rule.min !== undefined && value < rule.min) ||
    (rule.max !== undefined && value > rule.max)) {
    throw new ConfigError(where, `expected ${wanted}, got ${describe(value)}`);
  }
  return value;
}

export function readString(map: YamlMap, key: string, path: string, fallback: string): string {
  const value = map[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(join(path, key), `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function readOptionalString(map: YamlMap, key: string, path: string): string | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  return readString(map, key, path, '');
}

export function readBoolean(map: YamlMap, key: string, path: string, fallback: boolean): boolean {
  const value = map[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new ConfigError(join(path, key), `expected true or false, got ${describe(value)}`);
  }
  return value;
}

export function readEnum<T extends string>(
  map: YamlMap, key: string, path: string, allowed: readonly T[], fallback: T,
): T {
  const value = map[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(join(path, key), `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function readStringList(map: YamlMap, key: string, path: string, fallback: readonly string[]): string[] {
  const value = map[key];
  if (value === undefined || value === null) return [...fallback];
  if (!Array.isArray(value)) {
    throw new ConfigError(join(path, key), `expected a list of strings, got ${describe(value)}`);
  }
  return value.map((item, index) => {
    if (typeof item !== 'string' || item === '') {
      throw new ConfigError(join(join(path, key), index), `expected a non-empty string, got ${describe(item)}`);
    }
    return item;
  });
}

/** A warning and a critical level of one figure. */
export interface Thresholds {
  warning: number;
  critical: number;
}

/** `key: {warning, critical}` under `path`, each a number >= 0 (defaults from `fallback`), critical not below warning. */
export function readThresholds(map: YamlMap, key: string, path: string, fallback: Thresholds): Thresholds {
  const where = join(path, key);
  const section = expectMap(map[key], where);
  rejectUnknownKeys(section, ['warning', 'critical'], where);
  const warning = readNumber(section, 'warning', where, fallback.warning, { min: 0 });
  const critical = readNumber(section, 'critical', where, fallback.critical, { min: 0 });
  if (critical < warning) {
    throw new ConfigError(where, `critical (${critical}) must not be below warning (${warning})`);
  }
  return { warning, critical };
}
