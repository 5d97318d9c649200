import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../src/core/index.js';
import { forecastPipeline, measureOpportunities, measurePipeline } from '../../src/metrics/index.js';
import { keptMinutes } from '../../src/core/measures.js';
import { dayOfSpan, opportunityJourneysArb } from './arbitraries.js';

const NOW = dayOfSpan(100);
const WINDOW = { from: dayOfSpan(5), to: dayOfSpan(95), zone: 'Asia/Shanghai' } as const;

async function value<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Per currency, minor units as bigints, of a list of amounts summed over rows. */
function sums(lists: readonly (readonly Money[])[]): Record<string, string> {
  const out: Record<string, bigint> = {};
  for (const list of lists) for (const m of list) out[m.currency] = (out[m.currency] ?? 0n) + BigInt(m.minor);
  return Object.fromEntries(Object.entries(out).map(([c, v]) => [c, String(v)]));
}
const asSums = (list: readonly Money[]) => sums([list]);

describe('properties of the opportunity metrics', () => {
  it('closed: the rows add up to the total; the win rate is won / (won + lost); each closed deal counted once', async () => {
    await fc.assert(
      fc.asyncProperty(opportunityJourneysArb, fc.constantFrom(['owner'], ['month'], ['owner', 'week'], [] as string[]), async (journeys, groupBy) => {
        const r = await value(measureOpportunities(journeys, { ...WINDOW, groupBy: groupBy as never }, NOW));
        const t = r.total;
        expect(r.rows.reduce((n, row) => n + row.won.count + row.lost.count + row.invalid.count, 0)).toBe(t.won.count + t.lost.count + t.invalid.count);
        expect(sums(r.rows.map((row) => row.won.amounts))).toEqual(asSums(t.won.amounts));
        expect(t.winRate.numerator).toBe(t.won.count);
        expect(t.winRate.denominator).toBe(t.won.count + t.lost.count);
        const closedInWindow = journeys.filter(({ opportunity: o }) => o.status !== 'open' && o.closedAt!.getTime() >= Date.parse(WINDOW.from) && o.closedAt!.getTime() < Date.parse(WINDOW.to));
        expect(t.won.count + t.lost.count + t.invalid.count).toBe(closedInWindow.length);
        expect(r.records.counted).toBe(closedInWindow.length);
      }),
      { numRuns: 150 },
    );
  });

  it('pipeline: stale within the open, rows add up', async () => {
    await fc.assert(
      fc.asyncProperty(opportunityJourneysArb, fc.integer({ min: 1, max: 60 }), async (journeys, staleAfterDays) => {
        const r = await value(measurePipeline(journeys, { zone: 'Asia/Shanghai', groupBy: ['owner', 'stage'], staleAfterDays }, NOW));
        const t = r.total;
        expect(t.open.count).toBe(journeys.filter(({ opportunity: o }) => o.status === 'open' && o.createdAt.getTime() <= Date.parse(NOW)).length);
        expect(t.stale.count).toBeLessThanOrEqual(t.open.count);
        expect(r.rows.reduce((n, row) => n + row.open.count, 0)).toBe(t.open.count);
        expect(sums(r.rows.map((row) => row.open.amounts))).toEqual(asSums(t.open.amounts));
      }),
      { numRuns: 150 },
    );
  });

  it('forecast: the rows add up to the total per category; converting at rate 1 between two-decimal currencies sums them', async () => {
    await fc.assert(
      fc.asyncProperty(opportunityJourneysArb, async (journeys) => {
        const r = await value(forecastPipeline(journeys, { ...WINDOW, groupBy: ['owner', 'quarter'], reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: '1' }, { currency: 'JPY', rate: '0.01' }] }, NOW));
        for (const c of ['pipeline', 'bestCase', 'commit', 'closed'] as const) {
          expect(r.rows.reduce((n, row) => n + row.counts[c], 0)).toBe(r.total.counts[c]);
          expect(sums(r.rows.map((row) => row.amounts[c]))).toEqual(asSums(r.total.amounts[c]));
          // JPY has no minor unit: 1 yen at 0.01 is 1 fen; USD at 1 is cent for fen
          const expected = r.total.amounts[c].reduce((n, m) => n + BigInt(m.minor), 0n);
          expect(BigInt(r.total.converted!.amounts[c]!.minor)).toBe(expected);
        }
        expect(r.missingRates).toEqual([]);
        expect(formatMoney(r.total.converted!.weighted!)).toMatch(/^\d+\.\d\d$/);
      }),
      { numRuns: 150 },
    );
  });
});

describe('properties against references', () => {
  it('closed deals are counted in the window and at or before now, whatever now is', async () => {
    await fc.assert(
      fc.asyncProperty(opportunityJourneysArb, fc.integer({ min: 0, max: 119 }), async (journeys, nowDay) => {
        const now = dayOfSpan(nowDay);
        const r = await value(measureOpportunities(journeys, { ...WINDOW }, now));
        const counted = journeys.filter(({ opportunity: o }) => {
          if (o.status === 'open') return false;
          const t = o.closedAt!.getTime();
          return t >= Date.parse(WINDOW.from) && t < Date.parse(WINDOW.to) && t <= Date.parse(now);
        });
        expect(r.total.won.count + r.total.lost.count + r.total.invalid.count).toBe(counted.length);
        const pipeline = await value(measurePipeline(journeys, { zone: 'Asia/Shanghai' }, now));
        expect(pipeline.total.open.count).toBe(journeys.filter(({ opportunity: o }) => o.status === 'open' && o.createdAt.getTime() <= Date.parse(now)).length);
      }),
      { numRuns: 150 },
    );
  });

  it('stage aging: the time since the last entry into the current stage at or before now (a reference)', async () => {
    const withEvents = opportunityJourneysArb.chain((journeys) =>
      fc.tuple(
        fc.constant(journeys),
        fc.array(fc.array(fc.record({ day: fc.integer({ min: 0, max: 119 }), stage: fc.constantFrom('qualify', 'needs_confirmed', 'proposal', 'negotiation'), type: fc.constantFrom('opportunity.advanced', 'opportunity.movedToStage', 'opportunity.reopened') }), { maxLength: 5 }), { minLength: journeys.length, maxLength: journeys.length }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(withEvents, async ([journeys, events]) => {
        const now = Date.parse(dayOfSpan(100));
        const full = journeys.map((j, i) => ({ ...j, events: events[i]!.map((e) => ({ type: e.type, at: new Date(Date.parse(dayOfSpan(0)) + e.day * 86_400_000), data: { toStageId: e.stage } })) }));
        const r = await value(measurePipeline(full, { zone: 'UTC' }, dayOfSpan(100)));
        const ages = full
          .filter(({ opportunity: o }) => o.status === 'open' && o.createdAt.getTime() <= now)
          .map(({ opportunity: o, events: es }) => es.filter((e) => e.data.toStageId === o.stageId && e.at.getTime() <= now).reduce((m, e) => Math.max(m, e.at.getTime()), -Infinity))
          .filter((t) => t > -Infinity)
          .map((t) => keptMinutes(now - t))
          .sort((a, b) => a - b);
        expect(r.total.aging.measured).toBe(ages.length);
        if (ages.length > 0) expect(r.total.aging.medianMinutes).toBe(ages[Math.ceil(ages.length / 2) - 1]);
      }),
      { numRuns: 150 },
    );
  });

  it('conversion across exponents (JPY 0, CNY 2, KWD 3) is the exact sum rounded once, half up (a rational reference)', async () => {
    const rateArb = fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 6 })).map(([units, scale]) => ({ units, scale, text: (units / 10 ** scale).toFixed(scale) }));
    await fc.assert(
      fc.asyncProperty(opportunityJourneysArb, rateArb, rateArb, fc.constantFrom('JPY', 'KWD'), async (journeys, usd, cny, reporting) => {
        const rates = [
          { currency: 'USD', rate: usd.text },
          { currency: 'CNY', rate: cny.text },
          ...(reporting === 'JPY' ? [] : [{ currency: 'JPY', rate: '0.05' }]),
        ];
        const r = await value(forecastPipeline(journeys, { ...WINDOW, groupBy: [], reportingCurrency: reporting, rates }, NOW));
        const exp: Record<string, number> = { JPY: 0, CNY: 2, USD: 2, KWD: 3 };
        const rateOf = (c: string): [bigint, number] => (c === reporting ? [1n, 0] : c === 'USD' ? [BigInt(usd.units), usd.scale] : c === 'CNY' ? [BigInt(cny.units), cny.scale] : [5n, 2]);
        for (const c of ['pipeline', 'commit', 'closed'] as const) {
          // Σ minor × units / 10^(scale + e_c − e_R), as one fraction over 10^40, rounded half up
          let num = 0n;
          for (const m of r.total.amounts[c]) {
            const [units, scale] = rateOf(m.currency);
            num += BigInt(m.minor) * units * 10n ** BigInt(40 - (scale + exp[m.currency]! - exp[reporting]!));
          }
          const den = 10n ** 40n;
          expect(BigInt(r.total.converted!.amounts[c]!.minor)).toBe((2n * num + den) / (2n * den));
        }
      }),
      { numRuns: 150 },
    );
  });
});
