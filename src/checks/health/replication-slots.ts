// replication_slots (PostgreSQL): a slot whose WAL is lost or about to be (wal_status lost/unreserved) is critical;
// an inactive slot is graded by the WAL it keeps (it keeps it without bound unless max_slot_wal_keep_size is set);
// an active slot's WAL is its standby's lag, graded by replication_lag; wal_status extended (pg_wal beyond
// max_wal_size for it) is a warning.
import type { HealthConfig } from '../../core/health-config';
import type { PgSlot } from '../../core/health-report';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove, worstStatus } from '../../core/status';
import { fold, formatBytes, nothingToGrade, postgresDatabases, unavailable } from './common';

function slotDetail(db: string, slot: PgSlot, config: HealthConfig): CheckDetail {
  const retained = slot.retained_bytes;
  const kept = retained === null ? 'no WAL reserved' : `keeps ${formatBytes(retained)} of WAL`;
  const base = `${db}: ${slot.active ? 'active' : 'inactive'} ${slot.type} slot ${slot.name} ${kept}`;
  const subject = `${db}/${slot.name}`;
  if (slot.wal_status === 'lost' || slot.wal_status === 'unreserved') {
    return { subject, status: 'critical', value: retained,
      message: `${base}; wal_status ${slot.wal_status}: its consumer `
        + `${slot.wal_status === 'lost' ? 'can no longer' : 'is about to be unable to'} continue` };
  }
  const byBytes = slot.active || retained === null ? 'ok' : gradeAbove(retained, config.slot_retained_bytes.warning,
    config.slot_retained_bytes.critical);
  const status = worstStatus([byBytes, slot.wal_status === 'extended' ? 'warning' : 'ok']);
  return {
    subject, status, value: slot.active ? null : retained,
    message: `${base}${slot.wal_status === 'extended' ? '; wal_status extended (beyond max_wal_size)' : ''}`
      + `${!slot.active && status !== 'ok' ? '; drop it (pg_drop_replication_slot) if its consumer is gone' : ''}`,
  };
}

export function replicationSlotsCheck(databases: readonly DatabaseReport[], config: HealthConfig): CheckResult {
  const name = 'replication_slots';
  const none = nothingToGrade(name, databases, ['postgresql'], 'PostgreSQL');
  if (none !== null) return none;
  const details: CheckDetail[] = [];
  for (const db of postgresDatabases(databases)) {
    const slots = db.health?.slots;
    if (slots === undefined) details.push(unavailable(db.name, db.health?.unavailable.PG_SLOTS));
    else if (slots.length === 0) details.push({ subject: db.name, status: 'ok', value: null, message: `${db.name}: no replication slots` });
    else details.push(...slots.map((slot) => slotDetail(db.name, slot, config)));
  }
  return fold(name, 'B', config.slot_retained_bytes, details);
}
