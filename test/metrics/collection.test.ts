import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../src/core/index.js';
import { createMemoryPaymentStore } from '../../src/adapters/memory/index.js';
import { createPaymentService, receivables, type PaymentPlan } from '../../src/payments/index.js';
import { measureCollection, type CollectionFigures } from '../../src/metrics/index.js';
import { paymentPlanArb } from '../../src/testing/index.js';
import { COLLECTION_NOW, collectionPlans } from './scenario.js';

/*
 * Collection (回款) from the payments rules' own plans: a 30-50-20 plan of ¥1,000.01 from
 * March 2 (due March 2, April 1, May 1), ¥500 received and applied oldest first; a ¥600 plan
 * due March 15, written off as bad debt (坏账). Seen on April 10 in Shanghai.
 */
const sh = (wall: string) => new Date(`${wall}+08:00`);
const NOW = COLLECTION_NOW;
const scenario = collectionPlans;

const fmt = (m: Money) => formatMoney(m);
const line = (f: CollectionFigures) => [f.currency, fmt(f.due), fmt(f.paid), fmt(f.badDebt), fmt(f.outstanding), fmt(f.overdue), f.collectionRate.value, f.badDebtRate.value, f.overdueRate.value];
const MARCH_APRIL = { from: sh('2026-03-01T00:00:00'), to: sh('2026-05-01T00:00:00'), zone: 'Asia/Shanghai' };

describe('collection over the payments rules own plans', () => {
  it('due, paid, bad debt, overdue and the rates, by hand', async () => {
    const plans = await scenario();
    const r = await measureCollection(plans, MARCH_APRIL, NOW);
    if (!r.ok) expect.fail(r.error.message);
    // due: I1 300.00 + I2 500.01 + J1 600.00; paid 500.00; bad debt 600.00; I2 overdue 300.01
    expect(line(r.value.total.currencies[0]!)).toEqual(['CNY', '1400.01', '500.00', '600.00', '300.01', '300.01', '0.3571', '0.4286', '0.2143']);
    expect(r.value.total.installments).toBe(3);
    // DSO: 500.01 outstanding now (I2 300.01 + I3 200.00) against March–April sales of 1,000.01 (PP-2 was ordered in February), × 61 days
    expect(r.value.dso.map((d) => [d.currency, fmt(d.outstanding), fmt(d.sales), d.days, d.value])).toEqual([['CNY', '500.01', '1000.01', 61, '30.5']]);
  });

  it('collected against planned by due month, and by owner', async () => {
    const plans = await scenario();
    const r = await measureCollection(plans, { ...MARCH_APRIL, groupBy: ['month'] }, NOW);
    if (!r.ok) expect.fail(r.error.message);
    expect(r.value.rows.map((row) => [row.group[0], ...line(row.currencies[0]!).slice(1, 3), row.currencies[0]!.collectionRate.value])).toEqual([
      ['2026-03', '900.00', '300.00', '0.3333'],
      ['2026-04', '500.01', '200.00', '0.4000'],
    ]);
    const byOwner = await measureCollection(plans, { ...MARCH_APRIL, groupBy: ['owner'] }, NOW);
    if (!byOwner.ok) expect.fail(byOwner.error.message);
    expect(byOwner.value.rows.map((row) => [row.group[0], row.currencies[0]!.collectionRate.value, row.currencies[0]!.badDebtRate.value])).toEqual([
      ['rep-li', '0.6250', '0.0000'],
      ['rep-wang', '0.0000', '1.0000'],
    ]);
  });

  it('ages what is outstanding as the receivables do', async () => {
    const plans = await scenario();
    const r = await measureCollection(plans, MARCH_APRIL, NOW);
    const rec = receivables(plans, { now: NOW });
    if (!r.ok || !rec.ok) expect.fail('expected both reports');
    const theirs = rec.value.aging.flatMap((a) => a.buckets.filter((b) => b.amount.minor !== 0).map((b) => [a.currency, b.bucket, fmt(b.amount)]));
    expect(r.value.aging.flatMap((a) => a.buckets.map((b) => [a.currency, b.bucket, fmt(b.amount)]))).toEqual(theirs);
    expect(theirs.length).toBeGreaterThan(0);
  });
});

describe('properties of collection', () => {
  it('over every plan, the figures equal the payments receivables to the fen', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(paymentPlanArb(), { maxLength: 12 }).map((ps) => ps.map((p, i) => ({ ...p, id: `${p.id}-${i}` }) as PaymentPlan)), fc.integer({ min: 0, max: 800 }), async (plans, day) => {
        // the plans as they stand: now at or after each one's last change
        const now = new Date(Math.max(Date.UTC(2026, 0, 1), ...plans.map((p) => p.updatedAt.getTime())) + day * 86_400_000);
        const r = await measureCollection(plans, { from: '0001-01-02T00:00:00Z', to: '9999-12-30T00:00:00Z', zone: 'UTC' }, now);
        const rec = receivables(plans, { now });
        if (!r.ok || !rec.ok) throw new Error('expected both reports');
        const sum = (c: string, f: 'outstanding' | 'overdue' | 'paid' | 'badDebt') => rec.value.orders.filter((o) => o.currency === c).reduce((n, o) => n + BigInt(o[f].minor), 0n);
        for (const f of r.value.total.currencies) {
          for (const k of ['outstanding', 'overdue', 'paid', 'badDebt'] as const) expect(BigInt(f[k].minor)).toBe(sum(f.currency, k));
          expect(BigInt(f.due.minor)).toBe(rec.value.orders.filter((o) => o.currency === f.currency).reduce((n, o) => n + BigInt(o.total.minor), 0n));
        }
        expect(r.value.total.installments).toBe(plans.reduce((n, p) => n + p.installments.length, 0));
      }),
      { numRuns: 100 },
    );
  });
});

describe('what the review of collection found', () => {
  it('credits and write-offs: each in its own figure, the rates over due − credited', async () => {
    const store = createMemoryPaymentStore();
    const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai', writeOffTolerance: { CNY: '1.00' } } });
    const ctx = (wall: string) => ({ now: sh(wall), actor: { id: 'clerk-wu' } });
    const ok = <T,>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    ok(
      await payments.createPlan(
        { id: 'PP-9', orderId: 'SO-9', customerId: 'C-9', ownerId: 'rep-li', orderDate: sh('2026-03-01T09:00:00'), total: { currency: 'CNY', amount: '1000.00' }, installments: [{ id: 'I1', percent: 50, due: { kind: 'date', date: '2026-03-10' } }, { id: 'I2', percent: 50, due: { kind: 'date', date: '2026-04-10' } }] },
        ctx('2026-03-01T10:00:00'),
      ),
    );
    ok(await payments.recordAndApplyPayment({ id: 'P-9', customerId: 'C-9', amount: { currency: 'CNY', amount: '499.95' }, receivedAt: sh('2026-03-09T10:00:00'), method: 'bankTransfer' }, { kind: 'oldestFirst' }, ctx('2026-03-09T10:00:00')));
    ok(await payments.writeOffDifference('PP-9', { installmentId: 'I1', reason: '尾差' }, ctx('2026-03-11T10:00:00')));
    ok(await payments.issueCreditNote({ id: 'CN-9', customerId: 'C-9', orderId: 'SO-9', amount: { currency: 'CNY', amount: '100.00' }, issuedAt: sh('2026-03-20T10:00:00') }, ctx('2026-03-20T10:00:00')));
    const plan = (await store.loadPlan('PP-9')) as PaymentPlan;
    const r = await measureCollection([plan], MARCH_APRIL, sh('2026-04-12T10:00:00'));
    if (!r.ok) expect.fail(r.error.message);
    const f = r.value.total.currencies[0]!;
    expect([fmt(f.due), fmt(f.paid), fmt(f.credited), fmt(f.writtenOff), fmt(f.outstanding)]).toEqual(['1000.00', '499.95', '100.00', '0.05', '400.00']);
    // over 1,000.00 − 100.00: 499.95 / 900.00, and I2's 400.00 overdue from April 11
    expect([f.collectionRate.value, f.overdueRate.value, fmt(f.collectionRate.denominator)]).toEqual(['0.5555', '0.4444', '900.00']);
  });

  it('a due date is a calendar date: in its own month whatever the query zone, and a plan changed after now is left out', async () => {
    const plans = await scenario();
    // PP-1's Shanghai due dates March 2, April 1, May 1: each in its own month in New York too (April 1 starts on March 31 there in UTC terms)
    const window = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z'), groupBy: ['month'] as const };
    const ny = await measureCollection(plans, { ...window, groupBy: [...window.groupBy], zone: 'America/New_York' }, NOW);
    const shanghai = await measureCollection(plans, { ...window, groupBy: [...window.groupBy], zone: 'Asia/Shanghai' }, NOW);
    if (!ny.ok || !shanghai.ok) expect.fail('expected both');
    const byMonth = (rows: typeof ny.value.rows) => rows.map((row) => [row.group[0], fmt(row.currencies[0]!.due)]);
    expect(byMonth(ny.value.rows)).toEqual([
      ['2026-03', '900.00'],
      ['2026-04', '500.01'],
      ['2026-05', '200.00'],
    ]);
    expect(byMonth(ny.value.rows)).toEqual(byMonth(shanghai.value.rows));
    const before = await measureCollection(plans, MARCH_APRIL, sh('2026-04-01T00:00:00'));
    if (!before.ok) expect.fail(before.error.message);
    // PP-2's bad debt was written off on April 8: after that now
    expect(before.value.records).toMatchObject({ read: 2, counted: 1, excluded: 1 });
  });

  it('names where a bad plan or a bad policy is', async () => {
    const paths = async (plans: unknown[], policy?: unknown) => {
      const r = await measureCollection(plans, { ...MARCH_APRIL, policy }, NOW);
      return r.ok ? [] : (r.error.details as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'));
    };
    const plans = await scenario();
    expect(await paths([plans[0], { ...plans[1], total: 'x' }])).toEqual(['plans.1.total']);
    expect(await paths(plans, { zone: 'Asia/Shanghai', agingBuckets: [5, 3] })).toEqual(['query.policy.agingBuckets']);
  });
});
