// build/db_check.js runs from cron every minute on every host: it must stay free of the database drivers,
// prom-client and execa (each costs start-up CPU; see bench/db_check.py). esbuild keeps a CommonJS package that
// any module in db_check's import graph imports, even when nothing db_check calls uses it — so a database collector
// listed in src/collectors/registry.ts would pull pg or mysql2 in. Keep those lists in modules db_check does not import.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

describe('build/db_check.js', () => {
  const BUNDLE = join(__dirname, '..', '..', 'build', 'db_check.js');
  const bundle = readFileSync(BUNDLE, 'latin1');
  // esbuild names each bundled file in a comment, relative to the checkout (node_modules may be a link elsewhere).
  const packages = new Set([...bundle.matchAll(/^\/\/ (?:\S*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((match) => match[1]));

  for (const module of ['pg', 'pg-protocol', 'mysql2', 'prom-client', 'execa']) {
    it(`does not contain ${module}`, () => {
      assert.ok(!packages.has(module), `build/db_check.js bundles ${module}`);
    });
  }

  it('contains the four OS collectors and nothing from node_modules as code; js-yaml only as text', () => {
    assert.deepEqual([...packages], []);
    for (const collector of ['vmstatCollector', 'iostatCollector', 'memoryCollector', 'serviceCollector']) {
      assert.ok(bundle.includes(`var ${collector} = `), `${collector} missing`);
    }
    // src/build.ts (jsYamlAsText): compiled only when a config file is YAML.
    assert.match(bundle, /^\/\/ js-yaml-as-text:node_modules\/js-yaml\/dist\/js-yaml\.min\.js$/m);
  });

  it('reads a hand-written YAML config with the js-yaml it carries as text, and names what is wrong in one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'db_check-yaml-'));
    try {
      const run = (yaml: string): { status: number | null; stdout: string } => {
        writeFileSync(join(dir, 'config.yml'), yaml);
        return spawnSync(process.execPath, [BUNDLE, '--config', join(dir, 'config.yml')], { encoding: 'utf8' });
      };
      // A YAML error names the file and the position (js-yaml's mark); a valid YAML file's values are then checked.
      const broken = run('check:\n  sample_seconds: [1\n');
      assert.equal(broken.status, 3);
      assert.match(broken.stdout,
        /^DB_SENTINEL UNKNOWN - .*config\.yml is not valid YAML: unexpected end of the stream .*\(3:1\)/);
      const invalid = run('# hand-written\ncheck:\n  sample_seconds: 0\n');
      assert.equal(invalid.status, 3);
      assert.match(invalid.stdout, /check\.sample_seconds: expected an integer >= 1 and <= 60, got 0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
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
