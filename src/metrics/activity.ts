import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { zonedDaysIn } from '../core/time.js';
import { deepFreeze, idSchema, instantMs, instantSchema, isSafeText, nameSchema, parseInput, timeZoneSchema } from '../core/validation.js';
import { PERIOD_UNITS, WEEK_STARTS } from './calendar.js';
import { Grouping, teamsOf } from './groups.js';
import { rateOf, type GroupValue, type Rate } from './measures.js';
import type { GroupDimension, LeadJourney, MetricRecords, MetricScopeInput, MetricSource } from './model.js';
import { streamRecords, type Visit } from './source.js';

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
    from: instantSchema,
    to: instantSchema,
    zone: timeZoneSchema,
    weekStartsOn: z.enum(WEEK_STARTS).default('monday'),
    groupBy: z
      .array(z.union([z.enum(ACTIVITY_DIMENSIONS as [string, ...string[]]), z.templateLiteral(['attribute:', z.string()]).refine((d) => nameSchema.safeParse(d.slice('attribute:'.length)).success, { message: 'an attribute dimension is attribute:<name>, the name 1–100 characters of safe text (not __proto__)' })]))
      .max(8)
      .default([])
      .refine((ds) => new Set(ds).size === ds.length, { message: 'a dimension is listed twice' })
      .refine((ds) => ds.filter((d) => (PERIOD_UNITS as readonly string[]).includes(d)).length <= 1, { message: 'group by at most one period (day, week, month, quarter or year)' }),
    teams: z
      .array(z.object({ memberId: idSchema, teamId: idSchema }).strict())
      .max(100_000)
      .default([])
      .refine((ts) => new Set(ts.map((t) => t.memberId)).size === ts.length, { message: 'a member is listed in two teams' }),
    onInvalid: z.enum(['refuse', 'skip']).default('refuse'),
    followUpWithinDays: z.number().int().min(0).max(365).default(1),
    invitationChannels: z.array(nameSchema).max(50).default([...DEFAULT_INVITATION_CHANNELS]),
  })
  .strict()
  .refine((q) => q.from.getTime() < q.to.getTime(), { message: '`from` must be before `to`', path: ['to'] });

/**
 * One group's activity (跟进量, 邀约量, 签单量 and their rates), over the window:
 * - `followUps`: follow-ups logged (a follow-up, or the follow-up an MQL mark logs); `leadsFollowedUp`: the distinct leads they were on;
 * - `assigned`: leads given to an owner (created by them, assigned, claimed, or moved to them); `followedUpInTime`: of those, followed up by the end of `followUpWithinDays` calendar days after the day of the assignment;
 * - `invitations`: follow-ups by an invitation channel (a visit, a meeting); `leadsInvited`: the distinct leads invited;
 * - `converted`: leads converted (SQLs); `signed`: deals won (an `opportunity.closed` won on the lead's opportunity).
 *
 * The rates, each a `Rate` of two of those counts (four decimals, half up; null over 0):
 * **follow-ups per lead** = followUps / leadsFollowedUp; **follow-up rate** (跟进率) =
 * followedUpInTime / assigned; **invitation rate** (邀约率) = leadsInvited / leadsFollowedUp;
 * **signing rate** (签约率) = signed / leadsInvited; **SQL conversion rate** (SQL转化率) =
 * converted / leadsFollowedUp.
 */
export interface ActivityRow {
  readonly group: readonly GroupValue[];
  readonly followUps: number;
  readonly leadsFollowedUp: number;
  readonly assigned: number;
  readonly followedUpInTime: number;
  readonly invitations: number;
  readonly leadsInvited: number;
  readonly converted: number;
  readonly signed: number;
  readonly followUpsPerLead: Rate;
  readonly followUpRate: Rate;
  readonly invitationRate: Rate;
  readonly signingRate: Rate;
  readonly sqlConversionRate: Rate;
}

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

const COUNTS = ['followUps', 'leadsFollowedUp', 'assigned', 'followedUpInTime', 'invitations', 'leadsInvited', 'converted', 'signed'] as const;
type Count = (typeof COUNTS)[number];
const N = COUNTS.length;
const AT: Readonly<Record<Count, number>> = Object.freeze(Object.fromEntries(COUNTS.map((c, i) => [c, i])) as Record<Count, number>);

/** What an event is to the activity: who did it is read from it (or the lead's owner). */
const FOLLOW_UP = 1;
const ASSIGNMENT = 2;
const CONVERSION = 3;
const WIN = 4;
const KIND: ReadonlyMap<string, number> = new Map([
  ['lead.followedUp', FOLLOW_UP],
  ['lead.markedMql', FOLLOW_UP],
  ['lead.created', ASSIGNMENT],
  ['lead.assigned', ASSIGNMENT],
  ['lead.claimed', ASSIGNMENT],
  ['lead.ownerChanged', ASSIGNMENT],
  ['lead.converted', CONVERSION],
  ['opportunity.closed', WIN],
]);

const MAX_EVENTS = 1_000_000;
const MAX_ID = 200;
const INSTANT_MESSAGE = 'expected an instant from 0001 to 9999 (a Date or an ISO 8601 string with an offset)';

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID && isSafeText(v);

interface Activity {
  readonly kind: number;
  readonly t: number;
  /** Who it counts for: the follow-up's actor, the assignee, the lead's owner for a conversion or a win. */
  readonly rep: string | null;
  readonly invitation: boolean;
}

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

function rowOf(group: readonly GroupValue[], c: ArrayLike<number>, base: number): ActivityRow {
  const n = (k: Count) => c[base + AT[k]]!;
  return Object.freeze({
    group: Object.freeze([...group]),
    ...(Object.fromEntries(COUNTS.map((k) => [k, n(k)])) as Record<Count, number>),
    followUpsPerLead: rateOf(n('followUps'), n('leadsFollowedUp')),
    followUpRate: rateOf(n('followedUpInTime'), n('assigned')),
    invitationRate: rateOf(n('leadsInvited'), n('leadsFollowedUp')),
    signingRate: rateOf(n('signed'), n('leadsInvited')),
    sqlConversionRate: rateOf(n('converted'), n('leadsFollowedUp')),
  });
}

/**
 * The sales team's activity and the rates the seeds manage reps by (跟进量、邀约量、签单量、
 * 邀约率、签约率; 简道云's 跟进率 and SQL转化率; see `ActivityRow` for each definition and
 * formula), over a stream of lead journeys (each lead with its events and its opportunity's),
 * as the records stand at `now`. Each activity counts in the period it happened in and for its
 * rep — the actor of a follow-up (its `actorId`, else the lead's owner), the new owner of an
 * assignment, the lead's owner for a conversion or a win — so `owner` and `team` group by the
 * rep; `pool`, `channel` and attributes are the lead's. Streams; a journey that does not read
 * refuses the run (`INVALID_INPUT` at `journeys.<index>`) or is skipped with `onInvalid: 'skip'`.
 *
 * @example
 * const r = await measureActivity(journeys, { from, to, zone: 'Asia/Shanghai', groupBy: ['owner'] }, now);
 * if (r.ok) r.value.rows.map((row) => [row.group[0], row.followUpRate.value])
 */
export async function measureActivity(journeys: MetricSource<LeadJourney>, query: ActivityQueryInput, now: Date | string): Promise<Result<ActivityReport, CrmError>> {
  const q = parseInput(activityQuerySchema, query, ['query']);
  if (!q.ok) return q;
  const at = parseInput(instantSchema, now, ['now']);
  if (!at.ok) return at;
  const { from, to, zone, weekStartsOn, groupBy, teams, onInvalid, followUpWithinDays, invitationChannels } = q.value;
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const nowMs = at.value.getTime();
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
  const records = await streamRecords(journeys, 'journeys', onInvalid, (journey): Visit => {
    if (typeof journey !== 'object' || journey === null) return { path: [], message: 'expected a journey: { lead, events }' };
    const lead = (journey as Fields).lead;
    if (typeof lead !== 'object' || lead === null) return { path: ['lead'], message: 'expected a lead: { id, createdAt, ... }' };
    const owner = (lead as Fields).ownerId;
    if (owner !== undefined && owner !== null && !isId(owner)) return { path: ['lead', 'ownerId'], message: 'expected an id (1–200 characters of safe text) or null' };
    const leadOwner = (owner ?? null) as string | null;
    const events = (journey as Fields).events;
    const activities: Activity[] = [];
    if (events !== undefined && events !== null) {
      const length: unknown = Array.isArray(events) ? events.length : undefined;
      if (typeof length !== 'number' || !(length <= MAX_EVENTS)) return { path: ['events'], message: `expected an array of at most ${MAX_EVENTS} events` };
      for (let k = 0; k < length; k++) {
        const e: unknown = (events as readonly unknown[])[k];
        if (typeof e !== 'object' || e === null) return { path: ['events', k], message: 'expected an event: { type, at, data }' };
        const type = (e as Fields).type;
        if (typeof type !== 'string') return { path: ['events', k, 'type'], message: 'expected the event type, a string' };
        const kind = KIND.get(type);
        if (kind === undefined) continue;
        const t = instantMs((e as Fields).at);
        if (t !== t) return { path: ['events', k, 'at'], message: INSTANT_MESSAGE };
        if (t > nowMs) continue;
        const data = (e as Fields).data;
        if (typeof data !== 'object' || data === null) return { path: ['events', k, 'data'], message: 'expected the event data' };
        if (kind === FOLLOW_UP) {
          const actor = (e as Fields).actorId;
          const followUp = (data as Fields).followUp;
          const channel = typeof followUp === 'object' && followUp !== null ? (followUp as Fields).channel : undefined;
          activities.push({ kind, t, rep: isId(actor) ? actor : leadOwner, invitation: typeof channel === 'string' && invites.has(channel) });
        } else if (kind === ASSIGNMENT) {
          const to = (data as Fields)[type === 'lead.ownerChanged' ? 'ownerTo' : 'ownerId'];
          if (to === null || to === undefined) continue; // an import into a pool: nobody was given it
          if (!isId(to)) return { path: ['events', k, 'data', type === 'lead.ownerChanged' ? 'ownerTo' : 'ownerId'], message: 'expected an id (1–200 characters of safe text) or null' };
          activities.push({ kind, t, rep: to, invitation: false });
        } else if (kind === WIN) {
          const outcome = (data as Fields).outcome;
          if (typeof outcome !== 'string') return { path: ['events', k, 'data', 'outcome'], message: 'expected won, lost or invalid' };
          if (outcome === 'won') activities.push({ kind, t, rep: leadOwner, invitation: false });
        } else activities.push({ kind, t, rep: leadOwner, invitation: false });
      }
    }
    // the lead's own fields read once; each activity's group is its rep's view of the lead
    const snapshot = { poolId: (lead as Fields).poolId, channel: (lead as Fields).channel, attributes: (lead as Fields).attributes };
    const followedBy = new Set<number>();
    const invitedBy = new Set<number>();
    let counted = false;
    const followUpTimes = activities.filter((a) => a.kind === FOLLOW_UP).map((a) => a.t).sort((x, y) => x - y);
    let lastRep: string | null | undefined;
    for (const a of activities) {
      if (a.t < fromMs || a.t >= toMs) continue;
      if (a.rep !== lastRep) {
        const bad = groups.read({ ...snapshot, ownerId: a.rep }, ['lead']);
        if (bad !== null) return bad;
        lastRep = a.rep;
      }
      const g = groups.at(a.t);
      counted = true;
      const both = (k: Count) => {
        add(g, k);
        total[AT[k]]!++;
      };
      if (a.kind === FOLLOW_UP) {
        both('followUps');
        if (!followedBy.has(g)) {
          followedBy.add(g);
          add(g, 'leadsFollowedUp');
        }
        if (a.invitation) {
          both('invitations');
          if (!invitedBy.has(g)) {
            invitedBy.add(g);
            add(g, 'leadsInvited');
          }
        }
      } else if (a.kind === ASSIGNMENT) {
        both('assigned');
        const last = days.start(days.day(a.t) + followUpWithinDays + 1);
        const next = firstAtOrAfter(followUpTimes, a.t);
        if (next < followUpTimes.length && followUpTimes[next]! < last) both('followedUpInTime');
      } else if (a.kind === CONVERSION) both('converted');
      else both('signed');
    }
    if (followedBy.size > 0) total[AT.leadsFollowedUp]!++;
    if (invitedBy.size > 0) total[AT.leadsInvited]!++;
    return counted ? 'counted' : 'outside';
  });
  if (!records.ok) return records;
  return ok(
    Object.freeze({
      from: new Date(fromMs),
      to: new Date(toMs),
      asOf: new Date(nowMs),
      zone,
      dimensions: Object.freeze([...groupBy]) as readonly GroupDimension[],
      rows: Object.freeze(groups.groups().map((s) => rowOf(s.group, counts, s.index * N))),
      total: rowOf([], total, 0),
      records: deepFreeze(records.value),
    }),
  );
}
