import type { CrmError, Result } from '../core/index.js';
import {
  allocatePayment,
  createPaymentService,
  type CreatePaymentPlanInput,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
  type PaymentService,
  type PaymentStore,
  type RecordPaymentInput,
} from '../payments/index.js';
import type { ContractHarness, ContractOptions, ContractRunner } from './contract.js';
import { contractArguments, freshStoreCheck } from './harness.js';

/* ------------------------------------------------------------------ realistic data */

const SH = 'Asia/Shanghai';
/** A local time in Shanghai. */
const sh = (local: string) => new Date(`${local}+08:00`);
const ctxAt = (local: string, actorId = 'clerk-wu'): PaymentContext => ({ now: sh(local), actor: { id: actorId } });
const ORDER_DAY = '2026-03-02T10:00:00';
const PAY_DAY = '2026-03-03T11:00:00';
const APPLY_DAY = '2026-03-04T09:00:00';

/** A 30-50-20 plan of an order (CNY 1000.01 unless told). */
function planInput(orderId: string, extra: { customerId?: string; currency?: string; total?: string; single?: boolean } = {}): CreatePaymentPlanInput {
  return {
    id: `PP-${orderId}`,
    orderId,
    customerId: extra.customerId ?? 'C-1',
    ownerId: 'rep-li',
    orderDate: sh(ORDER_DAY),
    total: { currency: extra.currency ?? 'CNY', amount: extra.total ?? '1000.01' },
    installments: extra.single
      ? [{ id: 'I1', percent: 100, due: { kind: 'afterOrder', days: 30 } }]
      : [
          { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } },
          { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 30 } },
          { id: 'I3', percent: 20, due: { kind: 'afterOrder', days: 60 } },
        ],
  };
}

function paymentInput(id: string, amount: string, extra: { customerId?: string; currency?: string; orderId?: string; note?: string } = {}): RecordPaymentInput {
  return {
    id,
    customerId: extra.customerId ?? 'C-1',
    orderId: extra.orderId ?? null,
    amount: { currency: extra.currency ?? 'CNY', amount },
    receivedAt: sh(PAY_DAY),
    method: 'bankTransfer',
    reference: `工行流水 ${id}`,
    note: extra.note ?? null,
  };
}

function must<T>(r: Result<T, CrmError>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

const codeOf = (r: Result<unknown, CrmError>) => (r.ok ? 'ok' : r.error.code);
const minor = (m: { readonly minor: unknown }) => Number(m.minor);
const ids = (records: readonly { readonly id: string }[]) => records.map((r) => r.id).sort();
const sumMinor = (ms: readonly { readonly minor: unknown }[]) => ms.reduce((s, m) => s + minor(m), 0);

/* ------------------------------------------------------------------ the section */

/**
 * Registers one payments check: `body` gets a fresh payment store, or the check is skipped.
 * (internal: how `describeStoreContract` and `describePaymentStoreContract` feed the section)
 *
 * @example
 * const check: PaymentCheck = (title, body) => it(title, async () => body(createMemoryPaymentStore()));
 */
export type PaymentCheck = (title: string, body: (store: PaymentStore) => Promise<void>) => void;

/**
 * Whether a store implements the payments port (every `PaymentStore` method is a function):
 * how `describeStoreContract` decides to run its payments section.
 *
 * @example
 * isPaymentStore(createMemoryStore()) // false
 * isPaymentStore(createPostgresStore({ client })) // true
 */
export function isPaymentStore(store: unknown): store is PaymentStore {
  if (typeof store !== 'object' || store === null) return false;
  const s = store as Record<string, unknown>;
  return ['loadPayment', 'loadPlan', 'loadPlanOfOrder', 'loadOpenPlans', 'loadPaymentsWithCredit', 'streamOpenPlans', 'commit'].every((m) => typeof s[m] === 'function');
}

/**
 * The payments section of the contract (internal: registered by the two public suites).
 *
 * @example
 * paymentSection({ describe, expect }, (title, body) => it(title, () => body(createMemoryPaymentStore())), {});
 */
export function paymentSection(t: Pick<ContractRunner, 'describe' | 'expect'>, it: PaymentCheck, options: ContractOptions): void {
  const { describe, expect } = t;
  const service = (store: PaymentStore, conflictRetries = 0): PaymentService => createPaymentService({ store, policy: { zone: SH }, conflictRetries });
  const conflict = (r: Result<unknown, CrmError>, details?: Record<string, unknown>) => {
    expect(codeOf(r)).toBe('CONFLICT');
    if (details && !r.ok) expect(r.error.details).toMatchObject(details);
  };
  const paid = (plan: PaymentPlan | null) => plan!.installments.map((i) => minor(i.paid));

  /** Every installment holds exactly what the payments' applications put in it, never more than its amount. */
  async function expectLedgerAgrees(store: PaymentStore, planIds: readonly string[], paymentIds: readonly string[]): Promise<void> {
    const payments = (await Promise.all(paymentIds.map((id) => store.loadPayment(id)))).filter((p): p is Payment => p !== null);
    for (const planId of planIds) {
      const plan = (await store.loadPlan(planId))!;
      for (const i of plan.installments) {
        const applied = payments.flatMap((p) => p.applications.filter((a) => a.planId === planId && a.installmentId === i.id).map((a) => minor(a.amount)));
        expect(minor(i.paid)).toBe(applied.reduce((s, n) => s + n, 0));
        expect(minor(i.paid) + minor(i.credited) + minor(i.writtenOff) + minor(i.badDebt)).toBeLessThanOrEqual(minor(i.amount));
      }
    }
    for (const p of payments) {
      expect(sumMinor(p.applications.map((a) => a.amount)) + sumMinor(p.refunds.map((r) => r.amount))).toBeLessThanOrEqual(minor(p.amount));
    }
  }

  /**
   * Customer C-1: SO-1 (CNY, part paid: open), SO-2 (CNY, paid in full), SO-3 (USD, open),
   * SO-4 (CNY, written off as bad debt); C-2: SO-5 (CNY, open). Payments of C-1: P-1 and P-2
   * spent whole, P-3 untouched (credit), P-4 part refunded (credit), P-5 reversed, P-6 USD
   * (credit); of C-2: P-7 (credit).
   */
  async function seedLedger(store: PaymentStore): Promise<PaymentService> {
    const payments = service(store);
    const ctx = ctxAt(ORDER_DAY);
    must(await payments.createPlan(planInput('SO-1'), ctx));
    must(await payments.createPlan(planInput('SO-2'), ctx));
    must(await payments.createPlan(planInput('SO-3', { currency: 'USD', total: '300.00' }), ctx));
    must(await payments.createPlan(planInput('SO-4', { total: '88.00' }), ctx));
    must(await payments.createPlan(planInput('SO-5', { customerId: 'C-2' }), ctx));
    const paying = ctxAt(PAY_DAY, 'cashier-he');
    must(await payments.recordAndApplyPayment(paymentInput('P-1', '500.00', { orderId: 'SO-1' }), { kind: 'installmentOrder', orderId: 'SO-1' }, paying));
    must(await payments.recordAndApplyPayment(paymentInput('P-2', '1000.01', { orderId: 'SO-2' }), { kind: 'installmentOrder', orderId: 'SO-2' }, paying));
    must(await payments.recordPayment(paymentInput('P-3', '2000.00'), paying));
    must(await payments.recordPayment(paymentInput('P-4', '300.00'), paying));
    must(await payments.refundPayment('P-4', { amount: '100.00', reason: '多付退回' }, paying));
    must(await payments.recordPayment(paymentInput('P-5', '650.00'), paying));
    must(await payments.reversePayment('P-5', { reason: '银行退票' }, paying));
    must(await payments.recordPayment(paymentInput('P-6', '120.00', { currency: 'USD' }), paying));
    must(await payments.recordPayment(paymentInput('P-7', '99.00', { customerId: 'C-2' }), paying));
    must(await payments.writeOffBadDebt('PP-SO-4', { reason: '客户破产清算' }, ctxAt(APPLY_DAY, 'cfo-lin')));
    return payments;
  }

  describe('payments', () => {
    describe('versions', () => {
      it('a plan and a payment load back equal, every instant a Date and look-alike strings as strings', async (store) => {
        const payments = service(store);
        const plan = must(await payments.createPlan(planInput('SO-1'), ctxAt(ORDER_DAY))).plan;
        const loaded = await store.loadPlan('PP-SO-1');
        expect(loaded).toEqual(plan);
        expect(loaded!.orderDate).toBeInstanceOf(Date);
        expect(loaded!.installments[2]!.overdueAt).toBeInstanceOf(Date);
        expect(await store.loadPlanOfOrder('SO-1')).toEqual(plan);
        expect(await store.loadPlanOfOrder('SO-404')).toBeNull();
        expect(await store.loadPlan('PP-404')).toBeNull();

        const payment = must(await payments.recordPayment(paymentInput('P-1', '500.00', { note: '2026-03-03T03:00:00.000Z' }), ctxAt(PAY_DAY))).payment;
        const back = await store.loadPayment('P-1');
        expect(back).toEqual(payment);
        expect(back!.receivedAt).toBeInstanceOf(Date);
        expect(back!.note).toBe('2026-03-03T03:00:00.000Z');
        expect(await store.loadPayment('P-404')).toBeNull();

        const applied = must(await payments.applyPayment('P-1', undefined, ctxAt(APPLY_DAY)));
        const after = await store.loadPayment('P-1');
        expect(after).toEqual(applied.payment);
        expect(after!.applications[0]!.appliedAt).toBeInstanceOf(Date);
        expect(await store.loadPlan('PP-SO-1')).toEqual(applied.plans[0]);
      });

      it('text PostgreSQL cannot hold (a NUL, a lone surrogate) in a plan or a payment is INVALID_INPUT with nothing written, and a lookup by it finds nothing', async (store) => {
        const payments = service(store);
        const plan = must(await payments.createPlan(planInput('SO-1'), ctxAt(ORDER_DAY))).plan;
        const payment = must(await payments.recordPayment(paymentInput('P-1', '500.00'), ctxAt(PAY_DAY))).payment;
        for (const text of ['a\u0000b', '\uD800', 'x\uDC00y']) {
          t.expect(codeOf(await store.commit({ payments: [{ record: { ...payment, id: `P-${text}`, version: 1 }, expectedVersion: null }] }))).toBe('INVALID_INPUT');
          t.expect(codeOf(await store.commit({ payments: [{ record: { ...payment, note: text, version: 2 }, expectedVersion: 1 }] }))).toBe('INVALID_INPUT');
          t.expect(codeOf(await store.commit({ plans: [{ record: { ...plan, customerId: text, version: 2 }, expectedVersion: 1 }], payments: [{ record: { ...payment, version: 2 }, expectedVersion: 1 }] }))).toBe('INVALID_INPUT');
          t.expect(await store.loadPayment(`P-${text}`)).toBeNull();
          t.expect(await store.loadPlan(text)).toBeNull();
          t.expect(await store.loadPlanOfOrder(text)).toBeNull();
          t.expect(await store.loadOpenPlans(text)).toEqual([]);
          t.expect(await store.loadPaymentsWithCredit(text)).toEqual([]);
        }
        t.expect(await store.loadPlan(plan.id)).toEqual(plan);
        t.expect(await store.loadPayment('P-1')).toEqual(payment);
      });

      it('a create on a taken id is CONFLICT and leaves the stored plan or payment as it was', async (store) => {
        const payments = service(store);
        const plan = must(await payments.createPlan(planInput('SO-1'), ctxAt(ORDER_DAY))).plan;
        conflict(await payments.createPlan(planInput('SO-1', { total: '5.00' }), ctxAt(APPLY_DAY)), { entity: 'payment plan', id: 'PP-SO-1', expectedVersion: null, actualVersion: 1 });
        expect(await store.loadPlan('PP-SO-1')).toEqual(plan);
        const payment = must(await payments.recordPayment(paymentInput('P-1', '500.00'), ctxAt(PAY_DAY))).payment;
        conflict(await payments.recordPayment(paymentInput('P-1', '9.00'), ctxAt(APPLY_DAY)), { entity: 'payment', id: 'P-1', expectedVersion: null, actualVersion: 1 });
        expect(await store.loadPayment('P-1')).toEqual(payment);
      });

      it('a stale save is CONFLICT, an update of nothing stored is CONFLICT, a wrong next version is INVALID_INPUT, a record twice in a commit is CONFLICT', async (store) => {
        const payments = service(store);
        const plan = must(await payments.createPlan(planInput('SO-1'), ctxAt(ORDER_DAY))).plan;
        const payment = must(await payments.recordPayment(paymentInput('P-1', '500.00'), ctxAt(PAY_DAY))).payment;
        must(await store.commit({ plans: [{ record: { ...plan, ownerId: 'rep-wang', version: 2 }, expectedVersion: 1 }] }));
        conflict(await store.commit({ plans: [{ record: { ...plan, ownerId: 'rep-zhao', version: 2 }, expectedVersion: 1 }] }), { entity: 'payment plan', expectedVersion: 1, actualVersion: 2 });
        expect(await store.loadPlan('PP-SO-1')).toMatchObject({ ownerId: 'rep-wang', version: 2 });
        must(await store.commit({ payments: [{ record: { ...payment, note: '一号', version: 2 }, expectedVersion: 1 }] }));
        conflict(await store.commit({ payments: [{ record: { ...payment, note: '二号', version: 2 }, expectedVersion: 1 }] }), { entity: 'payment', expectedVersion: 1, actualVersion: 2 });
        expect(await store.loadPayment('P-1')).toMatchObject({ note: '一号', version: 2 });

        conflict(await store.commit({ payments: [{ record: { ...payment, id: 'P-404', version: 2 }, expectedVersion: 1 }] }), { id: 'P-404', expectedVersion: 1, actualVersion: null });
        expect(await store.loadPayment('P-404')).toBeNull();
        expect(codeOf(await store.commit({ plans: [{ record: { ...plan, version: 9 }, expectedVersion: 2 }] }))).toBe('INVALID_INPUT');
        expect(codeOf(await store.commit({ payments: [{ record: { ...payment, id: 'P-2', version: 2 }, expectedVersion: null }] }))).toBe('INVALID_INPUT');
        expect(await store.loadPayment('P-2')).toBeNull();
        const fresh = { ...payment, id: 'P-3' };
        conflict(await store.commit({ payments: [{ record: fresh, expectedVersion: null }, { record: fresh, expectedVersion: null }] }));
        expect(await store.loadPayment('P-3')).toBeNull();
        expect(await store.loadPlan('PP-SO-1')).toMatchObject({ version: 2 });
      });
    });

    describe('atomic commits', () => {
      it('a payment and the plans it pays are written together or not at all', async (store) => {
        const payments = service(store);
        must(await payments.createPlan(planInput('SO-1'), ctxAt(ORDER_DAY)));
        must(await payments.createPlan(planInput('SO-2'), ctxAt(ORDER_DAY)));
        must(await payments.recordPayment(paymentInput('P-1', '1500.00'), ctxAt(PAY_DAY)));
        const [payment, plan1, plan2] = [(await store.loadPayment('P-1'))!, (await store.loadPlan('PP-SO-1'))!, (await store.loadPlan('PP-SO-2'))!];
        const decided = must(allocatePayment(payment, [plan1, plan2], { kind: 'oldestFirst' }, { ...ctxAt(APPLY_DAY), policy: { zone: SH } }));
        expect(decided.plans).toHaveLength(2);
        const write = (expected: { payment: number; plans: number }) => ({
          payments: [{ record: decided.payment, expectedVersion: expected.payment }],
          plans: decided.plans.map((record) => ({ record, expectedVersion: expected.plans })),
        });

        // someone else touched the second plan meanwhile: nothing of the allocation is written
        must(await store.commit({ plans: [{ record: { ...plan2, ownerId: 'rep-wang', version: 2 }, expectedVersion: 1 }] }));
        conflict(await store.commit(write({ payment: 1, plans: 1 })), { entity: 'payment plan', id: 'PP-SO-2', expectedVersion: 1, actualVersion: 2 });
        expect(await store.loadPayment('P-1')).toEqual(payment);
        expect(await store.loadPlan('PP-SO-1')).toEqual(plan1);

        // and the other way round: a stale payment leaves the plans as they were
        const plan2now = (await store.loadPlan('PP-SO-2'))!;
        must(await store.commit({ payments: [{ record: { ...payment, note: '核对中', version: 2 }, expectedVersion: 1 }] }));
        const again = must(allocatePayment(payment, [plan1, plan2now], { kind: 'oldestFirst' }, { ...ctxAt(APPLY_DAY), policy: { zone: SH } }));
        conflict(
          await store.commit({ payments: [{ record: again.payment, expectedVersion: 1 }], plans: again.plans.map((record) => ({ record, expectedVersion: record.version - 1 })) }),
          { entity: 'payment', id: 'P-1', expectedVersion: 1, actualVersion: 2 },
        );
        expect(await store.loadPlan('PP-SO-1')).toEqual(plan1);
        expect(await store.loadPlan('PP-SO-2')).toEqual(plan2now);

        // a new payment recorded and applied over a stale plan is not created either
        const created = must(allocatePayment({ ...payment, id: 'P-2', version: 0 } as Payment, [plan2], { kind: 'oldestFirst' }, { ...ctxAt(APPLY_DAY), policy: { zone: SH } }));
        conflict(
          await store.commit({ payments: [{ record: { ...created.payment, version: 1 }, expectedVersion: null }], plans: [{ record: created.plans[0]!, expectedVersion: 1 }] }),
          { entity: 'payment plan', id: 'PP-SO-2', expectedVersion: 1, actualVersion: 2 },
        );
        expect(await store.loadPayment('P-2')).toBeNull();
        expect(await store.loadPlan('PP-SO-2')).toEqual(plan2now);
        await expectLedgerAgrees(store, ['PP-SO-1', 'PP-SO-2'], ['P-1']);
      });
    });

    describe('payment allocation without double-apply', () => {
      it('two clerks applying the same payment at once apply it once', async (store) => {
        const payments = service(store);
        must(await payments.createPlan(planInput('SO-1'), ctxAt(ORDER_DAY)));
        must(await payments.recordPayment(paymentInput('P-1', '500.00'), ctxAt(PAY_DAY)));
        const results = await Promise.all([
          payments.applyPayment('P-1', { kind: 'oldestFirst' }, ctxAt(APPLY_DAY, 'clerk-wu')),
          payments.applyPayment('P-1', { kind: 'oldestFirst' }, ctxAt(APPLY_DAY, 'clerk-zhang')),
        ]);
        const codes = results.map(codeOf).sort();
        expect(codes[codes.length - 1]).toBe('ok');
        // the loser either lost the commit, or loaded after the winner and found nothing left
        expect(['CONFLICT', 'PAYMENT_NOTHING_TO_APPLY'].includes(codes[0]!)).toBe(true);
        const stored = (await store.loadPayment('P-1'))!;
        expect(stored.version).toBe(2);
        expect(stored.applications.map((a) => [a.installmentId, minor(a.amount)])).toEqual([
          ['I1', 30000],
          ['I2', 20000],
        ]);
        expect(paid(await store.loadPlan('PP-SO-1'))).toEqual([30000, 20000, 0]);
        expect((await store.loadPlan('PP-SO-1'))!.version).toBe(2);
        await expectLedgerAgrees(store, ['PP-SO-1'], ['P-1']);
      });

      it('clerks racing with conflict retries: one applies the payment, every other finds nothing left to apply', async (store) => {
        const clerks = options.racingClerks ?? 8;
        const payments = service(store, clerks);
        must(await payments.createPlan(planInput('SO-1'), ctxAt(ORDER_DAY)));
        must(await payments.recordPayment(paymentInput('P-1', '500.00'), ctxAt(PAY_DAY)));
        const results = await Promise.all(Array.from({ length: clerks }, (_, i) => payments.applyPayment('P-1', { kind: 'proportional' }, ctxAt(APPLY_DAY, `clerk-${i}`))));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok).map(codeOf)).toEqual(Array(clerks - 1).fill('PAYMENT_NOTHING_TO_APPLY'));
        expect((await store.loadPayment('P-1'))!.version).toBe(2);
        expect(paid(await store.loadPlan('PP-SO-1')).reduce((s, n) => s + n, 0)).toBe(50000);
        expect((await store.loadPlan('PP-SO-1'))!.version).toBe(2);
        await expectLedgerAgrees(store, ['PP-SO-1'], ['P-1']);
      });

      it('two payments racing for one installment never over-fill it', async (store) => {
        const payments = service(store);
        must(await payments.createPlan(planInput('SO-1', { total: '1000.00', single: true }), ctxAt(ORDER_DAY)));
        must(await payments.recordPayment(paymentInput('P-1', '800.00'), ctxAt(PAY_DAY)));
        must(await payments.recordPayment(paymentInput('P-2', '800.00'), ctxAt(PAY_DAY)));
        const results = await Promise.all([
          payments.applyPayment('P-1', { kind: 'oldestFirst' }, ctxAt(APPLY_DAY, 'clerk-wu')),
          payments.applyPayment('P-2', { kind: 'oldestFirst' }, ctxAt(APPLY_DAY, 'clerk-zhang')),
        ]);
        expect(results.filter((r) => r.ok).length >= 1).toBe(true);
        for (const r of results) expect(['ok', 'CONFLICT'].includes(codeOf(r))).toBe(true);
        await expectLedgerAgrees(store, ['PP-SO-1'], ['P-1', 'P-2']);
        expect(paid(await store.loadPlan('PP-SO-1'))[0]).toBe(results.every((r) => r.ok) ? 100000 : 80000);

        // with retries the loser reloads and takes only what is left: filled exactly, the rest is credit
        const retrying = service(store, 3);
        must(await retrying.createPlan(planInput('SO-2', { total: '1000.00', single: true }), ctxAt(ORDER_DAY)));
        must(await retrying.recordPayment(paymentInput('P-3', '800.00', { orderId: 'SO-2' }), ctxAt(PAY_DAY)));
        must(await retrying.recordPayment(paymentInput('P-4', '800.00', { orderId: 'SO-2' }), ctxAt(PAY_DAY)));
        const both = await Promise.all([retrying.applyPayment('P-3', undefined, ctxAt(APPLY_DAY, 'clerk-wu')), retrying.applyPayment('P-4', undefined, ctxAt(APPLY_DAY, 'clerk-zhang'))]);
        expect(both.map(codeOf)).toEqual(['ok', 'ok']);
        expect(paid(await store.loadPlan('PP-SO-2'))).toEqual([100000]);
        const credit = await store.loadPaymentsWithCredit('C-1', 'CNY');
        expect(ids(credit.filter((p) => p.id === 'P-3' || p.id === 'P-4'))).toHaveLength(1);
        await expectLedgerAgrees(store, ['PP-SO-2'], ['P-3', 'P-4']);
        expect((await store.loadOpenPlans('C-1')).map((p) => p.id).includes('PP-SO-2')).toBe(false);
      });
    });

    describe('queries', () => {
      it('loadOpenPlans and loadPaymentsWithCredit return exactly the right records, and follow each commit', async (store) => {
        const payments = await seedLedger(store);
        expect(ids(await store.loadOpenPlans('C-1'))).toEqual(['PP-SO-1', 'PP-SO-3']);
        expect(ids(await store.loadOpenPlans('C-1', 'CNY'))).toEqual(['PP-SO-1']);
        expect(ids(await store.loadOpenPlans('C-1', 'USD'))).toEqual(['PP-SO-3']);
        expect(ids(await store.loadOpenPlans('C-2'))).toEqual(['PP-SO-5']);
        expect(await store.loadOpenPlans('C-404')).toEqual([]);
        for (const plan of await store.loadOpenPlans('C-1')) expect(plan).toEqual(await store.loadPlan(plan.id));

        expect(ids(await store.loadPaymentsWithCredit('C-1'))).toEqual(['P-3', 'P-4', 'P-6']);
        expect(ids(await store.loadPaymentsWithCredit('C-1', 'CNY'))).toEqual(['P-3', 'P-4']);
        expect(ids(await store.loadPaymentsWithCredit('C-1', 'USD'))).toEqual(['P-6']);
        expect(ids(await store.loadPaymentsWithCredit('C-2'))).toEqual(['P-7']);
        expect(await store.loadPaymentsWithCredit('C-404')).toEqual([]);
        for (const p of await store.loadPaymentsWithCredit('C-1')) expect(p).toEqual(await store.loadPayment(p.id));

        // P-3 settles SO-1 (CNY 500.01 outstanding) and keeps the rest as credit
        must(await payments.applyPayment('P-3', { kind: 'oldestFirst' }, ctxAt(APPLY_DAY)));
        expect(ids(await store.loadOpenPlans('C-1'))).toEqual(['PP-SO-3']);
        expect(ids(await store.loadPaymentsWithCredit('C-1', 'CNY'))).toEqual(['P-3', 'P-4']);
        // refunding P-4's rest leaves it without credit
        must(await payments.refundPayment('P-4', { reason: '退回客户' }, ctxAt(APPLY_DAY)));
        expect(ids(await store.loadPaymentsWithCredit('C-1', 'CNY'))).toEqual(['P-3']);
        // taking P-1 off SO-1 opens the plan again and gives P-1 credit
        must(await payments.unapplyPayment('P-1', { reason: '错记订单' }, ctxAt(APPLY_DAY)));
        expect(ids(await store.loadOpenPlans('C-1', 'CNY'))).toEqual(['PP-SO-1']);
        expect(ids(await store.loadPaymentsWithCredit('C-1', 'CNY'))).toEqual(['P-1', 'P-3']);
        await expectLedgerAgrees(store, ['PP-SO-1', 'PP-SO-2', 'PP-SO-4'], ['P-1', 'P-2', 'P-3', 'P-4', 'P-5']);
      });

      it('streamOpenPlans yields every open plan of every customer once, and nothing settled', async (store) => {
        await seedLedger(store);
        const seen: PaymentPlan[] = [];
        for await (const plan of store.streamOpenPlans()) seen.push(plan);
        expect(ids(seen)).toEqual(['PP-SO-1', 'PP-SO-3', 'PP-SO-5']);
        for (const plan of seen) {
          expect(plan).toEqual(await store.loadPlan(plan.id));
          expect(plan.installments[0]!.dueAt).toBeInstanceOf(Date);
        }
        const reminders = must(await service(store).reminders(ctxAt('2026-06-01T09:00:00')));
        // the reminder run reads the same stream: every plan with an overdue installment, none settled
        expect([...new Set(reminders.map((e) => String((e.data as { planId?: unknown }).planId)))].sort()).toEqual(['PP-SO-1', 'PP-SO-3', 'PP-SO-5']);
      });

      it('many open plans stream each once while the consumer settles some, and a stream left early releases the store', async (store) => {
        const n = options.streamedPlans ?? 240;
        const payments = service(store);
        for (let i = 0; i < n; i++) must(await payments.createPlan(planInput(`SO-${String(i).padStart(4, '0')}`, { customerId: `C-${i % 7}` }), ctxAt(ORDER_DAY)));
        const seen = new Set<string>();
        let settled = 0;
        for await (const plan of store.streamOpenPlans()) {
          expect(seen.has(plan.id)).toBe(false);
          seen.add(plan.id);
          if (seen.size % 9 === 0) {
            // as a collections run might: write while reading
            must(
              await payments.recordAndApplyPayment(
                paymentInput(`P-${plan.orderId}`, '1000.01', { customerId: plan.customerId, orderId: plan.orderId }),
                { kind: 'installmentOrder', orderId: plan.orderId },
                ctxAt(APPLY_DAY),
              ),
            );
            settled++;
          }
        }
        expect(seen.size).toBe(n);
        expect(settled).toBe(Math.floor(n / 9));
        let open = 0;
        for await (const _ of store.streamOpenPlans()) open++;
        expect(open).toBe(n - settled);
        let taken = 0;
        for await (const _ of store.streamOpenPlans()) if (++taken === 5) break;
        expect(taken).toBe(Math.min(5, n));
        must(await payments.createPlan(planInput('SO-after'), ctxAt(ORDER_DAY)));
        expect((await store.loadPlanOfOrder('SO-after'))!.version).toBe(1);
      });
    });

    describe('refund requests (a store with loadRefundRequest)', () => {
      it('a request loads back equal; its last approval and the refund are one commit; two approvers at once pay it back once', async (store) => {
        const loadRequest = store.loadRefundRequest?.bind(store);
        if (loadRequest === undefined) return; // an older store: refund approval is not offered on it
        const policy = { zone: SH, refundApproval: { levels: [{ id: 'finance', approvers: ['fin-wu'], above: { CNY: '500.00' } }] } };
        const payments = createPaymentService({ store, policy });
        const at = (local: string, actorId: string): PaymentContext => ({ now: sh(local), actor: { id: actorId }, policy });
        must(await payments.recordPayment(paymentInput('P-1', '2000.00'), at(PAY_DAY, 'cashier-he')));
        const asked = must(await payments.requestRefund('P-1', { id: 'RF-1', amount: '800.00', reason: '退货退款' }, at(PAY_DAY, 'cashier-he')));
        expect(await loadRequest('RF-1')).toEqual(asked.request);
        expect((await loadRequest('RF-1'))!.requestedAt).toBeInstanceOf(Date);
        expect(await loadRequest('RF-404')).toBeNull();
        expect(codeOf(await payments.requestRefund('P-1', { id: 'RF-1', amount: '1.00' }, at(PAY_DAY, 'cashier-he')))).toBe('CONFLICT');
        const runs = await Promise.all(Array.from({ length: 4 }, () => payments.decideRefund('RF-1', { type: 'approve' }, at(APPLY_DAY, 'fin-wu'))));
        expect(runs.filter((r) => r.ok)).toHaveLength(1);
        for (const r of runs) expect(['ok', 'CONFLICT', 'PAYMENT_REFUND_NOT_PENDING'].includes(codeOf(r))).toBe(true);
        const request = (await loadRequest('RF-1'))!;
        const payment = (await store.loadPayment('P-1'))!;
        expect(request).toMatchObject({ status: 'applied', version: 2, refundSeq: 1 });
        expect(payment.refunds.map((x) => minor(x.amount))).toEqual([80_000]);
        expect((await store.loadPaymentsWithCredit('C-1')).map((p) => p.id)).toEqual(['P-1']);
      });
    });
  });
}

/**
 * The payments part of the repository contract, for a store that implements only the payments
 * port (`describeStoreContract` runs the same checks when its store implements it too):
 * versions of plans and payments (a stale save or a taken id is `CONFLICT`, a record not
 * carrying the next version `INVALID_INPUT`), atomic commits (a payment and the plans it pays
 * together or not at all), payment allocation without double-apply (clerks racing on one
 * payment apply it once; payments racing for one installment never over-fill it), and
 * `loadOpenPlans`, `loadPaymentsWithCredit` and `streamOpenPlans` returning exactly the right
 * records as commits change them. Each check gets a fresh, empty store — and, when `makeStore`
 * returns a `neighbour` (a payment store of another tenant on the same database), runs first on
 * the neighbour and then on the store, so the same ids exist in both tenants. Arguments it cannot
 * use throw a `ContractArgumentError` naming the argument (see `describeStoreContract`).
 *
 * @throws {ContractArgumentError} when an argument cannot be used (test tooling fails loudly).
 *
 * @example
 * import { describe, it, expect } from 'vitest';
 * import { describePaymentStoreContract } from 'crm-rules/testing';
 * describePaymentStoreContract('my payment store', async () => ({ store: createMyPaymentStore(await freshDb()) }), { describe, it, expect });
 */
export function describePaymentStoreContract<S extends PaymentStore>(
  name: string,
  makeStore: () => Promise<ContractHarness<S>>,
  t: ContractRunner,
  options: ContractOptions = {},
): void {
  ({ name, makeStore, t, options } = contractArguments<S>(name, makeStore, t, options));
  const it: PaymentCheck = freshStoreCheck(t, makeStore, options);
  t.describe(`payment store contract: ${name}`, () => paymentSection(t, it, options));
}
