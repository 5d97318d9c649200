import type { CrmError } from '../core/errors.js';
import { InvariantError, refuse } from '../core/errors.js';
import {
  addDecimals,
  addMoney,
  allocateMoney,
  compareDecimals,
  DECIMAL_ONE,
  DECIMAL_ZERO,
  decimalToString,
  divideDecimals,
  formatMoney,
  moneyFromDecimal,
  moneyToDecimal,
  multiplyDecimals,
  multiplyMoney,
  parseDecimal,
  percentToRate,
  prorateMoney,
  signOfDecimal,
  subtractDecimals,
  subtractMoney,
  sumMoney,
  zeroMoney,
  type CurrencyCode,
  type Decimal,
  type Money,
  type RoundingMode,
} from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { parseInput } from '../core/validation.js';
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


/** The line amount after volume tiers: range prices every unit at its band, slab each band on its own. */
function tieredAmount(tiers: Tiers, quantity: Decimal, amount: Decimal): Decimal {
  const bands = tiers.bands;
  if (tiers.mode === 'range') {
    let band = bands[0]!;
    for (const b of bands) if (compareDecimals(decimal(b.from), quantity) <= 0) band = b;
    return band.price !== undefined ? multiplyDecimals(quantity, decimal(band.price)) : multiplyDecimals(amount, keepRate(band.percentOff!));
  }
  let total = DECIMAL_ZERO;
  for (let k = 0; k < bands.length; k++) {
    const from = decimal(bands[k]!.from);
    if (compareDecimals(quantity, from) <= 0) break;
    const next = k + 1 < bands.length ? decimal(bands[k + 1]!.from) : null;
    const upTo = next !== null && compareDecimals(next, quantity) < 0 ? next : quantity;
    total = addDecimals(total, multiplyDecimals(subtractDecimals(upTo, from), decimal(bands[k]!.price!)));
  }
  return total;
}

/** The exact line amount after each stage, or the line whose discount goes below zero. */
function lineWaterfall(line: QuoteLine, stages: readonly LineStage[]): { steps: { stage: 'list' | LineStage; applied: boolean; exact: Decimal }[]; exact: Decimal } | null {
  const q = decimal(line.quantity);
  let a = multiplyDecimals(q, decimal(line.listPrice));
  const steps: { stage: 'list' | LineStage; applied: boolean; exact: Decimal }[] = [{ stage: 'list', applied: true, exact: a }];
  for (const stage of stages) {
    let applied = false;
    if (stage === 'contract' && line.contractPrice !== null) {
      a = multiplyDecimals(q, decimal(line.contractPrice));
      applied = true;
    } else if (stage === 'tier' && line.tiers !== null) {
      a = tieredAmount(line.tiers, q, a);
      applied = true;
    } else if (stage === 'lineDiscount' && line.discount !== null) {
      const d = line.discount;
      a =
        d.kind === 'salePrice'
          ? multiplyDecimals(q, decimal(d.price))
          : d.kind === 'percent'
            ? multiplyDecimals(a, keepRate(d.percent))
            : subtractDecimals(a, multiplyDecimals(q, decimal(d.amount)));
      applied = true;
    }
    if (signOfDecimal(a) < 0) return null;
    steps.push({ stage, applied, exact: a });
  }
  return { steps, exact: a };
}

/** (1 − part ÷ whole) × 100, to 2 decimals; 0 when the whole is 0. */
function discountPercentOf(part: Decimal, whole: Decimal, rounding: RoundingMode): string {
  if (signOfDecimal(whole) === 0) return '0';
  const kept = must(divideDecimals(multiplyDecimals(part, HUNDRED), whole, 2, rounding));
  return decimalToString(subtractDecimals(HUNDRED, kept));
}

/**
 * Tax on each line, rounded per line or once per rate with the difference given back to the
 * rate's lines by largest remainder (so each line's tax is the floor or ceiling of its exact
 * tax, and the lines sum to the rate's rounded total). `onNet`: tax = net × rate; `inGross`:
 * tax = gross × rate ÷ (1 + rate), the rest is net.
 */
function taxLines(amounts: readonly Money[], rates: readonly string[], kind: 'onNet' | 'inGross', perRate: boolean, rounding: RoundingMode): Money[] {
  const taxOf = (m: Money, percent: string): Money => {
    const rate = rateOf(percent);
    return kind === 'onNet' ? multiplyMoney(m, rate, rounding) : must(prorateMoney(m, rate, addDecimals(DECIMAL_ONE, rate), rounding));
  };
  if (!perRate) return amounts.map((m, i) => taxOf(m, rates[i]!));
  const out = new Array<Money>(amounts.length);
  const byRate = new Map<string, number[]>();
  rates.forEach((r, i) => {
    const list = byRate.get(r);
    if (list === undefined) byRate.set(r, [i]);
    else list.push(i);
  });
  for (const [percent, idx] of byRate) {
    const base = must(sumMoney(idx.map((i) => amounts[i]!), amounts[idx[0]!]!.currency));
    const total = taxOf(base, percent);
    // Amounts may be negative only through a bug (lines are ≥ 0): weights are the line bases.
    const shares = must(allocateMoney(total, idx.map((i) => amounts[i]!)));
    idx.forEach((i, k) => (out[i] = shares[k]!));
  }
  return out;
}

/**
 * Prices a quote exactly, every amount rounded once with the quote's mode: each line through
 * its waterfall (list → the configured stages: contract price, volume tier, line discount),
 * rounded to the currency; the order discount (a percentage rounded once, or an amount) spread
 * over the lines by largest remainder so they sum to it exactly — 100% leaves exactly 0; tax per
 * line or per rate. Refusals: `INVALID_INPUT` (with paths), `PRICING_NEGATIVE_LINE` (a discount
 * takes a line below zero), `PRICING_ORDER_DISCOUNT_EXCEEDS_BASE` (an order discount larger
 * than what it is taken off).
 *
 * @example
 * priceQuote({ currency: 'CNY', lines: [{ id: 'l1', productId: 'p1', quantity: '3', listPrice: '19.99', discount: { kind: 'percent', percent: '15' } }], tax: { percent: '13' } })
 * // ok: lines[0].amount CNY 50.97, totals.tax CNY 6.63, totals.total CNY 57.60
 */
export function priceQuote(input: QuotePricingInput | QuotePricing): Result<PricedQuote, CrmError> {
  // A quote the rules made (and froze) was validated when it was made.
  if (typeof input === 'object' && input !== null && madeByRules.has(input)) return pricePricing(input as QuotePricing);
  const parsed = parseInput(quotePricingSchema, input, []);
  if (!parsed.ok) return parsed;
  return pricePricing(parsed.value);
}

/**
 * Frozen quotes the rules returned (so validated): `priceQuote` reads them without parsing again.
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
  const money = (d: Decimal): Money => moneyFromDecimal(currency, d, rounding);
  const zero = zeroMoney(currency);
  const n = q.lines.length;
  const waterfalls: ReturnType<typeof lineWaterfall>[] = [];
  for (let i = 0; i < n; i++) {
    const w = lineWaterfall(q.lines[i]!, q.stages);
    if (w === null) return refuse('PRICING_NEGATIVE_LINE', { lineId: q.lines[i]!.id, index: i });
    waterfalls.push(w);
  }
  const amounts = waterfalls.map((w) => money(w!.exact));
  const listAmounts = waterfalls.map((w) => money(w!.steps[0]!.exact));
  const lineRates = q.lines.map((l) => l.taxPercent ?? q.tax.percent);
  const perRate = q.tax.rounding === 'perRate';
  const inclusive = q.tax.mode === 'inclusive';

  // Before the order discount: each line's net, tax and gross.
  const taxBefore = taxLines(amounts, lineRates, inclusive ? 'inGross' : 'onNet', perRate, rounding);
  const netBefore = amounts.map((a, i) => (inclusive ? must(subtractMoney(a, taxBefore[i]!)) : a));
  const grossBefore = amounts.map((a, i) => (inclusive ? a : must(addMoney(a, taxBefore[i]!))));

  let orderShares: readonly Money[] = amounts.map(() => zero);
  let net = netBefore;
  let tax = taxBefore;
  let gross = grossBefore;
  let orderDiscount = zero;
  let orderBase = DECIMAL_ZERO;
  const od = q.orderDiscount;
  if (od !== null && n > 0) {
    const base = od.base === 'net' ? netBefore : grossBefore;
    const baseTotal = must(sumMoney(base, currency));
    orderBase = moneyToDecimal(baseTotal);
    orderDiscount = od.kind === 'percent' ? multiplyMoney(baseTotal, rateOf(od.percent), rounding) : money(decimal(od.amount));
    if (compareDecimals(moneyToDecimal(orderDiscount), moneyToDecimal(baseTotal)) > 0) {
      return refuse('PRICING_ORDER_DISCOUNT_EXCEEDS_BASE', { discount: formatMoney(orderDiscount), base: formatMoney(baseTotal), currency });
    }
    if (signOfDecimal(moneyToDecimal(baseTotal)) > 0) orderShares = must(allocateMoney(orderDiscount, base));
    const after = base.map((b, i) => must(subtractMoney(b, orderShares[i]!)));
    if (od.base === 'net') {
      net = after;
      tax = taxLines(after, lineRates, 'onNet', perRate, rounding);
      gross = after.map((a, i) => must(addMoney(a, tax[i]!)));
    } else {
      gross = after;
      tax = taxLines(after, lineRates, 'inGross', perRate, rounding);
      net = after.map((a, i) => must(subtractMoney(a, tax[i]!)));
    }
  }

  const lines: PricedLine[] = q.lines.map((l, i) => {
    const w = waterfalls[i]!;
    const quantity = decimal(l.quantity);
    const listExact = w.steps[0]!.exact;
    // Each stage rounded from its exact amount; a stage that changed nothing shows the amount before it.
    let previous = listAmounts[i]!;
    const waterfall = w.steps.map((st, k) => {
      const amount = k === 0 ? previous : k === w.steps.length - 1 ? amounts[i]! : st.applied ? money(st.exact) : previous;
      previous = amount;
      return Object.freeze({ stage: st.stage, applied: st.applied, amount });
    });
    return Object.freeze({
      id: l.id,
      productId: l.productId,
      quantity: l.quantity,
      listUnitPrice: l.listPrice,
      waterfall: Object.freeze(waterfall),
      listAmount: listAmounts[i]!,
      amount: amounts[i]!,
      saleUnitPrice: decimalToString(must(divideDecimals(w.exact, quantity, 6, rounding))),
      discountPercent: discountPercentOf(w.exact, listExact, rounding),
      belowFloor: l.floorPrice !== null && compareDecimals(w.exact, multiplyDecimals(quantity, decimal(l.floorPrice))) < 0,
      orderDiscount: orderShares[i]!,
      taxPercent: lineRates[i]!,
      net: net[i]!,
      tax: tax[i]!,
      total: gross[i]!,
    });
  });

  const sum = (xs: readonly Money[]): Money => must(sumMoney(xs, currency));
  const totalList = sum(listAmounts);
  const totalNet = sum(net);
  const totalGross = sum(gross);
  // The discount off the list in the basis the prices are written in (with tax when inclusive).
  const after = inclusive ? totalGross : totalNet;
  const totals: QuoteTotals = Object.freeze({
    list: totalList,
    amount: sum(amounts),
    orderDiscount,
    net: totalNet,
    tax: sum(tax),
    total: totalGross,
    discountPercent: discountPercentOf(moneyToDecimal(after), moneyToDecimal(totalList), rounding),
  });
  const byRate = new Map<string, { net: Money[]; tax: Money[] }>();
  lineRates.forEach((r, i) => {
    let g = byRate.get(r);
    if (g === undefined) byRate.set(r, (g = { net: [], tax: [] }));
    g.net.push(net[i]!);
    g.tax.push(tax[i]!);
  });
  const taxByRate = [...byRate]
    .sort((a, b) => compareDecimals(decimal(a[0]), decimal(b[0])))
    .map(([percent, g]) => Object.freeze({ percent, net: sum(g.net), tax: sum(g.tax) }));
  const priced: PricedQuote = Object.freeze({ currency, rounding, lines: Object.freeze(lines), totals, taxByRate: Object.freeze(taxByRate) });
  const facts: PricingFacts = {
    lines: q.lines.map((l, i) => {
      return {
        id: l.id,
        exact: waterfalls[i]!.exact,
        listExact: waterfalls[i]!.steps[0]!.exact,
        floorExact: l.floorPrice === null ? null : multiplyDecimals(decimal(l.quantity), decimal(l.floorPrice)),
      };
    }),
    orderBase,
    orderDiscountPercent:
      signOfDecimal(orderBase) === 0 ? '0' : decimalToString(must(divideDecimals(multiplyDecimals(moneyToDecimal(orderDiscount), HUNDRED), orderBase, 2, rounding))),
  };
  return ok({ priced, facts });
}
