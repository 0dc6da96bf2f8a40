// disk_await: mean time of the I/Os each device completed in the interval, milliseconds (worst device).
import type { Thresholds } from '../core/config';
import type { CheckResult, IostatDevice } from '../core/report';
import { checkDevices } from './devices';

export function checkDiskAwait(devices: readonly IostatDevice[], thresholds: Thresholds): CheckResult {
  return checkDevices(devices, { name: 'disk_await', unit: 'ms', label: 'await', read: (device) => device.await_ms },
    thresholds);
}
