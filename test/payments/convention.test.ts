import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ActorInput } from '../../src/core/index.js';
import { createMemoryPaymentStore } from '../../src/adapters/memory/payment-store.js';
import { createPaymentPlan, createPaymentService, recordPayment, type CreatePaymentPlanInput, type PaymentContext } from '../../src/payments/index.js';
import { error, issuePaths, value } from '../support.js';
import { plan302050, sh } from './fixtures.js';

// The payments take the context every service takes, `{ now, actor, policy? }`; the `actorId`
// of 0.1 is still read, deprecated, and gives the same answers.

const SH = 'Asia/Shanghai';
const day = (n: number) => new Date(sh('2026-03-02T10:00:00').getTime() + n * 86_400_000);

const order: CreatePaymentPlanInput = plan302050({ id: 'PP-SO-1' });

const service = () => {
  const store = createMemoryPaymentStore();
  return { store, payments: createPaymentService({ store, policy: { zone: SH, writeOffTolerance: { CNY: '1.00' } } }) };
};

describe('the payments calling convention: (subject, command?, { now, actor, policy? })', () => {
  it('a plan’s life gives the same answers and the same store with `actor: { id }` as with the deprecated `actorId`', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('clerk-wu', 'cashier-he', 'system:payments'),
        fc.array(fc.record({ cents: fc.integer({ min: 1, max: 60_000 }), day: fc.integer({ min: 0, max: 90 }), reverse: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 120 }),
        async (clerk, receipts, reportDay) => {
          const a = service();
          const b = service();
          const old = (n: number): PaymentContext => ({ now: day(n), actorId: clerk });
          const now = (n: number): PaymentContext => ({ now: day(n), actor: { id: clerk } });
          const both = async <T>(run: (s: ReturnType<typeof service>['payments'], ctx: (n: number) => PaymentContext) => Promise<T>) => {
            const x = await run(a.payments, old);
            const y = await run(b.payments, now);
            expect(y).toEqual(x);
            return x;
          };
          await both((p, c) => p.createPlan(order, c(0)));
          for (const [i, r] of receipts.entries()) {
            const input = { id: `P-${i}`, customerId: 'C-1', amount: { currency: 'CNY' as const, amount: (r.cents / 100).toFixed(2) }, receivedAt: day(r.day), method: 'bankTransfer' as const };
            await both((p, c) => p.recordAndApplyPayment(input, { kind: 'oldestFirst' }, c(r.day)));
            if (r.reverse) await both((p, c) => p.reversePayment(`P-${i}`, { reason: '退票' }, c(r.day)));
          }
          await both((p, c) => p.writeOffDifference('PP-SO-1', { reason: '尾差' }, c(reportDay)));
          await both((p, c) => p.reminders(c(reportDay)));
          // the deprecated report took a bare time
          expect(value(await b.payments.customerReceivables('C-1', now(reportDay)))).toEqual(value(await a.payments.customerReceivables('C-1', day(reportDay))));
          expect(await b.store.loadPlan('PP-SO-1')).toEqual(await a.store.loadPlan('PP-SO-1'));
          for (let i = 0; i < receipts.length; i++) expect(await b.store.loadPayment(`P-${i}`)).toEqual(await a.store.loadPayment(`P-${i}`));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('who acts is said once: neither is refused at `context.actor`, two different ids at `context.actorId`', async () => {
    const { payments } = service();
    expect(issuePaths(await payments.createPlan(order, { now: day(0) } as PaymentContext))).toEqual(['context.actor']);
    expect(issuePaths(await payments.createPlan(order, { now: day(0), actor: { id: 'clerk-wu' }, actorId: 'clerk-he' }))).toEqual(['context.actorId']);
    expect(issuePaths(await payments.createPlan(order, { now: day(0), actor: { id: '' } }))).toEqual(['context.actor.id']);
    expect(issuePaths(await payments.createPlan(order, { now: day(0), actor: { id: 'clerk-wu', role: 'x' } as ActorInput }))).toEqual(['context.actor']);
    // while migrating, both may be given when they name the same actor
    const plan = value(await payments.createPlan(order, { now: day(0), actor: { id: 'clerk-wu' }, actorId: 'clerk-wu' }));
    expect(plan.events.map((e) => e.actorId)).toEqual(['clerk-wu']);
  });

  it('the actor a host builds once per request (relations, departments) is taken as it is; the rules and the service read its id', async () => {
    const actor: ActorInput = { id: 'clerk-wu', relations: ['crmAdmin'], departmentIds: ['finance'] };
    const pure = value(createPaymentPlan(order, { now: day(0), actor, policy: { zone: SH } }));
    const { payments } = service();
    const saved = value(await payments.createPlan(order, { now: day(0), actor }));
    expect(saved).toEqual(pure);
    expect(saved.events.map((e) => e.actorId)).toEqual(['clerk-wu']);
  });

  it('a report takes a context (the actor optional), or the deprecated bare time; a policy in the context sets its aging buckets', async () => {
    const { payments } = service();
    value(await payments.createPlan(order, { now: day(0), actor: { id: 'clerk-wu' } }));
    const bare = value(await payments.customerReceivables('C-1', day(45)));
    expect(value(await payments.customerReceivables('C-1', { now: day(45) }))).toEqual(bare);
    expect(value(await payments.customerReceivables('C-1', { now: day(45), actor: { id: 'rep-li' } }))).toEqual(bare);
    const custom = value(await payments.customerReceivables('C-1', { now: day(45), policy: { zone: SH, agingBuckets: [15] } }));
    expect(custom).not.toEqual(bare);
  });

  it('a context that throws when read is INVALID_INPUT, from the rules and from the service alike (found in review)', async () => {
    const { payments } = service();
    const input = { id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY' as const, amount: '1.00' }, receivedAt: day(0), method: 'bankTransfer' as const };
    const sly = {
      get id(): string {
        throw new Error('boom');
      },
    };
    expect(issuePaths(recordPayment(input, { now: day(0), actor: sly }))).toEqual(['context']); // 'the input could not be read (boom)'
    expect(issuePaths(await payments.recordPayment(input, { now: day(0), actor: sly }))).toEqual(['context']);
    const unreadable = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } }) as PaymentContext;
    expect(error(recordPayment(input, unreadable)).code).toBe('INVALID_INPUT');
  });

  it('a report’s context is refused at `context` (its time, its policy), never thrown on (found in review)', async () => {
    const { payments } = service();
    expect(issuePaths(await payments.customerReceivables('C-1', { now: 'garbage' }))).toEqual(['context.now']);
    expect(issuePaths(await payments.customerReceivables('C-1', { now: day(0), policy: { zone: 'Mars/Base' } }))).toEqual(['context.policy.zone']);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(error(await payments.customerReceivables('C-1', revoked.proxy as never)).code).toBe('INVALID_INPUT');
    // the deprecated actorId is read here too, and must agree with actor when both are given
    value(await payments.customerReceivables('C-1', { now: day(0), actorId: 'clerk-wu' }));
    expect(issuePaths(await payments.customerReceivables('C-1', { now: day(0), actor: { id: 'a' }, actorId: 'b' }))).toEqual(['context.actorId']);
  });

  it('a job’s hooks go in its context; the deprecated second argument still works; both at once is refused', async () => {
    const { payments } = service();
    value(await payments.createPlan(order, { now: day(0), actor: { id: 'clerk-wu' } }));
    const ctx = { now: day(28), actor: { id: 'system:payments' } };
    const plain = value(await payments.reminders(ctx));
    expect(plain.length).toBeGreaterThan(0);
    const seen: number[] = [];
    expect(value(await payments.reminders({ ...ctx, onProgress: (p) => seen.push(p.done) }))).toEqual(plain);
    expect(seen).toEqual([1]);
    expect(value(await payments.reminders(ctx, { onProgress: () => undefined }))).toEqual(plain);
    const stop = new AbortController();
    stop.abort();
    expect(error(await payments.reminders({ ...ctx, signal: stop.signal })).code).toBe('ABORTED');
    expect(issuePaths(await payments.reminders({ ...ctx, signal: stop.signal } as PaymentContext, { onProgress: () => undefined }))).toEqual(['options']);
    expect(issuePaths(await payments.reminders({ ...ctx, onProgress: 'often' as never }))).toEqual(['context.onProgress']);
  });
});
