// /sys/block/<dev>/queue/scheduler ("none [mq-deadline] kyber bfq"), /sys/block/<dev>/queue/rotational ("0"/"1") and
// the transparent hugepage mode files ("always [madvise] never"): the bracketed word is the active choice. Pure.
import { ParseError } from '../../core/errors';
import type { DeviceClass } from '../../core/report';

export interface BracketChoice {
  active: string;
  available: string[];
}

/** A sysfs "choice" file: words separated by blanks, the active one in brackets. */
export function parseBracketChoice(text: string, what: string): BracketChoice {
  const words = text.trim().split(/\s+/).filter((word) => word !== '');
  let active: string | null = null;
  const available = words.map((word) => {
    const bracketed = /^\[(.+)\]$/.exec(word);
    if (!bracketed) return word;
    if (active !== null) throw new ParseError(`${what}: two active choices in ${JSON.stringify(text.trim())}`);
    active = bracketed[1] as string;
    return active;
  });
  // A single-queue device with only "none" prints it without brackets on some kernels.
  if (active === null && available.length === 1) active = available[0] as string;
  if (active === null) throw new ParseError(`${what}: no active choice in brackets in ${JSON.stringify(text.trim())}`);
  return { active, available };
}

export function parseScheduler(text: string, device: string): BracketChoice {
  return parseBracketChoice(text, `/sys/block/${device}/queue/scheduler`);
}

/** Transparent hugepage mode (enabled or defrag file). */
export function parseThpMode(text: string, file: string): string {
  return parseBracketChoice(text, `/sys/kernel/mm/transparent_hugepage/${file}`).active;
}

export function parseRotational(text: string, device: string): boolean {
  const value = text.trim();
  if (value === '1') return true;
  if (value === '0') return false;
  throw new ParseError(`/sys/block/${device}/queue/rotational: expected 0 or 1, got ${JSON.stringify(value)}`);
}

/** NVMe by name (nvme0n1); otherwise the rotational flag decides (unknown counts as rotational, the cautious side). */
export function deviceClass(device: string, rotational: boolean | null): DeviceClass {
  if (/^nvme\d+n\d+$/.test(device)) return 'nvme';
  return rotational === false ? 'non_rotational' : 'rotational';
}
