import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { formatMoney } from '../../src/core/index.js';
import { compareCodePoints } from '../../src/core/collation.js';
import { createPostgresStore, type SqlClient } from '../../src/adapters/postgres/index.js';
import { measureCollection, type CollectionQueryInput } from '../../src/metrics/index.js';
import type { PaymentPlan } from '../../src/payments/index.js';
import { paymentPlanArb } from '../../src/testing/index.js';
import { COLLECTION_NOW, collectionPlans, sh } from '../metrics/scenario.js';
import { DATABASE_URL, HOOK_MS, useMigratedDatabase, insertDocuments, TEST_MS } from './postgres-support.js';

vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

const TEAMS = [
  { memberId: 'rep-li', teamId: 'east' },
  { memberId: 'rep-wang', teamId: 'south' },
];
const MARCH_APRIL = { from: sh('2026-03-01T00:00:00'), to: sh('2026-05-01T00:00:00'), zone: 'Asia/Shanghai' };

async function collect<T>(source: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of source) out.push(...page);
  return out;
}

const DAY = 86_400_000;
/** Plans of the testing kit (many zones, currencies, owners, partly paid), each id once. */
const plansArb = fc.uniqueArray(paymentPlanArb(), { maxLength: 14, selector: (p) => p.id });
/** A collection query over the kit's years: any grouping, zone, window, week start and aging buckets. */
const queryArb: fc.Arbitrary<CollectionQueryInput> = fc
  .record({
    dims: fc.subarray(['owner', 'team', 'customer'] as const, { maxLength: 2 }),
    period: fc.option(fc.constantFrom('day', 'week', 'month', 'quarter', 'year') as fc.Arbitrary<'day' | 'week' | 'month' | 'quarter' | 'year'>, { nil: null }),
    zone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Pacific/Kiritimati', 'America/St_Johns'),
    weekStartsOn: fc.constantFrom('monday' as const, 'sunday' as const),
    fromDay: fc.integer({ min: -400, max: 1500 }),
    days: fc.integer({ min: 1, max: 800 }),
    buckets: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 5 }), { nil: null }),
  })
  .map(({ dims, period, zone, weekStartsOn, fromDay, days, buckets }) => ({
    from: new Date(Date.UTC(2025, 0, 1) + fromDay * DAY + 3_600_000),
    to: new Date(Date.UTC(2025, 0, 1) + (fromDay + days) * DAY),
    zone,
    weekStartsOn,
    teams: TEAMS,
    groupBy: period === null ? [...dims] : [...dims, period],
    ...(buckets === null ? {} : { policy: { zone: 'UTC', agingBuckets: [...buckets].sort((a, b) => a - b) } }),
  }));

describe.each([
  ['PGlite', true],
  ['PostgreSQL', DATABASE_URL !== undefined],
] as const)('collection in the database (%s)', (name, available) => {
  let client: SqlClient;
  let tenants = 0;
  const nextStore = () => {
    const tenantId = `collection-${name}-${++tenants}`;
    return { tenantId, store: createPostgresStore({ client, tenantId, pageSize: 5 }) };
  };
  const seed = (tenantId: string, plans: readonly PaymentPlan[]) => insertDocuments(client, tenantId, 'crm_payment_plans', plans);

  useMigratedDatabase(name, available, 'collection', (opened) => (client = opened));

  it.runIf(available)('the payments rules’ own plans: the hand-computed figures, and every grouping as in process', async () => {
    const { tenantId, store } = nextStore();
    const plans = await collectionPlans();
    await seed(tenantId, plans);
    const sql = await store.measureCollection(MARCH_APRIL, COLLECTION_NOW);
    expect(sql).toEqual(await measureCollection(plans, MARCH_APRIL, COLLECTION_NOW));
    if (!sql.ok) return;
    const f = sql.value.total.currencies[0]!;
    // due: I1 300.00 + I2 500.01 + J1 600.00; paid 500.00; bad debt 600.00; I2 overdue 300.01
    expect([f.currency, ...[f.due, f.paid, f.badDebt, f.outstanding, f.overdue].map(formatMoney), f.collectionRate.value, f.badDebtRate.value, f.overdueRate.value]).toEqual([
      'CNY', '1400.01', '500.00', '600.00', '300.01', '300.01', '0.3571', '0.4286', '0.2143',
    ]);
    // DSO: 500.01 outstanding now against March–April sales of 1,000.01, × 61 days
    expect(sql.value.dso.map((d) => [formatMoney(d.outstanding), formatMoney(d.sales), d.days, d.value])).toEqual([['500.01', '1000.01', 61, '30.5']]);
    expect(sql.value.aging.flatMap((a) => a.buckets.map((b) => b.bucket)).length).toBeGreaterThan(0);
    for (const groupBy of [['month'], ['owner'], ['team', 'week'], ['customer', 'quarter'], ['day']] as const) {
      for (const now of [COLLECTION_NOW, sh('2026-04-01T00:00:00'), sh('2026-06-30T00:00:00')]) {
        for (const policy of [undefined, { zone: 'Asia/Shanghai', agingBuckets: [7, 14] }]) {
          const query = { ...MARCH_APRIL, groupBy: [...groupBy], teams: TEAMS, ...(policy === undefined ? {} : { policy }) };
          const inProcess = await measureCollection(plans, query, now);
          expect(inProcess.ok).toBe(true);
          expect(await store.measureCollection(query, now)).toEqual(inProcess);
        }
      }
    }
    expect((await collect(store.streamPlans())).map((p) => p.id)).toEqual(['PP-1', 'PP-2']);
  });

  it.runIf(available)('at the edges: now at an installment’s overdue instant, a window starting inside a due day, an order at the window’s end', async () => {
    const { tenantId, store } = nextStore();
    const plans = await collectionPlans();
    await seed(tenantId, plans);
    const same = async (query: CollectionQueryInput, now: Date | string) => {
      const sql = await store.measureCollection(query, now);
      expect(sql).toEqual(await measureCollection(plans, query, now));
      if (!sql.ok) throw new Error(sql.error.message);
      return sql.value;
    };
    // I2 (500.01, 200.00 paid) is overdue from the first instant of April 2 in Shanghai: at that instant, not a millisecond before
    const at = await same(MARCH_APRIL, sh('2026-04-02T00:00:00'));
    const before = await same(MARCH_APRIL, '2026-04-01T15:59:59.999Z');
    expect([formatMoney(at.total.currencies[0]!.overdue), formatMoney(before.total.currencies[0]!.overdue)]).toEqual(['300.01', '0.00']);
    // a window from noon on March 2: I1, due March 2 (from its first instant), is not in it
    const noon = await same({ ...MARCH_APRIL, from: sh('2026-03-02T12:00:00') }, COLLECTION_NOW);
    expect(noon.total.installments).toBe(2);
    // PP-1 was ordered at 09:30 on March 2: a window ending then holds only PP-2's sale
    const sales = await same({ from: sh('2026-02-01T00:00:00'), to: sh('2026-03-02T09:30:00'), zone: 'Asia/Shanghai' }, COLLECTION_NOW);
    expect(sales.dso.map((d) => formatMoney(d.sales))).toEqual(['600.00']);
  });

  it.runIf(available)('property: identical to in process on generated plans (zones, currencies, payments), queries, aging buckets and now', async () => {
    await fc.assert(
      fc.asyncProperty(plansArb, queryArb, fc.integer({ min: -30, max: 900 }), async (plans, query, day) => {
        const { tenantId, store } = nextStore();
        await seed(tenantId, plans);
        // now among the plans' last changes (some plans changed after it: left out as in process)
        const changes = plans.map((p) => p.updatedAt.getTime()).sort((a, b) => a - b);
        const now = new Date((changes[Math.floor(changes.length / 2)] ?? Date.UTC(2026, 0, 1)) + day * DAY);
        const inProcess = await measureCollection(plans, query, now);
        expect(inProcess.ok).toBe(true);
        const sql = await store.measureCollection(query, now);
        expect(sql).toEqual(inProcess);
        expect(sql).toEqual(await measureCollection(store.streamPlans(), query, now));
      }),
      { numRuns: name === 'PGlite' ? 80 : 120 },
    );
  });

  it.runIf(available)('a plan stored past the rules whose amount, instant or zone the statement or the calendar cannot read is measured in process instead', async () => {
    const plans = await collectionPlans();
    const broken: [string, (p: PaymentPlan) => unknown][] = [
      ['a fractional amount', (p) => ({ ...p, installments: [{ ...p.installments[0]!, paid: { currency: 'CNY', minor: 1.5 } }, ...p.installments.slice(1)] })],
      ['an instant that does not parse', (p) => ({ ...p, updatedAt: 'soon' })],
      ['a zone nobody knows', (p) => ({ ...p, zone: 'Mars/Olympus_Mons' })],
    ];
    for (const [what, breakIt] of broken) {
      const { tenantId, store } = nextStore();
      await seed(tenantId, [plans[0]!, breakIt(plans[1]!) as PaymentPlan]);
      for (const onInvalid of ['refuse', 'skip'] as const) {
        const query = { ...MARCH_APRIL, onInvalid };
        const sql = await store.measureCollection(query, COLLECTION_NOW);
        expect(sql, what).toEqual(await measureCollection(store.streamPlans(), query, COLLECTION_NOW));
        expect(sql.ok ? sql.value.records.skipped : 'refused', what).toBe(onInvalid === 'skip' ? 1 : 'refused');
      }
    }
  });

  it.runIf(available)('keeps tenants apart; refuses a bad query, policy or now; never throws or changes its input', async () => {
    const a = nextStore();
    const b = nextStore();
    const plans = await collectionPlans();
    await seed(a.tenantId, plans);
    await seed(b.tenantId, [{ ...plans[0]!, ownerId: 'rep-zhao' }]);
    const byOwner = { ...MARCH_APRIL, groupBy: ['owner' as const] };
    expect(await a.store.measureCollection(byOwner, COLLECTION_NOW)).toEqual(await measureCollection(plans, byOwner, COLLECTION_NOW));
    const other = await b.store.measureCollection(byOwner, COLLECTION_NOW);
    expect(other.ok && other.value.rows.map((r) => r.group)).toEqual([['rep-zhao']]);
    for (const [q, now] of [
      [{ ...MARCH_APRIL, from: MARCH_APRIL.to, to: MARCH_APRIL.from }, COLLECTION_NOW],
      [{ ...MARCH_APRIL, policy: { zone: 'Asia/Shanghai', agingBuckets: [5, 3] } }, COLLECTION_NOW],
      [MARCH_APRIL, 'tomorrow'],
      [null, COLLECTION_NOW],
    ] as const) {
      const r = await a.store.measureCollection(q as never, now as never);
      expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
    }
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (query, now) => {
        const before = JSON.stringify([query, now], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
        const r = await a.store.measureCollection(query as never, now as never);
        expect(r.ok || r.error.code === 'INVALID_INPUT').toBe(true);
        if (r.ok) expect([r.value, r.value.total, r.value.records, r.value.aging, r.value.dso, ...r.value.rows].every(Object.isFrozen)).toBe(true);
        expect(JSON.stringify([query, now], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(before);
      }),
      { numRuns: 60 },
    );
    // the plans stream back by id, each once
    const streamed = await collect(a.store.streamPlans());
    expect(streamed.map((p) => p.id)).toEqual(plans.map((p) => p.id).sort(compareCodePoints));
  });
});
