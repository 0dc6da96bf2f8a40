// iostat: extended statistics of one interval (`-y N 1`) -> disk_await and disk_util per device. The JSON form
// (sysstat 11+) is asked for first; an iostat that rejects `-o JSON` does so at once, before sampling, and is then
// run again for the text layout — so one run still takes one sample interval.
import { checkDiskAwait } from '../../checks/disk-await';
import { checkDiskUtil } from '../../checks/disk-util';
import { msToSeconds, type CheckCollector, type CollectContext, type CollectorMetrics } from '../collector';
import { CommandError } from '../../core/errors';
import type { IostatDevice } from '../../core/report';
import { parseIostatJson, parseIostatText } from '../../parsers/os/iostat';
import type { CheckCommandConfig } from '../../core/check-config';
import { runTool } from './tool';

async function sampleDevices(context: CollectContext<CheckCommandConfig>): Promise<IostatDevice[]> {
  const interval = String(context.config.check.sample_seconds);
  const args = ['-d', '-x', '-k', '-y'];
  try {
    const { stdout } = await runTool(context, 'iostat', [...args, '-o', 'JSON', interval, '1'], 'sampling');
    return parseIostatJson(stdout);
  } catch (error: unknown) {
    if (!(error instanceof CommandError && error.failure === 'exit_status')) throw error;
    const { stdout } = await runTool(context, 'iostat', [...args, interval, '1'], 'sampling');
    return parseIostatText(stdout);
  }
}

const iostatMetrics: CollectorMetrics = {
  families: {
    disk_await_seconds: { help: 'Mean time of a completed I/O over the sample interval.', labels: ['device'] },
    disk_utilization_ratio: { help: 'Share of the sample interval the device was busy (0-1).', labels: ['device'] },
    disk_reads_per_second: { help: 'Completed reads per second over the sample interval.', labels: ['device'] },
    disk_writes_per_second: { help: 'Completed writes per second over the sample interval.', labels: ['device'] },
  },
  samples({ os }, sink) {
    for (const device of os.iostat ?? []) {
      const labels = { device: device.device };
      sink.set('disk_await_seconds', labels, msToSeconds(device.await_ms));
      sink.set('disk_utilization_ratio', labels, Math.min(device.utilization_percent, 100) / 100);
      sink.set('disk_reads_per_second', labels, device.reads_per_second);
      sink.set('disk_writes_per_second', labels, device.writes_per_second);
    }
  },
};

export const iostatCollector: CheckCollector = {
  metrics: iostatMetrics,
  name: 'iostat',
  checks: ['disk_await', 'disk_util'],
  async collect(context) {
    const { ignore_devices: ignore, thresholds } = context.config.check;
    const ignored = ignore.map((pattern) => new RegExp(pattern));
    const devices = (await sampleDevices(context))
      .filter((device) => !ignored.some((pattern) => pattern.test(device.device)));
    return {
      os: { iostat: devices },
      checks: [checkDiskAwait(devices, thresholds.disk_await_ms), checkDiskUtil(devices, thresholds.disk_util_percent)],
    };
  },
};
