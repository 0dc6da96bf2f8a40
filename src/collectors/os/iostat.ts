// iostat: extended statistics of one interval (`-y N 1`) -> disk_await and disk_util per device. The JSON form
// (sysstat 11+) is asked for first; an iostat that rejects `-o JSON` does so at once, before sampling, and is then
// run again for the text layout — so one run still takes one sample interval.
import { checkDiskAwait } from '../../checks/disk-await';
import { checkDiskUtil } from '../../checks/disk-util';
import type { Collector, CollectContext } from '../collector';
import { CommandError } from '../../core/errors';
import type { IostatDevice } from '../../core/report';
import { parseIostatJson, parseIostatText } from '../../parsers/os/iostat';
import { runTool } from './tool';

async function sampleDevices(context: CollectContext): Promise<IostatDevice[]> {
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

export const iostatCollector: Collector = {
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
