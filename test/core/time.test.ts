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
import { ZonedDays, dayNumberOfKey } from '../../src/core/time.js';

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

  describe('properties', () => {
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
