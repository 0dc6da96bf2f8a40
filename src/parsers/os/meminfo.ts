// /proc/meminfo: "Key:   value [kB]" lines. Pure; readMeminfo (in the hugepages collector) does the I/O.
import { ParseError } from '../../core/errors';
import type { HugePagesState } from '../../core/report';

/** Every field of /proc/meminfo; values with a "kB" unit converted to bytes, counts (HugePages_*) as they are. */
export type Meminfo = Record<string, number>;

const LINE = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+(kB))?$/;

export function parseMeminfo(text: string): Meminfo {
  const fields: Meminfo = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line.trim());
    if (!match) throw new ParseError(`meminfo: unreadable line ${JSON.stringify(line)}`);
    const [, key, value, unit] = match as unknown as [string, string, string, string | undefined];
    fields[key] = unit === 'kB' ? Number(value) * 1024 : Number(value);
  }
  if (!('MemTotal' in fields)) throw new ParseError('meminfo: no MemTotal line (not a /proc/meminfo file?)');
  return fields;
}

/** The report's hugepages part that /proc/meminfo holds (the transparent hugepage modes come from /sys). */
export type HugePageCounts = Omit<HugePagesState, 'transparent_enabled' | 'transparent_defrag'>;

/** The explicit (hugetlbfs) huge pages; a kernel without hugetlb support has none of these lines. */
export function hugePagesFromMeminfo(meminfo: Meminfo): HugePageCounts {
  const field = (key: string): number => {
    const value = meminfo[key];
    if (value === undefined) throw new ParseError(`meminfo: no ${key} line (kernel without hugetlb support?)`);
    return value;
  };
  const total = field('HugePages_Total');
  const free = field('HugePages_Free');
  return {
    total,
    free,
    reserved: field('HugePages_Rsvd'),
    surplus: field('HugePages_Surp'),
    in_use: total - free,
    page_size_bytes: field('Hugepagesize'),
  };
}
