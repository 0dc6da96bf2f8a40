// A stand-in for a MariaDB 10.11 session of a read-only account, answering the MariaDB EXPLAIN runner's statements by
// name: every ANALYZE/EXPLAIN returns a real MariaDB 10.11 ANALYZE FORMAT=JSON fixture, or fails as the test says.
// For unit tests of what the runner and the plan cache do with outcomes; the real server's behaviour is in
// test/integration/explain-mariadb.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryError, Row, SqlSession } from '../../src/sources/sql';

const PLAN = readFileSync(join(__dirname, '..', 'fixtures', 'plans', 'mariadb', '01-full-table-scan-mariadb10.11.plan.json'), 'utf8');

/** `failure` is asked at each EXPLAIN: an error to throw, or null for the plan; `explains` counts them. */
export function mariadbExplainStandIn(failure: () => QueryError | null, locksReleased = 0): SqlSession & { explains: number } {
  const session = {
    explains: 0,
    async query<R extends Row = Row>(name: string): Promise<R[]> {
      const rows: Record<string, Row[]> = {
        VERSION_SQL: [{ version: '10.11.19-MariaDB-0+deb12u1' }],
        CURRENT_ROLE_SQL: [{ role: null, account: 'db_sentinel@localhost' }],
        ACCOUNT_PRIVILEGES_SQL: [{ privilege: 'SELECT', grantable: 'NO' }, { privilege: 'PROCESS', grantable: 'NO' }],
        VIEW_DEFINITIONS_SQL: [],
        RELEASE_ALL_LOCKS_SQL: [{ released: locksReleased }],
      };
      if (name === 'ANALYZE_FORMAT_JSON' || name === 'EXPLAIN_FORMAT_JSON') {
        session.explains += 1;
        const error = failure();
        if (error !== null) throw error;
        return [{ ANALYZE: PLAN }] as unknown as R[];
      }
      const answer = rows[name];
      if (answer === undefined) throw new Error(`unexpected statement ${name}`);
      return answer as R[];
    },
    readOnly<T>(work: (inner: SqlSession) => Promise<T>): Promise<T> {
      return work(session);
    },
    queriesSent: 0,
    async close() {},
  };
  return session;
}

