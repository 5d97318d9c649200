import { createMemoryStore, type MemoryStore } from './store.js';

/** The in-memory store seen as a lead store (the same object serves every port). */
export type MemoryLeadStore = MemoryStore;

/**
 * An in-memory store for the lead services; the same as `createMemoryStore()`.
 *
 * @example
 * const service = createLeadService({ store: createMemoryLeadStore() });
 */
export function createMemoryLeadStore(): MemoryLeadStore {
  return createMemoryStore();
}
