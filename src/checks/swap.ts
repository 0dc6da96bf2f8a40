// swap: the plan's rule — any swap in use is a non-zero exit (config check.swap_used_status, critical by default).
// free -m counts whole MiB, so "in use" means at least 1 MiB.
import type { CheckResult, MemoryState } from '../core/report';
import type { Status } from '../core/status';

const MIB = 1024 * 1024;

export function checkSwap(memory: MemoryState, swapUsedStatus: Extract<Status, 'warning' | 'critical'>): CheckResult {
  const usedMib = Math.round(memory.swap_used_bytes / MIB);
  const totalMib = Math.round(memory.swap_total_bytes / MIB);
  const inUse = memory.swap_used_bytes > 0;
  const message = inUse
    ? `${usedMib} MiB of ${totalMib} MiB swap in use`
    : totalMib > 0 ? `no swap in use (${totalMib} MiB configured)` : 'no swap in use (none configured)';
  return {
    name: 'swap',
    status: inUse ? swapUsedStatus : 'ok',
    message,
    value: usedMib,
    unit: 'MB',
    // Nagios range "0": alert on any value above zero.
    ...(swapUsedStatus === 'warning' ? { warning: 0 } : { critical: 0 }),
  };
}
