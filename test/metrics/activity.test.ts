import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureActivity, measureMarketing, type ActivityRow, type LeadJourney, type MetricEvent } from '../../src/metrics/index.js';
import { formatMoney, type Money } from '../../src/core/index.js';
import { activityEvent as ev, follow, MARCH, NOW, SCENARIO, sh, TEAM } from './scenario.js';
import { dayOfSpan, journeysArb } from './arbitraries.js';

const rates = (r: ActivityRow) => [r.followUpsPerLead.value, r.followUpRate.value, r.invitationRate.value, r.signingRate.value, r.sqlConversionRate.value];
const counts = (r: ActivityRow) => [r.followUps, r.leadsFollowedUp, r.assigned, r.followedUpInTime, r.invitations, r.leadsInvited, r.converted, r.signed];

describe('the sales rates, by rep', () => {
  it('counts each activity for its rep, and the rates by their formulas', async () => {
    const r = await measureActivity(TEAM, { ...MARCH, groupBy: ['owner'] }, NOW);
    if (!r.ok) expect.fail(r.error.message);
    const [li, wang] = r.value.rows;
    expect(li!.group).toEqual(['rep-li']);
    // 6 follow-ups on A, B, D; A and B given to Li, A followed in time; a visit and a meeting; A converted and won
    expect(counts(li!)).toEqual([6, 3, 2, 1, 2, 2, 1, 1]);
    expect(rates(li!)).toEqual(['2.0000', '0.5000', '0.6667', '0.5000', '0.3333']);
    // C and D given to Wang; D followed (by Li) the same day
    expect(counts(wang!)).toEqual([0, 0, 2, 1, 0, 0, 0, 0]);
    expect(rates(wang!)).toEqual([null, '0.5000', null, null, null]);
    expect(counts(r.value.total)).toEqual([6, 3, 4, 2, 2, 2, 1, 1]);
  });

  it('gives a longer follow-up window, and more invitation channels, when asked', async () => {
    const r = await measureActivity(TEAM, { ...MARCH, followUpWithinDays: 2, invitationChannels: ['visit', 'meeting', 'message'] }, NOW);
    if (!r.ok) expect.fail(r.error.message);
    expect([r.value.total.followedUpInTime, r.value.total.invitations, r.value.total.leadsInvited]).toEqual([3, 3, 3]);
  });

  it('counts each activity in the period it happened in', async () => {
    const r = await measureActivity(TEAM, { ...MARCH, groupBy: ['week'] }, NOW);
    if (!r.ok) expect.fail(r.error.message);
    expect(r.value.rows.map((row) => [row.group[0], row.followUps])).toEqual([
      ['2026-03-02', 4],
      ['2026-03-09', 2],
      ['2026-03-16', 0],
    ]);
  });
});

describe('what the review of activity found', () => {
  const lead = (ownerId: string, events: MetricEvent[]): LeadJourney => ({ lead: { id: 'X', createdAt: sh('2026-03-01T09:00:00'), ownerId }, events });

  it('an assignment whose follow-up window is still open at now, and not followed up, is pending', async () => {
    const r = await measureActivity([lead('rep-li', [ev('lead.assigned', '2026-03-31T09:00:00', { ownerId: 'rep-li' })])], MARCH, sh('2026-03-31T12:00:00'));
    if (!r.ok) expect.fail(r.error.message);
    expect([r.value.total.assigned, r.value.total.followedUpInTime, r.value.total.followUpRate.value]).toEqual([0, 0, null]);
    const later = await measureActivity([lead('rep-li', [ev('lead.assigned', '2026-03-31T09:00:00', { ownerId: 'rep-li' })])], MARCH, sh('2026-04-02T00:00:00'));
    if (!later.ok) expect.fail(later.error.message);
    expect([later.value.total.assigned, later.value.total.followedUpInTime]).toEqual([1, 0]);
  });

  it('credits the owner at the time, not the owner now', async () => {
    const j = lead('rep-wang', [
      ev('lead.claimed', '2026-03-02T09:00:00', { ownerId: 'rep-li' }),
      ev('lead.followedUp', '2026-03-05T09:00:00', { followUp: { channel: 'call' } }),
      ev('lead.converted', '2026-03-10T09:00:00', { stageTo: 'opportunity' }),
      ev('opportunity.closed', '2026-03-20T09:00:00', { outcome: 'won' }),
      ev('lead.ownerChanged', '2026-04-02T09:00:00', { ownerTo: 'rep-wang' }),
    ]);
    const r = await measureActivity([j], { ...MARCH, groupBy: ['owner'] }, NOW);
    if (!r.ok) expect.fail(r.error.message);
    expect(r.value.rows.map((row) => [row.group[0], row.followUps, row.converted, row.signed])).toEqual([['rep-li', 1, 1, 1]]);
  });

  it('counts a win once, as it stands: won, reopened and won again is one deal; won and reopened is none', async () => {
    const win = (wall: string) => ev('opportunity.closed', wall, { outcome: 'won' });
    const reopen = (wall: string) => ev('opportunity.reopened', wall, { closedAs: 'won' });
    const twice = await measureActivity([lead('rep-li', [win('2026-03-10T09:00:00'), reopen('2026-03-11T09:00:00'), win('2026-03-12T09:00:00')])], MARCH, NOW);
    const takenBack = await measureActivity([lead('rep-li', [win('2026-03-10T09:00:00'), reopen('2026-03-11T09:00:00')])], MARCH, NOW);
    if (!twice.ok || !takenBack.ok) expect.fail('expected both');
    expect([twice.value.total.signed, takenBack.value.total.signed]).toEqual([1, 0]);
  });

  it('refuses a journey with no lead id, or an actor that is no id; a refused journey counts nothing', async () => {
    const noId = await measureActivity([{ lead: {}, events: [follow('2026-03-05T10:00:00', 'rep-li', 'call')] } as never], MARCH, NOW);
    expect(noId.ok).toBe(false);
    const badActor = await measureActivity([lead('rep-li', [follow('2026-03-05T10:00:00', 'rep-li', 'call'), ev('lead.followedUp', '2026-03-06T10:00:00', { followUp: {} }, 42 as never)])], { ...MARCH, onInvalid: 'skip' }, NOW);
    if (!badActor.ok) expect.fail(badActor.error.message);
    expect([badActor.value.records.skipped, badActor.value.total.followUps]).toEqual([1, 0]);
  });
});

describe('properties of activity', () => {
  it('the rows add up to the total counts (distinct leads aside), whatever the grouping', async () => {
    await fc.assert(
      fc.asyncProperty(journeysArb, fc.constantFrom(['owner'], ['month'], ['channel', 'week'], [] as string[]), async (journeys, groupBy) => {
        const r = await measureActivity(journeys, { from: dayOfSpan(5), to: dayOfSpan(95), zone: 'Asia/Shanghai', groupBy: groupBy as never }, dayOfSpan(100));
        if (!r.ok) throw new Error(r.error.message);
        for (const k of ['followUps', 'assigned', 'followedUpInTime', 'invitations', 'converted', 'signed'] as const) {
          expect(r.value.rows.reduce((n, row) => n + row[k], 0)).toBe(r.value.total[k]);
        }
        expect(r.value.total.followedUpInTime).toBeLessThanOrEqual(r.value.total.assigned);
        expect(r.value.total.leadsInvited).toBeLessThanOrEqual(r.value.total.leadsFollowedUp);
      }),
      { numRuns: 100 },
    );
  });
});

describe('marketing per channel', () => {
  const won = { id: 'O1', version: 3, name: '年度采购', customerId: 'C1', ownerId: 'rep-li', stageId: 'negotiation', probability: 100, sourceLeadId: 'L1', channel: 'tradeShow', expectedCloseDate: null, amount: { currency: 'CNY', minor: 10_000_000 }, createdAt: new Date(sh('2026-03-05T09:00:00')), createdBy: 'rep-li', updatedAt: new Date(sh('2026-03-20T09:00:00')), status: 'won', closeReason: null, closedAt: new Date(sh('2026-03-20T09:00:00')), closedBy: 'rep-li' };
  const journeys: LeadJourney[] = SCENARIO.map((j) => (j.lead.id === 'L1' ? { ...j, opportunity: won } : j));
  const cny = (amount: string) => ({ currency: 'CNY', amount });
  const fmt = (m: Money | null) => (m === null ? null : formatMoney(m));

  it('leads, MQLs, won, revenue and cost per lead, per MQL, per won deal and ROI', async () => {
    const r = await measureMarketing(journeys, { ...MARCH, costs: [{ group: ['tradeShow'], amount: cny('80000.00') }, { group: ['websiteForm'], amount: cny('6000.00') }, { group: ['referral'], amount: cny('1.00') }] }, NOW);
    if (!r.ok) expect.fail(r.error.message);
    const line = (row: (typeof r.value.rows)[number]) => [row.group[0], row.leads, row.mqls, row.won, row.revenue.map(fmt), fmt(row.costPerLead), fmt(row.costPerMql), fmt(row.costPerWon), row.roi];
    expect(r.value.rows.map(line)).toEqual([
      // L1 L2 L3 L7 L8; MQL: L1 L2 L3 (skipped) L7; won: L1
      ['tradeShow', 5, 4, 1, ['100000.00'], '16000.00', '20000.00', '80000.00', '0.2500'],
      // L4 L9
      ['websiteForm', 2, 2, 0, [], '3000.00', '3000.00', null, '-1.0000'],
    ]);
    // the total's cost is every cost, the referral's that brought no lead included: ¥86,001.00
    expect(line(r.value.total)).toEqual([undefined, 7, 6, 1, ['100000.00'], '12285.86', '14333.50', '86001.00', '0.1628']);
    expect(r.value.unmatchedCosts).toEqual([['referral']]);
  });

  it('refuses a cost whose group does not match the dimensions', async () => {
    const r = await measureMarketing(journeys, { ...MARCH, groupBy: ['channel', 'attribute:campaign'], costs: [{ group: ['tradeShow'], amount: cny('1.00') }] }, NOW);
    expect(r.ok).toBe(false);
  });
});
