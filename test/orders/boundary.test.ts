import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as orders from '../../src/orders/index.js';
import { createOrder, decideOrder, type DocumentCommandInput, type Order } from '../../src/orders/index.js';
import type { QuotePricingInput } from '../../src/pricing/index.js';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { calls, checkCall, frozenArrayOf, functionsOf, fuzzExports, garbageArb, materialize, mutate, mutationArb, oneOf, runs, type ExportSpec, type Returns } from '../leads/boundary.harness.js';

/*
 * Every function the orders door exports, called with anything and with valid inputs mutated (see
 * the leads suite for the kinds of mutation): a Result or the documented return, never a throw but
 * the caller's own, no input changed or frozen, ok outputs deep-frozen. Valid inputs are orders
 * driven through their life, so the success paths are fuzzed too.
 */

const now = new Date('2026-05-06T10:00:00+08:00');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);
const pricingArb: fc.Arbitrary<QuotePricingInput> = fc.record({
  currency: fc.constantFrom('CNY' as const, 'JPY' as const),
  lines: fc.uniqueArray(
    fc.record({ id: fc.constantFrom('l1', 'l2', 'l3'), productId: fc.constantFrom('crm-seat', 'implementation'), quantity: fc.constantFrom('1', '2', '0.5', '10'), listPrice: fc.constantFrom('0', '100', '999.5', '1000') }),
    { selector: (l) => l.id, minLength: 1, maxLength: 3 },
  ),
  tax: fc.constantFrom({ percent: '0' }, { percent: '13' }, { percent: '6', mode: 'inclusive' as const }),
});
const approvalPolicy = { levels: [{ id: 'lead', approvers: ['mgr-zhao'] }], rules: [{ id: 'big', level: 'lead', when: { kind: 'totalAbove' as const, amount: '1000' } }] };
const actorArb = fc.constantFrom({ id: 'rep-li' }, { id: 'mgr-zhao', relations: ['crmAdmin' as const] }, { id: 'desk-wu', relations: ['teamMemberReadWrite' as const] });
const ctxArb = fc.record({ now: fc.constantFrom(later(1), later(2)), actor: actorArb, approvalPolicy: fc.constant(approvalPolicy), contractOrders: fc.constant([]) });

/** An order some way through its life: created, submitted, maybe approved, shipped, received. */
const orderArb: fc.Arbitrary<Order> = fc.tuple(pricingArb, fc.integer({ min: 0, max: 5 })).map(([pricing, steps]) => {
  let o = (createOrder({ id: 'SO-1', customerId: 'C-1', opportunityId: 'O-1', pricing }, { now, actor: { id: 'rep-li' } }) as { ok: true; value: { order: Order } }).value.order;
  const all = o.lines.map((l) => ({ lineId: l.id, quantity: l.quantity }));
  const life: [string, DocumentCommandInput][] = [
    ['rep-li', { type: 'submit' }],
    ['mgr-zhao', { type: 'approve' }],
    ['mgr-zhao', { type: 'ship', lines: all }],
    ['mgr-zhao', { type: 'receive', lines: all }],
    ['mgr-zhao', { type: 'close' }],
  ];
  for (const [id, cmd] of life.slice(0, steps)) {
    const r = decideOrder(o, cmd, { now, actor: { id, relations: ['crmAdmin'] }, approvalPolicy });
    if (r.ok) o = r.value.order;
  }
  return o;
});
const commandArb: fc.Arbitrary<DocumentCommandInput> = fc.oneof(
  fc.constantFrom<DocumentCommandInput>({ type: 'submit' }, { type: 'approve' }, { type: 'reject', reason: '折扣过大' }, { type: 'cancel', reason: '撤单' }, { type: 'close' }),
  fc.constantFrom<DocumentCommandInput>({ type: 'ship', lines: [{ lineId: 'l1', quantity: '0.5' }] }, { type: 'receive', lines: [{ lineId: 'l1', quantity: '0.5' }] }),
  fc.constantFrom<DocumentCommandInput>(
    { type: 'return', id: 'RT-1', lines: [{ lineId: 'l1', quantity: '0.5' }], reason: '退货' },
    { type: 'invoice', amount: '1' },
    { type: 'invoice', amount: '-1' },
    { type: 'invoice', amount: '99.5' },
  ),
);
const contractArb = pricingArb.map((pricing) => (orders.createContract({ id: 'HT-1', customerId: 'C-1', pricing }, { now, actor: { id: 'rep-li' } }) as { ok: true; value: { contract: orders.Contract } }).value.contract);

const R: Returns = { kind: 'result' };
const SPECS: Record<string, ExportSpec> = {
  createContract: { returns: R, valid: fc.tuple(fc.record({ id: fc.constant('HT-1'), customerId: fc.constant('C-1'), pricing: pricingArb }), ctxArb) },
  createOrder: { returns: R, valid: fc.tuple(fc.record({ id: fc.constant('SO-1'), customerId: fc.constant('C-1'), pricing: pricingArb }), ctxArb) },
  decideContract: { returns: R, valid: fc.tuple(contractArb, commandArb, ctxArb) },
  decideOrder: { returns: R, valid: fc.tuple(orderArb, commandArb, ctxArb) },
  invoicingState: { returns: { kind: 'value', check: oneOf('none', 'partly', 'fully') }, valid: orderArb.map((o) => [o]) },
  availableOrderOperations: {
    returns: { kind: 'value', check: frozenArrayOf((x) => (orders.ORDER_OPERATIONS as readonly unknown[]).includes(x)) },
    valid: fc.tuple(orderArb, actorArb, fc.constantFrom({}, { approvalPolicy })),
  },
  createOrderService: { returns: { kind: 'value', check: (out) => (typeof out === 'object' && out !== null ? null : 'not a service') }, valid: fc.constant([{ store: createMemoryStore(), approvalPolicy }]) },
};

const exported = functionsOf(orders as unknown as Record<string, unknown>);
const call = (name: string) => (orders as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;

describe('the orders door, fuzzed', () => {
  let oks = 0;
  afterAll(() => {
    if (process.env.FUZZ_RUNS) console.log(`orders boundary: ${calls.count.toLocaleString('en-US')} calls checked, 0 failures`);
  });

  fuzzExports(exported, SPECS, call, (out) => {
    if (out !== null && typeof out === 'object' && (out as { ok?: unknown }).ok === true) oks++;
  });

  it('the valid inputs reach the success paths', () => {
    expect(oks).toBeGreaterThan(20);
  });

  it('the service answers every call with a Result, whatever the request or the store holds', async () => {
    const serviceCtxArb = fc.record({ now: fc.constantFrom(later(1), later(2)), actor: actorArb });
    await fc.assert(
      fc.asyncProperty(orderArb, contractArb, commandArb, serviceCtxArb, fc.array(mutationArb, { maxLength: 3 }), garbageArb, async (o, c, cmd, ctx, mutations, junk) => {
        const store = createMemoryStore();
        store.orders.apply([{ record: o, expectedVersion: null }]);
        store.contracts.apply([{ record: c, expectedVersion: null }]);
        const service = orders.createOrderService({ store, approvalPolicy });
        await checkCall('OrderService.executeOrder', service.executeOrder as never, mutate([o.id, cmd, ctx], mutations), { kind: 'promiseResult' });
        await checkCall('OrderService.executeContract', service.executeContract as never, mutate([c.id, cmd, ctx], mutations), { kind: 'promiseResult' });
        await checkCall('OrderService.createOrder', service.createOrder as never, mutate([{ id: 'SO-new', customerId: 'C-1', contractId: 'HT-1', pricing: c.pricing }, ctx], mutations), { kind: 'promiseResult' });
        await checkCall('OrderService.createContract', service.createContract as never, mutate([{ id: 'HT-new', customerId: 'C-1', pricing: c.pricing }, ctx], mutations), { kind: 'promiseResult' });
        const j = materialize(junk);
        const answer = async () => j;
        const junkStore = Object.fromEntries(['loadContract', 'loadOrder', 'loadOrdersOfContract', 'loadOrdersOfOpportunity', 'loadDealOrdersOfCustomer', 'loadOpportunity', 'loadCustomer', 'commit'].map((m) => [m, answer]));
        await checkCall('OrderService.executeOrder (junk store)', orders.createOrderService({ store: junkStore as never, approvalPolicy }).executeOrder as never, [o.id, cmd, ctx], { kind: 'promiseResult' });
        await checkCall('createOrderService (junk deps)', (d: unknown) => orders.createOrderService(d as never).executeOrder(o.id, cmd, ctx), [junk], { kind: 'promiseResult' });
      }),
      { numRuns: runs(60) },
    );
  }, 600_000);
});
