// A stand-in for `salt-call` first on PATH, for the tests of the beacon's delivery (db_beacon from cron, serve's
// server.beacon): it records each call's arguments (one line per call, arguments separated by NUL), answers as
// event.send does, or fails as a minion the master rejected when FAKE_SALT_FAIL is set in its environment.
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SentEvent {
  tag: string;
  data: { id: string; data: { host: string; check: string; previous: string | null; status: string; value?: unknown; message: string } };
}

export interface SaltCallRecorder {
  /** The directory to put first on PATH. */
  bin: string;
  /** Every call so far, its arguments in order. */
  calls(): string[][];
}

export function recordingSaltCall(dir: string): SaltCallRecorder {
  const bin = join(dir, 'bin');
  const log = join(dir, 'salt-call.log');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'salt-call'), `#!/bin/sh
printf '%s\\0' "$@" >> '${log}'
printf '\\n' >> '${log}'
if [ -n "$FAKE_SALT_FAIL" ]; then echo "[ERROR] The Salt Master has rejected this minion's public key" >&2; exit 2; fi
printf 'local:\\n    True\\n'
`);
  chmodSync(join(bin, 'salt-call'), 0o755);
  return {
    bin,
    calls: () => (existsSync(log)
      ? readFileSync(log, 'utf8').split('\n').filter((line) => line !== '').map((line) => line.split('\0').slice(0, -1))
      : []),
  };
}

/** The events one salt-call carried: event.send db_sentinel/beacon {count} preload={"events": [...]}, to the master. */
export function eventsOf(call: readonly string[]): SentEvent[] {
  assert.equal(call[0], 'event.send');
  assert.equal(call[1], 'db_sentinel/beacon');
  assert.equal(call.length, 4, 'no --local: the events go to the master');
  const events = (JSON.parse(call[3]!.replace(/^preload=/, '')) as { events: SentEvent[] }).events;
  assert.deepEqual(JSON.parse(call[2]!), { count: events.length });
  return events;
}
