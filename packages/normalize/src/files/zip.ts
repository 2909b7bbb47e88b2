import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

const END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const DIRECTORY_ENTRY = 0x02014b50;

export function isZip(buffer: Buffer): boolean {
  return buffer.length > 4 && buffer.readUInt32LE(0) === 0x04034b50;
}

/** The files of a (non-Zip64) archive, stored or deflated: enough for log exports that were zipped. */
export function* zipEntries(buffer: Buffer): Generator<ZipEntry> {
  const end = buffer.lastIndexOf(END_OF_DIRECTORY);
  if (end < 0) throw new Error('zip archive has no central directory');
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  for (let index = 0; index < count; index++) {
    if (buffer.readUInt32LE(offset) !== DIRECTORY_ENTRY) throw new Error('zip central directory is damaged');
    const method = buffer.readUInt16LE(offset + 10);
    const size = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const skip = nameLength + buffer.readUInt16LE(offset + 30) + buffer.readUInt16LE(offset + 32);
    const local = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + skip;
    if (name.endsWith('/') || name.startsWith('__MACOSX/')) continue;
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const body = buffer.subarray(start, start + size);
    if (method === 0) yield { name, data: body };
    else if (method === 8) yield { name, data: inflateRawSync(body) };
    else throw new Error(`zip entry ${name} uses compression method ${method}, which is not supported`);
  }
}
