#!/usr/bin/env node
// Entry of the `nightjar` binary; the CLI itself is TypeScript run by Node's type stripping.

// kafkajs 2.2 arms timers with negative delays on Node 24; Node clamps them to
// 1 ms and warns on every one. The behaviour is correct, so only that warning goes.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'TimeoutNegativeWarning') return;
  emitWarning(warning, ...rest);
};

await import('../src/cli.ts');
