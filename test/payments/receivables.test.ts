import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../src/core/index.js';
import {
  agingBucketLabels,
  allocatePayment,
  createPaymentPlan,
  describePaymentPlan,
  paymentReminders,
  receivables,
  recordPayment,
  refundPayment,
  reversePayment,
  splitRevenue,
  splitRevenueAmount,
  writeOffBadDebt,
  writeOffDifference,
  type CreatePaymentPlanInput,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
  type PaymentPolicyInput,
} from '../../src/payments/index.js';
import { error, issuePaths, value } from '../support.js';

const SH = 'Asia/Shanghai';
const sh = (local: string) => new Date(`${local}+08:00`);
const policy: PaymentPolicyInput = { zone: SH, writeOffTolerance: { CNY: '1.00' } };
const ctxAt = (local: string, actorId = 'clerk-wu'): PaymentContext => ({ now: sh(local), actorId, policy });
const ctx = ctxAt('2026-03-10T10:00:00');
const text = (m: Money) => formatMoney(m);

function plan(id: string, orderId: string, orderDay: string, total: string, parts: [number, number][], customerId = 'C-1', currency = 'CNY'): PaymentPlan {
  const input: CreatePaymentPlanInput = {
    id,
    orderId,
    customerId,
    ownerId: 'rep-li',
    orderDate: sh(`${orderDay}T10:00:00`),
    total: { currency, amount: total },
    installments: parts.map(([percent, days], k) => ({ id: `${orderId}-${k + 1}`, percent, due: { kind: 'afterOrder' as const, days } })),
  };
  return value(createPaymentPlan(input, ctxAt(`${orderDay}T10:00:00`))).plan;
}
/** 300.00 due 2026-03-02, 500.01 due 04-01, 200.00 due 05-01. */
const so1 = () => plan('PP-1', 'SO-1', '2026-03-02', '1000.01', [[30, 0], [50, 30], [20, 60]]);

function pay(id: string, amount: string, customerId = 'C-1', currency = 'CNY'): Payment {
  return value(recordPayment({ id, customerId, amount: { currency, amount }, receivedAt: sh('2026-03-05T14:00:00'), method: 'wechat' }, ctx)).payment;
}

function applyTo(p: PaymentPlan, amount: string, id = 'P-x'): { plan: PaymentPlan; payment: Payment } {
  const d = value(allocatePayment(pay(id, amount, p.customerId, p.currency), [p], { kind: 'installmentOrder', orderId: p.orderId }, ctx));
  return { plan: d.plans[0]!, payment: d.payment };
}

describe('receivables and aging', () => {
  it('outstanding and overdue per installment, order and customer, with aging buckets in the zone', () => {
    const one = so1();
    const old = applyTo(plan('PP-2', 'SO-2', '2025-12-01', '1000.00', [[100, 0]]), '400.00').plan; // 600 left, due 2025-12-01
    const future = plan('PP-3', 'SO-3', '2026-05-01', '500.00', [[100, 31]]); // due 2026-06-01
    const usd = plan('PP-U', 'SO-U', '2026-04-01', '100.00', [[100, 0]], 'C-2', 'USD');
    const credit = pay('P-c', '50.00');
    const r = value(receivables([future, usd, one, old], { now: sh('2026-05-10T09:00:00'), payments: [credit, pay('P-u', '5.00', 'C-2', 'USD')] }));
    expect(r.bucketLabels).toEqual(['notDue', '0-30', '31-60', '61-90', '90+']);
    expect(r.installments.map((i) => [i.installmentId, i.state, i.daysPastDue, i.agingBucket, text(i.outstanding), text(i.overdue)])).toEqual([
      ['SO-2-1', 'overdue', 160, '90+', '600.00', '600.00'],
      ['SO-1-1', 'overdue', 69, '61-90', '300.00', '300.00'],
      ['SO-1-2', 'overdue', 39, '31-60', '500.01', '500.01'],
      ['SO-U-1', 'overdue', 39, '31-60', '100.00', '100.00'],
      ['SO-1-3', 'overdue', 9, '0-30', '200.00', '200.00'],
      ['SO-3-1', 'pending', -22, 'notDue', '500.00', '0.00'],
    ]);
    expect(r.orders.map((o) => [o.orderId, text(o.total), text(o.paid), text(o.outstanding), text(o.overdue), o.nextDue?.installmentId])).toEqual([
      ['SO-1', '1000.01', '0.00', '1000.01', '1000.01', 'SO-1-1'],
      ['SO-2', '1000.00', '400.00', '600.00', '600.00', 'SO-2-1'],
      ['SO-3', '500.00', '0.00', '500.00', '0.00', 'SO-3-1'],
      ['SO-U', '100.00', '0.00', '100.00', '100.00', 'SO-U-1'],
    ]);
    expect(r.orders[0]!.states).toEqual({ pending: 0, partlyPaid: 0, paid: 0, overdue: 3, writtenOff: 0 });
    const c1 = r.customers[0]!;
    expect([c1.customerId, c1.currency, c1.orders, text(c1.outstanding), text(c1.overdue), text(c1.credit), text(c1.net)]).toEqual([
      'C-1',
      'CNY',
      3,
      '2100.01',
      '1600.01',
      '50.00',
      '2050.01',
    ]);
    expect(c1.aging.map((a) => [a.bucket, text(a.amount)])).toEqual([
      ['notDue', '500.00'],
      ['0-30', '200.00'],
      ['31-60', '500.01'],
      ['61-90', '300.00'],
      ['90+', '600.00'],
    ]);
    expect(r.customers[1]).toMatchObject({ customerId: 'C-2', currency: 'USD', credit: { minor: 500 } });
    expect(r.aging.map((a) => [a.currency, text(a.outstanding)])).toEqual([['CNY', '2100.01'], ['USD', '100.00']]);
  });

  it('bucket edges are calendar days past the due date in the zone: day 30 is 0-30, day 31 is 31-60, day 91 is 90+', () => {
    const p = plan('PP-A', 'SO-A', '2026-03-02', '100.00', [[100, 0]]); // due 2026-03-02
    const bucketOn = (day: string) => value(describePaymentPlan(p, sh(`${day}T00:00:00`)))[0]!.agingBucket;
    expect([bucketOn('2026-03-02'), bucketOn('2026-03-03'), bucketOn('2026-04-01'), bucketOn('2026-04-02'), bucketOn('2026-05-31'), bucketOn('2026-06-01')]).toEqual([
      'notDue',
      '0-30',
      '0-30',
      '31-60',
      '61-90',
      '90+',
    ]);
    expect(value(agingBucketLabels([7, 14]))).toEqual(['notDue', '0-7', '8-14', '14+']);
    expect(issuePaths(agingBucketLabels([14, 7]))).toEqual(['bounds']);
    expect(value(describePaymentPlan(p, sh('2026-03-17T00:00:00'), { zone: SH, agingBuckets: [7, 14] }))[0]!.agingBucket).toBe('14+');
    expect(issuePaths(receivables([p], { now: sh('2026-03-17T00:00:00'), policy: { zone: SH, agingBuckets: [14, 7] } }))).toEqual(['options.policy.agingBuckets']);
  });
});

describe('reminders (回款提醒)', () => {
  const reminding: PaymentContext = {
    now: sh('2026-03-24T10:00:00'),
    actorId: 'system:payments',
    policy: { zone: SH, reminders: { daysBefore: [7, 1], onOverdue: true, overdueEveryDays: 7 } },
  };
  const at = (local: string) => ({ ...reminding, now: sh(local) });
  const keysAt = (plans: PaymentPlan[], local: string) => value(paymentReminders(plans, at(local))).map((e) => `${e.type} ${String(e.data.key)}`);

  it('N days before the due date, then on overdue (again every 7 days), with stable keys', () => {
    const p = applyTo(so1(), '300.00').plan; // SO-1-1 paid; SO-1-2 due 04-01, SO-1-3 due 05-01
    expect(keysAt([p], '2026-03-24T23:59:59')).toEqual([]);
    expect(keysAt([p], '2026-03-25T00:00:00')).toEqual(['installment.dueSoon PP-1/SO-1-2/dueSoon/7']);
    expect(keysAt([p], '2026-03-30T12:00:00')).toEqual(['installment.dueSoon PP-1/SO-1-2/dueSoon/7']);
    expect(keysAt([p], '2026-03-31T00:00:00')).toEqual(['installment.dueSoon PP-1/SO-1-2/dueSoon/1']);
    expect(keysAt([p], '2026-04-01T23:00:00')).toEqual(['installment.dueSoon PP-1/SO-1-2/dueSoon/1']);
    expect(keysAt([p], '2026-04-02T00:00:00')).toEqual(['installment.overdue PP-1/SO-1-2/overdue/0']);
    expect(keysAt([p], '2026-04-08T09:00:00')).toEqual(['installment.overdue PP-1/SO-1-2/overdue/0']);
    expect(keysAt([p], '2026-04-09T00:00:00')).toEqual(['installment.overdue PP-1/SO-1-2/overdue/1']);
    const [e] = value(paymentReminders([p], at('2026-04-09T00:00:00')));
    expect(e).toMatchObject({
      type: 'installment.overdue',
      actorId: 'system:payments',
      subject: { kind: 'installment', id: 'SO-1-2' },
      data: { planId: 'PP-1', orderId: 'SO-1', customerId: 'C-1', ownerId: 'rep-li', dueDate: '2026-04-01', daysOverdue: 8, remindAt: sh('2026-04-09T00:00:00') },
    });
    expect(text(e!.data.outstanding as Money)).toBe('500.01');
    const soon = value(paymentReminders([p], at('2026-03-31T08:00:00')))[0]!;
    expect(soon.data).toMatchObject({ daysBefore: 1, daysLeft: 1, remindAt: sh('2026-03-31T00:00:00') });
  });

  it('a settled installment is never reminded; reminders need the policy', () => {
    const paid = applyTo(so1(), '1000.01').plan;
    expect(keysAt([paid], '2026-06-01T00:00:00')).toEqual([]);
    expect(issuePaths(paymentReminders([paid], { now: sh('2026-06-01T00:00:00'), actorId: 'system:payments' }))).toEqual(['context.policy']);
  });
});

describe('write-offs', () => {
  it('a small difference within the tolerance is written off and the installment is paid', () => {
    const d = value(
      allocatePayment(pay('P-1', '299.50'), [so1()], { kind: 'explicit', applications: [{ planId: 'PP-1', installmentId: 'SO-1-1', amount: '299.50' }] }, ctx),
    );
    const w = value(writeOffDifference(d.plans[0]!, { installmentId: 'SO-1-1', reason: '银行手续费' }, ctx));
    expect(w.writtenOff.map((x) => [x.installmentId, text(x.amount)])).toEqual([['SO-1-1', '0.50']]);
    expect(value(describePaymentPlan(w.plan, ctx.now))[0]!.state).toBe('paid');
    expect(w.plan.version).toBe(3);
    expect(w.events[0]).toMatchObject({ type: 'paymentPlan.writtenOff', data: { kind: 'smallDifference', reason: '银行手续费' } });
    expect(error(writeOffDifference(w.plan, { installmentId: 'SO-1-2' }, ctx))).toMatchObject({
      code: 'PAYMENT_WRITE_OFF_ABOVE_TOLERANCE',
      details: { planId: 'PP-1', installmentId: 'SO-1-2', outstanding: '500.01', tolerance: '1.00', currency: 'CNY' },
    });
    expect(error(writeOffDifference(w.plan, { installmentId: 'SO-1-1' }, ctx))).toMatchObject({
      code: 'PAYMENT_NOTHING_TO_WRITE_OFF',
      details: { planId: 'PP-1', installments: 'SO-1-1', kind: 'smallDifference' },
    });
    expect(error(writeOffDifference(w.plan, { installmentId: 'nope' }, ctx)).code).toBe('PAYMENT_INSTALLMENT_NOT_FOUND');
    // no tolerance for the currency: nothing is small enough
    expect(error(writeOffDifference(d.plans[0]!, {}, { ...ctx, policy: { zone: SH } }))).toMatchObject({ code: 'PAYMENT_WRITE_OFF_ABOVE_TOLERANCE', details: { tolerance: '0.00' } });
    expect(issuePaths(writeOffDifference(d.plans[0]!, {}, { ...ctx, policy: { zone: SH, writeOffTolerance: { CNY: '0.001' } } }))).toEqual([
      'context.policy.writeOffTolerance.CNY',
    ]);
  });

  it('bad debt writes off what is outstanding; the installments are writtenOff and owe nothing', () => {
    const { plan: p } = applyTo(so1(), '400.00'); // I1 paid, I2 100.00 paid
    const w = value(writeOffBadDebt(p, { reason: '客户破产清算' }, ctxAt('2026-09-01T10:00:00', 'cfo-lin')));
    expect(w.writtenOff.map((x) => [x.installmentId, text(x.amount)])).toEqual([['SO-1-2', '400.01'], ['SO-1-3', '200.00']]);
    expect(value(describePaymentPlan(w.plan, sh('2026-09-01T10:00:00'))).map((v) => v.state)).toEqual(['paid', 'writtenOff', 'writtenOff']);
    const r = value(receivables([w.plan], { now: sh('2026-09-01T10:00:00') }));
    expect([text(r.orders[0]!.badDebt), text(r.orders[0]!.outstanding)]).toEqual(['600.01', '0.00']);
    expect(error(writeOffBadDebt(w.plan, { reason: 'again' }, ctx))).toMatchObject({ code: 'PAYMENT_NOTHING_TO_WRITE_OFF', details: { installments: 'all', kind: 'badDebt' } });
    expect(error(writeOffBadDebt(p, { installmentIds: ['SO-1-1'], reason: 'paid already' }, ctx)).code).toBe('PAYMENT_NOTHING_TO_WRITE_OFF');
    expect(error(writeOffBadDebt(p, { installmentIds: ['SO-1-9'], reason: 'x' }, ctx)).code).toBe('PAYMENT_INSTALLMENT_NOT_FOUND');
    expect(value(writeOffBadDebt(p, { installmentIds: ['SO-1-3'], reason: '部分坏账' }, ctx)).writtenOff.map((x) => x.installmentId)).toEqual(['SO-1-3']);
    expect(issuePaths(writeOffBadDebt(p, { reason: ' ' }, ctx))).toEqual(['options.reason']);
  });
});

describe('revenue splits (业绩分成)', () => {
  const teams = [
    { id: 'mkt', recipientId: 'team-marketing', role: 'marketing', percent: 20 },
    { id: 'prj', recipientId: 'team-project', role: 'project', percent: 30 },
    { id: 'sal', recipientId: 'rep-li', role: 'sales', percent: 50 },
  ];

  it('splits a received payment exactly by percentages', () => {
    const s = value(splitRevenue(pay('P-1', '1000.01'), teams));
    expect(s.shares.map((x) => [x.id, x.role, x.percent, text(x.amount)])).toEqual([
      ['mkt', 'marketing', '20', '200.00'],
      ['prj', 'project', '30', '300.00'],
      ['sal', 'sales', '50', '500.01'],
    ]);
    // the sales half among three reps, nested
    const reps = value(
      splitRevenueAmount(s.shares[2]!.amount, [
        { id: 'li', recipientId: 'rep-li', percent: '33.34' },
        { id: 'wang', recipientId: 'rep-wang', percent: '33.33' },
        { id: 'zhao', recipientId: 'rep-zhao', percent: '33.33' },
      ]),
    );
    expect(reps.shares.map((x) => text(x.amount))).toEqual(['166.71', '166.65', '166.65']);
    expect(reps.shares.reduce((sum, x) => sum + (x.amount.minor as number), 0)).toBe(50001);
  });

  it('ties go by share id, not by listing order; the basis may be what is applied; refunds and reversals count', () => {
    const half = (ids: string[]) => value(splitRevenueAmount({ currency: 'CNY', amount: '0.01' }, ids.map((id) => ({ id, recipientId: id, percent: 50 })))).shares.map((x) => [x.id, text(x.amount)]);
    expect(half(['b', 'a'])).toEqual([['b', '0.00'], ['a', '0.01']]);
    expect(half(['a', 'b'])).toEqual([['a', '0.01'], ['b', '0.00']]);
    const d = value(allocatePayment(pay('P-1', '1200.00'), [so1()], { kind: 'oldestFirst' }, ctx)); // 1000.01 applied
    expect(text(value(splitRevenue(d.payment, teams, { basis: 'applied' })).amount)).toBe('1000.01');
    const refunded = value(refundPayment(d.payment, { amount: '100.00' }, ctx)).payment;
    expect(text(value(splitRevenue(refunded, teams)).amount)).toBe('1100.00');
    const reversed = value(reversePayment(d.payment, d.plans, { reason: '退票' }, ctx)).payment;
    expect(error(splitRevenue(reversed, teams)).code).toBe('PAYMENT_REVERSED');
    expect(error(splitRevenue(d.payment, teams.slice(0, 2)))).toMatchObject({ code: 'PAYMENT_PERCENTAGES_NOT_100', details: { of: 'split', total: '50' } });
    expect(issuePaths(splitRevenue(d.payment, [...teams, teams[0]!]))).toEqual(['shares.3.id']);
    expect(issuePaths(splitRevenue(d.payment, [{ id: 'x', recipientId: 'u', percent: 0.5 }]))).toEqual(['shares.0.percent']);
  });
});
