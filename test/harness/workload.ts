// A schema and workload that make REAL slow queries and plan findings on the harness servers, in seconds:
//   orders     200,000 rows, customer_id NOT indexed (sequential scan for a point filter), md5 `note` so that a full
//              sort by note (~11 MB) spills past the default work_mem / sort buffer;
//   customers   20,000 rows, primary key (fast indexed lookups: many calls, tiny mean);
//   events     stale statistics: 1,000 rows analyzed, then 100,000 more inserted with autovacuum/auto-recalc off,
//              so the planner's estimate for kind = 'click' is far below the truth.
// Each slow query runs WORKLOAD_CALLS times with varying literals (one normalized statement, several calls), the
// indexed lookup many times, and one slow statement only once (to test the floor on calls).
// The statistics (pg_stat_statements / performance_schema digests) are reset first, so the top 10 is the workload.
import { strict as assert } from 'node:assert';
import type { Client } from 'pg';
import type { Connection } from 'mysql2/promise';
import type { PostgresServer } from '../../src/demo/embedded-postgres';
import type { MariadbServer } from './mariadb';
import { waitUntil } from '../../src/demo/local-server';
import { PG_SCHEMA } from '../../src/demo/planted-workload';
import type { SlowQuery } from '../../src/core/report';

export const WORKLOAD_CALLS = 5;
export const LOOKUP_CALLS = 50;

export interface WorkloadQuery {
  /** Stable label, e.g. "unindexed_filter". */
  name: string;
  /** A literal-free fragment of the normalized statement (to find it in a top-10 list; see matchesMarker). */
  marker: string;
  /** How many times the workload ran it. */
  calls: number;
  /** One literal statement as executed (runnable; read-only). */
  sample: string;
  /** What a plan of it should show. */
  expect: string;
}

export interface WorkloadResult {
  database: string;
  queries: WorkloadQuery[];
}

/** True when a normalized statement (PostgreSQL `$1` or MariaDB/MySQL digest text with backquotes and `?`)
 * contains the marker; backquotes, case, whitespace runs and blanks around punctuation (digests have them) are ignored. */
export function matchesMarker(normalized: string, marker: string): boolean {
  const simplify = (text: string): string =>
    text.replace(/`/g, '').replace(/\s+/g, ' ').replace(/ ?([.,()=<>]) ?/g, '$1').trim().toLowerCase();
  return simplify(normalized).includes(simplify(marker));
}

interface Runner {
  run(sql: string): Promise<void>;
}

async function runQueries(runner: Runner, variants: Array<Omit<WorkloadQuery, 'sample' | 'calls'> & { sql: (i: number) => string; calls: number }>): Promise<WorkloadQuery[]> {
  const done: WorkloadQuery[] = [];
  for (const variant of variants) {
    for (let i = 0; i < variant.calls; i += 1) await runner.run(variant.sql(i));
    done.push({ name: variant.name, marker: variant.marker, calls: variant.calls, sample: variant.sql(0), expect: variant.expect });
  }
  return done;
}

const QUERY_VARIANTS = [
  {
    name: 'unindexed_filter',
    marker: 'FROM orders WHERE customer_id =',
    expect: 'Seq Scan on orders with a selective filter (missing index on customer_id)',
    calls: WORKLOAD_CALLS,
    sql: (i: number) => `SELECT id, amount, status FROM orders WHERE customer_id = ${101 + i * 7}`,
  },
  {
    name: 'big_sort',
    marker: 'ORDER BY note DESC',
    expect: 'Sort of all orders by note spilling to disk (external merge)',
    calls: WORKLOAD_CALLS,
    // The OFFSET keeps the full sort (no top-N heap) while returning only a few rows to the client.
    sql: (i: number) => `SELECT id, note FROM orders WHERE amount > ${i} ORDER BY note DESC LIMIT 10 OFFSET 150000`,
  },
  {
    name: 'join_aggregate',
    marker: 'GROUP BY c.region',
    expect: 'Hash join of orders and customers with aggregation',
    calls: WORKLOAD_CALLS,
    sql: (i: number) => `SELECT c.region, count(*) AS orders, sum(o.amount) AS revenue FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = '${['new', 'paid', 'shipped', 'cancelled', 'paid'][i % 5]}' GROUP BY c.region`,
  },
  {
    name: 'stale_statistics',
    marker: 'FROM events e JOIN customers c',
    expect: 'Row estimate far below actual on events (stale statistics)',
    calls: WORKLOAD_CALLS,
    sql: (i: number) => `SELECT e.id, c.name FROM events e JOIN customers c ON c.id = e.customer_id WHERE e.kind = 'click' AND e.id > ${i}`,
  },
  {
    name: 'indexed_lookup',
    marker: 'FROM customers WHERE id =',
    expect: 'Index scan on customers (fast)',
    calls: LOOKUP_CALLS,
    sql: (i: number) => `SELECT id, name, region FROM customers WHERE id = ${1 + i}`,
  },
  {
    name: 'one_off',
    marker: 'FROM orders WHERE note LIKE',
    expect: 'Called once: below the floor on calls',
    calls: 1,
    sql: () => `SELECT count(*) AS matches FROM orders WHERE note LIKE '%ab%'`,
  },
];

// ---- PostgreSQL -----------------------------------------------------------------------------------------------

/** Creates the schema in `database` (default postgres), resets pg_stat_statements and runs the workload. */
export async function runPostgresWorkload(server: PostgresServer, database = 'postgres'): Promise<WorkloadResult> {
  const client: Client = await server.connect(database);
  try {
    for (const statement of PG_SCHEMA) await client.query(statement);
    await client.query('SELECT pg_stat_statements_reset()');
    const queries = await runQueries({ run: async (sql) => void (await client.query(sql)) }, QUERY_VARIANTS);
    return { database, queries };
  } finally {
    await client.end();
  }
}

/** Holds a row lock in an open transaction and starts a second session that waits on it (a blocked session and
 * an idle-in-transaction one). release() rolls both back and closes them. */
export async function holdPostgresLock(server: PostgresServer, database = 'postgres'): Promise<{ release(): Promise<void> }> {
  const holder = await server.connect(database);
  const waiter = await server.connect(database);
  await holder.query('BEGIN');
  await holder.query('UPDATE customers SET name = name WHERE id = 1');
  await waiter.query('BEGIN');
  const waiterPid = (await waiter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const waiting = waiter.query('UPDATE customers SET name = name WHERE id = 1');
  // Until the second session shows up as waiting on the lock, however long a loaded machine takes.
  await waitUntil('the second session waiting on the row lock', async () => {
    const rows = await server.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [waiterPid], database);
    return rows.length > 0 ? true : undefined;
  });
  return {
    async release() {
      await holder.query('ROLLBACK');
      await waiting;
      await waiter.query('ROLLBACK');
      await holder.end();
      await waiter.end();
    },
  };
}

// ---- MariaDB ----------------------------------------------------------------------------------------------------

const MARIADB_SCHEMA = [
  'CREATE DATABASE IF NOT EXISTS shop',
  'DROP TABLE IF EXISTS shop.orders, shop.customers, shop.events',
  `CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, region VARCHAR(16) NOT NULL) ENGINE=InnoDB`,
  `INSERT INTO shop.customers SELECT seq, CONCAT('customer ', seq), ELT(1 + seq % 4, 'north','south','east','west') FROM seq_1_to_20000`,
  `CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(10,2) NOT NULL,
     status VARCHAR(16) NOT NULL, created_at DATETIME NOT NULL, note CHAR(32) NOT NULL) ENGINE=InnoDB`,
  `INSERT INTO shop.orders SELECT seq, 1 + (seq * 7919) % 20000, (seq % 1000) / 10.0,
     ELT(1 + seq % 4, 'new','paid','shipped','cancelled'), TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE, MD5(seq)
     FROM seq_1_to_200000`,
  'ANALYZE TABLE shop.customers, shop.orders',
  `CREATE TABLE shop.events (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, kind VARCHAR(16) NOT NULL, KEY (kind))
     ENGINE=InnoDB STATS_PERSISTENT=1 STATS_AUTO_RECALC=0`,
  `INSERT INTO shop.events SELECT seq, 1 + seq % 20000, 'boot' FROM seq_1_to_1000`,
  'ANALYZE TABLE shop.events',
  `INSERT INTO shop.events SELECT seq, 1 + seq % 20000, 'click' FROM seq_1001_to_101000`,
];

/** Creates the `shop` schema, truncates the statement digests and history, and runs the workload in `shop`. */
export async function runMariadbWorkload(server: MariadbServer): Promise<WorkloadResult> {
  const setup: Connection = await server.connect();
  try {
    for (const statement of MARIADB_SCHEMA) await setup.query(statement);
    for (const table of ['events_statements_summary_by_digest', 'events_statements_history_long']) {
      await setup.query(`TRUNCATE TABLE performance_schema.${table}`);
    }
  } finally {
    await setup.end();
  }
  const connection = await server.connect('shop');
  try {
    const queries = await runQueries({ run: async (sql) => void (await connection.query(sql)) }, QUERY_VARIANTS);
    return { database: 'shop', queries };
  } finally {
    await connection.end();
  }
}

/** As holdPostgresLock, for MariaDB (the waiter gives up after innodb_lock_wait_timeout; release() ends it). */
export async function holdMariadbLock(server: MariadbServer): Promise<{ release(): Promise<void> }> {
  const holder = await server.connect('shop');
  const waiter = await server.connect('shop');
  await holder.query('BEGIN');
  await holder.query('UPDATE customers SET name = name WHERE id = 1');
  // The longest allowed (1 year): the waiter waits until release(), not for a time a loaded machine could outlast.
  await waiter.query('SET SESSION innodb_lock_wait_timeout = 31536000');
  await waiter.query('BEGIN');
  const [[{ id: waiterId }]] = await waiter.query('SELECT CONNECTION_ID() AS id') as unknown as [[{ id: number }]];
  // How the waiter's UPDATE ended, should it end before release(): then it never waited, and the wait names why.
  let ended: string | undefined;
  const waiting = waiter.query('UPDATE customers SET name = name WHERE id = 1')
    .then(() => { ended = 'completed without waiting'; }, (error: unknown) => { ended = `failed: ${String(error)}`; });
  try {
    await waitUntil('the second session waiting on the row lock', async () => {
      if (ended !== undefined) throw new Error(`harness: the waiting UPDATE ${ended}`);
      const rows = await server.query(`SELECT 1 FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ? AND trx_state = 'LOCK WAIT'`, [waiterId]);
      return rows.length > 0 ? true : undefined;
      // InnoDB refreshes the INNODB_TRX/INNODB_LOCK_WAITS snapshot only when it was last read more than 100 ms ago
      // (trx_i_s_cache): polled faster, as on an idle machine, it would show no transaction at all, forever.
    }, 120_000, 250);
  } catch (error: unknown) {
    // What the server says the sessions are doing: a wait that is not an InnoDB row-lock wait shows here.
    const sessions = await server.query('SELECT ID, COMMAND, STATE, TIME_MS, INFO FROM information_schema.PROCESSLIST');
    const transactions = await server.query('SELECT trx_mysql_thread_id, trx_state, trx_operation_state, trx_query FROM information_schema.INNODB_TRX');
    throw new Error(`harness: waiter ${waiterId}; processlist ${JSON.stringify(sessions)}; INNODB_TRX ${JSON.stringify(transactions)}`, { cause: error });
  }
  return {
    async release() {
      await holder.query('ROLLBACK');
      await waiting;
      await waiter.query('ROLLBACK');
      await holder.end();
      await waiter.end();
    },
  };
}

// ---- Statements that run until the test stops them --------------------------------------------------------------

/** A statement running on a connection of its own, seen running by the server for at least the asked time. */
export interface RunningStatement {
  /** Cancels the statement (it would run far longer than any test) and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Starts `sql` (a statement that runs far longer than any test, e.g. pg_sleep(600)) as the superuser and returns once
 * pg_stat_activity shows it active for `minSeconds`: a collection made before stop() sees it running however loaded
 * the machine is, which a short sleep and a wait on the test's clock cannot promise.
 */
export async function startPostgresStatement(server: PostgresServer, sql: string, minSeconds = 0.2): Promise<RunningStatement> {
  const client: Client = await server.connect();
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const outcome = client.query(sql).then(() => 'completed', (error: { code?: string }) => error.code ?? String(error));
  await waitUntil(`${sql} running for ${minSeconds} s`, async () => {
    const rows = await server.query(`SELECT 1 FROM pg_stat_activity
      WHERE pid = $1 AND state = 'active' AND now() - query_start >= $2 * interval '1 second'`, [pid, minSeconds]);
    return rows.length > 0 ? true : undefined;
  });
  return {
    async stop() {
      await server.query('SELECT pg_cancel_backend($1)', [pid]);
      const ended = await outcome;
      await client.end();
      if (ended !== '57014') throw new Error(`harness: ${sql} ended before it was cancelled (${ended})`);
    },
  };
}

/** As startPostgresStatement, for MariaDB: the processlist shows `sql` running for `minSeconds`; stop() kills it. */
export async function startMariadbStatement(server: MariadbServer, sql: string, minSeconds = 0.2): Promise<RunningStatement> {
  const connection: Connection = await server.connect();
  const [[{ id }]] = await connection.query('SELECT CONNECTION_ID() AS id') as unknown as [[{ id: number }]];
  const outcome = connection.query(sql).then(() => 'completed', (error: unknown) => String(error));
  await waitUntil(`${sql} running for ${minSeconds} s`, async () => {
    const rows = await server.query(`SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND COMMAND = 'Query' AND TIME_MS >= ?`,
      [id, minSeconds * 1000]);
    return rows.length > 0 ? true : undefined;
  });
  return {
    async stop() {
      await server.query(`KILL QUERY ${Number(id)}`);
      // An interrupted SLEEP() returns 1 rather than failing: either way the statement is over.
      await outcome;
      await connection.end();
    },
  };
}

/** Statements sent as server-side prepared statements (mysql2 `execute()`: COM_STMT_PREPARE once per connection,
 * then COM_STMT_EXECUTE with bound values). Each marker is the prepared text itself. */
const PREPARED_VARIANTS = [
  {
    name: 'prepared_unindexed_filter',
    marker: 'SELECT id, amount FROM orders WHERE customer_id = ?',
    expect: 'full scan of orders for a point filter (no index on customer_id)',
    calls: WORKLOAD_CALLS,
    values: (i: number): Array<string | number> => [103 + i * 11],
  },
  {
    name: 'prepared_join_filter',
    marker: 'SELECT count(*) AS n FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.name = ?',
    expect: 'full scan of orders joined to customers by primary key',
    calls: 3,
    values: (i: number): Array<string | number> => [`customer ${42 + i}`],
  },
  {
    name: 'prepared_lookup',
    marker: 'SELECT id, name FROM customers WHERE id = ?',
    expect: 'primary key lookup (fast)',
    calls: LOOKUP_CALLS,
    values: (i: number): Array<string | number> => [1 + i],
  },
];

/** Runs PREPARED_VARIANTS through mysql2 execute() on a connection that stays open (prepared statements and their
 * counters live as long as it does); the caller closes it. Needs the `shop` schema (runMariadbWorkload). */
export async function runMariadbPreparedWorkload(server: MariadbServer): Promise<{ connection: Connection; queries: WorkloadQuery[] }> {
  const connection = await server.connect('shop');
  const queries: WorkloadQuery[] = [];
  for (const variant of PREPARED_VARIANTS) {
    for (let i = 0; i < variant.calls; i += 1) await connection.execute(variant.marker, variant.values(i));
    const [first] = variant.values(0);
    queries.push({ name: variant.name, marker: variant.marker, calls: variant.calls, expect: variant.expect,
      sample: variant.marker.replace('?', typeof first === 'string' ? `'${first}'` : String(first)) });
  }
  return { connection, queries };
}

/**
 * The PostgreSQL workload's statements as slow queries with their literal samples, planned by `explain` (the
 * explain stage on a real session): each must get EXPLAIN ANALYZE, the planted problems their findings, and the
 * indexed lookup none. Returns the planned queries for further assertions.
 */
export async function assertWorkloadFindings(workload: WorkloadResult, explain: (queries: SlowQuery[]) => Promise<unknown>,
  user?: string): Promise<SlowQuery[]> {
  const queries: SlowQuery[] = workload.queries.map((item, index) => ({
    rank: index + 1, id: `workload-${item.name}`, query: item.sample, calls: item.calls, mean_ms: 20, total_ms: 20 * item.calls,
    max_ms: null, rows: 10, sample: item.sample, sample_source: 'workload', ...(user === undefined ? {} : { user }),
  }));
  await explain(queries);
  const rules = (name: string): string[] => {
    const query = queries[workload.queries.findIndex((item) => item.name === name)];
    assert.equal(query?.plan?.method, 'explain_analyze', `${name}: ${query?.plan?.summary ?? 'no plan'}`);
    return (query?.plan?.findings ?? []).map((finding) => finding.rule);
  };
  assert.ok(rules('unindexed_filter').includes('seq_scan_filter'));
  assert.ok(rules('big_sort').includes('sort_spill'));
  assert.ok(rules('stale_statistics').includes('row_misestimate'));
  assert.deepEqual(rules('indexed_lookup'), []);
  return queries;
}
