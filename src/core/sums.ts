import type { CurrencyCode, Money } from './money.js';
import { currencyExponent } from './money/currencies.js';
import { makeMoney } from './money/amount.js';
import { canonical, pow10Big } from './money/integers.js';
import type { Decimal } from './money/decimal.js';
import { compareCodePoints } from './collation.js';

/**
 * Exact sums of amounts, per currency (internal): minor units as bigints, over a fixed
 * denominator (1 for plain sums; 100 for sums weighted by a whole-percent probability), rounded
 * once — half up — when read. No currency is ever added to another.
 *
 * @internal
 * @example
 * const s = new CurrencySums(); s.add('CNY', 150); s.add('USD', 2); s.amounts() // [CNY 1.50, USD 0.02]
 */
export class CurrencySums {
  private readonly sums = new Map<CurrencyCode, bigint>();

  constructor(readonly denominator: bigint = 1n) {}

  /** Adds `minor` units times `weight` (whole, not negative) in `currency`. */
  add(currency: CurrencyCode, minor: number, weight = 1): void {
    const add = BigInt(minor) * BigInt(weight);
    this.sums.set(currency, (this.sums.get(currency) ?? 0n) + add);
  }

  /** Adds an exact numerator (over `denominator`) in `currency`: a sum made elsewhere (a database's). */
  addNumerator(currency: CurrencyCode, numerator: bigint): void {
    this.sums.set(currency, (this.sums.get(currency) ?? 0n) + numerator);
  }

  /** The currencies summed, by code. */
  currencies(): CurrencyCode[] {
    return [...this.sums.keys()].sort(compareCodePoints);
  }

  /** The exact numerator of a currency's sum (over `denominator`); 0 when none was added. */
  numerator(currency: CurrencyCode): bigint {
    return this.sums.get(currency) ?? 0n;
  }

  /** Each currency's sum in minor units, rounded once, half up; sorted by currency code. */
  amounts(): readonly Money[] {
    return Object.freeze(this.currencies().map((c) => makeMoney(c, canonical(roundHalfUp(this.sums.get(c)!, this.denominator)))));
  }
}

/** n / d rounded half up, for n ≥ 0 and d > 0. */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

/** A host's exchange rate: one unit of `currency` is `rate` units of the reporting currency. */
export interface ParsedRate {
  readonly currency: CurrencyCode;
  readonly rate: Decimal;
}

/**
 * The sum of `sums` across currencies in the reporting currency, at the host's rates, exact
 * until one rounding (half up) to the reporting currency's minor unit; `missing` lists the
 * currencies summed that have no rate (then `amount` is null: a partial sum would lie).
 *
 * @internal
 * @example
 * convertSums(sums, 'CNY', rates) // { amount: CNY 7,123.40, missing: [] }
 */
export function convertSums(sums: CurrencySums, reporting: CurrencyCode, rates: ReadonlyMap<CurrencyCode, Decimal>): { readonly amount: Money | null; readonly missing: readonly CurrencyCode[] } {
  const eR = currencyExponent(reporting)!;
  const terms: { readonly numerator: bigint; readonly shift: number }[] = [];
  const missing: CurrencyCode[] = [];
  for (const c of sums.currencies()) {
    // a currency that sums to 0 adds nothing, rate or not
    if (sums.numerator(c) === 0n) continue;
    const rate = c === reporting ? { units: 1n, scale: 0 } : rates.get(c);
    if (rate === undefined) {
      missing.push(c);
      continue;
    }
    const ec = currencyExponent(c)!;
    // value in the reporting currency's minor units: num × units × 10^(eR − ec − scale) / den
    terms.push({ numerator: sums.numerator(c) * BigInt(rate.units), shift: eR - ec - rate.scale });
  }
  if (missing.length > 0) return Object.freeze({ amount: null, missing: Object.freeze(missing) });
  const k = Math.max(0, ...terms.map((t) => -t.shift));
  let total = 0n;
  for (const t of terms) total += t.numerator * pow10Big(t.shift + k);
  const amount = makeMoney(reporting, canonical(roundHalfUp(total, sums.denominator * pow10Big(k))));
  return Object.freeze({ amount, missing: Object.freeze([]) });
}
