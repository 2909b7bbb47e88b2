import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uniqueName } from '@nightjar/testkit';
import type { StateStore } from '../port.ts';
import { describeWindowContract } from './contract-windows.ts';
import { describeValueContract } from './contract-values.ts';
import { describeBatchContract } from './contract-batch.ts';

export type MakeStore = () => Promise<StateStore> | StateStore;

/** What each group of contract tests is handed: the store under test and a key no other test uses. */
export interface ContractContext {
  store(): StateStore;
  key(name: string): string;
}

/**
 * The behaviour every StateStore adapter must share. Run it once per adapter
 * (`describeStateContract('redis', () => createRedisState(...))`); a change of
 * semantics shows up as a failure in one adapter and not the other.
 */
export function describeStateContract(name: string, makeStore: MakeStore): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore | undefined;
    let prefix = '';

    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });
    beforeEach(() => {
      prefix = uniqueName('state-contract');
    });

    const context: ContractContext = {
      store: () => {
        if (!store) throw new Error(`the ${name} store was not created`);
        return store;
      },
      key: (keyName) => `${prefix}:${keyName}`,
    };

    it('answers ping', async () => {
      expect(await context.store().ping()).toBe(true);
    });

    describeWindowContract(context);
    describeValueContract(context);
    describeBatchContract(context);
  });
}
