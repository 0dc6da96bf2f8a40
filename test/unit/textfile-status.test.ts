// The report's `textfile` check from db_textfile's recorded outcome: a failed write is critical with the reason, a
// stopped job a warning, no status file no check (the textfile path is opt-in).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConfig } from '../../src/core/config';
import type { CollectContext } from '../../src/collectors/collector';
import { textfileCheck, textfileStatusCollector } from '../../src/collectors/textfile-status';
import { writeTextfile, writeTextfileStatus } from '../../src/outputs/textfile';
import { HOST_ROOTS } from '../../src/sources/fsroot';

const NOW = new Date('2026-11-30T12:00:00.000Z');

describe('textfile check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-textfile-status-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const context = (statusFile: string): CollectContext => ({
    config: parseConfig({ textfile: { dir, status_file: statusFile } }, 'test'), exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }),
    roots: HOST_ROOTS, now: () => NOW, cpuCount: 2, hostname: 'vm',
  });

  it('a write that failed (a missing directory, as the real writer reports it) is critical with the reason', async () => {
    const statusFile = join(dir, 'status.json');
    const error = await writeTextfile(join(dir, 'no-such-dir'), 'x 1\n').then(() => null, (failure: Error) => failure.message);
    assert.ok(error);
    await writeTextfileStatus(statusFile, { at: '2026-11-30T11:59:00.000Z', file: null, error });
    const { checks } = await textfileStatusCollector.collect(context(statusFile));
    assert.equal(checks?.[0]?.status, 'critical');
    assert.match(checks![0]!.message, /^db_textfile cannot write the textfile \(2026-11-30T11:59:00\.000Z\): textfile directory .*no-such-dir cannot be used: ENOENT$/);
  });

  it('a recent write is ok, an old one a warning, no status file no check', async () => {
    const ok = textfileCheck({ at: '2026-11-30T11:59:00.000Z', file: '/x/db_sentinel.prom', error: null }, NOW);
    assert.equal(ok.status, 'ok');
    const stale = textfileCheck({ at: '2026-11-30T11:30:00.000Z', file: '/x/db_sentinel.prom', error: null }, NOW);
    assert.equal(stale.status, 'warning');
    assert.match(stale.message, /30 minutes ago/);
    assert.deepEqual(await textfileStatusCollector.collect(context(join(dir, 'absent.json'))), { checks: [] });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"at": 5}');
    await assert.rejects(textfileStatusCollector.collect(context(broken)), /broken\.json is not a db_textfile status/);
  });
});
