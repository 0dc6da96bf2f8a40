// `iostat -d -x -k -y <interval> 1` (sysstat): extended statistics of one real interval per block device.
// Two forms: the JSON of `-o JSON` (sysstat 11+) and the text layouts, read by column names:
//   sysstat 10:    Device: rrqm/s wrqm/s r/s w/s rkB/s wkB/s avgrq-sz avgqu-sz await r_await w_await svctm %util
//   sysstat 11.5+: Device r/s w/s rkB/s wkB/s ... r_await w_await aqu-sz rareq-sz wareq-sz svctm %util
//   sysstat 12:    Device r/s rkB/s rrqm/s %rrqm r_await rareq-sz w/s ... d/s ... f/s f_await aqu-sz %util
// Where `await` is missing it is computed from r_await and w_await weighted by r/s and w/s (sysstat 10's own
// definition: the mean time of the reads and writes completed in the interval).
import { ParseError } from '../../core/errors';
import type { IostatDevice } from '../../core/report';
import { readDecimal, rowByName, splitFields } from './table';

const TOOL = 'iostat';

/** One device's statistics by column name, whichever form they came from. */
type Lookup = (names: readonly string[]) => number | undefined;

function toDevice(device: string, lookup: Lookup, where: string): IostatDevice {
  const required = (names: readonly string[]): number => {
    const value = lookup(names);
    if (value === undefined) throw new ParseError(`${TOOL}: no ${names.join(' or ')} for device ${device} in ${where}`);
    return value;
  };
  const reads = required(['r/s']);
  const writes = required(['w/s']);
  const readAwait = lookup(['r_await']) ?? null;
  const writeAwait = lookup(['w_await']) ?? null;
  let awaitMs = lookup(['await']);
  if (awaitMs === undefined) {
    if (readAwait === null || writeAwait === null) {
      throw new ParseError(`${TOOL}: neither await nor r_await and w_await for device ${device} in ${where}`);
    }
    const completed = reads + writes;
    awaitMs = completed > 0 ? (readAwait * reads + writeAwait * writes) / completed : 0;
  }
  // Older sysstat without -k prints 512-byte sectors.
  const kib = (kibName: string, sectorName: string): number => {
    const value = lookup([kibName]);
    if (value !== undefined) return value;
    const sectors = lookup([sectorName]);
    if (sectors !== undefined) return sectors / 2;
    throw new ParseError(`${TOOL}: no ${kibName} for device ${device} in ${where}`);
  };
  return {
    device,
    reads_per_second: reads,
    writes_per_second: writes,
    read_kib_per_second: kib('rkB/s', 'rsec/s'),
    write_kib_per_second: kib('wkB/s', 'wsec/s'),
    await_ms: Math.round(awaitMs * 1000) / 1000,
    read_await_ms: readAwait,
    write_await_ms: writeAwait,
    average_queue_size: lookup(['aqu-sz', 'avgqu-sz']) ?? null,
    utilization_percent: required(['%util', 'util']),
  };
}

/** Text output: the last device report (with -y and a count of 1 there is exactly one). */
export function parseIostatText(text: string): IostatDevice[] {
  const lines = text.split('\n');
  let headerIndex = -1;
  lines.forEach((line, index) => {
    if (/^Device:?\s/.test(line)) headerIndex = index;
  });
  if (headerIndex < 0) {
    throw new ParseError(`${TOOL}: no "Device" header line in output ${JSON.stringify(text.slice(0, 300))}`);
  }
  const header = lines[headerIndex] as string;
  const columns = splitFields(header);
  columns[0] = 'Device';
  const devices: IostatDevice[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    if (line.trim() === '') break;
    const row = rowByName(TOOL, columns, line);
    // Every statistic must be a number, also those no verdict uses: a garbled row is not half-read.
    for (const [column, field] of row) if (column !== 'Device') readDecimal(TOOL, field, column, line);
    const lookup: Lookup = (names) => {
      for (const name of names) {
        const field = row.get(name);
        if (field !== undefined) return readDecimal(TOOL, field, name, line);
      }
      return undefined;
    };
    devices.push(toDevice(row.get('Device') as string, lookup, `line ${JSON.stringify(line)}`));
  }
  return devices;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `-o JSON` output: sysstat.hosts[0].statistics[last].disk[]. */
export function parseIostatJson(text: string): IostatDevice[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error: unknown) {
    throw new ParseError(`${TOOL}: unreadable JSON output ${JSON.stringify(text.slice(0, 200))}`, { cause: error });
  }
  const sysstat = isRecord(document) ? document.sysstat : undefined;
  const hosts = isRecord(sysstat) ? sysstat.hosts : undefined;
  const host: unknown = Array.isArray(hosts) ? hosts[0] : undefined;
  const statistics = isRecord(host) ? host.statistics : undefined;
  if (!Array.isArray(statistics) || statistics.length === 0) {
    throw new ParseError(`${TOOL}: JSON output has no sysstat.hosts[0].statistics: ${JSON.stringify(text.slice(0, 200))}`);
  }
  const last: unknown = statistics[statistics.length - 1];
  const disks = isRecord(last) ? last.disk : undefined;
  if (!Array.isArray(disks)) {
    throw new ParseError(`${TOOL}: JSON statistics entry has no "disk" list (was -d -x given?)`);
  }
  return disks.map((entry: unknown, index) => {
    const where = `JSON disk entry ${index} ${JSON.stringify(entry)}`;
    if (!isRecord(entry) || typeof entry.disk_device !== 'string' || entry.disk_device === '') {
      throw new ParseError(`${TOOL}: no disk_device in ${where}`);
    }
    const lookup: Lookup = (names) => {
      for (const name of names) {
        const value = entry[name];
        if (value === undefined) continue;
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new ParseError(`${TOOL}: ${name} is not a number in ${where}`);
        }
        return value;
      }
      return undefined;
    };
    return toDevice(entry.disk_device, lookup, where);
  });
}
