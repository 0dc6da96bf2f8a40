// writeStdout: the whole text reaches fd 1, through a pipe far larger than the pipe's buffer, multi-byte characters
// intact, and a file.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const TEXT = `${'é€x'.repeat(100_000)}\nend\n`;
const SCRIPT = `require('./src/outputs/stdout').writeStdout('é€x'.repeat(100000) + '\\nend\\n')`;

describe('writeStdout', () => {
  it('writes all of a text larger than a pipe holds', () => {
    const out = execFileSync(process.execPath, ['--require', './test/harness/register.js', '-e', SCRIPT], { cwd: ROOT, maxBuffer: 1 << 24 });
    assert.equal(out.toString('utf8'), TEXT);
  });

  it('writes to a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-stdout-'));
    try {
      execFileSync('/bin/sh', ['-c', `"$0" --require ./test/harness/register.js -e "$1" > "$2"`, process.execPath, SCRIPT, join(dir, 'out')],
        { cwd: ROOT });
      assert.equal(readFileSync(join(dir, 'out'), 'utf8'), TEXT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
