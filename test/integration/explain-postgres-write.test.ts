// Plain EXPLAIN of INSERT/UPDATE/DELETE on real PostgreSQL 13 and 17. Measured first (see the gate's header): planning
// folds an IMMUTABLE user function in a column default or generated column and evaluates a DO INSTEAD rule's action
// and an RLS policy, before the privilege check; EXPLAIN of a write needs that write privilege. So:
//   - an application role `app` runs writes through the pg driver with bound parameters, some on tables whose default,
//     generated column, trigger, trigger WHEN clause, rule or RLS policy calls `planted_payload()`, an IMMUTABLE
//     function that writes a WARNING with its tag to the server log (observable whatever transaction it ran in);
//   - the collector (superuser, explain.role reading only, explain.write_role with the write privileges) plans the
//     clean writes (generic plans of the bound text, plain EXPLAIN of literal samples: method `explain`, findings on
//     the scan under the ModifyTable node) and refuses the planted ones by name and rule;
//   - nothing ran: no payload line in the log, table counters and contents unchanged; a control EXPLAIN as superuser
//     then writes the payload line, proving the refused statements would have run it;
//   - a write whose author lost the privilege is refused, and without explain.write_role the reason gives the setup.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import { explainSlowQueries, PlanCache } from '../../src/explain';
import { DEFAULT_EXPLAIN, type ExplainConfig } from '../../src/core/config';
import type { DatabaseReport, SlowQuery } from '../../src/core/report';
import { openPostgres } from '../../src/sources/postgres';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { waitUntil } from '../../src/demo/local-server';
import { startPostgres, type PostgresMajor, type PostgresServer } from '../../src/demo/embedded-postgres';

const PAYLOAD_MARK = 'planted payload ran:';

const SCHEMA = [
  'CREATE EXTENSION IF NOT EXISTS pg_stat_statements',
  `CREATE ROLE app LOGIN PASSWORD 'app'`,
  `CREATE FUNCTION planted_payload(tag text, value integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS
     $$ BEGIN RAISE WARNING '${PAYLOAD_MARK} %', tag; RETURN value; END $$`,
  `CREATE FUNCTION planted_trigger() RETURNS trigger LANGUAGE plpgsql AS
     $$ BEGIN RAISE WARNING '${PAYLOAD_MARK} trigger'; RETURN NEW; END $$`,
  // Clean: built-in defaults (a sequence), an index, 20k rows, an unindexed column for a finding.
  'CREATE TABLE accounts (id serial PRIMARY KEY, balance integer NOT NULL, region integer NOT NULL, note text DEFAULT now()::text)',
  'INSERT INTO accounts (balance, region) SELECT g % 1000, g % 50 FROM generate_series(1, 20000) g',
  'CREATE TABLE ledger (id integer PRIMARY KEY, account_id integer NOT NULL, amount integer NOT NULL)',
  'INSERT INTO ledger SELECT g, 1 + g % 20000, g % 100 FROM generate_series(1, 5000) g',
  // Planted: the payload in a default, a generated column, a trigger, a trigger's WHEN, a rule, an RLS policy.
  `CREATE TABLE w_default (id integer, v integer DEFAULT planted_payload('default', 1))`,
  `CREATE TABLE w_generated (id integer, v integer GENERATED ALWAYS AS (planted_payload('generated', id)) STORED)`,
  'INSERT INTO w_generated (id) SELECT g FROM generate_series(1, 10) g',
  'CREATE TABLE w_trigger (id integer, v integer)',
  'INSERT INTO w_trigger SELECT g, g FROM generate_series(1, 10) g',
  'CREATE TRIGGER planted BEFORE UPDATE ON w_trigger FOR EACH ROW EXECUTE FUNCTION planted_trigger()',
  'CREATE TABLE w_when (id integer, v integer)',
  'INSERT INTO w_when SELECT g, g FROM generate_series(1, 10) g',
  `CREATE TRIGGER planted BEFORE UPDATE ON w_when FOR EACH ROW WHEN (planted_payload('when', NEW.v) > 0)
     EXECUTE FUNCTION suppress_redundant_updates_trigger()`,
  'CREATE TABLE w_rule (id integer, v integer)',
  `CREATE RULE planted AS ON DELETE TO w_rule DO INSTEAD SELECT planted_payload('rule', 1)`,
  'CREATE TABLE w_rls (id integer, v integer)',
  'INSERT INTO w_rls SELECT g, g FROM generate_series(1, 10) g',
  'ALTER TABLE w_rls ENABLE ROW LEVEL SECURITY',
  `CREATE POLICY planted ON w_rls USING (planted_payload('rls', id) > 0)`,
  'CREATE VIEW w_view AS SELECT id, balance FROM accounts',
  'CREATE TABLE revoked (id integer PRIMARY KEY, v integer)',
  'INSERT INTO revoked SELECT g, g FROM generate_series(1, 100) g',
  'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app',
  'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app',
  'ANALYZE',
];

/** What `app` runs, each three times with bound parameters (extended protocol, as ORMs send them). */
const WRITES: Array<{ name: string; sql: string; params: unknown[] }> = [
  { name: 'update_by_key', sql: 'UPDATE accounts SET balance = balance + $1 WHERE id = $2', params: [1, 7] },
  { name: 'update_unindexed', sql: 'UPDATE accounts SET note = $1 WHERE balance = $2 AND region = $3', params: ['x', 999, 3] },
  { name: 'insert', sql: 'INSERT INTO ledger (id, account_id, amount) VALUES ($1, $2, $3)', params: [900001, 1, 5] },
  { name: 'delete_using', sql: 'DELETE FROM ledger l USING accounts a WHERE a.id = l.account_id AND a.region = $1 AND l.amount > $2', params: [17, 1000] },
  { name: 'default', sql: 'INSERT INTO w_default (id) VALUES ($1)', params: [1] },
  { name: 'generated', sql: 'UPDATE w_generated SET id = id + $1 WHERE id = $2', params: [0, 1] },
  { name: 'trigger', sql: 'UPDATE w_trigger SET v = v + $1 WHERE id = $2', params: [0, 1] },
  { name: 'when', sql: 'UPDATE w_when SET v = v + $1 WHERE id = $2', params: [0, 1] },
  { name: 'rule', sql: 'DELETE FROM w_rule WHERE id = $1', params: [1] },
  { name: 'rls', sql: 'UPDATE w_rls SET v = v + $1 WHERE id = $2', params: [0, 1] },
  { name: 'view', sql: 'UPDATE w_view SET balance = balance + $1 WHERE id = $2', params: [0, 1] },
  { name: 'revoked', sql: 'DELETE FROM revoked WHERE id = $1', params: [1] },
];

const EXPLAIN_ROLE = 'db_sentinel_explain';
const WRITE_ROLE = 'db_sentinel_explain_write';
const EXPLAIN: ExplainConfig = { ...DEFAULT_EXPLAIN, statement_timeout_ms: 5000, budget_seconds: 120, role: EXPLAIN_ROLE, write_role: WRITE_ROLE };

function payloadLines(server: PostgresServer): string[] {
  return readFileSync(server.logFile, 'utf8').split('\n').filter((line) => line.includes(PAYLOAD_MARK));
}

/** Writes a marker through the server log and waits for it: every line logged before it is in the file then. */
async function flushLog(server: PostgresServer, marker: string): Promise<void> {
  await server.query(`DO $$ BEGIN RAISE WARNING 'db_sentinel log flush ${marker}'; END $$`);
  await waitUntil(`the server log to show flush ${marker}`, async () =>
    (readFileSync(server.logFile, 'utf8').includes(`db_sentinel log flush ${marker}`) ? true : undefined));
}

async function contents(server: PostgresServer): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of ['accounts', 'ledger', 'w_default', 'w_generated', 'w_trigger', 'w_when', 'w_rule', 'w_rls', 'revoked']) {
    const [row] = await server.query<{ sum: string }>(
      `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS sum FROM ${table} t`);
    result[table] = row?.sum ?? '';
  }
  return result;
}

function byName(queries: SlowQuery[], name: string): SlowQuery {
  const write = WRITES.find((entry) => entry.name === name);
  const found = queries.find((query) => query.query === write?.sql);
  assert.ok(found, `${name} (${write?.sql}) is not ranked: ${queries.map((query) => query.query).join(' | ')}`);
  return found;
}

for (const major of [13, 17] as PostgresMajor[]) {
  describe(`plain EXPLAIN of INSERT/UPDATE/DELETE: PostgreSQL ${major}`, () => {
    let server: PostgresServer;
    let setup: TestConfig;
    let report: DatabaseReport;
    let before_: Record<string, string>;
    let after_: Record<string, string>;
    let payloadBefore: string[];
    let payloadAfter: string[];
    let samples: SlowQuery[];

    before(async () => {
      server = await startPostgres(major);
      for (const statement of SCHEMA) await server.query(statement);
      await server.query(`CREATE ROLE ${EXPLAIN_ROLE} NOLOGIN`);
      await server.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${EXPLAIN_ROLE}`);
      await server.query(`CREATE ROLE ${WRITE_ROLE} NOLOGIN`);
      await server.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${WRITE_ROLE}`);
      const { Client } = await import('pg');
      const app = new Client({ connectionString: server.url('postgres', 'app', 'app') });
      await app.connect();
      try {
        for (let run = 0; run < 3; run += 1) {
          for (const write of WRITES) {
            await app.query('BEGIN');
            await app.query(write.sql, write.params);
            await app.query('ROLLBACK');
          }
        }
      } finally {
        await app.end();
      }
      // The author loses DELETE on one table after running there.
      await server.query('REVOKE DELETE ON revoked FROM app');
      await flushLog(server, 'before');
      payloadBefore = payloadLines(server);
      before_ = await contents(server);

      setup = testConfig([{ name: 'main', engine: 'postgresql', url: server.url() }]);
      const database = setup.config.databases[0]!;
      report = await collectDatabase(database, { limit: 50, min_calls: 2 }, DEFAULT_OPENERS.postgresql, { config: EXPLAIN, cache: new PlanCache() });
      // Literal samples of the same writes (as pg_stat_activity or the server log would show them).
      samples = [
        { sql: "UPDATE accounts SET note = 'x' WHERE balance = 999 AND region = 3", id: 'sample-unindexed' },
        { sql: 'INSERT INTO w_default (id) VALUES (5)', id: 'sample-default' },
        { sql: 'DELETE FROM w_rule WHERE id = 5', id: 'sample-rule' },
      ].map(({ sql, id }, index) => ({
        rank: index + 1, id, query: sql, calls: 5, mean_ms: 50, total_ms: 250, max_ms: 60, rows: 5, sample: sql,
        sample_source: 'test corpus', user: 'app',
      }));
      const session = await openPostgres(database);
      try {
        await explainSlowQueries(samples, { database: 'main', engine: 'postgresql', session, config: EXPLAIN, cache: new PlanCache() });
      } finally {
        await session.close();
      }
      await flushLog(server, 'after');
      payloadAfter = payloadLines(server);
      after_ = await contents(server);
    });
    after(async () => {
      setup?.cleanup();
      await server?.stop();
    });

    it('ranks every write of the author', () => {
      assert.equal(report.up, true, report.error);
      for (const write of WRITES) assert.equal(byName(report.slow_queries, write.name).user, 'app');
    });

    it('plans the clean writes without running them: generic plans of the bound text, plain EXPLAIN of a literal sample', () => {
      for (const name of ['update_by_key', 'update_unindexed', 'insert', 'delete_using']) {
        const plan = byName(report.slow_queries, name).plan;
        assert.equal(plan?.method, 'generic_explain', `${name}: ${plan?.summary} ${plan?.reason ?? ''}`);
      }
      const node = (name: string): string => JSON.stringify(byName(report.slow_queries, name).plan?.plan);
      assert.match(node('update_by_key'), /"Operation":"Update"/);
      assert.match(node('insert'), /"Operation":"Insert"/);
      assert.match(node('delete_using'), /"Operation":"Delete"/);
      const unindexed = samples.find((query) => query.id === 'sample-unindexed')?.plan;
      assert.equal(unindexed?.method, 'explain', unindexed?.summary);
      assert.match(unindexed?.reason ?? '', /UPDATE: plain EXPLAIN, not executed/);
      assert.ok(unindexed?.findings.some((finding) => finding.rule === 'seq_scan_filter'), unindexed?.summary);
      assert.match(unindexed?.findings.find((finding) => finding.rule === 'seq_scan_filter')?.advice ?? '', /accounts\(/);
    });

    it('refuses every planted write by name and rule', () => {
      const reason = (name: string): string => {
        const plan = byName(report.slow_queries, name).plan;
        assert.equal(plan?.method, 'skipped', `${name} got ${plan?.method}: ${plan?.summary}`);
        return plan?.reason ?? '';
      };
      assert.match(reason('default'), /INSERT writes table public\.w_default, whose default value for column v of table public\.w_default uses function public\.planted_payload\(text,integer\), which is not built in/);
      // 13 records a generated column's function as a dependency of the table itself, 17 of its pg_attrdef entry.
      assert.match(reason('generated'), /table public\.w_generated, (which depends on|whose default value for column v of table public\.w_generated uses) function public\.planted_payload/);
      assert.match(reason('trigger'), /UPDATE writes table public\.w_trigger, whose trigger planted on table public\.w_trigger uses function public\.planted_trigger\(\), which is not built in/);
      assert.match(reason('when'), /UPDATE writes table public\.w_when, whose trigger planted on table public\.w_when uses function public\.planted_payload/);
      assert.match(reason('rule'), /DELETE writes table public\.w_rule, which has rule planted \(rules rewrite it/);
      assert.match(reason('rls'), /reads table public\.w_rls, which has row-level security/);
      assert.match(reason('view'), /UPDATE writes view public\.w_view, which only plain and partitioned tables may be/);
      assert.match(reason('revoked'), /the author app does not hold DELETE on "revoked": never planned with more rights than its author/);
      for (const id of ['sample-default', 'sample-rule']) {
        assert.equal(samples.find((query) => query.id === id)?.plan?.method, 'skipped', id);
      }
    });

    it('nothing ran: no payload in the log, table contents unchanged', () => {
      assert.deepEqual(payloadAfter, payloadBefore);
      assert.deepEqual(after_, before_);
    });

    it('control: the same plain EXPLAINs as superuser run the payload at planning time', async () => {
      await server.query('EXPLAIN INSERT INTO w_default (id) VALUES (1)');
      await server.query('EXPLAIN DELETE FROM w_rule WHERE id = 1');
      await flushLog(server, 'control');
      const added = payloadLines(server).slice(payloadAfter.length).join('\n');
      assert.match(added, /planted payload ran: default/);
      assert.match(added, /planted payload ran: rule/);
    });

    it('without explain.write_role, the SELECT-only explain.role plans no write and the reason gives the setup', async () => {
      const queries = WRITES.filter((write) => write.name === 'update_by_key')
        .map((write) => ({ ...byName(report.slow_queries, write.name), plan: undefined }) as SlowQuery);
      const session = await openPostgres(setup.config.databases[0]!);
      try {
        const { write_role: _ignored, ...readOnly } = EXPLAIN;
        await explainSlowQueries(queries, { database: 'main', engine: 'postgresql', session, config: readOnly, cache: new PlanCache() });
      } finally {
        await session.close();
      }
      assert.equal(queries[0]?.plan?.method, 'skipped');
      assert.match(queries[0]?.plan?.reason ?? '', /explain\.role db_sentinel_explain reads only; its executed plan comes from auto_explain\. To plan it: CREATE ROLE db_sentinel_explain_write NOLOGIN; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES/);
    });
  });
}
