// /proc/pressure/{cpu,io,memory} (PSI, Linux 4.20+): "some avg10=0.04 avg60=0.29 avg300=0.37 total=101322752" and,
// for io and memory (cpu since 5.13), a "full" line of the same shape; averages are percent of wall time, total is
// microseconds since boot. Pure; the pressure collector reads the files.
import { ParseError } from '../../core/errors';
import type { PressureResource, PressureStall, PressureState } from '../../core/report';

const LINE = /^(some|full) avg10=(\d+\.\d+) avg60=(\d+\.\d+) avg300=(\d+\.\d+) total=(\d+)$/;

export function parsePressure(text: string, resource: PressureResource): PressureState {
  const stalls = new Map<string, PressureStall>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line.trim());
    if (match === null) throw new ParseError(`pressure/${resource}: unexpected line ${JSON.stringify(line.slice(0, 120))}`);
    const [, kind, avg10, avg60, avg300, total] = match as unknown as [string, string, string, string, string, string];
    if (stalls.has(kind)) throw new ParseError(`pressure/${resource}: a second "${kind}" line`);
    stalls.set(kind, { avg10: Number(avg10), avg60: Number(avg60), avg300: Number(avg300), total_seconds: Number(total) / 1e6 });
  }
  const some = stalls.get('some');
  if (some === undefined) throw new ParseError(`pressure/${resource}: no "some" line (not a PSI file?)`);
  return { resource, some, full: stalls.get('full') ?? null };
}
