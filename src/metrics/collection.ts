import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import type { CurrencyCode } from '../core/money.js';
import { toBig } from '../core/money/integers.js';
import { ok, type Result } from '../core/result.js';
import { dayNumberOfKey, zonedDaysIn } from '../core/time.js';
import { deepFreeze } from '../core/validation.js';
import { agingBucketLabels, describePaymentPlan, parsePaymentPlan, parsePaymentPolicy, type AgingBucket, type PaymentPolicy } from '../payments/index.js';
import { PERIOD_UNITS } from './calendar.js';
import { Grouping, teamsOf } from './groups.js';
import { groupBySchema, scopeShape, windowInOrder, WINDOW_ORDER, type GroupDimension, type MetricRecords, type MetricScopeInput, type MetricSource } from './model.js';
import { streamRecords } from './source.js';
import {
  collectionRow,
  collectionTotals,
  openCollection,
  sumsOf,
  windowDaysOf,
  type CollectionAging,
  type CollectionFigures,
  type CollectionGroupFigures,
  type CollectionRow,
  type DaysSalesOutstanding,
  type MoneyRate,
} from '../core/collection-figures.js';
import { metricDoor, reportHead } from '../core/measures.js';

export type { CollectionAging, CollectionFigures, CollectionRow, DaysSalesOutstanding, MoneyRate };

/** Collection by group over the installments due in a window, with the aging and DSO of every plan read. */
export interface CollectionReport {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  readonly zone: string;
  readonly dimensions: readonly GroupDimension[];
  readonly rows: readonly CollectionRow[];
  readonly total: CollectionRow;
  readonly aging: readonly CollectionAging[];
  readonly dso: readonly DaysSalesOutstanding[];
  readonly records: MetricRecords;
}

/** A collection query, as a host writes it: the window of due dates, and the payment policy whose aging buckets to use. */
export interface CollectionQueryInput extends MetricScopeInput {
  /** The payment policy (its `agingBuckets`; default 0–30, 31–60, 61–90, 90+ days). */
  readonly policy?: unknown;
}

const COLLECTION_DIMENSIONS: readonly GroupDimension[] = ['owner', 'team', 'customer', ...PERIOD_UNITS];

/**
 * A collection query at the door.
 *
 * @example
 * collectionQuerySchema.parse({ from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['month'] })
 */
export const collectionQuerySchema = z
  .object({ ...scopeShape, groupBy: groupBySchema(COLLECTION_DIMENSIONS, false), policy: z.unknown().optional() })
  .strict()
  .refine(windowInOrder, WINDOW_ORDER);

/**
 * Collection (回款) over a stream of payment plans, consistent with `crm-rules/payments` to the
 * fen: each plan is read through `describePaymentPlan` at `now`, so every figure is the sum of
 * what the payments rules say of its installments. The plans are read as they stand: `now` is
 * the present, and a plan changed after `now` (its `updatedAt`) is left out (`records.excluded`:
 * it holds payments `now` had not seen). Per group — owner, team, customer (the plan's), and the
 * period of each installment's due date (a calendar date, placed as it starts in the query's
 * zone) — and per currency: the installments due in `[from, to)` and what became of them (see `CollectionFigures`: collection, bad-debt and
 * overdue rates). Grouped by `month`, due against paid is "collected vs planned by month" (by
 * due month: what was collected of what fell due that month). Over every plan read, whatever
 * the window: the **aging** of what is outstanding now (by the policy's buckets, as the
 * payments' receivables age it) and **DSO** (see `DaysSalesOutstanding`). A plan that does not
 * read refuses the run (`INVALID_INPUT` at `plans.<index>`), or with `onInvalid: 'skip'` is
 * counted in `records.skipped`.
 *
 * @example
 * const r = await measureCollection(store.streamPlans(), { from, to, zone: 'Asia/Shanghai', groupBy: ['month'] }, now);
 * if (r.ok) r.value.total.currencies[0]!.collectionRate.value // '0.8500'
 */
export async function measureCollection(
  plans: MetricSource<unknown>,
  query: CollectionQueryInput,
  now: Date | string,
): Promise<Result<CollectionReport, CrmError>> {
  const door = metricDoor(collectionQuerySchema, query, now);
  if (!door.ok) return door;
  let policy: PaymentPolicy | undefined;
  if (door.value.query.policy !== undefined) {
    const p = parsePaymentPolicy(door.value.query.policy as never, ['query', 'policy']);
    if (!p.ok) return p;
    policy = p.value;
  }
  const labels = agingBucketLabels(policy?.agingBuckets);
  if (!labels.ok) return labels;
  const { from, to, zone, weekStartsOn, groupBy, teams, onInvalid } = door.value.query;
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const nowMs = door.value.now;
  const asOf = new Date(nowMs);
  const groups = new Grouping(groupBy as GroupDimension[], teamsOf(teams), zone, weekStartsOn);
  const figures: CollectionGroupFigures[] = [];
  const total = openCollection();
  const aging = new Map<CurrencyCode, Map<AgingBucket, bigint>>();
  const outstandingNow = new Map<CurrencyCode, bigint>();
  const sales = new Map<CurrencyCode, bigint>();
  const queryDays = zonedDaysIn(zone);
  const records = await streamRecords(plans, 'plans', onInvalid, (plan) => {
    // the plan read once, through the payments' own door; its installments as the payments rules see them now
    const parsed = parsePaymentPlan(plan as never, []);
    if (!parsed.ok) {
      const first = (parsed.error.details as { issues?: readonly { path: readonly (string | number)[]; message: string }[] }).issues?.[0];
      return { path: first?.path ?? [], message: first?.message ?? parsed.error.message };
    }
    const p = parsed.value;
    // a plan changed after `now` holds payments `now` had not seen: its state then is not known
    if (p.updatedAt.getTime() > nowMs) return 'excluded';
    const views = describePaymentPlan(p, asOf, policy);
    if (!views.ok) return { path: [], message: views.error.message };
    const bad = groups.read({ ownerId: p.ownerId, customerId: p.customerId }, ['plan']);
    if (bad !== null) return bad;
    const orderMs = p.orderDate.getTime();
    if (orderMs >= fromMs && orderMs < toMs) sales.set(p.currency, (sales.get(p.currency) ?? 0n) + toBig(p.total.minor));
    let counted = false;
    for (const v of views.value) {
      const outstanding = toBig(v.outstanding.minor);
      if (outstanding !== 0n) {
        outstandingNow.set(v.currency, (outstandingNow.get(v.currency) ?? 0n) + outstanding);
        if (v.agingBucket !== null) {
          let buckets = aging.get(v.currency);
          if (buckets === undefined) aging.set(v.currency, (buckets = new Map()));
          buckets.set(v.agingBucket, (buckets.get(v.agingBucket) ?? 0n) + outstanding);
        }
      }
      // the due date is a calendar date: it is in the window, and in a period, as that date starts in the query's zone
      const due = queryDays.start(dayNumberOfKey(v.dueDate));
      if (due < fromMs || due >= toMs) continue;
      counted = true;
      const g = groups.at(due);
      while (figures.length <= g) figures.push(openCollection());
      for (const f of [figures[g]!, total]) {
        f.installments++;
        const s = sumsOf(f, v.currency);
        s.due += toBig(v.amount.minor);
        s.paid += toBig(v.paid.minor);
        s.credited += toBig(v.credited.minor);
        s.writtenOff += toBig(v.writtenOff.minor);
        s.badDebt += toBig(v.badDebt.minor);
        s.outstanding += outstanding;
        s.overdue += toBig(v.overdue.minor);
      }
    }
    return counted ? 'counted' : 'outside';
  });
  if (!records.ok) return records;
  const { dso, aging: agingOut } = collectionTotals(aging, outstandingNow, sales, labels.value, windowDaysOf(zone, fromMs, toMs));
  return ok(
    Object.freeze({
      ...reportHead(fromMs, toMs, nowMs, zone, groupBy as readonly GroupDimension[]),
      rows: Object.freeze(groups.groups().map((s) => collectionRow(s.group, figures[s.index]!))),
      total: collectionRow([], total),
      aging: agingOut,
      dso,
      records: deepFreeze(records.value),
    }),
  );
}
