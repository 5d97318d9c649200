import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { allocateMoney, decimalSchema, decimalToString, type Decimal, type Money } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, parseInput, textSchema } from '../core/validation.js';
import { minorOf, moneyOf, parsePayment, paymentMoneySchema, type Payment } from './model.js';
import { invalidPaymentInput, paymentRefusal } from './refusals.js';

/**
 * One share of a revenue split (业绩分成): who gets credit (a rep, a team), in what role
 * (简道云 splits among marketing, project and sales), and the percentage.
 *
 * @example
 * const s: RevenueShareInput = { id: 'S1', recipientId: 'rep-li', role: 'sales', percent: '33.34' };
 */
export interface RevenueShareInput {
  readonly id: string;
  readonly recipientId: string;
  readonly role?: string | null;
  readonly percent: string | number;
}

/** A decided share: the share's data and its exact amount. @example split.shares[0]?.amount */
export interface RevenueShare {
  readonly id: string;
  readonly recipientId: string;
  readonly role: string | null;
  /** The percentage as given, written exactly ("33.34"). */
  readonly percent: string;
  readonly amount: Money;
}

/** A split: what was split and the shares, in the order given, summing exactly to it. @example unwrap(splitRevenue(payment, shares)).shares */
export interface RevenueSplit {
  readonly amount: Money;
  readonly shares: readonly RevenueShare[];
}

const sharesSchema = z
  .array(
    z
      .object({ id: idSchema, recipientId: idSchema, role: textSchema.max(100).nullable().optional(), percent: decimalSchema })
      .strict(),
  )
  .min(1)
  .max(1000)
  .superRefine((shares, ctx) => {
    const ids = new Set<string>();
    shares.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `share id ${s.id} appears twice` });
      ids.add(s.id);
      if (s.percent.units <= 0) ctx.addIssue({ code: 'custom', path: [i, 'percent'], message: 'a share must be greater than zero' });
    });
  });

type ParsedShare = z.output<typeof sharesSchema>[number];

function splitParsed(amount: Money, shares: readonly ParsedShare[]): Result<RevenueSplit, CrmError> {
  const scale = Math.max(...shares.map((s) => s.percent.scale));
  let sum = 0n;
  for (const s of shares) sum += BigInt(s.percent.units) * 10n ** BigInt(scale - s.percent.scale);
  if (sum !== 100n * 10n ** BigInt(scale)) {
    return paymentRefusal('PAYMENT_PERCENTAGES_NOT_100', { of: 'split', total: decimalToString({ units: sum, scale } as unknown as Decimal) });
  }
  // ties of the largest remainder go by share id, not by the order the shares were listed
  const order = shares.map((_, i) => i).sort((a, b) => (shares[a]!.id < shares[b]!.id ? -1 : shares[a]!.id > shares[b]!.id ? 1 : 0));
  const parts = allocateMoney(amount, order.map((i) => shares[i]!.percent));
  if (!parts.ok) return parts;
  const amounts = new Array<Money>(shares.length);
  order.forEach((i, k) => (amounts[i] = parts.value[k]!));
  return ok(
    Object.freeze({
      amount,
      shares: Object.freeze(
        shares.map((s, i) =>
          Object.freeze({ id: s.id, recipientId: s.recipientId, role: s.role ?? null, percent: decimalToString(s.percent), amount: amounts[i]! }),
        ),
      ),
    }),
  );
}

/**
 * Splits an amount by percentages (summing to exactly 100, else
 * `PAYMENT_PERCENTAGES_NOT_100`) by largest remainder: the shares sum exactly to the amount,
 * each is the floor or ceiling of its exact share, and ties go by share id (so the listing
 * order changes nothing). Use it for a nested split — a team's share among its reps.
 *
 * @example
 * splitRevenueAmount({ currency: 'CNY', amount: '100.00' }, [{ id: 'a', recipientId: 'u1', percent: '33.33' }, { id: 'b', recipientId: 'u2', percent: '33.33' }, { id: 'c', recipientId: 'u3', percent: '33.34' }])
 * // ok: 33.33, 33.33, 33.34
 */
export function splitRevenueAmount(amount: unknown, shares: readonly RevenueShareInput[]): Result<RevenueSplit, CrmError> {
  const a = parseInput(paymentMoneySchema, amount, ['amount']);
  if (!a.ok) return a;
  if (typeof a.value.minor !== 'number') return invalidPaymentInput([{ path: ['amount'], message: 'payments handle amounts up to 2^53 − 1 minor units', code: 'custom' }]);
  const s = parseInput(sharesSchema, shares, ['shares']);
  if (!s.ok) return s;
  return splitParsed(a.value, s.value);
}

/** What part of a payment a split credits. @example const o: SplitRevenueOptions = { basis: 'applied' }; */
export interface SplitRevenueOptions {
  /**
   * `received` (default): the amount received less refunds — the money the company kept;
   * `applied`: only what is applied to installments now.
   */
  readonly basis?: 'received' | 'applied';
}

/**
 * Splits a payment's revenue credit between reps or teams by percentage (业绩分成), exactly:
 * the shares sum to the payment's received amount (less refunds) or, with `basis: 'applied'`,
 * to what it has applied. A reversed payment credits nobody (`PAYMENT_REVERSED`).
 *
 * @example
 * splitRevenue(payment, [
 *   { id: 'mkt', recipientId: 'team-marketing', role: 'marketing', percent: 20 },
 *   { id: 'prj', recipientId: 'team-project', role: 'project', percent: 30 },
 *   { id: 'sal', recipientId: 'rep-li', role: 'sales', percent: 50 },
 * ]) // ok: 1000.01 → 200.00 / 300.00 / 500.01
 */
export function splitRevenue(payment: Payment, shares: readonly RevenueShareInput[], options: SplitRevenueOptions = {}): Result<RevenueSplit, CrmError> {
  const p = parsePayment(payment);
  if (!p.ok) return p;
  const s = parseInput(sharesSchema, shares, ['shares']);
  if (!s.ok) return s;
  const o = parseInput(z.object({ basis: z.enum(['received', 'applied']).default('received') }).strict(), options ?? {}, ['options']);
  if (!o.ok) return o;
  const pay = p.value;
  if (pay.status === 'reversed') return paymentRefusal('PAYMENT_REVERSED', { paymentId: pay.id, operation: 'splitRevenue' });
  let minor = 0;
  if (o.value.basis === 'applied') for (const a of pay.applications) minor += minorOf(a.amount);
  else {
    minor = minorOf(pay.amount);
    for (const r of pay.refunds) minor -= minorOf(r.amount);
  }
  return splitParsed(moneyOf(pay.amount.currency, minor), s.value);
}
