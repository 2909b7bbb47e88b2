import { describe, expect, it } from 'vitest';
import { decodeValue } from './shared.ts';

describe('decodeValue', () => {
  it.each([
    [JSON.stringify('Global Administrator'), 'Global Administrator'],
    [JSON.stringify(JSON.stringify([{ State: 1 }])), [{ State: 1 }]],
    ['[]', []],
    ['plain text', 'plain text'],
    ['[not json', '[not json'],
    [null, null],
  ])('%j', (value, expected) => {
    expect(decodeValue(value)).toEqual(expected);
  });
});
