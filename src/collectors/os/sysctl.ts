// Kernel parameters (the reported list plus every one the tuning profile names), as `sysctl -n` prints them, read
// from <proc root>/sys/... (see parsers/os/sysctl.ts for why not by spawning sysctl). A parameter this kernel does
// not have is left out (the drift check then reports it as missing).
import type { Collector, CollectorMetrics } from '../collector';
import { ParseError } from '../../core/errors';
import { parseSysctlValue, REPORTED_SYSCTLS, sysctlPath } from '../../parsers/os/sysctl';
import { isMissingFile, readProcFile, type FsRoots } from '../../sources/fsroot';

export async function readSysctls(roots: FsRoots, names: Iterable<string>): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const name of [...new Set(names)].sort()) {
    const relative = sysctlPath(name);
    let text: string;
    try {
      text = await readProcFile(roots, relative);
    } catch (error: unknown) {
      if (isMissingFile(error)) continue;
      throw new ParseError(`sysctl ${name}: cannot read ${roots.proc}/${relative}`, { cause: error });
    }
    values[name] = parseSysctlValue(text, name);
  }
  return values;
}

export function sysctlNames(profileSysctl: Record<string, string>): string[] {
  return [...REPORTED_SYSCTLS, ...Object.keys(profileSysctl)];
}

/** A sysctl value exported as a number, or null for multi-value and textual settings. */
function numericSysctl(value: string): number | null {
  return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : null;
}

const sysctlMetrics: CollectorMetrics = {
  families: { sysctl: { help: 'Numeric kernel parameters as sysctl reports them.', labels: ['setting'] } },
  samples({ os }, sink) {
    for (const [setting, value] of Object.entries(os.sysctl ?? {})) sink.set('sysctl', { setting }, numericSysctl(value));
  },
};

export const sysctlCollector: Collector = {
  metrics: sysctlMetrics,
  name: 'sysctl',
  checks: [],
  async collect(context) {
    return { os: { sysctl: await readSysctls(context.roots, sysctlNames(context.config.tuning.sysctl)) } };
  },
};
