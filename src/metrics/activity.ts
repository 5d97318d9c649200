import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { zonedDaysIn } from '../core/time.js';
import { deepFreeze, idSchema, instantSchema, nameSchema, parseInput, timeZoneSchema } from '../core/validation.js';
import { PERIOD_UNITS, WEEK_STARTS } from './calendar.js';
import { Grouping, teamsOf } from './groups.js';
import { ACTIVITY_AT, ACTIVITY_COUNTS, activityRow, type ActivityCount, type ActivityRow } from '../core/activity-figures.js';
import { groupBySchema, scopeShape, windowInOrder, WINDOW_ORDER, type GroupDimension, type LeadJourney, type MetricRecords, type MetricScopeInput, type MetricSource } from './model.js';
import { streamRecords, type Visit } from './source.js';
import { metricDoor, reportHead } from '../core/measures.js';
import { FOLLOW_UP, JourneyReader, OWNER_GIVEN, OWNER_TAKEN, type JourneyActivity } from './journeys.js';

type Fields = Readonly<Record<string, unknown>>;

/** Follow-up channels (of `followUp`) that invite the customer: a visit, a meeting (邀约). */
export const DEFAULT_INVITATION_CHANNELS = Object.freeze(['visit', 'meeting'] as const);

/** An activity query, as a host writes it. */
export interface ActivityQueryInput extends MetricScopeInput {
  /** An assignment counts as followed up in time when a follow-up comes by the end of this many calendar days after its day (default 1: the same day or the next). */
  readonly followUpWithinDays?: number;
  /** The follow-up channels that are invitations (default visit and meeting). */
  readonly invitationChannels?: readonly string[];
}

const ACTIVITY_DIMENSIONS: readonly GroupDimension[] = ['owner', 'team', 'pool', 'channel', ...PERIOD_UNITS];

/**
 * An activity query at the door.
 *
 * @example
 * activityQuerySchema.parse({ from, to, zone: 'Asia/Shanghai', groupBy: ['owner', 'week'], followUpWithinDays: 2 })
 */
export const activityQuerySchema = z
  .object({
    ...scopeShape,
    groupBy: groupBySchema(ACTIVITY_DIMENSIONS, true),
    followUpWithinDays: z.number().int().min(0).max(365).default(1),
    invitationChannels: z.array(nameSchema).max(50).default([...DEFAULT_INVITATION_CHANNELS]),
  })
  .strict()
  .refine(windowInOrder, WINDOW_ORDER);

export type { ActivityRow };

/** Activity by group over a window. */
export interface ActivityReport {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  readonly zone: string;
  readonly dimensions: readonly GroupDimension[];
  readonly rows: readonly ActivityRow[];
  readonly total: ActivityRow;
  readonly records: MetricRecords;
}

const N = ACTIVITY_COUNTS.length;
const AT = ACTIVITY_AT;
type Count = ActivityCount;

/** A conversion and a win, beside the reader's activities (who they count for: the owner then). */
const CONVERSION = 10;
const WIN = 11;

/** The first index of sorted `times` at or after `t`. */
function firstAtOrAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The sales team's activity and the rates the seeds manage reps by (跟进量、邀约量、签单量、
 * 邀约率、签约率; 简道云's 跟进率 and SQL转化率; see `ActivityRow` for each definition and
 * formula), over a stream of lead journeys (each lead with its events and its opportunity's),
 * as the records stand at `now`. Each activity counts in the period it happened in and for its
 * rep: a follow-up for its actor (`actorId`), else for the lead's owner at that instant; an
 * assignment for the new owner; a conversion and a win for the owner at that instant. The owner
 * at an instant comes from the journey's owner events (created with an owner, assigned, claimed,
 * owner changed; returned, reclaimed and transferred take it away); a journey with none has its
 * stored owner throughout. The conversion and the win are the funnel's (`JourneyReader`): once
 * per lead, at the reach that stands (a win reopened since is not counted). An assignment whose
 * follow-up window has not yet passed at `now` and has no follow-up yet is pending: in neither
 * `assigned` nor `followedUpInTime`. A voided lead is left out (`records.excluded`). So `owner`
 * and `team` group by the rep; `pool`, `channel` and attributes are the lead's. Streams; a
 * journey that does not read refuses the run (`INVALID_INPUT` at `journeys.<index>`) or is
 * skipped with `onInvalid: 'skip'`; nothing of a refused or skipped journey is counted.
 *
 * @example
 * const r = await measureActivity(journeys, { from, to, zone: 'Asia/Shanghai', groupBy: ['owner'] }, now);
 * if (r.ok) r.value.rows.map((row) => [row.group[0], row.followUpRate.value])
 */
export async function measureActivity(journeys: MetricSource<LeadJourney>, query: ActivityQueryInput, now: Date | string): Promise<Result<ActivityReport, CrmError>> {
  const door = metricDoor(activityQuerySchema, query, now);
  if (!door.ok) return door;
  const { from, to, zone, weekStartsOn, groupBy, teams, onInvalid, followUpWithinDays, invitationChannels } = door.value.query;
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const nowMs = door.value.now;
  const invites = new Set<string>(invitationChannels);
  const days = zonedDaysIn(zone);
  const groups = new Grouping(groupBy as GroupDimension[], teamsOf(teams), zone, weekStartsOn);
  let counts = new Float64Array(N * 64);
  const total = new Float64Array(N);
  const add = (g: number, k: Count): void => {
    const i = g * N + AT[k];
    if (i >= counts.length) {
      let length = counts.length * 2;
      while (length <= i) length *= 2;
      const grown = new Float64Array(length);
      grown.set(counts);
      counts = grown;
    }
    counts[i]!++;
  };
  const bump = (g: number, k: Count): void => {
    add(g, k);
    total[AT[k]]!++;
  };
  const j = new JourneyReader(nowMs, true);
  const records = await streamRecords(journeys, 'journeys', onInvalid, (journey): Visit => {
    // read once: the lead, its events (the funnel's and the activities), its group values
    const bad = j.read(journey);
    if (bad !== null) return bad;
    const badGroup = groups.read(j.lead, ['lead']);
    if (badGroup !== null) return badGroup;
    if (j.voided) return 'excluded';
    // the activities in time order, with the conversion and the win as they stand (the funnel's rule)
    const timeline: JourneyActivity[] = [...j.activities];
    if (j.reach[2] === j.reach[2]) timeline.push({ kind: CONVERSION, t: j.reach[2]!, who: null, channel: null });
    if (j.reach[4] === j.reach[4]) timeline.push({ kind: WIN, t: j.reach[4]!, who: null, channel: null });
    timeline.sort((x, y) => x.t - y.t);
    const hasOwnerEvents = timeline.some((a) => a.kind === OWNER_GIVEN || a.kind === OWNER_TAKEN);
    const stored = (j.lead as Fields).ownerId;
    // the owner at each instant: from the owner events when there are any, else the stored owner
    let owner: string | null = hasOwnerEvents ? null : typeof stored === 'string' ? stored : null;
    const followUpTimes = timeline.filter((a) => a.kind === FOLLOW_UP).map((a) => a.t);
    const followedBy = new Set<number>();
    const invitedBy = new Set<number>();
    let counted = false;
    let credited: string | null | undefined;
    for (const a of timeline) {
      if (a.kind === OWNER_GIVEN) owner = a.who ?? owner;
      else if (a.kind === OWNER_TAKEN) owner = null;
      if (a.t < fromMs || a.t >= toMs) continue;
      if (a.kind === OWNER_TAKEN || (a.kind === OWNER_GIVEN && a.who === null)) continue;
      const rep = a.kind === FOLLOW_UP ? (a.who ?? owner) : a.kind === OWNER_GIVEN ? a.who : owner;
      let k: Count;
      if (a.kind === OWNER_GIVEN) {
        // judged once its window has passed, or once followed up: until then it is pending
        const last = days.start(days.day(a.t) + followUpWithinDays + 1);
        const next = firstAtOrAfter(followUpTimes, a.t);
        const inTime = next < followUpTimes.length && followUpTimes[next]! < last;
        if (!inTime && last > nowMs) continue;
        if (rep !== credited) groups.withOwner((credited = rep));
        const g = groups.at(a.t);
        bump(g, 'assigned');
        if (inTime) bump(g, 'followedUpInTime');
        counted = true;
        continue;
      }
      if (rep !== credited) groups.withOwner((credited = rep));
      const g = groups.at(a.t);
      counted = true;
      if (a.kind === FOLLOW_UP) {
        k = 'followUps';
        bump(g, k);
        if (!followedBy.has(g)) {
          followedBy.add(g);
          add(g, 'leadsFollowedUp');
        }
        if (a.channel !== null && invites.has(a.channel)) {
          bump(g, 'invitations');
          if (!invitedBy.has(g)) {
            invitedBy.add(g);
            add(g, 'leadsInvited');
          }
        }
      } else bump(g, a.kind === CONVERSION ? 'converted' : 'signed');
    }
    if (followedBy.size > 0) total[AT.leadsFollowedUp]!++;
    if (invitedBy.size > 0) total[AT.leadsInvited]!++;
    return counted ? 'counted' : 'outside';
  });
  if (!records.ok) return records;
  return ok(
    Object.freeze({
      ...reportHead(fromMs, toMs, nowMs, zone, groupBy as readonly GroupDimension[]),
      rows: Object.freeze(groups.groups().map((s) => activityRow(s.group, counts, s.index * N))),
      total: activityRow([], total, 0),
      records: deepFreeze(records.value),
    }),
  );
}
