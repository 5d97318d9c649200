import { describe, expect, it } from 'vitest';
import { convertLead, createLead, markLeadMql, closeOpportunity, openOpportunity, type LeadEvent, type OpportunityEvent } from '../../src/leads/index.js';
import { measureFunnel, type FunnelReport, type FunnelRow, type LeadJourney, type MetricEvent } from '../../src/metrics/index.js';
import { MARCH, NOW, SCENARIO, sh, ZONE } from './scenario.js';

async function funnel(journeys: Parameters<typeof measureFunnel>[0], query: Parameters<typeof measureFunnel>[1], now: string = NOW): Promise<FunnelReport> {
  const r = await measureFunnel(journeys, query, now);
  if (!r.ok) expect.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const counts = (row: FunnelRow) => row.stages.map((s) => s.count);
const rates = (row: FunnelRow, which: 'fromPrevious' | 'fromFirst') => row.stages.map((s) => s[which]?.value ?? null);
const rowOf = (report: FunnelReport, ...group: unknown[]) => report.rows.find((r) => JSON.stringify(r.group) === JSON.stringify(group));

describe('the funnel, cohort reading (March 2026 in Shanghai)', () => {
  it('counts how far the leads created in March got by April 5, by the written rule', async () => {
    const r = await funnel(SCENARIO, { reading: 'cohort', ...MARCH });
    // L1 L2 L3 L4 L7 L8 L9 (L5 is April 1 in Shanghai, L6 voided, L10 February)
    expect(counts(r.total)).toEqual([7, 6, 4, 3, 1]);
    expect(rates(r.total, 'fromPrevious')).toEqual([null, '0.8571', '0.6667', '0.7500', '0.3333']);
    expect(rates(r.total, 'fromFirst')).toEqual(['1.0000', '0.8571', '0.5714', '0.4286', '0.1429']);
    expect(r.records).toEqual({ read: 10, counted: 7, excluded: 1, skipped: 0, issues: [] });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!.group).toEqual([]);
  });

  it('times each step over the leads that reached both stages on their own', async () => {
    const r = await funnel(SCENARIO, { reading: 'cohort', ...MARCH });
    const [, toMql, toSql, toOpportunity, toWon] = r.total.stages;
    // lead → MQL: L1 1 day, L2 2 days, L4 1 day, L7 1 day, L9 3 days (L3 skipped it)
    expect(toMql!.time).toEqual({ measured: 5, medianMinutes: 1440, p90Minutes: 4320 });
    // MQL → SQL: L1 2 days, L2 2 days, L7 4 days
    expect(toSql!.time).toEqual({ measured: 3, medianMinutes: 2880, p90Minutes: 5760 });
    // SQL → opportunity: L1 and L7 opened one at conversion (0), L2 linked one 3 days later
    expect(toOpportunity!.time).toEqual({ measured: 3, medianMinutes: 0, p90Minutes: 4320 });
    // opportunity → won: L1 15 days
    expect(toWon!.time).toEqual({ measured: 1, medianMinutes: 21600, p90Minutes: 21600 });
    expect(r.total.stages[0]!.time).toBeNull();
  });

  it('groups by channel and by an attribute, rows sorted, null first', async () => {
    const r = await funnel(SCENARIO, { reading: 'cohort', ...MARCH, groupBy: ['channel', 'attribute:industry'] });
    expect(r.dimensions).toEqual(['channel', 'attribute:industry']);
    expect(r.rows.map((row) => row.group)).toEqual([
      ['tradeShow', 'manufacturing'],
      ['tradeShow', 'retail'],
      ['websiteForm', null],
      ['websiteForm', 'retail'],
    ]);
    expect(counts(rowOf(r, 'tradeShow', 'retail')!)).toEqual([3, 3, 3, 3, 1]); // L1 L2 L7
    expect(counts(rowOf(r, 'tradeShow', 'manufacturing')!)).toEqual([2, 1, 1, 0, 0]); // L3 (MQL skipped) L8 (corrected)
    expect(counts(rowOf(r, 'websiteForm', null)!)).toEqual([1, 1, 0, 0, 0]); // L9
    expect(rowOf(r, 'tradeShow', 'manufacturing')!.stages[3]!.fromPrevious).toEqual({ numerator: 0, denominator: 1, value: '0.0000' });
    expect(rowOf(r, 'websiteForm', null)!.stages[3]!.fromPrevious).toEqual({ numerator: 0, denominator: 0, value: null });
  });

  it('groups by owner and team (from the query), a member in no team under null', async () => {
    const r = await funnel(SCENARIO, { reading: 'cohort', ...MARCH, groupBy: ['team', 'owner'], teams: [{ memberId: 'rep-li', teamId: 'east-1' }] });
    expect(r.rows.map((row) => [row.group, row.stages[0]!.count])).toEqual([
      [[null, 'rep-wang'], 4],
      [['east-1', 'rep-li'], 3],
    ]);
  });

  it('puts a cohort in the period it was created in, on the tenant wall calendar', async () => {
    const wide = { from: sh('2026-02-01T00:00:00'), to: sh('2026-05-01T00:00:00') };
    const shanghai = await funnel(SCENARIO, { reading: 'cohort', ...wide, zone: ZONE, groupBy: ['month'] });
    expect(shanghai.rows.map((row) => [row.group[0], row.stages[0]!.count])).toEqual([
      ['2026-02', 1],
      ['2026-03', 7],
      ['2026-04', 1],
    ]);
    // in UTC, L5 (2026-03-31T16:30Z) is a March lead
    const utc = await funnel(SCENARIO, { reading: 'cohort', ...wide, zone: 'UTC', groupBy: ['month'] });
    expect(utc.rows.map((row) => [row.group[0], row.stages[0]!.count])).toEqual([
      ['2026-02', 1],
      ['2026-03', 8],
    ]);
    const quarter = await funnel(SCENARIO, { reading: 'cohort', ...wide, zone: ZONE, groupBy: ['quarter'] });
    expect(quarter.rows.map((row) => [row.group[0], row.stages[0]!.count])).toEqual([
      ['2026-Q1', 8],
      ['2026-Q2', 1],
    ]);
  });

  it('starts weeks on Monday by default, or on Sunday', async () => {
    const weeks = (r: FunnelReport) => r.rows.map((row) => [row.group[0], row.stages[0]!.count]);
    const monday = await funnel(SCENARIO, { reading: 'cohort', ...MARCH, groupBy: ['week'] });
    // L1 L2 (Mon 2nd) L7 (Tue 3rd) | L3 (Tue 10th) L8 (Thu 12th) L4 (Sun 15th) | L9 (Fri 20th)
    expect(weeks(monday)).toEqual([
      ['2026-03-02', 3],
      ['2026-03-09', 3],
      ['2026-03-16', 1],
    ]);
    const sunday = await funnel(SCENARIO, { reading: 'cohort', ...MARCH, groupBy: ['week'], weekStartsOn: 'sunday' });
    expect(weeks(sunday)).toEqual([
      ['2026-03-01', 3],
      ['2026-03-08', 2],
      ['2026-03-15', 2],
    ]);
  });
});

describe('the funnel, period reading (what happened in March)', () => {
  it('counts the stage reaches in the window, whenever their leads were created', async () => {
    const r = await funnel(SCENARIO, { reading: 'period', ...MARCH });
    // MQL: L1 L2 L3 (skipped, counted with its conversion) L4 L7 L9 L10 (a February lead)
    expect(counts(r.total)).toEqual([7, 7, 5, 4, 2]);
    expect(rates(r.total, 'fromPrevious')).toEqual([null, '1.0000', '0.7143', '0.8000', '0.5000']);
    expect(r.records).toEqual({ read: 10, counted: 8, excluded: 1, skipped: 0, issues: [] });
    expect(r.total.stages[1]!.time).toEqual({ measured: 6, medianMinutes: 1440, p90Minutes: 14400 });
    // won: L1 after 15 days, L10 after 20
    expect(r.total.stages[4]!.time).toEqual({ measured: 2, medianMinutes: 21600, p90Minutes: 28800 });
  });

  it('puts each reach in the period it happened in', async () => {
    const r = await funnel(SCENARIO, { reading: 'period', from: sh('2026-02-01T00:00:00'), to: sh('2026-05-01T00:00:00'), zone: ZONE, groupBy: ['month'] });
    expect(r.rows.map((row) => [row.group[0], counts(row)])).toEqual([
      ['2026-02', [1, 0, 0, 0, 0]],
      ['2026-03', [7, 7, 5, 4, 2]],
      ['2026-04', [1, 0, 0, 0, 0]],
    ]);
  });

  it('lets a rate pass 1 when earlier leads convert in the period', async () => {
    const late = [SCENARIO[9]!]; // L10: created in February, converted and won in March
    const r = await funnel(late, { reading: 'period', ...MARCH });
    expect(counts(r.total)).toEqual([0, 1, 1, 1, 1]);
    expect(r.total.stages[1]!.fromPrevious).toEqual({ numerator: 1, denominator: 0, value: null });
  });
});

describe('journeys the lead and opportunity rules wrote', () => {
  it('reads the events the rules return, as they are', async () => {
    const actor = { id: 'rep-li', relations: ['poolMember'] as const };
    const t = (day: number) => new Date(Date.UTC(2026, 2, day, 1)); // 09:00 in Shanghai
    const created = createLead({ id: 'L-r', source: 'manual', name: '王芳', company: '杭州云启', channel: 'tradeShow' }, { now: t(2), actor });
    if (!created.ok) expect.fail(created.error.message);
    const marked = markLeadMql(created.value.lead as never, { followUpId: 'f1', result: '预算已确认' }, { now: t(3), actor });
    if (!marked.ok) expect.fail(marked.error.message);
    const converted = convertLead(marked.value.lead as never, { customer: { kind: 'new', customerId: 'C-r', name: '杭州云启' }, opportunity: { opportunityId: 'O-r', name: '年度采购' } }, { now: t(5), actor });
    if (!converted.ok) expect.fail(converted.error.message);
    const opened = openOpportunity({ id: 'O-r', name: '年度采购', customerId: 'C-r', sourceLeadId: 'L-r' }, { now: t(5), actor });
    if (!opened.ok) expect.fail(opened.error.message);
    const won = closeOpportunity(opened.value.opportunity, { outcome: 'won' }, { now: t(20), actor });
    if (!won.ok) expect.fail(won.error.message);
    const events: (LeadEvent | OpportunityEvent)[] = [...created.value.events, ...marked.value.events, ...converted.value.events, ...opened.value.events, ...won.value.events];
    const journey: LeadJourney = { lead: converted.value.lead, events };
    const r = await funnel([journey], { reading: 'cohort', ...MARCH, groupBy: ['channel'] });
    expect(r.rows.map((row) => [row.group, counts(row)])).toEqual([[['tradeShow'], [1, 1, 1, 1, 1]]]);
    expect(r.total.stages.map((s) => s.time?.medianMinutes ?? null)).toEqual([null, 1440, 2880, 0, 21600]);
  });
});

describe('streams and refusals', () => {
  it('reads arrays, pages, generators and async iterables alike', async () => {
    const query = { reading: 'cohort', ...MARCH, groupBy: ['owner'] } as const;
    const expected = await funnel(SCENARIO, query);
    async function* cursor() {
      yield SCENARIO.slice(0, 4);
      yield SCENARIO[4]!;
      yield SCENARIO.slice(5);
    }
    function* pages() {
      yield [...SCENARIO.slice(0, 3)];
      yield [...SCENARIO.slice(3)];
    }
    expect(await funnel(cursor(), query)).toEqual(expected);
    expect(await funnel(pages(), query)).toEqual(expected);
    expect(await funnel(new Set(SCENARIO), query)).toEqual(expected);
  });

  it('refuses a journey that does not read, naming where, and leaves it out with skip', async () => {
    const bad = [SCENARIO[0]!, { lead: { id: 'X', createdAt: 'yesterday' } }, SCENARIO[1]!, { lead: { id: 'Y', createdAt: sh('2026-03-02T09:00:00') }, events: [{ type: 'lead.converted', at: sh('2026-03-03T09:00:00'), data: { stageTo: 'mql' } }] }];
    const refused = await measureFunnel(bad, { reading: 'cohort', ...MARCH }, NOW);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('INVALID_INPUT');
      expect(refused.error.details).toMatchObject({ issues: [{ path: ['journeys', 1, 'lead', 'createdAt'] }] });
    }
    const skipped = await funnel(bad, { reading: 'cohort', ...MARCH, onInvalid: 'skip' });
    expect(counts(skipped.total)).toEqual([2, 2, 2, 2, 1]);
    expect(skipped.records.skipped).toBe(2);
    expect(skipped.records.issues.map((i) => i.path)).toEqual([
      ['journeys', 1, 'lead', 'createdAt'],
      ['journeys', 3, 'events', 0, 'data', 'stageTo'],
    ]);
  });

  it('refuses a bad query, now or source with INVALID_INPUT, never a throw', async () => {
    const paths = async (...args: unknown[]) => {
      const r = await (measureFunnel as (...a: unknown[]) => ReturnType<typeof measureFunnel>)(...args);
      expect(r.ok).toBe(false);
      return r.ok ? [] : (r.error.details as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'));
    };
    expect(await paths(SCENARIO, { reading: 'cohort', ...MARCH, to: MARCH.from }, NOW)).toEqual(['query.to']);
    expect(await paths(SCENARIO, { reading: 'cohort', ...MARCH, groupBy: ['month', 'week'] }, NOW)).toEqual(['query.groupBy']);
    expect(await paths(SCENARIO, { reading: 'cohort', ...MARCH, groupBy: ['owner', 'owner'] }, NOW)).toEqual(['query.groupBy']);
    expect(await paths(SCENARIO, { reading: 'cohort', ...MARCH, groupBy: ['attribute:__proto__'] }, NOW)).toEqual(['query.groupBy.0']);
    expect(await paths(SCENARIO, { reading: 'cohort', ...MARCH, zone: 'Mars/Olympus' }, NOW)).toEqual(['query.zone']);
    expect(await paths(SCENARIO, { reading: 'cohort', ...MARCH }, 'now')).toEqual(['now']);
    expect(await paths(42, { reading: 'cohort', ...MARCH }, NOW)).toEqual(['journeys']);
    expect(await paths([{ lead: { id: 'L', createdAt: sh('2026-03-02T00:00:00'), attributes: { industry: Number.NaN } } }], { reading: 'cohort', ...MARCH, groupBy: ['attribute:industry'] }, NOW)).toEqual([
      'journeys.0.lead.attributes.industry',
    ]);
  });

  it('does not see events after now, nor leads created after it', async () => {
    const early = await funnel(SCENARIO, { reading: 'cohort', ...MARCH }, sh('2026-03-19T00:00:00'));
    // by March 19: L9 not yet created, L1 not yet won, L7 won (reopened only on the 28th)
    expect(counts(early.total)).toEqual([6, 5, 4, 3, 1]);
    expect(early.records.counted).toBe(6);
    expect(early.asOf).toEqual(new Date(sh('2026-03-19T00:00:00')));
  });
});

describe('long journeys', () => {
  it('orders a journey of many events given in reverse, as it orders a short one', async () => {
    // 200 funnel events (past the short-journey insertion sort): MQLs at several instants, then the correction, MQL again and the conversion
    const events = Array.from({ length: 200 }, (_, i) => ({ type: 'lead.markedMql', at: sh(`2026-03-0${4 + (i % 5)}T10:00:00`), data: { stageTo: 'mql' } }));
    events.push({ type: 'lead.markedMql', at: sh('2026-03-04T09:00:00'), data: { stageTo: 'mql' } });
    events.push({ type: 'lead.stageCorrected', at: sh('2026-03-03T09:00:00'), data: { stageTo: 'lead' } });
    events.push({ type: 'lead.converted', at: sh('2026-03-06T09:00:00'), data: { stageTo: 'sql' } });
    const journey = (list: typeof events) => [{ lead: { id: 'L', createdAt: sh('2026-03-02T09:00:00') }, events: list }];
    const forward = await funnel(journey(events), { reading: 'cohort', ...MARCH });
    const backward = await funnel(journey([...events].reverse()), { reading: 'cohort', ...MARCH });
    // the correction (3rd) comes before every MQL (4th 09:00 first): MQL 2 days after creation
    expect(counts(forward.total)).toEqual([1, 1, 1, 0, 0]);
    expect(backward).toEqual(forward);
    expect(forward.total.stages[1]!.time!.medianMinutes).toBe(2880);
  });
});

describe('many groups, and what is not counted', () => {
  it('opens a group only for a lead it counts: no empty rows, nothing lost past the first arrays', async () => {
    const lead = (i: number, created: string) => ({ lead: { id: `L${i}`, createdAt: sh(created), ownerId: `rep-${i}` }, events: [] });
    // 64 March leads, 600 February ones (outside), 4 more in March, a voided March lead — each its own owner
    const journeys = [
      ...Array.from({ length: 64 }, (_, i) => lead(i, '2026-03-02T09:00:00')),
      ...Array.from({ length: 600 }, (_, i) => lead(1000 + i, '2026-02-02T09:00:00')),
      ...Array.from({ length: 4 }, (_, i) => lead(2000 + i, '2026-03-03T09:00:00')),
      { lead: { id: 'V', createdAt: sh('2026-03-04T09:00:00'), ownerId: 'rep-void' }, events: [{ type: 'lead.voided', at: sh('2026-03-05T09:00:00'), data: {} }] },
      { lead: { id: 'W', createdAt: sh('2025-03-04T09:00:00'), ownerId: 'rep-old' }, events: [{ type: 'lead.voided', at: sh('2025-03-05T09:00:00'), data: {} }] },
    ];
    const r = await funnel(journeys, { reading: 'cohort', ...MARCH, groupBy: ['owner'] });
    expect(r.rows).toHaveLength(68);
    expect(r.rows.every((row) => row.stages[0]!.count === 1)).toBe(true);
    expect(r.total.stages[0]!.count).toBe(68);
    // only the voided lead of the window is excluded; the other is outside it
    expect(r.records).toMatchObject({ read: 670, counted: 68, excluded: 1 });
    const period = await funnel(journeys.slice(64, 664), { reading: 'period', ...MARCH, groupBy: ['owner'] });
    expect(period.rows).toEqual([]);
  });
});

describe('hostile sources', () => {
  const query = { reading: 'cohort', ...MARCH } as const;
  const pathOf = async (source: unknown) => {
    const r = await measureFunnel(source as never, query, NOW);
    return r.ok ? 'ok' : (r.error.details as unknown as { issues: { path: unknown[] }[] }).issues[0]!.path.join('.');
  };

  it('refuses what only looks iterable, never a throw', async () => {
    expect(await pathOf({ [Symbol.iterator]: 42 })).toBe('journeys');
    expect(await pathOf({ [Symbol.asyncIterator]: null, [Symbol.iterator]: () => 7 })).toBe('journeys');
    expect(await pathOf({ [Symbol.iterator]: () => ({ next: () => 5 }) })).toBe('journeys');
    expect(await pathOf(new Array(20_000_000))).toBe('journeys');
  });

  it('refuses a built-in behind a Proxy, or a built-in iterator behind one (the engine refuses the proxy), at journeys; a failed cursor propagates', async () => {
    const proxied = [
      new Proxy(new Set([SCENARIO[0]!]), {}),
      new Proxy([SCENARIO[0]!].values(), {}),
      new Proxy((function* () {
        yield SCENARIO[0]!;
      })(), {}),
      new Proxy((async function* () {
        yield SCENARIO[0]!;
      })(), {}),
    ];
    for (const source of proxied) expect(await pathOf(source)).toBe('journeys');
    async function* failing() {
      yield SCENARIO[0]!;
      throw new RangeError('connection lost');
    }
    await expect(measureFunnel(failing(), query, NOW)).rejects.toThrow('connection lost');
  });

  it('reads a journey\'s events up to the length it read once', async () => {
    let n = 0;
    const growing = new Proxy([] as MetricEvent[], {
      get: (target, key) => (key === 'length' ? (n += 1_000_000) : key in target ? Reflect.get(target, key) : { type: 'lead.markedMql', at: sh('2026-03-03T09:00:00'), data: { stageTo: 'mql' } }),
    });
    const r = await measureFunnel([{ lead: { id: 'L', createdAt: sh('2026-03-02T09:00:00') }, events: growing }], query, NOW);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.total.stages[1]!.count).toBe(1);
  });

  it('closes the source when a refusal stops the run', async () => {
    let closed = false;
    function* source() {
      try {
        yield SCENARIO[0]!;
        yield { lead: { id: 'X', createdAt: 'yesterday' } };
        yield SCENARIO[1]!;
      } finally {
        closed = true;
      }
    }
    expect((await measureFunnel(source(), query, NOW)).ok).toBe(false);
    expect(closed).toBe(true);
  });

  it('refuses an attribute given as a getter, without calling it', async () => {
    let called = false;
    const attributes = Object.defineProperty({}, 'industry', { get: () => ((called = true), 'retail'), enumerable: true });
    const r = await measureFunnel([{ lead: { id: 'L', createdAt: sh('2026-03-02T09:00:00'), attributes } }], { ...query, groupBy: ['attribute:industry'] }, NOW);
    expect(r.ok).toBe(false);
    expect(called).toBe(false);
  });
});
