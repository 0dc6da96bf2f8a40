// Pressure stall information (PSI): /proc/pressure/{cpu,io,memory} read under the replaceable /proc root, the
// `pressure` check, and the db_sentinel_pressure_* metrics (shares as ratios 0-1, the kernel's stall counters in
// seconds). A kernel without PSI leaves the check UNKNOWN, saying why. The parser lives here with its collector (one
// file per OS collector); it stays pure, readPressure() does the reading.
import { checkPressure, pressureUnavailable } from '../../checks/pressure';
import type { CheckCollector, CollectorMetrics } from '../collector';
import { ParseError } from '../../core/errors';
import type { PressureResource, PressureState, PressureStall } from '../../core/report';
import { isMissingFile, readProcFile, type FsRoots } from '../../sources/fsroot';

const RESOURCES: readonly PressureResource[] = ['cpu', 'io', 'memory'];

// "some avg10=0.04 avg60=0.29 avg300=0.37 total=101322752" and, for io and memory (cpu since 5.13), a "full" line of
// the same shape; averages are percent of wall time, total is microseconds since boot.
const LINE = /^(some|full) avg10=(\d+\.\d+) avg60=(\d+\.\d+) avg300=(\d+\.\d+) total=(\d+)$/;

/** One /proc/pressure/<resource> file's text (pure). */
export function parsePressure(text: string, resource: PressureResource): PressureState {
  const stalls = new Map<string, PressureStall>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line.trim());
    if (match === null) throw new ParseError(`pressure/${resource}: unexpected line ${JSON.stringify(line.slice(0, 120))}`);
    const [, kind, avg10, avg60, avg300, total] = match as unknown as [string, string, string, string, string, string];
    if (stalls.has(kind)) throw new ParseError(`pressure/${resource}: a second "${kind}" line`);
    stalls.set(kind, {
      avg10: Number(avg10), avg60: Number(avg60), avg300: Number(avg300), total_seconds: Number(total) / 1e6,
    });
  }
  const some = stalls.get('some');
  if (some === undefined) throw new ParseError(`pressure/${resource}: no "some" line (not a PSI file?)`);
  return { resource, some, full: stalls.get('full') ?? null };
}

/** The pressure of every resource the kernel reports on (none without PSI). */
export async function readPressure(roots: FsRoots): Promise<PressureState[]> {
  const states: PressureState[] = [];
  for (const resource of RESOURCES) {
    let text: string;
    try {
      text = await readProcFile(roots, `pressure/${resource}`);
    } catch (error: unknown) {
      if (isMissingFile(error)) continue;
      throw new ParseError(`cannot read ${roots.proc}/pressure/${resource}`, { cause: error });
    }
    states.push(parsePressure(text, resource));
  }
  return states;
}

const WINDOWS = [['10s', 'avg10'], ['60s', 'avg60']] as const;

/** The kernel's percent (two decimals) as a ratio without binary noise (90.49 is 0.9049, not 0.9048999999999999). */
function ratio(percent: number): number {
  return Math.round(percent * 1e4) / 1e6;
}

const pressureMetrics: CollectorMetrics = {
  families: {
    pressure_some_ratio: {
      help: 'Share of wall time at least one task stalled on the resource, averaged over the window (PSI some, 0-1).',
      labels: ['resource', 'window'],
    },
    pressure_full_ratio: {
      help: 'Share of wall time all non-idle tasks stalled on the resource at once, averaged over the window (PSI full, 0-1).',
      labels: ['resource', 'window'],
    },
    pressure_some_stall_seconds_total: {
      help: 'Time at least one task stalled on the resource since boot (PSI some total).', labels: ['resource'], type: 'counter',
    },
    pressure_full_stall_seconds_total: {
      help: 'Time all non-idle tasks stalled on the resource since boot (PSI full total).', labels: ['resource'], type: 'counter',
    },
  },
  samples({ os }, sink) {
    const add = (kind: 'some' | 'full', resource: PressureResource, stall: PressureStall): void => {
      for (const [window, average] of WINDOWS) sink.set(`pressure_${kind}_ratio`, { resource, window }, ratio(stall[average]));
      sink.set(`pressure_${kind}_stall_seconds_total`, { resource }, stall.total_seconds);
    };
    for (const state of os.pressure ?? []) {
      add('some', state.resource, state.some);
      if (state.full !== null) add('full', state.resource, state.full);
    }
  },
};

export const pressureCollector: CheckCollector = {
  name: 'pressure',
  checks: ['pressure'],
  metrics: pressureMetrics,
  async collect(context) {
    const pressure = await readPressure(context.roots);
    if (pressure.length === 0) {
      const reason = `no ${context.roots.proc}/pressure (a kernel before 4.20, without CONFIG_PSI, or booted with psi=0)`;
      return { checks: [pressureUnavailable(reason)] };
    }
    const { thresholds } = context.config.check;
    const limits = {
      cpu: thresholds.pressure_cpu_some_percent, io: thresholds.pressure_io_some_percent, memory: thresholds.pressure_memory_some_percent,
    };
    return { os: { pressure }, checks: [checkPressure(pressure, limits)] };
  },
};
