// The run lock: a second run gives up while the first lives; a lock left by a dead or ancient run is taken over.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { acquireLock, LockError, processAlive } from '../../src/sources/lock';

describe('run lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const now = () => new Date('2026-01-01T00:10:00Z');

  it('the second run gives up while the first holds the lock, and may run once it is released', () => {
    const path = join(dir, 'a.lock');
    const first = acquireLock(path, { staleAfterMs: 600_000, now, pid: process.pid });
    assert.ok(first.acquired);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { pid: process.pid, started_at: '2026-01-01T00:10:00.000Z' });
    const second = acquireLock(path, { staleAfterMs: 600_000, now, pid: 4242 });
    assert.equal(second.acquired, false);
    if (!second.acquired) assert.equal(second.owner.pid, process.pid);
    first.release();
    assert.equal(existsSync(path), false);
    const third = acquireLock(path, { staleAfterMs: 600_000, now, pid: 4242 });
    assert.ok(third.acquired);
    third.release();
  });

  it('a lock whose owner is dead is taken over', () => {
    const path = join(dir, 'b.lock');
    writeFileSync(path, JSON.stringify({ pid: 999_999_999, started_at: '2026-01-01T00:09:00.000Z' }));
    assert.equal(processAlive(999_999_999), false);
    const attempt = acquireLock(path, { staleAfterMs: 600_000, now, pid: process.pid });
    assert.ok(attempt.acquired);
    attempt.release();
  });

  it('a lock older than staleAfterMs is taken over even if its pid lives (pid reuse)', () => {
    const path = join(dir, 'c.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, started_at: '2026-01-01T00:00:00.000Z' }));
    const young = acquireLock(path, { staleAfterMs: 3_600_000, now, pid: 1 });
    assert.equal(young.acquired, false);
    const old = acquireLock(path, { staleAfterMs: 300_000, now, pid: 1, isAlive: () => true });
    assert.ok(old.acquired);
  });

  it('a lock file with unreadable content (crash between create and write) is stale', () => {
    const path = join(dir, 'd.lock');
    writeFileSync(path, '');
    const attempt = acquireLock(path, { staleAfterMs: 600_000, now });
    assert.ok(attempt.acquired);
    attempt.release();
  });

  it('release leaves a lock that another run took over', () => {
    const path = join(dir, 'e.lock');
    const mine = acquireLock(path, { staleAfterMs: 600_000, now, pid: 111 });
    assert.ok(mine.acquired);
    writeFileSync(path, JSON.stringify({ pid: 222, started_at: '2026-01-01T00:10:00.000Z' }));
    mine.release();
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).pid, 222);
  });

  it('a lock directory that does not exist is a LockError naming the file', () => {
    const path = join(dir, 'missing', 'f.lock');
    assert.throws(() => acquireLock(path, { staleAfterMs: 1000 }),
      (error: unknown) => error instanceof LockError && error.message.includes(path) && /ENOENT/.test(error.message));
  });
});
