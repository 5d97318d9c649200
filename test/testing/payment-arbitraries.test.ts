import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../src/core/index.js';
import {
  allocatePayment,
  allocationStrategySchema,
  createPaymentPlan,
  createPaymentPlanInputSchema,
  parsePayment,
  parsePaymentPlan,
  parsePaymentPolicy,
  paymentBalance,
  planOutstanding,
  recordPayment,
  recordPaymentInputSchema,
  type AllocationStrategyInput,
  type CreatePaymentPlanInput,
  type Payment,
  type PaymentPlan,
  type PaymentPolicyInput,
  type RecordPaymentInput,
} from '../../src/payments/index.js';
import * as kit from '../../src/testing/index.js';

const runs = { numRuns: 150 };
const anything = fc.anything({ withBigInt: true, withNullPrototype: true, withDate: true, withMap: true, withSet: true, maxDepth: 2 });
const now = new Date('2026-03-02T02:00:00Z');
const ctx = { now, actorId: 'clerk-wu', policy: { zone: 'Asia/Shanghai' } };
const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
const minor = (m: { minor: number | bigint }) => Number(m.minor);
/** A stored record as a database gives it back: JSON, instants as ISO strings. */
const fromJson = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));

describe('policies', () => {
  it('a policy parses; its twin is INVALID_INPUT', () => {
    fc.assert(fc.property(kit.paymentPolicyArb(), (p) => parsePaymentPolicy(p).ok), runs);
    fc.assert(fc.property(kit.invalidPaymentPolicyArb(), (p) => codeOf(parsePaymentPolicy(p as PaymentPolicyInput)) === 'INVALID_INPUT'), { numRuns: 300 });
  });
});

describe('new plans', () => {
  it('a new plan is created under any generated policy, its installments summing exactly to its total', () => {
    fc.assert(
      fc.property(kit.createPaymentPlanInputArb(), kit.paymentPolicyArb(), (input, policy) => {
        expect(createPaymentPlanInputSchema.safeParse(input).success).toBe(true);
        const created = createPaymentPlan(input, { ...ctx, policy });
        expect(codeOf(created)).toBe('ok');
        if (!created.ok) return;
        const plan = created.value.plan;
        expect(plan.installments.reduce((s, i) => s + minor(i.amount), 0)).toBe(minor(plan.total));
        expect(plan.installments.length).toBe(input.installments.length);
      }),
      runs,
    );
  });

  it('plans come by percentages, by amounts and with a balance, due after the order, at month end and on dates', () => {
    const inputs = fc.sample(kit.createPaymentPlanInputArb(), { numRuns: 300, seed: 3 });
    const specs = inputs.flatMap((p) => p.installments);
    expect(specs.some((s) => s.percent !== undefined)).toBe(true);
    expect(specs.some((s) => s.amount !== undefined)).toBe(true);
    expect(specs.some((s) => s.balance === true)).toBe(true);
    expect(new Set(specs.map((s) => s.due.kind))).toEqual(new Set(['afterOrder', 'endOfMonth', 'date']));
  });

  it('options fix the currency and the customer', () => {
    fc.assert(
      fc.property(kit.createPaymentPlanInputArb({ currency: 'JPY', customerId: 'C-9' }), (input) => {
        const parsed = parseMoney(input.total);
        return input.customerId === 'C-9' && parsed.ok && parsed.value.currency === 'JPY';
      }),
      runs,
    );
  });

  it('a twin is refused: INVALID_INPUT, or the sum refused with its code', () => {
    const codes = new Set<string>();
    fc.assert(
      fc.property(kit.invalidCreatePaymentPlanInputArb(), (input) => {
        const code = codeOf(createPaymentPlan(input as CreatePaymentPlanInput, ctx));
        codes.add(code);
        expect(['INVALID_INPUT', 'PAYMENT_PERCENTAGES_NOT_100', 'PAYMENT_PLAN_AMOUNTS_MISMATCH']).toContain(code);
      }),
      { numRuns: 400 },
    );
    expect([...codes].sort()).toEqual(['INVALID_INPUT', 'PAYMENT_PERCENTAGES_NOT_100', 'PAYMENT_PLAN_AMOUNTS_MISMATCH']);
  });
});

describe('new payments', () => {
  it('a payment is recorded, unapplied; its twin is INVALID_INPUT', () => {
    fc.assert(
      fc.property(kit.recordPaymentInputArb(), (input) => {
        expect(recordPaymentInputSchema.safeParse(input).success).toBe(true);
        const r = recordPayment(input, ctx);
        expect(codeOf(r)).toBe('ok');
        if (r.ok) expect(paymentBalance(r.value.payment)).toMatchObject({ ok: true, value: { unapplied: r.value.payment.amount } });
      }),
      runs,
    );
    fc.assert(fc.property(kit.invalidRecordPaymentInputArb(), (input) => codeOf(recordPayment(input as RecordPaymentInput, ctx)) === 'INVALID_INPUT'), { numRuns: 300 });
  });
});

describe('stored plans and payments', () => {
  it('a plan passes its door as it is and as JSON from a database', () => {
    fc.assert(
      fc.property(kit.paymentPlanArb(), (plan) => {
        expect(codeOf(parsePaymentPlan(plan))).toBe('ok');
        expect(codeOf(parsePaymentPlan(fromJson(plan)))).toBe('ok');
        expect(codeOf(planOutstanding(plan))).toBe('ok');
      }),
      runs,
    );
  });

  it('plans are pending, partly paid and paid', () => {
    const plans = fc.sample(kit.paymentPlanArb(), { numRuns: 200, seed: 4 });
    const insts = plans.flatMap((p) => p.installments);
    expect(insts.some((i) => minor(i.paid) === 0)).toBe(true);
    expect(insts.some((i) => minor(i.paid) > 0 && minor(i.paid) < minor(i.amount))).toBe(true);
    expect(insts.some((i) => minor(i.amount) > 0 && minor(i.paid) === minor(i.amount))).toBe(true);
  });

  it('a plan twin is refused with INVALID_INPUT (a copy of a trusted plan is parsed in full)', () => {
    fc.assert(fc.property(kit.invalidPaymentPlanArb(), (plan) => codeOf(parsePaymentPlan(plan)) === 'INVALID_INPUT'), { numRuns: 300 });
  });

  it('a payment passes its door as it is and as JSON, and its balance adds up', () => {
    fc.assert(
      fc.property(kit.paymentArb(), (payment) => {
        expect(codeOf(parsePayment(payment))).toBe('ok');
        expect(codeOf(parsePayment(fromJson(payment)))).toBe('ok');
        const b = paymentBalance(payment);
        expect(b.ok).toBe(true);
        if (b.ok) expect(minor(b.value.applied) + minor(b.value.unapplied) + minor(b.value.refunded) + minor(b.value.reversed)).toBe(minor(payment.amount));
      }),
      runs,
    );
  });

  it('payments are recorded, applied, refunded, reversed, and credit notes', () => {
    const payments = fc.sample(kit.paymentArb(), { numRuns: 300, seed: 6 });
    expect(payments.some((p) => p.kind === 'payment' && p.status === 'active' && p.applications.length === 0 && p.refunds.length === 0)).toBe(true);
    expect(payments.some((p) => p.kind === 'payment' && p.applications.length > 0)).toBe(true);
    expect(payments.some((p) => p.refunds.length > 0)).toBe(true);
    expect(payments.some((p) => p.status === 'reversed')).toBe(true);
    expect(payments.some((p) => p.kind === 'creditNote' && p.applications.length > 0)).toBe(true);
  });

  it('a payment twin is refused with INVALID_INPUT', () => {
    fc.assert(fc.property(kit.invalidPaymentArb(), (p) => codeOf(parsePayment(p)) === 'INVALID_INPUT'), { numRuns: 300 });
  });
});

describe('allocation', () => {
  it('a strategy is valid for its schema; its twin is not', () => {
    fc.assert(fc.property(kit.allocationStrategyArb(), (s) => allocationStrategySchema.safeParse(s).success), runs);
    fc.assert(fc.property(kit.invalidAllocationStrategyArb(), (s) => !allocationStrategySchema.safeParse(s).success), { numRuns: 300 });
  });

  it('a strategy never makes allocatePayment answer INVALID_INPUT when its amounts are in the payment\'s currency; its twin always does', () => {
    fc.assert(
      fc.property(kit.paymentAllocationArb().filter((a) => a.payment.amount.currency === 'CNY'), kit.allocationStrategyArb(), kit.invalidAllocationStrategyArb(), (a, s, bad) => {
        expect(codeOf(allocatePayment(a.payment, a.plans, s, a.context))).not.toBe('INVALID_INPUT');
        expect(codeOf(allocatePayment(a.payment, a.plans, bad as AllocationStrategyInput, a.context))).toBe('INVALID_INPUT');
      }),
      { numRuns: 60 },
    );
  });

  it('a generated payment applies to its customer\'s plans in its currency: never beyond what each installment owes or the payment has', () => {
    fc.assert(
      fc.property(kit.paymentAllocationArb(), (a) => {
        const r = allocatePayment(a.payment, a.plans, a.strategy, a.context);
        expect(codeOf(r)).toBe('ok');
        if (!r.ok) return;
        const applied = r.value.applications.reduce((s, x) => s + minor(x.amount), 0);
        expect(applied).toBeGreaterThan(0);
        expect(applied + minor(r.value.unapplied)).toBe(minor(a.payment.amount));
        for (const plan of r.value.plans) for (const i of plan.installments) expect(minor(i.paid) + minor(i.credited)).toBeLessThanOrEqual(minor(i.amount));
        expect(a.plans.every((p) => p.customerId === a.payment.customerId && p.currency === a.payment.amount.currency)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('every strategy kind is generated, some capped', () => {
    const cases = fc.sample(kit.paymentAllocationArb(), { numRuns: 200, seed: 8 });
    expect(new Set(cases.map((a) => a.strategy.kind))).toEqual(new Set(['oldestFirst', 'proportional', 'installmentOrder', 'explicit']));
    expect(cases.some((a) => 'amount' in a.strategy && a.strategy.amount !== undefined)).toBe(true);
    expect(cases.some((a) => a.plans.length > 1)).toBe(true);
  });

  it('an allocation twin is refused with the documented code, and every code is reached', () => {
    const expected = [
      'INVALID_INPUT',
      'PAYMENT_CURRENCY_MISMATCH',
      'PAYMENT_CUSTOMER_MISMATCH',
      'PAYMENT_EXCEEDS_UNAPPLIED',
      'PAYMENT_INSTALLMENT_NOT_FOUND',
      'PAYMENT_OVER_ALLOCATED',
    ];
    const codes = new Set<string>();
    fc.assert(
      fc.property(kit.invalidPaymentAllocationArb(), (a) => {
        const code = codeOf(allocatePayment(a.payment as Payment, a.plans as PaymentPlan[], a.strategy as AllocationStrategyInput, a.context));
        codes.add(code);
        expect(expected).toContain(code);
      }),
      { numRuns: 200 },
    );
    expect([...codes].sort()).toEqual(expected);
  });
});

describe('the payments builders accept anything as options: an unusable option is ignored and the default applies', () => {
  it('property: no builder throws, and what it builds is valid', () => {
    fc.assert(
      fc.property(anything, (options) => {
        expect(fc.sample(kit.createPaymentPlanInputArb(options as never), 2).every((p) => createPaymentPlan(p, ctx).ok)).toBe(true);
        expect(fc.sample(kit.recordPaymentInputArb(options as never), 2).every((p) => recordPayment(p, ctx).ok)).toBe(true);
        expect(fc.sample(kit.paymentPlanArb(options as never), 1).every((p) => parsePaymentPlan(p).ok)).toBe(true);
        expect(fc.sample(kit.paymentArb(options as never), 1).every((p) => parsePayment(p).ok)).toBe(true);
      }),
      { numRuns: 100 },
    );
    const fixed = fc.sample(kit.paymentArb({ currency: 'HKD', customerId: 'C-1' }), 20);
    expect(fixed.every((p) => p.amount.currency === 'HKD' && p.customerId === 'C-1')).toBe(true);
  });
});
