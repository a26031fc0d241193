import { describe, expect, it } from '@jest/globals';
import { findHostileInput, MAX_DEPTH } from './hostile-input.js';

describe('hostile input walk', () => {
  it('names each bad string by its path, in bodies, arrays and keys', () => {
    const body = {
      subject: 'ok',
      to: ['a@b.co', { email: 'c@d.co', name: 'Ann\u0000' }],
      text: 'line\r\nbreaks',
      ['x\u0000']: 1,
      nested: { list: [['\ud800']] },
    };
    expect(findHostileInput(body, '', new Set(['text']))).toEqual([
      { field: 'to[1].name', message: expect.stringContaining('control characters') },
      { field: 'x\\u0000', message: 'is not a valid field name' },
      { field: 'nested.list[0][0]', message: expect.stringContaining('unpaired surrogates') },
    ]);
    expect(findHostileInput(body, '')).toContainEqual({
      field: 'text',
      message: expect.stringContaining('line breaks'),
    });
  });

  it('names a query or path parameter by its name, and stops at absurd depth', () => {
    expect(findHostileInput('a\u0000', 'cursor')).toEqual([
      { field: 'cursor', message: expect.any(String) },
    ]);
    expect(findHostileInput({ limit: 10, force: true, none: null }, '')).toEqual([]);
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    expect(findHostileInput({ to: deep }, '')).toEqual([
      { field: `to${'[0]'.repeat(MAX_DEPTH - 1)}`, message: 'is nested too deeply' },
    ]);
  });
});
