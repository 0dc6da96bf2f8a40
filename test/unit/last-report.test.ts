// The daemon's last report as the cron commands read it (src/sources/last-report.ts): fresh within two collection
// intervals, of this agent's schema, and only from a file no other user could have planted.
import { strict as assert } from 'node:assert';
import { chmodSync, chownSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isFresh, parseLastReport, readFreshReport } from '../../src/sources/last-report';
import { fixtureReport } from '../harness/fixture-report';

describe('last report of db_analyzer serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'last-report-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date('2026-01-01T12:00:00Z');
  const at = (secondsAgo: number): string => new Date(now.getTime() - secondsAgo * 1000).toISOString();
  const write = (name: string, collectedAt: string, mode = 0o600): string => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify({ ...fixtureReport(), collected_at: collectedAt }));
    chmodSync(file, mode);
    return file;
  };

  it('is fresh up to two collection intervals old, not after, and not from the future', () => {
    assert.equal(isFresh(at(0), now, 60), true);
    assert.equal(isFresh(at(120), now, 60), true);
    assert.equal(isFresh(at(121), now, 60), false);
    assert.equal(isFresh(at(-30), now, 60), true, 'clocks a little apart');
    assert.equal(isFresh(at(-120), now, 60), false);
  });

  it('parses a report of this schema and names what is wrong with anything else', () => {
    const report = fixtureReport();
    assert.deepEqual(parseLastReport(JSON.stringify(report), 'f.json'), report);
    assert.throws(() => parseLastReport('{"schema_version": 1', 'f.json'), /^Error: f\.json is not JSON$/);
    assert.throws(() => parseLastReport('[]', 'f.json'), /f\.json holds no report object/);
    assert.throws(() => parseLastReport(JSON.stringify({ ...report, schema_version: 99 }), 'f.json'), /schema_version 99, this agent reads 1/);
    assert.throws(() => parseLastReport(JSON.stringify({ ...report, collected_at: 'yesterday' }), 'f.json'), /no collected_at/);
  });

  it('reads a fresh report, and says why not for a stale, missing, writable or linked one', async () => {
    const fresh = await readFreshReport(write('fresh.json', at(30)), 60, now);
    assert.ok('report' in fresh);
    assert.equal(fresh.report.collected_at, at(30));
    const stale = await readFreshReport(write('stale.json', at(300)), 60, now);
    assert.ok('reason' in stale && /more than two intervals \(120 s\) ago/.test(stale.reason), JSON.stringify(stale));
    const missing = await readFreshReport(join(dir, 'absent.json'), 60, now);
    assert.ok('reason' in missing && /no db_analyzer serve on this host/.test(missing.reason));
    const writable = await readFreshReport(write('writable.json', at(30), 0o666), 60, now);
    assert.ok('reason' in writable && /may be written by others \(mode 666\)/.test(writable.reason), JSON.stringify(writable));
    if (process.getuid?.() === 0) {
      const foreign = write('foreign.json', at(30));
      chownSync(foreign, 65534, 65534);
      const planted = await readFreshReport(foreign, 60, now);
      assert.ok('reason' in planted && /belongs to uid 65534, not to this user or root/.test(planted.reason), JSON.stringify(planted));
    }
    const link = join(dir, 'link.json');
    symlinkSync(join(dir, 'fresh.json'), link);
    const linked = await readFreshReport(link, 60, now);
    assert.ok('reason' in linked && /ELOOP/.test(linked.reason), JSON.stringify(linked));
  });
});
