/**
 * Throughput of payment allocation: `npx tsx bench/payments.bench.ts`.
 *
 * 1. Payments against 3-installment plans (30-50-20 of seeded totals, due 0 / 30 / 60 days after
 *    the order, in Asia/Shanghai): one payment per order — short, exact or over — applied in
 *    installment order by `allocatePayments`, end to end: validation of the (library-built)
 *    entities, the allocation, and every result object (next payments and plans, applications,
 *    events). `BENCH_PLANS` sets the count (default 200,000; the issue's figure is 1,000,000,
 *    which needs about 3 GB of heap for the inputs alone).
 * 2. Oldest first of `BENCH_OLDEST_PAYMENTS` payments (default 250,000) over
 *    `BENCH_OLDEST_INSTALLMENTS` installments (default 1,000,000): customers with ~7 plans of 3
 *    installments and 5 payments each, every payment spread over its customer's installments
 *    oldest due first.
 * 3. The first 50,000 of those payments one call at a time through `allocatePayment` (the
 *    per-call door). The oldest-first data set is also run proportionally (one round).
 * Each batch row is followed by the same batch through `allocatePaymentsColumnar` (the same
 *    doors and engine, the applications as columns of numbers: no result objects).
 * 4. The 30-50-20 splits of the plans' totals by the kernel's `allocateMoney` and by dinero.js
 *    `allocate`, and the ratio.
 * Setup (creating the plans and payments through the rules) is not timed. Each figure is the
 * median of `BENCH_ROUNDS` rounds (default 3).
 */
import { cpus, loadavg } from 'node:os';
import { allocate, dinero, toSnapshot } from 'dinero.js';
import { CNY } from 'dinero.js/currencies';
import { allocateMoney, parseMoney, type Money } from '../src/core/money.js';
import {
  allocatePayment,
  allocatePayments,
  allocatePaymentsColumnar,
  createPaymentPlan,
  recordPayment,
  type AllocationStrategyInput,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
} from '../src/payments/index.js';

const PLANS = Number(process.env.BENCH_PLANS ?? 200_000);
const OLDEST_PAYMENTS = Number(process.env.BENCH_OLDEST_PAYMENTS ?? 250_000);
const OLDEST_INSTALLMENTS = Number(process.env.BENCH_OLDEST_INSTALLMENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ZONE = 'Asia/Shanghai';
const T0 = Date.parse('2026-01-05T02:00:00Z');
const DAY = 86_400_000;

let seed = 0x2545f491;
function rand(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const minor = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;
function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const ctx: PaymentContext = { now: new Date(T0 + 40 * DAY), actorId: 'system:bench', policy: { zone: ZONE } };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed<T>(run: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = run();
  return { ms: performance.now() - t, value };
}

function makePlan(k: number, customerId: string, orderDay: number, total: number): PaymentPlan {
  return must(
    createPaymentPlan(
      {
        id: `PP-${k}`,
        orderId: `SO-${k}`,
        customerId,
        orderDate: new Date(T0 + orderDay * DAY),
        total: { currency: 'CNY', amount: minor(total) },
        installments: [
          { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } },
          { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 30 } },
          { id: 'I3', percent: 20, due: { kind: 'afterOrder', days: 60 } },
        ],
      },
      ctx,
    ),
  ).plan;
}

function makePayment(id: string, customerId: string, orderId: string | null, amount: number, day: number): Payment {
  return must(
    recordPayment(
      { id, customerId, orderId, amount: { currency: 'CNY', amount: minor(amount) }, receivedAt: new Date(T0 + day * DAY), method: 'bankTransfer' },
      ctx,
    ),
  ).payment;
}

function resultObjects(b: { payments: readonly unknown[]; plans: readonly unknown[]; events: readonly unknown[]; allocations: readonly { applications: readonly unknown[] }[] }): number {
  return b.payments.length + b.plans.length + b.events.length + b.allocations.reduce((s, a) => s + a.applications.length, 0);
}

function run(label: string, payments: Payment[], plans: PaymentPlan[], strategy: AllocationStrategyInput, rounds = ROUNDS): void {
  const applications = runObjects(label, payments, plans, strategy, rounds); // its results are gone before the columns run
  runColumns(applications, payments, plans, strategy, rounds);
}

function runObjects(label: string, payments: Payment[], plans: PaymentPlan[], strategy: AllocationStrategyInput, rounds: number): number {
  const times: number[] = [];
  let last: ReturnType<typeof allocatePayments> | undefined;
  for (let r = 0; r < rounds; r++) {
    last = undefined; // let the previous round's results go before the next
    const t = timed(() => allocatePayments(payments, plans, strategy, ctx));
    times.push(t.ms);
    last = t.value;
  }
  const b = must(last!);
  const ms = median(times);
  const applications = b.allocations.reduce((s, a) => s + a.applications.length, 0);
  console.log(
    `  ${label.padEnd(44)} ${fmt(ms).padStart(7)} ms  ${(((ms * 1000) / payments.length) as number).toFixed(2).padStart(6)} µs/payment  ${fmt((payments.length / ms) * 1000).padStart(10)} payments/s  (${fmt(applications)} applications, ${fmt(resultObjects(b))} result objects, ${fmt(b.skipped.length)} skipped)`,
  );
  return applications;
}

/** The same batch as columns. */
function runColumns(applications: number, payments: Payment[], plans: PaymentPlan[], strategy: AllocationStrategyInput, rounds: number): void {
  const columnTimes: number[] = [];
  let columns: ReturnType<typeof allocatePaymentsColumnar> | undefined;
  for (let r = 0; r < rounds; r++) {
    columns = undefined;
    const t = timed(() => allocatePaymentsColumnar(payments, plans, strategy, ctx));
    columnTimes.push(t.ms);
    columns = t.value;
  }
  const c = must(columns!);
  if (c.amount.length !== applications) throw new Error(`columns: ${c.amount.length} applications, objects: ${applications}`);
  const cms = median(columnTimes);
  console.log(
    `  ${'  … as columns (allocatePaymentsColumnar)'.padEnd(44)} ${fmt(cms).padStart(7)} ms  ${((cms * 1000) / payments.length).toFixed(2).padStart(6)} µs/payment  ${fmt((payments.length / cms) * 1000).padStart(10)} payments/s  (${fmt(c.amount.length)} applications, ${fmt(c.skipped.length)} skipped)`,
  );
}

/* ------------------------------------------------------------- 1. one payment per order */

console.log(`payments: allocation (median of ${ROUNDS} rounds; setup through the rules, not timed)`);
const totals: number[] = [];
let t = timed(() => {
  const plans: PaymentPlan[] = [];
  const payments: Payment[] = [];
  for (let k = 0; k < PLANS; k++) {
    const total = 10_000 + rand(10_000_000); // 100.00 to 100,100.00
    totals.push(total);
    plans.push(makePlan(k, `C-${k}`, rand(20), total));
    const kind = rand(10);
    const amount = kind < 5 ? 1 + rand(total) : kind < 8 ? total : total + 1 + rand(Math.floor(total / 10)); // short, exact, over
    payments.push(makePayment(`P-${k}`, `C-${k}`, `SO-${k}`, amount, 20 + rand(20)));
  }
  return { plans, payments };
});
console.log(`  setup: ${fmt(PLANS)} plans and payments in ${fmt(t.ms)} ms`);
run(`${fmt(PLANS)} payments, installment order`, t.value.payments, t.value.plans, { kind: 'installmentOrder' });

/* -------------------------------------------- 3. the same, one call per payment (subset) */

{
  const n = Math.min(PLANS, 50_000);
  const { payments, plans } = t.value;
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    times.push(
      timed(() => {
        for (let k = 0; k < n; k++) must(allocatePayment(payments[k]!, [plans[k]!], { kind: 'installmentOrder' }, ctx));
      }).ms,
    );
  }
  const ms = median(times);
  console.log(`  ${`${fmt(n)} payments, one allocatePayment call each`.padEnd(44)} ${fmt(ms).padStart(7)} ms  ${((ms * 1000) / n).toFixed(2).padStart(6)} µs/payment`);
}
t = undefined as never; // release the first data set

/* ------------------------------------------------ 2. oldest first over many installments */

{
  const plansPerCustomer = 7;
  const paymentsPerCustomer = 5;
  const planCount = Math.ceil(OLDEST_INSTALLMENTS / 3);
  const customers = Math.ceil(planCount / plansPerCustomer);
  const setup = timed(() => {
    const plans: PaymentPlan[] = [];
    const payments: Payment[] = [];
    for (let k = 0; k < planCount; k++) plans.push(makePlan(k, `C-${k % customers}`, rand(60), 10_000 + rand(1_000_000)));
    for (let k = 0; k < OLDEST_PAYMENTS; k++) {
      payments.push(makePayment(`P-${k}`, `C-${k % customers}`, null, 1 + rand(800_000), 40 + Math.floor(k / customers)));
    }
    return { plans, payments };
  });
  console.log(
    `  setup: ${fmt(planCount)} plans (${fmt(planCount * 3)} installments) of ${fmt(customers)} customers, ${fmt(OLDEST_PAYMENTS)} payments (~${paymentsPerCustomer} each) in ${fmt(setup.ms)} ms`,
  );
  run(`${fmt(OLDEST_PAYMENTS)} payments oldest first over ${fmt(planCount * 3)}`, setup.value.payments, setup.value.plans, { kind: 'oldestFirst' });
  // every payment spreads over all its customer's open installments (~20 applications each): one round
  run(`${fmt(OLDEST_PAYMENTS)} payments proportional over ${fmt(planCount * 3)} (1 round)`, setup.value.payments, setup.value.plans, { kind: 'proportional' }, 1);
}

/* ----------------------------------------------------- 4. the splits, ours and dinero.js */

{
  const amounts: Money[] = totals.map((m) => must(parseMoney({ currency: 'CNY', minor: m })));
  const dineros = totals.map((m) => dinero({ amount: m, currency: CNY }));
  const weights = [30, 50, 20];
  let check = 0;
  const ours = median(
    Array.from({ length: ROUNDS }, () =>
      timed(() => {
        for (const a of amounts) check += must(allocateMoney(a, weights))[1]!.minor as number;
      }).ms,
    ),
  );
  let checkD = 0;
  const theirs = median(
    Array.from({ length: ROUNDS }, () =>
      timed(() => {
        for (const d of dineros) checkD += toSnapshot(allocate(d, weights)[1]!).amount;
      }).ms,
    ),
  );
  let differ = 0;
  for (let k = 0; k < amounts.length; k++) {
    const a = must(allocateMoney(amounts[k]!, weights)).map((m) => m.minor as number);
    const b = allocate(dineros[k]!, weights).map((d) => toSnapshot(d).amount);
    if (a.some((x, i) => x !== b[i])) differ++;
  }
  console.log(
    `  30-50-20 splits of ${fmt(amounts.length)} totals: allocateMoney ${fmt(ours)} ms (${fmt((amounts.length / ours) * 1000)}/s), dinero.js allocate ${fmt(theirs)} ms (${fmt((amounts.length / theirs) * 1000)}/s): ours ${(theirs / ours).toFixed(2)}× dinero.js's speed; ${fmt(differ)} splits differ (dinero hands leftover cents out in list order, ours to the largest remainders)`,
  );
  if (check === -1 || checkD === -1) console.log(check, checkD);
}
console.log(`  machine: ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)} at the end of the run, node ${process.version}`);
