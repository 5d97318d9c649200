import { actorOrIdShape, checkOneActor, type ActorInput } from '../core/context.js';
import { z } from 'zod';
import { compareDecimals, currencyCodeSchema, decimalSchema, decimalToString, roundingModeSchema, signOfDecimal, type CurrencyCode, type Decimal, type RoundingMode } from '../core/money.js';
import { idSchema, instantSchema, textSchema } from '../core/validation.js';
import { CREDIT_LINE_MESSAGE } from './boundary.js';

/**
 * Quotes (报价单) as data: lines with a list price and, in a configurable order, a special or
 * contract price, volume tiers and the line's own discount (销售单价); a whole-order discount
 * (整单折扣) spread over the lines; tax exclusive or inclusive, rounded per line or per rate.
 * Every number is an exact decimal string in the stored form, so a quote is plain JSON.
 */

const HUNDRED = decimalSchema.parse('100');
/** The exact decimal of a stored decimal string. */
const exact = (s: string): Decimal => decimalSchema.parse(s);

/** A decimal kept as its exact canonical string ("19.99", "0.125", "3"). */
const decimalString = decimalSchema.transform((d) => decimalToString(d));
/** A decimal ≥ 0, as a string (an amount off, a threshold). */
const nonNegative = decimalSchema
  .refine((d) => signOfDecimal(d) >= 0, { message: 'expected a number ≥ 0' })
  .transform((d) => decimalToString(d));
/** A unit price ≥ 0, as a string; a negative one would make a credit line, which is refused as such. */
const price = decimalSchema
  .refine((d) => signOfDecimal(d) >= 0, { message: CREDIT_LINE_MESSAGE })
  .transform((d) => decimalToString(d));
/** A quantity > 0, as a string; a negative one would make a credit line, which is refused as such. */
const quantity = decimalSchema
  .superRefine((d, ctx) => {
    const sign = signOfDecimal(d);
    if (sign < 0) ctx.addIssue({ code: 'custom', message: CREDIT_LINE_MESSAGE });
    else if (sign === 0) ctx.addIssue({ code: 'custom', message: 'expected a number > 0' });
  })
  .transform((d) => decimalToString(d));
/** A percentage 0–100, as a string. */
const percent = decimalSchema
  .refine((d) => signOfDecimal(d) >= 0 && compareDecimals(d, HUNDRED) <= 0, { message: 'expected a percentage from 0 to 100' })
  .transform((d) => decimalToString(d));

/** The line stages a price goes through, between the list price and the line's net amount. */
export const LINE_STAGES = ['contract', 'tier', 'lineDiscount'] as const;
/** A line stage: `contract` (special/contract price), `tier` (volume tiers), `lineDiscount`. */
export type LineStage = (typeof LINE_STAGES)[number];
/** The default waterfall: list → contract price → volume tier → line discount (→ order discount → net). */
export const DEFAULT_LINE_STAGES: readonly LineStage[] = Object.freeze(['contract', 'tier', 'lineDiscount']);

/**
 * Volume tiers (a discount schedule): `range` gives every unit the band its quantity falls in;
 * `slab` prices the units within each band at that band (Salesforce CPQ's two modes). With
 * bands from 0, 10 and 50 at 0%, 10% and 15% off, 60 units are 60 at 15% off in range mode, and
 * 10 at list + 40 at 10% off + 10 at 15% off in slab mode.
 */
export const tiersSchema = z
  .object({
    mode: z.enum(['range', 'slab']),
    /**
     * Bands by lower bound (inclusive; the next band's `from` is the exclusive upper bound),
     * ascending, the first from 0. Each gives a unit `price` (replacing the price so far), or a
     * `percentOff` taken off the price so far (the list price, or the contract price when that
     * stage came first), in either mode.
     */
    bands: z
      .array(z.object({ from: nonNegative, price: price.optional(), percentOff: percent.optional() }).strict())
      .min(1)
      .max(100),
  })
  .strict()
  .superRefine((t, ctx) => {
    t.bands.forEach((b, i) => {
      if ((b.price === undefined) === (b.percentOff === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['bands', i], message: 'a band gives either a price or a percentOff' });
      }
      if (i === 0 && signOfDecimal(exact(b.from)) !== 0) ctx.addIssue({ code: 'custom', path: ['bands', 0, 'from'], message: 'the first band starts at 0' });
      if (i > 0 && compareDecimals(exact(b.from), exact(t.bands[i - 1]!.from)) <= 0) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'from'], message: 'bands ascend: each from is above the one before' });
      }
    });
  });
/** Volume tiers as stored. */
export type Tiers = z.output<typeof tiersSchema>;

/** A line's own discount: a sale unit price, a percentage, or an amount off each unit. */
export const lineDiscountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('salePrice'), price }).strict(),
  z.object({ kind: z.literal('percent'), percent }).strict(),
  z.object({ kind: z.literal('amount'), amount: nonNegative }).strict(),
]);
/** A line discount as stored. */
export type LineDiscount = z.output<typeof lineDiscountSchema>;

/**
 * One quote line (报价明细). Prices are per unit, in the quote's currency, with up to 18 decimals.
 * Quantities are above 0 and prices at least 0: a credit line (a negative quantity or price, for
 * a trade-in or a goodwill credit) is refused — a credit is an order discount (an amount), a
 * return a credit note.
 */
export const quoteLineSchema = z
  .object({
    id: idSchema,
    productId: idSchema,
    quantity,
    listPrice: price,
    /** A special or contract price per unit, replacing the price so far at its stage. */
    contractPrice: price.nullable().default(null),
    tiers: tiersSchema.nullable().default(null),
    discount: lineDiscountSchema.nullable().default(null),
    /** The lowest unit price allowed without approval: below it the line is a special price (特价). */
    floorPrice: price.nullable().default(null),
    /** The line's tax rate in percent; null: the quote's. */
    taxPercent: percent.nullable().default(null),
  })
  .strict();
/** A quote line as a host passes it. */
export type QuoteLineInput = z.input<typeof quoteLineSchema>;
/** A quote line as stored. */
export type QuoteLine = z.output<typeof quoteLineSchema>;

/** A whole-order discount: a percentage or an amount, off the net (before tax, the default) or off the total with tax. */
export const orderDiscountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), percent, base: z.enum(['net', 'total']).default('net') }).strict(),
  z.object({ kind: z.literal('amount'), amount: nonNegative, base: z.enum(['net', 'total']).default('net') }).strict(),
]);
/** An order discount as stored. */
export type OrderDiscount = z.output<typeof orderDiscountSchema>;

/** Tax: the default rate, whether prices include it, and where it is rounded. */
export const taxSchema = z
  .object({
    percent: percent.default('0'),
    /** `exclusive`: tax is added to the net; `inclusive`: the amounts already hold it. */
    mode: z.enum(['exclusive', 'inclusive']).default('exclusive'),
    /** `perLine`: each line's tax rounded; `perRate`: each rate's total rounded once, the difference given back to its lines. */
    rounding: z.enum(['perLine', 'perRate']).default('perLine'),
  })
  .strict();
/** Tax settings as stored. */
export type TaxSettings = z.output<typeof taxSchema>;

/** Quote lines: at most 10,000, each id once (ids are data: any string an id allows, `__proto__` included). */
export const quoteLinesSchema = z
  .array(quoteLineSchema)
  .max(10_000)
  .superRefine((lines, ctx) => {
    const ids = new Set<string>();
    lines.forEach((l, i) => {
      if (ids.has(l.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate line id ${l.id}` });
      ids.add(l.id);
    });
  });

/** What a quote is priced from: everything `priceQuote` reads. */
export const quotePricingShape = {
  currency: currencyCodeSchema,
  lines: quoteLinesSchema,
  orderDiscount: orderDiscountSchema.nullable().default(null),
  tax: taxSchema.default({ percent: '0', mode: 'exclusive', rounding: 'perLine' }),
  /** The one rounding mode of every rounded amount (四舍五入 by default). */
  rounding: roundingModeSchema.default('halfAwayFromZero'),
  /** The order of the line stages (a subset of `LINE_STAGES`, each once). */
  stages: z
    .array(z.enum(LINE_STAGES))
    .max(3)
    .refine((s) => new Set(s).size === s.length, { message: 'each stage at most once' })
    .default([...DEFAULT_LINE_STAGES]),
};

/** The pricing input of a quote (validated). */
export const quotePricingSchema = z.object(quotePricingShape).strict();
/** What a host passes to price a quote. */
export type QuotePricingInput = z.input<typeof quotePricingSchema>;
/** A quote's pricing input, validated. */
export type QuotePricing = z.output<typeof quotePricingSchema>;

/* ------------------------------------------------------------------ approval policy */

/**
 * When a quote needs whom (审批): levels in order (level 1 first), each with its approvers, and
 * rules naming the level a condition calls for. Examples: a line discount above 10% needs the
 * team lead, above 20% finance, above 30% the boss; a price below the line's floor is a special
 * price for the team lead (简道云: special orders go to the team lead).
 */
export const approvalPolicySchema = z
  .object({
    levels: z
      .array(z.object({ id: idSchema, name: textSchema.max(200).optional(), approvers: z.array(idSchema).min(1).max(1000) }).strict())
      .min(1)
      .max(20),
    rules: z
      .array(
        z
          .object({
            id: idSchema,
            level: idSchema,
            when: z.discriminatedUnion('kind', [
              /** Some line's discount off its list price is above `percent`. */
              z.object({ kind: z.literal('lineDiscountAbove'), percent }).strict(),
              /** The quote's discount off its list total (line and order discounts together) is above `percent`. */
              z.object({ kind: z.literal('totalDiscountAbove'), percent }).strict(),
              /** The order discount alone is above `percent` of the net before it. */
              z.object({ kind: z.literal('orderDiscountAbove'), percent }).strict(),
              /** Some line is priced below its floor price (a special price). */
              z.object({ kind: z.literal('belowFloor') }).strict(),
              /** The grand total is above `amount`. */
              z.object({ kind: z.literal('totalAbove'), amount: nonNegative }).strict(),
            ]),
          })
          .strict(),
      )
      .max(100),
    /** `through` (default): every level up to the highest one required signs, in order; `only`: just the required ones. */
    escalation: z.enum(['through', 'only']).default('through'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const levels = new Set(p.levels.map((l) => l.id));
    if (levels.size !== p.levels.length) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'level ids are unique' });
    p.rules.forEach((r, i) => {
      if (!levels.has(r.level)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'level'], message: `unknown level ${r.level}` });
    });
  });
/** An approval policy as a host stores it. */
export type ApprovalPolicyInput = z.input<typeof approvalPolicySchema>;
/** An approval policy, validated. */
export type ApprovalPolicy = z.output<typeof approvalPolicySchema>;

/**
 * Types an approval policy kept in a `const`: `const policy = defineApprovalPolicy({ … })` keeps
 * its rule kinds and `escalation` the literal names `ApprovalPolicyInput` takes (a plain object
 * literal widens them to `string`, and then no quote door takes it), and a misspelt key is a
 * compile error. An identity: it returns its argument as it is — not validated (the doors parse
 * it when it is used), not copied, not frozen — and never throws.
 *
 * @example
 * const policy = defineApprovalPolicy({
 *   levels: [{ id: 'teamLead', name: '组长', approvers: ['lead-zhang'] }],
 *   rules: [{ id: 'over-10', level: 'teamLead', when: { kind: 'lineDiscountAbove', percent: '10' } }],
 * });
 * submitQuote(draft, policy, { actor: { id: 'rep-li' }, now });
 */
export function defineApprovalPolicy(policy: ApprovalPolicyInput): ApprovalPolicyInput {
  return policy;
}

/* ------------------------------------------------------------------ quotes */

/** Where a quote stands in its approval flow. */
export const QUOTE_STATUSES = ['draft', 'pending', 'approved', 'rejected', 'returned', 'cancelled'] as const;
/** A quote status. */
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** One signature on a quote. */
export interface QuoteSignature {
  readonly level: string;
  readonly actorId: string;
  readonly at: Date;
}

/** The approval state of a quote's current revision. */
export interface QuoteApproval {
  /** The levels this revision needs, in order (empty: none needed). */
  readonly required: readonly string[];
  /** Index into `required` of the level now asked (pending only), else null. */
  readonly current: number | null;
  readonly signatures: readonly QuoteSignature[];
  /** Why it was rejected or returned, by whom and when (the last such step), else null. */
  readonly decision: { readonly outcome: 'rejected' | 'returned'; readonly reason: string; readonly actorId: string; readonly at: Date } | null;
}

/** A quote as stored: its pricing input, its place in the approval flow, and its revision. */
export interface Quote extends QuotePricing {
  readonly id: string;
  readonly version: number;
  /** 1 for the first revision; editing an approved quote makes the next. */
  readonly revision: number;
  readonly status: QuoteStatus;
  readonly ownerId: string;
  readonly customerId: string | null;
  readonly opportunityId: string | null;
  readonly approval: QuoteApproval;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A new quote: its ids and what it is priced from. */
export const newQuoteSchema = z
  .object({
    id: idSchema,
    ownerId: idSchema,
    customerId: idSchema.nullable().default(null),
    opportunityId: idSchema.nullable().default(null),
    ...quotePricingShape,
  })
  .strict();
/** What a host passes to create a quote. */
export type NewQuoteInput = z.input<typeof newQuoteSchema>;

/**
 * Who acts and when: every quote command takes it, as every service takes its context
 * (`{ now, actor }`; the quotes read the actor's `id`). The `actorId` of 0.1 is still read.
 */
export const quoteContextSchema = z
  .object({ now: instantSchema, ...actorOrIdShape })
  .strict()
  .superRefine(checkOneActor)
  .transform((c) => ({ now: c.now, actorId: c.actor?.id ?? c.actorId! }));
/**
 * The acting user and `now`.
 *
 * @example
 * const ctx: QuoteContext = { now: '2026-03-17T10:00:00+08:00', actor: { id: 'rep-li' } };
 */
export type QuoteContext = { readonly now: Date | string; readonly actor: ActorInput } | QuoteActorIdContext;
/**
 * The quote context of 0.1, naming the actor by `actorId`.
 *
 * @deprecated since 0.2.0, removed in 0.3.0: pass `actor: { id }` (both may be given while migrating, and must then name the same actor).
 */
export interface QuoteActorIdContext {
  readonly now: Date | string;
  readonly actorId: string;
  readonly actor?: ActorInput;
}

/** What an edit may change (anything priced, plus the customer and opportunity links). */
export const quoteEditSchema = z
  .object({
    customerId: idSchema.nullable().optional(),
    opportunityId: idSchema.nullable().optional(),
    currency: currencyCodeSchema.optional(),
    lines: quoteLinesSchema.optional(),
    orderDiscount: orderDiscountSchema.nullable().optional(),
    tax: taxSchema.optional(),
    rounding: roundingModeSchema.optional(),
    stages: quotePricingShape.stages.optional(),
  })
  .strict();
/** The fields an edit changes. */
export type QuoteEdit = z.input<typeof quoteEditSchema>;

/** A currency code (re-exported for hosts' own schemas). */
export type { CurrencyCode, Decimal, RoundingMode };
