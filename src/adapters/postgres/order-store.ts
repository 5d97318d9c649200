import type { CrmError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import type { Contract, Order, OrderCommit, OrderStore } from '../../orders/index.js';
import type { SqlExecutor } from './client.js';
import { decodeRow } from './documents.js';
import { precheckRecords, recordSteps, type TableSpec, type WriteStep } from './records.js';

/**
 * The tables of the orders port (migration `004_orders`) and the entity names their refusals
 * carry — the same as the in-memory store's.
 *
 * @example
 * ORDER_TABLES.orders // { table: 'crm_orders', entity: 'order' }
 */
export const ORDER_TABLES: { readonly contracts: TableSpec; readonly orders: TableSpec } = Object.freeze({
  contracts: Object.freeze({ table: 'crm_contracts', entity: 'contract' }),
  orders: Object.freeze({ table: 'crm_orders', entity: 'order' }),
});

/**
 * What an orders commit refuses before touching the database: a record written twice, or one
 * that does not carry the next version, contracts first (the storable check runs with the
 * whole commit's).
 *
 * @example
 * precheckOrderCommit({ orders: [{ record: { ...order, version: 9 }, expectedVersion: 1 }] }) // INVALID_INPUT
 */
export function precheckOrderCommit(c: OrderCommit): Result<void, CrmError> {
  const contracts = precheckRecords(ORDER_TABLES.contracts, c.contracts ?? []);
  return contracts.ok ? precheckRecords(ORDER_TABLES.orders, c.orders ?? []) : contracts;
}

/**
 * The steps that write an orders commit (contracts, then orders, each in id order).
 *
 * @example
 * await runSteps(tx, 'acme', [...orderSteps(commit)]);
 */
export function orderSteps(c: OrderCommit): WriteStep[] {
  return [...recordSteps(ORDER_TABLES.contracts, c.contracts ?? []), ...recordSteps(ORDER_TABLES.orders, c.orders ?? [])];
}

/** The orders port's reads for one tenant through `reads` (the store's, or a transaction's) (internal). */
export function orderReadsOn(tenant: string, reads: SqlExecutor): Omit<OrderStore, 'commit'> {
  async function loadOne<T>(text: string, id: string): Promise<T | null> {
    const { rows } = await reads.query<{ doc: unknown; dates: unknown }>(text, [tenant, id]);
    const row = rows[0];
    return row ? decodeRow<T>(row.doc, row.dates) : null;
  }
  async function orders(where: string, value: string): Promise<readonly Order[]> {
    const { rows } = await reads.query<{ doc: unknown; dates: unknown }>(`SELECT doc, dates FROM crm_orders WHERE tenant_id = $1 AND ${where} ORDER BY id`, [tenant, value]);
    return Object.freeze(rows.map((r) => decodeRow<Order>(r.doc, r.dates)));
  }
  return {
    loadContract: (id) => loadOne<Contract>('SELECT doc, dates FROM crm_contracts WHERE tenant_id = $1 AND id = $2', id),
    loadOrder: (id) => loadOne<Order>('SELECT doc, dates FROM crm_orders WHERE tenant_id = $1 AND id = $2', id),
    loadOrdersOfContract: (contractId) => orders('contract_id = $2', contractId),
    loadOrdersOfOpportunity: (opportunityId) => orders('opportunity_id = $2', opportunityId),
    loadDealOrdersOfCustomer: (customerId) => orders(`customer_id = $2 AND status IN ('confirmed', 'fulfilled', 'closed')`, customerId),
  };
}

