// The daemon's kept sessions (src/collectors/db/kept-sessions.ts): reused while reusable, replaced when not, closed
// on release when they can no longer be used, and all closed when the daemon stops. The sessions here only record
// what is done to them; test/e2e/serve-sessions.test.ts holds the same to real servers (a killed connection).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseConfig, type DatabaseConfig } from '../../../src/core/config';
import { KeptSessions } from '../../../src/collectors/db/kept-sessions';
import type { SqlSession } from '../../../src/sources/sql';

const [SHOP] = parseConfig({ databases: [{ name: 'shop', engine: 'postgresql', url: 'postgresql://db_sentinel@127.0.0.1:5432/shop' }] }, 'test').databases as [DatabaseConfig];

interface RecordedSession extends SqlSession {
  reusable: boolean;
  closed: number;
  id: number;
}

function opener(closeFailure: string | null = null): { open: (config: DatabaseConfig) => Promise<RecordedSession>; opened: RecordedSession[] } {
  const opened: RecordedSession[] = [];
  return {
    opened,
    open: async () => {
      const session: RecordedSession = {
        id: opened.length + 1,
        reusable: true,
        closed: 0,
        queriesSent: 0,
        query: async () => [],
        readOnly: (work) => work(session),
        close: async () => {
          session.closed += 1;
          session.reusable = false;
          if (closeFailure !== null) throw new Error(closeFailure);
        },
      };
      opened.push(session);
      return session;
    },
  };
}

/** kept.open's session, as the recording session it is. */
async function openKept(kept: KeptSessions, open: (config: DatabaseConfig) => Promise<RecordedSession>): Promise<RecordedSession> {
  return (await kept.open(SHOP, open)) as RecordedSession;
}

describe('the daemon keeps one session per database between collections', () => {
  it('reuses a reusable session, and replaces one that lost its connection or timed out', async () => {
    const kept = new KeptSessions();
    const { open, opened } = opener();
    const first = await openKept(kept, open);
    assert.equal(await kept.release(SHOP, first), null);
    assert.equal(await openKept(kept, open), first, 'the next collection gets the same session');
    assert.equal(first.closed, 0);
    first.reusable = false; // e.g. the server ended the connection while it was idle
    const second = await openKept(kept, open);
    assert.notEqual(second, first);
    assert.equal(first.closed, 1, 'the dead session is closed before a new one is opened');
    assert.equal(opened.length, 2);
  });

  it('closes a session that can no longer be used at release, and says when the close failed', async () => {
    const kept = new KeptSessions();
    const { open } = opener('socket already ended');
    const session = await openKept(kept, open);
    session.reusable = false; // a statement timed out on it
    assert.equal(await kept.release(SHOP, session), 'socket already ended');
    assert.equal(session.closed, 1);
  });

  it('forgets a session a collection gave up waiting for (its work closes it), and closes all when the daemon stops', async () => {
    const kept = new KeptSessions();
    const { open, opened } = opener();
    const abandoned = await openKept(kept, open);
    kept.forget(SHOP);
    const next = await openKept(kept, open);
    assert.notEqual(next, abandoned);
    assert.equal(abandoned.closed, 0, 'not closed under the work still using it');
    await kept.closeAll();
    assert.equal(next.closed, 1);
    assert.equal(opened.length, 2);
    await kept.closeAll();
    assert.equal(next.closed, 1, 'closed once');
  });
});
