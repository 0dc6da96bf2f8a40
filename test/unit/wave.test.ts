// db_check's wave runner on real processes: commands asked for in one tick run under one /bin/sh launcher, each
// with its own stdout, stderr and exit status; missing tools, hanging tools (and what they started), signals and
// hostile arguments; a wave of one (or wider than a launcher holds) is spawned directly.
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CommandError } from '../../src/core/errors';
import type { CommandResult } from '../../src/sources/exec';
import {
  bindingSpawnSync, childProcessSpawnSync, createWaveRunner, launcherScript, MAX_WAVE, resolveCommand, type SyncSpawn,
} from '../../src/sources/wave';

/** A SyncSpawn that records the files it starts (/bin/sh: a launcher) and delegates to the real one. */
function counting(engine: SyncSpawn): { spawnSync: SyncSpawn; launches: () => number; files: string[] } {
  const files: string[] = [];
  return {
    spawnSync: (file, ...rest) => {
      files.push(file);
      return engine(file, ...rest);
    },
    launches: () => files.filter((file) => file === '/bin/sh').length,
    files,
  };
}

function isCommandError(failure: CommandError['failure'], message?: string | RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof CommandError, `not a CommandError: ${String(error)}`);
    assert.equal(error.failure, failure, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  };
}

/** Whether a process lives (a zombie not yet reaped by its new parent counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === 'ENOENT') return false;
    throw error;
  }
}

async function waitGone(pid: number): Promise<void> {
  // Generous: SIGKILL is immediate, but a loaded machine may take a while to reap.
  for (let tries = 0; tries < 600 && alive(pid); tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(alive(pid), false, `process ${pid} still runs`);
}

const HOSTILE = [
  'it\'s "quoted"', '$(touch PWNED)', '`touch PWNED`', 'a; touch PWNED', 'two\nlines', '  spaced  ', '', '*', '-n',
  '${HOME}', '\\', '>&9', '|| touch PWNED', '\'', '"',
];

for (const [engineName, engine] of [['spawnSync binding', bindingSpawnSync()], ['child_process.spawnSync', childProcessSpawnSync]] as const) {
  describe(`createWaveRunner (${engineName})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-wave-'));
    const savedPath = process.env.PATH;
    before(() => {
      const script = (name: string, body: string) => {
        writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(dir, name), 0o755);
      };
      script('out-err', 'echo "out of $1"; echo "err of $1" >&2; exit "$2"');
      // Each argument NUL-terminated, exactly as received.
      script('args', 'printf "%s\\0" "$@"');
      script('env', 'echo "$LC_ALL $LANG $PATH"');
      // Starts a child that would hold stdout open for 10 minutes, records its pid, and waits for it.
      script('hangs', `/bin/sleep 600 & echo $! > "${dir}/hang-$1.pid"; wait`);
      script('killed', 'kill -TERM $$');
      script('big', '/usr/bin/head -c 300000 /dev/zero | /usr/bin/tr "\\0" x');
      writeFileSync(join(dir, 'not-executable'), '#!/bin/sh\necho no\n');
      process.env.PATH = dir;
    });
    after(() => {
      process.env.PATH = savedPath;
      rmSync(dir, { recursive: true, force: true });
    });

    it('one wave of four: stdout, stderr and exit status of each kept apart; one launcher', async () => {
      const { spawnSync, launches } = counting(engine);
      const run = createWaveRunner(spawnSync);
      const results = await Promise.allSettled([
        run('out-err', ['a', '0'], { timeoutMs: 30_000 }),
        run('out-err', ['b', '3'], { timeoutMs: 30_000, acceptExitCodes: [3] }),
        run('out-err', ['c', '2'], { timeoutMs: 30_000 }),
        run('big', [], { timeoutMs: 30_000 }),
      ]);
      assert.equal(launches(), 1);
      assert.deepEqual(results[0], { status: 'fulfilled', value: { stdout: 'out of a\n', stderr: 'err of a\n', exitCode: 0 } });
      assert.deepEqual(results[1], { status: 'fulfilled', value: { stdout: 'out of b\n', stderr: 'err of b\n', exitCode: 3 } });
      assert.equal(results[2].status, 'rejected');
      isCommandError('exit_status', 'out-err c 2: exited with status 2: err of c')((results[2] as PromiseRejectedResult).reason);
      assert.equal((results[3] as PromiseFulfilledResult<CommandResult>).value.stdout, 'x'.repeat(300_000));
    });

    it('a missing tool is not_found; the others of its wave still answer', async () => {
      const run = createWaveRunner(engine);
      const [missing, present, notExecutable] = await Promise.allSettled([
        run('no-such-tool-here', ['x'], { timeoutMs: 30_000 }),
        run('out-err', ['a', '0'], { timeoutMs: 30_000 }),
        run('not-executable', [], { timeoutMs: 30_000 }),
      ]);
      assert.equal(missing.status, 'rejected');
      isCommandError('not_found', 'no-such-tool-here: command not found in PATH')((missing as PromiseRejectedResult).reason);
      assert.deepEqual(present, { status: 'fulfilled', value: { stdout: 'out of a\n', stderr: 'err of a\n', exitCode: 0 } });
      isCommandError('not_found')((notExecutable as PromiseRejectedResult).reason);
    });

    it('hostile arguments reach the tool literally, and nothing of them runs', async () => {
      const run = createWaveRunner(engine);
      const [first, second] = await Promise.all([
        run('args', HOSTILE, { timeoutMs: 30_000 }),
        run('args', [...HOSTILE].reverse(), { timeoutMs: 30_000 }),
      ]);
      assert.deepEqual(first.stdout.split('\0').slice(0, -1), HOSTILE);
      assert.deepEqual(second.stdout.split('\0').slice(0, -1), [...HOSTILE].reverse());
      assert.equal(existsSync('PWNED') || existsSync(join(dir, 'PWNED')), false);
      await assert.rejects(Promise.all([run('args', ['nul\0byte'], { timeoutMs: 30_000 }), run('args', [], { timeoutMs: 30_000 })]),
        isCommandError('spawn', 'args nul\0byte: an argument holds a NUL byte'));
    });

    it('runs with LC_ALL=C and PATH plus /usr/sbin:/sbin', async () => {
      const run = createWaveRunner(engine);
      const [inWave] = await Promise.all([run('env', [], { timeoutMs: 30_000 }), run('env', [], { timeoutMs: 30_000 })]);
      assert.equal(inWave.stdout, `C C ${dir}:/usr/sbin:/sbin\n`);
    });

    it('a hanging tool is stopped at the wave\'s timeout with what it started; the others answer', async () => {
      const run = createWaveRunner(engine);
      const started = Date.now();
      const [hung, quick] = await Promise.allSettled([
        run('hangs', ['w'], { timeoutMs: 1500 }),
        run('out-err', ['a', '0'], { timeoutMs: 500 }),
      ]);
      isCommandError('timeout', 'hangs w: no answer within 1500 ms, stopped')((hung as PromiseRejectedResult).reason);
      assert.deepEqual(quick, { status: 'fulfilled', value: { stdout: 'out of a\n', stderr: 'err of a\n', exitCode: 0 } });
      // A tenth of the hang: the child holding the pipe would have kept the wave 600 s.
      assert.ok(Date.now() - started < 60_000, `answered after ${Date.now() - started} ms`);
      await waitGone(Number(readFileSync(join(dir, 'hang-w.pid'), 'utf8')));
    });

    it('a tool killed by a signal is a signal error', async () => {
      const run = createWaveRunner(engine);
      const [killed] = await Promise.allSettled([run('killed', [], { timeoutMs: 30_000 }), run('env', [], { timeoutMs: 30_000 })]);
      isCommandError('signal', 'killed: killed by SIGTERM')((killed as PromiseRejectedResult).reason);
    });

    it('a wave of one (or commands asked in different ticks) runs without a launcher, with its own timeout', async () => {
      const { spawnSync, launches, files } = counting(engine);
      const run = createWaveRunner(spawnSync);
      assert.deepEqual(await run('out-err', ['one', '2'], { timeoutMs: 30_000, acceptExitCodes: [2] }),
        { stdout: 'out of one\n', stderr: 'err of one\n', exitCode: 2 });
      await assert.rejects(run('out-err', ['one', '1'], { timeoutMs: 30_000 }),
        isCommandError('exit_status', 'out-err one 1: exited with status 1: err of one'));
      await assert.rejects(run('killed', [], { timeoutMs: 30_000 }), isCommandError('signal', 'killed: killed by SIGTERM'));
      const started = Date.now();
      await assert.rejects(run('hangs', ['one'], { timeoutMs: 500 }), isCommandError('timeout', 'hangs one: no answer within 500 ms, stopped'));
      assert.ok(Date.now() - started < 60_000, `answered after ${Date.now() - started} ms`);
      await waitGone(Number(readFileSync(join(dir, 'hang-one.pid'), 'utf8')));
      assert.deepEqual(await run('env', [], { timeoutMs: 30_000 }), { stdout: `C C ${dir}:/usr/sbin:/sbin\n`, stderr: '', exitCode: 0 });
      assert.equal(launches(), 0);
      assert.deepEqual(files, ['out-err', 'out-err', 'killed', 'hangs', 'env'].map((name) => join(dir, name)));
    });

    it('a wave wider than a launcher holds is spawned asynchronously, all at once', async () => {
      const { spawnSync, files } = counting(engine);
      const run = createWaveRunner(spawnSync);
      const wide = await Promise.all(Array.from({ length: MAX_WAVE + 1 }, (_, index) =>
        run('out-err', [String(index), '0'], { timeoutMs: 30_000 })));
      assert.deepEqual(wide.map((result) => result.stdout), Array.from({ length: MAX_WAVE + 1 }, (_, index) => `out of ${index}\n`));
      assert.deepEqual(files, []);
    });
  });
}

describe('wave runner parts', () => {
  it('launcherScript names only positional parameters and fds', () => {
    assert.equal(launcherScript([1, 3], 4),
      '{ "${1}" "${2}" 9>&-; echo "0 $?" >&9; } 3>&- 4>&- &\n' +
      '{ "${3}" "${4}" 9>&-; echo "1 $?" >&9; } >&3 2>&4 3>&- 4>&- &\nwait\n');
  });

  it('resolveCommand: the first executable file along the path; a name with a slash as given', () => {
    assert.equal(resolveCommand('sh', '/nonexistent:/bin'), '/bin/sh');
    assert.equal(resolveCommand('/bin/sh', '/nonexistent'), '/bin/sh');
    assert.equal(resolveCommand('no-such-tool-here', '/usr/bin:/bin'), null);
    // A directory is no command.
    assert.equal(resolveCommand('bin', '/usr:/'), null);
  });
});
