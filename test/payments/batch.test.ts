import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocatePayment,
  allocatePayments,
  allocatePaymentsColumnar,
  createPaymentPlan,
  issueCreditNote,
  parsePayment,
  parsePaymentPlan,
  recordPayment,
  reversePayment,
  type AllocationBatch,
  type AllocationColumns,
  type AllocationStrategyInput,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
} from '../../src/payments/index.js';
import { error, issuePaths, value } from '../support.js';
import { DAY, T0, minor, n, outstandingOf } from './amounts.js';

const ctxOf = (zone = 'Asia/Shanghai', at = T0 + 20 * DAY): PaymentContext => ({ now: new Date(at), actorId: 'system:nightly', policy: { zone } });

function planOf(id: string, orderId: string, customerId: string, parts: readonly { amount: number; days: number }[], orderDay = 0, currency = 'CNY', zone = 'Asia/Shanghai'): PaymentPlan {
  return value(
    createPaymentPlan(
      {
        id,
        orderId,
        customerId,
        orderDate: new Date(T0 + orderDay * DAY),
        total: { currency, amount: minor(parts.reduce((s, p) => s + p.amount, 0)) },
        installments: parts.map((p, i) => ({ id: `${id}-${i + 1}`, amount: minor(p.amount), due: { kind: 'afterOrder' as const, days: p.days } })),
      },
      ctxOf(zone, T0),
    ),
  ).plan;
}

function paymentOf(id: string, customerId: string, amount: number, day: number, orderId: string | null = null, currency = 'CNY'): Payment {
  return value(
    recordPayment(
      { id, customerId, orderId, amount: { currency, amount: minor(amount) }, receivedAt: new Date(T0 + day * DAY), method: 'bankTransfer' },
      ctxOf('UTC', T0 + day * DAY),
    ),
  ).payment;
}

/** The columns as rows of ids, as `allocatePayments` names them. */
function rowsOf(c: AllocationColumns, payments: readonly Payment[], plans: readonly PaymentPlan[]): [string, number, string, string, number][] {
  return c.amount.map((amount, k) => {
    const plan = plans[c.plan[k]!]!;
    return [payments[c.payment[k]!]!.id, c.seq[k]!, plan.id, plan.installments[c.installment[k]!]!.id, amount];
  });
}

function rowsOfBatch(b: AllocationBatch): [string, number, string, string, number][] {
  return b.allocations.flatMap((a) => a.applications.map((x): [string, number, string, string, number] => [x.paymentId, x.seq, x.planId, x.installmentId, n(x.amount)]));
}

/** The columnar batch says exactly what the object batch says. */
function expectSame(c: AllocationColumns, b: AllocationBatch, payments: readonly Payment[], plans: readonly PaymentPlan[]): void {
  expect(rowsOf(c, payments, plans)).toEqual(rowsOfBatch(b));
  const byId = new Map(b.allocations.map((a) => [a.paymentId, a]));
  const skipped = new Set(b.skipped.map((s) => s.paymentId));
  payments.forEach((p, i) => {
    const a = byId.get(p.id);
    expect(c.applied[i]).toBe(a === undefined ? 0 : n(a.applied));
    if (a !== undefined) expect(c.unapplied[i]).toBe(n(a.unapplied));
    else expect(skipped.has(p.id)).toBe(true);
  });
  expect(c.skipped.map((s) => [s.paymentId, s.reason.code, s.reason.details])).toEqual(b.skipped.map((s) => [s.paymentId, s.reason.code, s.reason.details]));
}

describe('allocatePaymentsColumnar: the nightly batch as columns', () => {
  const a = planOf('PP-A', 'SO-A', 'C-1', [{ amount: 30_000, days: 0 }, { amount: 70_000, days: 30 }]);
  const b = planOf('PP-B', 'SO-B', 'C-1', [{ amount: 30_000, days: 5 }, { amount: 30_000, days: 45 }], 15);
  const z = planOf('PP-Z', 'SO-Z', 'C-2', [{ amount: 5_000, days: 15 }], 15);
  const plans = [a, b, z];

  it('gives the same applications as allocatePayments, indexed by the lists given', () => {
    const p1 = paymentOf('P-1', 'C-1', 40_000, 6, 'SO-B');
    const p2 = paymentOf('P-2', 'C-1', 40_000, 5, 'SO-A');
    const p3 = paymentOf('P-3', 'C-3', 1_000, 5);
    const p4 = paymentOf('P-4', 'C-2', 7_000, 7);
    const payments = [p1, p2, p3, p4];
    const c = value(allocatePaymentsColumnar(payments, plans, { kind: 'oldestFirst' }, ctxOf()));
    // P-2 was received first: SO-A's first installment, then SO-B's; P-1 the rest of SO-B's first, then SO-A's second
    expect(rowsOf(c, payments, plans)).toEqual([
      ['P-2', 1, 'PP-A', 'PP-A-1', 30_000],
      ['P-2', 2, 'PP-B', 'PP-B-1', 10_000],
      ['P-1', 1, 'PP-B', 'PP-B-1', 20_000],
      ['P-1', 2, 'PP-A', 'PP-A-2', 20_000],
      ['P-4', 1, 'PP-Z', 'PP-Z-1', 5_000],
    ]);
    expect(c.payment).toEqual([1, 1, 0, 0, 3]);
    expect(c.plan).toEqual([0, 1, 1, 0, 2]);
    expect(c.installment).toEqual([0, 0, 0, 1, 0]);
    // per payment as given: P-1, P-2, P-3 (skipped: C-3 owes nothing), P-4 (20.00 left as credit)
    expect(c.applied).toEqual([40_000, 40_000, 0, 5_000]);
    expect(c.unapplied).toEqual([0, 0, 1_000, 2_000]);
    expect(c.skipped.map((s) => [s.paymentId, s.reason.code])).toEqual([['P-3', 'PAYMENT_NOTHING_OUTSTANDING']]);
    expectSame(c, value(allocatePayments(payments, plans, { kind: 'oldestFirst' }, ctxOf())), payments, plans);

    const perOrder = value(allocatePaymentsColumnar(payments, plans, { kind: 'installmentOrder' }, ctxOf()));
    expect(rowsOf(perOrder, payments, plans)).toEqual([
      ['P-2', 1, 'PP-A', 'PP-A-1', 30_000],
      ['P-2', 2, 'PP-A', 'PP-A-2', 10_000],
      ['P-1', 1, 'PP-B', 'PP-B-1', 30_000],
      ['P-1', 2, 'PP-B', 'PP-B-2', 10_000],
    ]);
    expect(perOrder.skipped.map((s) => [s.paymentId, s.reason.code])).toEqual([
      ['P-3', 'PAYMENT_ORDER_REQUIRED'],
      ['P-4', 'PAYMENT_ORDER_REQUIRED'],
    ]);
    expectSame(perOrder, value(allocatePayments(payments, plans, { kind: 'installmentOrder' }, ctxOf())), payments, plans);
  });

  it('reports what a skipped payment still has: nothing once reversed, all of it when nothing is owed', () => {
    const reversed = value(reversePayment(paymentOf('P-R', 'C-1', 10_000, 1), [], { reason: '退票' }, ctxOf())).payment;
    const paid = value(allocatePayment(paymentOf('P-F', 'C-1', 30_000, 1), [a], { kind: 'oldestFirst' }, ctxOf())).payment;
    const loose = paymentOf('P-L', 'C-9', 2_500, 1);
    const c = value(allocatePaymentsColumnar([reversed, paid, loose], plans, { kind: 'proportional' }, ctxOf()));
    expect(c.amount).toEqual([]);
    expect(c.applied).toEqual([0, 0, 0]);
    expect(c.unapplied).toEqual([0, 0, 2_500]);
    expect(c.skipped.map((s) => [s.paymentId, s.reason.code])).toEqual([
      ['P-F', 'PAYMENT_NOTHING_TO_APPLY'],
      ['P-L', 'PAYMENT_NOTHING_OUTSTANDING'],
      ['P-R', 'PAYMENT_REVERSED'],
    ]);
    // every skip is a frozen value, in the columns and in the object batch alike
    const b = value(allocatePayments([reversed, paid, loose], plans, { kind: 'proportional' }, ctxOf()));
    expect([...c.skipped, ...b.skipped].every((s) => Object.isFrozen(s))).toBe(true);
  });

  it('is frozen, and refuses what allocatePayments refuses, at the same paths', () => {
    const p = paymentOf('P-1', 'C-1', 1_000, 1);
    const c = value(allocatePaymentsColumnar([p], plans, { kind: 'oldestFirst' }, ctxOf()));
    expect(Object.isFrozen(c)).toBe(true);
    for (const column of Object.values(c)) expect(Object.isFrozen(column)).toBe(true);
    const cases: [unknown, unknown, unknown, unknown][] = [
      [[p, p], plans, { kind: 'oldestFirst' }, ctxOf()],
      [[p], [a, a], { kind: 'oldestFirst' }, ctxOf()],
      [[p], plans, { kind: 'oldestFirst', amount: '1.00' }, ctxOf()],
      [[p], plans, { kind: 'explicit', applications: [{ planId: 'PP-A', installmentId: 'PP-A-1', amount: '1' }] }, ctxOf()],
      [[{ ...p, lastSeq: -1 }], plans, { kind: 'oldestFirst' }, ctxOf()],
      [[p], plans, { kind: 'oldestFirst' }, { now: 'yesterday', actorId: 'u' }],
      [null, plans, { kind: 'oldestFirst' }, ctxOf()],
    ];
    for (const [ps, pls, st, ctx] of cases) {
      const lean = allocatePaymentsColumnar(ps as never, pls as never, st as never, ctx as never);
      const full = allocatePayments(ps as never, pls as never, st as never, ctx as never);
      expect(error(lean).code).toBe('INVALID_INPUT');
      expect(issuePaths(lean)).toEqual(issuePaths(full));
    }
    expect(issuePaths(allocatePaymentsColumnar([p, p], plans, { kind: 'oldestFirst' }, ctxOf()))).toEqual(['payments.1.id']);
  });
});

describe('trusted records', () => {
  it('what the library built passes its parsers as it is; a copy is parsed in full and its brand is nowhere to be seen', () => {
    const plan = planOf('PP-1', 'SO-1', 'C-1', [{ amount: 10_000, days: 0 }]);
    const pay = paymentOf('P-1', 'C-1', 10_000, 1);
    expect(value(parsePaymentPlan(plan))).toBe(plan);
    expect(value(parsePayment(pay))).toBe(pay);
    // the brand is not a property: keys, symbols, JSON and equality see only the fields
    expect(Object.getOwnPropertySymbols(plan)).toEqual([]);
    expect(Object.getOwnPropertyNames(pay)).toEqual(Object.keys(pay));
    expect(JSON.parse(JSON.stringify(plan))).toEqual(JSON.parse(JSON.stringify({ ...plan })));
    // a copy is not trusted: an inconsistent one is refused, a consistent one is a new (parsed) object
    expect(issuePaths(parsePaymentPlan({ ...plan, total: { currency: 'CNY', minor: 1 } }))).toEqual(['plan.total']);
    expect(issuePaths(parsePayment({ ...pay, lastSeq: -1 }))).toEqual(['payment.lastSeq']);
    const copy = { ...pay };
    expect(value(parsePayment(copy))).not.toBe(copy);
    expect(value(parsePayment(structuredClone(pay)))).toEqual(pay);
  });
});

/* ------------------------------------------------------------------------ properties */

const ZONES = ['Asia/Shanghai', 'America/New_York', 'UTC'] as const;

const partsArb = fc.array(fc.record({ amount: fc.integer({ min: 1, max: 2_000_000 }), days: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 4 });

// few customers, orders, days and currencies, so shared order ids, mixed currencies and ties are common
const batchArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  plans: fc.array(
    fc.record({ order: fc.nat(3), customer: fc.nat(2), currency: fc.constantFrom('CNY', 'CNY', 'CNY', 'USD'), orderDay: fc.nat(10), parts: partsArb }),
    { minLength: 1, maxLength: 6 },
  ),
  prior: fc.option(fc.integer({ min: 1, max: 3_000_000 }), { nil: null }),
  payments: fc.array(
    fc.record({
      amount: fc.integer({ min: 1, max: 4_000_000 }),
      customer: fc.nat(2),
      currency: fc.constantFrom('CNY', 'CNY', 'CNY', 'USD'),
      day: fc.nat(3),
      order: fc.option(fc.nat(4), { nil: null }),
      as: fc.constantFrom('payment', 'payment', 'payment', 'creditNote', 'reversed'),
    }),
    { minLength: 1, maxLength: 8 },
  ),
  strategy: fc.oneof(
    fc.record({ kind: fc.constantFrom('oldestFirst' as const, 'proportional' as const), excludeOrderIds: fc.subarray(['SO-0', 'SO-1', 'SO-2', 'SO-3']) }),
    fc.record({ kind: fc.constant('installmentOrder' as const), orderId: fc.option(fc.constantFrom('SO-0', 'SO-1', 'SO-9'), { nil: undefined }) }).map((s) =>
      s.orderId === undefined ? { kind: s.kind } : s,
    ),
  ),
});
type BatchWorld = typeof batchArb extends fc.Arbitrary<infer W> ? W : never;

function worldOf(w: BatchWorld): { plans: PaymentPlan[]; payments: Payment[]; strategy: AllocationStrategyInput } {
  let plans = w.plans.map((p, k) => planOf(`PP-${k}`, `SO-${p.order}`, `C-${p.customer}`, p.parts, p.orderDay, p.currency, w.zone));
  if (w.prior !== null) {
    // an earlier payment of customer C-0 leaves some of its plans partly paid
    const r = allocatePayments([paymentOf('PRE', 'C-0', w.prior, 0)], plans, { kind: 'oldestFirst' }, ctxOf(w.zone));
    if (r.ok) plans = plans.map((p) => r.value.plans.find((q) => q.id === p.id) ?? p);
  }
  const payments = w.payments.map((s, k) => {
    const id = `P-${k}`;
    const customerId = `C-${s.customer}`;
    const orderId = s.order === null ? null : `SO-${s.order}`;
    if (s.as === 'creditNote') {
      // a credit note issued with no plan at hand: all of it is the customer's credit
      return value(
        issueCreditNote(
          { id, customerId, orderId: orderId ?? 'SO-X', amount: { currency: s.currency, amount: minor(s.amount) }, issuedAt: new Date(T0 + s.day * DAY) },
          null,
          ctxOf('UTC', T0 + s.day * DAY),
        ),
      ).payment;
    }
    const p = paymentOf(id, customerId, s.amount, s.day, orderId, s.currency);
    return s.as === 'reversed' ? value(reversePayment(p, [], { reason: '退票' }, ctxOf())).payment : p;
  });
  return { plans, payments, strategy: w.strategy as AllocationStrategyInput };
}

describe('properties of batches', () => {
  it('the columnar batch agrees with the object batch; every payment keeps applied + unapplied = what it had; no installment takes more than it owed', () => {
    fc.assert(
      fc.property(batchArb, (w) => {
        const { plans, payments, strategy } = worldOf(w);
        const ctx = ctxOf(w.zone);
        const b = value(allocatePayments(payments, plans, strategy, ctx));
        const c = value(allocatePaymentsColumnar(payments, plans, strategy, ctx));
        expectSame(c, b, payments, plans);
        // money kept: what each payment had unapplied = applied now + unapplied after
        payments.forEach((p, i) => {
          const had = p.status === 'reversed' ? 0 : n(p.amount) - p.applications.reduce((s, a) => s + n(a.amount), 0);
          expect(c.applied[i]! + c.unapplied[i]!).toBe(had);
          expect(c.applied[i]).toBe(c.amount.filter((_, k) => c.payment[k] === i).reduce((s, x) => s + x, 0));
        });
        // never beyond what an installment owed, never a zero or negative application, only the payer's plans in its currency
        const taken = new Map<string, number>();
        c.amount.forEach((amount, k) => {
          expect(amount).toBeGreaterThan(0);
          const plan = plans[c.plan[k]!]!;
          const pay = payments[c.payment[k]!]!;
          expect([plan.customerId, plan.currency]).toEqual([pay.customerId, pay.amount.currency]);
          const key = `${c.plan[k]}/${c.installment[k]}`;
          taken.set(key, (taken.get(key) ?? 0) + amount);
        });
        for (const [key, sum] of taken) {
          const [p, i] = key.split('/').map(Number) as [number, number];
          expect(sum).toBeLessThanOrEqual(outstandingOf(plans[p]!.installments[i]!));
        }
        // the next plans carry exactly the columns' amounts, as paid or credited
        for (const next of b.plans) {
          const k = plans.findIndex((p) => p.id === next.id);
          next.installments.forEach((inst, i) => {
            const before = plans[k]!.installments[i]!;
            let paid = 0;
            let credited = 0;
            c.amount.forEach((amount, r) => {
              if (c.plan[r] !== k || c.installment[r] !== i) return;
              if (payments[c.payment[r]!]!.kind === 'payment') paid += amount;
              else credited += amount;
            });
            expect([n(inst.paid) - n(before.paid), n(inst.credited) - n(before.credited)]).toEqual([paid, credited]);
          });
          expect(next.version).toBe(plans[k]!.version + 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a batch applies what one allocatePayment call per payment would, oldest received first, over the running plans', () => {
    fc.assert(
      fc.property(batchArb, (w) => {
        const { plans, payments, strategy } = worldOf(w);
        const ctx = ctxOf(w.zone);
        const b = value(allocatePayments(payments, plans, strategy, ctx));
        // one call at a time, each with the plans of the payer in its currency as they stand
        let current = plans;
        const rows: [string, number, string, string, number][] = [];
        const skipped: [string, string][] = [];
        const order = [...payments].sort((x, y) => x.receivedAt.getTime() - y.receivedAt.getTime() || (x.id < y.id ? -1 : 1));
        for (const pay of order) {
          const own = current.filter((p) => p.customerId === pay.customerId && p.currency === pay.amount.currency);
          const one: AllocationStrategyInput =
            strategy.kind === 'installmentOrder' ? { kind: 'installmentOrder', orderId: strategy.orderId ?? pay.orderId ?? undefined } : strategy;
          const r = allocatePayment(pay, own, one, ctx);
          if (!r.ok) {
            skipped.push([pay.id, r.error.code]);
            continue;
          }
          for (const a of r.value.applications) rows.push([a.paymentId, a.seq, a.planId, a.installmentId, n(a.amount)]);
          current = current.map((p) => r.value.plans.find((q) => q.id === p.id) ?? p);
        }
        expect(rowsOfBatch(b)).toEqual(rows);
        expect(b.skipped.map((s) => [s.paymentId, s.reason.code])).toEqual(skipped);
        const after = plans.map((p) => b.plans.find((q) => q.id === p.id) ?? p);
        expect(after.map((p) => p.installments.map((i) => [n(i.paid), n(i.credited)]))).toEqual(current.map((p) => p.installments.map((i) => [n(i.paid), n(i.credited)])));
      }),
      { numRuns: 300 },
    );
  });
});
