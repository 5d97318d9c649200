import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { deepFreeze, instantSchema, parseInput } from '../core/validation.js';
import { Grouping, teamsOf } from './groups.js';
import { JourneyReader, STAGE_COUNT } from './journeys.js';
import { chainStages, DurationLog, DurationTally } from '../core/measures.js';
import {
  FUNNEL_STAGES,
  funnelQuerySchema,
  type FunnelQueryInput,
  type FunnelReport,
  type FunnelRow,
  type FunnelStageFigures,
  type LeadJourney,
  type MetricSource,
  type GroupDimension,
} from './model.js';
import { streamRecords } from './source.js';
import { metricDoor, reportHead } from '../core/measures.js';

/**
 * The funnel's running figures, by group index: counts in one array (group · 5 + stage), the
 * durations in one log (series group · 5 + stage). The total is the group one past the last
 * possible one (kept apart: index -1 → the `total` counts).
 */
class FunnelFigures {
  counts = new Float64Array(STAGE_COUNT * 64);
  readonly total = new Float64Array(STAGE_COUNT);
  readonly times = new DurationLog();
  readonly totalTimes = new DurationTally(STAGE_COUNT);

  /** Counts stage `s` of the journey read in group `g`, and its time from the stage before when both were reached on their own. */
  count(g: number, j: JourneyReader, s: number): void {
    let counts = this.counts;
    const at = g * STAGE_COUNT + s;
    if (at >= counts.length) {
      let length = counts.length * 2;
      while (length <= at) length *= 2;
      const grown = new Float64Array(length);
      grown.set(counts);
      this.counts = counts = grown;
    }
    counts[at]!++;
    this.total[s]!++;
    if (s > 0 && j.own[s] === 1 && j.own[s - 1] === 1) {
      const ms = j.reach[s]! - j.reach[s - 1]!;
      this.times.add(at, ms);
      this.totalTimes.add(s, ms);
    }
  }

  /** A group's row, frozen as it is built (rates and durations come frozen). */
  row(group: FunnelRow['group'], g: number | 'total'): FunnelRow {
    // a group is opened only when something is counted in it, so its counts are within the array
    const counts = g === 'total' ? this.total : this.counts.subarray(g * STAGE_COUNT, g * STAGE_COUNT + STAGE_COUNT);
    const times = g === 'total' ? this.totalTimes : this.times;
    const base = g === 'total' ? 0 : g * STAGE_COUNT;
    const stages: readonly FunnelStageFigures[] = chainStages(FUNNEL_STAGES, counts, (s) => times.summary(base + s));
    return Object.freeze({ group: Object.freeze(group), stages });
  }
}

/**
 * The sales funnel — lead → MQL → SQL → opportunity → won — over a stream of lead journeys
 * (each lead with its events and its opportunity's; see `LeadJourney`), as the records stand at
 * `now`, in one of two readings:
 *
 * - **cohort**: the leads created in `[from, to)`, and how far each got by `now`. Each lead
 *   counts once, at every stage it has reached, so counts never grow down the stages; grouped by
 *   period, a lead is in the period it was created in. "Of the 120 leads from March's trade
 *   show, 60 became MQLs, 30 SQLs, 24 opportunities, 9 were won."
 * - **period**: the stage reaches that happened in `[from, to)`, each in the period it happened
 *   in. "In March, 120 leads came in, 45 became MQLs, 38 were converted, 30 opportunities
 *   opened, 11 were won" — whenever those leads were created. A stage's count may be above the
 *   one before it (last month's MQLs converting this month), so a rate may pass 1.
 *
 * Each stage has its count, its rate from the previous stage and from the first, and the time
 * from the previous stage (median and 90th percentile, see `Durations`) over the leads that
 * reached both stages on their own. How reopened, invalid, voided and restored leads, stage
 * corrections, skipped stages and reopened wins count is written at `JourneyReader`: in short,
 * a voided lead is left out until restored (`records.excluded`), an invalid lead stays at the
 * stage it got to, a skipped stage counts as reached with the later one (but has no time), a
 * correction or a reopened win takes back the stages above.
 *
 * Groups by the query's dimensions (owner, team, pool, channel, attributes, one period in the
 * tenant's zone, weeks from Monday or Sunday); one row per group seen, sorted, and the total.
 * Streams: memory grows with the groups, not the leads. A journey that does not read refuses the
 * run (`INVALID_INPUT` at `journeys.<index>`), or with `onInvalid: 'skip'` is counted in
 * `records.skipped`; a bad query or `now` is `INVALID_INPUT`; an error the source throws
 * propagates.
 *
 * @example
 * const r = await measureFunnel(store.streamJourneys(), { reading: 'cohort', from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['channel'] }, now);
 * if (r.ok) r.value.total.stages.map((s) => s.count) // [120, 60, 30, 24, 9]
 */
export async function measureFunnel(
  journeys: MetricSource<LeadJourney>,
  query: FunnelQueryInput,
  now: Date | string,
): Promise<Result<FunnelReport, CrmError>> {
  const door = metricDoor(funnelQuerySchema, query, now);
  if (!door.ok) return door;
  const { reading, from, to, zone, weekStartsOn, groupBy, teams, onInvalid } = door.value.query;
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const nowMs = door.value.now;
  const groups = new Grouping(groupBy, teamsOf(teams), zone, weekStartsOn);
  const figures = new FunnelFigures();
  const j = new JourneyReader(nowMs);
  const records = await streamRecords(journeys, 'journeys', onInvalid, (journey) => {
    const bad = j.read(journey);
    if (bad !== null) return bad;
    // every journey's group values are read (a bad one is refused wherever it falls); a group is opened only for what is counted
    const badGroup = groups.read(j.lead, ['lead']);
    if (badGroup !== null) return badGroup;
    if (j.created > nowMs) return 'outside';
    if (reading === 'cohort') {
      if (j.created < fromMs || j.created >= toMs) return 'outside';
      if (j.voided) return 'excluded';
      const g = groups.at(j.created);
      for (let s = 0; s < STAGE_COUNT && j.reach[s] === j.reach[s]; s++) figures.count(g, j, s);
      return 'counted';
    }
    let inWindow = false;
    for (let s = 0; s < STAGE_COUNT && j.reach[s] === j.reach[s]; s++) {
      const t = j.reach[s]!;
      if (t >= fromMs && t < toMs) inWindow = true;
    }
    if (!inWindow) return 'outside';
    if (j.voided) return 'excluded';
    for (let s = 0; s < STAGE_COUNT && j.reach[s] === j.reach[s]; s++) {
      const t = j.reach[s]!;
      if (t >= fromMs && t < toMs) figures.count(groups.at(t), j, s);
    }
    return 'counted';
  });
  if (!records.ok) return records;
  const report: FunnelReport = {
    reading,
    ...reportHead(fromMs, toMs, nowMs, zone, groupBy as readonly GroupDimension[]),
    weekStartsOn,
    rows: Object.freeze(groups.groups().map((g) => figures.row(g.group, g.index))),
    total: figures.row([], 'total'),
    records: deepFreeze(records.value),
  };
  return ok(Object.freeze(report));
}
