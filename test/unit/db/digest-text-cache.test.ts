// The digest texts serve keeps between collections: per database, bounded by characters, the least recently used
// dropped first.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DigestTextCache } from '../../../src/collectors/db/mysql';

describe('DigestTextCache', () => {
  it('keeps a text per database and digest', () => {
    const texts = new DigestTextCache();
    texts.set('shop', 'a1', 'SELECT * FROM `orders` WHERE `id` = ?');
    assert.equal(texts.get('shop', 'a1'), 'SELECT * FROM `orders` WHERE `id` = ?');
    assert.equal(texts.get('billing', 'a1'), undefined, 'another database: its own digests');
    assert.equal(texts.get('shop', 'b2'), undefined);
  });

  it('holds at most its characters, dropping the least recently used', () => {
    const texts = new DigestTextCache(10);
    texts.set('shop', 'a', 'AAAA');
    texts.set('shop', 'b', 'BBBB');
    assert.equal(texts.get('shop', 'a'), 'AAAA'); // a is now the most recently used
    texts.set('shop', 'c', 'CCCC');
    assert.equal(texts.get('shop', 'b'), undefined, 'b was used least recently');
    assert.equal(texts.get('shop', 'a'), 'AAAA');
    assert.equal(texts.get('shop', 'c'), 'CCCC');
    texts.set('shop', 'c', 'CC'); // replaced: its old length no longer counts
    texts.set('shop', 'd', 'DDDD');
    assert.deepEqual(['a', 'c', 'd'].map((digest) => texts.get('shop', digest)), ['AAAA', 'CC', 'DDDD']);
  });

  it('does not keep a text longer than the whole bound', () => {
    const texts = new DigestTextCache(10);
    texts.set('shop', 'a', 'AAAA');
    texts.set('shop', 'huge', 'X'.repeat(11));
    assert.equal(texts.get('shop', 'huge'), undefined);
    assert.equal(texts.get('shop', 'a'), 'AAAA', 'nothing pushed out for it');
  });
});
