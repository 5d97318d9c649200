import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { refuse } from '../core/errors.js';
import { compareDecimals, moneyToDecimal, multiplyDecimals } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { deepFreeze, idSchema, isPlainObject, ENGLISH_PARSE } from '../core/validation.js';
import { pricingInput } from './boundary.js';
import { quoteEvent, type QuoteEvent } from './events.js';
import {
  approvalPolicySchema,
  lineDiscountSchema,
  orderDiscountSchema,
  type ApprovalPolicyInput,
  type LineDiscount,
  type Quote,
  type QuoteContext,
  type QuoteLine,
  type QuotePricing,
} from './model.js';
import { priceWithFacts, type PricedQuote } from './price.js';
import {
  approvalsFor,
  context,
  exhausted,
  LAST_VERSION,
  newDraft,
  nowOf,
  QUOTE_TRANSITIONS,
  quoteDoor,
  type FieldChange,
  type NewQuote,
  type QuoteChange,
} from './quotes.js';

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

/** A line discount as a host writes it. @inline */
type LineDiscountInput = z.input<typeof lineDiscountSchema>;

/**
 * New line discounts by line id (null: none): an object keyed by line id, or a `Map`. Line ids
 * are data, so any id is a key — `__proto__` or `constructor` included (as an own key, the way
 * `JSON.parse` makes it, or in a Map).
 */
export type LineDiscountsInput = Readonly<Record<string, LineDiscountInput | null>> | ReadonlyMap<string, LineDiscountInput | null>;

/** The entries of a Map (read by its own slot) or of a plain object's own string keys; null for anything else. */
function entriesOf(input: unknown): (readonly [unknown, unknown])[] | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  try {
    Map.prototype.has.call(input, '');
  } catch {
    if (!isPlainObject(input)) return null;
    return Object.keys(input).map((k) => [k, input[k]] as const);
  }
  return Array.from(Map.prototype.entries.call(input as Map<unknown, unknown>));
}

const MAX_LINES = 10_000;
const lineDiscountOrNone = lineDiscountSchema.nullable();

/** Line discounts by line id, read into a Map (never a plain object keyed by ids). */
const lineDiscountsSchema = z.unknown().transform((input, ctx) => {
  const entries = entriesOf(input);
  if (entries === null) {
    ctx.addIssue({ code: 'custom', message: 'expected an object or a Map from line id to a line discount (or null)' });
    return z.NEVER;
  }
  if (entries.length > MAX_LINES) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_LINES} line discounts` });
    return z.NEVER;
  }
  const out = new Map<string, LineDiscount | null>();
  entries.forEach(([key, value], i) => {
    const id = idSchema.safeParse(key, ENGLISH_PARSE);
    if (!id.success) {
      for (const issue of id.error.issues) ctx.addIssue({ ...issue, path: [typeof key === 'string' ? key : i] } as z.core.$ZodRawIssue);
      return;
    }
    const d = lineDiscountOrNone.safeParse(value, ENGLISH_PARSE);
    if (!d.success) {
      for (const issue of d.error.issues) ctx.addIssue({ ...issue, path: [id.data, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))] } as z.core.$ZodRawIssue);
      return;
    }
    out.set(id.data, d.data);
  });
  return out;
}) as unknown as z.ZodType<ReadonlyMap<string, LineDiscount | null>, LineDiscountsInput>;

/** A conversion request: the kind, the new document's id, and any re-pricing (line discounts, the order discount). */
export const conversionSchema = z
  .object({
    kind: z.enum(SALES_DOCUMENT_KINDS),
    id: idSchema,
    repricing: z
      .object({
        /** Per line id: its new discount (null: none); an object keyed by line id or a Map. */
        lineDiscounts: lineDiscountsSchema.optional(),
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
  readonly events: readonly QuoteEvent[];
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
  const quote = quoteDoor(quoteInput);
  if (!quote.ok) return quote;
  const q = quote.value;
  const policy = pricingInput(approvalPolicySchema, policyInput, ['policy']);
  if (!policy.ok) return policy;
  const request = pricingInput(conversionSchema, requestInput, ['request']);
  if (!request.ok) return request;
  const ctx = context(ctxInput);
  if (!ctx.ok) return ctx;
  if (!QUOTE_TRANSITIONS.convert.includes(q.status)) {
    return refuse('PRICING_TRANSITION_NOT_ALLOWED', { quoteId: q.id, status: q.status, operation: 'convert', allowedFrom: QUOTE_TRANSITIONS.convert });
  }
  const repricing = request.value.repricing ?? {};
  const lineDiscounts: ReadonlyMap<string, LineDiscount | null> = repricing.lineDiscounts ?? new Map();
  const known = new Set(q.lines.map((l) => l.id));
  const unknown = [...lineDiscounts.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const issues = unknown.map((id) => ({ path: ['request', 'repricing', 'lineDiscounts', id], message: `no line ${id} on quote ${q.id}`, code: 'custom' }));
    return refuse('INVALID_INPUT', { issues, summary: issues.map((i) => i.message).join('; ') });
  }
  const lines: QuoteLine[] = q.lines.map((l) => (lineDiscounts.has(l.id) ? { ...l, discount: lineDiscounts.get(l.id) ?? null } : l));
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
    // the policy as parsed above, on the facts just priced (the policy input is read once)
    const needed = approvalsFor(after.value.priced, after.value.facts, policy.value, q.tax.mode === 'inclusive');
    const signed = new Set(q.approval.signatures.map((s) => s.level));
    const missing = needed.levels.filter((l) => !signed.has(l));
    if (missing.length > 0) {
      return refuse('PRICING_APPROVAL_REQUIRED', {
        quoteId: q.id,
        kind: request.value.kind,
        levels: missing,
        reasons: needed.reasons.filter((r) => missing.includes(r.level)),
      });
    }
  }
  const c = ctx.value;
  const document: SalesDocument = deepFreeze({
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
    createdAt: nowOf(c),
  });
  const events = [
    quoteEvent({
      type: 'quote.converted',
      at: nowOf(c),
      actorId: c.actorId,
      subject: { kind: 'quote', id: q.id },
      version: q.version,
      data: { revision: q.revision, kind: request.value.kind, documentId: document.id, repriced: request.value.repricing !== undefined },
    }),
  ];
  return ok(deepFreeze({ document, priced: after.value.priced, events }));
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
  const source = quoteDoor(sourceInput, ['source']);
  if (!source.ok) return source;
  const s = source.value;
  const t = reuseTarget(target);
  if (!t.ok) return t;
  const ctx = context(ctxInput);
  if (!ctx.ok) return ctx;
  const c = ctx.value;
  const copied = {
    currency: s.currency,
    customerId: s.customerId,
    opportunityId: s.opportunityId,
    lines: s.lines,
    orderDiscount: s.orderDiscount,
    tax: s.tax,
    rounding: s.rounding,
    stages: s.stages,
  } satisfies Omit<NewQuote, 'id' | 'ownerId'>;
  if (t.value.kind === 'fresh') {
    const created = newDraft({ ...copied, id: t.value.id, ownerId: t.value.ownerId }, c, null);
    if (!created.ok) return created;
    const { quote, priced } = created.value;
    return ok(deepFreeze({ quote, events: [created.value.event], archived: null, priced, overwrites: [] }));
  }
  const draft = t.value.quote;
  if (draft.status !== 'draft') return refuse('PRICING_TRANSITION_NOT_ALLOWED', { quoteId: draft.id, status: draft.status, operation: 'edit', allowedFrom: ['draft'] });
  if (draft.version >= LAST_VERSION) return exhausted('version', ['target']);
  const overwrites: FieldChange[] = [];
  for (const f of REUSED_FIELDS) {
    const from = draft[f];
    const to = s[f];
    if (!blank(from) && JSON.stringify(from) !== JSON.stringify(to)) overwrites.push({ field: f, from, to });
  }
  // The draft keeps its identity and history: the next version of the same record.
  const created = newDraft({ ...copied, id: draft.id, ownerId: draft.ownerId }, c, { version: draft.version + 1, revision: draft.revision, createdAt: draft.createdAt });
  if (!created.ok) return created;
  const { quote, priced } = created.value;
  const reused = quoteEvent({
    type: 'quote.reused',
    at: nowOf(c),
    actorId: c.actorId,
    subject: { kind: 'quote', id: quote.id },
    version: quote.version,
    data: { revision: quote.revision, sourceId: s.id, overwritten: overwrites.map((o) => o.field) },
  });
  return ok(deepFreeze({ quote, events: [reused], archived: null, priced, overwrites }));
}

/** A fresh quote's ids. */
const freshTargetSchema = z.object({ id: idSchema, ownerId: idSchema }).strict();

/** The reuse target, validated: a stored quote (it has a status), or `{ id, ownerId }` for a fresh one. */
function reuseTarget(input: unknown): Result<{ kind: 'fresh'; id: string; ownerId: string } | { kind: 'draft'; quote: Quote }, CrmError> {
  if (typeof input === 'object' && input !== null && 'status' in input) {
    const d = quoteDoor(input, ['target']);
    return d.ok ? ok({ kind: 'draft', quote: d.value }) : d;
  }
  const f = pricingInput(freshTargetSchema, input, ['target']);
  return f.ok ? ok({ kind: 'fresh', id: f.value.id, ownerId: f.value.ownerId }) : f;
}
