// PostgreSQL's own parser (libpg-query, WASM), loaded on first use: the analyzer's server keeps its memory small on
// hosts with no PostgreSQL, and db_check never loads it. Callers await loadPostgresParser() once, then
// parse synchronously.
import { DbSentinelError } from '../../core/errors';

type LibpgQuery = typeof import('libpg-query');

/** A parse asked for before loadPostgresParser() finished: a programming error, never a verdict on the SQL. */
export class ParserNotLoadedError extends DbSentinelError {}

let parser: LibpgQuery | null = null;
let loading: Promise<void> | null = null;

export function loadPostgresParser(): Promise<void> {
  // require, not import(): the bundle is CommonJS, and libpg-query's CommonJS entry is the one whose WASM the build
  // embeds (src/build-libpg-query.ts); require inside the function is what defers loading to first use.
  loading ??= (async () => {
    const module = require('libpg-query') as LibpgQuery;
    await module.loadModule();
    parser = module;
  })();
  return loading;
}

/** libpg-query's parse tree of `sql`; throws its syntax error as it is. */
export function parsePostgres(sql: string): unknown {
  if (parser === null) throw new ParserNotLoadedError('the PostgreSQL parser is not loaded: await loadPostgresParser() first');
  return parser.parseSync(sql);
}
