// build/ is committed (the Salt master serves it as it is): it must match what src/ builds to now.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildBundles, COMMANDS } from '../../src/build';

describe('build/', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'db_sentinel-build-'));
  after(() => rmSync(fresh, { recursive: true, force: true }));

  it('is not stale against src/ (run `npm run build` and commit build/)', async () => {
    await buildBundles(fresh);
    for (const command of COMMANDS) {
      const committed = readFileSync(join(__dirname, '..', '..', 'build', `${command}.js`), 'utf8');
      const rebuilt = readFileSync(join(fresh, `${command}.js`), 'utf8');
      assert.ok(committed === rebuilt, `build/${command}.js is stale: run npm run build and commit it`);
      assert.ok(committed.startsWith('#!/usr/bin/env node\n'), `build/${command}.js lacks its #! line`);
      assert.ok(statSync(join(__dirname, '..', '..', 'build', `${command}.js`)).mode & 0o100, 'not executable');
    }
  });
});
