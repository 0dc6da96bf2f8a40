// disk_util: share of the interval each device had I/O in flight, percent (worst device).
import type { Thresholds } from '../core/config';
import type { CheckResult, IostatDevice } from '../core/report';
import { checkDevices } from './devices';

export function checkDiskUtil(devices: readonly IostatDevice[], thresholds: Thresholds): CheckResult {
  return checkDevices(devices,
    { name: 'disk_util', unit: '%', label: '%util', read: (device) => device.utilization_percent }, thresholds);
}
