// Golden outputs: the committed test/golden files are what the output code renders now (regenerate on purpose with
// test/golden/regenerate.ts), and promtool finds nothing in them nor in the metrics of a report collected here.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzerCollectors } from '../../src/collectors/analyzer-registry';
import { PlanCache } from '../../src/explain';
import { parseConfig } from '../../src/core/config';
import { collectReport } from '../../src/report/runner';
import { buildContext } from '../../src/cli/common';
import { spawnCommand } from '../../src/sources/spawn';
import { renderMetrics } from '../../src/outputs/prometheus';
import { renderReportJson } from '../../src/outputs/report-json';
import { goldenOutputs } from '../golden/outputs';
import { promtoolCheck } from '../harness/promtool';
import { assertValidReport } from '../harness/report-schema';

const GOLDEN = join(__dirname, '..', 'golden');

describe('golden outputs', () => {
  it('match what the output code renders (regenerate with test/golden/regenerate.ts)', async () => {
    for (const [file, text] of Object.entries(await goldenOutputs())) {
      assert.equal(readFileSync(join(GOLDEN, file), 'utf8'), text, `test/golden/${file} is stale`);
    }
  });

  it('metrics.prom passes promtool check metrics', () => {
    const lint = promtoolCheck(readFileSync(join(GOLDEN, 'metrics.prom'), 'utf8'));
    assert.ok(lint.ok, lint.output);
  });

  it('a report collected on this machine validates and its metrics pass promtool', async () => {
    const config = parseConfig({}, '(test)');
    const report = await collectReport(analyzerCollectors({ planCache: new PlanCache() }), buildContext(config, spawnCommand), { deadlineMs: 30_000 });
    assertValidReport(JSON.parse(renderReportJson(report)), 'collected report');
    const text = await renderMetrics(report);
    assert.match(text, /^db_sentinel_last_run_timestamp_seconds \d/m);
    const lint = promtoolCheck(text);
    assert.ok(lint.ok, lint.output);
  });
});
