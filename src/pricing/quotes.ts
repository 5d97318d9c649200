import type { CrmError } from '../core/errors.js';
import { refuse } from '../core/errors.js';
import { quoteEvent, type QuoteEvent, type QuoteEventDataByType, type QuoteEventType } from './events.js';
import { compareDecimals, formatMoney, moneyToDecimal, multiplyDecimals, percentToRate } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { z } from 'zod';
import { timeOf } from '../core/foreign.js';
import { deepFreeze, entityParser, idSchema, instantSchema, textSchema } from '../core/validation.js';
import { creditLineRefusal, pricingInput } from './boundary.js';
import {
  QUOTE_STATUSES,
  quotePricingShape,
  approvalPolicySchema,
  newQuoteSchema,
  quoteContextSchema,
  quoteEditSchema,
  quotePricingSchema,
  type ApprovalPolicy,
  type ApprovalPolicyInput,
  type NewQuoteInput,
  type Quote,
  type QuoteApproval,
  type QuoteContext,
  type QuoteEdit,
  type QuoteLine,
  type QuotePricing,
  type QuoteStatus,
} from './model.js';
import { decimal, keepRate, madeByRules, priceWithFacts, type PricedQuote, type PricingFacts, type QuoteTotals } from './price.js';

/* ------------------------------------------------------------------ required approvals */

/** Why a level is needed: the rule, and the line or figure that tripped it. */
export interface ApprovalReason {
  readonly ruleId: string;
  readonly level: string;
  readonly kind: 'lineDiscountAbove' | 'totalDiscountAbove' | 'orderDiscountAbove' | 'belowFloor' | 'totalAbove';
  /** The line, for line rules. */
  readonly lineId: string | null;
  /** The figure compared: a percentage, or the total as a decimal string. */
  readonly actual: string;
  /** The rule's threshold (a percentage or an amount; '' for belowFloor). */
  readonly threshold: string;
}

/** The levels a quote needs, in order, and every reason. */
export interface RequiredApprovals {
  readonly levels: readonly string[];
  readonly reasons: readonly ApprovalReason[];
}

/** The approval verdict for priced facts under a parsed policy. @internal */
export function approvalsFor(priced: PricedQuote, facts: PricingFacts, policy: ApprovalPolicy, inclusive: boolean): RequiredApprovals {
  const reasons: ApprovalReason[] = [];
  const totals = priced.totals;
  const after = moneyToDecimal(inclusive ? totals.total : totals.net);
  const list = moneyToDecimal(totals.list);
  for (const rule of policy.rules) {
    const w = rule.when;
    const base = { ruleId: rule.id, level: rule.level, kind: w.kind };
    switch (w.kind) {
      case 'lineDiscountAbove':
        facts.lines.forEach((l, i) => {
          // discount > p  ⟺  amount < list × (1 − p)
          if (compareDecimals(l.exact, multiplyDecimals(l.listExact, keepRate(w.percent))) < 0) {
            reasons.push({ ...base, lineId: l.id, actual: priced.lines[i]!.discountPercent, threshold: w.percent });
          }
        });
        break;
      case 'totalDiscountAbove':
        if (compareDecimals(after, multiplyDecimals(list, keepRate(w.percent))) < 0) reasons.push({ ...base, lineId: null, actual: totals.discountPercent, threshold: w.percent });
        break;
      case 'orderDiscountAbove': {
        // the order discount > p × what it was taken off
        const od = moneyToDecimal(totals.orderDiscount);
        if (compareDecimals(od, multiplyDecimals(facts.orderBase, percentToRate(decimal(w.percent)))) > 0) {
          reasons.push({ ...base, lineId: null, actual: facts.orderDiscountPercent, threshold: w.percent });
        }
        break;
      }
      case 'belowFloor':
        priced.lines.forEach((l) => {
          if (l.belowFloor) reasons.push({ ...base, lineId: l.id, actual: l.saleUnitPrice, threshold: '' });
        });
        break;
      case 'totalAbove':
        if (compareDecimals(moneyToDecimal(totals.total), decimal(w.amount)) > 0) {
          reasons.push({ ...base, lineId: null, actual: formatMoney(totals.total), threshold: w.amount });
        }
        break;
    }
  }
  const order = policy.levels.map((l) => l.id);
  const needed = new Set(reasons.map((r) => r.level));
  let levels = order.filter((id) => needed.has(id));
  if (policy.escalation === 'through' && levels.length > 0) levels = order.slice(0, order.indexOf(levels[levels.length - 1]!) + 1);
  return deepFreeze({ levels, reasons });
}

/**
 * The pricing fields of a quote, or a pricing input, validated (a stored quote's other fields are
 * left out, unread).
 */
const pricingOfQuoteSchema = z.object(quotePricingShape);


/**
 * Which approval levels a quote needs under a policy, and why: each rule that trips names its
 * level, the line (for line rules) and the figure against the threshold. With `escalation:
 * 'through'` every level up to the highest one named signs, in the policy's order.
 *
 * @example
 * requiredApprovals(quote, policy)
 * // ok: { levels: ['teamLead', 'finance'], reasons: [{ ruleId: 'over-20', level: 'finance', lineId: 'l2', actual: '25', threshold: '20', ... }] }
 */
export function requiredApprovals(quote: QuotePricing | Quote | Parameters<typeof quotePricingSchema.parse>[0], policy: ApprovalPolicyInput): Result<RequiredApprovals, CrmError> {
  const pricing: Result<QuotePricing, CrmError> =
    typeof quote === 'object' && quote !== null && madeByRules.has(quote) ? ok(quote as QuotePricing) : pricingInput(pricingOfQuoteSchema, quote, ['quote']);
  if (!pricing.ok) return pricing;
  const p = pricingInput(approvalPolicySchema, policy, ['policy']);
  if (!p.ok) return p;
  const priced = priceWithFacts(pricing.value);
  if (!priced.ok) return priced;
  return ok(approvalsFor(priced.value.priced, priced.value.facts, p.value, pricing.value.tax.mode === 'inclusive'));
}

/* ------------------------------------------------------------------ the approval flow */

/** The operations of a quote's approval flow. */
export const QUOTE_OPERATIONS = ['edit', 'submit', 'approve', 'reject', 'return', 'cancel', 'convert'] as const;
/** A quote operation. */
export type QuoteOperation = (typeof QUOTE_OPERATIONS)[number];

/**
 * From which statuses each operation may run (an edit of an approved quote makes a new revision).
 * draft → pending (level 1 … n) → approved; pending → rejected (with a reason) or returned for
 * editing; anything but cancelled → cancelled.
 */
export const QUOTE_TRANSITIONS: Readonly<Record<QuoteOperation, readonly QuoteStatus[]>> = Object.freeze({
  edit: Object.freeze(['draft', 'returned', 'rejected', 'approved'] as const),
  submit: Object.freeze(['draft', 'returned'] as const),
  approve: Object.freeze(['pending'] as const),
  reject: Object.freeze(['pending'] as const),
  return: Object.freeze(['pending'] as const),
  cancel: Object.freeze(['draft', 'pending', 'returned', 'rejected', 'approved'] as const),
  convert: Object.freeze(['approved'] as const),
});

/** What a quote command returns: the quote after it, its events, and (for a revision) the revision it replaced. */
export interface QuoteChange {
  readonly quote: Quote;
  readonly events: readonly QuoteEvent[];
  /** Editing an approved quote: the approved revision as it stood, for the host's revision history. */
  readonly archived: Quote | null;
  readonly priced: PricedQuote;
}

/** The acting user and `now`, validated. @internal */
export interface Ctx {
  readonly actorId: string;
  readonly now: Date;
}

/** The acting user and `now`, validated (the Date a copy). @internal */
export function context(input: unknown): Result<Ctx, CrmError> {
  return pricingInput(quoteContextSchema, input, ['context']);
}

/**
 * A Date of its own at the time of a Date the rules hold (parsed at a door, or in a quote they
 * trust): no two fields, records or events share one, and none is the caller's (a Date can be
 * changed in place).
 */
function copyOf(d: Date): Date {
  return new Date(timeOf(d) ?? Number.NaN);
}

/** `now` as a Date of its own (see `copyOf`). */
export function nowOf(ctx: Ctx): Date {
  return copyOf(ctx.now);
}

const NO_APPROVAL: QuoteApproval = deepFreeze({ required: [], current: null, signatures: [], decision: null });

/** What an event adds to the quote's revision. */
type QuoteEventExtra<T extends QuoteEventType> = T extends QuoteEventType ? Omit<QuoteEventDataByType[T], 'revision'> : never;

function event<T extends QuoteEventType>(type: T, q: Quote, ctx: Ctx, ...data: {} extends QuoteEventExtra<T> ? [] : [QuoteEventExtra<T>]): QuoteEvent {
  return quoteEvent<QuoteEventType>({ type, at: nowOf(ctx), actorId: ctx.actorId, subject: { kind: 'quote', id: q.id }, version: q.version, data: { revision: q.revision, ...data[0] } });
}

function notAllowed(q: Quote, operation: QuoteOperation): Result<never, CrmError> {
  return refuse('PRICING_TRANSITION_NOT_ALLOWED', { quoteId: q.id, status: q.status, operation, allowedFrom: QUOTE_TRANSITIONS[operation] });
}

/**
 * The stored quote, checked: a quote the rules returned comes back as it is while nothing in it
 * changed; any other — a copy, JSON from a database, or a returned quote one of whose Dates was
 * set since — is validated in full. (@internal: the conversion and reuse doors share it.)
 */
export function quoteDoor(input: unknown, at: readonly (string | number)[] = ['quote']): Result<Quote, CrmError> {
  return creditLineRefusal(quotes.parse(input, at)) as Result<Quote, CrmError>;
}

/**
 * A quote the rules return: with Dates of its own (a step builds on the quote before it, and a
 * Date set in place on one record must not move another), frozen all the way down, and trusted
 * (see `quotes`).
 */
function done(q: Quote): Quote {
  const a = q.approval;
  const frozen = quotes.trust(
    deepFreeze({
      ...q,
      createdAt: copyOf(q.createdAt),
      updatedAt: copyOf(q.updatedAt),
      approval: {
        ...a,
        signatures: a.signatures.map((s) => ({ ...s, at: copyOf(s.at) })),
        decision: a.decision === null ? null : { ...a.decision, at: copyOf(a.decision.at) },
      },
    }),
  );
  madeByRules.add(frozen);
  return frozen;
}

/** The highest version or revision a number counts exactly: a quote at it takes no more steps. */
export const LAST_VERSION = Number.MAX_SAFE_INTEGER;

/** @internal */
export function exhausted(field: 'version' | 'revision', at: readonly (string | number)[] = ['quote']): Result<never, CrmError> {
  const issues = [{ path: [...at, field], message: `the ${field} is the last one a number holds exactly: no step can follow it`, code: 'too_big' }];
  return refuse('INVALID_INPUT', { issues, summary: `${[...at, field].join('.')}: ${issues[0]!.message}` });
}

/** The doors every step shares: the stored quote, the policy (when the step needs one) and the context. */
function stepDoor(quoteInput: unknown, policyInput: unknown, ctxInput: unknown, needsPolicy = true): Result<{ q: Quote; policy: ApprovalPolicy | null; ctx: Ctx }, CrmError> {
  const door = quoteDoor(quoteInput);
  if (!door.ok) return door;
  if (door.value.version >= LAST_VERSION) return exhausted('version');
  let policy: ApprovalPolicy | null = null;
  if (needsPolicy) {
    const p = pricingInput(approvalPolicySchema, policyInput, ['policy']);
    if (!p.ok) return p;
    policy = p.value;
  }
  const ctx = context(ctxInput);
  if (!ctx.ok) return ctx;
  return ok({ q: door.value, policy, ctx: ctx.value });
}

/** A step's result: the new quote priced, its events, and what it archived. */
function changed(quote: Quote, events: readonly QuoteEvent[], archived: Quote | null = null): Result<QuoteChange, CrmError> {
  const priced = priceWithFacts(quote);
  if (!priced.ok) return priced;
  return ok(deepFreeze({ quote, events, archived, priced: priced.value.priced }));
}

/**
 * Creates a draft quote (revision 1, version 1), priced to make sure it can be: a line a
 * discount takes below zero is refused now, not at approval.
 *
 * @example
 * createQuote({ id: 'Q-1', ownerId: 'rep-li', currency: 'CNY', lines: [...] }, { actor: { id: 'rep-li' }, now })
 * // ok: { quote: { status: 'draft', revision: 1, ... }, events: [quote.created], priced }
 */
export function createQuote(input: NewQuoteInput, ctxInput: QuoteContext): Result<QuoteChange, CrmError> {
  const parsed = pricingInput(newQuoteSchema, input, ['quote']);
  if (!parsed.ok) return parsed;
  const ctx = context(ctxInput);
  if (!ctx.ok) return ctx;
  const created = newDraft(parsed.value, ctx.value, null);
  if (!created.ok) return created;
  const { quote, event, priced } = created.value;
  return ok(deepFreeze({ quote, events: [event], archived: null, priced }));
}

/** A new quote, validated. @internal */
export type NewQuote = z.output<typeof newQuoteSchema>;

/**
 * A draft from validated input, priced to make sure it can be: revision 1 at version 1, or (to
 * fill an existing draft) the version, revision and creation time it continues. @internal
 */
export function newDraft(
  input: NewQuote,
  ctx: Ctx,
  continues: { readonly version: number; readonly revision: number; readonly createdAt: Date } | null,
): Result<{ quote: Quote; event: QuoteEvent; priced: PricedQuote }, CrmError> {
  const priced = priceWithFacts(input);
  if (!priced.ok) return priced;
  const quote = done({
    ...input,
    version: continues?.version ?? 1,
    revision: continues?.revision ?? 1,
    status: 'draft',
    approval: NO_APPROVAL,
    createdAt: continues === null ? nowOf(ctx) : copyOf(continues.createdAt),
    updatedAt: nowOf(ctx),
  });
  return ok({ quote, event: event('quote.created', quote, ctx), priced: priced.value.priced });
}

/**
 * Edits a quote's lines, discounts, tax or links. A draft, returned or rejected quote is changed
 * in place (back to draft, its approvals cleared); an approved one becomes a new revision — a
 * draft that needs approval again — and the approved revision comes back as `archived` for the
 * host to keep. Pending and cancelled quotes cannot be edited (`PRICING_TRANSITION_NOT_ALLOWED`).
 *
 * @example
 * editQuote(approvedQuote, { orderDiscount: { kind: 'percent', percent: '5' } }, ctx)
 * // ok: { quote: { revision: 2, status: 'draft' }, archived: { revision: 1, status: 'approved' } }
 */
export function editQuote(quoteInput: Quote, editInput: QuoteEdit, ctxInput: QuoteContext): Result<QuoteChange, CrmError> {
  const step = stepDoor(quoteInput, null, ctxInput, false);
  if (!step.ok) return step;
  const { q, ctx } = step.value;
  const edit = pricingInput(quoteEditSchema, editInput, ['edit']);
  if (!edit.ok) return edit;
  if (!QUOTE_TRANSITIONS.edit.includes(q.status)) return notAllowed(q, 'edit');
  const changes = Object.fromEntries(Object.entries(edit.value).filter(([, v]) => v !== undefined));
  const next: Quote = { ...q, ...changes, version: q.version + 1, status: 'draft', approval: NO_APPROVAL, updatedAt: nowOf(ctx) };
  const revised = q.status === 'approved';
  if (revised && q.revision >= LAST_VERSION) return exhausted('revision');
  const quote = done(revised ? { ...next, revision: q.revision + 1 } : next);
  // the archived revision as it stood, with Dates of its own: not the caller's, not the new revision's
  return changed(quote, [event(revised ? 'quote.revised' : 'quote.edited', quote, ctx, { fields: Object.keys(changes) as (keyof QuoteEdit)[] })], revised ? done(q) : null);
}

/**
 * Submits a draft or returned quote for approval: the levels it needs are worked out now (see
 * `requiredApprovals`); with none it is approved at once, else it waits on the first level.
 *
 * @example
 * submitQuote(draft, policy, { actor: { id: 'rep-li' }, now }) // ok: { quote: { status: 'pending', approval: { required: ['teamLead'], current: 0 } } }
 */
export function submitQuote(quoteInput: Quote, policyInput: ApprovalPolicyInput, ctxInput: QuoteContext): Result<QuoteChange, CrmError> {
  const step = stepDoor(quoteInput, policyInput, ctxInput);
  if (!step.ok) return step;
  const { q, ctx } = step.value;
  if (!QUOTE_TRANSITIONS.submit.includes(q.status)) return notAllowed(q, 'submit');
  const priced = priceWithFacts(q);
  if (!priced.ok) return priced;
  const needed = approvalsFor(priced.value.priced, priced.value.facts, step.value.policy!, q.tax.mode === 'inclusive');
  const none = needed.levels.length === 0;
  const quote = done({
    ...q,
    version: q.version + 1,
    status: none ? 'approved' : 'pending',
    approval: { required: needed.levels, current: none ? null : 0, signatures: [], decision: null },
    updatedAt: nowOf(ctx),
  });
  const events = [event('quote.submitted', quote, ctx, { required: needed.levels, reasons: needed.reasons })];
  if (none) events.push(event('quote.approved', quote, ctx, { automatic: true }));
  return ok(deepFreeze({ quote, events, archived: null, priced: priced.value.priced }));
}

/** The pending quote's current level, and whether the actor may sign for it. */
function currentLevel(q: Quote, policy: ApprovalPolicy, actorId: string, operation: QuoteOperation): Result<string, CrmError> {
  if (!QUOTE_TRANSITIONS[operation].includes(q.status) || q.approval.current === null) return notAllowed(q, operation);
  const level = q.approval.required[q.approval.current]!;
  const approvers = policy.levels.find((l) => l.id === level)?.approvers ?? [];
  if (!approvers.includes(actorId)) return refuse('PRICING_NOT_AN_APPROVER', { quoteId: q.id, actorId, level });
  return ok(level);
}

/**
 * Signs the pending quote's current level: an approver of that level moves it to the next, or
 * approves it after the last. Anyone else is refused (`PRICING_NOT_AN_APPROVER`).
 *
 * @example
 * approveQuote(pending, policy, { actor: { id: 'lead-zhang' }, now }) // ok: { quote: { status: 'pending', approval: { current: 1 } } }
 */
export function approveQuote(quoteInput: Quote, policyInput: ApprovalPolicyInput, ctxInput: QuoteContext): Result<QuoteChange, CrmError> {
  const step = stepDoor(quoteInput, policyInput, ctxInput);
  if (!step.ok) return step;
  const { q, ctx } = step.value;
  const level = currentLevel(q, step.value.policy!, ctx.actorId, 'approve');
  if (!level.ok) return level;
  const current = q.approval.current!;
  const last = current + 1 >= q.approval.required.length;
  const quote = done({
    ...q,
    version: q.version + 1,
    status: last ? 'approved' : 'pending',
    approval: {
      ...q.approval,
      current: last ? null : current + 1,
      signatures: [...q.approval.signatures, { level: level.value, actorId: ctx.actorId, at: nowOf(ctx) }],
    },
    updatedAt: nowOf(ctx),
  });
  const events = [event('quote.levelApproved', quote, ctx, { level: level.value })];
  if (last) events.push(event('quote.approved', quote, ctx, { automatic: false }));
  return changed(quote, events);
}

function decide(outcome: 'rejected' | 'returned', quoteInput: Quote, policyInput: ApprovalPolicyInput, reasonInput: unknown, ctxInput: QuoteContext): Result<QuoteChange, CrmError> {
  const operation = outcome === 'rejected' ? 'reject' : 'return';
  const step = stepDoor(quoteInput, policyInput, ctxInput);
  if (!step.ok) return step;
  const { q, ctx } = step.value;
  const level = currentLevel(q, step.value.policy!, ctx.actorId, operation);
  if (!level.ok) return level;
  const reason = typeof reasonInput === 'string' ? reasonInput.trim() : '';
  if (reason.length === 0) return refuse('PRICING_REASON_REQUIRED', { quoteId: q.id, operation });
  const text = pricingInput(reasonSchema, reason, ['reason']);
  if (!text.ok) return text;
  const quote = done({
    ...q,
    version: q.version + 1,
    status: outcome,
    approval: { ...q.approval, current: null, decision: { outcome, reason, actorId: ctx.actorId, at: nowOf(ctx) } },
    updatedAt: nowOf(ctx),
  });
  return changed(quote, [event(`quote.${outcome}`, quote, ctx, { level: level.value, reason })]);
}

/**
 * Rejects the pending quote at its current level, with a reason (审批不通过). A rejected quote
 * can be edited (back to a draft) or cancelled.
 *
 * @example
 * rejectQuote(pending, policy, '折扣超出授权', { actor: { id: 'fin-wu' }, now }) // ok: { quote: { status: 'rejected' } }
 */
export function rejectQuote(quote: Quote, policy: ApprovalPolicyInput, reason: string, ctx: QuoteContext): Result<QuoteChange, CrmError> {
  return decide('rejected', quote, policy, reason, ctx);
}

/**
 * Returns the pending quote to its owner for editing, with a reason (返回编辑); it can be
 * edited and submitted again.
 *
 * @example
 * returnQuote(pending, policy, '请补充交付条款', { actor: { id: 'lead-zhang' }, now }) // ok: { quote: { status: 'returned' } }
 */
export function returnQuote(quote: Quote, policy: ApprovalPolicyInput, reason: string, ctx: QuoteContext): Result<QuoteChange, CrmError> {
  return decide('returned', quote, policy, reason, ctx);
}

/**
 * Cancels a quote (取消) from any status but cancelled.
 *
 * @example
 * cancelQuote(draft, { actor: { id: 'rep-li' }, now }) // ok: { quote: { status: 'cancelled' } }
 */
export function cancelQuote(quoteInput: Quote, ctxInput: QuoteContext): Result<QuoteChange, CrmError> {
  const step = stepDoor(quoteInput, null, ctxInput, false);
  if (!step.ok) return step;
  const { q, ctx } = step.value;
  if (!QUOTE_TRANSITIONS.cancel.includes(q.status)) return notAllowed(q, 'cancel');
  const quote = done({ ...q, version: q.version + 1, status: 'cancelled', approval: { ...q.approval, current: null }, updatedAt: nowOf(ctx) });
  return changed(quote, [event('quote.cancelled', quote, ctx)]);
}

/* ------------------------------------------------------------------ revisions */

/** One changed field: its path and both values (JSON-shaped). */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** What changed between two revisions (or any two quotes). */
export interface QuoteDiff {
  readonly header: readonly FieldChange[];
  readonly lines: {
    readonly added: readonly QuoteLine[];
    readonly removed: readonly QuoteLine[];
    readonly changed: readonly { readonly id: string; readonly changes: readonly FieldChange[] }[];
  };
  /** Both revisions' totals (null where one does not price). */
  readonly totals: { readonly from: QuoteTotals | null; readonly to: QuoteTotals | null };
}

const HEADER_FIELDS = ['currency', 'customerId', 'opportunityId', 'orderDiscount', 'tax', 'rounding', 'stages'] as const;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed from one revision to another: header fields, lines added, removed and changed
 * (field by field), and both totals.
 *
 * @example
 * diffQuotes(revision1, revision2)
 * // ok: { header: [{ field: 'orderDiscount', from: null, to: { kind: 'percent', percent: '5', base: 'net' } }], lines: { added: [], removed: [], changed: [] }, totals: { ... } }
 */
export function diffQuotes(fromInput: Quote, toInput: Quote): Result<QuoteDiff, CrmError> {
  const a = quoteDoor(fromInput, ['from']);
  if (!a.ok) return a;
  const b = quoteDoor(toInput, ['to']);
  if (!b.ok) return b;
  const from = a.value;
  const to = b.value;
  const header: FieldChange[] = [];
  for (const f of HEADER_FIELDS) if (!same(from[f], to[f])) header.push({ field: f, from: from[f], to: to[f] });
  const before = new Map(from.lines.map((l) => [l.id, l]));
  const after = new Map(to.lines.map((l) => [l.id, l]));
  const changed: { id: string; changes: FieldChange[] }[] = [];
  for (const l of to.lines) {
    const old = before.get(l.id);
    if (old === undefined) continue;
    const changes: FieldChange[] = [];
    for (const k of Object.keys(l) as (keyof QuoteLine)[]) if (!same(old[k], l[k])) changes.push({ field: k, from: old[k], to: l[k] });
    if (changes.length > 0) changed.push({ id: l.id, changes });
  }
  const totalsOf = (q: Quote) => {
    const p = priceWithFacts(q);
    return p.ok ? p.value.priced.totals : null;
  };
  return ok(
    deepFreeze({
      header,
      lines: { added: to.lines.filter((l) => !before.has(l.id)), removed: from.lines.filter((l) => !after.has(l.id)), changed },
      totals: { from: totalsOf(from), to: totalsOf(to) },
    }),
  );
}

/* ------------------------------------------------------------------ stored quotes */

/** A rejection's or a return's reason: text a database stores as it is. */
const reasonSchema = textSchema.min(1).max(2000);

/** A stored quote, as read back from a host's database (dates as `Date` or ISO strings). */
export const storedQuoteSchema = z
  .object({
    id: idSchema,
    version: z.number().int().min(1).max(LAST_VERSION),
    revision: z.number().int().min(1).max(LAST_VERSION),
    status: z.enum(QUOTE_STATUSES),
    ownerId: idSchema,
    customerId: idSchema.nullable(),
    opportunityId: idSchema.nullable(),
    ...quotePricingShape,
    approval: z
      .object({
        required: z.array(idSchema).max(20),
        current: z.number().int().min(0).nullable(),
        signatures: z.array(z.object({ level: idSchema, actorId: idSchema, at: instantSchema }).strict()).max(100),
        decision: z
          .object({ outcome: z.enum(['rejected', 'returned']), reason: reasonSchema, actorId: idSchema, at: instantSchema })
          .strict()
          .nullable(),
      })
      .strict(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .strict()
  .superRefine((q, ctx) => {
    const c = q.approval.current;
    if ((q.status === 'pending') !== (c !== null)) ctx.addIssue({ code: 'custom', path: ['approval', 'current'], message: 'a pending quote, and only a pending one, waits on a level' });
    if (c !== null && c >= q.approval.required.length) ctx.addIssue({ code: 'custom', path: ['approval', 'current'], message: 'beyond the required levels' });
    // what the rules never make: a door that took it would hand a wrong quote to convertQuote
    if (q.status === 'approved') {
      const signed = new Set(q.approval.signatures.map((s) => s.level));
      for (const level of q.approval.required) {
        if (!signed.has(level)) ctx.addIssue({ code: 'custom', path: ['approval', 'signatures'], message: `an approved quote is signed at every level it required: ${level} is missing` });
      }
    }
    if ((q.status === 'rejected' || q.status === 'returned') && q.approval.decision?.outcome !== q.status) {
      ctx.addIssue({ code: 'custom', path: ['approval', 'decision'], message: `a ${q.status} quote records that decision` });
    }
    if (q.revision > q.version) ctx.addIssue({ code: 'custom', path: ['revision'], message: 'a revision is at most the version: each revision is a new version' });
    if (q.updatedAt.getTime() < q.createdAt.getTime()) ctx.addIssue({ code: 'custom', path: ['updatedAt'], message: 'updatedAt is before createdAt' });
  });

/**
 * Quotes the rules returned (the core's trust rule, see `entityParser`): deeply frozen, so only
 * a Date's time value can change (`setTime`); the door re-reads their times, and a quote whose
 * Dates moved is parsed like any stranger — an Invalid Date refused, any other time validated —
 * never accepted as it was.
 */
const quotes = entityParser(storedQuoteSchema as unknown as z.ZodType<Quote, unknown>, ['quote']);
