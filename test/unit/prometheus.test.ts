// The report -> Prometheus view: names and values of the catalog, base units, bounded series, the query label.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { register as globalRegistry } from 'prom-client';
import type { SlowQuery } from '../../src/core/report';
import { assembleCatalog, CATALOG, METRIC_PREFIX, queryLabel, renderMetrics, reportRegistry } from '../../src/outputs/prometheus';
import { ANALYZER_METRICS, HOST_COLLECTORS } from '../../src/collectors/analyzer-registry';
import { fixtureReport } from '../harness/fixture-report';
import { promtoolCheck } from '../harness/promtool';

/** name{labels} -> value, from exposition text. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+?(?:\{.*\})?) (\S+)$/.exec(line);
    assert.ok(match, `unparseable sample line ${JSON.stringify(line)}`);
    map.set(match[1]!, Number(match[2]));
  }
  return map;
}

describe('prometheus output', () => {
  it('exports the report in base units under the catalog names', async () => {
    const text = await renderMetrics(fixtureReport());
    const values = samples(text);
    assert.equal(values.get('db_sentinel_check_status{check="db_up"}'), 2);
    assert.equal(values.get('db_sentinel_check_status{check="disk_await"}'), 1);
    assert.equal(values.get('db_sentinel_check_status{check="swap"}'), 0);
    assert.equal(values.get('db_sentinel_last_run_timestamp_seconds'), Date.parse('2026-11-25T01:40:00Z') / 1000);
    assert.equal(values.get('db_sentinel_disk_await_seconds{device="vda"}'), 0.0234);
    assert.equal(values.get('db_sentinel_disk_utilization_ratio{device="vda"}'), 0.12);
    assert.equal(values.get('db_sentinel_cpu_ratio{mode="idle"}'), 0.95);
    assert.equal(values.get('db_sentinel_memory_total_bytes'), 25276510208);
    assert.equal(values.get('db_sentinel_db_up{db="shop_mariadb",engine="mysql"}'), 0);
    assert.equal(values.get('db_sentinel_db_connections{db="shop_pg",state="idle_in_transaction"}'), 1);
    assert.equal(values.get('db_sentinel_db_query_mean_seconds{db="shop_pg"}'), 0.00482);
    assert.equal(values.get('db_sentinel_slow_query_mean_seconds{db="shop_pg",rank="1"}'), 0.8124);
    assert.equal(values.get('db_sentinel_plan_findings{db="shop_pg",severity="warning"}'), 3);
    assert.equal(values.get('db_sentinel_io_scheduler_info{device="vda",scheduler="mq-deadline",device_class="rotational"}'), 1);
    assert.equal(values.get('db_sentinel_tuning_drift{setting="vm.swappiness",actual="60",desired="1"}'), 1);
    assert.equal(values.get('db_sentinel_tuning_drift{setting="vm.zone_reclaim_mode",actual="0",desired="0"}'), 0);
    // Multi-value sysctls are not numbers: no series rather than a wrong one.
    assert.ok(![...values.keys()].some((key) => key.includes('ip_local_port_range')));
    // A database that is down exports db_up 0 and nothing that would pretend to be a reading.
    assert.ok(![...values.keys()].some((key) => key.includes('shop_mariadb') && !key.startsWith('db_sentinel_db_up')));
    for (const key of values.keys()) assert.ok(key.startsWith(METRIC_PREFIX), key);
    assert.ok(!/ \d+ \d+$/m.test(text), 'samples must carry no timestamps');
  });

  it('uses a registry of its own, leaving the global one empty', async () => {
    reportRegistry(fixtureReport());
    assert.deepEqual(await globalRegistry.getMetricsAsJSON(), []);
  });

  it('masks literals, flattens and cuts the query label to 80 characters', () => {
    assert.equal(queryLabel("SELECT *\n  FROM t1 WHERE name = 'o''brien' AND id IN (1, 2.5) AND x = $1"),
      'SELECT * FROM t1 WHERE name = ? AND id IN (?, ?) AND x = $1');
    const long = `SELECT ${'column_name, '.repeat(20)}x FROM t`;
    assert.equal(queryLabel(long).length, 80);
  });

  it('stays within 65 series per database whatever the workload', async () => {
    const report = fixtureReport();
    const database = report.databases[0]!;
    const template = database.slow_queries[0]!;
    database.slow_queries = Array.from({ length: 50 }, (_, index): SlowQuery => ({
      ...template, rank: index + 1, id: String(1000 + index), query: `SELECT * FROM t WHERE id = ${index} AND note = 'secret ${index}'`,
    }));
    const values = samples(await renderMetrics(report));
    const perDb = [...values.keys()].filter((key) => key.includes('db="shop_pg"'));
    // The health series are bounded by the server's standbys, slots and databases, not by the workload.
    const health = perDb.filter((key) => /^db_sentinel_(pg|mysql)_/.test(key));
    const pgHealth = database.health?.engine === 'postgresql' ? database.health : undefined;
    const healthBound = 20 + 6 * (pgHealth?.replicas?.length ?? 0) + 3 * (pgHealth?.slots?.length ?? 0) + 2 * (pgHealth?.wraparound?.databases.length ?? 0);
    assert.ok(health.length <= healthBound, `${health.length} health series for one database (bound ${healthBound})`);
    assert.ok(perDb.length - health.length <= 65, `${perDb.length - health.length} series for one database`);
    const ranks = new Set(perDb.map((key) => /rank="(\d+)"/.exec(key)?.[1]).filter((rank) => rank !== undefined));
    assert.deepEqual([...ranks].map(Number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(![...values.keys()].some((key) => key.includes('secret')), 'a literal leaked into a label');
  });

  it('declares every metric with a HELP line and passes promtool', async () => {
    const text = await renderMetrics(fixtureReport());
    const declared = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)];
    // The fixture fills every metric of the catalog.
    assert.deepEqual(declared.map(([, name]) => name).sort(), Object.keys(CATALOG).map((name) => METRIC_PREFIX + name).sort());
    for (const [, name] of declared) assert.match(text, new RegExp(`^# HELP ${name} \\S`, 'm'));
    // Gauges, except the servers' own cumulative counters (rate() in PromQL).
    for (const [, name, type] of declared) assert.equal(type, CATALOG[name.slice(METRIC_PREFIX.length)]?.type ?? 'gauge', `${name} is a ${type}`);
    const lint = promtoolCheck(text);
    assert.ok(lint.ok, lint.output);
  });

  it('assembles the catalog from the collectors that own the metrics, and refuses a family declared twice', () => {
    for (const collector of HOST_COLLECTORS) {
      assert.ok(collector.metrics, `${collector.name} declares no metrics`);
      for (const name of Object.keys(collector.metrics.families)) assert.ok(CATALOG[name], `${collector.name}: ${name} not in the catalog`);
    }
    const owned = ANALYZER_METRICS.flatMap((source) => Object.keys(source.families));
    assert.ok(owned.includes('run_queue') && owned.includes('db_up') && owned.includes('pg_standby'));
    const twice = { families: { run_queue: { help: 'again', labels: [] } }, samples: () => undefined };
    assert.throws(() => assembleCatalog({}, [...ANALYZER_METRICS, twice]), /metric run_queue is declared twice/);
  });
});
