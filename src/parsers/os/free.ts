// `free -m` (procps and procps-ng): the Mem: and Swap: rows, read by the header's column names. procps-ng 3.3.10+
// prints `available`; older procps prints buffers/cached and a "-/+ buffers/cache" row instead, where available
// memory is free + buffers + cached (what that row's free column says).
import { ParseError } from '../../core/errors';
import type { MemoryState } from '../../core/report';
import { readDecimal, splitFields } from './table';

const TOOL = 'free';
export const MIB = 1024 * 1024;

/** `unitBytes`: the unit free printed in (MiB for -m). */
export function parseFree(text: string, unitBytes: number = MIB): MemoryState {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const headerLine = lines.find((line) => /^\s+total\s+used\s+free\b/.test(line));
  if (headerLine === undefined) {
    throw new ParseError(`${TOOL}: no header line ("total used free ...") in output ${JSON.stringify(text.slice(0, 200))}`);
  }
  const columns = splitFields(headerLine);
  const row = (label: string): Map<string, number> => {
    const line = lines.find((candidate) => candidate.startsWith(`${label}:`));
    if (line === undefined) throw new ParseError(`${TOOL}: no "${label}:" line in output ${JSON.stringify(text.slice(0, 300))}`);
    const fields = splitFields(line).slice(1);
    if (fields.length === 0 || fields.length > columns.length) {
      throw new ParseError(`${TOOL}: unreadable line ${JSON.stringify(line)}`);
    }
    // Swap: has only total/used/free; Mem: has every column.
    return new Map(fields.map((field, index) => {
      const column = columns[index] as string;
      return [column, readDecimal(TOOL, field, column, line) * unitBytes];
    }));
  };
  const mem = row('Mem');
  const swap = row('Swap');
  const need = (values: Map<string, number>, column: string, label: string): number => {
    const value = values.get(column);
    if (value === undefined) throw new ParseError(`${TOOL}: no ${column} column in the ${label}: line`);
    return value;
  };
  const available = mem.get('available')
    ?? need(mem, 'free', 'Mem') + (mem.get('buffers') ?? 0) + (mem.get('cached') ?? 0);
  return {
    total_bytes: need(mem, 'total', 'Mem'),
    used_bytes: need(mem, 'used', 'Mem'),
    available_bytes: available,
    swap_total_bytes: need(swap, 'total', 'Swap'),
    swap_used_bytes: need(swap, 'used', 'Swap'),
    swap_free_bytes: need(swap, 'free', 'Swap'),
  };
}
