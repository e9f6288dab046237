/**
 * Cases for an endpoint that takes application/x-www-form-urlencoded (an entry with `form: true` in
 * tests/fuzz/write-endpoints.ts): its valid body as a form with one thing broken, and the same valid form in a
 * wrong charset, content encoding or content type. Each must be refused with a 4xx, writing nothing.
 */
import fc from 'fast-check';
import { injection, invalidFormValue } from './hostile.ts';
import type { Field } from './write-endpoints.ts';

export interface Case {
  label: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const FORM = 'application/x-www-form-urlencoded';
/** The form parser's limits (server/routes/open311.ts): more parameters or bytes are refused with a 413. */
const MAX_PARAMETERS = 30;
const MAX_BYTES = 100 * 1024;

const encode = (pairs: [string, string][]) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
/** Keys a form parser may treat specially (prototype, brackets, dots) and keys no endpoint has. */
const ODD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'attribute[x]',
  'a[]',
  'a.b',
  'id',
  'role',
  'county_code',
];
/** Percent-escapes that decode to nothing valid, used where a code or a number is expected. */
const BROKEN_ESCAPES = ['%', '%z', '%zz', '%E0%A4%A', '%C3%28', '%FF%FE', '%00', '%%', '%u0041', '+%+'];

/** Weighted arbitraries (weight 10: usual; 1: the big bodies), to join the endpoint's other cases. */
export function formCases(
  path: string,
  valid: Record<string, unknown>,
  fields: Record<string, Field>,
  huge: () => Buffer,
) {
  const pairs = Object.entries(valid).map(([k, v]) => [k, String(v)] as [string, string]);
  const without = (name: string) => pairs.filter(([k]) => k !== name);
  const form = (label: string, body: string | Buffer, headers: Record<string, string> = {}): Case => ({
    label,
    path,
    headers: { 'content-type': FORM, ...headers },
    body,
  });
  const names = Object.keys(fields);
  const strict = names.filter((n) => fields[n].kind !== 'text');
  const validForm = encode(pairs);
  let big: Case | undefined;
  const usual = (arbitrary: fc.Arbitrary<Case>) => ({ arbitrary, weight: 10 });
  return [
    usual(
      fc
        .constantFrom(...names)
        .chain((n) =>
          invalidFormValue(fields[n]).map((v) =>
            form(`form ${n}=${JSON.stringify(v).slice(0, 80)}`, encode([...without(n), [n, v]])),
          ),
        ),
    ),
    // A field given twice (an array once parsed), or the same with a bracket.
    usual(
      fc
        .constantFrom(...names)
        .map((n) =>
          form(`form ${n} twice`, encode([...without(n), [n, String(valid[n] ?? 'x')], [n, String(valid[n] ?? 'x')]])),
        ),
    ),
    usual(
      fc
        .constantFrom(...names)
        .map((n) => form(`form ${n}[]`, encode([...without(n), [`${n}[]`, String(valid[n] ?? 'x')]]))),
    ),
    usual(
      fc
        // An empty key is dropped by any form parser: not a case.
        .oneof(
          fc.constantFrom(...ODD_KEYS),
          injection.filter((k) => k !== ''),
        )
        .map((k) => form(`form extra key ${JSON.stringify(k)}`, `${validForm}&${encodeURIComponent(k)}=1`)),
    ),
    // Broken percent-escapes, raw, as the value of a code or number field, or as an extra key.
    usual(
      fc
        .tuple(fc.constantFrom(...strict), fc.constantFrom(...BROKEN_ESCAPES))
        .map(([n, raw]) =>
          form(`form ${n}=${raw} (raw)`, [encode(without(n)), `${encodeURIComponent(n)}=${raw}`].join('&')),
        ),
    ),
    usual(fc.constantFrom(...BROKEN_ESCAPES).map((raw) => form(`form raw key ${raw}`, `${validForm}&${raw}=1`))),
    usual(
      fc
        .constant(null)
        .map(() =>
          form(
            'form with too many fields',
            `${validForm}&${Array.from({ length: MAX_PARAMETERS }, (_, i) => `x${i}=1`).join('&')}`,
          ),
        ),
    ),
    // The valid form, in a charset or content encoding the server does not read, or under another content type.
    usual(
      fc
        .constantFrom('latin1', 'utf-16', 'koi8-r', 'x-unknown')
        .map((cs) => form(`form in charset ${cs}`, validForm, { 'content-type': `${FORM}; charset=${cs}` })),
    ),
    usual(
      fc
        .constantFrom('gzip', 'deflate', 'br', 'compress', 'x-unknown')
        .map((enc) => form(`form claimed ${enc}`, validForm, { 'content-encoding': enc })),
    ),
    usual(
      fc
        .constantFrom(
          'text/plain',
          'application/json',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/octet-stream',
        )
        .map((type) => form(`form sent as ${type}`, validForm, { 'content-type': type })),
    ),
    usual(
      fc.constant(null).map(() => form('form past the size limit', `${validForm}&padding=${'x'.repeat(MAX_BYTES)}`)),
    ),
    {
      arbitrary: fc
        .constant(null)
        .map(() => (big ??= form('10 MB form', Buffer.concat([Buffer.from(`${validForm}&padding=`), huge()])))),
      weight: 1,
    },
  ];
}
