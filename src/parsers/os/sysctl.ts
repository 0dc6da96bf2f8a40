// Kernel parameters as the sysctl command reports them. procps `sysctl -n NAME` prints the content of
// /proc/sys/<NAME with dots as slashes>; we read that file under the replaceable proc root (so --proc-root fixture
// trees work and no process is spawned per value) and normalize it the same way. Pure.
import { ParseError } from '../../core/errors';

/** The kernel parameters the analyzer reports (beside whatever the tuning profile names). */
export const REPORTED_SYSCTLS = [
  'vm.swappiness', 'kernel.pid_max', 'vm.dirty_ratio', 'vm.dirty_background_ratio', 'vm.overcommit_memory',
  'vm.zone_reclaim_mode', 'kernel.shmmax', 'fs.file-max',
] as const;

const NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/;

/** "vm.swappiness" -> "sys/vm/swappiness" (relative to the proc root), as sysctl maps names to files. */
export function sysctlPath(name: string): string {
  if (!NAME.test(name)) throw new ParseError(`sysctl: not a kernel parameter name: ${JSON.stringify(name)}`);
  return `sys/${name.split('.').join('/')}`;
}

/** A /proc/sys file's content as `sysctl -n` prints it: the final newline dropped, fields kept tab-separated. */
export function parseSysctlValue(text: string, name: string): string {
  const value = text.replace(/\n$/, '');
  if (value.includes('\n')) throw new ParseError(`sysctl ${name}: multi-line value ${JSON.stringify(value)}`);
  return value;
}

/** Canonical form for comparing an actual value with a desired one: blank runs as one tab (sysctl -n's separator). */
export function normalizeSysctlValue(value: string): string {
  return value.trim().split(/\s+/).join('\t');
}
