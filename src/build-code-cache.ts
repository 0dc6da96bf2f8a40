// The cron bundles (db_check, db_beacon, db_textfile) start a new Node every minute or five, and most of their
// start-up CPU is V8 parsing and compiling the bundle. Each of them is written as a small loader followed by the
// bundle inside a comment: Node compiles only the loader (skipping a comment costs a fraction of parsing code), and
// the loader compiles the bundle with V8's code cache, kept per user in a directory only that user can write (a
// cache file is code: one written by anybody else would run as us). The first run writes the cache as it exits;
// later runs deserialize it instead of parsing (bench/db_check.py measures both). Whatever goes wrong with the cache (no
// writable directory, a cache V8 rejects), the bundle still runs, compiled from its text as before.
import { createHash } from 'node:crypto';
import { COMPLETED_RUN_KEY } from './core/completed-run';
import { STARTUP_SNAPSHOT_KEY } from './core/startup-snapshot';

// The payload comment's delimiters. Inside it the bundle's own `*/` are written `*\x01/`, and its own \x01 (the
// escape character) `\x01e`; the loader undoes both.
const PAYLOAD_START = '/*\x01db_sentinel bundle\n';
const PAYLOAD_END = '\n\x01*/\n';
const ESCAPE = '\x01';
const ESCAPED_ESCAPE = '\x01e';
const ESCAPED_COMMENT_END = '*\x01/';
// The payload is the whole script the loader compiles, the bundle in the function a CommonJS module is: the script
// is then a slice of the file's text, not a copy (loaderSource).
const SCRIPT_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const SCRIPT_TAIL = '\n})';

/**
 * What the loader of a bundle that can be built into a V8 startup snapshot (db_check; src/sources/startup-snapshot.ts)
 * does under `node --snapshot-blob FILE --build-snapshot <bundle>`: it evaluates the bundle without the code cache (V8
 * serializes the heap, not a cache) and hands it the snapshot API under STARTUP_SNAPSHOT_KEY, so that runMain
 * (src/cli/common.ts) defers the command's main to the processes that start from the snapshot. The bundle is compiled
 * eagerly, so that the blob holds the bytecode of every function: a run from it compiles none of its own (compiled
 * lazily, they cost a Node 18 run 19M instructions, a fifth of it), then V8 is set back to lazy compilation, since the
 * blob records the flags and node rejects it under others. node:vm because the Function constructor does not compile
 * eagerly; Node warns (on the build's stderr) that vm is not verified in snapshots: its contexts are not, and this
 * makes none. The require a snapshot build hands the bundle takes `node:` ids to bare names where Node does not know
 * them (18.12 refuses 'node:v8' there; 18.17 and 18.20 take both): tried by hand on npm's 18.12.1 and 18.17.1.
 */
function snapshotBuildSource(payloadLine: number): string {
  return `
  if (process.execArgv.includes('--build-snapshot')) {
    const v8 = require('v8');
    globalThis[Symbol.for(${JSON.stringify(STARTUP_SNAPSHOT_KEY)})] = v8.startupSnapshot;
    v8.setFlagsFromString('--no-lazy');
    const eager = new (require('vm').Script)(source, { filename: __filename, lineOffset: ${payloadLine} });
    v8.setFlagsFromString('--lazy');
    eager.runInThisContext()({}, snapshotRequire, { exports: {} }, __filename, __dirname);
    return;
  }
  // The require of a snapshot build, where Node 18.12 (not 18.17 or 18.20) knows builtins by their bare names only.
  function snapshotRequire(id) {
    try {
      return require(id);
    } catch (error) {
      if (!id.startsWith('node:')) throw error;
      return require(id.slice(5));
    }
  }`;
}

function loaderSource(command: string, buildId: string, rootCacheDir: string, snapshot: boolean,
  payloadLine: number): string {
  return `// Loader: compiles the bundle below (in the comment) with V8's code cache. See src/build-code-cache.ts.
// Not strict up here: arguments.callee is the function Node compiled this file into, and its text is the file's, read
// once already (reading the file again costs a run more than the rest of this loader).
(function runBundle(fileText) {
  'use strict';
  const start = fileText.indexOf(${JSON.stringify(PAYLOAD_START)}) + ${PAYLOAD_START.length};
  const end = fileText.lastIndexOf(${JSON.stringify(PAYLOAD_END)});
  if (start < ${PAYLOAD_START.length} || end < start) throw new Error(__filename + ': no db_sentinel bundle in this file');
  // The script is the payload without its escapes, as slices of fileText joined: V8 copies it once, to compile it
  // (each replaceAll pass would copy it again, megabytes in the larger bundles); with no escape, one slice.
  let source = '';
  let from = start;
  for (let at = fileText.indexOf('\\x01', from); at !== -1 && at < end; at = fileText.indexOf('\\x01', from)) {
    const escapedEscape = fileText[at + 1] === 'e'; // else the \\x01 of an escaped comment end, between its * and /
    source += fileText.slice(from, escapedEscape ? at + 1 : at);
    from = escapedEscape ? at + 2 : at + 1;
  }
  source += fileText.slice(from, end);${
  snapshot ? snapshotBuildSource(payloadLine) : ''}
  const fs = require('node:fs');
  const vm = require('node:vm');
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  // root's cache lives with the agent's state; any other user's in its own 0700 directory under the temp dir.
  const dir = uid === 0 ? ${JSON.stringify(rootCacheDir)} : require('node:os').tmpdir() + '/db_sentinel-cache-' + uid;
  const file = dir + '/${command}.' + ${JSON.stringify(buildId)} + '.' + process.version + '.' + process.arch + '.v8cache';
  let cachedData;
  let ours = false;
  try {
    let owner = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (owner === undefined) {
      fs.mkdirSync(dir, { mode: 0o700, recursive: true });
      owner = fs.lstatSync(dir);
    }
    // Only a directory of ours that nobody else can write: a cache file is code that runs as this user.
    ours = owner.isDirectory() && owner.uid === uid && (owner.mode & 0o022) === 0;
    const cache = ours ? fs.lstatSync(file, { throwIfNoEntry: false }) : undefined;
    if (cache && cache.isFile() && cache.uid === uid) cachedData = fs.readFileSync(file);
  } catch (cacheError) {
    ours = false; // no usable cache directory: compile from the text, as without a cache
  }
  const script = new vm.Script(source, {
    filename: __filename,
    lineOffset: ${payloadLine},
    cachedData,
  });
  // Written at exit, the cache holds every function this run compiled, not only the top level: so only after a run
  // that did the command's work (src/core/completed-run.ts).
  if (ours && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => {
    if (globalThis[Symbol.for(${JSON.stringify(COMPLETED_RUN_KEY)})] !== true) return;
    try {
      const temporary = file + '.' + process.pid + '.tmp';
      fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600, flag: 'wx' });
      fs.renameSync(temporary, file);
      // Other builds' caches of this command (any node) written over a week ago are dead weight: one per deploy
      // would pile up. Newer ones may be another checkout's on the same machine, in use.
      const current = '${command}.' + ${JSON.stringify(buildId)} + '.';
      const weekAgo = Date.now() - 7 * 86400000;
      for (const name of fs.readdirSync(dir)) {
        if (!name.startsWith('${command}.') || !name.endsWith('.v8cache') || name.startsWith(current)) continue;
        const other = fs.lstatSync(dir + '/' + name, { throwIfNoEntry: false });
        if (other && other.mtimeMs < weekAgo) fs.rmSync(dir + '/' + name, { force: true });
      }
    } catch (cacheError) {
      cachedData = undefined; // the cache could not be written: the next run compiles from the text again
    }
  });
  script.runInThisContext()(exports, require, module, __filename, __dirname);
})(String(arguments.callee));
`;
}

export const ROOT_CODE_CACHE_DIR = '/var/cache/db_sentinel';

/**
 * Wraps an esbuild CommonJS bundle (with its `#!` line) into the loader + payload file described above. `rootCacheDir`
 * (root's cache directory) is replaceable for tests; `snapshot`: the bundle can also be built into a V8 startup
 * snapshot (snapshotBuildSource).
 */
export function wrapWithCodeCache(bundle: string, command: string, rootCacheDir = ROOT_CODE_CACHE_DIR,
  snapshot = false): string {
  const shebang = bundle.startsWith('#!') ? bundle.slice(0, bundle.indexOf('\n') + 1) : '';
  const body = bundle.slice(shebang.length);
  const buildId = createHash('sha256').update(body).digest('hex').slice(0, 16);
  // The line of the file the payload starts on (vm.Script's lineOffset: stack traces name the file's own lines);
  // the loader's line count does not depend on the number written into it.
  const payloadLine = (shebang + loaderSource(command, buildId, rootCacheDir, snapshot, 0) + PAYLOAD_START)
    .split('\n').length - 1;
  return shebang + loaderSource(command, buildId, rootCacheDir, snapshot, payloadLine) + PAYLOAD_START +
    `${SCRIPT_HEAD}${body}${SCRIPT_TAIL}`.replaceAll(ESCAPE, ESCAPED_ESCAPE).replaceAll('*/', ESCAPED_COMMENT_END) +
    PAYLOAD_END;
}
