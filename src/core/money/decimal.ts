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
import { roundingCode, roundRatioUnchecked, type RoundingInput } from './rounding.js';

declare const decimalBrand: unique symbol;

/**
 * An exact decimal number: `units / 10^scale`. Canonical (trailing zeros dropped, so "0.50" and
 * "0.5" are the same `{ units: 5, scale: 1 }`; `units` a number while it is a safe integer, a
 * bigint beyond), frozen, and only made by `parseDecimal`, `decimalSchema` or the kernel's own
 * operations — so a `Decimal` is always valid.
 *
 * @example
 * const rate: Decimal = value(parseDecimal('0.125')); // { units: 125, scale: 3 }
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

/** 0 as a decimal. @example compareDecimals(DECIMAL_ZERO, value(parseDecimal('0.00'))) // 0 */
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
  if (typeof input === 'object' && input !== null && 'units' in input && 'scale' in input) {
    const { units, scale } = input as { units: unknown; scale: unknown };
    if (!isExactInteger(units)) return 'units must be a safe integer or a bigint';
    if (!Number.isSafeInteger(scale) || (scale as number) < 0) return 'scale must be a whole number ≥ 0';
    const d = makeDecimal(units, scale as number);
    if (d.scale > MAX_DECIMAL_SCALE) return `at most ${MAX_DECIMAL_SCALE} decimals, got ${d.scale}`;
    return d;
  }
  return 'expected a decimal: a string such as "0.125", an integer, a bigint or { units, scale }';
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
  return typeof d === 'string' ? invalidInput([{ path: [...at], message: d, code: 'custom' }]) : ok(d);
}

/**
 * The decimal written out exactly, without exponent or trailing zeros (at least `minScale`
 * decimals if asked, e.g. 2 for a price column).
 *
 * @example
 * decimalToString(value(parseDecimal('-1.000000001'))) // '-1.000000001'
 * decimalToString(value(parseDecimal('2.5')), { minScale: 2 }) // '2.50'
 */
export function decimalToString(d: Decimal, options: { readonly minScale?: number } = {}): string {
  return digitsToString(d.units, d.scale, Math.max(d.scale, Math.trunc(options.minScale ?? 0)));
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
 * @example
 * compareDecimals(value(parseDecimal('0.3')), value(parseDecimal('0.25'))) // 1
 */
export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const s = a.scale > b.scale ? a.scale : b.scale;
  return compareIntegers(unitsAt(a, s), unitsAt(b, s));
}

/**
 * −1, 0 or 1 by the decimal's sign.
 *
 * @example
 * signOfDecimal(value(parseDecimal('-0.05'))) // -1
 */
export function signOfDecimal(d: Decimal): -1 | 0 | 1 {
  return signOf(d.units);
}

/**
 * a + b, exact.
 *
 * @example
 * decimalToString(addDecimals(value(parseDecimal('0.1')), value(parseDecimal('0.2')))) // '0.3'
 */
export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const s = a.scale > b.scale ? a.scale : b.scale;
  return makeDecimal(addIntegers(unitsAt(a, s), unitsAt(b, s)), s);
}

/**
 * a − b, exact.
 *
 * @example
 * decimalToString(subtractDecimals(DECIMAL_ONE, value(parseDecimal('0.15')))) // '0.85'
 */
export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  const s = a.scale > b.scale ? a.scale : b.scale;
  return makeDecimal(addIntegers(unitsAt(a, s), negateInteger(unitsAt(b, s))), s);
}

/**
 * a × b, exact (the scales add up; nothing is rounded). A product with more than
 * `MAX_DECIMAL_SCALE` decimals is valid here but would not parse back from its string: round it
 * with `roundDecimal` before storing it.
 *
 * @example
 * decimalToString(multiplyDecimals(value(parseDecimal('1.5')), value(parseDecimal('0.13')))) // '0.195'
 */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return makeDecimal(multiplyIntegers(a.units, b.units), a.scale + b.scale);
}

/**
 * −d.
 *
 * @example
 * decimalToString(negateDecimal(value(parseDecimal('2.5')))) // '-2.5'
 */
export function negateDecimal(d: Decimal): Decimal {
  return makeDecimal(negateInteger(d.units), d.scale);
}

/**
 * A percentage as a rate: 15 → 0.15, "12.5" → 0.125, exactly.
 *
 * @example
 * decimalToString(percentToRate(value(parseDecimal('13')))) // '0.13'
 */
export function percentToRate(percent: Decimal): Decimal {
  return makeDecimal(percent.units, percent.scale + 2);
}

function placesIssue(places: unknown) {
  return Number.isSafeInteger(places) && (places as number) >= 0
    ? undefined
    : { path: ['places'], message: 'expected a whole number of decimals ≥ 0', code: 'invalid_type' };
}

/**
 * The decimal rounded once to at most `places` decimals (e.g. a sale unit price to the price
 * list's 4 decimals); `places` not a whole number ≥ 0 is `INVALID_INPUT`.
 *
 * @example
 * roundDecimal(value(parseDecimal('2.345')), 2) // ok(2.35)
 * roundDecimal(value(parseDecimal('2.345')), 2, 'halfEven') // ok(2.34)
 */
export function roundDecimal(d: Decimal, places: number, rounding?: RoundingInput): Result<Decimal, CrmError> {
  const issue = placesIssue(places);
  if (issue) return invalidInput([issue]);
  if (d.scale <= places) return ok(d);
  return ok(makeDecimal(roundRatioUnchecked(d.units, shiftInteger(1, d.scale - places), roundingCode(rounding), 1), places));
}

/**
 * a / b rounded once to `places` decimals (e.g. a discount rate 1 − net/list to 4 decimals).
 * b = 0 is refused (`MONEY_DIVISION_BY_ZERO`).
 *
 * @example
 * divideDecimals(value(parseDecimal('1')), value(parseDecimal('3')), 4) // ok(0.3333)
 */
export function divideDecimals(a: Decimal, b: Decimal, places: number, rounding?: RoundingInput): Result<Decimal, CrmError> {
  const issue = placesIssue(places);
  if (issue) return invalidInput([issue]);
  if (b.units === 0) {
    return moneyRefusal('MONEY_DIVISION_BY_ZERO', { path: ['divisor'], message: 'division by zero', code: 'custom' }, { amount: decimalToString(a) });
  }
  // a/b × 10^places = a.units × 10^(b.scale + places) / (b.units × 10^a.scale)
  const k = b.scale + places - a.scale;
  const n = k >= 0 ? shiftInteger(a.units, k) : a.units;
  const d = k >= 0 ? b.units : shiftInteger(b.units, -k);
  return ok(makeDecimal(roundRatioUnchecked(n, d, roundingCode(rounding), 1), places));
}

