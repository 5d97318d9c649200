import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { instantMs, instantSchema, MAX_INSTANT_MS, MIN_INSTANT_MS } from '../../src/core/validation.js';

/** What the door accepted before the hand-read fast path: zod's pattern, then `Date.parse`, then the range. */
const PATTERN = z.core.regexes.datetime({ offset: true, local: false, precision: null });
function reference(s: string): number {
  if (!PATTERN.test(s)) return Number.NaN;
  const t = Date.parse(s);
  return t >= MIN_INSTANT_MS && t <= MAX_INSTANT_MS ? t : Number.NaN;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** ISO-looking strings: mostly valid, some with a field out of range, a wrong separator or a stray character. */
const isoLike = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1600, 1900, 2000, 2024, 2100)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,6}$/), fc.constant('.'), fc.constant('.12a')),
    offset: fc.oneof(fc.constant('Z'), fc.constant('z'), fc.constantFrom('+08:00', '-05:30', '+23:59', '+24:00', '-00:60', '+0800', '+08', '')),
    sep: fc.constantFrom('T', 'T', 'T', ' ', 't'),
  })
  .map((p) => `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}${p.sep}${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}${p.fraction}${p.offset}`);

describe('instants read at the door', () => {
  it('reads every ISO-looking string exactly as the full pattern and Date.parse do', () => {
    fc.assert(
      fc.property(fc.oneof(isoLike, fc.string({ maxLength: 30 }), isoLike.map((s) => s.replace(/\d/, 'x'))), (s) => {
        expect(instantMs(s)).toEqual(reference(s));
        const parsed = instantSchema.safeParse(s);
        expect(parsed.success).toBe(!Number.isNaN(reference(s)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('knows the leap years and the month ends', () => {
    expect(instantMs('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(instantMs('2100-02-29T00:00:00Z')).toBeNaN();
    expect(instantMs('2000-02-29T00:00:00+08:00')).toBe(Date.UTC(2000, 1, 28, 16));
    expect(instantMs('2026-04-31T00:00:00Z')).toBeNaN();
    expect(instantMs('0001-01-01T00:00:00Z')).toBe(MIN_INSTANT_MS);
    expect(instantMs('0000-12-31T23:59:59.999Z')).toBeNaN(); // before the supported range
    expect(instantMs('9999-12-31T23:59:59.999Z')).toBe(MAX_INSTANT_MS);
    expect(instantMs('2026-03-01T00:00:00.5+08:00')).toBe(Date.parse('2026-03-01T00:00:00.5+08:00'));
  });
});
