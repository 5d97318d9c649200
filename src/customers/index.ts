/**
 * `crm-rules/customers`: a customer's own rules — an owner when added directly, lock and
 * unlock, the recycle bin and restore, a change of owner only to a new owner, the deal status
 * moved by orders. The record is the pools' `PoolCustomer`: the pool rules keep working on it
 * (and refuse to move a locked or voided one).
 */
export {
  CUSTOMER_OPERATIONS,
  DEFAULT_CUSTOMER_PERMISSIONS,
  DEFAULT_CUSTOMER_POLICY,
  createCustomerInputSchema,
  customerCommandSchema,
  customerContextSchema,
  customerPolicySchema,
  defineCustomerPolicy,
  type Customer,
  type CustomerOperation,
  type CustomerPolicy,
  type CustomerPolicyInput,
  type CreateCustomerInput,
  type CustomerCommand,
  type CustomerCommandInput,
  type CustomerCommandType,
  type CustomerContext,
  type ParsedCustomerContext,
} from './model.js';
export { createCustomer, decideCustomer, canCustomer, availableCustomerOperations, type CustomerDecision } from './lifecycle.js';
export type { CustomerEvent, CustomerEventType, CustomerEventDataByType } from './events.js';
export type { CustomerStore } from './ports.js';
export { createCustomerService, type CustomerService, type CustomerServiceDeps } from './service.js';
