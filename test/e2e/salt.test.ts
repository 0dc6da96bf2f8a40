// The Salt formula end to end on a real salt-master with two real salt-minions (db1, db2) on loopback: deploy,
// idempotence, test mode, clean; remediation of vm.swappiness and of a loop device's I/O scheduler (restored after);
// pillar validation; the reactor on db_beacon events; Prometheus file_sd targets from the mine.
// Minions share this kernel and root's crontab: each gets its own install root and cron identifiers from pillar.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump, load } from 'js-yaml';
import { startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import { waitUntil } from '../../src/demo/local-server';
import { NODE18, startServe } from '../harness/serve-process';
import { acquireHostLock, HOST_SETTINGS_LOCK, REPO_ROOT, SaltCluster, summarize, type StateReturn } from '../harness/salt';
import { UNREACHABLE_HOST_THRESHOLDS } from '../harness/quiet-host';
import { SNAPSHOT_FILES, snapshotDeclined } from '../../src/sources/startup-snapshot';
import { ROOT_CODE_CACHE_DIR } from '../../src/build-code-cache';

const MINIONS = ['db1', 'db2'];
// db1 runs the formula's default node (Node 20 here, Debian 12's 18.20 elsewhere), db2 the hosts' Node 18.20 from
// node_modules: db2 gets db_check's startup snapshot (install/bundles.sls), db1 one only where its node is 18 too.
const NODES: Record<string, string> = { db1: '/usr/bin/node', db2: NODE18 };
const nodeVersion = (node: string) => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const NAGIOS_STATUS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
const BUNDLES = ['db_check', 'db_analyzer', 'db_beacon', 'db_textfile', 'db_explain'];

const sysctl = (name: string): string => readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim();
const setSysctl = (name: string, value: string): void => {
  execFileSync('sysctl', ['-q', '-w', `${name}=${value}`]);
};
const activeScheduler = (device: string): string =>
  /\[([^\]]+)\]/.exec(readFileSync(`/sys/block/${device}/queue/scheduler`, 'utf8'))?.[1] ?? '';
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
  let releaseLock: (() => void) | undefined;
  let pg: PostgresServer;
  // Read once the host lock is held (another checkout's run of this file may be changing them until then).
  const original = { crontab: '', swappiness: '', thp: '' };
  // The swappiness the test asks for: different from the host's, so remediation has something to change.
  let wantedSwappiness = '';
  // Cron identifiers unique to this run, so that nothing else in root's crontab is touched.
  const identifier = (job: string) => `db_sentinel-${job}-{{ id }}-${work.slice(-6)}`;
  const rootOf = (id: string) => join(work, `host-${id}`);
  const fileSdPath = () => join(work, 'file_sd', 'db_sentinel.json');
  const snapshotDir = (id: string) => join(rootOf(id), 'var/cache/db_sentinel/snapshot');
  const binDir = (id: string) => join(rootOf(id), 'opt/db_sentinel/bin');

  function testPillar(options: { autoRemediateDb2?: boolean; swappiness?: string } = {}): string {
    // Every setting the profile manages is the host's current value except swappiness and the loop device's
    // scheduler, so the real kernel changes in exactly the two places the test restores.
    const profile = {
      sysctl: Object.fromEntries(['vm.dirty_background_ratio', 'vm.dirty_ratio', 'vm.zone_reclaim_mode',
        'vm.overcommit_memory'].map((name) => [name, Number(sysctl(name))]).concat([['vm.swappiness', Number(options.swappiness ?? wantedSwappiness)]])),
      transparent_hugepage: original.thp,
      hugepages: null,
      // The test's loop device is marked rotational: mq-deadline; the other loop devices keep "none".
      schedulers: { rotational: 'mq-deadline', non_rotational: 'none', nvme: 'none' },
      // Remediation sets, and the analyzer measures, the scheduler of the test's loop device only.
      scheduler_devices: loopName ? [loopName] : ['db_sentinel-no-device'],
    };
    const settings = {
      root: `${work}/host-{{ id }}`,
      node: '__NODE__',
      cron: {
        path: `${work}/minion-bin-{{ id }}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        jobs: {
          db_check: { identifier: identifier('check'), minute: '*/5', hour: '*' },
          db_textfile: { identifier: identifier('textfile'), minute: '*', hour: '*' },
          db_beacon: { identifier: identifier('beacon'), minute: '*', hour: '*' },
        },
      },
      config: {
        check: {
          sample_seconds: 1,
          services: ['db_sentinel-test-missing.service'],
          // Thresholds this busy machine does not reach (PSI is at most 100 %): the database is what the event test changes.
          thresholds: UNREACHABLE_HOST_THRESHOLDS,
        },
        // db1 keeps the analyzer's default port; db2's target takes its port from here.
        server: '__SERVER__',
        // A new status must hold two beacon runs before it is an event.
        beacon: { hysteresis_runs: 2 },
      },
      // A real PostgreSQL; role db_sentinel's password is db2's (db1 is refused: its db_up is critical throughout).
      databases: [{ name: 'main', engine: 'postgresql', url: `postgresql://db_sentinel@127.0.0.1:${pg.port}/postgres`,
        password: 'secret-{{ id }}', tls: { mode: 'disable' } }],
      labels: { cluster: 'test-cluster', role: '{{ role }}' },
      textfile: { enabled: true },
      // serve's web config (exporter-toolkit format): basic auth with a hash made by htpasswd.
      web_config: { basic_auth_users: { prometheus: readFileSync(join(REPO_ROOT, 'test/fixtures/web-config/htpasswd-2.4.71.txt'), 'utf8').split('\n')[0]!.split(':').slice(1).join(':') } },
      prometheus: { address: '127.0.0.1', file_sd_path: fileSdPath() },
      remediation: profile,
      remediation_options: { auto_remediate: '__AUTO__' },
    };
    return `{% set id = grains['id'] %}{% set role = 'primary' if id == 'db1' else 'replica' %}\n${dump({ db_sentinel: settings, mine_functions: { 'db_sentinel.target': [] } },
      { lineWidth: 200 }).replace(/'?__SERVER__'?/, "{{ {'listen': '127.0.0.1:19618'} if id == 'db2' else {} }}")
      .replace(/'?__NODE__'?/, `{{ ${JSON.stringify(NODES)}[id] }}`)
      .replace(/'?__AUTO__'?/, options.autoRemediateDb2 ? "{{ 'true' if id == 'db2' else 'false' }}" : 'false')}`;
  }

  before(async () => {
    releaseLock = await acquireHostLock(HOST_SETTINGS_LOCK);
    original.crontab = crontab();
    original.swappiness = sysctl('vm.swappiness');
    original.thp = /\[([^\]]+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? 'madvise';
    wantedSwappiness = original.swappiness === '1' ? '2' : '1';
    work = await mkdtemp(join(tmpdir(), 'db_sentinel-salt-hosts-'));
    pg = await startPostgres(17);
    await pg.createRole('db_sentinel', 'secret-db2', ['pg_monitor']);
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
    // Deployed with the host's own swappiness: the remediation tests edit the pillar afterwards, as an operator does.
    await cluster.writePillar({ 'test_db_sentinel.sls': testPillar({ swappiness: original.swappiness }) });
    const refreshed = await cluster.salt(['*', 'saltutil.refresh_pillar', 'wait=True']);
    assert.equal(refreshed.exitCode, 0, refreshed.stdout + refreshed.stderr);
  });

  after(async () => {
    // Leave the host as it was even when a test failed half-way: crontab entries, swappiness, the loop device. Each
    // step runs whatever happened to the one before; the first failure is reported at the end.
    const failures: unknown[] = [];
    const step = async (action: () => unknown) => {
      try {
        await action();
      } catch (error: unknown) {
        failures.push(error);
      }
    };
    if (cluster) {
      await step(() => cluster.salt(['*', 'state.apply', 'db_sentinel.clean', 'queue=True']));
      await step(() => cluster.stop());
    }
    // cron.absent leaves Salt's header comment behind: a root crontab without jobs before has none after.
    await step(() => {
      const onlyComments = (tab: string) => tab.split('\n').every((line) => line.trim() === '' || line.startsWith('#'));
      const now = crontab();
      if (onlyComments(original.crontab) && now !== '' && onlyComments(now)) {
        execFileSync('crontab', ['-r']);
      }
    });
    if (original.swappiness) await step(() => setSysctl('vm.swappiness', original.swappiness));
    if (loopName) {
      await step(() => execFileSync('sh', ['-c', `echo none > /sys/block/${loopName}/queue/scheduler; echo 0 > /sys/block/${loopName}/queue/rotational`]));
      await step(() => execFileSync('losetup', ['-d', loopDevice]));
    }
    if (pg) await step(() => pg.stop());
    if (work) await step(() => rm(work, { recursive: true, force: true }));
    releaseLock?.();
    if (failures.length > 0) throw failures[0];
  });

  interface OrchestrateRun {
    exitCode: number;
    /** Everything Salt printed, for messages and matching. */
    text: string;
    /** The parsed --out=json answer. */
    json: unknown;
    /** One step (state) of the orchestration. */
    step(stepId: string): (StateReturn & { changes: { ret?: Record<string, Record<string, StateReturn>> } }) | undefined;
    /** The states one minion ran inside one salt.state step of the orchestration (when that step changed something). */
    minionStates(stepId: string, id: string): Record<string, StateReturn>;
  }

  async function orchestrate(args: string[]): Promise<OrchestrateRun> {
    const result = await cluster.saltRun(['state.orchestrate', 'remediate', ...args]);
    const text = `${result.stdout}\n${result.stderr}`;
    const run: OrchestrateRun = {
      exitCode: result.exitCode,
      text,
      json: result.json,
      step(stepId) {
        const data = (result.json as { data?: Record<string, Record<string, any>> } | undefined)?.data ?? {};
        for (const steps of Object.values(data)) {
          for (const step of Object.values(steps)) {
            if (step?.__id__ === stepId) return step;
          }
        }
        return undefined;
      },
      minionStates(stepId, id) {
        return run.step(stepId)?.changes?.ret?.[id] ?? {};
      },
    };
    return run;
  }

  /** Every string in a JSON answer, one per line (messages without JSON's escaping of quotes). */
  function textOf(value: unknown): string {
    if (typeof value === 'string') return value;
    if (value === null || typeof value !== 'object') return '';
    return Object.values(value).map(textOf).filter((text) => text !== '').join('\n');
  }

  /** A job's command from root's crontab, without its syslog pipe (so that its output and exit status are seen). */
  function cronCommand(job: string, id: string): string {
    const tab = crontab().split('\n');
    const line = tab[tab.indexOf(`# SALT_CRON_IDENTIFIER:db_sentinel-${job}-${id}-${work.slice(-6)}`) + 1];
    assert.ok(line, crontab());
    return line.split(' ').slice(5).join(' ').replace(/ 2>&1 \| logger -t \S+$/, '');
  }

  async function apply(id: string, ...args: string[]): Promise<Record<string, StateReturn>> {
    return cluster.applyState(id, args);
  }

  describe('state.apply db_sentinel', () => {
    it('test=True lists the changes and makes none', async () => {
      const runs = await Promise.all(MINIONS.map((id) => apply(id, 'db_sentinel', 'test=True')));
      for (const [index, id] of MINIONS.entries()) {
        const states = runs[index];
        const { failed, pending } = summarize(states);
        assert.deepEqual(failed, [], JSON.stringify(states, null, 1));
        for (const bundle of BUNDLES) assert.ok(pending.includes(`db_sentinel-install-bundles-file-managed-${bundle}`), pending.join());
        assert.ok(pending.includes('db_sentinel-config-file-file-serialize'));
        assert.ok(pending.includes('db_sentinel-cron-jobs-cron-present-db_check'));
        for (const state of ['db_sentinel-install-bundles-file-managed-db_check-launcher', 'db_sentinel-install-bundles-cmd-run-snapshot']) {
          assert.ok(pending.includes(state), pending.join());
        }
        assert.equal(existsSync(rootOf(id)), false, 'test mode created files');
      }
      assert.ok(!crontab().includes(work), crontab());
    });

    it('deploys the bundles, the config (0600, profile as tuning), password files and the cron jobs', async () => {
      // One after the other: both minions edit root's one crontab.
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
        // db_check's launcher, and its startup snapshot: built by the apply for this minion's node where it has one.
        const launcher = join(binDir(id), 'db_check.sh');
        assert.equal(readFileSync(launcher, 'utf8'), readFileSync(join(REPO_ROOT, 'build', 'db_check.sh'), 'utf8'));
        assert.equal(statSync(launcher).mode & 0o777, 0o755);
        assert.equal(statSync(snapshotDir(id)).mode & 0o777, 0o700);
        assert.equal(statSync(snapshotDir(id)).uid, 0);
        assert.equal(statSync(join(snapshotDir(id), '..')).mode & 0o777, 0o700, 'root\'s code cache directory, made with it');
        const built = Object.values(states).find((state) => state.__id__ === 'db_sentinel-install-bundles-cmd-run-snapshot');
        const declined = snapshotDeclined(nodeVersion(NODES[id]!));
        if (declined === undefined) {
          assert.match(String(built?.changes.stdout), /^db_check: startup snapshot \S+db_check\.blob /, JSON.stringify(built));
          assert.deepEqual(readdirSync(snapshotDir(id)).sort(), Object.values(SNAPSHOT_FILES).sort());
          assert.equal(statSync(join(snapshotDir(id), SNAPSHOT_FILES.node)).ino, statSync(NODES[id]!).ino, 'a hard link to the node');
          assert.equal(statSync(join(snapshotDir(id), SNAPSHOT_FILES.bundle)).ino, statSync(join(binDir(id), 'db_check.js')).ino, 'a hard link to the bundle');
        } else {
          assert.equal(String(built?.changes.stdout), `db_check: no startup snapshot: ${declined}`, JSON.stringify(built));
          // No blob; a symbolic link to the node it declined for, so that the launcher asks no more.
          assert.deepEqual(readdirSync(snapshotDir(id)), [SNAPSHOT_FILES.node]);
          assert.equal(readlinkSync(join(snapshotDir(id), SNAPSHOT_FILES.node)), NODES[id]);
        }
        const configFile = join(root, 'etc/db_sentinel/config.yml');
        assert.equal(statSync(configFile).mode & 0o777, 0o600);
        const config = load(readFileSync(configFile, 'utf8')) as Record<string, any>;
        assert.equal(config.tuning.sysctl['vm.swappiness'], Number(original.swappiness));
        assert.equal(config.beacon.minion_id, id);
        assert.equal(config.state_dir, join(root, 'var/lib/db_sentinel'), 'where serve leaves last-report.json');
        // The web config serve reads: 0600, accepted by serve's own parser.
        const webConfig = join(root, 'etc/db_sentinel/web.yml');
        assert.equal(statSync(webConfig).mode & 0o777, 0o600);
        const { parseWebConfig } = await import('../../src/outputs/web-config');
        assert.deepEqual(Object.keys(parseWebConfig(readFileSync(webConfig, 'utf8'), webConfig).basic_auth_users), ['prometheus']);
        // The textfile directory exists for node_exporter to read (opt-in path, enabled in this pillar).
        assert.equal(statSync(join(root, 'var/lib/prometheus/node-exporter')).mode & 0o777, 0o755);
        assert.equal(config.tuning.schedulers.rotational, 'mq-deadline');
        assert.equal(config.beacon.state_file, join(root, 'var/lib/db_sentinel/beacon-state.json'));
        assert.deepEqual(config.check.services, ['db_sentinel-test-missing.service']);
        const passwordFile = join(root, 'etc/db_sentinel/secrets/main.password');
        assert.deepEqual(config.databases, [{ name: 'main', engine: 'postgresql',
          url: `postgresql://db_sentinel@127.0.0.1:${pg.port}/postgres`, password_file: passwordFile,
          tls: { mode: 'disable' } }]);
        assert.equal(readFileSync(passwordFile, 'utf8').trim(), `secret-${id}`);
        assert.equal(statSync(passwordFile).mode & 0o777, 0o600);
        assert.doesNotMatch(readFileSync(configFile, 'utf8'), /secret-/);
        // The config the formula renders is one the bundles accept (the same parser as db_check/db_analyzer).
        const { parseConfigText } = await import('../../src/core/config');
        assert.equal(parseConfigText(readFileSync(configFile, 'utf8'), configFile).tuning.sysctl['vm.swappiness'], original.swappiness);
        assert.deepEqual(parseConfigText(readFileSync(configFile, 'utf8'), configFile).databases[0]?.tls, { mode: 'disable' });
        // No systemd here, so no daemon: the cron jobs send the events and write the textfile, serve does neither.
        assert.deepEqual([config.server.beacon, config.server.textfile], [false, false]);
      }
      const tab = crontab();
      for (const id of MINIONS) {
        for (const [job, identifier] of [['db_check', 'check'], ['db_textfile', 'textfile'], ['db_beacon', 'beacon']]) {
          const line = tab.split('\n').find((entry) => entry.includes(`${rootOf(id)}/opt/db_sentinel/bin/${job}.js`));
          assert.ok(line, `no crontab entry for ${job} of ${id}:\n${tab}`);
          assert.ok(tab.includes(`# SALT_CRON_IDENTIFIER:db_sentinel-${identifier}-${id}-${work.slice(-6)}`), tab);
        }
        assert.match(tab, new RegExp(`^\\*/5 \\* \\* \\* \\* .*${rootOf(id)}/opt/db_sentinel/bin/db_check\\.js --config ${rootOf(id)}/etc/db_sentinel/config\\.yml`, 'm'));
        // Through the launcher: /bin/sh db_check.sh SNAPSHOT_DIR NODE BUNDLE, then db_check's flags.
        assert.ok(tab.includes(` /bin/sh ${binDir(id)}/db_check.sh ${snapshotDir(id)} ${NODES[id]} ${binDir(id)}/db_check.js --config `), tab);
        assert.match(tab, new RegExp(`db_textfile\\.js --config \\S+ --dir ${rootOf(id)}/var/lib/prometheus/node-exporter`));
      }
    });

    it('a second apply changes nothing', async () => {
      await Promise.all(MINIONS.map(async (id) => {
        const { failed, changed } = summarize(await apply(id, 'db_sentinel'));
        assert.deepEqual(failed, []);
        assert.deepEqual(changed, []);
        // Nothing pending in test mode either: the modules are synced only when the master's copy changed.
        const { pending, failed: testFailed } = summarize(await apply(id, 'db_sentinel', 'test=True'));
        assert.deepEqual([...pending, ...testFailed], []);
      }));
    });

    it("db_check's cron job runs through the launcher: from the startup snapshot on Node 18, from the bundle where the node has none", async () => {
      /** The crontab's db_check command as cron runs it, checked to give db_check's Nagios output and exit status. */
      const runCheck = (id: string) => {
        const run = spawnSync('/bin/sh', ['-c', cronCommand('check', id)], { encoding: 'utf8' });
        const word = /^DB_SENTINEL (\w+) - /.exec(run.stdout)?.[1] ?? '';
        assert.equal(run.status, NAGIOS_STATUS.indexOf(word), `${run.status} ${run.stdout} ${run.stderr}`);
        assert.match(run.stdout, /^\[(OK|WARNING|CRITICAL|UNKNOWN)\] db_service: /m, run.stdout);
        assert.equal(run.stderr, '', 'the launcher neither fell back nor rebuilt');
      };
      const blobs = Object.fromEntries(MINIONS.map((id) => [id, readdirSync(snapshotDir(id)).sort()]));
      for (const id of MINIONS) runCheck(id);
      // Nothing built or removed by the runs: a node without a snapshot keeps its directory without one.
      for (const id of MINIONS) assert.deepEqual(readdirSync(snapshotDir(id)).sort(), blobs[id]);
      assert.deepEqual(blobs.db2, Object.values(SNAPSHOT_FILES).sort());

      // Proof that db2's run starts from the blob: its bundle broken in place (same inode, so the snapshot's link
      // still matches) makes node fail on the bundle, while the launcher's run is db_check's as before.
      const bundle = join(binDir('db2'), 'db_check.js');
      const text = readFileSync(bundle);
      const inode = statSync(bundle).ino;
      try {
        writeFileSync(bundle, 'db_check bundle broken by the test (\n');
        assert.equal(statSync(bundle).ino, inode);
        const direct = spawnSync(NODES.db2!, [bundle, '--config', join(rootOf('db2'), 'etc/db_sentinel/config.yml')], { encoding: 'utf8' });
        assert.equal(direct.status, 1, direct.stdout + direct.stderr);
        assert.match(direct.stderr, /SyntaxError/);
        runCheck('db2');
      } finally {
        writeFileSync(bundle, text);
      }
      assert.equal(statSync(bundle).ino, inode);
    });

    it('the textfile cron job writes db_sentinel.prom into the directory the apply created', async () => {
      const command = cronCommand('textfile', 'db1');
      execFileSync('sh', ['-c', command], { encoding: 'utf8' });
      const prom = readFileSync(join(rootOf('db1'), 'var/lib/prometheus/node-exporter/db_sentinel.prom'), 'utf8');
      assert.match(prom, /^db_sentinel_check_status\{check="swap"\} \d$/m);
      const status = JSON.parse(readFileSync(join(rootOf('db1'), 'var/lib/db_sentinel/textfile-status.json'), 'utf8'));
      assert.equal(status.error, null);
      // The directory gone: the run fails, and the report's textfile check says why.
      rmSync(join(rootOf('db1'), 'var/lib/prometheus/node-exporter'), { recursive: true });
      const failed = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
      assert.equal(failed.status, 3, failed.stdout + failed.stderr);
      assert.match(failed.stdout, /cannot be used: ENOENT/);
      const report = JSON.parse(execFileSync('node', [join(rootOf('db1'), 'opt/db_sentinel/bin/db_analyzer.js'), 'report', '--config',
        join(rootOf('db1'), 'etc/db_sentinel/config.yml')], { encoding: 'utf8' }));
      const check = report.checks.find((item: { name: string }) => item.name === 'textfile');
      assert.equal(check?.status, 'critical', JSON.stringify(check));
      assert.match(check.message, /cannot write the textfile .*node-exporter cannot be used: ENOENT/);
    });

    it('a server_token shorter than serve accepts fails the render naming the key, before any change', async () => {
      const states = await apply('db1', 'db_sentinel', `pillar=${JSON.stringify({ db_sentinel: { server_token: 'change-me-too' } })}`);
      const { failed, changed } = summarize(states);
      assert.deepEqual(failed, ['db_sentinel-config-file-test-fail_without_changes'], JSON.stringify(states));
      assert.deepEqual(changed, []);
      assert.match(String(Object.values(states)[0]?.comment), /^invalid pillar on db1: db_sentinel:server_token: expected one token of at least 16 characters without spaces/);
      // failhard: nothing after it ran (the apply stopped before the module sync and every change).
      assert.equal(Object.values(states).filter((state) => state.result === true).length, 0, JSON.stringify(states));
    });

    it('a cron job argument naming no known path fails the render naming the job, before any change', async () => {
      const pillar = { db_sentinel: { cron: { jobs: { db_beacon: { args: [['--config', 'config_file'], ['--state-file', 'no_such_path']] } } } } };
      const states = await apply('db1', 'db_sentinel', `pillar=${JSON.stringify(pillar)}`);
      const { failed, changed } = summarize(states);
      assert.deepEqual(failed, ['db_sentinel-config-file-test-fail_without_changes'], JSON.stringify(states));
      assert.deepEqual(changed, []);
      assert.match(String(Object.values(states)[0]?.comment),
        /^invalid pillar on db1: db_sentinel:cron:jobs:db_beacon:args: expected \[flag, path\] pairs, the path one of .*beacon_state.*, got \["--state-file", "no_such_path"\]/);
    });

    it('the analyzer unit (for systemd hosts) renders to a unit that systemd-analyze verify accepts', async () => {
      const unit = join(work, 'db_sentinel-analyzer.service');
      const analyzer = join(rootOf('db1'), 'opt/db_sentinel/bin/db_analyzer.js');
      const config = join(rootOf('db1'), 'etc/db_sentinel/config.yml');
      const webConfig = join(rootOf('db1'), 'etc/db_sentinel/web.yml');
      const rendered = await cluster.salt(['db1', 'cp.get_template', 'salt://db_sentinel/service/files/db_sentinel-analyzer.service.jinja',
        unit, 'node=/usr/bin/node', `analyzer=${analyzer}`, `config=${config}`, `web_config=${webConfig}`]);
      assert.equal(rendered.exitCode, 0, rendered.stdout + rendered.stderr);
      assert.match(readFileSync(unit, 'utf8'), new RegExp(`^ExecStart=/usr/bin/node --no-opt ${analyzer} serve --config ${config} --web.config.file ${webConfig}$`, 'm'));
      execFileSync('systemd-analyze', ['verify', unit], { stdio: 'pipe' });
    });

    it('pillar.example renders the whole formula, remediation included, as documented', async () => {
      const example = load(readFileSync(join(REPO_ROOT, 'pillar', 'pillar.example'), 'utf8')) as Record<string, unknown>;
      const shown = await cluster.salt(['db1', 'state.show_sls', 'db_sentinel,db_sentinel.remediation',
        `pillar=${JSON.stringify(example)}`]);
      const states = (shown.json as Record<string, Record<string, Record<string, unknown[]>>>)?.db1;
      assert.ok(states && !Array.isArray(states), shown.stdout);
      const serialize = states['db_sentinel-config-file-file-serialize'].file as Array<Record<string, unknown>>;
      const dataset = serialize.find((arg) => 'dataset' in arg)?.dataset as Record<string, any>;
      assert.equal(dataset.server.token_file, '/etc/db_sentinel/secrets/http.token');
      // The example token is one `db_analyzer serve` accepts (the apply validates it as serve does).
      assert.ok(String((example.db_sentinel as Record<string, unknown>).server_token).length >= 16);
      assert.equal(dataset.databases[0].password_file, '/etc/db_sentinel/secrets/main.password');
      assert.equal(dataset.databases[0].password, undefined);
      assert.deepEqual(dataset.databases[0].tls, { mode: 'disable' });
      assert.equal(dataset.tuning.sysctl['vm.swappiness'], 1);
      assert.ok(states['db_sentinel-config-passwords-file-managed-http-token']);
      assert.ok(states['db_sentinel-remediation-sysctl-sysctl-present-vm.swappiness']);
      // The server it deploys works: serve starts with that config and the example's token (listening beyond
      // loopback as pillar/db_sentinel.sls does), refuses a request without the token and answers one with it.
      const exampleSettings = example.db_sentinel as Record<string, any>;
      const tokenFile = join(work, 'example-http.token');
      writeFileSync(tokenFile, `${exampleSettings.server_token}\n`, { mode: 0o600 });
      const exampleConfig = join(work, 'example-config.yml');
      writeFileSync(exampleConfig, dump({ ...dataset, server: { ...dataset.server, token_file: tokenFile, interval_seconds: 5 },
        databases: [], beacon: { ...dataset.beacon, state_file: join(work, 'example-beacon.json') } }));
      const served = await startServe(['--config', exampleConfig, '--listen', '0.0.0.0:0']);
      try {
        const url = served.url.replace('0.0.0.0', '127.0.0.1');
        assert.equal((await fetch(`${url}/healthz`)).status, 401);
        // 503 until the first collection is in, however long a loaded machine takes.
        const status = await waitUntil('/healthz other than 503', async () => {
          const answer = (await fetch(`${url}/healthz`, { headers: { Authorization: `Bearer ${exampleSettings.server_token}` } })).status;
          return answer === 503 ? undefined : answer;
        });
        assert.equal(status, 200, served.stderr());
      } finally {
        await served.stop();
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

  describe('a host where systemd runs the daemon', () => {
    // The sandbox has no systemd: db2 is told it has (a grain in its own minion config dir), and gets its init back.
    before(async () => {
      const set = await cluster.salt(['db2', 'grains.setval', 'init', 'systemd']);
      assert.equal(set.exitCode, 0, set.stdout + set.stderr);
    });
    after(async () => {
      await cluster.salt(['db2', 'grains.delkey', 'init', 'force=True']);
      await cluster.salt(['db2', 'saltutil.refresh_grains']);
      const init = await cluster.salt(['db2', 'grains.get', 'init']);
      assert.notEqual((init.json as Record<string, unknown>)?.db2, 'systemd', init.stdout);
    });

    it('gets serve with server.beacon and server.textfile, and cron.absent for db_beacon and db_textfile (db_check stays)', async () => {
      const shown = await cluster.salt(['db2', 'state.show_sls', 'db_sentinel']);
      const states = (shown.json as Record<string, Record<string, Record<string, unknown[]>>>)?.db2;
      assert.ok(states && !Array.isArray(states), shown.stdout);
      const ids = Object.keys(states);
      assert.ok(ids.includes('db_sentinel-service-unit-service-running'), ids.join());
      for (const [job, identifier] of [['db_beacon', 'beacon'], ['db_textfile', 'textfile']]) {
        assert.ok(!ids.includes(`db_sentinel-cron-jobs-cron-present-${job}`), ids.join());
        const absent = states[`db_sentinel-cron-jobs-cron-absent-${job}`]?.cron;
        assert.ok(absent?.includes('absent'), JSON.stringify(states[`db_sentinel-cron-jobs-cron-absent-${job}`]));
        assert.deepEqual(absent.find((arg) => typeof arg === 'object' && arg !== null && 'identifier' in arg),
          { identifier: `db_sentinel-${identifier}-db2-${work.slice(-6)}` });
      }
      assert.ok(ids.includes('db_sentinel-cron-jobs-cron-present-db_check'), ids.join());
      // The textfile is on in this pillar: serve writes it into the directory node_exporter reads.
      assert.ok(ids.includes('db_sentinel-cron-jobs-file-directory-textfile'), ids.join());
      const serialize = states['db_sentinel-config-file-file-serialize']!.file as Array<Record<string, unknown>>;
      const dataset = serialize.find((arg) => typeof arg === 'object' && 'dataset' in arg)?.dataset as Record<string, any>;
      assert.deepEqual([dataset.server.beacon, dataset.server.textfile], [true, true]);
      const { parseConfig } = await import('../../src/core/config');
      assert.equal(parseConfig(dataset, 'db2 config').server.beacon, true, 'a config serve accepts');
    });

    it('test=True on the deployed host: its db_beacon and db_textfile cron jobs would go, db_check would stay', async () => {
      const states = await apply('db2', 'db_sentinel.cron', 'test=True');
      const { failed, pending } = summarize(states);
      assert.deepEqual(failed, [], JSON.stringify(states, null, 1));
      assert.deepEqual(pending.filter((id) => id.startsWith('db_sentinel-cron-jobs-')).sort(),
        ['db_sentinel-cron-jobs-cron-absent-db_beacon', 'db_sentinel-cron-jobs-cron-absent-db_textfile']);
      assert.ok(pending.includes('db_sentinel-config-file-file-serialize'), pending.join());
      assert.ok(crontab().includes(`# SALT_CRON_IDENTIFIER:db_sentinel-beacon-db2-${work.slice(-6)}`), 'test mode removed nothing');
    });
  });

  describe('salt-run state.orchestrate remediate', () => {
    const configured = (id: string) => readFileSync(join(rootOf(id), 'etc/sysctl.d/60-db_sentinel.conf'), 'utf8');
    const udevRule = (id: string) => readFileSync(join(rootOf(id), 'etc/udev/rules.d/60-db_sentinel-scheduler.rules'), 'utf8');
    const deployedTuning = (id: string) => (load(readFileSync(join(rootOf(id), 'etc/db_sentinel/config.yml'), 'utf8')) as { tuning: { sysctl: Record<string, number> } }).tuning;
    /** What a bad pillar must leave alone: the kernel, the persistent files, the config, the synced modules. */
    const hostState = () => ({
      swappiness: sysctl('vm.swappiness'),
      scheduler: activeScheduler(loopName),
      files: MINIONS.map((id) => execFileSync('find', [join(rootOf(id), 'etc'), '-type', 'f', '-printf', '%p %T@ %s\n'], { encoding: 'utf8' }).split('\n').sort()),
      configs: MINIONS.map((id) => readFileSync(join(rootOf(id), 'etc/db_sentinel/config.yml'), 'utf8')),
    });

    before(async () => {
      // The operator edits the remediation pillar: swappiness now differs from what the hosts' config.yml holds.
      await cluster.writePillar({ 'test_db_sentinel.sls': testPillar() });
      const refreshed = await cluster.salt(['*', 'saltutil.refresh_pillar', 'wait=True']);
      assert.equal(refreshed.exitCode, 0, refreshed.stdout + refreshed.stderr);
    });

    const badPillars: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a glob matching no device', { scheduler_devices: ['nosuchdev*'] },
        /invalid pillar on db[12]: db_sentinel:remediation\.scheduler_devices: "nosuchdev\*" match no block device with an I\/O scheduler on this host/],
      ['a value out of range', { sysctl: { 'vm.swappiness': 'abc' } },
        /invalid pillar on db[12]: db_sentinel:remediation\.sysctl\.vm\.swappiness: expected an integer >= 0 and <= 200, got "abc"/],
      ['an unknown scheduler', { schedulers: { nvme: 'fastest' } },
        /db_sentinel:remediation\.schedulers\.nvme: unknown I\/O scheduler "fastest"/],
      ['a scheduler the device does not offer', { schedulers: { rotational: 'cfq' } },
        new RegExp(`db_sentinel:remediation\\.schedulers\\.rotational: ${loopName || 'loop\\d+'} \\(rotational\\) does not offer the I/O scheduler cfq`)],
    ];
    for (const [what, remediation, message] of badPillars) {
      it(`${what} fails the run with one line naming the key and the minion, and no host changes`, async () => {
        const before = hostState();
        const run = await orchestrate([`pillar=${JSON.stringify({ remediation })}`]);
        assert.notEqual(run.exitCode, 0, run.text);
        assert.match(textOf(run.json), message, run.text);
        assert.doesNotMatch(run.text, /Traceback|line \d+, in /);
        // Stopped at the plan: no batch was started, the modules were not synced, nothing on the hosts moved.
        assert.equal(run.step('db_sentinel-remediate-apply-salt-state')?.result ?? false, false);
        assert.doesNotMatch(run.text, /saltutil_\|-db_sentinel-install-modules/);
        assert.deepEqual(hostState(), before);
        // The state alone refuses the same pillar before any state runs.
        const direct = await cluster.salt(['db1', 'state.apply', 'db_sentinel.remediation', `pillar=${JSON.stringify({ db_sentinel: { remediation } })}`]);
        assert.match(textOf(direct.json), message, direct.stdout);
        assert.deepEqual(hostState(), before);
      });
    }

    it('test=True lists per host every setting it would change, actual -> desired, and changes nothing', async () => {
      const run = await orchestrate(['test=True']);
      assert.equal(run.exitCode, 0, run.text);
      for (const id of MINIONS) {
        const planned = Object.values(run.minionStates('db_sentinel-remediate-plan-salt-state', id))
          .find((state) => state.__id__ === 'db_sentinel-remediation-plan-db_sentinel-tuning_planned');
        assert.equal(planned?.result, null, run.text);
        assert.deepEqual(planned?.changes, {
          'vm.swappiness': { old: original.swappiness, new: wantedSwappiness },
          [`scheduler.${loopName}`]: { old: 'none', new: 'mq-deadline' },
        });
      }
      // The default (highstate) output of the same run lists them too.
      const text = await cluster.saltRunText(['state.orchestrate', 'remediate', 'test=True']);
      for (const id of MINIONS) assert.match(text, new RegExp(`${id}:[\\s\\S]*vm\\.swappiness:[\\s\\S]*new:\\s*${wantedSwappiness}[\\s\\S]*old:\\s*${original.swappiness}`));
      assert.match(text, new RegExp(`scheduler\\.${loopName}:`));
      assert.equal(sysctl('vm.swappiness'), original.swappiness);
      assert.equal(activeScheduler(loopName), 'none');
      for (const id of MINIONS) assert.equal(existsSync(join(rootOf(id), 'etc/sysctl.d')), false);
    });

    it('applies the edited pillar now and persistently, in batches, verifies against it and brings config.yml in step', async () => {
      const run = await orchestrate([`pillar=${JSON.stringify({ batch: 1 })}`]);
      assert.equal(run.exitCode, 0, run.text);
      assert.equal(sysctl('vm.swappiness'), wantedSwappiness);
      assert.equal(activeScheduler(loopName), 'mq-deadline');
      for (const id of MINIONS) {
        assert.match(configured(id), new RegExp(`^vm\\.swappiness = ${wantedSwappiness}$`, 'm'));
        assert.match(udevRule(id), new RegExp(`KERNEL=="${loopName}", ATTR\\{queue/rotational\\}=="1", ATTR\\{queue/scheduler\\}="mq-deadline"`));
        assert.match(readFileSync(join(rootOf(id), 'etc/tmpfiles.d/db_sentinel-thp.conf'), 'utf8'),
          new RegExp(`^w /sys/kernel/mm/transparent_hugepage/enabled - - - - ${original.thp}$`, 'm'));
        // The host's own drift check now measures the profile that was applied.
        assert.equal(deployedTuning(id).sysctl['vm.swappiness'], Number(wantedSwappiness));
        const verified = Object.values(run.minionStates('db_sentinel-remediate-apply-salt-state', id))
          .find((state) => state.__id__ === 'db_sentinel-remediation-verify-db_sentinel-tuning_verified');
        assert.equal(verified?.result, true, run.text);
        assert.match(String(verified?.comment), /No tuning drift: the host matches the profile/);
      }
      // Batches of one: the two minions' remediation runs do not overlap in time.
      const spans = MINIONS.map((id) => {
        const states = Object.values(run.minionStates('db_sentinel-remediate-apply-salt-state', id)) as Array<StateReturn & { start_time: string; duration: number }>;
        assert.ok(states.length > 0, `no remediation states of ${id}`);
        const seconds = (time: string) => time.split(':').reduce((total, part) => total * 60 + Number(part), 0);
        return { start: Math.min(...states.map((state) => seconds(state.start_time))),
          end: Math.max(...states.map((state) => seconds(state.start_time) + state.duration / 1000)) };
      });
      assert.ok(spans[0].end <= spans[1].start || spans[1].end <= spans[0].start, JSON.stringify(spans));
    });

    it('a second run changes nothing; pillar target limits it to one host', async () => {
      const run = await orchestrate([`pillar=${JSON.stringify({ target: 'db1' })}`]);
      assert.equal(run.exitCode, 0, run.text);
      assert.match(run.text, /db1/);
      assert.doesNotMatch(run.text, /db2/);
      assert.equal(run.step('db_sentinel-remediate-apply-salt-state')?.comment, 'States ran successfully. No changes made to db1.');
    });

    it('stops at the first failing batch: the other host is never started', async () => {
      // A read-only kernel parameter passes the plan (it exists) but the kernel refuses the write: the batch fails.
      const run = await orchestrate([`pillar=${JSON.stringify({ batch: 1, remediation: { sysctl: { 'fs.dentry-state': 0 } } })}`]);
      assert.notEqual(run.exitCode, 0, run.text);
      const applied = run.step('db_sentinel-remediate-apply-salt-state');
      assert.equal(applied?.result, false, run.text);
      const ran = Object.keys(applied?.changes.ret ?? {});
      assert.equal(ran.length, 1, `expected one batch only, got ${ran.join(', ')}: ${run.text}`);
      assert.match(run.text, /fs\.dentry-state/);
      assert.equal(activeScheduler(loopName), 'mq-deadline');
      // Put the failed host's config back in step with the pillar (the failed run rendered fs.dentry-state into it).
      await cluster.salt([ran[0], 'state.apply', 'db_sentinel.config', 'queue=True']);
    });
  });

  describe('Prometheus file_sd targets from the Salt mine', () => {
    const db1 = { targets: ['127.0.0.1:19617'], labels: { host: 'db1', db_engine: 'postgresql', cluster: 'test-cluster', role: 'primary', db_sentinel: 'true' } };
    const db2 = { targets: ['127.0.0.1:19618'], labels: { host: 'db2', db_engine: 'postgresql', cluster: 'test-cluster', role: 'replica', db_sentinel: 'true' } };
    const renderTargets = async () => {
      const states = await apply('db1', 'db_sentinel.prometheus');
      assert.deepEqual(summarize(states).failed, [], JSON.stringify(states));
      return JSON.parse(readFileSync(fileSdPath(), 'utf8'));
    };

    it('the apply put each host in the mine: one target group per host with host, engine, cluster and role labels', async () => {
      // No mine.update by hand: state.apply db_sentinel updated the mine.
      assert.deepEqual(await renderTargets(), [db1, db2]);
    });

    it('a cleaned host leaves the targets and a newly deployed one joins them, each in the same apply cycle', async () => {
      assert.deepEqual(summarize(await apply('db2', 'db_sentinel.clean')).failed, []);
      assert.deepEqual(await renderTargets(), [db1]);
      assert.deepEqual(summarize(await apply('db2', 'db_sentinel')).failed, []);
      assert.deepEqual(await renderTargets(), [db1, db2]);
    });
  });
  describe('reactors on db_beacon events', () => {
    const reactionFile = (id: string, check: string, status: string) =>
      join(rootOf(id), 'var/lib/db_sentinel/reactions', `${check}-${status}.json`);

    async function waitForFile(path: string, timeoutMs = 90_000, context = ''): Promise<Record<string, any>> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (existsSync(path)) {
          try {
            return JSON.parse(readFileSync(path, 'utf8'));
          } catch {
            // Caught mid-write: read again on the next round.
          }
        }
        await new Promise((done) => setTimeout(done, 500));
      }
      assert.fail(`the reaction did not write ${path} within ${timeoutMs} ms; ${context}\nmaster log:\n${(await cluster.masterLog()).slice(-3000)}`);
    }

    it('a critical check event makes the master collect a fresh report on that minion', async () => {
      const sent = await cluster.saltCall('db1', ['event.send', 'db_sentinel/check/swap/critical',
        JSON.stringify({ host: 'db1', check: 'swap', previous: 'ok', status: 'critical', value: 1, message: 'test' })]);
      assert.equal(sent.exitCode, 0, sent.stdout + sent.stderr);
      const reaction = await waitForFile(reactionFile('db1', 'swap', 'critical'));
      assert.equal(reaction.check, 'swap');
      assert.equal(reaction.status, 'critical');
      assert.equal(reaction.analyzer_error, null, String(reaction.analyzer_error));
      assert.equal(reaction.report.schema_version, 1);
      assert.ok(Array.isArray(reaction.report.checks));
      // Only the minion that sent the event is acted on.
      assert.equal(existsSync(reactionFile('db2', 'swap', 'critical')), false);
    });

    it('a recovery event is recorded, and tuning drift is only reported while auto-remediation is off', async () => {
      await cluster.saltCall('db2', ['event.send', 'db_sentinel/check/swap/ok', '{"status": "ok"}']);
      const recovery = await waitForFile(reactionFile('db2', 'swap', 'ok'));
      assert.equal(recovery.status, 'ok');
      setSysctl('vm.swappiness', original.swappiness);
      await cluster.saltCall('db2', ['event.send', 'db_sentinel/check/tuning_drift/warning', '{"status": "warning"}']);
      const drift = await waitForFile(reactionFile('db2', 'tuning_drift', 'warning'));
      assert.equal(drift.report.checks.find((check: { name: string }) => check.name === 'tuning_drift')?.status, 'warning');
      const decision = await waitForFile(join(rootOf('db2'), 'var/lib/db_sentinel/reactions/auto_remediation.json'));
      assert.equal(decision.decision, 'off');
      assert.equal(sysctl('vm.swappiness'), original.swappiness);
    });

    it('with auto_remediate on in its pillar, a tuning drift event remediates that minion', async () => {
      await cluster.writePillar({ 'test_db_sentinel.sls': testPillar({ autoRemediateDb2: true }) });
      const refreshed = await cluster.salt(['db2', 'saltutil.refresh_pillar', 'wait=True']);
      assert.equal(refreshed.exitCode, 0, refreshed.stdout + refreshed.stderr);
      const decisionFile = join(rootOf('db2'), 'var/lib/db_sentinel/reactions/auto_remediation.json');
      await rm(decisionFile, { force: true });
      assert.equal(sysctl('vm.swappiness'), original.swappiness);
      await cluster.saltCall('db2', ['event.send', 'db_sentinel/check/tuning_drift/warning', '{"status": "warning"}']);
      const decision = await waitForFile(decisionFile);
      assert.equal(decision.decision, 'remediated');
      assert.equal(sysctl('vm.swappiness'), wantedSwappiness);
    });

    it('a database stopped: db_beacon (cron) puts db_sentinel/check/db_up/critical on the master bus once it held 2 runs, in one salt-call per run, and the reaction is written', async () => {
      const command = cronCommand('beacon', 'db2');
      const calls = () => cluster.saltCallLog('db2');
      const beacon = () => execFileSync('sh', ['-c', `${command} 2>&1`], { encoding: 'utf8' });
      // A fresh start: the first run of this state file only counts, the second sends what held (db_up is ok).
      await rm(join(rootOf('db2'), 'var/lib/db_sentinel/beacon-state.json'), { force: true });
      const before = calls().length;
      assert.equal(beacon(), '');
      assert.equal(calls().length, before, 'nothing held 2 runs yet: no salt-call');
      assert.equal(beacon(), '');
      assert.ok(calls().length <= before + 1, 'at most one salt-call per run');
      const state = JSON.parse(readFileSync(join(rootOf('db2'), 'var/lib/db_sentinel/beacon-state.json'), 'utf8'));
      assert.equal(state.checks.db_up.status, 'ok');

      await pg.stop();
      const watcher = await cluster.watchEvents('db_sentinel/');
      const stopped = calls().length;
      assert.equal(beacon(), '');
      assert.equal(calls().length, stopped, 'db_up critical once: held 1 run of 2, no event yet');
      assert.equal(beacon(), '');
      const sent = calls().slice(stopped);
      assert.equal(sent.length, 1, `one salt-call for all of the run's events: ${sent.join('\n')}`);
      assert.match(sent[0]!, /^event\.send db_sentinel\/beacon /);
      const event = await watcher.next('db_sentinel/check/db_up/critical').finally(() => watcher.close());
      assert.equal(event.data.check, 'db_up');
      assert.equal(event.data.status, 'critical');
      assert.equal(event.data.previous, 'ok');
      assert.equal(event.data.host, 'db2', 'host is the minion id');
      assert.equal(event.id, 'db2');
      const reaction = await waitForFile(reactionFile('db2', 'db_up', 'critical'), 120_000);
      assert.equal(reaction.report.checks.find((check: { name: string }) => check.name === 'db_up')?.status, 'critical');
      assert.equal(existsSync(reactionFile('db1', 'db_up', 'critical')), false, 'only the minion that sent it is acted on');
    });
  });

  describe('the daemon sends the events where it runs', () => {
    it("db_analyzer serve with server.beacon (db2's deployed bundle and config) puts db_sentinel/check/db_up/critical on the master bus once, through the minion's salt-call", async () => {
      // The database is still stopped (above). The config the formula renders on a systemd host, as the unit reads it.
      const deployed = JSON.parse(readFileSync(join(rootOf('db2'), 'etc/db_sentinel/config.yml'), 'utf8')) as Record<string, any>;
      const stateDir = await mkdtemp(join(work, 'daemon-'));
      const configFile = join(stateDir, 'config.json');
      writeFileSync(configFile, JSON.stringify({ ...deployed, state_dir: stateDir,
        server: { ...deployed.server, interval_seconds: 1, beacon: true },
        beacon: { ...deployed.beacon, state_file: join(stateDir, 'beacon-state.json') } }), { mode: 0o600 });
      const watcher = await cluster.watchEvents('db_sentinel/');
      const before = cluster.saltCallLog('db2').length;
      const serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], process.execPath, 120_000, [],
        { ...process.env, PATH: `${cluster.minion('db2').binDir}:/usr/bin:/bin` }, join(rootOf('db2'), 'opt/db_sentinel/bin'));
      try {
        const event = await watcher.next('db_sentinel/check/db_up/critical').finally(() => watcher.close());
        assert.equal(event.id, 'db2');
        assert.equal(event.data.host, 'db2');
        assert.equal(event.data.previous, null, "first sight in the daemon's own state");
        // Three more cycles: the change is not sent again.
        const lastReport = join(stateDir, 'last-report.json');
        for (let cycle = 0; cycle < 3; cycle += 1) {
          const seen = readFileSync(lastReport, 'utf8');
          await waitUntil('another cycle', async () => (readFileSync(lastReport, 'utf8') !== seen ? true : undefined), 60_000);
        }
        const calls = cluster.saltCallLog('db2').slice(before);
        assert.ok(calls.every((call) => call.startsWith('event.send db_sentinel/beacon ')), calls.join('\n'));
        assert.equal(calls.filter((call) => call.includes('db_sentinel/check/db_up/critical')).length, 1, calls.join('\n'));
      } finally {
        assert.equal(await serve.stop(), 0, serve.stderr());
      }
    });
  });

  describe('state.apply db_sentinel.clean', () => {
    it('removes everything the formula put on the hosts', async () => {
      for (const id of MINIONS) {
        const { failed } = summarize(await apply(id, 'db_sentinel.clean'));
        assert.deepEqual(failed, []);
        const left = execFileSync('find', [rootOf(id), '-type', 'f'], { encoding: 'utf8' }).trim();
        assert.equal(left, '', `files left on ${id}`);
        assert.equal(existsSync(snapshotDir(id)), false);
        assert.equal(existsSync(join(rootOf(id), ROOT_CODE_CACHE_DIR)), false, 'root\'s code cache directory');
      }
      assert.ok(!crontab().includes(work), crontab());
      assert.equal(existsSync(fileSdPath()), false);
    });
  });
});
