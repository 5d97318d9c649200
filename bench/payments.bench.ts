/**
 * Throughput of payment allocation: `npx tsx bench/payments.bench.ts`.
 *
 * 1. Payments against 3-installment plans (30-50-20 of seeded totals, due 0 / 30 / 60 days after
 *    the order, in Asia/Shanghai): one payment per order — short, exact or over — applied in
 *    installment order by `allocatePayments`, end to end: validation of the (library-built)
 *    entities, the allocation, and every result object (next payments and plans, applications,
 *    events). `BENCH_PLANS` sets the count (default 200,000; the issue's figure is 1,000,000,
 *    whose inputs alone take about 2.5 GB of heap: run it with NODE_OPTIONS=--max-old-space-size=8192).
 * 2. Oldest first of `BENCH_OLDEST_PAYMENTS` payments (default 250,000) over
 *    `BENCH_OLDEST_INSTALLMENTS` installments (default 1,000,000): customers with ~7 plans of 3
 *    installments and 5 payments each, every payment spread over its customer's installments
 *    oldest due first.
 * 3. The first 50,000 of those payments one call at a time through `allocatePayment` (the
 *    per-call door). The oldest-first data set is also run proportionally (one round).
 * Each batch row is followed by the same batch through `allocatePaymentsColumnar` (the same
 *    doors and engine, the applications as columns of numbers: no result objects), then through
 *    `allocateLedger` (the same engine over the work as columns — what a host's SQL returns,
 *    derived here from the entities in the setup, not timed — with the door's element checks:
 *    no entities in, no result objects out), checked to make the same number of applications
 *    of the same total. The ledger's rows run after the data set's entities are released (a host
 *    reading columns from its database holds no entities); one round with the entities still
 *    in the heap is printed next to the column row for comparison.
 * On the first data set, the result objects alone (built from the columns with no allocation
 *    logic; see `rebuildResults`) are timed too: what the first target's objects cost here.
 * After each of the two data sets, a target line per figure says whether it meets issue 6's
 *    target (1,000,000 payments ≤ 1 s with result objects; 250,000 payments oldest first over
 *    1,000,000 installments ≤ 1 s); at other sizes the figure is projected linearly and says so.
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
  allocateLedger,
  allocatePayment,
  allocatePayments,
  allocatePaymentsColumnar,
  createPaymentPlan,
  recordPayment,
  type AllocationColumns,
  type Installment,
  type PaymentApplication,
  type AllocationStrategyInput,
  type LedgerAllocationInput,
  type LedgerStrategy,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
} from '../src/payments/index.js';
import { seededRand } from './seeded.js';

const PLANS = Number(process.env.BENCH_PLANS ?? 200_000);
const OLDEST_PAYMENTS = Number(process.env.BENCH_OLDEST_PAYMENTS ?? 250_000);
const OLDEST_INSTALLMENTS = Number(process.env.BENCH_OLDEST_INSTALLMENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ZONE = 'Asia/Shanghai';
const T0 = Date.parse('2026-01-05T02:00:00Z');
const DAY = 86_400_000;

const rand = seededRand(0x2545f491);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const minor = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;
function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const ctx = { now: new Date(T0 + 40 * DAY), actor: { id: 'system:bench' }, policy: { zone: ZONE } } satisfies PaymentContext;

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

/** One data set's figures (medians, ms), and the ledger's input and expected outcome, for its run once the entities are gone. */
interface Figures {
  readonly label: string;
  readonly objects: number;
  /** The result objects alone, built from the columns with no allocation logic (see `rebuildResults`; NaN when not measured). */
  readonly alone: number;
  readonly columns: number;
  readonly rounds: number;
  readonly input: LedgerAllocationInput;
  readonly expected: { readonly applications: number; readonly total: number };
}

function run(label: string, payments: Payment[], plans: PaymentPlan[], strategy: AllocationStrategyInput & { kind: LedgerStrategy }, rounds = ROUNDS, withAlone = false): Figures {
  const o = runObjects(label, payments, plans, strategy, rounds); // its results are gone before the columns run
  const { columns, alone } = runColumns(o.applications, payments, plans, strategy, rounds, withAlone);
  const input = ledgerInputOf(payments, plans, strategy.kind);
  // for comparison: the ledger while the entities fill the heap (its few large arrays set off full collections of that heap)
  const crowded = timed(() => must(allocateLedger(input)).amount.length);
  if (crowded.value !== o.applications) throw new Error(`ledger: ${crowded.value} applications, objects: ${o.applications}`);
  console.log(`  ${'  … allocateLedger, these entities still in the heap'.padEnd(44)} ${fmt(crowded.ms).padStart(7)} ms  (1 round; not what a host reading columns has: see below)`);
  return { label, objects: o.ms, alone, columns, rounds, input, expected: o };
}

function runObjects(label: string, payments: Payment[], plans: PaymentPlan[], strategy: AllocationStrategyInput, rounds: number): { ms: number; applications: number; total: number } {
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
  const total = b.allocations.reduce((s, a) => s + (a.applied.minor as number), 0);
  console.log(
    `  ${label.padEnd(44)} ${fmt(ms).padStart(7)} ms  ${(((ms * 1000) / payments.length) as number).toFixed(2).padStart(6)} µs/payment  ${fmt((payments.length / ms) * 1000).padStart(10)} payments/s  (${fmt(applications)} applications, ${fmt(resultObjects(b))} result objects, ${fmt(b.skipped.length)} skipped)`,
  );
  return { ms, applications, total };
}

/**
 * What `allocatePayments`' result objects cost on their own, built from what the batch
 * decided — its applications as columns (`allocatePaymentsColumnar`, made beforehand, not
 * timed) — with no allocation logic: no grouping, no ordering, no sums but each plan's paid
 * amounts. Every application, allocation, next payment, next plan (with its changed
 * installments) and event, field by field and frozen, the same shapes and count as the rules
 * build (sharing a whole installment's amount and the zero, as they do; without the rules'
 * trust stamp, and with a small array per plan touched where they keep one flat array). An
 * estimate, not a bound: the other is `allocatePayments` minus `allocatePaymentsColumnar`; both
 * are printed against the target.
 */
function rebuildResults(c: AllocationColumns, payments: readonly Payment[], plans: readonly PaymentPlan[], strategy: string): number {
  const f = Object.freeze;
  const now = ctx.now as Date;
  const actorId = ctx.actor.id;
  const zeros = new Map<string, Money>();
  const money = (currency: Money['currency'], minor: number): Money => {
    if (minor !== 0) return f({ currency, minor }) as Money;
    let z = zeros.get(currency);
    if (z === undefined) zeros.set(currency, (z = f({ currency, minor }) as Money));
    return z;
  };
  const kept: unknown[] = [];
  // per plan touched, the applications made to it (its event) and what each installment received
  const logs = new Array<PaymentApplication[] | undefined>(plans.length);
  const received = new Array<number[] | undefined>(plans.length);
  const touched: number[] = [];
  const n = c.amount.length;
  for (let k = 0; k < n; ) {
    const i = c.payment[k]!;
    const p = payments[i]!;
    const cur = p.amount.currency;
    const apps: PaymentApplication[] = [];
    for (; k < n && c.payment[k] === i; k++) {
      const plan = plans[c.plan[k]!]!;
      const inst = plan.installments[c.installment[k]!]!;
      const amount = c.amount[k]!;
      const app: PaymentApplication = f({
        paymentId: p.id, seq: c.seq[k]!, planId: plan.id, orderId: plan.orderId, installmentId: inst.id,
        amount: amount === inst.amount.minor ? inst.amount : money(cur, amount), appliedAt: now, appliedBy: actorId,
      });
      apps.push(app);
      const at = c.plan[k]!;
      let log = logs[at];
      if (log === undefined) {
        logs[at] = log = [];
        received[at] = new Array<number>(plan.installments.length).fill(0);
        touched.push(at);
      }
      log.push(app);
      received[at]![c.installment[k]!]! += amount;
    }
    f(apps);
    const applied = money(cur, c.applied[i]!);
    const unapplied = money(cur, c.unapplied[i]!);
    kept.push(
      f({ paymentId: p.id, applications: apps, applied, unapplied }),
      f({
        id: p.id, version: p.version + 1, kind: p.kind, customerId: p.customerId, orderId: p.orderId, amount: p.amount, receivedAt: p.receivedAt, method: p.method,
        reference: p.reference, note: p.note, status: p.status, applications: apps, refunds: p.refunds, lastSeq: apps[apps.length - 1]!.seq, reversal: p.reversal,
        createdAt: p.createdAt, createdBy: p.createdBy, updatedAt: now,
      }),
      f({ type: 'payment.applied', at: now, actorId, subject: f({ kind: 'payment', id: p.id }), version: p.version + 1, data: f({ strategy, applications: apps, applied, unapplied }) }),
    );
  }
  for (const at of touched) {
    const log = logs[at]!;
    const plan = plans[at]!;
    const given = plan.installments;
    const added = received[at]!;
    const insts = new Array<Installment>(given.length);
    for (let j = 0; j < given.length; j++) {
      const i = given[j]!;
      const paid = (i.paid.minor as number) + added[j]!;
      insts[j] =
        paid === i.paid.minor
          ? i
          : f({ id: i.id, dueDate: i.dueDate, dueAt: i.dueAt, overdueAt: i.overdueAt, amount: i.amount, paid: paid === i.amount.minor ? i.amount : money(plan.currency, paid), credited: i.credited, writtenOff: i.writtenOff, badDebt: i.badDebt });
    }
    f(insts);
    kept.push(
      f({
        id: plan.id, version: plan.version + 1, orderId: plan.orderId, customerId: plan.customerId, ownerId: plan.ownerId, currency: plan.currency, total: plan.total,
        orderDate: plan.orderDate, zone: plan.zone, installments: insts, createdAt: plan.createdAt, createdBy: plan.createdBy, updatedAt: now,
      }),
      f({ type: 'paymentPlan.paymentApplied', at: now, actorId, subject: f({ kind: 'paymentPlan', id: plan.id }), version: plan.version + 1, data: f({ orderId: plan.orderId, customerId: plan.customerId, applications: f(log) }) }),
    );
  }
  return kept.length;
}

/** The same batch as columns. */
function runColumns(applications: number, payments: Payment[], plans: PaymentPlan[], strategy: AllocationStrategyInput, rounds: number, withAlone: boolean): { columns: number; alone: number } {
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
  if (!withAlone) return { columns: cms, alone: Number.NaN };
  const alone = median(Array.from({ length: rounds }, () => timed(() => rebuildResults(c, payments, plans, strategy.kind)).ms));
  console.log(
    `  ${'  … its result objects alone'.padEnd(44)} ${fmt(alone).padStart(7)} ms  ${((alone * 1000) / payments.length).toFixed(2).padStart(6)} µs/payment  (built from the columns with no allocation logic: what these objects cost here)`,
  );
  return { columns: cms, alone };
}

/**
 * The work as a host's SQL would return it (see `allocateLedger`): the installments grouped
 * (by order for installment order, by customer otherwise), groups ascending, each group in the
 * strategy's order; the payments in receipt order. Setup, not timed.
 */
function ledgerInputOf(payments: readonly Payment[], plans: readonly PaymentPlan[], strategy: LedgerStrategy): LedgerAllocationInput {
  const perOrder = strategy === 'installmentOrder';
  const groupOf = new Map<string, number>();
  for (const p of plans) {
    const key = perOrder ? p.orderId : p.customerId;
    if (!groupOf.has(key)) groupOf.set(key, groupOf.size);
  }
  let size = 0;
  for (const p of plans) size += p.installments.length;
  const group = new Int32Array(size);
  const due = new Float64Array(size);
  const planOf = new Int32Array(size);
  const position = new Int32Array(size);
  const owes = new Float64Array(size);
  let s = 0;
  plans.forEach((p, k) => {
    const g = groupOf.get(perOrder ? p.orderId : p.customerId)!;
    p.installments.forEach((inst, i) => {
      group[s] = g;
      due[s] = inst.dueAt.getTime();
      planOf[s] = k;
      position[s] = i;
      owes[s++] = (inst.amount.minor as number) - (inst.paid.minor as number) - (inst.credited.minor as number) - (inst.writtenOff.minor as number) - (inst.badDebt.minor as number);
    });
  });
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const pa = (x: number) => plans[planOf[x]!]!;
  const order = Int32Array.from({ length: size }, (_, x) => x).sort(
    (a, b) =>
      group[a]! - group[b]! ||
      (perOrder
        ? byCode(pa(a).id, pa(b).id) || position[a]! - position[b]!
        : due[a]! - due[b]! || pa(a).orderDate.getTime() - pa(b).orderDate.getTime() || byCode(pa(a).orderId, pa(b).orderId) || byCode(pa(a).id, pa(b).id) || position[a]! - position[b]!),
  );
  const pays = Int32Array.from({ length: payments.length }, (_, x) => x).sort(
    (a, b) => payments[a]!.receivedAt.getTime() - payments[b]!.receivedAt.getTime() || byCode(payments[a]!.id, payments[b]!.id),
  );
  const spent = (p: Payment) => [...p.applications, ...p.refunds].reduce((t, x) => t + (x.amount.minor as number), 0);
  return {
    currency: 'CNY',
    strategy,
    installments: { group: Int32Array.from(order, (x) => group[x]!), outstanding: Float64Array.from(order, (x) => owes[x]!) },
    payments: {
      // a payment whose group has no plan: a number no installment has
      group: Float64Array.from(pays, (x) => groupOf.get((perOrder ? payments[x]!.orderId : payments[x]!.customerId) ?? '') ?? groupOf.size),
      unapplied: Float64Array.from(pays, (x) => (payments[x]!.status === 'reversed' ? 0 : (payments[x]!.amount.minor as number) - spent(payments[x]!))),
    },
  };
}

/** The same work through `allocateLedger` (door with element checks included); the same count and total of applications as the objects. */
function runLedger({ label, input, expected: objects, rounds }: Figures): number {
  const times: number[] = [];
  let last: ReturnType<typeof allocateLedger> | undefined;
  for (let r = 0; r < rounds; r++) {
    last = undefined;
    const t = timed(() => allocateLedger(input));
    times.push(t.ms);
    last = t.value;
  }
  const l = must(last!);
  const total = l.amount.reduce((a, b) => a + b, 0);
  if (l.amount.length !== objects.applications || total !== objects.total) {
    throw new Error(`ledger: ${l.amount.length} applications of ${total}, objects: ${objects.applications} of ${objects.total}`);
  }
  const trusted = median(Array.from({ length: rounds }, () => timed(() => allocateLedger(input, { trusted: true })).ms));
  const n = l.applied.length;
  const ms = median(times);
  console.log(
    `  ${`${label}, allocateLedger`.padEnd(44)} ${fmt(ms).padStart(7)} ms  ${((ms * 1000) / n).toFixed(2).padStart(6)} µs/payment  ${fmt((n / ms) * 1000).padStart(10)} payments/s  (${fmt(l.amount.length)} applications, ${fmt(l.skipped.length)} skipped; ${fmt(trusted)} ms trusted)`,
  );
  return ms;
}

/**
 * One line per figure: against a target of `limitMs` for `size` payments, measured at `measured`
 * (projected linearly when they differ). A figure marked `partial` does not do all the target
 * asks (no result objects): it can be within the time, never meet the target. A figure marked
 * `alone` is no implementation but the target's result objects by themselves (see
 * `rebuildResults`): over the limit, they put the target out of reach here whatever builds them.
 */
function targetLines(target: string, size: number, measured: number, figures: readonly (readonly [string, number, ('whole' | 'partial' | 'alone')?])[], limitMs = 1000): void {
  const scale = size / measured;
  const at = scale === 1 ? '' : ` (projected from ${fmt(measured)} payments ×${scale.toFixed(2)})`;
  console.log(`  target: ${target}`);
  for (const [what, ms, kind = 'whole'] of figures) {
    const projected = ms * scale;
    const within = projected <= limitMs;
    const verdict =
      kind === 'whole'
        ? within
          ? 'meets it'
          : 'misses it'
        : kind === 'partial'
          ? `${within ? 'within' : 'over'} the time, without result objects: not the target as written`
          : within
            ? 'under the limit by themselves (says nothing of an engine)'
            : 'over the limit by themselves: out of reach on this machine for these objects';
    console.log(`    ${what.padEnd(68)} ${(projected / 1000).toFixed(2).padStart(6)} s${at}: ${verdict}`);
  }
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
const first = run(`${fmt(PLANS)} payments, installment order`, t.value.payments, t.value.plans, { kind: 'installmentOrder' }, ROUNDS, true);

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

// the ledger as a host runs it: columns from its database, no entities in the process
console.log('  as a ledger of columns, the entities released (what a host reading columns from its database has in memory):');
const firstLedger = runLedger(first);
targetLines('1,000,000 payments against 3-installment plans ≤ 1 s end to end with result objects', 1_000_000, PLANS, [
  ['allocatePayments (with result objects: what the target asks)', first.objects],
  ['result objects alone (built from the columns, no allocation logic)', first.alone, 'alone'],
  ['result objects alone (allocatePayments minus the columnar run)', first.objects - first.columns, 'alone'],
  ['allocatePaymentsColumnar (entities in, no result objects)', first.columns, 'partial'],
  ['allocateLedger (columns in and out: no entities, no result objects)', firstLedger, 'partial'],
]);

/* ------------------------------------------------ 2. oldest first over many installments */

{
  const plansPerCustomer = 7;
  const paymentsPerCustomer = 5;
  const planCount = Math.ceil(OLDEST_INSTALLMENTS / 3);
  const customers = Math.ceil(planCount / plansPerCustomer);
  let setup = timed(() => {
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
  const oldest = run(`${fmt(OLDEST_PAYMENTS)} payments oldest first over ${fmt(planCount * 3)}`, setup.value.payments, setup.value.plans, { kind: 'oldestFirst' });
  // every payment spreads over all its customer's open installments (~20 applications each): one round
  const spread = run(`${fmt(OLDEST_PAYMENTS)} payments proportional over ${fmt(planCount * 3)} (1 round)`, setup.value.payments, setup.value.plans, { kind: 'proportional' }, 1);
  setup = undefined as never; // release the second data set
  console.log('  as a ledger of columns, the entities released:');
  const oldestLedger = runLedger(oldest);
  runLedger(spread);
  if (planCount * 3 < 900_000 || planCount * 3 > 1_100_000) console.log(`  (the target below is over ~1,000,000 installments; these ran over ${fmt(planCount * 3)})`);
  targetLines('250,000 payments oldest first over 1,000,000 installments ≤ 1 s', 250_000, OLDEST_PAYMENTS, [
    ['allocatePayments (with result objects)', oldest.objects],
    ['allocatePaymentsColumnar (entities in, no result objects)', oldest.columns],
    ['allocateLedger (columns in and out)', oldestLedger],
  ]);
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
