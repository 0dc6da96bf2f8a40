// `npm run dashboard`: writes grafana/dashboards/db_sentinel.json from grafana/src/dashboard.ts (commit the result;
// test/unit/grafana-dashboard.test.ts fails when the committed JSON differs from what this writes).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboard } from './dashboard';

export const DASHBOARD_JSON = join(__dirname, '..', 'dashboards', 'db_sentinel.json');

/** The committed form: two-space indented JSON with a final newline. */
export function renderDashboard(): string {
  return `${JSON.stringify(buildDashboard(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(DASHBOARD_JSON, renderDashboard());
  console.log(`wrote ${DASHBOARD_JSON}`);
}
