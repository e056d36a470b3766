/**
 * A small ZIP archive writer (PKWARE APPNOTE, no ZIP64): each entry is deflated with node:zlib, or stored when
 * deflating does not make it smaller, and the archive ends with the central directory. Enough for handing a run's
 * CSV files to a browser or `unzip`; not a general archiver (no streaming, no encryption, at most 65535 entries and
 * 4 GiB).
 */
import { deflateRawSync } from 'node:zlib';
import { HyperfoilError } from './errors.js';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, relative (no leading `/`, no `..` segment). */
  readonly name: string;
  readonly data: Buffer;
  /** Modification time shown by `unzip -l`; defaults to now. */
  readonly modifiedMs?: number;
}

export interface ZipOptions {
  /** Deflate entries (default); `false` stores them as they are. */
  readonly compress?: boolean;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
/** General purpose flag bit 11: the name is UTF-8. */
const FLAG_UTF8 = 0x0800;
/** "Version needed to extract" 2.0: deflate. */
const VERSION_NEEDED = 20;
/** "Version made by": Unix (3) in the high byte, spec 2.0, so `unzip` reads the permission bits below. */
const VERSION_MADE_BY = (3 << 8) | 20;
/** Regular file, rw-r--r--, in the high 16 bits of the external attributes. */
const UNIX_FILE_MODE = 0o100644;
const MAX_32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as ZIP and gzip use it); pass the previous result to continue over several buffers. */
export function crc32(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) {
    crc = (CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  }
  return ~crc >>> 0;
}

/** MS-DOS date and time (local time, 2-second resolution, years 1980–2107) as ZIP headers hold them. */
function dosDateTime(ms: number): { date: number; time: number } {
  const d = new Date(ms);
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  const date = ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
  return { date, time };
}

function checkName(name: string): Buffer {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.includes('\0')
    || name.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new HyperfoilError('INVALID_ZIP_ENTRY',
      `cannot put \`${name}\` in a ZIP archive: entry names are relative paths with \`/\` separators and no \`.\` or \`..\` segments`);
  }
  const encoded = Buffer.from(name, 'utf8');
  if (encoded.length > 0xffff) throw new HyperfoilError('INVALID_ZIP_ENTRY', `ZIP entry name is too long (${encoded.length} bytes)`);
  return encoded;
}

/** Builds a complete ZIP archive in memory. Entry names must be unique. */
export function createZip(entries: readonly ZipEntry[], options: ZipOptions = {}): Buffer {
  if (entries.length > MAX_ENTRIES) {
    throw new HyperfoilError('ZIP_TOO_LARGE', `a ZIP archive without ZIP64 holds at most ${MAX_ENTRIES} entries, not ${entries.length}`);
  }
  const compress = options.compress ?? true;
  const now = Date.now();
  const seen = new Set<string>();
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = checkName(entry.name);
    if (seen.has(entry.name)) throw new HyperfoilError('INVALID_ZIP_ENTRY', `ZIP entry \`${entry.name}\` appears twice`);
    seen.add(entry.name);
    const crc = crc32(entry.data);
    let method = METHOD_STORED;
    let payload = entry.data;
    if (compress && entry.data.length > 0) {
      const deflated = deflateRawSync(entry.data);
      if (deflated.length < entry.data.length) {
        method = METHOD_DEFLATED;
        payload = deflated;
      }
    }
    if (entry.data.length > MAX_32 || payload.length > MAX_32 || offset > MAX_32) {
      throw new HyperfoilError('ZIP_TOO_LARGE', 'the ZIP archive would exceed 4 GiB, which needs ZIP64 (not supported)');
    }
    const { date, time } = dosDateTime(entry.modifiedMs ?? now);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION_MADE_BY, 4);
    header.writeUInt16LE(VERSION_NEEDED, 6);
    header.writeUInt16LE(FLAG_UTF8, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(payload.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt16LE(0, 30); // extra field length
    header.writeUInt16LE(0, 32); // comment length
    header.writeUInt16LE(0, 34); // disk number
    header.writeUInt16LE(0, 36); // internal attributes
    header.writeUInt32LE((UNIX_FILE_MODE << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);

    chunks.push(local, name, payload);
    central.push(header, name);
    offset += local.length + name.length + payload.length;
  }

  const centralSize = central.reduce((sum, b) => sum + b.length, 0);
  if (offset > MAX_32 || centralSize > MAX_32) {
    throw new HyperfoilError('ZIP_TOO_LARGE', 'the ZIP archive would exceed 4 GiB, which needs ZIP64 (not supported)');
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...chunks, ...central, end]);
}
