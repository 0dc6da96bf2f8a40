// The agent's own MySQL/MariaDB statements must stay out of the digest rankings it reports. The filter knows them by
// their digest text, which performance_schema cuts at performance_schema_max_digest_length (1,024 bytes by default):
// the marker has to come early in every statement (MY_DIGEST_COLLECT_MARIADB once had it only in its last SELECT).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as sql from '../../../src/collectors/db/mysql-sql';

/** Where the marker must appear: the digest text quotes identifiers and spaces tokens, so 300 characters of SQL stay
 * well inside 1,024 bytes of digest. */
const MARKER_WITHIN = 300;

const TABLES: readonly sql.HistoryTable[] = ['events_statements_current', 'events_statements_history', 'events_statements_history_long'];

/** Every statement the module makes: its constants and what its functions return. */
const statements: Record<string, string> = {
  ...Object.fromEntries(Object.entries(sql).filter((entry): entry is [string, string] =>
    typeof entry[1] === 'string' && /^\(?\s*(SELECT|WITH|SHOW)\b/i.test(entry[1]))),
  digestTextsSql: sql.digestTextsSql(20),
  historySamplesSql: sql.historySamplesSql(TABLES, 20),
  historySamplesSql57: sql.historySamplesSql57(TABLES, 20),
  mysqlDigestTopSql_mysql8: sql.mysqlDigestTopSql('mysql', 8),
  mysqlDigestTopSql_mariadb: sql.mysqlDigestTopSql('mariadb', 10),
};

/** Whether `text` matches a LIKE pattern of OWN_STATEMENT_PREFIXES (`%` any run, `\\_` a literal underscore;
 * case-insensitive, as the column's collation compares). */
function likeMatches(pattern: string, text: string): boolean {
  const parts = pattern.replace(/\\_/g, '_').split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 'is').test(text);
}

describe('MySQL and MariaDB statements of the collector', () => {
  it('finds the statements to check', () => {
    assert.ok(Object.keys(statements).length >= 15, Object.keys(statements).join(', '));
    assert.ok('MY_DIGEST_COLLECT_MARIADB' in statements && 'MY_BUFFER_POOL' in statements);
  });

  for (const [name, text] of Object.entries(statements)) {
    it(`${name}: known as the agent's own from its first ${MARKER_WITHIN} characters`, () => {
      const head = text.slice(0, MARKER_WITHIN);
      const byPrefix = sql.OWN_STATEMENT_PREFIXES.some((prefix) => likeMatches(prefix, text));
      assert.ok(head.includes('db_sentinel') || byPrefix, `${name}: ${head}`);
    });
  }
});
