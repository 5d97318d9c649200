import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createPostgresStore, type PostgresStore, type SqlClient } from '../../src/adapters/postgres/index.js';
import { measureActivity, measureFunnel, measureMarketing, type ActivityQueryInput, type ActivityRow, type FunnelQueryInput, type LeadJourney, type MetricEvent } from '../../src/metrics/index.js';
import { leadJourneyArb } from '../../src/testing/index.js';
import { journeyArb, opportunityArb, START } from '../metrics/arbitraries.js';
import { compareCodePoints } from '../../src/core/collation.js';
import { follow, MARCH, NOW, SCENARIO, sh, TEAM } from '../metrics/scenario.js';
import { DATABASE_URL, HOOK_MS, useMigratedDatabase, insertDocuments, TEST_MS } from './postgres-support.js';

vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

const TEAMS = [
  { memberId: 'rep-li', teamId: 'east' },
  { memberId: 'rep-wang', teamId: 'south' },
];

/** Stores the journeys' leads as documents (what the SQL reads of them) and appends their events. */
async function seed(client: SqlClient, store: PostgresStore, tenantId: string, journeys: readonly LeadJourney[]): Promise<void> {
  if (journeys.length === 0) return;
  await insertDocuments(client, tenantId, 'crm_leads', journeys.map((j) => ({ version: 1, ...j.lead })));
  const appended = await store.appendJourneyEvents(journeys.map((j) => ({ leadId: j.lead.id, events: j.events ?? [] })));
  expect(appended.ok).toBe(true);
}

const storeOpportunities = (client: SqlClient, tenantId: string, opportunities: readonly { readonly id: string; readonly version: number }[]) => insertDocuments(client, tenantId, 'crm_opportunities', opportunities);

async function collect<T>(source: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of source) out.push(...page);
  return out;
}

const DAY = 86_400_000;
const PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
/** A funnel query over the arbitraries' span: any reading, grouping, zone, window and week start. */
const queryArb: fc.Arbitrary<FunnelQueryInput> = fc
  .record({
    reading: fc.constantFrom('cohort' as const, 'period' as const),
    dims: fc.subarray(['owner', 'team', 'pool', 'channel', 'attribute:industry'] as const, { maxLength: 2 }),
    period: fc.option(fc.constantFrom(...PERIODS), { nil: null }),
    periodFirst: fc.boolean(),
    zone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'UTC', 'Asia/Kolkata', 'asia/shanghai', 'CET', 'Europe/Paris'),
    weekStartsOn: fc.constantFrom('monday' as const, 'sunday' as const),
    fromDay: fc.integer({ min: -10, max: 100 }),
    days: fc.integer({ min: 1, max: 130 }),
  })
  .map(({ reading, dims, period, periodFirst, zone, weekStartsOn, fromDay, days }) => ({
    reading,
    from: new Date(START + fromDay * DAY).toISOString(),
    to: new Date(START + (fromDay + days) * DAY).toISOString(),
    zone,
    weekStartsOn,
    teams: TEAMS,
    groupBy: period === null ? [...dims] : periodFirst ? [period, ...dims] : [...dims, period],
  }));
/** Many journeys a run (the rare sequences — a win reopened, a void restored, a correction after a conversion — show up in most runs). */
const journeysArb = fc.uniqueArray(journeyArb(fc.string({ minLength: 1, maxLength: 6 })), { minLength: 20, maxLength: 80, selector: (j) => j.lead.id });
/** The same, every instant snapped to a 3-day grid: many events (and creations) at one instant, read in the order given. */
const tiedJourneysArb = journeysArb.map((js) =>
  js.map((j) => ({
    lead: { ...j.lead, createdAt: snap(j.lead.createdAt as Date) },
    events: (j.events ?? []).map((e) => ({ ...e, at: snap(e.at as Date) })),
  })),
);
function snap(d: Date): Date {
  const grid = 3 * 86_400_000;
  return new Date(START + Math.floor((d.getTime() - START) / grid) * grid);
}
const nowArb = fc.integer({ min: 0, max: 130 * 24 }).map((h) => new Date(START + h * 3_600_000));

describe.each([
  ['PGlite', true],
  ['PostgreSQL', DATABASE_URL !== undefined],
] as const)('the funnel in the database (%s)', (name, available) => {
  let client: SqlClient;
  let tenants = 0;
  const nextStore = () => {
    const tenantId = `funnel-${name}-${++tenants}`;
    return { tenantId, store: createPostgresStore({ client, tenantId, pageSize: 7 }) };
  };

  useMigratedDatabase(name, available, 'journeys', (opened) => (client = opened));

  it.runIf(available)('answers the seed scenario as in process: every reading and grouping, to the count, rate and minute', async () => {
    const { tenantId, store } = nextStore();
    await seed(client, store, tenantId, SCENARIO);
    for (const reading of ['cohort', 'period'] as const) {
      for (const groupBy of [[], ['channel'], ['owner', 'week'], ['month', 'team'], ['attribute:industry', 'day']] as const) {
        const query = { reading, ...MARCH, groupBy: [...groupBy], teams: TEAMS };
        const inProcess = await measureFunnel(SCENARIO, query, NOW);
        expect(inProcess.ok).toBe(true);
        expect(await store.measureFunnel(query, NOW)).toEqual(inProcess);
      }
    }
  });

  it.runIf(available)('streams the journeys back as appended (events in order, the lead’s opportunity), and they measure the same', async () => {
    const { tenantId, store } = nextStore();
    const journeys = fc.sample(leadJourneyArb({ maxSteps: 8 }), { numRuns: 40, seed: 18 });
    const distinct = [...new Map(journeys.map((j) => [j.lead.id, j])).values()];
    await seed(client, store, tenantId, distinct);
    const streamed = await collect(store.streamJourneys());
    expect(streamed.map((j) => j.lead.id)).toEqual(distinct.map((j) => j.lead.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const byId = new Map(distinct.map((j) => [j.lead.id, j]));
    for (const j of streamed) expect(j.events!.map((e) => [e.type, new Date(e.at).getTime()])).toEqual(byId.get(j.lead.id)!.events!.map((e) => [e.type, new Date(e.at).getTime()]));
    const query = { reading: 'cohort' as const, from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', zone: 'Asia/Shanghai', groupBy: ['channel' as const, 'quarter' as const] };
    const now = '2027-06-01T00:00:00Z';
    const inProcess = await measureFunnel(distinct, query, now);
    expect(await measureFunnel(store.streamJourneys(), query, now)).toEqual(inProcess);
    expect(await store.measureFunnel(query, now)).toEqual(inProcess);
  });

  it.runIf(available)('property: SQL and in-process funnels are identical on generated journeys (voids, corrections, reopened wins, ties, events out of order)', async () => {
    await fc.assert(
      fc.asyncProperty(journeysArb, queryArb, nowArb, async (journeys, query, now) => {
        const { tenantId, store } = nextStore();
        await seed(client, store, tenantId, journeys);
        const inProcess = await measureFunnel(journeys, query, now);
        expect(inProcess.ok).toBe(true);
        expect(await store.measureFunnel(query, now)).toEqual(inProcess);
      }),
      { numRuns: name === 'PGlite' ? 100 : 150 },
    );
  });

  it.runIf(available)('property: marketing in the database equals marketing in process (the cohort, MQLs and wins, the revenue of each lead’s first opportunity by id, the costs)', async () => {
    const dealsArb = fc.uniqueArray(fc.tuple(fc.nat(), opportunityArb(fc.string({ minLength: 1, maxLength: 4 }))), { maxLength: 40, selector: ([, o]) => o.id });
    const marketingQueryArb = queryArb.map(({ reading: _reading, groupBy, ...rest }) => ({ ...rest, groupBy: [...(groupBy ?? [])] }));
    await fc.assert(
      fc.asyncProperty(journeysArb, dealsArb, marketingQueryArb, nowArb, async (journeys, deals, query, now) => {
        const { tenantId, store } = nextStore();
        await seed(client, store, tenantId, journeys);
        // deals under (at most eight of) the leads with a won deal in their events, most with several: the first by id is the lead's
        const winners = journeys.filter((j) => (j.events ?? []).some((e) => e.type === 'opportunity.closed' && (e.data as { outcome?: string }).outcome === 'won'));
        const under = winners.length > 0 ? winners : journeys;
        const opportunities = deals.map(([k, o]) => ({ ...o, sourceLeadId: under[k % Math.min(8, under.length)]!.lead.id }));
        await storeOpportunities(client, tenantId, opportunities);
        const first = new Map<string, (typeof opportunities)[number]>();
        for (const o of [...opportunities].sort((a, b) => compareCodePoints(a.id, b.id))) if (!first.has(o.sourceLeadId)) first.set(o.sourceLeadId, o);
        const withDeals = journeys.map((j) => (first.has(j.lead.id) ? { ...j, opportunity: first.get(j.lead.id)! } : j));
        const inProcess = await measureMarketing(withDeals, query, now);
        expect(inProcess.ok).toBe(true);
        if (!inProcess.ok) return;
        // costs for two of the groups, and one for a group no lead fell in
        const groups = inProcess.value.rows.slice(0, 2).map((r) => r.group);
        const keyed = new Map([...groups, query.groupBy.map(() => 'nobody')].map((group) => [JSON.stringify(group), group]));
        const costs = [...keyed.values()].map((group, i) => ({ group, amount: { currency: 'CNY', minor: 100_000 * (i + 1) } }));
        const costed = { ...query, costs };
        const sql = await store.measureMarketing(costed, now);
        expect(sql).toEqual(await measureMarketing(withDeals, costed, now));
        expect(sql).toEqual(await measureMarketing(store.streamJourneys(), costed, now));
      }),
      { numRuns: name === 'PGlite' ? 60 : 100 },
    );
  });

  it.runIf(available)('activity: two reps’ March with its hand-computed rates, and the seed scenario, as in process for every grouping, deadline and invitation channels', async () => {
    const { tenantId, store } = nextStore();
    await seed(client, store, tenantId, TEAM);
    const byRep = await store.measureActivity({ ...MARCH, groupBy: ['owner'] }, NOW);
    expect(byRep).toEqual(await measureActivity(TEAM, { ...MARCH, groupBy: ['owner'] }, NOW));
    if (!byRep.ok) return;
    const counts = (r: ActivityRow) => [r.followUps, r.leadsFollowedUp, r.assigned, r.followedUpInTime, r.invitations, r.leadsInvited, r.converted, r.signed];
    // Li: 6 follow-ups on A, B and D; A and B given to him, A followed in time; a visit and a meeting; A converted and won.
    // Wang: C and D given to him, D followed the same day (by Li)
    expect(byRep.value.rows.map((r) => [r.group[0], ...counts(r)])).toEqual([
      ['rep-li', 6, 3, 2, 1, 2, 2, 1, 1],
      ['rep-wang', 0, 0, 2, 1, 0, 0, 0, 0],
    ]);
    expect([byRep.value.rows[0]!.followUpsPerLead.value, byRep.value.rows[0]!.followUpRate.value, byRep.value.rows[0]!.invitationRate.value]).toEqual(['2.0000', '0.5000', '0.6667']);
    const wider = await store.measureActivity({ ...MARCH, followUpWithinDays: 2, invitationChannels: ['visit', 'meeting', 'message'] }, NOW);
    expect(wider.ok && [wider.value.total.followedUpInTime, wider.value.total.invitations, wider.value.total.leadsInvited]).toEqual([3, 3, 3]);
    const scenario = nextStore();
    await seed(client, scenario.store, scenario.tenantId, SCENARIO);
    for (const [journeys, db] of [[TEAM, store], [SCENARIO, scenario.store]] as const) {
      for (const groupBy of [[], ['owner'], ['team', 'week'], ['month', 'channel'], ['pool', 'day']] as const) {
        for (const extra of [{}, { followUpWithinDays: 0 }, { followUpWithinDays: 3, invitationChannels: ['call'] }]) {
          const query = { ...MARCH, groupBy: [...groupBy], teams: TEAMS, ...extra };
          const inProcess = await measureActivity(journeys, query, NOW);
          expect(inProcess.ok).toBe(true);
          expect(await db.measureActivity(query, NOW)).toEqual(inProcess);
        }
      }
    }
  });

  it.runIf(available)('activity at one instant: a follow-up given before the assignment at its instant still follows it up in time; the owner changes in the order given', async () => {
    const { tenantId, store } = nextStore();
    const at = sh('2026-03-10T10:00:00');
    const journeys: LeadJourney[] = [
      // the follow-up first, then the claim, at one instant; the next follow-up long after the deadline
      { lead: { id: 'T1', createdAt: sh('2026-03-01T09:00:00'), ownerId: 'rep-li' }, events: [follow('2026-03-10T10:00:00', 'rep-li', 'call'), { type: 'lead.claimed', at, data: { ownerId: 'rep-li' } }, follow('2026-03-20T10:00:00', 'rep-li', 'call')] },
      // given to Wang then to Li at one instant, then a follow-up with no actor: Li's
      { lead: { id: 'T2', createdAt: sh('2026-03-01T09:00:00'), ownerId: 'rep-li' }, events: [{ type: 'lead.assigned', at, data: { ownerId: 'rep-wang' } }, { type: 'lead.ownerChanged', at, data: { ownerTo: 'rep-li' } }, { type: 'lead.followedUp', at, data: {} }] },
    ];
    await seed(client, store, tenantId, journeys);
    const query = { ...MARCH, groupBy: ['owner' as const], followUpWithinDays: 0 };
    const sql = await store.measureActivity(query, NOW);
    expect(sql).toEqual(await measureActivity(journeys, query, NOW));
    if (!sql.ok) return;
    const counts = (r: ActivityRow) => [r.followUps, r.assigned, r.followedUpInTime];
    // Li: T1's two follow-ups and T2's; T1's claim and T2's change of owner, both followed at their instant. Wang: T2's assignment, followed at its instant
    expect(sql.value.rows.map((r) => [r.group[0], ...counts(r)])).toEqual([
      ['rep-li', 3, 2, 2],
      ['rep-wang', 0, 1, 1],
    ]);
  });

  it.runIf(available)('activity: a follow-up deadline on the rules’ calendar where midnight comes twice (Azores, Havana), and a Date for a channel', async () => {
    const cases: { zone: string; assigned: string; followed: string | null; now: string; from: string; to: string }[] = [
      // the Azores fall back at 01:00 to 00:00 on 25 October 2026: the 25th starts at the first midnight (00:00Z), not the second
      { zone: 'Atlantic/Azores', assigned: '2026-10-24T12:00:00Z', followed: '2026-10-25T00:30:00Z', now: '2026-11-05T00:00:00Z', from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      { zone: 'Atlantic/Azores', assigned: '2026-10-24T12:00:00Z', followed: null, now: '2026-10-25T00:30:00Z', from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      { zone: 'America/Havana', assigned: '2025-11-01T17:00:00Z', followed: '2025-11-02T04:30:00Z', now: '2025-11-10T00:00:00Z', from: '2025-10-01T00:00:00Z', to: '2025-12-01T00:00:00Z' },
    ];
    for (const c of cases) {
      const { tenantId, store } = nextStore();
      const events: MetricEvent[] = [{ type: 'lead.assigned', at: c.assigned, data: { ownerId: 'rep-a' } }];
      if (c.followed !== null) events.push({ type: 'lead.followedUp', at: c.followed, actorId: 'rep-a', data: {} });
      const journeys: LeadJourney[] = [{ lead: { id: 'Z1', createdAt: '2025-01-01T00:00:00Z', ownerId: 'rep-a' }, events }];
      await seed(client, store, tenantId, journeys);
      const query = { from: c.from, to: c.to, zone: c.zone, followUpWithinDays: 0 };
      const sql = await store.measureActivity(query, c.now);
      expect(sql, `${c.zone} ${c.followed ?? 'pending'}`).toEqual(await measureActivity(journeys, query, c.now));
      // followed up after the day's end: late, counted; not followed and the day over: counted too
      expect(sql.ok && [sql.value.total.assigned, sql.value.total.followedUpInTime]).toEqual([1, 0]);
    }
    // a channel given as a Date is no channel (in process it is not text): never an invitation
    const { tenantId, store } = nextStore();
    const journeys: LeadJourney[] = [
      { lead: { id: 'D1', createdAt: sh('2026-03-01T09:00:00'), ownerId: 'rep-li' }, events: [{ type: 'lead.followedUp', at: sh('2026-03-02T09:00:00'), actorId: 'rep-li', data: { followUp: { channel: new Date('2026-01-01T00:00:00Z') } } }] },
    ];
    await seed(client, store, tenantId, journeys);
    const query = { ...MARCH, invitationChannels: ['2026-01-01T00:00:00.000Z'] };
    const sql = await store.measureActivity(query, NOW);
    expect(sql).toEqual(await measureActivity(journeys, query, NOW));
    expect(sql.ok && [sql.value.total.followUps, sql.value.total.invitations]).toEqual([1, 0]);
  });

  it.runIf(available)('property: activity in the database equals activity in process (owners given and taken, follow-ups by actor and channel, deadlines pending at now, voids, ties)', async () => {
    const activityQueryArb: fc.Arbitrary<ActivityQueryInput> = fc
      .tuple(queryArb, fc.integer({ min: 0, max: 4 }), fc.constantFrom(undefined, ['visit'], ['call', 'meeting'], []), fc.option(fc.constantFrom('Atlantic/Azores', 'America/Havana', 'America/Sao_Paulo'), { nil: undefined }))
      .map(([{ reading: _reading, groupBy, ...rest }, followUpWithinDays, invitationChannels, dstZone]) => ({
        ...rest,
        ...(dstZone === undefined ? {} : { zone: dstZone }),
        // owner and team are the rep's here, not the lead's
        groupBy: [...(groupBy ?? [])].map((d) => (d === 'attribute:industry' ? 'owner' : d)).filter((d, i, all) => all.indexOf(d) === i) as ActivityQueryInput['groupBy'] & string[],
        followUpWithinDays,
        ...(invitationChannels === undefined ? {} : { invitationChannels }),
      }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(journeysArb, tiedJourneysArb), activityQueryArb, nowArb, async (journeys, query, now) => {
        const { tenantId, store } = nextStore();
        await seed(client, store, tenantId, journeys);
        const inProcess = await measureActivity(journeys, query, now);
        expect(inProcess.ok).toBe(true);
        expect(await store.measureActivity(query, now)).toEqual(inProcess);
      }),
      { numRuns: name === 'PGlite' ? 80 : 120 },
    );
  });

  it.runIf(available)('a lead stored past the rules whose instant the statement cannot read is measured in process instead (funnel, marketing, activity)', async () => {
    const { tenantId, store } = nextStore();
    await seed(client, store, tenantId, SCENARIO);
    await insertDocuments(client, tenantId, 'crm_leads', [{ ...SCENARIO[0]!.lead, id: 'L-bad', version: 1, createdAt: 'not an instant' } as { id: string; version: number }]);
    for (const onInvalid of ['refuse', 'skip'] as const) {
      const funnel = { reading: 'cohort' as const, ...MARCH, onInvalid };
      const sql = await store.measureFunnel(funnel, NOW);
      expect(sql).toEqual(await measureFunnel(store.streamJourneys(), funnel, NOW));
      expect(sql.ok).toBe(onInvalid === 'skip');
      const marketing = { ...MARCH, onInvalid };
      expect(await store.measureMarketing(marketing, NOW)).toEqual(await measureMarketing(store.streamJourneys(), marketing, NOW));
      expect(await store.measureActivity(marketing, NOW)).toEqual(await measureActivity(store.streamJourneys(), marketing, NOW));
    }
  });

  it.runIf(available)('marketing: the seed scenario’s March by channel, with its hand-computed figures', async () => {
    const { tenantId, store } = nextStore();
    await seed(client, store, tenantId, SCENARIO);
    const won = { id: 'O1', version: 3, name: '年度采购', customerId: 'C1', ownerId: 'rep-li', stageId: 'negotiation', probability: 100, sourceLeadId: 'L1', channel: 'tradeShow', expectedCloseDate: null, amount: { currency: 'CNY', minor: 10_000_000 }, createdAt: new Date(sh('2026-03-05T09:00:00')), createdBy: 'rep-li', updatedAt: new Date(sh('2026-03-20T09:00:00')), status: 'won', closeReason: null, closedAt: new Date(sh('2026-03-20T09:00:00')), closedBy: 'rep-li' } as const;
    await storeOpportunities(client, tenantId, [won]);
    const query = { ...MARCH, costs: [{ group: ['tradeShow'], amount: { currency: 'CNY', amount: '80000.00' } }, { group: ['referral'], amount: { currency: 'CNY', amount: '1.00' } }] };
    const sql = await store.measureMarketing(query, NOW);
    expect(sql).toEqual(await measureMarketing(SCENARIO.map((j) => (j.lead.id === 'L1' ? { ...j, opportunity: won } : j)), query, NOW));
    if (!sql.ok) return;
    // L1 L2 L3 L7 L8 from the trade show; MQLs L1 L2 L3 (skipped) L7; won L1 at ¥100,000
    expect(sql.value.rows.map((r) => [r.group[0], r.leads, r.mqls, r.won, r.roi])).toEqual([
      ['tradeShow', 5, 4, 1, '0.2500'],
      ['websiteForm', 2, 2, 0, null],
    ]);
    expect(sql.value.unmatchedCosts).toEqual([['referral']]);
    expect(sql.value.total.revenue.map((m) => m.minor)).toEqual([10_000_000]);
    // the deal is recorded as won only after now: the lead counts as won (its events say so), the revenue not yet
    const later = nextStore();
    await seed(client, later.store, later.tenantId, SCENARIO);
    const lateWon = { ...won, closedAt: new Date(sh('2026-04-10T09:00:00')), updatedAt: new Date(sh('2026-04-10T09:00:00')) };
    await storeOpportunities(client, later.tenantId, [lateWon]);
    const early = await later.store.measureMarketing(query, NOW);
    expect(early).toEqual(await measureMarketing(SCENARIO.map((j) => (j.lead.id === 'L1' ? { ...j, opportunity: lateWon } : j)), query, NOW));
    if (early.ok) expect([early.value.total.won, early.value.total.revenue]).toEqual([1, []]);
  });

  it.runIf(available)('property: identical when events tie (many at one instant, read in the order given)', async () => {
    await fc.assert(
      fc.asyncProperty(tiedJourneysArb, queryArb, nowArb, async (journeys, query, now) => {
        const { tenantId, store } = nextStore();
        await seed(client, store, tenantId, journeys);
        expect(await store.measureFunnel(query, now)).toEqual(await measureFunnel(journeys, query, now));
      }),
      { numRuns: 40 },
    );
  });

  it.runIf(available)('identical at the edges of the calendar: year 1 seen from west of UTC (the year 0 before it), weeks from Sunday, year 9999', async () => {
    const { tenantId, store } = nextStore();
    const journeys: LeadJourney[] = [
      { lead: { id: 'E1', createdAt: '0001-01-01T03:00:00.000Z', ownerId: 'rep-li' }, events: [{ type: 'lead.assigned', at: '0001-01-01T03:00:00.000Z', data: { ownerId: 'rep-li' } }, { type: 'lead.markedMql', at: '0001-01-08T03:00:00.000Z', data: { stageTo: 'mql' } }] },
      { lead: { id: 'E2', createdAt: '0001-01-01T00:00:00.000Z', ownerId: 'rep-wang' }, events: [] },
      { lead: { id: 'E3', createdAt: '9999-12-31T20:00:00.000Z', ownerId: 'rep-li' }, events: [{ type: 'lead.assigned', at: '9999-12-31T21:00:00.000Z', data: { ownerId: 'rep-wang' } }, { type: 'lead.converted', at: '9999-12-31T22:00:00.000Z', data: { stageTo: 'sql' } }] },
    ];
    await seed(client, store, tenantId, journeys);
    for (const zone of ['America/New_York', 'Asia/Shanghai', 'UTC']) {
      for (const groupBy of [['week'], ['year', 'owner'], ['quarter'], ['day']] as const) {
        for (const reading of ['cohort', 'period'] as const) {
          const query = { reading, from: '0001-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z', zone, weekStartsOn: 'sunday' as const, groupBy: [...groupBy] };
          const inProcess = await measureFunnel(journeys, query, '9999-12-31T23:59:59.999Z');
          expect(inProcess.ok).toBe(true);
          expect(await store.measureFunnel(query, '9999-12-31T23:59:59.999Z')).toEqual(inProcess);
        }
        const { reading: _reading, ...activityQuery } = { reading: 0, from: '0001-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z', zone, weekStartsOn: 'sunday' as const, groupBy: [...groupBy] };
        const activity = await measureActivity(journeys, { ...activityQuery, followUpWithinDays: 365 }, '9999-12-31T23:59:59.999Z');
        expect(activity.ok).toBe(true);
        expect(await store.measureActivity({ ...activityQuery, followUpWithinDays: 365 }, '9999-12-31T23:59:59.999Z')).toEqual(activity);
      }
    }
  });

  it.runIf(available)('appends all or nothing, and refuses what the metrics would not read, at the entry and event', async () => {
    const { tenantId, store } = nextStore();
    const good: MetricEvent = { type: 'lead.markedMql', at: sh('2026-03-05T10:00:00'), data: { stageTo: 'mql' } };
    const cases: [unknown, string][] = [
      ['all', 'entries'],
      [[null], 'entries.0'],
      [[{ leadId: '', events: [] }], 'entries.0.leadId'],
      [[{ leadId: 'L1', events: 'x' }], 'entries.0.events'],
      [[{ leadId: 'L1', events: [good] }, { leadId: 'L2', events: [good, { ...good, at: 'soon' }] }], 'entries.1.events.1.at'],
      [[{ leadId: 'L1', events: [{ ...good, type: 7 }] }], 'entries.0.events.0.type'],
      [[{ leadId: 'L1', events: [{ type: 'lead.converted', at: good.at, data: { stageTo: 'mql' } }] }], 'entries.0.events.0.data.stageTo'],
      [[{ leadId: 'L1', events: [{ type: 'lead.followedUp', at: good.at, actorId: '', data: {} }] }], 'entries.0.events.0.actorId'],
      [[{ leadId: 'L1', events: [{ ...good, data: { note: 'a\u0000b' } }] }], 'entries.0.events.0.data.note'],
    ];
    for (const [entries, path] of cases) {
      const r = await store.appendJourneyEvents(entries as never);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('INVALID_INPUT');
        expect((r.error.details as unknown as { issues: { path: unknown[] }[] }).issues[0]!.path.join('.')).toBe(path);
      }
    }
    const { rows } = await client.transaction(async (tx) => {
      await tx.query("SELECT set_config('crm.tenant_id', $1, true)", [tenantId]);
      return tx.query<{ n: number }>('SELECT count(*)::int AS n FROM crm_journey_events WHERE tenant_id = $1', [tenantId]);
    });
    expect(rows[0]!.n).toBe(0);
    expect(await store.appendJourneyEvents([])).toEqual({ ok: true, value: { appended: 0 } });
    expect(await store.appendJourneyEvents([{ leadId: 'L1', events: [good, good] }])).toEqual({ ok: true, value: { appended: 2 } });
  });

  it.runIf(available)('property: no input makes an append, a funnel, a marketing or an activity report throw, reject, or change what it was given', async () => {
    const { store } = nextStore();
    const hostile = fc.oneof(
      fc.anything(),
      fc.array(fc.record({ leadId: fc.oneof(fc.string(), fc.anything()), events: fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.anything()) }), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(hostile, fc.anything(), fc.anything(), async (entries, query, now) => {
        const before = JSON.stringify([entries, query, now], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
        const appended = await store.appendJourneyEvents(entries as never);
        expect(appended.ok || appended.error.code === 'INVALID_INPUT').toBe(true);
        const funnel = await store.measureFunnel(query as never, now as never);
        expect(funnel.ok || funnel.error.code === 'INVALID_INPUT').toBe(true);
        if (funnel.ok) expect([funnel.value, funnel.value.total, funnel.value.records, ...funnel.value.rows].every(Object.isFrozen)).toBe(true);
        const marketing = await store.measureMarketing(query as never, now as never);
        expect(marketing.ok || marketing.error.code === 'INVALID_INPUT').toBe(true);
        if (marketing.ok) expect([marketing.value, marketing.value.total, marketing.value.records, marketing.value.unmatchedCosts, ...marketing.value.rows].every(Object.isFrozen)).toBe(true);
        const activity = await store.measureActivity(query as never, now as never);
        expect(activity.ok || activity.error.code === 'INVALID_INPUT').toBe(true);
        if (activity.ok) expect([activity.value, activity.value.total, activity.value.records, ...activity.value.rows].every(Object.isFrozen)).toBe(true);
        expect(JSON.stringify([entries, query, now], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(before);
      }),
      { numRuns: 100 },
    );
    const throwing = [{ get leadId(): string { throw new Error('no'); }, events: [] }];
    const r = await store.appendJourneyEvents(throwing as never);
    expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
  });

  it.runIf(available)('keeps tenants apart, and refuses a bad query or a bad now', async () => {
    const a = nextStore();
    const b = nextStore();
    await seed(client, a.store, a.tenantId, SCENARIO);
    const query = { reading: 'cohort' as const, ...MARCH };
    const none = await b.store.measureFunnel(query, NOW);
    // the same lead ids in another tenant, with half the events: neither sees the other's
    const c = nextStore();
    const half = SCENARIO.map((j) => ({ ...j, events: (j.events ?? []).slice(0, Math.floor((j.events ?? []).length / 2)) }));
    await seed(client, c.store, c.tenantId, half);
    expect(await a.store.measureFunnel({ ...query, groupBy: ['owner'] }, NOW)).toEqual(await measureFunnel(SCENARIO, { ...query, groupBy: ['owner'] }, NOW));
    expect(await c.store.measureFunnel({ ...query, groupBy: ['owner'] }, NOW)).toEqual(await measureFunnel(half, { ...query, groupBy: ['owner'] }, NOW));
    expect(none.ok && none.value.records.read).toBe(0);
    expect(none.ok && none.value.total.stages.every((s) => s.count === 0)).toBe(true);
    expect(await collect(b.store.streamJourneys())).toEqual([]);
    for (const [q, now] of [
      [{ ...query, reading: 'sideways' }, NOW],
      [{ ...query, from: MARCH.to, to: MARCH.from }, NOW],
      [query, 'tomorrow'],
      [null, NOW],
    ] as const) {
      const r = await a.store.measureFunnel(q as never, now as never);
      expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
    }
  });
});
