/**
 * Multiplication and division of money, exact and rounded once: the product of an amount (or of
 * a quantity and a unit price) by any number of exact decimals, divided if asked, is computed
 * exactly and only then brought to the currency's minor unit — or to a cash increment — with
 * one named rounding mode.
 *
 * Every result goes through one integer division N / D. It runs on plain `number`s while every
 * intermediate is a safe integer (the usual quote line) and switches to `bigint` by itself the
 * moment one would pass 2^53 (1,000,000.5 × 99,999,999.123456789 does), with the same answer.
 */
import { InvariantError, type CrmError } from '../errors.js';
import { ok, type Result } from '../result.js';
import { describeValue } from '../foreign.js';
import type { InputIssue } from '../validation.js';
import { exponentOf, formatMoney, makeMoney, moneyArg, moneyOrThrow, notAnAmount, type Money } from './amount.js';
import type { CurrencyCode } from './currencies.js';
import { decimalArg, MAX_KERNEL_SCALE, type Decimal } from './decimal.js';
import { canonical, MAX_POW10_NUMBER, MAX_SAFE, POW10, pow10Big, toBig, type ExactInteger } from './integers.js';
import { invalidInput, moneyRefusal } from './refusals.js';
import {
  applyMode,
  readRounding,
  DEFAULT_ROUNDING_SPEC,
  roundingSpec,
  roundQuotientBig,
  roundQuotientNumber,
  type ModeCode,
  type RoundingInput,
} from './rounding.js';

const NO_FACTORS: readonly Decimal[] = [];

/**
 * round( n0 × Π factors.units × 10^(exp + ds − s0 − Σ factors.scale) / (du × increment) ) × increment
 * — i.e. the value (n0 / 10^s0) × Π factors ÷ (du / 10^ds), in units of 10^−exp, rounded once
 * to a multiple of `increment`. du ≠ 0, increment > 0. Internal: the one rounded division
 * behind every product and quotient of money.
 *
 * @example
 * scaledRound(1, 0, [qty, price], 2, 1, 0, modeCode('halfEven'), 1) // qty × price in fen
 */
export function scaledRound(
  n0: ExactInteger,
  s0: number,
  factors: readonly Decimal[],
  exp: number,
  du: ExactInteger,
  ds: number,
  code: ModeCode,
  increment: ExactInteger,
): ExactInteger {
  if (typeof n0 === 'number' && du === 1 && increment === 1) {
    const r = productRoundedNumber(n0, s0 - exp - ds, factors, code);
    if (r === r) return r; // not NaN: the plain-number path had it
  } else if (typeof n0 === 'number' && typeof du === 'number' && typeof increment === 'number') {
    const r = quotientRoundedNumber(n0, s0 - exp - ds, factors, du, increment, code);
    if (r === r) return r;
  }
  return scaledRoundBig(n0, s0, factors, exp, du, ds, code, increment);
}

/**
 * Whether a factor's fields can go through the number paths: safe-integer units and a whole
 * scale from 0 to the kernel's limit. Anything else goes to the bigint path, which checks the
 * factors and refuses what is not a Decimal.
 */
function isNumberFactor(u: unknown, sc: number): u is number {
  return typeof u === 'number' && Number.isSafeInteger(u) && sc >= 0 && sc <= MAX_KERNEL_SCALE && (sc | 0) === sc;
}

/**
 * The common case in plain numbers: round(n × Π units / 10^(k + Σ scales)); NaN when a value
 * would leave the safe integers (the caller then redoes it in bigint). The magnitude of a
 * product of non-zero integers never shrinks, so one check after the loop covers every
 * intermediate (and a zero factor makes both the exact and the float product 0).
 *
 * @internal Exported for the tests that hold the fast path to the bigint reference.
 */
export function productRoundedNumber(n: number, k: number, factors: readonly Decimal[], code: ModeCode): number {
  const n0 = n;
  for (let i = 0; i < factors.length; i++) {
    const f = factors[i]!;
    const u = f.units;
    const sc = f.scale;
    // the hot loop: anything else leaves here (a zero factor beside would otherwise hide an
    // unsafe units, and a negative scale be read as a power of ten)
    if (!isNumberFactor(u, sc)) return NaN;
    n *= u;
    k += sc;
  }
  if (!(n <= MAX_SAFE && n >= -MAX_SAFE)) return k > 0 && k <= MAX_POW10_NUMBER ? wideProductRounded(n0, factors, k, code) : NaN;
  if (k === 0) return n + 0;
  if (k > 0) return k > MAX_POW10_NUMBER ? NaN : roundQuotientNumber(n, POW10[k]!, code);
  if (-k > MAX_POW10_NUMBER) return NaN;
  n *= POW10[-k]!;
  return n <= MAX_SAFE && n >= -MAX_SAFE ? n + 0 : NaN;
}

const B = 67108864; // 2^26: limbs of this size multiply exactly in a double (< 2^52)
const INV_B = 1 / B;
const MAX_WIDE = 4503599627370495; // 2^52 − 1: both operands split into two limbs < 2^26

/**
 * round(P × u / 10^k) where P = n0 × the factors but the last and u the last factor's units,
 * each below 2^52 while their product is not a safe integer (0 < k ≤ 15): the product is
 * formed exactly in four base-2^26 limbs and divided by 10^k in at most two long divisions by
 * ≤ 10^8 (every partial result stays below 2^53), so a quote line just past 2^53 does not need
 * BigInt. NaN when an operand or the quotient is too large for this path.
 *
 * @internal Exported for the tests that hold the fast path to the bigint reference.
 */
export function wideProductRounded(n0: number, factors: readonly Decimal[], k: number, code: ModeCode): number {
  const last = factors.length - 1;
  if (last < 0) return NaN;
  let p = n0;
  for (let i = 0; i < last; i++) p *= factors[i]!.units as number;
  let u = factors[last]!.units as number;
  const negative = p < 0 !== u < 0;
  if (p < 0) p = -p;
  if (u < 0) u = -u;
  if (p > MAX_WIDE || u > MAX_WIDE) return NaN;
  // the product in limbs l3 l2 l1 l0 (base 2^26)
  const ph = Math.floor(p * INV_B);
  const pl = p - ph * B;
  const uh = Math.floor(u * INV_B);
  const ul = u - uh * B;
  let c = pl * ul;
  let carry = Math.floor(c * INV_B);
  const l0 = c - carry * B;
  c = ph * ul + carry;
  carry = Math.floor(c * INV_B);
  c = c - carry * B + pl * uh;
  const carry2 = Math.floor(c * INV_B);
  const l1 = c - carry2 * B;
  c = ph * uh + carry + carry2;
  const l3 = Math.floor(c * INV_B);
  const l2 = c - l3 * B;
  // divide by 10^k = d1 × d2, d1 = 10^min(k, 8), d2 = 10^(k − 8) or 1
  const k1 = k < 8 ? k : 8;
  const d1 = POW10[k1]!;
  let q3 = Math.floor(l3 / d1);
  let r = l3 - q3 * d1;
  if (r < 0) {
    q3--;
    r += d1;
  }
  let t = r * B + l2;
  let q2 = Math.floor(t / d1);
  r = t - q2 * d1;
  if (r < 0) {
    q2--;
    r += d1;
  }
  t = r * B + l1;
  let q1 = Math.floor(t / d1);
  r = t - q1 * d1;
  if (r < 0) {
    q1--;
    r += d1;
  }
  t = r * B + l0;
  let q0 = Math.floor(t / d1);
  r = t - q0 * d1;
  if (r < 0) {
    q0--;
    r += d1;
  }
  let remainder = r;
  if (k > 8) {
    const d2 = POW10[k - 8]!;
    t = q3;
    q3 = Math.floor(t / d2);
    r = t - q3 * d2;
    if (r < 0) {
      q3--;
      r += d2;
    }
    t = r * B + q2;
    q2 = Math.floor(t / d2);
    r = t - q2 * d2;
    if (r < 0) {
      q2--;
      r += d2;
    }
    t = r * B + q1;
    q1 = Math.floor(t / d2);
    r = t - q1 * d2;
    if (r < 0) {
      q1--;
      r += d2;
    }
    t = r * B + q0;
    q0 = Math.floor(t / d2);
    r = t - q0 * d2;
    if (r < 0) {
      q0--;
      r += d2;
    }
    remainder = r * d1 + remainder;
  }
  if (q3 !== 0 || q2 > 1) return NaN; // the quotient is 2^53 or more
  const result = applyMode(q2 * 4503599627370496 + q1 * B + q0, remainder, POW10[k]!, negative, code);
  return result <= MAX_SAFE && result >= -MAX_SAFE ? result : NaN;
}

/**
 * The general case in plain numbers (a divisor, a cash increment), NaN past the safe integers.
 *
 * @internal Exported for the tests that hold the fast path to the bigint reference.
 */
export function quotientRoundedNumber(n: number, k: number, factors: readonly Decimal[], du: number, increment: number, code: ModeCode): number {
  for (let i = 0; i < factors.length; i++) {
    const f = factors[i]!;
    const u = f.units;
    const sc = f.scale;
    if (!isNumberFactor(u, sc)) return NaN;
    n *= u;
    k += sc;
  }
  let d = du * increment;
  if (d < 0) {
    d = -d;
    n = -n;
  }
  if (k > 0) {
    if (k > MAX_POW10_NUMBER) return NaN;
    d *= POW10[k]!;
  } else if (k < 0) {
    if (-k > MAX_POW10_NUMBER) return NaN;
    n *= POW10[-k]!;
  }
  if (!(n <= MAX_SAFE && n >= -MAX_SAFE && d <= MAX_SAFE)) return NaN;
  const r = roundQuotientNumber(n, d, code) * increment;
  return r <= MAX_SAFE && r >= -MAX_SAFE ? r + 0 : NaN;
}

/**
 * `scaledRound` in bigint throughout (also the reference the number paths must agree with).
 *
 * @example
 * scaledRoundBig(1, 0, [qty, price], 2, 1, 0, modeCode('halfEven'), 1)
 */
export function scaledRoundBig(
  n0: ExactInteger,
  s0: number,
  factors: readonly Decimal[],
  exp: number,
  du: ExactInteger,
  ds: number,
  code: ModeCode,
  increment: ExactInteger,
): ExactInteger {
  if (!allDecimals(factors)) throw notDecimals(factors);
  let n = toBig(n0);
  let k = s0 - exp - ds;
  for (const f of factors) {
    n *= toBig(f.units);
    k += f.scale;
  }
  const inc = toBig(increment);
  let d = toBig(du) * inc;
  if (d < 0n) {
    d = -d;
    n = -n;
  }
  if (k > 0) d *= pow10Big(k);
  else if (k < 0) n *= pow10Big(-k);
  return canonical(roundQuotientBig(n, d, code) * inc);
}

/** Array.isArray that never throws (a revoked Proxy is not a list). */
function isList(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** Whether every element of a list has a Decimal's shape (inlined by the hot paths: no try here). */
function allDecimals(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const f = list[i] as Decimal;
    if (typeof f !== 'object' || f === null) return false;
    const u = f.units;
    const sc = f.scale;
    if (!(typeof u === 'number' ? Number.isSafeInteger(u) : typeof u === 'bigint')) return false;
    if (!(Number.isSafeInteger(sc) && sc >= 0 && sc <= MAX_KERNEL_SCALE)) return false;
  }
  return true;
}

/** A caller's bug as `InvariantError`, whatever was thrown while reading its values. */
function asInvariant(e: unknown, what: string): InvariantError {
  return e instanceof InvariantError ? e : new InvariantError(`${what} could not be read`);
}

function notDecimals(factors: unknown): InvariantError {
  return new InvariantError(`the factors are not Decimals (got ${describeValue(factors)}); parse them with parseDecimal`);
}

/**
 * The factors of a product, checked in place: one Decimal or a list of them; anything else is a
 * caller's bug (`InvariantError`).
 */
function factorList(factors: unknown): readonly Decimal[] {
  try {
    const list = Array.isArray(factors) ? (factors as readonly unknown[]) : [factors];
    if (!allDecimals(list)) throw notDecimals(factors);
    return list as readonly Decimal[];
  } catch (e) {
    throw asInvariant(e, 'the factors');
  }
}

/**
 * amount × factor × … exactly, rounded once to the currency's minor unit (or the policy's cash
 * increment): a discount amount, a tax amount, an amount in another unit. Default mode
 * `halfAwayFromZero`. Arguments the kernel did not make (an amount, a Decimal, a rounding that
 * bypassed the types) are a caller's bug: `InvariantError`.
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * multiplyMoney(unwrap(parseAmount('99.99', 'CNY')), unwrap(parseDecimal('0.13'))) // CNY 13.00 (12.9987)
 * multiplyMoney(unwrap(parseAmount('0.05', 'USD')), unwrap(parseDecimal('0.5')), 'halfEven') // USD 0.02 (0.025)
 */
export function multiplyMoney(amount: Money, factors: Decimal | readonly Decimal[], rounding?: RoundingInput): Money {
  const a = moneyOrThrow(amount, 'amount');
  const list = factorList(factors);
  const spec = roundingSpec(rounding);
  const exp = exponentOf(a.currency);
  return makeMoney(a.currency, scaledRound(a.minor, exp, list, exp, 1, 0, spec.code, spec.increment));
}

/**
 * `multiplyMoney` for hot loops, in minor units of `currency`: minor × Π factors, rounded once.
 *
 * @internal Used by the pricing engine.
 * @example
 * multiplyMinor('CNY', 9999, [rate13]) // 1300 (12.9987 → 13.00)
 */
export function multiplyMinor(currency: CurrencyCode, minor: ExactInteger, factors: readonly Decimal[], rounding?: RoundingInput): ExactInteger {
  const exp = exponentOf(currency);
  const spec = roundingSpec(rounding);
  return scaledRound(minor, exp, factors, exp, 1, 0, spec.code, spec.increment);
}

/**
 * minor × part ÷ whole in minor units of `currency`, rounded once (the tax inside a gross
 * amount: gross × rate ÷ (1 + rate)). `whole` must not be zero (a caller's bug).
 *
 * @internal Used by the pricing engine.
 * @example
 * prorateMinor('CNY', 11300, rate13, onePlusRate13) // 1300
 */
export function prorateMinor(currency: CurrencyCode, minor: ExactInteger, part: Decimal, whole: Decimal, rounding?: RoundingInput): ExactInteger {
  if (whole.units === 0) throw new InvariantError('prorateMinor: a zero whole');
  const exp = exponentOf(currency);
  const spec = roundingSpec(rounding);
  return scaledRound(minor, exp, [part], exp, whole.units, whole.scale, spec.code, spec.increment);
}

/**
 * The product of exact decimals in major units — quantity × unit price × (1 − line discount) —
 * as an amount of `currency`, rounded once. Unit prices may carry more decimals than the
 * currency (99.123456789 CNY); nothing is rounded before the end. An unknown currency, a
 * factor that is not a Decimal or a bad rounding is a caller's bug (`InvariantError`).
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * const [qty, price, keep] = ['3', '19.99', '0.85'].map((s) => unwrap(parseDecimal(s)));
 * moneyFromProduct('CNY', [qty, price, keep]) // CNY 50.97 (50.9745)
 */
export function moneyFromProduct(currency: CurrencyCode, factors: readonly Decimal[], rounding?: RoundingInput): Money {
  return makeMoney(currency, productInMinorUnits(currency, factors, rounding));
}

/**
 * `moneyFromProduct` for hot loops: the same rounded product, as the exact integer count of
 * minor units (a number while safe, a bigint beyond), without building an amount object. A
 * pricing loop over a million lines sums these and builds its frozen results once.
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * productInMinorUnits('CNY', [qty, price, keep]) // 5097 (CNY 50.97)
 */
export function productInMinorUnits(currency: CurrencyCode, factors: readonly Decimal[], rounding?: RoundingInput): ExactInteger {
  // the million-line pricing loop: the factors are checked where they are read (a factor that
  // is not a safe-integer Decimal leaves the number path, and the bigint path checks them all)
  try {
    const exp = exponentOf(currency);
    if (!Array.isArray(factors)) throw notDecimals(factors);
    const spec = rounding === undefined ? DEFAULT_ROUNDING_SPEC : roundingSpec(rounding);
    return scaledRound(1, 0, factors, exp, 1, 0, spec.code, spec.increment);
  } catch (e) {
    throw asInvariant(e, 'the factors');
  }
}

/**
 * An exact decimal in major units as an amount of `currency`, rounded once (a computed price
 * with 6 decimals to CNY).
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * moneyFromDecimal('JPY', unwrap(parseDecimal('1234.5'))) // JPY 1235
 */
export function moneyFromDecimal(currency: CurrencyCode, amount: Decimal, rounding?: RoundingInput): Money {
  if (isList(amount)) throw new InvariantError('amount must be one Decimal');
  return moneyFromProduct(currency, [amount], rounding);
}

/**
 * The amount rounded to a cash increment (CHF to 0.05, JPY to 10, 抹零 to whole yuan) with the
 * policy's mode; an amount already on the increment comes back unchanged.
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * roundMoney(unwrap(parseAmount('10.03', 'CHF')), unwrap(parseRounding({ increment: 5 }))) // CHF 10.05
 */
export function roundMoney(amount: Money, rounding: RoundingInput): Money {
  const a = moneyOrThrow(amount, 'amount');
  const spec = roundingSpec(rounding);
  if (spec.increment === 1) return a;
  return makeMoney(a.currency, scaledRound(a.minor, 0, NO_FACTORS, 0, 1, 0, spec.code, spec.increment));
}

function divisionByZero(amount: Money, path: string): Result<never, CrmError> {
  return moneyRefusal(
    'MONEY_DIVISION_BY_ZERO',
    { path: [path], message: 'division by zero', code: 'custom' },
    { amount: `${formatMoney(amount)} ${amount.currency}`, currency: amount.currency },
  );
}

/**
 * amount ÷ divisor exactly, rounded once: the net of a tax-inclusive price (gross ÷ 1.13), a
 * monthly fee from a yearly one. Dividing by zero is refused (`MONEY_DIVISION_BY_ZERO`); an
 * amount, a divisor or a rounding the kernel did not make is `INVALID_INPUT`. Never throws.
 *
 * @example
 * divideMoney(unwrap(parseAmount('113', 'CNY')), unwrap(parseDecimal('1.13'))) // ok(CNY 100.00)
 */
export function divideMoney(amount: Money, divisor: Decimal, rounding?: RoundingInput): Result<Money, CrmError> {
  const a = moneyArg(amount);
  const d = decimalArg(divisor);
  const spec = readRounding(rounding);
  const issues: InputIssue[] = [];
  if (a === undefined) issues.push(notAnAmount('amount'));
  if (d === undefined) issues.push({ path: ['divisor'], message: 'expected a Decimal (parse it with parseDecimal)', code: 'invalid_type' });
  if ('message' in spec) issues.push(spec);
  if (a === undefined || d === undefined || 'message' in spec) return invalidInput(issues);
  if (d.units === 0) return divisionByZero(a, 'divisor');
  const exp = exponentOf(a.currency);
  return ok(makeMoney(a.currency, scaledRound(a.minor, exp, NO_FACTORS, exp, d.units, d.scale, spec.code, spec.increment)));
}

/**
 * A part or whole of a ratio: an exact decimal, or an amount (its minor units at its exponent).
 *
 * @example
 * const days: RatioTerm = unwrap(parseDecimal('10'));
 */
export type RatioTerm = Decimal | Money;

/** A ratio term read once: [units, scale, currency or undefined for a plain decimal], or undefined. */
function termParts(t: unknown): [ExactInteger, number, CurrencyCode | undefined] | undefined {
  let isAmount: boolean;
  try {
    isAmount = typeof t === 'object' && t !== null && 'currency' in t;
  } catch {
    return undefined;
  }
  if (isAmount) {
    const m = moneyArg(t);
    return m === undefined ? undefined : [m.minor, exponentOf(m.currency), m.currency];
  }
  const d = decimalArg(t);
  return d === undefined ? undefined : [d.units, d.scale, undefined];
}

/**
 * amount × part ÷ whole exactly, rounded once: a line's share of an order discount by its net,
 * a pro-rated subscription (days used ÷ days in the term). `part` and `whole` are both decimals
 * or both amounts in one currency (the ratio must be a plain number): two amounts in different
 * currencies are refused (`MONEY_CURRENCY_MISMATCH`); a decimal over an amount, or an amount
 * over a decimal, is a malformed call (`INVALID_INPUT` at the term that is not like the other:
 * `part` when the whole is a decimal, `whole` when it is an amount); a zero whole is refused
 * (`MONEY_DIVISION_BY_ZERO`); arguments the kernel did not make are `INVALID_INPUT`. Never throws. To split an amount into parts
 * that sum exactly, use `allocateMoney`.
 *
 * @example
 * prorateMoney(unwrap(parseAmount('300', 'CNY')), unwrap(parseDecimal('10')), unwrap(parseDecimal('31'))) // ok(CNY 96.77)
 */
export function prorateMoney(amount: Money, part: RatioTerm, whole: RatioTerm, rounding?: RoundingInput): Result<Money, CrmError> {
  const a = moneyArg(amount);
  const p = termParts(part);
  const w = termParts(whole);
  const spec = readRounding(rounding);
  const issues: InputIssue[] = [];
  if (a === undefined) issues.push(notAnAmount('amount'));
  if (p === undefined) issues.push({ path: ['part'], message: 'expected a Decimal or an amount', code: 'invalid_type' });
  if (w === undefined) issues.push({ path: ['whole'], message: 'expected a Decimal or an amount', code: 'invalid_type' });
  if ('message' in spec) issues.push(spec);
  if (a === undefined || p === undefined || w === undefined || 'message' in spec) return invalidInput(issues);
  const [pu, ps, pc] = p;
  const [wu, ws, wc] = w;
  if ((pc === undefined) !== (wc === undefined)) {
    // A decimal over an amount (or the other way) is not a plain number: a malformed call, not
    // a question of currencies.
    const odd = wc === undefined ? 'part' : 'whole';
    const message =
      odd === 'whole'
        ? 'a plain decimal over an amount is not a plain number: give part and whole both as decimals or both as amounts'
        : 'an amount over a plain decimal is not a plain number: give part and whole both as decimals or both as amounts';
    return invalidInput([{ path: [odd], message, code: 'invalid_type' }]);
  }
  if (pc !== wc) {
    return moneyRefusal(
      'MONEY_CURRENCY_MISMATCH',
      {
        path: ['whole', 'currency'],
        message: `a ratio of amounts in ${pc} and ${wc} has no meaning; convert them to one currency first`,
        code: 'custom',
      },
      { operation: 'prorate', currencies: [pc!, wc!] },
    );
  }
  if (wu === 0) return divisionByZero(a, 'whole');
  const exp = exponentOf(a.currency);
  return ok(makeMoney(a.currency, scaledRound(a.minor, exp, [{ units: pu, scale: ps } as unknown as Decimal], exp, wu, ws, spec.code, spec.increment)));
}
