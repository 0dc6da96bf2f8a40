// The cron bundles' loader (src/build-code-cache.ts): the bundle survives the trip through the payload comment, the
// first run that did the command's work writes V8's code cache and later runs load it, and a cache anybody else could
// have written is never read.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { withoutPureAnnotations } from '../../src/build';
import { wrapWithCodeCache } from '../../src/build-code-cache';
import { COMPLETED_RUN_KEY } from '../../src/core/completed-run';

// Text the escaping must carry: comment ends in a string and a regular expression, the escape character itself.
const BUNDLE = `#!/usr/bin/env node
"use strict";
const ends = ["*/", "*\\x01/", "\\x01e", /a*/.source, String.raw\`*\x01/\`];
const where = new Error().stack.split("\\n")[1].split(":").slice(-2, -1)[0]; // where: this line, in the file
globalThis[Symbol.for(${JSON.stringify(COMPLETED_RUN_KEY)})] = true;
process.stdout.write(JSON.stringify({ ends, main: require.main === module, file: __filename, line: Number(where) }));
`;

describe('code cache loader', () => {
  const work = mkdtempSync(join(tmpdir(), 'code-cache-test-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const cacheDir = join(work, 'cache');
  const script = join(work, 'bundle.js');
  writeFileSync(script, wrapWithCodeCache(BUNDLE, 'cache_test', cacheDir), { mode: 0o755 });
  // As root the cache lives in cacheDir; any other user's lives under the temp dir, which the test points at work.
  const run = (): Record<string, unknown> =>
    JSON.parse(execFileSync(process.execPath, [script], { env: { PATH: '/usr/bin:/bin', TMPDIR: work } }).toString());
  const cacheFiles = (): string[] => {
    const dir = process.getuid?.() === 0 ? cacheDir : join(work, `db_sentinel-cache-${process.getuid?.()}`);
    return readdirSync(dir).filter((name) => name.endsWith('.v8cache')).map((name) => join(dir, name));
  };

  it('runs the bundle as the main module with its text intact, and its stack traces name the file\'s own lines', () => {
    const lines = readFileSync(script, 'latin1').split('\n');
    const line = lines.findIndex((text) => text.startsWith('const where = ')) + 1;
    const expected = { ends: ['*/', '*\x01/', '\x01e', 'a*', '*\x01/'], main: true, file: script, line };
    assert.deepEqual(run(), expected);
    const [cache] = cacheFiles();
    assert.ok(cache, 'the first run writes the cache');
    assert.equal(statSync(cache).mode & 0o777, 0o600);
    assert.match(cache, new RegExp(`cache_test\\.[0-9a-f]{16}\\.${process.version}\\.${process.arch}\\.v8cache$`));
    const written = readFileSync(cache);
    assert.deepEqual(run(), expected);
    assert.deepEqual(readFileSync(cache), written, 'a run that loads the cache leaves it as it is');
  });

  it('writing its cache removes the week-old caches of the command\'s other builds, not those of other commands', () => {
    const dir = dirname(cacheFiles()[0] ?? '');
    const earlier = join(dir, `cache_test.0123456789abcdef.${process.version}.${process.arch}.v8cache`);
    const otherNode = join(dir, `cache_test.0123456789abcdef.v18.0.0.${process.arch}.v8cache`);
    const recent = join(dir, `cache_test.fedcba9876543210.${process.version}.${process.arch}.v8cache`);
    const otherCommand = join(dir, `db_other.0123456789abcdef.${process.version}.${process.arch}.v8cache`);
    const eightDaysAgo = new Date(Date.now() - 8 * 86400000);
    for (const file of [earlier, otherNode, recent, otherCommand]) {
      writeFileSync(file, 'left by another build', { mode: 0o600 });
      if (file !== recent) utimesSync(file, eightDaysAgo, eightDaysAgo);
    }
    const [cache] = cacheFiles().filter((file) => basename(file).startsWith('cache_test.') && ![earlier, otherNode, recent].includes(file));
    rmSync(cache); // a miss: this run writes the cache
    assert.equal(run().main, true);
    assert.deepEqual(readdirSync(dir).sort(), [basename(cache), basename(recent), basename(otherCommand)].sort());
    rmSync(recent);
  });

  it('a cache V8 rejects is replaced, and the bundle still runs', () => {
    const [cache] = cacheFiles();
    writeFileSync(cache, 'not a code cache');
    assert.equal(run().main, true);
    assert.notEqual(readFileSync(cache, 'utf8'), 'not a code cache');
  });

  it('a cache directory others can write is neither read nor written', { skip: process.getuid?.() !== 0 }, () => {
    const [cache] = cacheFiles();
    chmodSync(cacheDir, 0o777);
    writeFileSync(cache, 'planted');
    assert.equal(run().main, true);
    assert.equal(readFileSync(cache, 'utf8'), 'planted', 'the loader wrote into a directory others can write');
    chmodSync(cacheDir, 0o700);
  });
});

describe('code cache loader with runMain (src/cli/common.ts)', () => {
  const work = mkdtempSync(join(tmpdir(), 'code-cache-run-test-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const cacheDir = join(work, 'cache');
  const script = join(work, 'command.js');
  // A command the way the real ones are written: its main returns an exit code through runMain.
  const { outputFiles } = buildSync({
    stdin: {
      contents: `import { parseFlags, runMain } from './src/cli/common';
runMain('cache_run', async () => {
  const { values } = parseFlags(process.argv.slice(2), { fail: { type: 'boolean' } },
    { usage: 'cache_run [--fail]', summary: 'a command whose runs write the code cache or not', flags: [] });
  if (values.fail) throw new Error('failed on purpose');
  return 1;
});`,
      resolveDir: join(__dirname, '..', '..'),
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', write: false, banner: { js: '#!/usr/bin/env node' },
  });
  writeFileSync(script, wrapWithCodeCache(outputFiles[0]?.text ?? '', 'cache_run', cacheDir), { mode: 0o755 });
  const cacheHome = process.getuid?.() === 0 ? cacheDir : join(work, `db_sentinel-cache-${process.getuid?.()}`);
  const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { env: { PATH: '/usr/bin:/bin', TMPDIR: work } });
  const cached = (): string[] => readdirSync(cacheHome, { withFileTypes: true }).filter((entry) => entry.name.endsWith('.v8cache'))
    .map((entry) => entry.name);

  it('writes no cache after --help, --version or a failed run, whose cache would hold too little of the command', () => {
    assert.match(run('--version').stdout.toString(), /^cache_run \(db_sentinel\) /);
    assert.match(run('--help').stdout.toString(), /^usage: cache_run/);
    const failed = run('--fail');
    assert.equal(failed.status, 3);
    assert.match(failed.stdout.toString(), /failed on purpose/);
    assert.deepEqual(cached(), []);
  });

  it('writes it after a run whose main returned its exit code, and the next run loads it', () => {
    assert.equal(run().status, 1);
    const [cache] = cached();
    assert.ok(cache, 'no cache after a complete run');
    const written = readFileSync(join(cacheHome, cache));
    assert.equal(run().status, 1);
    assert.deepEqual(readFileSync(join(cacheHome, cache)), written, 'a run that loads the cache leaves it as it is');
  });
});

describe('the payload of a bundle without comment ends', () => {
  // esbuild's own output: it marks `new Map()` and `new Date()` with @__PURE__ comments.
  const bundled = (contents: string): string => buildSync({
    stdin: { contents, loader: 'js' }, bundle: true, platform: 'node', format: 'cjs', write: false,
  }).outputFiles[0]?.text ?? '';
  const code = 'export const seen = new Map(); export const now = () => new Date(); ';

  it('leaves esbuild\'s @__PURE__ comments out when they are its only comment ends, and nothing else', () => {
    const bundle = bundled(code);
    assert.match(bundle, /\/\* @__PURE__ \*\/ new Map\(\)/);
    const stripped = withoutPureAnnotations(bundle);
    assert.ok(!stripped.includes('*/'), stripped);
    assert.equal(stripped, bundle.replaceAll('/* @__PURE__ */ ', ''));
  });

  it('keeps them where another comment end remains, or where the text is not a comment', () => {
    const regex = bundled(`${code}export const bullet = /^\\s*[*]\\s*/;`);
    assert.equal(withoutPureAnnotations(regex), regex);
    const inString = bundled(`${code}export const text = "/* @__PURE__ */ new Map()";`);
    assert.ok(inString.includes('"/* @__PURE__ */ new Map()"'), inString);
    assert.equal(withoutPureAnnotations(inString), inString);
  });

  it('db_check\'s holds no escape: its loader compiles a slice of the file, never a copy', () => {
    const file = readFileSync(join(__dirname, '..', '..', 'build', 'db_check.js'), 'latin1');
    const payload = file.slice(file.indexOf('/*\x01db_sentinel bundle\n') + 22, file.lastIndexOf('\n\x01*/\n'));
    assert.ok(payload.startsWith('(function (exports, require, module, __filename, __dirname) {'), payload.slice(0, 80));
    assert.equal(payload.indexOf('\x01'), -1, 'db_check\'s bundle holds a */ (or \\x01) again: see withoutPureAnnotations');
  });
});
