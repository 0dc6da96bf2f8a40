// serve's after-collection outputs (server.beacon, server.textfile) on fixture reports with a fake salt-call runner:
// the events of a change sent once in one salt-call, a failed salt-call logged and retried after the next collection,
// hysteresis counted in cycles, a salt-call slower than a cycle never started twice, the textfile and its status
// written (and a failed write recorded), and a blocked salt-call holding up neither the loop nor the served report.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConfig, type Config } from '../../src/core/config';
import { CommandError } from '../../src/core/errors';
import type { Report } from '../../src/core/report';
import type { Status } from '../../src/core/status';
import { daemonOutputs, type DaemonOutputs } from '../../src/outputs/daemon-outputs';
import { listen } from '../../src/outputs/http';
import { renderMetrics } from '../../src/outputs/prometheus';
import { startReportServer } from '../../src/outputs/report-server';
import { readState } from '../../src/outputs/salt-event';
import type { CommandRunner } from '../../src/sources/exec';
import { parseTextfileStatus } from '../../src/collectors/textfile-status';
import { fixtureReport } from '../harness/fixture-report';

const root = mkdtempSync(join(tmpdir(), 'db_sentinel-daemon-outputs-'));
let cases = 0;

function setup(server: { beacon?: boolean; textfile?: boolean }, hold = 1): { config: Config; dir: string } {
  cases += 1;
  const dir = join(root, String(cases));
  mkdirSync(dir);
  const config = parseConfig({
    server,
    beacon: { state_file: join(dir, 'beacon-state.json'), hysteresis_runs: hold, minion_id: 'db1' },
    textfile: { dir: join(dir, 'textfile'), status_file: join(dir, 'textfile-status.json') },
    state_dir: dir,
  }, 'test');
  return { config, dir };
}

/** The fixture report with every check ok except `statuses`, collected at minute `minute`. */
function reportAt(minute: number, statuses: Record<string, Status> = {}): Report {
  const report = fixtureReport();
  report.collected_at = new Date(Date.UTC(2026, 10, 30, 1, minute)).toISOString();
  for (const check of report.checks) check.status = statuses[check.name] ?? 'ok';
  return report;
}

/** A salt-call that records the tags of each call and answers like event.send, fails, or waits to be released. */
class FakeSaltCall {
  calls: string[][] = [];
  running = 0;
  mostAtOnce = 0;
  fail = false;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  hold(): void {
    this.gate = new Promise((resolve) => { this.open = resolve; });
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  readonly run: CommandRunner = async (command, args) => {
    assert.equal(command, 'salt-call');
    const load = JSON.parse(args[3]!.replace(/^preload=/, '')) as { events: Array<{ tag: string }> };
    this.calls.push(load.events.map((event) => event.tag));
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      if (this.gate !== null) await this.gate;
      if (this.fail) throw new CommandError('salt-call', 'exit_status', 'salt-call event.send exited with status 2: Minion failed to authenticate');
      return { stdout: 'local:\n    True\n', stderr: '', exitCode: 0 };
    } finally {
      this.running -= 1;
    }
  };
}

async function publish(outputs: DaemonOutputs, report: Report): Promise<void> {
  outputs.publish(report, await renderMetrics(report));
  await outputs.idle();
}

describe("serve's after-collection outputs", () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('are off by default, and each switch is a boolean named in its error', () => {
    const { config } = setup({});
    assert.equal(daemonOutputs(config, new FakeSaltCall().run, () => undefined), undefined);
    assert.throws(() => parseConfig({ server: { beacon: 'yes' } }, 'test'), /server\.beacon: expected true or false, got "yes"/);
    assert.throws(() => parseConfig({ server: { textfile: 1 } }, 'test'), /server\.textfile: expected true or false/);
  });

  it("send a change's events once, in one salt-call, and record the state", async () => {
    const { config } = setup({ beacon: true });
    const salt = new FakeSaltCall();
    const lines: string[] = [];
    const outputs = daemonOutputs(config, salt.run, (line) => lines.push(line))!;
    await publish(outputs, reportAt(0, { swap: 'critical', db_up: 'critical' }));
    await publish(outputs, reportAt(1, { swap: 'critical', db_up: 'critical' }));
    await publish(outputs, reportAt(2, { db_up: 'critical' }));
    await publish(outputs, reportAt(3, { db_up: 'critical' }));
    assert.deepEqual(salt.calls, [
      ['db_sentinel/check/swap/critical', 'db_sentinel/check/db_up/critical'],
      ['db_sentinel/check/swap/ok'],
    ]);
    assert.deepEqual(lines, [
      'beacon: sent db_sentinel/check/swap/critical, db_sentinel/check/db_up/critical',
      'beacon: sent db_sentinel/check/swap/ok',
    ]);
    const state = await readState(config.beacon.state_file);
    assert.deepEqual(state.checks.swap, { status: 'ok', since: reportAt(2).collected_at });
    assert.equal(state.checks.db_up?.status, 'critical');
    assert.equal(existsSync(config.textfile.status_file), false, 'no textfile without server.textfile');
  });

  it('log a failed salt-call, advance no status, and send the events after the next collection', async () => {
    const { config } = setup({ beacon: true });
    const salt = new FakeSaltCall();
    const lines: string[] = [];
    const outputs = daemonOutputs(config, salt.run, (line) => lines.push(line))!;
    salt.fail = true;
    await publish(outputs, reportAt(0, { swap: 'critical' }));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^warning: beacon: events db_sentinel\/check\/swap\/critical not sent: salt-call event\.send exited with status 2: Minion failed to authenticate \(sent again after the next collection\)$/);
    assert.equal((await readState(config.beacon.state_file)).checks.swap?.status, null, 'no status advanced');
    salt.fail = false;
    await publish(outputs, reportAt(1, { swap: 'critical' }));
    await publish(outputs, reportAt(2, { swap: 'critical' }));
    assert.deepEqual(salt.calls, [['db_sentinel/check/swap/critical'], ['db_sentinel/check/swap/critical']]);
    assert.equal((await readState(config.beacon.state_file)).checks.swap?.status, 'critical');
  });

  it('count beacon.hysteresis_runs in collections: a status held 3 cycles is one event, a blip none', async () => {
    const { config } = setup({ beacon: true }, 3);
    const salt = new FakeSaltCall();
    const outputs = daemonOutputs(config, salt.run, () => undefined)!;
    await publish(outputs, reportAt(0, { swap: 'critical' }));
    await publish(outputs, reportAt(1));
    await publish(outputs, reportAt(2, { swap: 'critical' }));
    await publish(outputs, reportAt(3, { swap: 'critical' }));
    assert.deepEqual(salt.calls, [], 'two cycles in a row are not three');
    await publish(outputs, reportAt(4, { swap: 'critical' }));
    assert.deepEqual(salt.calls, [['db_sentinel/check/swap/critical']]);
  });

  it('never start a second salt-call while one runs: the newest report waits, and its changes go next', async () => {
    const { config } = setup({ beacon: true });
    const salt = new FakeSaltCall();
    const outputs = daemonOutputs(config, salt.run, () => undefined)!;
    salt.hold();
    outputs.publish(reportAt(0, { swap: 'critical' }), '');
    await waitFor(() => salt.calls.length === 1);
    // Three collections end while the salt-call runs: the same change again, then a recovery, then a new problem.
    outputs.publish(reportAt(1, { swap: 'critical' }), '');
    outputs.publish(reportAt(2), '');
    outputs.publish(reportAt(3, { db_up: 'critical' }), '');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(salt.calls.length, 1, 'no salt-call started beside the running one');
    salt.release();
    await outputs.idle();
    assert.equal(salt.mostAtOnce, 1);
    assert.deepEqual(salt.calls, [
      ['db_sentinel/check/swap/critical'],
      // Only the newest report waited: the swap event is not sent twice.
      ['db_sentinel/check/swap/ok', 'db_sentinel/check/db_up/critical'],
    ]);
  });

  it('write the textfile and its status as db_textfile does, and record a failed write', async () => {
    const { config } = setup({ textfile: true });
    const lines: string[] = [];
    const outputs = daemonOutputs(config, new FakeSaltCall().run, (line) => lines.push(line))!;
    const report = reportAt(0);
    // The directory does not exist yet: the write fails, the status says why, serve logs it.
    await publish(outputs, report);
    const failed = parseTextfileStatus(readFileSync(config.textfile.status_file, 'utf8'), 'status');
    assert.equal(failed.file, null);
    assert.match(failed.error ?? '', /^textfile directory .*\/textfile cannot be used: ENOENT$/);
    assert.deepEqual(lines, [`warning: textfile: ${failed.error}`]);
    mkdirSync(config.textfile.dir);
    await publish(outputs, report);
    const file = join(config.textfile.dir, 'db_sentinel.prom');
    assert.equal(readFileSync(file, 'utf8'), await renderMetrics(report));
    const written = parseTextfileStatus(readFileSync(config.textfile.status_file, 'utf8'), 'status');
    assert.deepEqual({ file: written.file, error: written.error }, { file, error: null });
    assert.ok(Date.now() - Date.parse(written.at) < 60_000);
    assert.equal(lines.length, 1);
  });

  it('hold up neither the collection loop nor the served report while a salt-call hangs', async () => {
    const { config } = setup({ beacon: true, textfile: true });
    mkdirSync(config.textfile.dir);
    const salt = new FakeSaltCall();
    salt.hold();
    const outputs = daemonOutputs(config, salt.run, () => undefined)!;
    let collections = 0;
    const serving = await startReportServer({
      collect: async () => reportAt(collections++, { swap: 'critical' }),
      intervalMs: 10,
      security: { allowUnauthenticated: false },
      log: () => undefined,
      bind: (server) => listen(server, { host: '127.0.0.1', port: 0 }),
      publish: outputs.publish,
    });
    try {
      void serving.loop.start();
      await waitFor(() => collections >= 5);
      assert.equal(salt.calls.length, 1, 'one salt-call, still running');
      const response = await fetch(`http://127.0.0.1:${serving.bound.port}/report`);
      assert.equal(response.status, 200);
      const served = (await response.json()) as Report;
      assert.ok(served.collected_at >= reportAt(3).collected_at, `the served report moved on: ${served.collected_at}`);
      // The textfile is written on every cycle meanwhile: it does not wait for the salt-call either.
      assert.ok(existsSync(join(config.textfile.dir, 'db_sentinel.prom')));
    } finally {
      salt.release();
      await serving.stop();
      await outputs.idle();
    }
    assert.deepEqual(salt.calls, [['db_sentinel/check/swap/critical']], 'the reports that waited changed nothing more');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries += 1) {
    if (tries > 3000) throw new Error('condition not met within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
