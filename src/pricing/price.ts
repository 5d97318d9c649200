import type { CrmError } from '../core/errors.js';
import { InvariantError, refuse } from '../core/errors.js';
import {
  addDecimals,
  compareDecimals,
  currencyExponent,
  DECIMAL_ONE,
  DECIMAL_ZERO,
  decimalToString,
  divideDecimals,
  formatMoney,
  moneyToDecimal,
  multiplyDecimals,
  parseDecimal,
  percentToRate,
  roundDecimal,
  productInMinorUnits,
  signOfDecimal,
  subtractDecimals,
  type CurrencyCode,
  type Decimal,
  type Money,
  type RoundingMode,
} from '../core/money.js';
import { makeMoney } from '../core/money/amount.js';
import { allocateMinor } from '../core/money/allocate.js';
import { addIntegers, subtractIntegers, type ExactInteger } from '../core/money/integers.js';
import { multiplyMinor, prorateMinor } from '../core/money/multiply.js';
import { ok, type Result } from '../core/result.js';
import { markDeeplyFrozen } from '../core/validation.js';
import { pricingInput } from './boundary.js';
import { quotePricingSchema, type LineStage, type QuoteLine, type QuotePricing, type QuotePricingInput, type Tiers } from './model.js';

/** One step of a line's price waterfall: the line amount after the stage. */
export interface StageAmount {
  readonly stage: 'list' | LineStage;
  /** Whether the stage changed anything for this line (no contract price, no tiers, no discount: false). */
  readonly applied: boolean;
  /**
   * The line amount after the stage, rounded once from its exact value (each stage from the
   * exact amount before it: roundings never pile up).
   */
  readonly amount: Money;
}

/** A priced line: its waterfall, its share of the order discount, its tax and its total. */
export interface PricedLine {
  readonly id: string;
  readonly productId: string;
  readonly quantity: string;
  readonly listUnitPrice: string;
  /** list → the configured stages, in order. */
  readonly waterfall: readonly StageAmount[];
  /** quantity × list price, rounded once. */
  readonly listAmount: Money;
  /** The line amount after its own discounts, rounded once (tax-inclusive when the quote's prices are). */
  readonly amount: Money;
  /** The unit price after the line's own discounts (销售单价): amount ÷ quantity, to at most 6 decimals. */
  readonly saleUnitPrice: string;
  /** The line's discount off its list amount, in percent to 2 decimals. */
  readonly discountPercent: string;
  /** A unit price below the line's floor price: a special price (特价). */
  readonly belowFloor: boolean;
  /** The line's share of the order discount (largest remainder over the lines). */
  readonly orderDiscount: Money;
  readonly taxPercent: string;
  /** Without tax, after the order discount. */
  readonly net: Money;
  readonly tax: Money;
  /** With tax, after the order discount: net + tax. */
  readonly total: Money;
}

/** A quote's totals: every one the exact sum of its lines. */
export interface QuoteTotals {
  readonly list: Money;
  /** Σ line amounts (after line discounts, before the order discount). */
  readonly amount: Money;
  readonly orderDiscount: Money;
  readonly net: Money;
  readonly tax: Money;
  readonly total: Money;
  /** The discount off the list, line and order discounts together, in percent to 2 decimals. */
  readonly discountPercent: string;
}

/** Tax per rate: the base (net) and the tax of the lines at that rate. */
export interface TaxByRate {
  readonly percent: string;
  readonly net: Money;
  readonly tax: Money;
}

/** A priced quote. Recomputing it from the same stored input gives the same value. */
export interface PricedQuote {
  readonly currency: CurrencyCode;
  readonly rounding: RoundingMode;
  readonly lines: readonly PricedLine[];
  readonly totals: QuoteTotals;
  readonly taxByRate: readonly TaxByRate[];
}

/** Exact facts approval rules compare against (kept out of the public result, computed once). */
export interface PricingFacts {
  /** Per line: the exact amount after line discounts, quantity × list, quantity × floor (null: no floor). */
  readonly lines: readonly { readonly id: string; readonly exact: Decimal; readonly listExact: Decimal; readonly floorExact: Decimal | null }[];
  /** What the order discount was taken off (zero without one). */
  readonly orderBase: Decimal;
  /** The order discount as a percentage of its base, to 2 decimals. */
  readonly orderDiscountPercent: string;
}

/** Stored decimal strings already read (bounded; a memo, never state). */
const read = new Map<string, Decimal>();

/**
 * A stored decimal string (validated at the door): a bad one here is a bug (memoized; internal).
 *
 * @example
 * decimal('19.99') // { units: 1999, scale: 2 }
 */
export function decimal(s: string): Decimal {
  let d = read.get(s);
  if (d !== undefined) return d;
  const parsed = parseDecimal(s);
  if (!parsed.ok) throw new InvariantError(`pricing: not a decimal: ${s}`);
  if (read.size >= 50_000) read.clear();
  read.set(s, (d = parsed.value));
  return d;
}

const keeps = new Map<string, Decimal>();
const rates = new Map<string, Decimal>();

/** 1 − percent/100 (memoized; internal). @example keepRate('15') // 0.85 */
export function keepRate(percent: string): Decimal {
  let k = keeps.get(percent);
  if (k === undefined) {
    if (keeps.size >= 10_000) keeps.clear();
    keeps.set(percent, (k = subtractDecimals(DECIMAL_ONE, percentToRate(decimal(percent)))));
  }
  return k;
}

/** percent/100 (memoized). */
function rateOf(percent: string): Decimal {
  let r = rates.get(percent);
  if (r === undefined) {
    if (rates.size >= 10_000) rates.clear();
    rates.set(percent, (r = percentToRate(decimal(percent))));
  }
  return r;
}

const HUNDRED: Decimal = decimal('100');

function must<T>(r: Result<T, CrmError>): T {
  if (!r.ok) throw new InvariantError(`pricing: ${r.error.code} ${r.error.message}`);
  return r.value;
}


/**
 * A step of a line's waterfall in product form: its exact amount is the product of `factors`
 * (quantity × a unit price × kept rates), so it is rounded once without building the decimal.
 */
interface Step {
  readonly stage: 'list' | LineStage;
  readonly applied: boolean;
  readonly factors: readonly Decimal[];
}

/** The exact product of factors. */
function productOf(factors: readonly Decimal[]): Decimal {
  let d = factors[0]!;
  for (let i = 1; i < factors.length; i++) d = multiplyDecimals(d, factors[i]!);
  return d;
}

/** Tiers with their numbers read: per band its lower bound, and its unit price or kept rate. */
interface ReadTiers {
  readonly from: readonly Decimal[];
  readonly price: readonly (Decimal | null)[];
  readonly keep: readonly (Decimal | null)[];
}

/** Tiers read once per tiers object (a quote's lines often share one). */
const readTiersMemo = new WeakMap<Tiers, ReadTiers>();

function readTiers(tiers: Tiers): ReadTiers {
  let t = readTiersMemo.get(tiers);
  if (t === undefined) {
    const bands = tiers.bands;
    t = {
      from: bands.map((b) => decimal(b.from)),
      price: bands.map((b) => (b.price !== undefined ? decimal(b.price) : null)),
      keep: bands.map((b) => (b.percentOff !== undefined ? keepRate(b.percentOff) : null)),
    };
    readTiersMemo.set(tiers, t);
  }
  return t;
}

/**
 * The line after volume tiers. Range: every unit at the band its quantity falls in (a unit price,
 * or a percentage off the price so far). Slab: the units within each band at that band — a unit
 * price, or the unit price so far less the band's percentage — summed (one exact factor).
 * `before` always starts with the quantity (every stage before the tier keeps it first), so the
 * unit price so far is the exact product of the other factors.
 */
function tieredFactors(tiers: Tiers, quantity: Decimal, before: readonly Decimal[]): readonly Decimal[] {
  const { from, price, keep } = readTiers(tiers);
  const n = from.length;
  if (tiers.mode === 'range') {
    let k = 0;
    while (k + 1 < n && compareDecimals(from[k + 1]!, quantity) <= 0) k++;
    return price[k] !== null ? [quantity, price[k]!] : [...before, keep[k]!];
  }
  let priced = DECIMAL_ZERO; // Σ units × unit price, over the bands that give one
  let kept = DECIMAL_ZERO; // Σ units × kept rate, over the bands that take a percentage off
  for (let k = 0; k < n; k++) {
    if (compareDecimals(quantity, from[k]!) <= 0) break;
    const next = k + 1 < n ? from[k + 1]! : null;
    const upTo = next !== null && compareDecimals(next, quantity) < 0 ? next : quantity;
    const units = subtractDecimals(upTo, from[k]!);
    if (price[k] !== null) priced = addDecimals(priced, multiplyDecimals(units, price[k]!));
    else kept = addDecimals(kept, multiplyDecimals(units, keep[k]!));
  }
  if (signOfDecimal(kept) === 0) return [priced];
  if (before[0] !== quantity) throw new InvariantError('pricing: the price before the tiers is not per unit');
  return [addDecimals(priced, multiplyDecimals(productOf(before.slice(1)), kept))];
}

/**
 * The line's exact amount after its stages, as factors whose product it is — its list factors
 * kept in `lists[i]`, each step recorded in `steps` when given — or null when an amount off
 * takes the line below zero. (Every other stage multiplies non-negative numbers, so only an
 * amount off can.)
 */
function lineFactors(line: QuoteLine, stages: readonly LineStage[], steps: Step[] | null, lists: (readonly Decimal[])[], i: number): readonly Decimal[] | null {
  const q = decimal(line.quantity);
  let f: readonly Decimal[] = [q, decimal(line.listPrice)];
  lists[i] = f;
  if (steps !== null) steps.push({ stage: 'list', applied: true, factors: f });
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k]!;
    let applied = false;
    if (stage === 'contract' && line.contractPrice !== null) {
      f = [q, decimal(line.contractPrice)];
      applied = true;
    } else if (stage === 'tier' && line.tiers !== null) {
      f = tieredFactors(line.tiers, q, f);
      applied = true;
    } else if (stage === 'lineDiscount' && line.discount !== null) {
      const d = line.discount;
      if (d.kind === 'salePrice') f = [q, decimal(d.price)];
      else if (d.kind === 'percent') f = [...f, keepRate(d.percent)];
      else if (f[0] === q) {
        // per unit: the unit price so far less the amount (the quantity stays the first factor)
        const unit = subtractDecimals(productOf(f.slice(1)), decimal(d.amount));
        if (signOfDecimal(unit) < 0) return null;
        f = [q, unit];
      } else {
        const left = subtractDecimals(productOf(f), multiplyDecimals(q, decimal(d.amount)));
        if (signOfDecimal(left) < 0) return null;
        f = [left];
      }
      applied = true;
    }
    if (steps !== null) steps.push({ stage, applied, factors: f });
  }
  return f;
}

/**
 * The unit price of a line: its exact amount ÷ quantity, to 6 decimals. When the quantity is the
 * first factor (every product-form stage keeps it there), the quotient is the product of the
 * others exactly, rounded once: the same value without a long division.
 */
function unitPriceOf(factors: readonly Decimal[], exact: Decimal, quantity: Decimal, rounding: RoundingMode): Result<Decimal, CrmError> {
  if (factors.length > 1 && factors[0] === quantity) return roundDecimal(productOf(factors.slice(1)), 6, rounding);
  return divideDecimals(exact, quantity, 6, rounding);
}

/** (1 − part ÷ whole) × 100, to 2 decimals; 0 when the whole is 0. */
function discountPercentOf(part: Decimal, whole: Decimal, rounding: RoundingMode): string {
  if (signOfDecimal(whole) === 0) return '0';
  const kept = must(divideDecimals(multiplyDecimals(part, HUNDRED), whole, 2, rounding));
  return decimalToString(subtractDecimals(HUNDRED, kept));
}

/** A tax rate read once: the rate, as a factor list, and 1 + rate. */
interface TaxRate {
  readonly rate: readonly Decimal[];
  readonly onePlus: Decimal;
}

const taxRates = new Map<string, TaxRate>();

function taxRateOf(percent: string): TaxRate {
  let t = taxRates.get(percent);
  if (t === undefined) {
    if (taxRates.size >= 10_000) taxRates.clear();
    const rate = rateOf(percent);
    taxRates.set(percent, (t = { rate: Object.freeze([rate]), onePlus: addDecimals(DECIMAL_ONE, rate) }));
  }
  return t;
}

/** Σ of exact integers: in plain numbers while every partial sum is safe, in bigint past that. */
function total(xs: readonly ExactInteger[]): ExactInteger {
  let sum = 0;
  let i = 0;
  for (; i < xs.length; i++) {
    const x = xs[i]!;
    if (typeof x !== 'number') break;
    const next = sum + x;
    if (!(next <= MAX_SAFE_SUM && next >= -MAX_SAFE_SUM)) break;
    sum = next;
  }
  let big: ExactInteger = sum;
  for (; i < xs.length; i++) big = addIntegers(big, xs[i]!);
  return big;
}

const MAX_SAFE_SUM = Number.MAX_SAFE_INTEGER;

/** The indices of the lines at each rate, in the order rates first appear (one group when the quote has one rate). */
function byRate(rates: readonly string[]): Map<string, number[] | null> {
  const groups = new Map<string, number[] | null>();
  const first = rates[0];
  let one = true;
  for (let i = 1; i < rates.length; i++) {
    if (rates[i] !== first) {
      one = false;
      break;
    }
  }
  if (one) {
    if (first !== undefined) groups.set(first, null); // null: every line
    return groups;
  }
  for (let i = 0; i < rates.length; i++) {
    const list = groups.get(rates[i]!);
    if (list === undefined) groups.set(rates[i]!, [i]);
    else list!.push(i);
  }
  return groups;
}

/** A column of minor amounts and its sum. */
interface Column {
  readonly values: ExactInteger[];
  readonly sum: ExactInteger;
}

/**
 * Tax on each line (minor units), rounded per line or once per rate with the difference given
 * back to the rate's lines by largest remainder (so each line's tax is the floor or ceiling of
 * its exact tax, and the lines sum to the rate's rounded total). `onNet`: tax = net × rate;
 * `inGross`: tax = gross × rate ÷ (1 + rate), the rest is net. `base` is the amounts' sum.
 */
function taxLines(
  currency: CurrencyCode,
  amounts: Column,
  rates: readonly string[],
  groups: Map<string, number[] | null>,
  kind: 'onNet' | 'inGross',
  perRate: boolean,
  rounding: RoundingMode,
): Column {
  const taxOf = (m: ExactInteger, t: TaxRate): ExactInteger =>
    kind === 'onNet' ? multiplyMinor(currency, m, t.rate, rounding) : prorateMinor(currency, m, t.rate[0]!, t.onePlus, rounding);
  const xs = amounts.values;
  const n = xs.length;
  const out = new Array<ExactInteger>(n);
  if (!perRate) {
    let sum: ExactInteger = 0;
    for (let i = 0; i < n; i++) sum = addIntegers(sum, (out[i] = taxOf(xs[i]!, taxRateOf(rates[i]!))));
    return { values: out, sum };
  }
  // Amounts are never negative (lines are ≥ 0, and a line's share of an order discount is at
  // most its base): they are the weights of the rate's tax.
  let sum: ExactInteger = 0;
  for (const [percent, idx] of groups) {
    const t = taxRateOf(percent);
    if (idx === null) {
      const tax = taxOf(amounts.sum, t);
      return { values: allocateMinor(tax, xs, amounts.sum), sum: tax };
    }
    const base = idx.map((i) => xs[i]!);
    const baseSum = total(base);
    const tax = taxOf(baseSum, t);
    const shares = allocateMinor(tax, base, baseSum);
    for (let k = 0; k < idx.length; k++) out[idx[k]!] = shares[k]!;
    sum = addIntegers(sum, tax);
  }
  return { values: out, sum };
}

/** a[i] + sign × b[i] for every line, with the sum. */
function combine(a: Column, b: Column, sign: 1 | -1): Column {
  const n = a.values.length;
  const out = new Array<ExactInteger>(n);
  const av = a.values;
  const bv = b.values;
  for (let i = 0; i < n; i++) out[i] = sign === 1 ? addIntegers(av[i]!, bv[i]!) : subtractIntegers(av[i]!, bv[i]!);
  return { values: out, sum: sign === 1 ? addIntegers(a.sum, b.sum) : subtractIntegers(a.sum, b.sum) };
}

/** Per line, in minor units, with each column's sum: the amounts a quote's lines come to (see `QuoteAmounts.lines`). */
interface LineMinor {
  readonly list: Column;
  readonly amount: Column;
  readonly orderDiscount: Column;
  readonly net: Column;
  readonly tax: Column;
  readonly total: Column;
}

/** What the engine computes for a quote, before anything is shaped for output. */
interface Engine {
  readonly lines: LineMinor;
  /** Per line, the factors whose product is its exact amount. */
  readonly factors: readonly (readonly Decimal[])[];
  readonly rates: readonly string[];
  readonly groups: Map<string, number[] | null>;
  /** What the order discount was taken off (0 without one). */
  readonly orderBase: ExactInteger;
}

/**
 * The one pricing engine behind `priceQuote` and `priceQuoteAmounts`: from each line's exact
 * factors, every amount in minor units — lines rounded once, the order discount (a percentage
 * rounded once, or an amount) spread by largest remainder, tax per line or per rate — and the
 * sum of each column, kept as the columns are made.
 */
function runEngine(q: QuotePricing, steps: Step[][] | null): Result<Engine, CrmError> {
  // an order discount of an amount is money: more decimals than its currency has is refused, never rounded
  const offAmount = q.orderDiscount;
  if (offAmount !== null && offAmount.kind === 'amount') {
    const exponent = currencyExponent(q.currency) ?? 2;
    const scale = decimal(offAmount.amount).scale;
    if (scale > exponent) {
      const message = `${q.currency} has ${exponent} decimal${exponent === 1 ? '' : 's'}, the amount has ${scale}: it is never rounded silently`;
      return refuse('INVALID_INPUT', { issues: [{ path: ['orderDiscount', 'amount'], message, code: 'custom' }], summary: `orderDiscount.amount: ${message}` });
    }
  }
  const { currency, rounding } = q;
  const n = q.lines.length;
  const factors: (readonly Decimal[])[] = new Array<readonly Decimal[]>(n);
  const lists: (readonly Decimal[])[] = new Array<readonly Decimal[]>(n);
  for (let i = 0; i < n; i++) {
    const recorded: Step[] | null = steps === null ? null : (steps[i] = []);
    const f = lineFactors(q.lines[i]!, q.stages, recorded, lists, i);
    if (f === null) return refuse('PRICING_NEGATIVE_LINE', { lineId: q.lines[i]!.id, index: i });
    factors[i] = f;
  }
  const listValues = new Array<ExactInteger>(n);
  const amountValues = new Array<ExactInteger>(n);
  const rates = new Array<string>(n);
  let listSum: ExactInteger = 0;
  let amountSum: ExactInteger = 0;
  const quoteRate = q.tax.percent;
  for (let i = 0; i < n; i++) {
    const a = (amountValues[i] = productInMinorUnits(currency, factors[i]!, rounding));
    const l = (listValues[i] = productInMinorUnits(currency, lists[i]!, rounding));
    amountSum = addIntegers(amountSum, a);
    listSum = addIntegers(listSum, l);
    rates[i] = q.lines[i]!.taxPercent ?? quoteRate;
  }
  const list: Column = { values: listValues, sum: listSum };
  const amounts: Column = { values: amountValues, sum: amountSum };
  const groups = byRate(rates);
  const perRate = q.tax.rounding === 'perRate';
  const inclusive = q.tax.mode === 'inclusive';
  const od = q.orderDiscount;
  const spread = od !== null && n > 0;

  // Before the order discount: each line's net, tax and gross (the tax only when something reads it).
  let tax: Column | null = null;
  let net = amounts;
  let gross = amounts;
  if (!spread || inclusive || od.base === 'total') {
    tax = taxLines(currency, amounts, rates, groups, inclusive ? 'inGross' : 'onNet', perRate, rounding);
    if (inclusive) net = combine(amounts, tax, -1);
    else gross = combine(amounts, tax, 1);
  }

  let shares: Column;
  let orderBase: ExactInteger = 0;
  if (spread) {
    const base = od.base === 'net' ? net : gross;
    orderBase = base.sum;
    const discount = od.kind === 'percent' ? multiplyMinor(currency, orderBase, [rateOf(od.percent)], rounding) : productInMinorUnits(currency, [decimal(od.amount)], rounding);
    if (discount > orderBase) {
      return refuse('PRICING_ORDER_DISCOUNT_EXCEEDS_BASE', {
        discount: formatMoney(makeMoney(currency, discount)),
        base: formatMoney(makeMoney(currency, orderBase)),
        currency,
      });
    }
    shares = { values: orderBase > 0 ? allocateMinor(discount, base.values, orderBase) : new Array<ExactInteger>(n).fill(0), sum: discount };
    const after = combine(base, shares, -1);
    if (od.base === 'net') {
      net = after;
      tax = taxLines(currency, after, rates, groups, 'onNet', perRate, rounding);
      gross = combine(after, tax, 1);
    } else {
      gross = after;
      tax = taxLines(currency, after, rates, groups, 'inGross', perRate, rounding);
      net = combine(after, tax, -1);
    }
  } else {
    shares = { values: new Array<ExactInteger>(n).fill(0), sum: 0 };
  }
  return ok({ lines: { list, amount: amounts, orderDiscount: shares, net, tax: tax!, total: gross }, factors, rates, groups, orderBase });
}

/** The quote's totals and tax by rate, from the engine's lines (every total the exact sum of its lines). */
function totalsOf(q: QuotePricing, e: Engine): { totals: QuoteTotals; taxByRate: readonly TaxByRate[] } {
  const { currency, rounding } = q;
  const m = (x: ExactInteger): Money => makeMoney(currency, x);
  const l = e.lines;
  const list = m(l.list.sum);
  const net = m(l.net.sum);
  const gross = m(l.total.sum);
  const totals: QuoteTotals = Object.freeze({
    list,
    amount: m(l.amount.sum),
    orderDiscount: m(l.orderDiscount.sum),
    net,
    tax: m(l.tax.sum),
    total: gross,
    // The discount off the list in the basis the prices are written in (with tax when inclusive).
    discountPercent: discountPercentOf(moneyToDecimal(q.tax.mode === 'inclusive' ? gross : net), moneyToDecimal(list), rounding),
  });
  const rows: TaxByRate[] = [];
  for (const [percent, idx] of e.groups) {
    // one rate (idx null): its sums are the quote's
    if (idx === null) rows.push(Object.freeze({ percent, net: totals.net, tax: totals.tax }));
    else rows.push(Object.freeze({ percent, net: m(total(idx.map((i) => l.net.values[i]!))), tax: m(total(idx.map((i) => l.tax.values[i]!))) }));
  }
  rows.sort((a, b) => compareDecimals(decimal(a.percent), decimal(b.percent)));
  return { totals, taxByRate: Object.freeze(rows) };
}

/**
 * Prices a quote exactly, every amount rounded once with the quote's mode: each line through
 * its waterfall (list → the configured stages: contract price, volume tier, line discount),
 * rounded to the currency; the order discount (a percentage rounded once, or an amount) spread
 * over the lines by largest remainder so they sum to it exactly — 100% leaves exactly 0; tax per
 * line or per rate. Refusals: `INVALID_INPUT` (with paths; a negative quantity or price — a
 * credit line — is among them, its issue saying so), `PRICING_NEGATIVE_LINE` (a discount takes a
 * line below zero), `PRICING_ORDER_DISCOUNT_EXCEEDS_BASE` (an order discount larger than what it
 * is taken off). Any value gives a Result; the priced quote is frozen all the way down.
 *
 * @example
 * priceQuote({ currency: 'CNY', lines: [{ id: 'l1', productId: 'p1', quantity: '3', listPrice: '19.99', discount: { kind: 'percent', percent: '15' } }], tax: { percent: '13' } })
 * // ok: lines[0].amount CNY 50.97, totals.tax CNY 6.63, totals.total CNY 57.60
 */
export function priceQuote(input: QuotePricingInput | QuotePricing): Result<PricedQuote, CrmError> {
  const door = pricingDoor(input);
  return door.ok ? pricePricing(door.value) : door;
}

/**
 * The pricing input, validated — or, for a quote the rules made, as it is: it was validated when
 * it was made, and its pricing fields are frozen all the way down (strings, frozen objects and
 * arrays: nothing priced can change). Its Dates could, but pricing never reads them.
 */
function pricingDoor(input: unknown): Result<QuotePricing, CrmError> {
  if (typeof input === 'object' && input !== null && madeByRules.has(input)) return ok(input as QuotePricing);
  return pricingInput(quotePricingSchema, input, []);
}

/**
 * Quotes the rules returned, deeply frozen (so validated, and their pricing unchangeable):
 * `priceQuote` and `requiredApprovals` read them without parsing again.
 *
 * @internal
 */
export const madeByRules = new WeakSet<object>();

/** `priceQuote` for a validated pricing input (the quote commands' path). */
export function pricePricing(q: QuotePricing): Result<PricedQuote, CrmError> {
  const r = priceWithFacts(q);
  return r.ok ? ok(r.value.priced) : r;
}

/**
 * Prices a validated input and keeps the exact facts the approval rules compare.
 *
 * @internal
 */
export function priceWithFacts(q: QuotePricing): Result<{ readonly priced: PricedQuote; readonly facts: PricingFacts }, CrmError> {
  const { currency, rounding } = q;
  const n = q.lines.length;
  const steps: Step[][] = new Array<Step[]>(n);
  const run = runEngine(q, steps);
  if (!run.ok) return run;
  const e = run.value;
  const factors = e.factors;
  const m = (x: ExactInteger): Money => makeMoney(currency, x);
  const factLines: PricingFacts['lines'][number][] = new Array<PricingFacts['lines'][number]>(n);
  const lines: PricedLine[] = new Array<PricedLine>(n);
  for (let i = 0; i < n; i++) {
    const l = q.lines[i]!;
    const w = steps[i]!;
    const quantity = decimal(l.quantity);
    const exact = productOf(factors[i]!);
    const listExact = productOf(w[0]!.factors);
    const floorExact = l.floorPrice === null ? null : multiplyDecimals(quantity, decimal(l.floorPrice));
    factLines[i] = { id: l.id, exact, listExact, floorExact };
    const listAmount = m(e.lines.list.values[i]!);
    const amount = m(e.lines.amount.values[i]!);
    // Each stage rounded from its exact amount; a stage that changed nothing shows the amount before it.
    let previous = listAmount;
    const waterfall = new Array<StageAmount>(w.length);
    for (let k = 0; k < w.length; k++) {
      const st = w[k]!;
      const a = k === 0 ? previous : k === w.length - 1 ? amount : st.applied ? m(productInMinorUnits(currency, st.factors, rounding)) : previous;
      previous = a;
      waterfall[k] = Object.freeze({ stage: st.stage, applied: st.applied, amount: a });
    }
    lines[i] = Object.freeze({
      id: l.id,
      productId: l.productId,
      quantity: l.quantity,
      listUnitPrice: l.listPrice,
      waterfall: Object.freeze(waterfall),
      listAmount,
      amount,
      saleUnitPrice: decimalToString(must(unitPriceOf(factors[i]!, exact, quantity, rounding))),
      discountPercent: discountPercentOf(exact, listExact, rounding),
      belowFloor: floorExact !== null && compareDecimals(exact, floorExact) < 0,
      orderDiscount: m(e.lines.orderDiscount.values[i]!),
      taxPercent: e.rates[i]!,
      net: m(e.lines.net.values[i]!),
      tax: m(e.lines.tax.values[i]!),
      total: m(e.lines.total.values[i]!),
    });
  }
  const { totals, taxByRate } = totalsOf(q, e);
  // frozen at every level as it was built (lines, waterfalls, amounts, totals, tax rows)
  const priced: PricedQuote = markDeeplyFrozen(Object.freeze({ currency, rounding, lines: Object.freeze(lines), totals, taxByRate }));
  const orderBase = moneyToDecimal(m(e.orderBase));
  const facts: PricingFacts = {
    lines: factLines,
    orderBase,
    orderDiscountPercent:
      signOfDecimal(orderBase) === 0 ? '0' : decimalToString(must(divideDecimals(multiplyDecimals(moneyToDecimal(m(e.lines.orderDiscount.sum)), HUNDRED), orderBase, 2, rounding))),
  };
  return ok({ priced, facts });
}

/**
 * A quote priced for speed: the same totals and tax by rate as `priceQuote`, and each line's
 * amounts as exact integer counts of the currency's minor unit (a number; a bigint past 2^53)
 * in one array per amount, indexed like the quote's lines — no per-line objects, no waterfall,
 * no sale unit price. For a quote editor that reprices on every keystroke, or a batch that only
 * needs the numbers; `priceQuote` gives the full per-line breakdown from the same engine.
 */
export interface QuoteAmounts {
  readonly currency: CurrencyCode;
  readonly rounding: RoundingMode;
  readonly totals: QuoteTotals;
  readonly taxByRate: readonly TaxByRate[];
  /** Per line, in minor units: `list[i]` is line i's list amount (as `PricedLine.listAmount.minor`), and so on. */
  readonly lines: {
    readonly list: readonly ExactInteger[];
    readonly amount: readonly ExactInteger[];
    readonly orderDiscount: readonly ExactInteger[];
    readonly net: readonly ExactInteger[];
    readonly tax: readonly ExactInteger[];
    readonly total: readonly ExactInteger[];
  };
}

/**
 * Prices a quote to its amounts only (see `QuoteAmounts`): exactly the numbers `priceQuote`
 * gives — every line's list, amount, share of the order discount, net, tax and total, and the
 * totals — in a lean shape. Same validation and refusals as `priceQuote` (a quote the rules
 * made is read without parsing again).
 *
 * @example
 * const r = priceQuoteAmounts(quote);
 * if (r.ok) r.value.lines.total[0] // 5760 (CNY 57.60), as priceQuote's lines[0].total.minor
 */
export function priceQuoteAmounts(input: QuotePricingInput | QuotePricing): Result<QuoteAmounts, CrmError> {
  const door = pricingDoor(input);
  if (!door.ok) return door;
  const q = door.value;
  const run = runEngine(q, null);
  if (!run.ok) return run;
  const e = run.value;
  const { totals, taxByRate } = totalsOf(q, e);
  const l = e.lines;
  return ok(
    Object.freeze({
      currency: q.currency,
      rounding: q.rounding,
      totals,
      taxByRate,
      lines: Object.freeze({
        list: Object.freeze(l.list.values),
        amount: Object.freeze(l.amount.values),
        orderDiscount: Object.freeze(l.orderDiscount.values),
        net: Object.freeze(l.net.values),
        tax: Object.freeze(l.tax.values),
        total: Object.freeze(l.total.values),
      }),
    }),
  );
}
