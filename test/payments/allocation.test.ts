import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../src/core/index.js';
import {
  allocatePayment,
  allocatePayments,
  createPaymentPlan,
  describePaymentPlan,
  issueCreditNote,
  paymentBalance,
  recordAndApplyPayment,
  recordPayment,
  refundPayment,
  reversePayment,
  unapplyPayment,
  type CreatePaymentPlanInput,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
} from '../../src/payments/index.js';
import { error, issuePaths, value } from '../support.js';

const SH = 'Asia/Shanghai';
const sh = (local: string) => new Date(`${local}+08:00`);
const ctxAt = (local: string, actorId = 'clerk-wu'): PaymentContext => ({ now: sh(local), actorId, policy: { zone: SH } });
const ctx = ctxAt('2026-03-10T10:00:00');
const text = (m: Money) => formatMoney(m);

function plan(id: string, orderId: string, orderDay: string, total: string, parts: [number, number][], customerId = 'C-1', currency = 'CNY'): PaymentPlan {
  const input: CreatePaymentPlanInput = {
    id,
    orderId,
    customerId,
    orderDate: sh(`${orderDay}T10:00:00`),
    total: { currency, amount: total },
    installments: parts.map(([percent, days], k) => ({ id: `${orderId}-${k + 1}`, percent, due: { kind: 'afterOrder' as const, days } })),
  };
  return value(createPaymentPlan(input, ctxAt(`${orderDay}T10:00:00`))).plan;
}

/** 1000.01 at 30-50-20: 300.00 due 2026-03-02, 500.01 due 04-01, 200.00 due 05-01. */
const so1 = () => plan('PP-1', 'SO-1', '2026-03-02', '1000.01', [[30, 0], [50, 30], [20, 60]]);

function pay(id: string, amount: string, extra: { orderId?: string; customerId?: string; currency?: string; at?: string } = {}): Payment {
  return value(
    recordPayment(
      {
        id,
        customerId: extra.customerId ?? 'C-1',
        orderId: extra.orderId ?? null,
        amount: { currency: extra.currency ?? 'CNY', amount },
        receivedAt: sh(extra.at ?? '2026-03-05T14:00:00'),
        method: 'bankTransfer',
      },
      ctxAt(extra.at ?? '2026-03-05T14:00:00', 'cashier-he'),
    ),
  ).payment;
}

const paidOf = (p: PaymentPlan) => p.installments.map((i) => text(i.paid));
const statesAt = (p: PaymentPlan, local: string) => value(describePaymentPlan(p, sh(local))).map((v) => v.state);
const apps = (d: { applications: readonly { installmentId: string; amount: Money }[] }) => d.applications.map((a) => [a.installmentId, text(a.amount)]);

describe('applying payments (回款明细)', () => {
  it('a payment recorded with no order is credit until it is applied days later, in parts', () => {
    const received = pay('P-1', '1000.00');
    expect(received.orderId).toBeNull();
    expect(value(paymentBalance(received))).toMatchObject({ applied: { minor: 0 }, unapplied: { minor: 100000 } });

    // three days later the clerk finds which order it pays and enters the details by hand
    const later = ctxAt('2026-03-08T09:30:00');
    const d = value(
      allocatePayment(
        received,
        [so1()],
        { kind: 'explicit', applications: [{ planId: 'PP-1', installmentId: 'SO-1-1', amount: '300.00' }, { planId: 'PP-1', installmentId: 'SO-1-2', amount: '500.00' }] },
        later,
      ),
    );
    expect(apps(d)).toEqual([['SO-1-1', '300.00'], ['SO-1-2', '500.00']]);
    expect(d.applications.map((a) => [a.seq, a.appliedAt, a.appliedBy])).toEqual([[1, sh('2026-03-08T09:30:00'), 'clerk-wu'], [2, sh('2026-03-08T09:30:00'), 'clerk-wu']]);
    expect(text(d.unapplied)).toBe('200.00');
    expect(d.payment.version).toBe(2);
    expect(paidOf(d.plans[0]!)).toEqual(['300.00', '500.00', '0.00']);
    expect(statesAt(d.plans[0]!, '2026-03-08T10:00:00')).toEqual(['paid', 'partlyPaid', 'pending']);
    expect(d.events.map((e) => e.type)).toEqual(['payment.applied', 'paymentPlan.paymentApplied']);
    expect(d.events[1]).toMatchObject({ subject: { kind: 'paymentPlan', id: 'PP-1' }, version: 2 });

    // the 200.00 left is the customer's credit: usable later against any of its installments
    const again = value(allocatePayment(d.payment, d.plans, { kind: 'oldestFirst' }, ctxAt('2026-03-09T09:00:00')));
    expect(apps(again)).toEqual([['SO-1-2', '0.01'], ['SO-1-3', '199.99']]);
    expect(text(again.unapplied)).toBe('0.00');
    expect(again.payment.applications.map((a) => a.seq)).toEqual([1, 2, 3, 4]);
  });

  it('an overpayment is carried to the next installment, and beyond the plan it stays as credit', () => {
    const d = value(allocatePayment(pay('P-1', '350.00', { orderId: 'SO-1' }), [so1()], { kind: 'installmentOrder' }, ctx));
    expect(apps(d)).toEqual([['SO-1-1', '300.00'], ['SO-1-2', '50.00']]);
    expect(statesAt(d.plans[0]!, '2026-03-10T10:00:00')).toEqual(['paid', 'partlyPaid', 'pending']);

    const all = value(allocatePayment(pay('P-2', '1200.01', { orderId: 'SO-1' }), [so1()], { kind: 'installmentOrder' }, ctx));
    expect(apps(all)).toEqual([['SO-1-1', '300.00'], ['SO-1-2', '500.01'], ['SO-1-3', '200.00']]);
    expect(text(all.unapplied)).toBe('200.00');
    // a new order later: the credit pays its first installment (冲抵回款计划)
    const so2 = plan('PP-2', 'SO-2', '2026-04-10', '400.00', [[50, 0], [50, 30]]);
    const batch = value(allocatePayments([all.payment], [...all.plans, so2], { kind: 'oldestFirst' }, ctxAt('2026-04-10T11:00:00')));
    expect(batch.allocations.map((a) => [a.paymentId, apps(a), text(a.unapplied)])).toEqual([['P-2', [['SO-2-1', '200.00']], '0.00']]);
    expect(batch.plans.map((p) => p.id)).toEqual(['PP-2']);
  });

  it('oldest first across three orders: by due date, then order date, then order id', () => {
    const a = plan('PP-A', 'SO-A', '2026-01-05', '1000.00', [[30, 0], [70, 30]]); // 300 Jan 5, 700 Feb 4
    const b = plan('PP-B', 'SO-B', '2026-01-20', '600.00', [[50, 0], [50, 30]]); // 300 Jan 20, 300 Feb 19
    const c = plan('PP-C', 'SO-C', '2026-02-01', '400.00', [[100, 0]]); // 400 Feb 1
    const d = value(allocatePayment(pay('P-1', '1200.00'), [c, a, b], { kind: 'oldestFirst' }, ctx));
    expect(apps(d)).toEqual([['SO-A-1', '300.00'], ['SO-B-1', '300.00'], ['SO-C-1', '400.00'], ['SO-A-2', '200.00']]);
    expect(d.plans.map((p) => p.id)).toEqual(['PP-A', 'PP-B', 'PP-C']);
    expect(d.events.map((e) => e.type)).toEqual(['payment.applied', 'paymentPlan.paymentApplied', 'paymentPlan.paymentApplied', 'paymentPlan.paymentApplied']);

    // same due day: the earlier order first; same order day: the lower order id
    const x = plan('PP-X', 'SO-X', '2026-01-10', '100.00', [[100, 10]]); // due Jan 20, ordered Jan 10
    const y = value(
      createPaymentPlan(
        { id: 'PP-Y', orderId: 'SO-0', customerId: 'C-1', orderDate: sh('2026-01-10T09:00:00'), total: { currency: 'CNY', amount: '100.00' }, installments: [{ id: 'y', amount: '100.00', due: { kind: 'date', date: '2026-01-20' } }] },
        ctx,
      ),
    ).plan; // due Jan 20 too, ordered an hour earlier on Jan 10
    const tie = value(allocatePayment(pay('P-2', '450.00'), [x, b, y], { kind: 'oldestFirst' }, ctx));
    expect(apps(tie)).toEqual([['y', '100.00'], ['SO-X-1', '100.00'], ['SO-B-1', '250.00']]);
    // same due day and the same order instant: the lower order id, in whatever order they are listed
    const z2 = plan('PP-1', 'SO-Z2', '2026-01-10', '100.00', [[100, 10]]);
    const z1 = plan('PP-2', 'SO-Z1', '2026-01-10', '100.00', [[100, 10]]);
    for (const listed of [[z2, z1], [z1, z2]]) {
      expect(apps(value(allocatePayment(pay('P-5', '150.00'), listed, { kind: 'oldestFirst' }, ctx)))).toEqual([['SO-Z1-1', '100.00'], ['SO-Z2-1', '50.00']]);
    }

    // excluding an order in dispute
    const ex = value(allocatePayment(pay('P-3', '500.00'), [a, b, c], { kind: 'oldestFirst', excludeOrderIds: ['SO-A'] }, ctx));
    expect(apps(ex)).toEqual([['SO-B-1', '300.00'], ['SO-C-1', '200.00']]);
    // capping the amount: the rest stays credit
    const capped = value(allocatePayment(pay('P-4', '500.00'), [a, b, c], { kind: 'oldestFirst', amount: '100.00' }, ctx));
    expect([apps(capped), text(capped.unapplied)]).toEqual([[['SO-A-1', '100.00']], '400.00']);
  });

  it('proportional across what is outstanding, by largest remainder', () => {
    const a = plan('PP-A', 'SO-A', '2026-01-05', '300.00', [[100, 0]]);
    const b = plan('PP-B', 'SO-B', '2026-01-20', '300.00', [[100, 0]]);
    const c = plan('PP-C', 'SO-C', '2026-02-01', '400.00', [[100, 0]]);
    // 100.01 over 300 / 300 / 400: exact 30.003, 30.003, 40.004 → the leftover cent to the largest remainder
    const d = value(allocatePayment(pay('P-1', '100.01'), [c, b, a], { kind: 'proportional' }, ctx));
    expect(apps(d)).toEqual([['SO-A-1', '30.00'], ['SO-B-1', '30.00'], ['SO-C-1', '40.01']]);
    // 0.02 over 300 / 300 / 400: the larger remainder (400's) gets a cent, then of the equal ones the older
    const e = value(allocatePayment(pay('P-2', '0.02'), [c, b, a], { kind: 'proportional' }, ctx));
    expect(apps(e)).toEqual([['SO-A-1', '0.01'], ['SO-C-1', '0.01']]);
    const tie = value(allocatePayment(pay('P-4', '0.01'), [b, a], { kind: 'proportional' }, ctx));
    expect(apps(tie)).toEqual([['SO-A-1', '0.01']]);
    // more than everything owed: each installment paid in full, the rest credit
    const f = value(allocatePayment(pay('P-3', '2000.00'), [a, b, c], { kind: 'proportional' }, ctx));
    expect([apps(f), text(f.unapplied)]).toEqual([[['SO-A-1', '300.00'], ['SO-B-1', '300.00'], ['SO-C-1', '400.00']], '1000.00']);
  });

  it('records and applies in one step, as one new payment', () => {
    const d = value(
      recordAndApplyPayment(
        { id: 'P-9', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '300.00' }, receivedAt: sh('2026-03-02T15:00:00'), method: 'alipay' },
        [so1()],
        { kind: 'installmentOrder' },
        ctx,
      ),
    );
    expect(d.payment.version).toBe(1);
    expect(apps(d)).toEqual([['SO-1-1', '300.00']]);
    expect(d.events.map((e) => [e.type, e.version])).toEqual([['payment.recorded', 1], ['payment.applied', 1], ['paymentPlan.paymentApplied', 2]]);
  });
});

describe('reversals, refunds, credit notes', () => {
  it('a reversal removes the applications newest first and the states follow', () => {
    const a = plan('PP-A', 'SO-A', '2026-01-05', '1000.00', [[30, 0], [70, 30]]);
    const b = plan('PP-B', 'SO-B', '2026-01-20', '600.00', [[50, 0], [50, 30]]);
    const d = value(allocatePayment(pay('P-1', '900.00'), [a, b], { kind: 'oldestFirst' }, ctx));
    expect(statesAt(d.plans[0]!, '2026-03-10T10:00:00')).toEqual(['paid', 'overdue']);
    const r = value(reversePayment(d.payment, d.plans, { reason: '银行退票' }, ctxAt('2026-03-11T09:00:00', 'cashier-he')));
    expect(r.removed.map((x) => [x.seq, x.installmentId, text(x.amount)])).toEqual([
      [3, 'SO-A-2', '300.00'],
      [2, 'SO-B-1', '300.00'],
      [1, 'SO-A-1', '300.00'],
    ]);
    expect(r.payment).toMatchObject({ status: 'reversed', applications: [], reversal: { by: 'cashier-he', reason: '银行退票' }, version: 3 });
    expect(r.plans.map((p) => p.installments)).toEqual([a.installments, b.installments]);
    expect(statesAt(r.plans[0]!, '2026-03-11T10:00:00')).toEqual(['overdue', 'overdue']);
    expect(value(paymentBalance(r.payment))).toMatchObject({ applied: { minor: 0 }, unapplied: { minor: 0 }, reversed: { minor: 90000 } });
    expect(r.events.map((e) => e.type)).toEqual(['payment.reversed', 'paymentPlan.paymentUnapplied', 'paymentPlan.paymentUnapplied']);
    expect(error(reversePayment(r.payment, r.plans, { reason: 'again' }, ctx)).code).toBe('PAYMENT_REVERSED');
    expect(error(allocatePayment(r.payment, r.plans, { kind: 'oldestFirst' }, ctx)).code).toBe('PAYMENT_REVERSED');
  });

  it('unapplying part of a payment takes the newest application down first; the money is credit again', () => {
    const d = value(allocatePayment(pay('P-1', '600.00'), [so1()], { kind: 'oldestFirst' }, ctx)); // 300.00 + 300.00
    const u = value(unapplyPayment(d.payment, d.plans, { amount: '350.00', reason: '录错' }, ctx));
    expect(u.removed.map((x) => [x.seq, text(x.amount)])).toEqual([[2, '300.00'], [1, '50.00']]);
    expect(u.payment.applications.map((x) => [x.seq, text(x.amount)])).toEqual([[1, '250.00']]);
    expect(paidOf(u.plans[0]!)).toEqual(['250.00', '0.00', '0.00']);
    expect(text(value(paymentBalance(u.payment)).unapplied)).toBe('350.00');
    expect(error(unapplyPayment(u.payment, u.plans, { amount: '250.01' }, ctx))).toMatchObject({
      code: 'PAYMENT_EXCEEDS_APPLIED',
      details: { requested: '250.01', applied: '250.00', currency: 'CNY' },
    });
    const none = value(unapplyPayment(u.payment, u.plans, {}, ctx));
    expect(error(unapplyPayment(none.payment, none.plans, {}, ctx)).code).toBe('PAYMENT_NOT_APPLIED');
    // the plans the applications point to are needed
    expect(error(unapplyPayment(d.payment, [], {}, ctx)).code).toBe('PAYMENT_INSTALLMENT_NOT_FOUND');
  });

  it('refunds pay back the unapplied rest; a refunded payment cannot be reversed', () => {
    const d = value(allocatePayment(pay('P-1', '1200.01', { orderId: 'SO-1' }), [so1()], { kind: 'installmentOrder' }, ctx));
    const r = value(refundPayment(d.payment, { amount: '150.00', reason: '多付退回' }, ctx));
    expect(value(paymentBalance(r.payment))).toMatchObject({ applied: { minor: 100001 }, unapplied: { minor: 5000 }, refunded: { minor: 15000 } });
    expect(r.events[0]).toMatchObject({ type: 'payment.refunded', data: { seq: 4 } });
    expect(error(refundPayment(r.payment, { amount: '50.01' }, ctx))).toMatchObject({
      code: 'PAYMENT_EXCEEDS_UNAPPLIED',
      details: { operation: 'refund', requested: '50.01', unapplied: '50.00' },
    });
    const rest = value(refundPayment(r.payment, {}, ctx));
    expect(text(rest.payment.refunds[1]!.amount)).toBe('50.00');
    expect(error(reversePayment(rest.payment, d.plans, { reason: '退票' }, ctx))).toMatchObject({ code: 'PAYMENT_HAS_REFUNDS', details: { refunded: '200.00' } });
  });

  it('a credit note nets against the order it credits, from the last installment back; the rest is credit', () => {
    const paid1 = value(allocatePayment(pay('P-1', '300.00', { orderId: 'SO-1' }), [so1()], { kind: 'installmentOrder' }, ctx));
    const cn = value(
      issueCreditNote(
        { id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '250.00' }, issuedAt: sh('2026-03-12T10:00:00'), note: '退货 1 台' },
        paid1.plans[0]!,
        ctx,
      ),
    );
    expect(cn.payment).toMatchObject({ kind: 'creditNote', method: 'creditNote', version: 1 });
    expect(apps(cn)).toEqual([['SO-1-3', '200.00'], ['SO-1-2', '50.00']]);
    const after = cn.plans[0]!;
    expect(after.installments.map((i) => [text(i.paid), text(i.credited)])).toEqual([['300.00', '0.00'], ['0.00', '50.00'], ['0.00', '200.00']]);
    expect(statesAt(after, '2026-03-12T10:00:00')).toEqual(['paid', 'partlyPaid', 'paid']);
    // a credit note bigger than what is owed leaves credit
    const big = value(
      issueCreditNote({ id: 'CN-2', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '1000.00' }, issuedAt: sh('2026-03-12T10:00:00') }, after, ctx),
    );
    expect(text(big.unapplied)).toBe('549.99');
    // its credit is the customer's: it settles another order's installment (as credited, not paid)
    const so2 = plan('PP-2', 'SO-2', '2026-03-12', '100.00', [[100, 0]]);
    const spent = value(allocatePayment(big.payment, [so2], { kind: 'oldestFirst' }, ctx));
    expect(spent.plans[0]!.installments.map((i) => [text(i.paid), text(i.credited)])).toEqual([['0.00', '100.00']]);
    expect(text(spent.unapplied)).toBe('449.99');
    // with no plan for the order, all of it is credit
    const loose = value(issueCreditNote({ id: 'CN-3', customerId: 'C-1', orderId: 'SO-9', amount: { currency: 'CNY', amount: '10.00' }, issuedAt: ctx.now }, null, ctx));
    expect([loose.applications.length, text(loose.unapplied)]).toEqual([0, '10.00']);
    // reversing the credit note gives the order its debt back
    const undone = value(reversePayment(cn.payment, [after], { reason: '开错红字' }, ctx));
    expect(undone.plans[0]!.installments).toEqual(paid1.plans[0]!.installments);
  });
});

describe('refusals', () => {
  const fresh = () => pay('P-1', '1000.00');

  it('unapplying against a plan that does not show the payment: INVALID_INPUT at that plan, nothing taken off', () => {
    const d = value(allocatePayment(pay('P-1', '400.00', { orderId: 'SO-1' }), [so1()], { kind: 'installmentOrder' }, ctx));
    const other = plan('PP-9', 'SO-9', '2026-03-02', '100.00', [[100, 0]]);
    // the plan as it was before the payment: it shows 0.00 paid where the payment says 300.00 and 100.00
    const r = unapplyPayment(d.payment, [other, so1()], {}, ctx);
    expect(error(r).code).toBe('INVALID_INPUT');
    expect(issuePaths(r)).toEqual(['plans.1.installments.1.paid']);
    expect(value(unapplyPayment(d.payment, [other, ...d.plans], {}, ctx)).plans.map((p) => p.id)).toEqual(['PP-1']);
  });

  it('explicit applications: never beyond what an installment owes, nor beyond what the payment has', () => {
    const over = allocatePayment(fresh(), [so1()], { kind: 'explicit', applications: [{ planId: 'PP-1', installmentId: 'SO-1-1', amount: '300.01' }] }, ctx);
    expect(error(over)).toMatchObject({
      code: 'PAYMENT_OVER_ALLOCATED',
      details: { paymentId: 'P-1', planId: 'PP-1', installmentId: 'SO-1-1', requested: '300.01', outstanding: '300.00', currency: 'CNY' },
    });
    const tooMuch = allocatePayment(
      pay('P-2', '600.00'),
      [so1()],
      { kind: 'explicit', applications: [{ planId: 'PP-1', installmentId: 'SO-1-1', amount: '300.00' }, { planId: 'PP-1', installmentId: 'SO-1-2', amount: '300.01' }] },
      ctx,
    );
    expect(error(tooMuch)).toMatchObject({ code: 'PAYMENT_EXCEEDS_UNAPPLIED', details: { operation: 'apply', requested: '600.01', unapplied: '600.00' } });
    expect(error(allocatePayment(fresh(), [so1()], { kind: 'explicit', applications: [{ planId: 'PP-1', installmentId: 'nope', amount: '1' }] }, ctx))).toMatchObject({
      code: 'PAYMENT_INSTALLMENT_NOT_FOUND',
      details: { planId: 'PP-1', installmentId: 'nope' },
    });
    expect(error(allocatePayment(fresh(), [so1()], { kind: 'oldestFirst', amount: '1000.01' }, ctx)).code).toBe('PAYMENT_EXCEEDS_UNAPPLIED');
  });

  it('plans of another customer or currency, nothing to apply, nothing outstanding, no order named', () => {
    const other = plan('PP-9', 'SO-9', '2026-03-01', '100.00', [[100, 0]], 'C-2');
    expect(error(allocatePayment(fresh(), [so1(), other], { kind: 'oldestFirst' }, ctx))).toMatchObject({
      code: 'PAYMENT_CUSTOMER_MISMATCH',
      details: { paymentId: 'P-1', customerId: 'C-1', planId: 'PP-9', planCustomerId: 'C-2' },
    });
    const usd = plan('PP-U', 'SO-U', '2026-03-01', '100.00', [[100, 0]], 'C-1', 'USD');
    expect(error(allocatePayment(fresh(), [usd], { kind: 'oldestFirst' }, ctx))).toMatchObject({
      code: 'PAYMENT_CURRENCY_MISMATCH',
      details: { paymentCurrency: 'CNY', planCurrency: 'USD' },
    });
    const done = value(allocatePayment(pay('P-2', '1000.01'), [so1()], { kind: 'oldestFirst' }, ctx));
    expect(error(allocatePayment(done.payment, done.plans, { kind: 'oldestFirst' }, ctx))).toMatchObject({ code: 'PAYMENT_NOTHING_TO_APPLY', details: { unapplied: '0.00' } });
    expect(error(allocatePayment(fresh(), done.plans, { kind: 'proportional' }, ctx))).toMatchObject({ code: 'PAYMENT_NOTHING_OUTSTANDING', details: { strategy: 'proportional' } });
    expect(error(allocatePayment(fresh(), [so1()], { kind: 'installmentOrder' }, ctx))).toMatchObject({ code: 'PAYMENT_ORDER_REQUIRED', details: { paymentId: 'P-1' } });
    expect(error(allocatePayment(fresh(), [so1()], { kind: 'installmentOrder', orderId: 'SO-404' }, ctx)).code).toBe('PAYMENT_NOTHING_OUTSTANDING');
  });

  it('the types keep out what the rules would refuse', () => {
    const p = fresh();
    // @ts-expect-error an explicit strategy lists its applications
    expect(error(allocatePayment(p, [so1()], { kind: 'explicit' }, ctx)).code).toBe('INVALID_INPUT');
    // @ts-expect-error installment order names (at most) one order, not a list to exclude
    expect(error(allocatePayment(p, [so1()], { kind: 'installmentOrder', excludeOrderIds: ['SO-1'] }, ctx)).code).toBe('INVALID_INPUT');
    // @ts-expect-error a plain object is not a Money (amounts come from parseMoney or the rules); at run time it is parsed
    expect(refundPayment({ ...p, amount: { currency: 'CNY', minor: 100 } }, {}, ctx).ok).toBe(true);
  });

  it('bad input is INVALID_INPUT with paths, and the inputs are untouched', () => {
    const p = fresh();
    const pl = so1();
    expect(issuePaths(allocatePayment(p, [pl], { kind: 'everything' } as never, ctx))).toEqual(['strategy.kind']);
    expect(issuePaths(allocatePayment(p, [pl], { kind: 'oldestFirst', amount: '1.001' }, ctx))).toEqual(['strategy.amount']);
    expect(issuePaths(allocatePayment(p, [pl], { kind: 'oldestFirst', amount: '-5' }, ctx))).toEqual(['strategy.amount']);
    expect(issuePaths(allocatePayment(p, [pl, pl], { kind: 'oldestFirst' }, ctx))).toEqual(['plans.1.id']);
    expect(issuePaths(allocatePayment({ ...p, amount: { currency: 'CNY', minor: 1.5 } } as never, [pl], { kind: 'oldestFirst' }, ctx))).toEqual(['payment.amount.minor']);
    expect(
      issuePaths(
        allocatePayment(p, [pl], { kind: 'explicit', applications: [{ planId: 'PP-1', installmentId: 'SO-1-1', amount: '1' }, { planId: 'PP-1', installmentId: 'SO-1-1', amount: '1' }] }, ctx),
      ),
    ).toEqual(['strategy.applications.1']);
    expect(issuePaths(allocatePayment(p, [pl], { kind: 'explicit', applications: [{ planId: 'PP-1', installmentId: 'SO-1-1', amount: { currency: 'USD', amount: '1' } }] }, ctx))).toEqual([
      'strategy.applications.0.amount.currency',
    ]);
    expect(error(allocatePayment(null as never, [pl], { kind: 'oldestFirst' }, ctx)).code).toBe('INVALID_INPUT');
    // a payment where a plan belongs (and the reverse) is parsed as what it claims to be, and refused
    expect(issuePaths(allocatePayment(p, [p as never], { kind: 'oldestFirst' }, ctx))).toContain('plans.0');
    expect(error(allocatePayment(pl as never, [pl], { kind: 'oldestFirst' }, ctx)).code).toBe('INVALID_INPUT');
    expect(error(allocatePayment(p, null as never, { kind: 'oldestFirst' }, ctx)).code).toBe('INVALID_INPUT');
    expect(error(allocatePayments(null as never, [pl], { kind: 'oldestFirst' }, ctx)).code).toBe('INVALID_INPUT');
    expect(issuePaths(allocatePayments([p], [pl], { kind: 'explicit', applications: [{ planId: 'PP-1', installmentId: 'SO-1-1', amount: '1' }] }, ctx))).toEqual(['strategy.kind']);
    const before = structuredClone(pl);
    value(allocatePayment(p, [pl], { kind: 'oldestFirst' }, ctx));
    expect(pl).toEqual(before);
    expect(p.applications).toEqual([]);
  });
});

describe('batches', () => {
  it('applies many payments oldest received first, each to its own order or over all, skipping what it cannot', () => {
    const a = plan('PP-A', 'SO-A', '2026-01-05', '1000.00', [[30, 0], [70, 30]]);
    const b = plan('PP-B', 'SO-B', '2026-01-20', '600.00', [[50, 0], [50, 30]]);
    const other = plan('PP-Z', 'SO-Z', '2026-01-20', '50.00', [[100, 0]], 'C-2');
    const p1 = pay('P-1', '400.00', { orderId: 'SO-B', at: '2026-03-06T10:00:00' });
    const p2 = pay('P-2', '400.00', { orderId: 'SO-A', at: '2026-03-05T10:00:00' });
    const p3 = pay('P-3', '10.00', { customerId: 'C-3' });
    const p4 = pay('P-4', '70.00', { customerId: 'C-2', at: '2026-03-07T10:00:00' });
    const perOrder = value(allocatePayments([p1, p2, p3, p4], [a, b, other], { kind: 'installmentOrder' }, ctx));
    expect(perOrder.allocations.map((x) => [x.paymentId, apps(x), text(x.unapplied)])).toEqual([
      ['P-2', [['SO-A-1', '300.00'], ['SO-A-2', '100.00']], '0.00'],
      ['P-1', [['SO-B-1', '300.00'], ['SO-B-2', '100.00']], '0.00'],
    ]);
    expect(perOrder.skipped.map((s) => [s.paymentId, s.reason.code])).toEqual([
      ['P-3', 'PAYMENT_ORDER_REQUIRED'],
      ['P-4', 'PAYMENT_ORDER_REQUIRED'],
    ]);
    const oldest = value(allocatePayments([p1, p2, p3, p4], [a, b, other], { kind: 'oldestFirst' }, ctx));
    expect(oldest.allocations.map((x) => [x.paymentId, apps(x), text(x.unapplied)])).toEqual([
      ['P-2', [['SO-A-1', '300.00'], ['SO-B-1', '100.00']], '0.00'],
      ['P-1', [['SO-B-1', '200.00'], ['SO-A-2', '200.00']], '0.00'],
      ['P-4', [['SO-Z-1', '50.00']], '20.00'],
    ]);
    expect(oldest.skipped.map((s) => [s.paymentId, s.reason.code])).toEqual([['P-3', 'PAYMENT_NOTHING_OUTSTANDING']]);
    expect(oldest.plans.map((p) => [p.id, p.version])).toEqual([['PP-A', 2], ['PP-B', 2], ['PP-Z', 2]]);
    expect(oldest.payments.map((p) => [p.id, p.version])).toEqual([['P-2', 2], ['P-1', 2], ['P-4', 2]]);
  });
});

describe('results', () => {
  it('are frozen all the way down, and the inputs are never changed', () => {
    const p = pay('P-1', '700.00');
    const pl = so1();
    const first = value(allocatePayment(p, [pl], { kind: 'oldestFirst', amount: '100.00' }, ctx));
    const d = value(allocatePayment(first.payment, first.plans, { kind: 'oldestFirst' }, ctx));
    const frozen = (x: unknown): boolean =>
      typeof x !== 'object' || x === null || x instanceof Date || (Object.isFrozen(x) && Object.values(x).every(frozen));
    expect(frozen(d)).toBe(true);
    expect(first.payment.applications).toHaveLength(1);
    expect(pl.installments.every((i) => i.paid.minor === 0)).toBe(true);
    // recording and planning too: the decisions and their events' data
    expect(frozen(value(recordPayment({ id: 'P-9', customerId: 'C-1', amount: { currency: 'CNY', amount: '1.00' }, receivedAt: ctx.now, method: 'cash' }, ctx)))).toBe(true);
    expect(frozen(value(createPaymentPlan({ id: 'PP-9', orderId: 'SO-9', customerId: 'C-1', orderDate: ctx.now, total: { currency: 'CNY', amount: '10.00' }, installments: [{ id: 'I1', percent: 100, due: { kind: 'afterOrder', days: 0 } }] }, ctx)))).toBe(true);
  });
});
