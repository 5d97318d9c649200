import * as fc from 'fast-check';
import { idSchema, parseMoney, type CurrencyCode } from '../core/index.js';
import { isIdText } from '../core/validation.js';
import {
  createPaymentPlan,
  issueCreditNote,
  paymentBalance,
  recordAndApplyPayment,
  recordPayment,
  refundPayment,
  reversePayment,
  requestRefund,
  decideRefundRequest,
  refundRequestSchema,
  refundRequestCommandSchema,
  type RefundRequest,
  type RefundRequestCommand,
  type AllocationStrategyInput,
  type CreatePaymentPlanInput,
  type DueRuleInput,
  type Installment,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
  type PaymentPolicyInput,
  type RecordPaymentInput,
} from '../payments/index.js';
import { idArb, instantArb, option } from './arbitraries.js';
import { currencyCodeArb, currencyOption, decimalText, defective, minorText, moneyArb, moneyJsonArb } from './money-arbitraries.js';

/*
 * fast-check arbitraries of `crm-rules/payments`: policies, new plans and payments as a host
 * passes them, stored plans and payments (built by the rules: created, paid in part, refunded,
 * reversed, credit notes), strategies, and whole allocation cases a payment applies in. A valid
 * value passes its door (and a new plan or payment is created from it under any generated
 * policy); each has an invalid twin one defect away that the door refuses — `INVALID_INPUT`, or
 * the payments code the rules document for that defect.
 */

/* ------------------------------------------------------------------ building blocks */

const REPS = ['rep-li', 'rep-wang', 'rep-chen'] as const;
const CLERKS = ['clerk-wu', 'cashier-he'] as const;
const ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore', 'Europe/Berlin', 'America/Los_Angeles', 'UTC'] as const;
const METHODS = ['bankTransfer', 'cash', 'alipay', 'wechat', 'cheque'] as const;
const POLICY_ROUNDING = ['halfAwayFromZero', 'halfEven', 'halfUp', 'halfDown', 'up', 'down', 'ceil', 'floor'] as const;
const DAY_MS = 86_400_000;

/** The smallest plan total the kit generates, in minor units: every installment's share is then at least 100 minor units, so no rounding can empty one. */
const MIN_PLAN_MINOR = 10_000;
const MAX_MINOR = 10_000_000_000;

/** A customer option: an id, else undefined (ignored). */
function customerOption(options: unknown): string | undefined {
  const c = option(options, 'customerId');
  return isIdText(c) ? c : undefined;
}

/** An instant as a host passes it: a `Date`, or an ISO string in UTC or with +08:00. */
function instantInputArb(range: { readonly min?: Date; readonly max?: Date } = {}): fc.Arbitrary<Date | string> {
  return fc.tuple(instantArb(range), fc.constantFrom('date' as const, 'utc' as const, 'shanghai' as const)).map(([d, style]) => {
    if (style === 'date') return d;
    if (style === 'utc') return d.toISOString();
    return new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
  });
}

/** The time of an instant the kit generated (a Date, or an ISO string with an offset). */
const timeOf = (d: Date | string): number => (typeof d === 'string' ? Date.parse(d) : d.getTime());

/** `total` minor units split into `weights.length` parts of at least `least` each, by the weights, the rest to the last: they sum to `total`. */
function split(total: number, weights: readonly number[], least: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - least * weights.length;
  const parts = weights.map((w) => least + Math.floor((spare * w) / sum));
  parts[parts.length - 1]! += total - parts.reduce((a, b) => a + b, 0);
  return parts;
}

/** What an installment still owes, in minor units (payments keep amounts as safe integers). */
const outstandingOf = (i: Installment): number => Number(i.amount.minor) - Number(i.paid.minor) - Number(i.credited.minor) - Number(i.writtenOff.minor) - Number(i.badDebt.minor);

/** What a payment has unapplied, in minor units (0 if it cannot be read). */
function unappliedOf(payment: Payment): number {
  const b = paymentBalance(payment);
  return b.ok ? Number(b.value.unapplied.minor) : 0;
}

/** The other currency of a test: USD for anything but USD, CNY for USD. */
const otherCurrency = (c: CurrencyCode): CurrencyCode => (c === 'USD' ? 'CNY' : 'USD');

/* ------------------------------------------------------------------ policies */

/**
 * A payment policy as a tenant stores it (`PaymentPolicyInput`): a zone, and maybe how
 * percentages become amounts, the rounding, write-off tolerances by currency, aging buckets and
 * reminders.
 *
 * @example
 * fc.assert(fc.property(paymentPolicyArb(), (p) => parsePaymentPolicy(p).ok))
 */
export function paymentPolicyArb(): fc.Arbitrary<PaymentPolicyInput> {
  const tolerance = fc
    .uniqueArray(fc.tuple(currencyCodeArb(), fc.integer({ min: 0, max: 500 })), { maxLength: 3, selector: ([c]) => c })
    .map((entries) => Object.fromEntries(entries.map(([c, minor]) => [c, minorText(minor, c)])));
  return fc.record(
    {
      zone: fc.constantFrom(...ZONES),
      planAmounts: fc.constantFrom('largestRemainder' as const, 'lastIsBalance' as const),
      rounding: fc.constantFrom(...POLICY_ROUNDING),
      writeOffTolerance: tolerance,
      agingBuckets: fc.uniqueArray(fc.integer({ min: 1, max: 365 }), { minLength: 1, maxLength: 5 }).map((b) => [...b].sort((x, y) => x - y)),
      reminders: fc.record(
        {
          daysBefore: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }),
          onOverdue: fc.boolean(),
          overdueEveryDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['zone'] },
  );
}

/**
 * A payment policy `parsePaymentPolicy` refuses (`INVALID_INPUT`), one defect away: an unknown
 * zone or none, an unknown way to split percentages, no aging buckets or buckets that do not
 * increase, a tolerance in a currency that is not one or below zero, a negative reminder day,
 * an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidPaymentPolicyArb(), (p) => !parsePaymentPolicy(p as PaymentPolicyInput).ok))
 */
export function invalidPaymentPolicyArb(): fc.Arbitrary<unknown> {
  return defective(paymentPolicyArb(), [
    (p) => ({ ...p, zone: 'Mars/Olympus_Mons' }),
    ({ zone: _zone, ...p }) => p,
    (p) => ({ ...p, planAmounts: 'evenly' }),
    (p) => ({ ...p, agingBuckets: [] }),
    (p) => ({ ...p, agingBuckets: [60, 30] }),
    (p) => ({ ...p, writeOffTolerance: { RMB: '1.00' } }),
    (p) => ({ ...p, writeOffTolerance: { CNY: '-1.00' } }),
    (p) => ({ ...p, reminders: { daysBefore: [-1] } }),
    (p) => ({ ...p, currency: 'CNY' }),
  ]);
}

/* ------------------------------------------------------------------ new plans */

const dueRuleArb = (orderDate: fc.Arbitrary<number>): fc.Arbitrary<DueRuleInput> =>
  fc.oneof(
    fc.integer({ min: 0, max: 365 }).map((days): DueRuleInput => ({ kind: 'afterOrder', days })),
    fc.record({ months: fc.integer({ min: 0, max: 12 }), days: fc.integer({ min: 0, max: 60 }) }, { requiredKeys: [] }).map((r): DueRuleInput => ({ kind: 'endOfMonth', ...r })),
    fc.tuple(orderDate, fc.integer({ min: 0, max: 365 }), fc.boolean()).map(([t, days, asKey]): DueRuleInput => {
      const due = new Date(t + days * DAY_MS);
      return { kind: 'date', date: asKey ? due.toISOString().slice(0, 10) : due };
    }),
  );

/**
 * A new payment plan (`CreatePaymentPlanInput`) that `createPaymentPlan` creates under any
 * policy: an order's total (at least 100.00 in a 2-decimal currency) in one to four
 * installments by percentages summing to exactly 100 (each at least 1%), by fixed amounts
 * summing to the total, or by amounts with the last the balance; due after the order, at month
 * end + N (月结) or on a date. `currency` and `customerId` fix those; an option that is not one
 * is ignored.
 *
 * @example
 * fc.assert(fc.property(createPaymentPlanInputArb(), (input) => createPaymentPlan(input, { now: '2026-03-02T10:00:00+08:00', actor: { id: 'clerk-wu' }, policy: { zone: 'Asia/Shanghai' } }).ok))
 */
export function createPaymentPlanInputArb(options: { readonly currency?: CurrencyCode; readonly customerId?: string } = {}): fc.Arbitrary<CreatePaymentPlanInput> {
  const currency = currencyOption(options);
  const customerId = customerOption(options);
  return fc
    .record({
      id: idArb('PP'),
      orderId: idArb('SO'),
      customerId: customerId === undefined ? idArb('C') : fc.constant(customerId),
      ownerId: fc.option(fc.option(fc.constantFrom(...REPS), { nil: null }), { nil: undefined }),
      orderDate: instantInputArb({ max: new Date('2026-12-31T00:00:00Z') }),
      total: moneyArb({ ...(currency === undefined ? {} : { currency }), min: MIN_PLAN_MINOR, max: MAX_MINOR }),
      totalAsMinor: fc.boolean(),
      mode: fc.constantFrom('percent' as const, 'amount' as const, 'balance' as const),
      weights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }),
      numbers: fc.boolean(),
      amountsAsObjects: fc.boolean(),
    })
    .chain((r) => fc.tuple(fc.constant(r), fc.array(dueRuleArb(fc.constant(timeOf(r.orderDate))), { minLength: r.weights.length, maxLength: r.weights.length })))
    .map(([r, dues]) => {
      const cur = r.total.currency;
      const totalMinor = Number(r.total.minor);
      const installments = (r.mode === 'percent' ? split(10_000, r.weights, 100) : split(totalMinor, r.weights, 1)).map((part, i) => {
        const id = `I${i + 1}`;
        const due = dues[i]!;
        if (r.mode === 'percent') return { id, percent: r.numbers && part % 100 === 0 ? part / 100 : decimalText(part, 2), due };
        if (r.mode === 'balance' && i === r.weights.length - 1) return { id, balance: true as const, due };
        const text = minorText(part, cur);
        return { id, amount: r.amountsAsObjects ? { currency: cur, amount: text } : text, due };
      });
      const input: CreatePaymentPlanInput = {
        id: r.id,
        orderId: r.orderId,
        customerId: r.customerId,
        ...(r.ownerId === undefined ? {} : { ownerId: r.ownerId }),
        orderDate: r.orderDate,
        total: r.totalAsMinor ? { currency: cur, minor: r.total.minor } : { currency: cur, amount: minorText(r.total.minor, cur) },
        installments,
      };
      return input;
    });
}

/**
 * A new plan `createPaymentPlan` refuses, one defect away: no installments, an installment id
 * twice, an installment with both a percentage and an amount, a zero or float total, an order
 * date that is not one, a negative or impossible due date, an extra key (`INVALID_INPUT`);
 * percentages summing to 101 (`PAYMENT_PERCENTAGES_NOT_100`), or fixed amounts past the total
 * (`PAYMENT_PLAN_AMOUNTS_MISMATCH`).
 *
 * @example
 * fc.assert(fc.property(invalidCreatePaymentPlanInputArb(), (input) => !createPaymentPlan(input as CreatePaymentPlanInput, { now: '2026-03-02T10:00:00+08:00', actor: { id: 'clerk-wu' }, policy: { zone: 'Asia/Shanghai' } }).ok))
 */
export function invalidCreatePaymentPlanInputArb(): fc.Arbitrary<unknown> {
  const first = (p: CreatePaymentPlanInput) => p.installments[0]!;
  const total = (p: CreatePaymentPlanInput) => p.total as { readonly currency: CurrencyCode; readonly amount?: string; readonly minor?: number | bigint };
  return defective(createPaymentPlanInputArb(), [
    (p) => ({ ...p, installments: [] }),
    (p) => ({ ...p, installments: [first(p), ...p.installments] }),
    (p) => ({ ...p, installments: [{ ...first(p), percent: 50, amount: '1.00' }, ...p.installments.slice(1)] }),
    (p) => ({ ...p, total: { currency: total(p).currency, amount: '0' } }),
    (p) => ({ ...p, total: { currency: total(p).currency, amount: 1000.5 } }),
    (p) => ({ ...p, orderDate: 'next tuesday' }),
    (p) => ({ ...p, installments: [{ ...first(p), due: { kind: 'afterOrder', days: -1 } }, ...p.installments.slice(1)] }),
    (p) => ({ ...p, installments: [{ ...first(p), due: { kind: 'date', date: '2026-02-30' } }, ...p.installments.slice(1)] }),
    (p) => ({ ...p, paidAt: null }),
    // the sum, one defect: a percentage one point higher, or an extra installment of the whole total
    (p) => {
      const [head, ...rest] = p.installments;
      if (head!.percent !== undefined) {
        const bumped = typeof head!.percent === 'number' ? head!.percent + 1 : decimalText(BigInt(Math.round(Number(head!.percent) * 100)) + 100n, 2);
        return { ...p, installments: [{ ...head!, percent: bumped }, ...rest] };
      }
      const t = total(p);
      const whole = t.amount ?? minorText(t.minor!, t.currency);
      return { ...p, installments: [{ id: 'I0', amount: whole, due: head!.due }, ...p.installments] };
    },
  ]);
}

/* ------------------------------------------------------------------ new payments */

/**
 * A payment received (`RecordPaymentInput`) that `recordPayment` records: an amount above zero
 * (as `{ currency, amount }`, `{ currency, minor }` or a `Money`), when it arrived, how (bank
 * transfer, cash, Alipay, WeChat, cheque), maybe the order, the bank slip and a note.
 * `currency` and `customerId` fix those; an option that is not one is ignored.
 *
 * @example
 * fc.assert(fc.property(recordPaymentInputArb(), (input) => recordPayment(input, { now: '2026-03-02T10:00:00+08:00', actor: { id: 'clerk-wu' } }).ok))
 */
export function recordPaymentInputArb(options: { readonly currency?: CurrencyCode; readonly customerId?: string } = {}): fc.Arbitrary<RecordPaymentInput> {
  const currency = currencyOption(options);
  const customerId = customerOption(options);
  const money = { ...(currency === undefined ? {} : { currency }), min: 1, max: MAX_MINOR };
  return fc.record(
    {
      id: idArb('P'),
      customerId: customerId === undefined ? idArb('C') : fc.constant(customerId),
      orderId: fc.option(idArb('SO'), { nil: null }),
      amount: fc.oneof(moneyJsonArb(money), moneyArb(money), moneyArb(money).map((m) => ({ currency: m.currency, minor: m.minor }))),
      receivedAt: instantInputArb(),
      method: fc.constantFrom(...METHODS),
      reference: fc.option(fc.constantFrom('BOC-20260305-0042', 'ICBC 6222 0210 0000', '支付宝 2026030522001'), { nil: null }),
      note: fc.option(fc.constantFrom('首付款', '尾款', '多付部分留作预收'), { nil: null }),
    },
    { requiredKeys: ['id', 'customerId', 'amount', 'receivedAt', 'method'] },
  );
}

/**
 * A payment `recordPayment` refuses (`INVALID_INPUT`), one defect away: a zero or negative
 * amount, an amount in a currency that is not one, a bare decimal string for the amount (no
 * currency), a blank method, a receipt time that is not one, a blank id, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidRecordPaymentInputArb(), (input) => !recordPayment(input as RecordPaymentInput, { now: '2026-03-02T10:00:00+08:00', actor: { id: 'clerk-wu' } }).ok))
 */
export function invalidRecordPaymentInputArb(): fc.Arbitrary<unknown> {
  const currencyOf = (p: RecordPaymentInput) => (p.amount as { readonly currency: CurrencyCode }).currency;
  return defective(recordPaymentInputArb(), [
    (p) => ({ ...p, amount: { currency: currencyOf(p), amount: '0' } }),
    (p) => ({ ...p, amount: { currency: currencyOf(p), minor: -100 } }),
    (p) => ({ ...p, amount: { currency: 'RMB', amount: '500' } }),
    (p) => ({ ...p, amount: '500' }),
    (p) => ({ ...p, method: '   ' }),
    (p) => ({ ...p, receivedAt: '2026-13-01T00:00:00Z' }),
    (p) => ({ ...p, id: '' }),
    (p) => ({ ...p, status: 'active' }),
  ]);
}

/* ------------------------------------------------------------------ stored plans */

/**
 * A stored payment plan (`PaymentPlan`), built by the rules: created from
 * `createPaymentPlanInputArb` under a generated policy, and sometimes part (or all) of it paid
 * by a payment applied oldest first — so its installments are pending, partly paid or paid,
 * and every invariant holds. Frozen and trusted, as the rules return it. `currency` and
 * `customerId` fix those.
 *
 * @example
 * fc.assert(fc.property(paymentPlanArb(), (plan) => parsePaymentPlan(plan).ok && parsePaymentPlan(JSON.parse(JSON.stringify(plan))).ok))
 */
export function paymentPlanArb(options: { readonly currency?: CurrencyCode; readonly customerId?: string } = {}): fc.Arbitrary<PaymentPlan> {
  return fc
    .tuple(createPaymentPlanInputArb(options), paymentPolicyArb(), fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }), fc.constantFrom(...CLERKS))
    .map(([input, policy, paidShare, actorId]) => {
      const now = new Date(timeOf(input.orderDate) + DAY_MS);
      const created = createPaymentPlan(input, { now, actor: { id: actorId }, policy });
      if (!created.ok) return null;
      return paidShare === null ? created.value.plan : paidInPart(created.value.plan, paidShare, new Date(now.getTime() + 7 * DAY_MS), actorId);
    })
    .filter((p): p is PaymentPlan => p !== null);
}

/** The plan after a payment of `share` per mille of its total (at least one minor unit) is applied to it oldest first; the plan as it was if that is refused. */
function paidInPart(plan: PaymentPlan, share: number, now: Date, actorId: string): PaymentPlan {
  const minor = Math.max(1, Math.floor((Number(plan.total.minor) * share) / 1000));
  const applied = recordAndApplyPayment(
    { id: `P-${plan.id}`, customerId: plan.customerId, orderId: plan.orderId, amount: { currency: plan.currency, minor }, receivedAt: now, method: 'bankTransfer' },
    [plan],
    { kind: 'oldestFirst' },
    { now, actor: { id: actorId } },
  );
  return applied.ok && applied.value.plans[0] !== undefined ? applied.value.plans[0] : plan;
}

/**
 * A stored plan `parsePaymentPlan` refuses (`INVALID_INPUT`), one defect away: installments
 * that do not sum to the total, an installment paid beyond its amount or in another currency,
 * a due instant that is not the start of its due date in the zone, a due date that does not
 * exist, an unknown zone, a negative version, an update before the creation, no installments,
 * an installment id twice, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidPaymentPlanArb(), (plan) => !parsePaymentPlan(plan).ok))
 */
export function invalidPaymentPlanArb(): fc.Arbitrary<unknown> {
  const withFirst = (p: PaymentPlan, change: (i: Installment) => unknown) => ({ ...p, installments: [change(p.installments[0]!), ...p.installments.slice(1)] });
  return defective(paymentPlanArb(), [
    (p) => ({ ...p, total: { currency: p.currency, minor: Number(p.total.minor) + 1 } }),
    (p) => withFirst(p, (i) => ({ ...i, paid: { currency: p.currency, minor: Number(i.amount.minor) + 1 } })),
    (p) => withFirst(p, (i) => ({ ...i, paid: { currency: otherCurrency(p.currency), minor: 0 } })),
    (p) => withFirst(p, (i) => ({ ...i, dueAt: new Date(i.dueAt.getTime() + 3_600_000) })),
    (p) => withFirst(p, (i) => ({ ...i, dueDate: '2026-02-30' })),
    (p) => ({ ...p, zone: 'Mars/Olympus_Mons' }),
    (p) => ({ ...p, version: -1 }),
    (p) => ({ ...p, updatedAt: new Date(p.createdAt.getTime() - 1) }),
    (p) => ({ ...p, installments: [] }),
    (p) => ({ ...p, installments: [p.installments[0]!, ...p.installments] }),
    (p) => ({ ...p, status: 'open' }),
  ]);
}

/* ------------------------------------------------------------------ stored payments */

type PaymentHistory = 'recorded' | 'applied' | 'refunded' | 'reversed' | 'creditNote';

/**
 * A stored payment (`Payment`), built by the rules from `recordPaymentInputArb`: recorded and
 * unapplied, applied (wholly or in part) to a plan of its customer, partly refunded, reversed
 * (a bounced transfer), or a credit note netted against an order. Frozen and trusted, as the
 * rules return it. `currency` and `customerId` fix those.
 *
 * @example
 * fc.assert(fc.property(paymentArb(), (p) => parsePayment(p).ok && paymentBalance(p).ok))
 */
export function paymentArb(options: { readonly currency?: CurrencyCode; readonly customerId?: string } = {}): fc.Arbitrary<Payment> {
  return fc
    .tuple(
      recordPaymentInputArb(options),
      fc.constantFrom<PaymentHistory>('recorded', 'applied', 'refunded', 'reversed', 'creditNote'),
      fc.integer({ min: 1, max: 2000 }),
      fc.constantFrom(...CLERKS),
    )
    .map(([input, history, share, actorId]) => {
      const now = new Date(timeOf(input.receivedAt) + DAY_MS);
      const ctx: PaymentContext = { now, actor: { id: actorId }, policy: { zone: 'Asia/Shanghai' } };
      const amount = parseMoney(input.amount);
      if (!amount.ok) return null;
      const cur = amount.value.currency;
      const minor = Number(amount.value.minor);
      const orderId = input.orderId ?? `SO-${input.id}`;
      // a plan of the customer's order owing `share` per mille of the payment (at least one minor unit)
      const plan = createPaymentPlan(
        {
          id: `PP-${input.id}`,
          orderId,
          customerId: input.customerId,
          orderDate: input.receivedAt,
          total: { currency: cur, minor: Math.max(1, Math.floor((minor * share) / 1000)) },
          installments: [{ id: 'I1', percent: 100, due: { kind: 'afterOrder', days: 30 } }],
        },
        ctx,
      );
      if (history === 'creditNote') {
        const note = issueCreditNote(
          { id: `CN-${input.id}`, customerId: input.customerId, orderId, amount: input.amount, issuedAt: input.receivedAt, note: '退货' },
          plan.ok ? plan.value.plan : null,
          ctx,
        );
        return note.ok ? note.value.payment : null;
      }
      if (history === 'recorded' || history === 'refunded' || !plan.ok) {
        const recorded = recordPayment(input, ctx);
        if (!recorded.ok) return null;
        if (history !== 'refunded') return recorded.value.payment;
        const refund = Math.max(1, Math.floor((minor * Math.min(share, 1000)) / 1000));
        const refunded = refundPayment(recorded.value.payment, { amount: minorText(refund, cur), reason: '多付退回' }, ctx);
        return refunded.ok ? refunded.value.payment : recorded.value.payment;
      }
      const applied = recordAndApplyPayment({ ...input, orderId }, [plan.value.plan], { kind: 'installmentOrder' }, ctx);
      if (!applied.ok) return null;
      if (history === 'applied') return applied.value.payment;
      const reversed = reversePayment(applied.value.payment, applied.value.plans, { reason: '银行退票' }, ctx);
      return reversed.ok ? reversed.value.payment : applied.value.payment;
    })
    .filter((p): p is Payment => p !== null);
}

/**
 * A stored payment `parsePayment` refuses (`INVALID_INPUT`), one defect away: a zero amount, a
 * reversed payment without its reversal (or an active one with one), a negative `lastSeq`, a
 * blank method, an Invalid Date, an unknown kind, an update before the creation, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidPaymentArb(), (p) => !parsePayment(p).ok))
 */
export function invalidPaymentArb(): fc.Arbitrary<unknown> {
  return defective(paymentArb(), [
    (p) => ({ ...p, amount: { currency: p.amount.currency, minor: 0 } }),
    (p) => (p.status === 'reversed' ? { ...p, status: 'active' } : { ...p, status: 'reversed', reversal: null }),
    (p) => ({ ...p, lastSeq: -1 }),
    (p) => ({ ...p, method: '' }),
    (p) => ({ ...p, receivedAt: new Date(Number.NaN) }),
    (p) => ({ ...p, kind: 'invoice' }),
    (p) => ({ ...p, updatedAt: new Date(p.createdAt.getTime() - 1) }),
    (p) => ({ ...p, bankAccount: '6222 0210' }),
  ]);
}

/* ------------------------------------------------------------------ strategies and allocation */

/** An amount as a strategy gives it: a decimal string, or `{ currency, amount }`. */
const strategyAmountArb = moneyJsonArb({ currency: 'CNY', min: 1, max: 10_000_000 }).chain((m) => fc.constantFrom<string | { readonly currency: string; readonly amount: string }>(m.amount, m));

/**
 * A strategy as `allocationStrategySchema` takes it (`AllocationStrategyInput`): oldest first
 * or proportional (maybe capped, maybe leaving orders out), installment order (maybe of a named
 * order), or explicit applications. Valid for the door; whether it applies depends on the
 * payment and the plans (its amounts are CNY) — `paymentAllocationArb` builds strategies that do.
 *
 * @example
 * fc.assert(fc.property(allocationStrategyArb(), (s) => allocationStrategySchema.safeParse(s).success))
 */
export function allocationStrategyArb(): fc.Arbitrary<AllocationStrategyInput> {
  return fc.oneof(
    fc.record({ kind: fc.constant('oldestFirst' as const), amount: strategyAmountArb, excludeOrderIds: fc.array(idArb('SO'), { maxLength: 2 }) }, { requiredKeys: ['kind'] }),
    fc.record({ kind: fc.constant('proportional' as const), amount: strategyAmountArb, excludeOrderIds: fc.array(idArb('SO'), { maxLength: 2 }) }, { requiredKeys: ['kind'] }),
    fc.record({ kind: fc.constant('installmentOrder' as const), amount: strategyAmountArb, orderId: idArb('SO') }, { requiredKeys: ['kind'] }),
    fc.record({
      kind: fc.constant('explicit' as const),
      applications: fc.array(fc.record({ planId: idArb('PP'), installmentId: fc.constantFrom('I1', 'I2', 'I3'), amount: strategyAmountArb }), { minLength: 1, maxLength: 3 }),
    }),
  );
}

/**
 * A strategy its door refuses (`INVALID_INPUT`), one defect away: an unknown kind, explicit
 * with no applications (or one without its installment), a blank order id to leave out, a key
 * its kind does not take, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidAllocationStrategyArb(), (s) => !allocationStrategySchema.safeParse(s).success))
 */
export function invalidAllocationStrategyArb(): fc.Arbitrary<unknown> {
  return defective(allocationStrategyArb(), [
    (s) => ({ ...s, kind: 'newestFirst' }),
    () => ({ kind: 'explicit', applications: [] }),
    () => ({ kind: 'explicit', applications: [{ planId: 'PP-1', amount: '1.00' }] }),
    () => ({ kind: 'oldestFirst', excludeOrderIds: [''] }),
    () => ({ kind: 'installmentOrder', excludeOrderIds: ['SO-1'] }),
    (s) => ({ ...s, dryRun: true }),
  ]);
}

/**
 * A payment, the plans it may go to and a strategy, as `allocatePayment` takes them, with the
 * context of the step.
 *
 * @example
 * const { payment, plans, strategy, context } = fc.sample(paymentAllocationArb(), 1)[0]!;
 */
export interface PaymentAllocationCase {
  readonly payment: Payment;
  readonly plans: readonly PaymentPlan[];
  readonly strategy: AllocationStrategyInput;
  readonly context: PaymentContext;
}

/**
 * An allocation that applies (`allocatePayment` answers ok): a recorded payment of a customer
 * and one to three of that customer's plans in its currency, each with something outstanding
 * (some paid in part already), and a strategy — oldest first or proportional (maybe capped
 * below what is unapplied), installment order of one of the orders, or explicit applications
 * within what each installment owes and the payment has.
 *
 * @example
 * fc.assert(fc.property(paymentAllocationArb(), (a) => allocatePayment(a.payment, a.plans, a.strategy, a.context).ok))
 */
export function paymentAllocationArb(): fc.Arbitrary<PaymentAllocationCase> {
  return fc
    .tuple(currencyCodeArb(), idArb('C'))
    .chain(([currency, customerId]) =>
      fc.tuple(
        fc.array(fc.tuple(createPaymentPlanInputArb({ currency, customerId }), fc.option(fc.integer({ min: 1, max: 999 }), { nil: null })), { minLength: 1, maxLength: 3 }),
        recordPaymentInputArb({ currency, customerId }),
        fc.constantFrom('oldestFirst' as const, 'proportional' as const, 'installmentOrder' as const, 'explicit' as const),
        fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom(...CLERKS),
      ),
    )
    .map(([planInputs, paymentInput, kind, cap, picks, capAsObject, actorId]) => {
      const start = Math.max(...planInputs.map(([p]) => timeOf(p.orderDate)), timeOf(paymentInput.receivedAt));
      const now = new Date(start + 30 * DAY_MS);
      const ctx: PaymentContext = { now, actor: { id: actorId }, policy: { zone: 'Asia/Shanghai' } };
      const plans: PaymentPlan[] = [];
      for (const [i, [input, paidShare]] of planInputs.entries()) {
        const created = createPaymentPlan({ ...input, id: `${input.id}-${i + 1}`, orderId: `${input.orderId}-${i + 1}` }, ctx);
        if (!created.ok) return null;
        // at most 999‰ of a total of at least 10,000 minor units is paid before: something stays outstanding
        plans.push(paidShare === null ? created.value.plan : paidInPart(created.value.plan, paidShare, now, actorId));
      }
      const recorded = recordPayment(paymentInput, ctx);
      if (!recorded.ok) return null;
      const payment = recorded.value.payment;
      const cur = payment.amount.currency;
      const unapplied = Number(payment.amount.minor);
      const amountOf = (minor: number) => (capAsObject ? { currency: cur, amount: minorText(minor, cur) } : minorText(minor, cur));
      const capped = cap === null ? {} : { amount: amountOf(Math.max(1, Math.floor((unapplied * cap) / 1000))) };
      let strategy: AllocationStrategyInput;
      if (kind === 'oldestFirst' || kind === 'proportional') strategy = { kind, ...capped };
      else if (kind === 'installmentOrder') strategy = { kind, orderId: plans[picks[0]![0] % plans.length]!.orderId, ...capped };
      else {
        const open = plans.flatMap((plan) => plan.installments.filter((i) => outstandingOf(i) > 0).map((i) => ({ plan, i })));
        const chosen = new Map<string, { planId: string; installmentId: string; amount: ReturnType<typeof amountOf> }>();
        let left = unapplied;
        for (const [at, share] of picks) {
          const o = open[at % open.length];
          if (o === undefined || left === 0) break;
          const key = `${o.plan.id}\u0000${o.i.id}`;
          if (chosen.has(key)) continue;
          const most = Math.min(outstandingOf(o.i), left);
          const minor = Math.max(1, Math.floor((most * share) / 1000));
          chosen.set(key, { planId: o.plan.id, installmentId: o.i.id, amount: amountOf(minor) });
          left -= minor;
        }
        strategy = chosen.size > 0 ? { kind: 'explicit', applications: [...chosen.values()] } : { kind: 'oldestFirst' };
      }
      return { payment, plans, strategy, context: { now, actor: { id: actorId } } };
    })
    .filter((a): a is NonNullable<typeof a> => a !== null);
}

/**
 * An allocation `allocatePayment` refuses, one defect away, each with the code the rules
 * document: a plan of another customer (`PAYMENT_CUSTOMER_MISMATCH`) or in another currency
 * (`PAYMENT_CURRENCY_MISMATCH`), a cap above what is unapplied (`PAYMENT_EXCEEDS_UNAPPLIED`), an
 * explicit application of more than the installment owes (`PAYMENT_OVER_ALLOCATED`) or to an
 * installment the plans do not have (`PAYMENT_INSTALLMENT_NOT_FOUND`), a strategy of an unknown
 * kind or a payment that is not one (`INVALID_INPUT`).
 *
 * @example
 * fc.assert(fc.property(invalidPaymentAllocationArb(), (a) => !allocatePayment(a.payment as Payment, a.plans as PaymentPlan[], a.strategy as AllocationStrategyInput, a.context).ok))
 */
export function invalidPaymentAllocationArb(): fc.Arbitrary<{ readonly payment: unknown; readonly plans: unknown; readonly strategy: unknown; readonly context: PaymentContext }> {
  const inOtherCurrency = (p: PaymentPlan): unknown => {
    const c = otherCurrency(p.currency);
    const m = (x: { readonly minor: number | bigint }) => ({ currency: c, minor: x.minor });
    return {
      ...p,
      currency: c,
      total: m(p.total),
      installments: p.installments.map((i) => ({ ...i, amount: m(i.amount), paid: m(i.paid), credited: m(i.credited), writtenOff: m(i.writtenOff), badDebt: m(i.badDebt) })),
    };
  };
  const text = (a: PaymentAllocationCase, minor: number) => minorText(minor, a.payment.amount.currency);
  const some = (a: PaymentAllocationCase) => ({ plan: a.plans[0]!, installment: a.plans[0]!.installments[0]! });
  return defective(paymentAllocationArb(), [
    (a) => ({ ...a, plans: [{ ...a.plans[0]!, customerId: `${a.payment.customerId}-other` }, ...a.plans.slice(1)] }),
    (a) => ({ ...a, plans: [inOtherCurrency(a.plans[0]!), ...a.plans.slice(1)] }),
    (a) => ({ ...a, strategy: { kind: 'oldestFirst', amount: text(a, unappliedOf(a.payment) + 1) } }),
    (a) => {
      const { plan, installment } = some(a);
      return { ...a, strategy: { kind: 'explicit', applications: [{ planId: plan.id, installmentId: installment.id, amount: text(a, outstandingOf(installment) + 1) }] } };
    },
    (a) => ({ ...a, strategy: { kind: 'explicit', applications: [{ planId: some(a).plan.id, installmentId: 'I-none', amount: text(a, 1) }] } }),
    (a) => ({ ...a, strategy: { kind: 'newestFirst' } }),
    (a) => ({ ...a, payment: { ...a.payment, amount: { currency: a.payment.amount.currency, minor: 0 } } }),
  ]) as fc.Arbitrary<{ readonly payment: unknown; readonly plans: unknown; readonly strategy: unknown; readonly context: PaymentContext }>;
}

/* ------------------------------------------------------------------ refund requests */

const REFUND_POLICY = {
  zone: 'Asia/Shanghai',
  refundApproval: {
    levels: [
      { id: 'finance', approvers: ['fin-wu'], above: { CNY: '10.00' } },
      { id: 'cfo', approvers: ['cfo-lin'], above: { CNY: '500.00' } },
    ],
  },
};

/**
 * A stored refund request (`RefundRequest`) as the rules leave it: waiting on finance or the
 * CFO, signed in part, paid back, or rejected — out of a CNY 1,000.00 payment, under a policy
 * where finance signs above CNY 10.00 and the CFO above CNY 500.00. Frozen.
 *
 * @example
 * fc.assert(fc.property(refundRequestArb(), (r) => refundRequestSchema.safeParse(r).success))
 */
export function refundRequestArb(): fc.Arbitrary<RefundRequest> {
  return fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 2 }), fc.boolean(), idArb('RF')).map(([cents, steps, reject, id]) => {
    const t0 = new Date('2026-03-05T02:00:00Z');
    const paid = recordPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '1000.00' }, receivedAt: t0, method: 'bankTransfer' }, { now: t0, actor: { id: 'cashier-he' } });
    const payment = (paid as { ok: true; value: { payment: Payment } }).value.payment;
    const asked = requestRefund(payment, { id, amount: { currency: 'CNY', minor: cents }, reason: '退货退款' }, { now: t0, actor: { id: 'cashier-he' }, policy: REFUND_POLICY });
    let request = (asked as { ok: true; value: { request: RefundRequest } }).value.request;
    for (let i = 0; i < steps && request.status === 'pendingApproval'; i++) {
      const by = request.levels[request.signed.length] === 'finance' ? 'fin-wu' : 'cfo-lin';
      const command = reject && i === steps - 1 ? { type: 'reject' as const, reason: '未收到退货' } : { type: 'approve' as const };
      const d = decideRefundRequest(request, payment, command, { now: new Date(t0.getTime() + (i + 1) * 3_600_000), actor: { id: by }, policy: REFUND_POLICY });
      if (d.ok) request = d.value.request;
    }
    return request;
  });
}

/**
 * A refund request its schema refuses (a status it does not have, applied without its
 * signatures, signed by its requester).
 *
 * @example
 * fc.assert(fc.property(invalidRefundRequestArb(), (r) => !refundRequestSchema.safeParse(r).success))
 */
export function invalidRefundRequestArb(): fc.Arbitrary<unknown> {
  return defective(refundRequestArb(), [
    (r) => ({ ...r, status: 'approved' }),
    (r) => ({ ...r, status: 'applied', refundSeq: 1, signed: [] , levels: ['finance'] }),
    (r) => ({ ...r, levels: ['finance'], signed: [{ level: 'finance', by: r.requestedBy, at: r.requestedAt }] }),
  ]).filter((r) => !refundRequestSchema.safeParse(r).success);
}

/**
 * A command on a refund request: approve (maybe naming the level seen) or reject with a reason.
 *
 * @example
 * fc.assert(fc.property(refundRequestArb(), refundCommandArb(), (r, c) => { decideRefundRequest(r, payment, c, ctx); }))
 */
export function refundCommandArb(): fc.Arbitrary<RefundRequestCommand> {
  return fc.oneof(
    fc.record({ type: fc.constant('approve' as const), level: fc.constantFrom('finance', 'cfo') }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('reject' as const), reason: fc.constantFrom('未收到退货', 'no proof'), level: fc.constantFrom('finance', 'cfo') }, { requiredKeys: ['type', 'reason'] }),
  );
}

/**
 * A refund request command its schema refuses (an unknown type or key, a rejection without a reason).
 *
 * @example
 * fc.assert(fc.property(invalidRefundCommandArb(), (c) => !refundRequestCommandSchema.safeParse(c).success))
 */
export function invalidRefundCommandArb(): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>({ type: 'approve', note: '同意' }, { type: 'reject' }, { type: 'sign' }, { type: 'reject', reason: '' }).filter((c) => !refundRequestCommandSchema.safeParse(c).success);
}
