export { VersionedTable, type Versioned, type TableWrite } from './versioned-table.js';
export { createMemoryStore, type MemoryStore } from './store.js';
export { createMemoryLeadStore, type MemoryLeadStore } from './lead-store.js';
export { createMemoryPaymentStore, type MemoryPaymentStore } from './payment-store.js';
