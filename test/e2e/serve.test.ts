// `db_analyzer serve` as shipped (the bundle), under Node 20 and the hosts' Node 18: background collection on an
// interval, /report and /metrics from the same report to a real client, promtool on the served metrics, refusal
// to listen beyond loopback without a token, the last report left in <state_dir>/last-report.json, and a clean stop on SIGTERM.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Report } from '../../src/core/report';
import { waitUntil } from '../../src/demo/local-server';
import { promtoolCheck } from '../harness/promtool';
import { assertValidReport } from '../harness/report-schema';
import { NODE18, ROOT, startServe } from '../harness/serve-process';

const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-serve-'));
const config = join(dir, 'config.yml');
const reportFile = join(dir, 'last-report.json');
writeFileSync(config, `server:\n  interval_seconds: 1\nstate_dir: ${dir}\n`);

async function getReport(url: string): Promise<Report> {
  const response = await fetch(`${url}/report`);
  assert.equal(response.status, 200);
  return (await response.json()) as Report;
}

async function firstReport(url: string): Promise<Report> {
  return waitUntil('the first report', async () => {
    const response = await fetch(`${url}/report`);
    if (response.status === 200) return (await response.json()) as Report;
    assert.equal(response.status, 503);
    return undefined;
  });
}

for (const [label, node] of [['node20', process.execPath], ['node18', NODE18]] as const) {
  describe(`db_analyzer serve (${label})`, () => {
    it('serves the last background report on /report and /metrics and stops on SIGTERM', async () => {
      const serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], node);
      try {
        const first = await firstReport(serve.url);
        assertValidReport(first, 'served report');
        assert.ok(first.duration_seconds >= 0 && Date.parse(first.collected_at) > Date.now() - 60_000);
        // The next collection replaces it without any request asking for it.
        const second = await waitUntil('a second background collection', async () => {
          const next = await getReport(serve.url);
          return next.collected_at === first.collected_at ? undefined : next;
        });
        assert.ok(Date.parse(second.collected_at) > Date.parse(first.collected_at));
        // Every cycle leaves its report for the cron commands of this host: 0600, a whole report, never a part.
        assert.equal(statSync(reportFile).mode & 0o777, 0o600);
        const left = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
        assertValidReport(left, 'state_dir/last-report.json');
        assert.ok(Date.parse(left.collected_at) >= Date.parse(first.collected_at));
        const metrics = await (await fetch(`${serve.url}/metrics`)).text();
        const lint = promtoolCheck(metrics);
        assert.ok(lint.ok, lint.output);
        const stamp = Number(/^db_sentinel_last_run_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
        assert.ok(stamp >= Date.parse(first.collected_at) / 1000);
        assert.equal((await fetch(`${serve.url}/healthz`)).status, 200);
        assert.equal((await fetch(`${serve.url}/nope`)).status, 404);
        assert.equal((await fetch(`${serve.url}/metrics`, { method: 'POST' })).status, 405);
      } finally {
        // Exit 0 is the proof of an orderly stop (killed by the signal, the code would be null), however long a
        // loaded machine takes to finish the collection in flight.
        assert.equal(await serve.stop(), 0);
      }
      assert.match(serve.stderr(), /SIGTERM: stopping/);
    });
  });
}

describe('db_analyzer serve: SIGTERM during a collection', () => {
  it('exits 0 when the signal comes while a later collection runs a command', async () => {
    // vmstat answers the first collection, then hangs in the second one until the test has sent SIGTERM: execa's
    // exit hook, loaded again for that command after serve's own listener, must not turn the signal into a kill.
    const bin = join(dir, 'sigterm-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'vmstat'), `#!/bin/sh\nif [ -e ${bin}/first ]; then : > ${bin}/started; exec /bin/sleep 600; fi\n` +
      `: > ${bin}/first\nexec /usr/bin/vmstat "$@"\n`, { mode: 0o755 });
    const sigtermConfig = join(dir, 'sigterm.yml');
    writeFileSync(sigtermConfig, 'check:\n  command_timeout_seconds: 5\nserver:\n  interval_seconds: 1\n');
    const serve = await startServe(['--config', sigtermConfig, '--listen', '127.0.0.1:0'], process.execPath, undefined, [],
      { ...process.env, PATH: `${bin}:/usr/bin:/bin` });
    await waitUntil('the second collection running vmstat', async () => (existsSync(join(bin, 'started')) ? true : undefined));
    assert.equal(await serve.stop(), 0, serve.stderr());
    assert.match(serve.stderr(), /SIGTERM: stopping/);
  });
});

describe('db_analyzer serve refusals', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('will not listen beyond loopback without a token or allow_unauthenticated', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'build', 'db_analyzer.js'), 'serve', '--config', config,
      '--listen', '0.0.0.0:0'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 3);
    assert.match(result.stdout, /^DB_SENTINEL UNKNOWN - db_analyzer: invalid configuration: config: server\.listen: 0\.0\.0\.0 is not loopback/);
  });

  it('rejects a token file that is missing or too short', () => {
    const shortToken = join(dir, 'short.token');
    writeFileSync(shortToken, 'abc\n');
    for (const [file, pattern] of [[join(dir, 'missing.token'), /cannot read .*missing\.token: ENOENT/], [shortToken, /at least 16 characters/]] as const) {
      const bad = join(dir, 'bad.yml');
      writeFileSync(bad, `server:\n  listen: 0.0.0.0:0\n  token_file: ${file}\n`);
      const result = spawnSync(process.execPath, [join(ROOT, 'build', 'db_analyzer.js'), 'serve', '--config', bad],
        { encoding: 'utf8', timeout: 20_000 });
      assert.equal(result.status, 3);
      assert.match(result.stdout, /server\.token_file/);
      assert.match(result.stdout, pattern);
    }
  });

  it('names an unknown subcommand', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'build', 'db_analyzer.js'), 'bogus'], { encoding: 'utf8' });
    assert.equal(result.status, 3);
    assert.match(result.stdout, /unknown subcommand "bogus"/);
  });
});
