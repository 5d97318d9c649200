import * as fc from 'fast-check';
import { idSchema, ROUNDING_MODES, type CurrencyCode } from '../core/index.js';
import {
  approveQuote,
  cancelQuote,
  createQuote,
  editQuote,
  LINE_STAGES,
  priceQuoteAmounts,
  rejectQuote,
  returnQuote,
  SALES_DOCUMENT_KINDS,
  submitQuote,
  type ApprovalPolicyInput,
  type ConversionInput,
  type LineDiscount,
  type NewQuoteInput,
  type Quote,
  type QuoteContext,
  type QuoteEdit,
  type QuoteLineInput,
  type QuotePricingInput,
  type Tiers,
} from '../pricing/index.js';
import { idArb, instantArb, option } from './arbitraries.js';
import { currencyCodeArb, currencyOption, decimalText, defective, minorText } from './money-arbitraries.js';

/*
 * fast-check arbitraries of `crm-rules/pricing`: volume tiers, line and order discounts, tax
 * settings, quote lines, pricing inputs, new quotes, edits, approval policies, conversion
 * requests and stored quotes (walked through the approval flow by the rules themselves). A valid
 * value passes its door and prices without a refusal; each has an invalid twin one defect away
 * that the door refuses (`INVALID_INPUT`, or `PRICING_CREDIT_LINE_NOT_SUPPORTED` when the defect
 * is a negative quantity or price). Every number is an exact decimal string, as pricing stores it.
 */

/* ------------------------------------------------------------------ building blocks */

const REPS = ['rep-li', 'rep-wang', 'rep-chen'] as const;
const REASONS = ['折扣超出授权', '请补充交付条款', 'price below the floor'] as const;

/** The approval ladder a generated policy takes its levels from (in order). */
const LADDER = [
  { id: 'teamLead', name: '组长', approvers: ['lead-zhang', 'lead-liu'] },
  { id: 'finance', name: '财务', approvers: ['fin-wu'] },
  { id: 'boss', name: '总经理', approvers: ['boss-chen'] },
] as const;

/** Prices have 4 decimals here (a unit price may carry more than its currency); quantities 3; percentages 2. */
const PRICE_SCALE = 4;
const QUANTITY_SCALE = 3;
const PERCENT_SCALE = 2;

/** A unit price ≥ 0 in 1/10,000: mostly whole cents up to 100,000.00, sometimes 4 decimals. */
const priceUnitsArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents * 100) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1_000_000_000 }) },
);
/** A quantity > 0 in 1/1,000: mostly whole units up to 500, sometimes a fraction (2.5 箱). */
const quantityUnitsArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 500 }).map((n) => n * 1000) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_000_000 }) },
);
/** A percentage 0–100 in 1/100: mostly the usual ones, sometimes any. */
const percentUnitsArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(0, 5, 10, 13, 15, 20, 30, 50, 100).map((p) => p * 100) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 10_000 }) },
);
/** A tax rate in 1/100 of a percent: China's VAT rates mostly. */
const taxUnitsArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 3, 6, 9, 13).map((p) => p * 100) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 10_000 }) });

const price = (units: number | bigint) => decimalText(units, PRICE_SCALE);
const percent = (units: number) => decimalText(units, PERCENT_SCALE);

/** Tiers as numbers (prices in 1/10,000, percentages in 1/100), before they are written as decimal strings. */
interface TierParts {
  readonly mode: 'range' | 'slab';
  readonly bands: readonly { readonly from: number; readonly price?: number; readonly percentOff?: number }[];
}

const tierPartsArb: fc.Arbitrary<TierParts> = fc
  .tuple(
    fc.constantFrom('range' as const, 'slab' as const),
    fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 3 }),
    fc.array(fc.oneof(priceUnitsArb.map((u) => ({ price: u })), percentUnitsArb.map((p) => ({ percentOff: p }))), { minLength: 4, maxLength: 4 }),
  )
  .map(([mode, cuts, kinds]) => ({ mode, bands: [0, ...[...cuts].sort((a, b) => a - b)].map((from, i) => ({ from, ...kinds[i]! })) }));

function tiersText(t: TierParts): Tiers {
  return {
    mode: t.mode,
    bands: t.bands.map((b) => ({ from: String(b.from), ...(b.price !== undefined ? { price: price(b.price) } : { percentOff: percent(b.percentOff!) }) })),
  };
}

/** A line as numbers, before it is written (see `lineText`). */
interface LineParts {
  readonly productId: string;
  readonly quantity: number;
  readonly list: number;
  readonly contract: number | null;
  readonly tiers: TierParts | null;
  readonly discount:
    | { readonly kind: 'salePrice'; readonly units: number }
    | { readonly kind: 'percent'; readonly units: number }
    | { readonly kind: 'amount'; readonly share: number }
    | null;
  /** The floor price in per mille of the list price. */
  readonly floor: number | null;
  readonly taxPercent: number | null;
  /** Whether fields without a value are left out (else written as null). */
  readonly omit: boolean;
}

const linePartsArb: fc.Arbitrary<LineParts> = fc.record({
  productId: idArb('P'),
  quantity: quantityUnitsArb,
  list: priceUnitsArb,
  contract: fc.option(priceUnitsArb, { nil: null }),
  tiers: fc.option(tierPartsArb, { nil: null }),
  discount: fc.option(
    fc.oneof(
      priceUnitsArb.map((units) => ({ kind: 'salePrice' as const, units })),
      percentUnitsArb.map((units) => ({ kind: 'percent' as const, units })),
      fc.integer({ min: 0, max: 1000 }).map((share) => ({ kind: 'amount' as const, share })),
    ),
    { nil: null },
  ),
  floor: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
  taxPercent: fc.option(taxUnitsArb, { nil: null }),
  omit: fc.boolean(),
});

/**
 * The most an amount off each unit may be so that no order of the stages takes the line below
 * zero: the lowest unit price any stage can set (list, contract, a band's price) less the
 * largest percentage a band takes off, in 1/10,000.
 */
function amountOffBound(l: LineParts): bigint {
  let low = BigInt(l.list);
  let keep = 10_000n; // in 1/10,000 of the price
  if (l.contract !== null && BigInt(l.contract) < low) low = BigInt(l.contract);
  for (const b of l.tiers?.bands ?? []) {
    if (b.price !== undefined && BigInt(b.price) < low) low = BigInt(b.price);
    if (b.percentOff !== undefined && 10_000n - BigInt(b.percentOff) < keep) keep = 10_000n - BigInt(b.percentOff);
  }
  return (low * keep) / 10_000n;
}

function lineText(id: string, l: LineParts): QuoteLineInput {
  const d = l.discount;
  const discount: LineDiscount | null =
    d === null
      ? null
      : d.kind === 'salePrice'
        ? { kind: 'salePrice', price: price(d.units) }
        : d.kind === 'percent'
          ? { kind: 'percent', percent: percent(d.units) }
          : { kind: 'amount', amount: price((amountOffBound(l) * BigInt(d.share)) / 1000n) };
  const optional = {
    contractPrice: l.contract === null ? null : price(l.contract),
    tiers: l.tiers === null ? null : tiersText(l.tiers),
    discount,
    floorPrice: l.floor === null ? null : price((BigInt(l.list) * BigInt(l.floor)) / 1000n),
    taxPercent: l.taxPercent === null ? null : percent(l.taxPercent),
  };
  const line: Record<string, unknown> = { id, productId: l.productId, quantity: decimalText(l.quantity, QUANTITY_SCALE), listPrice: price(l.list) };
  for (const [k, v] of Object.entries(optional)) if (v !== null || !l.omit) line[k] = v;
  return line as unknown as QuoteLineInput;
}

/** A line every quote twin can break when the quote has none. */
const SAMPLE_LINE: QuoteLineInput = Object.freeze({ id: 'l1', productId: 'P-1', quantity: '3', listPrice: '19.99' });

/** The quote's lines with the first (or the sample line) changed by `change`. */
function withFirstLine(lines: readonly QuoteLineInput[] | undefined, change: (l: QuoteLineInput) => unknown): unknown[] {
  const [first, ...rest] = lines ?? [];
  return [change(first ?? SAMPLE_LINE), ...rest];
}

/** A decimal string made a float: its whole part plus a half (never a whole number, so never a safe integer). */
const asFloat = (text: string): number => Math.trunc(Number(text)) + 0.5;

/* ------------------------------------------------------------------ tiers, discounts, tax */

/**
 * Volume tiers (阶梯价) as `tiersSchema` takes them: `range` or `slab`, one to four bands from
 * 0, ascending, each a unit `price` or a `percentOff`.
 *
 * @example
 * fc.assert(fc.property(tiersArb(), (t) => tiersSchema.safeParse(t).success))
 */
export function tiersArb(): fc.Arbitrary<Tiers> {
  return tierPartsArb.map(tiersText);
}

/**
 * Tiers `tiersSchema` refuses, one defect away: a first band not from 0, bands out of order, a
 * band with both a price and a percentage (or neither), no bands, an unknown mode.
 *
 * @example
 * fc.assert(fc.property(invalidTiersArb(), (t) => !tiersSchema.safeParse(t).success))
 */
export function invalidTiersArb(): fc.Arbitrary<unknown> {
  return defective(tiersArb(), [
    (t) => ({ ...t, bands: [{ ...t.bands[0]!, from: '1' }, ...t.bands.slice(1)] }),
    (t) => ({ ...t, bands: [...t.bands, { ...t.bands[t.bands.length - 1]! }] }),
    (t) => ({ ...t, bands: [{ from: '0', price: '10', percentOff: '5' }, ...t.bands.slice(1)] }),
    (t) => ({ ...t, bands: [{ from: '0' }, ...t.bands.slice(1)] }),
    (t) => ({ ...t, bands: [] }),
    (t) => ({ ...t, mode: 'volume' }),
  ]);
}

/**
 * A line's own discount as `lineDiscountSchema` takes it: a sale unit price (销售单价), a
 * percentage, or an amount off each unit. (Whether an amount off prices depends on the line:
 * `quoteLineArb` keeps it within the line's price.)
 *
 * @example
 * fc.assert(fc.property(lineDiscountArb(), (d) => lineDiscountSchema.safeParse(d).success))
 */
export function lineDiscountArb(): fc.Arbitrary<LineDiscount> {
  return fc.oneof(
    priceUnitsArb.map((u): LineDiscount => ({ kind: 'salePrice', price: price(u) })),
    percentUnitsArb.map((u): LineDiscount => ({ kind: 'percent', percent: percent(u) })),
    priceUnitsArb.map((u): LineDiscount => ({ kind: 'amount', amount: price(u) })),
  );
}

/**
 * A line discount `lineDiscountSchema` refuses: a percentage above 100, a negative amount off,
 * a sale price as a float, an unknown kind, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidLineDiscountArb(), (d) => !lineDiscountSchema.safeParse(d).success))
 */
export function invalidLineDiscountArb(): fc.Arbitrary<unknown> {
  return defective(lineDiscountArb(), [
    () => ({ kind: 'percent', percent: '100.01' }),
    (d) => (d.kind === 'amount' ? { ...d, amount: `-${d.amount === '0' ? '1' : d.amount}` } : { kind: 'amount', amount: '-0.01' }),
    (d) => (d.kind === 'salePrice' ? { ...d, price: asFloat(d.price) } : { kind: 'salePrice', price: 9.5 }),
    (d) => ({ ...d, kind: 'rebate' }),
    (d) => ({ ...d, note: '老客户' }),
  ]);
}

/**
 * A whole-order discount (整单折扣) as `orderDiscountSchema` takes it: a percentage or an
 * amount, off the net or off the total with tax. (An amount may exceed a given quote's base:
 * `quotePricingInputArb` keeps it within.)
 *
 * @example
 * fc.assert(fc.property(orderDiscountArb(), (d) => orderDiscountSchema.safeParse(d).success))
 */
export function orderDiscountArb(): fc.Arbitrary<NonNullable<QuotePricingInput['orderDiscount']>> {
  const base = fc.option(fc.constantFrom('net' as const, 'total' as const), { nil: undefined });
  return fc.oneof(
    fc.tuple(percentUnitsArb, base).map(([u, b]) => ({ kind: 'percent' as const, percent: percent(u), ...(b === undefined ? {} : { base: b }) })),
    fc.tuple(priceUnitsArb, base).map(([u, b]) => ({ kind: 'amount' as const, amount: price(u), ...(b === undefined ? {} : { base: b }) })),
  );
}

/**
 * An order discount `orderDiscountSchema` refuses: above 100%, a negative amount, an unknown
 * base or kind, a percentage as a float, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidOrderDiscountArb(), (d) => !orderDiscountSchema.safeParse(d).success))
 */
export function invalidOrderDiscountArb(): fc.Arbitrary<unknown> {
  return defective(orderDiscountArb(), [
    () => ({ kind: 'percent', percent: '101' }),
    () => ({ kind: 'amount', amount: '-5' }),
    (d) => ({ ...d, base: 'gross' }),
    (d) => ({ ...d, kind: 'coupon' }),
    () => ({ kind: 'percent', percent: 7.5 }),
    (d) => ({ ...d, approvedBy: 'boss-chen' }),
  ]);
}

/**
 * Tax settings as `taxSchema` takes them (any of rate, mode and rounding, the rest defaulted):
 * mostly China's VAT rates, exclusive or inclusive, per line or per rate.
 *
 * @example
 * fc.assert(fc.property(taxSettingsArb(), (t) => taxSchema.safeParse(t).success))
 */
export function taxSettingsArb(): fc.Arbitrary<NonNullable<QuotePricingInput['tax']>> {
  return fc.record(
    {
      percent: taxUnitsArb.map(percent),
      mode: fc.constantFrom('exclusive' as const, 'inclusive' as const),
      rounding: fc.constantFrom('perLine' as const, 'perRate' as const),
    },
    { requiredKeys: [] },
  );
}

/**
 * Tax settings `taxSchema` refuses: a rate above 100 or below 0, a float rate, an unknown mode
 * or rounding, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidTaxSettingsArb(), (t) => !taxSchema.safeParse(t).success))
 */
export function invalidTaxSettingsArb(): fc.Arbitrary<unknown> {
  return defective(taxSettingsArb(), [
    (t) => ({ ...t, percent: '120' }),
    (t) => ({ ...t, percent: '-1' }),
    (t) => ({ ...t, percent: 13.5 }),
    (t) => ({ ...t, mode: 'gross' }),
    (t) => ({ ...t, rounding: 'perQuote' }),
    (t) => ({ ...t, region: 'CN' }),
  ]);
}

/* ------------------------------------------------------------------ lines and quotes */

/**
 * A quote line (报价明细) that prices on its own: a quantity above 0 (sometimes fractional), a
 * list price, and maybe a contract price, volume tiers, its own discount (an amount off never
 * more than the lowest price a stage can reach), a floor price and a tax rate — fields without
 * a value left out or null.
 *
 * @example
 * fc.assert(fc.property(quoteLineArb(), (line) => priceQuote({ currency: 'CNY', lines: [line] }).ok))
 */
export function quoteLineArb(): fc.Arbitrary<QuoteLineInput> {
  return fc.tuple(idArb('QL'), linePartsArb).map(([id, parts]) => lineText(id, parts));
}

/**
 * A quote line its door refuses, one defect away: a zero quantity, a negative one (a credit
 * line: `PRICING_CREDIT_LINE_NOT_SUPPORTED` when it is the only defect), a price as a float,
 * an over-100% discount, an unknown discount kind, tiers not from 0, a negative tax rate, a
 * blank id, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidQuoteLineArb(), (line) => !priceQuote({ currency: 'CNY', lines: [line] }).ok))
 */
export function invalidQuoteLineArb(): fc.Arbitrary<unknown> {
  return defective(quoteLineArb(), lineDefects);
}

const lineDefects: readonly ((l: QuoteLineInput) => unknown)[] = [
  (l) => ({ ...l, quantity: '0' }),
  (l) => ({ ...l, quantity: `-${String(l.quantity)}` }),
  (l) => ({ ...l, listPrice: asFloat(String(l.listPrice)) }),
  (l) => ({ ...l, discount: { kind: 'percent', percent: '100.5' } }),
  (l) => ({ ...l, discount: { kind: 'rebate', amount: '1' } }),
  (l) => ({ ...l, tiers: { mode: 'range', bands: [{ from: '1', price: '1' }] } }),
  (l) => ({ ...l, taxPercent: '-1' }),
  (l) => ({ ...l, id: '' }),
  (l) => ({ ...l, unit: '台' }),
];

/** The numbers a quote is generated from, before its order discount is set. */
interface PricingParts {
  readonly currency: CurrencyCode;
  readonly lines: readonly LineParts[];
  readonly orderDiscount: { readonly kind: 'percent'; readonly units: number; readonly base?: 'net' | 'total' } | { readonly kind: 'amount'; readonly share: number; readonly base?: 'net' | 'total' } | null;
  readonly omitOrderDiscount: boolean;
  readonly tax: NonNullable<QuotePricingInput['tax']> | undefined;
  readonly rounding: (typeof ROUNDING_MODES)[number] | undefined;
  readonly stages: readonly (typeof LINE_STAGES)[number][] | undefined;
}

function pricingPartsArb(currency: CurrencyCode | undefined, maxLines: number): fc.Arbitrary<PricingParts> {
  const base = fc.option(fc.constantFrom('net' as const, 'total' as const), { nil: undefined });
  return fc.record({
    currency: currency ? fc.constant(currency) : currencyCodeArb(),
    lines: fc.array(linePartsArb, { maxLength: maxLines }),
    orderDiscount: fc.option(
      fc.oneof(
        fc.tuple(percentUnitsArb, base).map(([units, b]) => ({ kind: 'percent' as const, units, ...(b === undefined ? {} : { base: b }) })),
        fc.tuple(fc.integer({ min: 0, max: 1000 }), base).map(([share, b]) => ({ kind: 'amount' as const, share, ...(b === undefined ? {} : { base: b }) })),
      ),
      { nil: null },
    ),
    omitOrderDiscount: fc.boolean(),
    tax: fc.option(taxSettingsArb(), { nil: undefined }),
    rounding: fc.option(fc.constantFrom(...ROUNDING_MODES), { nil: undefined }),
    stages: fc.option(fc.shuffledSubarray([...LINE_STAGES]), { nil: undefined }),
  });
}

/**
 * The pricing input the parts describe. An amount order discount is a share of what it is taken
 * off (the net or the total, priced without it), in the currency's decimals, so it never
 * exceeds its base; if that pricing failed (it does not), the quote has no order discount.
 */
function pricingText(p: PricingParts): QuotePricingInput {
  const input: Record<string, unknown> = { currency: p.currency, lines: p.lines.map((l, i) => lineText(`l${i + 1}`, l)) };
  if (p.tax !== undefined) input.tax = p.tax;
  if (p.rounding !== undefined) input.rounding = p.rounding;
  if (p.stages !== undefined) input.stages = p.stages;
  const od = p.orderDiscount;
  if (od === null) {
    if (!p.omitOrderDiscount) input.orderDiscount = null;
    return input as unknown as QuotePricingInput;
  }
  const baseOf = od.base === undefined ? {} : { base: od.base };
  if (od.kind === 'percent') {
    input.orderDiscount = { kind: 'percent', percent: percent(od.units), ...baseOf };
    return input as unknown as QuotePricingInput;
  }
  const before = priceQuoteAmounts(input as unknown as QuotePricingInput);
  if (before.ok) {
    const base = BigInt((od.base === 'total' ? before.value.totals.total : before.value.totals.net).minor);
    input.orderDiscount = { kind: 'amount', amount: minorText((base * BigInt(od.share)) / 1000n, p.currency), ...baseOf };
  }
  return input as unknown as QuotePricingInput;
}

/** The `maxLines` option: a whole number 0–50, else 4. */
function maxLinesOption(options: unknown): number {
  const given = option(options, 'maxLines');
  return Number.isSafeInteger(given) && (given as number) >= 0 && (given as number) <= 50 ? (given as number) : 4;
}

/**
 * What a quote is priced from (`QuotePricingInput`), and `priceQuote` prices it without a
 * refusal: a currency, up to `maxLines` lines (default 4; each as `quoteLineArb`, ids `l1`,
 * `l2`…), maybe an order discount (an amount never more than its base), tax settings, a
 * rounding mode and an order of the line stages. `currency` fixes the currency. An option that
 * is not one is ignored.
 *
 * @example
 * fc.assert(fc.property(quotePricingInputArb({ currency: 'CNY' }), (q) => priceQuote(q).ok))
 */
export function quotePricingInputArb(options: { readonly currency?: CurrencyCode; readonly maxLines?: number } = {}): fc.Arbitrary<QuotePricingInput> {
  return pricingPartsArb(currencyOption(options), maxLinesOption(options)).map(pricingText);
}

/** The defects of a pricing input, shared by the new-quote twin. */
const pricingDefects: readonly ((q: QuotePricingInput) => unknown)[] = [
  (q) => ({ ...q, currency: 'RMB' }),
  ({ currency: _currency, ...q }) => q,
  (q) => ({ ...q, lines: withFirstLine(q.lines, (l) => ({ ...l, quantity: '0' })) }),
  (q) => ({ ...q, lines: withFirstLine(q.lines, (l) => ({ ...l, quantity: `-${String(l.quantity)}` })) }),
  (q) => ({ ...q, lines: withFirstLine(q.lines, (l) => ({ ...l, listPrice: asFloat(String(l.listPrice)) })) }),
  (q) => {
    const [first, ...rest] = q.lines ?? [];
    const line = first ?? SAMPLE_LINE;
    return { ...q, lines: [line, line, ...rest] };
  },
  (q) => ({ ...q, orderDiscount: { kind: 'percent', percent: '100.01' } }),
  (q) => ({ ...q, tax: { mode: 'gross' } }),
  (q) => ({ ...q, stages: ['tier', 'tier'] }),
  (q) => ({ ...q, rounding: 'bankers' }),
  (q) => ({ ...q, total: '100.00' }),
];

/**
 * A pricing input `priceQuote` refuses, one defect away: an unknown or missing currency, a line
 * with a zero quantity, a negative one (a credit line: `PRICING_CREDIT_LINE_NOT_SUPPORTED` when
 * it is the only defect), a float price, two lines with one id, an order discount above 100%,
 * an unknown tax mode or rounding, a stage twice, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidQuotePricingInputArb(), (q) => !priceQuote(q as QuotePricingInput).ok))
 */
export function invalidQuotePricingInputArb(): fc.Arbitrary<unknown> {
  return defective(quotePricingInputArb(), pricingDefects);
}

/**
 * A new quote (`NewQuoteInput`) that `createQuote` creates as a draft: ids of the quote and
 * its owner, maybe a customer and an opportunity, and a pricing input as `quotePricingInputArb`
 * makes it (same options).
 *
 * @example
 * fc.assert(fc.property(newQuoteInputArb(), (q) => createQuote(q, { actor: { id: 'rep-li' }, now: '2026-03-02T10:00:00+08:00' }).ok))
 */
export function newQuoteInputArb(options: { readonly currency?: CurrencyCode; readonly maxLines?: number } = {}): fc.Arbitrary<NewQuoteInput> {
  return fc
    .tuple(
      fc.record(
        { id: idArb('Q'), ownerId: fc.constantFrom(...REPS), customerId: fc.option(idArb('C'), { nil: null }), opportunityId: fc.option(idArb('O'), { nil: null }) },
        { requiredKeys: ['id', 'ownerId'] },
      ),
      quotePricingInputArb(options),
    )
    .map(([head, pricing]) => ({ ...head, ...pricing }));
}

/**
 * A new quote `createQuote` refuses, one defect away: a blank id, no owner, a customer id that
 * is not text, a status given (the rules set it), or any defect of `invalidQuotePricingInputArb`.
 *
 * @example
 * fc.assert(fc.property(invalidNewQuoteInputArb(), (q) => !createQuote(q as NewQuoteInput, { actor: { id: 'rep-li' }, now: '2026-03-02T10:00:00+08:00' }).ok))
 */
export function invalidNewQuoteInputArb(): fc.Arbitrary<unknown> {
  return defective(newQuoteInputArb(), [
    (q) => ({ ...q, id: '' }),
    ({ ownerId: _owner, ...q }) => q,
    (q) => ({ ...q, customerId: 42 }),
    (q) => ({ ...q, status: 'approved' }),
    ...pricingDefects.map((breakPricing) => (q: NewQuoteInput) => breakPricing(q)),
  ]);
}

/**
 * An edit of a quote as `editQuote` takes it (`QuoteEdit`): some of its links, currency, lines
 * (as `quoteLineArb`, ids `l1`, `l2`…), a percentage order discount (or none), tax, rounding
 * and stages. Valid for the door; whether the edited quote prices depends on the quote (an
 * amount order discount it keeps may now exceed its base).
 *
 * @example
 * fc.assert(fc.property(quoteEditArb(), (edit) => quoteEditSchema.safeParse(edit).success))
 */
export function quoteEditArb(): fc.Arbitrary<QuoteEdit> {
  return fc.record(
    {
      customerId: fc.option(idArb('C'), { nil: null }),
      opportunityId: fc.option(idArb('O'), { nil: null }),
      currency: currencyCodeArb(),
      lines: fc.array(linePartsArb, { maxLength: 4 }).map((ls) => ls.map((l, i) => lineText(`l${i + 1}`, l))),
      orderDiscount: fc.option(percentUnitsArb.map((u) => ({ kind: 'percent' as const, percent: percent(u) })), { nil: null }),
      tax: taxSettingsArb(),
      rounding: fc.constantFrom(...ROUNDING_MODES),
      stages: fc.shuffledSubarray([...LINE_STAGES]),
    },
    { requiredKeys: [] },
  );
}

/**
 * An edit `editQuote` refuses (`INVALID_INPUT`), one defect away: an unknown currency, a line
 * with a zero quantity, an unknown tax mode, an order discount above 100%, a stage twice, a
 * blank customer id, a field an edit cannot change (the status).
 *
 * @example
 * fc.assert(fc.property(invalidQuoteEditArb(), (edit) => !quoteEditSchema.safeParse(edit).success))
 */
export function invalidQuoteEditArb(): fc.Arbitrary<unknown> {
  return defective(quoteEditArb(), [
    (e) => ({ ...e, currency: 'RMB' }),
    (e) => ({ ...e, lines: withFirstLine(e.lines, (l) => ({ ...l, quantity: '0' })) }),
    (e) => ({ ...e, tax: { mode: 'gross' } }),
    (e) => ({ ...e, orderDiscount: { kind: 'percent', percent: '150' } }),
    (e) => ({ ...e, stages: ['lineDiscount', 'lineDiscount'] }),
    (e) => ({ ...e, customerId: '' }),
    (e) => ({ ...e, status: 'approved' }),
  ]);
}

/* ------------------------------------------------------------------ approval policies */

/**
 * An approval policy (审批) as `approvalPolicySchema` takes it: one to three levels of a ladder
 * (组长 `teamLead` → 财务 `finance` → 总经理 `boss`) with their approvers, and up to four rules
 * naming those levels (line, order or total discount above a percentage, below the floor, total
 * above an amount), escalating `through` or `only`.
 *
 * @example
 * fc.assert(fc.property(quotePricingInputArb(), approvalPolicyArb(), (q, p) => requiredApprovals(q, p).ok))
 */
export function approvalPolicyArb(): fc.Arbitrary<ApprovalPolicyInput> {
  return fc.integer({ min: 1, max: LADDER.length }).chain((n) => {
    const ladder = LADDER.slice(0, n);
    const levels = fc.tuple(...ladder.map((l) => fc.tuple(fc.boolean(), fc.subarray([...l.approvers], { minLength: 1 })))).map((picked) =>
      picked.map(([named, approvers], i) => ({ id: ladder[i]!.id, ...(named ? { name: ladder[i]!.name } : {}), approvers })),
    );
    const when = fc.oneof(
      percentUnitsArb.map((u) => ({ kind: 'lineDiscountAbove' as const, percent: percent(u) })),
      percentUnitsArb.map((u) => ({ kind: 'totalDiscountAbove' as const, percent: percent(u) })),
      percentUnitsArb.map((u) => ({ kind: 'orderDiscountAbove' as const, percent: percent(u) })),
      fc.constant({ kind: 'belowFloor' as const }),
      priceUnitsArb.map((u) => ({ kind: 'totalAbove' as const, amount: price(u) })),
    );
    const rules = fc
      .array(fc.tuple(fc.constantFrom(...ladder.map((l) => l.id)), when), { maxLength: 4 })
      .map((rs) => rs.map(([lvl, w], i) => ({ id: `rule-${i + 1}`, level: lvl, when: w })));
    return fc.record({ levels, rules, escalation: fc.constantFrom('through' as const, 'only' as const) }, { requiredKeys: ['levels', 'rules'] });
  });
}

/**
 * An approval policy its door refuses (`INVALID_INPUT`), one defect away: no levels, a level
 * twice, a level without approvers, a rule naming a level the policy does not have, a
 * percentage above 100, an unknown rule kind or escalation, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidApprovalPolicyArb(), (p) => !approvalPolicySchema.safeParse(p).success))
 */
export function invalidApprovalPolicyArb(): fc.Arbitrary<unknown> {
  return defective(approvalPolicyArb(), [
    (p) => ({ ...p, levels: [] }),
    (p) => ({ ...p, levels: [p.levels[0]!, ...p.levels] }),
    (p) => ({ ...p, levels: [{ ...p.levels[0]!, approvers: [] }, ...p.levels.slice(1)] }),
    (p) => ({ ...p, rules: [...p.rules, { id: 'rule-ceo', level: 'ceo', when: { kind: 'belowFloor' } }] }),
    (p) => ({ ...p, rules: [...p.rules, { id: 'rule-x', level: p.levels[0]!.id, when: { kind: 'lineDiscountAbove', percent: '101' } }] }),
    (p) => ({ ...p, rules: [...p.rules, { id: 'rule-x', level: p.levels[0]!.id, when: { kind: 'marginBelow', percent: '10' } }] }),
    (p) => ({ ...p, escalation: 'skip' }),
    (p) => ({ ...p, defaultLevel: 'teamLead' }),
  ]);
}

/* ------------------------------------------------------------------ stored quotes */

type QuoteStep = { readonly op: 'submit' | 'approve' | 'reject' | 'return' | 'edit' | 'cancel'; readonly minutes: number; readonly edit: QuoteEdit; readonly reason: string };

/**
 * A stored quote (`Quote`) of any status, reached by walking the real approval flow from a new
 * quote under a generated policy — submitted, approved level by level by that level's
 * approvers, rejected, returned, edited (an approved one into a new revision), cancelled — so
 * every invariant the rules keep holds. Frozen and trusted, as the rules return it.
 *
 * @example
 * fc.assert(fc.property(quoteArb(), (q) => storedQuoteSchema.safeParse(q).success && diffQuotes(q, q).ok))
 */
export function quoteArb(options: { readonly maxSteps?: number } = {}): fc.Arbitrary<Quote> {
  const given = option(options, 'maxSteps');
  const maxSteps = Number.isSafeInteger(given) && (given as number) >= 0 && (given as number) <= 100 ? (given as number) : 6;
  const stepArb: fc.Arbitrary<QuoteStep> = fc.record({
    op: fc.constantFrom('submit' as const, 'approve' as const, 'approve' as const, 'reject' as const, 'return' as const, 'edit' as const, 'cancel' as const),
    minutes: fc.integer({ min: 1, max: 60 * 24 * 3 }),
    edit: quoteEditArb(),
    reason: fc.constantFrom(...REASONS),
  });
  return fc
    .tuple(newQuoteInputArb({ maxLines: 3 }), approvalPolicyArb(), instantArb({ max: new Date('2026-12-31T00:00:00Z') }), fc.array(stepArb, { maxLength: maxSteps }))
    .map(([input, policy, start, steps]) => {
      const created = createQuote(input, { actor: { id: input.ownerId }, now: start });
      if (!created.ok) return null;
      let quote = created.value.quote;
      let now = start.getTime();
      for (const s of steps) {
        now += s.minutes * 60_000;
        const owner: QuoteContext = { actor: { id: quote.ownerId }, now: new Date(now) };
        const current = quote.approval.current === null ? undefined : quote.approval.required[quote.approval.current];
        const approver: QuoteContext = { actor: { id: policy.levels.find((l) => l.id === current)?.approvers[0] ?? quote.ownerId }, now: new Date(now) };
        const next =
          s.op === 'submit'
            ? submitQuote(quote, policy, owner)
            : s.op === 'approve'
              ? approveQuote(quote, policy, approver)
              : s.op === 'reject'
                ? rejectQuote(quote, policy, s.reason, approver)
                : s.op === 'return'
                  ? returnQuote(quote, policy, s.reason, approver)
                  : s.op === 'edit'
                    ? editQuote(quote, s.edit, owner)
                    : cancelQuote(quote, owner);
        if (next.ok) quote = next.value.quote;
      }
      return quote;
    })
    .filter((q): q is Quote => q !== null);
}

/**
 * A stored quote its door refuses (`INVALID_INPUT`), one defect away: an unknown status, version
 * 0, a fractional revision, a pending quote not waiting on a level (or another waiting on one),
 * a creation time that is not one, a blank owner, two lines with one id, an unknown currency,
 * an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidQuoteArb(), (q) => !diffQuotes(q as Quote, q as Quote).ok))
 */
export function invalidQuoteArb(): fc.Arbitrary<unknown> {
  return defective(quoteArb({ maxSteps: 3 }), [
    (q) => ({ ...q, status: 'archived' }),
    (q) => ({ ...q, version: 0 }),
    (q) => ({ ...q, revision: 1.5 }),
    (q) => (q.status === 'pending' ? { ...q, status: 'draft' } : { ...q, status: 'pending' }),
    (q) => ({ ...q, createdAt: 'yesterday' }),
    (q) => ({ ...q, ownerId: '' }),
    (q) => {
      const [first, ...rest] = q.lines;
      const line = first ?? SAMPLE_LINE;
      return { ...q, lines: [line, line, ...rest] };
    },
    (q) => ({ ...q, currency: 'RMB' }),
    (q) => ({ ...q, total: '100.00' }),
  ]);
}

/* ------------------------------------------------------------------ conversion */

/** The `lineIds` option: the ids in a list (at most 100, each once); anything unreadable is ignored. */
function lineIdsOption(given: unknown): string[] {
  try {
    return Array.isArray(given) ? [...new Set(given.filter((id): id is string => idSchema.safeParse(id).success))].slice(0, 100) : [];
  } catch {
    return []; // a list behind a Proxy or a getter that throws
  }
}

/**
 * A request to turn an approved quote into an order or a contract (转为订单 / 合同) as
 * `convertQuote` takes it: the kind, the new document's id and maybe a re-pricing — a new
 * percentage order discount (or none), and new discounts for the lines named in `lineIds`
 * (a `Map` by line id, since ids are data). Valid for the door; whether the re-priced quote
 * converts depends on the quote and the policy (`PRICING_APPROVAL_REQUIRED` when a discount
 * grows past what was signed, `PRICING_NEGATIVE_LINE` when an amount off passes a price,
 * `PRICING_ORDER_DISCOUNT_EXCEEDS_BASE` when the lines shrink below an amount order discount).
 *
 * @example
 * fc.assert(fc.property(conversionInputArb({ lineIds: ['l1'] }), (r) => conversionSchema.safeParse(r).success))
 */
export function conversionInputArb(options: { readonly lineIds?: readonly string[] } = {}): fc.Arbitrary<ConversionInput> {
  const lineIds = lineIdsOption(option(options, 'lineIds'));
  const lineDiscounts = fc
    .tuple(...lineIds.map((id) => fc.option(fc.option(lineDiscountArb(), { nil: null }), { nil: undefined }).map((d) => [id, d] as const)))
    .map((entries) => new Map(entries.filter(([, d]) => d !== undefined) as [string, LineDiscount | null][]));
  return fc.record(
    {
      kind: fc.constantFrom(...SALES_DOCUMENT_KINDS),
      id: fc.oneof(idArb('SO'), idArb('CT')),
      repricing: fc.record(
        {
          lineDiscounts,
          orderDiscount: fc.option(percentUnitsArb.map((u) => ({ kind: 'percent' as const, percent: percent(u) })), { nil: null }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['kind', 'id'] },
  );
}

/**
 * A conversion request `convertQuote` refuses (`INVALID_INPUT`), one defect away: an unknown
 * kind, a blank id, an order discount above 100%, line discounts as a list (not an object or a
 * `Map`) or keyed by a blank id, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidConversionInputArb(), (r) => !conversionSchema.safeParse(r).success))
 */
export function invalidConversionInputArb(): fc.Arbitrary<unknown> {
  return defective(conversionInputArb(), [
    (r) => ({ ...r, kind: 'invoice' }),
    (r) => ({ ...r, id: '' }),
    (r) => ({ ...r, repricing: { ...r.repricing, orderDiscount: { kind: 'percent', percent: '101' } } }),
    (r) => ({ ...r, repricing: { ...r.repricing, lineDiscounts: [] } }),
    (r) => ({ ...r, repricing: { ...r.repricing, lineDiscounts: new Map([['', null]]) } }),
    (r) => ({ ...r, signedAt: '2026-05-06' }),
  ]);
}
