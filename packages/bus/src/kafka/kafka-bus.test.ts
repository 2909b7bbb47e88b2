import { beforeAll } from 'vitest';
import { assertReachable, kafkaBrokers, parseHostPort, uniqueName } from '@nightjar/testkit';
import { describeBusContract } from '../testing/index.ts';
import { createKafkaBus } from './index.ts';

beforeAll(async () => {
  await assertReachable('Kafka', parseHostPort(kafkaBrokers()[0]!));
});

describeBusContract('kafka', () =>
  createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('bus-contract'), sessionTimeoutMs: 10_000 }),
);
