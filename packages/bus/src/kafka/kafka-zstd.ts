/**
 * Zstandard for KafkaJS, from Node's own zlib. KafkaJS ships only GZIP
 * (slow to compress) and leaves the other codecs to be registered; zstd at a
 * low level compresses the JSON our events carry several times over for a
 * small share of a core, and every byte it saves is a byte KafkaJS no longer
 * copies and checksums in JavaScript, nor the broker writes. Importing this
 * module registers the codec in the process (or thread) that imports it:
 * every producer and consumer of the bus does.
 */
import { promisify } from 'node:util';
import { constants, zstdCompress, zstdDecompress } from 'node:zlib';
import kafkajs from 'kafkajs';

// KafkaJS is CommonJS: its codec registry is reached through the default export.
const { CompressionCodecs, CompressionTypes } = kafkajs;

const compress = promisify(zstdCompress);
const decompress = promisify(zstdDecompress);

/** Level 1: the fastest; higher levels cost far more CPU for a few per cent of size on these records. */
const COMPRESSION_LEVEL = 1;

/** The shape KafkaJS expects of a codec: it hands `compress` its record encoder. */
export interface KafkaCodec {
  compress(encoder: { readonly buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

export const ZSTD_CODEC: KafkaCodec = {
  compress: (encoder) =>
    compress(encoder.buffer, { params: { [constants.ZSTD_c_compressionLevel]: COMPRESSION_LEVEL } }),
  decompress: (buffer) => decompress(buffer),
};

CompressionCodecs[CompressionTypes.ZSTD] = () => ZSTD_CODEC;

export const PRODUCER_COMPRESSION = CompressionTypes.ZSTD;
