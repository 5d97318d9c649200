/**
 * Splitting an amount (installments, an order discount spread over lines, a payment over
 * invoices, a revenue split among reps) so the parts sum exactly to the whole, by largest
 * remainder: every part is its exact share rounded down, and the minor units left over go one
 * each to the parts with the largest remainders — ties to the larger weight, then to the lower
 * index. So every part is the floor or the ceiling of its exact share, a zero weight gets zero,
 * and scaling all the weights changes nothing.
 *
 * (dinero.js's `allocate` hands leftover units out in list order, so 0.02 split 30/50/20 gives
 * [0, 0.02, 0] — 0.02 is not the ceiling of the exact 0.01. Here it is [0.01, 0.01, 0].)
 */
import { InvariantError, type CrmError } from '../errors.js';
import { ok, type Result } from '../result.js';
import type { InputIssue } from '../validation.js';
import { exponentOf, formatMoney, makeMoney, moneyArg, notAnAmount, type Money } from './amount.js';
import { readDecimal, type Decimal } from './decimal.js';
import { canonical, isExactInteger, MAX_MULDIV_DIVISOR, MAX_SAFE, mulDivFloor, mulDivRemainder, shiftInteger, toBig, type ExactInteger } from './integers.js';
import { invalidInput, moneyRefusal } from './refusals.js';

/**
 * A weight of a split: a whole number, an exact decimal (a `Decimal` or a decimal string such as
 * "0.3" or "33.5"), or an amount (e.g. each line's net, to spread an order discount by it).
 * Weights are ≥ 0; a fractional `number` is refused, as everywhere.
 *
 * @example
 * const weights: AllocationWeight[] = [30, 50, 20];
 */
export type AllocationWeight = number | bigint | string | Decimal | Money;

type ReadWeight = { units: ExactInteger; scale: number } | { problem: string } | { otherCurrency: string };

function readWeight(w: unknown, currency: string): ReadWeight {
  if (typeof w === 'object' && w !== null && 'currency' in w && 'minor' in w) {
    const m = moneyArg(w);
    if (m === undefined) return { problem: 'an amount weight must be an amount (parse it with parseMoney)' };
    if (m.currency !== currency) return { otherCurrency: m.currency };
    return { units: m.minor, scale: exponentOf(m.currency) };
  }
  if (typeof w === 'number' && !Number.isInteger(w) && Number.isFinite(w)) {
    return { problem: `${w} is a binary float, not an exact weight: pass it as a string ("${w}") or a Decimal` };
  }
  const d = readDecimal(w);
  return typeof d === 'string' ? { problem: d } : d;
}

/** Largest-remainder split of total ≥ 0 over integer weights ≥ 0 with sum > 0. */
function allocateNonNegative(total: ExactInteger, weights: readonly ExactInteger[], sum: ExactInteger): ExactInteger[] {
  const n = weights.length;
  if (typeof total === 'number' && typeof sum === 'number') {
    let max = 0;
    let numbers = true;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (typeof w !== 'number') {
        numbers = false;
        break;
      }
      if (w > max) max = w;
    }
    // plain division while every total × weight (+ sum) is a safe integer; past that, an exact
    // double-double product (mulDivFloor) up to a weight sum of 2^51; beyond, BigInt
    if (numbers && total * max + sum <= MAX_SAFE) return allocateNumbers(total, weights as readonly number[], sum, false);
    if (numbers && sum <= MAX_MULDIV_DIVISOR) return allocateNumbers(total, weights as readonly number[], sum, true);
  }
  return allocateBig(total, weights, sum);
}

/**
 * The split in plain numbers: exact products while total × weight + sum is a safe integer, or
 * (wide) exact double-double products up to a weight sum of 2^51.
 *
 * @internal Exported for the tests that hold the fast paths to the bigint one.
 */
export function allocateNumbers(total: number, ws: readonly number[], sum: number, wide: boolean): number[] {
  const n = ws.length;
  const shares = new Array<number>(n);
  const rems = new Array<number>(n);
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    let q: number;
    let r: number;
    if (wide) {
      q = mulDivFloor(total, ws[i]!, sum);
      r = mulDivRemainder;
    } else {
      const p = total * ws[i]!;
      q = Math.floor(p / sum);
      r = p - q * sum;
      if (r < 0) {
        q -= 1;
        r += sum;
      } else if (r >= sum) {
        q += 1;
        r -= sum;
      }
    }
    shares[i] = q;
    rems[i] = r;
    assigned += q;
  }
  const left = total - assigned; // < the number of non-zero remainders
  if (left > 0) handOutLeftover(shares, rems, ws, left);
  return shares;
}

/**
 * Gives one unit each to the `left` largest remainders, ties to the larger weight and then the
 * lower index — without sorting every index with a comparator: the remainders are sorted
 * natively as a Float64Array to find the threshold (the left-th largest); every remainder above
 * it gets a unit, and only the indices tied at it are ranked.
 */
function handOutLeftover(shares: number[], rems: readonly number[], ws: readonly number[], left: number): void {
  const n = rems.length;
  const positive = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (rems[i]! > 0) positive[m++] = rems[i]!;
  // the left-th largest positive remainder: everything above it gets a unit, ties share the rest
  const threshold = kthSmallest(positive, m, m - left);
  let given = 0;
  const tied: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rems[i]!;
    if (r > threshold) {
      shares[i]! += 1;
      given++;
    } else if (r === threshold) tied.push(i);
  }
  if (given + tied.length > left) tied.sort((a, b) => ws[b]! - ws[a]! || a - b);
  for (let j = 0; given < left; j++, given++) shares[tied[j]!]! += 1;
}

/**
 * The k-th smallest (0-based) of a[0..m), reordering a: quickselect, median-of-three pivots.
 *
 * @internal Exported for the tests that hold the fast paths to the bigint one.
 */
export function kthSmallest(a: Float64Array, m: number, k: number): number {
  let lo = 0;
  let hi = m - 1;
  while (hi > lo) {
    const x = a[lo]!;
    const y = a[(lo + hi) >>> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // a[lo..j] ≤ pivot ≤ a[i..hi], and everything strictly between j and i equals the pivot
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[lo]!;
}

/**
 * The split in bigint throughout (the reference the number paths must agree with).
 *
 * @internal Exported for the tests that hold the fast paths to the bigint one.
 */
export function allocateBig(total: ExactInteger, weights: readonly ExactInteger[], sum: ExactInteger): ExactInteger[] {
  const n = weights.length;
  const t = toBig(total);
  const s = toBig(sum);
  const ws = weights.map(toBig);
  const shares = new Array<bigint>(n);
  const rems = new Array<bigint>(n);
  let assigned = 0n;
  for (let i = 0; i < n; i++) {
    const p = t * ws[i]!;
    shares[i] = p / s;
    rems[i] = p % s;
    assigned += shares[i]!;
  }
  const left = Number(t - assigned); // < n
  if (left > 0) {
    const cmp = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
    const order = rankByRemainder(n, (i) => rems[i]! > 0n, (a, b) => cmp(rems[b]!, rems[a]!) || cmp(ws[b]!, ws[a]!) || a - b);
    for (let j = 0; j < left; j++) shares[order[j]!]! += 1n;
  }
  return shares.map(canonical);
}

function rankByRemainder(n: number, hasRemainder: (i: number) => boolean, compare: (a: number, b: number) => number): number[] {
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (hasRemainder(i)) order.push(i);
  return order.sort(compare);
}

/** The weights as integers at one common scale, or the refusal. */
function readWeights(total: Money, weights: readonly AllocationWeight[]): ExactInteger[] | Result<never, CrmError> {
  // the usual case first: amounts in the total's currency (an order discount by line net)
  // — or plain counts (30, 50, 20), integers at scale 0 — never the two mixed (their scales differ)
  const ints: ExactInteger[] = new Array<ExactInteger>(weights.length);
  const counts = typeof weights[0] === 'number';
  let fast = true;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (counts) {
      if (typeof w === 'number' && Number.isSafeInteger(w) && w >= 0) ints[i] = w + 0;
      else {
        fast = false;
        break;
      }
    } else if (typeof w === 'object' && w !== null && (w as Money).currency === total.currency) {
      const minor = (w as Money).minor; // read once
      if (typeof minor === 'number' && Number.isSafeInteger(minor) && minor >= 0) ints[i] = minor + 0;
      else {
        fast = false;
        break;
      }
    } else {
      fast = false;
      break;
    }
  }
  if (fast) return ints;

  const issues: InputIssue[] = [];
  const parts: { units: ExactInteger; scale: number }[] = [];
  let scale = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = readWeight(weights[i], total.currency);
    if ('otherCurrency' in w) {
      return moneyRefusal(
        'MONEY_CURRENCY_MISMATCH',
        { path: ['weights', i, 'currency'], message: `a weight in ${w.otherCurrency} cannot split an amount in ${total.currency}`, code: 'custom' },
        { operation: 'allocate', currencies: [total.currency, w.otherCurrency] },
      );
    }
    if ('problem' in w) {
      issues.push({ path: ['weights', i], message: w.problem, code: 'custom' });
      continue;
    }
    if (w.units < 0) {
      issues.push({ path: ['weights', i], message: 'a weight must not be negative', code: 'too_small' });
      continue;
    }
    parts.push(w);
    if (w.scale > scale) scale = w.scale;
  }
  if (issues.length > 0) return invalidInput(issues);
  return parts.map((p) => shiftInteger(p.units, scale - p.scale));
}

/**
 * Splits an amount over weights by largest remainder: the parts sum exactly to the total, each
 * is the floor or the ceiling of its exact share (total × weight ÷ sum of weights), a zero weight
 * gets exactly zero, leftover minor units go to the largest remainders (ties: larger weight, then
 * lower index), and a negative total splits as the mirror image of the positive one. Never
 * throws.
 *
 * Refused: a total that is not an amount, an empty list or a negative weight, a fractional
 * `number` weight, weights that cannot be read (`INVALID_INPUT`);
 * amount weights in another currency (`MONEY_CURRENCY_MISMATCH`); all weights zero while the
 * total is not (`MONEY_ALLOCATION_WEIGHTS_ZERO`) — a zero total over zero weights is all zeros.
 *
 * @example
 * allocateMoney(unwrap(parseAmount('0.02', 'CNY')), [30, 50, 20]) // ok([0.01, 0.01, 0.00])
 * allocateMoney(unwrap(parseAmount('1000.01', 'CNY')), [30, 50, 20]) // ok([300.00, 500.01, 200.00])
 * allocateMoney(unwrap(parseAmount('100', 'CNY')), ['0.5', '0.25', '0.25']) // ok([50.00, 25.00, 25.00])
 */
export function allocateMoney(total: Money, weights: readonly AllocationWeight[]): Result<readonly Money[], CrmError> {
  const t = moneyArg(total);
  if (t === undefined) return invalidInput([notAnAmount('total')]);
  total = t;
  let list: readonly AllocationWeight[];
  let read: ExactInteger[] | Result<never, CrmError>;
  try {
    if (!Array.isArray(weights) || weights.length === 0) {
      return invalidInput([{ path: ['weights'], message: 'expected a non-empty list of weights', code: 'too_small' }]);
    }
    // the weights read once (a copy), whatever the caller's array does
    list = Array.from(weights);
    read = readWeights(total, list);
  } catch {
    return invalidInput([{ path: ['weights'], message: 'the weights could not be read', code: 'custom' }]);
  }
  if (!Array.isArray(read)) return read;
  const ints = read;
  let sum: ExactInteger = 0;
  for (const w of ints) sum = typeof sum === 'number' && typeof w === 'number' && sum + w <= MAX_SAFE ? sum + w : canonical(toBig(sum) + toBig(w));

  const currency = total.currency;
  if (sum === 0) {
    if (total.minor !== 0) {
      return moneyRefusal(
        'MONEY_ALLOCATION_WEIGHTS_ZERO',
        { path: ['weights'], message: `all ${ints.length} weights are zero: there is nothing to split ${formatMoney(total)} ${currency} by`, code: 'custom' },
        { amount: `${formatMoney(total)} ${currency}`, currency, count: ints.length },
      );
    }
    return ok(Object.freeze(ints.map(() => makeMoney(currency, 0))));
  }

  const shares = splitBySum(total.minor, ints, sum);
  const out = new Array<Money>(shares.length);
  for (let i = 0; i < shares.length; i++) out[i] = makeMoney(currency, shares[i]!);
  return ok(Object.freeze(out));
}

/** The largest-remainder split of `total` (any sign) by non-negative weights of positive `sum`. */
function splitBySum(total: ExactInteger, weights: readonly ExactInteger[], sum: ExactInteger): ExactInteger[] {
  if (total >= 0) return allocateNonNegative(total, weights, sum);
  const shares = allocateNonNegative(typeof total === 'number' ? -total : canonical(-total), weights, sum);
  for (let i = 0; i < shares.length; i++) {
    const s = shares[i]!;
    shares[i] = typeof s === 'number' ? 0 - s : canonical(-s);
  }
  return shares;
}

/**
 * `allocateMoney` for hot loops, in minor units: `total` split by non-negative integer weights
 * (amounts in the total's minor unit, counts, …) with the same largest-remainder rule, without
 * building amount objects. Weights that are all zero split a zero total into zeros; a non-zero
 * total over zero weights, or a negative weight, is a caller's bug (`InvariantError`). A caller
 * that has just summed the weights passes the sum (`knownSum`, trusted) instead of a second pass.
 *
 * @internal Used by the pricing and payment batch paths.
 * @example
 * allocateMinor(2, [30, 50, 20]) // [1, 1, 0]
 */
export function allocateMinor(total: ExactInteger, weights: readonly ExactInteger[], knownSum?: ExactInteger): ExactInteger[] {
  let sum: ExactInteger = 0;
  if (knownSum !== undefined) sum = knownSum;
  else {
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w < 0) throw new InvariantError('allocateMinor: a negative weight');
      sum = typeof sum === 'number' && typeof w === 'number' && sum + w <= MAX_SAFE ? sum + w : canonical(toBig(sum) + toBig(w));
    }
  }
  if (sum === 0) {
    if (total !== 0) throw new InvariantError('allocateMinor: a non-zero total over zero weights');
    return new Array<ExactInteger>(weights.length).fill(0);
  }
  return splitBySum(total, weights, sum);
}

/**
 * Splits an amount into `count` equal parts that sum exactly (installments): the leftover minor
 * units go to the first parts. `count` must be a whole number from 1 to 100,000.
 *
 * @example
 * splitMoney(unwrap(parseAmount('100', 'CNY')), 3) // ok([33.34, 33.33, 33.33])
 */
export function splitMoney(total: Money, count: number): Result<readonly Money[], CrmError> {
  if (moneyArg(total) === undefined) return invalidInput([notAnAmount('total')]);
  if (!Number.isSafeInteger(count) || count < 1 || count > 100_000) {
    return invalidInput([{ path: ['count'], message: 'expected a whole number of parts from 1 to 100000', code: 'invalid_type' }]);
  }
  return allocateMoney(total, new Array<number>(count).fill(1));
}
