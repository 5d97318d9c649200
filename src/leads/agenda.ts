import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { startOfZonedDay, startOfZonedDayAfter, zonedDateKey } from '../core/time.js';
import { invalidAt, zoned } from '../core/boundary.js';
import { deepFreeze, idSchema, instantSchema, parseInput, parseIterable, timeZoneSchema } from '../core/validation.js';
import { parseLead } from './lifecycle.js';
import type { Lead } from './model.js';

/**
 * One salesperson's follow-up agenda for a day, in 简道云's order: high-quality leads, then
 * first contacts owed, then re-follow-ups set for today (overdue included), then the rest.
 */

/** The agenda's buckets, in the order they are worked. */
export const AGENDA_BUCKET_KINDS = Object.freeze(['highQuality', 'dueToday', 'refollowToday', 'rest'] as const);
/** A bucket of the agenda. */
export type AgendaBucketKind = (typeof AGENDA_BUCKET_KINDS)[number];

/**
 * Why a lead is where it is: high quality; never followed up (first contact owed); a
 * re-follow-up set for today, or for an earlier day and still owed; or simply in progress.
 */
export type AgendaReason = 'highQuality' | 'firstContactOwed' | 'refollowToday' | 'refollowOverdue' | 'inProgress';

/** One line of the agenda. */
export interface AgendaEntry {
  readonly leadId: string;
  readonly why: AgendaReason;
  /** The re-follow-up the salesperson set, if any. */
  readonly nextFollowUpAt: Date | null;
}

/** One bucket, its entries in a deterministic order. */
export interface AgendaBucket {
  readonly kind: AgendaBucketKind;
  readonly entries: readonly AgendaEntry[];
}

/** The agenda of one salesperson for the calendar day `date` (`YYYY-MM-DD` in the zone). */
export interface FollowUpAgenda {
  readonly date: string;
  readonly buckets: readonly AgendaBucket[];
}

/** Whose agenda, when, and in which time zone "today" is counted. */
export interface AgendaOptions {
  readonly userId: string;
  readonly now: Date | string;
  readonly zone: string;
}

/**
 * The schema of agenda options.
 *
 * @example
 * agendaOptionsSchema.parse({ userId: 'u1', now: '2026-05-06T01:00:00Z', zone: 'Asia/Shanghai' })
 */
export const agendaOptionsSchema = z.object({ userId: idSchema, now: instantSchema, zone: timeZoneSchema }).strict();

interface Placed {
  readonly lead: Lead;
  readonly bucket: number;
  readonly why: AgendaReason;
}

function place(lead: Lead, startOfToday: number, endOfToday: number): Placed {
  if (lead.quality === 'high') return { lead, bucket: 0, why: 'highQuality' };
  if (lead.status === 'pending') return { lead, bucket: 1, why: 'firstContactOwed' };
  const next = lead.nextFollowUpAt?.getTime();
  if (next !== undefined && next <= endOfToday) {
    return { lead, bucket: 2, why: next < startOfToday ? 'refollowOverdue' : 'refollowToday' };
  }
  return { lead, bucket: 3, why: 'inProgress' };
}

/** nextFollowUpAt (earliest first, none last), then last contact (or creation), then id. */
function compare(a: Lead, b: Lead): number {
  const an = a.nextFollowUpAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bn = b.nextFollowUpAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (an !== bn) return an < bn ? -1 : 1;
  const al = (a.lastFollowUpAt ?? a.createdAt).getTime();
  const bl = (b.lastFollowUpAt ?? b.createdAt).getTime();
  if (al !== bl) return al < bl ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Builds a salesperson's follow-up agenda for the calendar day of `now` in `zone`. Only leads
 * the user owns in status pending or following are listed, each once, in the first bucket it
 * matches: `highQuality` (quality high), `dueToday` (pending: never followed up), then
 * `refollowToday` (a re-follow-up set for today or earlier), then `rest`. Within a bucket:
 * by next follow-up (none last), then the last contact (or creation) oldest first, then id.
 * Every lead is validated; invalid input or a repeated lead id is `INVALID_INPUT`, and so is a
 * day that starts or ends outside the supported instants (0001-01-01 … 9999-12-31 UTC: e.g.
 * `now` on 9999-12-31 in a zone behind UTC, whose day ends in year 10000), at `options.now`.
 *
 * @example
 * buildFollowUpAgenda(myLeads, { userId: 'u1', now: '2026-05-06T01:00:00Z', zone: 'Asia/Shanghai' })
 * // ok: { date: '2026-05-06', buckets: [{ kind: 'highQuality', entries: [...] }, { kind: 'dueToday', ... }, ...] }
 */
export function buildFollowUpAgenda(leads: Iterable<Lead>, options: AgendaOptions): Result<FollowUpAgenda, CrmError> {
  const opts = parseInput(agendaOptionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const { userId, now, zone } = opts.value;
  // The day's first and last instants are instants too: a day that starts or ends outside the
  // supported range (0001-01-01 … 9999-12-31 UTC) is refused, never counted with instants no
  // door accepts.
  const day = zoned(['options', 'now'], () => ({
    date: zonedDateKey(now, zone),
    startOfToday: startOfZonedDay(now, zone),
    endOfToday: new Date(startOfZonedDayAfter(now, 1, zone).getTime() - 1),
  }));
  if (!day.ok) return day;
  const date = day.value.date;
  const startOfToday = day.value.startOfToday.getTime();
  const endOfToday = day.value.endOfToday.getTime();

  const list = parseIterable(leads, ['leads']);
  if (!list.ok) return list;
  const seen = new Set<string>();
  const buckets: Lead[][] = AGENDA_BUCKET_KINDS.map(() => []);
  const why = new Map<string, AgendaReason>();
  let index = 0;
  for (const raw of list.value) {
    const parsed = parseLead(raw, ['leads', index]);
    if (!parsed.ok) return parsed;
    const lead = parsed.value;
    if (seen.has(lead.id)) {
      return invalidAt(['leads', index, 'id'], `lead id "${lead.id}" appears more than once`);
    }
    seen.add(lead.id);
    index += 1;
    if (lead.ownerId !== userId || (lead.status !== 'pending' && lead.status !== 'following')) continue;
    const placed = place(lead, startOfToday, endOfToday);
    buckets[placed.bucket]!.push(lead);
    why.set(lead.id, placed.why);
  }

  return ok(
    deepFreeze({
      date,
      buckets: AGENDA_BUCKET_KINDS.map((kind, i) => ({
        kind,
        entries: [...buckets[i]!]
          .sort(compare)
          .map((lead) => ({ leadId: lead.id, why: why.get(lead.id)!, nextFollowUpAt: lead.nextFollowUpAt === null ? null : new Date(lead.nextFollowUpAt.getTime()) })),
      })),
    }),
  );
}
