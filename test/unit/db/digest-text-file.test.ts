// The digest texts a cron command keeps between its runs (<state_dir>/digest-texts.json): what one run writes the
// next reads back; a file that is not ours alone, or not this format, is refused with its name and changes nothing.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { digestTextsPath, loadDigestTexts, saveDigestTexts } from '../../../src/collectors/db/digest-text-file';
import { DigestTextCache } from '../../../src/collectors/db/mysql';

describe('digest text file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-digest-file-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('what a run saves, the next run loads: texts, summary sizes, and which text was used last', async () => {
    const file = digestTextsPath(join(dir));
    const saved = new DigestTextCache(10);
    saved.set('shop', 'a1', 'AAAA');
    saved.set('shop', 'b2', 'BBBB');
    saved.set('billing', 'a1', 'CC');
    assert.equal(saved.get('shop', 'a1'), 'AAAA'); // a1 used last: b2 is the oldest
    saved.rememberSize('shop', 1200);
    await saveDigestTexts(saved, file);
    const loaded = new DigestTextCache(10);
    await loadDigestTexts(loaded, file);
    assert.deepEqual(loaded.snapshot(), saved.snapshot());
    assert.equal(loaded.lastSize('shop'), 1200);
    assert.equal(loaded.lastSize('billing'), undefined);
    loaded.set('shop', 'c3', 'DD'); // over the bound of 10: the least recently used (b2) goes, as it would have
    assert.equal(loaded.get('shop', 'b2'), undefined);
    assert.equal(loaded.get('shop', 'a1'), 'AAAA');
  });

  it('no file: nothing to add', async () => {
    const cache = new DigestTextCache();
    await loadDigestTexts(cache, join(dir, 'absent.json'));
    assert.deepEqual(cache.snapshot(), { texts: [], sizes: [] });
  });

  it('refuses a damaged file, another format, a file others may write and a symbolic link, naming the file', async () => {
    const good = join(dir, 'good.json');
    const cache = new DigestTextCache();
    cache.set('shop', 'a1', 'SELECT ?');
    await saveDigestTexts(cache, good);
    /** A file of `content` (text, or a document written as JSON) in the test directory. */
    const written = (name: string, content: unknown, mode = 0o600): string => {
      const file = join(dir, name);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content), { mode });
      chmodSync(file, mode);
      return file;
    };
    const cases: Array<[string, () => string, RegExp]> = [
      ['damaged', () => written('damaged.json', '{"version": 1, "cache": '), /not JSON/],
      ['another version', () => written('v2.json', { version: 2, cache: { texts: [], sizes: [] } }), /not a version 1/],
      ['a text that is not a string', () => written('shape.json', { version: 1, cache: { texts: [['shop', 'a1', 7]], sizes: [] } }),
        /not a version 1/],
      ['a negative size', () => written('size.json', { version: 1, cache: { texts: [], sizes: [['shop', -1]] } }), /not a version 1/],
      ['writable by others', () => written('open.json', readFileSync(good, 'utf8'), 0o666), /may be written by others/],
      ['a symbolic link', () => {
        const link = join(dir, 'link.json');
        symlinkSync(good, link);
        return link;
      }, /cannot read .*link\.json: ELOOP/],
    ];
    for (const [label, make, expected] of cases) {
      const file = make();
      const target = new DigestTextCache();
      await assert.rejects(loadDigestTexts(target, file), (error: Error) => {
        assert.match(error.message, expected, label);
        assert.ok(error.message.includes(file), `${label}: names ${file}`);
        return true;
      });
      assert.deepEqual(target.snapshot(), { texts: [], sizes: [] }, `${label}: nothing added`);
    }
  });
});
