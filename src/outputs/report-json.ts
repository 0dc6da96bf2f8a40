// The report as JSON: the document GET /report serves and `db_analyzer report` prints. Stable key order (the order
// of the Report type) and a trailing newline, so golden files diff cleanly.
import type { Report } from '../core/report';

export const REPORT_CONTENT_TYPE = 'application/json; charset=utf-8';

export function renderReportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
