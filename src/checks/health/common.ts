// What the health checks share: picking the databases a check applies to, and folding per-subject details into one
// CheckResult (worst status; value = the worst measured value). A database that is down is db_up's verdict and left
// out; a check with nothing to grade is ok and says why.
import type { HealthThresholds } from '../../core/health-config';
import type { MysqlHealth, PostgresHealth } from '../../core/health-report';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { worstStatus } from '../../core/status';

export interface EngineDatabase<H> {
  name: string;
  health: H | undefined;
}

export function postgresDatabases(databases: readonly DatabaseReport[]): EngineDatabase<PostgresHealth>[] {
  return databases.filter((db) => db.engine === 'postgresql' && db.up)
    .map((db) => ({ name: db.name, health: db.health?.engine === 'postgresql' ? db.health : undefined }));
}

export function mysqlDatabases(databases: readonly DatabaseReport[]): EngineDatabase<MysqlHealth>[] {
  return databases.filter((db) => db.engine === 'mysql' && db.up)
    .map((db) => ({ name: db.name, health: db.health?.engine === 'mysql' ? db.health : undefined }));
}

/** Why a check has no databases to grade: none of its engine configured (ok), or all of them down (unknown). */
export function nothingToGrade(name: string, databases: readonly DatabaseReport[], engines: readonly string[],
  engineLabel: string): CheckResult | null {
  const configured = databases.filter((db) => engines.includes(db.engine));
  if (configured.length === 0) return { name, status: 'ok', message: `no ${engineLabel} database configured`, value: null };
  if (configured.every((db) => !db.up)) return { name, status: 'unknown',
    message: `no ${engineLabel} database is reachable (see db_up)`, value: null };
  return null;
}

/** A detail for a database whose section could not be read: unknown, with the reason (and the GRANT if that is it). */
export function unavailable(subject: string, reason: string | undefined): CheckDetail {
  return { subject, status: 'unknown', value: null,
    message: `${subject}: not measured: ${reason ?? 'the health collection failed (see problems)'}` };
}

export function fold(name: string, unit: string, thresholds: HealthThresholds | null, details: CheckDetail[]): CheckResult {
  const status = worstStatus(details.map((detail) => detail.status));
  const measured = details.filter((detail) => detail.value !== null);
  const worst = measured.reduce<CheckDetail | undefined>(
    (max, detail) => (max === undefined || (detail.value ?? 0) > (max.value ?? 0) ? detail : max), undefined);
  // The message leads with the details that are not ok (all of them when everything is ok).
  const notOk = details.filter((detail) => detail.status !== 'ok');
  const shown = notOk.length > 0 ? notOk : details;
  const result: CheckResult = { name, status, message: shown.map((detail) => detail.message).join('; '),
    value: worst?.value ?? null, unit, details };
  if (thresholds !== null) {
    result.warning = thresholds.warning;
    result.critical = thresholds.critical;
  }
  return result;
}

/** 1234567 -> "1.2 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? String(Math.round(value)) : value.toFixed(1)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 120 ? `${seconds.toFixed(1)} s`
    : seconds < 7200 ? `${(seconds / 60).toFixed(1)} min`
    : `${(seconds / 3600).toFixed(1)} h`;
}
