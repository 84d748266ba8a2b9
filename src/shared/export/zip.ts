import { promisify } from "node:util";
import zlib, { deflateRaw, deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * A minimal ZIP writer (and reader, for tests and checks): enough for office files such as XLSX.
 * Entries are deflated; no ZIP64, so each entry and the archive stay under 4 GiB.
 */
export interface ZipEntry {
  name: string;
  data: Buffer | string;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

// zlib's CRC-32 (Node ≥ 20.15) is about 15 times faster than the table loop: 60 ms instead of a
// second for the 250 MB sheet of a 100,000-row workbook.
const nativeCrc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;

export function crc32(data: Buffer): number {
  if (nativeCrc32) return nativeCrc32(data) >>> 0;
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = (CRC_TABLE[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// DOS date and time of 1980-01-01 00:00: a fixed date keeps the archive reproducible.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

interface CompressedEntry {
  name: string;
  raw: Buffer;
  compressed: Buffer;
}

export function writeZip(entries: ZipEntry[]): Buffer {
  return assemble(
    entries.map((entry) => {
      const raw = typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : entry.data;
      return { name: entry.name, raw, compressed: deflateRawSync(raw) };
    }),
  );
}

const deflateRawAsync = promisify(deflateRaw);

/** The same archive, compressed on libuv's thread pool: the event loop keeps serving meanwhile. */
export async function writeZipAsync(entries: ZipEntry[]): Promise<Buffer> {
  return assemble(
    await Promise.all(
      entries.map(async (entry) => {
        const raw = typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : entry.data;
        return { name: entry.name, raw, compressed: await deflateRawAsync(raw) };
      }),
    ),
  );
}

function assemble(entries: CompressedEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name: entryName, raw, compressed } of entries) {
    const name = Buffer.from(entryName, "utf8");
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, name, compressed);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // version made by
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.length, 20);
    header.writeUInt32LE(raw.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
/** Reads a ZIP archive through its central directory; checks each entry's CRC. */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("archive ZIP invalide : fin de répertoire central introuvable");
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("archive ZIP invalide : répertoire central");
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const stored = zip.subarray(dataAt, dataAt + compressedSize);
    const data = method === 8 ? inflateRawSync(stored) : Buffer.from(stored);
    if (crc32(data) !== crc) throw new Error(`archive ZIP invalide : CRC de ${name}`);
    entries.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
