/**
 * The figures of the opportunity metrics (internal), and their rows: what `measureOpportunities`,
 * `measurePipeline` and `forecastPipeline` keep per group, and how a group's figures become its
 * row — shared by the in-process metrics and the SQL store, which sums the same figures in the
 * database and writes the rows with these functions.
 */
import type { CurrencyCode, Money } from './money.js';
import { makeMoney } from './money/amount.js';
import { canonical } from './money/integers.js';
import type { Decimal } from './money/decimal.js';
import { compareCodePoints } from './collation.js';
import { convertSums, CurrencySums, roundHalfUp } from './sums.js';
import { fractionText, rateOf, type Durations, type GroupValue, type Rate } from './measures.js';

/** The forecast categories, as in Salesforce: pipeline, best case, commit, and closed (won). */
export const FORECAST_CATEGORIES = Object.freeze(['pipeline', 'bestCase', 'commit', 'closed'] as const);
/** A forecast category. */
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

/** A count and amounts per currency. */
export interface CountedAmounts {
  readonly count: number;
  /** Per currency, sorted by code; none summed across currencies. */
  readonly amounts: readonly Money[];
}

/** The win rate by amount in one currency: won / (won + lost). */
export interface AmountRate {
  readonly currency: CurrencyCode;
  readonly won: Money;
  readonly closed: Money;
  /** Four decimals, half up; null when nothing closed had an amount. */
  readonly value: string | null;
}

/** One group's closed opportunities. */
export interface OpportunitiesRow {
  readonly group: readonly GroupValue[];
  readonly won: CountedAmounts;
  readonly lost: CountedAmounts;
  readonly invalid: CountedAmounts;
  /** won / (won + lost), by count. */
  readonly winRate: Rate;
  readonly winRateByAmount: readonly AmountRate[];
  /** Per currency: the won amount over the won deals with an amount, half up. */
  readonly averageDealSize: readonly Money[];
  /** Created → won. */
  readonly cycle: Durations;
  /** Lost deals' reasons (trimmed), the first 20: most first, ties by the reason. */
  readonly lossReasons: readonly { readonly reason: string; readonly count: number }[];
  /** Lost deals whose reason is not listed. */
  readonly otherLossReasons: number;
}

/** One group's open pipeline. */
export interface PipelineRow {
  readonly group: readonly GroupValue[];
  readonly open: CountedAmounts;
  /** Amount × probability, per currency, exact and rounded once (half up). */
  readonly weighted: readonly Money[];
  /** Time in the current stage, over those whose events say when they entered it. */
  readonly aging: Durations;
  /** No change for `staleAfterDays` or more. */
  readonly stale: CountedAmounts;
}

/** One group's forecast. */
export interface ForecastRow {
  readonly group: readonly GroupValue[];
  readonly counts: Readonly<Record<ForecastCategory, number>>;
  readonly amounts: Readonly<Record<ForecastCategory, readonly Money[]>>;
  /** Amount × probability (a won deal at 100), per currency, exact and rounded once. */
  readonly weighted: readonly Money[];
  /** The figures in the reporting currency (null without one); a figure is null when a currency in it has no rate. */
  readonly converted: {
    readonly currency: CurrencyCode;
    readonly amounts: Readonly<Record<ForecastCategory, Money | null>>;
    readonly weighted: Money | null;
  } | null;
}


/**
 * A group's first 20 close reasons: most first, ties by the reason (code point).
 *
 * @internal
 * @example
 * rankReasons(new Map([['价格太高', 3], ['选择了竞品', 5]])) // [{ reason: '选择了竞品', count: 5 }, { reason: '价格太高', count: 3 }]
 */
export function rankReasons(reasons: ReadonlyMap<string, number>): readonly { readonly reason: string; readonly count: number }[] {
  return Object.freeze(
    [...reasons]
      .sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]))
      .slice(0, LISTED_REASONS)
      .map(([reason, count]) => Object.freeze({ reason, count })),
  );
}


export interface ClosedFigures {
  won: number;
  lost: number;
  invalid: number;
  readonly wonAmounts: CurrencySums;
  readonly lostAmounts: CurrencySums;
  readonly invalidAmounts: CurrencySums;
  /** Won deals with an amount, per currency: the average's denominator. */
  readonly wonWithAmount: Map<CurrencyCode, number>;
  readonly lossReasons: Map<string, number>;
  /** Lost deals whose reason came after the group's first 1,000 distinct reasons. */
  untracked: number;
}

export const openClosed = (): ClosedFigures => ({
  won: 0,
  lost: 0,
  invalid: 0,
  wonAmounts: new CurrencySums(),
  lostAmounts: new CurrencySums(),
  invalidAmounts: new CurrencySums(),
  wonWithAmount: new Map(),
  lossReasons: new Map(),
  untracked: 0,
});

/** Distinct loss reasons a group keeps; the reasons it lists. */
export const MAX_TRACKED_REASONS = 1000;
export const LISTED_REASONS = 20;

/**
 * Counts a lost deal's reason (trimmed) in `f`, within the group's bound.
 *
 * @internal
 * @example
 * countReason(figures, ' 价格太高 ') // figures.lossReasons.get('价格太高') is one more
 */
export function countReason(f: ClosedFigures, reason: string): void {
  const r = reason.trim();
  const known = f.lossReasons.get(r);
  if (known !== undefined) f.lossReasons.set(r, known + 1);
  else if (f.lossReasons.size < MAX_TRACKED_REASONS) f.lossReasons.set(r, 1);
  else f.untracked++;
}

/**
 * One group's row of closed opportunities, from its figures and its cycle's durations.
 *
 * @internal
 * @example
 * closedRow(['rep-li'], figures, cycles.summary(1)).winRate // { numerator: 2, denominator: 3, value: '0.6667' }
 */
export function closedRow(group: OpportunitiesRow['group'], f: ClosedFigures, cycle: Durations): OpportunitiesRow {
  const won = f.wonAmounts.amounts();
  const byAmount = f.wonAmounts
    .currencies()
    .concat(f.lostAmounts.currencies())
    .filter((c, i, all) => all.indexOf(c) === i)
    .sort(compareCodePoints)
    .map((currency) => {
      const w = f.wonAmounts.numerator(currency);
      const closed = w + f.lostAmounts.numerator(currency);
      return Object.freeze({ currency, won: makeMoney(currency, canonical(w)), closed: makeMoney(currency, canonical(closed)), value: fractionText(w, closed) });
    });
  const listed = rankReasons(f.lossReasons);
  const average = f.wonAmounts.currencies().map((c) => makeMoney(c, canonical(roundHalfUp(f.wonAmounts.numerator(c), BigInt(f.wonWithAmount.get(c)!)))));
  return Object.freeze({
    group: Object.freeze(group),
    won: Object.freeze({ count: f.won, amounts: won }),
    lost: Object.freeze({ count: f.lost, amounts: f.lostAmounts.amounts() }),
    invalid: Object.freeze({ count: f.invalid, amounts: f.invalidAmounts.amounts() }),
    winRate: rateOf(f.won, f.won + f.lost),
    winRateByAmount: Object.freeze(byAmount),
    averageDealSize: Object.freeze(average),
    cycle,
    lossReasons: listed,
    otherLossReasons: f.lost - listed.reduce((n, r) => n + r.count, 0),
  });
}


export interface OpenFigures {
  count: number;
  readonly amounts: CurrencySums;
  readonly weighted: CurrencySums;
  stale: number;
  readonly staleAmounts: CurrencySums;
}

export const openOpen = (): OpenFigures => ({ count: 0, amounts: new CurrencySums(), weighted: new CurrencySums(100n), stale: 0, staleAmounts: new CurrencySums() });

/**
 * One group's row of the open pipeline, from its figures and its aging durations.
 *
 * @internal
 * @example
 * pipelineRow(['proposal'], figures, aging.summary(1)).open.count // 4
 */
export function pipelineRow(group: PipelineRow['group'], f: OpenFigures, aging: Durations): PipelineRow {
  return Object.freeze({
    group: Object.freeze(group),
    open: Object.freeze({ count: f.count, amounts: f.amounts.amounts() }),
    weighted: f.weighted.amounts(),
    aging,
    stale: Object.freeze({ count: f.stale, amounts: f.staleAmounts.amounts() }),
  });
}


export interface ForecastFigures {
  readonly counts: Record<ForecastCategory, number>;
  readonly amounts: Record<ForecastCategory, CurrencySums>;
  readonly weighted: CurrencySums;
}


export const openForecast = (): ForecastFigures => ({
  counts: { pipeline: 0, bestCase: 0, commit: 0, closed: 0 },
  amounts: { pipeline: new CurrencySums(), bestCase: new CurrencySums(), commit: new CurrencySums(), closed: new CurrencySums() },
  weighted: new CurrencySums(100n),
});

/** The reporting currency of a forecast, its rates, and the currencies found with none (filled in as rows are written). */
export interface Reporting {
  readonly currency: CurrencyCode;
  readonly rates: ReadonlyMap<CurrencyCode, Decimal>;
  readonly missing: Set<CurrencyCode>;
}

/**
 * One group's forecast row, from its figures; converted to the reporting currency when there
 * is one (the currencies with no rate added to `reporting.missing`).
 *
 * @internal
 * @example
 * forecastRow(['rep-li', '2026-06'], figures, null).counts.commit // 2
 */
export function forecastRow(group: ForecastRow['group'], f: ForecastFigures, reporting: Reporting | null): ForecastRow {
  const amounts = Object.freeze(Object.fromEntries(FORECAST_CATEGORIES.map((c) => [c, f.amounts[c].amounts()])) as Record<ForecastCategory, readonly Money[]>);
  let converted: ForecastRow['converted'] = null;
  if (reporting !== null) {
    const one = (sums: CurrencySums): Money | null => {
      const c = convertSums(sums, reporting.currency, reporting.rates);
      for (const m of c.missing) reporting.missing.add(m);
      return c.amount;
    };
    converted = Object.freeze({
      currency: reporting.currency,
      amounts: Object.freeze(Object.fromEntries(FORECAST_CATEGORIES.map((c) => [c, one(f.amounts[c])])) as Record<ForecastCategory, Money | null>),
      weighted: one(f.weighted),
    });
  }
  return Object.freeze({ group: Object.freeze(group), counts: Object.freeze({ ...f.counts }), amounts, weighted: f.weighted.amounts(), converted });
}
