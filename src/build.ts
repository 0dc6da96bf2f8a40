// Bundles every command into one self-contained CommonJS file under build/ (or another directory, for the
// staleness test). Run with `npm run build`.
import { build, transformSync } from 'esbuild';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { wrapWithCodeCache } from './build-code-cache';
import { embedLibpgQueryWasm } from './build-libpg-query';
import { writeReportSchema } from './build-schema';

/** db_explain: the short-lived process of db_analyzer serve's EXPLAIN work (src/cli/db_explain.ts). */
export const COMMANDS = ['db_check', 'db_analyzer', 'db_beacon', 'db_textfile', 'db_explain'] as const;

/** Started anew every minute or five (cron; db_explain by serve): they load through V8's code cache (src/build-code-cache.ts). */
const CRON_COMMANDS: ReadonlySet<string> = new Set(['db_check', 'db_beacon', 'db_textfile', 'db_explain']);

/**
 * Can also start from a V8 startup snapshot (src/sources/startup-snapshot.ts): db_check, whose cost every five minutes
 * on every host is mostly Node starting (bench/db_check.py).
 */
const SNAPSHOT_COMMANDS: ReadonlySet<string> = new Set(['db_check']);

const ROOT = resolve(__dirname, '..');
/** js-yaml's minified build, relative to the checkout (the bundle names it in a comment, the same in any checkout). */
const JS_YAML_MINIFIED = 'node_modules/js-yaml/dist/js-yaml.min.js';

/**
 * YAML data files (the tuning profile) are parsed here, at build time, and embedded as the objects they hold: the
 * bundles then need no YAML parser to read their own defaults (db_check's start-up CPU; see bench/db_check.py).
 */
/**
 * pg decides at load whether it runs in a Cloudflare Worker by constructing a `Response`, which in Node makes Node
 * load its whole fetch implementation (undici) — a cost db_textfile paid every minute for nothing. The bundles run
 * on Node only: the probe is answered `false` at build time. The build fails if pg changes the code it replaces.
 */
const pgWithoutCloudflareProbe: Plugin = {
  name: 'pg-without-cloudflare-probe',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const probe = 'if (isCloudflareRuntime()) {';
      if (!text.includes(probe)) throw new Error(`${args.path}: no "${probe}" to replace; check pg's runtime probe`);
      return { contents: text.replace(probe, 'if (false) { // db_sentinel: Node only (src/build.ts)'), loader: 'js' };
    });
  },
};

/**
 * pg's SASLprep ends with `normalize('NFKC')`, which makes V8 load ICU's normalization data (~3 MB of the daemon's
 * resident memory, for good) at every SCRAM login, although NFKC leaves ASCII as it is. ASCII passwords skip it;
 * any other is normalized as before. The build fails if pg changes the code it replaces.
 */
const pgSaslprepAsciiShortcut: Plugin = {
  name: 'pg-saslprep-ascii-shortcut',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]crypto[\\/]sasl\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const call = "return password.replace(nonAsciiSpace, ' ').replace(mappedToNothing, '').normalize('NFKC')";
      if (!text.includes(call)) throw new Error(`${args.path}: no "${call}" to replace; check pg's saslprep`);
      return {
        contents: text.replace(call, 'if (/^[\\x00-\\x7f]*$/.test(password)) return password '
          + `// db_sentinel: NFKC leaves ASCII as it is (src/build.ts)\n  ${call}`),
        loader: 'js',
      };
    });
  },
};

/**
 * db_analyzer runs EXPLAIN in db_explain.js, a child process per cycle (src/explain/in-child.ts), so its
 * bundle leaves the SQL parsers out: db_analyzer serve keeps its whole source in memory for as long as it runs, and
 * libpg-query (its WASM in base64) and node-sql-parser's grammars were half of it. A require that reached them
 * anyway fails naming the module.
 */
const sqlParsersLeftOut: Plugin = {
  name: 'sql-parsers-left-out',
  setup(build) {
    build.onResolve({ filter: /^(libpg-query|node-sql-parser\/build\/(mysql|mariadb))$/ },
      (args) => ({ path: args.path, namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in this bundle: EXPLAIN runs in db_explain.js (src/build.ts)`)});`,
      loader: 'js',
    }));
  },
};

/**
 * js-yaml reads only hand-written config files (Salt renders them as JSON, which JSON.parse reads), yet each byte of
 * code in a cron bundle costs every run: Node scans the whole file at start, and db_check's startup snapshot holds
 * every function compiled (src/build-code-cache.ts). So the bundles carry js-yaml as text, the package's own minified
 * build of the same version (dist/js-yaml.min.js, 44 KB where lib/ is 115 KB of code), compiled the first time a
 * YAML file is read. A string is scanned at a fraction of the cost of code and compiles to nothing.
 */
const jsYamlAsText: Plugin = {
  name: 'js-yaml-as-text',
  setup(build) {
    build.onResolve({ filter: /^js-yaml$/ }, () => ({ path: JS_YAML_MINIFIED, namespace: 'js-yaml-as-text' }));
    build.onLoad({ filter: /.*/, namespace: 'js-yaml-as-text' }, async (args) => {
      const minified = await readFile(join(ROOT, args.path), 'utf8');
      const source = minified.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      // Its UMD header takes CommonJS's exports when it sees them.
      return { contents: `new Function('exports', 'module', ${JSON.stringify(source)})(exports, module);`, loader: 'js' };
    });
  },
};

/** Bundles whose EXPLAIN runs in db_explain.js. */
const PARSERS_IN_CHILD: ReadonlySet<string> = new Set(['db_analyzer']);

const embedYamlAsData: Plugin = {
  name: 'embed-yaml-as-data',
  setup(build) {
    build.onLoad({ filter: /\.ya?ml$/ }, async (args) => ({
      contents: JSON.stringify(load(await readFile(args.path, 'utf8'), { filename: args.path })),
      loader: 'json',
    }));
  },
};

/**
 * esbuild's charset ascii escapes every string, template and regular expression, but comments it keeps (from the
 * bundled packages) may hold non-ASCII text, and one such character makes V8 hold the whole source of the bundle as
 * a two-byte string: 10 MB instead of 5 in db_analyzer serve's heap, for as long as it runs. Written as \u{…} text
 * (inside a comment, text like any other).
 */
export function asciiOnly(bundle: string): string {
  return bundle.replace(/[^\x00-\x7f]/gu, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}

const PURE_ANNOTATION = '/* @__PURE__ */ ';

/**
 * A cron bundle travels in its loader's payload comment, where each comment end of its own is escaped, and the loader
 * compiles the unescaped text: slices of the file joined, which V8 copies once more to compile them; with no escape,
 * the script is one slice of the file's text, not copied (src/build-code-cache.ts). esbuild marks calls in its
 * output such as `new Map()` with a `@__PURE__` comment, for minifiers, which nothing here reads: when those are the
 * bundle's only comment ends (db_check's), they are left out. A text that only looks like one (in a string, say) is
 * not touched: the bundle without them must parse to the same program, else it is kept as it is.
 */
export function withoutPureAnnotations(bundle: string): string {
  const stripped = bundle.replaceAll(PURE_ANNOTATION, '');
  if (stripped === bundle || stripped.includes('*/')) return bundle;
  const program = (text: string): string => transformSync(text, {
    loader: 'js', format: 'cjs', platform: 'node', charset: 'ascii', minifyWhitespace: true, ignoreAnnotations: true,
    legalComments: 'none',
  }).code;
  return program(stripped) === program(bundle) ? stripped : bundle;
}

export async function buildBundles(outdir: string = join(ROOT, 'build')): Promise<string[]> {
  const outputs: string[] = [];
  for (const command of COMMANDS) {
    const outfile = join(outdir, `${command}.js`);
    const result = await build({
      entryPoints: [join(ROOT, 'src', 'cli', `${command}.ts`)],
      // Paths in the bundle's comments are relative to this, whatever the caller's working directory.
      absWorkingDir: ROOT,
      // A checkout whose node_modules is a link to another checkout's (a git worktree) names the packages by the path
      // they have here, node_modules/..., not by where the link points: every checkout builds the same bytes.
      preserveSymlinks: true,
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      banner: { js: '#!/usr/bin/env node' },
      loader: { '.sql': 'text', '.wasm': 'binary' },
      plugins: [
        ...(PARSERS_IN_CHILD.has(command) ? [sqlParsersLeftOut] : []),
        jsYamlAsText, embedYamlAsData, embedLibpgQueryWasm, pgWithoutCloudflareProbe, pgSaslprepAsciiShortcut,
      ],
      legalComments: 'none',
      logLevel: 'warning',
      // Deterministic output: the staleness test compares a fresh build with the committed one byte for byte.
      sourcemap: false,
      minify: false,
      // Escapes in strings and regular expressions keep the bundle ASCII: V8 scans one-byte text faster.
      charset: 'ascii',
      write: false,
    });
    const bundle = asciiOnly(result.outputFiles[0].text);
    writeFileSync(outfile, CRON_COMMANDS.has(command)
      ? wrapWithCodeCache(withoutPureAnnotations(bundle), command, undefined, SNAPSHOT_COMMANDS.has(command)) : bundle);
    chmodSync(outfile, 0o755);
    outputs.push(outfile);
  }
  // db_check's cron launcher (starts it from its startup snapshot where there is one), deployed with the bundles.
  const launcher = join(outdir, 'db_check.sh');
  copyFileSync(join(ROOT, 'src', 'cli', 'db_check.sh'), launcher);
  chmodSync(launcher, 0o755);
  outputs.push(launcher);
  return outputs;
}

if (require.main === module) {
  // The schema first: it is generated from src/core/report.ts and committed beside it (src/build-schema.ts).
  writeReportSchema();
  buildBundles(process.argv[2]).then(
    (files) => process.stdout.write(`built ${files.length} files\n`),
    (error: unknown) => {
      process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
