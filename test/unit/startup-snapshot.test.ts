// db_check --build-snapshot's file work (src/sources/startup-snapshot.ts) with the node build replaced: which Nodes
// get a snapshot, what a directory holds after a build, after a declined one and after a failed one. The real build
// under Node 18.20 and 20 is in test/e2e/db_check-snapshot.test.ts; the trim of the builtins' code cache runs here on
// blobs node_modules/node18 writes.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findBuiltinCodeCache, keepBuiltinCodeCache } from '../../src/core/snapshot-blob';
import { buildStartupSnapshot, RUN_BUILTINS, snapshotDeclined, SNAPSHOT_NODE_FLAGS, type SnapshotTarget } from '../../src/sources/startup-snapshot';
import type { SyncOutcome, SyncSpawn } from '../../src/sources/wave';

const NODE18 = join(__dirname, '..', '..', 'node_modules', 'node18', 'bin', 'node');
const work = mkdtempSync(join(tmpdir(), 'startup-snapshot-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A node and a bundle of our own (files to link; the fake build runs neither), and a snapshot directory to make. */
function target(name: string, nodeVersion = 'v18.20.4'): SnapshotTarget {
  const node = join(work, `${name}-node`);
  const bundle = join(work, `${name}-db_check.js`);
  writeFileSync(node, '#!/bin/sh\n# stands for node\n');
  writeFileSync(bundle, '// a bundle\n');
  return { dir: join(work, `${name}-snapshot`), node, nodeVersion, bundle };
}

/** A node build that writes `blob` where it is asked to (or fails as told), recording its arguments. */
function fakeBuild(outcome: Partial<SyncOutcome> & { blob?: string | Buffer }, calls: string[][]): SyncSpawn {
  return (file, args) => {
    calls.push([file, ...args]);
    const at = args[args.indexOf('--snapshot-blob') + 1];
    if (outcome.blob !== undefined && at !== undefined) writeFileSync(at, outcome.blob);
    return { pid: 1, status: outcome.status ?? 0, signal: null, output: outcome.output ?? [] };
  };
}

describe('snapshotDeclined', () => {
  it('builds on Node 18.8 to 19; declines from Node 20 (the code cache is faster) and before 18.8 (no --build-snapshot)', () => {
    for (const version of ['v18.8.0', 'v18.19.0', 'v18.20.4', 'v19.9.0']) assert.equal(snapshotDeclined(version), undefined, version);
    for (const version of ['v20.0.0', 'v20.20.2', 'v22.11.0']) {
      assert.equal(snapshotDeclined(version), `Node ${version} starts db_check faster from its code cache than from a snapshot`);
    }
    for (const version of ['v16.20.2', 'v18.7.0']) {
      assert.equal(snapshotDeclined(version), `Node ${version} cannot build startup snapshots (18.8 or later)`);
    }
  });
});

describe('buildStartupSnapshot', () => {
  it('writes the blob the node build made, and hard links to the node and the bundle, with the shared V8 flags', () => {
    const at = target('built');
    const calls: string[][] = [];
    const outcome = buildStartupSnapshot(at, fakeBuild({ blob: 'heap' }, calls));
    assert.equal(outcome.built, true);
    // Not a blob Node 18 would write: left whole, and the message says why (src/core/snapshot-blob.ts).
    assert.match(outcome.message, new RegExp(`^startup snapshot ${at.dir}/db_check\\.blob \\(4 bytes\\) for ${at.node} v18\\.20\\.4 and ${at.bundle}; ` +
      "Node's code cache of its builtins left whole: startup snapshot blob \\(4 bytes\\): no Node 18 blob magic 143da19 at its start$"));
    assert.equal(readFileSync(join(at.dir, 'db_check.blob'), 'utf8'), 'heap');
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.slice(0, 1 + SNAPSHOT_NODE_FLAGS.length), [at.node, ...SNAPSHOT_NODE_FLAGS]);
    assert.deepEqual(calls[0]?.slice(-2), ['--build-snapshot', at.bundle]);
    assert.deepEqual(readdirSync(at.dir).sort(), ['db_check.blob', 'db_check.js', 'node']);
    assert.equal(statSync(join(at.dir, 'node')).ino, statSync(at.node).ino);
    assert.equal(statSync(join(at.dir, 'db_check.js')).ino, statSync(at.bundle).ino);
  });

  it('a blob of Node 18.20 keeps only the code cache of RUN_BUILTINS; one without any (Debian\'s nodejs) is kept as built', () => {
    // Real blobs: what node_modules/node18 writes, and the same with an empty code cache, as Debian's nodejs 18 writes
    // them (built without its builtins' code cache).
    const entry = join(work, 'entry.js');
    writeFileSync(entry, '');
    const built = join(work, 'real.blob');
    execFileSync(NODE18, ['--snapshot-blob', built, '--build-snapshot', entry], { env: { PATH: '/usr/bin:/bin' } });
    const blob = readFileSync(built);
    const version = execFileSync(NODE18, ['--version'], { encoding: 'utf8' }).trim();
    const cache = findBuiltinCodeCache(blob, version);
    for (const [name, bytes, ids] of [['npm', blob, [...RUN_BUILTINS].sort()], ['debian', keepBuiltinCodeCache(blob, cache, new Set()), []]] as const) {
      const at = target(name, version);
      const outcome = buildStartupSnapshot(at, fakeBuild({ blob: bytes }, []));
      assert.equal(outcome.message, `startup snapshot ${at.dir}/db_check.blob (${statSync(join(at.dir, 'db_check.blob')).size} bytes) ` +
        `for ${at.node} ${version} and ${at.bundle}`);
      const written = readFileSync(join(at.dir, 'db_check.blob'));
      assert.deepEqual(findBuiltinCodeCache(written, version).entries.map((kept) => kept.id).sort(), ids, name);
      assert.ok(written.subarray(0, cache.offset).equals(blob.subarray(0, cache.offset)), name);
      assert.deepEqual(readdirSync(at.dir).sort(), ['db_check.blob', 'db_check.js', 'node'], 'no temporary file left');
    }
  });

  it('a blob of another Node line keeps its whole code cache, and the message says why (RUN_BUILTINS is Node 18.20\'s)', () => {
    const at = target('other-line', 'v18.17.1');
    const outcome = buildStartupSnapshot(at, fakeBuild({ blob: 'heap of Node 18.17' }, []));
    assert.equal(outcome.message, `startup snapshot ${at.dir}/db_check.blob (18 bytes) for ${at.node} v18.17.1 and ${at.bundle}; ` +
      "Node's code cache of its builtins left whole: which of them a run loads was read on Node 18.20, not v18.17.1");
    assert.equal(readFileSync(join(at.dir, 'db_check.blob'), 'utf8'), 'heap of Node 18.17');
  });

  it('a failed build: the error names the node\'s exit and stderr, and DIR records the node so the launcher does not retry every run', () => {
    const at = target('failed');
    buildStartupSnapshot(at, fakeBuild({ blob: 'old heap' }, []));
    const failing = fakeBuild({ status: 1, output: [null, Buffer.from(''), Buffer.from('Unknown external reference 0xc7c400.\n<unresolved>\n')] }, []);
    assert.throws(() => buildStartupSnapshot(at, failing), {
      message: `startup snapshot: ${at.node} --build-snapshot ${at.bundle} failed (exit status 1): Unknown external reference 0xc7c400. / <unresolved>`,
    });
    assert.deepEqual(readdirSync(at.dir), ['node'], 'the old blob, its links and every temporary file are gone');
    assert.ok(lstatSync(join(at.dir, 'node')).isSymbolicLink());
    assert.equal(readlinkSync(join(at.dir, 'node')), at.node);
  });

  it('a declined Node: no build; the old snapshot goes and DIR records the node', () => {
    const at = target('declined', 'v20.20.2');
    const calls: string[][] = [];
    buildStartupSnapshot({ ...at, nodeVersion: 'v18.20.4' }, fakeBuild({ blob: 'heap' }, []));
    const outcome = buildStartupSnapshot(at, fakeBuild({ blob: 'heap' }, calls));
    assert.deepEqual(outcome, { built: false, message: 'no startup snapshot: Node v20.20.2 starts db_check faster from its code cache than from a snapshot' });
    assert.deepEqual(calls, []);
    assert.deepEqual(readdirSync(at.dir), ['node']);
    assert.equal(readlinkSync(join(at.dir, 'node')), at.node);
  });

  it('a bundle that is not there: an error naming it, and no build', () => {
    const at = { ...target('missing'), bundle: join(work, 'no-such-bundle.js') };
    const calls: string[][] = [];
    assert.throws(() => buildStartupSnapshot(at, fakeBuild({ blob: 'heap' }, calls)),
      { message: new RegExp(`^startup snapshot: cannot link ${at.bundle} into ${at.dir}: ENOENT`) });
    assert.deepEqual(calls, []);
    assert.deepEqual(readdirSync(at.dir), []);
  });
});
