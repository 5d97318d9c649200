import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocateLedger,
  allocatePayments,
  createPaymentPlan,
  recordPayment,
  type AllocationBatch,
  type LedgerAllocation,
  type LedgerAllocationInput,
  type LedgerStrategy,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
} from '../../src/payments/index.js';
import { error, issuePaths, value } from '../support.js';
import { DAY, T0, minor, n, outstandingOf } from './amounts.js';

const ctx: PaymentContext = { now: new Date(T0 + 40 * DAY), actorId: 'system:nightly', policy: { zone: 'Asia/Shanghai' } };

const ledger = (strategy: LedgerStrategy, installments: LedgerAllocationInput['installments'], payments: LedgerAllocationInput['payments']) =>
  allocateLedger({ currency: 'CNY', strategy, installments, payments });

/** The applications as [payment, installment, amount] rows. */
const rows = (r: LedgerAllocation) => Array.from(r.amount, (a, k) => [r.payment[k], r.installment[k], a]);
const skips = (r: LedgerAllocation) => Array.from(r.skipped, (p, k) => [p, r.skippedReason[k]]);

describe('allocateLedger: examples', () => {
  it('installment order: each payment fills its own order in plan order, the rest stays unapplied', () => {
    // order 7: 300.00, 500.00, 200.00 (one plan); order 9: 100.00 then 400.00 (plan PP-9a), 250.00 (plan PP-9b)
    const r = value(
      ledger(
        'installmentOrder',
        { group: [7, 7, 7, 9, 9, 9], outstanding: [30_000, 50_000, 20_000, 10_000, 40_000, 25_000] },
        { group: [9, 7, 9, 7], unapplied: [30_000, 60_000, 30_000, 50_000] },
      ),
    );
    expect(rows(r)).toEqual([
      [0, 3, 10_000], // order 9's first payment: 100.00, then 200.00 of 400.00
      [0, 4, 20_000],
      [1, 0, 30_000], // order 7: 300.00, then 300.00 of 500.00
      [1, 1, 30_000],
      [2, 4, 20_000], // order 9 again: the rest of 400.00, then 100.00 of PP-9b's 250.00
      [2, 5, 10_000],
      [3, 1, 20_000], // order 7 again: the rest of 500.00, all 200.00; 100.00 stays unapplied
      [3, 2, 20_000],
    ]);
    expect(Array.from(r.applied)).toEqual([30_000, 60_000, 30_000, 40_000]);
    expect(Array.from(r.unapplied)).toEqual([0, 0, 0, 10_000]);
    expect(Array.from(r.outstanding)).toEqual([0, 0, 0, 0, 0, 15_000]);
    expect(r.skipped.length).toBe(0);
    expect(r.strategy).toBe('installmentOrder');
    expect(r.currency).toBe('CNY');
  });

  it('oldest first: an overpayment settles everything and keeps the rest as credit; a later payment finds nothing', () => {
    const installments = { group: Int32Array.of(0, 0, 0, 1), outstanding: Float64Array.of(30_000, 50_001, 20_000, 9_900) };
    const payments = { group: [0, 1, 0, 2, 1], unapplied: [120_000, 5_000, 1_000, 7_000, 0] };
    const before = Array.from(installments.outstanding);
    const r = value(ledger('oldestFirst', installments, payments));
    expect(rows(r)).toEqual([
      [0, 0, 30_000],
      [0, 1, 50_001],
      [0, 2, 20_000],
      [1, 3, 5_000],
    ]);
    expect(Array.from(r.applied)).toEqual([100_001, 5_000, 0, 0, 0]);
    expect(Array.from(r.unapplied)).toEqual([19_999, 0, 1_000, 7_000, 0]); // 199.99 of credit; the skipped keep all they had
    expect(Array.from(r.outstanding)).toEqual([0, 0, 0, 4_900]);
    // payment 2: customer 0 owes nothing any more; payment 3: customer 2 has no installment; payment 4: nothing unapplied
    expect(skips(r)).toEqual([
      [2, 'PAYMENT_NOTHING_OUTSTANDING'],
      [3, 'PAYMENT_NOTHING_OUTSTANDING'],
      [4, 'PAYMENT_NOTHING_TO_APPLY'],
    ]);
    // the columns given are not changed; the record is frozen, its columns new
    expect(Array.from(installments.outstanding)).toEqual(before);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.skippedReason)).toBe(true);
    expect(r.outstanding).not.toBe(installments.outstanding);
    expect(r.payment).toBeInstanceOf(Int32Array);
    expect(r.amount).toBeInstanceOf(Float64Array);
  });

  it('proportional: by what each owes, the leftover minor unit to the largest remainder (ties to the larger debt, then the older)', () => {
    // 100.00 over 100.00, 100.00, 100.00: 33.34 to the oldest, 33.33 to the others
    const even = value(ledger('proportional', { group: [4, 4, 4], outstanding: [10_000, 10_000, 10_000] }, { group: [4], unapplied: [10_000] }));
    expect(rows(even)).toEqual([
      [0, 0, 3_334],
      [0, 1, 3_333],
      [0, 2, 3_333],
    ]);
    // 0.05 over 3.00, 2.00, 1.00 (exact shares 2.5, 1.67, 0.83): floors 2, 1, 0 and the two cents left to 1.67 and 0.83
    const uneven = value(ledger('proportional', { group: [4, 4, 4], outstanding: [300, 200, 100] }, { group: [4], unapplied: [5] }));
    expect(rows(uneven)).toEqual([
      [0, 0, 2],
      [0, 1, 2],
      [0, 2, 1],
    ]);
    // more than everything owed settles every installment; the rest stays unapplied
    const over = value(ledger('proportional', { group: [1, 1, 2], outstanding: [300, 0, 100] }, { group: [1], unapplied: [1_000] }));
    expect(rows(over)).toEqual([[0, 0, 300]]);
    expect(Array.from(over.unapplied)).toEqual([700]);
  });

  it('proportional stays exact when what a group owes passes 2^53 in all (each installment a safe integer)', () => {
    const owed = [2 ** 52 + 1, 2 ** 52 + 3, 5];
    const r = value(ledger('proportional', { group: [1, 1, 1], outstanding: owed }, { group: [1], unapplied: [7] }));
    // the reference in BigInt: floors of 7 × w / W, the leftover units to the largest remainders
    const W = owed.reduce((x, w) => x + BigInt(w), 0n);
    const shares = owed.map((w) => (7n * BigInt(w)) / W);
    const rems = owed.map((w) => (7n * BigInt(w)) % W);
    let left = 7n - shares.reduce((x, y) => x + y, 0n);
    for (const i of [0, 1, 2].sort((x, y) => (rems[y]! > rems[x]! ? 1 : rems[y]! < rems[x]! ? -1 : owed[y]! - owed[x]! || x - y))) if (left-- > 0n) shares[i]! += 1n;
    expect(shares).toEqual([3n, 4n, 0n]);
    expect(rows(r)).toEqual(shares.flatMap((x, i) => (x > 0n ? [[0, i, Number(x)]] : [])));
  });

  it('groups need not be numbered from 0 or densely: any ascending non-negative integers', () => {
    const big = 2 ** 40;
    const r = value(ledger('oldestFirst', { group: [3, 3, big, big + 5], outstanding: [100, 100, 100, 100] }, { group: [big + 5, 4, big, 3], unapplied: [50, 50, 150, 150] }));
    expect(rows(r)).toEqual([
      [0, 3, 50],
      [2, 2, 100],
      [3, 0, 100],
      [3, 1, 50],
    ]);
    expect(skips(r)).toEqual([[1, 'PAYMENT_NOTHING_OUTSTANDING']]);
  });

  it('nothing to do is an empty result, not a refusal', () => {
    const r = value(ledger('oldestFirst', { group: [], outstanding: [] }, { group: [], unapplied: [] }));
    expect([r.amount.length, r.applied.length, r.outstanding.length, r.skipped.length]).toEqual([0, 0, 0, 0]);
  });

  it('refuses bad input as INVALID_INPUT with paths, never a throw', () => {
    const good = { group: [0, 0, 1], outstanding: [1, 2, 3] };
    // unequal lengths
    let r = ledger('oldestFirst', { group: [0, 0], outstanding: [1, 2, 3] }, { group: [0], unapplied: [1, 2] });
    expect(error(r).code).toBe('INVALID_INPUT');
    expect(issuePaths(r)).toEqual(['input.installments.outstanding', 'input.payments.unapplied']);
    // elements: negative, fractional, unsafe, not a number; a group column that goes down
    r = ledger(
      'oldestFirst',
      { group: [0, 2, 1, 1], outstanding: [1, -1, 2.5, 2 ** 53] },
      { group: [0, Number.NaN], unapplied: ['7' as unknown as number, 1] },
    );
    expect(error(r).code).toBe('INVALID_INPUT');
    expect(issuePaths(r)).toEqual([
      'input.installments.outstanding.1',
      'input.installments.outstanding.2',
      'input.installments.outstanding.3',
      'input.payments.group.1',
      'input.payments.unapplied.0',
      'input.installments.group.2',
    ]);
    // an Int32Array can still hold a negative group
    expect(issuePaths(ledger('installmentOrder', { group: Int32Array.of(-1, 0, 0), outstanding: [1, 2, 3] }, { group: [0], unapplied: [1] }))).toEqual([
      'input.installments.group.0',
    ]);
    // the shape: currency, strategy, columns, unknown keys, options
    const bad = allocateLedger({ currency: 'XYZ', strategy: 'explicit', installments: { group: 'x', outstanding: good.outstanding }, payments: { group: [], unapplied: [], extra: 1 } } as never);
    expect(issuePaths(bad)).toEqual(['input.currency', 'input.strategy', 'input.installments.group', 'input.payments']);
    expect(issuePaths(allocateLedger({ currency: 'CNY', strategy: 'oldestFirst', installments: good, payments: { group: [], unapplied: [] } }, { trusted: 'yes' } as never))).toEqual([
      'options.trusted',
    ]);
    expect(error(allocateLedger(null as never)).code).toBe('INVALID_INPUT');
    // a million bad entries are refused with the first hundred issues and a count of the rest
    const many = ledger('oldestFirst', { group: new Int32Array(1_000), outstanding: new Float64Array(1_000).fill(-1) }, { group: [], unapplied: [] });
    const issues = error(many).details.issues as { path: unknown[]; message: string }[];
    expect(issues).toHaveLength(101);
    expect(issues[100]!.message).toBe('and 900 more issues');
  });

  it('trusted: skips the element checks (same result on good input), and bad input still never throws', () => {
    const input: LedgerAllocationInput = {
      currency: 'CNY',
      strategy: 'proportional',
      installments: { group: [0, 0, 1], outstanding: [300, 200, 100] },
      payments: { group: [0, 1], unapplied: [5, 50] },
    };
    expect(value(allocateLedger(input, { trusted: true }))).toEqual(value(allocateLedger(input)));
    const broken = { ...input, installments: { group: [1, 0, 0], outstanding: [300.5, -2, Number.NaN] } };
    expect(error(allocateLedger(broken)).code).toBe('INVALID_INPUT');
    for (const strategy of ['installmentOrder', 'oldestFirst', 'proportional'] as const) {
      const r = allocateLedger({ ...broken, strategy, payments: { group: [0, 1, 0], unapplied: [-5, 1.5, 7] } }, { trusted: true });
      expect(r.ok || r.error.code === 'INVALID_INPUT').toBe(true);
    }
    // the lengths are checked even when trusted
    expect(issuePaths(allocateLedger({ ...input, payments: { group: [0], unapplied: [1, 2] } }, { trusted: true }))).toEqual(['input.payments.unapplied']);
  });
});

/* ------------------------------------------------------------------------ properties */

interface PlanSpec {
  readonly customer: number;
  readonly order: number; // plans may share an order (of one customer or of two)
  readonly orderDay: number;
  readonly parts: readonly { readonly amount: number; readonly days: number }[];
}
interface PaymentSpec {
  readonly customer: number;
  readonly order: number; // an index into ORDERS (or beyond: an order with no plan)
  readonly amount: number;
  readonly day: number;
}
// few customers, orders, days and due offsets: shared groups, equal due dates of different order
// dates, equal order dates of different orders, orders of several plans (the tie-breaks) are common
const worldArb = fc.record({
  plans: fc.array(
    fc.record({
      customer: fc.nat(3),
      order: fc.nat(4),
      orderDay: fc.constantFrom(0, 10, 20),
      parts: fc.array(fc.record({ amount: fc.integer({ min: 1, max: 500_000 }), days: fc.constantFrom(0, 10, 30) }), { minLength: 1, maxLength: 4 }),
    }),
    { maxLength: 8 },
  ),
  prior: fc.array(fc.record({ plan: fc.nat(7), amount: fc.integer({ min: 1, max: 400_000 }) }), { maxLength: 3 }),
  payments: fc.array(fc.record({ customer: fc.nat(4), order: fc.nat(5), amount: fc.integer({ min: 1, max: 1_500_000 }), day: fc.nat(3) }), { maxLength: 10 }),
  strategy: fc.constantFrom<LedgerStrategy>('installmentOrder', 'oldestFirst', 'proportional'),
});
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

/** Order ids whose code-unit order is not their index order. */
const ORDERS = ['SO-j', 'SO-i', 'SO-h', 'SO-g', 'SO-f'];

/** The world as entities: plans (some partly paid by prior payments), then payments (the prior ones among them, with what they have left). */
function entities(w: World): { plans: PaymentPlan[]; payments: Payment[] } {
  let plans = w.plans.map((spec, k) =>
    value(
      createPaymentPlan(
        {
          id: `PP-${k % 3}${k}`,
          orderId: ORDERS[spec.order]!,
          customerId: `C-${spec.customer}`,
          orderDate: new Date(T0 + spec.orderDay * DAY),
          total: { currency: 'CNY', amount: minor(spec.parts.reduce((s, p) => s + p.amount, 0)) },
          installments: spec.parts.map((p, i) => ({ id: `I${i + 1}`, amount: minor(p.amount), due: { kind: 'afterOrder' as const, days: p.days } })),
        },
        ctx,
      ),
    ).plan,
  );
  const pay = (id: string, customer: string, orderId: string | null, amount: number, day: number) =>
    value(recordPayment({ id, customerId: customer, orderId, amount: { currency: 'CNY', amount: minor(amount) }, receivedAt: new Date(T0 + day * DAY), method: 'bankTransfer' }, ctx)).payment;
  let prior = w.prior.filter((p) => p.plan < plans.length).map((p, k) => pay(`PR-${k}`, plans[p.plan]!.customerId, plans[p.plan]!.orderId, p.amount, 0));
  if (prior.length > 0) {
    const b = value(allocatePayments(prior, plans, { kind: 'installmentOrder' }, ctx));
    const next = new Map(b.plans.map((p) => [p.id, p]));
    plans = plans.map((p) => next.get(p.id) ?? p);
    const paid = new Map(b.payments.map((p) => [p.id, p]));
    prior = prior.map((p) => paid.get(p.id) ?? p);
  }
  const payments = w.payments.map((p, k) =>
    // the id's order differs from the list's: ties on the day are broken by id
    pay(`P-${(k * 7) % 10}${k}`, `C-${p.customer}`, ORDERS[p.order] ?? 'SO-none', p.amount, p.day),
  );
  return { plans, payments: [...payments, ...prior] };
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The columns a host's SQL would return for these entities, in the documented order, with the ids
 * of each row to map the results back. A group is a customer (an order for installment order),
 * numbered by its id; payments whose group has no plan get a number no installment has.
 */
function columnsOf(plans: readonly PaymentPlan[], payments: readonly Payment[], strategy: LedgerStrategy) {
  const perOrder = strategy === 'installmentOrder';
  const keyOf = (x: { customerId: string; orderId: string | null }) => (perOrder ? `${x.customerId}/${x.orderId}` : x.customerId);
  const keys = [...new Set([...plans.map(keyOf), ...payments.map(keyOf)])].sort(byCode);
  const group = new Map(keys.map((k, g) => [k, g * 2])); // not dense: 0, 2, 4…
  const insts = plans.flatMap((p) =>
    p.installments.map((inst, position) => ({ group: group.get(keyOf(p))!, due: inst.dueAt.getTime(), ordered: p.orderDate.getTime(), orderId: p.orderId, planId: p.id, position, id: inst.id, outstanding: outstandingOf(inst) })),
  );
  insts.sort(
    (a, b) =>
      a.group - b.group ||
      (perOrder
        ? byCode(a.planId, b.planId) || a.position - b.position // ORDER BY grp, plan_id, position
        : a.due - b.due || a.ordered - b.ordered || byCode(a.orderId, b.orderId) || byCode(a.planId, b.planId) || a.position - b.position),
  );
  // the batch leaves reversed payments out; the host's query does too (none here)
  const pays = [...payments].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || byCode(a.id, b.id));
  const unapplied = (p: Payment) => n(p.amount) - p.applications.reduce((s, a) => s + n(a.amount), 0);
  const input: LedgerAllocationInput = {
    currency: 'CNY',
    strategy,
    installments: { group: insts.map((i) => i.group), outstanding: insts.map((i) => i.outstanding) },
    payments: { group: Int32Array.from(pays, (p) => group.get(keyOf(p))! + 1), unapplied: Float64Array.from(pays, unapplied) },
  };
  // group + 1 above: an odd number, no installment's; set the payments that have a group
  const withPlans = new Set(plans.map(keyOf));
  pays.forEach((p, k) => {
    if (withPlans.has(keyOf(p))) (input.payments.group as Int32Array)[k] = group.get(keyOf(p))!;
  });
  return { input, insts, pays };
}

const batchRows = (b: AllocationBatch) => b.allocations.flatMap((a) => a.applications.map((x) => [x.paymentId, x.planId, x.installmentId, n(x.amount)]));

describe('allocateLedger: properties', () => {
  it('gives exactly the applications, balances and skips of allocatePayments on the same data as entities', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { plans, payments } = entities(w);
        const b = value(allocatePayments(payments, plans, { kind: w.strategy }, ctx));
        const { input, insts, pays } = columnsOf(plans, payments, w.strategy);
        const r = value(allocateLedger(input));
        // the applications, in the order made
        expect(Array.from(r.amount, (a, k) => [pays[r.payment[k]!]!.id, insts[r.installment[k]!]!.planId, insts[r.installment[k]!]!.id, a])).toEqual(batchRows(b));
        // the skips and their reasons
        expect(Array.from(r.skipped, (p, k) => [pays[p]!.id, r.skippedReason[k]])).toEqual(b.skipped.map((s) => [s.paymentId, s.reason.code]));
        // what each payment has left
        const left = new Map(b.allocations.map((a) => [a.paymentId, [n(a.applied), n(a.unapplied)]]));
        pays.forEach((p, k) => {
          const [applied, unapplied] = left.get(p.id) ?? [0, input.payments.unapplied[k]!];
          expect([r.applied[k], r.unapplied[k]]).toEqual([applied, unapplied]);
        });
        // what each installment owes after: the batch's next plans
        const after = new Map([...plans, ...b.plans].map((p) => [p.id, p]));
        insts.forEach((i, s) => expect(r.outstanding[s]).toBe(outstandingOf(after.get(i.planId)!.installments[i.position]!)));
      }),
      { numRuns: 300 },
    );
  });

  const columnsArb = fc
    .record({
      strategy: fc.constantFrom<LedgerStrategy>('installmentOrder', 'oldestFirst', 'proportional'),
      groupSizes: fc.array(fc.nat(5), { maxLength: 6 }),
      outstanding: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: Math.floor(Number.MAX_SAFE_INTEGER / 64) })), { minLength: 30, maxLength: 30 }),
      payments: fc.array(fc.record({ group: fc.nat(7), unapplied: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000_000 }), fc.integer({ min: 1, max: Math.floor(Number.MAX_SAFE_INTEGER / 8) })) }), { maxLength: 12 }),
    })
    .map(({ strategy, groupSizes, outstanding, payments }) => {
      const group: number[] = [];
      groupSizes.forEach((size, g) => {
        for (let i = 0; i < size; i++) group.push(g);
      });
      return {
        currency: 'CNY',
        strategy,
        installments: { group, outstanding: outstanding.slice(0, group.length) },
        payments: { group: payments.map((p) => p.group), unapplied: payments.map((p) => p.unapplied) },
      } satisfies LedgerAllocationInput;
    });

  it('keeps every minor unit: applied + unapplied = what each payment had, applications = what the installments owe less, never below zero', () => {
    fc.assert(
      fc.property(columnsArb, (input) => {
        const r = value(allocateLedger(input));
        const { group, outstanding } = input.installments;
        const had = input.payments.unapplied;
        const perPayment = new Array<number>(had.length).fill(0);
        const perInstallment = new Array<number>(outstanding.length).fill(0);
        let last = -1;
        for (let k = 0; k < r.amount.length; k++) {
          const p = r.payment[k]!;
          const s = r.installment[k]!;
          expect(r.amount[k]).toBeGreaterThan(0);
          expect(Number.isSafeInteger(r.amount[k])).toBe(true);
          expect(group[s]).toBe(input.payments.group[p]); // only into the payment's own group
          expect(p).toBeGreaterThanOrEqual(last); // payments in the order given, each one's rows together
          last = p;
          perPayment[p]! += r.amount[k]!;
          perInstallment[s]! += r.amount[k]!;
        }
        had.forEach((h, p) => {
          expect(r.applied[p]! + r.unapplied[p]!).toBe(h);
          expect(r.applied[p]).toBe(perPayment[p]);
        });
        let applied = 0;
        let reduced = 0;
        outstanding.forEach((o, s) => {
          expect(r.outstanding[s]).toBeGreaterThanOrEqual(0);
          expect(o - r.outstanding[s]!).toBe(perInstallment[s]);
          reduced += o - r.outstanding[s]!;
        });
        for (const a of r.amount) applied += a;
        expect(applied).toBe(reduced);
        // a payment left with something unapplied found its group settled (every strategy places all it can)
        had.forEach((h, p) => {
          const g = input.payments.group[p]!;
          if (r.unapplied[p]! > 0) group.forEach((x, s) => x === g && expect(r.outstanding[s]).toBe(0));
          if (Array.from(r.skipped).includes(p)) expect(r.unapplied[p]).toBe(h);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('trusted gives the same result as checked on valid input', () => {
    fc.assert(
      fc.property(columnsArb, (input) => {
        expect(value(allocateLedger(input, { trusted: true }))).toEqual(value(allocateLedger(input)));
      }),
      { numRuns: 100 },
    );
  });
});
