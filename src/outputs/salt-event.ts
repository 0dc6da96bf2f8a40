// The Salt event view, beacon style: the last status of each check is kept in a state file, and only a change
// becomes an event `db_sentinel/check/<check>/<status>`. A new status must hold for `hold` runs in a row (hysteresis:
// a value flapping at a threshold is no event) before it is one; recovery to ok is a change like any other. A check
// seen for the first time raises an event only when it is not ok (a healthy host starts silent). All of a run's
// events go to the master in ONE `salt-call event.send` (each salt-call costs seconds): the events ride in the
// `events` list of the load, which the master fires one by one under their own tags, each shaped as event.send's.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { BeaconConfig } from '../core/config';
import type { CommandRunner } from '../sources/exec';
import type { Report } from '../core/report';
import { isStatus, type Status } from '../core/status';
import { DbSentinelError, errorMessage } from '../core/errors';
import { writeFileAtomic } from '../sources/atomic-file';

export const STATE_VERSION = 2;
export const SALT_CALL = 'salt-call';
export const SALT_CALL_TIMEOUT_MS = 60_000;
/** The tag of the one event.send that carries a run's events (the master fires those, not this one). */
export const BATCH_TAG = 'db_sentinel/beacon';

export class StateFileError extends DbSentinelError {}
export class EventSendError extends DbSentinelError {}

export interface CheckState {
  /** The status last sent (or taken silently as ok on first sight); null while none has held long enough. */
  status: Status | null;
  /** collected_at of the report that first showed this status. */
  since: string;
  /** A different status seen in the last `runs` runs in a row, not yet held long enough to be an event. */
  pending?: { status: Status; runs: number; since: string };
}

export interface BeaconState {
  version: number;
  checks: Record<string, CheckState>;
}

export interface EventData {
  /** The minion id (beacon.minion_id, rendered by Salt), which reactions target. */
  host: string;
  check: string;
  /** The status before the change; null for a check seen for the first time. */
  previous: Status | null;
  status: Status;
  value: number | null;
  message: string;
  collected_at: string;
}

export interface SaltEvent {
  tag: string;
  data: EventData;
}

export function eventTag(check: string, status: Status): string {
  return `db_sentinel/check/${check}/${status}`;
}

export function emptyState(): BeaconState {
  return { version: STATE_VERSION, checks: {} };
}

/** Parses a state file (version 1, without pending counts, is read too); anything else is an error naming the file. */
export function parseState(text: string, file: string): BeaconState {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error: unknown) {
    throw new StateFileError(`state file ${file} is not JSON (${errorMessage(error)}); remove it to start afresh`, { cause: error });
  }
  const state = document as Partial<BeaconState> | null;
  if (typeof state !== 'object' || state === null || (state.version !== STATE_VERSION && state.version !== 1) ||
    typeof state.checks !== 'object' || state.checks === null) {
    throw new StateFileError(`state file ${file} is not a db_beacon state (version ${STATE_VERSION}); remove it to start afresh`);
  }
  for (const [check, entry] of Object.entries(state.checks)) {
    const pending = entry?.pending;
    if (!(entry?.status === null || isStatus(entry?.status)) || typeof entry.since !== 'string' ||
      (pending !== undefined && (!isStatus(pending.status) || !Number.isInteger(pending.runs) || typeof pending.since !== 'string'))) {
      throw new StateFileError(`state file ${file}: check ${JSON.stringify(check)} has no valid status; remove it to start afresh`);
    }
  }
  return { version: STATE_VERSION, checks: state.checks };
}

export async function readState(file: string): Promise<BeaconState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return emptyState();
    throw new StateFileError(`cannot read state file ${file}: ${(error as { code?: string }).code ?? errorMessage(error)}`,
      { cause: error });
  }
  return parseState(text, file);
}

export function writeState(file: string, state: BeaconState): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, 0o640);
}

export interface BeaconOptions {
  /** Runs in a row a new status must be seen before it is an event (1: at once). */
  hold: number;
  /** The minion id put in each event as `host`. */
  host: string;
}

/** The options config.beacon gives: the hold, and the minion id (the OS hostname when the formula set none). */
export function beaconOptions(beacon: BeaconConfig): BeaconOptions {
  return { hold: beacon.hysteresis_runs, host: beacon.minion_id ?? hostname() };
}

export interface Transitions {
  events: SaltEvent[];
  /** The state to record once the events are delivered. */
  delivered: BeaconState;
  /** The state to record when they could not be: pending counts advance, sent statuses do not (retried next run). */
  held: BeaconState;
}

/**
 * Compares the report's checks with the last known states. Checks no longer reported are forgotten; events come in
 * report order.
 */
export function transitions(report: Report, state: BeaconState, options: BeaconOptions): Transitions {
  const events: SaltEvent[] = [];
  const delivered: BeaconState = emptyState();
  const held: BeaconState = emptyState();
  for (const check of report.checks) {
    const before = state.checks[check.name];
    if (before?.status === check.status) {
      delivered.checks[check.name] = held.checks[check.name] = { status: before.status, since: before.since };
      continue;
    }
    // First sight, or nothing ever held: ok is silent (no recovery from a problem never sent).
    if ((before === undefined || before.status === null) && check.status === 'ok') {
      delivered.checks[check.name] = held.checks[check.name] = { status: 'ok', since: report.collected_at };
      continue;
    }
    const pending = before?.pending?.status === check.status
      ? { ...before.pending, runs: before.pending.runs + 1 }
      : { status: check.status, runs: 1, since: report.collected_at };
    const confirmed = { status: before?.status ?? null, since: before?.since ?? report.collected_at };
    if (pending.runs < options.hold) {
      delivered.checks[check.name] = held.checks[check.name] = { ...confirmed, pending };
      continue;
    }
    held.checks[check.name] = { ...confirmed, pending };
    delivered.checks[check.name] = { status: check.status, since: pending.since };
    events.push({
      tag: eventTag(check.name, check.status),
      data: {
        host: options.host,
        check: check.name,
        previous: before?.status ?? null,
        status: check.status,
        value: check.value,
        message: check.message,
        collected_at: report.collected_at,
      },
    });
  }
  return { events, delivered, held };
}

/**
 * The arguments of the one salt-call that sends `events` to the master: event.send of BATCH_TAG with the events in
 * the load's `events` list (salt-call's `preload`), each with the data event.send would have given it.
 */
export function saltCallArgs(events: readonly SaltEvent[], minionId: string): string[] {
  const batch = events.map((event) => ({
    tag: event.tag,
    data: { id: minionId, tag: event.tag, cmd: '_minion_event', data: event.data },
  }));
  return ['event.send', BATCH_TAG, JSON.stringify({ count: events.length }), `preload=${JSON.stringify({ events: batch })}`];
}

/** Sends a run's events to the master through one salt-call. */
export async function sendEvents(run: CommandRunner, events: readonly SaltEvent[], minionId: string): Promise<void> {
  const tags = events.map((event) => event.tag).join(', ');
  let stdout: string;
  try {
    ({ stdout } = await run(SALT_CALL, saltCallArgs(events, minionId), { timeoutMs: SALT_CALL_TIMEOUT_MS }));
  } catch (error: unknown) {
    throw new EventSendError(`events ${tags} not sent: ${errorMessage(error)}`, { cause: error });
  }
  // event.send answers True or False; False means the minion could not hand the events on.
  if (/\bFalse\b|"local":\s*false/.test(stdout)) {
    throw new EventSendError(`events ${tags} not sent: salt-call event.send returned False`);
  }
}

export interface BeaconOutcome {
  sent: SaltEvent[];
  state: BeaconState;
}

/**
 * Sends the events of a report in one call and records the new state; when the call fails, the pending counts are
 * recorded but no status advances (so the events are sent again next run), and the error is raised.
 */
export async function deliver(report: Report, state: BeaconState, stateFile: string, options: BeaconOptions,
  send: (events: readonly SaltEvent[]) => Promise<void>): Promise<BeaconOutcome> {
  const { events, delivered, held } = transitions(report, state, options);
  if (events.length > 0) {
    try {
      await send(events);
    } catch (error: unknown) {
      await writeState(stateFile, held);
      throw error;
    }
  }
  await writeState(stateFile, delivered);
  return { sent: events, state: delivered };
}

/** A beacon run on one report, db_beacon's and serve's (server.beacon): `deliver` through one salt-call with `run`. */
export function deliverBySaltCall(report: Report, state: BeaconState, stateFile: string, options: BeaconOptions,
  run: CommandRunner): Promise<BeaconOutcome> {
  return deliver(report, state, stateFile, options, (events) => sendEvents(run, events, options.host));
}
