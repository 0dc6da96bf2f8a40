// Builds a validated db_sentinel config for harness servers, with each password in its own password_file (as on a
// host: never in the URL). cleanup() removes the files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/core/config';

export interface TestDatabase {
  name: string;
  engine: 'postgresql' | 'mysql';
  /** URL with or without a password; a password is moved to a password_file. */
  url: string;
  connect_timeout_seconds?: number;
  statement_timeout_seconds?: number;
  /** Overrides the password file path (e.g. a missing one). */
  password_file?: string;
  /** databases[].slow_log (MySQL/MariaDB): a path or off. */
  slow_log?: string;
}

export interface TestConfig {
  config: Config;
  /** The YAML-equivalent document (for writing a config file for the CLI). */
  document: Record<string, unknown>;
  dir: string;
  cleanup(): void;
}

export function testConfig(databases: TestDatabase[], extra: Record<string, unknown> = {}): TestConfig {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-config-'));
  const entries = databases.map((db) => {
    const url = new URL(db.url);
    const entry: Record<string, unknown> = { name: db.name, engine: db.engine };
    if (url.password) {
      const file = join(dir, `${db.name}.pass`);
      writeFileSync(file, `${decodeURIComponent(url.password)}\n`, { mode: 0o600 });
      entry.password_file = file;
      url.password = '';
    }
    if (db.password_file !== undefined) entry.password_file = db.password_file;
    entry.url = url.toString();
    if (db.connect_timeout_seconds !== undefined) entry.connect_timeout_seconds = db.connect_timeout_seconds;
    if (db.statement_timeout_seconds !== undefined) entry.statement_timeout_seconds = db.statement_timeout_seconds;
    if (db.slow_log !== undefined) entry.slow_log = db.slow_log;
    return entry;
  });
  const document = { ...extra, databases: entries };
  return { config: parseConfig(document, join(dir, 'config.yml')), document, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
