import { freeze } from 'immer';
import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { refuse } from '../core/errors.js';
import { ruleEvent, type RuleEvent } from '../core/events.js';
import { compareDecimals, moneyToDecimal, multiplyDecimals } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, parseInput } from '../core/validation.js';
import {
  approvalPolicySchema,
  lineDiscountSchema,
  orderDiscountSchema,
  quoteContextSchema,
  type ApprovalPolicyInput,
  type Quote,
  type QuoteContext,
  type QuoteLine,
  type QuotePricing,
} from './model.js';
import { priceWithFacts, type PricedQuote } from './price.js';
import { createQuote, QUOTE_TRANSITIONS, requiredApprovals, storedQuoteSchema, type FieldChange, type QuoteChange } from './quotes.js';

/** What a quote becomes (订单 / 合同). */
export const SALES_DOCUMENT_KINDS = ['order', 'contract'] as const;
/** An order or a contract. */
export type SalesDocumentKind = (typeof SALES_DOCUMENT_KINDS)[number];

/** An order or contract made from an approved quote: the pricing it was made with, and where it came from. */
export interface SalesDocument extends QuotePricing {
  readonly id: string;
  readonly kind: SalesDocumentKind;
  readonly version: number;
  readonly quoteId: string;
  readonly quoteRevision: number;
  readonly ownerId: string;
  readonly customerId: string | null;
  readonly opportunityId: string | null;
  readonly totals: PricedQuote['totals'];
  readonly createdAt: Date;
}

/** A conversion request: the kind, the new document's id, and any re-pricing (line discounts, the order discount). */
export const conversionSchema = z
  .object({
    kind: z.enum(SALES_DOCUMENT_KINDS),
    id: idSchema,
    repricing: z
      .object({
        /** Per line id: its new discount (null: none). */
        lineDiscounts: z.record(idSchema, lineDiscountSchema.nullable()).optional(),
        orderDiscount: orderDiscountSchema.nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
/** What a host passes to convert a quote. */
export type ConversionInput = z.input<typeof conversionSchema>;

/** A conversion: the document, its pricing, and the events. */
export interface Conversion {
  readonly document: SalesDocument;
  readonly priced: PricedQuote;
  readonly events: readonly RuleEvent[];
}

/**
 * Turns an approved quote into an order or a contract (转为订单 / 转为合同). The price and the
 * order discount may be changed on the way (the seed allows it); when that makes the discount
 * off the list grow, the approval check runs again on the new prices, and a level this revision
 * was not signed at is refused (`PRICING_APPROVAL_REQUIRED`, with the levels and reasons). A
 * quote that is not approved is `PRICING_TRANSITION_NOT_ALLOWED`.
 *
 * @example
 * convertQuote(approved, policy, { kind: 'order', id: 'SO-1', repricing: { orderDiscount: { kind: 'percent', percent: '3' } } }, ctx)
 * // ok: { document: { kind: 'order', quoteId: 'Q-1', totals: {...} }, events: [quote.converted] }
 */
export function convertQuote(quoteInput: Quote, policyInput: ApprovalPolicyInput, requestInput: ConversionInput, ctxInput: QuoteContext): Result<Conversion, CrmError> {
  const quote = parseInput(storedQuoteSchema, quoteInput, ['quote']);
  if (!quote.ok) return quote;
  const q = quote.value as Quote;
  const policy = parseInput(approvalPolicySchema, policyInput, ['policy']);
  if (!policy.ok) return policy;
  const request = parseInput(conversionSchema, requestInput, ['request']);
  if (!request.ok) return request;
  const ctx = parseInput(quoteContextSchema, ctxInput, ['context']);
  if (!ctx.ok) return ctx;
  if (!QUOTE_TRANSITIONS.convert.includes(q.status)) {
    return refuse('PRICING_TRANSITION_NOT_ALLOWED', { quoteId: q.id, status: q.status, operation: 'convert', allowedFrom: QUOTE_TRANSITIONS.convert });
  }
  const repricing = request.value.repricing ?? {};
  const lineDiscounts = repricing.lineDiscounts ?? {};
  const known = new Set(q.lines.map((l) => l.id));
  const unknown = Object.keys(lineDiscounts).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const issues = unknown.map((id) => ({ path: ['request', 'repricing', 'lineDiscounts', id], message: `no line ${id} on quote ${q.id}`, code: 'custom' }));
    return refuse('INVALID_INPUT', { issues, summary: issues.map((i) => i.message).join('; ') });
  }
  const lines: QuoteLine[] = q.lines.map((l) => (l.id in lineDiscounts ? { ...l, discount: lineDiscounts[l.id] ?? null } : l));
  const pricing: QuotePricing = {
    currency: q.currency,
    lines,
    orderDiscount: repricing.orderDiscount === undefined ? q.orderDiscount : repricing.orderDiscount,
    tax: q.tax,
    rounding: q.rounding,
    stages: q.stages,
  };
  const before = priceWithFacts(q);
  if (!before.ok) return before;
  const after = priceWithFacts(pricing);
  if (!after.ok) return after;
  if (discountGrew(before.value.priced, after.value.priced, q.tax.mode === 'inclusive')) {
    const needed = requiredApprovals(pricing, policyInput);
    if (!needed.ok) return needed;
    const signed = new Set(q.approval.signatures.map((s) => s.level));
    const missing = needed.value.levels.filter((l) => !signed.has(l));
    if (missing.length > 0) {
      return refuse('PRICING_APPROVAL_REQUIRED', {
        quoteId: q.id,
        kind: request.value.kind,
        levels: missing,
        reasons: needed.value.reasons.filter((r) => missing.includes(r.level)),
      });
    }
  }
  const c = ctx.value;
  const document: SalesDocument = freeze(
    {
      ...pricing,
      id: request.value.id,
      kind: request.value.kind,
      version: 1,
      quoteId: q.id,
      quoteRevision: q.revision,
      ownerId: q.ownerId,
      customerId: q.customerId,
      opportunityId: q.opportunityId,
      totals: after.value.priced.totals,
      createdAt: c.now,
    },
    true,
  );
  const events = [
    ruleEvent({
      type: 'quote.converted',
      at: c.now,
      actorId: c.actorId,
      subject: { kind: 'quote', id: q.id },
      version: q.version,
      data: { revision: q.revision, kind: request.value.kind, documentId: document.id, repriced: request.value.repricing !== undefined },
    }),
  ];
  return ok(freeze({ document, priced: after.value.priced, events }, true));
}

/** Whether the discount off the list grew: the new amount (in the prices' basis) is a smaller share of the list. */
function discountGrew(before: PricedQuote, after: PricedQuote, inclusive: boolean): boolean {
  const amountOf = (p: PricedQuote) => moneyToDecimal(inclusive ? p.totals.total : p.totals.net);
  // after / list_after < before / list_before  ⟺  after × list_before < before × list_after
  return (
    compareDecimals(multiplyDecimals(amountOf(after), moneyToDecimal(before.totals.list)), multiplyDecimals(amountOf(before), moneyToDecimal(after.totals.list))) < 0
  );
}

/* ------------------------------------------------------------------ reuse */

const REUSED_FIELDS = ['currency', 'customerId', 'opportunityId', 'lines', 'orderDiscount', 'tax', 'rounding', 'stages'] as const;

/** A reuse: the new draft, and what it overwrote of the target draft (nothing for a fresh one). */
export interface Reuse extends QuoteChange {
  /** Each field of the target that held something else and now holds the earlier quote's value. */
  readonly overwrites: readonly FieldChange[];
}

const blank = (v: unknown): boolean => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

/**
 * Reuses an earlier quote (复用报价): a new draft with its customer, lines, discounts and tax —
 * `{ id, ownerId }` for a fresh quote, or an existing draft to fill. It says which fields of
 * that draft it overwrites, with their old and new values, instead of overwriting silently
 * (the seed faults a vendor for exactly that); the host shows them before saving. A target that
 * is not a draft is refused.
 *
 * @example
 * reuseQuote(lastYearsQuote, { id: 'Q-9', ownerId: 'rep-li' }, ctx) // ok: { quote: { status: 'draft', lines: [...] }, overwrites: [] }
 * reuseQuote(lastYearsQuote, myDraft, ctx) // ok: { overwrites: [{ field: 'lines', from: [...], to: [...] }] }
 */
export function reuseQuote(sourceInput: Quote, target: Quote | { readonly id: string; readonly ownerId: string }, ctxInput: QuoteContext): Result<Reuse, CrmError> {
  const source = parseInput(storedQuoteSchema, sourceInput, ['source']);
  if (!source.ok) return source;
  const s = source.value as Quote;
  const copied = Object.fromEntries(REUSED_FIELDS.map((f) => [f, s[f]]));
  if (!('status' in target)) {
    const created = createQuote({ ...(copied as QuotePricing), id: target.id, ownerId: target.ownerId } as never, ctxInput);
    return created.ok ? ok(freeze({ ...created.value, overwrites: [] }, true)) : created;
  }
  const t = parseInput(storedQuoteSchema, target, ['target']);
  if (!t.ok) return t;
  const draft = t.value as Quote;
  if (draft.status !== 'draft') return refuse('PRICING_TRANSITION_NOT_ALLOWED', { quoteId: draft.id, status: draft.status, operation: 'edit', allowedFrom: ['draft'] });
  const overwrites: FieldChange[] = [];
  for (const f of REUSED_FIELDS) {
    const from = draft[f];
    const to = s[f];
    if (!blank(from) && JSON.stringify(from) !== JSON.stringify(to)) overwrites.push({ field: f, from, to });
  }
  const created = createQuote({ ...(copied as QuotePricing), id: draft.id, ownerId: draft.ownerId } as never, ctxInput);
  if (!created.ok) return created;
  // The draft keeps its identity and history: the next version of the same record.
  const quote = freeze({ ...created.value.quote, version: draft.version + 1, revision: draft.revision, createdAt: draft.createdAt }, true);
  const c = parseInput(quoteContextSchema, ctxInput, ['context']);
  if (!c.ok) return c;
  const reused = ruleEvent({
    type: 'quote.reused',
    at: c.value.now,
    actorId: c.value.actorId,
    subject: { kind: 'quote', id: quote.id },
    version: quote.version,
    data: { revision: quote.revision, sourceId: s.id, overwritten: overwrites.map((o) => o.field) },
  });
  return ok(freeze({ ...created.value, quote, events: [reused], overwrites }, true));
}
