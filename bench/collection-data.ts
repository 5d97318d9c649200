/**
 * Payment plans for the collection benches, from two sources built on different assumptions:
 *
 * - **R, the rules' own flow**: plans made by `createPaymentPlan` the way a sales order makes
 *   them (30 % on signing, 50 % after 60 days, 20 % after 120; CNY; Asia/Shanghai), order dates
 *   spread over 2026, owners Zipf-skewed over 300 reps; then paid through `recordAndApplyPayment`
 *   (oldest first): half in full, a fifth in part, the rest not at all.
 * - **K, the testing kit**: `paymentPlanArb()` sampled with a fixed seed — any zone and currency
 *   the kit draws, installments of any count, due rules of every kind, partial payments — each
 *   given an id of its own.
 */
import fc from 'fast-check';
import { createPaymentPlan, recordAndApplyPayment, type PaymentPlan } from '../src/payments/index.js';
import { paymentPlanArb } from '../src/testing/index.js';
import { seededRand } from './seeded.js';

export interface PlanSource {
  readonly name: string;
  /** `count` plans, in pages of `page`. */
  pages(count: number, page: number): Generator<PaymentPlan[]>;
}

const DAY = 86_400_000;
const YEAR_START = Date.parse('2026-01-01T00:00:00+08:00');

export const rulesPlans: PlanSource = {
  name: 'R (the payments rules’ flow)',
  *pages(count, page) {
    const rand = seededRand(0x0c011ec7);
    const cumulative: number[] = [];
    let sum = 0;
    for (let r = 0; r < 300; r++) cumulative.push((sum += 1 / (r + 1)));
    const owner = () => {
      const u = (rand(1_000_000) / 1_000_000) * sum;
      let lo = 0;
      while (cumulative[lo]! < u) lo++;
      return `rep-${lo}`;
    };
    for (let start = 0; start < count; start += page) {
      const out: PaymentPlan[] = [];
      for (let i = start; i < Math.min(count, start + page); i++) {
        const orderDate = new Date(YEAR_START + rand(365) * DAY + rand(DAY));
        const minor = 10_000 * (1 + rand(5_000)) + rand(100);
        const ctx = { now: new Date(orderDate.getTime() + DAY), actor: { id: 'finance' }, policy: { zone: 'Asia/Shanghai' } };
        const made = createPaymentPlan(
          {
            id: `PP-${i}`,
            orderId: `SO-${i}`,
            customerId: `C-${rand(20_000)}`,
            ownerId: owner(),
            orderDate,
            total: { currency: 'CNY', minor },
            installments: [
              { id: 'deposit', percent: '30', due: { kind: 'afterOrder', days: 0 } },
              { id: 'delivery', percent: '50', due: { kind: 'afterOrder', days: 60 } },
              { id: 'acceptance', percent: '20', due: { kind: 'afterOrder', days: 120 } },
            ],
          },
          ctx,
        );
        if (!made.ok) throw new Error(made.error.message);
        let plan = made.value.plan;
        const fate = rand(10);
        if (fate < 7) {
          const paid = fate < 5 ? minor : Math.max(1, Math.floor((minor * (1 + rand(90))) / 100));
          const at = new Date(orderDate.getTime() + rand(200) * DAY);
          const applied = recordAndApplyPayment(
            { id: `P-${i}`, customerId: plan.customerId, orderId: plan.orderId, amount: { currency: 'CNY', minor: paid }, receivedAt: at, method: 'bankTransfer' },
            [plan],
            { kind: 'oldestFirst' },
            { now: at, actor: { id: 'finance' } },
          );
          if (applied.ok && applied.value.plans[0] !== undefined) plan = applied.value.plans[0];
        }
        out.push(plan);
      }
      yield out;
    }
  },
};

export const kitPlans: PlanSource = {
  name: 'K (the testing kit’s plans)',
  *pages(count, page) {
    let made = 0;
    for (let start = 0; start < count; start += page) {
      const n = Math.min(count, start + page) - start;
      const sample = fc.sample(paymentPlanArb(), { numRuns: n, seed: 0x5eed + start });
      yield sample.map((p) => ({ ...p, id: `PK-${made++}` }));
    }
  },
};
