// build/db_check.js runs from cron every minute on every host: it must stay free of the database drivers,
// prom-client and execa (each costs start-up CPU; see bench/db_check.py). esbuild keeps a CommonJS package that
// any module in db_check's import graph imports, even when nothing db_check calls uses it — so a database collector
// listed in src/collectors/registry.ts would pull pg or mysql2 in. Keep those lists in modules db_check does not import.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

describe('build/db_check.js', () => {
  const bundle = readFileSync(join(__dirname, '..', '..', 'build', 'db_check.js'), 'latin1');
  // esbuild names each bundled file in a comment, relative to the checkout (node_modules may be a link elsewhere).
  const packages = new Set([...bundle.matchAll(/^\/\/ (?:\S*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((match) => match[1]));

  for (const module of ['pg', 'pg-protocol', 'mysql2', 'prom-client', 'execa']) {
    it(`does not contain ${module}`, () => {
      assert.ok(!packages.has(module), `build/db_check.js bundles ${module}`);
    });
  }

  it('contains the four OS collectors and js-yaml (for a hand-written YAML config), nothing else from node_modules', () => {
    assert.deepEqual([...packages], ['js-yaml']);
    for (const collector of ['vmstatCollector', 'iostatCollector', 'memoryCollector', 'serviceCollector']) {
      assert.ok(bundle.includes(`var ${collector} = `), `${collector} missing`);
    }
  });

  it("carries only the check section of the config: no analyzer section's code or defaults", () => {
    // esbuild names each bundled source file in a comment: db_check reads the file through core/check-config.ts.
    const sources = new Set([...bundle.matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map((match) => match[1]));
    assert.ok(sources.has('src/core/check-config.ts'), 'core/check-config.ts missing');
    for (const analyzerOnly of ['src/core/config.ts', 'src/core/health-config.ts', 'src/core/tuning-profile.ts']) {
      assert.ok(!sources.has(analyzerOnly), `build/db_check.js bundles ${analyzerOnly}`);
    }
    assert.ok(!bundle.includes('innodb_history_length'), 'health defaults in db_check');
  });
});
