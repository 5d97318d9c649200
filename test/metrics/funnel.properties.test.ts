import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureFunnel, type FunnelQueryInput, type FunnelReport, type FunnelRow, type LeadJourney } from '../../src/metrics/index.js';
import { DurationLog, DurationTally, keptIndex, keptMinutes, keptOfIndex, rateOf } from '../../src/core/measures.js';
import { dayOfSpan, journeyArb, journeysArb } from './arbitraries.js';

const NOW = dayOfSpan(100);
const WINDOW = { from: dayOfSpan(10), to: dayOfSpan(90), zone: 'Asia/Shanghai' } as const;

async function funnel(journeys: readonly LeadJourney[] | AsyncIterable<LeadJourney | readonly LeadJourney[]>, query: FunnelQueryInput): Promise<FunnelReport> {
  const r = await measureFunnel(journeys, query, NOW);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const counts = (row: FunnelRow) => row.stages.map((s) => s.count);
const sumRows = (rows: readonly FunnelRow[]) => rows.reduce((acc, r) => acc.map((n, i) => n + counts(r)[i]!), [0, 0, 0, 0, 0]);

const groupByArb = fc.subarray(['owner', 'channel', 'pool', 'attribute:industry', 'team'] as const).chain((dims) =>
  fc.option(fc.constantFrom('day', 'week', 'month', 'quarter'), { nil: undefined }).map((p) => (p === undefined ? [...dims] : [...dims, p])),
);
const readingArb = fc.constantFrom('cohort', 'period') as fc.Arbitrary<'cohort' | 'period'>;

describe('properties of the funnel', () => {
  it('in a cohort, counts never increase down the stages, in every row and the total', async () => {
    await fc.assert(
      fc.asyncProperty(journeysArb, groupByArb, async (journeys, groupBy) => {
        const r = await funnel(journeys, { reading: 'cohort', ...WINDOW, groupBy });
        for (const row of [...r.rows, r.total]) {
          const c = counts(row);
          for (let s = 1; s < c.length; s++) expect(c[s]).toBeLessThanOrEqual(c[s - 1]!);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the rows add up to the total, and the total does not depend on the grouping', async () => {
    await fc.assert(
      fc.asyncProperty(journeysArb, groupByArb, readingArb, async (journeys, groupBy, reading) => {
        const grouped = await funnel(journeys, { reading, ...WINDOW, groupBy, teams: [{ memberId: 'rep-li', teamId: 'east' }] });
        const plain = await funnel(journeys, { reading, ...WINDOW });
        expect(sumRows(grouped.rows)).toEqual(counts(grouped.total));
        expect(grouped.total).toEqual(plain.total);
        expect(grouped.records).toEqual(plain.records);
      }),
      { numRuns: 150 },
    );
  });

  it('is additive over windows: [a, c) is [a, b) plus [b, c)', async () => {
    await fc.assert(
      fc.asyncProperty(journeysArb, readingArb, fc.integer({ min: 11, max: 89 }), async (journeys, reading, cut) => {
        const whole = await funnel(journeys, { reading, ...WINDOW });
        const left = await funnel(journeys, { reading, ...WINDOW, to: dayOfSpan(cut) });
        const right = await funnel(journeys, { reading, ...WINDOW, from: dayOfSpan(cut) });
        expect(counts(whole.total)).toEqual(counts(left.total).map((n, i) => n + counts(right.total)[i]!));
      }),
      { numRuns: 100 },
    );
  });

  it('does not depend on the order of the journeys, nor on how they are paged', async () => {
    await fc.assert(
      fc.asyncProperty(journeysArb, groupByArb, readingArb, fc.integer({ min: 1, max: 7 }), fc.infiniteStream(fc.nat()), async (journeys, groupBy, reading, page, seeds) => {
        const shuffled = [...journeys];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const k = seeds.next().value % (i + 1);
          [shuffled[i], shuffled[k]] = [shuffled[k]!, shuffled[i]!];
        }
        async function* paged() {
          for (let i = 0; i < shuffled.length; i += page) yield shuffled.slice(i, i + page);
        }
        const query = { reading, ...WINDOW, groupBy };
        expect(await funnel(paged(), query)).toEqual(await funnel(journeys, query));
      }),
      { numRuns: 100 },
    );
  });

  it('does not depend on the order a journey lists its events in (at distinct instants)', async () => {
    const distinct = journeyArb().filter((j) => new Set((j.events ?? []).map((e) => (e.at as Date).getTime())).size === (j.events ?? []).length);
    await fc.assert(
      fc.asyncProperty(distinct, readingArb, async (journey, reading) => {
        const reversed = { ...journey, events: [...(journey.events ?? [])].reverse() };
        expect(await funnel([reversed], { reading, ...WINDOW })).toEqual(await funnel([journey], { reading, ...WINDOW }));
      }),
      { numRuns: 200 },
    );
  });

  it('in both readings, the first stage counts the leads created in the window (voided ones left out)', async () => {
    await fc.assert(
      fc.asyncProperty(journeysArb, async (journeys) => {
        const cohort = await funnel(journeys, { reading: 'cohort', ...WINDOW });
        const period = await funnel(journeys, { reading: 'period', ...WINDOW });
        expect(period.total.stages[0]!.count).toBe(cohort.total.stages[0]!.count);
        expect(cohort.records.counted).toBe(cohort.total.stages[0]!.count);
        expect(cohort.records.read).toBe(journeys.length);
      }),
      { numRuns: 100 },
    );
  });

  it('times only what it counts, the median never above the 90th percentile', async () => {
    await fc.assert(
      fc.asyncProperty(journeysArb, groupByArb, readingArb, async (journeys, groupBy, reading) => {
        const r = await funnel(journeys, { reading, ...WINDOW, groupBy });
        for (const row of [...r.rows, r.total]) {
          for (const s of row.stages.slice(1)) {
            expect(s.time!.measured).toBeLessThanOrEqual(s.count);
            if (s.time!.measured > 0) expect(s.time!.medianMinutes!).toBeLessThanOrEqual(s.time!.p90Minutes!);
            else expect(s.time!.medianMinutes).toBeNull();
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('properties of the measures', () => {
  it('a rate is the fraction rounded half up to four decimals (a bigint reference)', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n, d) => {
        const r = rateOf(n, d);
        if (d === 0) {
          expect(r.value).toBeNull();
          return;
        }
        const scaled = (BigInt(n) * 100_000n) / BigInt(d); // five decimals, truncated
        const rounded = (scaled + 5n) / 10n;
        const text = `${rounded / 10_000n}.${String(rounded % 10_000n).padStart(4, '0')}`;
        expect(r.value).toBe(text);
      }),
      { numRuns: 2000 },
    );
    expect(rateOf(1, 8).value).toBe('0.1250');
    expect(rateOf(1, 20_000).value).toBe('0.0001'); // 0.00005 rounds up
    expect(rateOf(1, 20_001).value).toBe('0.0000');
  });

  it('a kept duration is within 1% of the exact minutes, never above, and exact under 1,000 minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e13 }), (ms) => {
        const exact = Math.max(0, Math.floor(ms / 60_000));
        const kept = keptMinutes(ms);
        expect(kept).toBeLessThanOrEqual(exact);
        expect(kept).toBeGreaterThan(exact * 0.99 - 1e-9);
        if (exact < 1000) expect(kept).toBe(exact);
        expect(String(kept).replace(/0+$/, '').length).toBeLessThanOrEqual(3);
      }),
      { numRuns: 2000 },
    );
    expect(keptMinutes(10_080 * 60_000)).toBe(10_000); // a week
    expect(keptMinutes(4_320 * 60_000)).toBe(4_320); // three days
  });
});

describe('properties of the duration log', () => {
  it('folded often or sorted once at the end, it answers the same as an exact nearest rank', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3e9 })), { maxLength: 300 }), fc.constantFrom(1024, 2048), (entries, cap) => {
        const once = new DurationLog();
        const folded = new DurationLog(cap);
        // a cap below the entries makes the small log fold: push enough to fold at least once
        const many = Array.from({ length: 8 }, () => entries).flat();
        for (const [series, ms] of many) {
          once.add(series, ms);
          folded.add(series, ms);
        }
        for (let series = 0; series < 10; series++) {
          const kept = many.filter(([s]) => s === series).map(([, ms]) => keptMinutes(ms)).sort((a, b) => a - b);
          const expected =
            kept.length === 0
              ? { measured: 0, medianMinutes: null, p90Minutes: null }
              : { measured: kept.length, medianMinutes: kept[Math.ceil(kept.length * 0.5) - 1], p90Minutes: kept[Math.ceil((kept.length * 90) / 100) - 1] };
          expect(once.summary(series)).toEqual(expected);
          expect(folded.summary(series)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The summary an exact nearest rank gives of `durations` (ms). */
function nearestRank(durations: readonly number[]) {
  const kept = durations.map(keptMinutes).sort((a, b) => a - b);
  return kept.length === 0
    ? { measured: 0, medianMinutes: null, p90Minutes: null }
    : { measured: kept.length, medianMinutes: kept[Math.ceil(kept.length * 0.5) - 1], p90Minutes: kept[Math.ceil((kept.length * 90) / 100) - 1] };
}

describe('properties of the duration log and tally', () => {
  it('series numbers from small to past 2^32 keys, hundreds of entries (sorted by digits): the same as an exact nearest rank', () => {
    // keys series·2^13 + index: series past 2^19 make keys past 2^32 (the digit passes without integer shifts)
    const seriesArb = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 2 ** 19 - 2, max: 2 ** 19 + 2 }), fc.integer({ min: 0, max: 2 ** 39 }));
    fc.assert(
      fc.property(fc.uniqueArray(seriesArb, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 1e13 })), { minLength: 60, maxLength: 900 }), (series, entries) => {
        const log = new DurationLog();
        const byEntry = entries.map(([pick, ms]) => [series[pick % series.length]!, ms] as const);
        for (const [s, ms] of byEntry) log.add(s, ms);
        for (const s of series) expect(log.summary(s)).toEqual(nearestRank(byEntry.filter(([t]) => t === s).map(([, ms]) => ms)));
      }),
      { numRuns: 200 },
    );
    // the largest key exactly a power of the digit base (series 512, index 0: 2048²) still gets its top digit's pass
    const edge = new DurationLog();
    for (let i = 0; i < 70; i++) edge.add(0, (i % 7) * 60_000);
    edge.add(512, 0);
    edge.add(1, 60_000);
    expect(edge.summary(512)).toEqual({ measured: 1, medianMinutes: 0, p90Minutes: 0 });
    expect(edge.summary(0)).toEqual({ measured: 70, medianMinutes: 3, p90Minutes: 6 });
    expect(edge.summary(1)).toEqual({ measured: 1, medianMinutes: 1, p90Minutes: 1 });
  });

  it('a tally of a few series answers as the log fed the same durations', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.oneof(fc.integer({ min: 0, max: 3e9 }), fc.integer({ min: 0, max: 1e13 }))), { maxLength: 400 }), (entries) => {
        const tally = new DurationTally(5);
        const log = new DurationLog();
        for (const [s, ms] of entries) {
          tally.add(s, ms);
          log.add(s, ms);
        }
        for (let s = 0; s < 5; s++) {
          expect(tally.summary(s)).toEqual(log.summary(s));
          expect(tally.summary(s)).toEqual(nearestRank(entries.filter(([t]) => t === s).map(([, ms]) => ms)));
        }
      }),
      { numRuns: 300 },
    );
    const one = new DurationTally(2);
    one.add(1, 90 * 60_000);
    expect(one.summary(1)).toEqual({ measured: 1, medianMinutes: 90, p90Minutes: 90 });
    expect(one.summary(0)).toBe(one.summary(0));
    expect(Object.isFrozen(one.summary(1))).toBe(true);
  });
});

describe('properties of the duration log at scale', () => {
  it('a kept value and its index go back and forth, the index below 2^13', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), (ms) => {
        const kept = keptMinutes(ms);
        const index = keptIndex(kept);
        expect(index).toBeLessThan(2 ** 13);
        expect(keptOfIndex(index)).toBe(kept);
      }),
      { numRuns: 3000 },
    );
  });

  it('series numbers past a million groups keep their durations exact', () => {
    const log = new DurationLog();
    const series = [0, 2 ** 20, 2 ** 20 + 1, 5 * 2 ** 22 + 3, 2 ** 39];
    series.forEach((s, i) => log.add(s, (i + 1) * 60_000));
    series.forEach((s, i) => expect(log.summary(s)).toEqual({ measured: 1, medianMinutes: i + 1, p90Minutes: i + 1 }));
  });

  it('many groups: the rows add up to the total, whatever is counted or not', async () => {
    const many = fc.uniqueArray(journeyArb(fc.string({ minLength: 1, maxLength: 8 })), { minLength: 100, maxLength: 300, selector: (j) => j.lead.id }).map((js) => js.map((j) => ({ ...j, lead: { ...j.lead, ownerId: `rep-${j.lead.id}` } })));
    await fc.assert(
      fc.asyncProperty(many, readingArb, async (journeys, reading) => {
        const r = await funnel(journeys, { reading, ...WINDOW, groupBy: ['owner', 'month'] });
        expect(sumRows(r.rows)).toEqual(counts(r.total));
        expect(r.rows.every((row) => row.stages.some((s) => s.count > 0))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
