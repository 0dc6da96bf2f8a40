// Nagios plugin output (Nagios Plugin Development Guidelines): the first line
// `DB_SENTINEL <STATUS> - <summary> | <perfdata>`, then one line per check with per-device/unit details indented;
// the exit code is the status' (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
import type { CheckResult, Report } from '../core/report';
import { EXIT_CODE, type Status } from '../core/status';

const ORDER: Record<Status, number> = { critical: 0, warning: 1, unknown: 2, ok: 3 };

/** A '|' in plugin text would start the perfdata: messages quoting tool output must not carry one. */
function text(message: string): string {
  return message.replace(/\|/g, '/').replace(/\n/g, ' ');
}

function word(status: Status): string {
  return status.toUpperCase();
}

/** A perfdata number: plain decimal, at most 3 digits after the point. */
function perfNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** Labels with characters outside [A-Za-z0-9_.-] are quoted, as the guidelines require. */
function perfLabel(label: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(label) ? label : `'${label.replace(/'/g, "''")}'`;
}

function perfItem(label: string, value: number, unit: string, check: CheckResult): string {
  const threshold = (limit: number | undefined): string => (limit === undefined ? '' : perfNumber(limit));
  const max = unit === '%' ? '100' : '';
  const tail = `${threshold(check.warning)};${threshold(check.critical)};0;${max}`.replace(/;+$/, '');
  return `${perfLabel(label)}=${perfNumber(value)}${unit};${tail}`;
}

export function perfdata(checks: readonly CheckResult[]): string {
  const items: string[] = [];
  for (const check of checks) {
    if (check.value === null) continue;
    const unit = check.unit ?? '';
    items.push(perfItem(check.name, check.value, unit, check));
    // Per-device series for the aggregated disk checks (db_service details are states, not measurements).
    if (check.name.startsWith('disk_')) {
      for (const detail of check.details ?? []) {
        if (detail.value !== null) items.push(perfItem(`${check.name}_${detail.subject}`, detail.value, unit, check));
      }
    }
  }
  return items.join(' ');
}

export function summary(report: Report): string {
  const flagged = report.checks.filter((check) => check.status !== 'ok')
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  if (report.checks.length === 0) return 'no checks ran';
  if (flagged.length === 0) return `all ${report.checks.length} checks OK`;
  return flagged.map((check) => `${check.name} ${word(check.status)}: ${text(check.message)}`).join('; ');
}

export function renderNagios(report: Report): string {
  const perf = perfdata(report.checks);
  const lines = [`DB_SENTINEL ${word(report.status)} - ${summary(report)}${perf ? ` | ${perf}` : ''}`];
  for (const check of report.checks) {
    lines.push(`[${word(check.status)}] ${check.name}: ${text(check.message)}`);
    for (const detail of check.details ?? []) lines.push(`    ${detail.subject}: ${word(detail.status)} ${text(detail.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function nagiosExitCode(report: Report): number {
  return EXIT_CODE[report.status];
}
