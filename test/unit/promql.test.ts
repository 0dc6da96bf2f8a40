import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { metricNames } from '../harness/promql';

describe('metricNames (PromQL)', () => {
  it('finds the metrics of a join with grouping clauses, matchers and functions', () => {
    const expr = `(db_sentinel_slow_query_mean_seconds{db=~"$db"} > 1)
      * on (job, instance, db, rank) group_left (queryid, query) db_sentinel_slow_query_info`;
    assert.deepEqual(metricNames(expr), ['db_sentinel_slow_query_info', 'db_sentinel_slow_query_mean_seconds']);
  });

  it('skips functions, ranges, Grafana variables, numbers and label names inside aggregations', () => {
    const expr = `sum by (instance) (rate(node_context_switches_total{instance=~"$instance"}[$__rate_interval]))
      / count without (cpu, mode) (node_cpu_seconds_total{mode="idle"}) > 1e3 or vector(0)`;
    assert.deepEqual(metricNames(expr), ['node_context_switches_total', 'node_cpu_seconds_total']);
  });

  it('reads a metric name after `offset` and a duration, and `time()` is no metric', () => {
    assert.deepEqual(metricNames('time() - node_textfile_mtime_seconds offset 5m > 900'),
      ['node_textfile_mtime_seconds']);
  });
});
