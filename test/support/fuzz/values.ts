import fc from 'fast-check';

/** Characters that broke things before (PostgreSQL, jsonb, validators, mail headers). */
export const NASTY_CHARS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u200e',
  '\u200f',
  '\u202e',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '😀',
  '👩‍👩‍👧',
  '𝕏',
  'é',
  'ß',
  'İ',
  '中',
  'ا',
  '%00',
  '%',
  '\\',
  '"',
  "'",
  '<',
  '>',
  '@',
  ';',
  ',',
  '${x}',
  '{{x}}',
  '../',
];

/** Strings a careless API trips on: control characters, lone surrogates, RTL, emoji, NUL. */
export const nastyString = (): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...NASTY_CHARS), fc.string({ maxLength: 4 })), {
      minLength: 1,
      maxLength: 8,
    })
    .map((parts) => parts.join(''));

/** Long strings: a few kB up to half a megabyte (bodies stay under the 1 MB limit). */
export const hugeString = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('a', 'é', '😀', '\u0000', 'x@y.z,', ' ', '\ud800'),
      fc.constantFrom(257, 999, 4_097, 65_536, 300_000),
    )
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

/** Any string, ordinary or hostile. */
export const anyString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: nastyString() },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', 'true', '0', '-1', '1e309', 'NaN') },
    { weight: 1, arbitrary: hugeString() },
  );

/** Values of the wrong type for any field. */
export const wrongType = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, [], {}, [[]], [null], { '': null }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.array(anyString(), { maxLength: 3 }),
    fc.dictionary(anyString(), fc.constantFrom(null, 1, 'x'), { maxKeys: 3 }),
    deepNesting(),
  );

/** Arrays or objects nested far deeper than any request needs. */
export const deepNesting = (): fc.Arbitrary<unknown> =>
  fc.tuple(fc.constantFrom(9, 50, 2_000), fc.boolean()).map(([depth, arrays]) => {
    let value: unknown = 'x';
    for (let i = 0; i < depth; i += 1) value = arrays ? [value] : { a: value };
    return value;
  });

/** Anything a JSON field could be sent as. */
export const anyValue = (): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 2, arbitrary: anyString() }, { weight: 1, arbitrary: wrongType() });

/** A path segment: an encoded string, or raw percent escapes that are not valid UTF-8. */
export const pathSegment = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.uuid().map((id) => id),
    fc.constantFrom('%00', '%0D%0A', '%ED%A0%80', '%FF', '%E2%80%AE', '%25', '%2F', '..', '%'),
    fc.constantFrom('x'.repeat(300), '1'.repeat(5_000), '00000000-0000-0000-0000-000000000000'),
    anyString()
      .map(encodePart)
      .filter((s) => s.length < 3_000),
  );

/** encodeURIComponent, with lone surrogates sent as the (invalid) UTF-8 of a surrogate. */
export function encodePart(value: string): string {
  return Array.from(value)
    .map((char) => (/^[\ud800-\udfff]$/.test(char) ? '%ED%A0%80' : encodeURIComponent(char)))
    .join('');
}
