import type { StateOp, StateOpResult, StateStore } from '@nightjar/state';

/**
 * Sends a group of operations, kept together and in order; resolves with
 * their results (an Error in place of a failed one) once the batch it joined
 * has run, and rejects when the store could not take the batch.
 */
export type StateBatcher = (ops: readonly StateOp[]) => Promise<Array<StateOpResult | Error>>;

// A Redis script blocks the server while it runs; a few thousand operations take a few milliseconds.
const MAX_OPS_PER_BATCH = 2_000;
// Measured on the engine bench: sending once this many operations wait keeps Redis busy
// with one batch while the process prepares the next (1.5-1.9x over one batch per turn).
const EAGER_OPS = 128;

export interface StateBatcherOptions {
  /** Send as soon as this many operations wait, without waiting for the end of the turn. */
  readonly eagerOps?: number;
  /** Largest batch sent in one call. */
  readonly maxOps?: number;
}

interface Queued {
  readonly ops: readonly StateOp[];
  readonly resolve: (results: Array<StateOpResult | Error>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the state operations of the events in flight and sends them as one
 * `execute` call: at the end of the event loop's turn, or sooner once
 * `eagerOps` wait, so the store works on one batch while this process builds
 * the next. Events of one entity run one after another, so an event's
 * operations never share a batch with its predecessor's; with many entities
 * in flight, one round trip serves them all and Redis runs one script instead
 * of a command per operation.
 */
export function createStateBatcher(state: StateStore, options: StateBatcherOptions = {}): StateBatcher {
  const eagerOps = options.eagerOps ?? EAGER_OPS;
  const maxOps = options.maxOps ?? MAX_OPS_PER_BATCH;
  let queue: Queued[] = [];
  let queuedOps = 0;
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    sendQueued();
  }

  function sendQueued(): void {
    const taken = queue;
    queue = [];
    queuedOps = 0;
    let chunk: Queued[] = [];
    let chunkOps = 0;
    for (const group of taken) {
      if (chunkOps > 0 && chunkOps + group.ops.length > maxOps) {
        send(chunk);
        chunk = [];
        chunkOps = 0;
      }
      chunk.push(group);
      chunkOps += group.ops.length;
    }
    if (chunk.length > 0) send(chunk);
  }

  function send(chunk: readonly Queued[]): void {
    const ops = chunk.length === 1 ? chunk[0]!.ops : chunk.flatMap((group) => group.ops);
    state.execute(ops).then(
      (results) => {
        let offset = 0;
        for (const group of chunk) {
          group.resolve(results.slice(offset, offset + group.ops.length));
          offset += group.ops.length;
        }
      },
      (error: unknown) => {
        for (const group of chunk) group.reject(error);
      },
    );
  }

  return (ops) => {
    if (ops.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      queue.push({ ops, resolve, reject });
      queuedOps += ops.length;
      if (queuedOps >= eagerOps) sendQueued();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };
}
