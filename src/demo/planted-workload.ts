// A workload with known plan problems, sent as ORMs send statements: through the `pg` driver with bound parameters
// (extended protocol; some as named prepared statements), each scenario on its own connection whose settings come
// as startup options (no SET statement lands in pg_stat_statements). Eight planted problems, one of them an UPDATE,
// and two healthy statements; pg_stat_statements is reset after the schema, so its top 10 is this workload.
import { Client } from 'pg';
import type { PostgresServer } from './embedded-postgres';

export interface PlantedScenario {
  name: string;
  /** The rule that must fire on its executed plan; null for the healthy statements (no warning or critical). */
  rule: string | null;
  /** A literal-free fragment of the statement, to find it in the top 10. */
  marker: string;
  settings: Record<string, string>;
  sql: string;
  /** Values of $1.. for execution i. */
  values: (i: number) => unknown[];
  calls: number;
  /** Run as a named prepared statement (parse once, bind and execute each call). */
  prepared?: boolean;
}

const CALLS = 4;

/** The log_line_prefix of the captured stderr log (Debian's default). */
export const STDERR_PREFIX = '%m [%p] %q%u@%d ';

export const PLANTED_SCENARIOS: PlantedScenario[] = [
  { name: 'unindexed_filter', rule: 'seq_scan_filter', marker: 'FROM orders WHERE customer_id =',
    settings: { max_parallel_workers_per_gather: '0' }, calls: CALLS, prepared: true,
    sql: 'SELECT id, amount, status FROM orders WHERE customer_id = $1', values: (i) => [101 + i * 7] },
  { name: 'sort_spill', rule: 'sort_spill', marker: 'ORDER BY note DESC',
    settings: { work_mem: '1MB', max_parallel_workers_per_gather: '0' }, calls: CALLS,
    sql: 'SELECT id, note FROM orders WHERE amount > $1 ORDER BY note DESC LIMIT 10 OFFSET $2', values: (i) => [i, 150000] },
  { name: 'misestimate', rule: 'row_misestimate', marker: 'FROM events e JOIN customers c',
    settings: {}, calls: CALLS,
    sql: 'SELECT e.id, c.name FROM events e JOIN customers c ON c.id = e.customer_id WHERE e.kind = $1 AND e.id > $2', values: (i) => ['click', i] },
  { name: 'hash_spill', rule: 'hash_spill', marker: 'FROM orders o JOIN customers c',
    settings: { work_mem: '64kB', max_parallel_workers_per_gather: '0' }, calls: CALLS,
    sql: 'SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.amount < $1', values: (i) => [50 + i] },
  { name: 'nested_loop', rule: 'nested_loop_inner_loops', marker: 'FROM events e JOIN orders o',
    settings: { enable_hashjoin: 'off', enable_mergejoin: 'off' }, calls: CALLS, prepared: true,
    sql: 'SELECT e.id, o.amount FROM events e JOIN orders o ON o.id = e.id WHERE e.kind = $1', values: () => ['click'] },
  { name: 'lossy_bitmap', rule: 'lossy_bitmap', marker: 'FROM orders WHERE amount <',
    settings: { work_mem: '64kB', enable_indexscan: 'off', enable_seqscan: 'off', max_parallel_workers_per_gather: '0' }, calls: CALLS,
    sql: 'SELECT count(*) FROM orders WHERE amount < $1', values: (i) => [60 + i] },
  { name: 'workers_not_launched', rule: 'workers_not_launched', marker: 'FROM orders WHERE status =',
    settings: { max_parallel_workers: '0', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    calls: CALLS, sql: 'SELECT count(*) FROM orders WHERE status = $1', values: (i) => [['paid', 'new', 'shipped', 'cancelled'][i % 4]] },
  { name: 'dml_unindexed_update', rule: 'seq_scan_filter', marker: 'UPDATE orders SET status = status WHERE customer_id =',
    settings: { max_parallel_workers_per_gather: '0' }, calls: CALLS,
    sql: 'UPDATE orders SET status = status WHERE customer_id = $1', values: (i) => [211 + i * 13] },
  { name: 'healthy_lookup', rule: null, marker: 'FROM customers WHERE id =',
    settings: {}, calls: 40, prepared: true,
    sql: 'SELECT id, name, region FROM customers WHERE id = $1', values: (i) => [1 + i] },
  { name: 'healthy_range', rule: null, marker: 'FROM orders WHERE id BETWEEN',
    settings: {}, calls: 40,
    sql: 'SELECT count(*) FROM orders WHERE id BETWEEN $1 AND $2', values: (i) => [1000 * i + 1, 1000 * i + 20] },
];

/** The shop schema the demo and the test workloads share: orders without an index on customer_id, events with
 * stale statistics. */
export const PG_SCHEMA = [
  'CREATE EXTENSION IF NOT EXISTS pg_stat_statements',
  'DROP TABLE IF EXISTS orders, customers, events',
  `CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, region text NOT NULL)`,
  `INSERT INTO customers SELECT g, 'customer ' || g, (ARRAY['north','south','east','west'])[1 + g % 4] FROM generate_series(1, 20000) g`,
  `CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2) NOT NULL,
     status text NOT NULL, created_at timestamptz NOT NULL, note text NOT NULL)`,
  `INSERT INTO orders SELECT g, 1 + (g * 7919) % 20000, (g % 1000) / 10.0,
     (ARRAY['new','paid','shipped','cancelled'])[1 + g % 4], timestamptz '2024-01-01' + g * interval '1 minute', md5(g::text)
     FROM generate_series(1, 200000) g`,
  'ANALYZE customers',
  'ANALYZE orders',
  `CREATE TABLE events (id bigint PRIMARY KEY, customer_id integer NOT NULL, kind text NOT NULL)
     WITH (autovacuum_enabled = false)`,
  `INSERT INTO events SELECT g, 1 + g % 20000, 'boot' FROM generate_series(1, 1000) g`,
  'ANALYZE events',
  `INSERT INTO events SELECT g, 1 + g % 20000, 'click' FROM generate_series(1001, 101000) g`,
];

// The shared schema plus an index
// on amount for the bitmap scan.
const SCHEMA = [...PG_SCHEMA, 'CREATE INDEX orders_amount_idx ON orders (amount)'];

/** Creates the schema in `database` and resets pg_stat_statements. */
export async function createPlantedSchema(server: PostgresServer, database: string): Promise<void> {
  const client = await server.connect(database);
  try {
    for (const statement of SCHEMA) await client.query(statement);
    await client.query('SELECT pg_stat_statements_reset()');
  } finally {
    await client.end();
  }
}

/** Runs every scenario (as `user`/`password` when given, else the superuser) with bound parameters. */
export async function runPlantedWorkload(server: PostgresServer, database: string, login?: { user: string; password: string }): Promise<void> {
  for (const scenario of PLANTED_SCENARIOS) {
    const options = Object.entries(scenario.settings).map(([name, value]) => `-c ${name}=${value}`).join(' ');
    const client = new Client({
      host: server.host, port: server.port, database,
      user: login?.user ?? server.superuser, password: login?.password ?? server.superuserPassword,
      ...(options === '' ? {} : { options }),
    });
    await client.connect();
    try {
      for (let i = 0; i < scenario.calls; i += 1) {
        await client.query({ text: scenario.sql, values: scenario.values(i), ...(scenario.prepared ? { name: `planted_${scenario.name}` } : {}) });
      }
    } finally {
      await client.end();
    }
  }
}

/** Settings that turn auto_explain on as the Salt state does (log_min_duration 0: every execution is logged). */
export function autoExplainSettings(major: number, destination: 'jsonlog' | 'csvlog'): Record<string, string> {
  return {
    logging_collector: 'on',
    log_destination: destination,
    'auto_explain.log_min_duration': '0',
    'auto_explain.log_analyze': 'on',
    'auto_explain.log_buffers': 'on',
    'auto_explain.log_timing': 'off',
    'auto_explain.log_verbose': 'on',
    'auto_explain.log_format': 'json',
    ...(major >= 14 ? { compute_query_id: 'on' } : {}),
  };
}
