// vmstat: one interval sample (`vmstat N 2`, second line) -> run_queue and context_switches.
import { checkContextSwitches } from '../../checks/context-switches';
import { checkRunQueue } from '../../checks/run-queue';
import type { CheckCollector, CollectorMetrics } from '../collector';
import { parseVmstat } from '../../parsers/os/vmstat';
import { runTool } from './tool';

const CPU_MODES = ['user', 'system', 'idle', 'iowait', 'steal'] as const;

const vmstatMetrics: CollectorMetrics = {
  families: {
    run_queue: { help: 'Runnable threads (vmstat r) over the sample interval.', labels: [] },
    blocked_processes: { help: 'Threads blocked on I/O (vmstat b) over the sample interval.', labels: [] },
    context_switches_per_second: { help: 'Context switches per second over the sample interval.', labels: [] },
    interrupts_per_second: { help: 'Interrupts per second over the sample interval.', labels: [] },
    cpu_ratio: { help: 'Share of CPU time by mode over the sample interval (0-1).', labels: ['mode'] },
  },
  samples({ os: { vmstat } }, sink) {
    if (vmstat === undefined) return;
    sink.set('run_queue', {}, vmstat.runnable);
    sink.set('blocked_processes', {}, vmstat.blocked);
    sink.set('context_switches_per_second', {}, vmstat.context_switches_per_second);
    sink.set('interrupts_per_second', {}, vmstat.interrupts_per_second);
    for (const mode of CPU_MODES) sink.set('cpu_ratio', { mode }, vmstat.cpu_percent[mode] / 100);
  },
};

export const vmstatCollector: CheckCollector = {
  metrics: vmstatMetrics,
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
