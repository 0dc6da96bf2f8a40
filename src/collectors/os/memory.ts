// memory: `free -m` -> memory and swap state, and the swap check (any swap in use is a non-zero exit).
import { checkSwap } from '../../checks/swap';
import type { CheckCollector, CollectorMetrics } from '../collector';
import { MIB, parseFree } from '../../parsers/os/free';
import { runTool } from './tool';

const memoryMetrics: CollectorMetrics = {
  families: {
    memory_total_bytes: { help: 'Total memory.', labels: [] },
    memory_available_bytes: { help: 'Memory available for new work without swapping.', labels: [] },
    swap_total_bytes: { help: 'Total swap space.', labels: [] },
    swap_used_bytes: { help: 'Swap space in use.', labels: [] },
  },
  samples({ os: { memory } }, sink) {
    if (memory === undefined) return;
    sink.set('memory_total_bytes', {}, memory.total_bytes);
    sink.set('memory_available_bytes', {}, memory.available_bytes);
    sink.set('swap_total_bytes', {}, memory.swap_total_bytes);
    sink.set('swap_used_bytes', {}, memory.swap_used_bytes);
  },
};

export const memoryCollector: CheckCollector = {
  metrics: memoryMetrics,
  name: 'memory',
  checks: ['swap'],
  async collect(context) {
    const { stdout } = await runTool(context, 'free', ['-m'], 'plain');
    const memory = parseFree(stdout, MIB);
    return { os: { memory }, checks: [checkSwap(memory, context.config.check.swap_used_status)] };
  },
};
