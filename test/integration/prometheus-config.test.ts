// prometheus/prometheus.yml under Debian's promtool: the config (with its rules) is valid, and service discovery
// with relabeling gives every target instance (host name, no port), host, db_engine, cluster and role, and drops
// the targets that Salt did not mark for db_sentinel.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROMETHEUS_DIR, promtool } from '../harness/prometheus';

interface DiscoveredTarget {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
}

/** `promtool check service-discovery` for one job: the targets kept by relabeling, with their public labels. */
function discover(configDir: string, job: string): Record<string, string>[] {
  const result = promtool(['check', 'service-discovery', '--timeout=2s', join(configDir, 'prometheus.yml'), job]);
  assert.equal(result.status, 0, result.output);
  const targets = JSON.parse(result.stdout) as DiscoveredTarget[];
  return targets
    .filter((target) => Object.keys(target.labels).length > 0)
    .map((target) => Object.fromEntries(Object.entries(target.labels).filter(([name]) => !name.startsWith('__'))))
    .sort((a, b) => (a.instance < b.instance ? -1 : 1));
}

describe('prometheus/prometheus.yml with promtool', () => {
  let installed: string;
  before(() => {
    // As installed on the monitoring host: prometheus.yml with rules/, file_sd/ and the token file beside it.
    installed = mkdtempSync(join(tmpdir(), 'db_sentinel-promcfg-'));
    cpSync(PROMETHEUS_DIR, installed, { recursive: true });
  });
  after(() => rmSync(installed, { recursive: true, force: true }));

  it('passes `promtool check config` together with its rule files', () => {
    const result = promtool(['check', 'config', join(PROMETHEUS_DIR, 'prometheus.yml')]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
    assert.match(result.output, /SUCCESS: 13 rules found/);
  });

  it('relabels the example db_analyzer targets and drops the unmarked one', () => {
    assert.deepEqual(discover(PROMETHEUS_DIR, 'db_analyzer'), [
      { job: 'db_analyzer', instance: 'db1', host: 'db1', db_engine: 'postgresql', cluster: 'orders', role: 'primary' },
      { job: 'db_analyzer', instance: 'db2', host: 'db2', db_engine: 'mysql', cluster: 'shop', role: 'replica' },
      // no host label: the address without its port; missing cluster and role become "unknown"
      { job: 'db_analyzer', instance: 'db3.example.com', host: 'db3.example.com', db_engine: 'postgresql',
        cluster: 'unknown', role: 'unknown' },
    ]);
  });

  it('relabels the node_exporter targets alike, so both jobs share instance per host', () => {
    assert.deepEqual(discover(PROMETHEUS_DIR, 'node'), [
      { job: 'node', instance: 'db1', host: 'db1', db_engine: 'postgresql', cluster: 'orders', role: 'primary' },
      { job: 'node', instance: 'db2', host: 'db2', db_engine: 'mysql', cluster: 'shop', role: 'replica' },
    ]);
  });

  it('handles Salt mine targets without host label: IP, IPv6 and no port, and drops db_sentinel "false"', () => {
    writeFileSync(join(installed, 'file_sd', 'db_analyzer.json'), JSON.stringify([
      { targets: ['10.1.2.3:9617', '[2001:db8::7]:9617'], labels: { db_engine: 'mysql', cluster: 'c1', role: 'replica', db_sentinel: 'true' } },
      { targets: ['pg-7.internal'], labels: { host: '', db_engine: 'postgresql', cluster: 'c2', role: 'primary', db_sentinel: 'true' } },
      { targets: ['cache1:9617'], labels: { host: 'cache1', db_sentinel: 'false' } },
      { targets: ['cache2:9617'], labels: { host: 'cache2' } },
    ]));
    assert.deepEqual(discover(installed, 'db_analyzer'), [
      { job: 'db_analyzer', instance: '10.1.2.3', host: '10.1.2.3', db_engine: 'mysql', cluster: 'c1', role: 'replica' },
      { job: 'db_analyzer', instance: '[2001:db8::7]', host: '[2001:db8::7]', db_engine: 'mysql', cluster: 'c1', role: 'replica' },
      { job: 'db_analyzer', instance: 'pg-7.internal', host: 'pg-7.internal', db_engine: 'postgresql', cluster: 'c2', role: 'primary' },
    ]);
  });

  it('fails `check config` on a broken relabel rule (the check can fail)', () => {
    writeFileSync(join(installed, 'broken.yml'), 'scrape_configs:\n  - job_name: x\n    relabel_configs:\n      - action: keep\n        regex: "("\n');
    const result = promtool(['check', 'config', join(installed, 'broken.yml')]);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /FAILED/);
  });
});
