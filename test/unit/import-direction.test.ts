// The layers of src/ only point down: a module imports its own layer or a lower one, never a higher one, and nothing
// in src/ imports the tests, the benches or the dashboards. The order is the README's architecture picture.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = resolve(__dirname, '..', '..', 'src');

/** Lowest first. The build scripts at the top of src/ (build*.ts) are tooling, outside the layers. */
const LAYERS = ['core', 'parsers', 'sources', 'plans', 'checks', 'explain', 'collectors', 'report', 'outputs', 'cli', 'demo'];

const OUTSIDE_SRC_FORBIDDEN = ['test', 'bench', 'grafana'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative specifiers of static imports, re-exports, import() and require(). */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  const forms = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)'(\.{1,2}\/[^']*)'/gm;
  for (const match of text.matchAll(forms)) found.push(match[1]);
  return found;
}

/** The layer a path inside src/ belongs to (a folder itself, for an index import), or null for the build tooling. */
function layerOf(path: string): string | null {
  const parts = relative(SRC, path).split('/');
  if (parts.length > 1) return parts[0];
  return existsSync(path) && statSync(path).isDirectory() ? parts[0] : null;
}

/** Every import of `text` (the source of `file`) that points up the layer order or out of src/ into tests etc. */
function violations(file: string, text: string): string[] {
  const found: string[] = [];
  const from = layerOf(file);
  if (from !== null) {
    for (const specifier of relativeImports(text)) {
      const target = resolve(dirname(file), specifier);
      const where = `src/${relative(SRC, file)} imports ${specifier}`;
      const outside = relative(SRC, target);
      if (outside.startsWith('..')) {
        const top = relative(resolve(SRC, '..'), target).split('/')[0];
        if (OUTSIDE_SRC_FORBIDDEN.includes(top)) found.push(`${where}: src/ must not import ${top}/`);
        continue;
      }
      const to = layerOf(target);
      if (to === null) {
        found.push(`${where}: the build tooling is not a layer`);
        continue;
      }
      const fromRank = LAYERS.indexOf(from);
      const toRank = LAYERS.indexOf(to);
      if (fromRank < 0) found.push(`src/${relative(SRC, file)}: folder ${from}/ is in no layer (add it to LAYERS and the README)`);
      else if (toRank < 0) found.push(`${where}: folder ${to}/ is in no layer`);
      else if (toRank > fromRank) found.push(`${where}: ${from}/ is below ${to}/`);
    }
  }
  return found;
}

describe('import direction over src/', () => {
  it('finds every import form (so that the check below cannot pass by missing one)', () => {
    const text = [
      "import { a } from '../core/errors';",
      "import type { B } from './b';",
      "export { c } from '../../outputs/c';",
      "import './side-effect';",
      "const d = require('../sources/d') as typeof import('../sources/d');",
      "const e = await import('../explain/e');",
      "import { f } from 'node:fs';",
    ].join('\n');
    assert.deepEqual(relativeImports(text).sort(),
      ['../../outputs/c', '../core/errors', '../explain/e', '../sources/d', '../sources/d', './b', './side-effect'].sort());
  });

  it('flags an import that points up, or into test/, and passes one that points down', () => {
    const parser = join(SRC, 'parsers', 'os', 'vmstat.ts');
    assert.deepEqual(violations(parser, "import { vmstatCollector } from '../../collectors/os/vmstat';\n"),
      ["src/parsers/os/vmstat.ts imports ../../collectors/os/vmstat: parsers/ is below collectors/"]);
    assert.deepEqual(violations(join(SRC, 'sources', 'postgres.ts'), "import { X } from '../explain';\n"),
      ["src/sources/postgres.ts imports ../explain: sources/ is below explain/"]);
    assert.deepEqual(violations(join(SRC, 'demo', 'main.ts'), "import { startPostgres } from '../../test/harness/postgres';\n"),
      ["src/demo/main.ts imports ../../test/harness/postgres: src/ must not import test/"]);
    assert.deepEqual(violations(join(SRC, 'collectors', 'os', 'vmstat.ts'), "import { parseVmstat } from '../../parsers/os/vmstat';\n"), []);
  });

  it('every folder of src/ is a layer, and no import points up or into test/', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory()).sort();
    assert.deepEqual(folders, [...LAYERS].sort(), 'src/ folders and LAYERS differ: update LAYERS and the README');
    assert.deepEqual(sourceFiles(SRC).flatMap((file) => violations(file, readFileSync(file, 'utf8'))), []);
  });
});
