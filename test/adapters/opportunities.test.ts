import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { formatMoney } from '../../src/core/index.js';
import { compareCodePoints } from '../../src/core/collation.js';
import { createPostgresStore, type PostgresStore, type SqlClient } from '../../src/adapters/postgres/index.js';
import { parseOpportunity, type Opportunity } from '../../src/leads/index.js';
import {
  forecastPipeline,
  measureOpportunities,
  measurePipeline,
  type ForecastQueryInput,
  type MetricEvent,
  type OpportunitiesQueryInput,
  type OpportunityJourney,
  type PipelineQueryInput,
} from '../../src/metrics/index.js';
import { START } from '../metrics/arbitraries.js';
import { JOURNEYS, NOW, Q1, ev } from '../metrics/quarter.js';
import { DATABASE_URL, HOOK_MS, useMigratedDatabase, insertDocuments, TEST_MS } from './postgres-support.js';

vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

const TEAMS = [
  { memberId: 'rep-li', teamId: 'east' },
  { memberId: 'rep-wang', teamId: 'south' },
];

/** Stores the opportunities as the rules write them (parsed, then encoded) and appends each source lead's events. */
async function seed(client: SqlClient, store: PostgresStore, tenantId: string, opportunities: readonly Opportunity[], events: ReadonlyMap<string, readonly MetricEvent[]>): Promise<void> {
  await insertDocuments(
    client,
    tenantId,
    'crm_opportunities',
    opportunities.map((o) => {
      const parsed = parseOpportunity(o);
      if (!parsed.ok) throw new Error(`the test's opportunity does not read: ${parsed.error.message}`);
      return parsed.value;
    }),
  );
  const entries = [...events].map(([leadId, list]) => ({ leadId, events: list }));
  if (entries.length === 0) return;
  const appended = await store.appendJourneyEvents(entries);
  if (!appended.ok) throw new Error(`${appended.error.code}: ${appended.error.message}`);
}

/** The journeys as the in-process metrics read them: each opportunity with the opportunity events of its source lead. */
function journeysOf(opportunities: readonly Opportunity[], events: ReadonlyMap<string, readonly MetricEvent[]>): OpportunityJourney[] {
  return [...opportunities]
    .sort((a, b) => compareCodePoints(a.id, b.id))
    .map((o) => ({ opportunity: o, events: (o.sourceLeadId === null ? [] : (events.get(o.sourceLeadId) ?? [])).filter((e) => e.type.startsWith('opportunity.')) }));
}

function deepFrozen(x: unknown, seen = new Set<unknown>()): boolean {
  if (typeof x !== 'object' || x === null || seen.has(x)) return true;
  seen.add(x);
  // a Date is the answer's own copy (its setters are the host's to call)
  if (x instanceof Date) return true;
  return Object.isFrozen(x) && Object.values(x).every((v) => deepFrozen(v, seen));
}

async function collect<T>(source: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of source) out.push(...page);
  return out;
}

/* ------------------------------------------------------------------ generated data */

const DAY = 86_400_000;
const MINUTE = 60_000;
const SPAN_DAYS = 120;
const STAGES = ['qualify', 'needs_confirmed', 'proposal', 'negotiation'] as const;
const LEADS = ['L-1', 'L-2', 'L-3', 'L-4', 'L-5'] as const;
/** Reasons as reps type them: the same reason with white space JavaScript trims (ideographic space, no-break space, a newline). */
const REASONS = ['价格太高', ' 价格太高', '价格太高\u3000', '\u00a0选择了竞品', '选择了竞品\n', '预算取消', 'b', 'a', 'B'] as const;
const at = (minutes: number) => new Date(START + minutes * MINUTE);

const opportunityArb: fc.Arbitrary<Opportunity> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 5 }),
    status: fc.constantFrom('open', 'open', 'won', 'lost', 'invalid'),
    stage: fc.constantFrom(...STAGES, 'won-stage'),
    owner: fc.constantFrom('rep-li', 'rep-wang', 'rep-zhao'),
    customer: fc.constantFrom('C-1', 'C-2'),
    channel: fc.constantFrom('referral', 'tradeShow', null),
    lead: fc.option(fc.constantFrom(...LEADS), { nil: null }),
    created: fc.integer({ min: 0, max: (SPAN_DAYS * DAY) / MINUTE / 2 }),
    life: fc.integer({ min: 0, max: (SPAN_DAYS * DAY) / MINUTE / 2 }),
    idle: fc.integer({ min: 0, max: (20 * DAY) / MINUTE }),
    probability: fc.integer({ min: 0, max: 100 }),
    amount: fc.option(
      fc.record({ currency: fc.constantFrom('CNY', 'USD', 'JPY', 'KWD'), minor: fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(0)) }),
      { nil: null },
    ),
    expected: fc.option(fc.integer({ min: -10 * 24 * 60, max: (SPAN_DAYS * DAY) / MINUTE }), { nil: null }),
    reason: fc.constantFrom(...REASONS),
  })
  .map((o) => {
    const createdAt = at(o.created);
    const end = at(o.created + o.life);
    const closed = o.status !== 'open';
    return {
      id: o.id,
      version: 1,
      name: `商机 ${o.id}`,
      customerId: o.customer,
      ownerId: o.owner,
      stageId: o.stage,
      probability: o.status === 'won' ? 100 : closed ? 0 : o.probability,
      sourceLeadId: o.lead,
      channel: o.channel,
      expectedCloseDate: o.expected === null ? null : at(o.expected),
      amount: o.amount,
      createdAt,
      createdBy: o.owner,
      updatedAt: closed ? end : at(o.created + o.life + o.idle),
      status: o.status,
      closeReason: o.status === 'won' ? (o.reason.trim() === 'b' ? '签约' : null) : closed ? o.reason : null,
      closedAt: closed ? end : null,
      closedBy: closed ? o.owner : null,
    } as Opportunity;
  });

/** The opportunity events of a source lead's journey (and a funnel event between), at instants that tie and reach past now. */
const leadEventsArb: fc.Arbitrary<MetricEvent[]> = fc.array(
  fc.oneof(
    fc.record({ type: fc.constant('opportunity.opened'), at: fc.integer({ min: 0, max: SPAN_DAYS * 24 }), data: fc.record({ stageId: fc.constantFrom(...STAGES) }) }),
    fc.record({
      type: fc.constantFrom('opportunity.advanced', 'opportunity.steppedBack', 'opportunity.movedToStage'),
      at: fc.integer({ min: 0, max: SPAN_DAYS * 24 }),
      data: fc.record({ toStageId: fc.constantFrom(...STAGES, 'won-stage') }),
    }),
    fc.record({ type: fc.constant('opportunity.reopened'), at: fc.integer({ min: 0, max: SPAN_DAYS * 24 }), data: fc.record({ closedAs: fc.constant('lost'), toStageId: fc.constantFrom(...STAGES) }) }),
    fc.record({ type: fc.constant('lead.markedMql'), at: fc.integer({ min: 0, max: SPAN_DAYS * 24 }), data: fc.constant({ stageTo: 'mql' }) }),
  ),
  { maxLength: 16 },
).map((list) => list.map((e) => ({ ...e, at: new Date(START + Math.floor(e.at / 6) * 6 * 3_600_000) }) as MetricEvent));

const dataArb = fc.record({
  opportunities: fc.uniqueArray(opportunityArb, { minLength: 5, maxLength: 50, selector: (o) => o.id }),
  // every lead with events, most of them naming the stages the opportunities stand at
  events: fc.tuple(...LEADS.map(() => leadEventsArb)).map((lists) => new Map(lists.map((list, i) => [LEADS[i]!, list]))),
});

const PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
const ZONES = ['Asia/Shanghai', 'America/New_York', 'UTC', 'CET', 'asia/shanghai', 'Australia/Lord_Howe'] as const;
const groupingArb = fc
  .record({
    dims: fc.subarray(['owner', 'team', 'channel', 'customer', 'stage'] as const, { maxLength: 2 }),
    period: fc.option(fc.constantFrom(...PERIODS), { nil: null }),
    periodFirst: fc.boolean(),
  })
  .map(({ dims, period, periodFirst }) => (period === null ? [...dims] : periodFirst ? [period, ...dims] : [...dims, period]));
const windowArb = fc.record({ fromDay: fc.integer({ min: -10, max: 100 }), days: fc.integer({ min: 1, max: 140 }) }).map(({ fromDay, days }) => ({
  from: new Date(START + fromDay * DAY).toISOString(),
  to: new Date(START + (fromDay + days) * DAY).toISOString(),
}));
const nowArb = fc.integer({ min: 0, max: SPAN_DAYS * 24 + 24 * 20 }).map((h) => new Date(START + h * 3_600_000));

const closedQueryArb: fc.Arbitrary<OpportunitiesQueryInput> = fc
  .record({ window: windowArb, groupBy: groupingArb, zone: fc.constantFrom(...ZONES), weekStartsOn: fc.constantFrom('monday' as const, 'sunday' as const) })
  .map(({ window, groupBy, zone, weekStartsOn }) => ({ ...window, zone, weekStartsOn, groupBy: groupBy as never, teams: TEAMS }));
const pipelineQueryArb: fc.Arbitrary<PipelineQueryInput> = fc
  .record({ groupBy: groupingArb.filter((g) => g.length <= 2), zone: fc.constantFrom(...ZONES), staleAfterDays: fc.integer({ min: 1, max: 15 }) })
  .map(({ groupBy, zone, staleAfterDays }) => ({ zone, groupBy: groupBy as never, teams: TEAMS, staleAfterDays }));
const forecastQueryArb: fc.Arbitrary<ForecastQueryInput> = fc
  .record({
    window: windowArb,
    groupBy: groupingArb,
    zone: fc.constantFrom(...ZONES),
    weekStartsOn: fc.constantFrom('monday' as const, 'sunday' as const),
    thresholds: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
    byStage: fc.array(fc.record({ stageId: fc.constantFrom(...STAGES, 'won-stage'), category: fc.constantFrom('pipeline' as const, 'bestCase' as const, 'commit' as const, 'closed' as const, 'omitted' as const) }), { maxLength: 3 }),
    reporting: fc.option(
      fc.record({ currency: fc.constantFrom('CNY', 'USD'), rates: fc.subarray([{ currency: 'JPY', rate: '0.048' }, { currency: 'KWD', rate: '23.1234567' }, { currency: 'EUR', rate: '7.9' }]) }),
      { nil: null },
    ),
  })
  .map(({ window, groupBy, zone, weekStartsOn, thresholds, byStage, reporting }) => ({
    ...window,
    zone,
    weekStartsOn,
    groupBy: groupBy as never,
    teams: TEAMS,
    categories: { commitFrom: Math.max(...thresholds), bestCaseFrom: Math.min(...thresholds), byStage },
    ...(reporting === null ? {} : { reportingCurrency: reporting.currency, rates: [...reporting.rates, ...(reporting.currency === 'CNY' ? [{ currency: 'USD', rate: '7.1234' }] : [{ currency: 'CNY', rate: '0.1404' }])] }),
  }));

describe.each([
  ['PGlite', true],
  ['PostgreSQL', DATABASE_URL !== undefined],
] as const)('the opportunity metrics in the database (%s)', (name, available) => {
  let client: SqlClient;
  let tenants = 0;
  const nextStore = (pageSize = 7) => {
    const tenantId = `deals-${name}-${++tenants}`;
    return { tenantId, store: createPostgresStore({ client, tenantId, pageSize }) };
  };
  const runs = name === 'PGlite' ? 60 : 100;

  useMigratedDatabase(name, available, 'deals', (opened) => (client = opened));

  it.runIf(available)('answers the quarter of deals as in process, with its hand-computed figures', async () => {
    const { tenantId, store } = nextStore();
    // the events of O9 and O10 are appended under their source leads
    const withLeads = JOURNEYS.map((j) => j.opportunity as Opportunity).map((o, i) => (JOURNEYS[i]!.events === undefined ? o : { ...o, sourceLeadId: `L-${o.id}` }));
    const events = new Map(JOURNEYS.filter((j) => j.events !== undefined).map((j) => [`L-${(j.opportunity as Opportunity).id}`, [...j.events!, ev('lead.markedMql', '2026-01-01T00:00:00', { stageTo: 'mql' })]]));
    await seed(client, store, tenantId, withLeads, events);
    const journeys = journeysOf(withLeads, events);

    const closed = await store.measureOpportunities(Q1, NOW);
    expect(closed).toEqual(await measureOpportunities(journeys, Q1, NOW));
    if (!closed.ok) return;
    expect(closed.value.total.winRate).toEqual({ numerator: 3, denominator: 6, value: '0.5000' });
    expect(closed.value.total.averageDealSize.map(formatMoney)).toEqual(['65000.00']);
    expect(closed.value.total.cycle).toEqual({ measured: 3, medianMinutes: 43200, p90Minutes: 43200 });
    expect(closed.value.total.lossReasons).toEqual([
      { reason: '价格太高', count: 2 },
      { reason: '选择了竞品', count: 1 },
    ]);

    const pipeline = await store.measurePipeline({ zone: 'Asia/Shanghai' }, NOW);
    expect(pipeline).toEqual(await measurePipeline(journeys, { zone: 'Asia/Shanghai' }, NOW));
    if (!pipeline.ok) return;
    expect(pipeline.value.total.weighted.map(formatMoney)).toEqual(['240000.00', '1000.00']);
    expect(pipeline.value.total.aging).toEqual({ measured: 2, medianMinutes: 8700, p90Minutes: 56200 });
    expect(pipeline.value.total.stale.count).toBe(1);

    for (const groupBy of [['owner'], ['month'], ['owner', 'week'], ['stage'], ['team', 'quarter']] as const) {
      const q = { ...Q1, groupBy: [...groupBy], teams: TEAMS };
      expect(await store.measureOpportunities(q, NOW)).toEqual(await measureOpportunities(journeys, q, NOW));
      expect(await store.forecastPipeline(q, NOW)).toEqual(await forecastPipeline(journeys, q, NOW));
      const p = { zone: 'Asia/Shanghai', groupBy: [...groupBy], teams: TEAMS, staleAfterDays: 6 };
      expect(await store.measurePipeline(p, NOW)).toEqual(await measurePipeline(journeys, p, NOW));
    }
    const converted = { ...Q1, reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: '7.1234' }] };
    expect(await store.forecastPipeline(converted, NOW)).toEqual(await forecastPipeline(journeys, converted, NOW));
  });

  it.runIf(available)('streams the opportunities back with their source leads’ opportunity events, in id order, through pages', async () => {
    const { tenantId, store } = nextStore(3);
    const [data] = fc.sample(dataArb, { numRuns: 1, seed: 18 });
    await seed(client, store, tenantId, data!.opportunities, data!.events);
    const streamed = await collect(store.streamOpportunities());
    expect(streamed).toEqual(journeysOf(data!.opportunities, data!.events));
  });

  it.runIf(available)('property: SQL and in-process are identical (closed, pipeline, forecast) on generated opportunities and events', async () => {
    await fc.assert(
      fc.asyncProperty(dataArb, closedQueryArb, pipelineQueryArb, forecastQueryArb, nowArb, fc.nat(), async (data, closedQuery, pipelineQuery, forecastQuery, now, pick) => {
        const { tenantId, store } = nextStore();
        await seed(client, store, tenantId, data.opportunities, data.events);
        const journeys = journeysOf(data.opportunities, data.events);
        expect(await store.measureOpportunities(closedQuery, now)).toEqual(await measureOpportunities(journeys, closedQuery, now));
        // stale at the edge: the days since one open opportunity's last change (± a day in the zone)
        const open = data.opportunities.filter((o) => o.status === 'open' && o.updatedAt.getTime() <= now.getTime());
        const edge = open.length === 0 ? pipelineQuery : { ...pipelineQuery, staleAfterDays: Math.max(1, Math.floor((now.getTime() - open[pick % open.length]!.updatedAt.getTime()) / DAY)) };
        expect(await store.measurePipeline(edge, now)).toEqual(await measurePipeline(journeys, edge, now));
        expect(await store.forecastPipeline(forecastQuery, now)).toEqual(await forecastPipeline(journeys, forecastQuery, now));
      }),
      { numRuns: runs },
    );
  });

  it.runIf(available)('identical at the edges of the calendar: year 1 seen from west of UTC, and year 9999', async () => {
    const { tenantId, store } = nextStore();
    const base = { version: 1, name: '边界', customerId: 'C-1', ownerId: 'rep-li', createdBy: 'rep-li', channel: null, sourceLeadId: null } as const;
    const early = new Date('0001-01-01T03:00:00.000Z');
    const late = new Date('9999-12-31T20:00:00.000Z');
    const opportunities = [
      { ...base, id: 'E1', stageId: 'qualify', probability: 100, status: 'won', amount: { currency: 'CNY', minor: 100 }, expectedCloseDate: null, createdAt: early, updatedAt: early, closedAt: early, closeReason: null, closedBy: 'rep-li' },
      { ...base, id: 'E2', stageId: 'qualify', probability: 40, status: 'open', amount: { currency: 'CNY', minor: 7 }, expectedCloseDate: late, createdAt: early, updatedAt: early, closedAt: null, closeReason: null, closedBy: null },
      { ...base, id: 'E3', stageId: 'qualify', probability: 0, status: 'lost', amount: null, expectedCloseDate: null, createdAt: early, updatedAt: late, closedAt: late, closeReason: '  价格太高\u3000', closedBy: 'rep-li' },
    ] as unknown as Opportunity[];
    const parsed = opportunities.map((o) => parseOpportunity(o));
    const valid = parsed.flatMap((p) => (p.ok ? [p.value] : []));
    await seed(client, store, tenantId, valid, new Map());
    const journeys = journeysOf(valid, new Map());
    const whole = { from: '0001-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' };
    for (const zone of ['America/New_York', 'Asia/Shanghai']) {
      for (const groupBy of [['year'], ['week'], ['day', 'owner']] as const) {
        const q = { ...whole, zone, groupBy: [...groupBy], weekStartsOn: 'sunday' as const };
        expect(await store.measureOpportunities(q, whole.to)).toEqual(await measureOpportunities(journeys, q, whole.to));
        expect(await store.forecastPipeline(q, whole.to)).toEqual(await forecastPipeline(journeys, q, whole.to));
        for (const staleAfterDays of [1, 3650]) {
          const p = { zone, groupBy: groupBy.filter((d) => d === 'owner'), staleAfterDays };
          for (const now of [whole.to, '0001-01-05T00:00:00.000Z']) expect(await store.measurePipeline(p, now)).toEqual(await measurePipeline(journeys, p, now));
        }
      }
    }
  });

  it.runIf(available)('tracks a group’s first 1,000 distinct loss reasons in the order streamed, as in process', async () => {
    const { tenantId, store } = nextStore();
    const lost = (id: string, reason: string): Opportunity =>
      ({
        id, version: 1, name: id, customerId: 'C-1', ownerId: 'rep-li', stageId: 'proposal', probability: 0, sourceLeadId: null, channel: null, expectedCloseDate: null, amount: null,
        createdAt: new Date(START), createdBy: 'rep-li', updatedAt: new Date(START + DAY), status: 'lost', closeReason: reason, closedAt: new Date(START + DAY), closedBy: 'rep-li',
      }) as Opportunity;
    // 1,000 distinct reasons first (by id), one of them three times; then a reason given five times, after the 1,000th: untracked
    const opportunities = [
      ...Array.from({ length: 1000 }, (_, i) => lost(`A${String(i).padStart(4, '0')}`, `原因 ${String(i).padStart(4, '0')}`)),
      lost('B1', '原因 0007'),
      lost('B2', '原因 0007'),
      ...Array.from({ length: 5 }, (_, i) => lost(`Z${i}`, '来得太晚')),
    ];
    await seed(client, store, tenantId, opportunities, new Map());
    const q = { from: new Date(START).toISOString(), to: new Date(START + 10 * DAY).toISOString(), zone: 'UTC' };
    const sql = await store.measureOpportunities(q, q.to);
    expect(sql).toEqual(await measureOpportunities(journeysOf(opportunities, new Map()), q, q.to));
    if (!sql.ok) return;
    expect(sql.value.total.lossReasons[0]).toEqual({ reason: '原因 0007', count: 3 });
    expect(sql.value.total.lossReasons.some((r) => r.reason === '来得太晚')).toBe(false);
    expect(sql.value.total.otherLossReasons).toBe(1007 - 3 - 19);
  });

  it.runIf(available)('property: no query or now makes them throw, reject or change what they were given; answers are frozen all the way down', async () => {
    const { tenantId, store } = nextStore();
    const [data] = fc.sample(dataArb, { numRuns: 1, seed: 3 });
    await seed(client, store, tenantId, data!.opportunities, data!.events);
    /** A query that mostly reads, one field of it replaced by anything. */
    const bent = <Q extends object>(arb: fc.Arbitrary<Q>) =>
      fc.oneof(fc.anything(), arb, fc.tuple(arb, fc.constantFrom('from', 'to', 'zone', 'groupBy', 'teams', 'weekStartsOn', 'staleAfterDays', 'categories', 'rates', 'reportingCurrency'), fc.anything()).map(([q, k, v]) => ({ ...q, [k]: v })));
    const nowish = fc.oneof(nowArb, fc.anything(), fc.constantFrom('2026-13-01T00:00:00Z', '0000-12-31T23:00:00Z', '10000-01-01T00:00:00Z'));
    const text = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
    await fc.assert(
      fc.asyncProperty(bent(closedQueryArb), bent(pipelineQueryArb), bent(forecastQueryArb), nowish, async (closedQuery, pipelineQuery, forecastQuery, now) => {
        const before = text([closedQuery, pipelineQuery, forecastQuery, now]);
        for (const r of [await store.measureOpportunities(closedQuery as never, now as never), await store.measurePipeline(pipelineQuery as never, now as never), await store.forecastPipeline(forecastQuery as never, now as never)]) {
          expect(r.ok || r.error.code === 'INVALID_INPUT').toBe(true);
          if (r.ok) expect(deepFrozen(r.value)).toBe(true);
        }
        expect(text([closedQuery, pipelineQuery, forecastQuery, now])).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  it.runIf(available)('a document stored past the rules that the statement cannot read is measured in process instead: the rules’ door says what is wrong', async () => {
    const { tenantId, store } = nextStore();
    const good = JOURNEYS.map((j) => j.opportunity as Opportunity).slice(0, 4);
    await seed(client, store, tenantId, good, new Map());
    // written past the rules (a raw insert): a close instant that is no instant
    await insertDocuments(client, tenantId, 'crm_opportunities', [{ ...good[0]!, id: 'O-bad', closedAt: '2026-02-30T00:00:00.000Z' } as unknown as Opportunity]);
    for (const onInvalid of ['refuse', 'skip'] as const) {
      const q = { ...Q1, onInvalid };
      const stored = await collect(store.streamOpportunities());
      const closed = await store.measureOpportunities(q, NOW);
      expect(closed).toEqual(await measureOpportunities(stored, q, NOW));
      expect(closed.ok).toBe(onInvalid === 'skip');
      if (closed.ok) expect(closed.value.records.skipped).toBe(1);
      expect(await store.forecastPipeline(q, NOW)).toEqual(await forecastPipeline(stored, q, NOW));
      // the pipeline's statement never reads a close instant: the won record is not open, and is
      // not checked (as documented: a document that reads is taken as it stands; auditDatabase finds it)
      const pipeline = await store.measurePipeline({ zone: 'UTC', onInvalid }, NOW);
      const clean = await measurePipeline(stored.filter((j) => (j.opportunity as Opportunity).id !== 'O-bad'), { zone: 'UTC', onInvalid }, NOW);
      expect(pipeline.ok && clean.ok && [pipeline.value.rows, pipeline.value.total]).toEqual(clean.ok && [clean.value.rows, clean.value.total]);
    }
  });

  it.runIf(available)('refuses what in process refuses, with the same error', async () => {
    const { store } = nextStore();
    for (const [sql, inProcess] of [
      [await store.measureOpportunities({ ...Q1, groupBy: ['nope' as never] }, NOW), await measureOpportunities([], { ...Q1, groupBy: ['nope' as never] }, NOW)],
      [await store.measurePipeline({ zone: 'Asia/Shanghai', staleAfterDays: 0 }, NOW), await measurePipeline([], { zone: 'Asia/Shanghai', staleAfterDays: 0 }, NOW)],
      [await store.forecastPipeline(Q1, 'yesterday'), await forecastPipeline([], Q1, 'yesterday')],
    ] as const) {
      expect(sql.ok).toBe(false);
      expect(sql).toEqual(inProcess);
    }
  });

  it.runIf(available)('keeps tenants apart: the same ids in two tenants, each measured alone', async () => {
    const a = nextStore();
    const b = nextStore();
    const [one, two] = fc.sample(dataArb, { numRuns: 2, seed: 7 });
    const ids = new Map(one!.opportunities.map((o, i) => [i, o.id]));
    const twoSameIds = two!.opportunities.slice(0, one!.opportunities.length).map((o, i) => ({ ...o, id: ids.get(i)! }));
    await seed(client, a.store, a.tenantId, one!.opportunities, one!.events);
    await seed(client, b.store, b.tenantId, twoSameIds, two!.events);
    const q = { from: new Date(START).toISOString(), to: new Date(START + 200 * DAY).toISOString(), zone: 'UTC', groupBy: ['owner' as const] };
    const end = new Date(START + 200 * DAY);
    expect(await a.store.measureOpportunities(q, end)).toEqual(await measureOpportunities(journeysOf(one!.opportunities, one!.events), q, end));
    expect(await b.store.measureOpportunities(q, end)).toEqual(await measureOpportunities(journeysOf(twoSameIds, two!.events), q, end));
    expect(await b.store.forecastPipeline(q, end)).toEqual(await forecastPipeline(journeysOf(twoSameIds, two!.events), q, end));
  });

  it.runIf(available)('an append whose opportunity event would not read as the pipeline reads it is refused at its path, and nothing is stored', async () => {
    const { tenantId, store } = nextStore();
    const r = await store.appendJourneyEvents([
      { leadId: 'L-1', events: [{ type: 'opportunity.opened', at: new Date(START), data: { stageId: 'qualify' } }] },
      { leadId: 'L-2', events: [{ type: 'opportunity.advanced', at: new Date(START), data: { toStageId: 42 } } as unknown as MetricEvent] },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect((r.error.details as unknown as { issues: { path: unknown[] }[] }).issues[0]!.path).toEqual(['entries', 1, 'events', 0, 'data', 'toStageId']);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM crm_journey_events WHERE tenant_id = $1', [tenantId]);
    expect(rows[0]!.n).toBe(0);
  });
});
