// `npm run demo` as a newcomer runs it: embedded PostgreSQL, workload, analyzer served on loopback; real slow
// queries in /report and /metrics (under a minute on a quiet machine; the test waits up to 5 minutes, as a loaded
// one may need); Ctrl-C (SIGINT) stops everything and removes its files.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Report } from '../../src/core/report';
import { promtoolCheck } from '../harness/promtool';
import { assertValidReport } from '../harness/report-schema';
import { ROOT } from '../harness/serve-process';

/** Only keeps a demo that never serves from hanging the suite: no margin, a loaded machine may take minutes. */
const LIMIT_MS = 300_000;

describe('npm run demo', () => {
  const started = Date.now();
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  let url: string | undefined;
  let report: Report | undefined;

  before(async () => {
    child = spawn(process.execPath, ['--require', './test/harness/register.js', 'src/demo/main.ts', '--listen', '127.0.0.1:0'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    while (url === undefined && Date.now() - started < LIMIT_MS && child.exitCode === null) {
      url = /serving (http:\/\/127\.0\.0\.1:\d+)\/report/.exec(output)?.[1];
      await sleep(200);
    }
    while (url !== undefined && report === undefined && Date.now() - started < LIMIT_MS) {
      const response = await fetch(`${url}/report`);
      if (response.status === 200) report = (await response.json()) as Report;
      else await sleep(500);
    }
  });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves a valid report and metrics on loopback', async () => {
    assert.ok(url, `no URL within ${LIMIT_MS / 60_000} minutes:\n${output}`);
    assert.ok(report, `no report within ${LIMIT_MS / 60_000} minutes:\n${output}`);
    assertValidReport(report, 'demo report');
    assert.match(output, /\n\S+: (OK|WARNING|CRITICAL|UNKNOWN) \(collected /, 'no summary printed');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const lint = promtoolCheck(metrics);
    assert.ok(lint.ok, lint.output);
  });

  it('shows real slow queries and plan findings of the demo database', async () => {
    const shop = report?.databases.find((database) => database.name === 'shop');
    assert.ok(shop?.up, `the demo database is not in the report: ${JSON.stringify(report?.databases)}`);
    assert.ok(shop.slow_queries.length >= 3, 'the workload made no slow queries');
    assert.ok(shop.slow_queries.some((query) => /FROM orders WHERE customer_id = \$1/.test(query.query)), 'unindexed filter not ranked');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^db_sentinel_slow_query_info\{db="shop",rank="1",/m);
    assert.match(metrics, /^db_sentinel_db_up\{db="shop",engine="postgresql"\} 1$/m);
    assert.match(output, /database shop \(postgresql 17\.\d+\): \d+ slow queries/);
  });

  it('shows plan findings of the slow queries', () => {
    const shop = report?.databases.find((database) => database.name === 'shop');
    assert.ok(shop?.slow_queries.some((query) => (query.plan?.findings.length ?? 0) > 0), 'no plan findings');
    assert.match(output, /database shop \(postgresql 17\.\d+\): \d+ slow queries, [1-9]\d* plan findings/);
  });

  it('stops cleanly on Ctrl-C and removes the database directory', async () => {
    child.kill('SIGINT');
    assert.equal(await exited, 0, output);
    assert.match(output, /stopped; temporary files removed/);
    const dataDir = /PostgreSQL 17\.\d+ on port \d+ \(data in (\S+)\)/.exec(output)?.[1];
    assert.ok(dataDir, output);
    assert.ok(!existsSync(dataDir), `${dataDir} left behind`);
  });
});
