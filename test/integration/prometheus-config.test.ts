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

/** `promtool check service-discovery` for one job: the targets kept by relabeling, with their public labels and address. */
function discover(configDir: string, job: string): Record<string, string>[] {
  const result = promtool(['check', 'service-discovery', '--timeout=2s', join(configDir, 'prometheus.yml'), job]);
  assert.equal(result.status, 0, result.output);
  const targets = JSON.parse(result.stdout) as DiscoveredTarget[];
  return targets
    .filter((target) => Object.keys(target.labels).length > 0)
    .map((target) => Object.fromEntries(Object.entries(target.labels).filter(([name]) => !name.startsWith('__') || name === '__address__')))
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

  it('relabels the example db_analyzer targets (Salt\'s file_sd/db_sentinel.json) and drops the unmarked one', () => {
    assert.deepEqual(discover(PROMETHEUS_DIR, 'db_analyzer'), [
      { __address__: 'db1.example.com:19617', job: 'db_analyzer', instance: 'db1', host: 'db1', db_engine: 'postgresql', cluster: 'orders', role: 'primary' },
      { __address__: '10.0.0.12:19617', job: 'db_analyzer', instance: 'db2', host: 'db2', db_engine: 'mysql', cluster: 'shop', role: 'replica' },
      // no host label: the address without its port; missing cluster and role become "unknown"
      { __address__: 'db3.example.com:19617', job: 'db_analyzer', instance: 'db3.example.com', host: 'db3.example.com',
        db_engine: 'postgresql', cluster: 'unknown', role: 'unknown' },
    ]);
  });

  it('scrapes node_exporter on port 9100 of the same hosts, with the same instance, plus file_sd/node*.json', () => {
    assert.deepEqual(discover(PROMETHEUS_DIR, 'node'), [
      { __address__: 'db1.example.com:9100', job: 'node', instance: 'db1', host: 'db1', db_engine: 'postgresql', cluster: 'orders', role: 'primary' },
      { __address__: '10.0.0.12:9100', job: 'node', instance: 'db2', host: 'db2', db_engine: 'mysql', cluster: 'shop', role: 'replica' },
      { __address__: 'db3.example.com:9100', job: 'node', instance: 'db3.example.com', host: 'db3.example.com',
        db_engine: 'postgresql', cluster: 'unknown', role: 'unknown' },
      // from node.json: its address as given
      { __address__: 'db4-mgmt.example.com:9100', job: 'node', instance: 'db4', host: 'db4', db_engine: 'mysql', cluster: 'shop', role: 'replica' },
    ]);
  });

  it('handles targets without host label: IP, IPv6 and no port, empty Salt labels, and drops db_sentinel "false"', () => {
    rmSync(join(installed, 'file_sd', 'node.json'));
    writeFileSync(join(installed, 'file_sd', 'db_sentinel.json'), JSON.stringify([
      { targets: ['10.1.2.3:19617', '[2001:db8::7]:19617'], labels: { db_engine: 'mysql', cluster: 'c1', role: 'replica', db_sentinel: 'true' } },
      // as Salt renders a host without databases, cluster or role in pillar
      { targets: ['pg-7.internal'], labels: { host: '', db_engine: '', cluster: '', role: '', db_sentinel: 'true' } },
      { targets: ['cache1:19617'], labels: { host: 'cache1', db_sentinel: 'false' } },
      { targets: ['cache2:19617'], labels: { host: 'cache2' } },
    ]));
    assert.deepEqual(discover(installed, 'db_analyzer'), [
      { __address__: '10.1.2.3:19617', job: 'db_analyzer', instance: '10.1.2.3', host: '10.1.2.3', db_engine: 'mysql', cluster: 'c1', role: 'replica' },
      { __address__: '[2001:db8::7]:19617', job: 'db_analyzer', instance: '[2001:db8::7]', host: '[2001:db8::7]', db_engine: 'mysql', cluster: 'c1', role: 'replica' },
      // Prometheus adds the scheme's default port to an address without one
      { __address__: 'pg-7.internal:80', job: 'db_analyzer', instance: 'pg-7.internal', host: 'pg-7.internal', db_engine: 'unknown', cluster: 'unknown', role: 'unknown' },
    ]);
    assert.deepEqual(discover(installed, 'node').map((target) => target.__address__),
      ['10.1.2.3:9100', '[2001:db8::7]:9100', 'pg-7.internal:9100']);
  });

  it('fails `check config` on a broken relabel rule (the check can fail)', () => {
    writeFileSync(join(installed, 'broken.yml'), 'scrape_configs:\n  - job_name: x\n    relabel_configs:\n      - action: keep\n        regex: "("\n');
    const result = promtool(['check', 'config', join(installed, 'broken.yml')]);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /FAILED/);
  });
});
