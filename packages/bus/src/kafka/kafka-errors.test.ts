import { describe, expect, it } from 'vitest';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { DependencyUnavailableError } from '@nightjar/core';
import { asBusError } from './kafka-errors.ts';
import { fromWire, toWire } from './kafka-transactional-wire.ts';

const BROKERS = ['127.0.0.1:9092'];

describe('asBusError', () => {
  it('reads a refused connection inside a "non-retriable" KafkaJS error as the cluster being away, across the producer thread too', () => {
    // As KafkaJS's retrier gives up on an error it deems final.
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    const NonRetriable = KafkaJSNonRetriableError as unknown as new (error: Error, options: { cause: Error }) => Error;
    const wrapped = new NonRetriable(refused, { cause: refused });
    for (const error of [wrapped, fromWire(toWire(wrapped))]) {
      const mapped = asBusError(BROKERS, 'publish transaction', error);
      expect(mapped).toBeInstanceOf(DependencyUnavailableError);
      expect((mapped as Error).message).toMatch(/Kafka at 127\.0\.0\.1:9092 is unavailable \(publish transaction\)/);
    }
  });

  it('passes a refusal that another attempt would not change through as it is', () => {
    const tooLarge = new KafkaJSProtocolError(
      Object.assign(
        new Error('The request included a message larger than the max message size the server will accept'),
        {
          type: 'MESSAGE_TOO_LARGE',
          code: 10,
          retriable: false,
        },
      ),
    );
    expect(asBusError(BROKERS, 'publish transaction', tooLarge)).toBe(tooLarge);
    expect(asBusError(BROKERS, 'publish transaction', fromWire(toWire(tooLarge)))).not.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });
});
