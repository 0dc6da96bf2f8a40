// The cron bundles (db_check, db_beacon, db_textfile) start a new Node every minute or five, and most of their
// start-up CPU is V8 parsing and compiling the bundle. Each of them is written as a small loader followed by the
// bundle inside a comment: Node compiles only the loader (skipping a comment costs a fraction of parsing code), and
// the loader compiles the bundle with V8's code cache, kept per user in a directory only that user can write (a
// cache file is code: one written by anybody else would run as us). The first run writes the cache as it exits;
// later runs deserialize it instead of parsing (bench/db_check.py measures both). Whatever goes wrong with the cache (no
// writable directory, a cache V8 rejects), the bundle still runs, compiled from its text as before.
import { createHash } from 'node:crypto';
import { STARTUP_SNAPSHOT_KEY } from './core/startup-snapshot';

// The payload comment's delimiters. Inside it the bundle's own `*/` are written `*\x01/`, and its own \x01 (the
// escape character) `\x01e`; the loader undoes both, in the reverse order.
const PAYLOAD_START = '/*\x01db_sentinel bundle\n';
const PAYLOAD_END = '\n\x01*/\n';
const ESCAPE = '\x01';
const ESCAPED_ESCAPE = '\x01e';
const ESCAPED_COMMENT_END = '*\x01/';

/**
 * What the loader of a bundle that can be built into a V8 startup snapshot (db_check; src/sources/startup-snapshot.ts)
 * does under `node --snapshot-blob FILE --build-snapshot <bundle>`: it evaluates the bundle without the code cache (V8
 * serializes the heap, not a cache) and hands it the snapshot API under STARTUP_SNAPSHOT_KEY, so that runMain
 * (src/cli/common.ts) defers the command's main to the processes that start from the snapshot.
 */
function snapshotBuildSource(): string {
  return `
  if (process.execArgv.includes('--build-snapshot')) {
    globalThis[Symbol.for(${JSON.stringify(STARTUP_SNAPSHOT_KEY)})] = require('node:v8').startupSnapshot;
    // Function, not node:vm: Node warns that vm is not verified in snapshots (its contexts are not; this is none).
    Function('exports', 'require', 'module', '__filename', '__dirname', source)({}, require, { exports: {} },
      __filename, __dirname);
    return;
  }`;
}

function loaderSource(command: string, buildId: string, rootCacheDir: string, snapshot: boolean): string {
  return `'use strict';
// Loader: compiles the bundle below (in the comment) with V8's code cache. See src/build-code-cache.ts.
(function runBundle() {
  const fs = require('node:fs');
  // latin1 makes a one-byte string at once; esbuild (charset ascii) leaves non-ASCII only in comments.
  const text = fs.readFileSync(__filename, 'latin1');
  const start = text.indexOf(${JSON.stringify(PAYLOAD_START)}) + ${PAYLOAD_START.length};
  const end = text.lastIndexOf(${JSON.stringify(PAYLOAD_END)});
  const source = text.slice(start, end).replaceAll(${JSON.stringify(ESCAPED_COMMENT_END)}, '*/')
    .replaceAll(${JSON.stringify(ESCAPED_ESCAPE)}, ${JSON.stringify(ESCAPE)});${snapshot ? snapshotBuildSource() : ''}
  const os = require('node:os');
  const vm = require('node:vm');
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  // root's cache lives with the agent's state; any other user's in its own 0700 directory under the temp dir.
  const dir = uid === 0 ? ${JSON.stringify(rootCacheDir)} : os.tmpdir() + '/db_sentinel-cache-' + uid;
  const file = dir + '/${command}.' + ${JSON.stringify(buildId)} + '.' + process.version + '.' + process.arch + '.v8cache';
  let cachedData;
  let ours = false;
  try {
    fs.mkdirSync(dir, { mode: 0o700, recursive: true });
    const owner = fs.lstatSync(dir);
    // Only a directory of ours that nobody else can write: a cache file is code that runs as this user.
    ours = owner.isDirectory() && owner.uid === uid && (owner.mode & 0o022) === 0;
    const cache = ours ? fs.lstatSync(file, { throwIfNoEntry: false }) : undefined;
    if (cache && cache.isFile() && cache.uid === uid) cachedData = fs.readFileSync(file);
  } catch (cacheError) {
    ours = false; // no usable cache directory: compile from the text, as without a cache
  }
  const script = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + source + '\\n})', {
    filename: __filename,
    lineOffset: text.slice(0, start).split('\\n').length - 1,
    cachedData,
  });
  // Written at exit, the cache holds every function this run compiled, not only the top level.
  if (ours && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => {
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
})();
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
  return shebang + loaderSource(command, buildId, rootCacheDir, snapshot) + PAYLOAD_START + body.replaceAll(ESCAPE,
    ESCAPED_ESCAPE).replaceAll('*/', ESCAPED_COMMENT_END) +
    PAYLOAD_END;
}
