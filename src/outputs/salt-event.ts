// The Salt event view, beacon style: the last status of each check is kept in a state file, and only a change
// becomes an event `db_sentinel/check/<check>/<status>` sent with `salt-call event.send` (to the master: no
// --local). Recovery to ok is a change like any other. A check seen for the first time raises an event only when
// it is not ok (a healthy host starts silent).
import { readFile } from 'node:fs/promises';
import type { CommandRunner } from '../sources/exec';
import type { Report } from '../core/report';
import { isStatus, type Status } from '../core/status';
import { DbSentinelError, errorMessage } from '../core/errors';
import { writeFileAtomic } from './atomic-file';

export const STATE_VERSION = 1;
export const SALT_CALL = 'salt-call';
export const SALT_CALL_TIMEOUT_MS = 60_000;

export class StateFileError extends DbSentinelError {}
export class EventSendError extends DbSentinelError {}

export interface CheckState {
  status: Status;
  /** collected_at of the report that first showed this status. */
  since: string;
}

export interface BeaconState {
  version: number;
  checks: Record<string, CheckState>;
}

export interface EventData {
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

/** Parses a state file; anything unexpected is an error naming the file (the beacon then changes nothing). */
export function parseState(text: string, file: string): BeaconState {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error: unknown) {
    throw new StateFileError(`state file ${file} is not JSON (${errorMessage(error)}); remove it to start afresh`, { cause: error });
  }
  const state = document as Partial<BeaconState> | null;
  if (typeof state !== 'object' || state === null || state.version !== STATE_VERSION || typeof state.checks !== 'object' || state.checks === null) {
    throw new StateFileError(`state file ${file} is not a db_beacon state (version ${STATE_VERSION}); remove it to start afresh`);
  }
  for (const [check, entry] of Object.entries(state.checks)) {
    if (!isStatus(entry?.status) || typeof entry.since !== 'string') {
      throw new StateFileError(`state file ${file}: check ${JSON.stringify(check)} has no valid status; remove it to start afresh`);
    }
  }
  return state as BeaconState;
}

export async function readState(file: string): Promise<BeaconState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return emptyState();
    throw new StateFileError(`cannot read state file ${file}: ${(error as { code?: string }).code ?? errorMessage(error)}`, { cause: error });
  }
  return parseState(text, file);
}

export function writeState(file: string, state: BeaconState): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, 0o640);
}

export interface Transition {
  event: SaltEvent;
  /** The state entry to record once the event is delivered. */
  next: CheckState;
}

/**
 * Compares the report's checks with the last known states. Returns the events to send (in report order) and the
 * state to record when there is nothing to send for a check. Checks no longer reported are forgotten.
 */
export function transitions(report: Report, state: BeaconState): { events: Transition[]; unchanged: Record<string, CheckState> } {
  const events: Transition[] = [];
  const unchanged: Record<string, CheckState> = {};
  for (const check of report.checks) {
    const before = state.checks[check.name];
    if (before?.status === check.status) {
      unchanged[check.name] = before;
      continue;
    }
    const next: CheckState = { status: check.status, since: report.collected_at };
    if (before === undefined && check.status === 'ok') {
      unchanged[check.name] = next;
      continue;
    }
    events.push({
      next,
      event: {
        tag: eventTag(check.name, check.status),
        data: {
          host: report.host,
          check: check.name,
          previous: before?.status ?? null,
          status: check.status,
          value: check.value,
          message: check.message,
          collected_at: report.collected_at,
        },
      },
    });
  }
  return { events, unchanged };
}

/** Sends one event to the master through the local minion. */
export async function sendEvent(run: CommandRunner, event: SaltEvent): Promise<void> {
  let stdout: string;
  try {
    ({ stdout } = await run(SALT_CALL, ['event.send', event.tag, JSON.stringify(event.data)], { timeoutMs: SALT_CALL_TIMEOUT_MS }));
  } catch (error: unknown) {
    throw new EventSendError(`event ${event.tag} not sent: ${errorMessage(error)}`, { cause: error });
  }
  // event.send answers True or False; False means the minion could not hand the event on.
  if (/\bFalse\b|"local":\s*false/.test(stdout)) {
    throw new EventSendError(`event ${event.tag} not sent: salt-call event.send returned False`);
  }
}

export interface BeaconOutcome {
  sent: SaltEvent[];
  state: BeaconState;
}

/**
 * Sends the events of a report in order and records the new state. On the first failure the state of that check
 * and of the ones after it is left as it was (so their events are retried next run), the state of those already
 * sent is recorded (the file is not touched when none was), and the error is raised.
 */
export async function deliver(report: Report, state: BeaconState, stateFile: string, send: (event: SaltEvent) => Promise<void>): Promise<BeaconOutcome> {
  const { events, unchanged } = transitions(report, state);
  const next: BeaconState = { version: STATE_VERSION, checks: { ...unchanged } };
  const sent: SaltEvent[] = [];
  let failure: unknown;
  for (const transition of events) {
    if (failure === undefined) {
      try {
        await send(transition.event);
        sent.push(transition.event);
        next.checks[transition.event.data.check] = transition.next;
        continue;
      } catch (error: unknown) {
        failure = error;
      }
    }
    const before = state.checks[transition.event.data.check];
    if (before !== undefined) next.checks[transition.event.data.check] = before;
  }
  // Nothing delivered: leave the file untouched (not even rewritten), so the next run sees exactly this run's input.
  if (failure === undefined || sent.length > 0) await writeState(stateFile, next);
  if (failure !== undefined) throw failure;
  return { sent, state: next };
}
