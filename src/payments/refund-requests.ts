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
  requiredRefundLevels,
  type ParsedPaymentContext,
  type Payment,
  type PaymentContext,
  type PaymentEvent,
  type PaymentPolicy,
} from './model.js';
import { refundAmount, refunded } from './payments.js';
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
  readonly rejection: { readonly by: string; readonly level: string; readonly at: Date; readonly reason: string } | null;
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
    rejection: z.object({ by: idSchema, level: idSchema, at: paymentInstantSchema, reason: textSchema.min(1).max(2000) }).strict().nullable(),
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
    if (r.updatedAt.getTime() < r.requestedAt.getTime()) issue(['updatedAt'], 'updatedAt is before requestedAt');
  }) as unknown as z.ZodType<RefundRequest, unknown>;

/** A new refund request: its id, how much (default: the payment's whole unapplied rest), and why. */
export interface RequestRefundInput {
  readonly id: string;
  readonly amount?: unknown;
  readonly reason?: string | null;
}

const requestInputSchema = z.object({ id: idSchema, amount: z.unknown().optional(), reason: textSchema.max(2000).nullable().optional() }).strict();

/** A command on a refund request: `approve` signs the level it waits on, `reject` (with a reason) ends it. */
export type RefundRequestCommand = { readonly type: 'approve'; readonly note?: string } | { readonly type: 'reject'; readonly reason: string };

const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('approve'), note: textSchema.max(2000).optional() }).strict(),
  z.object({ type: z.literal('reject'), reason: textSchema.min(1).max(2000) }).strict(),
]);

/** A refund request as decided: the request after (frozen), the payment after when the refund was paid back (else null), and what happened. */
export interface RefundRequestDecision {
  readonly request: RefundRequest;
  readonly payment: Payment | null;
  readonly events: readonly PaymentEvent[];
}

/** The policy a refund request is decided under (a context without one: no level, as `refundPayment`). */
const policyOf = (ctx: ParsedPaymentContext): PaymentPolicy | null => ctx.policy;

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
  const policy = policyOf(ctx.value);
  const cur = pay.amount.currency;
  const levels = policy === null ? [] : requiredRefundLevels(policy, cur, amount.value);
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
 * Decides a refund request waiting on a level: `approve` by one of the level's approvers (the
 * context policy's `refundApproval`) signs it, and the last signature pays the refund back out of
 * `payment` (the request's payment, loaded now: its unapplied rest must still cover the refund —
 * `PAYMENT_EXCEEDS_UNAPPLIED`, or `PAYMENT_REVERSED`, and the request stays waiting); `reject`
 * (with a reason) ends it. Someone else is `PAYMENT_REFUND_NOT_AN_APPROVER`; a request applied or
 * rejected already `PAYMENT_REFUND_NOT_PENDING`.
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
  const cmd = parseInput(commandSchema, command, ['command']);
  if (!cmd.ok) return cmd;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const req = r.value;
  const pay = p.value;
  if (pay.id !== req.paymentId) return invalidPaymentInput([{ path: ['payment', 'id'], message: `refund request ${req.id} is for payment ${req.paymentId}, not ${pay.id}`, code: 'custom' }]);
  if (req.status !== 'pendingApproval') return paymentRefusal('PAYMENT_REFUND_NOT_PENDING', { requestId: req.id, status: req.status });
  if (ctx.value.nowMs < req.updatedAt.getTime()) return invalidPaymentInput([{ path: ['context', 'now'], message: "is before the refund request's last change (updatedAt)", code: 'custom' }]);
  const level = req.levels[req.signed.length]!;
  const approvers = policyOf(ctx.value)?.refundApproval.levels.find((l) => l.id === level)?.approvers ?? [];
  if (!approvers.includes(ctx.value.actorId)) return paymentRefusal('PAYMENT_REFUND_NOT_AN_APPROVER', { requestId: req.id, level, approvers: [...approvers] });
  const now = () => freshInstant(ctx.value.nowMs);
  const version = req.version + 1;
  const subject = { kind: 'refundRequest', id: req.id };
  const c = cmd.value;
  if (c.type === 'reject') {
    const next: RefundRequest = { ...req, version, status: 'rejected', rejection: { by: ctx.value.actorId, level, at: now(), reason: c.reason }, updatedAt: now() };
    const event = paymentEvent('payment.refundRejected', ctx.value, subject, version, { paymentId: pay.id, level, reason: c.reason });
    return ok(deepFreeze({ request: next, payment: null, events: [event] }));
  }
  const signed = [...req.signed, { level, by: ctx.value.actorId, at: now() }];
  const remaining = req.levels.slice(signed.length);
  const event = paymentEvent('payment.refundApprovalSigned', ctx.value, subject, version, { paymentId: pay.id, level, remaining: [...remaining] });
  if (remaining.length > 0) return ok(deepFreeze({ request: { ...req, version, signed, updatedAt: now() }, payment: null, events: [event] }));
  const amount = refundAmount(pay, req.amount, ['request', 'amount']);
  if (!amount.ok) return amount;
  const paid = refunded(pay, amount.value, req.reason, ctx.value);
  const next: RefundRequest = { ...req, version, signed, status: 'applied', refundSeq: paid.payment.lastSeq, updatedAt: now() };
  return ok(deepFreeze({ request: next, payment: paid.payment, events: [event, ...paid.events] }));
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
