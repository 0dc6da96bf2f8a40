// archiver (PostgreSQL): with archive_mode on, a last attempt that failed after the last success is graded by how
// long no WAL segment has been archived (failed_count rising while last_archived_time stands still); archive_mode on
// with no archive_command (or library) keeps WAL without archiving it and warns. archive_mode off, or a standby that
// leaves archiving to its primary (archive_mode on, not always), is ok and says so.
import type { HealthConfig } from '../../core/health-config';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove } from '../../core/status';
import { fold, formatSeconds, nothingToGrade, postgresDatabases, unavailable } from './common';

export function archiverCheck(databases: readonly DatabaseReport[], config: HealthConfig): CheckResult {
  const name = 'archiver';
  const none = nothingToGrade(name, databases, ['postgresql'], 'PostgreSQL');
  if (none !== null) return none;
  const details: CheckDetail[] = [];
  for (const db of postgresDatabases(databases)) {
    const archiver = db.health?.archiver;
    if (archiver === undefined) {
      details.push(unavailable(db.name, db.health?.unavailable.PG_ARCHIVER));
    } else if (archiver.archive_mode === 'off') {
      details.push({ subject: db.name, status: 'ok', value: null, message: `${db.name}: archive_mode is off` });
    } else if (db.health?.role === 'standby' && archiver.archive_mode !== 'always') {
      details.push({ subject: db.name, status: 'ok', value: null,
        message: `${db.name}: standby with archive_mode ${archiver.archive_mode}: its primary archives` });
    } else if (archiver.archiver_configured === false) {
      details.push({ subject: db.name, status: 'warning', value: null,
        message: `${db.name}: archive_mode is ${archiver.archive_mode} but archive_command (and archive_library) is empty: `
          + 'WAL is kept in pg_wal and not archived' });
    } else if (archiver.failing) {
      const seconds = archiver.seconds_since_success ?? 0;
      details.push({
        subject: db.name, status: gradeAbove(seconds, config.archiver_failing_seconds.warning,
          config.archiver_failing_seconds.critical), value: seconds,
        message: `${db.name}: archiving ${archiver.last_failed_wal ?? 'WAL'} fails (${archiver.failed_count} failures; `
          + `last at ${archiver.last_failed_at ?? '?'}), no success for ${formatSeconds(seconds)} `
          + `(last ${archiver.last_archived_at ?? 'never'})`,
      });
    } else {
      details.push({
        subject: db.name, status: 'ok', value: 0,
        message: `${db.name}: archiving works (${archiver.archived_count} archived, last at ${archiver.last_archived_at ?? 'never'}; `
          + `${archiver.failed_count} failures, none since)`,
      });
    }
  }
  return fold(name, 's', config.archiver_failing_seconds, details);
}
