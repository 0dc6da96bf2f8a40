// The cron commands (db_textfile, db_beacon on a host without the daemon) start a new process every minute: without
// a file between runs their DigestTextCache would be empty at every start, and every run on MariaDB/MySQL would read
// the digest summary twice (the ranking, then the texts of its top digests), and never whole when it is small. The
// file keeps what serve keeps in memory: the texts of the top digests (a digest's text never changes) and the size of
// each database's summary. Its texts go into the report, so it is read only when it is ours alone (readOwnFile).
import { join } from 'node:path';
import { errorMessage, ParseError } from '../../core/errors';
import { writeFileAtomic } from '../../sources/atomic-file';
import { readOwnFile } from '../../sources/own-file';
import type { DigestTextCache, DigestTextSnapshot } from './mysql';

const FILE_VERSION = 1;

/** Characters of text a cron command keeps (serve keeps 1 Mi): the top lists of a few databases, written every run. */
export const CRON_DIGEST_TEXT_CHARACTERS = 64 * 1024;

export function digestTextsPath(stateDir: string): string {
  return join(stateDir, 'digest-texts.json');
}

function isSnapshot(value: unknown): value is DigestTextSnapshot {
  const snapshot = value as Partial<DigestTextSnapshot> | null;
  return Array.isArray(snapshot?.texts) && Array.isArray(snapshot.sizes)
    && snapshot.texts.every((entry) => Array.isArray(entry) && entry.length === 3
      && entry.every((part) => typeof part === 'string'))
    && snapshot.sizes.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string'
      && Number.isSafeInteger(entry[1]) && entry[1] >= 0);
}

/** Adds the texts and sizes of `file` to `cache`; a missing file adds none, any other a ParseError naming it. */
export async function loadDigestTexts(cache: DigestTextCache, file: string): Promise<void> {
  let text: string | undefined;
  try {
    text = await readOwnFile(file);
  } catch (error: unknown) {
    throw new ParseError(`digest texts: ${errorMessage(error)}`, { cause: error });
  }
  if (text === undefined) return;
  let document: { version?: unknown; cache?: unknown };
  try {
    document = JSON.parse(text) as typeof document;
  } catch (error: unknown) {
    throw new ParseError(`digest texts ${file}: not JSON`, { cause: error });
  }
  if (document.version !== FILE_VERSION || !isSnapshot(document.cache)) {
    throw new ParseError(`digest texts ${file}: not a version ${FILE_VERSION} digest text file`);
  }
  cache.restore(document.cache);
}

/** Writes `cache` to `file`, atomically and readable by its owner only (digest texts name tables and columns). */
export async function saveDigestTexts(cache: DigestTextCache, file: string): Promise<void> {
  await writeFileAtomic(file, JSON.stringify({ version: FILE_VERSION, cache: cache.snapshot() }), 0o600);
}
