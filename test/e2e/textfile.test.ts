// db_textfile with a real node_exporter reading the directory: the file is rewritten 100 times while node_exporter
// is scraped continuously; node_textfile_scrape_error stays 0 and every db_sentinel metric is served each time.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectAnalyzerReport } from '../../src/cli/analyzer/report';
import { parseConfig } from '../../src/core/config';
import { closeGracefully, createSentinelServer, listen } from '../../src/outputs/http';
import { renderMetrics } from '../../src/outputs/prometheus';
import { HOST_ROOTS } from '../../src/sources/fsroot';
import { TEXTFILE_NAME, writeTextfile } from '../../src/outputs/textfile';
import { fixtureReport } from '../harness/fixture-report';
import { startNodeExporter, type NodeExporter } from '../harness/node-exporter';
import { NODE18, ROOT } from '../harness/serve-process';
import { PlanCache } from '../../src/explain';

function families(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (db_sentinel_\S+) /gm)].map((match) => match[1]!));
}

/** Every db_sentinel sample as name{labels} -> value (node_exporter re-renders numbers, e.g. 1.7e+09). */
function ownSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const match of text.matchAll(/^(db_sentinel_[\w:]*)(?:\{(.*)\})? (\S+)$/gm)) {
    // node_exporter sorts labels by name: compare label sets, not their order.
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => `${name}=${value}`).sort();
    samples.set(`${match[1]}{${labels.join(',')}}`, Number(match[3]));
  }
  return samples;
}

function sample(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

describe('db_textfile with node_exporter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-textfile-'));
  let exporter: NodeExporter;
  before(async () => {
    exporter = await startNodeExporter(dir);
  });
  after(async () => {
    await exporter?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [label, node] of [['node20', process.execPath], ['node18', NODE18]] as const) {
    it(`the bundle writes a file node_exporter serves (${label})`, async () => {
      const result = spawnSync(node, [join(ROOT, 'build', 'db_textfile.js'), '--dir', dir], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.equal(result.stdout, '', 'silent on success (cron mails output)');
      const written = readFileSync(join(dir, TEXTFILE_NAME), 'utf8');
      const scraped = await exporter.scrape();
      assert.equal(sample(scraped, 'node_textfile_scrape_error'), 0);
      for (const family of families(written)) assert.ok(families(scraped).has(family), `${family} not served`);
      assert.ok(sample(scraped, 'db_sentinel_last_run_timestamp_seconds')! > Date.now() / 1000 - 120);
    });
  }

  it('survives 100 rewrites under continuous scraping without an error or a missing metric', async () => {
    const report = fixtureReport();
    const base = Date.parse(report.collected_at);
    const expected = families(await renderMetrics(report));
    await writeTextfile(dir, await renderMetrics(report));
    let writing = true;
    let scrapes = 0;
    const scraper = (async () => {
      while (writing) {
        const scraped = await exporter.scrape();
        scrapes += 1;
        assert.equal(sample(scraped, 'node_textfile_scrape_error'), 0, `scrape ${scrapes}: textfile error`);
        const served = families(scraped);
        for (const family of expected) assert.ok(served.has(family), `scrape ${scrapes}: ${family} missing`);
      }
    })();
    for (let round = 0; round < 100; round += 1) {
      report.collected_at = new Date(base + round * 1000).toISOString();
      report.duration_seconds = round / 100;
      await writeTextfile(dir, await renderMetrics(report));
    }
    writing = false;
    await scraper;
    assert.ok(scrapes >= 5, `only ${scrapes} scrapes overlapped the rewrites`);
    const last = await exporter.scrape();
    assert.equal(sample(last, 'db_sentinel_last_run_timestamp_seconds'), (base + 99_000) / 1000);
    assert.deepEqual(readdirSync(dir), [TEXTFILE_NAME], 'temporary files left behind');
  });

  it('node_exporter and the HTTP server serve the same samples of one collected report', async () => {
    const config = parseConfig({}, '(test)');
    const report = await collectAnalyzerReport(config, HOST_ROOTS, new PlanCache());
    const metrics = await renderMetrics(report);
    await writeTextfile(dir, metrics);
    const server = createSentinelServer({
      security: { allowUnauthenticated: false },
      snapshot: () => ({ report, json: Buffer.from(''), metrics: Buffer.from(metrics), installedAt: Date.now() }),
      staleAfterMs: 60_000,
    });
    const { port } = await listen(server, { host: '127.0.0.1', port: 0 });
    try {
      const viaHttp = ownSamples(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      const viaNodeExporter = ownSamples(await exporter.scrape());
      assert.ok(viaHttp.size >= 30, `only ${viaHttp.size} samples`);
      assert.deepEqual(viaNodeExporter, viaHttp);
    } finally {
      await closeGracefully(server);
    }
  });

  it('on a host with db_analyzer serve, writes the daemon\'s fresh report instead of collecting; a stale one it replaces', async () => {
    const work = mkdtempSync(join(tmpdir(), 'db_sentinel-last-report-'));
    try {
      const reportFile = join(work, 'last-report.json');
      const configFile = join(work, 'config.yml');
      writeFileSync(configFile, JSON.stringify({ server: { interval_seconds: 60 }, state_dir: work }));
      // The fixture is of other hosts (pg15, mariadb): metrics from it cannot come from a collection here.
      const report = fixtureReport();
      report.collected_at = new Date(Date.now() - 30_000).toISOString();
      writeFileSync(reportFile, JSON.stringify(report), { mode: 0o600 });
      const run = (): string => {
        const result = spawnSync(process.execPath, [join(ROOT, 'build', 'db_textfile.js'), '--dir', dir, '--config', configFile],
          { encoding: 'utf8', timeout: 60_000 });
        assert.equal(result.status, 0, result.stdout + result.stderr);
        return readFileSync(join(dir, TEXTFILE_NAME), 'utf8');
      };
      assert.equal(run(), await renderMetrics(report));
      // Two intervals old: the daemon is not keeping up (or gone), db_textfile collects itself.
      report.collected_at = new Date(Date.now() - 121_000).toISOString();
      writeFileSync(reportFile, JSON.stringify(report), { mode: 0o600 });
      const collected = run();
      assert.notEqual(collected, await renderMetrics(report));
      assert.ok(sample(collected, 'db_sentinel_last_run_timestamp_seconds')! > Date.now() / 1000 - 60);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('fails clearly on a missing directory and leaves nothing behind', async () => {
    const missing = join(dir, 'absent');
    await assert.rejects(writeTextfile(missing, 'x 1\n'), /textfile directory .*absent cannot be used: ENOENT/);
    const result = spawnSync(process.execPath, [join(ROOT, 'build', 'db_textfile.js'), '--dir', missing], { encoding: 'utf8' });
    assert.equal(result.status, 3);
    assert.match(result.stdout, /^DB_SENTINEL UNKNOWN - db_textfile: error: textfile directory .*absent cannot be used: ENOENT/);
  });

  it('refuses samples with timestamps, but not label values with spaces', async () => {
    await assert.rejects(writeTextfile(dir, 'db_sentinel_x 1 1700000000000\n'), /timestamps/);
    await writeTextfile(dir, await renderMetrics(fixtureReport()));
  });
});
