// Beacon logic on fixture reports: events exactly on changes, first sight, recovery, partial delivery, state file.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Report } from '../../src/core/report';
import type { Status } from '../../src/core/status';
import { deliver, emptyState, parseState, readState, transitions, sendEvent, type SaltEvent } from '../../src/outputs/salt-event';
import { CommandError } from '../../src/core/errors';
import { fixtureReport } from '../harness/fixture-report';

function withStatuses(statuses: Record<string, Status>, collectedAt: string): Report {
  const report = fixtureReport();
  report.collected_at = collectedAt;
  for (const check of report.checks) check.status = statuses[check.name] ?? 'ok';
  return report;
}

describe('salt events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-beacon-unit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts silent on healthy checks and reports the unhealthy ones with previous null', () => {
    const { events, unchanged } = transitions(fixtureReport(), emptyState());
    assert.deepEqual(events.map((item) => item.event.tag), [
      'db_sentinel/check/disk_await/warning', 'db_sentinel/check/tuning_drift/warning',
      'db_sentinel/check/db_up/critical', 'db_sentinel/check/plan_findings/warning',
    ]);
    const dbUp = events[2]!.event.data;
    assert.deepEqual(dbUp, {
      host: 'db1.example.net', check: 'db_up', previous: null, status: 'critical', value: 1,
      message: 'shop_mariadb down: connect ECONNREFUSED 127.0.0.1:3306', collected_at: '2026-11-25T01:40:00.000Z',
    });
    assert.deepEqual(Object.keys(unchanged).sort(), ['context_switches', 'db_connections', 'db_service', 'disk_util', 'run_queue', 'swap']);
  });

  it('sends exactly the changes, recovery included, and records them', async () => {
    const file = join(dir, 'state.json');
    const sent: SaltEvent[] = [];
    const send = async (event: SaltEvent): Promise<void> => void sent.push(event);
    await deliver(withStatuses({ swap: 'critical' }, '2026-11-25T01:00:00.000Z'), emptyState(), file, send);
    await deliver(withStatuses({ swap: 'critical' }, '2026-11-25T01:01:00.000Z'), await readState(file), file, send);
    await deliver(withStatuses({}, '2026-11-25T01:02:00.000Z'), await readState(file), file, send);
    await deliver(withStatuses({}, '2026-11-25T01:03:00.000Z'), await readState(file), file, send);
    assert.deepEqual(sent.map((event) => [event.tag, event.data.previous]), [
      ['db_sentinel/check/swap/critical', null],
      ['db_sentinel/check/swap/ok', 'critical'],
    ]);
    const state = await readState(file);
    assert.deepEqual(state.checks.swap, { status: 'ok', since: '2026-11-25T01:02:00.000Z' });
    assert.equal(state.checks.run_queue!.since, '2026-11-25T01:00:00.000Z', 'unchanged checks keep their since');
  });

  it('on a failed send keeps the old state of that check and the later ones, records the earlier ones', async () => {
    const file = join(dir, 'partial.json');
    const before = { version: 1, checks: { swap: { status: 'ok', since: 'a' }, db_up: { status: 'ok', since: 'a' } } } as const;
    writeFileSync(file, JSON.stringify(before));
    const report = withStatuses({ swap: 'critical', db_up: 'critical' }, '2026-11-25T02:00:00.000Z');
    let calls = 0;
    const flaky = async (event: SaltEvent): Promise<void> => {
      calls += 1;
      if (event.data.check === 'db_up') throw new Error('minion unreachable');
    };
    await assert.rejects(deliver(report, parseState(readFileSync(file, 'utf8'), file), file, flaky), /minion unreachable/);
    assert.equal(calls, 2);
    const state = await readState(file);
    assert.equal(state.checks.swap!.status, 'critical');
    assert.deepEqual(state.checks.db_up, { status: 'ok', since: 'a' });
  });

  it('leaves the state file untouched when nothing could be sent', async () => {
    const file = join(dir, 'untouched.json');
    const text = JSON.stringify({ version: 1, checks: { swap: { status: 'ok', since: 'a' } } });
    writeFileSync(file, text);
    const missing = async (): Promise<never> => {
      throw new CommandError('salt-call', 'not_found', 'salt-call: command not found in PATH');
    };
    const report = withStatuses({ swap: 'warning' }, '2026-11-25T03:00:00.000Z');
    await assert.rejects(sendEvent(missing, { tag: 't', data: transitions(report, emptyState()).events[0]!.event.data }),
      /event t not sent: salt-call: command not found in PATH/);
    await assert.rejects(deliver(report, await readState(file), file, (event) => sendEvent(missing, event)), /not sent/);
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  it('treats event.send answering False as a failure', async () => {
    const answersFalse = async () => ({ stdout: 'local:\n    False\n', stderr: '', exitCode: 0 });
    const event = transitions(fixtureReport(), emptyState()).events[0]!.event;
    await assert.rejects(sendEvent(answersFalse, event), /returned False/);
    const calls: string[][] = [];
    await sendEvent(async (command, args) => {
      calls.push([command, ...args]);
      return { stdout: 'local:\n    True\n', stderr: '', exitCode: 0 };
    }, event);
    assert.deepEqual(calls, [['salt-call', 'event.send', event.tag, JSON.stringify(event.data)]]);
  });

  it('refuses a state file it cannot understand, naming it', async () => {
    const file = join(dir, 'garbage.json');
    writeFileSync(file, '{"version": 1, "checks": {"swap": {"status": "OK"}}}');
    await assert.rejects(readState(file), /garbage\.json: check "swap" has no valid status/);
    writeFileSync(file, 'not json');
    await assert.rejects(readState(file), /garbage\.json is not JSON/);
    assert.deepEqual(await readState(join(dir, 'absent.json')), emptyState());
    assert.ok(!existsSync(join(dir, 'absent.json')));
  });
});
