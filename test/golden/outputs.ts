// What the golden files hold: the outputs of the fixture report, rendered by the real output code.
import { renderMetrics } from '../../src/outputs/prometheus';
import { renderReportJson } from '../../src/outputs/report-json';
import { fixtureReport } from '../harness/fixture-report';

export async function goldenOutputs(): Promise<Record<string, string>> {
  const report = fixtureReport();
  return {
    'report.json': renderReportJson(report),
    'metrics.prom': await renderMetrics(report),
  };
}
