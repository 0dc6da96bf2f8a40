// The I/O scheduler of every block device that has one (/sys/block/*/queue/scheduler), with its rotational flag
// and device class. Devices without a queue or a scheduler file (zram, some virtual devices) are skipped.
import type { Collector, CollectorMetrics } from '../collector';
import { ParseError } from '../../core/errors';
import type { SchedulerState } from '../../core/report';
import { deviceClass, parseRotational, parseScheduler } from '../../parsers/os/scheduler';
import { isMissingFile, listSysDir, readSysFile, type FsRoots } from '../../sources/fsroot';

async function readOptional(roots: FsRoots, relative: string): Promise<string | null> {
  try {
    return await readSysFile(roots, relative);
  } catch (error: unknown) {
    if (isMissingFile(error)) return null;
    throw new ParseError(`cannot read ${roots.sys}/${relative}`, { cause: error });
  }
}

export async function readSchedulers(roots: FsRoots): Promise<SchedulerState[]> {
  let devices: string[];
  try {
    devices = (await listSysDir(roots, 'block')).sort();
  } catch (error: unknown) {
    throw new ParseError(`cannot list ${roots.sys}/block (is --sys-root right?)`, { cause: error });
  }
  const states: SchedulerState[] = [];
  for (const device of devices) {
    const schedulerText = await readOptional(roots, `block/${device}/queue/scheduler`);
    if (schedulerText === null) continue;
    const { active, available } = parseScheduler(schedulerText, device);
    const rotationalText = await readOptional(roots, `block/${device}/queue/rotational`);
    const rotational = rotationalText === null ? null : parseRotational(rotationalText, device);
    states.push({ device, active, available, rotational, device_class: deviceClass(device, rotational) });
  }
  return states;
}

const schedulerMetrics: CollectorMetrics = {
  families: {
    io_scheduler_info: { help: 'Active I/O scheduler of each block device (always 1).', labels: ['device', 'scheduler', 'device_class'] },
  },
  samples({ os }, sink) {
    for (const scheduler of os.schedulers ?? []) {
      sink.set('io_scheduler_info', { device: scheduler.device, scheduler: scheduler.active, device_class: scheduler.device_class }, 1);
    }
  },
};

export const schedulersCollector: Collector = {
  metrics: schedulerMetrics,
  name: 'schedulers',
  checks: [],
  async collect(context) {
    return { os: { schedulers: await readSchedulers(context.roots) } };
  },
};
