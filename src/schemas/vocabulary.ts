import { z } from 'zod';
import { CURRENCY_EXPONENTS, currencyCodeSchema, decimalSchema, moneySchema } from '../core/money.js';
import { instantSchema, nameSchema, textSchema, timeZoneSchema } from '../core/validation.js';
import { opportunityAmountSchema } from '../leads/index.js';
import { dateKeySchema } from '../payments/index.js';
import { addPattern, type KnownCheck, type Leaf, type MutableJson, type Vocabulary } from './convert.js';

/*
 * The JSON Schema of each opaque building block of the library, written by hand from the
 * parsers' own rules (src/core/validation.ts, src/core/money/*): the one place where JSON
 * Schema is not generated from zod, each rule checked against its parser by test/schemas.
 */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Text every store can keep (`isSafeText`): no NUL, no lone surrogate (code points, as JSON Schema reads patterns). */
export const SAFE_TEXT_PATTERN = '^[^\\u0000\\uD800-\\uDFFF]*$';

/*
 * The patterns use no lookaround and no backreference, so every regular-expression engine a
 * JSON Schema validator may use reads them the same way (RE2 in Go has no lookahead).
 */

/** A calendar date `YYYY-MM-DD` that exists, with the given year, century and leap-century patterns. */
const datePattern = (year: string, century: string, leapCentury: string): string =>
  `(?:(?:${century}(?:[2468][048]|[13579][26]|0[48])|${leapCentury}00)-02-29|${year}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8])))`;

/**
 * An instant as zod's ISO regex (`z.iso.datetime({ offset: true })`) reads it, years 0001–9999:
 * a real calendar date, seconds, an optional fraction, `Z` or `±hh:mm`.
 */
export const INSTANT_PATTERN =
  '^' +
  datePattern('(?:\\d{3}[1-9]|\\d\\d[1-9]0|\\d[1-9]00|[1-9]000)', '\\d\\d', '(?:0[48]|[2468][048]|[13579][26])') +
  'T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)$';

/** A calendar date `YYYY-MM-DD` from 1900 to 9999 that exists (`isDateKey`). */
export const DATE_KEY_PATTERN = '^' + datePattern('(?:19|[2-9]\\d)\\d\\d', '(?:19|[2-9]\\d)', '(?:[2468][048]|[3579][26])') + '$';

/** A decimal string (`readDecimal`): digits, an optional sign and fraction, at most 18 significant decimals. */
export const DECIMAL_PATTERN = '^[+-]?\\d+(?:\\.\\d{1,18}0*)?$';
/** The most characters a decimal string may have. */
export const DECIMAL_MAX_LENGTH = 80;

/** The sign and range refinements of decimals and amounts the library uses. */
export type Bound = 'any' | 'nonNegative' | 'positive' | 'percent';

const SIGN_PATTERN: Readonly<Record<Bound, string | null>> = {
  any: null,
  nonNegative: '^(?:\\+?\\d+(?:\\.\\d+)?|-0+(?:\\.0+)?)$',
  positive: '^\\+?0*(?:[1-9]\\d*(?:\\.\\d+)?|0\\.\\d*[1-9]\\d*)$',
  percent: '^(?:\\+?0*(?:\\d{1,2}(?:\\.\\d+)?|100(?:\\.0+)?)|-0+(?:\\.0+)?)$',
};
const INTEGER_RANGE: Readonly<Record<Bound, { minimum: number; maximum: number }>> = {
  any: { minimum: -MAX_SAFE, maximum: MAX_SAFE },
  nonNegative: { minimum: 0, maximum: MAX_SAFE },
  positive: { minimum: 1, maximum: MAX_SAFE },
  percent: { minimum: 0, maximum: 100 },
};
const MINOR_STRING_PATTERN: Readonly<Record<Bound, string>> = {
  any: '^-?\\d{1,60}$',
  nonNegative: '^(?:\\d{1,60}|-0{1,60})$',
  positive: '^0*[1-9]\\d{0,59}$',
  percent: '^(?:0{0,58}\\d{1,2}|0{0,57}100|-0{1,60})$',
};

/**
 * A decimal as a host writes one: a string (`"19.99"`, `"0.125"`) or a safe integer. (The
 * parser also takes a bigint and `{ units, scale }`, which JSON does not write.)
 *
 * @example
 * decimalJson('percent') // { anyOf: [{ type: 'string', … }, { type: 'integer', minimum: 0, maximum: 100 }] }
 */
export function decimalJson(bound: Bound): MutableJson {
  const text: MutableJson = { type: 'string', maxLength: DECIMAL_MAX_LENGTH, pattern: DECIMAL_PATTERN };
  const sign = SIGN_PATTERN[bound];
  if (sign !== null) addPattern(text, sign);
  return { anyOf: [text, { type: 'integer', ...INTEGER_RANGE[bound] }] };
}

/** The currency codes by their number of decimals. */
function codesByExponent(): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [code, exponent] of Object.entries(CURRENCY_EXPONENTS)) out.set(exponent, [...(out.get(exponent) ?? []), code]);
  return out;
}

/** A decimal string with at most `exponent` significant decimals (trailing zeros are free). */
const decimalsPattern = (exponent: number): string => (exponent === 0 ? '^[+-]?\\d+(?:\\.0+)?$' : `^[+-]?\\d+(?:\\.\\d{1,${exponent}}0*)?$`);

/** A known ISO 4217 code (`isCurrencyCode`). */
export function currencyJson(): MutableJson {
  return { type: 'string', enum: Object.keys(CURRENCY_EXPONENTS) };
}

/**
 * An amount (`moneySchema`): `{ currency, amount }` with a decimal in major units, no more
 * decimals than the currency has, or `{ currency, minor }` in minor units (an integer, or an
 * integer string for counts beyond 2^53).
 *
 * @example
 * moneyJson('positive').required // ['currency']
 */
export function moneyJson(bound: Exclude<Bound, 'percent'>): MutableJson {
  // the decimals each currency allows, the most common count (2) as the `else` of the others
  const groups = [...codesByExponent()].sort(([a, x], [b, y]) => y.length - x.length || a - b);
  const [[commonExponent], ...others] = groups as [[number, string[]], ...[number, string[]][]];
  const amountWith = (exponent: number) => ({ properties: { amount: { anyOf: [{ type: 'string', pattern: decimalsPattern(exponent) }, { type: 'integer' }] } } });
  const ifCurrency = (codes: readonly string[]) => ({ properties: { currency: { enum: codes } }, required: ['currency'] });
  return {
    type: 'object',
    properties: {
      currency: currencyJson(),
      amount: decimalJson(bound),
      minor: { anyOf: [{ type: 'integer', ...INTEGER_RANGE[bound] }, { type: 'string', pattern: MINOR_STRING_PATTERN[bound] }] },
    },
    required: ['currency'],
    additionalProperties: false,
    // exactly one of amount and minor (`properties` repeated so strict validators see them declared)
    oneOf: [
      { properties: { amount: {} }, required: ['amount'] },
      { properties: { minor: {} }, required: ['minor'] },
    ],
    allOf: [
      ...others.map(([exponent, codes]) => ({ if: ifCurrency(codes), then: amountWith(exponent) })),
      { if: ifCurrency(others.flatMap(([, codes]) => codes)), else: amountWith(commonExponent) },
    ],
  };
}

/**
 * An amount a command gives in the currency of its plan or payment (`readAmountIn`): a decimal
 * string or an integer in major units, or an amount object. (That it is in that currency, with
 * no more decimals than it has, is the door's to check: the schema does not know the currency.)
 *
 * @example
 * amountInJson('positive').anyOf.length // 3
 */
export function amountInJson(bound: Exclude<Bound, 'percent'> = 'any'): MutableJson {
  const decimal = decimalJson(bound).anyOf as MutableJson[];
  return { anyOf: [...decimal, moneyJson(bound)] };
}

/** An opportunity's amount (`opportunityAmountSchema`): an amount ≥ 0 whose `amount` is a string. */
export function opportunityAmountJson(): MutableJson {
  const json = moneyJson('nonNegative');
  const properties = json.properties as MutableJson;
  properties.amount = (decimalJson('nonNegative').anyOf as MutableJson[])[0]!;
  return json;
}

/** An instant: an ISO 8601 string with an offset. */
export function instantJson(): MutableJson {
  return { type: 'string', format: 'date-time', pattern: INSTANT_PATTERN };
}

/** Write-off tolerances by currency (`{ CNY: "1.00" }`): amounts ≥ 0 with the currency's decimals. */
export function toleranceJson(): MutableJson {
  const patternProperties: MutableJson = {};
  for (const [exponent, codes] of [...codesByExponent()].sort(([a], [b]) => a - b)) {
    const value: MutableJson = { type: 'string', maxLength: DECIMAL_MAX_LENGTH, pattern: decimalsPattern(exponent) };
    addPattern(value, SIGN_PATTERN.nonNegative!);
    patternProperties[`^(?:${codes.join('|')})$`] = value;
  }
  return { type: 'object', propertyNames: currencyJson(), patternProperties };
}

/**
 * A metric's attribute dimension (`attribute:industry`): the prefix, then a name as `nameSchema`
 * reads it — 1 to 100 characters of safe text, never `__proto__`.
 */
export function attributeDimensionJson(): MutableJson {
  return { type: 'string', pattern: '^attribute:[^\\u0000\\uD800-\\uDFFF]{1,100}$', not: { const: 'attribute:__proto__' } };
}

/* ------------------------------------------------------------------ asking a schema */

const accepts = (schema: z.ZodType, value: unknown): boolean => {
  try {
    return schema.safeParse(value).success;
  } catch {
    return false;
  }
};

/** The bound a refined decimal schema enforces, read from its answers (null: none of the known ones). */
function decimalBound(schema: z.ZodType): Bound | null {
  const answers = ['-1', '0', '1', '100', '101', '0.5'].map((v) => (accepts(schema, v) ? 'y' : 'n')).join('');
  const known: Record<string, Bound> = { yyyyyy: 'any', nyyyyy: 'nonNegative', nnyyyy: 'positive', nyyyny: 'percent' };
  return known[answers] ?? null;
}

/** The bound a refined amount schema enforces, and whether it also caps minor units at 2^53 − 1. */
function moneyBound(schema: z.ZodType): { bound: Exclude<Bound, 'percent'>; capped: boolean } | null {
  const answers = ['-1', '0', '1'].map((amount) => (accepts(schema, { currency: 'CNY', amount }) ? 'y' : 'n')).join('');
  const known: Record<string, Exclude<Bound, 'percent'>> = { yyy: 'any', nyy: 'nonNegative', nny: 'positive' };
  const bound = known[answers];
  if (bound === undefined) return null;
  return { bound, capped: !accepts(schema, { currency: 'CNY', minor: '90071992547409930' }) };
}

const CHECKS = new Map<unknown, KnownCheck>();
const checkOf = (schema: z.ZodType, index: number): unknown => (schema as unknown as { _zod: { def: { checks: unknown[] } } })._zod.def.checks.at(index);
CHECKS.set(checkOf(textSchema, 0), { kind: 'text', apply: (json) => addPattern(json, SAFE_TEXT_PATTERN) });
CHECKS.set(checkOf(nameSchema, -1), { kind: 'name', apply: (json) => (json.not = { const: '__proto__' }) });
CHECKS.set(checkOf(timeZoneSchema, 0), {
  kind: 'timeZone',
  partial: true,
  apply: (json) => Object.assign(json, { minLength: 1, maxLength: 64, examples: ['Asia/Shanghai'] }),
});
CHECKS.set(checkOf(dateKeySchema as unknown as z.ZodType, 0), { kind: 'dateKey', apply: (json) => Object.assign(json, { format: 'date', pattern: DATE_KEY_PATTERN }) });

const inputOf = (schema: unknown): unknown => (schema as { _zod: { def: { in: unknown } } })._zod.def.in;

const LEAVES = new Map<unknown, Leaf>([
  [inputOf(instantSchema), { kind: 'instant', json: instantJson }],
  [currencyCodeSchema, { kind: 'currency', json: currencyJson }],
  [inputOf(decimalSchema), { kind: 'decimal', json: () => decimalJson('any') }],
  [inputOf(moneySchema), { kind: 'money', json: () => moneyJson('any') }],
  // an opportunity's amount: an amount ≥ 0, written { currency, amount: "…" } or { currency, minor }
  // (the object zod reads before the kernel does: amount only as a string); at most 2^53 − 1 minor units
  [inputOf(opportunityAmountSchema), { kind: 'money', json: opportunityAmountJson, partial: true }],
]);

/** Leaves found only behind a module's internal schema: registered by identity where they are exported. */
export function registerLeaf(schema: unknown, leaf: Leaf): void {
  LEAVES.set(schema, leaf);
}

/**
 * What the converter knows of the library's building blocks.
 *
 * @example
 * convert(poolPolicySchema, VOCABULARY)
 */
export const VOCABULARY: Vocabulary = {
  leaves: LEAVES,
  checks: CHECKS,
  refineLeaf(kind, schema) {
    if (kind === 'decimal') {
      const bound = decimalBound(schema);
      return bound === null ? null : { json: decimalJson(bound), partial: false };
    }
    if (kind === 'money') {
      const found = moneyBound(schema);
      // a cap of 2^53 − 1 minor units is not written in the schema: reported as a refinement
      return found === null ? null : { json: moneyJson(found.bound), partial: found.capped };
    }
    return null;
  },
  refineString(schema) {
    // `must not be blank` (a trimmed length above 0): some character that is not white space
    if (accepts(schema, 'x') && !accepts(schema, ' ') && !accepts(schema, '\t\n ')) return (json) => addPattern(json, '\\S');
    return null;
  },
};
