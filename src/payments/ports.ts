import type { CrmError } from '../core/errors.js';
import type { CurrencyCode } from '../core/money.js';
import type { Result } from '../core/result.js';
import type { VersionedWrite } from '../leads/index.js';
import type { Payment, PaymentPlan } from './model.js';
import type { RefundRequest } from './refund-requests.js';

/**
 * What one payments operation writes, all or nothing: payments (and credit notes) and plans,
 * each over the version it was loaded at (`expectedVersion: null` for a new record).
 *
 * @example
 * await store.commit({ payments: [{ record: next, expectedVersion: 1 }], plans: [{ record: plan2, expectedVersion: 4 }] })
 */
export interface PaymentCommit {
  readonly payments?: readonly VersionedWrite<Payment>[];
  readonly plans?: readonly VersionedWrite<PaymentPlan>[];
  /** Refund requests (退款申请), written with the payment their last approval pays back from. */
  readonly refundRequests?: readonly VersionedWrite<RefundRequest>[];
}

/**
 * The storage port of the payments module: each method one indexed query on any database. A
 * host implements it; `createMemoryPaymentStore` in `crm-rules/memory` is the reference.
 *
 * @example
 * const payments = createPaymentService({ store: createMemoryPaymentStore(), policy: { zone: 'Asia/Shanghai' } });
 */
export interface PaymentStore {
  /** The payment or credit note with this id, or null. */
  loadPayment(id: string): Promise<Payment | null>;
  /** The payment plan with this id, or null. */
  loadPlan(id: string): Promise<PaymentPlan | null>;
  /** The plan of an order, or null (one plan per order). */
  loadPlanOfOrder(orderId: string): Promise<PaymentPlan | null>;
  /** The customer's plans with something outstanding, in `currency` when given (any order). */
  loadOpenPlans(customerId: string, currency?: CurrencyCode): Promise<readonly PaymentPlan[]>;
  /** The customer's active payments and credit notes with unapplied credit, in `currency` when given. */
  loadPaymentsWithCredit(customerId: string, currency?: CurrencyCode): Promise<readonly Payment[]>;
  /**
   * The refund request with this id, or null. Optional: a store without it serves every use case
   * but refund approval (`requestRefund` and `decideRefund` then answer `INVALID_INPUT` at
   * `deps.store.loadRefundRequest`); the shipped stores have it.
   */
  loadRefundRequest?(id: string): Promise<RefundRequest | null>;
  /** Every plan with something outstanding (reminder and aging runs), streamed. */
  streamOpenPlans(): AsyncIterable<PaymentPlan>;
  /**
   * Writes every record atomically if each stored version equals its `expectedVersion` (null:
   * not stored yet); otherwise writes nothing and returns `CONFLICT`.
   */
  commit(commit: PaymentCommit): Promise<Result<void, CrmError>>;
}
