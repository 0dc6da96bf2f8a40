// Every built command answers --help with its usage on stdout and exit 0, and --version with package.json's
// version (embedded at build time: the bundles run here without package.json beside them), under Node 20 (this
// process' node) and Node 18.20 (the hosts' node, node_modules/node18). Neither reads the config nor touches the host.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const NODES: [string, string][] = [['node 20', process.execPath], ['node 18', join(ROOT, 'node_modules', 'node18', 'bin', 'node')]];
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

// The bundles copied alone into an empty directory: the version must be inside them, not read from package.json.
const alone = mkdtempSync(join(tmpdir(), 'db_sentinel-cli-info-'));
for (const bundle of ['db_check', 'db_analyzer', 'db_beacon', 'db_textfile', 'db_explain']) {
  copyFileSync(join(ROOT, 'build', `${bundle}.js`), join(alone, `${bundle}.js`));
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(node: string, bundle: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(node, [join(alone, `${bundle}.js`), ...args], { cwd: alone, env: { PATH: '/usr/bin:/bin' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
  });
}

/** [bundle, the arguments before --help, what its usage line starts with, flags the help must explain] */
const COMMANDS: [string, string[], string, string[]][] = [
  ['db_check', [], 'usage: db_check [--config FILE] [--json] [--sample-seconds N]', ['--config FILE', '--json', '--sample-seconds N']],
  ['db_analyzer', ['report'], 'usage: db_analyzer report [--config FILE]', ['--config FILE', '--proc-root DIR', '--sys-root DIR']],
  ['db_analyzer', ['serve'], 'usage: db_analyzer serve [--config FILE] [--listen HOST:PORT]', ['--config FILE', '--listen HOST:PORT']],
  ['db_analyzer', ['tuning'], 'usage: db_analyzer tuning plan [--profile JSON]', ['--profile JSON', '--profile-name KEY', '--config FILE']],
  ['db_beacon', [], 'usage: db_beacon [--config FILE] [--state-file FILE] [--dry-run]', ['--config FILE', '--state-file FILE', '--dry-run']],
  ['db_textfile', [], 'usage: db_textfile --dir DIR [--config FILE]', ['--dir DIR', '--config FILE']],
  ['db_explain', [], 'usage: db_explain < JOB.json', []],
];

after(() => rmSync(alone, { recursive: true, force: true }));

for (const [nodeName, node] of NODES) {
  describe(`--help and --version (${nodeName})`, () => {
    for (const [bundle, before, usage, flags] of COMMANDS) {
      const name = [bundle, ...before].join(' ');
      it(`${name} --help and -h: the usage and every flag on stdout, exit 0`, async () => {
        for (const flag of ['--help', '-h']) {
          const result = await run(node, bundle, [...before, flag]);
          assert.equal(result.code, 0, `${name} ${flag}: exit ${result.code}\n${result.stdout}${result.stderr}`);
          assert.equal(result.stderr, '');
          assert.ok(result.stdout.startsWith(`${usage}`), `${name} ${flag} printed:\n${result.stdout}`);
          for (const documented of [...flags, '--help, -h', '--version']) {
            assert.match(result.stdout, new RegExp(`^  ${documented.replace(/[-[\]]/g, '\\$&')}  `, 'm'), `${name} --help lacks ${documented}`);
          }
        }
      });

      it(`${name} --version: the version of package.json, exit 0`, async () => {
        const result = await run(node, bundle, [...before, '--version']);
        assert.deepEqual(result, { code: 0, stdout: `${bundle} (db_sentinel) ${version}\n`, stderr: '' });
      });

      it(`${name}: --help wins over a bad flag and a missing config file, and reads nothing`, async () => {
        const result = await run(node, bundle, [...before, '--config', join(alone, 'absent.yml'), '--no-such-flag', '--help']);
        assert.equal(result.code, 0, result.stdout);
        assert.ok(result.stdout.startsWith(usage));
        // Without --help the same arguments are still a usage error (exit 3 naming the flag).
        const bad = await run(node, bundle, [...before, '--no-such-flag']);
        assert.equal(bad.code, 3);
        assert.match(bad.stdout, /^DB_SENTINEL UNKNOWN - .*usage: .*'--no-such-flag'/);
      });
    }

    it('db_analyzer --help lists every subcommand; --version; a bare or unknown subcommand is still a usage error', async () => {
      const help = await run(node, 'db_analyzer', ['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^usage:\n {2}db_analyzer report .*\n {2}db_analyzer serve .*\n {2}db_analyzer tuning plan /);
      assert.match(help.stdout, /^tuning:\n {2}Prints the validated remediation plan/m);
      assert.match(help.stdout, /^report:\n {2}Runs one collection cycle/m);
      assert.match(help.stdout, /^serve:\n {2}Collects every server.interval_seconds/m);
      assert.deepEqual(await run(node, 'db_analyzer', ['--version']), { code: 0, stdout: `db_analyzer (db_sentinel) ${version}\n`, stderr: '' });
      assert.equal((await run(node, 'db_analyzer', [])).code, 3);
      const unknown = await run(node, 'db_analyzer', ['status']);
      assert.equal(unknown.code, 3);
      assert.match(unknown.stdout, /unknown subcommand "status"/);
    });

    it('nothing was written beside the bundles', () => {
      assert.deepEqual(readdirSync(alone).sort(), ['db_analyzer.js', 'db_beacon.js', 'db_check.js', 'db_explain.js', 'db_textfile.js']);
    });
  });
}
