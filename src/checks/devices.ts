// Per-device verdicts behind one aggregated check (disk_await, disk_util): each device is graded on its own, the
// check takes the worst status and reports the worst device's value; every device is listed in details.
import type { Thresholds } from '../core/config';
import type { CheckDetail, CheckResult, IostatDevice } from '../core/report';
import { gradeAbove, worstStatus } from '../core/status';
import { formatNumber } from './format';

export interface DeviceMeasure {
  name: string;
  /** Unit of the value in messages and perfdata ('ms', '%'). */
  unit: string;
  label: string;
  read(device: IostatDevice): number;
}

export function checkDevices(devices: readonly IostatDevice[], measure: DeviceMeasure, thresholds: Thresholds): CheckResult {
  const bounds = `warning >= ${thresholds.warning}${measure.unit}, critical >= ${thresholds.critical}${measure.unit}`;
  if (devices.length === 0) {
    return {
      name: measure.name, status: 'unknown', value: null,
      message: 'iostat reported no block devices (after check.ignore_devices)',
    };
  }
  const details: CheckDetail[] = devices.map((device) => {
    const value = measure.read(device);
    const status = gradeAbove(value, thresholds.warning, thresholds.critical);
    return { subject: device.device, status, value, message: `${measure.label} ${formatNumber(value)}${measure.unit}` };
  });
  const status = worstStatus(details.map((detail) => detail.status));
  const worst = details.reduce((a, b) => ((b.value ?? 0) > (a.value ?? 0) ? b : a));
  const flagged = details.filter((detail) => detail.status !== 'ok');
  const message = flagged.length > 0
    ? `${flagged.map((detail) => `${detail.subject} ${formatNumber(detail.value ?? 0)}${measure.unit}`).join(', ')} (${bounds})`
    : `worst ${worst.subject} ${formatNumber(worst.value ?? 0)}${measure.unit} of ${details.length} `
      + `device${details.length === 1 ? '' : 's'} (${bounds})`;
  return {
    name: measure.name, status, message, value: worst.value, unit: measure.unit,
    warning: thresholds.warning, critical: thresholds.critical, details,
  };
}
