// The light command runner of db_check on real processes: PATH lookup, LC_ALL=C, exit codes, timeouts that also
// stop what the command started, and a missing command.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CommandError } from '../../src/core/errors';
import { commandSearchPath } from '../../src/sources/exec';
import { spawnCommand } from '../../src/sources/spawn';

describe('spawnCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-spawn-'));
  const savedPath = process.env.PATH;
  before(() => {
    const script = (name: string, body: string) => {
      writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    };
    script('locale-echo', 'echo "$LC_ALL $LANG"; echo "$PATH"');
    script('fails', 'echo partial; echo "bad things happened" >&2; exit 2');
    // Hanging for 10 minutes: far beyond the test's bound, so that only the timeout can have stopped them.
    script('hangs-exec', 'exec /bin/sleep 600');
    // The shell waits on a child that holds stdout open: killing the shell alone would leave the pipe open.
    script('hangs-child', '/bin/sleep 600; echo never');
    process.env.PATH = dir;
  });
  after(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds commands through PATH plus /usr/sbin:/sbin and runs them with LC_ALL=C', async () => {
    const result = await spawnCommand('locale-echo', [], { timeoutMs: 5000 });
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, `C C\n${dir}:/usr/sbin:/sbin\n`);
  });

  it('a non-zero exit is an exit_status error with the last stderr line, unless accepted', async () => {
    await assert.rejects(spawnCommand('fails', ['x'], { timeoutMs: 5000 }), (error: unknown) =>
      error instanceof CommandError && error.failure === 'exit_status' &&
      error.message === 'fails x: exited with status 2: bad things happened');
    const accepted = await spawnCommand('fails', [], { timeoutMs: 5000, acceptExitCodes: [2] });
    assert.deepEqual(accepted, { stdout: 'partial\n', stderr: 'bad things happened\n', exitCode: 2 });
  });

  for (const name of ['hangs-exec', 'hangs-child']) {
    it(`a hanging command (${name}) is stopped at the timeout`, async () => {
      const started = Date.now();
      await assert.rejects(spawnCommand(name, ['1'], { timeoutMs: 300 }), (error: unknown) =>
        error instanceof CommandError && error.failure === 'timeout' &&
        error.message === `${name} 1: no answer within 300 ms, stopped`);
      // A tenth of the hang: a loaded machine can be slow to stop it, but not 60 s slow; a pipe left open by the
      // child would have waited the whole 600 s.
      assert.ok(Date.now() - started < 60_000, `answered after ${Date.now() - started} ms`);
    });
  }

  it('a missing command is not_found', async () => {
    await assert.rejects(spawnCommand('no-such-tool-here', [], { timeoutMs: 5000 }), (error: unknown) =>
      error instanceof CommandError && error.failure === 'not_found' && error.command === 'no-such-tool-here');
  });

  it('commandSearchPath: cron\'s PATH when none is given, /usr/sbin:/sbin added once', () => {
    assert.equal(commandSearchPath(undefined), '/usr/bin:/bin:/usr/sbin:/sbin');
    assert.equal(commandSearchPath(''), '/usr/bin:/bin:/usr/sbin:/sbin');
    assert.equal(commandSearchPath('/opt/x:/usr/sbin'), '/opt/x:/usr/sbin:/sbin');
  });
});
