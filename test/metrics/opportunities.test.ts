import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../src/core/index.js';
import { closeOpportunity, openOpportunity } from '../../src/leads/index.js';
import { forecastPipeline, measureOpportunities, measurePipeline, type OpportunityJourney } from '../../src/metrics/index.js';

import { JOURNEYS, NOW, opp, Q1, sh, usd } from './quarter.js';

const money = (ms: readonly Money[]) => ms.map((m) => `${m.currency} ${formatMoney(m)}`);

async function value<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) expect.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('opportunities closed in a window (Q1 2026)', () => {
  it('win rate by count and by amount, deal size, cycle and loss reasons, by hand', async () => {
    const r = await value(measureOpportunities(JOURNEYS, Q1, NOW));
    const t = r.total;
    expect([t.won.count, t.lost.count, t.invalid.count]).toEqual([3, 3, 1]);
    expect(money(t.won.amounts)).toEqual(['CNY 130000.00']);
    expect(money(t.lost.amounts)).toEqual(['CNY 70000.00', 'USD 5000.00']);
    expect(t.winRate).toEqual({ numerator: 3, denominator: 6, value: '0.5000' });
    expect(t.winRateByAmount.map((a) => [a.currency, formatMoney(a.won), formatMoney(a.closed), a.value])).toEqual([
      ['CNY', '130000.00', '200000.00', '0.6500'],
      ['USD', '0.00', '5000.00', '0.0000'],
    ]);
    // O7 was won with no amount: the average is over O1 and O3
    expect(money(t.averageDealSize)).toEqual(['CNY 65000.00']);
    // 30 days, 30 days (1 Feb → 3 Mar), 10 days
    expect(t.cycle).toEqual({ measured: 3, medianMinutes: 43200, p90Minutes: 43200 });
    expect(t.lossReasons).toEqual([
      { reason: '价格太高', count: 2 },
      { reason: '选择了竞品', count: 1 },
    ]);
    expect(r.records).toMatchObject({ read: 11, counted: 7 });
  });

  it('groups by owner and by the month each closed in', async () => {
    const byOwner = await value(measureOpportunities(JOURNEYS, { ...Q1, groupBy: ['owner'] }, NOW));
    expect(byOwner.rows.map((row) => [row.group[0], row.winRate.value, row.won.count, row.lost.count])).toEqual([
      ['rep-li', '0.6667', 2, 1],
      ['rep-wang', '0.3333', 1, 2],
    ]);
    const byMonth = await value(measureOpportunities(JOURNEYS, { ...Q1, groupBy: ['month'] }, NOW));
    expect(byMonth.rows.map((row) => [row.group[0], row.won.count, row.lost.count, row.invalid.count])).toEqual([
      ['2026-02', 1, 1, 0],
      ['2026-03', 2, 2, 1],
    ]);
  });
});

describe('the open pipeline now', () => {
  it('weighted by stage probability, aged in its stage, stale after 30 days without change', async () => {
    const r = await value(measurePipeline(JOURNEYS, { zone: 'Asia/Shanghai' }, NOW));
    const t = r.total;
    expect(t.open.count).toBe(3);
    expect(money(t.open.amounts)).toEqual(['CNY 350000.00', 'USD 10000.00']);
    // 200,000 × 60% + 150,000 × 80%; 10,000 × 10%
    expect(money(t.weighted)).toEqual(['CNY 240000.00', 'USD 1000.00']);
    // O9 unchanged since March 1 (30 days)
    expect(t.stale.count).toBe(1);
    expect(money(t.stale.amounts)).toEqual(['CNY 200000.00']);
    // O9 in proposal since Feb 20 09:00 (39 d 1 h = 56,220 min, kept 56,200), O10 in negotiation since Mar 25 09:00 (8,700); O11 has no events
    expect(t.aging).toEqual({ measured: 2, medianMinutes: 8700, p90Minutes: 56200 });
  });

  it('groups by stage, and a shorter stale threshold', async () => {
    const r = await value(measurePipeline(JOURNEYS, { zone: 'Asia/Shanghai', groupBy: ['stage'], staleAfterDays: 6 }, NOW));
    expect(r.rows.map((row) => [row.group[0], row.open.count, row.stale.count, row.aging.medianMinutes])).toEqual([
      ['negotiation', 1, 1, 8700],
      ['proposal', 1, 1, 56200],
      ['qualify', 1, 0, null],
    ]);
  });

  it('refuses a period: the pipeline is a snapshot', async () => {
    const r = await measurePipeline(JOURNEYS, { zone: 'Asia/Shanghai', groupBy: ['month' as never] }, NOW);
    expect(r.ok).toBe(false);
  });
});

describe('the forecast by close month', () => {
  it('puts open deals in their category and won deals in closed, in their close month', async () => {
    const r = await value(forecastPipeline(JOURNEYS, Q1, NOW));
    expect(r.dimensions).toEqual(['month']);
    const rows = r.rows.map((row) => [row.group[0], row.counts, money(row.weighted)]);
    expect(rows).toEqual([
      [null, { pipeline: 1, bestCase: 0, commit: 0, closed: 0 }, ['USD 1000.00']], // O11 has no expected close date
      ['2026-02', { pipeline: 0, bestCase: 0, commit: 0, closed: 1 }, ['CNY 100000.00']],
      ['2026-03', { pipeline: 0, bestCase: 0, commit: 1, closed: 2 }, ['CNY 150000.00']], // 30,000 + 150,000 × 80%
    ]);
    expect(money(r.total.amounts.commit)).toEqual(['CNY 150000.00']);
    expect(money(r.total.amounts.closed)).toEqual(['CNY 130000.00']);
    expect(r.total.converted).toBeNull();
  });

  it('converts at the host rates, exactly, and says which currency has none', async () => {
    const r = await value(forecastPipeline(JOURNEYS, { ...Q1, reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: '7.1234' }] }, NOW));
    expect(r.total.converted!.weighted && formatMoney(r.total.converted!.weighted)).toBe('257123.40');
    expect(formatMoney(r.total.converted!.amounts.pipeline!)).toBe('71234.00');
    const none = await value(forecastPipeline(JOURNEYS, { ...Q1, reportingCurrency: 'CNY' }, NOW));
    expect(none.total.converted!.weighted).toBeNull();
    expect(none.total.converted!.amounts.commit && formatMoney(none.total.converted!.amounts.commit)).toBe('150000.00');
    expect(none.missingRates).toEqual(['USD']);
  });

  it('maps stages to categories when told, omitting some', async () => {
    const r = await value(forecastPipeline(JOURNEYS, { ...Q1, groupBy: [], categories: { byStage: [{ stageId: 'negotiation', category: 'bestCase' }, { stageId: 'qualify', category: 'omitted' }] } }, NOW));
    expect(r.total.counts).toEqual({ pipeline: 0, bestCase: 1, commit: 0, closed: 3 });
    expect(r.records.excluded).toBe(1);
  });
});

describe('journeys the opportunity rules wrote', () => {
  it('reads a stored opportunity and its events as the rules return them', async () => {
    const actor = { id: 'rep-li' };
    const opened = openOpportunity({ id: 'O-r', name: '年度采购', customerId: 'C-r', amount: { currency: 'CNY', amount: '88000.00' } }, { now: new Date(sh('2026-03-02T09:00:00')), actor });
    if (!opened.ok) expect.fail(opened.error.message);
    const won = closeOpportunity(opened.value.opportunity, { outcome: 'won' }, { now: new Date(sh('2026-03-12T09:00:00')), actor });
    if (!won.ok) expect.fail(won.error.message);
    const r = await value(measureOpportunities([{ opportunity: won.value.opportunity, events: [...opened.value.events, ...won.value.events] }], Q1, NOW));
    expect(money(r.total.won.amounts)).toEqual(['CNY 88000.00']);
    expect(r.total.cycle.medianMinutes).toBe(14400);
    const json = JSON.parse(JSON.stringify({ opportunity: won.value.opportunity })) as OpportunityJourney;
    expect(await value(measureOpportunities([json], Q1, NOW))).toEqual(r);
  });
});

describe('what the review of part 2 found', () => {
  it('win rates and the forecast pass the events by: a bad one refuses only the pipeline, which reads them', async () => {
    const bad = JOURNEYS.map((j, i) => (i === 0 ? { ...j, events: [{ type: 'opportunity.advanced', at: '2026-02-01', data: { toStageId: 'x' } }] } : j));
    expect((await value(measureOpportunities(bad, Q1, NOW))).total.winRate.value).toBe('0.5000');
    expect((await forecastPipeline(bad, Q1, NOW)).ok).toBe(true);
    const pipeline = await measurePipeline(bad, { zone: 'Asia/Shanghai' }, NOW);
    expect(pipeline.ok).toBe(false);
  });

  it('an omitted deal outside the window is outside, not excluded; the rows are always by close period', async () => {
    const r = await value(forecastPipeline(JOURNEYS, { ...Q1, groupBy: ['owner'], categories: { byStage: [{ stageId: 'proposal', category: 'omitted' }] } }, NOW));
    // O9 (proposal) is expected in April: outside Q1 before its category counts
    expect(r.records.excluded).toBe(0);
    expect(r.dimensions).toEqual(['owner', 'month']);
    expect(r.rows.map((row) => row.group)).toEqual([
      ['rep-li', '2026-02'],
      ['rep-li', '2026-03'],
      ['rep-wang', null],
      ['rep-wang', '2026-03'],
    ]);
  });

  it('trims loss reasons, lists the first 20 and counts the rest', async () => {
    const lost = Array.from({ length: 30 }, (_, i) => ({
      opportunity: opp({ id: `X${i}`, owner: 'rep-li', created: '2026-01-05T09:00:00', status: 'lost', closed: '2026-02-04T09:00:00', reason: i < 5 ? ' 价格太高 ' : `原因 ${String(i).padStart(2, '0')}` }),
    }));
    const r = await value(measureOpportunities(lost, Q1, NOW));
    expect(r.total.lossReasons[0]).toEqual({ reason: '价格太高', count: 5 });
    expect(r.total.lossReasons).toHaveLength(20);
    expect(r.total.otherLossReasons).toBe(30 - 5 - 19);
  });

  it('a currency that sums to 0 needs no rate', async () => {
    const zero = [{ opportunity: opp({ id: 'Z1', owner: 'rep-li', created: '2026-03-01T09:00:00', status: 'open', stage: 'proposal', amount: usd('0.00'), expectedClose: '2026-03-20T00:00:00', updated: '2026-03-01T09:00:00' }) }, JOURNEYS[9]!];
    const r = await value(forecastPipeline(zero, { ...Q1, reportingCurrency: 'CNY' }, NOW));
    expect(r.missingRates).toEqual([]);
    expect(formatMoney(r.total.converted!.amounts.commit!)).toBe('150000.00');
  });

  it('an iterator whose done is truthy but not true ends the run, as for…of would', async () => {
    let n = 0;
    const source = { [Symbol.iterator]: () => ({ next: () => (n++ === 0 ? { done: 0, value: JOURNEYS[0] } : { done: 1, value: undefined }) }) };
    const r = await value(measureOpportunities(source as never, Q1, NOW));
    expect(r.records.read).toBe(1);
  });
});
