import type { PoolStore } from '../pools/index.js';

/**
 * The storage port of the customers module: the pools' store read and written for customers
 * only — the same records the pool rules hold, one commit path (a `PoolStore` is one; so are the
 * memory and SQL adapters' stores). Creating writes with `expectedVersion: null` (`CONFLICT`
 * when the id is taken); every other write over the version loaded.
 */
export type CustomerStore = Pick<PoolStore, 'loadCustomer' | 'commit'>;
