// systemctl answers (systemd): `is-active` prints one state word per unit in argument order; `list-units --plain
// --no-legend` one row per loaded unit. Without systemd as PID 1 both fail with "System has not been booted with
// systemd as init system (PID 1). Can't operate." on stderr — a reason to report, not an error to crash on.
import { ParseError } from '../../core/errors';
import type { ServiceState } from '../../core/report';
import { splitFields } from './table';

const TOOL = 'systemctl';
const STATE_WORD = /^[a-z][a-z-]*$/;

export function parseIsActive(stdout: string, units: readonly string[]): ServiceState[] {
  const lines = stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length !== units.length) {
    throw new ParseError(
      `${TOOL}: is-active printed ${lines.length} state lines for ${units.length} units (${units.join(', ')}): `
        + `${JSON.stringify(stdout.slice(0, 200))}`);
  }
  return lines.map((line, index) => {
    if (!STATE_WORD.test(line)) throw new ParseError(`${TOOL}: unreadable is-active line ${JSON.stringify(line)}`);
    return { unit: units[index] as string, state: line };
  });
}

export interface ListedUnit {
  unit: string;
  load: string;
  active: string;
  sub: string;
}

export function parseListUnits(stdout: string): ListedUnit[] {
  const units: ListedUnit[] = [];
  for (const line of stdout.split('\n')) {
    // Without --plain, failed units carry a leading "●" (or "*" on terminals without UTF-8). \s{0,} rather than \s*
    // before the closing slash: db_check's bundle holds no comment end (withoutPureAnnotations in src/build.ts).
    const fields = splitFields(line.replace(/^\s*[\u25CF*]\s{0,}/, ''));
    const first = fields[0];
    if (first === undefined || !/^[^\s]+\.[a-z]+$/.test(first)) continue;
    if (fields.length < 4) throw new ParseError(`${TOOL}: unreadable list-units line ${JSON.stringify(line)}`);
    units.push({ unit: first, load: fields[1] as string, active: fields[2] as string, sub: fields[3] as string });
  }
  return units;
}

/** The reason systemctl cannot answer at all (no systemd as PID 1, no bus), or null when stderr says something else. */
export function systemdUnavailableReason(stderr: string): string | null {
  const line = stderr.split('\n').find((candidate) =>
    /has not been booted with systemd|Failed to connect to bus|Launch helper exited with unknown return code/.test(candidate));
  return line === undefined ? null : line.trim();
}
