import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import type { PaymentEvent, PaymentEventDataByType } from './events.js';
import { currencyCodeSchema, formatMoney, moneySchema, type CurrencyCode, type Money } from '../core/money.js';
import { makeMoney } from '../core/money/amount.js';
import type { ExactInteger } from '../core/money/integers.js';
import { readDecimal } from '../core/money/decimal.js';
import { currencyExponent } from '../core/money/currencies.js';
import { ok, type Result } from '../core/result.js';
import { dayNumberOfKey, keyOfDayNumber, zonedDaysIn, type ZonedDays } from '../core/time.js';
import { invalidAt, pathPrefix, zoned } from '../core/boundary.js';
import { idSchema, instantFrom, isIdText, instantSchema, isValidTimeZone, parseInput, textSchema, timeZoneSchema, ENGLISH_PARSE } from '../core/validation.js';
import { invalidPaymentInput } from './refusals.js';
import { actorOrIdShape, actorSchema, checkOneActor, type ActorInput } from '../core/context.js';

/*
 * The payments model (回款): payment plans with their installments (回款计划), payments and
 * credit notes with their applications (回款明细), and the tenant's payment policy.
 *
 * Every amount of this module is an exact count of minor units that fits a safe integer
 * (|minor| ≤ 2^53 − 1, i.e. up to 90 trillion yuan): larger amounts are refused at the door.
 */

/* ------------------------------------------------------------------------- brands */

/**
 * The base of the module's private brands: a class whose constructor returns the object it is
 * given, so a subclass's private fields land on that object — invisible to `Object.keys`, JSON
 * and equality checks, never copied by a spread, JSON or structuredClone, and about as cheap as
 * one more field. Always stamped before the object is frozen.
 */
class Branded {
  constructor(value: object) {
    return value;
  }
}

/* ----------------------------------------------------------------------- instants */

const dateGetTime = Date.prototype.getTime;

/**
 * The time of a `Date` of a record this module validated or built (internal): a real `Date`,
 * read through its slot with nothing to guard (what comes from outside is read by core's
 * `instantSchema`, `instantFrom` or `timeOf`, which never throw).
 */
const time = (d: Date): number => dateGetTime.call(d);

/**
 * The one way an instant gets into anything a rule returns (internal): a new frozen `Date` of
 * `at` — a time (ms) in range, or a `Date` of a record this module validated (read through its
 * slot). Every `Date` reachable from an answer is made here for that answer (or by a parse), so
 * none is the caller's or one a record passed in holds — so none is one an earlier answer
 * gave. Within one answer each field that shows an instant gets its own, except that a frozen
 * part built once for the answer (an application) is the same object wherever the answer shows
 * it — the payment, the decision's list, the events — and its `Date` with it. No record of an
 * answer holds a `Date` another record holds; a host that moves one (`setTime`) moves it in
 * every place of that answer that shows the same part, and a trusted record holding it is parsed
 * again when it comes back (see `TrustedPlan`).
 *
 * @example
 * freshInstant(ctx.nowMs) // the step's time, a Date of its own for this one field
 * freshInstant(plan.createdAt) // the same instant, not the same Date
 */
export function freshInstant(at: Date | number): Date {
  return Object.freeze(new Date(typeof at === 'number' ? at : time(at)));
}

/**
 * An instant at the payments door: core's `instantSchema` (a valid `Date`, read once through its
 * slot, or an ISO 8601 string with an offset; years 1–9999), its fresh `Date` frozen: the
 * caller's `Date` is never kept, never frozen.
 *
 * @example
 * paymentInstantSchema.parse('2026-03-02T10:00:00+08:00') // 2026-03-02T02:00:00.000Z
 */
export const paymentInstantSchema: z.ZodType<Date, unknown> = instantSchema.transform((d) => Object.freeze(d));

/* ----------------------------------------------------------------------------- money */

/**
 * An amount at the payments door (internal): the caller's object read once (its own fields
 * copied, so a getter answers once) and a currency that is not a string refused here, then
 * read by core's `moneySchema`.
 *
 * @example
 * paymentMoneySchema.parse({ currency: 'CNY', amount: '1.00' }) // CNY 1.00
 */
export const paymentMoneySchema: z.ZodType<Money, unknown> = z.unknown().transform((input, ctx): Money => {
  let fields: unknown = input;
  if (typeof input === 'object' && input !== null) {
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(input)) copy[k] = (input as Record<string, unknown>)[k];
    if (copy.currency !== undefined && typeof copy.currency !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'expected an ISO 4217 currency code such as "CNY"' });
      return z.NEVER;
    }
    fields = copy;
  }
  const parsed = moneySchema.safeParse(fields, ENGLISH_PARSE);
  if (parsed.success) return parsed.data;
  for (const i of parsed.error.issues) ctx.addIssue({ ...i, path: [...i.path] } as z.core.$ZodRawIssue);
  return z.NEVER;
});

const ZEROS = new Map<string, Money>();

/** An amount of `minor` units (internal: minor is a safe integer, currency known). @example moneyOf('CNY', 100001) // CNY 1000.01 */
export function moneyOf(currency: CurrencyCode, minor: number): Money {
  if (minor === 0) {
    let z0 = ZEROS.get(currency);
    if (z0 === undefined) ZEROS.set(currency, (z0 = makeMoney(currency, 0)));
    return z0;
  }
  return makeMoney(currency, minor);
}

/** The minor units of an amount this module validated (internal). @example minorOf(moneyOf('CNY', 5)) // 5 */
export function minorOf(m: Money): number {
  return m.minor as number;
}

/**
 * An amount as a command gives it (internal): a decimal string in the currency of the
 * payment or plan it belongs to ("300.00"), or an amount object (`{ currency, amount }`,
 * `{ currency, minor }`, a `Money`) that must be in that currency. Returns the minor units.
 *
 * @example
 * readAmountIn('300.5', 'CNY', ['amount']) // ok(30050)
 */
export function readAmountIn(input: unknown, currency: CurrencyCode, path: readonly (string | number)[]): Result<number, CrmError> {
  let minor: unknown;
  if (typeof input === 'string' || typeof input === 'number') {
    const d = readDecimal(input);
    if (typeof d === 'string') return invalidAt(path, d);
    const e = currencyExponent(currency)!;
    if (d.scale > e) return invalidAt(path, `${currency} has ${e} decimal${e === 1 ? '' : 's'}, the amount has ${d.scale}: it is never rounded silently`);
    minor = typeof d.units === 'number' ? d.units * 10 ** (e - d.scale) : d.units * 10n ** BigInt(e - d.scale);
  } else {
    const parsed = parseInput(paymentMoneySchema, input, path);
    if (!parsed.ok) return parsed;
    if (parsed.value.currency !== currency) return invalidAt([...path, 'currency'], `expected an amount in ${currency}, not ${parsed.value.currency}`);
    minor = parsed.value.minor;
  }
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor)) return invalidAt(path, 'the amount is beyond 2^53 minor units, which payments do not handle');
  return ok(minor + 0);
}

/** `minor` units of `currency` (exact: a bigint past 2^53) as a decimal string, for refusal details (internal). @example amountText('CNY', 5) // '0.05' */
export function amountText(currency: CurrencyCode, minor: ExactInteger): string {
  return formatMoney(typeof minor === 'number' ? moneyOf(currency, minor) : makeMoney(currency, minor));
}

/* ------------------------------------------------------------------ calendar dates */

const DATE_KEY = /^(19|[2-9]\d)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export { dayNumberOfKey, keyOfDayNumber };

/** Whether a string is a real calendar date `YYYY-MM-DD` (1900–9999). @example isDateKey('2026-02-30') // false */
export function isDateKey(key: unknown): key is string {
  if (typeof key !== 'string' || !DATE_KEY.test(key)) return false;
  const day = dayNumberOfKey(key); // a date that does not exist (2026-02-30) is NaN, or rolls over into the next month
  return Number.isSafeInteger(day) && keyOfDayNumber(day) === key;
}

/** A calendar date `YYYY-MM-DD`, e.g. an installment's due date in the tenant's zone. @example dateKeySchema.parse('2026-03-31') */
export const dateKeySchema = z.string().refine(isDateKey, { message: 'expected a calendar date YYYY-MM-DD' });

/**
 * The calendar of one zone by civil date (internal): which date an instant falls on, and the
 * first instant of a date — core's `ZonedDays` (the reclaim rules' calendar) spoken in
 * `YYYY-MM-DD` keys.
 *
 * @example
 * zoneCalendar('Asia/Shanghai').keyOf(Date.parse('2026-03-01T16:30:00Z')) // '2026-03-02'
 */
export class ZoneCalendar {
  readonly #days: ZonedDays;
  constructor(readonly zone: string) {
    this.#days = zonedDaysIn(zone);
  }

  /** The calendar date (`YYYY-MM-DD`) of the instant `t` (ms) in the zone. */
  keyOf(t: number): string {
    return keyOfDayNumber(this.#days.day(t));
  }

  /** The day number (days since 1970-01-01 on the zone's wall calendar) of the instant `t` (ms): what `dayNumberOfKey(keyOf(t))` is, for any instant in range (a key of the year 10000 would not read back). */
  dayOf(t: number): number {
    return this.#days.day(t);
  }

  /** The first instant (ms) of the calendar date `key` in the zone. */
  startOf(key: string): number {
    return this.#days.start(dayNumberOfKey(key));
  }

  /** The first instant (ms) of day number `day` (see `dayOf`) in the zone. */
  startOfDay(day: number): number {
    return this.#days.start(day);
  }

  /** Whole calendar days from the day of `from` to the day of `to` (ms) in the zone. */
  daysBetween(from: number, to: number): number {
    return this.#days.day(to) - this.#days.day(from);
  }
}

const CALENDARS = new Map<string, ZoneCalendar>();

/** The calendar of a valid zone, shared (internal). @example zoneCalendar('Asia/Shanghai').startOf('2026-03-31') */
export function zoneCalendar(zone: string): ZoneCalendar {
  let c = CALENDARS.get(zone);
  if (c === undefined) {
    if (CALENDARS.size > 1_000) CALENDARS.clear();
    CALENDARS.set(zone, (c = new ZoneCalendar(zone)));
  }
  return c;
}

/** The instants that bound a due date (see `Installment`): its first instant, and the first of the next day. */
export interface DueInstants {
  readonly dueAt: Date;
  readonly overdueAt: Date;
}

/**
 * The first instant of a calendar date in `zone` and the first instant of the next day, each a
 * fresh frozen `Date` (internal). Either may fall outside the supported instant range — the
 * day after 9999-12-31 starts in the year 10000 in Honolulu — and is then `INVALID_INPUT` at
 * `at`, never an instant in a record (see core's `zoned`).
 *
 * @example
 * dueInstants('2026-03-31', 'Asia/Shanghai', ['dueDate']) // ok({ dueAt: 2026-03-30T16:00:00.000Z, overdueAt: 2026-03-31T16:00:00.000Z })
 * dueInstants('9999-12-31', 'Pacific/Honolulu', ['dueDate']) // INVALID_INPUT at dueDate
 */
export function dueInstants(key: string, zone: string, at: readonly (string | number)[]): Result<DueInstants, CrmError> {
  const cal = zoneCalendar(zone);
  return zoned(at, (): DueInstants => ({ dueAt: freshInstant(cal.startOf(key)), overdueAt: freshInstant(cal.startOfDay(dayNumberOfKey(key) + 1)) }));
}

/* ------------------------------------------------------------------------ entities */

/**
 * Installment states (回款计划状态), derived from the numbers and `now`, never stored:
 * - `paid`: nothing outstanding (settled by payments, credit notes, small write-offs);
 * - `writtenOff`: nothing outstanding, and part of it was written off as bad debt (坏账);
 * - `overdue` (逾期): something outstanding from the installment's `overdueAt` on;
 * - `partlyPaid`: something outstanding, something settled, not overdue yet;
 * - `pending`: nothing settled, not overdue yet.
 *
 * @example
 * INSTALLMENT_STATES.includes('overdue') // true
 */
export const INSTALLMENT_STATES = ['pending', 'partlyPaid', 'paid', 'overdue', 'writtenOff'] as const;
/** An installment state. @example const s: InstallmentState = 'partlyPaid'; */
export type InstallmentState = (typeof INSTALLMENT_STATES)[number];

/**
 * One installment of a payment plan: what is expected and by when, and how much of it is settled.
 * Outstanding = amount − paid − credited − writtenOff − badDebt, never below zero.
 *
 * Due dates are calendar days in the plan's zone. An installment is due *on* `dueDate`: it is
 * on time all that day and overdue from `overdueAt`, the first instant of the next calendar
 * day in the zone (for Asia/Shanghai and a due date of 2026-03-31: from
 * 2026-03-31T16:00:00Z, midnight in Shanghai).
 *
 * @example
 * const i: Installment = plan.installments[0]!; // { id: 'I1', dueDate: '2026-03-31', amount: CNY 300.00, paid: CNY 0.00, … }
 */
export interface Installment {
  /** The host's id of the installment, unique within its plan. */
  readonly id: string;
  /** The calendar day it is due, `YYYY-MM-DD`, in the plan's zone. */
  readonly dueDate: string;
  /** The first instant of `dueDate` in the zone. */
  readonly dueAt: Date;
  /** The first instant of the day after `dueDate` in the zone: unsettled from here on, it is overdue. */
  readonly overdueAt: Date;
  /** What is expected. */
  readonly amount: Money;
  /** Settled by payments (cash received, 回款明细). */
  readonly paid: Money;
  /** Settled by credit notes. */
  readonly credited: Money;
  /** A small difference written off within the tolerance. */
  readonly writtenOff: Money;
  /** Written off as bad debt (坏账). */
  readonly badDebt: Money;
}

/**
 * A payment plan (回款计划) of one order or contract: its installments, in the order the
 * contract lists them, in one currency, with the tenant's zone in which due dates are days.
 *
 * @example
 * const plan: PaymentPlan = unwrap(createPaymentPlan(input, ctx)).plan;
 */
export interface PaymentPlan {
  readonly id: string;
  /** Bumped by one on every change; the store saves only over the version it loaded. */
  readonly version: number;
  readonly orderId: string;
  readonly customerId: string;
  /** Who chases the money (reminders go to them); null when nobody does. */
  readonly ownerId: string | null;
  readonly currency: CurrencyCode;
  /** The order's amount: the installments' amounts sum to it exactly. */
  readonly total: Money;
  /** When the order was placed (relative due dates count from its calendar day in `zone`). */
  readonly orderDate: Date;
  /** The tenant's IANA zone, e.g. `Asia/Shanghai`. */
  readonly zone: string;
  readonly installments: readonly Installment[];
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly updatedAt: Date;
}

/** What a payment is: money received, or a credit note (红字/贷项) we issued against an order. @example PAYMENT_KINDS // ['payment', 'creditNote'] */
export const PAYMENT_KINDS = ['payment', 'creditNote'] as const;
/** A payment kind. @example const k: PaymentKind = 'creditNote'; */
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/** Whether a payment counts (`active`) or was reversed (a bounced transfer, an entry in error). @example PAYMENT_STATUSES // ['active', 'reversed'] */
export const PAYMENT_STATUSES = ['active', 'reversed'] as const;
/** A payment status. @example const s: PaymentStatus = 'reversed'; */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A payment application (回款明细): the part of a payment applied to one installment.
 * `seq` numbers the applications of a payment (never reused), so the newest is the highest.
 *
 * @example
 * payment.applications[0] // { paymentId: 'P-1', seq: 1, planId: 'PP-1', orderId: 'SO-1', installmentId: 'I1', amount: CNY 300.00, … }
 */
export interface PaymentApplication {
  /** The payment (or credit note) it spends. */
  readonly paymentId: string;
  readonly seq: number;
  readonly planId: string;
  readonly orderId: string;
  readonly installmentId: string;
  readonly amount: Money;
  readonly appliedAt: Date;
  readonly appliedBy: string;
}

/** Money paid back to the customer out of a payment's unapplied rest. @example payment.refunds[0]?.amount */
export interface PaymentRefund {
  readonly seq: number;
  readonly amount: Money;
  readonly refundedAt: Date;
  readonly refundedBy: string;
  readonly reason: string | null;
}

/** Why and when a payment was reversed. @example payment.reversal?.reason // '退票' */
export interface PaymentReversal {
  readonly at: Date;
  readonly by: string;
  readonly reason: string;
}

/**
 * A payment (回款) or a credit note: the amount, when it was received, how, from which
 * customer, optionally for which order, and the applications that spend it. What is not
 * applied (nor refunded) is unapplied credit of that customer, usable later against any of
 * its installments: received = applied + unapplied + refunded (+ the whole, once reversed).
 *
 * @example
 * const p: Payment = unwrap(recordPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '5000' }, receivedAt, method: 'bankTransfer' }, ctx)).payment;
 */
export interface Payment {
  readonly id: string;
  readonly version: number;
  readonly kind: PaymentKind;
  /** The paying customer (for a credit note, the customer credited). */
  readonly customerId: string;
  /** The order the payment was recorded against, if the clerk knew it; null otherwise. */
  readonly orderId: string | null;
  /** What was received (or credited), > 0. */
  readonly amount: Money;
  /** When the money arrived (for a credit note, when it was issued). */
  readonly receivedAt: Date;
  /** How it was paid: the host's code, e.g. `bankTransfer`, `cash`, `alipay`, `wechat`; `creditNote` for a credit note. */
  readonly method: string;
  /** The bank slip, cheque or transaction number, if any. */
  readonly reference: string | null;
  readonly note: string | null;
  readonly status: PaymentStatus;
  readonly applications: readonly PaymentApplication[];
  readonly refunds: readonly PaymentRefund[];
  /** The last `seq` handed out to an application or refund. */
  readonly lastSeq: number;
  readonly reversal: PaymentReversal | null;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly updatedAt: Date;
}

/* ------------------------------------------------------------------------- schemas */

const MAX_SAFE_ISSUE = 'payments handle amounts up to 2^53 − 1 minor units';

function moneyField(min: 0 | 1): z.ZodType<Money, unknown> {
  return paymentMoneySchema.superRefine((m, ctx) => {
    if (typeof m.minor !== 'number') ctx.addIssue({ code: 'custom', message: MAX_SAFE_ISSUE });
    else if (m.minor < min) ctx.addIssue({ code: 'custom', message: min === 0 ? 'must not be negative' : 'must be greater than zero' });
  }) as unknown as z.ZodType<Money, unknown>;
}

/** An amount ≥ 0 in minor units that fit a safe integer (internal). @example nonNegativeMoney.parse({ currency: 'CNY', amount: '0' }) */
export const nonNegativeMoney = moneyField(0);
/** An amount > 0 in minor units that fit a safe integer (internal). @example positiveMoney.parse({ currency: 'CNY', amount: '0.01' }) */
export const positiveMoney = moneyField(1);

const installmentSchema = z
  .object({
    id: idSchema,
    dueDate: dateKeySchema,
    dueAt: paymentInstantSchema,
    overdueAt: paymentInstantSchema,
    amount: nonNegativeMoney,
    paid: nonNegativeMoney,
    credited: nonNegativeMoney,
    writtenOff: nonNegativeMoney,
    badDebt: nonNegativeMoney,
  })
  .strict();

const planObjectSchema = z
  .object({
    id: idSchema,
    version: z.number().int().min(0),
    orderId: idSchema,
    customerId: idSchema,
    ownerId: idSchema.nullable(),
    currency: currencyCodeSchema,
    total: nonNegativeMoney,
    orderDate: paymentInstantSchema,
    zone: timeZoneSchema,
    installments: z.array(installmentSchema).min(1).max(1000),
    createdAt: paymentInstantSchema,
    createdBy: idSchema,
    updatedAt: paymentInstantSchema,
  })
  .strict();

type PlanShape = z.output<typeof planObjectSchema>;

function checkPlan(plan: PlanShape, ctx: z.RefinementCtx): void {
  // Consistency is asked of a plan whose every field is valid: zod runs a refinement after
  // issues that do not abort (a due date 'x', an amount past 2^53), and the sums and the zone
  // calendar below assume valid fields.
  if (ctx.issues.length > 0) return;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const cur = plan.currency;
  if (plan.total.currency !== cur) issue(['total', 'currency'], `expected the plan's currency ${cur}`);
  let sum = 0;
  const ids = new Set<string>();
  const zoneOk = isValidTimeZone(plan.zone);
  plan.installments.forEach((inst, i) => {
    if (ids.has(inst.id)) issue(['installments', i, 'id'], `installment id ${inst.id} appears twice`);
    ids.add(inst.id);
    for (const field of ['amount', 'paid', 'credited', 'writtenOff', 'badDebt'] as const) {
      if (inst[field].currency !== cur) issue(['installments', i, field, 'currency'], `expected the plan's currency ${cur}`);
    }
    const amount = minorOf(inst.amount);
    sum += amount;
    const settled = minorOf(inst.paid) + minorOf(inst.credited) + minorOf(inst.writtenOff) + minorOf(inst.badDebt);
    if (settled > amount) issue(['installments', i], `settled ${settled} minor units of an installment of ${amount}: never beyond what it owes`);
    if (!zoneOk) return;
    const bounds = dueInstants(inst.dueDate, plan.zone, []);
    if (!bounds.ok) {
      issue(['installments', i, 'dueDate'], `${inst.dueDate} in ${plan.zone} is bounded by an instant outside 0001-01-01 … 9999-12-31 (UTC), the range the library supports`);
      return;
    }
    const { dueAt, overdueAt } = bounds.value;
    if (inst.dueAt.getTime() !== dueAt.getTime()) issue(['installments', i, 'dueAt'], `expected ${dueAt.toISOString()}, the start of ${inst.dueDate} in ${plan.zone}`);
    if (inst.overdueAt.getTime() !== overdueAt.getTime()) {
      issue(['installments', i, 'overdueAt'], `expected ${overdueAt.toISOString()}, the start of the day after ${inst.dueDate} in ${plan.zone}`);
    }
  });
  if (plan.total.currency === cur && sum !== minorOf(plan.total)) issue(['total'], `the installments sum to ${sum} minor units, not the total ${minorOf(plan.total)}`);
  if (plan.updatedAt.getTime() < plan.createdAt.getTime()) issue(['updatedAt'], 'updatedAt is before createdAt');
}

/**
 * The schema of a stored payment plan: strict, and consistent (one currency, installments
 * summing to the total, nothing settled beyond an installment's amount, due instants that
 * match the due dates in the zone, and due dates whose day starts and ends inside the supported
 * instants: 9999-12-31 in Honolulu is refused). ISO strings are accepted for instants (years 1–9999),
 * `{ currency, amount }` or `{ currency, minor }` for amounts (safe integers of minor units).
 * Consistency is checked only of a plan whose fields are all valid: a corrupt row gets its
 * field issues, never a throw. Its output is zod's; `parsePaymentPlan` gives the same plan
 * frozen all the way down and trusted.
 *
 * @example
 * paymentPlanSchema.safeParse(JSON.parse(row.json)).success
 */
export const paymentPlanSchema: z.ZodType<PaymentPlan, unknown> = planObjectSchema.superRefine(checkPlan) as unknown as z.ZodType<PaymentPlan, unknown>;

const applicationSchema = z
  .object({
    paymentId: idSchema,
    seq: z.number().int().min(1),
    planId: idSchema,
    orderId: idSchema,
    installmentId: idSchema,
    amount: positiveMoney,
    appliedAt: paymentInstantSchema,
    appliedBy: idSchema,
  })
  .strict();

const refundSchema = z
  .object({
    seq: z.number().int().min(1),
    amount: positiveMoney,
    refundedAt: paymentInstantSchema,
    refundedBy: idSchema,
    reason: textSchema.max(2000).nullable(),
  })
  .strict();

const paymentObjectSchema = z
  .object({
    id: idSchema,
    version: z.number().int().min(0),
    kind: z.enum(PAYMENT_KINDS),
    customerId: idSchema,
    orderId: idSchema.nullable(),
    amount: positiveMoney,
    receivedAt: paymentInstantSchema,
    method: textSchema.min(1).max(100),
    reference: textSchema.max(500).nullable(),
    note: textSchema.max(2000).nullable(),
    status: z.enum(PAYMENT_STATUSES),
    applications: z.array(applicationSchema).max(100_000),
    refunds: z.array(refundSchema).max(10_000),
    lastSeq: z.number().int().min(0),
    reversal: z.object({ at: paymentInstantSchema, by: idSchema, reason: textSchema.min(1).max(2000) }).strict().nullable(),
    createdAt: paymentInstantSchema,
    createdBy: idSchema,
    updatedAt: paymentInstantSchema,
  })
  .strict();

type PaymentShape = z.output<typeof paymentObjectSchema>;

function checkPayment(p: PaymentShape, ctx: z.RefinementCtx): void {
  if (ctx.issues.length > 0) return; // see checkPlan
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const cur = p.amount.currency;
  let spent = 0;
  const seqs = new Set<number>();
  const check = (list: 'applications' | 'refunds', items: readonly { seq: number; amount: Money }[]) =>
    items.forEach((x, i) => {
      if (x.amount.currency !== cur) issue([list, i, 'amount', 'currency'], `expected the payment's currency ${cur}`);
      if (seqs.has(x.seq)) issue([list, i, 'seq'], `seq ${x.seq} appears twice`);
      if (x.seq > p.lastSeq) issue([list, i, 'seq'], `seq ${x.seq} is beyond lastSeq ${p.lastSeq}`);
      seqs.add(x.seq);
      spent += minorOf(x.amount);
    });
  check('applications', p.applications);
  p.applications.forEach((a, i) => {
    if (a.paymentId !== p.id) issue(['applications', i, 'paymentId'], `an application of payment ${p.id} names ${a.paymentId}`);
  });
  check('refunds', p.refunds);
  if (spent > minorOf(p.amount)) issue(['applications'], `applications and refunds (${spent} minor units) exceed the amount received (${minorOf(p.amount)})`);
  for (let i = 1; i < p.applications.length; i++) {
    if (p.applications[i]!.seq < p.applications[i - 1]!.seq) issue(['applications', i, 'seq'], 'applications are kept oldest first (increasing seq)');
  }
  if (p.status === 'reversed') {
    if (p.reversal === null) issue(['reversal'], 'a reversed payment records its reversal');
    if (p.applications.length > 0) issue(['applications'], 'a reversed payment has no applications');
  } else if (p.reversal !== null) issue(['reversal'], 'only a reversed payment has a reversal');
  if (p.updatedAt.getTime() < p.createdAt.getTime()) issue(['updatedAt'], 'updatedAt is before createdAt');
}

/**
 * The schema of a stored payment or credit note: strict and consistent (one currency,
 * applications and refunds within the amount, increasing seqs, a reversal exactly when
 * reversed).
 *
 * @example
 * paymentSchema.safeParse(JSON.parse(row.json)).success
 */
export const paymentSchema: z.ZodType<Payment, unknown> = paymentObjectSchema.superRefine(checkPayment) as unknown as z.ZodType<Payment, unknown>;

/**
 * Trusted records. Plans and payments this module built — by a rule, or by parsing — are deep
 * frozen (the record, its lists, their entries, every amount and every `Date`) and stamped with
 * a private brand (see `Branded`: no WeakSet, since a batch of a million results would make
 * every garbage collection walk it). A copy (spread, JSON, structuredClone) loses the brand and
 * is parsed in full. Frozen is not enough for a `Date`: `setTime` still changes a frozen one. So
 * the brand keeps the time of each of the record's `Date`s as it was trusted (a frozen record
 * cannot swap one `Date` for another, only move one), and a branded record passes at once only
 * if each still shows that time — one comparison per instant; one that moved sends the record
 * through the full parse, which refuses an Invalid Date or a due instant that no longer matches
 * its due date, and gives a new record.
 */
class TrustedPlan extends Branded {
  readonly #times: readonly number[];
  constructor(plan: PaymentPlan) {
    super(plan);
    this.#times = planTimes(plan);
  }

  /** Whether `input` is a plan this module built and none of its `Date`s moved since. */
  static holds(input: object): boolean {
    return #times in input && planTimesHold(input as unknown as PaymentPlan, input.#times);
  }
}

class TrustedPayment extends Branded {
  readonly #times: readonly number[];
  constructor(payment: Payment) {
    super(payment);
    this.#times = paymentTimes(payment);
  }

  /** Whether `input` is a payment this module built and none of its `Date`s moved since. */
  static holds(input: object): boolean {
    return #times in input && paymentTimesHold(input as unknown as Payment, input.#times);
  }
}

/** The times of a plan's `Date`s: orderDate, createdAt, updatedAt, then each installment's dueAt and overdueAt. */
function planTimes(p: PaymentPlan): number[] {
  const insts = p.installments;
  const times = new Array<number>(3 + 2 * insts.length);
  times[0] = time(p.orderDate);
  times[1] = time(p.createdAt);
  times[2] = time(p.updatedAt);
  for (let i = 0, k = 3; i < insts.length; i++, k += 2) {
    times[k] = time(insts[i]!.dueAt);
    times[k + 1] = time(insts[i]!.overdueAt);
  }
  return times;
}

function planTimesHold(p: PaymentPlan, times: readonly number[]): boolean {
  if (time(p.orderDate) !== times[0] || time(p.createdAt) !== times[1] || time(p.updatedAt) !== times[2]) return false;
  const insts = p.installments;
  for (let i = 0, k = 3; i < insts.length; i++, k += 2) {
    if (time(insts[i]!.dueAt) !== times[k] || time(insts[i]!.overdueAt) !== times[k + 1]) return false;
  }
  return true;
}

/** The times of a payment's `Date`s: receivedAt, createdAt, updatedAt, the reversal's (NaN: none), then each application's and each refund's. */
function paymentTimes(p: Payment): number[] {
  const apps = p.applications;
  const refunds = p.refunds;
  const times = new Array<number>(4 + apps.length + refunds.length);
  times[0] = time(p.receivedAt);
  times[1] = time(p.createdAt);
  times[2] = time(p.updatedAt);
  times[3] = p.reversal === null ? Number.NaN : time(p.reversal.at);
  let k = 4;
  for (let i = 0; i < apps.length; i++) times[k++] = time(apps[i]!.appliedAt);
  for (let i = 0; i < refunds.length; i++) times[k++] = time(refunds[i]!.refundedAt);
  return times;
}

function paymentTimesHold(p: Payment, times: readonly number[]): boolean {
  if (time(p.receivedAt) !== times[0] || time(p.createdAt) !== times[1] || time(p.updatedAt) !== times[2]) return false;
  if (p.reversal !== null && time(p.reversal.at) !== times[3]) return false;
  const apps = p.applications;
  let k = 4;
  for (let i = 0; i < apps.length; i++) if (time(apps[i]!.appliedAt) !== times[k++]) return false;
  const refunds = p.refunds;
  for (let i = 0; i < refunds.length; i++) if (time(refunds[i]!.refundedAt) !== times[k++]) return false;
  return true;
}

/** Whether `input` is a plan this module built and nothing reachable from it changed since. */
function isTrustedPlan(input: unknown): input is PaymentPlan {
  return typeof input === 'object' && input !== null && TrustedPlan.holds(input);
}

/** Whether `input` is a payment this module built and nothing reachable from it changed since. */
function isTrustedPayment(input: unknown): input is Payment {
  return typeof input === 'object' && input !== null && TrustedPayment.holds(input);
}

/** A parsed plan (zod's new objects, its amounts and instants already frozen), frozen all the way down and trusted. */
function sealParsedPlan(plan: PaymentPlan): PaymentPlan {
  for (const inst of plan.installments) Object.freeze(inst);
  Object.freeze(plan.installments);
  return trustPlan(plan);
}

/** A parsed payment, frozen all the way down and trusted (see `sealParsedPlan`). */
function sealParsedPayment(payment: Payment): Payment {
  for (const a of payment.applications) Object.freeze(a);
  Object.freeze(payment.applications);
  for (const r of payment.refunds) Object.freeze(r);
  Object.freeze(payment.refunds);
  if (payment.reversal !== null) Object.freeze(payment.reversal);
  return trustPayment(payment);
}

/**
 * The schema of a stored payment plan (see `paymentPlanSchema`), its output sealed: deep-frozen
 * and trusted, so the rules take it back without parsing it again.
 */
const sealedPlanSchema = paymentPlanSchema.transform(sealParsedPlan);
const sealedPaymentSchema = paymentSchema.transform(sealParsedPayment);

const planParser = {
  parse: (input: unknown, at: readonly (string | number)[]): Result<PaymentPlan, CrmError> =>
    isTrustedPlan(input) ? ok(input) : parseInput(sealedPlanSchema, input, at),
};
const paymentParser = {
  parse: (input: unknown, at: readonly (string | number)[]): Result<Payment, CrmError> =>
    isTrustedPayment(input) ? ok(input) : parseInput(sealedPaymentSchema, input, at),
};

/**
 * Validates a payment plan as stored (see `paymentPlanSchema`). The plan comes back frozen all
 * the way down and trusted: passed back to any rule, it is not parsed again — unless one of its
 * `Date`s was changed (`setTime`), which sends it through the full parse. Plans this library
 * returned pass at once on the same terms.
 *
 * @example
 * parsePaymentPlan(JSON.parse(row)) // ok(plan) or INVALID_INPUT with paths
 */
export function parsePaymentPlan(input: unknown, at: readonly (string | number)[] = ['plan']): Result<PaymentPlan, CrmError> {
  return planParser.parse(input, pathPrefix(at, ['plan']));
}

/**
 * Validates a payment as stored (see `paymentSchema`); like `parsePaymentPlan`, the payment
 * comes back frozen all the way down and trusted, and payments this library returned pass at
 * once while none of their `Date`s changed.
 *
 * @example
 * parsePayment(JSON.parse(row)) // ok(payment) or INVALID_INPUT with paths
 */
export function parsePayment(input: unknown, at: readonly (string | number)[] = ['payment']): Result<Payment, CrmError> {
  return paymentParser.parse(input, pathPrefix(at, ['payment']));
}

/**
 * Freezes a plan a rule built and marks it valid, with the times of its `Date`s (internal). Its
 * parts must already be frozen and its `Date`s its own: amounts of a trusted or parsed plan,
 * installments frozen as built (`nextInstallment`), instants from `freshInstant` or a parse.
 *
 * @example
 * trustPlan(newPlan)
 */
export function trustPlan(plan: PaymentPlan): PaymentPlan {
  new TrustedPlan(plan);
  return Object.freeze(plan);
}

/** Freezes a payment a rule built (from frozen parts and instants of its own, see `trustPlan`) and marks it valid (internal). @example trustPayment(newPayment) */
export function trustPayment(payment: Payment): Payment {
  new TrustedPayment(payment);
  return Object.freeze(payment);
}

/*
 * The next versions of records, built field by field (a spread of a frozen object is a slow
 * path in V8, and a batch builds millions of these). Amounts and text are shared with the
 * version before (frozen, they cannot change); every `Date` is a new one (`freshInstant`), so
 * the record a rule returns shares no `Date` with the record it was given. An installment,
 * application or refund holds a `Date`: one kept from the record given is built anew too (a new
 * one the rule makes is built once, and shared by the parts of the answer that show it).
 */

/**
 * The next version of a plan (internal): the given installments (each built for it by
 * `nextInstallment`), or copies of the plan's; `updatedAt` a time (ms).
 *
 * @example
 * nextPlan(plan, { version: plan.version + 1, installments, updatedAt: laterOf(plan.updatedAt, ctx.nowMs) })
 */
export function nextPlan(p: PaymentPlan, c: { readonly version: number; readonly installments?: readonly Installment[]; readonly updatedAt: number }): PaymentPlan {
  return trustPlan({
    id: p.id,
    version: c.version,
    orderId: p.orderId,
    customerId: p.customerId,
    ownerId: p.ownerId,
    currency: p.currency,
    total: p.total,
    orderDate: freshInstant(p.orderDate),
    zone: p.zone,
    installments: c.installments ?? copiedInstallments(p.installments),
    createdAt: freshInstant(p.createdAt),
    createdBy: p.createdBy,
    updatedAt: freshInstant(c.updatedAt),
  });
}

/** An installment with some amounts changed, or none (a copy), its instants its own (internal; see `nextPlan`). @example nextInstallment(i, { paid: moneyOf('CNY', 100) }) */
export function nextInstallment(
  i: Installment,
  c: { readonly paid?: Money; readonly credited?: Money; readonly writtenOff?: Money; readonly badDebt?: Money } = {},
): Installment {
  return Object.freeze({
    id: i.id,
    dueDate: i.dueDate,
    dueAt: freshInstant(i.dueAt),
    overdueAt: freshInstant(i.overdueAt),
    amount: i.amount,
    paid: c.paid ?? i.paid,
    credited: c.credited ?? i.credited,
    writtenOff: c.writtenOff ?? i.writtenOff,
    badDebt: c.badDebt ?? i.badDebt,
  });
}

function copiedInstallments(list: readonly Installment[]): readonly Installment[] {
  const out = new Array<Installment>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = nextInstallment(list[i]!);
  return Object.freeze(out);
}

/** An application as it was, or with another amount, its `appliedAt` its own (internal; see `nextPlan`). @example nextApplication(a, moneyOf('CNY', 100)) */
export function nextApplication(a: PaymentApplication, amount: Money = a.amount): PaymentApplication {
  return Object.freeze({
    paymentId: a.paymentId,
    seq: a.seq,
    planId: a.planId,
    orderId: a.orderId,
    installmentId: a.installmentId,
    amount,
    appliedAt: freshInstant(a.appliedAt),
    appliedBy: a.appliedBy,
  });
}

/** A frozen list of copies of a payment's applications: the next version's, none holding a `Date` of the payment given. */
function copiedApplications(list: readonly PaymentApplication[]): readonly PaymentApplication[] {
  const out = new Array<PaymentApplication>(list.length);
  for (let k = 0; k < list.length; k++) out[k] = nextApplication(list[k]!);
  return Object.freeze(out);
}

/** A refund as it was, its `refundedAt` its own (internal; see `nextPlan`). @example nextRefund(r) */
export function nextRefund(r: PaymentRefund): PaymentRefund {
  return Object.freeze({ seq: r.seq, amount: r.amount, refundedAt: freshInstant(r.refundedAt), refundedBy: r.refundedBy, reason: r.reason });
}

/**
 * The next version of a payment (internal; see `nextPlan`): the given lists (built for it:
 * new entries, `nextApplication` of kept ones) or copies of the payment's; `updatedAt` a time
 * (ms).
 *
 * @example
 * nextPayment(p, { version: 2, updatedAt: laterOf(p.updatedAt, ctx.nowMs), applications })
 */
export function nextPayment(
  p: Payment,
  c: {
    readonly version: number;
    readonly updatedAt: number;
    readonly applications?: readonly PaymentApplication[];
    readonly refunds?: readonly PaymentRefund[];
    readonly lastSeq?: number;
    readonly status?: PaymentStatus;
    readonly reversal?: PaymentReversal;
  },
): Payment {
  const r = p.reversal;
  return trustPayment({
    id: p.id,
    version: c.version,
    kind: p.kind,
    customerId: p.customerId,
    orderId: p.orderId,
    amount: p.amount,
    receivedAt: freshInstant(p.receivedAt),
    method: p.method,
    reference: p.reference,
    note: p.note,
    status: c.status ?? p.status,
    applications: c.applications ?? copiedApplications(p.applications),
    refunds: c.refunds ?? Object.freeze(p.refunds.map(nextRefund)),
    lastSeq: c.lastSeq ?? p.lastSeq,
    reversal: c.reversal ?? (r === null ? null : Object.freeze({ at: freshInstant(r.at), by: r.by, reason: r.reason })),
    createdAt: freshInstant(p.createdAt),
    createdBy: p.createdBy,
    updatedAt: freshInstant(c.updatedAt),
  });
}

/** A trusted copy of a plan, its `Date`s its own: what a service hands its store, apart from what it returns (internal). @example copyPlan(decision.plan) */
export function copyPlan(p: PaymentPlan): PaymentPlan {
  return nextPlan(p, { version: p.version, updatedAt: time(p.updatedAt) });
}

/** A trusted copy of a payment, its `Date`s its own (see `copyPlan`; internal). @example copyPayment(decision.payment) */
export function copyPayment(p: Payment): Payment {
  return nextPayment(p, { version: p.version, updatedAt: time(p.updatedAt) });
}

/**
 * The later of a record's last change and the step's time, in ms (internal): a back-dated entry
 * never moves `updatedAt` back.
 *
 * @example
 * nextPayment(p, { version: p.version + 1, updatedAt: laterOf(p.updatedAt, ctx.nowMs) })
 */
export function laterOf(updatedAt: Date, nowMs: number): number {
  const t = time(updatedAt);
  return nowMs >= t ? nowMs : t;
}

/** Parses a list of plans, each at `plans.<i>`; the same plan id twice is refused (internal). @example parsePlans(plans) */
export function parsePlans(input: unknown, at: readonly (string | number)[] = ['plans']): Result<PaymentPlan[], CrmError> {
  if (!Array.isArray(input)) return invalidPaymentInput([{ path: [...at], message: 'expected an array of payment plans', code: 'invalid_type' }]);
  const out: PaymentPlan[] = new Array<PaymentPlan>(input.length);
  const ids = new Set<string>();
  for (let i = 0; i < input.length; i++) {
    // each entry read once; its path is built only for a plan parsed in full (a trusted plan passes at once)
    const entry: unknown = input[i];
    const p = isTrustedPlan(entry) ? ok(entry) : parseInput(sealedPlanSchema, entry, [...at, i]);
    if (!p.ok) return p;
    // one probe of the set: a new id grows it
    if (ids.add(p.value.id).size === i) return invalidPaymentInput([{ path: [...at, i, 'id'], message: `plan ${p.value.id} is listed twice`, code: 'custom' }]);
    out[i] = p.value;
  }
  return ok(out);
}

/** Parses entry `i` of a list of payments given at `at`, read once: a trusted payment passes at once, the path is built only for a full parse (internal). @example parsePaymentEntry(payments[i], ['payments'], i) */
export function parsePaymentEntry(entry: unknown, at: readonly (string | number)[], i: number): Result<Payment, CrmError> {
  return isTrustedPayment(entry) ? ok(entry) : parseInput(sealedPaymentSchema, entry, [...at, i]);
}

/* ----------------------------------------------------------------- derived numbers */

/** What is still owed on an installment, in minor units (internal). @example outstandingMinor(i) // 30000 */
export function outstandingMinor(i: Installment): number {
  return minorOf(i.amount) - minorOf(i.paid) - minorOf(i.credited) - minorOf(i.writtenOff) - minorOf(i.badDebt);
}

/** The state of a validated installment at `now` (internal; see `installmentState`). @example stateAt(i, now.getTime()) */
export function stateAt(i: Installment, now: number): InstallmentState {
  if (outstandingMinor(i) === 0) return minorOf(i.badDebt) > 0 ? 'writtenOff' : 'paid';
  if (now >= i.overdueAt.getTime()) return 'overdue';
  return minorOf(i.paid) + minorOf(i.credited) + minorOf(i.writtenOff) > 0 ? 'partlyPaid' : 'pending';
}

/**
 * The state of an installment at `now` (see `INSTALLMENT_STATES`): derived from its numbers
 * and the time, never stored, so it can never disagree with them.
 *
 * @example
 * installmentState(plan.installments[0], new Date('2026-03-31T16:00:00Z')) // ok('overdue') when due 2026-03-31 in Shanghai and unpaid
 */
export function installmentState(installment: Installment, now: Date | string): Result<InstallmentState, CrmError> {
  const i = parseInput(installmentSchema, installment, ['installment']);
  if (!i.ok) return i;
  const t = parseInput(instantSchema, now, ['now']);
  if (!t.ok) return t;
  return ok(stateAt(i.value as Installment, t.value.getTime()));
}

/** Unapplied minor units of a validated payment (internal). @example unappliedMinor(p) // 20000 */
export function unappliedMinor(p: Payment): number {
  if (p.status === 'reversed') return 0;
  let spent = 0;
  for (const a of p.applications) spent += minorOf(a.amount);
  for (const r of p.refunds) spent += minorOf(r.amount);
  return minorOf(p.amount) - spent;
}

/**
 * Where a payment's money is: received = applied + unapplied + refunded + reversed.
 *
 * @example
 * const b = unwrap(paymentBalance(payment)); formatMoney(b.unapplied) // '200.00' of credit left
 */
export interface PaymentBalance {
  readonly received: Money;
  /** Applied to installments now (回款明细). */
  readonly applied: Money;
  /** The customer's credit left on it, usable against any of its installments or refundable. */
  readonly unapplied: Money;
  readonly refunded: Money;
  /** The whole amount once the payment is reversed, else zero. */
  readonly reversed: Money;
}

/**
 * The balance of a payment: what of it is applied, unapplied (credit), refunded or reversed.
 *
 * @example
 * paymentBalance(payment) // ok({ received: CNY 1200.00, applied: CNY 1000.00, unapplied: CNY 200.00, refunded: CNY 0.00, reversed: CNY 0.00 })
 */
export function paymentBalance(payment: Payment): Result<PaymentBalance, CrmError> {
  const p = parsePayment(payment);
  if (!p.ok) return p;
  return ok(balanceOf(p.value));
}

/** The balance of a validated payment (internal). @example balanceOf(p).unapplied */
export function balanceOf(p: Payment): PaymentBalance {
  const cur = p.amount.currency;
  let applied = 0;
  let refunded = 0;
  for (const a of p.applications) applied += minorOf(a.amount);
  for (const r of p.refunds) refunded += minorOf(r.amount);
  const reversed = p.status === 'reversed' ? minorOf(p.amount) - refunded : 0;
  return Object.freeze({
    received: p.amount,
    applied: moneyOf(cur, applied),
    unapplied: moneyOf(cur, p.status === 'reversed' ? 0 : minorOf(p.amount) - applied - refunded),
    refunded: moneyOf(cur, refunded),
    reversed: moneyOf(cur, reversed),
  });
}

/** What is outstanding on a validated plan, in minor units (internal). @example planOutstandingMinor(plan) // 70001 */
export function planOutstandingMinor(plan: PaymentPlan): number {
  let s = 0;
  for (const i of plan.installments) s += outstandingMinor(i);
  return s;
}

/**
 * What is still owed on a plan: the sum of its installments' outstanding amounts (a store
 * indexes plans with something outstanding by it).
 *
 * @example
 * planOutstanding(plan) // ok(CNY 700.01)
 */
export function planOutstanding(plan: PaymentPlan): Result<Money, CrmError> {
  const p = parsePaymentPlan(plan);
  if (!p.ok) return p;
  return ok(moneyOf(p.value.currency, planOutstandingMinor(p.value)));
}

/* ------------------------------------------------------------------------- policy */

/**
 * The tenant's payment policy as stored JSON. Only `zone` is required.
 *
 * @example
 * const policy: PaymentPolicyInput = { zone: 'Asia/Shanghai', planAmounts: 'largestRemainder', writeOffTolerance: { CNY: '1.00' } };
 */
export interface PaymentPolicyInput {
  /** The IANA zone whose calendar days due dates, aging and reminders count in. */
  readonly zone: string;
  /**
   * How percentages become installment amounts: `largestRemainder` (default: each part is the
   * floor or ceiling of its exact share, leftover cents to the largest remainders) or
   * `lastIsBalance` (each installment but the last rounded with `rounding`, the last the
   * balance).
   */
  readonly planAmounts?: 'largestRemainder' | 'lastIsBalance';
  /** The rounding mode of `lastIsBalance` (default `halfAwayFromZero`). */
  readonly rounding?: 'halfAwayFromZero' | 'halfEven' | 'halfUp' | 'halfDown' | 'up' | 'down' | 'ceil' | 'floor';
  /** The largest difference a clerk may write off per installment, by currency: `{ CNY: '1.00' }`. Default: none. */
  readonly writeOffTolerance?: Readonly<Record<string, string>>;
  /** Upper bounds (days past due, inclusive) of the aging buckets; default `[30, 60, 90]` → 0–30, 31–60, 61–90, 90+. */
  readonly agingBuckets?: readonly number[];
  /** Reminders to chase the money. */
  readonly reminders?: {
    /** Remind this many days before the due date (default `[3]`); the nearest due one is sent. */
    readonly daysBefore?: readonly number[];
    /** Remind on the first overdue day (default true). */
    readonly onOverdue?: boolean;
    /** Remind again every this many days while overdue (default: once). */
    readonly overdueEveryDays?: number | null;
  };
  /**
   * Refund approval (退款审批流): the levels a refund needs, signed in order, each by one of its
   * `approvers`; a level is needed when the refund is above its amount in the refund's currency
   * (`above: { CNY: '5000.00' }`) or when `above` names no amount for that currency. Default: no
   * level, every refund paid back at once.
   */
  readonly refundApproval?: {
    readonly levels: readonly { readonly id: string; readonly name?: string; readonly approvers: readonly string[]; readonly above: Readonly<Record<string, string>> }[];
  };
}

/** A level of refund approval, parsed: who signs, and above what amount (minor units by currency) a refund needs it. */
export interface RefundLevel {
  readonly id: string;
  /** The level as people call it, when the policy names it. */
  readonly name?: string;
  readonly approvers: readonly string[];
  /** Minor units by currency; a currency not named needs the level for any amount. */
  readonly above: Readonly<Partial<Record<CurrencyCode, number>>>;
}

/** A parsed payment policy. @example const p: PaymentPolicy = unwrap(parsePaymentPolicy({ zone: 'Asia/Shanghai' })); */
export interface PaymentPolicy {
  readonly zone: string;
  readonly planAmounts: 'largestRemainder' | 'lastIsBalance';
  readonly rounding: NonNullable<PaymentPolicyInput['rounding']>;
  /** Minor units by currency. */
  readonly writeOffTolerance: Readonly<Partial<Record<CurrencyCode, number>>>;
  readonly agingBuckets: readonly number[];
  readonly reminders: { readonly daysBefore: readonly number[]; readonly onOverdue: boolean; readonly overdueEveryDays: number | null };
  /** The levels a refund needs (none: refunds are paid back at once). */
  readonly refundApproval: { readonly levels: readonly RefundLevel[] };
}

const NO_REFUND_APPROVAL: PaymentPolicy['refundApproval'] = Object.freeze({ levels: Object.freeze([]) });

const NO_TOLERANCE: Readonly<Partial<Record<CurrencyCode, number>>> = Object.freeze({});

/**
 * The write-off tolerances of a policy, `{ CNY: '1.00' }`, read key by key (each value once) into
 * minor units. Every key must be a currency code: a `__proto__` key (JSON.parse makes one) is
 * refused, not dropped as a record schema would drop it.
 */
const toleranceSchema = z.unknown().transform((input, ctx): Readonly<Partial<Record<CurrencyCode, number>>> => {
  const tolerance: Partial<Record<CurrencyCode, number>> = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    ctx.addIssue({ code: 'custom', message: 'expected amounts by currency, such as { CNY: "1.00" }' });
    return z.NEVER;
  }
  for (const code of Object.keys(input)) {
    const amount: unknown = (input as Record<string, unknown>)[code];
    const currency = currencyCodeSchema.safeParse(code);
    if (!currency.success) {
      ctx.addIssue({ code: 'custom', path: [code], message: 'expected an ISO 4217 currency code such as "CNY"' });
      continue;
    }
    const minor = typeof amount === 'string' ? readAmountIn(amount, currency.data, [code]) : null;
    if (minor === null || !minor.ok || minor.value < 0) {
      ctx.addIssue({ code: 'custom', path: [code], message: 'expected an amount ≥ 0 such as "1.00" in that currency' });
      continue;
    }
    tolerance[currency.data] = minor.value;
  }
  return Object.freeze(tolerance);
});

/**
 * The schema of a payment policy, with the defaults filled in.
 *
 * @example
 * paymentPolicySchema.parse({ zone: 'Asia/Shanghai' }).agingBuckets // [30, 60, 90]
 */
export const paymentPolicySchema = z
  .object({
    zone: timeZoneSchema,
    planAmounts: z.enum(['largestRemainder', 'lastIsBalance']).default('largestRemainder'),
    rounding: z.enum(['halfAwayFromZero', 'halfEven', 'halfUp', 'halfDown', 'up', 'down', 'ceil', 'floor']).default('halfAwayFromZero'),
    writeOffTolerance: toleranceSchema.optional(),
    agingBuckets: z
      .array(z.number().int().min(1).max(36_500))
      .min(1)
      .max(20)
      .refine((b) => b.every((x, i) => i === 0 || x > b[i - 1]!), { message: 'bucket bounds must increase' })
      .default([30, 60, 90]),
    reminders: z
      .object({
        daysBefore: z.array(z.number().int().min(0).max(3650)).max(20).default([3]),
        onOverdue: z.boolean().default(true),
        overdueEveryDays: z.number().int().min(1).max(3650).nullable().default(null),
      })
      .strict()
      .default({ daysBefore: [3], onOverdue: true, overdueEveryDays: null }),
    refundApproval: z
      .object({
        levels: z
          .array(z.object({ id: idSchema, name: textSchema.max(200).optional(), approvers: z.array(idSchema).min(1).max(1000), above: toleranceSchema }).strict())
          .max(20)
          .refine((ls) => new Set(ls.map((l) => l.id)).size === ls.length, { message: 'each level id at most once' }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .transform((p): PaymentPolicy => {
    return Object.freeze({
      zone: p.zone,
      planAmounts: p.planAmounts,
      rounding: p.rounding,
      writeOffTolerance: p.writeOffTolerance ?? NO_TOLERANCE,
      agingBuckets: Object.freeze([...p.agingBuckets]),
      reminders: Object.freeze({ ...p.reminders, daysBefore: Object.freeze([...new Set(p.reminders.daysBefore)].sort((a, b) => a - b)) }),
      refundApproval:
        p.refundApproval === undefined
          ? NO_REFUND_APPROVAL
          : Object.freeze({
              levels: Object.freeze(
                p.refundApproval.levels.map((l) => Object.freeze({ id: l.id, ...(l.name === undefined ? {} : { name: l.name }), approvers: Object.freeze([...l.approvers]), above: l.above })),
              ),
            }),
    });
  });

/**
 * The refund approval levels a refund of `amount` minor units in `currency` needs under the
 * policy, in the policy's order: each level whose `above` names no amount for the currency, or
 * an amount below the refund (a refund exactly at the amount needs no signature).
 *
 * @example
 * requiredRefundLevels(policy, 'CNY', 800_000) // ['finance'] when finance signs above CNY 5,000.00
 */
export function requiredRefundLevels(policy: PaymentPolicy, currency: CurrencyCode, amount: number): string[] {
  return policy.refundApproval.levels.filter((l) => {
    const limit = l.above[currency];
    return limit === undefined || amount > limit;
  }).map((l) => l.id);
}

/**
 * The context every payments rule decides in: the time (never read from a clock), who acts,
 * and the tenant's policy (plan creation, write-offs, aging and reminders need it). Payments
 * read the actor's `id` (the one shape of actor every service takes).
 *
 * @example
 * const ctx: PaymentContext = { now: '2026-03-02T09:00:00+08:00', actor: { id: 'clerk-wu' }, policy: { zone: 'Asia/Shanghai' } };
 */
export type PaymentContext = PaymentActorContext | PaymentActorIdContext;

/** The payment context as every service takes its context: `{ now, actor, policy? }`. */
export interface PaymentActorContext {
  readonly now: Date | string;
  readonly actor: ActorInput;
  readonly policy?: PaymentPolicyInput | PaymentPolicy;
}

/**
 * The payment context of 0.1, naming the actor by `actorId`.
 *
 * @deprecated since 0.2.0, removed in 0.3.0: pass `actor: { id }` (both may be given while migrating, and must then name the same actor).
 */
export interface PaymentActorIdContext {
  readonly now: Date | string;
  readonly actorId: string;
  readonly actor?: ActorInput;
  readonly policy?: PaymentPolicyInput | PaymentPolicy;
}

/** The schema of a payment context. @example paymentContextSchema.parse({ now: '2026-05-01T09:00:00+08:00', actor: { id: 'u1' } }) */
export const paymentContextSchema = z
  .object({ now: paymentInstantSchema, ...actorOrIdShape, policy: z.unknown().optional() })
  .strict()
  .superRefine(checkOneActor);

const CONTEXT_KEYS: ReadonlySet<string> = new Set(['now', 'actor', 'actorId', 'policy']);

/**
 * A parsed context (internal). The step's time is a number, never a `Date`: each field of an
 * output that shows it gets its own (`freshInstant(ctx.nowMs)`).
 *
 * @example
 * const c: ParsedPaymentContext = { nowMs: Date.parse('2026-05-01T01:00:00Z'), actorId: 'u1', policy: null };
 */
export interface ParsedPaymentContext {
  /** The context's `now`, in ms (read once; in the supported range). */
  readonly nowMs: number;
  /** The acting actor's id (`actor.id`, or the deprecated `actorId`). */
  readonly actorId: string;
  readonly policy: PaymentPolicy | null;
}

const policyCache = new WeakSet<object>();

/**
 * Parses a payment policy once, so a host can keep the parsed one (a parsed policy passes
 * again without being parsed).
 *
 * @example
 * parsePaymentPolicy({ zone: 'Asia/Shanghai', writeOffTolerance: { CNY: '1.00' } }) // ok({ …, writeOffTolerance: { CNY: 100 } })
 */
export function parsePaymentPolicy(input: PaymentPolicyInput | PaymentPolicy, at: readonly (string | number)[] = ['policy']): Result<PaymentPolicy, CrmError> {
  if (typeof input === 'object' && input !== null && policyCache.has(input)) return ok(input as PaymentPolicy);
  const parsed = parseInput(paymentPolicySchema, input, pathPrefix(at, ['policy']));
  if (!parsed.ok) return parsed;
  policyCache.add(parsed.value);
  return parsed;
}

/**
 * Types a payment policy kept in a `const`: `const policy = definePaymentPolicy({ … })` keeps
 * `planAmounts` and `rounding` the literal names `PaymentPolicyInput` takes (a plain object
 * literal widens them to `string`, and then no context takes it), and a misspelt key is a
 * compile error. An identity: it returns its argument as it is — not validated (the rules parse
 * it when it is used, or call `parsePaymentPolicy`), not copied, not frozen — and never throws.
 *
 * @example
 * const policy = definePaymentPolicy({ zone: 'Asia/Shanghai', planAmounts: 'lastIsBalance', rounding: 'halfEven' });
 * createPaymentPlan(input, { now, actor: { id: 'clerk-wu' }, policy });
 */
export function definePaymentPolicy(policy: PaymentPolicyInput): PaymentPolicyInput {
  return policy;
}

/** Parses a context (internal): each field read once, `now` read once into a time. @example parseContext(ctx) */
export function parseContext(input: PaymentContext): Result<ParsedPaymentContext, CrmError> {
  if (typeof input !== 'object' || input === null) {
    return invalidPaymentInput([{ path: ['context'], message: 'expected a context { now, actor, policy? }', code: 'invalid_type' }]);
  }
  // read once: the checks, the issues and the parsed context all see the same values
  let now: unknown, policy: unknown, actor: unknown, actorId: unknown, keys: string[];
  try {
    ({ now, policy, actor, actorId } = input as { now?: unknown; policy?: unknown; actor?: unknown; actorId?: unknown });
    keys = Object.keys(input);
  } catch {
    // a context that cannot be read: the schema's reading names the problem (never a throw)
    return parseInput(paymentContextSchema, input, ['context']) as Result<never, CrmError>;
  }
  const d = instantFrom(now);
  if (d !== undefined && keys.every((k) => CONTEXT_KEYS.has(k))) {
    // the common shapes, without the object schema's per-call cost (batch doors call this once, rules once per call)
    if (actor === undefined && isIdText(actorId)) return finishContext(d.getTime(), actorId as string, policy as PaymentPolicyInput | undefined);
    if (actorId === undefined && typeof actor === 'object' && actor !== null) {
      let a: ReturnType<typeof actorSchema.safeParse> | undefined;
      try {
        a = actorSchema.safeParse(actor, ENGLISH_PARSE);
      } catch {
        a = undefined; // an actor that throws when read: the schema's reading below says where
      }
      if (a?.success) return finishContext(d.getTime(), a.data.id, policy as PaymentPolicyInput | undefined);
    }
  }
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const k of keys) fields[k] = undefined; // unrecognized keys are named by the strict schema
  fields.now = now;
  if (actor !== undefined) fields.actor = actor;
  if (actorId !== undefined) fields.actorId = actorId;
  if (policy !== undefined) fields.policy = policy;
  const parsed = parseInput(paymentContextSchema, fields, ['context']);
  if (!parsed.ok) return parsed;
  return finishContext(parsed.value.now.getTime(), parsed.value.actor?.id ?? parsed.value.actorId!, parsed.value.policy as PaymentPolicyInput | undefined);
}

function finishContext(nowMs: number, actorId: string, policyInput: PaymentPolicyInput | PaymentPolicy | undefined): Result<ParsedPaymentContext, CrmError> {
  if (policyInput === undefined) return ok({ nowMs, actorId, policy: null });
  const policy = parsePaymentPolicy(policyInput, ['context', 'policy']);
  if (!policy.ok) return policy;
  return ok({ nowMs, actorId, policy: policy.value });
}

/** The policy a rule needs, or INVALID_INPUT at `context.policy` (internal). @example needPolicy(ctx, 'a write-off') */
export function needPolicy(ctx: ParsedPaymentContext, what: string): Result<PaymentPolicy, CrmError> {
  if (ctx.policy !== null) return ok(ctx.policy);
  return invalidPaymentInput([{ path: ['context', 'policy'], message: `${what} needs the tenant's payment policy (at least its zone)`, code: 'invalid_type' }]);
}

/**
 * A decision frozen with its lists (internal): what a rule returns is as read-only as the
 * records in it.
 *
 * @example
 * return ok(decided({ plan, events: [event] }));
 */
export function decided<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (Array.isArray(v)) Object.freeze(v);
  return Object.freeze(value);
}

/* ------------------------------------------------------------------------- events */

/**
 * The event types of the payments module: one per record changed (subject and version are that
 * record's), plus the reminders, which change nothing.
 *
 * @example
 * events.filter((e) => e.type === 'payment.applied')
 */
export type PaymentEventType =
  | 'paymentPlan.created'
  | 'paymentPlan.paymentApplied'
  | 'paymentPlan.paymentUnapplied'
  | 'paymentPlan.writtenOff'
  | 'payment.recorded'
  | 'payment.applied'
  | 'payment.unapplied'
  | 'payment.reversed'
  | 'payment.refunded'
  | 'payment.refundRequested'
  | 'payment.refundApprovalSigned'
  | 'payment.refundRejected'
  | 'installment.dueSoon'
  | 'installment.overdue';

export type { PaymentEvent } from './events.js';

/**
 * An event a rule decided, frozen (internal): at the step's time (a `Date` of its own), by the
 * context's actor. `data` is frozen in place; whatever it holds must be frozen already, and any
 * `Date` in it is either its own (`freshInstant`) or held by a frozen part built for this answer
 * and shared with it (the answer's application objects), never the input's.
 *
 * @example
 * paymentEvent('payment.recorded', ctx, { kind: 'payment', id }, 1, { amount })
 */
export function paymentEvent<T extends PaymentEventType>(
  type: T,
  ctx: ParsedPaymentContext,
  subject: { readonly kind: string; readonly id: string },
  version: number,
  data: PaymentEventDataByType[T],
): Extract<PaymentEvent, { readonly type: T }> {
  return Object.freeze({ type, at: freshInstant(ctx.nowMs), actorId: ctx.actorId, subject: Object.freeze(subject), version, data: Object.freeze(data) }) as PaymentEvent as Extract<PaymentEvent, { readonly type: T }>;
}
