import { ruleEvent, type RuleEvent } from '../core/events.js';
import type { LeadCommandOf } from './commands.js';
import type { LeadEventType } from './lifecycle.js';
import type { LeadSource, LeadStage, LeadStatus } from './model.js';
import type { OpportunityCloseOutcome, OpportunityEventType, OpportunityStatus } from './opportunity.js';

/* ------------------------------------------------------------------------------ leads */

/**
 * The follow-up a `followUp` or `markMql` command logged, as its event carries it.
 *
 * @example
 * const f: LeadFollowUpRecord = { id: 'F1', result: '已电话沟通', channel: 'call', nextFollowUpAt: null };
 */
export interface LeadFollowUpRecord {
  /** The follow-up's id, as the command gave it. */
  readonly id: string;
  /** The outcome the salesperson wrote down (处理结果). */
  readonly result: string;
  /** How the lead was reached; null when the command did not say. */
  readonly channel: NonNullable<LeadCommandOf<'followUp'>['channel']> | null;
  /** The re-follow-up date set with it; null when none. */
  readonly nextFollowUpAt: Date | null;
}

/**
 * The `data` of each lead event, by event type: what `switch (event.type)` narrows `event.data`
 * to. Every event but `lead.created` carries the status change (`from` → `to`).
 *
 * @example
 * const data: LeadEventDataByType['lead.claimed'] = { from: 'unassigned', to: 'pending', ownerId: 'u1', poolId: 'p1' };
 */
export interface LeadEventDataByType {
  'lead.created': {
    /** Created by hand (owned by its creator) or imported into a pool. */
    readonly source: LeadSource;
    /** `pending` for a manual lead, `unassigned` for an import. */
    readonly status: 'unassigned' | 'pending';
    /** The creator for a manual lead; null for an import. */
    readonly ownerId: string | null;
    /** The pool the lead lives in (a manual lead's home pool, if any). */
    readonly poolId: string | null;
    /** The channel it came from; null when not recorded. */
    readonly channel: string | null;
  };
  'lead.assigned': {
    /** The status before (`unassigned`). */
    readonly from: LeadStatus;
    /** The status after (`pending`). */
    readonly to: LeadStatus;
    /** The new owner. */
    readonly ownerId: string;
    /** The pool the lead was assigned from. */
    readonly poolId: string | null;
  };
  'lead.claimed': {
    /** The status before (`unassigned`). */
    readonly from: LeadStatus;
    /** The status after (`pending`). */
    readonly to: LeadStatus;
    /** The member who claimed it, now its owner. */
    readonly ownerId: string;
    /** The pool it was claimed from. */
    readonly poolId: string | null;
  };
  'lead.followedUp': {
    /** The status before (`pending` or `following`). */
    readonly from: LeadStatus;
    /** The status after (`following`). */
    readonly to: LeadStatus;
    /** The follow-up logged. */
    readonly followUp: LeadFollowUpRecord;
  };
  'lead.markedMql': {
    /** The status before (`pending` or `following`). */
    readonly from: LeadStatus;
    /** The status after (`following`). */
    readonly to: LeadStatus;
    /** The stage before (`lead`). */
    readonly stageFrom: LeadStage;
    /** The stage after. */
    readonly stageTo: 'mql';
    /** The follow-up logged with it. */
    readonly followUp: LeadFollowUpRecord;
  };
  'lead.markedInvalid': {
    /** The status before; `reopen` returns the lead to it. */
    readonly from: LeadStatus;
    /** The status after (`invalid`). */
    readonly to: LeadStatus;
    /** Why it was judged worthless. */
    readonly reason: string;
  };
  'lead.reopened': {
    /** The status before (`invalid`). */
    readonly from: LeadStatus;
    /** The status it had before it was invalidated. */
    readonly to: LeadStatus;
  };
  'lead.returned': {
    /** The status before (`pending` or `following`). */
    readonly from: LeadStatus;
    /** The status after (`unassigned`). */
    readonly to: LeadStatus;
    /** The pool it went back to. */
    readonly poolId: string;
    /** The owner who returned it. */
    readonly previousOwnerId: string | null;
    /** The return reason's code, one of the policy's. */
    readonly reasonCode: string;
    /** The owner's explanation, trimmed; null when none. */
    readonly reasonText: string | null;
  };
  'lead.reclaimed': {
    /** The status before (`pending` or `following`). */
    readonly from: LeadStatus;
    /** The status after (`unassigned`). */
    readonly to: LeadStatus;
    /** The pool that took it back. */
    readonly poolId: string;
    /** The owner who lost it. */
    readonly previousOwnerId: string | null;
    /** The reclaim rule that triggered it; null for an admin's manual reclaim. */
    readonly ruleId: string | null;
    /** The admin's note, trimmed; null when none. */
    readonly note: string | null;
  };
  'lead.transferred': {
    /** The status before. */
    readonly from: LeadStatus;
    /** The status after (`unassigned`). */
    readonly to: LeadStatus;
    /** The pool it left (null when it had none). */
    readonly fromPoolId: string | null;
    /** The pool it moved to. */
    readonly toPoolId: string;
    /** The owner it had, if any. */
    readonly previousOwnerId: string | null;
  };
  'lead.converted': {
    /** The status before (`pending` or `following`). */
    readonly from: LeadStatus;
    /** The status after (`converted`). */
    readonly to: LeadStatus;
    /** The stage before. */
    readonly stageFrom: LeadStage;
    /** The stage after: `opportunity` when an opportunity was created with it, else `sql`. */
    readonly stageTo: LeadStage;
    /** The customer created or linked. */
    readonly customerId: string;
    /** Whether that customer is new. */
    readonly customerIsNew: boolean;
    /** The new customer's tax id settled at conversion (normalized); null when none or the customer existed. */
    readonly taxId: string | null;
    /** The lead's channel (first touch), carried to the customer and the opportunity; null when not recorded. */
    readonly channel: string | null;
    /** The contact created; null when none. */
    readonly contactId: string | null;
    /** The opportunity created; null when none. */
    readonly opportunityId: string | null;
  };
  'lead.voided': {
    /** The status before; `restore` returns the lead to it. */
    readonly from: LeadStatus;
    /** The status after (`voided`). */
    readonly to: LeadStatus;
    /** Why, trimmed; null when none was given. */
    readonly reason: string | null;
  };
  'lead.restored': {
    /** The status before (`voided`). */
    readonly from: LeadStatus;
    /** The status it had before it was voided. */
    readonly to: LeadStatus;
  };
  'lead.stageCorrected': {
    /** The status (unchanged). */
    readonly from: LeadStatus;
    /** The status (unchanged). */
    readonly to: LeadStatus;
    /** The stage before. */
    readonly stageFrom: LeadStage;
    /** The corrected stage. */
    readonly stageTo: LeadStage;
    /** Why the CRM admin corrected it. */
    readonly reason: string;
  };
  'lead.opportunityLinked': {
    /** The status (`converted`, unchanged). */
    readonly from: LeadStatus;
    /** The status (`converted`, unchanged). */
    readonly to: LeadStatus;
    /** The stage before (`sql`). */
    readonly stageFrom: LeadStage;
    /** The stage after. */
    readonly stageTo: 'opportunity';
    /** The opportunity linked. */
    readonly opportunityId: string;
  };
  'lead.ownerChanged': {
    /** The status (unchanged). */
    readonly from: LeadStatus;
    /** The status (unchanged). */
    readonly to: LeadStatus;
    /** The owner before. */
    readonly ownerFrom: string | null;
    /** The new owner. */
    readonly ownerTo: string;
  };
}

/**
 * An event about a lead: one `RuleEvent` per type, so `switch (event.type)` narrows `event.data`
 * (see `LeadEventDataByType`).
 *
 * @example
 * if (event.type === 'lead.claimed') console.log(event.data.poolId);
 */
export type LeadEvent = { [T in LeadEventType]: RuleEvent<T, Readonly<LeadEventDataByType[T]>> }[LeadEventType];

/**
 * Builds a lead event (`ruleEvent`), its `data` checked against its type's shape: a field the
 * type does not list is a compile error here.
 *
 * @internal
 */
export function leadEvent<T extends LeadEventType>(event: RuleEvent<T, LeadEventDataByType[T]>): LeadEvent {
  return ruleEvent(event) as RuleEvent as LeadEvent;
}

/* ---------------------------------------------------------------------- opportunities */

/**
 * The `data` of an advance, a step back or a move: the stage change.
 *
 * @example
 * const d: OpportunityStageChangeData = { from: 'open', to: 'open', fromStageId: 'qualify', toStageId: 'needs_confirmed', previousProbability: 10, probability: 30 };
 */
export type OpportunityStageChangeData = {
  /** The status before (`open`). */
  readonly from: OpportunityStatus;
  /** The status after (`open`). */
  readonly to: OpportunityStatus;
  /** The stage before. */
  readonly fromStageId: string;
  /** The stage after. */
  readonly toStageId: string;
  /** The probability before. */
  readonly previousProbability: number;
  /** The new stage's probability. */
  readonly probability: number;
};

/**
 * The `data` of each opportunity event, by event type: what `switch (event.type)` narrows
 * `event.data` to.
 *
 * @example
 * const data: OpportunityEventDataByType['opportunity.closed']['outcome'] = 'won';
 */
export interface OpportunityEventDataByType {
  'opportunity.opened': {
    /** The status of a new opportunity. */
    readonly to: 'open';
    /** The stage it opened at. */
    readonly stageId: string;
    /** That stage's probability. */
    readonly probability: number;
    /** Its owner. */
    readonly ownerId: string;
    /** The customer it is for. */
    readonly customerId: string;
    /** The lead it was converted from; null when none. */
    readonly sourceLeadId: string | null;
    /** The open opportunity of the customer with the same name, when a superior or the CRM admin opened it anyway; null otherwise. */
    readonly duplicateOf: string | null;
    /** `renewal` for a renewal the planner opened; absent otherwise. */
    readonly origin?: 'renewal';
    /** A renewal's won order. */
    readonly renewalOfOrderId?: string;
    /** A renewal's order's service end. */
    readonly serviceEndDate?: Date;
    /** A renewal's due day, `YYYY-MM-DD` in the policy's zone. */
    readonly dueDate?: string;
    /** Whether a renewal was planned after its due day (then due today). */
    readonly late?: boolean;
  };
  'opportunity.advanced': OpportunityStageChangeData;
  'opportunity.steppedBack': OpportunityStageChangeData;
  'opportunity.movedToStage': OpportunityStageChangeData;
  'opportunity.closed': {
    /** The status before (`open`). */
    readonly from: OpportunityStatus;
    /** The status after: the outcome. */
    readonly to: OpportunityStatus;
    /** Won, lost or invalid. */
    readonly outcome: OpportunityCloseOutcome;
    /** Why, trimmed; null when none (a win needs none). */
    readonly reason: string | null;
    /** The stage it closed at. */
    readonly stageId: string;
    /** The probability before. */
    readonly previousProbability: number;
    /** The outcome's probability (100 or 0). */
    readonly probability: number;
  };
  'opportunity.reopened': {
    /** The status before (closed). */
    readonly from: OpportunityStatus;
    /** The status after (`open`). */
    readonly to: OpportunityStatus;
    /** How it had been closed. */
    readonly closedAs: OpportunityStatus;
    /** The reason it had been closed with. */
    readonly previousCloseReason: string | null;
    /** The stage it was closed at. */
    readonly fromStageId: string;
    /** The stage it reopened at. */
    readonly toStageId: string;
    /** That stage's probability. */
    readonly probability: number;
    /** Why it was reopened, trimmed; null when none. */
    readonly reason: string | null;
  };
}

/**
 * An event about an opportunity: one `RuleEvent` per type, so `switch (event.type)` narrows
 * `event.data` (see `OpportunityEventDataByType`).
 *
 * @example
 * if (event.type === 'opportunity.closed') console.log(event.data.outcome);
 */
export type OpportunityEvent = {
  [T in OpportunityEventType]: RuleEvent<T, Readonly<OpportunityEventDataByType[T]>>;
}[OpportunityEventType];

/**
 * Builds an opportunity event (`ruleEvent`), its `data` checked against its type's shape.
 *
 * @internal
 */
export function opportunityEvent<T extends OpportunityEventType>(event: RuleEvent<T, OpportunityEventDataByType[T]>): OpportunityEvent {
  return ruleEvent(event) as RuleEvent as OpportunityEvent;
}
