// Typed errors that carry context and cause. Each names what was wrong so that an SRE reading a report or a
// Nagios line knows which tool, key or line to look at.
export class DbSentinelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Output of a command or file that could not be read. */
export class ParseError extends DbSentinelError {}

export type CommandFailure = 'not_found' | 'timeout' | 'exit_status' | 'signal' | 'spawn';

/** A command that could not be run, hung, or failed. */
export class CommandError extends DbSentinelError {
  readonly command: string;
  readonly failure: CommandFailure;
  constructor(command: string, failure: CommandFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.command = command;
    this.failure = failure;
  }
}

/** A configuration or pillar value that is not valid; `keyPath` names it (e.g. `thresholds.disk_await.warning`). */
export class ConfigError extends DbSentinelError {
  readonly keyPath: string;
  constructor(keyPath: string, message: string, options?: { cause?: unknown }) {
    super(`config: ${keyPath}: ${message}`, options);
    this.keyPath = keyPath;
  }
}

/** A database that could not be reached or queried. */
export class DatabaseError extends DbSentinelError {}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
