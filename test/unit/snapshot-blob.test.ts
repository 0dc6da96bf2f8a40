// src/core/snapshot-blob.ts on real blobs: Node 18.20 (node_modules/node18) writes one at the start of this file from
// a small entry script (a blob is 4 MB: built here rather than checked in), and node 18.20 starts from what
// keepBuiltinCodeCache leaves of it. The blob db_check's own build writes is in test/e2e/db_check-snapshot.test.ts.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ParseError } from '../../src/core/errors';
import { findBuiltinCodeCache, keepBuiltinCodeCache, NODE18_BLOB_MAGIC } from '../../src/core/snapshot-blob';

const NODE18 = join(__dirname, '..', '..', 'node_modules', 'node18', 'bin', 'node');
const work = mkdtempSync(join(tmpdir(), 'snapshot-blob-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
const nodeVersion = execFileSync(NODE18, ['--version'], { env: ENV, encoding: 'utf8' }).trim();
// The entry loads node:zlib (not in Node's own startup) and says so from the blob.
const ENTRY = "require('node:zlib');\nrequire('node:v8').startupSnapshot.setDeserializeMainFunction(() => " +
  "process.stdout.write('from the blob\\n'));\n";
let blob: Buffer;

before(() => {
  writeFileSync(join(work, 'entry.js'), ENTRY);
  execFileSync(NODE18, ['--snapshot-blob', join(work, 'built.blob'), '--build-snapshot', join(work, 'entry.js')],
    { env: ENV, cwd: work });
  blob = readFileSync(join(work, 'built.blob'));
});

/** Node 18 started from `file`, with Node's log of the builtins it compiles on stderr. */
function runFrom(file: string): { stdout: string; compiled: string[] } {
  const stderr = join(work, 'stderr');
  const fd = openSync(stderr, 'w');
  try {
    const stdout = execFileSync(NODE18, ['--snapshot-blob', file],
      { env: { ...ENV, NODE_DEBUG_NATIVE: 'CODE_CACHE' }, encoding: 'utf8', stdio: ['ignore', 'pipe', fd] });
    return { stdout, compiled: readFileSync(stderr, 'utf8').split('\n').filter((line) => line.startsWith('Compiling ')) };
  } finally {
    closeSync(fd);
  }
}

describe('findBuiltinCodeCache', () => {
  it('finds the code cache of all of Node\'s builtins, last in the blob, entry after entry', () => {
    const cache = findBuiltinCodeCache(blob, nodeVersion);
    const ids = cache.entries.map((entry) => entry.id);
    assert.ok(ids.length > 200, `${ids.length} builtins`);
    for (const id of ['net', 'zlib', 'internal/fs/utils', 'internal/modules/esm/handle_process_exit']) assert.ok(ids.includes(id), id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(cache.entries[0]?.start, cache.offset + 8);
    cache.entries.forEach((entry, index) => assert.equal(entry.start, index === 0 ? cache.offset + 8 : cache.entries[index - 1]?.end));
    assert.equal(cache.entries.at(-1)?.end, blob.length);
    // The code cache is a large part of the blob: what taking it out is for.
    assert.ok(blob.length - cache.offset > blob.length / 5, `${blob.length - cache.offset} of ${blob.length} bytes`);
  });

  it('names what does not match: the magic, the Node that wrote it, V8\'s part, the code cache', () => {
    const fail = (bytes: Buffer, version: string, message: RegExp): void =>
      assert.throws(() => findBuiltinCodeCache(bytes, version), (error: unknown) => error instanceof ParseError && message.test(error.message));
    fail(Buffer.from('this is no blob'), nodeVersion,
      new RegExp(`^startup snapshot blob \\(15 bytes\\): no Node 18 blob magic ${NODE18_BLOB_MAGIC.toString(16)} at its start$`));
    fail(blob, 'v18.20.99', new RegExp(`: written by Node "${nodeVersion.slice(1).replaceAll('.', '\\.')}", not 18\\.20\\.99$`));
    fail(blob.subarray(0, 100_000), nodeVersion, /^startup snapshot blob \(100000 bytes\): V8's startup data of \d+ bytes at offset \d+ does not fit the file$/);
    // Cut inside the code cache: no code cache runs to the end any more.
    fail(blob.subarray(0, blob.length - 10), nodeVersion, /: no builtins' code cache runs from after V8's startup data \(offset \d+\) to the end of the file$/);
    fail(blob.subarray(0, 40), nodeVersion, /: no platform string at offset 33$/);
  });
});

describe('keepBuiltinCodeCache', () => {
  it('keeps the entries asked for, byte for byte, and the rest of the blob; Node 18 starts from it', () => {
    const full = runFrom(join(work, 'built.blob'));
    assert.equal(full.stdout, 'from the blob\n');
    assert.ok(full.compiled.length > 0, 'NODE_DEBUG_NATIVE logs no compile at all: the check below cannot see one');
    assert.deepEqual(full.compiled.filter((line) => !line.endsWith(' with code cache')), []);
    // What the run compiles keeps its code cache; zlib (in the blob's heap already) and all the others go.
    const loaded = full.compiled.map((line) => line.replace(/^Compiling (\S+) with code cache$/, '$1'));
    const cache = findBuiltinCodeCache(blob, nodeVersion);
    const trimmed = keepBuiltinCodeCache(blob, cache, new Set(loaded));
    const left = findBuiltinCodeCache(trimmed, nodeVersion);
    assert.deepEqual(left.entries.map((entry) => entry.id).sort(), [...loaded].sort());
    assert.equal(left.offset, cache.offset);
    assert.ok(trimmed.subarray(0, cache.offset).equals(blob.subarray(0, cache.offset)));
    for (const entry of left.entries) {
      const original = cache.entries.find((candidate) => candidate.id === entry.id);
      assert.ok(original && trimmed.subarray(entry.start, entry.end).equals(blob.subarray(original.start, original.end)), entry.id);
    }
    assert.ok(trimmed.length < blob.length * 0.8, `${trimmed.length} of ${blob.length} bytes`);
    writeFileSync(join(work, 'trimmed.blob'), trimmed);
    const run = runFrom(join(work, 'trimmed.blob'));
    assert.deepEqual(run, full);
  });

  it('with nothing to keep: an empty code cache, which Node 18 starts from too (compiling what it loads from source)', () => {
    const cache = findBuiltinCodeCache(blob, nodeVersion);
    const trimmed = keepBuiltinCodeCache(blob, cache, new Set());
    writeFileSync(join(work, 'empty.blob'), trimmed);
    const run = runFrom(join(work, 'empty.blob'));
    assert.equal(run.stdout, 'from the blob\n');
    assert.ok(run.compiled.length > 0 && run.compiled.every((line) => line.endsWith(' without code cache')), run.compiled.join('\n'));
    // What a Node built without its builtins' code cache writes (Debian's nodejs 18): found, and empty.
    assert.deepEqual(findBuiltinCodeCache(trimmed, nodeVersion), { offset: cache.offset, entries: [] });
    assert.ok(keepBuiltinCodeCache(trimmed, { offset: cache.offset, entries: [] }, new Set(['net'])).equals(trimmed));
  });
});
