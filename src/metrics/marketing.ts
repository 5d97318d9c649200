import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { moneySchema, type Money } from '../core/money.js';
import { makeMoney } from '../core/money/amount.js';
import { ok, type Result } from '../core/result.js';
import { deepFreeze } from '../core/validation.js';
import { parseOpportunity } from '../leads/index.js';
import { PERIOD_UNITS } from './calendar.js';
import { Grouping, teamsOf } from './groups.js';
import { JourneyReader } from './journeys.js';
import type { GroupValue } from '../core/measures.js';
import { marketingRows, openMarketing, type MarketingFigures, type MarketingRow } from '../core/marketing-figures.js';
import { groupBySchema, scopeShape, windowInOrder, WINDOW_ORDER, type GroupDimension, type LeadJourney, type MetricRecords, type MetricScopeInput, type MetricSource } from './model.js';
import { streamRecords, type Visit } from './source.js';
import { metricDoor, reportHead } from '../core/measures.js';

type Fields = Readonly<Record<string, unknown>>;

/** A channel's or a campaign's cost, for the group whose values are `group` (in the order of `groupBy`). */
export interface MarketingCostInput {
  readonly group: readonly (string | number | boolean | null)[];
  readonly amount: { readonly currency: string; readonly amount?: string; readonly minor?: number | string };
}

/** A marketing query, as a host writes it: the leads created in the window, grouped (by `channel` unless told), and what each group cost. */
export interface MarketingQueryInput extends MetricScopeInput {
  readonly costs?: readonly MarketingCostInput[];
}

const MARKETING_DIMENSIONS: readonly GroupDimension[] = ['channel', 'owner', 'team', 'pool', ...PERIOD_UNITS];
const groupValueSchema = z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()]);

/**
 * A marketing query at the door.
 *
 * @example
 * marketingQuerySchema.parse({ from, to, zone: 'Asia/Shanghai', groupBy: ['channel', 'attribute:campaign'], costs: [{ group: ['tradeShow', '2026 春季展'], amount: { currency: 'CNY', amount: '80000.00' } }] })
 */
export const marketingQuerySchema = z
  .object({
    ...scopeShape,
    groupBy: groupBySchema(MARKETING_DIMENSIONS, true, ['channel']),
    costs: z
      .array(z.object({ group: z.array(groupValueSchema).max(8), amount: moneySchema.refine((m) => m.minor >= 0, { message: 'a cost is not negative' }) }).strict())
      .max(100_000)
      .default([]),
  })
  .strict()
  .refine(windowInOrder, WINDOW_ORDER)
  .superRefine((q, ctx) => {
    if (!Array.isArray(q.costs) || !Array.isArray(q.groupBy)) return;
    const seen = new Set<string>();
    q.costs.forEach((c, i) => {
      if (c.group.length !== q.groupBy.length) ctx.addIssue({ code: 'custom', path: ['costs', i, 'group'], message: `a cost's group has a value for each dimension of groupBy (${q.groupBy.length})` });
      const key = JSON.stringify(c.group);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['costs', i, 'group'], message: 'a group is given two costs' });
      seen.add(key);
    });
  });

export type { MarketingRow };

/** Marketing results by channel (or campaign) for the leads created in a window. */
export interface MarketingReport {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  readonly zone: string;
  readonly dimensions: readonly GroupDimension[];
  readonly rows: readonly MarketingRow[];
  /** The total: every lead, every cost (a cost per currency would mix them: the total's cost is null unless all costs share one). */
  readonly total: MarketingRow;
  /** Costs given for groups no lead fell in (their values, as given). */
  readonly unmatchedCosts: readonly (readonly GroupValue[])[];
  readonly records: MetricRecords;
}

/**
 * Marketing's results per channel and campaign (the retrospective's 活动成本、ROI转化率、线索质量):
 * the leads created in `[from, to)` — grouped by `channel` unless `groupBy` says otherwise, a
 * campaign being a host attribute (`attribute:campaign`) — how many became MQLs and were won by
 * `now` (the funnel's written rule: a voided lead is left out), the revenue of their won deals
 * (the journey's `opportunity`, read through `parseOpportunity`, when it is won by `now` and has
 * an amount), and the costs the host gives per group: cost per lead, per MQL, per won deal, and
 * ROI (see `MarketingRow`). Streams; a journey that does not read refuses the run
 * (`INVALID_INPUT` at `journeys.<index>`), or is skipped with `onInvalid: 'skip'`.
 *
 * @example
 * const r = await measureMarketing(journeys, { from, to, zone: 'Asia/Shanghai', costs: [{ group: ['tradeShow'], amount: { currency: 'CNY', amount: '80000.00' } }] }, now);
 * if (r.ok) r.value.rows.map((row) => [row.group[0], row.roi])
 */
export async function measureMarketing(journeys: MetricSource<LeadJourney>, query: MarketingQueryInput, now: Date | string): Promise<Result<MarketingReport, CrmError>> {
  const door = metricDoor(marketingQuerySchema, query, now);
  if (!door.ok) return door;
  const { from, to, zone, weekStartsOn, groupBy, teams, onInvalid, costs } = door.value.query;
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const nowMs = door.value.now;
  const groups = new Grouping(groupBy as GroupDimension[], teamsOf(teams), zone, weekStartsOn);
  const figures: MarketingFigures[] = [];
  const total = openMarketing();
  const j = new JourneyReader(nowMs);
  const records = await streamRecords(journeys, 'journeys', onInvalid, (journey): Visit => {
    const bad = j.read(journey);
    if (bad !== null) return bad;
    const badGroup = groups.read(j.lead, ['lead']);
    if (badGroup !== null) return badGroup;
    if (j.created > nowMs || j.created < fromMs || j.created >= toMs) return 'outside';
    if (j.voided) return 'excluded';
    const won = j.reach[4] === j.reach[4];
    // the opportunity is read only for a won lead of the cohort (its amount is the revenue)
    let revenue: Money | null = null;
    const raw = won ? (journey as Fields).opportunity : undefined;
    if (raw !== undefined && raw !== null) {
      const o = parseOpportunity(raw);
      if (!o.ok) {
        const first = (o.error.details as { issues?: readonly { path: readonly (string | number)[]; message: string }[] }).issues?.[0];
        return { path: first?.path ?? ['opportunity'], message: first?.message ?? o.error.message };
      }
      if (o.value.status === 'won' && o.value.closedAt.getTime() <= nowMs && o.value.amount) revenue = makeMoney(o.value.amount.currency, o.value.amount.minor);
    }
    const g = groups.at(j.created);
    while (figures.length <= g) figures.push(openMarketing());
    for (const f of [figures[g]!, total]) {
      f.leads++;
      if (j.reach[1] === j.reach[1]) f.mqls++;
      if (won) {
        f.won++;
        if (revenue !== null) f.revenue.add(revenue.currency, Number(revenue.minor));
      }
    }
    return 'counted';
  });
  if (!records.ok) return records;
  const tail = marketingRows(groups.groups().map((s) => ({ group: s.group, figures: figures[s.index]! })), total, costs as readonly { readonly group: readonly GroupValue[]; readonly amount: Money }[]);
  return ok(
    Object.freeze({
      ...reportHead(fromMs, toMs, nowMs, zone, groupBy as readonly GroupDimension[]),
      ...tail,
      records: deepFreeze(records.value),
    }),
  );
}
