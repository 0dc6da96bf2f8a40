// Whom a PostgreSQL EXPLAIN runs as, with which search_path, and what a failure says (issue 11, items 2 to 4).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { authorSearchPath, chooseExplainIdentity, chooseWriteIdentity, describeExplainError } from '../../../src/explain/postgres';
import { QueryError } from '../../../src/sources/sql';
import { explainPrivilegeProblem } from '../../../src/explain';
import { EXPLAIN_DENIED } from '../../../src/explain/plan-report';
import type { SlowQuery } from '../../../src/core/report';

const ordinary = { name: 'db_sentinel', superuser: false, bypass_rls: false };
const goodRole = { superuser: false, bypass_rls: false, can_login: false, member: true };

describe('PostgreSQL EXPLAIN identity: never more rights than the author', () => {
  it('an ordinary agent without explain.role explains as itself', () => {
    assert.deepEqual(chooseExplainIdentity(ordinary, undefined, null), { role: null });
  });

  it('a superuser or BYPASSRLS agent without explain.role explains nothing, and the reason gives the setup', () => {
    for (const agent of [{ ...ordinary, superuser: true }, { ...ordinary, bypass_rls: true }]) {
      const identity = chooseExplainIdentity(agent, undefined, null);
      assert.ok('refusal' in identity);
      assert.match(identity.refusal, /explain\.role is not set/);
      assert.match(identity.refusal, /CREATE ROLE db_sentinel_explain NOLOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO db_sentinel_explain; GRANT db_sentinel_explain TO db_sentinel/);
    }
  });

  it('explain.role is used only when it exists, is NOLOGIN, not superuser, not BYPASSRLS, and the agent may SET ROLE to it', () => {
    const agent = { ...ordinary, superuser: true };
    assert.deepEqual(chooseExplainIdentity(agent, 'x_explain', goodRole), { role: 'x_explain' });
    const refusal = (row: typeof goodRole | null): string => {
      const identity = chooseExplainIdentity(agent, 'x_explain', row);
      return 'refusal' in identity ? identity.refusal : '(used)';
    };
    assert.match(refusal(null), /explain\.role x_explain does not exist/);
    assert.match(refusal({ ...goodRole, superuser: true }), /is a superuser/);
    assert.match(refusal({ ...goodRole, bypass_rls: true }), /NOBYPASSRLS/);
    assert.match(refusal({ ...goodRole, can_login: true }), /ALTER ROLE x_explain NOLOGIN/);
    assert.match(refusal({ ...goodRole, member: false }), /GRANT x_explain TO db_sentinel/);
  });

  it('writes (plain EXPLAIN of INSERT/UPDATE/DELETE) are planned as explain.write_role, validated the same way', () => {
    const agent = { ...ordinary, superuser: true };
    assert.deepEqual(chooseWriteIdentity(agent, { role: 'x_explain', write_role: 'x_write' }, goodRole), { role: 'x_write' });
    const refusal = (config: { role?: string; write_role?: string }, row: typeof goodRole | null, who = agent): string => {
      const identity = chooseWriteIdentity(who, config, row);
      return 'refusal' in identity ? identity.refusal : '(used)';
    };
    assert.match(refusal({ role: 'x_explain', write_role: 'x_write' }, null),
      /explain\.write_role x_write does not exist\. Set up: CREATE ROLE x_write NOLOGIN; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO x_write/);
    assert.match(refusal({ write_role: 'x_write' }, { ...goodRole, superuser: true }), /explain\.write_role x_write is a superuser/);
    assert.match(refusal({ write_role: 'x_write' }, { ...goodRole, can_login: true }), /ALTER ROLE x_write NOLOGIN/);
    // explain.role reads only: without explain.write_role, writes are not planned, and the reason gives the setup.
    assert.match(refusal({ role: 'x_explain' }, null), /explain\.role x_explain reads only; .*CREATE ROLE db_sentinel_explain_write NOLOGIN/);
    // Neither role: as for reads, an ordinary agent plans as itself, a superuser plans nothing.
    assert.deepEqual(chooseWriteIdentity(ordinary, {}, null), { role: null });
    assert.match(refusal({}, null), /explain\.role is not set/);
  });
});

describe('the search_path of the EXPLAIN', () => {
  it("is the author's, with $user made the author (the EXPLAIN runs as another role)", () => {
    assert.equal(authorSearchPath(null, 'app'), '"app", public');
    assert.equal(authorSearchPath('shop, public', 'app'), 'shop, public');
    assert.equal(authorSearchPath('$user, public', 'we"ird'), '"we""ird", public');
    assert.equal(authorSearchPath(null, null), '"$user", public');
  });
});

describe('a failed EXPLAIN in our own words', () => {
  it('keeps the SQLSTATE and drops the server text, which can quote data', () => {
    const error = new QueryError('main', 'EXPLAIN', '22P02', false, 'invalid input syntax for type integer: "TOPSECRET"');
    const text = describeExplainError(error);
    assert.match(text, /^SQLSTATE 22P02 \(data exception\)/);
    assert.equal(text.includes('TOPSECRET'), false);
    assert.match(describeExplainError(new QueryError('main', 'EXPLAIN', '57014', true, 'canceling statement')), /explain\.statement_timeout_ms/);
    assert.match(describeExplainError(new QueryError('main', 'EXPLAIN', 'P0001', false, 'leak: TOPSECRET')), /^SQLSTATE P0001 \(raised exception\)/);
    assert.equal(describeExplainError(new QueryError('main', 'EXPLAIN', null, false, 'socket hang up TOPSECRET')).includes('TOPSECRET'), false);
  });
});

describe('the explain_permission_denied problem', () => {
  const denied = (reason: string): SlowQuery => ({
    rank: 1, id: '1', query: 'q', calls: 2, mean_ms: 1, total_ms: 2, max_ms: null, rows: 1, sample: null,
    plan: { method: 'skipped', reason, findings: [], summary: `skipped: ${reason}`, captured_at: '2026-01-01T00:00:00.000Z' },
  });

  it('gives the SELECT grant for a read, and the write role setup when a write was denied', () => {
    const read = explainPrivilegeProblem([denied(`${EXPLAIN_DENIED}SQLSTATE 42501 (insufficient privilege)`)], 'postgresql', 'x_explain');
    assert.match(read?.remedy ?? '', /^GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO x_explain;/);
    const write = explainPrivilegeProblem([denied(`${EXPLAIN_DENIED}SQLSTATE 42501 (insufficient privilege); a plain EXPLAIN of UPDATE needs UPDATE on orders`)], 'postgresql', 'x_explain');
    assert.match(write?.remedy ?? '', /^GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO x_explain;.*; a plain EXPLAIN of INSERT\/UPDATE\/DELETE needs that privilege too: CREATE ROLE db_sentinel_explain_write NOLOGIN; GRANT SELECT, INSERT, UPDATE, DELETE/);
    assert.equal(explainPrivilegeProblem([denied('refused by the gate')], 'postgresql'), null);
  });
});
