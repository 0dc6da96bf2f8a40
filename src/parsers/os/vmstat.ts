// `vmstat <interval> 2` (procps and procps-ng): the first data line averages since boot, the second covers the
// interval — only the second is a real sample. Columns are read by their header names, so older layouts (no `st`
// before procps 3.2.7, the extra `gu` of procps-ng 4.0.3+, -w widths) read the same.
import { ParseError } from '../../core/errors';
import type { VmstatSample } from '../../core/report';
import { readDecimal, rowByName, splitFields } from './table';

const TOOL = 'vmstat';
const REQUIRED = ['r', 'b', 'in', 'cs', 'us', 'sy', 'id'] as const;

export function parseVmstat(text: string, intervalSeconds: number): VmstatSample {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const headerIndex = lines.findIndex((line) => {
    const fields = splitFields(line);
    return fields[0] === 'r' && fields[1] === 'b';
  });
  if (headerIndex < 0) {
    throw new ParseError(`${TOOL}: no column header (" r  b ...") in output ${JSON.stringify(text.slice(0, 200))}`);
  }
  const columns = splitFields(lines[headerIndex] as string);
  for (const column of REQUIRED) {
    if (!columns.includes(column)) {
      throw new ParseError(`${TOOL}: column ${column} missing from header ${JSON.stringify(lines[headerIndex])}`);
    }
  }
  // Rows after the header; procps repeats the two header lines every screenful, which a 2-count run never reaches.
  const rows = lines.slice(headerIndex + 1).filter((line) => !/^\s*procs\b/.test(line) && splitFields(line)[0] !== 'r');
  if (rows.length < 2) {
    throw new ParseError(
      `${TOOL}: expected 2 samples (since boot, then the interval), got ${rows.length}: ${JSON.stringify(text.slice(0, 300))}`);
  }
  const parsed = rows.map((line) => rowByName(TOOL, columns, line));
  const sampleLine = rows[rows.length - 1] as string;
  const row = parsed[parsed.length - 1] as Map<string, string>;
  const number = (column: string): number => readDecimal(TOOL, row.get(column) as string, column, sampleLine);
  const optional = (column: string): number => (row.has(column) ? number(column) : 0);
  // Every row is checked, not only the one used: a garbled first line means the output is not what we think it is.
  for (const [index, other] of parsed.entries()) {
    for (const [column, value] of other) readDecimal(TOOL, value, column, rows[index] as string);
  }
  return {
    interval_seconds: intervalSeconds,
    runnable: number('r'),
    blocked: number('b'),
    swap_in_per_second: optional('si'),
    swap_out_per_second: optional('so'),
    interrupts_per_second: number('in'),
    context_switches_per_second: number('cs'),
    cpu_percent: {
      user: number('us'),
      system: number('sy'),
      idle: number('id'),
      // wa appeared in procps 3.2 (Linux 2.6), st in 3.2.7: absent columns mean the kernel did not account them.
      iowait: optional('wa'),
      steal: optional('st'),
    },
  };
}
