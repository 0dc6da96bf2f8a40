// The analyzer's database checks, pure functions of the database reports:
//   db_up           critical when a configured database cannot be reached;
//   db_connections  connections in use against max_connections (worst database);
//   credential_files warning when the config file or a password_file is readable by group or others.
import type { CheckDetail, CheckResult, DatabaseReport } from '../core/report';
import { gradeAbove, worstStatus } from '../core/status';

/** Percent of max_connections in use. At 80 % a burst or a leak is close to "too many clients"; at 95 % new
 * application connections (and the superuser reserve) are about to be refused. */
export const CONNECTION_USAGE_PERCENT = { warning: 80, critical: 95 };

export function dbUpCheck(databases: readonly DatabaseReport[]): CheckResult {
  if (databases.length === 0) return { name: 'db_up', status: 'ok', message: 'no databases configured', value: null };
  const down = databases.filter((db) => !db.up);
  const details: CheckDetail[] = databases.map((db) => ({
    subject: db.name, status: db.up ? 'ok' : 'critical', value: db.up ? 1 : 0,
    message: db.up ? `${db.name} is up (${db.version ?? 'version unknown'})` : db.error ?? `${db.name} is down`,
  }));
  return {
    name: 'db_up',
    status: down.length > 0 ? 'critical' : 'ok',
    message: down.length > 0
      ? `${down.length} of ${databases.length} databases down: ${down.map((db) => db.error ?? `${db.name} is down`).join('; ')}`
      : `all ${databases.length} databases up`,
    value: down.length,
    unit: '',
    critical: 1,
    details,
  };
}

/** Databases that are down are db_up's verdict and left out here; an up database whose connections could not be
 * measured (a failed query) is unknown. */
export function dbConnectionsCheck(databases: readonly DatabaseReport[]): CheckResult {
  const { warning, critical } = CONNECTION_USAGE_PERCENT;
  const base = { name: 'db_connections', unit: '%', warning, critical };
  if (databases.length === 0) return { ...base, status: 'ok', message: 'no databases configured', value: null };
  const up = databases.filter((db) => db.up);
  if (up.length === 0) return { ...base, status: 'unknown', message: 'no configured database is reachable (see db_up)', value: null };
  const details: CheckDetail[] = up.map((db) => {
    if (!db.connections) return { subject: db.name, status: 'unknown', value: null, message: `${db.name}: connections not measured` };
    const percent = db.connections.usage_ratio * 100;
    return {
      subject: db.name, status: gradeAbove(percent, warning, critical), value: percent,
      message: `${db.name}: ${db.connections.total} of ${db.connections.max_connections} connections (${percent.toFixed(1)} %)`,
    };
  });
  const worst = details.reduce<CheckDetail | undefined>((max, detail) =>
    (detail.value !== null && (max === undefined || detail.value > (max.value ?? 0)) ? detail : max), undefined);
  return {
    ...base,
    status: worstStatus(details.map((detail) => detail.status)),
    message: details.map((detail) => detail.message).join('; '),
    value: worst?.value ?? null,
    details,
  };
}

/** The config file as the collector found it: `exposedMode` is its permission bits when group or others may read it. */
export interface ConfigFileState {
  path: string;
  exposedMode: number | null;
}

/** Passwords (and the config naming them) readable beyond root: anyone on the host in that group could log in. */
export function credentialFilesCheck(databases: readonly DatabaseReport[], configFile: ConfigFileState | null): CheckResult {
  const exposed = databases.flatMap((db) => db.problems.filter((problem) => problem.code === 'password_file_readable')
    .map((problem) => ({ subject: db.name, message: problem.message })));
  if (configFile?.exposedMode !== undefined && configFile.exposedMode !== null) {
    exposed.unshift({ subject: 'config',
      message: `config file ${configFile.path} is readable by ${(configFile.exposedMode & 0o004) !== 0 ? 'others' : 'its group'} `
        + `(mode ${configFile.exposedMode.toString(8).padStart(4, '0')})` });
  }
  return {
    name: 'credential_files',
    status: exposed.length > 0 ? 'warning' : 'ok',
    message: exposed.length > 0 ? `${exposed.map((entry) => entry.message).join('; ')}: chmod 600`
      : 'config file and password files readable by their owner only',
    value: exposed.length,
    unit: '',
    warning: 1,
    details: exposed.map((entry) => ({ subject: entry.subject, status: 'warning', value: 1, message: entry.message })),
  };
}
