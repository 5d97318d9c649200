/**
 * The figures of the collection metric (internal), and its report's parts: the exact sums
 * `measureCollection` keeps per group and currency, the rows written from them, and the aging
 * and DSO of every plan read — shared by the in-process metric and the SQL store, which sums the
 * same figures in the database.
 */
import { compareCodePoints } from './collation.js';
import type { CurrencyCode, Money } from './money.js';
import { makeMoney } from './money/amount.js';
import { canonical } from './money/integers.js';
import { fractionText, type GroupValue } from './measures.js';
import { roundHalfUp } from './sums.js';
import { zonedDaysIn } from './time.js';

/** The figures of collection (回款) summed per installment. */
export const COLLECTION_FIGURES = ['due', 'paid', 'credited', 'writtenOff', 'badDebt', 'outstanding', 'overdue'] as const;
export type CollectionFigure = (typeof COLLECTION_FIGURES)[number];

/** A rate of two amounts of one currency: numerator / denominator with four decimals, half up (null over 0). */
export interface MoneyRate {
  readonly numerator: Money;
  readonly denominator: Money;
  readonly value: string | null;
}

/**
 * One currency's collection over the installments due in the window: what fell due, what was
 * paid, credited (credit notes), written off, lost as bad debt, is still outstanding and is
 * overdue now (as `describePaymentPlan` sees each installment at `now`), and three rates over
 * the collectible (due − credited: a credit note cancels part of a sale, it is not a failure to
 * collect): **collection rate** = paid / collectible, **bad-debt rate** = bad debt /
 * collectible, **overdue rate** = overdue / collectible.
 */
export interface CollectionFigures {
  readonly currency: CurrencyCode;
  readonly due: Money;
  readonly paid: Money;
  readonly credited: Money;
  readonly writtenOff: Money;
  readonly badDebt: Money;
  readonly outstanding: Money;
  readonly overdue: Money;
  readonly collectionRate: MoneyRate;
  readonly badDebtRate: MoneyRate;
  readonly overdueRate: MoneyRate;
}

/** One group's collection, per currency (sorted by code; none summed across currencies). */
export interface CollectionRow {
  readonly group: readonly GroupValue[];
  readonly installments: number;
  readonly currencies: readonly CollectionFigures[];
}

/** What every plan read owes now, by aging bucket, per currency (the receivables' own aging). */
export interface CollectionAging {
  readonly currency: CurrencyCode;
  readonly buckets: readonly { readonly bucket: string; readonly amount: Money }[];
}

/**
 * Days sales outstanding in one currency: what is outstanding now over every plan read, against
 * the sales of the window (the totals of the plans whose order date is in it), times the
 * window's calendar days; one decimal, half up; null when there were no sales.
 */
export interface DaysSalesOutstanding {
  readonly currency: CurrencyCode;
  readonly outstanding: Money;
  readonly sales: Money;
  readonly days: number;
  readonly value: string | null;
}

/** A currency's running sums (minor units, exact), by figure. */
export type CollectionSums = Record<CollectionFigure, bigint>;

/** A group's running figures: installments counted, and sums per currency. */
export interface CollectionGroupFigures {
  installments: number;
  readonly byCurrency: Map<CurrencyCode, CollectionSums>;
}

/** A group's figures before anything is counted. */
export const openCollection = (): CollectionGroupFigures => ({ installments: 0, byCurrency: new Map() });

/** The running sums of `currency` in a group (opened at zero). */
export function sumsOf(f: CollectionGroupFigures, currency: CurrencyCode): CollectionSums {
  let s = f.byCurrency.get(currency);
  if (s === undefined) f.byCurrency.set(currency, (s = { due: 0n, paid: 0n, credited: 0n, writtenOff: 0n, badDebt: 0n, outstanding: 0n, overdue: 0n }));
  return s;
}

/**
 * The row of a group: its installments, and per currency (by code) the sums as money and the
 * three rates over the collectible (due − credited).
 *
 * @internal
 * @example
 * collectionRow(['rep-li'], figures).currencies[0]!.collectionRate.value // '0.8500'
 */
export function collectionRow(group: readonly GroupValue[], f: CollectionGroupFigures): CollectionRow {
  const currencies = [...f.byCurrency.keys()].sort(compareCodePoints).map((currency) => {
    const s = f.byCurrency.get(currency)!;
    const money = (x: bigint) => makeMoney(currency, canonical(x));
    const collectible = s.due - s.credited;
    const rate = (x: bigint): MoneyRate => Object.freeze({ numerator: money(x), denominator: money(collectible), value: fractionText(x, collectible) });
    return Object.freeze({
      currency,
      due: money(s.due),
      paid: money(s.paid),
      credited: money(s.credited),
      writtenOff: money(s.writtenOff),
      badDebt: money(s.badDebt),
      outstanding: money(s.outstanding),
      overdue: money(s.overdue),
      collectionRate: rate(s.paid),
      badDebtRate: rate(s.badDebt),
      overdueRate: rate(s.overdue),
    });
  });
  return Object.freeze({ group: Object.freeze([...group]), installments: f.installments, currencies: Object.freeze(currencies) });
}

/** The calendar days of a window `[fromMs, toMs)` in `zone` (the DSO's days). */
export function windowDaysOf(zone: string, fromMs: number, toMs: number): number {
  const days = zonedDaysIn(zone);
  return days.day(toMs - 1) - days.day(fromMs) + 1;
}

/**
 * The aging (per currency, the buckets in `labels` order that hold something) and the DSO (per
 * currency outstanding or sold: outstanding × days / sales, one decimal, half up; null without
 * sales) of every plan read.
 *
 * @internal
 * @example
 * collectionTotals(aging, outstandingNow, sales, ['notDue', '0-30', '31-60', '61-90', '90+'], 90).dso
 */
export function collectionTotals(
  aging: ReadonlyMap<CurrencyCode, ReadonlyMap<string, bigint>>,
  outstandingNow: ReadonlyMap<CurrencyCode, bigint>,
  sales: ReadonlyMap<CurrencyCode, bigint>,
  labels: readonly string[],
  windowDays: number,
): { readonly dso: readonly DaysSalesOutstanding[]; readonly aging: readonly CollectionAging[] } {
  const currencies = [...new Set([...outstandingNow.keys(), ...sales.keys()])].sort(compareCodePoints);
  const dso = currencies.map((currency) => {
    const o = outstandingNow.get(currency) ?? 0n;
    const s = sales.get(currency) ?? 0n;
    const tenths = s === 0n ? null : roundHalfUp(o * BigInt(windowDays) * 10n, s);
    return Object.freeze({
      currency,
      outstanding: makeMoney(currency, canonical(o)),
      sales: makeMoney(currency, canonical(s)),
      days: windowDays,
      value: tenths === null ? null : `${tenths / 10n}.${tenths % 10n}`,
    });
  });
  const agingOut = [...aging.keys()].sort(compareCodePoints).map((currency) =>
    Object.freeze({
      currency,
      buckets: Object.freeze(labels.filter((b) => aging.get(currency)!.has(b)).map((bucket) => Object.freeze({ bucket, amount: makeMoney(currency, canonical(aging.get(currency)!.get(bucket)!)) }))),
    }),
  );
  return { dso: Object.freeze(dso), aging: Object.freeze(agingOut) };
}
