/**
 * The figures of the marketing metric (internal), and its rows: what `measureMarketing` keeps per
 * group and how the groups and the host's costs become the report's rows, total and unmatched
 * costs — shared by the in-process metric and the SQL store, which counts the same figures in
 * the database.
 */
import type { CurrencyCode, Money } from './money.js';
import { makeMoney } from './money/amount.js';
import { canonical, toBig } from './money/integers.js';
import { CurrencySums, roundHalfUp } from './sums.js';
import { fractionText, type GroupValue } from './measures.js';

/**
 * One channel's (or campaign's) results: the leads created in the window, how many became MQLs
 * and were won by `now` (as the funnel's cohort counts them), the revenue of the won deals (the
 * amounts of their opportunities, per currency), the cost the host gave for the group, and
 * **cost per lead**, **cost per MQL**, **cost per won deal** (cost / count, half up to the
 * minor unit) and **ROI** = (revenue − cost) / cost (four decimals; null without a cost, or
 * when revenue came in another currency than the cost's: no cross-currency sums).
 */
export interface MarketingRow {
  readonly group: readonly GroupValue[];
  readonly leads: number;
  readonly mqls: number;
  readonly won: number;
  readonly revenue: readonly Money[];
  readonly cost: Money | null;
  readonly costPerLead: Money | null;
  readonly costPerMql: Money | null;
  readonly costPerWon: Money | null;
  readonly roi: string | null;
}

/** What a marketing group counts. */
export interface MarketingFigures {
  leads: number;
  mqls: number;
  won: number;
  readonly revenue: CurrencySums;
}

/**
 * A group's figures, none counted yet.
 *
 * @internal
 * @example
 * const f = openMarketing(); f.leads++;
 */
export const openMarketing = (): MarketingFigures => ({ leads: 0, mqls: 0, won: 0, revenue: new CurrencySums() });

function rowOf(group: readonly GroupValue[], f: MarketingFigures, cost: Money | null): MarketingRow {
  const per = (count: number): Money | null => (cost === null || count === 0 ? null : makeMoney(cost.currency, canonical(roundHalfUp(toBig(cost.minor), BigInt(count)))));
  const currencies = f.revenue.currencies();
  let roi: string | null = null;
  if (cost !== null && currencies.every((c) => c === cost.currency)) {
    const c = toBig(cost.minor);
    roi = fractionText(f.revenue.numerator(cost.currency) - c, c);
  }
  return Object.freeze({
    group: Object.freeze([...group]),
    leads: f.leads,
    mqls: f.mqls,
    won: f.won,
    revenue: f.revenue.amounts(),
    cost,
    costPerLead: per(f.leads),
    costPerMql: per(f.mqls),
    costPerWon: per(f.won),
    roi,
  });
}

/** A group's values as a cost's key (a number is +0 for -0). */
const costKey = (group: readonly GroupValue[]): string => JSON.stringify(group.map((v) => (typeof v === 'number' ? v + 0 : v)));

/**
 * The report's rows (the groups in order, each with its cost), its total (every cost: null
 * unless all share one currency) and the costs of groups no lead fell in.
 *
 * @internal
 * @example
 * const { rows, total, unmatchedCosts } = marketingRows(groups, totalFigures, costs);
 */
export function marketingRows(
  groups: readonly { readonly group: readonly GroupValue[]; readonly figures: MarketingFigures }[],
  total: MarketingFigures,
  costs: readonly { readonly group: readonly GroupValue[]; readonly amount: Money }[],
): { readonly rows: readonly MarketingRow[]; readonly total: MarketingRow; readonly unmatchedCosts: readonly (readonly GroupValue[])[] } {
  const costOf = new Map(costs.map((c) => [costKey(c.group), c.amount]));
  const used = new Set<string>();
  const rows = groups.map((g) => {
    const key = costKey(g.group);
    const cost = costOf.get(key) ?? null;
    if (cost !== null) used.add(key);
    return rowOf(g.group, g.figures, cost);
  });
  const all = [...costOf.values()];
  const oneCurrency = all.length > 0 && all.every((c) => c.currency === all[0]!.currency);
  const totalCost = oneCurrency ? makeMoney(all[0]!.currency as CurrencyCode, canonical(all.reduce((n, c) => n + toBig(c.minor), 0n))) : null;
  return {
    rows: Object.freeze(rows),
    total: rowOf([], total, totalCost),
    unmatchedCosts: Object.freeze(costs.filter((c) => !used.has(costKey(c.group))).map((c) => Object.freeze([...c.group]))),
  };
}
