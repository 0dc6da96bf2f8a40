// db_check from its V8 startup snapshot, black box: `build/db_check.js --build-snapshot DIR` and the cron launcher
// build/db_check.sh, under Node 18.20 (node_modules/node18: the snapshot) and Node 20 (declined: the code cache),
// with substitute tools on PATH (test/harness/check-host.ts). Each test builds for its own copy of the bundle, so that
// it can replace or break that copy.
import { strict as assert } from 'node:assert';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findBuiltinCodeCache } from '../../src/core/snapshot-blob';
import { SNAPSHOT_EXIT_OFFSET } from '../../src/core/startup-snapshot';
import { RUN_BUILTINS } from '../../src/sources/startup-snapshot';
import { checkHostFactory, CHECK_FIXTURE, HEALTHY, runWithPath, type CheckHost, type CheckRun } from '../harness/check-host';

const ROOT = join(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'build', 'db_check.js');
const LAUNCHER = join(ROOT, 'build', 'db_check.sh');
const NODE18 = join(ROOT, 'node_modules', 'node18', 'bin', 'node');
const NODE20 = process.execPath;

const work = mkdtempSync(join(tmpdir(), 'db_sentinel-e2e-snapshot-'));
after(() => rmSync(work, { recursive: true, force: true }));
const host = checkHostFactory(work);
// The launcher's own commands (rm) come from /bin, after the substitute tools.
const pathOf = (h: CheckHost): string => `${h.bin}:/usr/bin:/bin`;

interface Install {
  bundle: string;
  /** The snapshot directory (changeable: one test puts it on another filesystem). */
  dir: string;
}

/** A copy of the built bundle in a directory of its own, and a snapshot directory beside it (not made yet). */
function install(name: string): Install {
  const base = join(work, name);
  mkdirSync(base);
  const bundle = join(base, 'db_check.js');
  copyFileSync(BUNDLE, bundle);
  return { bundle, dir: join(base, 'snapshot') };
}

const buildSnapshot = (node: string, at: Install, path = '/usr/bin:/bin'): Promise<CheckRun> =>
  runWithPath(node, [at.bundle, '--build-snapshot', at.dir], path, work);
const launch = (node: string, at: Install, h: CheckHost, ...flags: string[]): Promise<CheckRun> =>
  runWithPath('/bin/sh', [LAUNCHER, at.dir, node, at.bundle, '--config', h.config, ...flags], pathOf(h), work);
const direct = (node: string, at: Install, h: CheckHost, ...flags: string[]): Promise<CheckRun> =>
  runWithPath(node, [at.bundle, '--config', h.config, ...flags], pathOf(h), work);

const inode = (path: string): number => statSync(path).ino;

/** Overwrites the file in place (same inode, so the snapshot's link still matches): only a run from the blob works. */
function breakInPlace(path: string): () => void {
  const text = readFileSync(path);
  writeFileSync(path, 'this is not JavaScript (\n');
  return () => writeFileSync(path, text);
}

/** DIR holds no blob, only a symbolic link to the node it was made for (build/db_check.sh then asks no more). */
function assertDeclinedFor(at: Install, node: string): void {
  assert.deepEqual(readdirSync(at.dir), ['node']);
  assert.equal(readlinkSync(join(at.dir, 'node')), node);
}

describe('db_check --build-snapshot and build/db_check.sh under Node 18.20: the startup snapshot', () => {
  it('writes the blob and hard links to the node and the bundle it was made from, in a 0700 directory', async () => {
    const at = install('build');
    const built = await buildSnapshot(NODE18, at);
    assert.equal(built.code, 0, built.stdout);
    assert.match(built.stdout, new RegExp(`^db_check: startup snapshot ${at.dir}/db_check\\.blob \\(\\d+ bytes\\) for ${realpathSync(NODE18)} v18\\.20\\.\\d+ and ${at.bundle}\n$`));
    assert.deepEqual(readdirSync(at.dir).sort(), ['db_check.blob', 'db_check.js', 'node']);
    assert.equal(statSync(at.dir).mode & 0o777, 0o700);
    assert.ok(statSync(join(at.dir, 'db_check.blob')).size > 1_000_000);
    assert.equal(inode(join(at.dir, 'node')), inode(NODE18));
    assert.equal(inode(join(at.dir, 'db_check.js')), inode(at.bundle));
  });

  it('the launcher runs db_check from the blob, with this run\'s flags, config and PATH', async () => {
    const at = install('from-blob');
    assert.equal((await buildSnapshot(NODE18, at)).code, 0);
    const h = host({ ...HEALTHY, free: `exec /bin/cat ${CHECK_FIXTURE.freeSwap}` });
    const expected = await direct(NODE18, at, h);
    assert.equal(expected.code, 2, expected.stdout);
    const restore = breakInPlace(at.bundle);
    try {
      assert.equal((await direct(NODE18, at, h)).code, 1, 'node runs the broken bundle: a syntax error');
      const fromBlob = await launch(NODE18, at, h);
      assert.deepEqual([fromBlob.code, fromBlob.stdout, fromBlob.stderr], [expected.code, expected.stdout, '']);
      // The flags, config and tools are this run's, not the build's.
      const json = await launch(NODE18, at, host(HEALTHY), '--json');
      assert.equal(json.code, 0, json.stdout);
      assert.equal((JSON.parse(json.stdout) as { status: string }).status, 'ok');
    } finally {
      restore();
    }
  });

  it('a bundle replaced by a new file (a deploy) runs as the new bundle, and the snapshot is built again for it', async () => {
    const at = install('replaced');
    assert.equal((await buildSnapshot(NODE18, at)).code, 0);
    const old = inode(join(at.dir, 'db_check.js'));
    copyFileSync(BUNDLE, `${at.bundle}.new`);
    renameSync(`${at.bundle}.new`, at.bundle);
    const h = host(HEALTHY);
    const result = await launch(NODE18, at, h);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^DB_SENTINEL OK - all 6 checks OK \| /);
    assert.match(result.stderr, /^db_check: startup snapshot .* for .* and /);
    assert.notEqual(inode(join(at.dir, 'db_check.js')), old);
    assert.equal(inode(join(at.dir, 'db_check.js')), inode(at.bundle));
    const restore = breakInPlace(at.bundle);
    try {
      assert.equal((await launch(NODE18, at, h)).code, 0, 'the rebuilt snapshot is used');
    } finally {
      restore();
    }
  });

  it('no snapshot directory yet: the bundle runs, and the snapshot is built after it', async () => {
    const at = install('none-yet');
    const result = await launch(NODE18, at, host(HEALTHY));
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stderr, /^db_check: startup snapshot /);
    assert.deepEqual(readdirSync(at.dir).sort(), ['db_check.blob', 'db_check.js', 'node']);
  });

  it('a blob node cannot load: the bundle runs, the blob is removed and not built again', async () => {
    const at = install('corrupt');
    assert.equal((await buildSnapshot(NODE18, at)).code, 0);
    truncateSync(join(at.dir, 'db_check.blob'), 100_000);
    const h = host(HEALTHY);
    const result = await launch(NODE18, at, h);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^DB_SENTINEL OK - all 6 checks OK \| /);
    assert.match(result.stderr, new RegExp(`db_check\\.sh: node could not start from ${at.dir}/db_check\\.blob \\(exit status (1[3-9][0-9]|14)\\); removed it, running ${at.bundle}\n$`));
    assert.equal(existsSync(join(at.dir, 'db_check.blob')), false);
    const next = await launch(NODE18, at, h);
    assert.deepEqual([next.code, next.stderr], [0, ''], 'the next run starts from the bundle, quietly');
  });

  it('a blob of another user is never started', { skip: process.getuid?.() !== 0 && 'chown needs root' }, async () => {
    const at = install('foreign');
    assert.equal((await buildSnapshot(NODE18, at)).code, 0);
    chownSync(join(at.dir, 'db_check.blob'), 65534, 65534);
    const h = host(HEALTHY);
    const restore = breakInPlace(at.bundle);
    try {
      const result = await launch(NODE18, at, h);
      assert.equal(result.code, 1, 'the broken bundle ran, not the blob');
      assert.doesNotMatch(result.stdout, /DB_SENTINEL/);
    } finally {
      restore();
    }
    const rebuilt = await launch(NODE18, at, h);
    assert.equal(rebuilt.code, 0, rebuilt.stdout);
    assert.match(rebuilt.stderr, /^db_check: startup snapshot /);
    assert.equal(statSync(join(at.dir, 'db_check.blob')).uid, 0);
  });

  it('a blob node rejects with exit status 1 (other V8 flags: NODE_OPTIONS): db_check\'s own verdict, from the bundle', async () => {
    const at = install('flags');
    assert.equal((await buildSnapshot(NODE18, at)).code, 0);
    const h = host(HEALTHY);
    const result = await runWithPath('/bin/sh', [LAUNCHER, at.dir, NODE18, at.bundle, '--config', h.config], pathOf(h), work,
      { NODE_OPTIONS: '--max-old-space-size=200' });
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^DB_SENTINEL OK - all 6 checks OK \| /);
    assert.match(result.stderr, /Failed to load the startup snapshot[^]*db_check\.sh: node could not start from .* \(exit status 1\); removed it/);
    assert.equal(existsSync(join(at.dir, 'db_check.blob')), false);
  });

  it('a snapshot directory on another filesystem than node: no snapshot, and the bundle runs without asking again',
    { skip: !existsSync('/dev/shm') && 'no /dev/shm here' }, async () => {
      const at = install('other-filesystem');
      const shm = mkdtempSync('/dev/shm/db_sentinel-snapshot-test-');
      try {
        at.dir = join(shm, 'snapshot');
        const result = await buildSnapshot(NODE18, at);
        assert.equal(result.code, 0, result.stdout);
        assert.match(result.stdout, new RegExp(`^db_check: no startup snapshot: ${at.dir} cannot hold a hard link to ${NODE18} \\(EXDEV: another filesystem\\?\\)`));
        assertDeclinedFor(at, NODE18);
        const run = await launch(NODE18, at, host(HEALTHY));
        assert.deepEqual([run.code, run.stderr], [0, ''], run.stdout);
        assertDeclinedFor(at, NODE18);
      } finally {
        rmSync(shm, { recursive: true, force: true });
      }
    });

  it('refuses a snapshot directory others can write, and writes nothing there', async () => {
    const at = install('shared');
    mkdirSync(at.dir, { mode: 0o777 });
    chmodSync(at.dir, 0o777);
    const result = await buildSnapshot(NODE18, at);
    assert.equal(result.code, 3);
    assert.match(result.stdout, new RegExp(`^DB_SENTINEL UNKNOWN - db_check: error: startup snapshot: ${at.dir} must be a directory of uid \\d+ that no group or other user can write \\(it is a directory of uid \\d+, mode 777\\)\n$`));
    assert.deepEqual(readdirSync(at.dir), []);
  });

  it('the blob keeps Node\'s code cache only for the builtins a run loads, and no run compiles a builtin without it', async () => {
    const at = install('builtins-code-cache');
    const built = await buildSnapshot(NODE18, at);
    assert.equal(built.code, 0, built.stdout);
    const version = /^db_check: startup snapshot \S+ \(\d+ bytes\) for \S+ (v18\.\d+\.\d+) and \S+\n$/.exec(built.stdout)?.[1];
    assert.ok(version, built.stdout);
    const blob = readFileSync(join(at.dir, 'db_check.blob'));
    assert.deepEqual(findBuiltinCodeCache(blob, version).entries.map((entry) => entry.id).sort(), [...RUN_BUILTINS].sort());
    // Node's log of the builtins it compiles (NODE_DEBUG_NATIVE: not a V8 flag, so the blob still loads): a check, its
    // JSON, a usage error and a config error on stderr, and a usage error on a terminal (script(1), where present).
    const h = host(HEALTHY);
    const debug = { NODE_DEBUG_NATIVE: 'CODE_CACHE' };
    // One after another: the runs share the config's lock file.
    const results: { flags: string[]; code: number; log: string }[] = [];
    for (const flags of [[], ['--json'], ['--no-such-flag'], ['--sample-seconds', 'soon']]) {
      const run = await runWithPath('/bin/sh', [LAUNCHER, at.dir, NODE18, at.bundle, '--config', h.config, ...flags],
        pathOf(h), work, debug);
      results.push({ flags, code: run.code, log: run.stderr });
    }
    const script = ['/usr/bin/script', '/bin/script'].find((file) => existsSync(file));
    if (script !== undefined) {
      const run = await runWithPath(script, ['-qec', `/bin/sh ${LAUNCHER} ${at.dir} ${NODE18} ${at.bundle} --no-such-flag`,
        '/dev/null'], pathOf(h), work, debug);
      results.push({ flags: ['(terminal)', '--no-such-flag'], code: run.code, log: run.stdout });
    }
    assert.deepEqual(results.map((run) => run.code), [0, 0, 3, 3, ...(script === undefined ? [] : [3])]);
    for (const run of results) {
      const compiled = run.log.split(/\r?\n/).filter((line) => line.startsWith('Compiling '));
      assert.ok(compiled.length > 0, `${run.flags.join(' ')}: Node logs no builtin compiled: the check cannot see one`);
      assert.deepEqual(compiled.filter((line) => !line.endsWith(' with code cache')), [], run.flags.join(' '));
    }
  });

  it('a run from the blob compiles no function of db_check, nor of Node\'s fs, Buffer or timers (V8\'s log)', async () => {
    // Built and run with V8's function log on: node starts a blob only under the V8 flags it was built with, so both
    // carry the same ones (db_check's, SNAPSHOT_NODE_FLAGS, and the log's), and the run's log replaces the build's.
    const at = install('compiles-nothing');
    const blob = join(work, 'compiles-nothing.blob');
    const log = join(work, 'compiles-nothing.v8.log');
    const v8Flags = ['--no-verify-snapshot-checksum', '--log-function-events', `--logfile=${log}`,
      '--no-logfile-per-isolate'];
    const built = await runWithPath(NODE18, [...v8Flags, '--no-warnings', '--snapshot-blob', blob, '--build-snapshot',
      at.bundle], '/usr/bin:/bin', work);
    assert.equal(built.code, 0, built.stderr);
    const h = host(HEALTHY);
    const run = await runWithPath(NODE18, [...v8Flags, '--snapshot-blob', blob, at.bundle, '--config', h.config],
      pathOf(h), work);
    assert.equal(run.code, SNAPSHOT_EXIT_OFFSET, run.stdout + run.stderr);
    // "script-details,<id>,<name>,..." names each script; "function,parse-function,<id>,<start>,<end>,..." is a
    // function compiled on its first call.
    const lines = readFileSync(log, 'utf8').split('\n').map((line) => line.split(','));
    const scripts = new Map(lines.filter((fields) => fields[0] === 'script-details')
      .map((fields) => [fields[1], fields[2]]));
    const compiled = lines.filter((fields) => fields[0] === 'function' && fields[1] === 'parse-function')
      .map((fields) => `${scripts.get(fields[2]) ?? fields[2]} ${fields[7] ?? ''}`);
    assert.ok(compiled.length > 0, 'the log names no compiled function at all: the check cannot see one');
    assert.deepEqual(compiled.filter((name) => name.startsWith(at.bundle)), [], 'db_check compiled at run time');
    // The snapshot's build called them (warmSnapshot in src/cli/db_check.ts). Nor setTimeout: src/report/runner.ts
    // arms a collector's deadline only when it is still pending, and db_check's never are.
    assert.deepEqual(compiled.filter((name) => /^node:(fs|internal\/fs\/utils|buffer|timers|internal\/timers) /.test(name)),
      []);
  });
});

describe('db_check --build-snapshot and build/db_check.sh under Node 20: no snapshot (the code cache is faster)', () => {
  it('--build-snapshot removes the snapshot, says why, and leaves a symbolic link to the node it declined for', async () => {
    const at = install('node20');
    mkdirSync(at.dir, { mode: 0o700 });
    for (const name of ['db_check.blob', 'node', 'db_check.js']) writeFileSync(join(at.dir, name), 'left by Node 18');
    const result = await buildSnapshot(NODE20, at);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^db_check: no startup snapshot: Node v2\d\.\d+\.\d+ starts db_check faster from its code cache than from a snapshot\n$/);
    assertDeclinedFor(at, NODE20);
  });

  it('the launcher runs the bundle and tries no build', async () => {
    const at = install('node20-launch');
    assert.equal((await buildSnapshot(NODE20, at)).code, 0);
    const h = host(HEALTHY);
    const result = await launch(NODE20, at, h);
    assert.deepEqual([result.code, result.stderr], [0, ''], result.stdout);
    assert.match(result.stdout, /^DB_SENTINEL OK - all 6 checks OK \| /);
    assertDeclinedFor(at, NODE20);
  });

  it('a blob of Node 18 is never started by Node 20 (the links name another node)', async () => {
    const at = install('node18-blob-node20');
    assert.equal((await buildSnapshot(NODE18, at)).code, 0);
    const h = host(HEALTHY);
    const result = await launch(NODE20, at, h);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stderr, /^db_check: no startup snapshot: Node v2\d/);
    assertDeclinedFor(at, NODE20);
  });

  it('a directory declined for Node 20 gets its snapshot when the node becomes Node 18 (the pillar\'s node changed)', async () => {
    const at = install('node20-then-18');
    assert.equal((await buildSnapshot(NODE20, at)).code, 0);
    const h = host(HEALTHY);
    const first = await launch(NODE18, at, h);
    assert.equal(first.code, 0, first.stdout);
    assert.match(first.stderr, /^db_check: startup snapshot /);
    assert.deepEqual(readdirSync(at.dir).sort(), ['db_check.blob', 'db_check.js', 'node']);
    const restore = breakInPlace(at.bundle);
    try {
      const fromBlob = await launch(NODE18, at, h);
      assert.deepEqual([fromBlob.code, fromBlob.stderr], [0, ''], 'from the new blob');
    } finally {
      restore();
    }
  });
});

describe('build/db_check.sh', () => {
  it('without its three arguments: usage on stderr, exit 3', async () => {
    const result = await runWithPath('/bin/sh', [LAUNCHER, NODE18], '/usr/bin:/bin', work);
    assert.deepEqual([result.code, result.stdout], [3, '']);
    assert.equal(result.stderr, 'usage: db_check.sh SNAPSHOT_DIR NODE BUNDLE [db_check flags...]\n');
  });

  it('passes --help and --version through', async () => {
    const at = install('info');
    assert.equal((await buildSnapshot(NODE18, at)).code, 0);
    const h = host(HEALTHY);
    const help = await launch(NODE18, at, h, '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: db_check \[--config FILE\]/);
    assert.match(help.stdout, /--build-snapshot DIR/);
    const version = await launch(NODE18, at, h, '--version');
    assert.match(version.stdout, /^db_check \(db_sentinel\) \d+\.\d+\.\d+\n$/);
  });
});
