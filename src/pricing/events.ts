import { ruleEvent, type RuleEvent } from '../core/events.js';
import type { SalesDocumentKind } from './convert.js';
import type { QuoteEdit } from './model.js';
import type { ApprovalReason } from './quotes.js';

/**
 * The `data` of each quote event, by event type: what `switch (event.type)` narrows
 * `event.data` to. Every one names the quote's revision.
 *
 * @example
 * const data: QuoteEventDataByType['quote.levelApproved'] = { revision: 1, level: 'teamLead' };
 */
export interface QuoteEventDataByType {
  'quote.created': {
    /** The quote's revision (1 for a new quote). */
    readonly revision: number;
  };
  'quote.edited': {
    /** The quote's revision (unchanged: a draft, returned or rejected quote is edited in place). */
    readonly revision: number;
    /** The fields the edit changed. */
    readonly fields: readonly (keyof QuoteEdit)[];
  };
  'quote.revised': {
    /** The new revision (an approved quote's edit makes one). */
    readonly revision: number;
    /** The fields the edit changed. */
    readonly fields: readonly (keyof QuoteEdit)[];
  };
  'quote.submitted': {
    /** The revision submitted. */
    readonly revision: number;
    /** The approval levels it needs, in order (none: approved at once). */
    readonly required: readonly string[];
    /** Why each level is needed. */
    readonly reasons: readonly ApprovalReason[];
  };
  'quote.levelApproved': {
    /** The revision signed. */
    readonly revision: number;
    /** The level signed. */
    readonly level: string;
  };
  'quote.approved': {
    /** The revision approved. */
    readonly revision: number;
    /** `true` when no level was needed (approved on submission). */
    readonly automatic: boolean;
  };
  'quote.rejected': {
    /** The revision rejected. */
    readonly revision: number;
    /** The level that rejected it. */
    readonly level: string;
    /** Why, as the approver wrote it. */
    readonly reason: string;
  };
  'quote.returned': {
    /** The revision returned for editing. */
    readonly revision: number;
    /** The level that returned it. */
    readonly level: string;
    /** Why, as the approver wrote it. */
    readonly reason: string;
  };
  'quote.cancelled': {
    /** The revision cancelled. */
    readonly revision: number;
  };
  'quote.converted': {
    /** The revision converted. */
    readonly revision: number;
    /** What it became: an order or a contract. */
    readonly kind: SalesDocumentKind;
    /** The new document's id. */
    readonly documentId: string;
    /** Whether the conversion re-priced it (line or order discounts). */
    readonly repriced: boolean;
  };
  'quote.reused': {
    /** The draft's revision. */
    readonly revision: number;
    /** The earlier quote it was filled from. */
    readonly sourceId: string;
    /** The fields of the draft that held something else and were overwritten. */
    readonly overwritten: readonly string[];
  };
}

/**
 * The event types a quote rule emits.
 *
 * @example
 * const t: QuoteEventType = 'quote.approved';
 */
export type QuoteEventType = keyof QuoteEventDataByType;

/**
 * An event about a quote: one `RuleEvent` per type, so `switch (event.type)` narrows
 * `event.data` (see `QuoteEventDataByType`).
 *
 * @example
 * if (event.type === 'quote.submitted') console.log(event.data.required);
 */
export type QuoteEvent = { [T in QuoteEventType]: RuleEvent<T, Readonly<QuoteEventDataByType[T]>> }[QuoteEventType];

/**
 * Builds a quote event (`ruleEvent`), its `data` checked against its type's shape.
 *
 * @internal
 */
export function quoteEvent<T extends QuoteEventType>(event: RuleEvent<T, QuoteEventDataByType[T]>): QuoteEvent {
  return ruleEvent(event) as RuleEvent as QuoteEvent;
}
