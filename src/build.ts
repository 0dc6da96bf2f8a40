// Bundles every command into one self-contained CommonJS file under build/ (or another directory, for the
// staleness test). Run with `npm run build`.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { embedLibpgQueryWasm } from './build-libpg-query';

export const COMMANDS = ['db_check', 'db_analyzer', 'db_beacon', 'db_textfile'] as const;

const ROOT = resolve(__dirname, '..');

export async function buildBundles(outdir: string = join(ROOT, 'build')): Promise<string[]> {
  const outputs: string[] = [];
  for (const command of COMMANDS) {
    const outfile = join(outdir, `${command}.js`);
    await build({
      entryPoints: [join(ROOT, 'src', 'cli', `${command}.ts`)],
      // Paths in the bundle's comments are relative to this, whatever the caller's working directory.
      absWorkingDir: ROOT,
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      banner: { js: '#!/usr/bin/env node' },
      // The default tuning profile and other data files are embedded as text and parsed at run time.
      loader: { '.yml': 'text', '.yaml': 'text', '.sql': 'text', '.wasm': 'binary' },
      plugins: [embedLibpgQueryWasm],
      legalComments: 'none',
      logLevel: 'warning',
      // Deterministic output: the staleness test compares a fresh build with the committed one byte for byte.
      sourcemap: false,
      minify: false,
    });
    chmodSync(outfile, 0o755);
    outputs.push(outfile);
  }
  return outputs;
}

if (require.main === module) {
  buildBundles(process.argv[2]).then(
    (files) => process.stdout.write(`built ${files.length} bundles\n`),
    (error: unknown) => {
      process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
