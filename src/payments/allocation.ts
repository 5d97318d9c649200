import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { ruleEvent } from '../core/events.js';
import { allocateMoney, type CurrencyCode, type Money } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, instantSchema, parseInput } from '../core/validation.js';
import {
  decided,
  amountText,
  minorOf,
  moneyOf,
  outstandingMinor,
  parseContext,
  parsePayment,
  parsePaymentPlan,
  parsePlans,
  positiveMoney,
  readAmountIn,
  nextInstallment,
  nextPayment,
  nextPlan,
  unappliedMinor,
  type Installment,
  type ParsedPaymentContext,
  type Payment,
  type PaymentApplication,
  type PaymentContext,
  type PaymentEvent,
  type PaymentPlan,
} from './model.js';
import { laterOf, newPayment, recordPaymentInputSchema, type PaymentDecision, type RecordPaymentInput } from './payments.js';
import { invalidPaymentInput, paymentRefusal } from './refusals.js';

/* ----------------------------------------------------------------------- strategies */


/**
 * The doors a step on one payment shares, in this order: the payment, the plans it touches, the
 * step's options and the context (internal).
 */
function paymentStepDoor<O extends z.ZodType>(
  payment: unknown,
  plans: unknown,
  schema: O,
  options: unknown,
  path: string,
  context: PaymentContext,
): Result<{ pay: Payment; plans: PaymentPlan[]; opts: z.output<O>; ctx: ParsedPaymentContext }, CrmError> {
  const p = parsePayment(payment);
  if (!p.ok) return p;
  const ps = parsePlans(plans);
  if (!ps.ok) return ps;
  const opts = parseInput(schema, options, [path]);
  if (!opts.ok) return opts;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  return ok({ pay: p.value, plans: ps.value, opts: opts.value, ctx: ctx.value });
}

/**
 * An amount in a command: a decimal string in the payment's currency ("300.00"), a whole
 * number of major units, or an amount object in that currency.
 *
 * @example
 * const a: AmountInput = '300.00';
 */
export type AmountInput = string | number | Money | { readonly currency: string; readonly amount: string };

/**
 * One application the user chose: this much of the payment to this installment.
 *
 * @example
 * const a: ExplicitApplicationInput = { planId: 'PP-1', installmentId: 'I2', amount: '500.01' };
 */
export interface ExplicitApplicationInput {
  readonly planId: string;
  readonly installmentId: string;
  readonly amount: AmountInput;
}

/**
 * How a payment is spread over what is outstanding. `amount` (default: all of the unapplied
 * rest) caps what is applied; whatever is not applied stays on the payment as credit.
 * - `oldestFirst`: installments by due date, then order date, then order id (then plan id and
 *   position in the plan), each filled before the next; `excludeOrderIds` leaves orders out
 *   (an order in dispute, §366 BGB's "the debtor names the debt");
 * - `proportional`: across everything outstanding in proportion to what each installment
 *   owes, by largest remainder (ties to the larger debt, then the older installment);
 * - `installmentOrder`: within one order (default: the payment's own order), in the order the
 *   plan lists its installments;
 * - `explicit`: exactly the applications the user lists (回款明细 entered by hand).
 * An installment never receives more than it owes.
 *
 * @example
 * const s: AllocationStrategyInput = { kind: 'oldestFirst', excludeOrderIds: ['SO-disputed'] };
 */
export type AllocationStrategyInput =
  | { readonly kind: 'oldestFirst'; readonly amount?: AmountInput; readonly excludeOrderIds?: readonly string[] }
  | { readonly kind: 'proportional'; readonly amount?: AmountInput; readonly excludeOrderIds?: readonly string[] }
  | { readonly kind: 'installmentOrder'; readonly amount?: AmountInput; readonly orderId?: string }
  | { readonly kind: 'explicit'; readonly applications: readonly ExplicitApplicationInput[] };

/** The strategy kinds. @example ALLOCATION_STRATEGIES.includes('proportional') // true */
export const ALLOCATION_STRATEGIES = ['oldestFirst', 'proportional', 'installmentOrder', 'explicit'] as const;

/** A strategy kind. @example const k: AllocationStrategyKind = 'oldestFirst'; */
export type AllocationStrategyKind = (typeof ALLOCATION_STRATEGIES)[number];

const excludeSchema = z.array(idSchema).max(100_000).optional();

/**
 * The schema of a strategy (see `AllocationStrategyInput`).
 *
 * @example
 * allocationStrategySchema.parse({ kind: 'installmentOrder', orderId: 'SO-1' })
 */
export const allocationStrategySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('oldestFirst'), amount: z.unknown().optional(), excludeOrderIds: excludeSchema }).strict(),
  z.object({ kind: z.literal('proportional'), amount: z.unknown().optional(), excludeOrderIds: excludeSchema }).strict(),
  z.object({ kind: z.literal('installmentOrder'), amount: z.unknown().optional(), orderId: idSchema.optional() }).strict(),
  z
    .object({
      kind: z.literal('explicit'),
      applications: z
        .array(z.object({ planId: idSchema, installmentId: idSchema, amount: z.unknown() }).strict())
        .min(1)
        .max(10_000),
    })
    .strict(),
]);

type Strategy = z.output<typeof allocationStrategySchema>;
type AutoStrategy = Exclude<Strategy, { kind: 'explicit' }>;

/* ----------------------------------------------------------------------- the ledger */

/** A plan being worked on: outstanding per installment and what changed. */
interface WorkPlan {
  readonly plan: PaymentPlan;
  readonly outstanding: number[];
  paidDelta: number[] | null;
  creditedDelta: number[] | null;
  /** The applications made to (or taken off) the plan, for its event. */
  log: PaymentApplication[] | null;
}

interface Slot {
  readonly wp: WorkPlan;
  readonly i: number;
}

interface Group {
  readonly slots: Slot[];
  /** Every slot before `next` is settled. */
  next: number;
}

function workPlan(plan: PaymentPlan): WorkPlan {
  const insts = plan.installments;
  const outstanding = new Array<number>(insts.length);
  for (let i = 0; i < insts.length; i++) outstanding[i] = outstandingMinor(insts[i]!);
  return { plan, outstanding, paidDelta: null, creditedDelta: null, log: null };
}

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Oldest due first: due date, then order date, order id, plan id, position in the plan. */
function oldestFirstOrder(a: Slot, b: Slot): number {
  const pa = a.wp.plan;
  const pb = b.wp.plan;
  return (
    pa.installments[a.i]!.dueAt.getTime() - pb.installments[b.i]!.dueAt.getTime() ||
    pa.orderDate.getTime() - pb.orderDate.getTime() ||
    byString(pa.orderId, pb.orderId) ||
    byString(pa.id, pb.id) ||
    a.i - b.i
  );
}

/** Installment order within an order: plan id, then position. */
function installmentOrder(a: Slot, b: Slot): number {
  return a.wp === b.wp ? a.i - b.i : byString(a.wp.plan.id, b.wp.plan.id) || a.i - b.i;
}

/** Sorts in place unless already in order (a batch's input usually is). */
function sortIfNeeded<T>(xs: T[], order: (a: T, b: T) => number): void {
  for (let k = 1; k < xs.length; k++) {
    if (order(xs[k - 1]!, xs[k]!) > 0) {
      xs.sort(order);
      return;
    }
  }
}

/** Payments oldest received first, ties by id: keys read once into flat arrays, indices sorted. */
function byReceipt(pays: readonly Payment[]): readonly Payment[] {
  const n = pays.length;
  const times = new Float64Array(n);
  const ids = new Array<string>(n);
  let sorted = true;
  for (let k = 0; k < n; k++) {
    times[k] = pays[k]!.receivedAt.getTime();
    ids[k] = pays[k]!.id;
    if (k > 0 && (times[k - 1]! > times[k]! || (times[k - 1] === times[k] && ids[k - 1]! > ids[k]!))) sorted = false;
  }
  if (sorted) return pays;
  const order = Array.from({ length: n }, (_, k) => k);
  order.sort((a, b) => times[a]! - times[b]! || byString(ids[a]!, ids[b]!));
  return order.map((k) => pays[k]!);
}

interface PaymentRun {
  readonly payment: Payment;
  readonly currency: CurrencyCode;
  unapplied: number;
  lastSeq: number;
  readonly added: PaymentApplication[];
  /** The plans changed so far (shared by the runs of a batch), in the order first touched. */
  readonly touched: WorkPlan[];
}

function startRun(payment: Payment, touched: WorkPlan[]): PaymentRun {
  return { payment, currency: payment.amount.currency, unapplied: unappliedMinor(payment), lastSeq: payment.lastSeq, added: [], touched };
}

/** Whether a slot's plan is the paying customer's, in the payment's currency (a batch mixes customers). */
function fits(run: PaymentRun, wp: WorkPlan): boolean {
  return wp.plan.customerId === run.payment.customerId && wp.plan.currency === run.currency;
}

/** A frozen event, built without the copies `ruleEvent` makes (the batch paths build millions). */
function paymentEvent(type: PaymentEvent['type'], kind: string, id: string, version: number, data: Record<string, unknown>, ctx: ParsedPaymentContext): PaymentEvent {
  return Object.freeze({ type, at: ctx.now, actorId: ctx.actorId, subject: Object.freeze({ kind, id }), version, data: Object.freeze(data) });
}

/** Applies `amount` (> 0, ≤ the slot's outstanding and the run's unapplied) of the run's payment to one installment. */
function settle(run: PaymentRun, slot: Slot, amount: number, ctx: ParsedPaymentContext): void {
  const wp = slot.wp;
  const plan = wp.plan;
  const i = slot.i;
  const inst = plan.installments[i]!;
  const seq = ++run.lastSeq;
  const application: PaymentApplication = Object.freeze({
    paymentId: run.payment.id,
    seq,
    planId: plan.id,
    orderId: plan.orderId,
    installmentId: inst.id,
    amount: moneyOf(run.currency, amount),
    appliedAt: ctx.now,
    appliedBy: ctx.actorId,
  });
  run.added.push(application);
  run.unapplied -= amount;
  wp.outstanding[i]! -= amount;
  const deltas = run.payment.kind === 'payment' ? (wp.paidDelta ??= zeros(plan.installments.length)) : (wp.creditedDelta ??= zeros(plan.installments.length));
  deltas[i]! += amount;
  if (wp.log === null) {
    wp.log = [];
    run.touched.push(wp);
  }
  wp.log.push(application);
}

/** Fills the slots the payment fits in order, each up to what it owes, until `amount` is spent; advances `next` past settled slots. */
function fillInOrder(run: PaymentRun, group: Group, amount: number, ctx: ParsedPaymentContext): void {
  const slots = group.slots;
  let k = group.next;
  let left = amount;
  let settledSoFar = true;
  while (left > 0 && k < slots.length) {
    const s = slots[k]!;
    const o = s.wp.outstanding[s.i]!;
    if (o > 0) {
      if (fits(run, s.wp)) {
        const take = o < left ? o : left;
        settle(run, s, take, ctx);
        left -= take;
        if (take < o) break;
      } else settledSoFar = false; // another customer's or currency's debt: `next` stays before it
    }
    k++;
    if (settledSoFar) group.next = k;
  }
}

/** Spreads `amount` over the open slots in proportion to what each owes, by largest remainder. */
function fillProportional(run: PaymentRun, group: Group, amount: number, ctx: ParsedPaymentContext): void {
  const open: Slot[] = [];
  const weights: number[] = [];
  let sum = 0;
  const slots = group.slots;
  while (group.next < slots.length && slots[group.next]!.wp.outstanding[slots[group.next]!.i] === 0) group.next++;
  for (let k = group.next; k < slots.length; k++) {
    const s = slots[k]!;
    const o = s.wp.outstanding[s.i]!;
    if (o > 0 && fits(run, s.wp)) {
      open.push(s);
      weights.push(o);
      sum += o;
    }
  }
  if (open.length === 0) return;
  if (amount >= sum) {
    for (let k = 0; k < open.length; k++) settle(run, open[k]!, weights[k]!, ctx);
    return;
  }
  // amounts as weights take the kernel's fast path
  const shares = allocateMoney(moneyOf(run.currency, amount), weights.map((w) => moneyOf(run.currency, w)));
  if (!shares.ok) return; // unreachable: weights are positive safe integers
  for (let k = 0; k < open.length; k++) {
    const share = minorOf(shares.value[k]!);
    if (share > 0) settle(run, open[k]!, share, ctx);
  }
}

function fill(run: PaymentRun, group: Group, kind: AutoStrategy['kind'], amount: number, ctx: ParsedPaymentContext): void {
  if (kind === 'proportional') fillProportional(run, group, amount, ctx);
  else fillInOrder(run, group, amount, ctx);
}

function finishPayment(run: PaymentRun, ctx: ParsedPaymentContext, bumpVersion = true): Payment {
  const p = run.payment;
  Object.freeze(run.added);
  return nextPayment(p, {
    version: bumpVersion ? p.version + 1 : p.version,
    applications: p.applications.length === 0 ? run.added : Object.freeze([...p.applications, ...run.added]),
    lastSeq: run.lastSeq,
    updatedAt: laterOf(p.updatedAt, ctx.now),
  });
}

function finishPlan(wp: WorkPlan, ctx: ParsedPaymentContext): PaymentPlan {
  const plan = wp.plan;
  const cur = plan.currency;
  const pd = wp.paidDelta;
  const cd = wp.creditedDelta;
  const n = plan.installments.length;
  const insts = new Array<Installment>(n);
  for (let i = 0; i < n; i++) {
    const inst = plan.installments[i]!;
    const dp = pd === null ? 0 : pd[i]!;
    const dc = cd === null ? 0 : cd[i]!;
    insts[i] =
      dp === 0 && dc === 0
        ? inst
        : nextInstallment(inst, {
            paid: dp === 0 ? inst.paid : moneyOf(cur, minorOf(inst.paid) + dp),
            credited: dc === 0 ? inst.credited : moneyOf(cur, minorOf(inst.credited) + dc),
          });
  }
  return nextPlan(plan, { version: plan.version + 1, installments: Object.freeze(insts), updatedAt: laterOf(plan.updatedAt, ctx.now) });
}

function planEvent(wp: WorkPlan, next: PaymentPlan, type: 'paymentPlan.paymentApplied' | 'paymentPlan.paymentUnapplied', ctx: ParsedPaymentContext): PaymentEvent {
  return paymentEvent(type, 'paymentPlan', next.id, next.version, { orderId: next.orderId, customerId: next.customerId, applications: Object.freeze(wp.log ?? []) }, ctx);
}

function appliedEvent(
  run: PaymentRun,
  next: Payment,
  strategy: AllocationStrategyKind | 'creditNote',
  ctx: ParsedPaymentContext,
  applied?: Money,
  unapplied?: Money,
): PaymentEvent {
  let sum = 0;
  if (applied === undefined) for (const a of run.added) sum += minorOf(a.amount);
  return paymentEvent(
    'payment.applied',
    'payment',
    next.id,
    next.version,
    { strategy, applications: run.added, applied: applied ?? moneyOf(run.currency, sum), unapplied: unapplied ?? moneyOf(run.currency, run.unapplied) },
    ctx,
  );
}

/** The changed plans with one event each: in the order first touched, or by id. */
function finishPlans(
  touched: readonly WorkPlan[],
  type: 'paymentPlan.paymentApplied' | 'paymentPlan.paymentUnapplied',
  ctx: ParsedPaymentContext,
  byId = false,
): { plans: PaymentPlan[]; events: PaymentEvent[] } {
  const changed = byId ? [...touched].sort((a, b) => byString(a.plan.id, b.plan.id)) : touched;
  const plans: PaymentPlan[] = [];
  const events: PaymentEvent[] = [];
  for (const wp of changed) {
    const next = finishPlan(wp, ctx);
    plans.push(next);
    events.push(planEvent(wp, next, type, ctx));
  }
  return { plans, events };
}

/* ----------------------------------------------------------------------- decisions */

/**
 * A payment applied: the next payment and plans (frozen, version + 1; only the plans that
 * changed, in the order the strategy first touched them), the new applications in the order
 * they were made, what is left unapplied, and the events (`payment.applied`, then one
 * `paymentPlan.paymentApplied` per plan).
 *
 * @example
 * const d = value(allocatePayment(payment, plans, { kind: 'oldestFirst' }, ctx)); formatMoney(d.unapplied)
 */
export interface AllocationDecision {
  readonly payment: Payment;
  readonly plans: readonly PaymentPlan[];
  readonly applications: readonly PaymentApplication[];
  readonly unapplied: Money;
  readonly events: readonly PaymentEvent[];
}

function checkPlansFor(pay: Payment, plans: readonly PaymentPlan[]): Result<true, CrmError> {
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    if (plan.customerId !== pay.customerId) {
      return paymentRefusal('PAYMENT_CUSTOMER_MISMATCH', { paymentId: pay.id, customerId: pay.customerId, planId: plan.id, planCustomerId: plan.customerId });
    }
    if (plan.currency !== pay.amount.currency) {
      return paymentRefusal('PAYMENT_CURRENCY_MISMATCH', { paymentId: pay.id, paymentCurrency: pay.amount.currency, planId: plan.id, planCurrency: plan.currency });
    }
  }
  return ok(true);
}

function nothingToApply(pay: Payment): Result<never, CrmError> {
  const b = unappliedMinor(pay);
  return paymentRefusal('PAYMENT_NOTHING_TO_APPLY', { paymentId: pay.id, unapplied: amountText(pay.amount.currency, b), currency: pay.amount.currency });
}

function exceedsUnapplied(pay: Payment, operation: string, requested: number, unapplied: number): Result<never, CrmError> {
  const cur = pay.amount.currency;
  return paymentRefusal('PAYMENT_EXCEEDS_UNAPPLIED', {
    paymentId: pay.id,
    operation,
    requested: amountText(cur, requested),
    unapplied: amountText(cur, unapplied),
    currency: cur,
  });
}

function orderOf(strategy: AutoStrategy, pay: Payment): string | null {
  return strategy.kind === 'installmentOrder' ? (strategy.orderId ?? pay.orderId) : null;
}

/** The slots of `plans` a strategy may fill, in its order. */
function groupOf(ledger: readonly WorkPlan[], strategy: AutoStrategy, orderId: string | null): Group {
  const excluded = strategy.kind === 'installmentOrder' ? null : new Set(strategy.excludeOrderIds ?? []);
  const slots: Slot[] = [];
  for (const wp of ledger) {
    if (orderId !== null && wp.plan.orderId !== orderId) continue;
    if (excluded !== null && excluded.has(wp.plan.orderId)) continue;
    for (let i = 0; i < wp.plan.installments.length; i++) slots.push({ wp, i });
  }
  slots.sort(strategy.kind === 'installmentOrder' ? installmentOrder : oldestFirstOrder);
  return { slots, next: 0 };
}

function hasOutstanding(group: Group): boolean {
  for (let k = group.next; k < group.slots.length; k++) {
    const s = group.slots[k]!;
    if (s.wp.outstanding[s.i]! > 0) return true;
  }
  return false;
}

/**
 * Applies a payment (or a credit note's credit) to installments by a strategy (see
 * `AllocationStrategyInput`): never more than an installment owes, never more than the
 * payment has unapplied; what is not applied stays on the payment as the customer's credit,
 * usable later against any of its installments. The plans given must be the paying
 * customer's (`PAYMENT_CUSTOMER_MISMATCH`) and in the payment's currency
 * (`PAYMENT_CURRENCY_MISMATCH`). The result does not depend on the order the plans are listed.
 *
 * Refused: a reversed payment (`PAYMENT_REVERSED`), nothing left to apply
 * (`PAYMENT_NOTHING_TO_APPLY`), an `amount` beyond the unapplied rest
 * (`PAYMENT_EXCEEDS_UNAPPLIED`), nothing outstanding where the strategy looks
 * (`PAYMENT_NOTHING_OUTSTANDING`), `installmentOrder` with no order named
 * (`PAYMENT_ORDER_REQUIRED`); explicitly: an unknown installment
 * (`PAYMENT_INSTALLMENT_NOT_FOUND`) or more than it owes (`PAYMENT_OVER_ALLOCATED`).
 *
 * @example
 * // 1200.00 received against 300.00 + 500.00 due: both paid, 400.00 left as credit
 * allocatePayment(payment, [plan], { kind: 'installmentOrder', orderId: 'SO-1' }, { now, actorId: 'clerk-wu' })
 */
export function allocatePayment(
  payment: Payment,
  plans: readonly PaymentPlan[],
  strategy: AllocationStrategyInput,
  context: PaymentContext,
): Result<AllocationDecision, CrmError> {
  const door = paymentStepDoor(payment, plans, allocationStrategySchema, strategy, 'strategy', context);
  if (!door.ok) return door;
  const { pay, plans: ps, opts, ctx } = door.value;
  return allocateParsed(pay, ps, opts, ctx, null);
}

/**
 * Records a payment and applies it in one step (a clerk who knows what the money pays for):
 * `recordPayment` then `allocatePayment`, as one new payment (version 1) with its
 * applications. Refused as either would be; nothing is recorded then.
 *
 * @example
 * recordAndApplyPayment({ id: 'P-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '300.00' }, receivedAt, method: 'bankTransfer' }, [plan], { kind: 'installmentOrder' }, ctx)
 */
export function recordAndApplyPayment(
  input: RecordPaymentInput,
  plans: readonly PaymentPlan[],
  strategy: AllocationStrategyInput,
  context: PaymentContext,
): Result<AllocationDecision, CrmError> {
  const data = parseInput(recordPaymentInputSchema, input, ['input']);
  if (!data.ok) return data;
  const ps = parsePlans(plans);
  if (!ps.ok) return ps;
  const s = parseInput(allocationStrategySchema, strategy, ['strategy']);
  if (!s.ok) return s;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const created = newPayment('payment', data.value, ctx.value);
  return allocateParsed(created.payment, ps.value, s.value, ctx.value, created);
}

function allocateParsed(
  pay: Payment,
  plans: readonly PaymentPlan[],
  strategy: Strategy,
  ctx: ParsedPaymentContext,
  created: PaymentDecision | null,
): Result<AllocationDecision, CrmError> {
  if (pay.status === 'reversed') return paymentRefusal('PAYMENT_REVERSED', { paymentId: pay.id, operation: 'apply' });
  const checked = checkPlansFor(pay, plans);
  if (!checked.ok) return checked;
  const unapplied = unappliedMinor(pay);
  if (unapplied === 0) return nothingToApply(pay);
  const ledger = plans.map(workPlan);
  const run = startRun(pay, []);
  if (strategy.kind === 'explicit') {
    const done = applyExplicit(run, ledger, strategy, ctx);
    if (!done.ok) return done;
  } else {
    let requested = unapplied;
    if (strategy.amount !== undefined) {
      const a = readAmountIn(strategy.amount, run.currency, ['strategy', 'amount']);
      if (!a.ok) return a;
      if (a.value <= 0) return invalidPaymentInput([{ path: ['strategy', 'amount'], message: 'must be greater than zero', code: 'too_small' }]);
      if (a.value > unapplied) return exceedsUnapplied(pay, 'apply', a.value, unapplied);
      requested = a.value;
    }
    const orderId = orderOf(strategy, pay);
    if (strategy.kind === 'installmentOrder' && orderId === null) return paymentRefusal('PAYMENT_ORDER_REQUIRED', { paymentId: pay.id, strategy: strategy.kind });
    const group = groupOf(ledger, strategy, orderId);
    if (!hasOutstanding(group)) {
      return paymentRefusal('PAYMENT_NOTHING_OUTSTANDING', { paymentId: pay.id, customerId: pay.customerId, strategy: strategy.kind, orderId });
    }
    fill(run, group, strategy.kind, requested, ctx);
  }
  const next = finishPayment(run, ctx, created === null);
  const { plans: changed, events } = finishPlans(run.touched, 'paymentPlan.paymentApplied', ctx);
  return ok(decided({
    payment: next,
    plans: changed,
    applications: run.added,
    unapplied: moneyOf(run.currency, run.unapplied),
    events: [...(created?.events ?? []), appliedEvent(run, next, strategy.kind, ctx), ...events],
  }));
}

function applyExplicit(run: PaymentRun, ledger: readonly WorkPlan[], strategy: Extract<Strategy, { kind: 'explicit' }>, ctx: ParsedPaymentContext): Result<true, CrmError> {
  const byId = new Map(ledger.map((wp) => [wp.plan.id, wp]));
  const seen = new Set<string>();
  const chosen: { slot: Slot; amount: number }[] = [];
  let total = 0;
  for (let k = 0; k < strategy.applications.length; k++) {
    const a = strategy.applications[k]!;
    const at = ['strategy', 'applications', k];
    const key = `${a.planId}\u0000${a.installmentId}`;
    if (seen.has(key)) return invalidPaymentInput([{ path: at, message: `installment ${a.installmentId} of plan ${a.planId} is listed twice`, code: 'custom' }]);
    seen.add(key);
    const wp = byId.get(a.planId);
    const i = wp === undefined ? -1 : wp.plan.installments.findIndex((x) => x.id === a.installmentId);
    if (wp === undefined || i < 0) return paymentRefusal('PAYMENT_INSTALLMENT_NOT_FOUND', { planId: a.planId, installmentId: a.installmentId, path: at });
    const amount = readAmountIn(a.amount, run.currency, [...at, 'amount']);
    if (!amount.ok) return amount;
    if (amount.value <= 0) return invalidPaymentInput([{ path: [...at, 'amount'], message: 'must be greater than zero', code: 'too_small' }]);
    const outstanding = wp.outstanding[i]!;
    if (amount.value > outstanding) {
      return paymentRefusal('PAYMENT_OVER_ALLOCATED', {
        paymentId: run.payment.id,
        planId: wp.plan.id,
        installmentId: a.installmentId,
        requested: amountText(run.currency, amount.value),
        outstanding: amountText(run.currency, outstanding),
        currency: run.currency,
      });
    }
    total += amount.value;
    chosen.push({ slot: { wp, i }, amount: amount.value });
  }
  if (total > run.unapplied) return exceedsUnapplied(run.payment, 'apply', total, run.unapplied);
  for (const c of chosen) settle(run, c.slot, c.amount, ctx);
  return ok(true);
}

/* ------------------------------------------------------------------------- batches */

const PAYMENTS_AT: readonly string[] = Object.freeze(['payments']);

/**
 * What one payment of a batch received.
 *
 * @example
 * batch.allocations.find((a) => a.paymentId === 'P-7')?.unapplied
 */
export interface PaymentAllocation {
  readonly paymentId: string;
  readonly applications: readonly PaymentApplication[];
  readonly applied: Money;
  readonly unapplied: Money;
}

/** A payment a batch left alone, and why. @example batch.skipped[0]?.reason.code // 'PAYMENT_NOTHING_OUTSTANDING' */
export interface AllocationSkip {
  readonly paymentId: string;
  readonly reason: CrmError;
}

/**
 * The outcome of a batch: the changed payments (in the order they were applied) and plans (in
 * the order first touched), what each payment received, which were skipped and why, and the
 * events (the payments', then the plans').
 *
 * @example
 * const b = value(allocatePayments(payments, plans, { kind: 'oldestFirst' }, ctx)); await store.commit(b)
 */
export interface AllocationBatch {
  readonly payments: readonly Payment[];
  readonly plans: readonly PaymentPlan[];
  readonly allocations: readonly PaymentAllocation[];
  readonly skipped: readonly AllocationSkip[];
  readonly events: readonly PaymentEvent[];
}

/**
 * Applies many payments at once, oldest received first (ties by id), each by the same
 * automatic strategy over the running state of the plans — the customer's credit spent
 * against its installments (冲抵回款计划), or a night's bank receipts. Unlike
 * `allocatePayment`, plans of many customers and currencies may be mixed: a payment only sees
 * its own customer's plans in its own currency. `installmentOrder` without an `orderId` applies
 * each payment to its own order. Payments with nothing to apply or nothing outstanding are
 * skipped with the reason; `explicit` and `amount` do not apply to a batch.
 *
 * @example
 * allocatePayments(customerCreditPayments, customerPlans, { kind: 'oldestFirst' }, { now, actorId: 'system:payments' })
 */
export function allocatePayments(
  payments: readonly Payment[],
  plans: readonly PaymentPlan[],
  strategy: AllocationStrategyInput,
  context: PaymentContext,
): Result<AllocationBatch, CrmError> {
  if (!Array.isArray(payments)) return invalidPaymentInput([{ path: ['payments'], message: 'expected an array of payments', code: 'invalid_type' }]);
  const pays: Payment[] = new Array<Payment>(payments.length);
  const ids = new Set<string>();
  for (let i = 0; i < payments.length; i++) {
    // the path is built only for a payment that fails (a trusted payment passes at once)
    let p = parsePayment(payments[i], PAYMENTS_AT);
    if (!p.ok) p = parsePayment(payments[i], ['payments', i]);
    if (!p.ok) return p;
    if (ids.has(p.value.id)) return invalidPaymentInput([{ path: ['payments', i, 'id'], message: `payment ${p.value.id} is listed twice`, code: 'custom' }]);
    ids.add(p.value.id);
    pays[i] = p.value;
  }
  const ps = parsePlans(plans);
  if (!ps.ok) return ps;
  const s = parseInput(allocationStrategySchema, strategy, ['strategy']);
  if (!s.ok) return s;
  const st = s.value;
  if (st.kind === 'explicit') return invalidPaymentInput([{ path: ['strategy', 'kind'], message: 'a batch applies by an automatic strategy, not explicit applications', code: 'custom' }]);
  if (st.amount !== undefined) return invalidPaymentInput([{ path: ['strategy', 'amount'], message: 'a batch applies what each payment has unapplied; cap one payment with allocatePayment', code: 'custom' }]);
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;

  // a group per order (installmentOrder) or per customer; a slot of another customer's or
  // currency's plan that shares the key is skipped when filling
  const perOrder = st.kind === 'installmentOrder';
  const excluded = perOrder ? null : new Set(st.excludeOrderIds ?? []);
  const groups = new Map<string, Group>();
  for (const plan of ps.value) {
    if (excluded !== null && excluded.has(plan.orderId)) continue;
    if (perOrder && st.orderId !== undefined && plan.orderId !== st.orderId) continue;
    const wp = workPlan(plan);
    const key = perOrder ? plan.orderId : plan.customerId;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { slots: [], next: 0 }));
    for (let i = 0; i < plan.installments.length; i++) g.slots.push({ wp, i });
  }
  const order = perOrder ? installmentOrder : oldestFirstOrder;
  for (const g of groups.values()) if (g.slots.length > 1) sortIfNeeded(g.slots, order);

  const sorted = byReceipt(pays);
  const touched: WorkPlan[] = [];
  const nextPayments: Payment[] = [];
  const allocations: PaymentAllocation[] = [];
  const skipped: AllocationSkip[] = [];
  const events: PaymentEvent[] = [];
  const skip = (pay: Payment, r: Result<never, CrmError>) => {
    if (!r.ok) skipped.push({ paymentId: pay.id, reason: r.error });
  };
  for (const pay of sorted) {
    if (pay.status === 'reversed') {
      skip(pay, paymentRefusal('PAYMENT_REVERSED', { paymentId: pay.id, operation: 'apply' }));
      continue;
    }
    const run = startRun(pay, touched);
    if (run.unapplied === 0) {
      skip(pay, nothingToApply(pay));
      continue;
    }
    const orderId = orderOf(st, pay);
    if (perOrder && orderId === null) {
      skip(pay, paymentRefusal('PAYMENT_ORDER_REQUIRED', { paymentId: pay.id, strategy: st.kind }));
      continue;
    }
    const before = run.unapplied;
    const group = groups.get(perOrder ? orderId! : pay.customerId);
    if (group !== undefined) fill(run, group, st.kind, run.unapplied, ctx.value);
    if (run.added.length === 0) {
      skip(pay, paymentRefusal('PAYMENT_NOTHING_OUTSTANDING', { paymentId: pay.id, customerId: pay.customerId, strategy: st.kind, orderId }));
      continue;
    }
    const next = finishPayment(run, ctx.value);
    nextPayments.push(next);
    const applied = moneyOf(run.currency, before - run.unapplied);
    const unapplied = moneyOf(run.currency, run.unapplied);
    allocations.push(Object.freeze({ paymentId: pay.id, applications: run.added, applied, unapplied }));
    events.push(appliedEvent(run, next, st.kind, ctx.value, applied, unapplied));
  }
  const finished = finishPlans(touched, 'paymentPlan.paymentApplied', ctx.value);
  return ok(decided({ payments: nextPayments, plans: finished.plans, allocations, skipped, events: [...events, ...finished.events] }));
}

/* -------------------------------------------------------------- unapply and reverse */

/**
 * Applications taken off a payment: the next payment and plans, the applications removed
 * (newest first, each with the amount taken off it: a partly removed one keeps the rest), and
 * the events.
 *
 * @example
 * value(unapplyPayment(payment, plans, {}, ctx)).removed.map((a) => a.seq) // [3, 2, 1]
 */
export interface UnapplyDecision {
  readonly payment: Payment;
  readonly plans: readonly PaymentPlan[];
  readonly removed: readonly PaymentApplication[];
  readonly events: readonly PaymentEvent[];
}

/** Options of an unapply: how much to free (default: everything applied) and why. @example const o: UnapplyOptions = { amount: '100.00', reason: '录错订单' }; */
export interface UnapplyOptions {
  readonly amount?: AmountInput;
  readonly reason?: string | null;
}

const unapplyOptionsSchema = z.object({ amount: z.unknown().optional(), reason: z.string().max(2000).nullable().optional() }).strict();

interface TakeOff {
  readonly remaining: PaymentApplication[];
  readonly removed: PaymentApplication[];
  readonly touched: WorkPlan[];
}

/** Takes `amount` off a payment's applications, newest first, giving it back to the installments. */
function takeOff(pay: Payment, plans: readonly PaymentPlan[], amount: number): Result<TakeOff, CrmError> {
  const ledger = new Map(plans.map((p) => [p.id, workPlan(p)]));
  const touched: WorkPlan[] = [];
  const apps = pay.applications;
  const cur = pay.amount.currency;
  const removed: PaymentApplication[] = [];
  let k = apps.length - 1;
  let left = amount;
  let kept: PaymentApplication | null = null;
  for (; k >= 0 && left > 0; k--) {
    const a = apps[k]!;
    const wp = ledger.get(a.planId);
    const i = wp === undefined ? -1 : wp.plan.installments.findIndex((x) => x.id === a.installmentId);
    if (wp === undefined || i < 0) return paymentRefusal('PAYMENT_INSTALLMENT_NOT_FOUND', { planId: a.planId, installmentId: a.installmentId, paymentId: pay.id });
    const inst = wp.plan.installments[i]!;
    const amountOf = minorOf(a.amount);
    const take = amountOf <= left ? amountOf : left;
    const field = pay.kind === 'payment' ? 'paid' : 'credited';
    const already = pay.kind === 'payment' ? wp.paidDelta : wp.creditedDelta;
    if (minorOf(inst[field]) + (already === null ? 0 : already[i]!) < take) {
      return invalidPaymentInput([
        {
          path: ['plans', wp.plan.id, 'installments', i, field],
          message: `installment ${inst.id} shows ${field} ${minorOf(inst[field])} minor units, less than application ${a.seq} of payment ${pay.id} (${take}): the plan and the payment disagree`,
          code: 'custom',
        },
      ]);
    }
    const deltas = pay.kind === 'payment' ? (wp.paidDelta ??= zeros(wp.plan.installments.length)) : (wp.creditedDelta ??= zeros(wp.plan.installments.length));
    deltas[i]! -= take;
    wp.outstanding[i]! += take;
    const taken = take === amountOf ? a : Object.freeze({ ...a, amount: moneyOf(cur, take) });
    if (wp.log === null) {
      wp.log = [];
      touched.push(wp);
    }
    wp.log.push(taken);
    removed.push(taken);
    if (take < amountOf) kept = Object.freeze({ ...a, amount: moneyOf(cur, amountOf - take) });
    left -= take;
  }
  const remaining = apps.slice(0, k + 1);
  if (kept !== null) remaining.push(kept);
  return ok({ remaining, removed, touched });
}

function unappliedEvent(
  type: 'payment.unapplied' | 'payment.reversed',
  next: Payment,
  removed: readonly PaymentApplication[],
  reason: string | null,
  ctx: ParsedPaymentContext,
): PaymentEvent {
  let freed = 0;
  for (const a of removed) freed += minorOf(a.amount);
  const cur = next.amount.currency;
  return ruleEvent({
    type,
    at: ctx.now,
    actorId: ctx.actorId,
    subject: { kind: 'payment', id: next.id },
    version: next.version,
    data: { removed, freed: moneyOf(cur, freed), unapplied: moneyOf(cur, unappliedMinor(next)), reason },
  });
}

/**
 * Takes applications off a payment, newest first, and gives the amounts back to the
 * installments (whose states follow): all of them, or just `amount` (the last one touched is
 * reduced, not removed). The freed money is the customer's credit again. The plans the removed
 * applications point to must be given. Nothing applied is `PAYMENT_NOT_APPLIED`; more than
 * applied, `PAYMENT_EXCEEDS_APPLIED`.
 *
 * @example
 * unapplyPayment(payment, [plan], { reason: '错记订单' }, { now, actorId: 'clerk-wu' }) // every application removed
 */
export function unapplyPayment(
  payment: Payment,
  plans: readonly PaymentPlan[],
  options: UnapplyOptions,
  context: PaymentContext,
): Result<UnapplyDecision, CrmError> {
  const door = paymentStepDoor(payment, plans, unapplyOptionsSchema, options ?? {}, 'options', context);
  if (!door.ok) return door;
  const { pay, plans: ps, opts, ctx } = door.value;
  if (pay.status === 'reversed') return paymentRefusal('PAYMENT_REVERSED', { paymentId: pay.id, operation: 'unapply' });
  const checked = checkPlansFor(pay, ps);
  if (!checked.ok) return checked;
  const cur = pay.amount.currency;
  let applied = 0;
  for (const a of pay.applications) applied += minorOf(a.amount);
  if (applied === 0) return paymentRefusal('PAYMENT_NOT_APPLIED', { paymentId: pay.id, operation: 'unapply' });
  let amount = applied;
  if (opts.amount !== undefined) {
    const a = readAmountIn(opts.amount, cur, ['options', 'amount']);
    if (!a.ok) return a;
    if (a.value <= 0) return invalidPaymentInput([{ path: ['options', 'amount'], message: 'must be greater than zero', code: 'too_small' }]);
    if (a.value > applied) {
      return paymentRefusal('PAYMENT_EXCEEDS_APPLIED', { paymentId: pay.id, requested: amountText(cur, a.value), applied: amountText(cur, applied), currency: cur });
    }
    amount = a.value;
  }
  const t = takeOff(pay, ps, amount);
  if (!t.ok) return t;
  const next = nextPayment(pay, { version: pay.version + 1, applications: Object.freeze(t.value.remaining), updatedAt: laterOf(pay.updatedAt, ctx.now) });
  const finished = finishPlans(t.value.touched, 'paymentPlan.paymentUnapplied', ctx, true);
  return ok(decided({
    payment: next,
    plans: finished.plans,
    removed: t.value.removed,
    events: [unappliedEvent('payment.unapplied', next, t.value.removed, opts.reason ?? null, ctx), ...finished.events],
  }));
}

/** Why a payment is reversed. @example const o: ReverseOptions = { reason: '银行退票' }; */
export interface ReverseOptions {
  readonly reason: string;
}

const reverseOptionsSchema = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

/**
 * Reverses a payment (a bounced transfer, 退票, an entry made in error): removes all its
 * applications, newest first, so the installments' states follow, and marks it reversed —
 * it no longer counts, and nothing of it is credit. A payment with refunds is refused
 * (`PAYMENT_HAS_REFUNDS`: that money left already), a reversed one `PAYMENT_REVERSED`.
 *
 * @example
 * reversePayment(payment, plansItPaid, { reason: '银行退票' }, { now, actorId: 'cashier-he' })
 */
export function reversePayment(
  payment: Payment,
  plans: readonly PaymentPlan[],
  options: ReverseOptions,
  context: PaymentContext,
): Result<UnapplyDecision, CrmError> {
  const door = paymentStepDoor(payment, plans, reverseOptionsSchema, options, 'options', context);
  if (!door.ok) return door;
  const { pay, plans: ps, opts, ctx } = door.value;
  if (pay.status === 'reversed') return paymentRefusal('PAYMENT_REVERSED', { paymentId: pay.id, operation: 'reverse' });
  if (pay.refunds.length > 0) {
    let refunded = 0;
    for (const r of pay.refunds) refunded += minorOf(r.amount);
    return paymentRefusal('PAYMENT_HAS_REFUNDS', { paymentId: pay.id, refunded: amountText(pay.amount.currency, refunded), currency: pay.amount.currency });
  }
  const checked = checkPlansFor(pay, ps);
  if (!checked.ok) return checked;
  let applied = 0;
  for (const a of pay.applications) applied += minorOf(a.amount);
  const t = takeOff(pay, ps, applied);
  if (!t.ok) return t;
  const { now, actorId } = ctx;
  const next = nextPayment(pay, {
    version: pay.version + 1,
    status: 'reversed',
    applications: Object.freeze([]),
    reversal: Object.freeze({ at: now, by: actorId, reason: opts.reason }),
    updatedAt: laterOf(pay.updatedAt, now),
  });
  const finished = finishPlans(t.value.touched, 'paymentPlan.paymentUnapplied', ctx, true);
  return ok(decided({
    payment: next,
    plans: finished.plans,
    removed: t.value.removed,
    events: [unappliedEvent('payment.reversed', next, t.value.removed, opts.reason, ctx), ...finished.events],
  }));
}

/* ----------------------------------------------------------------------- credit notes */

/**
 * A credit note's data: the customer and order it credits, how much, when it was issued.
 *
 * @example
 * const input: IssueCreditNoteInput = { id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '100.00' }, issuedAt: now, note: '退货 2 台' };
 */
export interface IssueCreditNoteInput {
  readonly id: string;
  readonly customerId: string;
  readonly orderId: string;
  readonly amount: unknown;
  readonly issuedAt: Date | string;
  readonly reference?: string | null;
  readonly note?: string | null;
}

const creditNoteInputSchema = z
  .object({
    id: idSchema,
    customerId: idSchema,
    orderId: idSchema,
    amount: positiveMoney,
    issuedAt: instantSchema,
    reference: z.string().max(500).nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();

/**
 * Issues a credit note (a return, a price correction) against an order and nets it against
 * what the order still owes: the installments are credited from the last one back (the
 * schedule's early dates keep their amounts). What the order no longer owes stays on the
 * credit note as the customer's credit, usable against its other installments
 * (`allocatePayment`) or refundable (`refundPayment`). `plan` is the order's plan, or null
 * when it has none. The credit note is a `Payment` of kind `creditNote`: its applications count
 * as `credited` on installments, not `paid`.
 *
 * @example
 * issueCreditNote({ id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '100.00' }, issuedAt: now }, plan, ctx)
 * // ok: the last installment owes 100.00 less
 */
export function issueCreditNote(input: IssueCreditNoteInput, plan: PaymentPlan | null, context: PaymentContext): Result<AllocationDecision, CrmError> {
  const data = parseInput(creditNoteInputSchema, input, ['input']);
  if (!data.ok) return data;
  const parsedPlan = plan === null ? null : parsePaymentPlan(plan, ['plan']);
  if (parsedPlan !== null && !parsedPlan.ok) return parsedPlan;
  const ps = { value: parsedPlan === null ? [] : [parsedPlan.value] };
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const d = data.value;
  const created = newPayment(
    'creditNote',
    { id: d.id, customerId: d.customerId, orderId: d.orderId, amount: d.amount, receivedAt: d.issuedAt, method: 'creditNote', reference: d.reference ?? null, note: d.note ?? null },
    ctx.value,
  );
  const note = created.payment;
  const checked = checkPlansFor(note, ps.value);
  if (!checked.ok) return checked;
  if (ps.value[0] !== undefined && ps.value[0].orderId !== d.orderId) {
    return invalidPaymentInput([{ path: ['plan', 'orderId'], message: `the plan is order ${ps.value[0].orderId}'s, the credit note credits order ${d.orderId}`, code: 'custom' }]);
  }
  const ledger = ps.value.map(workPlan);
  const run = startRun(note, []);
  const slots: Slot[] = [];
  for (const wp of ledger) for (let i = wp.plan.installments.length - 1; i >= 0; i--) slots.push({ wp, i });
  fillInOrder(run, { slots, next: 0 }, run.unapplied, ctx.value);
  if (run.added.length === 0) {
    return ok(decided({ payment: note, plans: [], applications: [], unapplied: note.amount, events: created.events }));
  }
  // created and applied in one step: the credit note is new, so it stays at version 1
  const applied = finishPayment(run, ctx.value, false);
  const finished = finishPlans(run.touched, 'paymentPlan.paymentApplied', ctx.value);
  return ok(decided({
    payment: applied,
    plans: finished.plans,
    applications: run.added,
    unapplied: moneyOf(run.currency, run.unapplied),
    events: [...created.events, appliedEvent(run, applied, 'creditNote', ctx.value), ...finished.events],
  }));
}
