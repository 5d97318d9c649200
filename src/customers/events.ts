import { ruleEvent, type RuleEvent } from '../core/events.js';

/**
 * The `data` of each customer event, by type: what `switch (event.type)` narrows `event.data` to.
 *
 * @example
 * const data: CustomerEventDataByType['customer.ownerChanged'] = { ownerFrom: 'rep-li', ownerTo: 'rep-zhao', teamIds: [] };
 */
export interface CustomerEventDataByType {
  'customer.created': {
    /** The owner (null for a customer created into a pool). */
    readonly ownerId: string | null;
    /** The pool it was created into; null for a customer added directly. */
    readonly poolId: string | null;
  };
  'customer.locked': {
    /** Why, as the one who locked it wrote it; null when not said. */
    readonly note: string | null;
  };
  'customer.unlocked': {
    /** Who had locked it. */
    readonly lockedBy: string;
    /** When. */
    readonly lockedAt: Date;
  };
  'customer.voided': {
    /** Why; null when not said. */
    readonly reason: string | null;
    /** The owner it had (kept in the voiding for a restore). */
    readonly ownerId: string | null;
    /** The pool it was in. */
    readonly poolId: string | null;
  };
  'customer.restored': {
    /** The owner it has again (null: back in its pool, unowned). */
    readonly ownerId: string | null;
    /** The pool it is in again; null when it was in none. */
    readonly poolId: string | null;
  };
  'customer.ownerChanged': {
    /** The owner before. */
    readonly ownerFrom: string;
    /** The new owner. */
    readonly ownerTo: string;
    /** The team after the change (per the policy's `ownerChange.team`). */
    readonly teamIds: readonly string[];
  };
  'customer.dealStatusChanged': {
    /** The deal status set by hand: true is 已成交. */
    readonly won: boolean;
  };
  'customer.dealRecorded': {
    /** The order whose confirmation made the deal. */
    readonly orderId: string;
    /** Was the customer already dealt before it? */
    readonly wonBefore: boolean;
    /** The deal's time (the customer's `lastDealAt` becomes it unless a later deal is already recorded). */
    readonly dealAt: Date;
  };
  'customer.dealWithdrawn': {
    /** The deal order cancelled or fully returned. */
    readonly orderId: string;
    /** The deal status after: false (未成交) when no other deal order remains. */
    readonly won: boolean;
  };
}

/** A customer event type. */
export type CustomerEventType = keyof CustomerEventDataByType;

/**
 * A customer event: `switch (event.type)` narrows `event.data`.
 *
 * @example
 * if (e.type === 'customer.voided') e.data.reason // string | null
 */
export type CustomerEvent = { [T in CustomerEventType]: RuleEvent<T, CustomerEventDataByType[T]> }[CustomerEventType];

/** Builds a frozen customer event (its data frozen too). */
export function customerEvent<T extends CustomerEventType>(event: RuleEvent<T, CustomerEventDataByType[T]>): CustomerEvent {
  return ruleEvent(event) as unknown as CustomerEvent;
}
