// `build/db_analyzer.js serve` (Node 18, as the formula's unit runs it) with server.beacon and server.textfile on, a
// substitute salt-call first on its PATH that records its arguments, and Debian's node_exporter reading the textfile
// directory. The `textfile` check is made to change for real: textfile.dir is a regular file at first, so serve's
// write fails, its status says so and the next cycles' check goes critical; then it becomes a directory and the check
// recovers. Each change's event arrives once (beacon.hysteresis_runs 2, counted in serve's cycles), the .prom file
// appears complete (node_exporter reads it without error and serves every family of serve's /metrics), and serve
// exits 0 on SIGTERM.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitUntil } from '../../src/demo/local-server';
import { holdHostSettingsInSuite, quietHostSections } from '../harness/quiet-host';
import { eventsOf, recordingSaltCall, type SentEvent } from '../harness/salt-call-recorder';
import { startNodeExporter } from '../harness/node-exporter';
import { promtoolCheck } from '../harness/promtool';
import { NODE18, startServe, UNIT_ENV, UNIT_NODE_ARGS } from '../harness/serve-process';

const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-serve-outputs-'));
const salt = recordingSaltCall(dir);
const textfileDir = join(dir, 'textfile');

/** Every event of every salt-call so far, in order. */
const sentEvents = (): SentEvent[] => salt.calls().flatMap(eventsOf);

const tagsOf = (check: string): string[] => sentEvents().map((event) => event.tag).filter((tag) => tag.startsWith(`db_sentinel/check/${check}/`));

/** The host's tuning as the profile (tuning_drift ok), thresholds no busy machine reaches: only `textfile` changes. */
function writeConfig(): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({
    ...quietHostSections(dir),
    server: { interval_seconds: 1, beacon: true, textfile: true },
    beacon: { state_file: join(dir, 'beacon-state.json'), hysteresis_runs: 2, minion_id: 'db-test' },
    textfile: { dir: textfileDir, status_file: join(dir, 'textfile-status.json') },
    state_dir: dir,
  }));
  return file;
}

describe('serve sends the beacon events and writes the textfile from its own cycle', () => {
  // Not while a Salt test retunes the host: the profile written a moment before would drift by itself.
  holdHostSettingsInSuite();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('each change of the textfile check arrives once, and the .prom file node_exporter reads is complete', async () => {
    // Not a directory: serve's first writes fail, and the textfile check it reads back goes critical.
    writeFileSync(textfileDir, 'not a directory\n');
    const serve = await startServe(['--config', writeConfig(), '--listen', '127.0.0.1:0'], NODE18, 120_000, UNIT_NODE_ARGS,
      { ...process.env, ...UNIT_ENV, PATH: `${salt.bin}:${process.env.PATH}` });
    let exporter: Awaited<ReturnType<typeof startNodeExporter>> | undefined;
    try {
      assert.match(serve.stderr(), /collecting every 1 s, then sending the beacon's events and writing .*\/textfile\/db_sentinel\.prom/);
      await waitUntil('the textfile/critical event', async () => (tagsOf('textfile').length > 0 ? true : undefined), 120_000);
      const critical = sentEvents().find((event) => event.tag.startsWith('db_sentinel/check/textfile/'))!;
      assert.equal(critical.tag, 'db_sentinel/check/textfile/critical');
      assert.equal(critical.data.id, 'db-test');
      assert.equal(critical.data.data.previous, null);
      assert.match(critical.data.data.message, /cannot write the textfile .*textfile directory .*\/textfile is not a directory/);
      assert.match(serve.stderr(), /db_analyzer: warning: textfile: textfile directory .*\/textfile is not a directory/);
      // serve logs the delivery when salt-call has exited, a moment after the call was recorded.
      await waitUntil('the delivery in serve\'s log', async () =>
        (/db_analyzer: beacon: sent .*db_sentinel\/check\/textfile\/critical/.test(serve.stderr()) ? true : undefined), 60_000);

      rmSync(textfileDir);
      mkdirSync(textfileDir);
      const prom = join(textfileDir, 'db_sentinel.prom');
      await waitUntil('the textfile/ok event', async () => (tagsOf('textfile').length > 1 ? true : undefined), 120_000);
      // Several more cycles: nothing is sent twice.
      const status = join(dir, 'textfile-status.json');
      for (let cycle = 0; cycle < 3; cycle += 1) {
        const before = readFileSync(status, 'utf8');
        await waitUntil('another cycle', async () => (readFileSync(status, 'utf8') !== before ? true : undefined), 60_000);
      }
      assert.deepEqual(tagsOf('textfile'), ['db_sentinel/check/textfile/critical', 'db_sentinel/check/textfile/ok']);
      const recovered = sentEvents().find((event) => event.tag === 'db_sentinel/check/textfile/ok')!;
      assert.equal(recovered.data.data.previous, 'critical');

      const written = readFileSync(prom, 'utf8');
      assert.equal(promtoolCheck(written).ok, true, promtoolCheck(written).output);
      assert.deepEqual(readdirSync(textfileDir), ['db_sentinel.prom'], 'no temporary file left');
      exporter = await startNodeExporter(textfileDir);
      const scraped = await exporter.scrape();
      assert.match(scraped, /^node_textfile_scrape_error 0$/m);
      const served = await (await fetch(`${serve.url}/metrics`)).text();
      const familiesOf = (text: string): string[] => [...text.matchAll(/^# TYPE (db_sentinel_\S+) /gm)].map((match) => match[1]!).sort();
      assert.ok(familiesOf(written).length > 10);
      assert.deepEqual(familiesOf(written), familiesOf(served), 'the textfile has every family of /metrics');
      for (const family of familiesOf(written)) assert.match(scraped, new RegExp(`^# TYPE ${family} `, 'm'), `${family} not served by node_exporter`);
      assert.match(written, /^db_sentinel_check_status\{check="textfile"\} 0$/m);
    } finally {
      await exporter?.stop();
      assert.equal(await serve.stop(), 0, serve.stderr());
    }
  });
});
