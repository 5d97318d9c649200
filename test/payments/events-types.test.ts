/**
 * Typed contracts of the payments module: events are a discriminated union (a `switch` on
 * `type` narrows `data`), reminders come typed as reminders, every rule emits exactly what the
 * types list, and `definePaymentPolicy` keeps a policy literal typed.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Money } from '../../src/core/index.js';
import {
  allocatePayment,
  createPaymentPlan,
  definePaymentPolicy,
  issueCreditNote,
  paymentReminders,
  recordPayment,
  refundPayment,
  requestRefund,
  decideRefundRequest,
  reversePayment,
  unapplyPayment,
  writeOffBadDebt,
  type AllocationStrategyKind,
  type CreatePaymentPlanInput,
  type InstallmentReminderEvent,
  type PaymentApplication,
  type PaymentContext,
  type PaymentEvent,
  type PaymentEventDataByType,
  type PaymentEventType,
  type PaymentPolicyInput,
} from '../../src/payments/index.js';
import { value } from '../support.js';
import { plan302050, sh } from './fixtures.js';
import { expectDataKeys, type AllTrue, type Covers, type KeyLists } from '../event-keys.js';

const policy = definePaymentPolicy({ zone: 'Asia/Shanghai', planAmounts: 'largestRemainder', reminders: { daysBefore: [3], onOverdue: true } });
const ctxAt = (local: string, actorId = 'clerk-wu'): PaymentContext => ({ now: sh(local), actorId, policy });

const REMINDER = ['planId', 'orderId', 'customerId', 'ownerId', 'installmentId', 'dueDate', 'outstanding', 'key', 'remindAt'] as const;
/** The keys of each payments event's data, from `PaymentEventDataByType`. */
const PAYMENT_KEYS = {
  'paymentPlan.created': ['orderId', 'customerId', 'total', 'installments'],
  'paymentPlan.paymentApplied': ['orderId', 'customerId', 'applications'],
  'paymentPlan.paymentUnapplied': ['orderId', 'customerId', 'applications'],
  'paymentPlan.writtenOff': ['kind', 'orderId', 'customerId', 'installments', 'total', 'reason'],
  'payment.recorded': ['kind', 'customerId', 'orderId', 'amount', 'receivedAt', 'method'],
  'payment.applied': ['strategy', 'applications', 'applied', 'unapplied'],
  'payment.unapplied': ['removed', 'freed', 'unapplied', 'reason'],
  'payment.reversed': ['removed', 'freed', 'unapplied', 'reason'],
  'payment.refunded': ['seq', 'amount', 'unapplied', 'reason'],
  'payment.refundRequested': ['paymentId', 'amount', 'levels', 'reason'],
  'payment.refundApprovalSigned': ['paymentId', 'level', 'remaining'],
  'payment.refundRejected': ['paymentId', 'level', 'reason'],
  'installment.dueSoon': [...REMINDER, 'daysBefore', 'daysLeft'],
  'installment.overdue': [...REMINDER, 'daysOverdue'],
} as const satisfies KeyLists<PaymentEventDataByType>;

/** 1000.01 at 30-50-20: 300.00 due 2026-03-02, 500.01 due 04-01, 200.00 due 05-01. */
const planInput: CreatePaymentPlanInput = plan302050();
const received = (id: string, amount: string) => ({ id, customerId: 'C-1', amount: { currency: 'CNY', amount }, receivedAt: sh('2026-03-05T14:00:00'), method: 'bankTransfer' });

describe('types: a switch on the event type narrows its data', () => {
  it('payments events', () => {
    expectTypeOf<PaymentEvent['type']>().toEqualTypeOf<PaymentEventType>();
    expectTypeOf<Covers<PaymentEventDataByType, typeof PAYMENT_KEYS>>().toEqualTypeOf<AllTrue<PaymentEventDataByType>>();
    const seen = (e: PaymentEvent): unknown => {
      switch (e.type) {
        case 'payment.applied':
          expectTypeOf(e.data.strategy).toEqualTypeOf<AllocationStrategyKind | 'creditNote'>();
          expectTypeOf(e.data.applications).toEqualTypeOf<readonly PaymentApplication[]>();
          return e.data.applied;
        case 'payment.recorded':
          expectTypeOf(e.data.receivedAt).toEqualTypeOf<Date>();
          expectTypeOf(e.data.amount).toEqualTypeOf<Money>();
          // @ts-expect-error a recorded payment has applied nothing yet
          return e.data.applications;
        case 'installment.overdue':
          expectTypeOf(e.data.daysOverdue).toEqualTypeOf<number>();
          return e.data.key;
        default:
          return e.type;
      }
    };
    expect(seen).toBeTypeOf('function');
  });

  it('reminders come typed as reminders: key and owner without narrowing', () => {
    const plan = value(createPaymentPlan(planInput, ctxAt('2026-03-02T10:00:00'))).plan;
    const reminders = value(paymentReminders([plan], ctxAt('2026-03-29T10:00:00', 'system:payments')));
    expectTypeOf(reminders).toEqualTypeOf<readonly InstallmentReminderEvent[]>();
    expectTypeOf(reminders[0]!.data.ownerId).toEqualTypeOf<string | null>();
    expect(reminders.map((e) => `${e.type} ${e.data.key}`)).toEqual(['installment.overdue PP-1/I1/overdue/0', 'installment.dueSoon PP-1/I2/dueSoon/3']);
  });
});

describe('types: a payment policy kept in a const', () => {
  it('a plain object literal widens and no context takes it; definePaymentPolicy keeps it typed', () => {
    const widened = { zone: 'Asia/Shanghai', planAmounts: 'lastIsBalance' };
    // @ts-expect-error `planAmounts: string` is not a way of splitting amounts
    const context: PaymentContext = { now: new Date(), actorId: 'clerk-wu', policy: widened };
    expect(context.policy).toBe(widened);
    const typed = definePaymentPolicy({ zone: 'Asia/Shanghai', planAmounts: 'lastIsBalance' });
    expectTypeOf(typed).toEqualTypeOf<PaymentPolicyInput>();
    expect(value(createPaymentPlan(planInput, { now: sh('2026-03-02T10:00:00'), actorId: 'clerk-wu', policy: typed })).plan.installments).toHaveLength(3);
    // @ts-expect-error a misspelt key is caught (writeOffTolerance)
    definePaymentPolicy({ zone: 'Asia/Shanghai', writeOffTolerence: { CNY: '1.00' } });
  });

  it('returns its argument as it is: not copied, not frozen, not validated, never a throw', () => {
    const mine = { zone: 'Mars/Olympus' };
    expect(definePaymentPolicy(mine)).toBe(mine);
    expect(Object.isFrozen(mine)).toBe(false);
  });
});

describe('runtime: each event carries exactly the keys its type lists', () => {
  it('every payments event type, from real decisions', () => {
    const events: PaymentEvent[] = [];
    const keep = <D extends { readonly events: readonly PaymentEvent[] }>(d: D): D => {
      events.push(...d.events);
      return d;
    };
    const { plan } = keep(value(createPaymentPlan(planInput, ctxAt('2026-03-02T10:00:00'))));
    const { payment } = keep(value(recordPayment(received('P-1', '800.00'), ctxAt('2026-03-05T14:00:00'))));
    const applied = keep(value(allocatePayment(payment, [plan], { kind: 'oldestFirst' }, ctxAt('2026-03-06T10:00:00'))));
    keep(value(unapplyPayment(applied.payment, applied.plans, { amount: '100.00', reason: '错记订单' }, ctxAt('2026-03-07T10:00:00'))));
    keep(value(reversePayment(applied.payment, applied.plans, { reason: '退票' }, ctxAt('2026-03-07T10:00:00'))));
    const extra = keep(value(recordPayment(received('P-2', '200.00'), ctxAt('2026-03-05T14:00:00')))).payment;
    keep(value(refundPayment(extra, { amount: '50.00', reason: '多付退回' }, ctxAt('2026-03-08T10:00:00'))));
    const approving = { ...policy, refundApproval: { levels: [{ id: 'finance', approvers: ['fin-wu'], above: { CNY: '10.00' } }] } };
    const asked = keep(value(requestRefund(extra, { id: 'RF-1', amount: '20.00', reason: '退货退款' }, { now: sh('2026-03-08T11:00:00'), actorId: 'clerk-wu', policy: approving }))).request;
    keep(value(decideRefundRequest(asked, extra, { type: 'approve' }, { now: sh('2026-03-08T12:00:00'), actorId: 'fin-wu', policy: approving })));
    keep(value(decideRefundRequest(asked, extra, { type: 'reject', reason: '未收到退货' }, { now: sh('2026-03-08T12:00:00'), actorId: 'fin-wu', policy: approving })));
    keep(value(issueCreditNote({ id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '10.00' }, issuedAt: sh('2026-03-09T10:00:00') }, applied.plans[0]!, ctxAt('2026-03-09T10:00:00'))));
    keep(value(writeOffBadDebt(plan, { reason: '客户破产清算' }, ctxAt('2026-03-09T10:00:00', 'cfo-lin'))));
    events.push(...value(paymentReminders([plan], ctxAt('2026-03-29T10:00:00', 'system:payments'))));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(PAYMENT_KEYS)));
    for (const e of events) expectDataKeys(e, PAYMENT_KEYS);
  });
});
