// Reading the server log incrementally, on real files in a temporary directory holding records of the real PG 17
// jsonlog fixture: where the last cycle stopped, through rotation and truncation, a record cut mid-write, a record
// larger than the per-cycle budget, one larger than the entry limit, and a log that does not exist.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseJsonlog } from '../../../src/parsers/logs/postgres-records';
import { readServerLog, ServerLogError, type LogPosition } from '../../../src/sources/server-log';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'pglog', 'postgresql-17-jsonlog.json');
const LINES = readFileSync(FIXTURE, 'utf8').split('\n').filter((line) => line !== '');
const plans = LINES.filter((line) => line.includes('ms  plan:'));

function messages(read: Awaited<ReturnType<typeof readServerLog>>): string[] {
  return read.chunks.flatMap((chunk) => parseJsonlog(chunk.text).records.map((record) => record.message));
}

const options = (pattern: string, position: LogPosition | null, maxBytes = 1 << 20) => ({ pattern, position, maxBytes, maxEntryBytes: 4 << 20 });

describe('server log reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-pglog-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads from where the last cycle stopped, and a line cut mid-write waits for the next cycle', async () => {
    const file = join(dir, 'incremental.json');
    writeFileSync(file, `${LINES.slice(0, 3).join('\n')}\n`);
    const first = await readServerLog(options(file, null));
    assert.equal(messages(first).length, 3);
    assert.equal(first.position?.offset, statSync(file).size);

    const cut = (LINES[3] as string).length >> 1;
    appendFileSync(file, (LINES[3] as string).slice(0, cut));
    const second = await readServerLog(options(file, first.position));
    assert.deepEqual(messages(second), [], 'half a line is not a record');
    assert.equal(second.position?.offset, first.position?.offset, 'the position stays before the cut line');

    appendFileSync(file, `${(LINES[3] as string).slice(cut)}\n`);
    const third = await readServerLog(options(file, second.position));
    assert.deepEqual(messages(third), [JSON.parse(LINES[3] as string).message]);
  });

  it('after rotation reads the rest of the old file, then the new one (glob)', async () => {
    const old = join(dir, 'rot-1.json');
    writeFileSync(old, `${LINES.slice(0, 2).join('\n')}\n`);
    utimesSync(old, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const first = await readServerLog(options(join(dir, 'rot-*.json'), null));
    assert.equal(messages(first).length, 2);
    appendFileSync(old, `${LINES[2]}\n`); // written before the collector switched files
    utimesSync(old, new Date(Date.now() - 30_000), new Date(Date.now() - 30_000));
    writeFileSync(join(dir, 'rot-2.json'), `${LINES.slice(3, 5).join('\n')}\n`);
    const second = await readServerLog(options(join(dir, 'rot-*.json'), first.position));
    assert.deepEqual(messages(second), LINES.slice(2, 5).map((line) => JSON.parse(line).message));
    assert.equal(second.position?.path, join(dir, 'rot-2.json'));
  });

  it('a file renamed away and replaced (logrotate create) is read from the start of the new one', async () => {
    const file = join(dir, 'renamed.json');
    writeFileSync(file, `${LINES.slice(0, 2).join('\n')}\n`);
    const first = await readServerLog(options(file, null));
    renameSync(file, `${file}.1`);
    writeFileSync(file, `${LINES[5]}\n`);
    const second = await readServerLog(options(file, first.position));
    assert.deepEqual(messages(second), [JSON.parse(LINES[5] as string).message]);
    assert.match(second.notes.join('\n'), /is gone/);
  });

  it('a truncated file (copytruncate) is read from its start', async () => {
    const file = join(dir, 'truncated.json');
    writeFileSync(file, `${LINES.slice(0, 6).join('\n')}\n`);
    const first = await readServerLog(options(file, null));
    truncateSync(file, 0);
    appendFileSync(file, `${LINES[7]}\n`);
    const second = await readServerLog(options(file, first.position));
    assert.deepEqual(messages(second), [JSON.parse(LINES[7] as string).message]);
    assert.match(second.notes.join('\n'), /was truncated/);
  });

  it('reads at most the budget per cycle and goes on next cycle, losing nothing', async () => {
    const file = join(dir, 'budget.json');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    let position: LogPosition | null = { path: file, ...inode(file), offset: 0 };
    const seen: string[] = [];
    let cycles = 0;
    while (position !== null && position.offset < statSync(file).size) {
      const read = await readServerLog(options(file, position, 64 * 1024));
      assert.ok(read.bytesRead <= 64 * 1024 + (1 << 20), `a cycle reads about the budget, read ${read.bytesRead}`);
      seen.push(...messages(read));
      position = read.position;
      cycles += 1;
    }
    assert.ok(cycles >= Math.floor(statSync(file).size / (64 * 1024)), `${cycles} cycles for ${statSync(file).size} bytes`);
    assert.deepEqual(seen, LINES.map((line) => JSON.parse(line).message));
  });

  it('a first cycle starts near the end of a long log, at a whole record', async () => {
    const file = join(dir, 'long.json');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    const read = await readServerLog(options(file, null, 16 * 1024));
    const got = messages(read);
    assert.ok(got.length > 0 && got.length < LINES.length);
    assert.deepEqual(got, LINES.slice(LINES.length - got.length).map((line) => JSON.parse(line).message));
  });

  it('a huge plan larger than the cycle budget is still read whole; one over the entry limit is passed over', async () => {
    const file = join(dir, 'huge.json');
    const record = JSON.parse(plans[0] as string) as { message: string };
    // A real record with a plan padded by a 3 MB "Output" list, as a wide SELECT * would print.
    const padded = { ...record, message: record.message.replace('"Output": [', `"Output": [${'"col", '.repeat(400_000)}`) };
    const huge = JSON.stringify(padded);
    writeFileSync(file, `${huge}\n${LINES[1]}\n`);
    const read = await readServerLog({ pattern: file, position: { path: file, ...inode(file), offset: 0 }, maxBytes: 64 * 1024, maxEntryBytes: 8 << 20 });
    assert.equal(messages(read)[0]?.length, padded.message.length);

    const limited = await readServerLog({ pattern: file, position: { path: file, ...inode(file), offset: 0 }, maxBytes: 64 * 1024, maxEntryBytes: 1 << 20 });
    assert.deepEqual(messages(limited), []);
    assert.match(limited.skipped.join('\n'), /record of more than 1048576 bytes .* passed over/);
    const next = await readServerLog({ pattern: file, position: limited.position, maxBytes: 64 * 1024, maxEntryBytes: 1 << 20 });
    assert.deepEqual(messages(next), [JSON.parse(LINES[1] as string).message], 'the next cycle reads on after the passed-over record');
  });

  it('a log that does not exist is a ServerLogError naming it', async () => {
    await assert.rejects(readServerLog(options(join(dir, 'absent', '*.json'), null)),
      (error: unknown) => error instanceof ServerLogError && error.code === 'ENOENT' && /absent/.test(error.message));
  });
});

function inode(file: string): { dev: number; ino: number } {
  const info = statSync(file);
  return { dev: info.dev, ino: info.ino };
}
