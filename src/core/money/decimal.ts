/**
 * Exact decimals for everything that is not an amount of money: quantities (2.5 箱), rates and
 * discounts (0.125, 13%), unit prices with more decimals than the currency (99.123456789). A
 * `Decimal` is `units / 10^scale` with integer `units`, so nothing is ever a binary float.
 */
import { z } from 'zod';
import type { CrmError } from '../errors.js';
import { ok, type Result } from '../result.js';
import {
  absDigits,
  addIntegers,
  canonical,
  compareIntegers,
  isExactInteger,
  multiplyIntegers,
  negateInteger,
  shiftInteger,
  signOf,
  type ExactInteger,
} from './integers.js';
import { moneyRefusal, invalidInput } from './refusals.js';
import { readRounding, roundRatioUnchecked, type RoundingInput } from './rounding.js';
import { describeValue } from '../foreign.js';
import { InvariantError } from '../errors.js';
import { pathOf, type InputIssue } from '../validation.js';

declare const decimalBrand: unique symbol;

/**
 * An exact decimal number: `units / 10^scale`. Canonical (trailing zeros dropped, so "0.50" and
 * "0.5" are the same `{ units: 5, scale: 1 }`; `units` a number while it is a safe integer, a
 * bigint beyond), frozen, and only made by `parseDecimal`, `decimalSchema` or the kernel's own
 * operations — so a `Decimal` is always valid. Its scale is at most `MAX_KERNEL_SCALE`.
 *
 * @example
 * const rate: Decimal = unwrap(parseDecimal('0.125')); // { units: 125, scale: 3 }
 */
export interface Decimal {
  readonly units: ExactInteger;
  readonly scale: number;
  readonly [decimalBrand]: true;
}

/**
 * The most decimals a parsed decimal may carry (products of decimals may carry more).
 *
 * @example
 * parseDecimal('0.' + '1'.repeat(19)).ok // false
 */
export const MAX_DECIMAL_SCALE = 18;

const MAX_DECIMAL_STRING_LENGTH = 80;

/**
 * The most decimals any `Decimal` the kernel works with may carry: products of decimals add
 * their scales, so a product of more than 55 parsed decimals must be rounded (`roundDecimal`)
 * on the way. A longer scale is refused (`INVALID_INPUT`, or `InvariantError` from a function
 * that returns a plain value), so a hostile `{ units, scale: 1e9 }` never costs a huge power
 * of ten.
 *
 * @example
 * MAX_KERNEL_SCALE // 1000
 */
export const MAX_KERNEL_SCALE = 1000;

/**
 * The most decimals `divideDecimals` rounds a quotient to: a quotient with more would not
 * parse back (`MAX_DECIMAL_SCALE`), and the exact division it needs grows with every place.
 *
 * @example
 * divideDecimals(one, three, 19).ok // false: INVALID_INPUT at places
 */
export const MAX_DIVISION_PLACES = MAX_DECIMAL_SCALE;

/**
 * Builds the canonical frozen decimal units / 10^scale (scale ≥ 0; internal: the only maker).
 *
 * @example
 * makeDecimal(1250, 4) // { units: 125, scale: 3 }
 */
export function makeDecimal(units: ExactInteger, scale: number): Decimal {
  let u = units;
  let s = scale;
  if (typeof u === 'number') {
    if (u === 0) s = 0;
    while (s > 0 && u % 10 === 0) {
      u /= 10;
      s--;
    }
    return Object.freeze({ units: u + 0, scale: s }) as Decimal;
  }
  if (u === 0n) s = 0;
  while (s > 0 && u % 10n === 0n) {
    u /= 10n;
    s--;
  }
  return Object.freeze({ units: canonical(u), scale: s }) as Decimal;
}

/** 0 as a decimal. @example compareDecimals(DECIMAL_ZERO, unwrap(parseDecimal('0.00'))) // 0 */
export const DECIMAL_ZERO: Decimal = makeDecimal(0, 0);

/** 1 as a decimal (100%). @example subtractDecimals(DECIMAL_ONE, discount) // what the customer keeps */
export const DECIMAL_ONE: Decimal = makeDecimal(1, 0);

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Reads a decimal from a string ("1234.56", "-0.05", "13"), a safe integer, a bigint, or a
 * `{ units, scale }` object; returns the decimal or the reason it is refused (internal).
 *
 * @example
 * readDecimal('0.50') // { units: 5, scale: 1 }
 * readDecimal(0.1) // '0.1 is a binary float, not an exact decimal: …'
 */
export function readDecimal(input: unknown): Decimal | string {
  if (typeof input === 'string') {
    if (input.length > MAX_DECIMAL_STRING_LENGTH) return `expected at most ${MAX_DECIMAL_STRING_LENGTH} characters`;
    const m = DECIMAL_PATTERN.exec(input);
    if (!m) return `expected a decimal string such as "1234.56" or "-0.05", got ${JSON.stringify(input)}`;
    const fraction = (m[3] ?? '').replace(/0+$/, '');
    if (fraction.length > MAX_DECIMAL_SCALE) return `at most ${MAX_DECIMAL_SCALE} decimals, got ${fraction.length}`;
    const digits = m[2]! + fraction;
    let units: ExactInteger = digits.length <= 15 ? Number(digits) : canonical(BigInt(digits));
    if (m[1] === '-') units = negateInteger(units);
    return makeDecimal(units, fraction.length);
  }
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input)) return makeDecimal(input, 0);
    if (!Number.isFinite(input)) return `expected a finite decimal, got ${String(input)}`;
    if (Number.isInteger(input)) return `${input} is beyond 2^53, where a number is no longer exact: pass a string or a bigint`;
    return `${input} is a binary float, not an exact decimal: pass it as a string such as "${input}"`;
  }
  if (typeof input === 'bigint') return makeDecimal(input, 0);
  if (typeof input === 'object' && input !== null) {
    // read once, and a getter or a Proxy that throws is simply not a decimal
    let units: unknown;
    let scale: unknown;
    try {
      if (!('units' in input && 'scale' in input)) return DECIMAL_EXPECTED;
      units = (input as { units: unknown }).units;
      scale = (input as { scale: unknown }).scale;
    } catch {
      return 'the decimal could not be read';
    }
    if (!isExactInteger(units)) return 'units must be a safe integer or a bigint';
    if (!Number.isSafeInteger(scale) || (scale as number) < 0) return 'scale must be a whole number ≥ 0';
    if ((scale as number) > MAX_KERNEL_SCALE) return `at most ${MAX_DECIMAL_SCALE} decimals, got ${scale as number}`;
    const d = makeDecimal(units, scale as number);
    if (d.scale > MAX_DECIMAL_SCALE) return `at most ${MAX_DECIMAL_SCALE} decimals, got ${d.scale}`;
    return d;
  }
  return DECIMAL_EXPECTED;
}

const DECIMAL_EXPECTED = 'expected a decimal: a string such as "0.125", an integer, a bigint or { units, scale }';

/**
 * A decimal argument read once (units and scale), as a plain `{ units, scale }` holding what
 * was read — or `undefined` when it is not one the kernel could have made (units not an exact
 * integer, scale not a whole number from 0 to `MAX_KERNEL_SCALE`, a getter or Proxy that
 * throws). Not canonical and not frozen: internal, never handed out (wrap it in `makeDecimal`
 * first). Never throws.
 *
 * @example
 * decimalArg({ units: 50, scale: 2 }) // { units: 50, scale: 2 }
 */
export function decimalArg(value: unknown): Decimal | undefined {
  if (!readDecimalFields(value)) return undefined;
  return { units: fieldUnits, scale: fieldScale } as unknown as Decimal;
}

/**
 * A decimal argument of a function that returns a plain value, checked in place (no copy): one
 * the kernel did not make is a caller's bug (`InvariantError`). Internal.
 *
 * @example
 * decimalOrThrow(rate, 'rate')
 */
export function decimalOrThrow(value: unknown, name: string): Decimal {
  // checked in place, no copy: these are the arithmetic hot paths
  try {
    if (typeof value === 'object' && value !== null) {
      const u = (value as Decimal).units;
      const sc = (value as Decimal).scale;
      if ((typeof u === 'number' ? Number.isSafeInteger(u) : typeof u === 'bigint') && Number.isSafeInteger(sc) && sc >= 0 && sc <= MAX_KERNEL_SCALE) return value as Decimal;
    }
  } catch {
    // a getter or a Proxy that throws: not a Decimal
  }
  throw new InvariantError(`${name} is not a Decimal (got ${describeValue(value)}); parse it with parseDecimal`);
}

function notADecimal(path: string): InputIssue {
  return { path: [path], message: 'expected a Decimal (parse it with parseDecimal)', code: 'invalid_type' };
}

/** A kernel result's scale must stay within `MAX_KERNEL_SCALE`. */
function checkedScale(scale: number): number {
  if (scale > MAX_KERNEL_SCALE) throw new InvariantError(`a product with ${scale} decimals: round it (roundDecimal) on the way, at most ${MAX_KERNEL_SCALE} are kept`);
  return scale;
}

/**
 * An exact decimal at the door: a string ("0.125", "13", "-1.000000001"), a safe integer, a
 * bigint, or `{ units, scale }`. A fractional `number` is refused — 0.1 is not 0.1 in binary —
 * as are NaN, ±Infinity and more than `MAX_DECIMAL_SCALE` decimals.
 *
 * @example
 * z.object({ quantity: decimalSchema }).parse({ quantity: '2.5' }).quantity // { units: 25, scale: 1 }
 */
export const decimalSchema = z.unknown().transform((input, ctx): Decimal => {
  const d = readDecimal(input);
  if (typeof d === 'string') {
    ctx.addIssue({ code: 'custom', message: d });
    return z.NEVER;
  }
  return d;
});

/**
 * Parses an exact decimal (see `decimalSchema`); a bad one is `INVALID_INPUT` at `at`.
 *
 * @example
 * parseDecimal('0.125') // ok({ units: 125, scale: 3 })
 * parseDecimal(0.1) // INVALID_INPUT: a binary float, pass "0.1"
 */
export function parseDecimal(input: unknown, at: readonly (string | number)[] = []): Result<Decimal, CrmError> {
  // the same verdict and issue as decimalSchema, without zod's per-call cost (a door a pricing
  // run passes once per quantity, price and rate)
  const d = readDecimal(input);
  return typeof d === 'string' ? invalidInput([{ path: pathOf(at), message: d, code: 'custom' }]) : ok(d);
}

/**
 * The decimal written out exactly, without exponent or trailing zeros (at least `minScale`
 * decimals if asked, e.g. 2 for a price column).
 *
 * @throws {InvariantError} when an argument is not a `Decimal` from `parseDecimal`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * decimalToString(unwrap(parseDecimal('-1.000000001'))) // '-1.000000001'
 * decimalToString(unwrap(parseDecimal('2.5')), { minScale: 2 }) // '2.50'
 */
export function decimalToString(d: Decimal, options: { readonly minScale?: number } = {}): string {
  const x = decimalOrThrow(d, 'd');
  let minScale: unknown;
  try {
    minScale = options === undefined || options === null ? 0 : (options.minScale ?? 0);
  } catch {
    minScale = undefined;
  }
  if (!Number.isSafeInteger(minScale) || (minScale as number) < 0 || (minScale as number) > MAX_KERNEL_SCALE) {
    throw new InvariantError(`minScale must be a whole number from 0 to ${MAX_KERNEL_SCALE}`);
  }
  return digitsToString(x.units, x.scale, Math.max(x.scale, minScale as number));
}

/**
 * units / 10^scale written with exactly `places` ≥ scale decimals (internal).
 *
 * @example
 * digitsToString(-5, 2, 2) // '-0.05'
 */
export function digitsToString(units: ExactInteger, scale: number, places: number): string {
  let digits = absDigits(units);
  if (places > scale) digits += '0'.repeat(places - scale);
  if (places > 0) {
    if (digits.length <= places) digits = '0'.repeat(places - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
  }
  return units < 0 ? `-${digits}` : digits;
}

/** The units of d at a scale ≥ its own. */
const unitsAt = (d: Decimal, scale: number): ExactInteger => (d.scale === scale ? d.units : shiftInteger(d.units, scale - d.scale));

/**
 * −1, 0 or 1 as a is below, equal to or above b.
 *
 * @throws {InvariantError} when an argument is not a `Decimal` from `parseDecimal`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * compareDecimals(unwrap(parseDecimal('0.3')), unwrap(parseDecimal('0.25'))) // 1
 */
export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  a = decimalOrThrow(a, 'a');
  b = decimalOrThrow(b, 'b');
  const s = a.scale > b.scale ? a.scale : b.scale;
  return compareIntegers(unitsAt(a, s), unitsAt(b, s));
}

/**
 * −1, 0 or 1 by the decimal's sign.
 *
 * @throws {InvariantError} when an argument is not a `Decimal` from `parseDecimal`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * signOfDecimal(unwrap(parseDecimal('-0.05'))) // -1
 */
export function signOfDecimal(d: Decimal): -1 | 0 | 1 {
  return signOf(decimalOrThrow(d, 'd').units);
}

/**
 * a + b, exact.
 *
 * @throws {InvariantError} when an argument is not a `Decimal` from `parseDecimal`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * decimalToString(addDecimals(unwrap(parseDecimal('0.1')), unwrap(parseDecimal('0.2')))) // '0.3'
 */
export function addDecimals(a: Decimal, b: Decimal): Decimal {
  a = decimalOrThrow(a, 'a');
  b = decimalOrThrow(b, 'b');
  const s = a.scale > b.scale ? a.scale : b.scale;
  return makeDecimal(addIntegers(unitsAt(a, s), unitsAt(b, s)), s);
}

/**
 * a − b, exact.
 *
 * @throws {InvariantError} when an argument is not a `Decimal` from `parseDecimal`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * decimalToString(subtractDecimals(DECIMAL_ONE, unwrap(parseDecimal('0.15')))) // '0.85'
 */
export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  a = decimalOrThrow(a, 'a');
  b = decimalOrThrow(b, 'b');
  const s = a.scale > b.scale ? a.scale : b.scale;
  return makeDecimal(addIntegers(unitsAt(a, s), negateInteger(unitsAt(b, s))), s);
}

/**
 * a × b, exact (the scales add up; nothing is rounded). A product with more than
 * `MAX_DECIMAL_SCALE` decimals is valid here but would not parse back from its string: round it
 * with `roundDecimal` before storing it. One with more than `MAX_KERNEL_SCALE` throws
 * `InvariantError`.
 *
 * @throws {InvariantError} when an argument is not a `Decimal` from `parseDecimal`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * decimalToString(multiplyDecimals(unwrap(parseDecimal('1.5')), unwrap(parseDecimal('0.13')))) // '0.195'
 */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  a = decimalOrThrow(a, 'a');
  b = decimalOrThrow(b, 'b');
  return makeDecimal(multiplyIntegers(a.units, b.units), checkedScale(a.scale + b.scale));
}

/**
 * −d.
 *
 * @throws {InvariantError} when an argument is not a `Decimal` from `parseDecimal`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * decimalToString(negateDecimal(unwrap(parseDecimal('2.5')))) // '-2.5'
 */
export function negateDecimal(d: Decimal): Decimal {
  d = decimalOrThrow(d, 'd');
  return makeDecimal(negateInteger(d.units), d.scale);
}

/**
 * A percentage as a rate: 15 → 0.15, "12.5" → 0.125, exactly.
 *
 * @throws {InvariantError} when an argument is not a `Decimal` from `parseDecimal`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * decimalToString(percentToRate(unwrap(parseDecimal('13')))) // '0.13'
 */
export function percentToRate(percent: Decimal): Decimal {
  percent = decimalOrThrow(percent, 'percent');
  return makeDecimal(percent.units, checkedScale(percent.scale + 2));
}

function placesIssue(places: unknown, max: number) {
  return Number.isSafeInteger(places) && (places as number) >= 0 && (places as number) <= max
    ? undefined
    : { path: ['places'], message: `expected a whole number of decimals from 0 to ${max}`, code: 'invalid_type' };
}

/**
 * The decimal rounded once to at most `places` decimals (e.g. a sale unit price to the price
 * list's 4 decimals); `places` not a whole number from 0 to `MAX_KERNEL_SCALE`, a `d` that is
 * not a Decimal or a rounding that is not a mode or a valid policy is `INVALID_INPUT`. Never
 * throws.
 *
 * @example
 * roundDecimal(unwrap(parseDecimal('2.345')), 2) // ok(2.35)
 * roundDecimal(unwrap(parseDecimal('2.345')), 2, 'halfEven') // ok(2.34)
 */
export function roundDecimal(d: Decimal, places: number, rounding?: RoundingInput): Result<Decimal, CrmError> {
  const read = readDecimalFields(d);
  const u = fieldUnits;
  const sc = fieldScale;
  const spec = readRounding(rounding);
  const issue = placesIssue(places, MAX_KERNEL_SCALE);
  if (!read || issue !== undefined || 'message' in spec) {
    return invalidInput([...(read ? [] : [notADecimal('d')]), ...(issue ? [issue] : []), ...('message' in spec ? [spec] : [])]);
  }
  if (sc <= places) return ok(sameDecimal(d, u, sc) ?? makeDecimal(u, sc));
  return ok(makeDecimal(roundRatioUnchecked(u, shiftInteger(1, sc - places), spec.code, 1), places));
}

let fieldUnits: ExactInteger = 0;
let fieldScale = 0;

/** Reads a decimal's fields once into `fieldUnits` / `fieldScale` (no allocation); false if it is not one. Never throws. */
function readDecimalFields(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  let units: unknown;
  let scale: unknown;
  try {
    units = (value as Decimal).units;
    scale = (value as Decimal).scale;
  } catch {
    return false;
  }
  if (!(typeof units === 'number' ? Number.isSafeInteger(units) : typeof units === 'bigint')) return false;
  if (!(Number.isSafeInteger(scale) && (scale as number) >= 0 && (scale as number) <= MAX_KERNEL_SCALE)) return false;
  fieldUnits = units as ExactInteger;
  fieldScale = scale as number;
  return true;
}

/** The caller's own Decimal when it is a frozen kernel value holding exactly what was read, else undefined. */
function sameDecimal(d: unknown, units: ExactInteger, scale: number): Decimal | undefined {
  try {
    return Object.isFrozen(d) && (d as Decimal).units === units && (d as Decimal).scale === scale ? (d as Decimal) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * a / b rounded once to `places` decimals (e.g. a discount rate 1 − net/list to 4 decimals),
 * `places` a whole number from 0 to `MAX_DIVISION_PLACES` (18), else `INVALID_INPUT` (as are
 * operands that are not Decimals and a rounding that is not a mode or a valid policy; a
 * policy's increment is not used here). b = 0 is refused (`MONEY_DIVISION_BY_ZERO`). Never
 * throws.
 *
 * @example
 * divideDecimals(unwrap(parseDecimal('1')), unwrap(parseDecimal('3')), 4) // ok(0.3333)
 */
export function divideDecimals(a: Decimal, b: Decimal, places: number, rounding?: RoundingInput): Result<Decimal, CrmError> {
  const readA = readDecimalFields(a);
  const aUnits = fieldUnits;
  const aScale = fieldScale;
  const readB = readDecimalFields(b);
  const bUnits = fieldUnits;
  const bScale = fieldScale;
  const spec = readRounding(rounding);
  const issue = placesIssue(places, MAX_DIVISION_PLACES);
  if (!readA || !readB || issue !== undefined || 'message' in spec) {
    return invalidInput([
      ...(readA ? [] : [notADecimal('a')]),
      ...(readB ? [] : [notADecimal('b')]),
      ...(issue ? [issue] : []),
      ...('message' in spec ? [spec] : []),
    ]);
  }
  if (bUnits === 0) {
    return moneyRefusal('MONEY_DIVISION_BY_ZERO', { path: ['divisor'], message: 'division by zero', code: 'custom' }, { amount: digitsToString(aUnits, aScale, aScale) });
  }
  // a/b × 10^places = a.units × 10^(b.scale + places) / (b.units × 10^a.scale)
  const k = bScale + places - aScale;
  const n = k >= 0 ? shiftInteger(aUnits, k) : aUnits;
  const d = k >= 0 ? bUnits : shiftInteger(bUnits, -k);
  return ok(makeDecimal(roundRatioUnchecked(n, d, spec.code, 1), places));
}
