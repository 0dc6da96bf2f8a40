// Beacon logic on fixture reports: events exactly on changes, first sight, recovery, hysteresis (a status must hold
// N runs), one salt-call carrying all of a run's events, failed delivery retried, the state file.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Report } from '../../src/core/report';
import type { Status } from '../../src/core/status';
import { BATCH_TAG, deliver, emptyState, parseState, readState, saltCallArgs, sendEvents, transitions, type SaltEvent } from '../../src/outputs/salt-event';
import { CommandError } from '../../src/core/errors';
import { fixtureReport } from '../harness/fixture-report';

const NOW = { hold: 1, host: 'db1' };

function withStatuses(statuses: Record<string, Status>, collectedAt: string): Report {
  const report = fixtureReport();
  report.collected_at = collectedAt;
  for (const check of report.checks) check.status = statuses[check.name] ?? 'ok';
  return report;
}

describe('salt events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-beacon-unit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts silent on healthy checks and reports every unhealthy check of the report, host = the minion id', () => {
    const { events, delivered } = transitions(fixtureReport(), emptyState(), NOW);
    assert.deepEqual(events.map((event) => event.tag), [
      'db_sentinel/check/disk_await/warning', 'db_sentinel/check/tuning_drift/warning',
      'db_sentinel/check/db_up/critical', 'db_sentinel/check/plan_findings/warning',
    ]);
    assert.deepEqual(events[2]!.data, {
      host: 'db1', check: 'db_up', previous: null, status: 'critical', value: 1,
      message: 'shop_mariadb down: connect ECONNREFUSED 127.0.0.1:3306', collected_at: '2026-11-25T01:40:00.000Z',
    });
    assert.deepEqual(Object.keys(delivered.checks).sort(), fixtureReport().checks.map((check) => check.name).sort());
  });

  it('sends exactly the changes, recovery included, and records them', async () => {
    const file = join(dir, 'state.json');
    const sent: SaltEvent[][] = [];
    const send = async (events: readonly SaltEvent[]): Promise<void> => void sent.push([...events]);
    await deliver(withStatuses({ swap: 'critical' }, '2026-11-25T01:00:00.000Z'), emptyState(), file, NOW, send);
    await deliver(withStatuses({ swap: 'critical' }, '2026-11-25T01:01:00.000Z'), await readState(file), file, NOW, send);
    await deliver(withStatuses({}, '2026-11-25T01:02:00.000Z'), await readState(file), file, NOW, send);
    await deliver(withStatuses({}, '2026-11-25T01:03:00.000Z'), await readState(file), file, NOW, send);
    assert.deepEqual(sent.map((events) => events.map((event) => [event.tag, event.data.previous])), [
      [['db_sentinel/check/swap/critical', null]],
      [['db_sentinel/check/swap/ok', 'critical']],
    ]);
    const state = await readState(file);
    assert.deepEqual(state.checks.swap, { status: 'ok', since: '2026-11-25T01:02:00.000Z' });
    assert.equal(state.checks.run_queue!.since, '2026-11-25T01:00:00.000Z', 'unchanged checks keep their since');
  });

  it('all of a run\'s changes go in one call', async () => {
    const calls: Array<readonly SaltEvent[]> = [];
    await deliver(withStatuses({ swap: 'critical', db_up: 'critical', disk_util: 'warning' }, '2026-11-25T01:00:00.000Z'),
      emptyState(), join(dir, 'one-call.json'), NOW, async (events) => void calls.push(events));
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.map((event) => event.tag).sort(),
      ['db_sentinel/check/db_up/critical', 'db_sentinel/check/disk_util/warning', 'db_sentinel/check/swap/critical']);
  });

  it('hysteresis: a status is an event only once it held N runs; a flapping value never is; recovery holds too', async () => {
    const file = join(dir, 'hysteresis.json');
    const hold = { hold: 3, host: 'db1' };
    const tags: string[][] = [];
    const send = async (events: readonly SaltEvent[]): Promise<void> => void tags.push(events.map((event) => event.tag));
    const run = async (swap: Status, minute: number) => {
      const before = existsSync(file) ? await readState(file) : emptyState();
      await deliver(withStatuses({ swap }, `2026-11-25T01:${String(minute).padStart(2, '0')}:00.000Z`), before, file, hold, send);
    };
    // Flapping at the threshold: critical never holds 3 runs in a row.
    for (const [minute, swap] of (['critical', 'ok', 'critical', 'critical', 'ok', 'critical'] as Status[]).entries()) await run(swap, minute);
    assert.deepEqual(tags, []);
    await run('critical', 10);
    await run('critical', 11);
    assert.deepEqual(tags, [['db_sentinel/check/swap/critical']], 'the third critical run in a row is the one event');
    const state = await readState(file);
    assert.deepEqual(state.checks.swap, { status: 'critical', since: '2026-11-25T01:05:00.000Z' });
    await run('critical', 12);
    await run('ok', 13);
    await run('ok', 14);
    assert.equal(tags.length, 1);
    await run('ok', 15);
    assert.deepEqual(tags, [['db_sentinel/check/swap/critical'], ['db_sentinel/check/swap/ok']]);
  });

  it('on a failed send records no status (retried next run) but keeps the hysteresis counts', async () => {
    const file = join(dir, 'failed.json');
    writeFileSync(file, JSON.stringify({ version: 1, checks: { swap: { status: 'ok', since: 'a' }, db_up: { status: 'ok', since: 'a' } } }));
    const report = withStatuses({ swap: 'critical', db_up: 'critical' }, '2026-11-25T02:00:00.000Z');
    const unreachable = async (): Promise<void> => {
      throw new Error('minion unreachable');
    };
    await assert.rejects(deliver(report, parseState(readFileSync(file, 'utf8'), file), file, NOW, unreachable), /minion unreachable/);
    const state = await readState(file);
    assert.deepEqual(state.checks.swap, { status: 'ok', since: 'a', pending: { status: 'critical', runs: 1, since: '2026-11-25T02:00:00.000Z' } });
    const sent: SaltEvent[] = [];
    await deliver(report, state, file, NOW, async (events) => void sent.push(...events));
    const inReportOrder = report.checks.map((check) => check.name).filter((name) => name === 'swap' || name === 'db_up');
    assert.deepEqual(sent.map((event) => [event.tag, event.data.previous]), inReportOrder.map((name) => [`db_sentinel/check/${name}/critical`, 'ok']));
  });

  it('one salt-call: event.send of the batch tag with every event, shaped as event.send gives it, in preload', async () => {
    const events = transitions(fixtureReport(), emptyState(), NOW).events;
    const args = saltCallArgs(events, 'db1');
    assert.deepEqual(args.slice(0, 3), ['event.send', BATCH_TAG, JSON.stringify({ count: 4 })]);
    const preload = JSON.parse(args[3]!.slice('preload='.length)) as { events: Array<{ tag: string; data: Record<string, unknown> }> };
    assert.deepEqual(preload.events.map((event) => event.tag), events.map((event) => event.tag));
    assert.deepEqual(preload.events[2]!.data, { id: 'db1', tag: 'db_sentinel/check/db_up/critical', cmd: '_minion_event', data: events[2]!.data });

    const calls: string[][] = [];
    await sendEvents(async (command, commandArgs) => {
      calls.push([command, ...commandArgs]);
      return { stdout: 'local:\n    True\n', stderr: '', exitCode: 0 };
    }, events, 'db1');
    assert.deepEqual(calls, [['salt-call', ...args]]);
    const answersFalse = async () => ({ stdout: 'local:\n    False\n', stderr: '', exitCode: 0 });
    await assert.rejects(sendEvents(answersFalse, events, 'db1'), /returned False/);
    const missing = async (): Promise<never> => {
      throw new CommandError('salt-call', 'not_found', 'salt-call: command not found in PATH');
    };
    await assert.rejects(sendEvents(missing, events.slice(0, 1), 'db1'), /events db_sentinel\/check\/disk_await\/warning not sent: salt-call: command not found in PATH/);
  });

  it('refuses a state file it cannot understand, naming it', async () => {
    const file = join(dir, 'garbage.json');
    writeFileSync(file, '{"version": 1, "checks": {"swap": {"status": "OK"}}}');
    await assert.rejects(readState(file), /garbage\.json: check "swap" has no valid status/);
    writeFileSync(file, '{"version": 2, "checks": {"swap": {"status": "ok", "since": "a", "pending": {"status": "bad"}}}}');
    await assert.rejects(readState(file), /garbage\.json: check "swap" has no valid status/);
    writeFileSync(file, 'not json');
    await assert.rejects(readState(file), /garbage\.json is not JSON/);
    assert.deepEqual(await readState(join(dir, 'absent.json')), emptyState());
    assert.ok(!existsSync(join(dir, 'absent.json')));
  });
});
