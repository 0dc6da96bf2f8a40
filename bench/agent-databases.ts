// The databases the agent benches watch: an embedded PostgreSQL 17 and a MariaDB, each with the test workload run
// once, and the agent's accounts on them as the README's least-privilege setup has them (pg_monitor with an explain
// role; PROCESS and SELECT on MariaDB). Shared by bench/agent-cpu.ts and bench/serve-soak.ts.
import { startPostgres, type PostgresServer } from '../src/demo/embedded-postgres';
import { testConfig, type TestConfig } from '../test/harness/dbconfig';
import { startMariadb, type MariadbServer } from '../test/harness/mariadb';
import { runMariadbWorkload, runPostgresWorkload, type WorkloadResult } from '../test/harness/workload';

export const EXPLAIN_ROLE = 'db_sentinel_explain';

export interface AgentDatabases {
  postgres: PostgresServer;
  mariadb: MariadbServer;
  pgWorkload: WorkloadResult;
  myWorkload: WorkloadResult;
  /** The agent's `databases:` (names `pg` and `maria`), its password files cleaned up with the rest. */
  setup: TestConfig;
}

/** Starts both servers and runs their workloads; pushes what stops and removes them onto `cleanups`. */
export async function startAgentDatabases(cleanups: Array<() => Promise<unknown> | void>): Promise<AgentDatabases> {
  process.stdout.write('starting PostgreSQL 17 and MariaDB with the workload ...\n');
  const [postgres, mariadb] = await Promise.all([startPostgres(17), startMariadb()]);
  cleanups.push(() => postgres.stop(), () => mariadb.stop());
  const [pgWorkload, myWorkload] = await Promise.all([runPostgresWorkload(postgres), runMariadbWorkload(mariadb)]);
  const pgUrl = await postgres.createRole('db_sentinel', 'agent-pw', ['pg_monitor']);
  await postgres.query(`CREATE ROLE ${EXPLAIN_ROLE} NOLOGIN`);
  await postgres.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${EXPLAIN_ROLE}`);
  await postgres.query(`GRANT ${EXPLAIN_ROLE} TO db_sentinel`);
  const myUrl = await mariadb.createUser('db_sentinel', 'agent-pw',
    ['SELECT, SHOW VIEW ON shop.*', 'SELECT ON performance_schema.*', 'PROCESS ON *.*'], 'shop');
  const setup = testConfig([{ name: 'pg', engine: 'postgresql', url: pgUrl }, { name: 'maria', engine: 'mysql', url: myUrl }]);
  cleanups.push(() => setup.cleanup());
  return { postgres, mariadb, pgWorkload, myWorkload, setup };
}
