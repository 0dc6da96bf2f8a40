// HugePages from /proc/meminfo (total, free, reserved, surplus, page size; in use = total - free) and the
// transparent hugepage modes from /sys/kernel/mm/transparent_hugepage/{enabled,defrag}.
import type { Collector, CollectorMetrics } from '../collector';
import { ParseError } from '../../core/errors';
import type { HugePagesState } from '../../core/report';
import { hugePagesFromMeminfo, parseMeminfo, type Meminfo } from '../../parsers/os/meminfo';
import { parseThpMode } from '../../parsers/os/scheduler';
import { isMissingFile, readProcFile, readSysFile, type FsRoots } from '../../sources/fsroot';

export async function readMeminfo(roots: FsRoots): Promise<Meminfo> {
  let text: string;
  try {
    text = await readProcFile(roots, 'meminfo');
  } catch (error: unknown) {
    throw new ParseError(`cannot read ${roots.proc}/meminfo (is --proc-root right?)`, { cause: error });
  }
  return parseMeminfo(text);
}

/** The THP mode of one file; null when the kernel has no transparent hugepage support. */
async function readThpMode(roots: FsRoots, file: 'enabled' | 'defrag'): Promise<string | null> {
  const relative = `kernel/mm/transparent_hugepage/${file}`;
  try {
    return parseThpMode(await readSysFile(roots, relative), file);
  } catch (error: unknown) {
    if (isMissingFile(error)) return null;
    if (error instanceof ParseError) throw error;
    throw new ParseError(`cannot read ${roots.sys}/${relative}`, { cause: error });
  }
}

export async function readHugePages(roots: FsRoots): Promise<HugePagesState> {
  const counts = hugePagesFromMeminfo(await readMeminfo(roots));
  return {
    ...counts,
    transparent_enabled: await readThpMode(roots, 'enabled'),
    transparent_defrag: await readThpMode(roots, 'defrag'),
  };
}

const hugePageMetrics: CollectorMetrics = {
  // Not hugepages_total: promtool reserves _total for counters.
  families: {
    hugepages_pool: { help: 'Huge pages in the pool (HugePages_Total).', labels: [] },
    hugepages_free: { help: 'Huge pages not yet allocated (HugePages_Free).', labels: [] },
    hugepages_in_use: { help: 'Huge pages allocated (total - free).', labels: [] },
    hugepage_size_bytes: { help: 'Size of one huge page.', labels: [] },
  },
  samples({ os: { hugepages } }, sink) {
    if (hugepages === undefined) return;
    sink.set('hugepages_pool', {}, hugepages.total);
    sink.set('hugepages_free', {}, hugepages.free);
    sink.set('hugepages_in_use', {}, hugepages.in_use);
    sink.set('hugepage_size_bytes', {}, hugepages.page_size_bytes);
  },
};

export const hugePagesCollector: Collector = {
  metrics: hugePageMetrics,
  name: 'hugepages',
  checks: [],
  async collect(context) {
    return { os: { hugepages: await readHugePages(context.roots) } };
  },
};
