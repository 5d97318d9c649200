/**
 * crm-rules: the rule logic of a CRM as pure, tested functions. Import a module by its
 * subpath (`crm-rules/leads`) or everything from here.
 */
export * from './core/index.js';
export * from './leads/index.js';
export * from './pools/index.js';
export * from './customers/index.js';
export * from './dedupe/index.js';
export * from './pricing/index.js';
export * from './orders/index.js';
export * from './payments/index.js';
export * from './metrics/index.js';
export * from './scoring/index.js';
