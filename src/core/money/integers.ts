/**
 * Exact integers for the money kernel: a `number` while it is a safe integer, a `bigint` beyond
 * (the canonical form, so two equal values are always `===`-equal in the same type), and the
 * powers of ten both need. Internal to `src/core/money`.
 */

/**
 * An exact integer: a safe-integer `number`, or a `bigint` when it is beyond ±(2^53 − 1).
 *
 * @example
 * const minor: ExactInteger = 10000004912345635n; // CNY 100,000,049,123,456.35
 */
export type ExactInteger = number | bigint;

/** 2^53 − 1. @example n <= MAX_SAFE && n >= -MAX_SAFE // a safe integer */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);

/** 10^0 … 10^15: every power of ten that is a safe integer (10^16 > 2^53). @example POW10[2] // 100 */
export const POW10: readonly number[] = Array.from({ length: 16 }, (_, k) => 10 ** k);
/** The largest k in `POW10`. @example k <= MAX_POW10_NUMBER ? POW10[k] : pow10Big(k) */
export const MAX_POW10_NUMBER = 15;

const POW10_BIG: bigint[] = Array.from({ length: 64 }, (_, k) => 10n ** BigInt(k));

/** 10^k as a bigint. @example pow10Big(20) // 100000000000000000000n */
export function pow10Big(k: number): bigint {
  return k < POW10_BIG.length ? POW10_BIG[k]! : 10n ** BigInt(k);
}

/** The canonical form of an exact integer: a `number` when safe, else the `bigint`. @example canonical(12n) // 12 */
export function canonical(value: bigint): ExactInteger {
  return value >= -MAX_SAFE_BIG && value <= MAX_SAFE_BIG ? Number(value) : value;
}

/** The canonical form of an exact integer given as either type (a safe `bigint` becomes a `number`, −0 becomes 0). @example canonicalInteger(-0) // 0 */
export function canonicalInteger(value: ExactInteger): ExactInteger {
  return typeof value === 'bigint' ? canonical(value) : value + 0;
}

/** An exact integer as a bigint. @example toBig(5) // 5n */
export function toBig(value: ExactInteger): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

/** Whether a value is an exact integer: a safe-integer `number` or any `bigint`. @example isExactInteger(1.5) // false */
export function isExactInteger(value: unknown): value is ExactInteger {
  return typeof value === 'bigint' || Number.isSafeInteger(value);
}

/** −1, 0 or 1. @example signOf(-3n) // -1 */
export function signOf(value: ExactInteger): -1 | 0 | 1 {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

/** Compares two exact integers of either type. @example compareIntegers(2 ** 53 - 1, 2n ** 53n) // -1 */
export function compareIntegers(a: ExactInteger, b: ExactInteger): -1 | 0 | 1 {
  // `<` and `>` compare a number with a bigint exactly.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** a + b, exact. @example addIntegers(Number.MAX_SAFE_INTEGER, 1) // 9007199254740992n */
export function addIntegers(a: ExactInteger, b: ExactInteger): ExactInteger {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (s <= MAX_SAFE && s >= -MAX_SAFE) return s + 0;
  }
  return canonical(toBig(a) + toBig(b));
}

/** a − b, exact. @example subtractIntegers(-Number.MAX_SAFE_INTEGER, 1) // -9007199254740992n */
export function subtractIntegers(a: ExactInteger, b: ExactInteger): ExactInteger {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a - b;
    if (s <= MAX_SAFE && s >= -MAX_SAFE) return s + 0;
  }
  return canonical(toBig(a) - toBig(b));
}

/** a × b, exact. @example multiplyIntegers(2 ** 30, 2 ** 30) // 1152921504606846976n */
export function multiplyIntegers(a: ExactInteger, b: ExactInteger): ExactInteger {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b;
    if (p <= MAX_SAFE && p >= -MAX_SAFE) return p + 0;
  }
  return canonical(toBig(a) * toBig(b));
}

/** −a, exact. @example negateInteger(0) // 0 (never −0) */
export function negateInteger(a: ExactInteger): ExactInteger {
  return typeof a === 'number' ? 0 - a : canonical(-a);
}

/** a × 10^k (k ≥ 0), exact. @example shiftInteger(123, 2) // 12300 */
export function shiftInteger(a: ExactInteger, k: number): ExactInteger {
  if (k === 0) return a;
  if (typeof a === 'number' && k <= MAX_POW10_NUMBER) {
    const p = a * POW10[k]!;
    if (p <= MAX_SAFE && p >= -MAX_SAFE) return p + 0;
  }
  return canonical(toBig(a) * pow10Big(k));
}

/** The decimal digits of |a|. @example absDigits(-5n) // '5' */
export function absDigits(a: ExactInteger): string {
  const s = a.toString();
  return s.charCodeAt(0) === 45 /* - */ ? s.slice(1) : s;
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's constant for doubles
/** 2^51: the largest divisor `mulDivFloor` takes. @example sum <= MAX_MULDIV_DIVISOR */
export const MAX_MULDIV_DIVISOR = 2251799813685248;

/** The remainder of the last `mulDivFloor` (a module slot, so the hot loop allocates nothing). @example mulDivFloor(7, 3, 4); mulDivRemainder // 1 */
export let mulDivRemainder = 0;

/**
 * floor(a × b / d) for integers 0 ≤ a, b ≤ 2^53 − 1 and 0 < d ≤ 2^51 whose quotient is below
 * 2^53, even when a × b is not a safe integer; the remainder goes to `mulDivRemainder`.
 * Exact: a × b and q × d are each carried as a double plus its exact rounding error (Dekker's
 * product), the float quotient is off by at most 2, and the remainder — a small integer — is
 * recovered exactly and corrects it.
 *
 * @example
 * mulDivFloor(2 ** 52, 3, 7) // 1930114126015926 (2^52 × 3 is past 2^53), remainder 6
 */
export function mulDivFloor(a: number, b: number, d: number): number {
  const p = a * b;
  let q = Math.floor(p / d);
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl; // a × b − p, exactly
  const s = q * d;
  c = SPLIT * q;
  const qh = c - (c - q);
  const ql = q - qh;
  c = SPLIT * d;
  const dh = c - (c - d);
  const dl = d - dh;
  const f = qh * dh - s + qh * dl + ql * dh + ql * dl; // q × d − s, exactly
  let r = p - s + (e - f);
  while (r < 0) {
    q -= 1;
    r += d;
  }
  while (r >= d) {
    q += 1;
    r -= d;
  }
  mulDivRemainder = r;
  return q;
}
