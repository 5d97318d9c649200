import type { CrmError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { LeadCommit, LeadStore, VersionedWrite } from '../leads/index.js';
import type { PoolCommit, PoolStore } from '../pools/index.js';
import type { Contract, Order } from './model.js';

/**
 * What one contracts-and-orders operation writes, all or nothing: contracts and orders, each
 * over the version it was loaded at (`expectedVersion: null` for a new record).
 *
 * @example
 * await store.commit({ orders: [{ record: next, expectedVersion: 3 }] })
 */
export interface OrderCommit {
  readonly contracts?: readonly VersionedWrite<Contract>[];
  readonly orders?: readonly VersionedWrite<Order>[];
}

/**
 * The storage port of the orders module: each read one indexed query on any database. The
 * memory and SQL stores (`createMemoryStore`, `createPostgresStore`) implement it beside the
 * other ports, with one commit, so an order and the opportunity and customer it moves are
 * written together.
 *
 * @example
 * const orders = createOrderService({ store: createMemoryStore() });
 */
export interface OrderStore {
  /** The contract with this id, or null. */
  loadContract(id: string): Promise<Contract | null>;
  /** The order with this id, or null. */
  loadOrder(id: string): Promise<Order | null>;
  /** Every order drawn from the contract (any status), by id. */
  loadOrdersOfContract(contractId: string): Promise<readonly Order[]>;
  /** Every order of the opportunity (any status), by id. */
  loadOrdersOfOpportunity(opportunityId: string): Promise<readonly Order[]>;
  /** Every order of the customer that counts as a deal (`DEAL_ORDER_STATUSES`: confirmed, fulfilled or closed), by id. */
  loadDealOrdersOfCustomer(customerId: string): Promise<readonly Order[]>;
  /**
   * Writes every record atomically if each stored version equals its `expectedVersion` (null:
   * not stored yet); otherwise writes nothing and returns `CONFLICT`.
   */
  commit(commit: OrderCommit): Promise<Result<void, CrmError>>;
}

/**
 * What the order service needs: the orders port, the opportunity and customer an order moves,
 * and one commit for all three — `createMemoryStore()` and `createPostgresStore()` are each one.
 *
 * @example
 * const store: OrderServiceStore = createMemoryStore();
 */
export interface OrderServiceStore extends Omit<OrderStore, 'commit'>, Pick<LeadStore, 'loadOpportunity'>, Pick<PoolStore, 'loadCustomer'> {
  /** Writes the order or contract and what its seams moved, all or nothing (`CONFLICT` on a stale version). */
  commit(commit: OrderCommit & Pick<LeadCommit, 'opportunities'> & Pick<PoolCommit, 'customers'>): Promise<Result<void, CrmError>>;
}
