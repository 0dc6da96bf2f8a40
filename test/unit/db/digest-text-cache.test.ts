// The digest texts serve keeps between collections: per database, bounded, the least recently used dropped first.
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

  it('holds at most its capacity, dropping the least recently used', () => {
    const texts = new DigestTextCache(2);
    texts.set('shop', 'a', 'A');
    texts.set('shop', 'b', 'B');
    assert.equal(texts.get('shop', 'a'), 'A'); // a is now the most recently used
    texts.set('shop', 'c', 'C');
    assert.equal(texts.get('shop', 'b'), undefined, 'b was used least recently');
    assert.equal(texts.get('shop', 'a'), 'A');
    assert.equal(texts.get('shop', 'c'), 'C');
  });
});
