import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TEXT_MESSAGES, textProblem } from './text-rules.js';

describe('text rules', () => {
  it('refuses C0 controls and DEL; free text keeps tab, LF and CR; headers refuse Unicode breaks', () => {
    const table: [string, string | undefined, string | undefined, string | undefined][] = [
      // value, line, free, header
      ['Ann Ó’Brien 😀 \u202e', undefined, undefined, undefined],
      ['a\u0000b', TEXT_MESSAGES.line, TEXT_MESSAGES.free, TEXT_MESSAGES.header],
      ['a\u001fb', TEXT_MESSAGES.line, TEXT_MESSAGES.free, TEXT_MESSAGES.header],
      ['a\u007fb', TEXT_MESSAGES.line, TEXT_MESSAGES.free, TEXT_MESSAGES.header],
      ['a\r\n\tb', TEXT_MESSAGES.line, undefined, TEXT_MESSAGES.header],
      ['a\u2028b\u0085', undefined, undefined, TEXT_MESSAGES.header],
      ['a\ud800', TEXT_MESSAGES.surrogate, TEXT_MESSAGES.surrogate, TEXT_MESSAGES.surrogate],
      ['\udc00a', TEXT_MESSAGES.surrogate, TEXT_MESSAGES.surrogate, TEXT_MESSAGES.surrogate],
      [
        '\ud83d\ud83d\ude00',
        TEXT_MESSAGES.surrogate,
        TEXT_MESSAGES.surrogate,
        TEXT_MESSAGES.surrogate,
      ],
    ];
    for (const [value, line, free, header] of table) {
      expect([
        textProblem(value, 'line'),
        textProblem(value, 'free'),
        textProblem(value, 'header'),
      ]).toEqual([line, free, header]);
    }
  });

  it('accepts exactly the well-formed strings without controls (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const wellFormed = Buffer.from(value, 'utf8').toString('utf8') === value;
        const controls = [...value].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f');
        expect(textProblem(value, 'line') === undefined).toBe(wellFormed && !controls);
      }),
    );
  });
});
