// The daemon's side of the EXPLAIN child (src/explain/job.ts, build/db_explain.js): starts it with the
// same Node, writes the job on its stdin, reads the result from its stdout, and kills it when it outlives the
// job's time limit. Every failure is an error that names the script and says how it ended.
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { DbSentinelError, errorMessage } from '../core/errors';
import type { ExplainJob, ExplainJobResult } from './job';

export class ExplainChildError extends DbSentinelError {}

export type ExplainJobRunner = (job: ExplainJob, timeoutMs: number) => Promise<ExplainJobResult>;

/**
 * V8 flags of the child. --liftoff-only: libpg-query's WASM parser is compiled by V8's baseline compiler only; by
 * default V8 also recompiles the whole module with its optimizing compiler in background threads, which cost about
 * half of a batch's CPU (0.7 -> 0.35 CPU-s on the bench's batch, Node 18.20 and 20) and 35 MiB, for a process that
 * parses a few dozen statements and exits.
 */
export const CHILD_NODE_FLAGS: readonly string[] = ['--liftoff-only'];

/** Kept of the child's stderr and of a stdout that is not the result, for the error message. */
const TAIL_CHARS = 2000;

function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > TAIL_CHARS ? `…${trimmed.slice(-TAIL_CHARS)}` : trimmed;
}

function parseResult(script: string, stdout: string): ExplainJobResult {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (error: unknown) {
    throw new ExplainChildError(`${script} printed no JSON result: ${tail(stdout) || '(nothing)'}`, { cause: error });
  }
  const databases = (value as { databases?: unknown } | null)?.databases;
  if (!Array.isArray(databases)) throw new ExplainChildError(`${script} printed a result without a databases list`);
  return value as ExplainJobResult;
}

/** A runner that starts `node script` for each job (the daemon: build/db_explain.js beside build/db_analyzer.js). */
export function explainChildRunner(script: string, node: string = process.execPath): ExplainJobRunner {
  return async (job, timeoutMs) => {
    try {
      await access(script);
    } catch (error: unknown) {
      throw new ExplainChildError(`the EXPLAIN child ${script} cannot be read `
        + `(${(error as { code?: string }).code ?? errorMessage(error)}): deploy it beside db_analyzer.js`, { cause: error });
    }
    const child = spawn(node, [...CHILD_NODE_FLAGS, script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stdinError = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = tail(stderr + chunk); });
    // A child that dies before reading its stdin makes the write fail (EPIPE): said along with how it ended.
    child.stdin.on('error', (error) => { stdinError = ` (writing the job: ${errorMessage(error)})`; });
    child.stdin.end(JSON.stringify(job));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    try {
      const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.once('error', (error) => reject(new ExplainChildError(
          `cannot start the EXPLAIN child ${node} ${script}: ${errorMessage(error)}`, { cause: error })));
        child.once('close', (code, signal) => resolve({ code, signal }));
      });
      if (timedOut) throw new ExplainChildError(`the EXPLAIN child ${script} did not finish within ${timeoutMs / 1000} s and was killed`);
      if (ended.code !== 0) {
        throw new ExplainChildError(`the EXPLAIN child ${script} ended with `
          + `${ended.code === null ? `signal ${ended.signal ?? '?'}` : `exit code ${ended.code}`}${stdinError}: `
          + `${tail(`${stderr}\n${stdout}`) || '(no output)'}`);
      }
      return parseResult(script, stdout);
    } finally {
      clearTimeout(timer);
    }
  };
}
