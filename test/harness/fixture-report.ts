// The hand-built report fixture (see its .source sidecar), read fresh for each caller so tests may mutate it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/core/report';

export const FIXTURE_REPORT_PATH = join(__dirname, '..', 'fixtures', 'reports', 'analyzer-pg15-mariadb.json');

export function fixtureReport(): Report {
  return JSON.parse(readFileSync(FIXTURE_REPORT_PATH, 'utf8')) as Report;
}
