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
