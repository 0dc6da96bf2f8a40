// db_service: the database's systemd units must be active. A unit on its way up or reloading is a warning; any
// other state (inactive, failed, deactivating, …) is critical. When systemctl cannot answer (no systemd as PID 1)
// or no unit is known, the check is UNKNOWN with that reason.
import type { CheckResult, ServiceState } from '../core/report';
import { worstStatus, type Status } from '../core/status';

const TRANSITIONAL = ['activating', 'reloading', 'refreshing'];

function gradeState(state: string): Status {
  if (state === 'active') return 'ok';
  if (TRANSITIONAL.includes(state)) return 'warning';
  return 'critical';
}

export function checkServices(services: readonly ServiceState[]): CheckResult {
  if (services.length === 0) return serviceUnknown('no database service unit to check');
  const details = services.map((service) => ({
    subject: service.unit,
    status: gradeState(service.state),
    value: service.state === 'active' ? 1 : 0,
    message: service.state,
  }));
  const active = details.filter((detail) => detail.value === 1).length;
  const notActive = details.filter((detail) => detail.status !== 'ok');
  const message = notActive.length > 0
    ? notActive.map((detail) => `${detail.subject} ${detail.message}`).join(', ') + ` (${active} of ${details.length} active)`
    : `${details.map((detail) => detail.subject).join(', ')} active`;
  return { name: 'db_service', status: worstStatus(details.map((detail) => detail.status)), message, value: active, details };
}

export function serviceUnknown(reason: string): CheckResult {
  return { name: 'db_service', status: 'unknown', message: reason, value: null };
}
