import type { CrmError, Result } from '../core/index.js';
import { createCustomer } from '../customers/index.js';
import { decideOpportunity, openOpportunity, type Opportunity } from '../leads/index.js';
import { createContract, createOrder, createOrderService, decideOrder, type Order, type OrderServiceStore } from '../orders/index.js';
import type { ApprovalPolicyInput, QuotePricingInput } from '../pricing/index.js';
import type { ContractOptions, ContractRunner } from './contract.js';

/* ------------------------------------------------------------------ realistic data */

/** A local time in Shanghai. */
const sh = (local: string) => new Date(`${local}+08:00`);
const T0 = sh('2026-05-06T10:00:00');
const at = (hour: number) => new Date(T0.getTime() + hour * 3_600_000);
const rep = { id: 'rep-li', relations: [] };
const desk = { id: 'desk-wu', relations: ['teamMemberReadWrite' as const] };
/** Seats at ¥1,000 with 13% VAT. */
const seats = (n: string): QuotePricingInput => ({ currency: 'CNY', lines: [{ id: 'l1', productId: 'crm-seat', quantity: n, listPrice: '1000' }], tax: { percent: '13' } });
/** No level needed: an order is confirmed at submit. */
const NO_LEVELS: ApprovalPolicyInput = { levels: [{ id: 'teamLead', approvers: ['mgr-zhao'] }], rules: [] };
/** The team lead signs what is above ¥10,000. */
const OVER_10K: ApprovalPolicyInput = { levels: [{ id: 'teamLead', approvers: ['mgr-zhao'] }], rules: [{ id: 'big', level: 'teamLead', when: { kind: 'totalAbove', amount: '10000' } }] };

function must<T>(r: Result<T, CrmError>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}
const codeOf = (r: Result<unknown, CrmError>) => (r.ok ? 'ok' : r.error.code);
const ids = (records: readonly { readonly id: string }[]) => records.map((r) => r.id);

/** Customer C-501 (rep-li's, 未成交) and its open opportunity O-1 at the proposal stage, committed through the store. */
async function seedCustomerAndOpportunity(store: OrderServiceStore): Promise<void> {
  const customer = must(createCustomer({ id: 'C-501' }, { now: at(-48), actor: rep })).customer;
  let opp: Opportunity = must(openOpportunity({ id: 'O-1', name: '腾飞科技 CRM 二期', customerId: 'C-501' }, { now: at(-48), actor: rep })).opportunity;
  must(await store.commit({ customers: [{ record: customer, expectedVersion: null }], opportunities: [{ record: opp, expectedVersion: null }] }));
  for (const [stageId, hour] of [['needs_confirmed', -47], ['proposal', -46]] as const) {
    const next: Opportunity = must(decideOpportunity(opp, { type: 'moveToStage', stageId }, { now: at(hour), actor: rep })).opportunity;
    must(await store.commit({ opportunities: [{ record: next, expectedVersion: opp.version }] }));
    opp = next;
  }
}

/* ------------------------------------------------------------------ the section */

/**
 * Registers one orders check: `body` gets a fresh store, or the check is skipped (internal: how
 * `describeStoreContract` feeds the section).
 *
 * @example
 * const check: OrderCheck = (title, body) => it(title, async () => body(createMemoryStore()));
 */
export type OrderCheck = (title: string, body: (store: OrderServiceStore) => Promise<void>) => void;

/**
 * Whether a store implements the orders port with what the order service needs beside it
 * (every `OrderServiceStore` method is a function): how `describeStoreContract` decides to run
 * its orders section.
 *
 * @example
 * isOrderStore(createMemoryStore()) // true
 */
export function isOrderStore(store: unknown): store is OrderServiceStore {
  if (typeof store !== 'object' || store === null) return false;
  const s = store as Record<string, unknown>;
  return ['loadContract', 'loadOrder', 'loadOrdersOfContract', 'loadOrdersOfOpportunity', 'loadDealOrdersOfCustomer', 'loadOpportunity', 'loadCustomer', 'commit'].every(
    (m) => typeof s[m] === 'function',
  );
}

/**
 * The orders section of the contract (internal: registered by `describeStoreContract`): versions
 * of contracts and orders, the three order queries, one commit with the opportunity and the
 * customer an order moves, and concurrent work on one order.
 *
 * @example
 * orderSection({ describe, expect }, (title, body) => it(title, () => body(createMemoryStore())), {});
 */
export function orderSection(t: Pick<ContractRunner, 'describe' | 'expect'>, it: OrderCheck, options: ContractOptions): void {
  const { describe, expect } = t;
  const clerks = options.racingClerks ?? 8;

  describe('contracts and orders', () => {
    it('a contract and an order load back equal, every instant a Date; a stale or repeated write is CONFLICT, a skipped version INVALID_INPUT', async (store) => {
      const contract = must(createContract({ id: 'HT-1', customerId: 'C-501', pricing: seats('100') }, { now: at(0), actor: rep })).contract;
      const order = must(createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('2') }, { now: at(0), actor: rep })).order;
      must(await store.commit({ contracts: [{ record: contract, expectedVersion: null }], orders: [{ record: order, expectedVersion: null }] }));
      const loadedContract = await store.loadContract('HT-1');
      expect(loadedContract).toEqual(contract);
      expect(loadedContract!.createdAt).toBeInstanceOf(Date);
      expect(await store.loadOrder('SO-1')).toEqual(order);
      expect(await store.loadOrder('SO-404')).toBeNull();
      expect(await store.loadContract('SO-1')).toBeNull();
      expect(codeOf(await store.commit({ orders: [{ record: order, expectedVersion: null }] }))).toBe('CONFLICT');
      const cancelled = must(decideOrder(order, { type: 'cancel', reason: '客户撤单' }, { now: at(1), actor: rep })).order;
      expect(codeOf(await store.commit({ orders: [{ record: { ...cancelled, version: 7 }, expectedVersion: 1 }] }))).toBe('INVALID_INPUT');
      must(await store.commit({ orders: [{ record: cancelled, expectedVersion: 1 }] }));
      expect(await store.loadOrder('SO-1')).toEqual(cancelled);
      expect(codeOf(await store.commit({ orders: [{ record: cancelled, expectedVersion: 1 }] }))).toBe('CONFLICT');
      expect(await store.loadOrder('SO-1')).toEqual(cancelled);
    });

    it('the queries: orders of a contract and of an opportunity (any status), a customer’s deal orders (confirmed, fulfilled, closed), each in code-point order of ids', async (store) => {
      await seedCustomerAndOpportunity(store);
      const orders = createOrderService({ store, approvalPolicy: OVER_10K });
      must(await orders.createContract({ id: 'HT-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('100') }, { now: at(0), actor: rep }));
      must(await orders.executeContract('HT-1', { type: 'submit' }, { now: at(0), actor: rep }));
      must(await orders.executeContract('HT-1', { type: 'approve' }, { now: at(0), actor: { id: 'mgr-zhao', relations: [] } }));
      // one order in each status, ids whose code-unit and code-point orders differ (U+FF12 and U+20BB7)
      const made: [string, string | null, string | null, string][] = [
        ['SO-𠮷', 'HT-1', 'O-1', '20'], // waits for the team lead: pending approval
        ['SO-草', 'HT-1', null, '1'], // stays a draft
        ['SO-1', null, 'O-1', '1'], // confirmed
        ['SO-２', 'HT-1', 'O-1', '1'], // fulfilled
        ['SO-a', null, null, '1'], // closed
        ['SO-c', null, 'O-1', '1'], // cancelled
      ];
      for (const [id, contractId, opportunityId, n] of made) must(await orders.createOrder({ id, customerId: 'C-501', contractId, opportunityId, pricing: seats(n) }, { now: at(1), actor: rep }));
      must(await orders.createOrder({ id: 'SO-4', customerId: 'C-777', pricing: seats('1') }, { now: at(1), actor: rep }));
      for (const id of ['SO-𠮷', 'SO-1', 'SO-２', 'SO-a', 'SO-c', 'SO-4']) must(await orders.executeOrder(id, { type: 'submit' }, { now: at(2), actor: rep }));
      for (const id of ['SO-２', 'SO-a']) {
        must(await orders.executeOrder(id, { type: 'ship', lines: [{ lineId: 'l1', quantity: '1' }] }, { now: at(3), actor: desk }));
        must(await orders.executeOrder(id, { type: 'receive', lines: [{ lineId: 'l1', quantity: '1' }] }, { now: at(3), actor: desk }));
      }
      must(await orders.executeOrder('SO-a', { type: 'close' }, { now: at(4), actor: rep }));
      must(await orders.executeOrder('SO-c', { type: 'cancel', reason: '客户撤单' }, { now: at(4), actor: rep }));
      const statuses = Object.fromEntries(await Promise.all(made.map(async ([id]) => [id, (await store.loadOrder(id))!.status] as const)));
      expect(statuses).toEqual({ 'SO-𠮷': 'pendingApproval', 'SO-草': 'draft', 'SO-1': 'confirmed', 'SO-２': 'fulfilled', 'SO-a': 'closed', 'SO-c': 'cancelled' });
      expect(ids(await store.loadOrdersOfContract('HT-1'))).toEqual(['SO-草', 'SO-２', 'SO-𠮷']);
      expect(ids(await store.loadOrdersOfOpportunity('O-1'))).toEqual(['SO-1', 'SO-c', 'SO-２', 'SO-𠮷']);
      expect(ids(await store.loadDealOrdersOfCustomer('C-501'))).toEqual(['SO-1', 'SO-a', 'SO-２']);
      expect((await store.loadDealOrdersOfCustomer('C-501'))[2]).toEqual(await store.loadOrder('SO-２'));
      expect(ids(await store.loadDealOrdersOfCustomer('C-777'))).toEqual(['SO-4']);
      expect(ids(await store.loadOrdersOfContract('HT-404'))).toEqual([]);
      expect(ids(await store.loadOrdersOfOpportunity('O-404'))).toEqual([]);
    });

    it('two deal orders of one opportunity cancelled at once: never both skip the reversal — the opportunity ends open once both are cancelled', async (store) => {
      await seedCustomerAndOpportunity(store);
      const orders = createOrderService({ store, approvalPolicy: NO_LEVELS });
      for (const id of ['SO-1', 'SO-2']) {
        must(await orders.createOrder({ id, customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, { now: at(0), actor: rep }));
        must(await orders.executeOrder(id, { type: 'submit' }, { now: at(1), actor: rep }));
      }
      expect((await store.loadOpportunity('O-1'))!.status).toBe('won');
      const cancel = (id: string) => orders.executeOrder(id, { type: 'cancel', reason: '客户撤单' }, { now: at(2), actor: rep });
      const runs = await Promise.all([cancel('SO-1'), cancel('SO-2')]);
      expect(runs.every((r) => r.ok || codeOf(r) === 'CONFLICT')).toBe(true);
      for (const [i, id] of ['SO-1', 'SO-2'].entries()) if (!runs[i]!.ok) must(await cancel(id));
      expect((await store.loadOpportunity('O-1'))!).toMatchObject({ status: 'open', stageId: 'proposal' });
      expect((await store.loadCustomer('C-501'))!.won).toBe(false);
    });

    it('an order and the opportunity and customer it moves are one commit: one stale write anywhere leaves all three as they were', async (store) => {
      await seedCustomerAndOpportunity(store);
      const draft = must(createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', pricing: seats('1') }, { now: at(0), actor: rep })).order;
      must(await store.commit({ orders: [{ record: draft, expectedVersion: null }] }));
      const confirmed = must(decideOrder(draft, { type: 'submit' }, { now: at(1), actor: rep, approvalPolicy: NO_LEVELS, opportunityStage: 'proposal' })).order;
      const opp = (await store.loadOpportunity('O-1'))!;
      const won = must(decideOpportunity(opp, { type: 'close', outcome: 'won' }, { now: at(1), actor: rep })).opportunity;
      const loaded = (await store.loadCustomer('C-501'))!;
      // someone else changes the customer after it was read
      const customer = { ...loaded, version: loaded.version + 1, lastFollowUpAt: at(0) };
      must(await store.commit({ customers: [{ record: customer, expectedVersion: loaded.version }] }));
      const stale = codeOf(
        await store.commit({
          orders: [{ record: confirmed, expectedVersion: 1 }],
          opportunities: [{ record: won, expectedVersion: opp.version }],
          customers: [{ record: { ...loaded, version: loaded.version + 1, won: true }, expectedVersion: loaded.version }],
        }),
      );
      expect(stale).toBe('CONFLICT');
      expect(await store.loadOrder('SO-1')).toEqual(draft);
      expect(await store.loadOpportunity('O-1')).toEqual(opp);
      expect(await store.loadCustomer('C-501')).toEqual(customer);
      // through the service: all three together
      const outcome = must(await createOrderService({ store, approvalPolicy: NO_LEVELS }).executeOrder('SO-1', { type: 'submit' }, { now: at(1), actor: rep }));
      expect(outcome.seams.map((s) => `${s.effect.kind}:${s.outcome}`)).toEqual(['opportunityWon:applied', 'customerDealt:applied', 'paymentPlanDue:forHost']);
      expect(await store.loadOrder('SO-1')).toEqual(outcome.order);
      expect(await store.loadOpportunity('O-1')).toEqual(outcome.opportunity);
      expect(await store.loadCustomer('C-501')).toEqual(outcome.customer);
    });

    it(`${clerks} clerks shipping one unit each into one order at once: every success is counted, none lost`, async (store) => {
      const orders = createOrderService({ store, approvalPolicy: NO_LEVELS });
      must(await orders.createOrder({ id: 'SO-1', customerId: 'C-501', pricing: seats(String(clerks)) }, { now: at(0), actor: rep }));
      must(await orders.executeOrder('SO-1', { type: 'submit' }, { now: at(1), actor: rep }));
      const runs = await Promise.all(
        Array.from({ length: clerks }, () => orders.executeOrder('SO-1', { type: 'ship', lines: [{ lineId: 'l1', quantity: '1' }] }, { now: at(2), actor: desk })),
      );
      const won = runs.filter((r) => r.ok).length;
      expect(won > 0).toBe(true);
      expect(runs.filter((r) => !r.ok).every((r) => codeOf(r) === 'CONFLICT')).toBe(true);
      const stored = (await store.loadOrder('SO-1')) as Order;
      expect(stored.lines[0]!.shipped).toBe(String(won));
      expect(stored.version).toBe(2 + won);
    });
  });
}
