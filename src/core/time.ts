import { InvariantError } from './errors.js';
import { timeOf } from './foreign.js';
import { isValidTimeZone } from './validation.js';
import { civilOfDay, daysFromCivil } from './civil.js';

/**
 * Calendar-day arithmetic in an IANA time zone. Rules never read the clock: every function
 * takes its instants as arguments, and returns instants (`Date`).
 *
 * The zone's offset at an instant comes from the runtime's time zone data (`Intl`), to the
 * second (old local mean times such as Shanghai's +08:05:43 included), and the calendar is the
 * proleptic Gregorian one with astronomical years (year 0 is 1 BC), so every valid `Date` —
 * every instant `instantSchema` accepts (years 0001–9999 UTC, which are years 0–10000 on some
 * wall calendars) and beyond — has a day, a start of day and a key. The functions take `Date`s a schema produced
 * and a zone `isValidTimeZone` accepts; anything else (an Invalid Date, a Date-like object, an
 * unknown zone, a fractional day count) is a caller's bug and throws `InvariantError`, as does
 * a result past JavaScript's date range (±275,760 years).
 */

const DAY_MS = 86_400_000;
/** JavaScript's date range: |t| ≤ 8.64e15 ms. */
const MAX_TIME = 8.64e15;
/** Day numbers of that range, and a day more on each side (a wall calendar runs up to 16 h off UTC). */
const MAX_DAY = 100_000_001;
/** Every offset in the time zone data is within ±16 h (Manila's −15:56:08 before 1845 is the widest). */
const MAX_OFFSET_MS = 17 * 3_600_000;
/** Offsets are remembered per 15-minute bucket (no zone changes its offset twice in 15 minutes). */
const BUCKET_MS = 900_000;
const MAX_REMEMBERED_BUCKETS = 200_000;

const OFFSET_PATTERN = /GMT(?:([+\-\u2212])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?\s*$/;

/** A zone's UTC offsets, read from `Intl` and remembered per 15-minute bucket (a memo). */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  /** Bucket → the offset (ms) throughout it, or NaN when it changes inside the bucket. */
  private readonly byBucket = new Map<number, number>();

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', timeZoneName: 'longOffset' });
  }

  /** The offset (ms, local − UTC) at instant t. */
  at(t: number): number {
    const bucket = Math.floor(t / BUCKET_MS);
    const known = this.byBucket.get(bucket);
    if (known !== undefined) return known === known ? known : this.exact(t);
    if (this.byBucket.size >= MAX_REMEMBERED_BUCKETS) this.byBucket.clear();
    const first = this.exact(bucket * BUCKET_MS);
    const last = this.exact(bucket * BUCKET_MS + BUCKET_MS - 1);
    this.byBucket.set(bucket, first === last ? first : Number.NaN);
    return first === last ? first : this.exact(t);
  }

  private exact(t: number): number {
    const clamped = t > MAX_TIME ? MAX_TIME : t < -MAX_TIME ? -MAX_TIME : t;
    const m = OFFSET_PATTERN.exec(this.format.format(clamped));
    if (m === null) throw new InvariantError(`Cannot read the UTC offset of ${this.zone} from the runtime`);
    if (m[1] === undefined) return 0;
    const ms = ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
    return m[1] === '+' ? ms : -ms;
  }
}

const offsetsByZone = new Map<string, ZoneOffsets>();

function offsetsOf(zone: string): ZoneOffsets {
  let offsets = offsetsByZone.get(zone);
  if (offsets === undefined) {
    if (offsetsByZone.size > 1_000) offsetsByZone.clear();
    offsets = new ZoneOffsets(zone);
    offsetsByZone.set(zone, offsets);
  }
  return offsets;
}

/** The zoned day number (days since 1970-01-01 on the zone's wall calendar) of instant t. */
function dayIn(offsets: ZoneOffsets, t: number): number {
  return Math.floor((t + offsets.at(t)) / DAY_MS);
}

/**
 * The instants u = wall − o (o an offset in force near there) whose wall clock reads exactly
 * `wall`, earliest first; when none does (the wall time falls in a DST gap), the instant the
 * offset in force before the gap gives (so the clock reads `wall` + the gap's length).
 */
function instantsAtWall(offsets: ZoneOffsets, wall: number): { exact: number | undefined; moved: number } {
  const before = offsets.at(wall - MAX_OFFSET_MS);
  const after = offsets.at(wall + MAX_OFFSET_MS);
  const middle = offsets.at(wall - before);
  let exact: number | undefined;
  for (const o of [before, middle, after]) {
    const u = wall - o;
    if (offsets.at(u) === o && (exact === undefined || u < exact)) exact = u;
  }
  return { exact, moved: wall - before };
}

/** The first instant (ms) of zoned day `day` (a whole day in JavaScript's date range, else `InvariantError`). */
function startOfDayIn(offsets: ZoneOffsets, day: number): number {
  if (!(day >= -MAX_DAY && day <= MAX_DAY)) throw new InvariantError('the day is outside the range of JavaScript dates');
  const midnight = day * DAY_MS;
  const { exact } = instantsAtWall(offsets, midnight);
  if (exact !== undefined && dayIn(offsets, exact - 1) < day) return exact;
  // Midnight falls in a DST gap (or is the second pass of a fold): the day begins at the first
  // instant whose wall clock is on that day — found by bisection between an instant surely
  // before it and one surely on or after it.
  let lo = midnight - MAX_OFFSET_MS; // its wall clock is on an earlier day
  let hi = exact ?? midnight + MAX_OFFSET_MS;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (dayIn(offsets, mid) < day) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The instant the wall clock of `zone` reads `minutes` (0–1440) past the start of zoned day
 * `day`: the earlier one when it reads it twice (a fold), and when it never does (a DST gap),
 * the instant the offset before the gap gives — so 02:30 on a spring-forward night is 03:30
 * (internal; an unknown zone throws `InvariantError`).
 *
 * @internal
 * @example
 * instantAtWall('Asia/Shanghai', dayNumberOfKey('2026-03-23'), 9 * 60) // Date.parse('2026-03-23T09:00:00+08:00')
 */
export function instantAtWall(zone: string, day: number, minutes: number): number {
  const offsets = zoneArg(zone);
  if (!(day >= -MAX_DAY && day <= MAX_DAY) || !(minutes >= 0 && minutes <= 1440)) throw new InvariantError('instantAtWall: not a day and a time of day');
  const { exact, moved } = instantsAtWall(offsets, day * DAY_MS + minutes * 60_000);
  return exact ?? moved;
}

/**
 * The UTC offset (ms, wall − UTC) of `zone` at instant `t` ms (internal; an unknown zone throws
 * `InvariantError`).
 *
 * @internal
 * @example
 * zoneOffsetAt('Asia/Shanghai', 0) // 28_800_000
 */
export function zoneOffsetAt(zone: string, t: number): number {
  return zoneArg(zone).at(t);
}

/**
 * The ISO weekday (1 Monday … 7 Sunday) of zoned day number `day` (internal).
 *
 * @internal
 * @example
 * isoWeekdayOfDay(0) // 4: 1970-01-01 was a Thursday
 */
export function isoWeekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function instantArg(value: unknown, name: string): number {
  const t = timeOf(value);
  if (t === undefined || t !== t) throw new InvariantError(`${name} must be a valid Date (parse it with instantSchema)`);
  return t;
}

function zoneArg(zone: unknown): ZoneOffsets {
  if (!isValidTimeZone(zone as string)) throw new InvariantError(`Unknown time zone ${typeof zone === 'string' ? zone.slice(0, 64) : typeof zone} (parse it with timeZoneSchema)`);
  return offsetsOf(zone as string);
}

function daysArg(days: unknown): number {
  if (!Number.isSafeInteger(days)) throw new InvariantError('a number of days must be a whole number');
  return (days as number) + 0;
}

function dateResult(t: number): Date {
  if (!(t >= -MAX_TIME && t <= MAX_TIME)) throw new InvariantError('the result is outside the range of JavaScript dates');
  return new Date(t);
}

/**
 * Whole calendar days from `from` to `to` as seen on a wall calendar in `zone` (negative when
 * `to` is earlier). 23:59 and 00:01 the next day are 1 day apart; a DST day counts as one day.
 *
 * @throws {InvariantError} when an instant is not a valid `Date` from `instantSchema` or the
 *   zone is not one `isValidTimeZone` knows: a bug in the caller, never a verdict on data.
 *
 * @example
 * // 2026-01-01T15:30Z is 23:30 in Shanghai, 2026-01-01T16:30Z is 00:30 the next day there
 * calendarDaysBetween(new Date('2026-01-01T15:30Z'), new Date('2026-01-01T16:30Z'), 'Asia/Shanghai') // 1
 */
export function calendarDaysBetween(from: Date, to: Date, zone: string): number {
  const a = instantArg(from, 'from');
  const b = instantArg(to, 'to');
  const offsets = zoneArg(zone);
  return dayIn(offsets, b) - dayIn(offsets, a) + 0;
}

/**
 * The instant `days` calendar days after `instant`, at the same wall-clock time in `zone`
 * (so across a DST change the elapsed hours are 23 or 25). A wall-clock time that occurs
 * twice on the target day (a fold) gives the earlier instant; one that does not exist (a gap)
 * moves forward by the gap's length — and if that leaves the target day (a gap late in the
 * evening, when the clock jumps past midnight), the result is the target day's last instant.
 *
 * @throws {InvariantError} when an instant is not a valid `Date` from `instantSchema` or the
 *   zone is not one `isValidTimeZone` knows: a bug in the caller, never a verdict on data.
 *
 * @example
 * addCalendarDays(new Date('2026-03-07T17:00Z'), 1, 'America/New_York') // 2026-03-08T16:00Z (12:00 local both days)
 */
export function addCalendarDays(instant: Date, days: number, zone: string): Date {
  const t = instantArg(instant, 'instant');
  const n = daysArg(days);
  const offsets = zoneArg(zone);
  const wall = t + offsets.at(t);
  const day = Math.floor(wall / DAY_MS);
  const target = day + n;
  if (!(target >= -MAX_DAY && target <= MAX_DAY)) throw new InvariantError('the result is outside the range of JavaScript dates');
  const { exact, moved } = instantsAtWall(offsets, target * DAY_MS + (wall - day * DAY_MS));
  let u = exact ?? moved;
  if (dayIn(offsets, u) > target) u = startOfDayIn(offsets, target + 1) - 1;
  return dateResult(u);
}

/**
 * The first instant of the calendar day containing `instant` in `zone`.
 *
 * @throws {InvariantError} when an instant is not a valid `Date` from `instantSchema` or the
 *   zone is not one `isValidTimeZone` knows: a bug in the caller, never a verdict on data.
 *
 * @example
 * startOfZonedDay(new Date('2026-01-01T17:00Z'), 'Asia/Shanghai') // 2026-01-01T16:00Z (midnight Jan 2 in Shanghai)
 */
export function startOfZonedDay(instant: Date, zone: string): Date {
  const t = instantArg(instant, 'instant');
  const offsets = zoneArg(zone);
  return dateResult(startOfDayIn(offsets, dayIn(offsets, t)));
}

/**
 * The first instant of the calendar day `days` days after the day containing `instant`, in
 * `zone`. Deadlines such as "back to the pool on day 15" use it.
 *
 * @throws {InvariantError} when an instant is not a valid `Date` from `instantSchema` or the
 *   zone is not one `isValidTimeZone` knows: a bug in the caller, never a verdict on data.
 *
 * @example
 * startOfZonedDayAfter(new Date('2026-01-01T10:00Z'), 1, 'Asia/Shanghai') // 2026-01-01T16:00Z
 */
export function startOfZonedDayAfter(instant: Date, days: number, zone: string): Date {
  const t = instantArg(instant, 'instant');
  const n = daysArg(days);
  const offsets = zoneArg(zone);
  return dateResult(startOfDayIn(offsets, dayIn(offsets, t) + n));
}

/**
 * The calendar date of `instant` in `zone`, as `YYYY-MM-DD` (astronomical years: year 0 is
 * `0000`, year 10000 is `10000`).
 *
 * @throws {InvariantError} when an instant is not a valid `Date` from `instantSchema` or the
 *   zone is not one `isValidTimeZone` knows: a bug in the caller, never a verdict on data.
 *
 * @example
 * zonedDateKey(new Date('2026-01-01T16:30Z'), 'Asia/Shanghai') // '2026-01-02'
 */
export function zonedDateKey(instant: Date, zone: string): string {
  const t = instantArg(instant, 'instant');
  return keyOfDayNumber(dayIn(zoneArg(zone), t));
}

/**
 * Whether two instants fall on the same calendar day in `zone`.
 *
 * @throws {InvariantError} when an instant is not a valid `Date` from `instantSchema` or the
 *   zone is not one `isValidTimeZone` knows: a bug in the caller, never a verdict on data.
 *
 * @example
 * isSameZonedDay(new Date('2026-01-01T15:30Z'), new Date('2026-01-01T16:30Z'), 'Asia/Shanghai') // false
 */
export function isSameZonedDay(a: Date, b: Date, zone: string): boolean {
  return calendarDaysBetween(a, b, zone) === 0;
}

const MAX_REMEMBERED_DAYS = 50_000;
const HOUR_MS = 3_600_000;
/** Slots of the direct-mapped day caches (a power of two). */
const SLOTS = 4096;
const SLOT_MASK = SLOTS - 1;
const KEY_PATTERN = /^(-?\d{4,6})-(\d{2})-(\d{2})$/;


/**
 * The day number (days since 1970-01-01) of a civil date `YYYY-MM-DD` (astronomical years of
 * four to six digits, `-` before a year below 0, as `keyOfDayNumber` writes them), or NaN for
 * anything else — another format, a date that does not exist (`2026-02-30`), a value
 * that is not a string (internal; never throws).
 *
 * @example
 * dayNumberOfKey('1970-01-02') // 1
 * dayNumberOfKey('2026-02-30') // NaN
 */
export function dayNumberOfKey(key: string): number {
  if (typeof key !== 'string') return Number.NaN;
  const m = KEY_PATTERN.exec(key);
  if (m === null) return Number.NaN;
  const y = Number(m[1]) + 0;
  const month = Number(m[2]);
  const d = Number(m[3]);
  if (month < 1 || month > 12 || d < 1) return Number.NaN;
  const day = daysFromCivil(y, month, d);
  // a day past the month's end lands in the next month: compare with the next month's first day
  if (day >= daysFromCivil(month === 12 ? y + 1 : y, month === 12 ? 1 : month + 1, 1)) return Number.NaN;
  return day;
}

/**
 * The civil date `YYYY-MM-DD` of a day number (internal; H. Hinnant's days-to-civil, without
 * building a Date), with astronomical years: padded to four digits, `-` before a year below 0
 * (year 0 is 1 BC), five or six digits from year 10000. A day that is not a whole number in
 * JavaScript's date range throws `InvariantError`.
 *
 * @example
 * keyOfDayNumber(1) // '1970-01-02'
 */
export function keyOfDayNumber(day: number): string {
  if (!Number.isSafeInteger(day) || day < -MAX_DAY || day > MAX_DAY) {
    throw new InvariantError('keyOfDayNumber: not a whole day number in the range of JavaScript dates');
  }
  const { year: y, month: m, day: d } = civilOfDay(day);
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : y < 1000 ? String(y).padStart(4, '0') : String(y);
  return `${year}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}


/**
 * The label of a period given its first day (a day number): `2026-03-09` for a day (and a
 * week, by its first day), `2026-03` for a month, `2026-Q1` for a quarter, `2026` for a year.
 * Labels of one unit sort as their periods do (years 0–9999). The metrics and the SQL adapter
 * write every period label with it (internal).
 *
 * @internal
 * @example
 * periodLabelOfDay('quarter', dayNumberOfKey('2026-04-01')) // '2026-Q2'
 */
export function periodLabelOfDay(unit: 'day' | 'week' | 'month' | 'quarter' | 'year', first: number): string {
  const key = keyOfDayNumber(first);
  switch (unit) {
    case 'day':
    case 'week':
      return key;
    case 'month':
      return key.slice(0, -3);
    case 'quarter':
      return `${key.slice(0, -6)}-Q${Math.floor((civilOfDay(first).month - 1) / 3) + 1}`;
    case 'year':
      return key.slice(0, -6);
  }
}

/**
 * Calendar days in one zone, memoized: the day of an instant and the first instant of a day,
 * answered from the zone's offsets on first sight and from memory after, so a million records
 * cost a few thousand zone look-ups, not millions. Days are numbered as days since 1970-01-01
 * on the zone's wall calendar. Pure (a cache only). Instants must be finite (`InvariantError`
 * otherwise).
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
  private readonly offsets: ZoneOffsets;

  constructor(readonly zone: string) {
    this.offsets = zoneArg(zone);
  }

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
      if (!Number.isSafeInteger(day)) throw new InvariantError('ZonedDays: not a whole day number');
      known = startOfDayIn(this.offsets, day);
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
    if (!(t >= -MAX_TIME && t <= MAX_TIME)) throw new InvariantError('ZonedDays: not a valid instant');
    if (this.starts.size > MAX_REMEMBERED_DAYS) {
      this.spans.clear();
      this.starts.clear();
    }
    const day = dayIn(this.offsets, t);
    const start = startOfDayIn(this.offsets, day);
    const end = startOfDayIn(this.offsets, day + 1);
    this.starts.set(day, start);
    this.starts.set(day + 1, end);
    // A day is remembered as the span [start, end) only when t lies in it (a fold that takes
    // the clock back across midnight makes a day's instants discontiguous: answer, don't cache).
    if (!(start <= t && t < end)) return day;
    for (let b = Math.floor(start / DAY_MS); b <= Math.floor((end - 1) / DAY_MS); b++) {
      const spans = this.spans.get(b);
      if (spans === undefined) this.spans.set(b, [start, end, day]);
      else spans.push(start, end, day);
    }
    return day;
  }
}

const zonedDaysByZone = new Map<string, ZonedDays>();

/**
 * The shared `ZonedDays` of a zone (one per zone, kept for the process: a memo, never state).
 * An unknown zone throws `InvariantError` (parse it with `timeZoneSchema` first).
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
