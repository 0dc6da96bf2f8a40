// A short human summary of a report for the demo's terminal: overall status, the checks that are not ok, and per
// database its slow queries with their plan findings.
import type { Report } from '../core/report';

function cut(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

export function summarize(report: Report): string {
  const lines: string[] = [];
  lines.push(`${report.host}: ${report.status.toUpperCase()} `
    + `(collected ${report.collected_at} in ${report.duration_seconds.toFixed(2)} s)`);
  const failing = report.checks.filter((check) => check.status !== 'ok');
  for (const check of failing) lines.push(`  ${check.status.toUpperCase().padEnd(8)} ${check.name}: ${cut(check.message, 100)}`);
  if (failing.length === 0) lines.push('  every check ok');
  for (const database of report.databases) {
    if (!database.up) {
      lines.push(`  database ${database.name}: DOWN: ${database.error ?? 'no answer'}`);
      continue;
    }
    const findings = database.slow_queries.reduce((sum, query) => sum + (query.plan?.findings.length ?? 0), 0);
    lines.push(`  database ${database.name} (${database.flavor ?? database.engine} ${database.version ?? '?'}): ` +
      `${database.slow_queries.length} slow queries, ${findings} plan findings`);
    const executed = database.slow_queries.filter((query) => query.plan?.method === 'auto_explain').length;
    if (executed > 0) lines.push(`    ${executed} of ${database.slow_queries.length} plans are executions logged `
      + 'by auto_explain (nothing re-run)');
    for (const query of database.slow_queries.slice(0, 5)) {
      const method = query.plan === undefined ? '' : `  (plan: ${query.plan.method})`;
      lines.push(`    #${query.rank} ${query.mean_ms.toFixed(1)} ms x ${query.calls}  ${cut(query.query, 70)}${method}`);
      for (const finding of query.plan?.findings ?? []) {
        lines.push(`       ${finding.severity}: ${finding.rule} on ${finding.node}: ${cut(finding.advice || finding.message, 90)}`);
      }
    }
    for (const problem of database.problems) lines.push(`    problem ${problem.code}: ${cut(problem.message, 100)}`);
  }
  return `${lines.join('\n')}\n`;
}
