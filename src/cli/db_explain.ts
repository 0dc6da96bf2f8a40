// Entry point of `db_explain` (build/db_explain.js): the short-lived process in which `db_analyzer serve` runs one
// cycle's EXPLAIN work (src/explain/job.ts), so that the daemon never holds the SQL parsers. It reads the
// job as JSON on stdin, writes the result as JSON on stdout and exits; the daemon starts it only when a slow query
// lacks a cached plan or the server log is to be read. Not meant to be run by hand.
import { DbSentinelError } from '../core/errors';
import { runExplainJob, type ExplainJob } from '../explain/job';
import { DEFAULT_OPENERS } from '../collectors/db/openers';
import { parseFlags, runMain, type CommandHelp } from './common';

const HELP: CommandHelp = {
  usage: 'db_explain < JOB.json',
  summary: "Started by `db_analyzer serve` for each cycle's EXPLAIN work (the gate and the runner, with their parsers,\n" +
    'in a process that exits afterwards): reads the job on stdin, prints the plans as JSON on stdout.',
  flags: [],
};

class JobError extends DbSentinelError {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The job's shape as the daemon writes it; anything else is refused with what was wrong. */
function parseJob(text: string): ExplainJob {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new JobError(`the job on stdin is not JSON (${text.length} bytes)`, { cause: error });
  }
  const job = value as Partial<ExplainJob> | null;
  if (job === null || typeof job !== 'object') throw new JobError('the job on stdin is not an object');
  if (typeof job.explain !== 'object' || job.explain === null) throw new JobError('the job has no explain settings');
  if (typeof job.stateDir !== 'string') throw new JobError('the job has no stateDir');
  if (!Array.isArray(job.databases)) throw new JobError('the job has no databases list');
  job.databases.forEach((entry, index) => {
    if (typeof entry?.database?.name !== 'string' || !(entry.database.engine in DEFAULT_OPENERS)
      || !Array.isArray(entry.slowQueries) || !Array.isArray(entry.cache)) {
      throw new JobError(`the job's databases[${index}] lacks a database, its slow queries or its cache`);
    }
  });
  return job as ExplainJob;
}

runMain('db_explain', async () => {
  parseFlags(process.argv.slice(2), {}, HELP);
  const job = parseJob(await readStdin());
  const result = await runExplainJob(job, (database) => DEFAULT_OPENERS[database.engine](database));
  process.stdout.write(JSON.stringify(result));
  return 0;
});
