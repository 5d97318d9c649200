import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, type Money } from '../../src/core/index.js';
import { createMemoryPaymentStore } from '../../src/adapters/memory/payment-store.js';
import { createPaymentService, paymentBalance, type CreatePaymentPlanInput, type PaymentContext, type PaymentPlan } from '../../src/payments/index.js';
import { error, issuePaths, value } from '../support.js';
import { plan302050 } from './fixtures.js';

const SH = 'Asia/Shanghai';
const sh = (local: string) => new Date(`${local}+08:00`);
const at = (local: string, actorId = 'clerk-wu'): PaymentContext => ({ now: sh(local), actorId });
const text = (m: Money) => formatMoney(m);

const order = (id = 'SO-1', customerId = 'C-1'): CreatePaymentPlanInput => plan302050({ id: `PP-${id}`, orderId: id, customerId });

async function seeded(conflictRetries = 0) {
  const store = createMemoryPaymentStore();
  const payments = createPaymentService({ store, policy: { zone: SH, writeOffTolerance: { CNY: '1.00' } }, conflictRetries });
  value(await payments.createPlan(order(), at('2026-03-02T10:00:00')));
  value(
    await payments.recordPayment(
      { id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '500.00' }, receivedAt: sh('2026-03-03T11:00:00'), method: 'bankTransfer' },
      at('2026-03-03T11:00:00', 'cashier-he'),
    ),
  );
  return { store, payments };
}

const paid = (p: PaymentPlan | null) => p!.installments.map((i) => text(i.paid));

describe('payment service over the in-memory store', () => {
  it('two clerks applying the same payment at once: one applies it, the other gets CONFLICT; it is applied once', async () => {
    const { store, payments } = await seeded();
    const [a, b] = await Promise.all([
      payments.applyPayment('P-1', { kind: 'oldestFirst' }, at('2026-03-04T09:00:00', 'clerk-wu')),
      payments.applyPayment('P-1', { kind: 'oldestFirst' }, at('2026-03-04T09:00:00', 'clerk-zhang')),
    ]);
    expect([a, b].map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['CONFLICT', 'ok']);
    const stored = (await store.loadPayment('P-1'))!;
    expect(stored.version).toBe(2);
    expect(stored.applications.map((x) => [x.installmentId, text(x.amount)])).toEqual([['I1', '300.00'], ['I2', '200.00']]);
    expect(paid(await store.loadPlan('PP-SO-1'))).toEqual(['300.00', '200.00', '0.00']);
  });

  it('with retries, the second clerk reloads and finds the payment already applied', async () => {
    const { store, payments } = await seeded(2);
    const [a, b] = await Promise.all([
      payments.applyPayment('P-1', { kind: 'oldestFirst' }, at('2026-03-04T09:00:00', 'clerk-wu')),
      payments.applyPayment('P-1', { kind: 'oldestFirst' }, at('2026-03-04T09:00:00', 'clerk-zhang')),
    ]);
    expect([a, b].map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['PAYMENT_NOTHING_TO_APPLY', 'ok']);
    expect(paid(await store.loadPlan('PP-SO-1'))).toEqual(['300.00', '200.00', '0.00']);
  });

  it('two payments racing for the same installment never over-fill it', async () => {
    const { store, payments } = await seeded(3);
    value(
      await payments.recordPayment(
        { id: 'P-2', customerId: 'C-1', amount: { currency: 'CNY', amount: '900.00' }, receivedAt: sh('2026-03-03T12:00:00'), method: 'cash' },
        at('2026-03-03T12:00:00'),
      ),
    );
    const results = await Promise.all([
      payments.applyPayment('P-1', { kind: 'oldestFirst' }, at('2026-03-04T09:00:00')),
      payments.applyPayment('P-2', { kind: 'oldestFirst' }, at('2026-03-04T09:00:00')),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(paid(await store.loadPlan('PP-SO-1'))).toEqual(['300.00', '500.01', '200.00']);
    const p1 = value(paymentBalance((await store.loadPayment('P-1'))!));
    const p2 = value(paymentBalance((await store.loadPayment('P-2'))!));
    expect((p1.applied.minor as number) + (p2.applied.minor as number)).toBe(100001);
    expect((p1.unapplied.minor as number) + (p2.unapplied.minor as number)).toBe(140000 - 100001);
  });

  it('an order paid in three installments, one late, one overpaid — then receivables, credit and reminders', async () => {
    const { store, payments } = await seeded();
    // the first 500.00 had no order: the default applies it oldest first
    value(await payments.applyPayment('P-1', undefined, at('2026-03-04T09:00:00')));
    // the second installment is paid late, after 2026-04-01
    expect(value(await payments.customerReceivables('C-1', sh('2026-04-05T09:00:00'))).installments.map((i) => i.state)).toEqual(['paid', 'overdue', 'pending']);
    const late = value(
      await payments.recordAndApplyPayment(
        { id: 'P-2', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '300.01' }, receivedAt: sh('2026-04-05T15:00:00'), method: 'bankTransfer' },
        { kind: 'installmentOrder' },
        at('2026-04-05T15:00:00'),
      ),
    );
    expect(late.applications.map((x) => [x.installmentId, text(x.amount)])).toEqual([['I2', '300.01']]);
    // the third is overpaid
    value(
      await payments.recordPayment(
        { id: 'P-3', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '250.00' }, receivedAt: sh('2026-04-28T10:00:00'), method: 'alipay' },
        at('2026-04-28T10:00:00'),
      ),
    );
    const over = value(await payments.applyPayment('P-3', undefined, at('2026-04-28T10:05:00')));
    expect([over.applications.map((x) => text(x.amount)), text(over.unapplied)]).toEqual([['200.00'], '50.00']);
    const report = value(await payments.customerReceivables('C-1', sh('2026-05-10T09:00:00')));
    expect(report.installments).toEqual([]); // the plan is settled, so not open any more
    expect(report.customers.map((c) => [c.customerId, text(c.outstanding), text(c.credit), text(c.net)])).toEqual([['C-1', '0.00', '50.00', '-50.00']]);
    // a new order: the 50.00 of credit goes to it
    value(await payments.createPlan(order('SO-2'), at('2026-05-10T09:00:00')));
    const credit = value(await payments.applyCredit('C-1', { kind: 'oldestFirst' }, at('2026-05-10T09:10:00')));
    expect(credit.allocations.map((x) => [x.paymentId, x.applications.map((y) => [y.planId, y.installmentId, text(y.amount)])])).toEqual([
      ['P-3', [['PP-SO-2', 'I1', '50.00']]],
    ]);
    expect(paid(await store.loadPlan('PP-SO-2'))).toEqual(['50.00', '0.00', '0.00']);
    // reminders over every open plan
    const reminders = value(await payments.reminders({ now: sh('2026-05-10T09:30:00'), actorId: 'system:payments' }));
    expect(reminders.map((e) => e.data.key)).toEqual(['PP-SO-2/I1/overdue/0', 'PP-SO-2/I2/overdue/0', 'PP-SO-2/I3/overdue/0']);
  });

  it('unapply, reverse, refund, credit notes and write-offs through the service', async () => {
    const { store, payments } = await seeded();
    value(await payments.applyPayment('P-1', { kind: 'oldestFirst' }, at('2026-03-04T09:00:00')));
    value(await payments.unapplyPayment('P-1', { amount: '200.00' }, at('2026-03-04T10:00:00')));
    expect(paid(await store.loadPlan('PP-SO-1'))).toEqual(['300.00', '0.00', '0.00']);
    value(await payments.refundPayment('P-1', { amount: '100.00' }, at('2026-03-04T11:00:00')));
    expect(error(await payments.reversePayment('P-1', { reason: '退票' }, at('2026-03-04T12:00:00'))).code).toBe('PAYMENT_HAS_REFUNDS');
    const cn = value(
      await payments.issueCreditNote(
        { id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '199.50' }, issuedAt: sh('2026-03-05T10:00:00') },
        at('2026-03-05T10:00:00'),
      ),
    );
    expect(cn.applications.map((x) => [x.installmentId, text(x.amount)])).toEqual([['I3', '199.50']]);
    const w = value(await payments.writeOffDifference('PP-SO-1', { installmentId: 'I3' }, at('2026-03-05T10:30:00')));
    expect(text(w.writtenOff[0]!.amount)).toBe('0.50');
    value(await payments.writeOffBadDebt('PP-SO-1', { reason: '客户失联' }, at('2026-12-01T10:00:00', 'cfo-lin')));
    const stored = (await store.loadPlan('PP-SO-1'))!;
    expect(stored.installments.map((i) => [text(i.paid), text(i.credited), text(i.writtenOff), text(i.badDebt)])).toEqual([
      ['300.00', '0.00', '0.00', '0.00'],
      ['0.00', '0.00', '0.00', '500.01'],
      ['0.00', '199.50', '0.50', '0.00'],
    ]);
    expect(stored.version).toBe(6);
    // a credit note that is reversed gives the debt back
    value(await payments.reversePayment('CN-1', { reason: '开错' }, at('2026-12-02T10:00:00')));
    expect(text((await store.loadPlan('PP-SO-1'))!.installments[2]!.credited)).toBe('0.00');
  });

  it('unknown records are NOT_FOUND, taken ids CONFLICT, refusals save nothing, and stale writes are refused', async () => {
    const { store, payments } = await seeded();
    expect(error(await payments.applyPayment('nope', undefined, at('2026-03-04T09:00:00'))).code).toBe('NOT_FOUND');
    expect(error(await payments.writeOffBadDebt('nope', { reason: 'x' }, at('2026-03-04T09:00:00'))).code).toBe('NOT_FOUND');
    expect(error(await payments.createPlan(order(), at('2026-03-04T09:00:00')))).toMatchObject({ code: 'CONFLICT', details: { id: 'PP-SO-1', actualVersion: 1 } });
    expect(error(await payments.applyPayment('P-1', { kind: 'oldestFirst', amount: '600.00' }, at('2026-03-04T09:00:00'))).code).toBe('PAYMENT_EXCEEDS_UNAPPLIED');
    expect((await store.loadPayment('P-1'))!.version).toBe(1);
    const loaded = (await store.loadPlan('PP-SO-1'))!;
    expect((await store.commit({ plans: [{ record: { ...loaded, version: 2 }, expectedVersion: 1 }] })).ok).toBe(true);
    expect(error(await store.commit({ plans: [{ record: { ...loaded, version: 2 }, expectedVersion: 1 }] }))).toMatchObject({
      code: 'CONFLICT',
      details: { expectedVersion: 1, actualVersion: 2 },
    });
    expect(error(await store.commit({ plans: [{ record: { ...loaded, version: 9 }, expectedVersion: 2 }] })).code).toBe('INVALID_INPUT');
  });

  it("a host's message catalog and its store's answers use the library's codes only: anything else is INVALID_INPUT at deps or store.commit", async () => {
    const refusedAt = async (messages: unknown) => {
      const service = createPaymentService({ store: createMemoryPaymentStore(), messages: messages as never });
      const r = await service.recordPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '1.00' }, receivedAt: sh('2026-03-03T11:00:00'), method: 'cash' }, at('2026-03-03T11:00:00'));
      return issuePaths(r);
    };
    expect(await refusedAt({ PAYMENT_NOT_A_CODE: '没有这个错误' })).toEqual(['deps.messages.PAYMENT_NOT_A_CODE']);
    expect(await refusedAt(JSON.parse('{"__proto__": "x"}'))).toEqual(['deps.messages.__proto__']);
    expect(await refusedAt({ PAYMENT_REVERSED: 'a\u0000b' })).toEqual(['deps.messages.PAYMENT_REVERSED']);
    expect(await refusedAt({ PAYMENT_REVERSED: '\uD800' })).toEqual(['deps.messages.PAYMENT_REVERSED']);
    expect(await refusedAt({ PAYMENT_REVERSED: 'x'.repeat(2001) })).toEqual(['deps.messages.PAYMENT_REVERSED']);
    expect(await refusedAt({ [Symbol('code')]: 'x' })).toEqual(['deps.messages']);
    // a catalog of known codes is used
    const { payments } = await seeded();
    const localized = createPaymentService({ store: createMemoryPaymentStore(), messages: { NOT_FOUND: '找不到 {id}' } });
    expect(error(await localized.applyPayment('P-9', undefined, at('2026-03-04T09:00:00'))).message).toBe('找不到 P-9');
    expect(error(await payments.applyPayment('P-9', undefined, at('2026-03-04T09:00:00'))).code).toBe('NOT_FOUND');

    // the store's answer to a commit
    const answering = (answer: unknown) => {
      const store = createMemoryPaymentStore();
      return createPaymentService({ store: { ...store, commit: async () => answer as never } });
    };
    const record = (answer: unknown) =>
      answering(answer).recordPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '1.00' }, receivedAt: sh('2026-03-03T11:00:00'), method: 'cash' }, at('2026-03-03T11:00:00'));
    expect(issuePaths(await record({ ok: false, error: { code: 'DB_DEADLOCK', message: 'deadlock', details: {} } }))).toEqual(['store.commit.error.code']);
    expect(issuePaths(await record({ ok: false, error: { code: 'CONFLICT', message: 'a\u0000', details: {} } }))).toEqual(['store.commit.error.message']);
    expect(issuePaths(await record({ ok: false, error: { code: 'CONFLICT', message: 'stale', details: new Map() } }))).toEqual(['store.commit.error.details']);
    expect(issuePaths(await record({ ok: 'yes' }))).toEqual(['store.commit']);
    expect(issuePaths(await record(null))).toEqual(['store.commit']);
    const details = { entity: 'payment', id: 'P-1', expectedVersion: null, actualVersion: 1 };
    const conflict = error(await record({ ok: false, error: { code: 'CONFLICT', message: 'stale', details } }));
    expect(conflict).toEqual({ code: 'CONFLICT', message: 'stale', details });
    expect(Object.isFrozen(conflict) && Object.isFrozen(conflict.details) && conflict.details !== details).toBe(true);
    expect(value(await record({ ok: true })).payment.id).toBe('P-1');
  });

  it('ids and codes the rules would refuse never reach the store (a NUL breaks a SQL query): the rule refuses them', async () => {
    const asked: unknown[] = [];
    const store = createMemoryPaymentStore();
    const spy = {
      ...store,
      loadOpenPlans: async (...a: unknown[]) => (asked.push(a), store.loadOpenPlans(...(a as [string]))),
      loadPlan: async (id: string) => (asked.push(id), store.loadPlan(id)),
      loadPlanOfOrder: async (id: string) => (asked.push(id), store.loadPlanOfOrder(id)),
    };
    const payments = createPaymentService({ store: spy, policy: { zone: SH } });
    const input = { id: 'P-1', customerId: 'C\u0000', amount: { currency: 'CNY', amount: '1.00' }, receivedAt: sh('2026-03-03T11:00:00'), method: 'cash' };
    expect(issuePaths(await payments.recordAndApplyPayment(input, { kind: 'oldestFirst' }, at('2026-03-04T09:00:00')))).toEqual(['input.customerId']);
    const explicit = { kind: 'explicit' as const, applications: [{ planId: 'PP-\uD800', installmentId: 'I1', amount: '1.00' }] };
    expect(issuePaths(await payments.recordAndApplyPayment({ ...input, customerId: 'C-1' }, explicit, at('2026-03-04T09:00:00')))).toEqual(['strategy.applications.0.planId']);
    const note = { id: 'CN-1', customerId: 'C-1', orderId: 'SO-\u0000', amount: { currency: 'CNY', amount: '1.00' }, issuedAt: sh('2026-03-03T11:00:00') };
    expect(issuePaths(await payments.issueCreditNote(note, at('2026-03-04T09:00:00')))).toEqual(['input.orderId']);
    expect(asked).toEqual([]);
  });

  describe('properties', () => {
    it('n clerks applying the same payment at once: exactly one succeeds, the rest CONFLICT, never double-applied', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 10 }), fc.constantFrom('oldestFirst' as const, 'proportional' as const), fc.boolean(), async (n, kind, retry) => {
          const { store, payments } = await seeded(retry ? n : 0);
          const results = await Promise.all(Array.from({ length: n }, (_, i) => payments.applyPayment('P-1', { kind }, at('2026-03-04T09:00:00', `clerk-${i}`))));
          expect(results.filter((r) => r.ok)).toHaveLength(1);
          const codes = results.filter((r) => !r.ok).map((r) => (!r.ok ? r.error.code : ''));
          expect(codes.every((c) => c === (retry ? 'PAYMENT_NOTHING_TO_APPLY' : 'CONFLICT'))).toBe(true);
          const plan = (await store.loadPlan('PP-SO-1'))!;
          expect(plan.installments.reduce((s, i) => s + (i.paid.minor as number), 0)).toBe(50000);
          expect((await store.loadPayment('P-1'))!.version).toBe(2);
        }),
        { numRuns: 25 },
      );
    });
  });
});

describe('the reminders batch as a long job', () => {
  it('reports the plans read page by page, stops on its signal between pages (ABORTED), and answers the same with or without hooks', async () => {
    const store = createMemoryPaymentStore();
    const payments = createPaymentService({ store, policy: { zone: SH } });
    for (let i = 0; i < 2100; i++) value(await payments.createPlan(order(`SO-${i}`, `C-${i % 7}`), at('2026-03-02T10:00:00')));
    const ctx = { now: sh('2026-05-10T09:30:00'), actorId: 'system:payments' };
    const plain = value(await payments.reminders(ctx));
    expect(plain.length).toBe(2100 * 3);
    const seen: { phase: string; done: number; total?: number }[] = [];
    expect(value(await payments.reminders(ctx, { onProgress: (p) => seen.push(p) }))).toEqual(plain);
    expect(seen).toEqual([
      { phase: 'planning', done: 1000 },
      { phase: 'planning', done: 2000 },
      { phase: 'planning', done: 2100, total: 2100 },
    ]);
    const c = new AbortController();
    const stopped = error(await payments.reminders(ctx, { signal: c.signal, onProgress: () => c.abort() }));
    expect([stopped.code, stopped.details]).toEqual(['ABORTED', { phase: 'planning', done: 1000 }]);
    expect(error(await payments.reminders(ctx, { signal: c.signal })).details).toEqual({ phase: 'planning', done: 0 });
    expect(error(await payments.reminders(ctx, { every: 5 } as never)).code).toBe('INVALID_INPUT');
  });
});
