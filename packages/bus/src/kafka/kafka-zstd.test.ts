import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { PRODUCER_COMPRESSION, ZSTD_CODEC } from './kafka-zstd.ts';

const { CompressionCodecs, CompressionTypes } = kafkajs;

describe('zstd for KafkaJS', () => {
  it('is the codec producers use, registered where KafkaJS looks codecs up', async () => {
    expect(PRODUCER_COMPRESSION).toBe(CompressionTypes.ZSTD);
    expect(CompressionCodecs[CompressionTypes.ZSTD]()).toBe(ZSTD_CODEC);
    const codec = ZSTD_CODEC;
    const records = Buffer.from(
      JSON.stringify(
        Array.from({ length: 50 }, (_, index) => ({
          id: `sign-in-${index}`,
          status: { errorCode: 0 },
          app: 'Outlook',
        })),
      ),
    );
    const compressed = await codec.compress({ buffer: records });
    expect(compressed.length).toBeLessThan(records.length / 4);
    expect(Buffer.compare(await codec.decompress(compressed), records)).toBe(0);
  });

  it('fails on a corrupt frame instead of answering garbage', async () => {
    const codec = ZSTD_CODEC;
    await expect(codec.decompress(Buffer.from('not a zstd frame'))).rejects.toThrow();
  });
});
