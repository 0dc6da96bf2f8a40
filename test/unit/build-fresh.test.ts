// build/ is committed (the Salt master serves it as it is): it must match what src/ builds to now.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildBundles, COMMANDS } from '../../src/build';

describe('build/', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'db_sentinel-build-'));
  after(() => rmSync(fresh, { recursive: true, force: true }));

  it('is not stale against src/ (run `npm run build` and commit build/)', async () => {
    const files = (await buildBundles(fresh)).map((file) => basename(file));
    assert.deepEqual(files, [...COMMANDS.map((command) => `${command}.js`), 'db_check.sh']);
    for (const file of files) {
      const committed = readFileSync(join(__dirname, '..', '..', 'build', file), 'utf8');
      const rebuilt = readFileSync(join(fresh, file), 'utf8');
      assert.ok(committed === rebuilt, `build/${file} is stale: run npm run build and commit it`);
      assert.ok(committed.startsWith(file.endsWith('.sh') ? '#!/bin/sh\n' : '#!/usr/bin/env node\n'), `build/${file} lacks its #! line`);
      assert.ok(statSync(join(__dirname, '..', '..', 'build', file)).mode & 0o100, 'not executable');
    }
  });
});
