/** fast-check generators of malformed and hostile input, by what the receiving field accepts. */
import fc from 'fast-check';
import type { Field } from './write-endpoints.ts';
import { isDecimalText } from '../../server/open311/decimal.ts';

/** Strings aimed at SQL, HTML/script, paths, logs and parsers; and the empty, blank and "null" ones. */
export const INJECTIONS = [
  "' or '1'='1",
  '1; drop table issues; --',
  "'); delete from users; --",
  '" or ""="',
  '1 union select password_hash from users',
  '$1::text',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${process.exit(1)}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\r\nSet-Cookie: x=1',
  '\uFEFF\u202E网格',
  '𠜎𠜱𠝹',
  ' ',
  '',
  '\\',
  '%s%s%s%n',
  'null',
];

const SELF_INTERSECTING = {
  type: 'Polygon',
  coordinates: [
    [
      [106.39, 37.78],
      [106.41, 37.8],
      [106.41, 37.78],
      [106.39, 37.8],
      [106.39, 37.78],
    ],
  ],
};
const UNCLOSED = {
  type: 'Polygon',
  coordinates: [
    [
      [106.39, 37.78],
      [106.41, 37.78],
      [106.41, 37.8],
    ],
  ],
};
const OUT_OF_RANGE = {
  type: 'Polygon',
  coordinates: [
    [
      [506.39, 97.78],
      [-406.41, 37.78],
      [106.41, -137.8],
      [506.39, 97.78],
    ],
  ],
};
export const BAD_POLYGONS = [
  SELF_INTERSECTING,
  UNCLOSED,
  OUT_OF_RANGE,
  { type: 'Polygon', coordinates: [] },
  { type: 'Polygon', coordinates: 'x' },
];

/** Those with a character no code has: wrapped in random text they still are no code ("" or "null" would be). */
const NOT_A_CODE = INJECTIONS.filter((a) => /[^A-Za-z0-9._:-]/.test(a));
export const injection = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.constantFrom(...NOT_A_CODE).chain((a) => fc.string({ maxLength: 20 }).map((s) => `${s}${a}${s}`)),
);
/**
 * Long strings of the shapes that make a backtracking pattern slow: a long run it can split two ways, then a
 * character that fails the match (tests/unit/redos.test.ts has them at 100 kB). Every parser must answer at once.
 */
const LONG_SHAPES: [prefix: string, unit: string, tail: string][] = [
  ['', '1', 'x'],
  ['1e', '1', 'x'],
  ['.', '1', 'e'],
  ['a', ' ', 'x'],
  ['a', ' ,', 'x'],
  ['', ',', ''],
  ['a', '/', 'x'],
  ['1: ', 'a (', ''],
  ['', '\t', 'x'],
  ['2026-01-01T00:00:00.', '1', 'x'],
  ['x', 'a-', '!'],
  ['', '网', 'x'],
  ['http://', 'a.', '-'],
];
const longOf = (shapes: typeof LONG_SHAPES, min: number, max: number) =>
  fc
    .tuple(fc.constantFrom(...shapes), fc.integer({ min, max }))
    .map(([[prefix, unit, tail], n]) => prefix + unit.repeat(Math.ceil(n / unit.length)) + tail);
/** 10–90 kB: inside the 100 kB body limits, so they reach the parsers. */
export const longHostile = longOf(LONG_SHAPES, 10_000, 90_000);
/** In a path: characters a URL carries as they are, and short enough for Node's 16 KB request head. */
const longParam = longOf(
  LONG_SHAPES.filter(([p, u, t]) => encodeURIComponent(p + u + t) === p + u + t),
  2_000,
  5_000,
);

const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER * 16,
  -Number.MAX_SAFE_INTEGER * 16,
  5e-324,
  -0.5,
);
/** JSON values that are no string. */
const notString = fc.oneof(
  fc.integer(),
  hugeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
  fc.constantFrom(...BAD_POLYGONS),
);
const notNumber = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('1', '1e999', 'NaN', 'Infinity', '0x10'),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({}),
);
const notBoolean = fc.oneof(fc.constantFrom('true', 'false', 0, 1, null, [], {}), injection);
const notRecord = fc.oneof(
  fc.array(fc.string(), { maxLength: 3 }),
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
);

/** Text with NUL, which no PostgreSQL text column holds (JSON's \u0000, a form's %00). */
const withNul = fc.constantFrom('\u0000', 'a\u0000b', '路灯\u0000不亮');

/** A value the field does not accept. */
export function invalidValue(field: Field): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'text':
      return fc.oneof(notString, withNul);
    case 'code':
      return fc.oneof(field.nullable ? notString.filter((v) => v !== null) : notString, injection, longHostile);
    case 'boolean':
      return notBoolean;
    case 'record':
      return fc.oneof(
        notRecord,
        injection.map((k) => ({ [k]: 'G001' })),
        fc.oneof(injection, notString, longHostile).map((v) => ({ U001: v })),
        fc.constantFrom(...BAD_POLYGONS),
      );
    case 'polygon':
      return fc.oneof(
        fc.constantFrom(...BAD_POLYGONS),
        notString.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
      );
    case 'number': {
      const outside: fc.Arbitrary<number>[] = [fc.constantFrom(1e308, -1e308)];
      if (field.max < 1e300) outside.push(fc.double({ min: field.max + 1, max: 1e300, noNaN: true }));
      if (field.min > -1e300) outside.push(fc.double({ min: -1e300, max: field.min - 1, noNaN: true }));
      if (field.int)
        outside.push(
          fc
            .double({ min: Math.max(field.min, -1e6), max: Math.min(field.max, 1e6), noNaN: true })
            .filter((v) => !Number.isInteger(v)),
        );
      return fc.oneof(notNumber, longHostile, ...outside);
    }
  }
}

/** A path parameter that names nothing: wrong characters, absurd numbers, injections. */
export const hostileParam = fc.oneof(
  injection.filter((s) => s !== '' && s !== ' '),
  fc.constantFrom(
    '-1',
    '0x10',
    '1e3',
    '1.5',
    '99999999999999999999',
    '9'.repeat(40),
    '999999999999999',
    'NaN',
    'Infinity',
    '-0',
    '1,2',
    '１２',
  ),
  fc.bigInt({ min: 10n ** 16n, max: 10n ** 30n }).map(String),
  fc.integer({ min: -1e9, max: -1 }).map(String),
  longParam,
);

/** Text that is not JSON at all, or JSON cut short. */
export const brokenJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    '[1,2',
    '{"a":"\\x"}',
    'NaN',
    '{"a":1}}',
    '\u0000',
    '{"a":01}',
    'undefined',
    '{"__proto__":',
  ),
  fc.string({ minLength: 1, maxLength: 200 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

/**
 * A form value (always a string) the field does not accept: for text only NUL is wrong; for numbers, text
 * that is no decimal number or one out of range.
 */
export function invalidFormValue(field: Field): fc.Arbitrary<string> {
  switch (field.kind) {
    case 'text':
      return withNul;
    case 'number': {
      const outside = [
        fc.double({ min: field.max + 1, max: 1e300, noNaN: true }),
        fc.double({ min: -1e300, max: field.min - 1, noNaN: true }),
      ];
      return fc.oneof(
        fc.constantFrom(
          '',
          ' ',
          'NaN',
          'Infinity',
          '-Infinity',
          '1e999',
          '0x10',
          '1,5',
          '１２',
          'true',
          'null',
          '[37]',
          '37.8.1',
        ),
        // An injection wrapped in digits can read as a number ("5" + "" + "5"): not those.
        fc.oneof(injection, longHostile).filter((s) => !isDecimalText(s.trim())),
        ...outside.map((a) => a.map(String)),
      );
    }
    default:
      return fc.oneof(injection, withNul, longHostile);
  }
}
