import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMemoryStore, type MemoryStore } from '../../src/adapters/memory/index.js';
import { createCustomer, decideCustomer } from '../../src/customers/index.js';
import { formatMoney, type HostRelation } from '../../src/core/index.js';
import { openOpportunity, decideOpportunity, type Opportunity } from '../../src/leads/index.js';
import { createOrder, createOrderService, decideOrder, type OrderService, type OrderServiceContext, type OrderServiceStore, type SeamOutcome } from '../../src/orders/index.js';
import type { ApprovalPolicyInput, QuotePricingInput } from '../../src/pricing/index.js';
import { error, value } from '../support.js';

const sh = (local: string) => new Date(`${local}+08:00`);
const T0 = sh('2026-05-06T10:00:00');
const at = (hour: number) => new Date(T0.getTime() + hour * 3_600_000);
const who = (id: string, ...relations: HostRelation[]) => ({ id, relations });
const rep = who('rep-li');
const desk = who('desk-wu', 'teamMemberReadWrite');
const ctx = (actor: { id: string; relations: HostRelation[] }, hour: number): OrderServiceContext => ({ now: at(hour), actor });

/** ¥1,000 a seat, 13% VAT on top. */
const seats = (n: string, lineId = 'l1'): QuotePricingInput => ({ currency: 'CNY', lines: [{ id: lineId, productId: 'crm-seat', quantity: n, listPrice: '1000' }], tax: { percent: '13' } });
/** A contract needs the sales director above ¥100,000; an order the team lead above ¥10,000. */
const APPROVALS: ApprovalPolicyInput = {
  levels: [
    { id: 'teamLead', approvers: ['mgr-zhao'] },
    { id: 'director', approvers: ['dir-qian'] },
  ],
  rules: [
    { id: 'over-10k', level: 'teamLead', when: { kind: 'totalAbove', amount: '10000' } },
    { id: 'over-100k', level: 'director', when: { kind: 'totalAbove', amount: '100000' } },
  ],
};

/** A store holding customer C-501 (owned by rep-li, 未成交) and its opportunity O-1 at the negotiation stage. */
function seeded(): MemoryStore {
  const store = createMemoryStore();
  store.putCustomer(value(createCustomer({ id: 'C-501' }, { now: at(-48), actor: rep })).customer);
  let opp: Opportunity = value(openOpportunity({ id: 'O-1', name: '腾飞科技 CRM 二期', customerId: 'C-501' }, { now: at(-48), actor: rep })).opportunity;
  opp = value(decideOpportunity(opp, { type: 'moveToStage', stageId: 'needs_confirmed' }, { now: at(-47), actor: rep })).opportunity;
  opp = value(decideOpportunity(opp, { type: 'moveToStage', stageId: 'proposal' }, { now: at(-46), actor: rep })).opportunity;
  opp = value(decideOpportunity(opp, { type: 'moveToStage', stageId: 'negotiation' }, { now: at(-45), actor: rep })).opportunity;
  store.opportunities.apply([{ record: opp, expectedVersion: null }]);
  return store;
}

const seam = (outcome: { seams: readonly SeamOutcome[] }) => outcome.seams.map((s) => `${s.effect.kind}:${s.outcome}${s.reason ? `:${s.reason}` : ''}`);

/** Contract HT-1 for 100 seats (¥113,000), approved by the team lead and the director. */
async function approvedContract(orders: OrderService): Promise<void> {
  value(await orders.createContract({ id: 'HT-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('100') }, ctx(rep, 0)));
  expect(value(await orders.executeContract('HT-1', { type: 'submit' }, ctx(rep, 1))).contract.approval!.levels).toEqual(['teamLead', 'director']);
  value(await orders.executeContract('HT-1', { type: 'approve' }, ctx(who('mgr-zhao'), 2)));
  expect(value(await orders.executeContract('HT-1', { type: 'approve' }, ctx(who('dir-qian'), 3))).contract.status).toBe('approved');
}

describe('the order service: lead to cash on one store', () => {
  it('a contract approved, two orders from it; the first confirmed wins the opportunity and makes the customer dealt, in one commit', async () => {
    const store = seeded();
    const orders = createOrderService({ store, approvalPolicy: APPROVALS });
    await approvedContract(orders);
    // SO-1: 60 seats (¥67,800) waits for the team lead; SO-2: 50 seats would pass the contract
    value(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', contractId: 'HT-1', pricing: seats('60') }, ctx(rep, 4)));
    expect(error(await orders.createOrder({ id: 'SO-2', customerId: 'C-501', opportunityId: 'O-1', contractId: 'HT-1', pricing: seats('50') }, ctx(rep, 4)))).toMatchObject({
      code: 'ORDER_CONTRACT_EXCEEDED',
      details: { remaining: '45200.00' },
    });
    value(await orders.createOrder({ id: 'SO-2', customerId: 'C-501', opportunityId: 'O-1', contractId: 'HT-1', pricing: seats('40') }, ctx(rep, 4)));
    expect(value(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 5))).order.status).toBe('pendingApproval');
    const confirmed = value(await orders.executeOrder('SO-1', { type: 'approve' }, ctx(who('mgr-zhao'), 6)));
    expect(confirmed.order).toMatchObject({ status: 'confirmed', opportunityStageBefore: 'negotiation' });
    expect(seam(confirmed)).toEqual(['opportunityWon:applied', 'customerDealt:applied', 'paymentPlanDue:forHost']);
    expect(confirmed.opportunity).toMatchObject({ id: 'O-1', status: 'won', probability: 100 });
    expect(confirmed.customer).toMatchObject({ id: 'C-501', won: true });
    expect(confirmed.events.map((e) => e.type)).toEqual(['order.approvalSigned', 'order.confirmed', 'opportunity.closed', 'customer.dealRecorded']);
    // stored together
    expect(await store.loadOpportunity('O-1')).toEqual(confirmed.opportunity);
    expect(await store.loadCustomer('C-501')).toEqual(confirmed.customer);
    expect(await store.loadOrder('SO-1')).toEqual(confirmed.order);
    const planDue = confirmed.seams.find((s) => s.effect.kind === 'paymentPlanDue')!.effect;
    expect(planDue).toMatchObject({ orderId: 'SO-1', customerId: 'C-501' });
    // the second order: the opportunity is won already
    value(await orders.executeOrder('SO-2', { type: 'submit' }, ctx(rep, 7)));
    const second = value(await orders.executeOrder('SO-2', { type: 'approve' }, ctx(who('mgr-zhao'), 8)));
    expect(seam(second)).toEqual(['opportunityWon:skipped:alreadyWon', 'customerDealt:applied', 'paymentPlanDue:forHost']);
    expect(second.opportunity).toBeNull();
    expect((await store.loadOrdersOfContract('HT-1')).map((o) => o.id)).toEqual(['SO-1', 'SO-2']);
    expect((await store.loadOrdersOfOpportunity('O-1')).map((o) => o.status)).toEqual(['confirmed', 'confirmed']);
    expect((await store.loadDealOrdersOfCustomer('C-501')).map((o) => o.id)).toEqual(['SO-1', 'SO-2']);
  });

  it('orders racing for the last room of a contract: created at once, neither submits; one that slipped into approval is stopped at its confirming approval', async () => {
    const store = seeded();
    const orders = createOrderService({ store, approvalPolicy: APPROVALS });
    await approvedContract(orders);
    // created at the same moment, each read the contract's orders before the other was saved
    const made = await Promise.all(
      ['SO-1', 'SO-2'].map((id) => orders.createOrder({ id, customerId: 'C-501', contractId: 'HT-1', pricing: seats('60') }, ctx(rep, 4))),
    );
    expect(made.every((r) => r.ok)).toBe(true);
    // a draft counts against the contract: 60 + 60 > 100, so neither submits until one is cancelled
    expect(error(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 5)))).toMatchObject({ code: 'ORDER_CONTRACT_EXCEEDED', details: { remaining: '45200.00' } });
    value(await orders.executeOrder('SO-2', { type: 'cancel', reason: '重复下单' }, ctx(rep, 5)));
    expect(value(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 6))).order.status).toBe('pendingApproval');
    // SO-3 slipped into approval beside SO-1 (a host's import, a race on another store): its approval checks the contract again
    const contract = (await store.loadContract('HT-1'))!;
    const slipped = value(createOrder({ id: 'SO-3', customerId: 'C-501', contractId: 'HT-1', pricing: seats('60') }, { now: at(6), actor: rep, contract, contractOrders: [] })).order;
    const pending = value(decideOrder(slipped, { type: 'submit' }, { now: at(6), actor: rep, approvalPolicy: APPROVALS, contract, contractOrders: [] })).order;
    store.orders.apply([{ record: pending, expectedVersion: null }]);
    // every live order counts (drafts and those waiting too), so neither confirms while both stand
    expect(error(await orders.executeOrder('SO-3', { type: 'approve' }, ctx(who('mgr-zhao'), 7)))).toMatchObject({ code: 'ORDER_CONTRACT_EXCEEDED', details: { ordered: '67800.00' } });
    expect(error(await orders.executeOrder('SO-1', { type: 'approve' }, ctx(who('mgr-zhao'), 7))).code).toBe('ORDER_CONTRACT_EXCEEDED');
    expect((await store.loadOrder('SO-3'))!.status).toBe('pendingApproval');
    value(await orders.executeOrder('SO-3', { type: 'reject', reason: '超出合同' }, ctx(who('mgr-zhao'), 8)));
    value(await orders.executeOrder('SO-3', { type: 'cancel', reason: '超出合同' }, ctx(rep, 8)));
    expect(value(await orders.executeOrder('SO-1', { type: 'approve' }, ctx(who('mgr-zhao'), 9))).order.status).toBe('confirmed');
  });

  it('a partial shipment, a receipt and a return: the credit note goes to payments; a full return withdraws the deal', async () => {
    const store = seeded();
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    value(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('10') }, ctx(rep, 0)));
    expect(seam(value(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1))))).toEqual(['opportunityWon:applied', 'customerDealt:applied', 'paymentPlanDue:forHost']);
    value(await orders.executeOrder('SO-1', { type: 'ship', lines: [{ lineId: 'l1', quantity: '4' }] }, ctx(desk, 2)));
    value(await orders.executeOrder('SO-1', { type: 'receive', lines: [{ lineId: 'l1', quantity: '4' }] }, ctx(desk, 3)));
    const returned = value(await orders.executeOrder('SO-1', { type: 'return', id: 'RT-1', lines: [{ lineId: 'l1', quantity: '1' }], reason: '多订了一个席位' }, ctx(desk, 4)));
    expect(seam(returned)).toEqual(['creditNote:forHost']);
    const credit = returned.seams[0]!.effect;
    expect(credit.kind === 'creditNote' && formatMoney(credit.input.amount)).toBe('1130.00');
    // the rest shipped, received and returned: the deal is withdrawn (no other deal order), the opportunity stays won
    value(await orders.executeOrder('SO-1', { type: 'ship', lines: [{ lineId: 'l1', quantity: '6' }] }, ctx(desk, 5)));
    value(await orders.executeOrder('SO-1', { type: 'receive', lines: [{ lineId: 'l1', quantity: '6' }] }, ctx(desk, 6)));
    const all = value(await orders.executeOrder('SO-1', { type: 'return', id: 'RT-2', lines: [{ lineId: 'l1', quantity: '9' }], reason: '项目取消' }, ctx(desk, 7)));
    expect(seam(all)).toEqual(['creditNote:forHost', 'customerDealWithdrawn:applied']);
    expect(all.customer).toMatchObject({ won: false, lastDealAt: null });
    expect((await store.loadOpportunity('O-1'))!.status).toBe('won');
  });

  it('a full return keeps the customer dealt while another deal order stands, its last deal date the other order’s', async () => {
    const store = seeded();
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    for (const [id, hour] of [['SO-1', 0], ['SO-2', 2]] as const) {
      value(await orders.createOrder({ id, customerId: 'C-501', pricing: seats('1') }, ctx(rep, hour)));
      value(await orders.executeOrder(id, { type: 'submit' }, ctx(rep, hour + 1)));
    }
    value(await orders.executeOrder('SO-2', { type: 'ship', lines: [{ lineId: 'l1', quantity: '1' }] }, ctx(desk, 4)));
    value(await orders.executeOrder('SO-2', { type: 'receive', lines: [{ lineId: 'l1', quantity: '1' }] }, ctx(desk, 5)));
    const back = value(await orders.executeOrder('SO-2', { type: 'return', id: 'RT-1', lines: [{ lineId: 'l1', quantity: '1' }], reason: '重复下单' }, ctx(desk, 6)));
    expect(seam(back)).toEqual(['creditNote:forHost', 'customerDealWithdrawn:applied']);
    expect(back.customer).toMatchObject({ won: true, lastDealAt: at(1) });
  });

  it('a cancelled order moves its opportunity back to the stage it had, unless another deal order still wins it', async () => {
    const store = seeded();
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    for (const id of ['SO-1', 'SO-2']) {
      value(await orders.createOrder({ id, customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, ctx(rep, 0)));
      value(await orders.executeOrder(id, { type: 'submit' }, ctx(rep, 1)));
    }
    const first = value(await orders.executeOrder('SO-1', { type: 'cancel', reason: '客户撤单' }, ctx(rep, 2)));
    expect(seam(first)).toEqual(['opportunityReverted:skipped:stillWon', 'customerDealWithdrawn:applied']);
    expect(first.customer).toMatchObject({ won: true });
    const last = value(await orders.executeOrder('SO-2', { type: 'cancel', reason: '客户撤单' }, ctx(rep, 3)));
    expect(seam(last)).toEqual(['opportunityReverted:applied', 'customerDealWithdrawn:applied']);
    expect(last.opportunity).toMatchObject({ status: 'open', stageId: 'negotiation', probability: 80 });
    expect(last.customer).toMatchObject({ won: false });
    expect(last.events.map((e) => e.type)).toEqual(['order.cancelled', 'opportunity.reopened', 'customer.dealWithdrawn']);
  });

  it('what the store does not hold is skipped, and a lost opportunity is left as its owner closed it', async () => {
    const store = createMemoryStore();
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    value(await orders.createOrder({ id: 'SO-1', customerId: 'C-host', opportunityId: 'O-host', pricing: seats('1') }, ctx(rep, 0)));
    expect(seam(value(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1))))).toEqual([
      'opportunityWon:skipped:notStored',
      'customerDealt:skipped:notStored',
      'paymentPlanDue:forHost',
    ]);
    const lostStore = seeded();
    const lost = value(decideOpportunity((await lostStore.loadOpportunity('O-1'))!, { type: 'close', outcome: 'lost', reason: '预算取消' }, { now: at(-1), actor: rep })).opportunity;
    lostStore.opportunities.apply([{ record: lost, expectedVersion: lost.version - 1 }]);
    const lostOrders = createOrderService({ store: lostStore, approvalPolicy: { ...APPROVALS, rules: [] } });
    value(await lostOrders.createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, ctx(rep, 0)));
    expect(seam(value(await lostOrders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1))))).toEqual(['opportunityWon:skipped:notOpen', 'customerDealt:applied', 'paymentPlanDue:forHost']);
  });

  it('a seam refused by its rule is reported with the refusal, and the order still moves', async () => {
    const store = seeded();
    // the customer went to the recycle bin (作废): its deal status is not recorded
    const c = (await store.loadCustomer('C-501'))!;
    const voided = value(decideCustomer(c, { type: 'void', reason: '重复客户' }, { now: at(-1), actor: who('crm-admin', 'crmAdmin') })).customer;
    store.customers.apply([{ record: voided, expectedVersion: c.version }]);
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    value(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', pricing: seats('1') }, ctx(rep, 0)));
    const submitted = value(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1)));
    const refused = submitted.seams.find((s) => s.effect.kind === 'customerDealt')!;
    expect(refused).toMatchObject({ outcome: 'skipped', reason: 'refused', error: { code: 'CUSTOMER_VOIDED' } });
    expect(Object.isFrozen(refused.error!.details)).toBe(true);
    expect(submitted.order.status).toBe('confirmed');
    expect((await store.loadCustomer('C-501'))!.won).toBe(false);
  });

  it('a cancellation reopens only a win one of the opportunity’s orders made: one won by hand stays won', async () => {
    const store = seeded();
    const opp = (await store.loadOpportunity('O-1'))!;
    const byHand = value(decideOpportunity(opp, { type: 'close', outcome: 'won', reason: '线下签约' }, { now: at(-1), actor: rep })).opportunity;
    store.opportunities.apply([{ record: byHand, expectedVersion: opp.version }]);
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    value(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, ctx(rep, 0)));
    expect(seam(value(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1))))).toEqual(['opportunityWon:skipped:alreadyWon', 'customerDealt:applied', 'paymentPlanDue:forHost']);
    const cancelled = value(await orders.executeOrder('SO-1', { type: 'cancel', reason: '客户撤单' }, ctx(rep, 2)));
    expect(seam(cancelled)).toEqual(['opportunityReverted:skipped:notWonByOrder', 'customerDealWithdrawn:applied']);
    expect((await store.loadOpportunity('O-1'))!).toMatchObject({ status: 'won', closeReason: '线下签约' });
  });

  it('an order for one customer on another customer’s opportunity is refused at creation', async () => {
    const store = seeded();
    const orders = createOrderService({ store });
    expect(error(await orders.createOrder({ id: 'SO-1', customerId: 'C-999', opportunityId: 'O-1', pricing: seats('1') }, ctx(rep, 0)))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { issues: [{ path: ['input', 'opportunityId'] }] },
    });
    expect(await store.loadOrder('SO-1')).toBeNull();
  });

  it('two deal orders of one opportunity cancelled at once: one conflicts, and tried again it reopens the opportunity', async () => {
    const store = seeded();
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    for (const id of ['SO-1', 'SO-2']) {
      value(await orders.createOrder({ id, customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, ctx(rep, 0)));
      value(await orders.executeOrder(id, { type: 'submit' }, ctx(rep, 1)));
    }
    const cancel = (id: string) => orders.executeOrder(id, { type: 'cancel', reason: '客户撤单' }, ctx(rep, 2));
    const runs = await Promise.all([cancel('SO-1'), cancel('SO-2')]);
    expect(runs.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['CONFLICT', 'ok']);
    const loser = runs[0]!.ok ? 'SO-2' : 'SO-1';
    expect(seam(value(await cancel(loser)))).toEqual(['opportunityReverted:applied', 'customerDealWithdrawn:applied']);
    expect((await store.loadOpportunity('O-1'))!).toMatchObject({ status: 'open', stageId: 'negotiation' });
  });

  it('a stored record the rules cannot read refuses the operation (INVALID_INPUT at store), nothing written', async () => {
    const store = seeded();
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    value(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, ctx(rep, 0)));
    const opp = (await store.loadOpportunity('O-1'))!;
    store.opportunities.apply([{ record: { ...opp, probability: 'high' } as never, expectedVersion: opp.version }]);
    expect(error(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1))).details).toMatchObject({ issues: [{ path: ['store', 'opportunity', 'probability'] }] });
    expect((await store.loadOrder('SO-1'))!.status).toBe('draft');
  });

  it('the order and what its seams move are one commit: a stale opportunity writes nothing', async () => {
    const store = seeded();
    let sneak = true;
    // between the service's read and its commit, someone else changes the opportunity
    const racing: OrderServiceStore = {
      ...store,
      async commit(c) {
        if (sneak && (c.opportunities?.length ?? 0) > 0) {
          sneak = false;
          const o = (await store.loadOpportunity('O-1'))!;
          const moved = value(decideOpportunity(o, { type: 'stepBack' }, { now: at(0.5), actor: rep })).opportunity;
          expect((await store.commit({ opportunities: [{ record: moved, expectedVersion: o.version }] })).ok).toBe(true);
        }
        return store.commit(c);
      },
    };
    const orders = createOrderService({ store: racing, approvalPolicy: { ...APPROVALS, rules: [] } });
    value(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, ctx(rep, 0)));
    const before = await store.loadOrder('SO-1');
    expect(error(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1)))).toMatchObject({ code: 'CONFLICT', details: { entity: 'opportunity', id: 'O-1' } });
    expect(await store.loadOrder('SO-1')).toEqual(before);
    expect((await store.loadCustomer('C-501'))!.won).toBe(false);
    // tried again, it goes through, and the opportunity keeps the stage it had just before
    const again = value(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1)));
    expect(again.order.opportunityStageBefore).toBe('proposal');
  });

  it('two people changing one order at once: one success, one CONFLICT', async () => {
    const store = seeded();
    const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
    value(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', pricing: seats('10') }, ctx(rep, 0)));
    value(await orders.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 1)));
    const [a, b] = await Promise.all([
      orders.executeOrder('SO-1', { type: 'ship', lines: [{ lineId: 'l1', quantity: '6' }] }, ctx(desk, 2)),
      orders.executeOrder('SO-1', { type: 'ship', lines: [{ lineId: 'l1', quantity: '6' }] }, ctx(desk, 2)),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)!).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((await store.loadOrder('SO-1'))!.lines[0]!.shipped).toBe('6');
  });

  it('unknown ids are NOT_FOUND, malformed deps and arguments INVALID_INPUT, a throwing store STORE_UNAVAILABLE', async () => {
    const store = seeded();
    const orders = createOrderService({ store });
    expect(error(await orders.executeOrder('SO-404', { type: 'submit' }, ctx(rep, 0)))).toMatchObject({ code: 'NOT_FOUND', details: { entity: 'order', id: 'SO-404' } });
    expect(error(await orders.executeContract('HT-404', { type: 'submit' }, ctx(rep, 0)))).toMatchObject({ code: 'NOT_FOUND', details: { entity: 'contract' } });
    expect(error(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', contractId: 'HT-404', pricing: seats('1') }, ctx(rep, 0)))).toMatchObject({ code: 'NOT_FOUND', details: { entity: 'contract' } });
    expect(error(await orders.executeOrder(42 as never, { type: 'submit' }, ctx(rep, 0))).details).toMatchObject({ issues: [{ path: ['orderId'] }] });
    expect(error(await orders.executeOrder('SO-1', { type: 'fly' } as never, ctx(rep, 0))).details).toMatchObject({ issues: [{ path: ['command', 'type'] }] });
    expect(error(await orders.createContract({ id: 'HT-1', customerId: 'C-501', pricing: seats('1') }, { now: 'soon', actor: rep } as never)).details).toMatchObject({ issues: [{ path: ['context', 'now'] }] });
    const broken = createOrderService({ store: { loadOrder: async () => null } as never });
    expect(error(await broken.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 0))).details).toMatchObject({ issues: [{ path: ['deps', 'store'] }] });
    const throwing = createOrderService({ store: { ...store, loadOrder: async () => Promise.reject(new Error('connection reset')) } });
    expect(error(await throwing.executeOrder('SO-1', { type: 'submit' }, ctx(rep, 0))).code).toBe('STORE_UNAVAILABLE');
    // a creation whose id is taken
    value(await orders.createContract({ id: 'HT-1', customerId: 'C-501', pricing: seats('1') }, ctx(rep, 0)));
    expect(error(await orders.createContract({ id: 'HT-1', customerId: 'C-501', pricing: seats('1') }, ctx(rep, 0))).code).toBe('CONFLICT');
  });

  it('property: whatever the order of confirmations and cancellations, the opportunity is won exactly while a deal order stands, and the customer dealt likewise', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('confirm', 'cancel')), { maxLength: 8 }), async (steps) => {
        const store = seeded();
        const orders = createOrderService({ store, approvalPolicy: { ...APPROVALS, rules: [] } });
        for (let i = 0; i < 3; i++) value(await orders.createOrder({ id: `SO-${i}`, customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, ctx(rep, 0)));
        let hour = 1;
        for (const [i, step] of steps) {
          await orders.executeOrder(`SO-${i}`, step === 'confirm' ? { type: 'submit' } : { type: 'cancel', reason: '撤单' }, ctx(rep, hour++));
        }
        const deals = (await store.loadOrdersOfOpportunity('O-1')).filter((o) => o.status === 'confirmed');
        const opp = (await store.loadOpportunity('O-1'))!;
        expect(opp.status).toBe(deals.length > 0 ? 'won' : 'open');
        if (opp.status === 'open') expect(opp.stageId).toBe('negotiation');
        expect((await store.loadCustomer('C-501'))!.won).toBe(deals.length > 0);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
