import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../src/core/index.js';
import {
  createPaymentPlan,
  describePaymentPlan,
  installmentDueDate,
  installmentState,
  parsePaymentPlan,
  planOutstanding,
  type CreatePaymentPlanInput,
  type PaymentContext,
  type PaymentPlan,
} from '../../src/payments/index.js';
import { error, issuePaths, value } from '../support.js';

const SH = 'Asia/Shanghai';
const sh = (local: string) => new Date(`${local}+08:00`);
const ctx: PaymentContext = { now: sh('2026-03-02T10:00:00'), actorId: 'clerk-wu', policy: { zone: SH } };
const amounts = (plan: PaymentPlan) => plan.installments.map((i) => formatMoney(i.amount));
const text = (m: Money) => formatMoney(m);

/** 纷享销客's 30-50-20: an order of 1000.01 paid in three installments. */
const order3050 = (extra: Partial<CreatePaymentPlanInput> = {}): CreatePaymentPlanInput => ({
  id: 'PP-1',
  orderId: 'SO-1',
  customerId: 'C-1',
  ownerId: 'rep-li',
  orderDate: sh('2026-03-02T10:00:00'),
  total: { currency: 'CNY', amount: '1000.01' },
  installments: [
    { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } },
    { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 30 } },
    { id: 'I3', percent: 20, due: { kind: 'endOfMonth', months: 2 } },
  ],
  ...extra,
});

describe('payment plans (回款计划)', () => {
  it('1000.01 split 30-50-20 by largest remainder: 300.00 / 500.01 / 200.00, summing exactly', () => {
    const { plan, events } = value(createPaymentPlan(order3050(), ctx));
    expect(amounts(plan)).toEqual(['300.00', '500.01', '200.00']);
    expect(plan.installments.reduce((s, i) => s + (i.amount.minor as number), 0)).toBe(100001);
    expect(plan).toMatchObject({ version: 1, currency: 'CNY', zone: SH, orderId: 'SO-1', customerId: 'C-1', ownerId: 'rep-li', createdBy: 'clerk-wu' });
    expect(plan.installments.map((i) => i.dueDate)).toEqual(['2026-03-02', '2026-04-01', '2026-05-31']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'paymentPlan.created', version: 1, subject: { kind: 'paymentPlan', id: 'PP-1' }, actorId: 'clerk-wu' });
    expect(Object.isFrozen(plan) && Object.isFrozen(plan.installments) && Object.isFrozen(plan.installments[0])).toBe(true);
  });

  it('the last installment as the balance is a policy choice: each other part rounded, the last the rest', () => {
    const down = { ...ctx, policy: { zone: SH, planAmounts: 'lastIsBalance' as const, rounding: 'down' as const } };
    expect(amounts(value(createPaymentPlan(order3050(), down)).plan)).toEqual(['300.00', '500.00', '200.01']);
    // 10.00 at 33.335 / 33.335 / 33.33: largest remainder gives the cent to the first, the balance policy to the last
    const thirds = order3050({
      total: { currency: 'CNY', amount: '10.00' },
      installments: [
        { id: 'a', percent: '33.335', due: { kind: 'afterOrder', days: 0 } },
        { id: 'b', percent: '33.335', due: { kind: 'afterOrder', days: 30 } },
        { id: 'c', percent: '33.33', due: { kind: 'afterOrder', days: 60 } },
      ],
    });
    expect(amounts(value(createPaymentPlan(thirds, ctx)).plan)).toEqual(['3.34', '3.33', '3.33']);
    expect(amounts(value(createPaymentPlan(thirds, { ...ctx, policy: { zone: SH, planAmounts: 'lastIsBalance' } })).plan)).toEqual(['3.33', '3.33', '3.34']);
  });

  it('the balance policy refuses a plan whose rounded parts overshoot a tiny total', () => {
    const tiny = order3050({
      total: { currency: 'CNY', amount: '0.03' },
      installments: [17, 17, 17, 17, 17, 15].map((percent, i) => ({ id: `I${i}`, percent, due: { kind: 'afterOrder' as const, days: i } })),
    });
    expect(error(createPaymentPlan(tiny, { ...ctx, policy: { zone: SH, planAmounts: 'lastIsBalance' } }))).toMatchObject({
      code: 'PAYMENT_PLAN_AMOUNTS_MISMATCH',
      details: { total: '0.03', sum: '0.05', currency: 'CNY' },
    });
    expect(amounts(value(createPaymentPlan(tiny, ctx)).plan)).toEqual(['0.01', '0.01', '0.01', '0.00', '0.00', '0.00']);
  });

  it('fixed amounts must sum to the total; the last may be the balance', () => {
    const fixed = (specs: CreatePaymentPlanInput['installments']) => createPaymentPlan(order3050({ installments: specs }), ctx);
    const due = { kind: 'afterOrder' as const, days: 10 };
    expect(amounts(value(fixed([{ id: 'd', amount: '100.01', due }, { id: 'r', amount: '900', due }])).plan)).toEqual(['100.01', '900.00']);
    expect(amounts(value(fixed([{ id: 'd', amount: '300', due }, { id: 'r', balance: true, due }])).plan)).toEqual(['300.00', '700.01']);
    const short = error(fixed([{ id: 'd', amount: '300', due }, { id: 'r', amount: '500', due }]));
    expect(short).toMatchObject({ code: 'PAYMENT_PLAN_AMOUNTS_MISMATCH', details: { total: '1000.01', sum: '800.00', currency: 'CNY' } });
    expect(error(fixed([{ id: 'd', amount: '1000.01', due }, { id: 'r', balance: true, due }])).code).toBe('PAYMENT_PLAN_AMOUNTS_MISMATCH');
    expect(issuePaths(fixed([{ id: 'd', balance: true, due }, { id: 'r', amount: '1000.01', due }]))).toEqual(['input.installments.0.balance']);
    expect(issuePaths(fixed([{ id: 'd', amount: '300', due }, { id: 'r', percent: 70, due }]))).toEqual(['input.installments.1.percent']);
    expect(issuePaths(fixed([{ id: 'd', amount: '300.001', due }, { id: 'r', balance: true, due }]))).toEqual(['input.installments.0.amount']);
  });

  it('percentages must sum to exactly 100', () => {
    const r = createPaymentPlan(
      order3050({
        installments: [
          { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } },
          { id: 'I2', percent: '50.5', due: { kind: 'afterOrder', days: 30 } },
          { id: 'I3', percent: 20, due: { kind: 'afterOrder', days: 60 } },
        ],
      }),
      ctx,
    );
    expect(error(r)).toMatchObject({ code: 'PAYMENT_PERCENTAGES_NOT_100', details: { of: 'plan', total: '100.5' } });
  });

  it('due dates are calendar days in the tenant zone: relative to the order day there, end of month + N, absolute', () => {
    // 00:30 on 2 March in Shanghai is still 1 March in UTC: the order's day is the 2nd
    const orderDate = sh('2026-03-02T00:30:00');
    expect(value(installmentDueDate(orderDate, { kind: 'afterOrder', days: 0 }, SH)).dueDate).toBe('2026-03-02');
    expect(value(installmentDueDate(orderDate, { kind: 'afterOrder', days: 0 }, 'UTC')).dueDate).toBe('2026-03-01');
    // 月结30天: the end of January plus 30 days
    expect(value(installmentDueDate(sh('2026-01-20T10:00:00'), { kind: 'endOfMonth', days: 30 }, SH))).toEqual({
      dueDate: '2026-03-02',
      dueAt: sh('2026-03-02T00:00:00'),
      overdueAt: sh('2026-03-03T00:00:00'),
    });
    expect(value(installmentDueDate(sh('2026-01-31T10:00:00'), { kind: 'endOfMonth', months: 1 }, SH)).dueDate).toBe('2026-02-28');
    expect(value(installmentDueDate(sh('2028-01-31T10:00:00'), { kind: 'endOfMonth', months: 1 }, SH)).dueDate).toBe('2028-02-29');
    expect(value(installmentDueDate(orderDate, { kind: 'date', date: '2026-06-30' }, SH)).dueDate).toBe('2026-06-30');
    // an instant is read as its calendar day in the zone
    expect(value(installmentDueDate(orderDate, { kind: 'date', date: new Date('2026-06-30T20:00:00Z') }, SH)).dueDate).toBe('2026-07-01');
    expect(issuePaths(installmentDueDate(orderDate, { kind: 'date', date: '2026-02-30' }, SH))).toEqual(['rule.date']);
    expect(issuePaths(installmentDueDate(orderDate, { kind: 'afterOrder', days: 1 }, 'Mars/Olympus'))).toEqual(['zone']);
  });

  it('a due day across a DST change is still one calendar day (23 hours in New York on 8 March 2026)', () => {
    const d = value(installmentDueDate('2026-03-01T12:00:00-05:00', { kind: 'date', date: '2026-03-08' }, 'America/New_York'));
    expect(d.dueAt.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(d.overdueAt.toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('an installment turns overdue exactly at midnight in Asia/Shanghai, the first instant of the day after its due date', () => {
    const { plan } = value(createPaymentPlan(order3050(), ctx));
    const i2 = plan.installments[1]!; // due 2026-04-01
    expect(i2.overdueAt.toISOString()).toBe('2026-04-01T16:00:00.000Z');
    expect(value(installmentState(i2, '2026-04-01T23:59:59.999+08:00'))).toBe('pending');
    expect(value(installmentState(i2, '2026-04-02T00:00:00.000+08:00'))).toBe('overdue');
    expect(value(installmentState(i2, new Date('2026-04-01T15:59:59.999Z')))).toBe('pending');
    expect(value(installmentState(i2, new Date('2026-04-01T16:00:00.000Z')))).toBe('overdue');
    const views = value(describePaymentPlan(plan, new Date('2026-04-01T16:00:00.000Z')));
    expect(views.map((v) => [v.installmentId, v.state, v.daysPastDue, v.agingBucket])).toEqual([
      ['I1', 'overdue', 31, '31-60'],
      ['I2', 'overdue', 1, '0-30'],
      ['I3', 'pending', -59, 'notDue'],
    ]);
  });

  it('a stored plan read back from JSON is the same plan; a tampered one is refused with paths', () => {
    const { plan } = value(createPaymentPlan(order3050(), ctx));
    const json = JSON.parse(JSON.stringify(plan));
    expect(value(parsePaymentPlan(json))).toEqual(plan);
    expect(text(value(planOutstanding(json)))).toBe('1000.01');
    const shifted = structuredClone(json);
    shifted.installments[0].dueAt = '2026-03-02T00:00:00Z';
    expect(issuePaths(parsePaymentPlan(shifted))).toEqual(['plan.installments.0.dueAt']);
    const overpaid = structuredClone(json);
    overpaid.installments[2].paid = { currency: 'CNY', amount: '200.01' };
    expect(issuePaths(parsePaymentPlan(overpaid))).toEqual(['plan.installments.2']);
    const wrongTotal = structuredClone(json);
    wrongTotal.total = { currency: 'CNY', amount: '1000.00' };
    expect(issuePaths(parsePaymentPlan(wrongTotal))).toEqual(['plan.total']);
    const dollars = structuredClone(json);
    dollars.installments[1].amount = { currency: 'USD', amount: '500.01' };
    expect(issuePaths(parsePaymentPlan(dollars))).toContain('plan.installments.1.amount.currency');
  });

  it('bad input is INVALID_INPUT with paths, never a throw, and the input is not touched', () => {
    const input = order3050();
    const frozen = structuredClone(input);
    deepFreeze(input);
    value(createPaymentPlan(input, ctx));
    expect(input).toEqual(frozen);
    expect(issuePaths(createPaymentPlan(order3050({ total: { currency: 'JPY', amount: '12.5' } }), ctx))).toEqual(['input.total.amount']);
    expect(issuePaths(createPaymentPlan(order3050({ installments: [{ id: 'I1', percent: 33.3, due: { kind: 'afterOrder', days: 0 } }] }), ctx))).toEqual([
      'input.installments.0.percent',
    ]);
    const twice = order3050();
    expect(issuePaths(createPaymentPlan({ ...twice, installments: [twice.installments[0]!, twice.installments[0]!] }, ctx))).toEqual(['input.installments.1.id']);
    expect(issuePaths(createPaymentPlan(order3050(), { now: ctx.now, actorId: 'clerk-wu' }))).toEqual(['context.policy']);
    expect(issuePaths(createPaymentPlan(order3050(), { ...ctx, policy: { zone: 'Asia/Nowhere' } }))).toEqual(['context.policy.zone']);
    expect(issuePaths(createPaymentPlan(order3050(), { ...ctx, now: 'yesterday' }))).toEqual(['context.now']);
    expect(error(createPaymentPlan(null as never, ctx)).code).toBe('INVALID_INPUT');
    expect(error(createPaymentPlan(order3050(), null as never)).code).toBe('INVALID_INPUT');
    expect(issuePaths(createPaymentPlan(order3050({ total: { currency: 'CNY', amount: '0' } }), ctx))).toEqual(['input.total']);
  });
});

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !(x instanceof Date)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

describe('due dates at the edges of the calendar', () => {
  it('a due date past 9999 is refused, not stored', () => {
    const far = createPaymentPlan(
      {
        id: 'PP-far',
        orderId: 'SO-far',
        customerId: 'C-1',
        orderDate: '9999-12-01T00:00:00Z',
        total: { currency: 'CNY', amount: '1.00' },
        installments: [{ id: 'I1', percent: 100, due: { kind: 'afterOrder', days: 60 } }],
      },
      { now: new Date('2026-01-01T00:00:00Z'), actorId: 'u', policy: { zone: 'UTC' } },
    );
    expect(issuePaths(far)).toEqual(['input.installments.0.due']);
  });
});
