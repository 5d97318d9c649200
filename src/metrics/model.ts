import { z } from 'zod';
import { attributeFieldSchema, idSchema, instantSchema, timeZoneSchema, type InputIssue } from '../core/validation.js';
import { currencyCodeSchema, decimalSchema, signOfDecimal, type CurrencyCode } from '../core/money.js';
import { PERIOD_UNITS, WEEK_STARTS, type PeriodUnit, type WeekStart } from './calendar.js';
import type { Durations, GroupValue, Rate } from '../core/measures.js';
import { FORECAST_CATEGORIES, type AmountRate, type CountedAmounts, type ForecastCategory, type ForecastRow, type OpportunitiesRow, type PipelineRow } from '../core/opportunity-figures.js';

/**
 * The dimensions a metric groups by: the record's `owner`, the owner's `team` (from the query's
 * `teams`), its `pool`, its source `channel`, its `customer`, an opportunity's `stage`, a host
 * attribute (`attribute:industry`, `attribute:region`), and at most one period (`day`, `week`,
 * `month`, `quarter`, `year` on the tenant's wall calendar). Each metric says which it takes.
 */
export const GROUP_DIMENSIONS = Object.freeze(['owner', 'team', 'pool', 'channel', 'customer', 'stage', ...PERIOD_UNITS] as const);
/** A dimension a metric groups by. */
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number] | `attribute:${string}`;

/** Most dimensions one metric groups by. */
const MAX_DIMENSIONS = 8;
/** Most members a query's `teams` lists. */
const MAX_TEAM_MEMBERS = 100_000;

const attributeDimension = attributeFieldSchema;

/**
 * The `groupBy` of a metric that takes `dimensions` (and attributes, when `attributes`), at most
 * one of them a period; `byDefault` when the query gives none.
 *
 * @internal
 */
export function groupBySchema(dimensions: readonly GroupDimension[], attributes: boolean, byDefault: readonly GroupDimension[] = []) {
  const named = z.enum(dimensions as [string, ...string[]]);
  return z
    .array(attributes ? z.union([named, attributeDimension]) : named)
    .max(MAX_DIMENSIONS)
    .default([...byDefault])
    .refine((ds) => new Set(ds).size === ds.length, { message: 'a dimension is listed twice' })
    .refine((ds) => ds.filter((d) => (PERIOD_UNITS as readonly string[]).includes(d)).length <= 1, {
      message: 'group by at most one period (day, week, month, quarter or year)',
    }) as unknown as z.ZodDefault<z.ZodType<GroupDimension[], readonly GroupDimension[]>>;
}

/**
 * What every metric's query says: the window `[from, to)`, the tenant's zone and first day of
 * the week, the team of each owner, and what to do with a record that does not read (`refuse`
 * the run, the default, or `skip` it and count it); each metric adds its `groupBy`.
 */
/** @internal */
export const scopeShape = {
  from: instantSchema,
  to: instantSchema,
  zone: timeZoneSchema,
  weekStartsOn: z.enum(WEEK_STARTS).default('monday'),
  teams: z
    .array(z.object({ memberId: idSchema, teamId: idSchema }).strict())
    .max(MAX_TEAM_MEMBERS)
    .default([])
    .refine((ts) => new Set(ts.map((t) => t.memberId)).size === ts.length, { message: 'a member is listed in two teams' }),
  onInvalid: z.enum(['refuse', 'skip']).default('refuse'),
};

/** Whether a query's window is in order (internal). */
export const windowInOrder = <T extends { readonly from: Date; readonly to: Date }>(q: T): boolean => q.from.getTime() < q.to.getTime();
/** The issue of a window out of order (internal). */
export const WINDOW_ORDER = { message: '`from` must be before `to`', path: ['to'] };

/** The readings of a funnel: `cohort` (leads created in the window, how far they got) or `period` (the stage reaches in the window). */
export const FUNNEL_READINGS = Object.freeze(['cohort', 'period'] as const);
/** A funnel reading. */
export type FunnelReading = (typeof FUNNEL_READINGS)[number];

/** The funnel's stages, in order: a lead, an MQL, an SQL (converted), an opportunity, a won deal. */
export const FUNNEL_STAGES = Object.freeze(['lead', 'mql', 'sql', 'opportunity', 'won'] as const);
/** A funnel stage. */
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/**
 * A funnel query at the door.
 *
 * @example
 * funnelQuerySchema.parse({ reading: 'cohort', from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['channel', 'month'] })
 */
export const funnelQuerySchema = z
  .object({ reading: z.enum(FUNNEL_READINGS), ...scopeShape, groupBy: groupBySchema(['owner', 'team', 'pool', 'channel', ...PERIOD_UNITS], true) })
  .strict()
  .refine(windowInOrder, WINDOW_ORDER);

/** What every metric's query says, as a host writes it. */
export interface MetricScopeInput {
  /** The window's first instant (inclusive). */
  readonly from: Date | string;
  /** The window's end (exclusive). */
  readonly to: Date | string;
  /** The tenant's IANA zone: periods and days are on its wall calendar. */
  readonly zone: string;
  /** Monday (the default) or Sunday. */
  readonly weekStartsOn?: WeekStart;
  /** The dimensions to group by (those the metric takes), in the order the rows show them; none gives one row. */
  readonly groupBy?: readonly GroupDimension[];
  /** The team of each member, for the `team` dimension; a member listed in none is under null. */
  readonly teams?: readonly { readonly memberId: string; readonly teamId: string }[];
  /** `refuse` (the default): a record that does not read refuses the run; `skip`: it is left out and counted. */
  readonly onInvalid?: 'refuse' | 'skip';
}

/** A funnel query as a host writes it. */
export interface FunnelQueryInput extends MetricScopeInput {
  readonly reading: FunnelReading;
}
/** A parsed funnel query. */
export type FunnelQuery = z.output<typeof funnelQuerySchema>;

/**
 * A lead as the metrics read it: a stored `Lead` is one. Only these fields are read; instants
 * are `Date`s or ISO 8601 strings with an offset.
 *
 * @example
 * const lead: MetricLead = { id: 'L1', createdAt: '2026-03-02T09:00:00+08:00', ownerId: 'u1', channel: 'tradeShow', attributes: { industry: 'retail' } };
 */
export interface MetricLead {
  readonly id: string;
  readonly createdAt: Date | string;
  readonly ownerId?: string | null;
  readonly poolId?: string | null;
  readonly channel?: string | null;
  readonly attributes?: Readonly<Record<string, string | number | boolean | null>> | null;
}

/**
 * An event as the metrics read it: a `RuleEvent` the rules returned is one (its `type`, `at`
 * and `data`); JSON with `at` as an ISO string too.
 *
 * @example
 * const e: MetricEvent = { type: 'lead.markedMql', at: '2026-03-05T10:00:00+08:00', data: { stageTo: 'mql' } };
 */
export interface MetricEvent {
  readonly type: string;
  readonly at: Date | string;
  /** Who did it (activity counts a follow-up for its actor). */
  readonly actorId?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * One lead's journey: the lead and its events — the lead's own (`lead.*`) and those of the
 * opportunity it converted into (`opportunity.*`) — in any order. A host streams journeys (or
 * pages of them) from its database ordered by lead, so the metrics hold one at a time.
 *
 * @example
 * const j: LeadJourney = { lead, events: [...leadEvents, ...opportunityEvents] };
 */
export interface LeadJourney {
  readonly lead: MetricLead;
  readonly events?: readonly MetricEvent[];
  /** The opportunity it converted into, as stored (marketing reads a won deal's amount from it as revenue). */
  readonly opportunity?: unknown;
}

/**
 * A source of records for a metric: an array or any iterable, or an async iterable (a database
 * cursor), of records or of pages (arrays) of records, mixed as it comes.
 */
export type MetricSource<T> = Iterable<T | readonly T[]> | AsyncIterable<T | readonly T[]>;

/**
 * What a metric read: records read; counted in the figures; left out by a written rule (voided
 * leads); skipped as unreadable (with `onInvalid: 'skip'`), with the first ten issues. The rest
 * (read − counted − excluded − skipped) fell outside the query's window.
 *
 * @example
 * const r: MetricRecords = { read: 1000, counted: 990, excluded: 10, skipped: 0, issues: [] };
 */
export interface MetricRecords {
  readonly read: number;
  readonly counted: number;
  readonly excluded: number;
  readonly skipped: number;
  readonly issues: readonly InputIssue[];
}

/** One stage of a funnel row. */
export interface FunnelStageFigures {
  readonly stage: FunnelStage;
  /** Leads at this stage (cohort), or reaches of it in the window (period). */
  readonly count: number;
  /** This stage's count over the previous stage's; null for the first stage. */
  readonly fromPrevious: Rate | null;
  /** This stage's count over the first stage's. */
  readonly fromFirst: Rate;
  /** Time from the previous stage to this one, over leads that reached both on their own; null for the first stage. */
  readonly time: Durations | null;
}

/** One group's funnel: its values on the query's dimensions, in their order, and its stages. */
export interface FunnelRow {
  readonly group: readonly GroupValue[];
  readonly stages: readonly FunnelStageFigures[];
}

/**
 * A funnel: one row per group seen (sorted by group), and the total over all of them.
 *
 * @example
 * report.total.stages.map((s) => s.count) // [120, 60, 30, 24, 9]
 */
export interface FunnelReport {
  readonly reading: FunnelReading;
  readonly from: Date;
  readonly to: Date;
  /** The `now` the funnel was measured at: events after it are not seen. */
  readonly asOf: Date;
  readonly zone: string;
  readonly weekStartsOn: WeekStart;
  readonly dimensions: readonly GroupDimension[];
  readonly rows: readonly FunnelRow[];
  readonly total: FunnelRow;
  /** What was read, counted, left out and skipped. */
  readonly records: MetricRecords;
}

/* ------------------------------------------------------------------ opportunities */

/**
 * One opportunity's journey: the opportunity as stored (a stored `Opportunity`; read through
 * `parseOpportunity`, so JSON with ISO strings will do) and, optionally, its events — the
 * pipeline reads when it entered its current stage from them.
 *
 * @example
 * const j: OpportunityJourney = { opportunity, events: opportunityEvents };
 */
export interface OpportunityJourney {
  readonly opportunity: unknown;
  readonly events?: readonly MetricEvent[];
}

const OPPORTUNITY_DIMENSIONS: readonly GroupDimension[] = ['owner', 'team', 'channel', 'customer', 'stage'];

/**
 * A query of the opportunities closed in a window.
 *
 * @example
 * opportunitiesQuerySchema.parse({ from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['owner', 'month'] })
 */
export const opportunitiesQuerySchema = z
  .object({ ...scopeShape, groupBy: groupBySchema([...OPPORTUNITY_DIMENSIONS, ...PERIOD_UNITS], false) })
  .strict()
  .refine(windowInOrder, WINDOW_ORDER);
/** A query of the opportunities closed in a window, as a host writes it. */
export type OpportunitiesQueryInput = MetricScopeInput;

/** The most calendar days `staleAfterDays` may be. */
const MAX_STALE_DAYS = 3660;

/**
 * A query of the open pipeline now: no window and no period (it is a snapshot).
 *
 * @example
 * pipelineQuerySchema.parse({ zone: 'Asia/Shanghai', groupBy: ['stage'], staleAfterDays: 14 })
 */
export const pipelineQuerySchema = z
  .object({
    zone: timeZoneSchema,
    groupBy: groupBySchema(OPPORTUNITY_DIMENSIONS, false),
    teams: scopeShape.teams,
    onInvalid: scopeShape.onInvalid,
    staleAfterDays: z.number().int().min(1).max(MAX_STALE_DAYS).default(30),
  })
  .strict();
/** A query of the open pipeline, as a host writes it. */
export interface PipelineQueryInput {
  readonly zone: string;
  readonly groupBy?: readonly GroupDimension[];
  readonly teams?: readonly { readonly memberId: string; readonly teamId: string }[];
  readonly onInvalid?: 'refuse' | 'skip';
  /** Calendar days in the zone with no change after which an open opportunity is stale (default 30). */
  readonly staleAfterDays?: number;
}


const percentSchema = z.number().int().min(0).max(100);

/**
 * A forecast query: the window of close periods, the dimensions (one period: the close period,
 * `month` by default), how open opportunities fall in categories, and the host's exchange rates.
 *
 * @example
 * forecastQuerySchema.parse({ from, to, zone: 'Asia/Shanghai', reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: '7.1' }] })
 */
export const forecastQuerySchema = z
  .object({
    ...scopeShape,
    groupBy: groupBySchema([...OPPORTUNITY_DIMENSIONS, ...PERIOD_UNITS], false, ['month']),
    categories: z
      .object({
        commitFrom: percentSchema.default(80),
        bestCaseFrom: percentSchema.default(60),
        byStage: z
          .array(z.object({ stageId: idSchema, category: z.enum(['pipeline', 'bestCase', 'commit', 'omitted']) }).strict())
          .max(1000)
          .default([])
          .refine((ss) => new Set(ss.map((s) => s.stageId)).size === ss.length, { message: 'a stage is listed twice' }),
      })
      .strict()
      .refine((c) => c.bestCaseFrom <= c.commitFrom, { message: 'bestCaseFrom is at most commitFrom', path: ['bestCaseFrom'] })
      .default({ commitFrom: 80, bestCaseFrom: 60, byStage: [] }),
    reportingCurrency: currencyCodeSchema.optional(),
    rates: z
      .array(z.object({ currency: currencyCodeSchema, rate: decimalSchema.refine((d) => signOfDecimal(d) > 0, { message: 'a rate is above 0' }) }).strict())
      .max(1000)
      .default([])
      .refine((rs) => new Set(rs.map((r) => r.currency)).size === rs.length, { message: 'a currency is listed twice' }),
  })
  .strict()
  .refine(windowInOrder, WINDOW_ORDER)
  .refine((q) => q.rates.length === 0 || q.reportingCurrency !== undefined, { message: 'rates need a reportingCurrency', path: ['rates'] })
  .refine((q) => !q.rates.some((r) => r.currency === q.reportingCurrency), { message: 'the reporting currency needs no rate', path: ['rates'] });
/** A forecast query, as a host writes it. */
export interface ForecastQueryInput extends MetricScopeInput {
  readonly categories?: {
    readonly commitFrom?: number;
    readonly bestCaseFrom?: number;
    readonly byStage?: readonly { readonly stageId: string; readonly category: ForecastCategory | 'omitted' }[];
  };
  /** The currency the figures are also given in, at `rates`. */
  readonly reportingCurrency?: string;
  /** One unit of each other currency in the reporting currency, as a decimal string (`'7.1234'`). */
  readonly rates?: readonly { readonly currency: string; readonly rate: string }[];
}

/** The opportunities closed in a window, by group. */
export interface OpportunitiesReport {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  readonly zone: string;
  readonly dimensions: readonly GroupDimension[];
  readonly rows: readonly OpportunitiesRow[];
  readonly total: OpportunitiesRow;
  readonly records: MetricRecords;
}

/** The open pipeline now, by group. */
export interface PipelineReport {
  readonly asOf: Date;
  readonly zone: string;
  readonly staleAfterDays: number;
  readonly dimensions: readonly GroupDimension[];
  readonly rows: readonly PipelineRow[];
  readonly total: PipelineRow;
  readonly records: MetricRecords;
}

/** The forecast by close period and group. */
export interface ForecastReport {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  readonly zone: string;
  readonly dimensions: readonly GroupDimension[];
  readonly rows: readonly ForecastRow[];
  readonly total: ForecastRow;
  /** Currencies summed that have no rate to the reporting currency. */
  readonly missingRates: readonly CurrencyCode[];
  readonly records: MetricRecords;
}

export { FORECAST_CATEGORIES };
export type { PeriodUnit, WeekStart, AmountRate, CountedAmounts, ForecastCategory, ForecastRow, OpportunitiesRow, PipelineRow };
