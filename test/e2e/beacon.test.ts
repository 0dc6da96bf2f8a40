// db_beacon as shipped, with its real collectors and a fake salt-call on PATH that records its arguments: events
// exactly on changes (the tuning profile in the config is switched to make tuning_drift change for real), all of a
// run's events in one salt-call, recovery, salt-call failing or missing (exit 3, no status advanced, retried next
// run), --dry-run, serve's last report used when fresh, Node 18.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dump } from 'js-yaml';
import { holdHostSettingsInSuite, quietHostSections } from '../harness/quiet-host';
import { eventsOf, recordingSaltCall } from '../harness/salt-call-recorder';
import { NODE18, ROOT } from '../harness/serve-process';

const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-beacon-'));
const salt = recordingSaltCall(dir);
const stateFile = join(dir, 'state.json');

/** The profile as this host is now, so tuning_drift is ok (the rest holds still too: quiet-host.ts); `drift` makes
 * vm.swappiness drift from it. */
function writeConfig(drift: boolean): string {
  const file = join(dir, drift ? 'drift.yml' : 'match.yml');
  writeFileSync(file, dump({
    ...quietHostSections(dir, (sysctl) => {
      if (drift) sysctl['vm.swappiness'] = (Number(sysctl['vm.swappiness']) + 1) % 100;
    }),
    beacon: { state_file: stateFile, hysteresis_runs: 1, minion_id: 'db-test' },
    state_dir: dir,
  }));
  return file;
}

interface Run {
  status: number | null;
  stdout: string;
  calls: string[][];
}

const calls = salt.calls;

function beacon(args: string[], options: { node?: string; fail?: boolean; path?: string } = {}): Run {
  const before = calls().length;
  const result = spawnSync(options.node ?? process.execPath, [join(ROOT, 'build', 'db_beacon.js'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: options.path ?? `${salt.bin}:${process.env.PATH}`, FAKE_SALT_FAIL: options.fail ? '1' : '' },
  });
  return { status: result.status, stdout: result.stdout + result.stderr, calls: calls().slice(before) };
}

describe('db_beacon', () => {
  // Not while a Salt test retunes the host: the profile written a moment before would drift by itself.
  holdHostSettingsInSuite();
  after(() => rmSync(dir, { recursive: true, force: true }));
  // Written just before each run from the host's values at that moment (another process may retune the host).
  const match = (): string => writeConfig(false);
  const drift = (): string => writeConfig(true);

  it('starts by reporting only checks that are not ok, then stays silent while nothing changes (node18)', () => {
    const first = beacon(['--config', match()], { node: NODE18 });
    assert.equal(first.status, 0, first.stdout);
    assert.equal(first.stdout, '');
    assert.ok(first.calls.length <= 1, 'one salt-call at most');
    for (const event of first.calls.flatMap(eventsOf)) {
      assert.doesNotMatch(event.tag, /\/ok$/);
      assert.equal(event.data.data.previous, null);
      assert.equal(event.data.id, 'db-test');
    }
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { checks: Record<string, { status: string }> };
    assert.equal(state.checks.tuning_drift?.status, 'ok');
    const second = beacon(['--config', match()], { node: NODE18 });
    assert.equal(second.status, 0, second.stdout);
    assert.deepEqual(second.calls, []);
  });

  it('sends one event when a check changes, and none on the next run', () => {
    const changed = beacon(['--config', drift()]);
    assert.equal(changed.status, 0, changed.stdout);
    assert.equal(changed.calls.length, 1);
    const events = eventsOf(changed.calls[0]!);
    assert.deepEqual(events.map((event) => event.tag), ['db_sentinel/check/tuning_drift/warning']);
    const data = events[0]!.data.data;
    assert.equal(data.check, 'tuning_drift');
    assert.equal(data.previous, 'ok');
    assert.equal(data.status, 'warning');
    assert.equal(data.value, 1);
    assert.match(String(data.message), /vm\.swappiness is \d+, desired \d+/);
    assert.equal(data.host, 'db-test', 'host is the minion id of beacon.minion_id');
    assert.deepEqual(beacon(['--config', drift()]).calls, []);
  });

  it('prints the pending events with --dry-run and touches neither salt nor the state', () => {
    const before = readFileSync(stateFile, 'utf8');
    const dry = beacon(['--config', match(), '--dry-run']);
    assert.equal(dry.status, 0, dry.stdout);
    assert.deepEqual(dry.calls, []);
    const lines = dry.stdout.trim().split('\n').map((line) => JSON.parse(line) as { tag: string; data: { previous: string } });
    assert.deepEqual(lines.map((line) => [line.tag, line.data.previous]), [['db_sentinel/check/tuning_drift/ok', 'warning']]);
    assert.equal(readFileSync(stateFile, 'utf8'), before);
  });

  it('on a failing salt-call exits 3, keeps the state, and retries the recovery event next run', () => {
    const before = readFileSync(stateFile, 'utf8');
    const failed = beacon(['--config', match()], { fail: true });
    assert.equal(failed.status, 3);
    assert.match(failed.stdout, /^DB_SENTINEL UNKNOWN - db_beacon: error: events db_sentinel\/check\/tuning_drift\/ok not sent: salt-call event\.send .* exited with status 2: .*rejected this minion/);
    assert.equal(failed.calls.length, 1);
    const held = JSON.parse(readFileSync(stateFile, 'utf8')) as { checks: Record<string, { status: string }> };
    assert.equal(held.checks.tuning_drift?.status, (JSON.parse(before) as typeof held).checks.tuning_drift?.status, 'no status advanced');
    const retried = beacon(['--config', match()]);
    assert.equal(retried.status, 0, retried.stdout);
    assert.deepEqual(retried.calls.flatMap(eventsOf).map((event) => [event.tag, event.data.data.previous]), [['db_sentinel/check/tuning_drift/ok', 'warning']]);
  });

  it('on a missing salt-call exits 3 naming it, and keeps the state', () => {
    const probe = spawnSync('sh', ['-c', 'command -v salt-call'], { env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' } });
    if (probe.status === 0) return; // A system salt-call exists: "missing" cannot be staged on this host.
    const before = JSON.parse(readFileSync(stateFile, 'utf8')) as { checks: Record<string, { status: string }> };
    const missing = beacon(['--config', drift()], { path: '/usr/bin:/bin' });
    assert.equal(missing.status, 3);
    assert.match(missing.stdout, /events db_sentinel\/check\/tuning_drift\/warning not sent: salt-call: command not found in PATH/);
    const after = JSON.parse(readFileSync(stateFile, 'utf8')) as typeof before;
    assert.equal(after.checks.tuning_drift?.status, before.checks.tuning_drift?.status);
  });

  it('takes serve\'s last report when it is fresh (every check in it, database ones included), collects itself when stale', () => {
    const reportFile = join(dir, 'last-report.json');
    const config = match();
    const state = join(dir, 'fresh-state.json');
    const served = {
      schema_version: 1, host: 'vm', collected_at: new Date().toISOString(), status: 'critical', collectors: [], os: {}, databases: [],
      checks: [{ name: 'db_up', status: 'critical', message: 'main down: connect ECONNREFUSED', value: 1, unit: '', details: [] }],
    };
    writeFileSync(reportFile, JSON.stringify(served));
    const fresh = beacon(['--config', config, '--state-file', state]);
    assert.equal(fresh.status, 0, fresh.stdout);
    assert.deepEqual(fresh.calls.flatMap(eventsOf).map((event) => event.tag), ['db_sentinel/check/db_up/critical']);
    // Older than two server intervals (default 60 s): not used, the beacon collects every check itself.
    writeFileSync(reportFile, JSON.stringify({ ...served, collected_at: new Date(Date.now() - 121_000).toISOString() }));
    const stale = beacon(['--config', config, '--state-file', state]);
    assert.equal(stale.status, 0, stale.stdout);
    const checks = Object.keys((JSON.parse(readFileSync(state, 'utf8')) as { checks: Record<string, unknown> }).checks);
    assert.deepEqual(checks.filter((check) => ['run_queue', 'tuning_drift', 'db_up', 'plan_findings'].includes(check)).sort(),
      ['db_up', 'plan_findings', 'run_queue', 'tuning_drift'], checks.join());
    rmSync(reportFile);
  });

  it('names a broken state file and sends nothing', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 7}');
    const run = beacon(['--config', drift(), '--state-file', broken]);
    assert.equal(run.status, 3);
    assert.match(run.stdout, /state file .*broken\.json is not a db_beacon state/);
    assert.deepEqual(run.calls, []);
  });
});
