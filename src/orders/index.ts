/**
 * `crm-rules/orders`: contracts (合同) and orders (订单) after the quote — approval with pricing's
 * approval rules, fulfilment per line (shipped, received), returns that produce a credit note,
 * the invoicing state, orders drawn from a contract within its total, and the effects a
 * confirmation, a cancellation or a full return has on the opportunity, the customer and the
 * payment plan, as data for those modules.
 */
export {
  CONTRACT_STATUSES,
  ORDER_STATUSES,
  DEAL_ORDER_STATUSES,
  CONTRACT_OPERATIONS,
  ORDER_OPERATIONS,
  CONTRACT_TRANSITIONS,
  ORDER_TRANSITIONS,
  INVOICING_STATES,
  DEFAULT_ORDER_PERMISSIONS,
  DEFAULT_ORDER_POLICY,
  orderPolicySchema,
  contractSchema,
  orderSchema,
  newDocumentSchema,
  documentCommandSchema,
  documentContextSchema,
  type ContractStatus,
  type OrderStatus,
  type ContractOperation,
  type OrderOperation,
  type DocumentTransition,
  type InvoicingState,
  type PermittedDocumentOperation,
  type OrderPolicy,
  type OrderPolicyInput,
  type ContractLine,
  type OrderLine,
  type DocumentSignature,
  type DocumentApproval,
  type DocumentCancellation,
  type OrderReturn,
  type Contract,
  type Order,
  type NewDocumentInput,
  type DocumentCommand,
  type DocumentCommandInput,
  type ContractOrderSummary,
  type DocumentContext,
  type ParsedDocumentContext,
} from './model.js';
export {
  createContract,
  createOrder,
  decideContract,
  decideOrder,
  invoicingState,
  availableOrderOperations,
  type OrderEffect,
  type ContractDecision,
  type OrderDecision,
} from './lifecycle.js';
export type { DocumentEvent, DocumentEventType, DocumentEventDataByType, LineQuantities } from './events.js';
export type { OrderCommit, OrderStore, OrderServiceStore } from './ports.js';
export { createOrderService, type OrderService, type OrderServiceDeps, type OrderServiceContext, type OrderOutcome, type SeamOutcome } from './service.js';
