// The commands' flag parser (src/cli/common.ts) against node:util's parseArgs with strict: true, which it replaces on
// the cron commands' hot path: the same values, positionals and error messages for long flags.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseArgs } from 'node:util';
import { parseFlags, UsageError, type CommandHelp } from '../../src/cli/common';

const HELP: CommandHelp = { usage: 'tool [--config FILE] [--json]', summary: 'a tool', flags: [] };
const OPTIONS = { config: { type: 'string' }, json: { type: 'boolean' }, 'sample-seconds': { type: 'string' } } as const;

const CASES: [string[], boolean][] = [
  [[], false], [['--config', 'a.yml'], false], [['--config=a.yml', '--json'], false], [['--config=-a'], false],
  [['--config='], false], [['--json', '--sample-seconds', '7'], false], [['--config', 'a', '--config', 'b'], false],
  [['--x'], false], [['--x=1'], false], [['-x'], false], [['--config'], false], [['--json=1'], false], [['pos'], false],
  [['--config', '--json'], false], [['--config', '-'], false], [['-'], false], [['--', 'a', '--b'], true],
  [['plan', '--json'], true], [['--x'], true], [['--', '--json'], false],
];

function outcome(run: () => { values: object; positionals: string[] }): { values?: object; positionals?: string[]; error?: string } {
  try {
    const { values, positionals } = run();
    return { values: { ...values }, positionals };
  } catch (error: unknown) {
    return { error: (error as Error).message.split('\nusage: ')[0] as string };
  }
}

describe('parseFlags', () => {
  for (const [argv, allowPositionals] of CASES) {
    it(`${JSON.stringify(argv)}${allowPositionals ? ' (positionals allowed)' : ''}: as parseArgs`, () => {
      const ours = outcome(() => parseFlags(argv, OPTIONS, HELP, allowPositionals));
      const theirs = outcome(() => parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals }));
      assert.deepEqual(ours, theirs);
    });
  }

  it('a bad flag is a UsageError with the usage line', () => {
    assert.throws(() => parseFlags(['--x'], OPTIONS, HELP), (error: unknown) =>
      error instanceof UsageError && error.message === "Unknown option '--x'\nusage: tool [--config FILE] [--json]");
  });
});
