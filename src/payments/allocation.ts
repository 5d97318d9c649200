import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { currencyCodeSchema, type CurrencyCode, type Money } from '../core/money.js';
import { allocateMinor } from '../core/money/allocate.js';
import { addIntegers, type ExactInteger } from '../core/money/integers.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, parseInput, textSchema, type InputIssue } from '../core/validation.js';
import {
  decided,
  freshInstant,
  laterOf,
  paymentEvent,
  amountText,
  minorOf,
  moneyOf,
  outstandingMinor,
  parseContext,
  parsePayment,
  parsePaymentEntry,
  parsePaymentPlan,
  parsePlans,
  paymentInstantSchema,
  positiveMoney,
  readAmountIn,
  nextApplication,
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
import { newPayment, recordPaymentInputSchema, type PaymentDecision, type RecordPaymentInput } from './payments.js';
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

/**
 * What the fill logic reads and moves: per slot, what it still owes in minor units. A `Ledger`
 * adds whose plan each slot is; the ledger of columns (`allocateLedger`) is just this, over one
 * currency, its groups set by the host (every slot fits every payment that looks in its group).
 */
class Slots {
  constructor(readonly outstanding: number[] | Float64Array) {}

  get size(): number {
    return this.outstanding.length;
  }

  /** Whether the run's payment may fill the slot. */
  fits(_run: Run, _slot: number): boolean {
    return true;
  }

  /** Moves `amount` (negative to give it back) of a payment or credit note onto a slot. */
  move(slot: number, amount: number, _credit: boolean): void {
    this.outstanding[slot]! -= amount;
  }
}

/**
 * The plans a step works on, flat: installment `i` of plan `p` is slot `first[p] + i`. What each
 * slot owes is read once; the changes are deltas per slot, and each plan's applications are
 * logged for its event. A batch of a million plans fills a few arrays, not an object per
 * installment.
 */
class Ledger extends Slots {
  declare readonly outstanding: number[];
  readonly plans: PaymentPlan[] = [];
  /** Each plan's index in the caller's list. */
  readonly given: number[] = [];
  /** Plan `p`'s slots are `first[p]` to `first[p + 1]` (exclusive). */
  readonly first: number[] = [0];
  readonly planOf: number[] = [];
  /** Per slot: the installment's amount (minor units), so a whole one shares its `Money` without reading it again. */
  readonly whole: number[] = [];
  /** Per slot and per plan, for the oldest-first order: the due instant and the order instant (ms), read once. */
  readonly due: number[] | null;
  readonly ordered: number[] | null;
  paidDelta: Float64Array | null = null;
  creditedDelta: Float64Array | null = null;
  /** Per plan: the applications made to it (or taken off it), for its event; undefined while untouched. */
  readonly logs: (PaymentApplication[] | undefined)[] = [];
  /** The plans touched, in the order first touched, and each plan's place in that list (-1 while untouched). */
  readonly touched: number[] = [];
  readonly touchedAt: number[] = [];

  constructor(byDue: boolean) {
    super([]);
    this.due = byDue ? [] : null;
    this.ordered = byDue ? [] : null;
  }

  add(plan: PaymentPlan, given: number): void {
    const p = this.plans.length;
    const insts = plan.installments;
    this.plans.push(plan);
    this.given.push(given);
    this.logs.push(undefined);
    this.touchedAt.push(-1);
    for (let i = 0; i < insts.length; i++) {
      const inst = insts[i]!;
      this.planOf.push(p);
      this.outstanding.push(outstandingMinor(inst));
      this.whole.push(minorOf(inst.amount));
      if (this.due !== null) this.due.push(inst.dueAt.getTime());
    }
    if (this.ordered !== null) this.ordered.push(plan.orderDate.getTime());
    this.first.push(this.planOf.length);
  }

  /** Whether the slot's plan is the paying customer's, in the payment's currency (a batch mixes customers). */
  override fits(run: Run, slot: number): boolean {
    const plan = this.plans[this.planOf[slot]!]!;
    return (run.payersOnly || plan.customerId === run.customerId) && plan.currency === run.currency;
  }

  /** Moves the amount as `Slots` does, and counts it as paid or credited. */
  override move(slot: number, amount: number, credit: boolean): void {
    super.move(slot, amount, credit);
    if (credit) (this.creditedDelta ??= new Float64Array(this.size))[slot]! += amount;
    else (this.paidDelta ??= new Float64Array(this.size))[slot]! += amount;
  }

  log(p: number, application: PaymentApplication): void {
    let l = this.logs[p];
    if (l === undefined) {
      this.logs[p] = l = [];
      this.touchedAt[p] = this.touched.length;
      this.touched.push(p);
    }
    l.push(application);
  }
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type SlotOrder = (a: number, b: number) => number;

/** Oldest due first: due date, then order date, order id, plan id, position in the plan. */
function oldestFirstOf(l: Ledger): SlotOrder {
  const due = l.due!;
  const ordered = l.ordered!;
  const planOf = l.planOf;
  const plans = l.plans;
  return (a, b) => {
    const d = due[a]! - due[b]!;
    if (d !== 0) return d;
    const pa = planOf[a]!;
    const pb = planOf[b]!;
    if (pa === pb) return a - b;
    return ordered[pa]! - ordered[pb]! || byString(plans[pa]!.orderId, plans[pb]!.orderId) || byString(plans[pa]!.id, plans[pb]!.id) || a - b;
  };
}

/** Installment order within an order: plan id, then position. */
function installmentOrderOf(l: Ledger): SlotOrder {
  const planOf = l.planOf;
  const plans = l.plans;
  return (a, b) => {
    const pa = planOf[a]!;
    const pb = planOf[b]!;
    return pa === pb ? a - b : byString(plans[pa]!.id, plans[pb]!.id) || a - b;
  };
}

function orderFor(l: Ledger, kind: AutoStrategy['kind']): SlotOrder {
  return kind === 'installmentOrder' ? installmentOrderOf(l) : oldestFirstOf(l);
}

/**
 * The slots a strategy fills, group after group (an order's plans, or a customer's), each group
 * in the strategy's order; every slot of group `g` before `next[g]` is settled.
 */
interface Groups {
  readonly order: Int32Array;
  readonly start: Int32Array;
  readonly next: Int32Array;
}

/** Sorts a group's slots in place unless already in order (a batch's input usually is). */
function sortIfNeeded(slots: Int32Array, order: SlotOrder): void {
  for (let k = 1; k < slots.length; k++) {
    if (order(slots[k - 1]!, slots[k]!) > 0) {
      slots.sort(order);
      return;
    }
  }
}

/** The ledger's slots grouped by their plan's group (`groupOf[p]`), in the plans' order, then sorted. */
function groupSlots(l: Ledger, groupOf: readonly number[], count: number, order: SlotOrder): Groups {
  const start = new Int32Array(count + 1);
  const first = l.first;
  for (let p = 0; p < l.plans.length; p++) start[groupOf[p]! + 1]! += first[p + 1]! - first[p]!;
  for (let g = 0; g < count; g++) start[g + 1]! += start[g]!;
  const next = start.slice(0, count);
  const slots = new Int32Array(l.size);
  for (let p = 0; p < l.plans.length; p++) {
    const g = groupOf[p]!;
    let at = next[g]!;
    for (let s = first[p]!; s < first[p + 1]!; s++) slots[at++] = s;
    next[g] = at;
  }
  for (let g = 0; g < count; g++) if (start[g + 1]! - start[g]! > 1) sortIfNeeded(slots.subarray(start[g]!, start[g + 1]!), order);
  next.set(start.subarray(0, count));
  return { order: slots, start, next };
}

/** One group of the given slots (a single payment's), sorted. */
function oneGroup(slots: number[], order: SlotOrder | null): Groups {
  const s = Int32Array.from(slots);
  if (order !== null) s.sort(order);
  return { order: s, start: Int32Array.of(0, s.length), next: new Int32Array(1) };
}

/** Payments oldest received first, ties by id (each id listed once): their indices, keys read once into flat arrays. */
function byReceipt(pays: readonly Payment[]): Int32Array {
  const n = pays.length;
  const times = new Float64Array(n);
  const ids = new Array<string>(n);
  const order = new Int32Array(n);
  let sorted = true;
  for (let k = 0; k < n; k++) {
    order[k] = k;
    times[k] = pays[k]!.receivedAt.getTime();
    ids[k] = pays[k]!.id;
    if (k > 0 && (times[k - 1]! > times[k]! || (times[k - 1] === times[k] && ids[k - 1]! > ids[k]!))) sorted = false;
  }
  // ids are unique (the door refuses a payment listed twice), so equal times need one string comparison
  if (!sorted) order.sort((a, b) => times[a]! - times[b]! || (ids[a]! < ids[b]! ? -1 : 1));
  return order;
}

/**
 * The payment being applied, one at a time (a batch reuses it): a `Payment` (`start`), or a row
 * of the ledger's columns (`begin`: no entity, so no customer, currency or seq of its own).
 */
class Run {
  payment!: Payment;
  /** Its index in the caller's list. */
  given = 0;
  currency!: CurrencyCode;
  customerId!: string;
  credit = false;
  /** Whether every plan the run may fill is the payer's (a group keyed by customer, or plans checked at the door). */
  payersOnly = true;
  unapplied = 0;
  lastSeq = 0;
  /** Applications made to it so far. */
  count = 0;

  begin(given: number, unapplied: number, lastSeq = 0, credit = false): this {
    this.given = given;
    this.credit = credit;
    this.unapplied = unapplied;
    this.lastSeq = lastSeq;
    this.count = 0;
    return this;
  }

  start(payment: Payment, unapplied: number, given = 0, currency: CurrencyCode = payment.amount.currency): this {
    this.payment = payment;
    this.currency = currency;
    this.customerId = payment.customerId;
    return this.begin(given, unapplied, payment.lastSeq, payment.kind !== 'payment');
  }
}

/** What becomes of each application the engine makes: objects, or columns. */
interface Sink<L extends Slots = Ledger> {
  apply(run: Run, l: L, slot: number, amount: number): void;
}

/** Applies `amount` (> 0, ≤ what the slot owes and the run has unapplied) of the run's payment to one slot. */
function settle<L extends Slots>(run: Run, l: L, slot: number, amount: number, sink: Sink<L>): void {
  run.lastSeq++;
  run.count++;
  run.unapplied -= amount;
  l.move(slot, amount, run.credit);
  sink.apply(run, l, slot, amount);
}

/** Fills the group's slots the payment fits in order, each up to what it owes, until `amount` is spent; advances `next` past settled slots. */
function fillInOrder<L extends Slots>(run: Run, l: L, gs: Groups, g: number, amount: number, sink: Sink<L>): void {
  const slots = gs.order;
  const end = gs.start[g + 1]!;
  const outstanding = l.outstanding;
  let k = gs.next[g]!;
  let left = amount;
  let settledSoFar = true;
  while (left > 0 && k < end) {
    const s = slots[k]!;
    const o = outstanding[s]!;
    if (o > 0) {
      if (l.fits(run, s)) {
        const take = o < left ? o : left;
        settle(run, l, s, take, sink);
        left -= take;
        if (take < o) break;
      } else settledSoFar = false; // another customer's or currency's debt: `next` stays before it
    }
    k++;
    if (settledSoFar) gs.next[g] = k;
  }
}

/** Spreads `amount` over the group's open slots in proportion to what each owes, by largest remainder. */
function fillProportional<L extends Slots>(run: Run, l: L, gs: Groups, g: number, amount: number, sink: Sink<L>): void {
  const slots = gs.order;
  const end = gs.start[g + 1]!;
  const outstanding = l.outstanding;
  let k = gs.next[g]!;
  while (k < end && outstanding[slots[k]!] === 0) k++;
  gs.next[g] = k;
  const open: number[] = [];
  const weights: number[] = [];
  // what a group owes may pass 2^53 in all though each installment is a safe integer: exact sum
  let sum: ExactInteger = 0;
  for (; k < end; k++) {
    const s = slots[k]!;
    const o = outstanding[s]!;
    if (o > 0 && l.fits(run, s)) {
      open.push(s);
      weights.push(o);
      sum = addIntegers(sum, o);
    }
  }
  if (open.length === 0) return;
  if (amount >= sum) {
    for (let j = 0; j < open.length; j++) settle(run, l, open[j]!, weights[j]!, sink);
    return;
  }
  const shares = allocateMinor(amount, weights, sum) as number[]; // each share is at most its weight, a safe integer
  for (let j = 0; j < open.length; j++) {
    const share = shares[j]!;
    if (share > 0) settle(run, l, open[j]!, share, sink);
  }
}

function fill<L extends Slots>(run: Run, l: L, gs: Groups, g: number, kind: AutoStrategy['kind'], amount: number, sink: Sink<L>): void {
  if (kind === 'proportional') fillProportional(run, l, gs, g, amount, sink);
  else fillInOrder(run, l, gs, g, amount, sink);
}

/* ------------------------------------------------------------------ result objects */

/**
 * Builds each application once, as a frozen `PaymentApplication` with an `appliedAt` of its own:
 * that one object is the answer's everywhere — in the next payment, the decision's list and the
 * events (the payment's and its plan's) — never a copy per place.
 */
class ApplicationObjects implements Sink {
  added: PaymentApplication[] = [];
  constructor(readonly ctx: ParsedPaymentContext) {}

  apply(run: Run, l: Ledger, slot: number, amount: number): void {
    const p = l.planOf[slot]!;
    const plan = l.plans[p]!;
    const inst = plan.installments[slot - l.first[p]!]!;
    const application: PaymentApplication = Object.freeze({
      paymentId: run.payment.id,
      seq: run.lastSeq,
      planId: plan.id,
      orderId: plan.orderId,
      installmentId: inst.id,
      amount: amount === l.whole[slot] ? inst.amount : moneyOf(run.currency, amount),
      appliedAt: freshInstant(this.ctx.nowMs),
      appliedBy: this.ctx.actorId,
    });
    this.added.push(application);
    l.log(p, application);
  }

  /** The applications of the run so far, frozen; the next run starts a new list. */
  take(): PaymentApplication[] {
    const added = this.added;
    this.added = [];
    return Object.freeze(added) as PaymentApplication[];
  }
}

/** The next payment: copies of its applications (the payment given keeps its own `Date`s) then the run's `added`, the answer's objects as they are. */
function finishPayment(p: Payment, added: readonly PaymentApplication[], lastSeq: number, ctx: ParsedPaymentContext, bumpVersion = true): Payment {
  const before = p.applications;
  let applications = added;
  if (before.length > 0) {
    const all = new Array<PaymentApplication>(before.length + added.length);
    for (let k = 0; k < before.length; k++) all[k] = nextApplication(before[k]!);
    for (let k = 0; k < added.length; k++) all[before.length + k] = added[k]!;
    applications = Object.freeze(all);
  }
  return nextPayment(p, {
    version: bumpVersion ? p.version + 1 : p.version,
    applications,
    lastSeq,
    updatedAt: laterOf(p.updatedAt, ctx.nowMs),
  });
}

function finishPlan(l: Ledger, p: number, ctx: ParsedPaymentContext): PaymentPlan {
  const plan = l.plans[p]!;
  const cur = plan.currency;
  const pd = l.paidDelta;
  const cd = l.creditedDelta;
  const first = l.first[p]!;
  const src = plan.installments;
  const n = src.length;
  const insts = new Array<Installment>(n);
  for (let i = 0; i < n; i++) {
    const inst = src[i]!;
    const dp = pd === null ? 0 : pd[first + i]!;
    const dc = cd === null ? 0 : cd[first + i]!;
    if (dp === 0 && dc === 0) {
      insts[i] = nextInstallment(inst); // untouched, but its instants are the given plan's: a copy
      continue;
    }
    const whole = l.whole[first + i]!;
    const paid = minorOf(inst.paid) + dp;
    const credited = minorOf(inst.credited) + dc;
    insts[i] = nextInstallment(inst, {
      paid: dp === 0 ? inst.paid : paid === whole ? inst.amount : moneyOf(cur, paid),
      credited: dc === 0 ? inst.credited : credited === whole ? inst.amount : moneyOf(cur, credited),
    });
  }
  return nextPlan(plan, { version: plan.version + 1, installments: Object.freeze(insts), updatedAt: laterOf(plan.updatedAt, ctx.nowMs) });
}

function appliedEvent(
  next: Payment,
  added: readonly PaymentApplication[],
  strategy: AllocationStrategyKind | 'creditNote',
  applied: Money,
  unapplied: Money,
  ctx: ParsedPaymentContext,
): PaymentEvent {
  return paymentEvent('payment.applied', ctx, { kind: 'payment', id: next.id }, next.version, { strategy, applications: added, applied, unapplied });
}

/** The changed plans with one event each: in the order first touched, or by id. */
function finishPlans(
  l: Ledger,
  type: 'paymentPlan.paymentApplied' | 'paymentPlan.paymentUnapplied',
  ctx: ParsedPaymentContext,
  byId = false,
): { plans: PaymentPlan[]; events: PaymentEvent[] } {
  const changed = byId ? [...l.touched].sort((a, b) => byString(l.plans[a]!.id, l.plans[b]!.id)) : l.touched;
  const plans: PaymentPlan[] = new Array<PaymentPlan>(changed.length);
  const events: PaymentEvent[] = new Array<PaymentEvent>(changed.length);
  for (let k = 0; k < changed.length; k++) finishPlanAt(l, changed[k]!, k, type, ctx, plans, events);
  return { plans, events };
}

/** The next plan `p` and its event (its log: the answer's application objects, not copies), at `k` of the lists. */
function finishPlanAt(
  l: Ledger,
  p: number,
  k: number,
  type: 'paymentPlan.paymentApplied' | 'paymentPlan.paymentUnapplied',
  ctx: ParsedPaymentContext,
  plans: PaymentPlan[],
  events: PaymentEvent[],
): void {
  const next = finishPlan(l, p, ctx);
  plans[k] = next;
  events[k] = paymentEvent(type, ctx, { kind: 'paymentPlan', id: next.id }, next.version, { orderId: next.orderId, customerId: next.customerId, applications: Object.freeze(l.logs[p]!) });
}

/* ----------------------------------------------------------------------- decisions */

/**
 * A payment applied: the next payment and plans (frozen, version + 1; only the plans that
 * changed, in the order the strategy first touched them), the new applications in the order
 * they were made, what is left unapplied, and the events (`payment.applied`, then one
 * `paymentPlan.paymentApplied` per plan).
 *
 * @example
 * const d = unwrap(allocatePayment(payment, plans, { kind: 'oldestFirst' }, ctx)); formatMoney(d.unapplied)
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

function exceedsUnapplied(pay: Payment, operation: string, requested: ExactInteger, unapplied: number): Result<never, CrmError> {
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

/** The ledger's slots a strategy may fill for one payment, as one group in the strategy's order. */
function groupOf(l: Ledger, strategy: AutoStrategy, orderId: string | null): Groups {
  const excluded = strategy.kind === 'installmentOrder' ? null : new Set(strategy.excludeOrderIds ?? []);
  const slots: number[] = [];
  for (let p = 0; p < l.plans.length; p++) {
    const plan = l.plans[p]!;
    if (orderId !== null && plan.orderId !== orderId) continue;
    if (excluded !== null && excluded.has(plan.orderId)) continue;
    for (let s = l.first[p]!; s < l.first[p + 1]!; s++) slots.push(s);
  }
  return oneGroup(slots, orderFor(l, strategy.kind));
}

function hasOutstanding(l: Ledger, gs: Groups): boolean {
  for (let k = gs.next[0]!; k < gs.order.length; k++) if (l.outstanding[gs.order[k]!]! > 0) return true;
  return false;
}

function ledgerOf(plans: readonly PaymentPlan[], byDue: boolean): Ledger {
  const l = new Ledger(byDue);
  for (let i = 0; i < plans.length; i++) l.add(plans[i]!, i);
  return l;
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
 * allocatePayment(payment, [plan], { kind: 'installmentOrder', orderId: 'SO-1' }, { now, actor: { id: 'clerk-wu' } })
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
  const ledger = ledgerOf(plans, strategy.kind === 'oldestFirst' || strategy.kind === 'proportional');
  const run = new Run().start(pay, unapplied);
  const sink = new ApplicationObjects(ctx);
  if (strategy.kind === 'explicit') {
    const done = applyExplicit(run, ledger, strategy, sink);
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
    if (!hasOutstanding(ledger, group)) {
      return paymentRefusal('PAYMENT_NOTHING_OUTSTANDING', { paymentId: pay.id, customerId: pay.customerId, strategy: strategy.kind, orderId });
    }
    fill(run, ledger, group, 0, strategy.kind, requested, sink);
  }
  return ok(decided(appliedDecision(run, sink.take(), ledger, strategy.kind, ctx, created)));
}

/** One payment's decision: the next payment (version + 1, unless it was `created` in this step), the changed plans and the events. */
function appliedDecision(
  run: Run,
  added: readonly PaymentApplication[],
  ledger: Ledger,
  strategy: AllocationStrategyKind | 'creditNote',
  ctx: ParsedPaymentContext,
  created: PaymentDecision | null,
): AllocationDecision {
  const next = finishPayment(run.payment, added, run.lastSeq, ctx, created === null);
  const { plans: changed, events } = finishPlans(ledger, 'paymentPlan.paymentApplied', ctx);
  let sum = 0;
  for (const a of added) sum += minorOf(a.amount);
  return {
    payment: next,
    plans: changed,
    applications: added,
    unapplied: moneyOf(run.currency, run.unapplied),
    events: [
      ...(created?.events ?? []),
      appliedEvent(next, added, strategy, moneyOf(run.currency, sum), moneyOf(run.currency, run.unapplied), ctx),
      ...events,
    ],
  };
}

function applyExplicit(run: Run, ledger: Ledger, strategy: Extract<Strategy, { kind: 'explicit' }>, sink: Sink): Result<true, CrmError> {
  const byId = new Map<string, number>();
  for (let p = 0; p < ledger.plans.length; p++) byId.set(ledger.plans[p]!.id, p);
  const seen = new Set<string>();
  const chosen: { slot: number; amount: number }[] = [];
  let total = 0;
  for (let k = 0; k < strategy.applications.length; k++) {
    const a = strategy.applications[k]!;
    const at = ['strategy', 'applications', k];
    const key = `${a.planId}\u0000${a.installmentId}`;
    if (seen.has(key)) return invalidPaymentInput([{ path: at, message: `installment ${a.installmentId} of plan ${a.planId} is listed twice`, code: 'custom' }]);
    seen.add(key);
    const p = byId.get(a.planId);
    const i = p === undefined ? -1 : ledger.plans[p]!.installments.findIndex((x) => x.id === a.installmentId);
    if (p === undefined || i < 0) return paymentRefusal('PAYMENT_INSTALLMENT_NOT_FOUND', { planId: a.planId, installmentId: a.installmentId, path: at });
    const amount = readAmountIn(a.amount, run.currency, [...at, 'amount']);
    if (!amount.ok) return amount;
    if (amount.value <= 0) return invalidPaymentInput([{ path: [...at, 'amount'], message: 'must be greater than zero', code: 'too_small' }]);
    const slot = ledger.first[p]! + i;
    const outstanding = ledger.outstanding[slot]!;
    if (amount.value > outstanding) {
      return paymentRefusal('PAYMENT_OVER_ALLOCATED', {
        paymentId: run.payment.id,
        planId: ledger.plans[p]!.id,
        installmentId: a.installmentId,
        requested: amountText(run.currency, amount.value),
        outstanding: amountText(run.currency, outstanding),
        currency: run.currency,
      });
    }
    // refused as soon as the applications pass the unapplied rest: the total stays a safe integer
    if (total + amount.value > run.unapplied) return exceedsUnapplied(run.payment, 'apply', addIntegers(total, amount.value), run.unapplied);
    total += amount.value;
    chosen.push({ slot, amount: amount.value });
  }
  for (const c of chosen) settle(run, ledger, c.slot, c.amount, sink);
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
 * const b = unwrap(allocatePayments(payments, plans, { kind: 'oldestFirst' }, ctx)); await store.commit(b)
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
 * allocatePayments(customerCreditPayments, customerPlans, { kind: 'oldestFirst' }, { now, actor: { id: 'system:payments' } })
 */
export function allocatePayments(
  payments: readonly Payment[],
  plans: readonly PaymentPlan[],
  strategy: AllocationStrategyInput,
  context: PaymentContext,
): Result<AllocationBatch, CrmError> {
  const door = batchDoor(payments, plans, strategy, context);
  if (!door.ok) return door;
  const { pays, plans: ps, st, ctx } = door.value;
  const sink = new BatchObjects(st.kind, ctx);
  const touched = runBatch(pays, ps, st, sink).touched.length;
  const { plans: changed, planEvents, events } = sink;
  changed.length = touched;
  for (let k = 0; k < touched; k++) events.push(planEvents[k]!);
  return ok(decided({ payments: sink.payments, plans: changed, allocations: sink.allocations, skipped: sink.skipped, events }));
}

/** The doors of a batch: the payments (each id once), the plans, an automatic strategy without `amount`, the context. */
function batchDoor(
  payments: readonly Payment[],
  plans: readonly PaymentPlan[],
  strategy: AllocationStrategyInput,
  context: PaymentContext,
): Result<{ pays: Payment[]; plans: PaymentPlan[]; st: AutoStrategy; ctx: ParsedPaymentContext }, CrmError> {
  if (!Array.isArray(payments)) return invalidPaymentInput([{ path: ['payments'], message: 'expected an array of payments', code: 'invalid_type' }]);
  const pays: Payment[] = new Array<Payment>(payments.length);
  const ids = new Set<string>();
  for (let i = 0; i < payments.length; i++) {
    // each entry read once; the path is built only for a payment that fails (a trusted payment passes at once)
    const p = parsePaymentEntry(payments[i], PAYMENTS_AT, i);
    if (!p.ok) return p;
    // one probe of the set: a new id grows it
    if (ids.add(p.value.id).size === i) return invalidPaymentInput([{ path: ['payments', i, 'id'], message: `payment ${p.value.id} is listed twice`, code: 'custom' }]);
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
  return ok({ pays, plans: ps.value, st, ctx: ctx.value });
}

/** What a batch makes of each payment: its applications (see `Sink`), and the payment applied or skipped. */
interface BatchSink extends Sink {
  /** The run's payment received applications worth `applied` minor units. */
  done(run: Run, applied: number): void;
  /** The payment was skipped; `unapplied` is what it has unapplied (0 once reversed). */
  skip(pay: Payment, given: number, reason: CrmError, unapplied: number): void;
  /** No later payment looks in group `g`: its plans are final (while they are still in the cache). */
  groupDone(l: Ledger, gs: Groups, g: number): void;
}

/**
 * The batch engine, whatever the results are made of: payments oldest received first (ties by
 * id), each filled by the strategy over the running state of the plans. A payment looks in one
 * group — its order's plans (`installmentOrder`) or its customer's — and a plan in no payment's
 * group is never read further. Returns the ledger (the plans touched and their deltas).
 */
function runBatch(pays: readonly Payment[], plans: readonly PaymentPlan[], st: AutoStrategy, sink: BatchSink): Ledger {
  const perOrder = st.kind === 'installmentOrder';
  const order = byReceipt(pays);
  const n = order.length;
  // the groups the payments look in, keyed by order id or customer id
  const keys = new Map<string, number>();
  const groupOfPay = new Int32Array(n).fill(-1);
  const unapplied = new Float64Array(n);
  const currencies = new Array<CurrencyCode>(n);
  /** Per group, the payments still to look in it. */
  const pending: number[] = [];
  for (let k = 0; k < n; k++) {
    const pay = pays[order[k]!]!;
    if (pay.status === 'reversed') continue;
    const u = (unapplied[k] = unappliedMinor(pay));
    currencies[k] = pay.amount.currency;
    if (u === 0) continue;
    const key = perOrder ? (st.orderId ?? pay.orderId) : pay.customerId;
    if (key === null) continue;
    let g = keys.get(key);
    if (g === undefined) {
      keys.set(key, (g = keys.size));
      pending.push(0);
    }
    groupOfPay[k] = g;
    pending[g]!++;
  }
  // the plans in those groups; a plan of another customer or currency that shares an order id is skipped when filling
  const ledger = new Ledger(!perOrder);
  const groupOfPlan: number[] = [];
  const excluded = perOrder || st.excludeOrderIds === undefined || st.excludeOrderIds.length === 0 ? null : new Set(st.excludeOrderIds);
  const onlyOrder = perOrder ? st.orderId : undefined;
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    if (excluded !== null && excluded.has(plan.orderId)) continue;
    if (onlyOrder !== undefined && plan.orderId !== onlyOrder) continue;
    const g = keys.get(perOrder ? plan.orderId : plan.customerId);
    if (g === undefined) continue;
    ledger.add(plan, i);
    groupOfPlan.push(g);
  }
  const groups = groupSlots(ledger, groupOfPlan, keys.size, orderFor(ledger, st.kind));

  const run = new Run();
  run.payersOnly = !perOrder; // a customer's group holds only its plans; an order id may be shared
  for (let k = 0; k < n; k++) {
    const given = order[k]!;
    const pay = pays[given]!;
    const g = groupOfPay[k]!;
    if (g < 0) {
      const reason =
        pay.status === 'reversed'
          ? paymentRefusal('PAYMENT_REVERSED', { paymentId: pay.id, operation: 'apply' })
          : unapplied[k] === 0
            ? nothingToApply(pay)
            : paymentRefusal('PAYMENT_ORDER_REQUIRED', { paymentId: pay.id, strategy: st.kind });
      if (!reason.ok) sink.skip(pay, given, reason.error, unapplied[k]!);
      continue;
    }
    run.start(pay, unapplied[k]!, given, currencies[k]!);
    fill(run, ledger, groups, g, st.kind, run.unapplied, sink);
    if (run.count === 0) {
      const r = paymentRefusal('PAYMENT_NOTHING_OUTSTANDING', { paymentId: pay.id, customerId: pay.customerId, strategy: st.kind, orderId: orderOf(st, pay) });
      if (!r.ok) sink.skip(pay, given, r.error, unapplied[k]!);
    } else sink.done(run, unapplied[k]! - run.unapplied);
    if (--pending[g]! === 0) sink.groupDone(ledger, groups, g);
  }
  return ledger;
}

/** A batch's results as objects: the next payments, what each received, the skips, the payments' events. */
class BatchObjects extends ApplicationObjects implements BatchSink {
  readonly payments: Payment[] = [];
  readonly allocations: PaymentAllocation[] = [];
  readonly skipped: AllocationSkip[] = [];
  readonly events: PaymentEvent[] = [];
  /** The next plans and their events, each at its place in the order first touched (sized once: written out of order). */
  plans: PaymentPlan[] = [];
  planEvents: PaymentEvent[] = [];
  constructor(
    readonly strategy: AutoStrategy['kind'],
    ctx: ParsedPaymentContext,
  ) {
    super(ctx);
  }

  groupDone(l: Ledger, gs: Groups, g: number): void {
    if (this.plans.length === 0) {
      this.plans = new Array<PaymentPlan>(l.plans.length);
      this.planEvents = new Array<PaymentEvent>(l.plans.length);
    }
    for (let k = gs.start[g]!; k < gs.start[g + 1]!; k++) {
      const p = l.planOf[gs.order[k]!]!;
      const at = l.touchedAt[p]!;
      if (at >= 0 && this.plans[at] === undefined) finishPlanAt(l, p, at, 'paymentPlan.paymentApplied', this.ctx, this.plans, this.planEvents);
    }
  }

  done(run: Run, appliedMinor: number): void {
    const pay = run.payment;
    const added = this.take();
    const next = finishPayment(pay, added, run.lastSeq, this.ctx);
    const applied = moneyOf(run.currency, appliedMinor);
    const unapplied = moneyOf(run.currency, run.unapplied);
    this.payments.push(next);
    this.allocations.push(Object.freeze({ paymentId: pay.id, applications: added, applied, unapplied }));
    this.events.push(appliedEvent(next, added, this.strategy, applied, unapplied, this.ctx));
  }

  skip(pay: Payment, _given: number, reason: CrmError): void {
    this.skipped.push(Object.freeze({ paymentId: pay.id, reason }));
  }
}

/**
 * A batch's allocations as columns of numbers (see `allocatePaymentsColumnar`): row `k` of the
 * five application columns is one application, in the order made; `applied[i]` and
 * `unapplied[i]` are payment `i`'s (its index in the list given). Amounts are minor units of the
 * payment's currency.
 *
 * @example
 * const c = unwrap(allocatePaymentsColumnar(payments, plans, { kind: 'oldestFirst' }, ctx));
 * for (let k = 0; k < c.amount.length; k++) rows.push([payments[c.payment[k]].id, c.seq[k], plans[c.plan[k]].id, plans[c.plan[k]].installments[c.installment[k]].id, c.amount[k]]);
 */
export interface AllocationColumns {
  /** Per application: its payment's index in the payments given. */
  readonly payment: readonly number[];
  /** Per application: its seq on that payment (as `PaymentApplication.seq`). */
  readonly seq: readonly number[];
  /** Per application: its plan's index in the plans given. */
  readonly plan: readonly number[];
  /** Per application: the installment's position in that plan. */
  readonly installment: readonly number[];
  /** Per application: the amount, in minor units. */
  readonly amount: readonly number[];
  /** Per payment given: the minor units this batch applied of it (0 when skipped). */
  readonly applied: readonly number[];
  /** Per payment given: the minor units left unapplied after the batch (0 for a reversed one). */
  readonly unapplied: readonly number[];
  /** The payments left alone, and why (as in `allocatePayments`). */
  readonly skipped: readonly AllocationSkip[];
}

/** A batch's results as columns: no objects per application, payment or plan. */
class BatchColumns implements BatchSink {
  readonly payment: number[] = [];
  readonly seq: number[] = [];
  readonly plan: number[] = [];
  readonly installment: number[] = [];
  readonly amount: number[] = [];
  readonly applied: number[];
  readonly unapplied: number[];
  readonly skipped: AllocationSkip[] = [];
  constructor(payments: number) {
    this.applied = new Array<number>(payments).fill(0);
    this.unapplied = new Array<number>(payments).fill(0);
  }

  apply(run: Run, l: Ledger, slot: number, amount: number): void {
    const p = l.planOf[slot]!;
    this.payment.push(run.given);
    this.seq.push(run.lastSeq);
    this.plan.push(l.given[p]!);
    this.installment.push(slot - l.first[p]!);
    this.amount.push(amount);
  }

  done(run: Run, applied: number): void {
    this.applied[run.given] = applied;
    this.unapplied[run.given] = run.unapplied;
  }

  skip(pay: Payment, given: number, reason: CrmError, unapplied: number): void {
    this.unapplied[given] = unapplied;
    this.skipped.push(Object.freeze({ paymentId: pay.id, reason }));
  }

  groupDone(): void {}
}

/**
 * `allocatePayments` for the nightly million-payment run: the same batch — the same doors,
 * strategies, order and skips, every application the same — with the results as columns of
 * numbers (`AllocationColumns`) instead of objects. Nothing else is built: no next payments or
 * plans, no events. The host writes the application rows and moves its balances from the
 * columns (indices into the lists it passed); `allocatePayments` on the same input gives the
 * same applications as objects, with the next records and the events.
 *
 * @example
 * const c = unwrap(allocatePaymentsColumnar(payments, plans, { kind: 'installmentOrder' }, { now, actor: { id: 'system:nightly' } }));
 * c.amount.length // applications made; c.payment[0], c.plan[0], c.installment[0]: the first one's payment, plan and installment
 */
export function allocatePaymentsColumnar(
  payments: readonly Payment[],
  plans: readonly PaymentPlan[],
  strategy: AllocationStrategyInput,
  context: PaymentContext,
): Result<AllocationColumns, CrmError> {
  const door = batchDoor(payments, plans, strategy, context);
  if (!door.ok) return door;
  const { pays, plans: ps, st } = door.value;
  const c = new BatchColumns(pays.length);
  runBatch(pays, ps, st, c);
  return ok(
    decided({
      payment: c.payment,
      seq: c.seq,
      plan: c.plan,
      installment: c.installment,
      amount: c.amount,
      applied: c.applied,
      unapplied: c.unapplied,
      skipped: c.skipped,
    }),
  );
}

/* ------------------------------------------------------------- the ledger of columns */

/**
 * The strategies of a ledger run (see `AllocationStrategyInput`): what a group is and in which
 * order its installments come is the host's part (see `allocateLedger`).
 *
 * @example
 * LEDGER_STRATEGIES.includes('oldestFirst') // true
 */
export const LEDGER_STRATEGIES = ['installmentOrder', 'oldestFirst', 'proportional'] as const;

/** A ledger strategy. @example const s: LedgerStrategy = 'proportional'; */
export type LedgerStrategy = (typeof LEDGER_STRATEGIES)[number];

/**
 * A column of numbers: a plain array, an `Int32Array` or a `Float64Array` (never changed).
 *
 * @example
 * const outstanding: LedgerColumn = Float64Array.of(30_000, 50_001, 20_000);
 */
export type LedgerColumn = readonly number[] | Int32Array | Float64Array;

/**
 * The work of a ledger run as columns (see `allocateLedger`): amounts are minor units of
 * `currency` (safe integers ≥ 0), groups non-negative safe integers.
 *
 * @example
 * const input: LedgerAllocationInput = {
 *   currency: 'CNY', strategy: 'oldestFirst',
 *   installments: { group: [0, 0, 1], outstanding: [30_000, 50_001, 9_900] },
 *   payments: { group: [1, 0], unapplied: [10_000, 40_000] },
 * };
 */
export interface LedgerAllocationInput {
  readonly currency: string;
  readonly strategy: LedgerStrategy;
  /** One entry per installment: its group, and what it still owes. */
  readonly installments: { readonly group: LedgerColumn; readonly outstanding: LedgerColumn };
  /** One entry per payment, in the order they are applied: the group it pays into, and what it has unapplied. */
  readonly payments: { readonly group: LedgerColumn; readonly unapplied: LedgerColumn };
}

/**
 * `trusted`: the host vouches for every element (integers, ≥ 0, safe, groups non-decreasing) and
 * the per-element checks are skipped; the shape, the currency, the strategy and the column
 * lengths are still checked, and so is what comes out: an amount or balance that is not a safe
 * integer ≥ 0 (a broken promise showing) is `INVALID_INPUT`, never returned.
 *
 * @example
 * const o: LedgerOptions = { trusted: true };
 */
export interface LedgerOptions {
  readonly trusted?: boolean;
}

/** Why a ledger run left a payment alone. @example const c: LedgerSkipCode = 'PAYMENT_NOTHING_OUTSTANDING'; */
export type LedgerSkipCode = 'PAYMENT_NOTHING_TO_APPLY' | 'PAYMENT_NOTHING_OUTSTANDING';

/**
 * A ledger run's results as columns (the record frozen; its typed arrays are new, the caller's
 * own — a JavaScript typed array cannot be frozen). Row `k` of `payment`, `installment` and
 * `amount` is one application, in the order made: a payment's applications are consecutive rows.
 * Indices are positions in the columns given; amounts are minor units of `currency`.
 *
 * @example
 * const r = unwrap(allocateLedger(input));
 * for (let k = 0; k < r.amount.length; k++) rows.push([paymentIds[r.payment[k]], installmentIds[r.installment[k]], r.amount[k]]);
 */
export interface LedgerAllocation {
  readonly currency: CurrencyCode;
  readonly strategy: LedgerStrategy;
  /** Per application (`Int32Array`): the payment's index. */
  readonly payment: Int32Array;
  /** Per application (`Int32Array`): the installment's index. */
  readonly installment: Int32Array;
  /** Per application (`Float64Array`): the amount applied. */
  readonly amount: Float64Array;
  /** Per payment (`Float64Array`): what this run applied of it (0 when skipped). */
  readonly applied: Float64Array;
  /** Per payment (`Float64Array`): what it has unapplied after the run (applied + unapplied = what it had). */
  readonly unapplied: Float64Array;
  /** Per installment (`Float64Array`): what it owes after the run, to write back. */
  readonly outstanding: Float64Array;
  /** The payments left alone (`Int32Array` of indices, ascending), with their whole unapplied amount… */
  readonly skipped: Int32Array;
  /** …and why: nothing to apply (0 unapplied), or nothing outstanding in its group (no installment, or all settled). */
  readonly skippedReason: readonly LedgerSkipCode[];
}

const LEDGER_COLUMN_MESSAGE = 'expected an array of numbers, an Int32Array or a Float64Array';
const ledgerColumnSchema = z.custom<LedgerColumn>((v) => Array.isArray(v) || v instanceof Int32Array || v instanceof Float64Array, LEDGER_COLUMN_MESSAGE);
const ledgerInputSchema = z
  .object({
    currency: currencyCodeSchema,
    strategy: z.enum(LEDGER_STRATEGIES),
    installments: z.object({ group: ledgerColumnSchema, outstanding: ledgerColumnSchema }).strict(),
    payments: z.object({ group: ledgerColumnSchema, unapplied: ledgerColumnSchema }).strict(),
  })
  .strict();
const ledgerOptionsSchema = z.object({ trusted: z.boolean().default(false) }).strict();
/** One element of a column, as zod reads it (asked only about an element the fast check refused, for its issues). */
const ledgerElementSchema = z.number().int().min(0);
/** The issues a refusal lists at the most (a column of a million bad entries is refused with the first ones). */
const LEDGER_MAX_ISSUES = 100;

/** The element checks of the ledger's door: every refused element's zod issues, then the groups' order. */
class LedgerIssues {
  readonly issues: InputIssue[] = [];
  more = 0;

  add(issue: InputIssue): void {
    if (this.issues.length < LEDGER_MAX_ISSUES) this.issues.push(issue);
    else this.more++;
  }

  /** One entry per installment or payment in each of a side's columns. */
  sameLength(column: LedgerColumn, group: LedgerColumn, side: 'installments' | 'payments', name: string): void {
    if (column.length === group.length) return;
    this.add({ path: ['input', side, name], message: `has ${column.length} entries, ${side}.group has ${group.length}: one entry per ${side === 'installments' ? 'installment' : 'payment'} in each`, code: 'custom' });
  }

  /** Every element a non-negative safe integer (zod's issues for those that are not). */
  elements(column: LedgerColumn, at: readonly string[]): void {
    for (let i = 0; i < column.length; i++) {
      const v: unknown = column[i];
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) continue;
      const r = parseInput(ledgerElementSchema, v, [...at, i]);
      if (!r.ok) for (const issue of r.error.details.issues as InputIssue[]) this.add(issue);
      else this.add({ path: [...at, i], message: 'expected a safe integer ≥ 0', code: 'custom' });
    }
  }

  /** The installments' groups non-decreasing: each group's entries together, groups ascending (asked of two numbers only: `elements` named the rest, and `<` on a symbol throws). */
  ascending(group: LedgerColumn, at: readonly string[]): void {
    for (let i = 1; i < group.length; i++) {
      const a: unknown = group[i - 1];
      const b: unknown = group[i];
      if (typeof a === 'number' && typeof b === 'number' && b < a) {
        this.add({ path: [...at, i], message: `group ${b} after group ${a}: a group's installments must be together and groups ascending`, code: 'custom' });
      }
    }
  }

  refusal(): Result<never, CrmError> | null {
    if (this.issues.length === 0) return null;
    if (this.more > 0) this.issues.push({ path: [], message: `and ${this.more} more issues`, code: 'custom' });
    return invalidPaymentInput(this.issues);
  }
}

/** The door of a ledger run: the shape and options by zod, the lengths, then (unless trusted) every element. */
function ledgerDoor(input: unknown, options: unknown): Result<{ input: LedgerWork; trusted: boolean }, CrmError> {
  const parsed = parseInput(ledgerInputSchema, input, ['input']);
  if (!parsed.ok) return parsed;
  const opts = parseInput(ledgerOptionsSchema, options ?? {}, ['options']);
  if (!opts.ok) return opts;
  // each column read once (see columnOnce): the checks and the engine see the same values
  const ig = columnOnce(parsed.value.installments.group);
  const io = columnOnce(parsed.value.installments.outstanding);
  const pg = columnOnce(parsed.value.payments.group);
  const pu = columnOnce(parsed.value.payments.unapplied);
  if (ig === null || io === null || pg === null || pu === null) return invalidPaymentInput([{ path: ['input'], message: LEDGER_COLUMN_MESSAGE, code: 'custom' }]);
  const insts = { group: ig, outstanding: io };
  const pays = { group: pg, unapplied: pu };
  const copied = { currency: parsed.value.currency, strategy: parsed.value.strategy, installments: insts, payments: pays };
  const checks = new LedgerIssues();
  checks.sameLength(insts.outstanding, insts.group, 'installments', 'outstanding');
  checks.sameLength(pays.unapplied, pays.group, 'payments', 'unapplied');
  const lengths = checks.refusal();
  if (lengths !== null) return lengths;
  if (!opts.value.trusted) {
    checks.elements(insts.group, ['input', 'installments', 'group']);
    checks.elements(insts.outstanding, ['input', 'installments', 'outstanding']);
    checks.elements(pays.group, ['input', 'payments', 'group']);
    checks.elements(pays.unapplied, ['input', 'payments', 'unapplied']);
    checks.ascending(insts.group, ['input', 'installments', 'group']);
    const refused = checks.refusal();
    if (refused !== null) return refused;
  }
  return ok({ input: copied, trusted: opts.value.trusted });
}

/** The work of a ledger run as the door read it (see `columnOnce`). */
interface LedgerWork {
  readonly currency: CurrencyCode;
  readonly strategy: LedgerStrategy;
  readonly installments: { readonly group: LedgerColumn; readonly outstanding: LedgerColumn };
  readonly payments: { readonly group: LedgerColumn; readonly unapplied: LedgerColumn };
}

/**
 * A column read once (null when it cannot be read): a genuine typed array as it is (its elements
 * are plain numbers, the same at every read, and the engine never writes to it); an array — or
 * a Proxy, or anything else that passed for one — copied element by element, each read once, so
 * the checks and the engine see the same values.
 */
function columnOnce(column: LedgerColumn): LedgerColumn | null {
  if (ArrayBuffer.isView(column)) return column;
  try {
    return Array.prototype.slice.call(column) as number[];
  } catch {
    return null; // Object.create(Float64Array.prototype), a Proxy of a typed array: their length throws
  }
}

/**
 * The installments' groups (runs of equal values in the group column) as the engine's `Groups`:
 * the slots in the order given, `keys[g]` the group value of run `g`.
 */
function columnGroups(group: LedgerColumn): { groups: Groups; keys: Float64Array } {
  const n = group.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (i === 0 || group[i] !== group[i - 1]) count++;
  const keys = new Float64Array(count);
  const start = new Int32Array(count + 1);
  const order = new Int32Array(n);
  let g = -1;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i === 0 || group[i] !== group[i - 1]) {
      keys[++g] = group[i]!;
      start[g] = i;
    }
  }
  start[count] = n;
  return { groups: { order, start, next: start.slice(0, count) }, keys };
}

/** The run of group value `key` (−1: no installment has it): at once when groups are numbered 0, 1, 2…, else by halves. */
function groupAt(keys: Float64Array, key: number): number {
  if (keys[key] === key) return key;
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid]!;
    if (k === key) return mid;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A ledger run's applications as typed columns, grown by doubling. */
class LedgerColumns implements Sink<Slots> {
  count = 0;
  payment: Int32Array;
  installment: Int32Array;
  amount: Float64Array;
  constructor(capacity: number) {
    this.payment = new Int32Array(capacity);
    this.installment = new Int32Array(capacity);
    this.amount = new Float64Array(capacity);
  }

  apply(run: Run, _l: Slots, slot: number, amount: number): void {
    const k = this.count++;
    if (k === this.amount.length) this.grow();
    this.payment[k] = run.given;
    this.installment[k] = slot;
    this.amount[k] = amount;
  }

  private grow(): void {
    const size = this.amount.length * 2;
    const payment = new Int32Array(size);
    const installment = new Int32Array(size);
    const amount = new Float64Array(size);
    payment.set(this.payment);
    installment.set(this.installment);
    amount.set(this.amount);
    this.payment = payment;
    this.installment = installment;
    this.amount = amount;
  }
}

/** The engine over columns: each payment in turn filled by the strategy in its group, over the running outstanding. */
function runLedger(input: LedgerWork): LedgerAllocation {
  const { strategy, installments: insts, payments: pays } = input;
  const slots = new Slots(Float64Array.from(insts.outstanding));
  const { groups, keys } = columnGroups(insts.group);
  const m = pays.group.length;
  const applied = new Float64Array(m);
  const unapplied = Float64Array.from(pays.unapplied);
  const skipped: number[] = [];
  const skippedReason: LedgerSkipCode[] = [];
  // in order, each application settles an installment or spends a payment: at most n + m of them
  const sink = new LedgerColumns(strategy === 'proportional' ? m + 16 : insts.group.length + m + 1);
  const run = new Run();
  for (let i = 0; i < m; i++) {
    const u = unapplied[i]!;
    if (u === 0) {
      skipped.push(i);
      skippedReason.push('PAYMENT_NOTHING_TO_APPLY');
      continue;
    }
    const g = groupAt(keys, pays.group[i]!);
    if (g >= 0) fill(run.begin(i, u), slots, groups, g, strategy, u, sink);
    if (g < 0 || run.count === 0) {
      skipped.push(i);
      skippedReason.push('PAYMENT_NOTHING_OUTSTANDING');
      continue;
    }
    applied[i] = u - run.unapplied;
    unapplied[i] = run.unapplied;
  }
  const n = sink.count;
  const exact = n === sink.amount.length;
  return decided({
    currency: input.currency,
    strategy,
    payment: exact ? sink.payment : sink.payment.slice(0, n),
    installment: exact ? sink.installment : sink.installment.slice(0, n),
    amount: exact ? sink.amount : sink.amount.slice(0, n),
    applied,
    unapplied,
    outstanding: slots.outstanding as Float64Array,
    skipped: Int32Array.from(skipped),
    skippedReason,
  });
}

/**
 * The nightly allocation with the work as columns straight from the host's database: each
 * payment, in the order given, filled by the strategy over the running outstanding of its
 * group's installments — the same fill as `allocatePayments` (in order, or proportional by
 * largest remainder), the same applications when the columns hold the same data in the order
 * below. No entities, ids, dates or sorting: the host's SQL groups and orders; this decides the
 * amounts. Returns the applications and balances as typed columns (`LedgerAllocation`).
 *
 * **Groups.** A group is what one payment may pay into, numbered by the host with non-negative
 * safe integers (a numeric id, or a numbering made for the run and used in both queries):
 * - `installmentOrder`: an order (one customer's, one currency's); its installments by plan id,
 *   then position in the plan (`allocatePayments` with each payment's own order);
 * - `oldestFirst` and `proportional`: a customer; its installments oldest due first — due date,
 *   then order date, order id, plan id, position (proportional breaks remainder ties by this
 *   order too). Orders to leave out (`excludeOrderIds`) are left out of the query.
 * The installments of a group are consecutive entries and groups ascend (non-decreasing group
 * column); ids compare in code-unit order (`COLLATE "C"`), as the library compares them. All
 * amounts are in `currency`: one call per currency. Installments that owe 0 may be listed.
 *
 * **Payments** are applied in the order given (the batch's: received first, ties by id), each
 * with what it has unapplied (amount − applications − refunds; a reversed one not listed). A
 * payment with 0 unapplied is skipped as `PAYMENT_NOTHING_TO_APPLY`; one whose group has no
 * installment, or nothing left owing when its turn comes, as `PAYMENT_NOTHING_OUTSTANDING`:
 * either keeps all it had unapplied. What a payment cannot place stays unapplied (its credit).
 *
 * Bad input is `INVALID_INPUT` with paths (`input.installments.outstanding.17`; at most 100
 * issues): unequal column lengths, an element that is not a safe integer ≥ 0 (types are checked
 * before order: a symbol is named, never compared), a group column of the installments that goes
 * down. Each column is read once (an array is copied, a typed array read in place) and never changed.
 * With `{ trusted: true }` the element checks are skipped: the host vouches for them; an input
 * that breaks them is refused when it shows in the output (an amount that is NaN, negative,
 * fractional or past 2^53), and otherwise gives amounts that are meaningless but whole — never
 * a throw.
 *
 * @example
 * // CREATE TEMP TABLE run_groups AS SELECT customer_id, row_number() OVER (ORDER BY customer_id) - 1 AS grp
 * //   FROM (SELECT DISTINCT customer_id FROM payments WHERE currency = 'CNY' AND unapplied_minor > 0) c;
 * // installments:  SELECT g.grp, i.outstanding_minor, i.id
 * //   FROM installments i JOIN payment_plans p ON p.id = i.plan_id JOIN run_groups g USING (customer_id)
 * //   WHERE p.currency = 'CNY' AND i.outstanding_minor > 0
 * //   ORDER BY g.grp, i.due_at, p.order_date, p.order_id COLLATE "C", p.id COLLATE "C", i.position;
 * // payments:      SELECT g.grp, p.unapplied_minor, p.id FROM payments p JOIN run_groups g USING (customer_id)
 * //   WHERE p.currency = 'CNY' AND p.status <> 'reversed' AND p.unapplied_minor > 0
 * //   ORDER BY p.received_at, p.id COLLATE "C";
 * const r = unwrap(allocateLedger({ currency: 'CNY', strategy: 'oldestFirst', installments: { group, outstanding }, payments: { group: payGroup, unapplied } }));
 * // r.payment[k], r.installment[k], r.amount[k]: the application rows; r.outstanding, r.unapplied: the balances to write back
 */
export function allocateLedger(input: LedgerAllocationInput, options?: LedgerOptions): Result<LedgerAllocation, CrmError> {
  const door = ledgerDoor(input, options);
  if (!door.ok) return door;
  if (!door.value.trusted) return ok(runLedger(door.value.input));
  let r: LedgerAllocation;
  try {
    r = runLedger(door.value.input);
  } catch {
    // only an element the checks would have refused (a bigint, a symbol) can break the engine
    return invalidPaymentInput([{ path: ['input'], message: 'a trusted input could not be allocated: an element is not a number', code: 'custom' }]);
  }
  // what comes out is checked instead of what went in (a few columns of numbers, not every element twice):
  // an element that broke the promise (NaN, negative, fractional, past 2^53) shows in an amount or a balance
  for (const column of [r.amount, r.applied, r.unapplied, r.outstanding]) {
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v)) {
        return invalidPaymentInput([{ path: ['input'], message: 'a trusted input broke its promise: an amount came out that is not a safe integer ≥ 0 (run it without trusted to see where)', code: 'custom' }]);
      }
    }
  }
  return ok(r);
}

/* -------------------------------------------------------------- unapply and reverse */

/**
 * Applications taken off a payment: the next payment and plans, the applications removed
 * (newest first, each with the amount taken off it: a partly removed one keeps the rest), and
 * the events.
 *
 * @example
 * unwrap(unapplyPayment(payment, plans, {}, ctx)).removed.map((a) => a.seq) // [3, 2, 1]
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

const unapplyOptionsSchema = z.object({ amount: z.unknown().optional(), reason: textSchema.max(2000).nullable().optional() }).strict();

interface TakeOff {
  readonly remaining: PaymentApplication[];
  readonly removed: PaymentApplication[];
  readonly ledger: Ledger;
}

/** Takes `amount` off a payment's applications, newest first, giving it back to the installments. */
function takeOff(pay: Payment, plans: readonly PaymentPlan[], amount: number): Result<TakeOff, CrmError> {
  const ledger = ledgerOf(plans, false);
  const byId = new Map<string, number>();
  for (let p = 0; p < plans.length; p++) byId.set(plans[p]!.id, p);
  const apps = pay.applications;
  const cur = pay.amount.currency;
  const credit = pay.kind !== 'payment';
  const field = credit ? 'credited' : 'paid';
  const removed: PaymentApplication[] = [];
  let k = apps.length - 1;
  let left = amount;
  let kept: PaymentApplication | null = null;
  for (; k >= 0 && left > 0; k--) {
    const a = apps[k]!;
    const p = byId.get(a.planId);
    const plan = p === undefined ? undefined : plans[p]!;
    const i = plan === undefined ? -1 : plan.installments.findIndex((x) => x.id === a.installmentId);
    if (p === undefined || plan === undefined || i < 0) return paymentRefusal('PAYMENT_INSTALLMENT_NOT_FOUND', { planId: a.planId, installmentId: a.installmentId, paymentId: pay.id });
    const inst = plan.installments[i]!;
    const slot = ledger.first[p]! + i;
    const amountOfA = minorOf(a.amount);
    const take = amountOfA <= left ? amountOfA : left;
    const already = credit ? ledger.creditedDelta : ledger.paidDelta;
    if (minorOf(inst[field]) + (already === null ? 0 : already[slot]!) < take) {
      return invalidPaymentInput([
        {
          path: ['plans', p, 'installments', i, field],
          message: `installment ${inst.id} shows ${field} ${minorOf(inst[field])} minor units, less than application ${a.seq} of payment ${pay.id} (${take}): the plan and the payment disagree`,
          code: 'custom',
        },
      ]);
    }
    ledger.move(slot, -take, credit);
    // a new object (the payment given keeps its own): the one the decision's `removed`, the payment's event and the plan's event share
    const taken = nextApplication(a, take === amountOfA ? a.amount : moneyOf(cur, take));
    ledger.log(p, taken);
    removed.push(taken);
    if (take < amountOfA) kept = nextApplication(a, moneyOf(cur, amountOfA - take));
    left -= take;
  }
  const remaining: PaymentApplication[] = [];
  for (let j = 0; j <= k; j++) remaining.push(nextApplication(apps[j]!));
  if (kept !== null) remaining.push(kept);
  return ok({ remaining, removed, ledger });
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
  return paymentEvent(type, ctx, { kind: 'payment', id: next.id }, next.version, {
    removed: Object.freeze(removed),
    freed: moneyOf(cur, freed),
    unapplied: moneyOf(cur, unappliedMinor(next)),
    reason,
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
 * unapplyPayment(payment, [plan], { reason: '错记订单' }, { now, actor: { id: 'clerk-wu' } }) // every application removed
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
  const next = nextPayment(pay, { version: pay.version + 1, applications: Object.freeze(t.value.remaining), updatedAt: laterOf(pay.updatedAt, ctx.nowMs) });
  const finished = finishPlans(t.value.ledger, 'paymentPlan.paymentUnapplied', ctx, true);
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

const reverseOptionsSchema = z.object({ reason: textSchema.trim().min(1).max(2000) }).strict();

/**
 * Reverses a payment (a bounced transfer, 退票, an entry made in error): removes all its
 * applications, newest first, so the installments' states follow, and marks it reversed —
 * it no longer counts, and nothing of it is credit. A payment with refunds is refused
 * (`PAYMENT_HAS_REFUNDS`: that money left already), a reversed one `PAYMENT_REVERSED`.
 *
 * @example
 * reversePayment(payment, plansItPaid, { reason: '银行退票' }, { now, actor: { id: 'cashier-he' } })
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
  const next = nextPayment(pay, {
    version: pay.version + 1,
    status: 'reversed',
    applications: Object.freeze([]),
    reversal: Object.freeze({ at: freshInstant(ctx.nowMs), by: ctx.actorId, reason: opts.reason }),
    updatedAt: laterOf(pay.updatedAt, ctx.nowMs),
  });
  const finished = finishPlans(t.value.ledger, 'paymentPlan.paymentUnapplied', ctx, true);
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
    issuedAt: paymentInstantSchema,
    reference: textSchema.max(500).nullable().optional(),
    note: textSchema.max(2000).nullable().optional(),
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
  const ledger = ledgerOf(ps.value, false);
  const run = new Run().start(note, unappliedMinor(note));
  const sink = new ApplicationObjects(ctx.value);
  // from the last installment back
  const slots: number[] = [];
  for (let s = ledger.size - 1; s >= 0; s--) slots.push(s);
  fillInOrder(run, ledger, oneGroup(slots, null), 0, run.unapplied, sink);
  if (run.count === 0) {
    return ok(decided({ payment: note, plans: [], applications: [], unapplied: note.amount, events: created.events }));
  }
  // created and applied in one step: the credit note is new, so it stays at version 1
  return ok(decided(appliedDecision(run, sink.take(), ledger, 'creditNote', ctx.value, created)));
}
