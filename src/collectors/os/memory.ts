// memory: `free -m` -> memory and swap state, and the swap check (any swap in use is a non-zero exit).
import { checkSwap } from '../../checks/swap';
import type { Collector } from '../collector';
import { MIB, parseFree } from '../../parsers/os/free';
import { runTool } from './tool';

export const memoryCollector: Collector = {
  name: 'memory',
  checks: ['swap'],
  async collect(context) {
    const { stdout } = await runTool(context, 'free', ['-m'], 'plain');
    const memory = parseFree(stdout, MIB);
    return { os: { memory }, checks: [checkSwap(memory, context.config.check.swap_used_status)] };
  },
};
