import { z } from 'zod';
import { zoned } from '../core/boundary.js';
import type { CrmError } from '../core/errors.js';
import type { CurrencyCode, Money } from '../core/money.js';
import { makeMoney } from '../core/money/amount.js';
import { addIntegers, type ExactInteger } from '../core/money/integers.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, parseInput, textSchema } from '../core/validation.js';
import {
  decided,
  paymentEvent,
  amountText,
  dayNumberOfKey,
  zoneCalendar,
  minorOf,
  moneyOf,
  needPolicy,
  outstandingMinor,
  parseContext,
  parsePayment,
  parsePaymentPlan,
  parsePaymentPolicy,
  paymentPolicySchema,
  parsePlans,
  paymentInstantSchema,
  freshInstant,
  laterOf,
  stateAt,
  nextInstallment,
  nextPlan,
  unappliedMinor,
  INSTALLMENT_STATES,
  type Installment,
  type InstallmentState,
  type ParsedPaymentContext,
  type Payment,
  type PaymentContext,
  type PaymentEvent,
  type PaymentPlan,
  type PaymentPolicy,
  type PaymentPolicyInput,
} from './model.js';
import type { InstallmentReminderEvent, PaymentEventDataByType } from './events.js';
import { paymentRefusal } from './refusals.js';

/* --------------------------------------------------------------------------- aging */

const DEFAULT_BOUNDS: readonly number[] = Object.freeze([30, 60, 90]);

/**
 * An aging bucket: `notDue` for what is outstanding and not yet overdue, then one label per
 * range of days past the due date in the plan's zone — by default `0-30`, `31-60`, `61-90`,
 * `90+` (the first overdue day is day 1, so `0-30` holds days 1 to 30).
 *
 * @example
 * const b: AgingBucket = '31-60';
 */
export type AgingBucket = string;

/**
 * The bucket labels for upper bounds (inclusive days past due): `[30, 60, 90]` gives
 * `['notDue', '0-30', '31-60', '61-90', '90+']`. Bounds must be whole numbers that increase.
 *
 * @example
 * agingBucketLabels([30, 60, 90]) // ok(['notDue', '0-30', '31-60', '61-90', '90+'])
 */
export function agingBucketLabels(bounds: readonly number[] = DEFAULT_BOUNDS): Result<readonly AgingBucket[], CrmError> {
  const b = parseInput(paymentPolicySchema.in.shape.agingBuckets, bounds, ['bounds']);
  if (!b.ok) return b;
  return ok(labelsOf(b.value));
}

function labelsOf(bounds: readonly number[]): readonly AgingBucket[] {
  const labels: string[] = ['notDue'];
  let lower = 0;
  for (const b of bounds) {
    labels.push(`${lower}-${b}`);
    lower = b + 1;
  }
  labels.push(`${bounds[bounds.length - 1] ?? 0}+`);
  return Object.freeze(labels);
}

function bucketIndex(daysPastDue: number, overdue: boolean, bounds: readonly number[]): number {
  if (!overdue) return 0;
  for (let k = 0; k < bounds.length; k++) if (daysPastDue <= bounds[k]!) return k + 1;
  return bounds.length + 1;
}

/* --------------------------------------------------------------------------- views */

/**
 * An installment as receivables show it at `now`: its numbers, what is outstanding and
 * overdue, its state, how many calendar days it is past its due date in the plan's zone (0 on
 * the due date, negative before) and its aging bucket (null when nothing is outstanding).
 *
 * @example
 * report.installments.filter((i) => i.state === 'overdue')
 */
export interface InstallmentView {
  readonly planId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly ownerId: string | null;
  readonly installmentId: string;
  /** 1-based position in the plan. */
  readonly position: number;
  readonly dueDate: string;
  readonly dueAt: Date;
  readonly overdueAt: Date;
  readonly currency: CurrencyCode;
  readonly amount: Money;
  readonly paid: Money;
  readonly credited: Money;
  readonly writtenOff: Money;
  readonly badDebt: Money;
  readonly outstanding: Money;
  /** The outstanding amount once overdue, else zero. */
  readonly overdue: Money;
  readonly state: InstallmentState;
  readonly daysPastDue: number;
  readonly agingBucket: AgingBucket | null;
}

/** An order's receivable: its plan's totals at `now` and how many installments are in each state. @example report.orders[0]?.overdue */
export interface OrderReceivable {
  readonly planId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly ownerId: string | null;
  readonly currency: CurrencyCode;
  readonly total: Money;
  readonly paid: Money;
  readonly credited: Money;
  readonly writtenOff: Money;
  readonly badDebt: Money;
  readonly outstanding: Money;
  readonly overdue: Money;
  readonly states: Readonly<Record<InstallmentState, number>>;
  /** The earliest installment with something outstanding, if any. */
  readonly nextDue: { readonly installmentId: string; readonly dueDate: string; readonly outstanding: Money } | null;
}

/** One aging bucket's amount. @example { bucket: '31-60', amount: unwrap(parseAmount('500.00', 'CNY')) } */
export interface AgingAmount {
  readonly bucket: AgingBucket;
  readonly amount: Money;
}

/**
 * A customer's receivable in one currency: outstanding and overdue over its plans, its
 * unapplied credit (from the payments given), what it owes net of that credit, and the aging.
 *
 * @example
 * report.customers.find((c) => c.customerId === 'C-1')?.aging
 */
export interface CustomerReceivable {
  readonly customerId: string;
  readonly currency: CurrencyCode;
  readonly orders: number;
  readonly outstanding: Money;
  readonly overdue: Money;
  /** Unapplied credit of the customer's active payments and credit notes. */
  readonly credit: Money;
  /** outstanding − credit (negative when the customer has paid ahead). */
  readonly net: Money;
  readonly aging: readonly AgingAmount[];
}

/** Aging across every customer in one currency. @example report.aging[0]?.buckets */
export interface CurrencyAging {
  readonly currency: CurrencyCode;
  readonly outstanding: Money;
  readonly overdue: Money;
  readonly buckets: readonly AgingAmount[];
}

/**
 * Receivables at `now`: per installment, per order, per customer (and currency), and the aging
 * per currency. Lists are sorted (installments by due date then order, orders and customers by
 * id), so the report does not depend on the order of its input.
 *
 * @example
 * const r = unwrap(receivables(plans, { now, payments })); r.customers[0]?.overdue
 */
export interface ReceivablesReport {
  readonly at: Date;
  readonly bucketLabels: readonly AgingBucket[];
  readonly installments: readonly InstallmentView[];
  readonly orders: readonly OrderReceivable[];
  readonly customers: readonly CustomerReceivable[];
  readonly aging: readonly CurrencyAging[];
}

/** Options of a receivables report: the time, the payments whose credit to show, the policy (aging buckets). @example const o: ReceivablesOptions = { now, payments, policy: { zone: 'Asia/Shanghai' } }; */
export interface ReceivablesOptions {
  readonly now: Date | string;
  readonly payments?: readonly Payment[];
  readonly policy?: PaymentPolicyInput | PaymentPolicy;
}

const receivablesOptionsSchema = z.object({ now: paymentInstantSchema, payments: z.array(z.unknown()).optional(), policy: z.unknown().optional() }).strict();

function viewOf(plan: PaymentPlan, i: number, inst: Installment, now: Date, bounds: readonly number[], labels: readonly string[]): InstallmentView {
  const cur = plan.currency;
  const outstanding = outstandingMinor(inst);
  const state = stateAt(inst, now.getTime());
  const isOverdue = state === 'overdue';
  const daysPastDue = zoneCalendar(plan.zone).dayOf(now.getTime()) - dayNumberOfKey(inst.dueDate);
  return Object.freeze({
    planId: plan.id,
    orderId: plan.orderId,
    customerId: plan.customerId,
    ownerId: plan.ownerId,
    installmentId: inst.id,
    position: i + 1,
    dueDate: inst.dueDate,
    dueAt: freshInstant(inst.dueAt),
    overdueAt: freshInstant(inst.overdueAt),
    currency: cur,
    amount: inst.amount,
    paid: inst.paid,
    credited: inst.credited,
    writtenOff: inst.writtenOff,
    badDebt: inst.badDebt,
    outstanding: moneyOf(cur, outstanding),
    overdue: moneyOf(cur, isOverdue ? outstanding : 0),
    state,
    daysPastDue,
    agingBucket: outstanding === 0 ? null : labels[bucketIndex(daysPastDue, isOverdue, bounds)]!,
  });
}

/**
 * Every installment of a plan as seen at `now` (state, outstanding, overdue, days past due,
 * aging bucket), in plan order.
 *
 * @example
 * unwrap(describePaymentPlan(plan, now)).map((i) => i.state) // ['paid', 'overdue', 'pending']
 */
export function describePaymentPlan(
  plan: PaymentPlan,
  now: Date | string,
  policy?: PaymentPolicyInput | PaymentPolicy,
): Result<readonly InstallmentView[], CrmError> {
  const p = parsePaymentPlan(plan);
  if (!p.ok) return p;
  const t = parseInput(paymentInstantSchema, now, ['now']);
  if (!t.ok) return t;
  let b = DEFAULT_BOUNDS;
  if (policy !== undefined) {
    const pol = parsePaymentPolicy(policy);
    if (!pol.ok) return pol;
    b = pol.value.agingBuckets;
  }
  const labels = labelsOf(b);
  return ok(Object.freeze(p.value.installments.map((inst, i) => viewOf(p.value, i, inst, t.value, b, labels))));
}

class Sum {
  value: ExactInteger = 0;
  add(x: number): void {
    const v = this.value;
    if (typeof v === 'number') {
      const s = v + x;
      if (Number.isSafeInteger(s)) {
        this.value = s;
        return;
      }
    }
    this.value = addIntegers(v, x);
  }
  money(cur: CurrencyCode): Money {
    return typeof this.value === 'number' ? moneyOf(cur, this.value) : makeMoney(cur, this.value);
  }
}

interface CustomerAcc {
  readonly customerId: string;
  readonly currency: CurrencyCode;
  orders: number;
  readonly outstanding: Sum;
  readonly overdue: Sum;
  readonly credit: Sum;
  readonly aging: Sum[];
}

/**
 * Receivables at `now` (see `ReceivablesReport`): outstanding and overdue per installment,
 * order and customer, the customers' unapplied credit from `payments`, and aging buckets of
 * days past due in each plan's zone (policy `agingBuckets`, default 0–30, 31–60, 61–90, 90+).
 *
 * @example
 * receivables(plans, { now: '2026-06-01T09:00:00+08:00', payments, policy: { zone: 'Asia/Shanghai' } })
 */
export function receivables(plans: readonly PaymentPlan[], options: ReceivablesOptions): Result<ReceivablesReport, CrmError> {
  const ps = parsePlans(plans);
  if (!ps.ok) return ps;
  const opts = parseInput(receivablesOptionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const now = opts.value.now;
  let bounds = DEFAULT_BOUNDS;
  if (opts.value.policy !== undefined) {
    const pol = parsePaymentPolicy(opts.value.policy as PaymentPolicyInput, ['options', 'policy']);
    if (!pol.ok) return pol;
    bounds = pol.value.agingBuckets;
  }
  const labels = labelsOf(bounds);
  const payments: Payment[] = [];
  for (const [i, raw] of (opts.value.payments ?? []).entries()) {
    const p = parsePayment(raw, ['options', 'payments', i]);
    if (!p.ok) return p;
    payments.push(p.value);
  }

  const customers = new Map<string, CustomerAcc>();
  const accOf = (customerId: string, currency: CurrencyCode): CustomerAcc => {
    const key = `${customerId}\u0000${currency}`;
    let a = customers.get(key);
    if (a === undefined) {
      customers.set(key, (a = { customerId, currency, orders: 0, outstanding: new Sum(), overdue: new Sum(), credit: new Sum(), aging: labels.map(() => new Sum()) }));
    }
    return a;
  };
  const installments: InstallmentView[] = [];
  const orders: OrderReceivable[] = [];
  for (const plan of ps.value) {
    const cur = plan.currency;
    const acc = accOf(plan.customerId, cur);
    acc.orders++;
    const states = Object.fromEntries(INSTALLMENT_STATES.map((s) => [s, 0])) as Record<InstallmentState, number>;
    let paid = 0;
    let credited = 0;
    let writtenOff = 0;
    let badDebt = 0;
    let outstanding = 0;
    let overdue = 0;
    let nextDue: OrderReceivable['nextDue'] = null;
    let nextDueAt = Infinity;
    plan.installments.forEach((inst, i) => {
      const v = viewOf(plan, i, inst, now, bounds, labels);
      installments.push(v);
      states[v.state]++;
      paid += minorOf(inst.paid);
      credited += minorOf(inst.credited);
      writtenOff += minorOf(inst.writtenOff);
      badDebt += minorOf(inst.badDebt);
      const o = minorOf(v.outstanding);
      outstanding += o;
      overdue += minorOf(v.overdue);
      if (o > 0) {
        acc.aging[labels.indexOf(v.agingBucket!)]!.add(o);
        if (inst.dueAt.getTime() < nextDueAt) {
          nextDueAt = inst.dueAt.getTime();
          nextDue = Object.freeze({ installmentId: inst.id, dueDate: inst.dueDate, outstanding: v.outstanding });
        }
      }
    });
    acc.outstanding.add(outstanding);
    acc.overdue.add(overdue);
    orders.push(
      Object.freeze({
        planId: plan.id,
        orderId: plan.orderId,
        customerId: plan.customerId,
        ownerId: plan.ownerId,
        currency: cur,
        total: plan.total,
        paid: moneyOf(cur, paid),
        credited: moneyOf(cur, credited),
        writtenOff: moneyOf(cur, writtenOff),
        badDebt: moneyOf(cur, badDebt),
        outstanding: moneyOf(cur, outstanding),
        overdue: moneyOf(cur, overdue),
        states: Object.freeze(states),
        nextDue,
      }),
    );
  }
  for (const p of payments) {
    const credit = unappliedMinor(p);
    if (credit > 0) accOf(p.customerId, p.amount.currency).credit.add(credit);
  }

  const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  installments.sort(
    (a, b) => a.dueAt.getTime() - b.dueAt.getTime() || byString(a.orderId, b.orderId) || byString(a.planId, b.planId) || a.position - b.position,
  );
  orders.sort((a, b) => byString(a.orderId, b.orderId) || byString(a.planId, b.planId));
  const accs = [...customers.values()].sort((a, b) => byString(a.customerId, b.customerId) || byString(a.currency, b.currency));
  const perCurrency = new Map<CurrencyCode, { outstanding: Sum; overdue: Sum; aging: Sum[] }>();
  const customerRows = accs.map((a): CustomerReceivable => {
    let c = perCurrency.get(a.currency);
    if (c === undefined) perCurrency.set(a.currency, (c = { outstanding: new Sum(), overdue: new Sum(), aging: labels.map(() => new Sum()) }));
    addSum(c.outstanding, a.outstanding);
    addSum(c.overdue, a.overdue);
    a.aging.forEach((s, k) => addSum(c!.aging[k]!, s));
    const net = new Sum();
    addSum(net, a.outstanding);
    net.value = addIntegers(net.value, -a.credit.value);
    return Object.freeze({
      customerId: a.customerId,
      currency: a.currency,
      orders: a.orders,
      outstanding: a.outstanding.money(a.currency),
      overdue: a.overdue.money(a.currency),
      credit: a.credit.money(a.currency),
      net: net.money(a.currency),
      aging: Object.freeze(a.aging.map((s, k) => Object.freeze({ bucket: labels[k]!, amount: s.money(a.currency) }))),
    });
  });
  const aging = [...perCurrency.entries()]
    .sort((a, b) => byString(a[0], b[0]))
    .map(([currency, c]) =>
      Object.freeze({
        currency,
        outstanding: c.outstanding.money(currency),
        overdue: c.overdue.money(currency),
        buckets: Object.freeze(c.aging.map((s, k) => Object.freeze({ bucket: labels[k]!, amount: s.money(currency) }))),
      }),
    );
  return ok(
    Object.freeze({
      at: now,
      bucketLabels: labels,
      installments: Object.freeze(installments),
      orders: Object.freeze(orders),
      customers: Object.freeze(customerRows),
      aging: Object.freeze(aging),
    }),
  );
}

function addSum(into: Sum, from: Sum): void {
  into.value = addIntegers(into.value, from.value);
}

/* ------------------------------------------------------------------------ reminders */

function remindersOf(plan: PaymentPlan, p: number, policy: PaymentPolicy, ctx: ParsedPaymentContext, out: InstallmentReminderEvent[]): Result<true, CrmError> {
  const now = ctx.nowMs;
  const { daysBefore, onOverdue, overdueEveryDays } = policy.reminders;
  const cal = zoneCalendar(plan.zone);
  const today = cal.dayOf(now);
  const insts = plan.installments;
  for (let i = 0; i < insts.length; i++) {
    const inst = insts[i]!;
    const outstanding = outstandingMinor(inst);
    if (outstanding === 0) continue;
    const subject = { kind: 'installment', id: inst.id };
    const due = dayNumberOfKey(inst.dueDate);
    let reminder:
      | Pick<PaymentEventDataByType['installment.overdue'], 'key' | 'daysOverdue' | 'remindAt'>
      | Pick<PaymentEventDataByType['installment.dueSoon'], 'key' | 'daysBefore' | 'daysLeft' | 'remindAt'>
      | null = null;
    let type: 'installment.overdue' | 'installment.dueSoon' = 'installment.overdue';
    if (now >= inst.overdueAt.getTime()) {
      if (!onOverdue) continue;
      const daysOverdue = today - due;
      const round = overdueEveryDays === null ? 0 : Math.floor((daysOverdue - 1) / overdueEveryDays);
      // the start of a calendar day in the zone: computed, so checked (see core's `zoned`)
      const remindAt = round === 0 ? ok(freshInstant(inst.overdueAt)) : zoned(['plans', p, 'installments', i, 'dueDate'], () => freshInstant(cal.startOfDay(due + 1 + round * overdueEveryDays!)));
      if (!remindAt.ok) return remindAt;
      reminder = { key: `${plan.id}/${inst.id}/overdue/${round}`, daysOverdue, remindAt: remindAt.value };
    } else {
      for (const n of daysBefore) {
        const remindAt = zoned(['plans', p, 'installments', i, 'dueDate'], () => freshInstant(cal.startOfDay(due - n)));
        if (!remindAt.ok) return remindAt;
        if (remindAt.value.getTime() > now) continue;
        type = 'installment.dueSoon';
        reminder = { key: `${plan.id}/${inst.id}/dueSoon/${n}`, daysBefore: n, daysLeft: due - today, remindAt: remindAt.value };
        break;
      }
      if (reminder === null) continue;
    }
    out.push(
      paymentEvent(type, ctx, subject, plan.version, {
        planId: plan.id,
        orderId: plan.orderId,
        customerId: plan.customerId,
        ownerId: plan.ownerId,
        installmentId: inst.id,
        dueDate: inst.dueDate,
        outstanding: moneyOf(plan.currency, outstanding),
        ...reminder,
      }),
    );
  }
  return ok(true);
}

/**
 * Reminders to chase the money (回款提醒), as events, for installments with something
 * outstanding: `installment.dueSoon` from the start of the day N days before the due date
 * (policy `reminders.daysBefore`, default 3; of several, the nearest one already reached), and
 * `installment.overdue` from the first overdue day (again every `overdueEveryDays` if set).
 * Each carries a stable `data.key`: running again at the same or a later time in the same
 * window gives the same key, so a host notifies once per key (the plan's `ownerId` chases).
 *
 * @example
 * for (const e of unwrap(paymentReminders(plans, { now, actor: { id: 'system:payments' }, policy }))) notifyOnce(e.data.key, e.data.ownerId)
 */
export function paymentReminders(plans: readonly PaymentPlan[], context: PaymentContext): Result<readonly InstallmentReminderEvent[], CrmError> {
  const ps = parsePlans(plans);
  if (!ps.ok) return ps;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const policy = needPolicy(ctx.value, 'reminders');
  if (!policy.ok) return policy;
  const out: InstallmentReminderEvent[] = [];
  for (let p = 0; p < ps.value.length; p++) {
    const r = remindersOf(ps.value[p]!, p, policy.value, ctx.value, out);
    if (!r.ok) return r;
  }
  return ok(Object.freeze(out));
}

/* ------------------------------------------------------------------------ write-offs */

/** One installment's write-off. @example { installmentId: 'I3', amount: unwrap(parseAmount('0.50', 'CNY')) } */
export interface InstallmentWriteOff {
  readonly installmentId: string;
  readonly amount: Money;
}

/** A write-off as decided: the next plan, what was written off per installment, and the event. @example unwrap(writeOffBadDebt(plan, { reason }, ctx)).writtenOff */
export interface WriteOffDecision {
  readonly plan: PaymentPlan;
  readonly writtenOff: readonly InstallmentWriteOff[];
  readonly events: readonly PaymentEvent[];
}

/** Which installment's small difference to write off (default: every one within the tolerance). @example const o: WriteOffDifferenceOptions = { installmentId: 'I3', reason: '银行手续费' }; */
export interface WriteOffDifferenceOptions {
  readonly installmentId?: string;
  readonly reason?: string | null;
}

/** Which installments to write off as bad debt (default: all with something outstanding), and why. @example const o: WriteOffBadDebtOptions = { reason: '客户破产' }; */
export interface WriteOffBadDebtOptions {
  readonly installmentIds?: readonly string[];
  readonly reason: string;
}

function writeOff(
  plan: PaymentPlan,
  amounts: ReadonlyMap<number, number>,
  kind: 'smallDifference' | 'badDebt',
  reason: string | null,
  ctx: ParsedPaymentContext,
): WriteOffDecision {
  const cur = plan.currency;
  const field = kind === 'badDebt' ? 'badDebt' : 'writtenOff';
  const written: InstallmentWriteOff[] = [];
  let total = 0;
  const installments = plan.installments.map((inst, i) => {
    const amount = amounts.get(i);
    if (amount === undefined) return nextInstallment(inst);
    written.push(Object.freeze({ installmentId: inst.id, amount: moneyOf(cur, amount) }));
    total += amount;
    return nextInstallment(inst, { [field]: moneyOf(cur, minorOf(inst[field]) + amount) });
  });
  const next = nextPlan(plan, { version: plan.version + 1, installments: Object.freeze(installments), updatedAt: laterOf(plan.updatedAt, ctx.nowMs) });
  const event = paymentEvent('paymentPlan.writtenOff', ctx, { kind: 'paymentPlan', id: plan.id }, next.version, {
    kind,
    orderId: plan.orderId,
    customerId: plan.customerId,
    installments: Object.freeze(written),
    total: moneyOf(cur, total),
    reason,
  });
  return decided({ plan: next, writtenOff: written, events: [event] });
}

const differenceOptionsSchema = z.object({ installmentId: idSchema.optional(), reason: textSchema.max(2000).nullable().optional() }).strict();
const badDebtOptionsSchema = z.object({ installmentIds: z.array(idSchema).min(1).max(1000).optional(), reason: textSchema.trim().min(1).max(2000) }).strict();

/**
 * Writes off a small difference (抹零, a bank fee the customer deducted): the whole
 * outstanding rest of an installment, if it is within the policy's `writeOffTolerance` for the
 * plan's currency. With no `installmentId`, every installment within the tolerance. An
 * installment settled this way is `paid`. Above the tolerance: `PAYMENT_WRITE_OFF_ABOVE_TOLERANCE`;
 * nothing outstanding: `PAYMENT_NOTHING_TO_WRITE_OFF`.
 *
 * @example
 * writeOffDifference(plan, { installmentId: 'I3', reason: '银行手续费' }, { now, actor: { id: 'clerk-wu' }, policy: { zone: 'Asia/Shanghai', writeOffTolerance: { CNY: '1.00' } } })
 */
export function writeOffDifference(plan: PaymentPlan, options: WriteOffDifferenceOptions, context: PaymentContext): Result<WriteOffDecision, CrmError> {
  const p = parsePaymentPlan(plan);
  if (!p.ok) return p;
  const opts = parseInput(differenceOptionsSchema, options ?? {}, ['options']);
  if (!opts.ok) return opts;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const policy = needPolicy(ctx.value, 'a write-off');
  if (!policy.ok) return policy;
  const pl = p.value;
  const cur = pl.currency;
  const tolerance = policy.value.writeOffTolerance[cur] ?? 0;
  const amounts = new Map<number, number>();
  let smallestAbove: { i: number; o: number } | null = null;
  for (let i = 0; i < pl.installments.length; i++) {
    const inst = pl.installments[i]!;
    if (opts.value.installmentId !== undefined && inst.id !== opts.value.installmentId) continue;
    const o = outstandingMinor(inst);
    if (o === 0) continue;
    if (o <= tolerance) amounts.set(i, o);
    else if (smallestAbove === null || o < smallestAbove.o) smallestAbove = { i, o };
  }
  const id = opts.value.installmentId;
  if (id !== undefined && !pl.installments.some((x) => x.id === id)) return paymentRefusal('PAYMENT_INSTALLMENT_NOT_FOUND', { planId: pl.id, installmentId: id });
  if (amounts.size === 0) {
    if (smallestAbove === null) return paymentRefusal('PAYMENT_NOTHING_TO_WRITE_OFF', { planId: pl.id, installments: id ?? 'all', kind: 'smallDifference' });
    return paymentRefusal('PAYMENT_WRITE_OFF_ABOVE_TOLERANCE', {
      planId: pl.id,
      installmentId: pl.installments[smallestAbove.i]!.id,
      outstanding: amountText(cur, smallestAbove.o),
      tolerance: amountText(cur, tolerance),
      currency: cur,
    });
  }
  return ok(writeOff(pl, amounts, 'smallDifference', opts.value.reason ?? null, ctx.value));
}

/**
 * Writes off what is outstanding as bad debt (坏账): on the named installments, or every one
 * with something outstanding. The installments become `writtenOff`; their outstanding is zero.
 * A named installment that does not exist is `PAYMENT_INSTALLMENT_NOT_FOUND`, one with nothing
 * outstanding (or a plan with nothing outstanding) `PAYMENT_NOTHING_TO_WRITE_OFF`.
 *
 * @example
 * writeOffBadDebt(plan, { reason: '客户破产清算' }, { now, actor: { id: 'cfo-lin' } })
 */
export function writeOffBadDebt(plan: PaymentPlan, options: WriteOffBadDebtOptions, context: PaymentContext): Result<WriteOffDecision, CrmError> {
  const p = parsePaymentPlan(plan);
  if (!p.ok) return p;
  const opts = parseInput(badDebtOptionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const pl = p.value;
  const amounts = new Map<number, number>();
  if (opts.value.installmentIds !== undefined) {
    for (const id of new Set(opts.value.installmentIds)) {
      const i = pl.installments.findIndex((x) => x.id === id);
      if (i < 0) return paymentRefusal('PAYMENT_INSTALLMENT_NOT_FOUND', { planId: pl.id, installmentId: id });
      const o = outstandingMinor(pl.installments[i]!);
      if (o === 0) return paymentRefusal('PAYMENT_NOTHING_TO_WRITE_OFF', { planId: pl.id, installments: id, kind: 'badDebt' });
      amounts.set(i, o);
    }
  } else {
    pl.installments.forEach((inst, i) => {
      const o = outstandingMinor(inst);
      if (o > 0) amounts.set(i, o);
    });
    if (amounts.size === 0) return paymentRefusal('PAYMENT_NOTHING_TO_WRITE_OFF', { planId: pl.id, installments: 'all', kind: 'badDebt' });
  }
  return ok(writeOff(pl, amounts, 'badDebt', opts.value.reason, ctx.value));
}
