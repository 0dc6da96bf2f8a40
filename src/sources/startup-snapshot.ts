// db_check's V8 startup snapshot: `db_check --build-snapshot DIR` writes DIR/db_check.blob, the heap of Node with the
// bundle evaluated (`node --snapshot-blob FILE --build-snapshot db_check.js`, the loader's snapshot branch in
// src/build-code-cache.ts), beside hard links to the node binary and the bundle it was made from. build/db_check.sh
// (the formula's cron job) starts db_check from the blob only while both links are still the same files as the
// node and bundle it runs (`test -ef`): a blob is only valid for the binary that wrote it (one from another build
// makes node abort, or worse), and apt or Salt replace a file with a new inode.
//
// Only where it pays (bench/db_check.py): on Node 18, whose first require('node:fs') also loads fs/promises, streams
// and readline (its ESM facade reads every export), the snapshot starts db_check with all that done and every
// function of the bundle compiled: 135M to 87M instructions a run (22 % of the CPU on a VM, where the blob's page
// faults are dear; the blob keeps only the builtins' code cache a run loads, RUN_BUILTINS). From Node 20, fs is cheap
// to load and reading a 4.5 MB blob, nearly all V8's heap, costs more than the code cache saves: there DIR holds no
// blob, only a symbolic link to the node it declined for, and db_check starts from its bundle and code cache.
import { linkSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DbSentinelError, errorMessage } from '../core/errors';
import { findBuiltinCodeCache, keepBuiltinCodeCache } from '../core/snapshot-blob';
import { childProcessSpawnSync, type SyncSpawn } from './wave';

/** The files of a snapshot directory; build/db_check.sh reads the same names. */
export const SNAPSHOT_FILES = { blob: 'db_check.blob', node: 'node', bundle: 'db_check.js' } as const;

/**
 * V8 flags of both the build and every start (a blob records its flags' hash; another set makes node reject it):
 * build/db_check.sh passes the same. Node 18's V8 checksums a snapshot at every start by default (a 4.7 MB blob:
 * ~11M instructions, and ~6M for Node's own); from Node 20 it is off by default there too. A blob that nobody else can
 * write (ownDirectory) needs no checksum against tampering; a damaged one makes node abort, and the launcher then
 * runs the bundle.
 */
export const SNAPSHOT_NODE_FLAGS = ['--no-verify-snapshot-checksum'] as const;

/**
 * The builtins whose code cache a blob keeps (src/core/snapshot-blob.ts): those a db_check run from it loads. Every
 * other builtin it uses is in the blob's heap already, compiled. A run loads handle_process_exit (process.exit); a
 * message on stderr loads sync_write_stream (a file or a pipe), or tty and net with theirs (a terminal). Node 18
 * writes the code cache of all its builtins into a blob: 1.6 MB of 4.7 MB that every start reads, zero-fills and
 * copies, about 1,100 page faults. A builtin missing here is compiled from Node's source when loaded, no more;
 * test/e2e/db_check-snapshot.test.ts checks that runs compile none so. The list holds for the Node line it was read
 * from (RUN_BUILTINS_NODE): a run from Node 18.17's blob, for one, loads the module loaders and some twenty builtins
 * more, which would then all compile from source. Other Nodes keep their whole code cache.
 */
export const RUN_BUILTINS: ReadonlySet<string> = new Set(['internal/modules/esm/handle_process_exit',
  'internal/fs/sync_write_stream', 'tty', 'internal/tty', 'net', 'internal/dtrace', 'internal/perf/observe',
  'internal/perf/performance_entry']);
/** The Node versions RUN_BUILTINS was read from (with NODE_DEBUG_NATIVE=CODE_CACHE). */
export const RUN_BUILTINS_NODE = /^v18\.20\./;

/**
 * Keeps only RUN_BUILTINS' code cache in the blob `file` wrote by Node `nodeVersion`. A blob of another Node line, or
 * one it cannot read that way, stays whole, which costs only speed: the returned note says why, else it is ''.
 */
function keepRunBuiltinsOnly(file: string, nodeVersion: string): string {
  if (!RUN_BUILTINS_NODE.test(nodeVersion)) {
    return `; Node's code cache of its builtins left whole: which of them a run loads was read on Node 18.20, not ` +
      nodeVersion;
  }
  const trimmed = `${file}.trimmed`;
  try {
    const blob = readFileSync(file);
    const cache = findBuiltinCodeCache(blob, nodeVersion);
    if (cache.entries.every((entry) => RUN_BUILTINS.has(entry.id))) return ''; // nothing to drop (Debian's nodejs: none)
    writeFileSync(trimmed, keepBuiltinCodeCache(blob, cache, RUN_BUILTINS));
    renameSync(trimmed, file);
    return '';
  } catch (error: unknown) {
    rmSync(trimmed, { force: true });
    return `; Node's code cache of its builtins left whole: ${errorMessage(error)}`;
  }
}

/** Building a blob runs the bundle's module code once; a minute is far beyond what it takes. */
const BUILD_TIMEOUT_MS = 60_000;

export interface SnapshotTarget {
  /** The snapshot directory (the formula's paths.snapshot_dir). */
  dir: string;
  /** The node binary the blob is for (process.execPath). */
  node: string;
  /** Its version (process.version). */
  nodeVersion: string;
  /** The db_check bundle to evaluate into the blob. */
  bundle: string;
}

export interface SnapshotOutcome {
  built: boolean;
  /** One line for the operator: what was written, or why nothing was. */
  message: string;
}

/** Why this Node gets no snapshot, or undefined when it does (see the top of this file). */
export function snapshotDeclined(nodeVersion: string): string | undefined {
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  if (major >= 20) return `Node ${nodeVersion} starts db_check faster from its code cache than from a snapshot`;
  if (major < 18 || (major === 18 && minor < 8)) return `Node ${nodeVersion} cannot build startup snapshots (18.8 or later)`;
  return undefined;
}

/** The directory, made if missing, only if it is ours and nobody else can write it: the blob is code we run. */
function ownDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error: unknown) {
    throw new DbSentinelError(`startup snapshot: cannot create ${dir}: ${errorMessage(error)}`, { cause: error });
  }
  const owner = lstatSync(dir);
  const uid = process.getuid?.() ?? -1;
  if (!owner.isDirectory() || owner.uid !== uid || (owner.mode & 0o022) !== 0) {
    throw new DbSentinelError(`startup snapshot: ${dir} must be a directory of uid ${uid} that no group or other ` +
      `user can write (it is ${owner.isDirectory() ? 'a directory' : 'not a directory'} of uid ${owner.uid}, mode ` +
      `${(owner.mode & 0o7777).toString(8)})`);
  }
}

function removeSnapshot(dir: string): void {
  for (const name of Object.values(SNAPSHOT_FILES)) rmSync(join(dir, name), { force: true });
}

/** Why a hard link cannot be made there, when it is the filesystem's refusal rather than a wrong path. */
const LINK_REFUSED: ReadonlySet<string> = new Set(['EXDEV', 'EPERM', 'EMLINK']);

/**
 * DIR without a blob records the node it was told to do without one, as a symbolic link: build/db_check.sh then runs
 * the bundle for that node without asking again (a hard link where there is a blob: see the top of this file).
 */
function decline(target: SnapshotTarget, reason: string): SnapshotOutcome {
  symlinkSync(target.node, join(target.dir, SNAPSHOT_FILES.node));
  return { built: false, message: `no startup snapshot: ${reason}` };
}

/**
 * Builds DIR's snapshot for `target.node` and `target.bundle`, or leaves DIR without one (decline) where this Node
 * gets none or the links cannot be made. The old blob goes first and the new one comes last, so that
 * build/db_check.sh never pairs a blob with links it was not made with. `spawn` is replaceable for tests.
 */
export function buildStartupSnapshot(target: SnapshotTarget, spawn: SyncSpawn = childProcessSpawnSync): SnapshotOutcome {
  const declined = snapshotDeclined(target.nodeVersion);
  ownDirectory(target.dir);
  removeSnapshot(target.dir);
  if (declined !== undefined) return decline(target, declined);
  // The links first, under temporary names: a filesystem that refuses them refuses the snapshot before it is built.
  const links = [[SNAPSHOT_FILES.node, target.node], [SNAPSHOT_FILES.bundle, target.bundle]]
    .map(([name, file]) => ({ name, file, temporary: join(target.dir, `.${name}.${process.pid}`) }));
  const removeTemporaries = (): void => links.forEach((link) => rmSync(link.temporary, { force: true }));
  for (const link of links) {
    rmSync(link.temporary, { force: true });
    try {
      linkSync(realpathSync(link.file), link.temporary);
    } catch (error: unknown) {
      removeTemporaries();
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!LINK_REFUSED.has(code)) {
        throw new DbSentinelError(`startup snapshot: cannot link ${link.file} into ${target.dir}: ${errorMessage(error)}`, { cause: error });
      }
      return decline(target, `${target.dir} cannot hold a hard link to ${link.file} (${code}: another filesystem?), ` +
        'which says what a blob was made from');
    }
  }
  const blob = join(target.dir, SNAPSHOT_FILES.blob);
  const temporary = join(target.dir, `.${SNAPSHOT_FILES.blob}.${process.pid}`);
  rmSync(temporary, { force: true });
  // --no-warnings (Node's, not V8's: the blob does not record it): the build's stderr, shown when it fails, would open
  // with Node's warning that node:vm, which the loader uses to compile the bundle eagerly, is not verified in snapshots.
  const result = spawn(target.node,
    [...SNAPSHOT_NODE_FLAGS, '--no-warnings', '--snapshot-blob', temporary, '--build-snapshot', target.bundle],
    { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, ['ignore', 'pipe', 'pipe'], BUILD_TIMEOUT_MS);
  const stderr = result.output[2]?.toString().trim() ?? '';
  if (result.error !== undefined || result.status !== 0 || !statSync(temporary, { throwIfNoEntry: false })?.size) {
    rmSync(temporary, { force: true });
    removeTemporaries();
    // Recorded as declined for this node too: the launcher does not try again every run; the next deploy does.
    decline(target, 'the build failed');
    const how = result.error?.message ?? (result.signal ? `signal ${result.signal}` : `exit status ${result.status}`);
    throw new DbSentinelError(`startup snapshot: ${target.node} --build-snapshot ${target.bundle} failed (${how})` +
      (stderr ? `: ${stderr.split('\n').slice(0, 5).join(' / ')}` : ''));
  }
  const note = keepRunBuiltinsOnly(temporary, target.nodeVersion);
  for (const link of links) renameSync(link.temporary, join(target.dir, link.name));
  renameSync(temporary, blob);
  return {
    built: true,
    message: `startup snapshot ${blob} (${statSync(blob).size} bytes) for ${target.node} ${target.nodeVersion} and ` +
      `${target.bundle}${note}`,
  };
}
