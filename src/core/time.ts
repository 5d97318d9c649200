import { TZDate, tz } from '@date-fns/tz';
import { addDays, differenceInCalendarDays, format, startOfDay } from 'date-fns';

/**
 * Calendar-day arithmetic in an IANA time zone. Rules never read the clock: every function
 * takes its instants as arguments, and returns instants (`Date`).
 */

/**
 * Whole calendar days from `from` to `to` as seen on a wall calendar in `zone` (negative when
 * `to` is earlier). 23:59 and 00:01 the next day are 1 day apart; a DST day counts as one day.
 *
 * @example
 * // 2026-01-01T15:30Z is 23:30 in Shanghai, 2026-01-01T16:30Z is 00:30 the next day there
 * calendarDaysBetween(new Date('2026-01-01T15:30Z'), new Date('2026-01-01T16:30Z'), 'Asia/Shanghai') // 1
 */
export function calendarDaysBetween(from: Date, to: Date, zone: string): number {
  return differenceInCalendarDays(to, from, { in: tz(zone) });
}

/**
 * The instant `days` calendar days after `instant`, at the same wall-clock time in `zone`
 * (so across a DST change the elapsed hours are 23 or 25).
 *
 * @example
 * addCalendarDays(new Date('2026-03-07T17:00Z'), 1, 'America/New_York') // 2026-03-08T16:00Z (12:00 local both days)
 */
export function addCalendarDays(instant: Date, days: number, zone: string): Date {
  const moved = new Date(addDays(instant, days, { in: tz(zone) }).getTime());
  const target = startOfZonedDayAfter(instant, days, zone);
  // The wall-clock time may not exist on the target day (a DST gap late in the evening, when
  // the clock jumps past midnight): stay on that day, at its last instant.
  if (moved.getTime() >= startOfZonedDayAfter(target, 1, zone).getTime()) {
    return new Date(startOfZonedDayAfter(target, 1, zone).getTime() - 1);
  }
  return moved;
}

/**
 * The first instant of the calendar day containing `instant` in `zone`.
 *
 * @example
 * startOfZonedDay(new Date('2026-01-01T17:00Z'), 'Asia/Shanghai') // 2026-01-01T16:00Z (midnight Jan 2 in Shanghai)
 */
export function startOfZonedDay(instant: Date, zone: string): Date {
  return new Date(startOfDay(instant, { in: tz(zone) }).getTime());
}

/**
 * The first instant of the calendar day `days` days after the day containing `instant`, in
 * `zone`. Deadlines such as "back to the pool on day 15" use it.
 *
 * @example
 * startOfZonedDayAfter(new Date('2026-01-01T10:00Z'), 1, 'Asia/Shanghai') // 2026-01-01T16:00Z
 */
export function startOfZonedDayAfter(instant: Date, days: number, zone: string): Date {
  // Count on the calendar date, anchored at noon: no DST change happens at noon, so the
  // anchor always exists and lands on the intended day.
  const local = new TZDate(instant.getTime(), zone);
  const noon = new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + days, 12, 0, 0, 0, zone);
  return startOfZonedDay(noon, zone);
}

/**
 * The calendar date of `instant` in `zone`, as `YYYY-MM-DD`.
 *
 * @example
 * zonedDateKey(new Date('2026-01-01T16:30Z'), 'Asia/Shanghai') // '2026-01-02'
 */
export function zonedDateKey(instant: Date, zone: string): string {
  return format(instant, 'yyyy-MM-dd', { in: tz(zone) });
}

/** Whether two instants fall on the same calendar day in `zone`. */
export function isSameZonedDay(a: Date, b: Date, zone: string): boolean {
  return calendarDaysBetween(a, b, zone) === 0;
}

const DAY_MS = 86_400_000;
const MAX_REMEMBERED_DAYS = 50_000;
const HOUR_MS = 3_600_000;
/** Slots of the direct-mapped day caches (a power of two). */
const SLOTS = 4096;
const SLOT_MASK = SLOTS - 1;
/**
 * The day number (days since 1970-01-01) of a civil date `YYYY-MM-DD` (internal).
 *
 * @example
 * dayNumberOfKey('1970-01-02') // 1
 */
export function dayNumberOfKey(key: string): number {
  return Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, Number(key.slice(8, 10))) / DAY_MS;
}

/**
 * The civil date `YYYY-MM-DD` of a day number (internal; H. Hinnant's days-to-civil, without
 * building a Date).
 *
 * @example
 * keyOfDayNumber(1) // '1970-01-02'
 */
export function keyOfDayNumber(day: number): string {
  // days → civil date (H. Hinnant's algorithm), without building a Date and an ISO string
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/**
 * Calendar days in one zone, memoized: the day of an instant and the first instant of a day,
 * answered by the core time helpers (`startOfZonedDay`, `startOfZonedDayAfter`) on first sight
 * and from memory after, so a million records cost a few thousand zone look-ups, not millions.
 * Days are numbered as days since 1970-01-01 on the zone's wall calendar. Pure (a cache only).
 *
 * @internal Shared by the reclaim, reminder and payment rules; not part of the public door.
 * @example
 * const days = zonedDaysIn('Asia/Shanghai');
 * days.after(Date.parse('2026-05-01T10:00:00+08:00'), 15) // Date.parse('2026-05-16T00:00:00+08:00')
 */
export class ZonedDays {
  /** UTC day bucket → flat triples [start, end, day] of zoned days overlapping it. */
  private readonly spans = new Map<number, number[]>();
  /** Zoned day number → its first instant. */
  private readonly starts = new Map<number, number>();
  /** Direct-mapped front caches of the maps (NaN: empty): [start, end, day] and [day, start] per slot. */
  private readonly spanCache = new Float64Array(SLOTS * 3).fill(Number.NaN);
  private readonly startCache = new Float64Array(SLOTS * 2).fill(Number.NaN);
  private refInstant = Number.NaN;
  private refDay = Number.NaN;

  constructor(readonly zone: string) {}

  /** The zoned day number of the instant `t` (ms). */
  day(t: number): number {
    // The front cache: a slot per UTC hour (direct-mapped), holding a zoned day [start, end)
    // seen in that hour; the range check alone says whether it answers for `t`.
    const slot = (Math.floor(t / HOUR_MS) & SLOT_MASK) * 3;
    const spanCache = this.spanCache;
    if (t >= spanCache[slot]! && t < spanCache[slot + 1]!) return spanCache[slot + 2]!;
    const bucket = Math.floor(t / DAY_MS);
    const spans = this.spans.get(bucket);
    if (spans !== undefined) {
      for (let i = 0; i < spans.length; i += 3) {
        if (t >= spans[i]! && t < spans[i + 1]!) {
          spanCache[slot] = spans[i]!;
          spanCache[slot + 1] = spans[i + 1]!;
          return (spanCache[slot + 2] = spans[i + 2]!);
        }
      }
    }
    return this.learn(t);
  }

  /** The first instant (ms) of zoned day `day`. */
  start(day: number): number {
    const slot = (day & SLOT_MASK) * 2;
    const startCache = this.startCache;
    if (startCache[slot] === day) return startCache[slot + 1]!;
    let known = this.starts.get(day);
    if (known === undefined) {
      // No day learned yet: learn the one around noon UTC of that civil date (±1 day in any zone).
      if (Number.isNaN(this.refDay)) this.day(day * DAY_MS + DAY_MS / 2);
      known = startOfZonedDayAfter(new Date(this.refInstant), day - this.refDay, this.zone).getTime();
      this.starts.set(day, known);
    }
    startCache[slot] = day;
    startCache[slot + 1] = known;
    return known;
  }

  /** `startOfZonedDayAfter(t, n, zone)`, in ms. */
  after(t: number, n: number): number {
    return this.start(this.day(t) + n);
  }

  private learn(t: number): number {
    if (!Number.isFinite(t)) throw new RangeError('ZonedDays: not a valid instant');
    if (this.starts.size > MAX_REMEMBERED_DAYS) {
      this.spans.clear();
      this.starts.clear();
    }
    const at = new Date(t);
    const start = startOfZonedDay(at, this.zone).getTime();
    const end = startOfZonedDayAfter(at, 1, this.zone).getTime();
    if (!(start <= t && t < end)) throw new RangeError(`ZonedDays: ${at.toISOString()} is outside the supported range in ${this.zone}`);
    const local = new TZDate(t, this.zone);
    const civil = new Date(0);
    civil.setUTCFullYear(local.getFullYear(), local.getMonth(), local.getDate());
    // A UTC midnight: a whole number of days since the epoch, exactly.
    const day = civil.getTime() / DAY_MS;
    for (let b = Math.floor(start / DAY_MS); b <= Math.floor((end - 1) / DAY_MS); b++) {
      const spans = this.spans.get(b);
      if (spans === undefined) this.spans.set(b, [start, end, day]);
      else spans.push(start, end, day);
    }
    this.starts.set(day, start);
    this.starts.set(day + 1, end);
    this.refInstant = t;
    this.refDay = day;
    return day;
  }
}

const zonedDaysByZone = new Map<string, ZonedDays>();

/**
 * The shared `ZonedDays` of a zone (one per zone, kept for the process: a memo, never state).
 *
 * @internal
 * @example
 * zonedDaysIn('America/New_York').day(Date.parse('2026-03-08T12:00:00-04:00'))
 */
export function zonedDaysIn(zone: string): ZonedDays {
  let days = zonedDaysByZone.get(zone);
  if (days === undefined) {
    if (zonedDaysByZone.size > 1_000) zonedDaysByZone.clear();
    days = new ZonedDays(zone);
    zonedDaysByZone.set(zone, days);
  }
  return days;
}

