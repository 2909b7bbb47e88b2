import type { StateOp, StateOpResult, StateStore, WindowAddResult, WindowEntry } from '../port.ts';
import { openRedisConnection } from './connection.ts';
import type { RedisConnectionOptions } from './connection.ts';
import { EXECUTE_BATCH, SCRIPT_DEFINITIONS } from './scripts.ts';
import type { StateScripts } from './scripts.ts';

export type RedisStateOptions = RedisConnectionOptions;

/** Distributed-mode state shared by every detector process; see ../port.ts for the contract. */
export function createRedisState(options: RedisStateOptions): StateStore {
  const { client, run } = openRedisConnection(options);
  for (const [name, lua] of Object.entries(SCRIPT_DEFINITIONS)) client.defineCommand(name, { numberOfKeys: 1, lua });
  // No fixed key count: the first argument says how many keys follow.
  client.defineCommand('executeBatch', { lua: EXECUTE_BATCH });
  const scripts = client as unknown as StateScripts & {
    executeBatch(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<unknown[]>;
  };

  return {
    kind: 'redis',

    async execute(ops) {
      if (ops.length === 0) return [];
      const keys: string[] = [];
      const args: Array<string | number> = [];
      for (const op of ops) {
        keys.push(op.key);
        encodeOp(op, args);
      }
      const replies = await run(() => scripts.executeBatch(keys.length, ...keys, ...args));
      return ops.map((op, index) => decodeReply(op, replies[index]));
    },

    async windowAdd(key, member, at, windowMs, ttlMs): Promise<WindowAddResult> {
      const [count, added] = await run(() => scripts.windowAdd(key, at, member, at - windowMs, px(ttlMs)));
      return { count, added: added === 1 };
    },

    async windowRange(key, from, to, limit): Promise<WindowEntry[]> {
      const flat = await run(() =>
        limit === undefined
          ? client.zrangebyscore(key, from, to, 'WITHSCORES')
          : client.zrangebyscore(key, from, to, 'WITHSCORES', 'LIMIT', 0, limit),
      );
      return windowEntries(flat);
    },

    async distinctAdd(key, members, ttlMs) {
      // MULTI rather than Lua: unpacking thousands of members into one Lua
      // call overflows the Lua stack.
      return run(async () => {
        const replies = await client
          .multi()
          .pfadd(key, ...members)
          .pfcount(key)
          .pexpire(key, px(ttlMs))
          .exec();
        for (const [error] of replies ?? []) if (error) throw error;
        return Number(replies?.[1]?.[1]);
      });
    },

    async setIfAbsent(key, value, ttlMs) {
      return (await run(() => client.set(key, value, 'PX', px(ttlMs), 'NX'))) === 'OK';
    },

    async compareAndSet(key, expected, next, ttlMs) {
      const expectAbsent = expected === null ? '1' : '0';
      return (await run(() => scripts.compareAndSet(key, expectAbsent, expected ?? '', next, px(ttlMs)))) === 1;
    },

    async get(key) {
      return run(() => client.get(key));
    },

    async set(key, value, ttlMs) {
      await run(() => client.set(key, value, 'PX', px(ttlMs)));
    },

    async delete(key) {
      await run(() => client.del(key));
    },

    async increment(key, by, ttlMs) {
      return run(() => scripts.increment(key, by, px(ttlMs)));
    },

    async ping() {
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },

    async close() {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

/** Redis wants a positive integer; a sub-millisecond or zero TTL would be rejected. */
function px(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}

function windowEntries(flat: readonly string[]): WindowEntry[] {
  const entries: WindowEntry[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    entries.push({ member: flat[index]!, at: Number(flat[index + 1]) });
  }
  return entries;
}

/** Appends the operation's code and arguments in the order EXECUTE_BATCH reads them. */
function encodeOp(op: StateOp, args: Array<string | number>): void {
  switch (op.op) {
    case 'windowAdd':
      args.push('A', op.at, op.member, op.at - op.windowMs, px(op.ttlMs));
      return;
    case 'windowRecord':
      args.push('P', op.at, op.member, op.at - op.windowMs, px(op.ttlMs));
      return;
    case 'windowRange':
      args.push('R', op.from, op.to, op.limit === undefined ? '' : op.limit);
      return;
    case 'get':
      args.push('G');
      return;
    case 'set':
      args.push('S', op.value, px(op.ttlMs));
      return;
    case 'delete':
      args.push('D');
      return;
    case 'increment':
      args.push('I', op.by, px(op.ttlMs));
      return;
    case 'keepFirst':
      args.push('K', op.value, px(op.ttlMs));
      return;
    case 'swap':
      args.push('W', op.value, px(op.ttlMs));
      return;
  }
}

function decodeReply(op: StateOp, reply: unknown): StateOpResult | Error {
  // A failed operation arrives as a reply error inside the array.
  if (reply instanceof Error) return new Error(`Redis rejected ${op.op} on ${op.key}: ${reply.message}`);
  switch (op.op) {
    case 'windowAdd': {
      const [count, added] = reply as [number, number];
      return { count, added: added === 1 };
    }
    case 'windowRecord':
      return { added: reply === 1 };
    case 'windowRange':
      return windowEntries(reply as string[]);
    case 'increment':
      return Number(reply);
    default:
      return (reply as string | null) ?? null;
  }
}
