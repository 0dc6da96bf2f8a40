// The plan cache file of db_textfile: what one cron run cached, the next finds; expired plans are not carried over;
// a damaged file is an error naming it, and a missing one is an empty cache.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PlanCache } from '../../../src/explain';
import { loadPlanCache, savePlanCache } from '../../../src/explain/cache-file';
import { ParseError } from '../../../src/core/errors';
import type { PlanReport } from '../../../src/core/report';

const plan = (summary: string): PlanReport => ({ method: 'generic_explain', reason: 'no literal sample', findings: [], summary });

describe('plan cache file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-plan-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the unexpired plans from one process to the next, readable by root only', async () => {
    const file = join(dir, 'round-trip.json');
    const written = new PlanCache();
    written.set('main', '101', plan('kept'), 2_000);
    written.set('main', '102', plan('expired'), 1_000);
    await savePlanCache(written, file, 1_500);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const read = new PlanCache();
    await loadPlanCache(read, file);
    assert.equal(read.size, 1);
    assert.equal(read.get('main', '101', 1_600)?.summary, 'kept');
    assert.equal(read.get('main', '102', 1_600), null);
    assert.equal(read.get('main', '101', 2_000), null, 'expiry is kept too');
  });

  it('a missing file is an empty cache', async () => {
    const cache = new PlanCache();
    await loadPlanCache(cache, join(dir, 'absent.json'));
    assert.equal(cache.size, 0);
  });

  for (const [what, content] of [['not JSON', '{"version": 1, "entries": ['], ['another version', '{"version": 2, "entries": []}'],
    ['an entry without a plan', '{"version": 1, "entries": [{"key": "main\\u0000101", "expiresAt": 5}]}']] as const) {
    it(`a file that is ${what} is a ParseError naming it, and adds nothing`, async () => {
      const file = join(dir, 'damaged.json');
      writeFileSync(file, content);
      const cache = new PlanCache();
      await assert.rejects(loadPlanCache(cache, file), (error: unknown) =>
        error instanceof ParseError && error.message.startsWith(`plan cache ${file}: `));
      assert.equal(cache.size, 0);
    });
  }
});
