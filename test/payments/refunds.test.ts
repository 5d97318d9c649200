import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMemoryPaymentStore } from '../../src/adapters/memory/index.js';
import { formatMoney } from '../../src/core/index.js';
import {
  allocatePayment,
  createPaymentPlan,
  createPaymentService,
  decideRefundRequest,
  paymentBalance,
  recordPayment,
  refundPayment,
  refundRequestSchema,
  requestRefund,
  type Payment,
  type PaymentPolicyInput,
  type RefundRequest,
} from '../../src/payments/index.js';
import { error, value } from '../support.js';
import { plan302050, sh } from './fixtures.js';

/**
 * 退款审批流 as the seeds describe a refund leaving the company: the cashier asks, finance signs
 * above ¥5,000, the CFO too above ¥50,000; small refunds go out at once.
 */
const POLICY: PaymentPolicyInput = {
  zone: 'Asia/Shanghai',
  refundApproval: {
    levels: [
      { id: 'finance', name: '财务审批', approvers: ['fin-wu'], above: { CNY: '5000.00', USD: '700.00' } },
      { id: 'cfo', name: 'CFO 审批', approvers: ['cfo-lin'], above: { CNY: '50000.00', USD: '7000.00' } },
    ],
  },
};
const at = (hour: number, actorId = 'cashier-he') => ({ now: new Date(sh('2026-03-05T09:00:00').getTime() + hour * 3_600_000), actor: { id: actorId }, policy: POLICY });
const received = (amount: string, currency = 'CNY', id = 'P-1'): Payment =>
  value(recordPayment({ id, customerId: 'C-501', amount: { currency, amount }, receivedAt: sh('2026-03-05T08:00:00'), method: 'bankTransfer' }, at(0))).payment;
const unapplied = (p: Payment) => formatMoney(value(paymentBalance(p)).unapplied);

describe('refund approval (退款审批流)', () => {
  it('a small refund goes out at once, through refundPayment or requestRefund', () => {
    const p = received('100000.00');
    expect(unapplied(value(refundPayment(p, { amount: '3000.00', reason: '多付退回' }, at(1))).payment)).toBe('97000.00');
    const asked = value(requestRefund(p, { id: 'RF-1', amount: '5000.00', reason: '多付退回' }, at(1)));
    expect(asked.request).toMatchObject({ status: 'applied', levels: [], refundSeq: 1 });
    expect(unapplied(asked.payment!)).toBe('95000.00');
    expect(asked.events.map((e) => e.type)).toEqual(['payment.refundRequested', 'payment.refunded']);
  });

  it('above ¥5,000 finance signs: refundPayment is refused, the request waits, and only its approval pays the money back', () => {
    const p = received('100000.00');
    expect(error(refundPayment(p, { amount: '8000.00' }, at(1)))).toMatchObject({
      code: 'PAYMENT_REFUND_APPROVAL_REQUIRED',
      details: { paymentId: 'P-1', requested: '8000.00', currency: 'CNY', levels: ['finance'] },
    });
    const asked = value(requestRefund(p, { id: 'RF-1', amount: '8000.00', reason: '客户退货退款' }, at(1)));
    expect(asked.request).toMatchObject({ status: 'pendingApproval', levels: ['finance'], signed: [], refundSeq: null, requestedBy: 'cashier-he' });
    expect(asked.payment).toBeNull();
    expect(error(decideRefundRequest(asked.request, p, { type: 'approve' }, at(2, 'cfo-lin')))).toMatchObject({
      code: 'PAYMENT_REFUND_NOT_AN_APPROVER',
      details: { requestId: 'RF-1', level: 'finance', approvers: ['fin-wu'] },
    });
    const approved = value(decideRefundRequest(asked.request, p, { type: 'approve' }, at(2, 'fin-wu')));
    expect(approved.request).toMatchObject({ status: 'applied', refundSeq: 1, version: 2, signed: [{ level: 'finance', by: 'fin-wu' }] });
    expect(approved.payment!.refunds).toMatchObject([{ seq: 1, refundedBy: 'fin-wu', reason: '客户退货退款' }]);
    expect(unapplied(approved.payment!)).toBe('92000.00');
    expect(approved.events.map((e) => e.type)).toEqual(['payment.refundApprovalSigned', 'payment.refunded']);
    expect(error(decideRefundRequest(approved.request, approved.payment!, { type: 'approve' }, at(3, 'fin-wu')))).toMatchObject({ code: 'PAYMENT_REFUND_NOT_PENDING', details: { status: 'applied' } });
  });

  it('above ¥50,000 finance then the CFO, in that order; a rejection at the second level leaves the payment as it was', () => {
    const p = received('100000.00');
    const asked = value(requestRefund(p, { id: 'RF-1', amount: '60000.00' }, at(1))).request;
    expect(asked.levels).toEqual(['finance', 'cfo']);
    expect(error(decideRefundRequest(asked, p, { type: 'approve' }, at(2, 'cfo-lin'))).code).toBe('PAYMENT_REFUND_NOT_AN_APPROVER');
    const first = value(decideRefundRequest(asked, p, { type: 'approve' }, at(2, 'fin-wu')));
    expect(first).toMatchObject({ payment: null, request: { status: 'pendingApproval', signed: [{ level: 'finance' }] } });
    const rejected = value(decideRefundRequest(first.request, p, { type: 'reject', reason: '退货未入库' }, at(3, 'cfo-lin')));
    expect(rejected).toMatchObject({ payment: null, request: { status: 'rejected', rejection: { by: 'cfo-lin', level: 'cfo', reason: '退货未入库' } } });
    expect(rejected.events.map((e) => e.type)).toEqual(['payment.refundRejected']);
    expect(error(decideRefundRequest(rejected.request, p, { type: 'approve' }, at(4, 'cfo-lin'))).code).toBe('PAYMENT_REFUND_NOT_PENDING');
  });

  it('a currency the levels name no amount for needs every level; exactly at the amount needs none', () => {
    const usd = received('10000.00', 'USD');
    expect(value(requestRefund(usd, { id: 'RF-1', amount: '700.00' }, at(1))).request.status).toBe('applied');
    expect(value(requestRefund(usd, { id: 'RF-2', amount: '700.01' }, at(1))).request.levels).toEqual(['finance']);
    const eur = received('10.00', 'EUR');
    expect(value(requestRefund(eur, { id: 'RF-3', amount: '0.01' }, at(1))).request.levels).toEqual(['finance', 'cfo']);
    // without a policy in the context, nothing is under approval (as before refund approval existed)
    expect(refundPayment(eur, { amount: '0.01' }, { now: at(1).now, actor: { id: 'cashier-he' } }).ok).toBe(true);
  });

  it('the last approval checks the unapplied rest again: money applied meanwhile is not refunded twice', () => {
    const p = received('10000.00');
    const asked = value(requestRefund(p, { id: 'RF-1', amount: '8000.00' }, at(1))).request;
    const plan = value(createPaymentPlan(plan302050({ customerId: 'C-501', total: { currency: 'CNY', amount: '5000.00' } }), { ...at(1), policy: POLICY })).plan;
    const spent = value(allocatePayment(p, [plan], { kind: 'oldestFirst' }, at(2))).payment;
    expect(unapplied(spent)).toBe('5000.00');
    expect(error(decideRefundRequest(asked, spent, { type: 'approve' }, at(3, 'fin-wu')))).toMatchObject({ code: 'PAYMENT_EXCEEDS_UNAPPLIED', details: { requested: '8000.00', unapplied: '5000.00' } });
    expect(error(decideRefundRequest(asked, received('1.00', 'CNY', 'P-9'), { type: 'approve' }, at(3, 'fin-wu'))).details).toMatchObject({ issues: [{ path: ['payment', 'id'] }] });
  });

  it('the stored request is checked at the door: signatures in level order, applied only when all signed', () => {
    const p = received('100000.00');
    const asked = value(requestRefund(p, { id: 'RF-1', amount: '60000.00' }, at(1))).request;
    expect(refundRequestSchema.safeParse(asked).success).toBe(true);
    const forged = { ...asked, status: 'applied', refundSeq: 1 } as RefundRequest;
    expect(error(decideRefundRequest(forged, p, { type: 'approve' }, at(2, 'fin-wu'))).details).toMatchObject({ issues: [{ path: ['request', 'signed'] }] });
    const outOfOrder = { ...asked, signed: [{ level: 'cfo', by: 'cfo-lin', at: at(1).now }] };
    expect(refundRequestSchema.safeParse(outOfOrder).success).toBe(false);
  });

  it('separation of duties: the requester does not approve their own refund, one person signs one level', () => {
    const both: PaymentPolicyInput = {
      zone: 'Asia/Shanghai',
      refundApproval: {
        levels: [
          { id: 'finance', approvers: ['fin-wu', 'boss-ma'], above: { CNY: '5000.00' } },
          { id: 'cfo', approvers: ['cfo-lin', 'boss-ma'], above: { CNY: '50000.00' } },
        ],
      },
    };
    const as = (actorId: string, hour: number) => ({ ...at(hour, actorId), policy: both });
    const p = received('100000.00');
    const byBoss = value(requestRefund(p, { id: 'RF-1', amount: '60000.00' }, as('boss-ma', 1))).request;
    expect(error(decideRefundRequest(byBoss, p, { type: 'approve' }, as('boss-ma', 2)))).toMatchObject({ code: 'PAYMENT_REFUND_SELF_APPROVAL', details: { why: 'requester', level: 'finance' } });
    const asked = value(requestRefund(p, { id: 'RF-2', amount: '60000.00' }, as('cashier-he', 1))).request;
    const first = value(decideRefundRequest(asked, p, { type: 'approve', level: 'finance' }, as('boss-ma', 2))).request;
    // a double click: the same person on the next level
    expect(error(decideRefundRequest(first, p, { type: 'approve' }, as('boss-ma', 3)))).toMatchObject({ code: 'PAYMENT_REFUND_SELF_APPROVAL', details: { why: 'signedBefore', level: 'cfo' } });
    // an approver who looked at the finance level while someone signed it meanwhile
    expect(error(decideRefundRequest(first, p, { type: 'approve', level: 'finance' }, as('cfo-lin', 3))).details).toMatchObject({ issues: [{ path: ['command', 'level'] }] });
    expect(value(decideRefundRequest(first, p, { type: 'approve', level: 'cfo' }, as('cfo-lin', 3))).request.status).toBe('applied');
    const forged = { ...first, signed: [...first.signed, { level: 'cfo', by: 'boss-ma', at: at(3).now }], status: 'applied', refundSeq: 1, version: 3, updatedAt: at(3).now } as RefundRequest;
    expect(refundRequestSchema.safeParse(forged).success).toBe(false);
  });

  it('splitting a refund does not slip under the amounts: the payment’s refunds count together', () => {
    let p = received('100000.00');
    for (let i = 0; i < 2; i++) p = value(refundPayment(p, { amount: '2500.00' }, at(1))).payment;
    expect(error(refundPayment(p, { amount: '0.01' }, at(2)))).toMatchObject({ code: 'PAYMENT_REFUND_APPROVAL_REQUIRED', details: { requested: '0.01', levels: ['finance'] } });
    expect(value(requestRefund(p, { id: 'RF-1', amount: '0.01' }, at(2))).request.levels).toEqual(['finance']);
  });

  it('decided under the policy of now: a stricter one adds a level, a level dropped is no longer waited on', () => {
    const p = received('100000.00');
    const lax: PaymentPolicyInput = { zone: 'Asia/Shanghai', refundApproval: { levels: [{ id: 'finance', approvers: ['fin-wu'], above: { CNY: '5000.00' } }] } };
    const asked = value(requestRefund(p, { id: 'RF-1', amount: '60000.00' }, { ...at(1), policy: lax })).request;
    expect(asked.levels).toEqual(['finance']);
    // the CFO level was added since: the finance signature no longer pays it out
    const signed = value(decideRefundRequest(asked, p, { type: 'approve' }, at(2, 'fin-wu')));
    expect(signed).toMatchObject({ payment: null, request: { status: 'pendingApproval', levels: ['finance', 'cfo'] } });
    // both levels dropped: nothing waits, so it is paid back (or withdrawn) by whoever confirms it
    const none: PaymentPolicyInput = { zone: 'Asia/Shanghai' };
    const paid = value(decideRefundRequest(asked, p, { type: 'approve' }, { ...at(2, 'cashier-he'), policy: none }));
    expect(paid).toMatchObject({ request: { status: 'applied', levels: [], signed: [] } });
    expect(paid.events.map((e) => e.type)).toEqual(['payment.refunded']);
    const withdrawn = value(decideRefundRequest(asked, p, { type: 'reject', reason: '客户撤回申请' }, { ...at(2, 'cashier-he'), policy: none }));
    expect(withdrawn.request).toMatchObject({ status: 'rejected', rejection: { level: null, by: 'cashier-he' } });
  });

  it('a request is decided only with its own payment: same id, customer and currency', () => {
    const p = received('100000.00');
    const asked = value(requestRefund(p, { id: 'RF-1', amount: '8000.00' }, at(1))).request;
    const elsewhere = { ...p, customerId: 'C-999' };
    expect(error(decideRefundRequest(asked, elsewhere, { type: 'approve' }, at(2, 'fin-wu'))).details).toMatchObject({ issues: [{ path: ['payment', 'customerId'] }] });
    const dollars = received('100000.00', 'USD');
    expect(error(decideRefundRequest({ ...asked, paymentId: 'P-1' }, dollars, { type: 'approve' }, at(2, 'fin-wu'))).details).toMatchObject({ issues: [{ path: ['payment', 'amount', 'currency'] }] });
  });

  it('property: the levels are those whose amount the refund passes, and an approved refund takes exactly its amount off the unapplied rest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (cents, financeAbove, cfoAbove) => {
        const policy: PaymentPolicyInput = {
          zone: 'Asia/Shanghai',
          refundApproval: {
            levels: [
              { id: 'finance', approvers: ['fin-wu'], above: { CNY: (financeAbove / 100).toFixed(2) } },
              { id: 'cfo', approvers: ['cfo-lin'], above: { CNY: (cfoAbove / 100).toFixed(2) } },
            ],
          },
        };
        const ctx = (actorId: string, hour: number) => ({ ...at(hour, actorId), policy });
        const p = received('10000.00');
        const amount = (cents / 100).toFixed(2);
        const expected = [...(cents > financeAbove ? ['finance'] : []), ...(cents > cfoAbove ? ['cfo'] : [])];
        let d = value(requestRefund(p, { id: 'RF-1', amount }, ctx('cashier-he', 1)));
        expect(d.request.levels).toEqual(expected);
        let hour = 2;
        for (const level of expected) {
          expect(d.request.status).toBe('pendingApproval');
          d = value(decideRefundRequest(d.request, p, { type: 'approve' }, ctx(level === 'finance' ? 'fin-wu' : 'cfo-lin', hour++)));
        }
        expect(d.request.status).toBe('applied');
        expect(value(paymentBalance(d.payment!)).unapplied.minor).toBe(1_000_000 - cents);
        expect(d.payment!.refunds.find((r) => r.seq === d.request.refundSeq)!.amount.minor).toBe(cents);
        expect(refundRequestSchema.safeParse(d.request).success).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('refund approval through the payment service', () => {
  it('the request is stored, decided and paid back in one commit; two approvers at once: one wins, one CONFLICT', async () => {
    const store = createMemoryPaymentStore();
    const payments = createPaymentService({ store, policy: POLICY });
    value(await payments.recordPayment({ id: 'P-1', customerId: 'C-501', amount: { currency: 'CNY', amount: '100000.00' }, receivedAt: sh('2026-03-05T08:00:00'), method: 'bankTransfer' }, at(0)));
    expect(error(await payments.refundPayment('P-1', { amount: '8000.00' }, at(1))).code).toBe('PAYMENT_REFUND_APPROVAL_REQUIRED');
    const asked = value(await payments.requestRefund('P-1', { id: 'RF-1', amount: '60000.00', reason: '客户退货退款' }, at(1)));
    expect(await store.loadRefundRequest('RF-1')).toEqual(asked.request);
    expect(error(await payments.requestRefund('P-1', { id: 'RF-1', amount: '1.00' }, at(1))).code).toBe('CONFLICT');
    value(await payments.decideRefund('RF-1', { type: 'approve' }, at(2, 'fin-wu')));
    const [a, b] = await Promise.all([payments.decideRefund('RF-1', { type: 'approve' }, at(3, 'cfo-lin')), payments.decideRefund('RF-1', { type: 'approve' }, at(3, 'cfo-lin'))]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect((a.ok ? b : a) as { error: { code: string } }).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((await store.loadRefundRequest('RF-1'))!.status).toBe('applied');
    const paid = (await store.loadPayment('P-1'))!;
    expect(paid.refunds).toHaveLength(1);
    expect(unapplied(paid)).toBe('40000.00');
    expect(error(await payments.decideRefund('RF-404', { type: 'approve' }, at(4, 'fin-wu')))).toMatchObject({ code: 'NOT_FOUND', details: { entity: 'refund request' } });
  });

  it('refund approval follows the service’s policy: a caller’s context policy does not lift it', async () => {
    const store = createMemoryPaymentStore();
    const payments = createPaymentService({ store, policy: POLICY });
    value(await payments.recordPayment({ id: 'P-1', customerId: 'C-501', amount: { currency: 'CNY', amount: '100000.00' }, receivedAt: sh('2026-03-05T08:00:00'), method: 'bankTransfer' }, at(0)));
    const lax = { zone: 'Asia/Shanghai' };
    expect(error(await payments.refundPayment('P-1', { amount: '90000.00' }, { ...at(1), policy: lax })).code).toBe('PAYMENT_REFUND_APPROVAL_REQUIRED');
    value(await payments.requestRefund('P-1', { id: 'RF-1', amount: '8000.00' }, { ...at(1), policy: lax }));
    const mine = { zone: 'Asia/Shanghai', refundApproval: { levels: [{ id: 'finance', approvers: ['clerk-x'], above: { CNY: '0' } }] } };
    expect(error(await payments.decideRefund('RF-1', { type: 'approve' }, { ...at(2, 'clerk-x'), policy: mine })).code).toBe('PAYMENT_REFUND_NOT_AN_APPROVER');
    expect((await store.loadPayment('P-1'))!.refunds).toHaveLength(0);
  });

  it('a store without refund requests serves everything but refund approval', async () => {
    const { loadRefundRequest: _, ...older } = createMemoryPaymentStore();
    const payments = createPaymentService({ store: older, policy: POLICY });
    expect(error(await payments.requestRefund('P-1', { id: 'RF-1' }, at(1))).details).toMatchObject({ issues: [{ path: ['deps', 'store', 'loadRefundRequest'] }] });
    expect(value(await payments.recordPayment({ id: 'P-1', customerId: 'C-501', amount: { currency: 'CNY', amount: '1.00' }, receivedAt: sh('2026-03-05T08:00:00'), method: 'cash' }, at(0))).payment.id).toBe('P-1');
  });
});
