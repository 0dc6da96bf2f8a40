// The daemon's database sessions, one per configured database, kept open from one collection to the next
// (db_analyzer serve, the demo): a login a cycle (TCP, the authentication exchange, the session's settings) was a
// fifth of serve's CPU (an A/B of two daemons on the same databases, bench/agent-cpu.ts). One-shot commands open and
// close their own. A session that is no longer reusable (its connection was lost, a statement on it timed out) is
// closed and the next collection opens a new one; so is one a collection gave up waiting for.
import type { DatabaseConfig } from '../../core/config';
import { errorMessage } from '../../core/errors';
import type { SqlSession } from '../../sources/sql';
import type { SessionOpener } from './openers';

export class KeptSessions {
  private readonly sessions = new Map<string, SqlSession>();

  /** The database's kept session when it is still reusable, else a new one (kept for the next collection). */
  async open(config: DatabaseConfig, opener: SessionOpener): Promise<SqlSession> {
    const kept = this.sessions.get(config.name);
    if (kept !== undefined && kept.reusable === true) return kept;
    if (kept !== undefined) await this.drop(config.name);
    const session = await opener(config);
    this.sessions.set(config.name, session);
    return session;
  }

  /** After a collection: a session that can no longer be used is closed; a close that fails is the problem returned. */
  async release(config: DatabaseConfig, session: SqlSession): Promise<string | null> {
    if (session.reusable === true) return null;
    return this.drop(config.name);
  }

  /** Forgets the database's session without waiting for it (a collection that timed out: its work still runs and
   * closes it when it ends). */
  forget(config: DatabaseConfig): void {
    this.sessions.delete(config.name);
  }

  /** Closes every session (the daemon stops). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((name) => this.drop(name)));
  }

  private async drop(name: string): Promise<string | null> {
    const session = this.sessions.get(name);
    this.sessions.delete(name);
    if (session === undefined) return null;
    return session.close().then(() => null, (error: unknown) => errorMessage(error));
  }
}
