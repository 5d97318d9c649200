import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../src/core/index.js';
import { forecastPipeline, measureOpportunities, measurePipeline } from '../../src/metrics/index.js';
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

  it('pipeline: weighted never above the amounts, stale and aging within the open, rows add up', async () => {
    await fc.assert(
      fc.asyncProperty(opportunityJourneysArb, fc.integer({ min: 1, max: 60 }), async (journeys, staleAfterDays) => {
        const r = await value(measurePipeline(journeys, { zone: 'Asia/Shanghai', groupBy: ['owner', 'stage'], staleAfterDays }, NOW));
        const t = r.total;
        expect(t.open.count).toBe(journeys.filter(({ opportunity: o }) => o.status === 'open' && o.createdAt.getTime() <= Date.parse(NOW)).length);
        for (const m of t.weighted) expect(BigInt(m.minor)).toBeLessThanOrEqual(BigInt(t.open.amounts.find((a) => a.currency === m.currency)!.minor));
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
