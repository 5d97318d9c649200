import type { CrmError } from '../core/errors.js';
import type { CurrencyCode } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { zonedDaysIn } from '../core/time.js';
import { deepFreeze, instantMs } from '../core/validation.js';
import { parseOpportunity, type Opportunity } from '../leads/index.js';
import { compareCodePoints } from '../core/collation.js';
import { PERIOD_UNITS } from './calendar.js';
import { Grouping, teamsOf, type GroupSlot } from './groups.js';
import { DurationLog, type Rate } from '../core/measures.js';
import { closedRow, countReason, forecastRow, openClosed, openForecast, openOpen, pipelineRow, type ClosedFigures, type ForecastFigures, type OpenFigures } from '../core/opportunity-figures.js';
import {
  forecastQuerySchema,
  opportunitiesQuerySchema,
  pipelineQuerySchema,
  type ForecastCategory,
  type ForecastQueryInput,
  type ForecastReport,
  type ForecastRow,
  type MetricEvent,
  type MetricRecords,
  type MetricSource,
  type OpportunitiesQueryInput,
  type OpportunitiesReport,
  type OpportunityJourney,
  type PipelineQueryInput,
  type PipelineReport,
  type GroupDimension,
} from './model.js';
import { streamRecords, type Visit } from './source.js';
import { metricDoor, reportHead } from '../core/measures.js';

type Fields = Readonly<Record<string, unknown>>;

/** The stage-changing events of an opportunity, and where each names the stage it went to. */
const STAGE_FIELD: ReadonlyMap<string, string> = new Map([
  ['opportunity.opened', 'stageId'],
  ['opportunity.advanced', 'toStageId'],
  ['opportunity.steppedBack', 'toStageId'],
  ['opportunity.movedToStage', 'toStageId'],
  ['opportunity.reopened', 'toStageId'],
]);

/** Most events one journey holds. */
const MAX_EVENTS = 1_000_000;
const INSTANT_MESSAGE = 'expected an instant from 0001 to 9999 (a Date or an ISO 8601 string with an offset)';

/** A journey read: the opportunity (through the rules' own door) and, when its events say, when it entered its current stage. */
interface ReadOpportunity {
  readonly opportunity: Opportunity;
  /** When it entered its current stage (ms): the last stage-changing event to it at or before `now`; NaN when the events do not say. */
  readonly stageSince: number;
}

/**
 * Reads one opportunity journey (`{ opportunity, events? }`), or says why it does not read; its
 * events only when `withStages` (the pipeline's aging reads them; the other metrics pass them by).
 */
function readJourney(journey: unknown, now: number, withStages = false): ReadOpportunity | Visit {
  if (typeof journey !== 'object' || journey === null) return { path: [], message: 'expected an opportunity journey: { opportunity, events }' };
  const parsed = parseOpportunity((journey as Fields).opportunity);
  if (!parsed.ok) {
    const first = (parsed.error.details as { issues?: readonly { path: readonly (string | number)[]; message: string }[] }).issues?.[0];
    return { path: first?.path ?? ['opportunity'], message: first?.message ?? parsed.error.message };
  }
  const opportunity = parsed.value;
  const events = withStages ? (journey as Fields).events : undefined;
  let stageSince = Number.NaN;
  if (events !== undefined && events !== null) {
    const length: unknown = Array.isArray(events) ? events.length : undefined;
    if (typeof length !== 'number' || !(length <= MAX_EVENTS)) return { path: ['events'], message: `expected an array of at most ${MAX_EVENTS} events` };
    for (let k = 0; k < length; k++) {
      const e: unknown = (events as readonly unknown[])[k];
      if (typeof e !== 'object' || e === null) return { path: ['events', k], message: 'expected an event: { type, at, data }' };
      const type = (e as Fields).type;
      if (typeof type !== 'string') return { path: ['events', k, 'type'], message: 'expected the event type, a string' };
      const field = STAGE_FIELD.get(type);
      if (field === undefined) continue;
      const t = instantMs((e as Fields).at);
      if (t !== t) return { path: ['events', k, 'at'], message: INSTANT_MESSAGE };
      const data = (e as Fields).data;
      if (typeof data !== 'object' || data === null) return { path: ['events', k, 'data'], message: 'expected the event data' };
      const stage = (data as Fields)[field];
      if (typeof stage !== 'string') return { path: ['events', k, 'data', field], message: 'expected the stage id, a string' };
      // the last entry into the current stage, ties to the later one listed
      if (t <= now && stage === opportunity.stageId && !(t < stageSince)) stageSince = t;
    }
  }
  return { opportunity, stageSince };
}

const isVisit = (r: ReadOpportunity | Visit): r is Visit => typeof r === 'string' || !('opportunity' in r);



/* ------------------------------------------------------------------ closed in a window */


/**
 * What the opportunities closed in `[from, to)` came to (赢单率, 客单价, 销售周期, 输单原因):
 * per group, the won, lost and invalid counts and amounts per currency; the **win rate** by
 * count, won / (won + lost), and by amount per currency (an opportunity closed as invalid was
 * never a real chance and is in neither); the **average deal size** per currency, the won amount
 * over the won deals with an amount in that currency (rounded half up to the minor unit); the
 * **sales cycle**, created → won, as `Durations`; and the **loss reasons** ranked (trimmed;
 * the first 20, most first, ties by the reason; `otherLossReasons` counts the lost deals whose
 * reason is not listed — a group tracks its first 1,000 distinct reasons, so memory stays
 * bounded). A period dimension is the period of `closedAt`.
 *
 * Each journey is `{ opportunity, events? }` (the events are not needed here); the opportunity
 * is read through `parseOpportunity`, the rules' own door. Streams; a journey that does not read
 * refuses the run (`INVALID_INPUT` at `journeys.<index>`) or, with `onInvalid: 'skip'`, is
 * counted in `records.skipped`.
 *
 * @example
 * const r = await measureOpportunities(store.streamOpportunities(), { from, to, zone: 'Asia/Shanghai', groupBy: ['owner'] }, now);
 * if (r.ok) r.value.total.winRate.value // '0.4000'
 */
export async function measureOpportunities(
  journeys: MetricSource<OpportunityJourney>,
  query: OpportunitiesQueryInput,
  now: Date | string,
): Promise<Result<OpportunitiesReport, CrmError>> {
  const door = metricDoor(opportunitiesQuerySchema, query, now);
  if (!door.ok) return door;
  const { from, to, zone, weekStartsOn, groupBy, teams, onInvalid } = door.value.query;
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const nowMs = door.value.now;
  const groups = new Grouping(groupBy, teamsOf(teams), zone, weekStartsOn);
  const figures: ClosedFigures[] = [];
  const total = openClosed();
  const cycles = new DurationLog();
  const records = await streamRecords(journeys, 'journeys', onInvalid, (journey) => {
    const read = readJourney(journey, nowMs);
    if (isVisit(read)) return read;
    const o = read.opportunity;
    if (o.status === 'open' || o.closedAt.getTime() > nowMs) return 'outside';
    const closed = o.closedAt.getTime();
    if (closed < fromMs || closed >= toMs) return 'outside';
    const bad = groups.read(o, ['opportunity']);
    if (bad !== null) return bad;
    const g = groups.at(closed);
    while (figures.length <= g) figures.push(openClosed());
    for (const [f, series] of [
      [figures[g]!, g + 1],
      [total, 0],
    ] as const) {
      const amount = o.amount ?? null;
      if (o.status === 'won') {
        f.won++;
        if (amount !== null) {
          f.wonAmounts.add(amount.currency, amount.minor);
          f.wonWithAmount.set(amount.currency, (f.wonWithAmount.get(amount.currency) ?? 0) + 1);
        }
        cycles.add(series, closed - o.createdAt.getTime());
      } else if (o.status === 'lost') {
        f.lost++;
        if (amount !== null) f.lostAmounts.add(amount.currency, amount.minor);
        countReason(f, o.closeReason);
      } else {
        f.invalid++;
        if (amount !== null) f.invalidAmounts.add(amount.currency, amount.minor);
      }
    }
    return 'counted';
  });
  if (!records.ok) return records;
  const rows = groups.groups().map((s: GroupSlot) => closedRow(s.group, figures[s.index]!, cycles.summary(s.index + 1)));
  return ok(
    Object.freeze({
      ...reportHead(fromMs, toMs, nowMs, zone, groupBy as readonly GroupDimension[]),
      rows: Object.freeze(rows),
      total: closedRow([], total, cycles.summary(0)),
      records: deepFreeze(records.value),
    }),
  );
}

/* ------------------------------------------------------------------ the open pipeline, now */

/**
 * The open pipeline as it stands at `now` (a snapshot: no window, no period; the records as
 * they are, so `now` is the present: one closed since is not in it): per group, the open
 * opportunities and their amounts per currency; the **weighted pipeline**, each amount
 * times its stage's probability, summed exactly and rounded once (half up); **stage aging**,
 * how long each has been in its current stage (`Durations`, over those whose events say when
 * they entered it: the last `opportunity.opened`, `advanced`, `steppedBack`, `movedToStage` or
 * `reopened` to that stage at or before `now`); and the **stale** ones, with no change (their
 * `updatedAt`) for `staleAfterDays` calendar days or more in the zone (default 30). Group by
 * `stage` to see aging per stage.
 *
 * @example
 * const r = await measurePipeline(journeys, { zone: 'Asia/Shanghai', groupBy: ['stage'], staleAfterDays: 14 }, now);
 * if (r.ok) r.value.total.weighted // [CNY 1,234,500.00]
 */
export async function measurePipeline(
  journeys: MetricSource<OpportunityJourney>,
  query: PipelineQueryInput,
  now: Date | string,
): Promise<Result<PipelineReport, CrmError>> {
  const door = metricDoor(pipelineQuerySchema, query, now);
  if (!door.ok) return door;
  const { zone, groupBy, teams, onInvalid, staleAfterDays } = door.value.query;
  const nowMs = door.value.now;
  const days = zonedDaysIn(zone);
  const today = days.day(nowMs);
  const groups = new Grouping(groupBy, teamsOf(teams), zone, 'monday');
  const figures: OpenFigures[] = [];
  const total = openOpen();
  const aging = new DurationLog();
  const records = await streamRecords(journeys, 'journeys', onInvalid, (journey) => {
    const read = readJourney(journey, nowMs, true);
    if (isVisit(read)) return read;
    const o = read.opportunity;
    // the open records as they are (one closed since `now` is not in it: its probability then is not known)
    if (o.status !== 'open' || o.createdAt.getTime() > nowMs) return 'outside';
    const bad = groups.read(o, ['opportunity']);
    if (bad !== null) return bad;
    const g = groups.at(nowMs);
    while (figures.length <= g) figures.push(openOpen());
    const stale = today - days.day(o.updatedAt.getTime()) >= staleAfterDays;
    for (const [f, series] of [
      [figures[g]!, g + 1],
      [total, 0],
    ] as const) {
      f.count++;
      if (o.amount) {
        f.amounts.add(o.amount.currency, o.amount.minor);
        f.weighted.add(o.amount.currency, o.amount.minor, o.probability);
      }
      if (stale) {
        f.stale++;
        if (o.amount) f.staleAmounts.add(o.amount.currency, o.amount.minor);
      }
      if (read.stageSince === read.stageSince) aging.add(series, nowMs - read.stageSince);
    }
    return 'counted';
  });
  if (!records.ok) return records;
  const rows = groups.groups().map((s) => pipelineRow(s.group, figures[s.index]!, aging.summary(s.index + 1)));
  return ok(
    Object.freeze({
      asOf: new Date(nowMs),
      zone,
      staleAfterDays,
      dimensions: Object.freeze(groupBy),
      rows: Object.freeze(rows),
      total: pipelineRow([], total, aging.summary(0)),
      records: deepFreeze(records.value),
    }),
  );
}

/* ------------------------------------------------------------------ the forecast */

/**
 * The sales forecast (销售预测) by close period: each open opportunity in its forecast category
 * — by its stage when the query's `categories.byStage` names it (`omitted` leaves it out), else
 * by its probability: `commit` from `commitFrom` (default 80), `bestCase` from `bestCaseFrom`
 * (default 60), `pipeline` below — in the period of its expected close date (the rows are always
 * by close period: `month` is added at the end when `groupBy` names none); each won one as
 * `closed`, in the period it was won; lost and invalid ones left out. Amounts per currency,
 * and the weighted forecast (amount × probability, a won deal at 100), exact and rounded once.
 * The categories are not cumulative: a "best case" total in the Salesforce sense is closed +
 * commit + bestCase. Only the close periods in `[from, to)` count; an open opportunity with no
 * expected close date is in the rows whose period is null. With `reportingCurrency` and the
 * host's `rates` (one unit of a currency in the reporting currency, a decimal string), each
 * figure is also given converted: exact, one rounding; a currency with no rate leaves the
 * converted figure null and is named in `missingRates`.
 *
 * @example
 * const r = await forecastPipeline(journeys, { from, to, zone: 'Asia/Shanghai', groupBy: ['owner', 'month'] }, now);
 * if (r.ok) r.value.total.amounts.commit // [CNY 800,000.00]
 */
export async function forecastPipeline(
  journeys: MetricSource<OpportunityJourney>,
  query: ForecastQueryInput,
  now: Date | string,
): Promise<Result<ForecastReport, CrmError>> {
  const door = metricDoor(forecastQuerySchema, query, now);
  if (!door.ok) return door;
  const { from, to, zone, weekStartsOn, groupBy, teams, onInvalid, categories, reportingCurrency, rates } = door.value.query;
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const nowMs = door.value.now;
  const byStage = new Map(categories.byStage.map((s) => [s.stageId, s.category]));
  const categoryOf = (o: Opportunity): ForecastCategory | 'omitted' => {
    const named = byStage.get(o.stageId);
    if (named !== undefined) return named;
    return o.probability >= categories.commitFrom ? 'commit' : o.probability >= categories.bestCaseFrom ? 'bestCase' : 'pipeline';
  };
  const dimensions = groupBy.some((d) => (PERIOD_UNITS as readonly string[]).includes(d)) ? groupBy : [...groupBy, 'month' as const];
  const groups = new Grouping(dimensions, teamsOf(teams), zone, weekStartsOn);
  const figures: ForecastFigures[] = [];
  const total = openForecast();
  const rateMap = new Map(rates.map((r) => [r.currency, r.rate]));
  const records = await streamRecords(journeys, 'journeys', onInvalid, (journey) => {
    const read = readJourney(journey, nowMs);
    if (isVisit(read)) return read;
    const o = read.opportunity;
    if (o.createdAt.getTime() > nowMs) return 'outside';
    let category: ForecastCategory | 'omitted';
    let when: number | null;
    let probability: number;
    if (o.status === 'won' && o.closedAt.getTime() <= nowMs) {
      category = 'closed';
      when = o.closedAt.getTime();
      probability = 100;
    } else if (o.status === 'open') {
      category = categoryOf(o);
      when = o.expectedCloseDate === null ? null : o.expectedCloseDate.getTime();
      probability = o.probability;
    } else return 'outside';
    if (when !== null && (when < fromMs || when >= toMs)) return 'outside';
    if (category === 'omitted') return 'excluded';
    const bad = groups.read(o, ['opportunity']);
    if (bad !== null) return bad;
    // no expected close date: the group of its other dimensions, with the period null
    const g = when === null ? groups.atUndated() : groups.at(when);
    while (figures.length <= g) figures.push(openForecast());
    for (const f of [figures[g]!, total]) {
      f.counts[category]++;
      if (o.amount) {
        f.amounts[category].add(o.amount.currency, o.amount.minor);
        f.weighted.add(o.amount.currency, o.amount.minor, probability);
      }
    }
    return 'counted';
  });
  if (!records.ok) return records;
  const missing = new Set<CurrencyCode>();
  const reporting = reportingCurrency === undefined ? null : { currency: reportingCurrency, rates: rateMap, missing };
  const row = (group: ForecastRow['group'], f: ForecastFigures): ForecastRow => forecastRow(group, f, reporting);
  const rows = groups.groups().map((s) => row(s.group, figures[s.index]!));
  const totalRow = row([], total);
  return ok(
    Object.freeze({
      ...reportHead(fromMs, toMs, nowMs, zone, dimensions as readonly GroupDimension[]),
      rows: Object.freeze(rows),
      total: totalRow,
      missingRates: Object.freeze([...missing].sort(compareCodePoints)),
      records: deepFreeze(records.value),
    }),
  );
}

export type { Rate, MetricEvent, MetricRecords };
