// The db_check verdicts: pure functions from parsed real output and thresholds to a CheckResult.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkContextSwitches } from '../../src/checks/context-switches';
import { checkServices, serviceUnknown } from '../../src/checks/db-service';
import { checkDiskAwait } from '../../src/checks/disk-await';
import { checkDiskUtil } from '../../src/checks/disk-util';
import { checkRunQueue } from '../../src/checks/run-queue';
import { checkSwap } from '../../src/checks/swap';
import { DEFAULT_CHECK } from '../../src/core/config';
import { parseFree } from '../../src/parsers/os/free';
import { parseIostatText } from '../../src/parsers/os/iostat';
import { parseVmstat } from '../../src/parsers/os/vmstat';
import { commandFixture } from '../harness/fixtures';

const defaults = DEFAULT_CHECK.thresholds;
const busy = parseVmstat(commandFixture('vmstat', 'procps-ng-4.0.2-debian12-busy.txt'), 1);
const quiet = parseVmstat(commandFixture('vmstat', 'procps-ng-4.0.2-debian12-1-2.txt'), 1);

describe('run_queue', () => {
  it('8 runnable on 2 CPUs: (8 - vmstat itself) / 2 = 3.5 per CPU, a warning', () => {
    const result = checkRunQueue(busy, 2, defaults.run_queue_per_cpu);
    assert.equal(result.status, 'warning');
    assert.equal(result.value, 3.5);
    assert.match(result.message, /^3\.5 runnable per CPU \(7 runnable besides vmstat on 2 CPUs, 0 blocked/);
  });

  it('the same interval on one CPU is critical, on 8 CPUs ok', () => {
    assert.equal(checkRunQueue(busy, 1, defaults.run_queue_per_cpu).status, 'critical');
    assert.equal(checkRunQueue(busy, 8, defaults.run_queue_per_cpu).status, 'ok');
  });

  it('a quiet interval is ok; thresholds come from the config', () => {
    assert.equal(checkRunQueue(quiet, 2, defaults.run_queue_per_cpu).status, 'ok');
    assert.equal(checkRunQueue(quiet, 2, { warning: 0.5, critical: 1 }).status, 'warning');
  });
});

describe('context_switches', () => {
  it('1645/s on 2 CPUs = 823 per CPU: ok against the defaults, critical against low thresholds', () => {
    const result = checkContextSwitches(busy, 2, defaults.context_switches_per_cpu);
    assert.equal(result.status, 'ok');
    assert.equal(result.value, 823);
    assert.equal(checkContextSwitches(busy, 2, { warning: 400, critical: 800 }).status, 'critical');
    assert.equal(checkContextSwitches(busy, 2, { warning: 800, critical: 900 }).status, 'warning');
  });
});

describe('disk_await and disk_util', () => {
  const devices = parseIostatText(commandFixture('iostat', 'sysstat-11.6.1-ubuntu1804-x.txt'));

  it('grade each device and report the worst device as the value', () => {
    const result = checkDiskAwait(devices, { warning: 10, critical: 20 });
    // loop0 has r_await 20.12 with reads only: await 20.12 ms, the worst device.
    assert.equal(result.status, 'critical');
    assert.equal(result.value, 20.12);
    assert.equal(result.details?.length, 20);
    assert.equal(result.details?.find((detail) => detail.subject === 'loop0')?.status, 'critical');
    assert.equal(result.details?.find((detail) => detail.subject === 'sda')?.status, 'ok');
    assert.match(result.message, /^loop0 20\.12ms, loop3 12\.87ms, loop4 13\.83ms \(warning >= 10ms, critical >= 20ms\)$/);
  });

  it('without the loop devices (ignore_devices) sda decides', () => {
    const ignored = DEFAULT_CHECK.ignore_devices.map((pattern) => new RegExp(pattern));
    const real = devices.filter((device) => !ignored.some((pattern) => pattern.test(device.device)));
    assert.deepEqual(real.map((device) => device.device), ['fd0', 'sda', 'scd0', 'scd1']);
    const result = checkDiskAwait(real, { warning: 4, critical: 20 });
    assert.equal(result.status, 'warning');
    assert.equal(result.value, 4.071);
    assert.equal(checkDiskUtil(real, defaults.disk_util_percent).value, 15.14);
    assert.equal(checkDiskUtil(real, { warning: 10, critical: 15 }).status, 'critical');
  });

  it('no device at all is UNKNOWN, not OK', () => {
    const result = checkDiskUtil([], defaults.disk_util_percent);
    assert.equal(result.status, 'unknown');
    assert.equal(result.value, null);
  });
});

describe('swap', () => {
  const used = parseFree(commandFixture('free', 'procps-ng-4.0.2-debian12-m-swap-in-use.txt'));
  const none = parseFree(commandFixture('free', 'procps-ng-4.0.2-debian12-m-no-swap.txt'));

  it('any swap in use is critical by default, warning when configured', () => {
    const result = checkSwap(used, DEFAULT_CHECK.swap_used_status);
    assert.equal(result.status, 'critical');
    assert.equal(result.value, 99);
    assert.equal(result.message, '99 MiB of 255 MiB swap in use');
    assert.equal(checkSwap(used, 'warning').status, 'warning');
  });

  it('no swap in use is ok', () => {
    const result = checkSwap(none, 'critical');
    assert.equal(result.status, 'ok');
    assert.equal(result.value, 0);
  });
});

describe('db_service', () => {
  it('every unit active is ok', () => {
    const result = checkServices([{ unit: 'postgresql@15-main.service', state: 'active' }]);
    assert.equal(result.status, 'ok');
    assert.equal(result.value, 1);
  });

  it('a failed unit is critical, an activating one a warning', () => {
    const result = checkServices([{ unit: 'postgresql@15-main.service', state: 'active' }, { unit: 'mariadb.service', state: 'failed' }]);
    assert.equal(result.status, 'critical');
    assert.equal(result.message, 'mariadb.service failed (1 of 2 active)');
    assert.equal(checkServices([{ unit: 'mariadb.service', state: 'activating' }]).status, 'warning');
    assert.equal(checkServices([{ unit: 'mariadb.service', state: 'inactive' }]).status, 'critical');
  });

  it('no unit, or systemd unreachable, is UNKNOWN with the reason', () => {
    assert.equal(checkServices([]).status, 'unknown');
    const result = serviceUnknown('systemctl cannot answer: System has not been booted with systemd');
    assert.equal(result.status, 'unknown');
    assert.match(result.message, /not been booted/);
  });
});
