// db_textfile runs from cron every minute, a new process each time: without a file between runs its plan cache
// (explain.cache_ttl_seconds) would be empty at every start, and every run would EXPLAIN ANALYZE the top 10 of every
// database again. The file holds the unexpired plans; db_analyzer's server keeps its cache in memory instead.
import { readFile } from 'node:fs/promises';
import { ParseError } from '../core/errors';
import type { PlanReport } from '../core/report';
import { writeFileAtomic } from '../sources/atomic-file';
import { isMissingFile } from '../sources/fsroot';
import type { PlanCache } from './index';

const CACHE_FILE_VERSION = 1;

interface CacheFileEntry {
  key: string;
  expiresAt: number;
  report: PlanReport;
}

function isEntry(value: unknown): value is CacheFileEntry {
  const entry = value as Partial<CacheFileEntry> | null;
  return typeof entry?.key === 'string' && typeof entry.expiresAt === 'number'
    && typeof entry.report === 'object' && entry.report !== null && typeof entry.report.method === 'string'
    && Array.isArray(entry.report.findings);
}

/** Adds the plans of `file` to `cache`; a missing file adds none, an unreadable one is a ParseError naming it. */
export async function loadPlanCache(cache: PlanCache, file: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    if (isMissingFile(error)) return;
    throw new ParseError(`plan cache ${file}: cannot read it`, { cause: error });
  }
  let document: { version?: unknown; entries?: unknown };
  try {
    document = JSON.parse(text) as typeof document;
  } catch (error: unknown) {
    throw new ParseError(`plan cache ${file}: not JSON`, { cause: error });
  }
  if (document.version !== CACHE_FILE_VERSION || !Array.isArray(document.entries) || !document.entries.every(isEntry)) {
    throw new ParseError(`plan cache ${file}: not a version ${CACHE_FILE_VERSION} plan cache`);
  }
  cache.restore(document.entries);
}

/** Writes the plans still valid at `nowMs` to `file`, atomically and readable by root only (plans hold query text). */
export async function savePlanCache(cache: PlanCache, file: string, nowMs: number): Promise<void> {
  await writeFileAtomic(file, JSON.stringify({ version: CACHE_FILE_VERSION, entries: cache.unexpired(nowMs) }), 0o600);
}
