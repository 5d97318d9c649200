import { z } from 'zod';
import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { startOfZonedDay, startOfZonedDayAfter, zonedDateKey } from '../core/time.js';
import { idSchema, instantSchema, parseInput, parseIterable, timeZoneSchema } from '../core/validation.js';
import { deepFreeze, zoned } from './boundary.js';
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

function place(lead: Lead, startOfToday: number, startOfTomorrow: number): Placed {
  if (lead.quality === 'high') return { lead, bucket: 0, why: 'highQuality' };
  if (lead.status === 'pending') return { lead, bucket: 1, why: 'firstContactOwed' };
  const next = lead.nextFollowUpAt?.getTime();
  if (next !== undefined && next < startOfTomorrow) {
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
 * Every lead is validated; invalid input or a repeated lead id is `INVALID_INPUT`.
 *
 * @example
 * buildFollowUpAgenda(myLeads, { userId: 'u1', now: '2026-05-06T01:00:00Z', zone: 'Asia/Shanghai' })
 * // ok: { date: '2026-05-06', buckets: [{ kind: 'highQuality', entries: [...] }, { kind: 'dueToday', ... }, ...] }
 */
export function buildFollowUpAgenda(leads: Iterable<Lead>, options: AgendaOptions): Result<FollowUpAgenda, CrmError> {
  const opts = parseInput(agendaOptionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const { userId, now, zone } = opts.value;
  const day = zoned(['options', 'now'], () => ({
    date: zonedDateKey(now, zone),
    startOfToday: startOfZonedDay(now, zone).getTime(),
    startOfTomorrow: startOfZonedDayAfter(now, 1, zone).getTime(),
  }));
  if (!day.ok) return day;
  const { date, startOfToday, startOfTomorrow } = day.value;
  if (!Number.isFinite(startOfToday) || !Number.isFinite(startOfTomorrow)) {
    return refuse('INVALID_INPUT', {
      issues: [{ path: ['options', 'now'], message: 'the instant is outside the range the calendar of the time zone can count in', code: 'custom' }],
      summary: 'options.now: the instant is outside the range the calendar of the time zone can count in',
    });
  }

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
      const message = `lead id "${lead.id}" appears more than once`;
      return refuse('INVALID_INPUT', { issues: [{ path: ['leads', index, 'id'], message, code: 'custom' }], summary: `leads.${index}.id: ${message}` });
    }
    seen.add(lead.id);
    index += 1;
    if (lead.ownerId !== userId || (lead.status !== 'pending' && lead.status !== 'following')) continue;
    const placed = place(lead, startOfToday, startOfTomorrow);
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
