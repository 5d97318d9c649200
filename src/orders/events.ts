import { ruleEvent, type RuleEvent } from '../core/events.js';
import type { Money } from '../core/money.js';
import type { InvoicingState } from './model.js';

/** Quantities per line, as a shipment, a receipt or a return names them. */
export type LineQuantities = readonly { readonly lineId: string; readonly quantity: string }[];

/**
 * The `data` of each contract and order event, by type: what `switch (event.type)` narrows
 * `event.data` to.
 *
 * @example
 * const data: DocumentEventDataByType['order.invoiced'] = { amount, invoiced, state: 'partly' };
 */
export interface DocumentEventDataByType {
  'contract.created': { readonly customerId: string; readonly opportunityId: string | null; readonly total: Money };
  'contract.submitted': { readonly levels: readonly string[] };
  'contract.approvalSigned': { readonly level: string; readonly remaining: readonly string[] };
  'contract.approved': { readonly total: Money };
  'contract.rejected': { readonly level: string; readonly reason: string };
  'contract.cancelled': { readonly from: string; readonly reason: string };
  'contract.closed': { readonly total: Money };
  'order.created': { readonly customerId: string; readonly opportunityId: string | null; readonly contractId: string | null; readonly total: Money };
  'order.submitted': { readonly levels: readonly string[] };
  'order.approvalSigned': { readonly level: string; readonly remaining: readonly string[] };
  'order.confirmed': { readonly total: Money; readonly opportunityId: string | null };
  'order.rejected': { readonly level: string; readonly reason: string };
  'order.cancelled': { readonly from: string; readonly reason: string };
  'order.shipped': { readonly lines: LineQuantities };
  'order.received': { readonly lines: LineQuantities };
  'order.fulfilled': { readonly total: Money };
  'order.returned': { readonly returnId: string; readonly amount: Money; readonly lines: LineQuantities; readonly fullyReturned: boolean };
  'order.invoiced': { readonly amount: Money; readonly invoiced: Money; readonly state: InvoicingState };
  'order.closed': { readonly total: Money };
}

/** A contract or order event type. */
export type DocumentEventType = keyof DocumentEventDataByType;

/**
 * A contract or order event: `switch (event.type)` narrows `event.data`.
 *
 * @example
 * if (e.type === 'order.returned') e.data.amount // the credit
 */
export type DocumentEvent = { [T in DocumentEventType]: RuleEvent<T, DocumentEventDataByType[T]> }[DocumentEventType];

/**
 * Builds a frozen document event.
 *
 * @internal
 */
export function documentEvent<T extends DocumentEventType>(event: RuleEvent<T, DocumentEventDataByType[T]>): DocumentEvent {
  return ruleEvent(event) as unknown as DocumentEvent;
}
