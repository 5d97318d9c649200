/**
 * Trust at the boundary, in receivables practice: a corrupt stored row is refused, not a crash;
 * an amount past 2^53 is refused at the door; the ledger checks types before order; what the
 * rules return is frozen all the way down and a `Date` moved inside a trusted record is
 * re-validated, never accepted as it is; the caller's objects are never changed or frozen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateLedger,
  allocatePayment,
  allocatePayments,
  allocatePaymentsColumnar,
  createPaymentPlan,
  describePaymentPlan,
  installmentDueDate,
  issueCreditNote,
  parsePayment,
  parsePaymentPlan,
  paymentBalance,
  paymentReminders,
  planOutstanding,
  receivables,
  recordAndApplyPayment,
  recordPayment,
  refundPayment,
  reversePayment,
  unapplyPayment,
  writeOffBadDebt,
  writeOffDifference,
  type Payment,
  type PaymentPlan,
} from '../../src/payments/index.js';
import type { Result } from '../../src/core/index.js';
import { error, issuePaths, value } from '../support.js';
import { outstandingOf, minor } from './amounts.js';
import { NOW, ZONE, ctx, paymentInput, planInput, timeOf, world } from './hostile.js';

const json = <T>(x: T) => JSON.parse(JSON.stringify(x)) as Record<string, any>;

/** Every object and Date reachable from a value (own data properties). */
function reachable(root: unknown): { objects: object[]; dates: Date[] } {
  const objects: object[] = [];
  const dates: Date[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown) => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (timeOf(v) !== undefined) {
      dates.push(v as Date);
      return;
    }
    objects.push(v);
    for (const k of Reflect.ownKeys(v)) walk((v as Record<PropertyKey, unknown>)[k]);
  };
  walk(root);
  return { objects, dates };
}

/** Every door that reads a stored plan, called over `plan` (with what else it needs, valid). */
function planDoors(plan: unknown): Record<string, () => Result<unknown>> {
  const w = world();
  const c = ctx();
  return {
    parsePaymentPlan: () => parsePaymentPlan(plan),
    planOutstanding: () => planOutstanding(plan as PaymentPlan),
    describePaymentPlan: () => describePaymentPlan(plan as PaymentPlan, NOW),
    receivables: () => receivables([plan as PaymentPlan], { now: NOW }),
    paymentReminders: () => paymentReminders([plan as PaymentPlan], c),
    writeOffDifference: () => writeOffDifference(plan as PaymentPlan, {}, c),
    writeOffBadDebt: () => writeOffBadDebt(plan as PaymentPlan, { reason: '客户破产' }, c),
    allocatePayment: () => allocatePayment(w.p2, [plan as PaymentPlan], { kind: 'oldestFirst' }, c),
    allocatePayments: () => allocatePayments([w.p2], [plan as PaymentPlan], { kind: 'oldestFirst' }, c),
    allocatePaymentsColumnar: () => allocatePaymentsColumnar([w.p2], [plan as PaymentPlan], { kind: 'oldestFirst' }, c),
    recordAndApplyPayment: () => recordAndApplyPayment(paymentInput('P-9', '1.00'), [plan as PaymentPlan], { kind: 'oldestFirst' }, c),
    unapplyPayment: () => unapplyPayment(w.p1, [plan as PaymentPlan], {}, c),
    reversePayment: () => reversePayment(w.p1, [plan as PaymentPlan], { reason: '退票' }, c),
    issueCreditNote: () => issueCreditNote({ id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '1.00' }, issuedAt: NOW }, plan as PaymentPlan, c),
  };
}

describe('a corrupt stored row is INVALID_INPUT, never a crash', () => {
  it('an installment due "x" (a hand-edited row of an ERP export) is refused by all 14 doors that read a plan, with the path', () => {
    const row = json(world().plan);
    row.installments[1].dueDate = 'x';
    const doors = planDoors(row);
    expect(Object.keys(doors)).toHaveLength(14);
    for (const [name, call] of Object.entries(doors)) {
      const r = call();
      expect(error(r).code, name).toBe('INVALID_INPUT');
      expect(issuePaths(r).some((p) => p.endsWith('installments.1.dueDate')), name).toBe(true);
    }
  });

  it('a due date that does not exist (2026-02-30), or a due instant that no longer matches its date, is refused', () => {
    const row = json(world().plan);
    row.installments[0].dueDate = '2026-02-30';
    expect(issuePaths(parsePaymentPlan(row))).toEqual(['plan.installments.0.dueDate']);
    const moved = json(world().plan);
    moved.installments[2].dueAt = '2026-05-30T16:00:00.001Z'; // 1 ms after midnight in Shanghai
    expect(issuePaths(parsePaymentPlan(moved))).toEqual(['plan.installments.2.dueAt']);
  });

  it('an amount past 2^53 minor units in a stored installment or payment (a bigint a driver read) is refused at the door', () => {
    for (const big of [2n ** 60n, 2 ** 53 + 1, '9007199254740993']) {
      const plan = json(world().plan);
      plan.installments[0].paid = { currency: 'CNY', minor: big };
      for (const [name, call] of Object.entries(planDoors(plan))) expect(error(call()).code, `${name} ${String(big)}`).toBe('INVALID_INPUT');
      const payment = json(world().p2);
      payment.amount = { currency: 'CNY', minor: big };
      const paths = issuePaths(paymentBalance(payment as unknown as Payment));
      expect(paths.length > 0 && paths.every((p) => p.startsWith('payment.amount')), paths.join()).toBe(true);
      expect(error(refundPayment(payment as unknown as Payment, {}, ctx())).code).toBe('INVALID_INPUT');
    }
  });

  it('a currency that is not a string (a bigint, an object) is refused with its path, never a crash while writing the message', () => {
    const plan = json(world().plan);
    plan.total = { currency: 156n, minor: 100001 };
    expect(issuePaths(parsePaymentPlan(plan))).toContain('plan.total.currency');
    const p = recordPayment({ ...paymentInput('P-3', '1.00'), amount: { currency: { code: 'CNY' }, amount: '1.00' } }, ctx());
    expect(issuePaths(p)).toEqual(['input.amount.currency']);
  });
});

describe('allocateLedger: types before order', () => {
  const input = (group: unknown[], outstanding: unknown[] = group.map(() => 100)) => ({
    currency: 'CNY',
    strategy: 'oldestFirst' as const,
    installments: { group, outstanding },
    payments: { group: [0], unapplied: [500] },
  });

  it('a symbol, a bigint, a string or an object in a column is INVALID_INPUT at its index, next to a group that goes down', () => {
    const r = allocateLedger(input([0, Symbol('x'), 5, 1, 10n, '7', {}]) as never);
    expect(error(r).code).toBe('INVALID_INPUT');
    expect(issuePaths(r)).toEqual(['input.installments.group.1', 'input.installments.group.4', 'input.installments.group.5', 'input.installments.group.6', 'input.installments.group.3']);
  });

  it('trusted: an element that breaks the promise is refused (never a throw, never NaN or a negative amount out)', () => {
    for (const bad of [Number.NaN, -1, 0.5, 2 ** 53 + 1, Number.POSITIVE_INFINITY, 10n, Symbol('x'), '100', null]) {
      const r = allocateLedger(input([0, 0], [100, bad]) as never, { trusted: true });
      if (r.ok) {
        for (const col of [r.value.amount, r.value.applied, r.value.unapplied, r.value.outstanding]) for (const v of col) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
      } else expect(r.error.code).toBe('INVALID_INPUT');
    }
    const good = input([0, 1, 1], [100, 200, 300]) as never;
    expect(value(allocateLedger(good, { trusted: true }))).toEqual(value(allocateLedger(good)));
  });

  it('something that only looks like a typed array (Object.create(Float64Array.prototype), a Proxy of one) is refused; a Proxy of an array is read once', () => {
    for (const fake of [Object.create(Float64Array.prototype) as Float64Array, new Proxy(Float64Array.of(100, 200), {})]) {
      expect(error(allocateLedger({ ...input([0, 0]), installments: { group: [0, 0], outstanding: fake } } as never)).code).toBe('INVALID_INPUT');
    }
    const r = value(allocateLedger({ ...input([0, 0]), installments: { group: [0, 0], outstanding: new Proxy([100, 200], {}) } } as never));
    expect([...r.outstanding]).toEqual([0, 0]);
    expect([...r.unapplied]).toEqual([200]);
  });

  it('each column is read once: a getter that answers a number, then NaN, cannot slip NaN past the check', () => {
    let reads = 0;
    const outstanding = [100, 200];
    Object.defineProperty(outstanding, 1, { get: () => (reads++ === 0 ? 200 : Number.NaN), enumerable: true });
    const r = value(allocateLedger(input([0, 0], outstanding) as never));
    expect(reads).toBe(1);
    expect([...r.outstanding]).toEqual([0, 0]);
    expect([...r.unapplied]).toEqual([200]);
  });
});

describe('trusted lies: what the rules return is frozen all the way down, and a moved Date is re-validated', () => {
  it('the issue: untouched installments of a plan allocatePayment returned cannot be edited into a negative balance', () => {
    const w = world();
    const stored = value(parsePaymentPlan(json(w.plan))); // a plan read back from the database
    const d = value(allocatePayment(w.p2, [stored], { kind: 'installmentOrder', amount: '0.01' }, ctx()));
    const next = d.plans[0]!;
    for (const o of reachable(d).objects) expect(Object.isFrozen(o)).toBe(true);
    for (const date of reachable(d).dates) expect(Object.isFrozen(date)).toBe(true);
    expect(() => {
      (next.installments[0] as { paid: unknown }).paid = { currency: 'CNY', minor: 49_999 };
    }).toThrow(TypeError);
    expect(next.installments.map(outstandingOf)).toEqual([0, 0, 1]);
    expect(value(planOutstanding(next)).minor).toBe(1);
  });

  it('parsePaymentPlan and parsePayment give records frozen all the way down, taken back at once', () => {
    const w = world();
    const plan = value(parsePaymentPlan(json(w.plan)));
    const payment = value(parsePayment(json(w.p1)));
    for (const rec of [plan, payment]) {
      const { objects, dates } = reachable(rec);
      for (const o of [...objects, ...dates]) expect(Object.isFrozen(o)).toBe(true);
    }
    expect(value(parsePaymentPlan(plan))).toBe(plan);
    expect(value(parsePayment(payment))).toBe(payment);
    // a copy loses the trust and is parsed in full, to an equal record
    const copy = value(parsePaymentPlan(structuredClone(plan)));
    expect(copy).not.toBe(plan);
    expect(copy).toEqual(plan);
  });

  it('a due instant moved by setTime is refused; an Invalid Date is refused; a moved order date is re-read, not trusted', () => {
    const w = world();
    w.plan.installments[2]!.dueAt.setTime(w.plan.installments[2]!.dueAt.getTime() + 1);
    expect(issuePaths(parsePaymentPlan(w.plan))).toEqual(['plan.installments.2.dueAt']);
    expect(error(allocatePayment(w.p2, [w.plan], { kind: 'oldestFirst' }, ctx())).code).toBe('INVALID_INPUT');

    const v = world();
    v.plan.updatedAt.setTime(Number.NaN);
    expect(issuePaths(parsePaymentPlan(v.plan))).toEqual(['plan.updatedAt']);

    const u = world();
    const day = 86_400_000;
    u.plan.orderDate.setTime(u.plan.orderDate.getTime() - day);
    const back = value(parsePaymentPlan(u.plan));
    expect(back).not.toBe(u.plan);
    expect(back.orderDate.getTime()).toBe(Date.parse('2026-03-01T02:00:00Z'));
    expect(value(parsePaymentPlan(back))).toBe(back);
  });

  it("a payment whose application's date is set to NaN is refused at that date alone (every Date of a record is its own: updatedAt, the step's time too, did not move)", () => {
    const w = world();
    w.p1.applications[0]!.appliedAt.setTime(Number.NaN);
    expect(issuePaths(paymentBalance(w.p1))).toEqual(['payment.applications.0.appliedAt']);
    expect(error(unapplyPayment(w.p1, [w.plan], {}, ctx())).code).toBe('INVALID_INPUT');
  });
});

describe("the caller's objects are never changed, frozen or kept", () => {
  it('a stored row and the caller Dates go in untouched; the records hold Dates of their own', () => {
    const w = world();
    const row = json(w.plan);
    const before = JSON.stringify(row);
    const receivedAt = new Date('2026-03-06T10:00:00+08:00');
    const input = { ...paymentInput('P-7', '300.00'), receivedAt };
    const now = new Date(NOW);
    const d = value(recordAndApplyPayment(input, [row as unknown as PaymentPlan], { kind: 'installmentOrder' }, { ...ctx(), now }));
    expect(JSON.stringify(row)).toBe(before);
    for (const o of reachable(row).objects) expect(Object.isFrozen(o)).toBe(false);
    expect(Object.isFrozen(receivedAt) || Object.isFrozen(now) || Object.isFrozen(input)).toBe(false);
    expect(d.payment.receivedAt).not.toBe(receivedAt);
    expect(d.payment.receivedAt.getTime()).toBe(receivedAt.getTime());
    expect(d.payment.updatedAt).not.toBe(now);
    receivedAt.setTime(0);
    expect(value(parsePayment(d.payment))).toBe(d.payment);
  });

  it('a Date-like object or a Proxy of a Date is not a Date; a Date whose getTime changes is read once, from its own slot', () => {
    expect(issuePaths(recordPayment({ ...paymentInput('P-8', '1.00'), receivedAt: Object.create(Date.prototype) as Date }, ctx()))).toEqual(['input.receivedAt']);
    expect(issuePaths(recordPayment(paymentInput('P-8', '1.00'), { ...ctx(), now: new Proxy(new Date(NOW), {}) }))).toEqual(['context.now']);
    class Flipping extends Date {
      override getTime() {
        return Number.NaN;
      }
    }
    const p = value(recordPayment({ ...paymentInput('P-8', '1.00'), receivedAt: new Flipping('2026-03-06T02:00:00Z') }, ctx())).payment;
    expect(p.receivedAt.getTime()).toBe(Date.parse('2026-03-06T02:00:00Z'));
  });

  it('instants outside the years 1–9999 are refused; the calendar answers at both ends of the range', () => {
    for (const t of [8.64e15, -8.64e15, Date.parse('+010000-01-01T00:00:00Z'), Date.parse('0000-12-31T23:59:59.999Z')]) {
      expect(issuePaths(installmentDueDate(new Date(t), { kind: 'afterOrder', days: 0 }, ZONE))).toEqual(['orderDate']);
    }
    // the last instant of 9999 is 10000-01-01 in Kiritimati (+14): a due date there is past 9999, refused
    expect(issuePaths(installmentDueDate('9999-12-31T23:59:59.999Z', { kind: 'afterOrder', days: 0 }, 'Pacific/Kiritimati'))).toEqual(['rule']);
    // 9999-12-31 in New York is a date of 9999, but it is overdue from 10000-01-01T05:00Z, past the last instant: refused too
    expect(issuePaths(installmentDueDate('9999-12-31T23:59:59.999Z', { kind: 'afterOrder', days: 0 }, 'America/New_York'))).toEqual(['rule']);
    // east of Greenwich the day ends inside the range: the last due date there is 9999-12-31
    expect(value(installmentDueDate('9999-12-31T00:00:00Z', { kind: 'afterOrder', days: 0 }, 'Asia/Shanghai')).overdueAt.toISOString()).toBe('9999-12-31T16:00:00.000Z');
    // an order of the year 50: end of month is 0050-07-31 (refused: before 1900), not 1950-07-31
    expect(error(installmentDueDate('0050-06-01T20:00:00Z', { kind: 'endOfMonth', months: 1 }, ZONE)).details.summary).toContain('0050-07-31');
  });
});

/* ---------------------------------------------------------------------- properties */

interface Scenario {
  readonly parts: readonly number[];
  readonly days: number;
  readonly pay: number;
  readonly kind: 'oldestFirst' | 'proportional' | 'installmentOrder';
  readonly fromRows: boolean;
  readonly step: 'none' | 'refund' | 'unapply' | 'reverse' | 'writeOff' | 'badDebt' | 'creditNote';
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  parts: fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: 1, maxLength: 4 }),
  days: fc.integer({ min: 0, max: 60 }),
  pay: fc.integer({ min: 1, max: 3_000_000 }),
  kind: fc.constantFrom('oldestFirst' as const, 'proportional' as const, 'installmentOrder' as const),
  fromRows: fc.boolean(),
  step: fc.constantFrom('none' as const, 'refund' as const, 'unapply' as const, 'reverse' as const, 'writeOff' as const, 'badDebt' as const, 'creditNote' as const),
});

/** Every plan and payment a random receivable's rules returned. */
function recordsOf(s: Scenario): { plans: PaymentPlan[]; payments: Payment[] } {
  const total = s.parts.reduce((a, b) => a + b, 0);
  const input = {
    ...planInput(),
    total: { currency: 'CNY', amount: minor(total) },
    installments: s.parts.map((p, i) => ({ id: `I${i}`, amount: minor(p), due: { kind: 'afterOrder' as const, days: s.days * i } })),
  };
  let plan = value(createPaymentPlan(input, ctx())).plan;
  if (s.fromRows) plan = value(parsePaymentPlan(json(plan)));
  const plans: PaymentPlan[] = [plan];
  const payments: Payment[] = [];
  const paid = value(recordAndApplyPayment(paymentInput('P-1', minor(s.pay)), [plan], { kind: s.kind }, ctx()));
  plans.push(...paid.plans);
  payments.push(paid.payment);
  const current = paid.plans[0] ?? plan;
  const c = ctx();
  const step =
    s.step === 'refund'
      ? refundPayment(paid.payment, {}, c)
      : s.step === 'unapply'
        ? unapplyPayment(paid.payment, [current], {}, c)
        : s.step === 'reverse'
          ? reversePayment(paid.payment, [current], { reason: '退票' }, c)
          : s.step === 'writeOff'
            ? writeOffDifference(current, {}, { ...c, policy: { zone: ZONE, writeOffTolerance: { CNY: '5000.00' } } })
            : s.step === 'badDebt'
              ? writeOffBadDebt(current, { reason: '破产' }, c)
              : s.step === 'creditNote'
                ? issueCreditNote({ id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '0.50' }, issuedAt: NOW }, current, c)
                : null;
  if (step !== null && step.ok) {
    const v = step.value as { plan?: PaymentPlan; plans?: readonly PaymentPlan[]; payment?: Payment };
    if (v.plan) plans.push(v.plan);
    if (v.plans) plans.push(...v.plans);
    if (v.payment) payments.push(v.payment);
  }
  return { plans, payments };
}

const moves = [(t: number) => Number.NaN, (t: number) => t + 1, (t: number) => t - 86_400_000, (t: number) => t + 86_400_000 * 400] as const;

describe('properties', () => {
  it(
    'a trusted lie is never accepted: move any Date reachable from any record a rule returned, and passing it back refuses it or re-reads it',
    () => {
      fc.assert(
        fc.property(scenarioArb, fc.nat(), fc.nat(), fc.nat(moves.length - 1), (s, pickRecord, pickDate, how) => {
          const { plans, payments } = recordsOf(s);
          const records: (PaymentPlan | Payment)[] = [...plans, ...payments];
          const record = records[pickRecord % records.length]!;
          const { dates } = reachable(record);
          const date = dates[pickDate % dates.length]!;
          date.setTime(moves[how]!(date.getTime()));
          // every record holding that Date (instants may be shared, e.g. the context's now)
          for (const r of records) {
            if (!reachable(r).dates.includes(date)) continue;
            const isPlan = 'installments' in r;
            const back = isPlan ? parsePaymentPlan(r) : parsePayment(r);
            if (!back.ok) {
              expect(back.error.code).toBe('INVALID_INPUT');
              continue;
            }
            expect(back.value).not.toBe(r); // re-validated into a new record, never trusted as it is
            expect(reachable(back.value).dates.some((d) => d.getTime() === date.getTime())).toBe(true);
            if (isPlan) for (const i of (back.value as PaymentPlan).installments) expect(outstandingOf(i)).toBeGreaterThanOrEqual(0);
            else expect(value(paymentBalance(back.value as Payment)).unapplied.minor).toBeGreaterThanOrEqual(0);
          }
        }),
        { numRuns: 300 },
      );
    },
    120_000,
  );

  it(
    'nothing else reachable from a returned record can change: setting a field, pushing to a list, deleting a key all throw',
    () => {
      fc.assert(
        fc.property(scenarioArb, (s) => {
          const { plans, payments } = recordsOf(s);
          for (const r of [...plans, ...payments]) {
            const snapshot = JSON.stringify(r);
            for (const o of reachable(r).objects) {
              expect(() => {
                (o as Record<string, unknown>).paid = 0;
              }).toThrow(TypeError);
              if (Array.isArray(o)) expect(() => o.push(o[0])).toThrow(TypeError);
              const k = Object.keys(o)[0];
              if (k !== undefined) expect(() => delete (o as Record<string, unknown>)[k]).toThrow(TypeError);
            }
            expect(JSON.stringify(r)).toBe(snapshot);
            expect(value<unknown>('installments' in r ? parsePaymentPlan(r) : parsePayment(r))).toBe(r);
          }
        }),
        { numRuns: 100 },
      );
    },
    120_000,
  );

  it(
    'a stored row read back is the record it was: parse(JSON(record)) equals it, trusted, and balances are the same',
    () => {
      fc.assert(
        fc.property(scenarioArb, (s) => {
          const { plans, payments } = recordsOf(s);
          for (const p of plans) {
            const back = value(parsePaymentPlan(json(p)));
            expect(back).toEqual(p);
            expect(value(planOutstanding(back))).toEqual(value(planOutstanding(p)));
          }
          for (const p of payments) expect(value(parsePayment(json(p)))).toEqual(p);
        }),
        { numRuns: 100 },
      );
    },
    120_000,
  );
});
