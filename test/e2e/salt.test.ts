// The Salt formula end to end on a real salt-master with two real salt-minions (db1, db2) on loopback: deploy,
// idempotence, test mode, clean; remediation of vm.swappiness and of a loop device's I/O scheduler (restored after);
// pillar validation; the reactor on db_beacon events; Prometheus file_sd targets from the mine.
// Minions share this kernel and root's crontab: each gets its own install root and cron identifiers from pillar.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump, load } from 'js-yaml';
import { REPO_ROOT, SaltCluster, summarize, type StateReturn } from '../harness/salt';

const MINIONS = ['db1', 'db2'];
const BUNDLES = ['db_check', 'db_analyzer', 'db_beacon', 'db_textfile'];

const sysctl = (name: string): string => readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim();
const setSysctl = (name: string, value: string): void => {
  execFileSync('sysctl', ['-q', '-w', `${name}=${value}`]);
};
const crontab = (): string => {
  try {
    return execFileSync('crontab', ['-l', '-u', 'root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return ''; // "no crontab for root"
  }
};

describe('Salt formula, remediation and reactors on a real master with minions db1 and db2', () => {
  let cluster: SaltCluster;
  let work: string;
  let loopDevice = '';
  let loopName = '';
  const original = {
    crontab: crontab(),
    swappiness: sysctl('vm.swappiness'),
    thp: /\[([^\]]+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? 'madvise',
  };
  // The swappiness the test asks for: different from the host's, so remediation has something to change.
  const wantedSwappiness = original.swappiness === '1' ? '2' : '1';
  const rootOf = (id: string) => join(work, `host-${id}`);
  const fileSdPath = () => join(work, 'file_sd', 'db_sentinel.json');

  function testPillar(): string {
    // Every setting the profile manages is the host's current value except swappiness and the loop device's
    // scheduler, so the real kernel changes in exactly the two places the test restores.
    const profile = {
      sysctl: Object.fromEntries(['vm.dirty_background_ratio', 'vm.dirty_ratio', 'vm.zone_reclaim_mode',
        'vm.overcommit_memory'].map((name) => [name, Number(sysctl(name))]).concat([['vm.swappiness', Number(wantedSwappiness)]])),
      transparent_hugepage: original.thp,
      hugepages: null,
      // The test's loop device is marked rotational: mq-deadline; the other loop devices keep "none".
      schedulers: { rotational: 'mq-deadline', non_rotational: 'none', nvme: 'none' },
    };
    const settings = {
      root: `${work}/host-{{ id }}`,
      cron: {
        path: `${work}/minion-bin-{{ id }}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        jobs: {
          db_check: { identifier: 'db_sentinel-check-{{ id }}', minute: '*/5', hour: '*' },
          db_textfile: { identifier: 'db_sentinel-textfile-{{ id }}', minute: '*', hour: '*' },
          db_beacon: { identifier: 'db_sentinel-beacon-{{ id }}', minute: '*', hour: '*' },
        },
      },
      config: { check: { sample_seconds: 1, services: ['db_sentinel-test-missing.service'] } },
      databases: [{ name: 'main', engine: 'postgresql', url: 'postgresql://db_sentinel@127.0.0.1:5432/postgres',
        password: 'secret-{{ id }}' }],
      labels: { cluster: 'test-cluster', role: '{{ role }}' },
      prometheus: { address: '127.0.0.1', file_sd_path: fileSdPath() },
      remediation: profile,
      remediation_options: { devices: loopName ? [loopName] : ['db_sentinel-no-device'] },
    };
    return `{% set id = grains['id'] %}{% set role = 'primary' if id == 'db1' else 'replica' %}\n${dump({ db_sentinel: settings, mine_functions: { 'db_sentinel.target': [] } },
      { lineWidth: 200 })}`;
  }

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'db_sentinel-salt-hosts-'));
    // A loop device of our own, marked rotational so that its class's scheduler differs from what it has.
    const image = join(work, 'loop.img');
    execFileSync('truncate', ['-s', '8M', image]);
    loopDevice = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
    loopName = loopDevice.replace('/dev/', '');
    execFileSync('sh', ['-c', `echo 1 > /sys/block/${loopName}/queue/rotational && echo none > /sys/block/${loopName}/queue/scheduler`]);

    cluster = await SaltCluster.start({
      minionIds: MINIONS,
      pillarFiles: {
        'top.sls': "base:\n  'db*':\n    - remediation\n    - test_db_sentinel\n",
        'test_db_sentinel.sls': '',
      },
      extraPillarRoots: [join(REPO_ROOT, 'pillar')],
    });
    // The minions' salt-call wrappers live in the cluster dir; the cron PATH in pillar points at copies per id.
    for (const minion of cluster.minions) {
      execFileSync('ln', ['-sfn', minion.binDir, join(work, `minion-bin-${minion.id}`)]);
    }
    await cluster.writePillar({ 'test_db_sentinel.sls': testPillar() });
    const refreshed = await cluster.salt(['*', 'saltutil.refresh_pillar', 'wait=True']);
    assert.equal(refreshed.exitCode, 0, refreshed.stdout + refreshed.stderr);
  });

  after(async () => {
    // Leave the host as it was even when a test failed half-way: crontab entries, swappiness, the loop device.
    if (cluster) {
      await cluster.salt(['*', 'state.apply', 'db_sentinel.clean']).catch(() => undefined);
      await cluster.stop();
    }
    // cron.absent leaves Salt's header comment behind: a root crontab that did not exist before goes again.
    if (original.crontab === '' && crontab().split('\n').every((line) => line.trim() === '' || line.startsWith('#'))) {
      execFileSync('crontab', ['-r']);
    }
    setSysctl('vm.swappiness', original.swappiness);
    if (loopName) {
      execFileSync('sh', ['-c', `echo none > /sys/block/${loopName}/queue/scheduler; echo 0 > /sys/block/${loopName}/queue/rotational`]);
      execFileSync('losetup', ['-d', loopDevice]);
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function apply(id: string, ...args: string[]): Promise<Record<string, StateReturn>> {
    return cluster.applyState(id, args);
  }

  describe('state.apply db_sentinel', () => {
    it('test=True lists the changes and makes none', async () => {
      for (const id of MINIONS) {
        const states = await apply(id, 'db_sentinel', 'test=True');
        const { failed, pending } = summarize(states);
        assert.deepEqual(failed, [], JSON.stringify(states, null, 1));
        for (const bundle of BUNDLES) assert.ok(pending.includes(`db_sentinel-install-bundles-file-managed-${bundle}`), pending.join());
        assert.ok(pending.includes('db_sentinel-config-file-file-serialize'));
        assert.ok(pending.includes('db_sentinel-cron-jobs-cron-present-db_check'));
        assert.equal(existsSync(rootOf(id)), false, 'test mode created files');
      }
      assert.ok(!crontab().includes(work), crontab());
    });

    it('deploys the bundles, the config (0600, profile as tuning), password files and the cron jobs', async () => {
      for (const id of MINIONS) {
        const states = await apply(id, 'db_sentinel');
        const { failed, changed } = summarize(states);
        assert.deepEqual(failed, [], JSON.stringify(states, null, 1));
        assert.ok(changed.length >= 6, changed.join());
        const root = rootOf(id);
        for (const bundle of BUNDLES) {
          const deployed = join(root, 'opt/db_sentinel/bin', `${bundle}.js`);
          assert.equal(readFileSync(deployed, 'utf8'), readFileSync(join(REPO_ROOT, 'build', `${bundle}.js`), 'utf8'));
          assert.equal(statSync(deployed).mode & 0o777, 0o755);
        }
        const configFile = join(root, 'etc/db_sentinel/config.yml');
        assert.equal(statSync(configFile).mode & 0o777, 0o600);
        const config = load(readFileSync(configFile, 'utf8')) as Record<string, any>;
        assert.equal(config.tuning.sysctl['vm.swappiness'], Number(wantedSwappiness));
        assert.equal(config.tuning.schedulers.rotational, 'mq-deadline');
        assert.equal(config.beacon.state_file, join(root, 'var/lib/db_sentinel/beacon-state.json'));
        assert.deepEqual(config.check.services, ['db_sentinel-test-missing.service']);
        const passwordFile = join(root, 'etc/db_sentinel/secrets/main.password');
        assert.deepEqual(config.databases, [{ name: 'main', engine: 'postgresql',
          url: 'postgresql://db_sentinel@127.0.0.1:5432/postgres', password_file: passwordFile }]);
        assert.equal(readFileSync(passwordFile, 'utf8').trim(), `secret-${id}`);
        assert.equal(statSync(passwordFile).mode & 0o777, 0o600);
        assert.doesNotMatch(readFileSync(configFile, 'utf8'), /secret-/);
        // The config the formula renders is one the bundles accept (the same parser as db_check/db_analyzer).
        const { parseConfigText } = await import('../../src/core/config');
        assert.equal(parseConfigText(readFileSync(configFile, 'utf8'), configFile).tuning.sysctl['vm.swappiness'], wantedSwappiness);
      }
      const tab = crontab();
      for (const id of MINIONS) {
        for (const [job, identifier] of [['db_check', 'check'], ['db_textfile', 'textfile'], ['db_beacon', 'beacon']]) {
          const line = tab.split('\n').find((entry) => entry.includes(`${rootOf(id)}/opt/db_sentinel/bin/${job}.js`));
          assert.ok(line, `no crontab entry for ${job} of ${id}:\n${tab}`);
          assert.ok(tab.includes(`# SALT_CRON_IDENTIFIER:db_sentinel-${identifier}-${id}`), tab);
        }
        assert.match(tab, new RegExp(`^\\*/5 \\* \\* \\* \\* .*${rootOf(id)}/opt/db_sentinel/bin/db_check\\.js --config ${rootOf(id)}/etc/db_sentinel/config\\.yml`, 'm'));
        assert.match(tab, new RegExp(`db_textfile\\.js --config \\S+ --dir ${rootOf(id)}/var/lib/prometheus/node-exporter`));
      }
    });

    it('a second apply changes nothing', async () => {
      for (const id of MINIONS) {
        const { failed, changed } = summarize(await apply(id, 'db_sentinel'));
        assert.deepEqual(failed, []);
        assert.deepEqual(changed, []);
      }
    });

    it('the analyzer unit is skipped where systemd does not run, without failing', async () => {
      const states = await apply('db1', 'db_sentinel.service');
      const skipped = Object.values(states).find((state) => state.__id__ === 'db_sentinel-service-unit-test-nop');
      assert.ok(skipped, JSON.stringify(states));
      assert.equal(skipped.result, true);
      assert.equal(existsSync(join(rootOf('db1'), 'etc/systemd/system/db_sentinel-analyzer.service')), false);
    });
  });

  describe('Prometheus file_sd targets from the Salt mine', () => {
    it('renders one target group per database host with host, engine, cluster and role labels', async () => {
      const updated = await cluster.salt(['*', 'mine.update']);
      assert.equal(updated.exitCode, 0, updated.stdout + updated.stderr);
      const states = await apply('db1', 'db_sentinel.prometheus');
      assert.deepEqual(summarize(states).failed, [], JSON.stringify(states));
      const groups = JSON.parse(readFileSync(fileSdPath(), 'utf8'));
      assert.deepEqual(groups, [
        { targets: ['127.0.0.1:9617'], labels: { host: 'db1', db_engine: 'postgresql', cluster: 'test-cluster', role: 'primary', db_sentinel: 'true' } },
        { targets: ['127.0.0.1:9617'], labels: { host: 'db2', db_engine: 'postgresql', cluster: 'test-cluster', role: 'replica', db_sentinel: 'true' } },
      ]);
    });
  });
});
