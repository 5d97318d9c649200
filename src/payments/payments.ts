import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, parseInput, textSchema } from '../core/validation.js';
import {
  decided,
  freshInstant,
  laterOf,
  paymentEvent,
  amountText,
  moneyOf,
  parseContext,
  parsePayment,
  paymentInstantSchema,
  positiveMoney,
  readAmountIn,
  nextPayment,
  nextRefund,
  trustPayment,
  unappliedMinor,
  requiredRefundLevels,
  type ParsedPaymentContext,
  type PaymentPolicy,
  type Payment,
  type PaymentContext,
  type PaymentEvent,
  type PaymentKind,
  type PaymentRefund,
} from './model.js';
import { invalidPaymentInput, paymentRefusal } from './refusals.js';

/**
 * The data of a payment received (回款): the amount, when it arrived, how, from which
 * customer, and the order it is for if the clerk knows it (it may be left out and the payment
 * applied later, 先回款后补明细).
 *
 * @example
 * const input: RecordPaymentInput = { id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '5000' }, receivedAt: '2026-03-05T14:00:00+08:00', method: 'bankTransfer', reference: 'BOC-20260305-0042' };
 */
export interface RecordPaymentInput {
  readonly id: string;
  readonly customerId: string;
  readonly orderId?: string | null;
  readonly amount: unknown;
  readonly receivedAt: Date | string;
  readonly method: string;
  readonly reference?: string | null;
  readonly note?: string | null;
}

/**
 * The schema of a payment's data (strict).
 *
 * @example
 * recordPaymentInputSchema.safeParse(input).success
 */
export const recordPaymentInputSchema = z
  .object({
    id: idSchema,
    customerId: idSchema,
    orderId: idSchema.nullable().optional(),
    amount: positiveMoney,
    receivedAt: paymentInstantSchema,
    method: textSchema.trim().min(1).max(100),
    reference: textSchema.max(500).nullable().optional(),
    note: textSchema.max(2000).nullable().optional(),
  })
  .strict();

/** A payment as decided: the next payment (frozen) and what happened. @example unwrap(recordPayment(input, ctx)).payment */
export interface PaymentDecision {
  readonly payment: Payment;
  readonly events: readonly PaymentEvent[];
}

/** The empty list of a new payment's applications and refunds: frozen, so every new payment shares it (a batch reads a million of them). */
const NONE: readonly never[] = Object.freeze([]);

/** Builds a new payment or credit note (internal). @example newPayment('payment', data, ctx) */
export function newPayment(
  kind: PaymentKind,
  data: z.output<typeof recordPaymentInputSchema>,
  ctx: ParsedPaymentContext,
): PaymentDecision {
  const { nowMs, actorId } = ctx;
  const payment = trustPayment({
    id: data.id,
    version: 1,
    kind,
    customerId: data.customerId,
    orderId: data.orderId ?? null,
    amount: data.amount,
    receivedAt: data.receivedAt,
    method: data.method,
    reference: data.reference ?? null,
    note: data.note ?? null,
    status: 'active' as const,
    applications: NONE,
    refunds: NONE,
    lastSeq: 0,
    reversal: null,
    createdAt: freshInstant(nowMs),
    createdBy: actorId,
    updatedAt: freshInstant(nowMs),
  });
  const event = paymentEvent('payment.recorded', ctx, { kind: 'payment', id: payment.id }, 1, {
    kind,
    customerId: payment.customerId,
    orderId: payment.orderId,
    amount: payment.amount,
    receivedAt: freshInstant(payment.receivedAt),
    method: payment.method,
  });
  return decided({ payment, events: [event] });
}

/**
 * Records a payment received (回款), unapplied: all of it is the customer's credit until it is
 * applied to installments (`allocatePayment`). The order, if given, is where the clerk thinks
 * it belongs; it is not applied by recording.
 *
 * @example
 * recordPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '5000' }, receivedAt: '2026-03-05T14:00:00+08:00', method: 'bankTransfer' }, { now, actor: { id: 'clerk-wu' } })
 * // ok: payment P-1, version 1, no applications, one 'payment.recorded' event
 */
export function recordPayment(input: RecordPaymentInput, context: PaymentContext): Result<PaymentDecision, CrmError> {
  const data = parseInput(recordPaymentInputSchema, input, ['input']);
  if (!data.ok) return data;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  return ok(newPayment('payment', data.value, ctx.value));
}

/** Options of a refund: how much (default: all the unapplied rest) and why. @example const o: RefundOptions = { amount: '200.00', reason: '多付退回' }; */
export interface RefundOptions {
  readonly amount?: unknown;
  readonly reason?: string | null;
}

const refundOptionsSchema = z.object({ amount: z.unknown().optional(), reason: textSchema.max(2000).nullable().optional() }).strict();

/**
 * Pays back part or all of a payment's unapplied rest (an overpayment, a credit note's
 * credit) to the customer. Applied money must be unapplied first; more than the unapplied rest
 * is `PAYMENT_EXCEEDS_UNAPPLIED`, a reversed payment `PAYMENT_REVERSED`. A refund the context's
 * policy puts under approval (`refundApproval`: a level whose threshold it passes) is
 * `PAYMENT_REFUND_APPROVAL_REQUIRED`: it goes through `requestRefund`, and only an approved one
 * is paid back.
 *
 * @example
 * refundPayment(payment, { amount: '200.00', reason: '多付退回' }, { now, actor: { id: 'cashier-he' } })
 * // ok: a refund of CNY 200.00, one 'payment.refunded' event
 */
export function refundPayment(payment: Payment, options: RefundOptions, context: PaymentContext): Result<PaymentDecision, CrmError> {
  const p = parsePayment(payment);
  if (!p.ok) return p;
  const opts = parseInput(refundOptionsSchema, options ?? {}, ['options']);
  if (!opts.ok) return opts;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const amount = refundAmount(p.value, opts.value.amount, ['options', 'amount']);
  if (!amount.ok) return amount;
  // a refund the policy puts under approval goes through requestRefund: only an approved one is paid back
  const levels = refundLevels(ctx.value.policy, p.value, amount.value);
  if (levels.length > 0) {
    const cur = p.value.amount.currency;
    return paymentRefusal('PAYMENT_REFUND_APPROVAL_REQUIRED', { paymentId: p.value.id, requested: amountText(cur, amount.value), currency: cur, levels });
  }
  return ok(decided(refunded(p.value, amount.value, opts.value.reason ?? null, ctx.value)));
}

/**
 * The approval levels a refund of `amount` minor units out of `pay` needs under `policy` (none
 * without a policy): the payment's refunds together, this one included, against each level's
 * amount, so splitting a refund does not slip under it. Internal.
 */
export function refundLevels(policy: PaymentPolicy | null, pay: Payment, amount: number): string[] {
  if (policy === null) return [];
  const refunded = pay.refunds.reduce((sum, r) => sum + (r.amount.minor as number), 0);
  return requiredRefundLevels(policy, pay.amount.currency, refunded + amount);
}

/**
 * How much a refund of `pay` takes: `requested` (an amount in its currency, > 0) or, when
 * undefined, all its unapplied rest — refused on a reversed payment (`PAYMENT_REVERSED`) or
 * beyond the unapplied rest (`PAYMENT_EXCEEDS_UNAPPLIED`). Internal.
 */
export function refundAmount(pay: Payment, requested: unknown, at: readonly (string | number)[]): Result<number, CrmError> {
  const cur = pay.amount.currency;
  if (pay.status === 'reversed') return paymentRefusal('PAYMENT_REVERSED', { paymentId: pay.id, operation: 'refund' });
  const unapplied = unappliedMinor(pay);
  let amount = unapplied;
  if (requested !== undefined) {
    const a = readAmountIn(requested, cur, at);
    if (!a.ok) return a;
    if (a.value <= 0) return invalidPaymentInput([{ path: [...at], message: 'a refund must be greater than zero', code: 'too_small' }]);
    amount = a.value;
  }
  if (amount > unapplied || amount === 0) {
    return paymentRefusal('PAYMENT_EXCEEDS_UNAPPLIED', {
      paymentId: pay.id,
      operation: 'refund',
      requested: amountText(cur, amount),
      unapplied: amountText(cur, unapplied),
      currency: cur,
    });
  }
  return ok(amount);
}

/** The payment after a refund of `amount` minor units (checked by `refundAmount`), and its event. Internal. */
export function refunded(pay: Payment, amount: number, reason: string | null, ctx: ParsedPaymentContext): PaymentDecision {
  const cur = pay.amount.currency;
  const unapplied = unappliedMinor(pay);
  const { nowMs, actorId } = ctx;
  const seq = pay.lastSeq + 1;
  const refund = Object.freeze({ seq, amount: moneyOf(cur, amount), refundedAt: freshInstant(nowMs), refundedBy: actorId, reason });
  const refunds = new Array<PaymentRefund>(pay.refunds.length + 1);
  for (let k = 0; k < pay.refunds.length; k++) refunds[k] = nextRefund(pay.refunds[k]!);
  refunds[pay.refunds.length] = refund;
  const next = nextPayment(pay, {
    version: pay.version + 1,
    refunds: Object.freeze(refunds),
    lastSeq: seq,
    updatedAt: laterOf(pay.updatedAt, nowMs),
  });
  const event = paymentEvent('payment.refunded', ctx, { kind: 'payment', id: pay.id }, next.version, {
    seq,
    amount: refund.amount,
    unapplied: moneyOf(cur, unapplied - amount),
    reason: refund.reason,
  });
  return { payment: next, events: [event] };
}
