// vmstat: one interval sample (`vmstat N 2`, second line) -> run_queue and context_switches.
import { checkContextSwitches } from '../../checks/context-switches';
import { checkRunQueue } from '../../checks/run-queue';
import type { Collector } from '../collector';
import { parseVmstat } from '../../parsers/os/vmstat';
import { runTool } from './tool';

export const vmstatCollector: Collector = {
  name: 'vmstat',
  checks: ['run_queue', 'context_switches'],
  async collect(context) {
    const { sample_seconds: interval, thresholds } = context.config.check;
    const { stdout } = await runTool(context, 'vmstat', [String(interval), '2'], 'sampling');
    const sample = parseVmstat(stdout, interval);
    return {
      os: { vmstat: sample },
      checks: [
        checkRunQueue(sample, context.cpuCount, thresholds.run_queue_per_cpu),
        checkContextSwitches(sample, context.cpuCount, thresholds.context_switches_per_cpu),
      ],
    };
  },
};
