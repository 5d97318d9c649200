export { VersionedTable, type Versioned, type TableWrite } from './versioned-table.js';
export { createMemoryDatabase, DEFAULT_MEMORY_TENANT, type MemoryDatabase, type MemoryStoreOptions } from './database.js';
export { createMemoryStore, type MemoryStore } from './store.js';
export { createMemoryLeadStore, type MemoryLeadStore } from './lead-store.js';
export { createMemoryPaymentStore, type MemoryPaymentStore } from './payment-store.js';
export { UnusableClientError } from '../unusable.js';
export type { VersionedRows } from './versioned-table.js';
