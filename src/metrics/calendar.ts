import { civilOfDay, daysFromCivil } from '../core/civil.js';
import { periodLabelOfDay, zonedDaysIn, type ZonedDays } from '../core/time.js';

/** The periods a metric groups by, on the tenant's wall calendar. */
export const PERIOD_UNITS = Object.freeze(['day', 'week', 'month', 'quarter', 'year'] as const);
/** A period unit. */
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

/** The day a week starts on: Monday (China, ISO 8601) or Sunday (the US). */
export const WEEK_STARTS = Object.freeze(['monday', 'sunday'] as const);
/** The day a week starts on. */
export type WeekStart = (typeof WEEK_STARTS)[number];

/** A period's label (see `periodLabelOfDay`): `2026-03-09` (a day; a week by its first day), `2026-03`, `2026-Q1`, `2026`. */
const labelOf = (unit: PeriodUnit, first: number): string => periodLabelOfDay(unit, first);

/** The first day (day number) of the period of `unit` holding day `day`. */
export function periodFirstDay(unit: PeriodUnit, weekStart: WeekStart, day: number): number {
  switch (unit) {
    case 'day':
      return day;
    case 'week': {
      // 1970-01-01 was a Thursday: (day + 4) mod 7 is 0 on Sundays
      const dow = (((day + 4) % 7) + 7) % 7;
      return day - (weekStart === 'sunday' ? dow : (dow + 6) % 7);
    }
    case 'month': {
      const c = civilOfDay(day);
      return daysFromCivil(c.year, c.month, 1);
    }
    case 'quarter': {
      const c = civilOfDay(day);
      return daysFromCivil(c.year, c.month - ((c.month - 1) % 3), 1);
    }
    case 'year':
      return daysFromCivil(civilOfDay(day).year, 1, 1);
  }
}

/** Slots of a calendar's direct-mapped cache of period first days (a power of two). */
const FIRST_SLOTS = 4096;

/**
 * The periods of one unit on one zone's wall calendar, memoized: the label of an instant's
 * period in a few nanoseconds after the first sight of its day (a million events cost a few
 * thousand calendar look-ups). Pure: the caches are memos.
 *
 * @internal
 * @example
 * new PeriodCalendar('Asia/Shanghai', 'month', 'monday').label(Date.parse('2026-03-31T16:30:00Z')) // '2026-04'
 */
export class PeriodCalendar {
  private readonly days: ZonedDays;
  /** A direct-mapped cache: per slot (day mod 4096), a day and the first day of its period (NaN: empty). */
  private readonly firsts = new Float64Array(FIRST_SLOTS * 2).fill(Number.NaN);

  constructor(
    readonly zone: string,
    readonly unit: PeriodUnit,
    readonly weekStart: WeekStart,
  ) {
    this.days = zonedDaysIn(zone);
  }

  /** The first day (zoned day number) of the period holding instant `t` (ms). */
  first(t: number): number {
    const day = this.days.day(t);
    const slot = (day & (FIRST_SLOTS - 1)) * 2;
    const firsts = this.firsts;
    if (firsts[slot] === day) return firsts[slot + 1]!;
    const first = periodFirstDay(this.unit, this.weekStart, day);
    firsts[slot] = day;
    firsts[slot + 1] = first;
    return first;
  }

  /** The label of the period whose first day is `first`. */
  labelOfFirst(first: number): string {
    return labelOf(this.unit, first);
  }

  /** The label of the period holding instant `t` (ms). */
  label(t: number): string {
    return labelOf(this.unit, this.first(t));
  }
}
