// PSI: the parser, collector, check and metrics on /proc/pressure/{cpu,io,memory} copied from the build machine
// (test/fixtures/proc/linux-6.18-psi, see its .source), a root without /proc/pressure, and bad input.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkPressure } from '../../../src/checks/pressure';
import type { CollectContext } from '../../../src/collectors/collector';
import { parsePressure, pressureCollector, readPressure } from '../../../src/collectors/os/pressure';
import { parseConfig } from '../../../src/core/config';
import { ConfigError, ParseError } from '../../../src/core/errors';
import type { Report } from '../../../src/core/report';
import { renderMetrics } from '../../../src/outputs/prometheus';
import type { FsRoots } from '../../../src/sources/fsroot';
import { fixtureReport } from '../../harness/fixture-report';
import { promtoolCheck } from '../../harness/promtool';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const PSI_ROOTS: FsRoots = { proc: join(FIXTURES, 'proc', 'linux-6.18-psi'), sys: join(FIXTURES, 'sys', 'debian12-kvm') };
const fixture = (resource: string): string => readFileSync(join(PSI_ROOTS.proc, 'pressure', resource), 'utf8');

function context(roots: FsRoots, document: unknown = {}): CollectContext {
  const exec = async (): Promise<never> => assert.fail('PSI runs no command');
  return { config: parseConfig(document, '(test)'), exec, roots, now: () => new Date(), cpuCount: 2, hostname: 'db1' };
}

describe('PSI parser', () => {
  it('reads both lines of every resource, percent averages and the total in seconds', () => {
    const cpu = parsePressure(fixture('cpu'), 'cpu');
    assert.deepEqual(cpu.some, { avg10: 90.49, avg60: 78.91, avg300: 76.38, total_seconds: 9209.383393 });
    assert.deepEqual(cpu.full, { avg10: 0, avg60: 0, avg300: 0, total_seconds: 0 });
    const io = parsePressure(fixture('io'), 'io');
    assert.equal(io.some.avg60, 0.26);
    assert.equal(io.full?.total_seconds, 7.851111);
    assert.equal(parsePressure(fixture('memory'), 'memory').some.avg10, 0);
  });

  it('takes a file without the full line (cpu before Linux 5.13): full is null', () => {
    const someOnly = fixture('cpu').split('\n').filter((line) => line.startsWith('some')).join('\n');
    assert.equal(parsePressure(someOnly, 'cpu').full, null);
  });

  it('refuses what is not a PSI file, naming the resource and the line', () => {
    assert.throws(() => parsePressure('MemTotal:       24684092 kB\n', 'memory'), (error: unknown) =>
      error instanceof ParseError && /pressure\/memory: unexpected line "MemTotal:/.test(error.message));
    assert.throws(() => parsePressure(fixture('io').split('\n')[1] ?? '', 'io'), /pressure\/io: no "some" line/);
    assert.throws(() => parsePressure(`${fixture('io')}${fixture('io')}`, 'io'), /a second "some" line/);
    assert.throws(() => parsePressure('some avg10=1 avg60=2.00 avg300=3.00 total=4\n', 'cpu'), /unexpected line/);
  });
});

describe('pressure collector and check', () => {
  it('reports every resource and grades each on its own thresholds (cpu critical on this shared machine)', async () => {
    const output = await pressureCollector.collect(context(PSI_ROOTS));
    assert.deepEqual(output.os?.pressure?.map((state) => state.resource), ['cpu', 'io', 'memory']);
    const [check] = output.checks ?? [];
    assert.equal(check?.name, 'pressure');
    assert.equal(check?.status, 'critical');
    assert.equal(check?.value, 78.91);
    assert.deepEqual(check?.details?.map((detail) => [detail.subject, detail.status]),
      [['cpu', 'critical'], ['io', 'ok'], ['memory', 'ok']]);
    assert.match(check?.message ?? '', /^cpu 78\.91% \(warning >= 30%, critical >= 70%\)/);
  });

  it('uses the configured thresholds: a lenient cpu limit leaves it ok, a strict io limit warns', async () => {
    const pressure = await readPressure(PSI_ROOTS);
    const check = checkPressure(pressure, {
      cpu: { warning: 95, critical: 99 }, io: { warning: 0.2, critical: 5 }, memory: { warning: 10, critical: 30 },
    });
    assert.equal(check.status, 'warning');
    assert.equal(check.value, 0.26);
    assert.deepEqual(check.details?.map((detail) => detail.status), ['ok', 'warning', 'ok']);
    const configured = await pressureCollector.collect(context(PSI_ROOTS,
      { check: { thresholds: { pressure_cpu_some_percent: { warning: 95, critical: 99 } } } }));
    assert.equal(configured.checks?.[0]?.status, 'ok');
  });

  it('a kernel without PSI: the check is UNKNOWN and says why, the report has no pressure part', async () => {
    const roots = { proc: join(FIXTURES, 'proc', 'debian12-kvm'), sys: PSI_ROOTS.sys };
    const output = await pressureCollector.collect(context(roots));
    assert.equal(output.os, undefined);
    assert.equal(output.checks?.[0]?.status, 'unknown');
    assert.match(output.checks?.[0]?.message ?? '',
      /no .*debian12-kvm\/pressure \(a kernel before 4\.20, without CONFIG_PSI, or booted with psi=0\)/);
  });

  it('refuses thresholds whose critical is below warning, naming the key', () => {
    assert.throws(() => parseConfig({ check: { thresholds: { pressure_io_some_percent: { warning: 50, critical: 20 } } } }, '(test)'),
      (error: unknown) => error instanceof ConfigError && /check\.thresholds\.pressure_io_some_percent/.test(error.message));
  });
});

describe('pressure metrics', () => {
  it('exports shares as ratios and the stall counters in seconds, and passes promtool', async () => {
    const report: Report = fixtureReport();
    report.os.pressure = await readPressure(PSI_ROOTS);
    const text = await renderMetrics(report);
    assert.match(text, /^db_sentinel_pressure_some_ratio\{resource="cpu",window="60s"\} 0\.7891$/m);
    assert.match(text, /^db_sentinel_pressure_some_ratio\{resource="io",window="10s"\} 0\.008$/m);
    assert.match(text, /^# TYPE db_sentinel_pressure_full_stall_seconds_total counter$/m);
    assert.match(text, /^db_sentinel_pressure_full_stall_seconds_total\{resource="io"\} 7\.851111$/m);
    const lint = promtoolCheck(text);
    assert.ok(lint.ok, lint.output);
  });
});
