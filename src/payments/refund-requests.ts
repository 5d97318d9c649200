import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import type { Money } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { deepFreeze, idSchema, parseInput, textSchema } from '../core/validation.js';
import {
  freshInstant,
  moneyOf,
  parseContext,
  parsePayment,
  paymentEvent,
  paymentInstantSchema,
  positiveMoney,
  type Payment,
  type PaymentContext,
  type PaymentEvent,
} from './model.js';
import { refundAmount, refunded, refundLevels } from './payments.js';
import { invalidPaymentInput, paymentRefusal } from './refusals.js';

/** Where a refund request stands: waiting on a level, paid back, or rejected. */
export const REFUND_REQUEST_STATUSES = Object.freeze(['pendingApproval', 'applied', 'rejected'] as const);
/** A refund request's status. */
export type RefundRequestStatus = (typeof REFUND_REQUEST_STATUSES)[number];

/** A level signed on a refund request. */
export interface RefundSignature {
  readonly level: string;
  readonly by: string;
  readonly at: Date;
}

/**
 * A refund request (退款申请): a refund out of a payment's unapplied rest that the policy puts
 * under approval, waiting on its levels in order; paid back (`applied`, with the refund's `seq`
 * on the payment) at the last signature, or `rejected`.
 */
export interface RefundRequest {
  readonly id: string;
  readonly version: number;
  readonly paymentId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly reason: string | null;
  readonly status: RefundRequestStatus;
  /** The levels it needs, in order (none: it was paid back at once). */
  readonly levels: readonly string[];
  readonly signed: readonly RefundSignature[];
  /** Who rejected it, at which level (null: it waited on none any more), when and why. */
  readonly rejection: { readonly by: string; readonly level: string | null; readonly at: Date; readonly reason: string } | null;
  /** The refund's number on the payment once paid back; null before. */
  readonly refundSeq: number | null;
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly updatedAt: Date;
}

const signatureSchema = z.object({ level: idSchema, by: idSchema, at: paymentInstantSchema }).strict();

/**
 * The schema of a stored refund request: the signatures follow the levels in order, an applied
 * one is signed at every level and names its refund, a rejected one (only) records its rejection.
 *
 * @example
 * refundRequestSchema.safeParse(stored).success
 */
export const refundRequestSchema: z.ZodType<RefundRequest, unknown> = z
  .object({
    id: idSchema,
    version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    paymentId: idSchema,
    customerId: idSchema,
    amount: positiveMoney,
    reason: textSchema.max(2000).nullable(),
    status: z.enum(REFUND_REQUEST_STATUSES),
    levels: z.array(idSchema).max(20),
    signed: z.array(signatureSchema).max(20),
    rejection: z.object({ by: idSchema, level: idSchema.nullable(), at: paymentInstantSchema, reason: textSchema.min(1).max(2000) }).strict().nullable(),
    refundSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
    requestedBy: idSchema,
    requestedAt: paymentInstantSchema,
    updatedAt: paymentInstantSchema,
  })
  .strict()
  .superRefine((r, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (new Set(r.levels).size !== r.levels.length) issue(['levels'], 'each level at most once');
    if (r.signed.length > r.levels.length) issue(['signed'], 'more signatures than levels');
    r.signed.forEach((s, i) => {
      if (s.level !== r.levels[i]) issue(['signed', i, 'level'], `level ${r.levels[i] ?? '(none)'} signs here, not ${s.level}`);
    });
    const allSigned = r.signed.length === r.levels.length;
    if ((r.status === 'applied') !== (r.refundSeq !== null)) issue(['refundSeq'], 'an applied request, and only one, names its refund');
    if (r.status === 'applied' && !allSigned) issue(['signed'], 'an applied request was signed at every level');
    if (r.status === 'pendingApproval' && allSigned) issue(['signed'], 'a pending request waits on a level');
    if ((r.status === 'rejected') !== (r.rejection !== null)) issue(['rejection'], 'a rejected request, and only one, records its rejection');
    if (r.rejection !== null && r.rejection.level !== (r.levels[r.signed.length] ?? null)) issue(['rejection', 'level'], 'the rejection is at the level the request waited on');
    if (r.updatedAt.getTime() < r.requestedAt.getTime()) issue(['updatedAt'], 'updatedAt is before requestedAt');
    const within = (d: Date) => d.getTime() >= r.requestedAt.getTime() && d.getTime() <= r.updatedAt.getTime();
    const signers = new Set<string>();
    r.signed.forEach((s, i) => {
      if (s.by === r.requestedBy) issue(['signed', i, 'by'], 'the requester does not sign their own refund');
      if (signers.has(s.by)) issue(['signed', i, 'by'], 'one person signs one level of a refund');
      signers.add(s.by);
      if (!within(s.at)) issue(['signed', i, 'at'], 'a signature falls between requestedAt and updatedAt');
    });
    if (r.rejection !== null && !within(r.rejection.at)) issue(['rejection', 'at'], 'a rejection falls between requestedAt and updatedAt');
  }) as unknown as z.ZodType<RefundRequest, unknown>;

/** A new refund request: its id, how much (default: the payment's whole unapplied rest), and why. */
export interface RequestRefundInput {
  readonly id: string;
  readonly amount?: unknown;
  readonly reason?: string | null;
}

const requestInputSchema = z.object({ id: idSchema, amount: z.unknown().optional(), reason: textSchema.max(2000).nullable().optional() }).strict();

/**
 * A command on a refund request: `approve` signs the level it waits on, `reject` (with a reason)
 * ends it. `level` names the level the approver sees waiting: when the request waits on another
 * by then (someone signed meanwhile, the policy changed) the command is refused rather than
 * signing a level the approver did not look at.
 */
export type RefundRequestCommand = { readonly type: 'approve'; readonly level?: string } | { readonly type: 'reject'; readonly reason: string; readonly level?: string };

/**
 * The schema of a refund request command (strict).
 *
 * @example
 * refundRequestCommandSchema.parse({ type: 'approve', level: 'finance' })
 */
export const refundRequestCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('approve'), level: idSchema.optional() }).strict(),
  z.object({ type: z.literal('reject'), reason: textSchema.min(1).max(2000), level: idSchema.optional() }).strict(),
]);


/** A refund request as decided: the request after (frozen), the payment after when the refund was paid back (else null), and what happened. */
export interface RefundRequestDecision {
  readonly request: RefundRequest;
  readonly payment: Payment | null;
  readonly events: readonly PaymentEvent[];
}


/**
 * Requests a refund out of a payment's unapplied rest (退款申请). The amount is checked as
 * `refundPayment` checks it (`PAYMENT_REVERSED`, `PAYMENT_EXCEEDS_UNAPPLIED`). The levels it
 * needs come from the context policy's `refundApproval` (see `requiredRefundLevels`): with none,
 * the refund is paid back at once (`applied`, the payment after in the answer); otherwise the
 * request waits on its first level and the payment is unchanged — the money is not set aside
 * meanwhile, so the last approval checks the unapplied rest again.
 *
 * @example
 * requestRefund(payment, { id: 'RF-1', amount: '8000.00', reason: '客户退货退款' }, { now, actor: { id: 'clerk-wu' }, policy })
 * // ok: RF-1 pendingApproval, levels ['finance'], payment null
 */
export function requestRefund(payment: Payment, input: RequestRefundInput, context: PaymentContext): Result<RefundRequestDecision, CrmError> {
  const p = parsePayment(payment);
  if (!p.ok) return p;
  const i = parseInput(requestInputSchema, input, ['input']);
  if (!i.ok) return i;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const pay = p.value;
  const amount = refundAmount(pay, i.value.amount, ['input', 'amount']);
  if (!amount.ok) return amount;
  const cur = pay.amount.currency;
  const levels = refundLevels(ctx.value.policy, pay, amount.value);
  const reason = i.value.reason ?? null;
  const request: RefundRequest = {
    id: i.value.id,
    version: 1,
    paymentId: pay.id,
    customerId: pay.customerId,
    amount: moneyOf(cur, amount.value),
    reason,
    status: 'pendingApproval',
    levels,
    signed: [],
    rejection: null,
    refundSeq: null,
    requestedBy: ctx.value.actorId,
    requestedAt: freshInstant(ctx.value.nowMs),
    updatedAt: freshInstant(ctx.value.nowMs),
  };
  const events: PaymentEvent[] = [
    paymentEvent('payment.refundRequested', ctx.value, { kind: 'refundRequest', id: request.id }, 1, { paymentId: pay.id, amount: request.amount, levels: [...levels], reason }),
  ];
  if (levels.length > 0) return ok(deepFreeze({ request, payment: null, events }));
  const paid = refunded(pay, amount.value, reason, ctx.value);
  return ok(deepFreeze({ request: { ...request, status: 'applied' as const, refundSeq: paid.payment.lastSeq }, payment: paid.payment, events: [...events, ...paid.events] }));
}

/**
 * Decides a refund request waiting on a level. The levels are those the context's policy asks
 * for now, on `payment` as it is now (the request's payment, loaded at the decision): a stricter
 * policy since the request adds levels, a level dropped from it is no longer waited on. `approve`
 * by one of the waiting level's approvers signs it, and the last signature pays the refund back
 * (its unapplied rest must still cover it: `PAYMENT_EXCEEDS_UNAPPLIED`, or `PAYMENT_REVERSED`,
 * and the request stays waiting); with no level left to sign, `approve` pays it back and `reject`
 * withdraws it, by anyone. `reject` (with a reason) ends it. Refused: someone who is not an
 * approver of the waiting level (`PAYMENT_REFUND_NOT_AN_APPROVER`); the requester, or someone
 * who signed an earlier level (`PAYMENT_REFUND_SELF_APPROVAL`: separation of duties); a `level`
 * other than the one waiting (`INVALID_INPUT`); a request applied or rejected already
 * (`PAYMENT_REFUND_NOT_PENDING`); a payment of another id, customer or currency.
 *
 * @example
 * decideRefundRequest(request, payment, { type: 'approve' }, { now, actor: { id: 'fin-wu' }, policy })
 * // ok: applied, the payment with its refund, events payment.refundApprovalSigned and payment.refunded
 */
export function decideRefundRequest(request: RefundRequest, payment: Payment, command: RefundRequestCommand, context: PaymentContext): Result<RefundRequestDecision, CrmError> {
  const r = parseInput(refundRequestSchema, request, ['request']);
  if (!r.ok) return r;
  const p = parsePayment(payment);
  if (!p.ok) return p;
  const cmd = parseInput(refundRequestCommandSchema, command, ['command']);
  if (!cmd.ok) return cmd;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const req = r.value;
  const pay = p.value;
  const mismatch = (path: string[], message: string) => invalidPaymentInput([{ path, message, code: 'custom' }]);
  if (pay.id !== req.paymentId) return mismatch(['payment', 'id'], `refund request ${req.id} is for payment ${req.paymentId}, not ${pay.id}`);
  if (pay.customerId !== req.customerId) return mismatch(['payment', 'customerId'], `refund request ${req.id} is for customer ${req.customerId}, not ${pay.customerId}`);
  if (pay.amount.currency !== req.amount.currency) return mismatch(['payment', 'amount', 'currency'], `refund request ${req.id} is in ${req.amount.currency}, the payment in ${pay.amount.currency}`);
  if (req.status !== 'pendingApproval') return paymentRefusal('PAYMENT_REFUND_NOT_PENDING', { requestId: req.id, status: req.status });
  const x = ctx.value;
  if (x.nowMs < req.updatedAt.getTime()) return mismatch(['context', 'now'], "is before the refund request's last change (updatedAt)");
  const amount = refundAmount(pay, req.amount, ['request', 'amount']);
  if (!amount.ok) return amount;
  // the levels it needs under the policy of now, on the payment as it is now: a stricter policy
  // adds levels, a level dropped from the policy is no longer waited on
  const signedLevels = req.signed.map((s) => s.level);
  const remaining = refundLevels(x.policy, pay, amount.value).filter((l) => !signedLevels.includes(l));
  const waiting = remaining[0] ?? null;
  const c = cmd.value;
  if (c.level !== undefined && c.level !== waiting) {
    return mismatch(['command', 'level'], waiting === null ? `the request waits on no level now, not ${c.level}` : `the request waits on level ${waiting} now, not ${c.level}`);
  }
  if (waiting !== null) {
    const approvers = x.policy?.refundApproval.levels.find((l) => l.id === waiting)?.approvers ?? [];
    if (!approvers.includes(x.actorId)) return paymentRefusal('PAYMENT_REFUND_NOT_AN_APPROVER', { requestId: req.id, level: waiting, approvers: [...approvers] });
    // separation of duties: the requester does not approve their own refund, one person signs one level
    if (x.actorId === req.requestedBy) return paymentRefusal('PAYMENT_REFUND_SELF_APPROVAL', { requestId: req.id, actorId: x.actorId, level: waiting, why: 'requester' });
    if (req.signed.some((s) => s.by === x.actorId)) return paymentRefusal('PAYMENT_REFUND_SELF_APPROVAL', { requestId: req.id, actorId: x.actorId, level: waiting, why: 'signedBefore' });
  }
  const now = () => freshInstant(x.nowMs);
  const version = req.version + 1;
  const subject = { kind: 'refundRequest', id: req.id };
  const levels = [...signedLevels, ...remaining];
  if (c.type === 'reject') {
    const next: RefundRequest = { ...req, version, levels, status: 'rejected', rejection: { by: x.actorId, level: waiting, at: now(), reason: c.reason }, updatedAt: now() };
    const event = paymentEvent('payment.refundRejected', x, subject, version, { paymentId: pay.id, level: waiting, reason: c.reason });
    return ok(deepFreeze({ request: next, payment: null, events: [event] }));
  }
  const signed = waiting === null ? req.signed : [...req.signed, { level: waiting, by: x.actorId, at: now() }];
  const events: PaymentEvent[] = waiting === null ? [] : [paymentEvent('payment.refundApprovalSigned', x, subject, version, { paymentId: pay.id, level: waiting, remaining: remaining.slice(1) })];
  if (remaining.length > 1) return ok(deepFreeze({ request: { ...req, version, levels, signed, updatedAt: now() }, payment: null, events }));
  // every level it needs now is signed: the money goes back
  const paid = refunded(pay, amount.value, req.reason, x);
  const next: RefundRequest = { ...req, version, levels, signed, status: 'applied', refundSeq: paid.payment.lastSeq, updatedAt: now() };
  return ok(deepFreeze({ request: next, payment: paid.payment, events: [...events, ...paid.events] }));
}

/**
 * Parses a stored refund request (a row as JSON, or a request the rules returned): the request
 * frozen all the way down, or `INVALID_INPUT` at `at`.
 *
 * @example
 * parseRefundRequest(row, ['store', 'refundRequest'])
 */
export function parseRefundRequest(value: unknown, at: readonly (string | number)[] = ['request']): Result<RefundRequest, CrmError> {
  const r = parseInput(refundRequestSchema, value, at);
  return r.ok ? ok(deepFreeze(r.value)) : r;
}
