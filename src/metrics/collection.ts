import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import type { CurrencyCode, Money } from '../core/money.js';
import { makeMoney } from '../core/money/amount.js';
import { canonical, toBig } from '../core/money/integers.js';
import { compareCodePoints } from '../core/collation.js';
import { ok, type Result } from '../core/result.js';
import { dayNumberOfKey, zonedDaysIn } from '../core/time.js';
import { deepFreeze, idSchema, instantSchema, parseInput, timeZoneSchema } from '../core/validation.js';
import { agingBucketLabels, describePaymentPlan, parsePaymentPlan, parsePaymentPolicy, type AgingBucket, type PaymentPolicy } from '../payments/index.js';
import { PERIOD_UNITS, WEEK_STARTS } from './calendar.js';
import { roundHalfUp } from '../core/sums.js';
import { Grouping, teamsOf } from './groups.js';
import { groupBySchema, scopeShape, windowInOrder, WINDOW_ORDER, type GroupDimension, type MetricRecords, type MetricScopeInput, type MetricSource } from './model.js';
import { fractionText, type GroupValue } from '../core/measures.js';
import { streamRecords } from './source.js';
import { metricDoor, reportHead } from '../core/measures.js';

/** The figures of collection (回款) summed per installment. */
const FIGURES = ['due', 'paid', 'credited', 'writtenOff', 'badDebt', 'outstanding', 'overdue'] as const;
type Figure = (typeof FIGURES)[number];

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
  readonly buckets: readonly { readonly bucket: AgingBucket; readonly amount: Money }[];
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

/** A currency's running sums (minor units, exact). */
type Sums = Record<Figure, bigint>;
const zeroSums = (): Sums => ({ due: 0n, paid: 0n, credited: 0n, writtenOff: 0n, badDebt: 0n, outstanding: 0n, overdue: 0n });

/** A group's running figures: installments counted, and sums per currency. */
interface GroupFigures {
  installments: number;
  readonly byCurrency: Map<CurrencyCode, Sums>;
}


function rowOf(group: readonly GroupValue[], f: GroupFigures): CollectionRow {
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
  const figures: GroupFigures[] = [];
  const total: GroupFigures = { installments: 0, byCurrency: new Map() };
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
      while (figures.length <= g) figures.push({ installments: 0, byCurrency: new Map() });
      for (const f of [figures[g]!, total]) {
        f.installments++;
        let s = f.byCurrency.get(v.currency);
        if (s === undefined) f.byCurrency.set(v.currency, (s = zeroSums()));
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
  const days = zonedDaysIn(zone);
  const windowDays = days.day(toMs - 1) - days.day(fromMs) + 1;
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
      buckets: Object.freeze(
        labels.value.filter((b) => aging.get(currency)!.has(b)).map((bucket) => Object.freeze({ bucket, amount: makeMoney(currency, canonical(aging.get(currency)!.get(bucket)!)) })),
      ),
    }),
  );
  return ok(
    Object.freeze({
      ...reportHead(fromMs, toMs, nowMs, zone, groupBy as readonly GroupDimension[]),
      rows: Object.freeze(groups.groups().map((s) => rowOf(s.group, figures[s.index]!))),
      total: rowOf([], total),
      aging: Object.freeze(agingOut),
      dso: Object.freeze(dso),
      records: deepFreeze(records.value),
    }),
  );
}
