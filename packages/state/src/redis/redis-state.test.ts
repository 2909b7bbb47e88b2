import { beforeAll } from 'vitest';
import { assertReachable, parseHostPort, redisUrl, uniqueName } from '@nightjar/testkit';
import { describeStateContract } from '../testing/index.ts';
import { createRedisState } from './redis-state.ts';

beforeAll(async () => {
  await assertReachable('Redis', parseHostPort(redisUrl()));
});

describeStateContract('redis', () => createRedisState({ url: redisUrl(), keyPrefix: `${uniqueName('nj-test')}:` }));
