// A fingerprint of a PostgreSQL statement that is the same for its pg_stat_statements text ($1, $2 …) and for any
// run of it with literals: libpg-query's parse tree with constants and parameters made alike and positions dropped,
// hashed. It matches server log entries to pg_stat_statements rows where no query id is logged (PostgreSQL 13, or
// compute_query_id off). libpg-query 17's WASM build has no fingerprint function of its own, hence this one.
// The parser must be loaded (loadPostgresParser) first.
import { createHash } from 'node:crypto';
import { parsePostgres } from './postgres';

/** Parse-tree keys that say where, not what. */
const POSITION_KEYS = new Set(['location', 'stmt_location', 'stmt_len']);

function normalize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalize);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (POSITION_KEYS.has(key)) continue;
    // A constant and a parameter stand for the same thing: any value. (A NULL constant too: pg_stat_statements
    // keeps NULL as it is, so it stays a constant of its own.)
    if ((key === 'A_Const' && !(value as { isnull?: boolean }).isnull) || key === 'ParamRef') {
      out.value = '?';
      continue;
    }
    out[key] = normalize(value);
  }
  return out;
}

/** Hex fingerprint of `sql`; throws the parser's error when the text does not parse. */
export function fingerprintPostgres(sql: string): string {
  return createHash('sha256').update(JSON.stringify(normalize(parsePostgres(sql)))).digest('hex').slice(0, 32);
}
