import { z } from 'zod';
import { invalidAt } from '../core/boundary.js';
import type { CrmError } from '../core/errors.js';
import { multiplyMoney, percentToRate, allocateMoney, decimalSchema, type Decimal, type Money, type CurrencyCode } from '../core/money.js';
import { addIntegers } from '../core/money/integers.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, parseInput, timeZoneSchema } from '../core/validation.js';
import {
  decided,
  paymentEvent,
  dateKeySchema,
  dayNumberOfKey,
  dueInstants,
  freshInstant,
  isDateKey,
  zoneCalendar,
  amountText,
  keyOfDayNumber,
  paymentInstantSchema,
  minorOf,
  moneyOf,
  needPolicy,
  parseContext,
  positiveMoney,
  readAmountIn,
  trustPlan,
  type Installment,
  type PaymentContext,
  type PaymentEvent,
  type PaymentPlan,
  type PaymentPolicy,
} from './model.js';
import { invalidPaymentInput, paymentRefusal } from './refusals.js';

/**
 * When an installment is due, as the contract says it:
 * - `{ kind: 'date', date: '2026-06-30' }`: on that calendar day (an instant is read as its
 *   calendar day in the zone);
 * - `{ kind: 'afterOrder', days: 30 }`: N calendar days after the order's day (the order date
 *   is day 0, so `days: 0` is due the day of the order);
 * - `{ kind: 'endOfMonth', months: 1, days: 15 }`: the last day of the order's month, `months`
 *   months later (default 0), plus `days` days (default 0) — 月结30天 is `{ kind: 'endOfMonth', days: 30 }`.
 *
 * @example
 * const due: DueRuleInput = { kind: 'endOfMonth', days: 30 };
 */
export type DueRuleInput =
  | { readonly kind: 'date'; readonly date: string | Date }
  | { readonly kind: 'afterOrder'; readonly days: number }
  | { readonly kind: 'endOfMonth'; readonly months?: number; readonly days?: number };

/**
 * The schema of a due rule (see `DueRuleInput`).
 *
 * @example
 * dueRuleSchema.parse({ kind: 'afterOrder', days: 30 })
 */
export const dueRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date'), date: z.union([dateKeySchema, paymentInstantSchema]) }).strict(),
  z.object({ kind: z.literal('afterOrder'), days: z.number().int().min(0).max(36_600) }).strict(),
  z
    .object({
      kind: z.literal('endOfMonth'),
      months: z.number().int().min(0).max(1200).default(0),
      days: z.number().int().min(0).max(36_600).default(0),
    })
    .strict(),
]);

type DueRule = z.output<typeof dueRuleSchema>;

/**
 * One installment of a new plan: its id, its share — `percent` of the total ("30", 30,
 * "33.33"), a fixed `amount` ("300.00" in the total's currency), or, for the last of a plan of
 * fixed amounts, `balance: true` (what is left) — and when it is due.
 *
 * @example
 * const spec: InstallmentSpecInput = { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } };
 */
export interface InstallmentSpecInput {
  readonly id: string;
  readonly percent?: string | number;
  readonly amount?: unknown;
  readonly balance?: true;
  readonly due: DueRuleInput;
}

/**
 * The data of a new payment plan: the order it belongs to, the customer and the owner who
 * chases it, the order date and total, and the installments.
 *
 * @example
 * const input: CreatePaymentPlanInput = {
 *   id: 'PP-1', orderId: 'SO-1', customerId: 'C-1', ownerId: 'rep-li', orderDate: '2026-03-02T10:00:00+08:00',
 *   total: { currency: 'CNY', amount: '1000.01' },
 *   installments: [
 *     { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } },
 *     { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 30 } },
 *     { id: 'I3', percent: 20, due: { kind: 'endOfMonth', months: 2 } },
 *   ],
 * };
 */
export interface CreatePaymentPlanInput {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly ownerId?: string | null;
  readonly orderDate: Date | string;
  readonly total: unknown;
  readonly installments: readonly InstallmentSpecInput[];
}

const specSchema = z
  .object({
    id: idSchema,
    percent: decimalSchema.optional(),
    amount: z.unknown().optional(),
    balance: z.literal(true).optional(),
    due: dueRuleSchema,
  })
  .strict()
  .superRefine((s, ctx) => {
    const given = [s.percent !== undefined, s.amount !== undefined, s.balance !== undefined].filter(Boolean).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of percent, amount or balance: true' });
  });

/**
 * The schema of a new plan's data (strict; instants as `Date` or ISO strings).
 *
 * @example
 * createPaymentPlanInputSchema.safeParse(input).success
 */
export const createPaymentPlanInputSchema = z
  .object({
    id: idSchema,
    orderId: idSchema,
    customerId: idSchema,
    ownerId: idSchema.nullable().optional(),
    orderDate: paymentInstantSchema,
    total: positiveMoney,
    installments: z.array(specSchema).min(1).max(1000),
  })
  .strict()
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.installments.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['installments', i, 'id'], message: `installment id ${s.id} appears twice` });
      ids.add(s.id);
    });
  });

/** A plan as decided: the new plan (version 1, frozen) and its `paymentPlan.created` event. @example unwrap(createPaymentPlan(input, ctx)).plan */
export interface PaymentPlanDecision {
  readonly plan: PaymentPlan;
  readonly events: readonly PaymentEvent[];
}

/** The due day of an installment in a zone: the calendar date and the two instants that bound it. @example unwrap(installmentDueDate(orderDate, rule, zone)).overdueAt */
export interface DueDay {
  /** `YYYY-MM-DD` in the zone. */
  readonly dueDate: string;
  /** The first instant of the due date in the zone. */
  readonly dueAt: Date;
  /** The first instant of the next day: from here on, an unsettled installment is overdue. */
  readonly overdueAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * The due day of a rule: `INVALID_INPUT` at `at` when its calendar date is outside the years
 * 1900–9999, or when an instant bounding it is outside the supported range (the day after
 * 9999-12-31 starts in the year 10000 west of Greenwich).
 */
function dueDayOf(orderDate: Date, rule: DueRule, zone: string, at: readonly (string | number)[]): Result<DueDay, CrmError> {
  const cal = zoneCalendar(zone);
  let day: number;
  if (rule.kind === 'date') {
    day = typeof rule.date === 'string' ? dayNumberOfKey(rule.date) : cal.dayOf(rule.date.getTime());
  } else {
    // day numbers, not keys: an order at the end of 9999 east of Greenwich is on a day of the year 10000
    const orderDay = cal.dayOf(orderDate.getTime());
    if (rule.kind === 'afterOrder') {
      day = orderDay + rule.days;
    } else {
      const civil = new Date(orderDay * DAY_MS);
      // day 0 of the next month is the last of this one (setUTCFullYear: Date.UTC reads the years 0–99 as 1900–1999)
      const last = new Date(0);
      last.setUTCFullYear(civil.getUTCFullYear(), civil.getUTCMonth() + rule.months + 1, 0);
      day = last.getTime() / DAY_MS + rule.days;
    }
  }
  const key = keyOfDayNumber(day);
  if (!isDateKey(key)) return invalidAt(at, `the due date ${key} is outside the years 1900–9999`);
  const bounds = dueInstants(key, zone, at);
  if (!bounds.ok) return bounds;
  return ok(Object.freeze({ dueDate: key, dueAt: bounds.value.dueAt, overdueAt: bounds.value.overdueAt }));
}

/**
 * The due day of an installment: its calendar date in `zone` and the instants that bound it —
 * `dueAt` (its first instant) and `overdueAt` (the first instant of the next day, from which an
 * unsettled installment is overdue). A due date outside the years 1900–9999, or bounded by an
 * instant outside the supported range (9999-12-31 in Honolulu ends in the year 10000), is
 * `INVALID_INPUT` at `rule`.
 *
 * @example
 * installmentDueDate('2026-01-20T10:00:00+08:00', { kind: 'endOfMonth', days: 30 }, 'Asia/Shanghai')
 * // ok({ dueDate: '2026-03-02', dueAt: 2026-03-01T16:00Z, overdueAt: 2026-03-02T16:00Z })
 */
export function installmentDueDate(orderDate: Date | string, rule: DueRuleInput, zone: string): Result<DueDay, CrmError> {
  const d = parseInput(paymentInstantSchema, orderDate, ['orderDate']);
  if (!d.ok) return d;
  const r = parseInput(dueRuleSchema, rule, ['rule']);
  if (!r.ok) return r;
  const z = parseInput(timeZoneSchema, zone, ['zone']);
  if (!z.ok) return z;
  return dueDayOf(d.value, r.value, z.value, ['rule']);
}

type ParsedSpec = z.output<typeof specSchema>;

const HUNDRED = 100n;

function percentTotal(specs: readonly ParsedSpec[]): { sum: Decimal; is100: boolean; text: string } {
  // exact: bring every percent to the largest scale as bigints
  const scale = Math.max(...specs.map((s) => s.percent!.scale));
  let sum = 0n;
  for (const s of specs) sum += BigInt(s.percent!.units) * 10n ** BigInt(scale - s.percent!.scale);
  const is100 = sum === HUNDRED * 10n ** BigInt(scale);
  const digits = sum.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`.replace(/\.?0+$/, '');
  return { sum: { units: sum, scale } as unknown as Decimal, is100, text };
}

function amountsFromPercents(total: Money, specs: readonly ParsedSpec[], policy: PaymentPolicy): Result<number[], CrmError> {
  const issues = specs.flatMap((s, i) =>
    s.percent!.units <= 0 ? [{ path: ['input', 'installments', i, 'percent'], message: 'a percentage must be greater than zero', code: 'too_small' }] : [],
  );
  if (issues.length > 0) return invalidPaymentInput(issues);
  const t = percentTotal(specs);
  if (!t.is100) return paymentRefusal('PAYMENT_PERCENTAGES_NOT_100', { of: 'plan', total: t.text });
  if (policy.planAmounts === 'largestRemainder') {
    const parts = allocateMoney(total, specs.map((s) => s.percent!));
    if (!parts.ok) return parts;
    return ok(parts.value.map(minorOf));
  }
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < specs.length - 1; i++) {
    const part = minorOf(multiplyMoney(total, percentToRate(specs[i]!.percent!), policy.rounding));
    out.push(part);
    sum += part;
  }
  const last = minorOf(total) - sum;
  if (last < 0) return paymentRefusal('PAYMENT_PLAN_AMOUNTS_MISMATCH', { total: amountText(total.currency, minorOf(total)), sum: amountText(total.currency, sum), currency: total.currency });
  out.push(last);
  return ok(out);
}

function amountsFromFixed(total: Money, specs: readonly ParsedSpec[]): Result<number[], CrmError> {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i]!;
    if (s.balance) {
      if (i !== specs.length - 1) return invalidPaymentInput([{ path: ['input', 'installments', i, 'balance'], message: 'only the last installment may be the balance', code: 'custom' }]);
      continue;
    }
    if (s.percent !== undefined) {
      return invalidPaymentInput([{ path: ['input', 'installments', i, 'percent'], message: 'a plan is either by percentages or by amounts, not both', code: 'custom' }]);
    }
    const a = readAmountIn(s.amount, total.currency as CurrencyCode, ['input', 'installments', i, 'amount']);
    if (!a.ok) return a;
    if (a.value <= 0) return invalidPaymentInput([{ path: ['input', 'installments', i, 'amount'], message: 'an installment amount must be greater than zero', code: 'too_small' }]);
    // the total is a safe integer: a sum past it is a mismatch, refused before it stops being exact
    if (sum + a.value > minorOf(total)) return paymentRefusal('PAYMENT_PLAN_AMOUNTS_MISMATCH', { total: amountText(total.currency, minorOf(total)), sum: amountText(total.currency, addIntegers(sum, a.value)), currency: total.currency });
    out.push(a.value);
    sum += a.value;
  }
  const cur = total.currency;
  const details = { total: amountText(cur, minorOf(total)), sum: amountText(cur, sum), currency: cur };
  if (specs[specs.length - 1]!.balance) {
    const balance = minorOf(total) - sum;
    if (balance <= 0) return paymentRefusal('PAYMENT_PLAN_AMOUNTS_MISMATCH', details);
    out.push(balance);
  } else if (sum !== minorOf(total)) {
    return paymentRefusal('PAYMENT_PLAN_AMOUNTS_MISMATCH', details);
  }
  return ok(out);
}

/**
 * Creates a payment plan (回款计划) for an order: installments by percentages (30-50-20) or by
 * fixed amounts (the last may be the balance), due on absolute or relative dates computed in
 * the policy's zone. Percentages must sum to exactly 100 (`PAYMENT_PERCENTAGES_NOT_100`) and
 * become amounts by the policy's `planAmounts`: `largestRemainder` (default; 1000.01 at
 * 30-50-20 is 300.00 / 500.01 / 200.00) or `lastIsBalance` (each rounded, the last the rest).
 * Fixed amounts must sum to the total (`PAYMENT_PLAN_AMOUNTS_MISMATCH`). Either way the
 * installments sum exactly to the total. A due date outside the years 1900–9999, or whose day
 * ends past the last supported instant (9999-12-31 in Honolulu is overdue from the year 10000),
 * is `INVALID_INPUT` at its installment's `due`. Every `Date` of the plan and its event is its
 * own: none is the caller's, none is shared with another field.
 *
 * @example
 * createPaymentPlan(
 *   { id: 'PP-1', orderId: 'SO-1', customerId: 'C-1', orderDate: '2026-03-02T10:00:00+08:00', total: { currency: 'CNY', amount: '1000.01' },
 *     installments: [{ id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } }, { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 30 } }, { id: 'I3', percent: 20, due: { kind: 'afterOrder', days: 60 } }] },
 *   { now, actor: { id: 'clerk-wu' }, policy: { zone: 'Asia/Shanghai' } },
 * ) // ok: installments of 300.00, 500.01, 200.00 due 2026-03-02, 2026-04-01, 2026-05-01
 */
export function createPaymentPlan(input: CreatePaymentPlanInput, context: PaymentContext): Result<PaymentPlanDecision, CrmError> {
  const parsed = parseInput(createPaymentPlanInputSchema, input, ['input']);
  if (!parsed.ok) return parsed;
  const ctx = parseContext(context);
  if (!ctx.ok) return ctx;
  const policy = needPolicy(ctx.value, 'a payment plan');
  if (!policy.ok) return policy;
  const data = parsed.value;
  const specs = data.installments;
  const total = data.total;
  const byPercent = specs.every((s) => s.percent !== undefined);
  const amounts = byPercent ? amountsFromPercents(total, specs, policy.value) : amountsFromFixed(total, specs);
  if (!amounts.ok) return amounts;
  const zone = policy.value.zone;
  const cur = total.currency;
  const zero = moneyOf(cur, 0);
  const installments: Installment[] = [];
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i]!;
    const due = dueDayOf(data.orderDate, s.due, zone, ['input', 'installments', i, 'due']);
    if (!due.ok) return due;
    installments.push(
      Object.freeze({
        id: s.id,
        dueDate: due.value.dueDate,
        dueAt: due.value.dueAt,
        overdueAt: due.value.overdueAt,
        amount: moneyOf(cur, amounts.value[i]!),
        paid: zero,
        credited: zero,
        writtenOff: zero,
        badDebt: zero,
      }),
    );
  }
  const { nowMs, actorId } = ctx.value;
  const plan: PaymentPlan = trustPlan({
    id: data.id,
    version: 1,
    orderId: data.orderId,
    customerId: data.customerId,
    ownerId: data.ownerId ?? null,
    currency: cur,
    total,
    orderDate: data.orderDate,
    zone,
    installments: Object.freeze(installments),
    createdAt: freshInstant(nowMs),
    createdBy: actorId,
    updatedAt: freshInstant(nowMs),
  });
  const event = paymentEvent('paymentPlan.created', ctx.value, { kind: 'paymentPlan', id: plan.id }, 1, {
    orderId: plan.orderId,
    customerId: plan.customerId,
    total,
    installments: Object.freeze(installments.map((i) => Object.freeze({ id: i.id, dueDate: i.dueDate, amount: i.amount }))),
  });
  return ok(decided({ plan, events: [event] }));
}
