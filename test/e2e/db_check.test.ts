// Black-box tests of the BUILT bundle build/db_check.js, under Node 20 (this process' node) and Node 18.20 (the
// hosts' node, node_modules/node18), with substitute commands on PATH (test/harness/check-host.ts).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitUntil } from '../../src/demo/local-server';
import { CHECK_FIXTURE, checkHostFactory, checkLine, HEALTHY, runWithPath, type CheckRun } from '../harness/check-host';

const ROOT = join(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'build', 'db_check.js');
const NODES: [string, string][] = [['node 20', process.execPath], ['node 18', join(ROOT, 'node_modules', 'node18', 'bin', 'node')]];

const work = mkdtempSync(join(tmpdir(), 'db_sentinel-e2e-check-'));
const host = checkHostFactory(work);
const run = (node: string, args: string[], path: string, cwd = ROOT): Promise<CheckRun> => runWithPath(node, args, path, cwd);

after(() => rmSync(work, { recursive: true, force: true }));

for (const [label, node] of NODES) {
  describe(`build/db_check.js under ${label}`, () => {
    it('runs with node at the version expected', async () => {
      assert.ok(existsSync(node), `${node} missing: run bash .ci/install`);
      const version = await run(node, ['--version'], '/usr/bin:/bin');
      assert.match(version.stdout, label === 'node 18' ? /^v18\.20\./ : /^v2\d\./);
    });

    it('all checks OK: exit 0', async () => {
      const h = host(HEALTHY);
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 0, result.stdout);
      assert.match(result.stdout, /^DB_SENTINEL OK - all 6 checks OK \| run_queue=0\.5;2;4;0 context_switches=309;30000;60000;0 /);
      assert.equal(checkLine(result.stdout, 'db_service'), '[OK] db_service: postgresql@15-main.service active');
    });

    it('swap in use: exit 2 (CRITICAL)', async () => {
      const h = host({ ...HEALTHY, free: `exec /bin/cat ${CHECK_FIXTURE.freeSwap}` });
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stdout, /^DB_SENTINEL CRITICAL - swap CRITICAL: 99 MiB of 255 MiB swap in use \| .* swap=99MB;;0;0 db_service=1;;;0\n/);
    });

    it('swap in use with swap_used_status: warning: exit 1', async () => {
      const h = host({ ...HEALTHY, free: `exec /bin/cat ${CHECK_FIXTURE.freeSwap}` }, '  swap_used_status: warning\n');
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stdout, /^DB_SENTINEL WARNING - swap WARNING: 99 MiB/);
    });

    it('iostat absent: exit 3 naming the sysstat package', async () => {
      const { iostat: _absent, ...tools } = HEALTHY;
      const h = host(tools);
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 3, result.stdout);
      assert.match(result.stdout, /^DB_SENTINEL UNKNOWN - disk_await UNKNOWN: iostat: not installed \(not found in PATH\); install the Debian package sysstat; disk_util UNKNOWN: /);
      assert.equal(checkLine(result.stdout, 'swap'), '[OK] swap: no swap in use (none configured)');
    });

    it('systemd not running: db_service UNKNOWN with systemctl\'s reason', async () => {
      const h = host({ ...HEALTHY, systemctl: `/bin/cat ${CHECK_FIXTURE.notBooted} >&2; exit 1` });
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 3, result.stdout);
      assert.equal(checkLine(result.stdout, 'db_service'),
        "[UNKNOWN] db_service: systemctl cannot answer: System has not been booted with systemd as init system (PID 1). Can't operate.");
      assert.equal(checkLine(result.stdout, 'disk_util'), '[OK] disk_util: worst vda 0% of 1 device (warning >= 80%, critical >= 95%)');
    });

    it('a hanging tool is stopped at the timeout (sample + command_timeout_seconds) and its checks are UNKNOWN', async () => {
      // Not exec'd: the shell waits on its own child, which must be stopped too. The hang (10 minutes) is far beyond
      // the bound: a loaded machine may be slow to start node, not 60 s slow.
      const h = host({ ...HEALTHY, vmstat: '/bin/sleep 600; echo never' }, '  command_timeout_seconds: 1\n');
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 3, result.stdout);
      assert.equal(checkLine(result.stdout, 'run_queue'), '[UNKNOWN] run_queue: vmstat 1 2: no answer within 2000 ms, stopped');
      assert.ok(result.seconds >= 2 && result.seconds < 60, `took ${result.seconds} s`);
    });

    it('an unreadable line: UNKNOWN naming the tool and the line', async () => {
      const h = host({ ...HEALTHY, free: `exec /bin/sed 's/ 99 / 9x9 /' ${CHECK_FIXTURE.freeSwap}` });
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 3, result.stdout);
      assert.match(checkLine(result.stdout, 'swap'),
        /^\[UNKNOWN\] swap: free: column used is not a number \("9x9"\) in line "Swap: +255 +9x9 +156"$/);
    });

    it('sysstat 10 (no -o JSON): the text layout is read after iostat rejects JSON', async () => {
      const h = host({
        ...HEALTHY,
        iostat: 'case " $* " in *" JSON "*) echo "Usage: iostat [ options ] [ <interval> [ <count> ] ]" >&2; exit 1;; esac\n' +
          `exec /bin/cat ${CHECK_FIXTURE.iostat10}`,
      });
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 0, result.stdout);
      assert.match(result.stdout, / disk_await=0\.92ms;20;50;0 disk_await_sda=0\.88ms;20;50;0 disk_await_dm-0=0\.92ms;20;50;0 /);
    });

    it('invalid config: exit 3 naming the key', async () => {
      const h = host(HEALTHY, '  thresholds:\n    disk_await_ms:\n      warning: fast\n');
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 3, result.stdout);
      assert.equal(result.stdout,
        'DB_SENTINEL UNKNOWN - db_check: invalid configuration: config: check.thresholds.disk_await_ms.warning: expected a number >= 0, got "fast"\n');
    });

    it('bad flags: exit 3 with the usage line', async () => {
      const h = host(HEALTHY);
      const result = await run(node, [BUNDLE, '--config', h.config, '--sample-seconds', '0'], h.bin);
      assert.equal(result.code, 3);
      assert.match(result.stdout, /^DB_SENTINEL UNKNOWN - db_check: usage: --sample-seconds: expected a whole number of seconds from 1 to 60, got "0"\nusage: db_check \[--config FILE\] \[--json\] \[--sample-seconds N\]\n$/);
    });

    it('--sample-seconds sets the interval of vmstat and iostat', async () => {
      const args = join(work, `args-${label.replace(' ', '')}`);
      const h = host({
        ...HEALTHY,
        vmstat: `echo "$@" >> ${args}; exec /bin/cat ${CHECK_FIXTURE.vmstat}`,
        iostat: `echo "$@" >> ${args}\n${HEALTHY.iostat}`,
      });
      const result = await run(node, [BUNDLE, '--config', h.config, '--sample-seconds', '7'], h.bin);
      assert.equal(result.code, 0, result.stdout);
      assert.deepEqual(readFileSync(args, 'utf8').trim().split('\n').sort(), ['-d -x -k -y -o JSON 7 1', '7 2']);
    });

    it('--json prints the whole report: {status, checks:[{name, status, message, value}], …}', async () => {
      const h = host({ ...HEALTHY, free: `exec /bin/cat ${CHECK_FIXTURE.freeSwap}` });
      const result = await run(node, [BUNDLE, '--config', h.config, '--json'], h.bin);
      assert.equal(result.code, 2);
      const report = JSON.parse(result.stdout) as {
        status: string; schema_version: number; checks: { name: string; status: string; message: string; value: number | null }[];
        collectors: { name: string; success: boolean }[]; os: { memory: { swap_used_bytes: number } };
      };
      assert.equal(report.status, 'critical');
      assert.equal(report.schema_version, 1);
      assert.deepEqual(report.checks.map((check) => check.name),
        ['run_queue', 'context_switches', 'disk_await', 'disk_util', 'swap', 'db_service']);
      for (const check of report.checks) {
        assert.deepEqual(Object.keys(check).slice(0, 4), ['name', 'status', 'message', 'value']);
      }
      assert.deepEqual(report.checks.find((check) => check.name === 'swap')?.value, 99);
      assert.equal(report.os.memory.swap_used_bytes, 99 * 1024 * 1024);
      assert.deepEqual(report.collectors.map((collector) => [collector.name, collector.success]),
        [['vmstat', true], ['iostat', true], ['memory', true], ['service', true]]);
    });

    it('a second run while the first still runs exits 3 at once ("previous run still running")', async () => {
      // vmstat answers only once the test creates `release`: the first run holds its lock for as long as the test
      // needs, and a second run that sampled instead of refusing would wait there too (up to the 300 s timeout).
      const release = join(work, `release-${label.replace(' ', '')}`);
      const h = host({ ...HEALTHY, vmstat: `while [ ! -e ${release} ]; do /bin/sleep 0.05; done; exec /bin/cat ${CHECK_FIXTURE.vmstat}` },
        '  command_timeout_seconds: 300\n');
      const lockFile = join(h.dir, 'db_check.lock');
      const first = spawn(node, [BUNDLE, '--config', h.config], { env: { PATH: h.bin }, stdio: 'ignore' });
      const firstDone = new Promise<number | null>((resolve) => first.on('exit', resolve));
      try {
        await waitUntil('the first run to take its lock', async () => (existsSync(lockFile) ? true : undefined));
        const second = await run(node, [BUNDLE, '--config', h.config], h.bin);
        assert.equal(second.code, 3, second.stdout);
        assert.match(second.stdout, new RegExp(`^DB_SENTINEL UNKNOWN - previous db_check run still running \\(pid ${first.pid} since .*; lock file ${lockFile}\\)\n$`));
        assert.ok(second.seconds < 60, `the second run waited ${second.seconds} s`);
      } finally {
        writeFileSync(release, '');
      }
      assert.equal(await firstDone, 0);
      assert.equal(existsSync(lockFile), false, 'the first run left its lock behind');
    });

    it('the bundle copied alone into an empty directory runs', async () => {
      const h = host(HEALTHY);
      const lonely = join(h.dir, 'empty');
      mkdirSync(lonely);
      copyFileSync(BUNDLE, join(lonely, 'db_check.js'));
      const result = await run(node, ['db_check.js', '--config', h.config], h.bin, lonely);
      assert.equal(result.code, 0, result.stdout);
      assert.match(result.stdout, /^DB_SENTINEL OK - all 6 checks OK \| /);
    });

    it('with the real tools of this machine: one real interval, db_service UNKNOWN (no systemd as PID 1)', async () => {
      const h = host({});
      const result = await run(node, [BUNDLE, '--config', h.config], '/usr/bin:/bin');
      assert.match(result.stdout, /^DB_SENTINEL (OK|WARNING|CRITICAL|UNKNOWN) - .* \| run_queue=[\d.]+;2;4;0 context_switches=\d+;30000;60000;0 disk_await=/);
      assert.equal(checkLine(result.stdout, 'db_service'),
        "[UNKNOWN] db_service: systemctl cannot answer: System has not been booted with systemd as init system (PID 1). Can't operate.");
      // db_service cannot be OK here; the rest depends on what else this machine is doing.
      assert.ok([1, 2, 3].includes(result.code), `exit ${result.code}`);
      assert.ok(result.seconds >= 1, `took ${result.seconds} s: no real 1 s interval was sampled`);
    });

    it('vmstat and iostat sample the same interval: a run takes one interval, not two', async () => {
      // Each answers only once the other has started: run one after the other, the first would wait for the second
      // until its timeout (UNKNOWN, exit 3); run together, both answer. No clock decides it.
      const started = (tool: string): string => join(work, `started-${label.replace(' ', '')}-${tool}`);
      const meet = (self: string, other: string): string =>
        `: > ${started(self)}; while [ ! -e ${started(other)} ]; do /bin/sleep 0.05; done`;
      const h = host({
        ...HEALTHY,
        vmstat: `${meet('vmstat', 'iostat')}; exec /bin/cat ${CHECK_FIXTURE.vmstat}`,
        iostat: `${meet('iostat', 'vmstat')}\n${HEALTHY.iostat}`,
      }, '  command_timeout_seconds: 30\n');
      const result = await run(node, [BUNDLE, '--config', h.config], h.bin);
      assert.equal(result.code, 0, result.stdout);
    });
  });
}
