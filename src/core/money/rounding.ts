/**
 * Rounding: the eight named modes, the one integer division every rounded result goes through,
 * and a parsed rounding policy (mode + cash increment).
 */
import { z } from 'zod';
import { InvariantError, type CrmError } from '../errors.js';
import { ok, type Result } from '../result.js';
import { parseInput, type InputIssue } from '../validation.js';
import { invalidInput } from './refusals.js';
import { describeValue } from '../foreign.js';
import { canonical, isExactInteger, toBig, type ExactInteger } from './integers.js';

/**
 * How an exact value is brought to a whole number of units (minor units, or increments):
 *
 * | mode | ties (x.5) | other values | 2.5 | −2.5 | 2.4 | −2.6 |
 * |---|---|---|---|---|---|---|
 * | `halfAwayFromZero` (四舍五入, commercial; the default) | away from zero | nearest | 3 | −3 | 2 | −3 |
 * | `halfEven` (banker's, 银行家舍入) | to the even neighbour | nearest | 2 | −2 | 2 | −3 |
 * | `halfUp` | toward +∞ | nearest | 3 | −2 | 2 | −3 |
 * | `halfDown` | toward −∞ | nearest | 2 | −3 | 2 | −3 |
 * | `up` | — | away from zero | 3 | −3 | 3 | −3 |
 * | `down` (truncate) | — | toward zero | 2 | −2 | 2 | −2 |
 * | `ceil` | — | toward +∞ | 3 | −2 | 3 | −2 |
 * | `floor` | — | toward −∞ | 2 | −3 | 2 | −3 |
 *
 * Note `halfUp`/`halfDown` mean ties toward +∞/−∞ here (as in dinero.js and JavaScript's
 * `Math.round`), not Java's HALF_UP, which is our `halfAwayFromZero`.
 *
 * @example
 * const mode: RoundingMode = 'halfEven';
 */
export type RoundingMode = 'halfAwayFromZero' | 'halfEven' | 'halfUp' | 'halfDown' | 'up' | 'down' | 'ceil' | 'floor';

/**
 * Every rounding mode, the default first.
 *
 * @example
 * ROUNDING_MODES.includes('halfEven') // true
 */
export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze([
  'halfAwayFromZero',
  'halfEven',
  'halfUp',
  'halfDown',
  'up',
  'down',
  'ceil',
  'floor',
] as const);

/**
 * The mode used when none is given: half away from zero (四舍五入), what Chinese invoices and
 * most quotes expect.
 *
 * @example
 * DEFAULT_ROUNDING_MODE // 'halfAwayFromZero'
 */
export const DEFAULT_ROUNDING_MODE: RoundingMode = 'halfAwayFromZero';

/**
 * One of the rounding mode names.
 *
 * @example
 * roundingModeSchema.parse('halfEven') // 'halfEven'
 */
export const roundingModeSchema = z.enum(ROUNDING_MODES as [RoundingMode, ...RoundingMode[]]);

declare const roundingBrand: unique symbol;

/**
 * A parsed rounding policy: a mode and a cash-rounding increment in minor units (1 = the
 * currency's own minor unit; 5 for CHF 0.05; 10 for JPY 10; 100 for 抹零 to whole yuan).
 * Only `parseRounding` and `roundingSchema` make one, so a `Rounding` is always valid.
 *
 * @example
 * const swissCash: Rounding = unwrap(parseRounding({ mode: 'halfAwayFromZero', increment: 5 }));
 */
export interface Rounding {
  readonly mode: RoundingMode;
  readonly increment: ExactInteger;
  readonly [roundingBrand]: true;
}

const incrementSchema = z
  .union([z.number(), z.bigint(), z.string().regex(/^\d{1,60}$/, 'expected an integer string such as "5" (at most 60 digits)')])
  .transform((v, ctx) => {
    const n = typeof v === 'string' ? canonical(BigInt(v)) : typeof v === 'bigint' ? canonical(v) : v;
    if (!isExactInteger(n) || n <= 0) {
      ctx.addIssue({ code: 'custom', message: 'expected a positive whole number of minor units (e.g. 5 for 0.05 CHF)' });
      return z.NEVER;
    }
    return n;
  });

/**
 * A rounding policy as a host stores it (`{ mode?, increment? }`, increment in minor units,
 * default mode `halfAwayFromZero`, default increment 1), parsed into a `Rounding`.
 *
 * @example
 * roundingSchema.parse({ mode: 'halfEven' }) // { mode: 'halfEven', increment: 1 }
 */
export const roundingSchema = z
  .object({ mode: roundingModeSchema.optional(), increment: incrementSchema.optional() })
  .strict()
  .transform((r) => makeRounding(r.mode ?? DEFAULT_ROUNDING_MODE, r.increment ?? 1));

/**
 * Parses a rounding policy; a bad mode or a non-positive or fractional increment is
 * `INVALID_INPUT` with its issues.
 *
 * @example
 * parseRounding({ mode: 'halfAwayFromZero', increment: 5 }) // ok: round to 0.05 (CHF cash)
 * parseRounding({ increment: 0.5 }) // INVALID_INPUT at increment
 */
export function parseRounding(input: unknown, at: readonly (string | number)[] = []): Result<Rounding, CrmError> {
  return parseInput(roundingSchema, input, at);
}

/** The policies `parseRounding` made: frozen plain data, so their spec never changes. */
const madeRoundings = new WeakSet<object>();

function makeRounding(mode: RoundingMode, increment: ExactInteger): Rounding {
  const r = Object.freeze({ mode, increment }) as Rounding;
  madeRoundings.add(r);
  return r;
}

/** One-entry memo of the last parsed policy read (a pricing run passes the same one per line). */
let lastRounding: object | undefined;
let lastSpec: RoundingSpec | undefined;

// ───────────────────────────── the one rounded division ─────────────────────────────

/** Mode numbers for the hot path (an index into `ROUNDING_MODES`). @example ROUNDING_MODES[modeCode('halfEven')] // 'halfEven' */
export type ModeCode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
const HALF_AWAY_FROM_ZERO = 0;
const HALF_EVEN = 1;
const HALF_UP = 2;
const HALF_DOWN = 3;
const UP = 4;
const DOWN = 5;
const CEIL = 6;
const FLOOR = 7;

/** The mode's number; an unknown name is a caller bypassing the types, a bug (`InvariantError`). @example modeCode('floor') // 7 */
export function modeCode(mode: RoundingMode): ModeCode {
  switch (mode) {
    case 'halfAwayFromZero':
      return HALF_AWAY_FROM_ZERO;
    case 'halfEven':
      return HALF_EVEN;
    case 'halfUp':
      return HALF_UP;
    case 'halfDown':
      return HALF_DOWN;
    case 'up':
      return UP;
    case 'down':
      return DOWN;
    case 'ceil':
      return CEIL;
    case 'floor':
      return FLOOR;
    default:
      throw new InvariantError(`Unknown rounding mode ${describeValue(mode)}; parse stored policies with parseRounding or roundingModeSchema`);
  }
}

/** A mode or a parsed policy, as the rounding functions accept it. @example multiplyMoney(price, rate, 'halfEven') */
export type RoundingInput = RoundingMode | Rounding;

/** A rounding argument read once: its mode number and its increment (internal). */
export interface RoundingSpec {
  readonly code: ModeCode;
  readonly increment: ExactInteger;
}

const SPEC_BY_MODE: ReadonlyMap<unknown, RoundingSpec> = new Map(
  ROUNDING_MODES.map((mode, code) => [mode, Object.freeze({ code: code as ModeCode, increment: 1 })] as const),
);
const DEFAULT_SPEC = SPEC_BY_MODE.get(DEFAULT_ROUNDING_MODE)!;
/** The spec of no rounding argument: halfAwayFromZero to the minor unit (internal). @example DEFAULT_ROUNDING_SPEC.increment // 1 */
export const DEFAULT_ROUNDING_SPEC: RoundingSpec = DEFAULT_SPEC;

/**
 * A rounding argument read once — nothing (the default), a mode name, or a policy
 * `{ mode, increment }` with a known mode and a positive whole increment — or the issue that
 * refuses it at `path`. Never throws (internal: the Result-returning doors use it).
 *
 * @example
 * readRounding('halfEven') // { code: 1, increment: 1 }
 * readRounding({ mode: 'ceil', increment: 0 }) // an issue: the increment must be positive
 */
export function readRounding(rounding: unknown, path: readonly (string | number)[] = ['rounding']): RoundingSpec | InputIssue {
  if (rounding === undefined) return DEFAULT_SPEC;
  const byMode = SPEC_BY_MODE.get(rounding);
  if (byMode !== undefined) return byMode;
  if (typeof rounding === 'object' && rounding !== null) {
    if (rounding === lastRounding) return lastSpec!;
    let mode: unknown;
    let increment: unknown;
    try {
      mode = (rounding as Rounding).mode;
      increment = (rounding as Rounding).increment;
    } catch {
      return { path: [...path], message: 'the rounding could not be read', code: 'custom' };
    }
    const spec = SPEC_BY_MODE.get(mode);
    if (spec === undefined) return { path: [...path, 'mode'], message: `expected one of ${ROUNDING_MODES.join(', ')}, got ${describeValue(mode)}`, code: 'invalid_value' };
    if (!isExactInteger(increment) || increment <= 0) {
      return { path: [...path, 'increment'], message: `expected a positive whole number of minor units, got ${describeValue(increment)}`, code: 'custom' };
    }
    const inc = typeof increment === 'bigint' ? canonical(increment) : increment + 0;
    const read = inc === 1 ? spec : Object.freeze({ code: spec.code, increment: inc });
    if (madeRoundings.has(rounding)) {
      lastRounding = rounding;
      lastSpec = read;
    }
    return read;
  }
  return { path: [...path], message: `expected a rounding mode (${ROUNDING_MODES.join(', ')}) or a policy from parseRounding, got ${describeValue(rounding)}`, code: 'invalid_type' };
}

/**
 * `readRounding` for the functions that return a plain value: a rounding that bypassed the types
 * (an unknown mode, an increment ≤ 0 or fractional) is a caller's bug, thrown as
 * `InvariantError` (internal).
 *
 * @example
 * roundingSpec({ mode: 'ceil', increment: 0 }) // throws InvariantError
 */
export function roundingSpec(rounding: unknown): RoundingSpec {
  const spec = readRounding(rounding);
  if ('message' in spec) throw new InvariantError(`Invalid rounding at ${spec.path.join('.')}: ${spec.message}; parse stored policies with parseRounding`);
  return spec;
}

/** The mode number of a rounding argument (default: halfAwayFromZero); a bad one throws `InvariantError`. @example roundingCode(undefined) // 0 */
export function roundingCode(rounding: RoundingInput | undefined): ModeCode {
  if (rounding === undefined) return HALF_AWAY_FROM_ZERO;
  return roundingSpec(rounding).code;
}

/** The increment of a rounding argument in minor units (default 1); a bad one throws `InvariantError`. @example roundingIncrement('halfEven') // 1 */
export function roundingIncrement(rounding: RoundingInput | undefined): ExactInteger {
  return rounding === undefined ? 1 : roundingSpec(rounding).increment;
}

/**
 * The rounded value of ±(Q + R/d), from its magnitude's whole part Q ≥ 0 and remainder
 * 0 ≤ R < d (d ≤ 2^52, so 2R is exact): Q, or Q + 1 when the mode moves away from zero.
 * The result may be 2^53 (Q = 2^53 − 1 rounded up); callers check it is safe.
 *
 * @example
 * applyMode(2, 5, 10, true, modeCode('halfUp')) // -2   (−2.5, ties toward +∞)
 */
export function applyMode(q: number, r: number, d: number, negative: boolean, m: ModeCode): number {
  let away: boolean;
  if (r === 0) away = false;
  else {
    switch (m) {
      case DOWN:
        away = false;
        break;
      case UP:
        away = true;
        break;
      case CEIL:
        away = !negative;
        break;
      case FLOOR:
        away = negative;
        break;
      default: {
        const twice = 2 * r;
        if (twice !== d) away = twice > d;
        else if (m === HALF_AWAY_FROM_ZERO) away = true;
        else if (m === HALF_EVEN) away = q % 2 === 1;
        else if (m === HALF_UP) away = !negative;
        else away = negative; // HALF_DOWN
      }
    }
  }
  const magnitude = away ? q + 1 : q;
  return negative ? 0 - magnitude : magnitude + 0; // never −0
}

/**
 * n / d rounded to an integer with mode m; d > 0, both safe integers. Exact: the quotient of a
 * float division is off by at most one and is corrected against the exact remainder while
 * |n| + d is a safe integer (so q × d is exact); beyond, `%` (exact in IEEE doubles, slower)
 * gives the remainder.
 *
 * @example
 * roundQuotientNumber(-25, 10, modeCode('halfEven')) // -2
 */
export function roundQuotientNumber(n: number, d: number, m: ModeCode): number {
  const negative = n < 0;
  const a = negative ? -n : n;
  let q: number;
  let r: number;
  if (a + d <= 9007199254740991) {
    q = Math.floor(a / d);
    r = a - q * d;
    if (r < 0) {
      q -= 1;
      r += d;
    } else if (r >= d) {
      q += 1;
      r -= d;
    }
  } else {
    r = a % d;
    q = (a - r) / d;
  }
  if (d > 4503599627370496) {
    // 2r might not be exact above 2^52: decide ties on r vs d − r instead.
    if (r !== 0 && m !== DOWN && m !== UP && m !== CEIL && m !== FLOOR) {
      const rest = d - r;
      if (r !== rest) return applyMode(q, r > rest ? 3 : 1, 4, negative, m);
      return applyMode(q, 2, 4, negative, m);
    }
    return applyMode(q, r === 0 ? 0 : 1, 4, negative, m);
  }
  return applyMode(q, r, d, negative, m);
}

/** n / d rounded to an integer with mode m; d > 0. @example roundQuotientBig(-25n, 10n, modeCode('halfAwayFromZero')) // -3n */
export function roundQuotientBig(n: bigint, d: bigint, m: ModeCode): bigint {
  const r = n % d;
  const q = n / d;
  if (r === 0n) return q;
  const negative = n < 0n;
  const away = negative ? q - 1n : q + 1n;
  switch (m) {
    case DOWN:
      return q;
    case UP:
      return away;
    case CEIL:
      return negative ? q : away;
    case FLOOR:
      return negative ? away : q;
  }
  const twice = negative ? -2n * r : 2n * r;
  if (twice > d) return away;
  if (twice < d) return q;
  switch (m) {
    case HALF_AWAY_FROM_ZERO:
      return away;
    case HALF_EVEN:
      return q % 2n === 0n ? q : away;
    case HALF_UP:
      return negative ? q : away;
    default:
      return negative ? away : q;
  }
}

/**
 * The exact ratio n / d rounded once to a multiple of `increment`, in either integer type.
 * Internal: callers have checked d ≠ 0 and increment > 0.
 *
 * @example
 * roundRatioUnchecked(1003, 1, modeCode('halfAwayFromZero'), 5) // 1005 (CHF 10.03 → 10.05)
 */
export function roundRatioUnchecked(n: ExactInteger, d: ExactInteger, code: ModeCode, increment: ExactInteger): ExactInteger {
  if (typeof n === 'number' && typeof d === 'number' && typeof increment === 'number') {
    let nn = n;
    let dd = d * increment;
    if (dd < 0) {
      nn = -nn;
      dd = -dd;
    }
    if (dd <= Number.MAX_SAFE_INTEGER) {
      const q = roundQuotientNumber(nn, dd, code);
      const result = increment === 1 ? q : q * increment;
      if (result <= Number.MAX_SAFE_INTEGER && result >= -Number.MAX_SAFE_INTEGER) return result + 0;
    }
  }
  let nb = toBig(n);
  let db = toBig(d) * toBig(increment);
  if (db < 0n) {
    nb = -nb;
    db = -db;
  }
  return canonical(roundQuotientBig(nb, db, code) * toBig(increment));
}

/**
 * The exact ratio numerator / denominator of two integers, rounded once to a whole number —
 * or, with a policy's increment, to a multiple of it. The building block of every rounded
 * amount; exact for any size (a `bigint` result beyond 2^53). A non-integer, a zero
 * denominator, or a rounding that is not a mode or a valid policy is `INVALID_INPUT`; never
 * throws.
 *
 * @example
 * roundRatio(5, 2) // ok(3)          (2.5, half away from zero)
 * roundRatio(5, 2, 'halfEven') // ok(2)
 * roundRatio(-5, 2, 'halfUp') // ok(-2)   (ties toward +∞)
 * roundRatio(1, 0) // INVALID_INPUT: division by zero
 */
export function roundRatio(
  numerator: ExactInteger,
  denominator: ExactInteger,
  rounding?: RoundingInput,
): Result<ExactInteger, CrmError> {
  const issues: InputIssue[] = [];
  if (!isExactInteger(numerator)) issues.push({ path: ['numerator'], message: 'expected a safe integer or a bigint', code: 'invalid_type' });
  if (!isExactInteger(denominator)) issues.push({ path: ['denominator'], message: 'expected a safe integer or a bigint', code: 'invalid_type' });
  else if (denominator === 0 || denominator === 0n) issues.push({ path: ['denominator'], message: 'division by zero', code: 'custom' });
  const spec = readRounding(rounding);
  if ('message' in spec) issues.push(spec);
  if (issues.length > 0 || 'message' in spec) return invalidInput(issues);
  return ok(roundRatioUnchecked(numerator, denominator, spec.code, spec.increment));
}
