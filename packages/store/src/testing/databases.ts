import { uniqueName } from '@nightjar/testkit';
import type { HistoryStore } from '../port.ts';

/** Creates a database no other test or run shares, and drops every one of them at the end. */
export function testDatabases(store: () => HistoryStore): {
  create(prefix: string): Promise<string>;
  dropAll(): Promise<void>;
} {
  const created: string[] = [];
  return {
    async create(prefix) {
      const name = uniqueName(prefix).replace(/-/g, '_');
      await store().command(`CREATE DATABASE ${name}`);
      created.push(name);
      return name;
    },
    async dropAll() {
      await Promise.allSettled(created.map((name) => store().command(`DROP DATABASE IF EXISTS ${name}`)));
    },
  };
}
