import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addCalendarDays,
  calendarDaysBetween,
  isSameZonedDay,
  startOfZonedDay,
  startOfZonedDayAfter,
  zonedDateKey,
} from '../../src/core/index.js';
import { InvariantError, MAX_INSTANT_MS, MIN_INSTANT_MS } from '../../src/core/index.js';
import { ZonedDays, dayNumberOfKey, keyOfDayNumber, zonedDaysIn } from '../../src/core/time.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

describe('calendar days in a zone', () => {
  it('counts midnight in Shanghai, not in UTC', () => {
    const lateEvening = new Date('2026-01-01T15:30:00Z'); // 23:30 on Jan 1 in Shanghai
    const afterMidnight = new Date('2026-01-01T16:30:00Z'); // 00:30 on Jan 2 in Shanghai
    expect(calendarDaysBetween(lateEvening, afterMidnight, SH)).toBe(1);
    expect(calendarDaysBetween(lateEvening, afterMidnight, 'UTC')).toBe(0);
    expect(zonedDateKey(afterMidnight, SH)).toBe('2026-01-02');
    expect(zonedDateKey(afterMidnight, 'UTC')).toBe('2026-01-01');
    expect(isSameZonedDay(lateEvening, afterMidnight, 'UTC')).toBe(true);
    expect(isSameZonedDay(lateEvening, afterMidnight, SH)).toBe(false);
  });

  it('finds the start of the Shanghai day', () => {
    expect(startOfZonedDay(new Date('2026-01-01T17:00:00Z'), SH).toISOString()).toBe('2026-01-01T16:00:00.000Z');
    expect(startOfZonedDay(new Date('2026-01-01T15:59:59Z'), SH).toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(startOfZonedDayAfter(new Date('2026-01-01T10:00:00Z'), 15, SH).toISOString()).toBe('2026-01-15T16:00:00.000Z') // 00:00 on Jan 16 in Shanghai;
  });

  it('keeps the wall-clock time across the New York spring-forward day (23 hours)', () => {
    const noonBefore = new Date('2026-03-07T17:00:00Z'); // 12:00 EST
    const next = addCalendarDays(noonBefore, 1, NY);
    expect(next.toISOString()).toBe('2026-03-08T16:00:00.000Z'); // 12:00 EDT
    expect((next.getTime() - noonBefore.getTime()) / 3_600_000).toBe(23);
    expect(calendarDaysBetween(noonBefore, next, NY)).toBe(1);
  });

  it('counts the fall-back day as one day (25 hours)', () => {
    const start = startOfZonedDay(new Date('2026-11-01T12:00:00Z'), NY);
    const end = startOfZonedDayAfter(start, 1, NY);
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(25);
    expect(calendarDaysBetween(start, end, NY)).toBe(1);
    expect(calendarDaysBetween(start, new Date(end.getTime() - 1), NY)).toBe(0);
  });

  it('counts the day before a DST gap that swallows midnight (Scoresbysund, 2025-03-30)', () => {
    const z = 'America/Scoresbysund';
    const lateEvening = new Date('2025-03-31T00:00:00Z'); // 23:00 on Mar 30, local (UTC-1)
    expect(zonedDateKey(lateEvening, z)).toBe('2025-03-30');
    expect(zonedDateKey(startOfZonedDayAfter(lateEvening, -1, z), z)).toBe('2025-03-29');
    expect(calendarDaysBetween(lateEvening, addCalendarDays(lateEvening, -1, z), z)).toBe(-1);
  });

  it('works at the ends of the supported range, on calendars a day either side (years 0 and 10000)', () => {
    const first = new Date('0001-01-01T00:00:00Z');
    const last = new Date('9999-12-31T23:59:59.999Z');
    expect(zonedDateKey(first, NY)).toBe('0000-12-31'); // local mean time, −4:56:02
    expect(zonedDateKey(last, 'Asia/Tokyo')).toBe('10000-01-01');
    expect(startOfZonedDayAfter(first, 1, 'UTC').toISOString()).toBe('0001-01-02T00:00:00.000Z'); // not 1901 (two-digit years)
    expect(startOfZonedDayAfter(new Date('0050-06-15T12:00:00Z'), 0, 'UTC').toISOString()).toBe('0050-06-15T00:00:00.000Z');
    expect(startOfZonedDay(first, NY).toISOString()).toBe('0000-12-31T04:56:02.000Z');
    expect(calendarDaysBetween(first, last, 'UTC')).toBe(3652058);
    expect(addCalendarDays(last, 1, SH).getTime()).toBe(last.getTime() + 86_400_000);
  });

  it('counts old local mean time to the second (Shanghai +08:05:43 until 1901)', () => {
    const t = new Date('1849-12-31T15:54:16Z'); // 23:59:59 on Dec 31 1849, local mean time
    expect(zonedDateKey(t, SH)).toBe('1849-12-31');
    expect(startOfZonedDayAfter(t, 1, SH).toISOString()).toBe('1849-12-31T15:54:17.000Z');
    expect(zonedDateKey(new Date('1849-12-31T15:54:17Z'), SH)).toBe('1850-01-01');
    expect(new ZonedDays(SH).day(t.getTime())).toBe(dayNumberOfKey('1849-12-31'));
  });

  it('anything that is not a valid Date, a known zone or a whole day count is a bug: InvariantError', () => {
    const boom = () => {
      throw new Error('boom');
    };
    for (const f of [
      () => startOfZonedDay(new Date(Number.NaN), SH),
      () => startOfZonedDay(Object.create(Date.prototype), SH),
      () => startOfZonedDay(new Proxy(new Date(), {}), SH),
      () => calendarDaysBetween(new Date(), new Date(), 'Mars/Olympus'),
      () => addCalendarDays(new Date(), 1.5, SH),
      () => startOfZonedDayAfter(new Date(), 2 ** 53 - 1, SH),
      () => zonedDateKey(new Proxy({}, { get: boom }) as Date, SH),
      () => keyOfDayNumber(Number.NaN),
    ]) {
      expect(f).toThrow(InvariantError);
    }
    expect(dayNumberOfKey('2026-02-30')).toBeNaN();
    expect(dayNumberOfKey('x')).toBeNaN();
    expect(dayNumberOfKey(5 as unknown as string)).toBeNaN();
    expect(dayNumberOfKey('0000-03-01')).toBe(-719468);
    expect(keyOfDayNumber(-719469)).toBe('0000-02-29'); // year 0 is a leap year
    expect(keyOfDayNumber(-719529)).toBe('-0001-12-31');
  });

  describe('properties', () => {
    const anyInstant = fc.integer({ min: MIN_INSTANT_MS, max: MAX_INSTANT_MS }).map((t) => new Date(t));
    const anyZone = fc.constantFrom(
      SH,
      NY,
      'UTC',
      'Pacific/Kiritimati',
      'Etc/GMT+12',
      'Africa/Monrovia',
      'Asia/Kathmandu',
      'America/St_Johns',
      'Australia/Lord_Howe',
      'America/Scoresbysund',
      'Pacific/Apia',
      'Asia/Manila',
      'America/Sitka',
      'America/Santiago',
    );
    it('every instant the schema accepts, in any zone: no throw, and the day structure holds', () => {
      fc.assert(
        fc.property(anyInstant, fc.integer({ min: -1000, max: 1000 }), anyZone, (t, n, z) => {
          const start = startOfZonedDay(t, z);
          const next = startOfZonedDayAfter(t, 1, z);
          expect(start.getTime()).toBeLessThanOrEqual(t.getTime());
          expect(t.getTime()).toBeLessThan(next.getTime());
          expect(zonedDateKey(start, z)).toBe(zonedDateKey(t, z));
          expect(dayNumberOfKey(zonedDateKey(t, z))).not.toBeNaN();
          expect(calendarDaysBetween(t, startOfZonedDayAfter(t, n, z), z)).toBe(n);
          expect(calendarDaysBetween(t, addCalendarDays(t, n, z), z)).toBe(n);
          const days = zonedDaysIn(z);
          expect(days.day(t.getTime())).toBe(dayNumberOfKey(zonedDateKey(t, z)));
          expect(days.after(t.getTime(), n)).toBe(startOfZonedDayAfter(t, n, z).getTime());
        }),
        { numRuns: 2000 },
      );
    });

    it('day keys and day numbers are inverse over the whole JavaScript range', () => {
      fc.assert(
        fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }), (day) => {
          expect(dayNumberOfKey(keyOfDayNumber(day))).toBe(day);
          if (day >= -719468 && day <= 2932896) expect(keyOfDayNumber(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
        }),
      );
    });

    const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true });
    // Zones whose DST changes fall at or near midnight are the hard ones: Scoresbysund jumps
    // from 23:00 straight to the next day, Santiago and Havana change at midnight.
    const zone = fc.constantFrom(
      SH,
      NY,
      'UTC',
      'Europe/Berlin',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'America/Scoresbysund',
      'America/Santiago',
      'America/Havana',
      'Asia/Beirut',
    );
    it('adding n calendar days moves the date by exactly n days', () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: -400, max: 400 }), zone, (t, n, z) => {
          expect(calendarDaysBetween(t, addCalendarDays(t, n, z), z)).toBe(n);
        }),
      );
    });
    it('the start of a day is on that day and no later than the instant', () => {
      fc.assert(
        fc.property(instant, zone, (t, z) => {
          const s = startOfZonedDay(t, z);
          expect(s.getTime()).toBeLessThanOrEqual(t.getTime());
          expect(zonedDateKey(s, z)).toBe(zonedDateKey(t, z));
          expect(zonedDateKey(new Date(s.getTime() - 1), z)).not.toBe(zonedDateKey(t, z));
        }),
      );
    });
    it('the start of the day n days later is exactly n calendar days away', () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: -400, max: 400 }), zone, (t, n, z) => {
          const s = startOfZonedDayAfter(t, n, z);
          expect(calendarDaysBetween(t, s, z)).toBe(n);
          expect(s.getTime()).toBe(startOfZonedDay(s, z).getTime());
        }),
        { numRuns: 500 },
      );
    });
    it('days between is antisymmetric', () => {
      fc.assert(
        fc.property(instant, instant, zone, (a, b, z) => {
          expect(calendarDaysBetween(a, b, z)).toBe(-calendarDaysBetween(b, a, z) || 0);
        }),
      );
    });
    it('one long-lived ZonedDays answers like the helpers whatever it saw before (its direct-mapped caches collide)', () => {
      const HOUR = 3_600_000;
      // Instants 4096 hours and 4096 days apart land in the same cache slots.
      const related = fc.tuple(instant, fc.constantFrom(0, 4096 * HOUR, -4096 * HOUR, 4096 * 86_400_000, 1), fc.integer({ min: 0, max: 3 }));
      fc.assert(
        fc.property(zone, fc.array(related, { minLength: 1, maxLength: 40 }), (z, seen) => {
          const days = new ZonedDays(z);
          for (const [t, offset, n] of seen) {
            for (const at of [t.getTime(), t.getTime() + offset]) {
              if (!(Math.abs(at) < 8.6e15)) continue;
              const d = new Date(at);
              expect(days.day(at)).toBe(dayNumberOfKey(zonedDateKey(d, z)));
              expect(days.after(at, n)).toBe(startOfZonedDayAfter(d, n, z).getTime());
              expect(days.start(days.day(at))).toBe(startOfZonedDay(d, z).getTime());
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
