import type { MemoryStoreOptions } from './database.js';
import { createMemoryStore, type MemoryStore } from './store.js';

/** The in-memory store seen as a lead store (the same object serves every port). */
export type MemoryLeadStore = MemoryStore;

/**
 * An in-memory store for the lead services; the same as `createMemoryStore(options)` (a tenant
 * in a shared database, or a fresh database of its own).
 *
 * @example
 * const service = createLeadService({ store: createMemoryLeadStore() });
 */
export function createMemoryLeadStore(options?: MemoryStoreOptions): MemoryLeadStore {
  return createMemoryStore(options);
}
