// Node 18's startup snapshot blob as `node --build-snapshot` writes it (SnapshotData::ToBlob, src/node_snapshotable.cc
// of Node 18.20), read for one thing: the code cache of Node's builtins that it carries last. Node 18 puts the code
// cache of all its ~320 builtins into every blob (1.6 MB of db_check's 4.7 MB), and a start reads, zero-fills and
// copies all of it, although a run from the blob loads one or two builtins: the rest is already in the heap, compiled.
// Pure: src/sources/startup-snapshot.ts reads and writes the file.
//
// The layout (little-endian; a string is a uint64 length, its bytes and a NUL):
//   uint32 magic; metadata: uint8 type, the strings node version, arch and platform, uint32 V8 cache tag;
//   V8's startup data: int32 size and its bytes; Node's isolate data and environment info;
//   the code cache, to the end of the file: uint64 count, then per builtin its id (a string) and its data (uint64
//   size and bytes).
// Node's isolate data and environment info are not parsed (nested structures of Node's internals): the code cache is
// the one offset after V8's data from which a well-formed code cache runs exactly to the end of the file.
import { ParseError } from './errors';

/** SnapshotData::kMagic of Node 18. */
export const NODE18_BLOB_MAGIC = 0x0143da19;

/** A builtin's id: Node's module names ('net', 'internal/fs/utils', 'internal/deps/cjs-module-lexer/lexer'). */
const BUILTIN_ID = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
/** Far more than any Node has builtins (Node 18.20: 316), and ids far longer than any: bounds for the search. */
const MAX_BUILTINS = 4096;
const MAX_ID_LENGTH = 256;

/** One builtin's entry in the code cache: its id and the bytes of the whole entry in the blob. */
export interface BuiltinCodeCacheEntry {
  id: string;
  start: number;
  end: number;
}

/** Where the code cache starts (its count) and its entries, in order. */
export interface BuiltinCodeCache {
  offset: number;
  entries: BuiltinCodeCacheEntry[];
}

const describe = (blob: Buffer): string => `startup snapshot blob (${blob.length} bytes)`;

/** A string at `at` (uint64 length, bytes, NUL), or undefined where there is none that fits `maxLength`. */
function readString(blob: Buffer, at: number, maxLength: number): { text: string; next: number } | undefined {
  if (at + 8 > blob.length) return undefined;
  const length = blob.readBigUInt64LE(at);
  if (length > BigInt(maxLength)) return undefined;
  const end = at + 8 + Number(length);
  if (end >= blob.length || blob[end] !== 0) return undefined;
  return { text: blob.toString('latin1', at + 8, end), next: end + 1 };
}

/** The code cache's entries when one starts at `offset` and ends exactly at the end of the blob, else undefined. */
function codeCacheAt(blob: Buffer, offset: number): BuiltinCodeCacheEntry[] | undefined {
  const count = blob.readBigUInt64LE(offset);
  if (count === 0n || count > BigInt(MAX_BUILTINS)) return undefined;
  const entries: BuiltinCodeCacheEntry[] = [];
  let at = offset + 8;
  for (let index = 0n; index < count; index += 1n) {
    const id = readString(blob, at, MAX_ID_LENGTH);
    if (id === undefined || !BUILTIN_ID.test(id.text) || id.next + 8 > blob.length) return undefined;
    const size = blob.readBigUInt64LE(id.next);
    if (size > BigInt(blob.length - id.next - 8)) return undefined;
    const end = id.next + 8 + Number(size);
    entries.push({ id: id.text, start: at, end });
    at = end;
  }
  return at === blob.length ? entries : undefined;
}

/**
 * The builtins' code cache of a blob written by Node `nodeVersion` (process.version, 'v18.20.4'), empty where that Node
 * carries none. Throws a ParseError naming what did not match: another magic or Node, a V8 part that overruns the
 * file, no code cache or more than one place one could start.
 */
export function findBuiltinCodeCache(blob: Buffer, nodeVersion: string): BuiltinCodeCache {
  if (blob.length < 5 || blob.readUInt32LE(0) !== NODE18_BLOB_MAGIC) {
    throw new ParseError(`${describe(blob)}: no Node 18 blob magic ${NODE18_BLOB_MAGIC.toString(16)} at its start`);
  }
  let at = 5;
  const fields: string[] = [];
  for (const field of ['node version', 'arch', 'platform']) {
    const value = readString(blob, at, MAX_ID_LENGTH);
    if (value === undefined) throw new ParseError(`${describe(blob)}: no ${field} string at offset ${at}`);
    fields.push(value.text);
    at = value.next;
  }
  const version = nodeVersion.replace(/^v/, '');
  if (fields[0] !== version) {
    throw new ParseError(`${describe(blob)}: written by Node ${JSON.stringify(fields[0])}, not ${version}`);
  }
  at += 4; // V8's cache version tag
  if (at + 4 > blob.length) throw new ParseError(`${describe(blob)}: ends before V8's startup data`);
  const v8Size = blob.readInt32LE(at);
  const v8End = at + 4 + v8Size;
  if (v8Size <= 0 || v8End > blob.length) {
    throw new ParseError(`${describe(blob)}: V8's startup data of ${v8Size} bytes at offset ${at} does not fit the file`);
  }
  const found: BuiltinCodeCache[] = [];
  for (let offset = v8End; offset + 8 <= blob.length; offset += 1) {
    const entries = codeCacheAt(blob, offset);
    if (entries !== undefined) found.push({ offset, entries });
  }
  // A Node built without its builtins' code cache (Debian's nodejs: NODE_USE_NODE_CODE_CACHE off) writes an empty one:
  // a zero count, the file's last eight bytes.
  if (found.length === 0 && blob.length - 8 >= v8End && blob.readBigUInt64LE(blob.length - 8) === 0n) {
    return { offset: blob.length - 8, entries: [] };
  }
  if (found.length === 0) {
    throw new ParseError(`${describe(blob)}: no builtins' code cache runs from after V8's startup data (offset ` +
      `${v8End}) to the end of the file`);
  }
  if (found.length > 1) {
    throw new ParseError(`${describe(blob)}: ${found.length} offsets after V8's startup data (offset ${v8End}) could ` +
      "start the builtins' code cache");
  }
  return found[0] as BuiltinCodeCache;
}

/** The blob with only the code cache entries of the builtins in `keep`, in their order (the rest byte for byte). */
export function keepBuiltinCodeCache(blob: Buffer, cache: BuiltinCodeCache, keep: ReadonlySet<string>): Buffer {
  const kept = cache.entries.filter((entry) => keep.has(entry.id));
  const count = Buffer.alloc(8);
  count.writeBigUInt64LE(BigInt(kept.length));
  return Buffer.concat([blob.subarray(0, cache.offset), count, ...kept.map((entry) => blob.subarray(entry.start, entry.end))]);
}
