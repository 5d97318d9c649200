/**
 * The details of each refusal, typed per code: narrowing a refusal on its `code` narrows its
 * `details` (`if (e.code === 'POOL_CLAIM_LIMIT_REACHED') e.details.retryAfter` is a `Date`).
 * Every `{placeholder}` of a code's message template is a field of its details; a field the
 * library sets only in some cases is optional. Values a module names (a lead status, an
 * operation, a stage id) are typed `string` here — the core names no module — and the TSDoc
 * says which module type they hold.
 */
import type { ErrorCode } from './codes.js';
import type { CrmError } from './errors.js';
import type { JobPhase } from './jobs.js';
import type { Relation } from './permissions.js';
import type { InputIssue } from './validation.js';

/** The validation issues of a refusal, as `INVALID_INPUT` carries them. @inline */
type IssueDetails = {
  /** Every problem found, with its path and English message (and, for zod's kinds, its data). */
  issues: readonly InputIssue[];
  /** All the issues in one English line. */
  summary: string;
};

/** What a pool rule that checks every blocker at once adds to the first one's details. @inline */
type BlockerDetails = {
  /** Every refusal that applied, this one first (set when a claim, return, transfer, assignment, owner change or manual reclaim was refused). */
  blockers?: readonly CrmError[];
};

/**
 * The `details` of each error code. Dates are `Date`s, ids strings, lists read-only arrays.
 *
 * @example
 * const d: ErrorDetailsByCode['NOT_FOUND'] = { entity: 'lead', id: 'L-404' };
 */
export interface ErrorDetailsByCode {
  INVALID_INPUT: IssueDetails;
  ABORTED: {
    /** The phase the job was in when its signal stopped it (a `JobPhase`). */
    phase: JobPhase;
    /** Units of that phase done before it stopped. */
    done: number;
  };
  CONFLICT: {
    /** What kind of record was written (`lead`, `pool member`, `commit`…). */
    entity: string;
    /** The record's id (`poolId/memberId` for a pool member, `commit` for a whole commit). */
    id: string;
    /** The version the writer loaded (`null`: it expected no record; a text when no number applies). */
    expectedVersion: number | string | null;
    /** The version found (`null`: no record; a text such as `written twice in one commit`). */
    actualVersion: number | string | null;
  };
  NOT_FOUND: {
    /** What was looked for: `lead`, `opportunity`, `customer`, `pool`, `payment`, `payment plan`. */
    entity: string;
    /** The id asked for. */
    id: string;
  };
  STORE_UNAVAILABLE: {
    /** The store operation that failed (`commit`, `loadLead`…). */
    operation: string;
    /** `notApplied`: nothing was written; `unknown`: the commit's fate could not be learned. */
    outcome: 'notApplied' | 'unknown';
    /** The failure in one safe line (its code and the first line of its message). */
    reason: string;
  };
  MONEY_CURRENCY_MISMATCH: IssueDetails & {
    /** The money operation (`add`, `compare`, `allocate`, `prorate`…). */
    operation: string;
    /** The currencies that met. */
    currencies: readonly string[];
  };
  MONEY_ALLOCATION_WEIGHTS_ZERO: IssueDetails & {
    /** The amount to split, as `10.00 CNY`. */
    amount: string;
    /** Its currency code. */
    currency: string;
    /** How many weights (all zero) were given. */
    count: number;
  };
  MONEY_DIVISION_BY_ZERO: IssueDetails & {
    /** The dividend: an amount as `113.00 CNY`, or a plain decimal. */
    amount: string;
    /** The amount's currency code (absent for a plain decimal). */
    currency?: string;
  };
  LEAD_TRANSITION_NOT_ALLOWED: {
    /** The lead. */
    leadId: string;
    /** Its status (a `LeadStatus`). */
    from: string;
    /** The operation refused (a `LeadOperation`). */
    operation: string;
    /** The statuses the operation applies to. */
    allowedFrom: readonly string[];
  };
  LEAD_PERMISSION_DENIED: {
    /** The lead (absent for an import, which has no lead yet). */
    leadId?: string;
    /** The operation refused (a `LeadOperation`). */
    operation: string;
    /** The relations the operation is allowed for. */
    allowedRelations: readonly Relation[];
    /** The relations the actor holds to the lead. */
    actorRelations: readonly Relation[];
  };
  LEAD_STAGE_INCONSISTENT: {
    /** The lead. */
    leadId: string;
    /** The stage asked for (a `LeadStage`). */
    stage: string;
    /** The lead's status (a `LeadStatus`). */
    status: string;
    /** The stages that fit the status. */
    allowedStages: readonly string[];
  };
  LEAD_POOL_REQUIRED: {
    /** The lead (absent for an import). */
    leadId?: string;
    /** The operation that needs a pool (`import`, `return`, `reclaim`, `claim`). */
    operation: string;
  };
  LEAD_CHANNEL_UNKNOWN: {
    /** The channel the lead was given. */
    channel: string;
    /** The channels the lead policy lists. */
    channels: readonly string[];
  };
  LEAD_CUSTOMER_EXISTS: {
    /** The lead being converted. */
    leadId: string;
    /** The customer that already has the tax id: convert into it instead. */
    customerId: string;
    /** The tax id both share (normalized). */
    taxId: string;
  };
  LEAD_CUSTOMER_MAY_EXIST: {
    /** The lead being converted. */
    leadId: string;
    /** The customers the duplicate check offered: convert into one, or confirm a new customer. */
    customerIds: readonly string[];
  };
  LEAD_SAME_POOL: {
    /** The lead. */
    leadId: string;
    /** The pool it is already in. */
    poolId: string;
  };
  LEAD_SAME_OWNER: {
    /** The lead. */
    leadId: string;
    /** Its current owner, named again. */
    ownerId: string;
  };
  LEAD_RETURN_REASON_UNKNOWN: {
    /** The reason code given. */
    reason: string;
    /** The reason codes the policy lists. */
    allowedReasons: readonly string[];
  };
  LEAD_REASON_TEXT_REQUIRED: {
    /** The reason code that needs a text. */
    reason: string;
  };
  LEAD_ALREADY_MQL: {
    /** The lead. */
    leadId: string;
    /** Its stage, past `lead` (a `LeadStage`). */
    stage: string;
  };
  LEAD_STAGE_UNCHANGED: {
    /** The lead. */
    leadId: string;
    /** The stage it already has (a `LeadStage`). */
    stage: string;
  };
  LEAD_OPPORTUNITY_ALREADY_LINKED: {
    /** The lead. */
    leadId: string;
    /** The opportunity it already led to. */
    opportunityId: string;
  };
  LEAD_RETURN_TO_OTHER_POOL: {
    /** The lead. */
    leadId: string;
    /** The lead's own pool. */
    poolId: string;
    /** The other pool named. */
    requestedPoolId: string;
  };
  LEAD_FOLLOW_UP_IN_PAST: {
    /** The next follow-up asked for. */
    nextFollowUpAt: Date;
    /** The time of the command. */
    now: Date;
  };
  LEAD_TIME_BEFORE_LAST_CHANGE: {
    /** The lead. */
    leadId: string;
    /** The time of the command. */
    now: Date;
    /** When the lead was last changed. */
    updatedAt: Date;
  };
  OPPORTUNITY_TRANSITION_NOT_ALLOWED: {
    /** The opportunity. */
    opportunityId: string;
    /** Its status (an `OpportunityStatus`). */
    from: string;
    /** The operation refused (an `OpportunityOperation`). */
    operation: string;
    /** The statuses the operation applies to. */
    allowedFrom: readonly string[];
  };
  OPPORTUNITY_PERMISSION_DENIED: {
    /** The opportunity. */
    opportunityId: string;
    /** The operation refused (an `OpportunityOperation`). */
    operation: string;
    /** The relations the operation is allowed for. */
    allowedRelations: readonly Relation[];
    /** The relations the actor holds to the opportunity. */
    actorRelations: readonly Relation[];
  };
  OPPORTUNITY_NAME_EXISTS: {
    /** The customer's open opportunity with the same name. */
    opportunityId: string;
    /** The customer. */
    customerId: string;
    /** The name asked for. */
    name: string;
    /** Who may open it anyway (with \`allowDuplicateName\`). */
    allowedRelations: readonly Relation[];
  };
  OPPORTUNITY_STAGE_UNKNOWN: {
    /** The opportunity (absent when creating one). */
    opportunityId?: string;
    /** The stage id not configured. */
    stageId: string;
    /** The configured stage ids, in order. */
    knownStages: readonly string[];
  };
  OPPORTUNITY_NO_NEXT_STAGE: {
    /** The opportunity. */
    opportunityId: string;
    /** Its stage, the last open one. */
    stageId: string;
  };
  OPPORTUNITY_NO_PREVIOUS_STAGE: {
    /** The opportunity. */
    opportunityId: string;
    /** Its stage, the first one. */
    stageId: string;
  };
  OPPORTUNITY_CLOSE_REASON_REQUIRED: {
    /** The opportunity. */
    opportunityId: string;
    /** The outcome that needs a reason. */
    outcome: 'lost' | 'invalid';
  };
  OPPORTUNITY_STAGE_UNCHANGED: {
    /** The opportunity. */
    opportunityId: string;
    /** The stage it is already at. */
    stageId: string;
  };
  OPPORTUNITY_STAGE_SKIP_NOT_ALLOWED: {
    /** The opportunity. */
    opportunityId: string;
    /** Its stage. */
    from: string;
    /** The stage asked for. */
    to: string;
    /** The stages the move would skip. */
    skipped: readonly string[];
  };
  OPPORTUNITY_TIME_BEFORE_LAST_CHANGE: {
    /** The opportunity. */
    opportunityId: string;
    /** The time of the command. */
    now: Date;
    /** When the opportunity was last changed. */
    updatedAt: Date;
  };
  OPPORTUNITY_RENEWAL_EXISTS: {
    /** The order that already has a renewal opportunity. */
    orderId: string;
  };
  POOL_NOT_A_MEMBER: BlockerDetails & {
    /** The pool. */
    poolId: string;
    /** The member who is not in it. */
    memberId: string;
  };
  POOL_NOT_AN_ADMIN: BlockerDetails & {
    /** The pool. */
    poolId: string;
    /** The member who is not an admin (or approver). */
    memberId: string;
    /** The operation refused (a `PoolOperation`, or `approveExtension` / `rejectExtension`). */
    operation: string;
    /** The pool's admins (an extension request's approvers). */
    admins: readonly string[];
  };
  POOL_CLAIM_NOT_ALLOWED: BlockerDetails & {
    /** The assign-only pool. */
    poolId: string;
    /** Its admins, who assign. */
    admins: readonly string[];
  };
  POOL_RECORD_NOT_IN_POOL: BlockerDetails & {
    /** The record. */
    recordId: string;
    /** The pool asked about. */
    poolId: string;
    /** The pool the record is in (`null`: none). */
    recordPoolId: string | null;
  };
  POOL_RECORD_OWNED: BlockerDetails & {
    /** The record. */
    recordId: string;
    /** Its owner. */
    ownerId: string;
  };
  POOL_RECORD_LOCKED: BlockerDetails & {
    /** The locked record. */
    recordId: string;
    /** The pool operation refused. */
    operation: string;
    /** Who locked it. */
    lockedBy: string;
    /** When. */
    lockedAt: Date;
  };
  POOL_RECORD_VOIDED: BlockerDetails & {
    /** The voided record (in the recycle bin). */
    recordId: string;
    /** The pool operation refused. */
    operation: string;
    /** When it was voided. */
    voidedAt: Date;
  };
  POOL_RECORD_NOT_OWNED: BlockerDetails & {
    /** The record nobody owns. */
    recordId: string;
  };
  POOL_QUOTA_EXCEEDED: BlockerDetails & {
    /** The pool. */
    poolId: string;
    /** The member at the quota. */
    memberId: string;
    /** Records the pool lets a member hold (always set by the pool rules). */
    quota?: number;
    /** Records the member holds (always set by the pool rules). */
    holding?: number;
    /** Whether won customers count toward the quota (always set by the pool rules). */
    countWon?: boolean;
  };
  POOL_LEVEL_QUOTA_EXCEEDED: BlockerDetails & {
    /** The pool. */
    poolId: string;
    /** The member at the quota. */
    memberId: string;
    /** The record's level. */
    level: string;
    /** Records of that level a member may hold. */
    quota: number;
    /** Records of that level the member holds. */
    holding: number;
  };
  POOL_CLAIM_LIMIT_REACHED: BlockerDetails & {
    /** The pool. */
    poolId: string;
    /** The member. */
    memberId: string;
    /** Claims allowed in the period. */
    max: number;
    /** The period, in calendar days of the pool's zone. */
    periodDays: number;
    /** Claims the member made in the period. */
    claims: number;
    /** When one more claim fits (when every blocker is lifted, if there are several). */
    retryAfter: Date;
  };
  POOL_COOLDOWN_ACTIVE: BlockerDetails & {
    /** The pool. */
    poolId: string;
    /** The record. */
    recordId: string;
    /** The member who let it go. */
    memberId: string;
    /** When the member let it go. */
    releasedAt: Date;
    /** How it went back to the pool. */
    releaseKind: 'returned' | 'reclaimed' | 'transferred';
    /** The cooldown, in calendar days. */
    cooldownDays: number;
    /** When the cooldown ends. */
    retryAfter: Date;
  };
  POOL_NOT_THE_OWNER: BlockerDetails & {
    /** The record. */
    recordId: string;
    /** The member who is not its owner. */
    memberId: string;
    /** Its owner (`null`: none). */
    ownerId: string | null;
  };
  POOL_RETURN_ONLY_HERE: BlockerDetails & {
    /** The record. */
    recordId: string;
    /** The pool returns go to. */
    poolId: string;
    /** The other pool named. */
    requestedPoolId: string;
  };
  POOL_SAME_POOL: BlockerDetails & {
    /** The record. */
    recordId: string;
    /** The pool it is already in. */
    poolId: string;
  };
  POOL_TRANSFER_NOT_ALLOWED: BlockerDetails & {
    /** The record. */
    recordId: string;
    /** Its pool. */
    poolId: string;
    /** The pool it was to move to. */
    requestedPoolId: string;
  };
  POOL_OWNER_CHANGE_NOT_ALLOWED: BlockerDetails & {
    /** The pool. */
    poolId: string;
    /** The record. */
    recordId: string;
  };
  POOL_SAME_OWNER: BlockerDetails & {
    /** The record. */
    recordId: string;
    /** Its owner, named again. */
    ownerId: string;
  };
  POOL_NOT_VISIBLE: {
    /** The pool. */
    poolId: string;
    /** The viewer. */
    memberId: string;
    /** The pool's claim mode (`open`, `assignOnly`…). */
    claimMode: string;
  };
  POOL_RECLAIM_NOT_SCHEDULED: {
    /** The record. */
    recordId: string;
    /** Its pool. */
    poolId: string;
    /** Why no reclaim date applies (a `ReclaimNotScheduledReason`). */
    reason: 'noRule' | 'exemptLocked' | 'exemptWon' | 'exemptOpenOpportunity' | 'stoppedOpenOpportunity' | 'stoppedNoStartDate' | 'notDue';
    /** The reclaim rule that matched, if one did. */
    ruleId: string | null;
  };
  POOL_EXTENSION_NOT_ALLOWED: {
    /** The record. */
    recordId: string;
    /** Its pool. */
    poolId: string;
    /** The reclaim rule that applies. */
    ruleId: string;
  };
  POOL_EXTENSION_TOO_LONG: {
    /** The record. */
    recordId: string;
    /** Its pool. */
    poolId: string;
    /** The reclaim rule that applies. */
    ruleId: string;
    /** The days asked for. */
    days: number;
    /** The most the rule allows. */
    maxDays: number;
    /** The latest date all extensions together may reach (when that is what was passed). */
    latest?: Date;
  };
  POOL_EXTENSION_TOO_LATE: {
    /** The record. */
    recordId: string;
    /** Its pool. */
    poolId: string;
    /** The reclaim rule that applies. */
    ruleId: string;
    /** When the record was due back (for an approval: the date the extension asked for). */
    reclaimAt: Date;
  };
  POOL_EXTENSION_ALREADY_DECIDED: {
    /** The record. */
    recordId: string;
    /** Its pool. */
    poolId: string;
    /** The request's status (`approved`, `rejected`). */
    status: string;
  };
  POOL_EXTENSION_PENDING: {
    /** The record. */
    recordId: string;
    /** Its pool. */
    poolId: string;
    /** The date the pending request asks for. */
    extensionPendingUntil: Date;
  };
  POOL_ASSIGN_NO_ELIGIBLE_MEMBER: AssignmentCounts;
  POOL_ASSIGN_ALL_OPTED_OUT: AssignmentCounts;
  POOL_ASSIGN_ALL_AT_CAPACITY: AssignmentCounts;
  POOL_TARGET_KIND_MISMATCH: {
    /** The record's pool. */
    poolId: string;
    /** The kind of records it holds (a `PoolKind`). */
    kind: string;
    /** The pool named as target. */
    targetPoolId: string;
    /** The kind of records the target holds. */
    targetKind: string;
  };
  CUSTOMER_PERMISSION_DENIED: {
    /** The customer. */
    customerId: string;
    /** The operation refused (a `CustomerOperation`). */
    operation: string;
    /** The relations the operation is allowed for. */
    allowedRelations: readonly Relation[];
    /** The relations the actor holds to the customer. */
    actorRelations: readonly Relation[];
  };
  CUSTOMER_OWNER_REQUIRED: {
    /** The customer that would be left outside pools with nobody owning it. */
    customerId: string;
  };
  CUSTOMER_OWNER_THROUGH_POOL: {
    /** The customer. */
    customerId: string;
    /** The pool it is created (or restored) into. */
    poolId: string;
    /** The owner asked for: a pool's claim or assign gives one, under its quota. */
    ownerId: string;
  };
  CUSTOMER_NEW_OWNER_REQUIRED: {
    /** The customer. */
    customerId: string;
    /** Its owner, who is released only to a new one. */
    ownerId: string | null;
  };
  CUSTOMER_SAME_OWNER: {
    /** The customer. */
    customerId: string;
    /** The owner it already has. */
    ownerId: string;
  };
  CUSTOMER_IN_POOL: {
    /** The customer. */
    customerId: string;
    /** The pool whose rules decide the operation. */
    poolId: string;
    /** The operation refused here (the pool service runs it). */
    operation: string;
  };
  CUSTOMER_LOCKED: {
    /** The locked customer. */
    customerId: string;
    /** The operation refused. */
    operation: string;
    /** Who locked it. */
    lockedBy: string;
    /** When. */
    lockedAt: Date;
  };
  CUSTOMER_NOT_LOCKED: {
    /** The customer asked to be unlocked. */
    customerId: string;
  };
  CUSTOMER_VOIDED: {
    /** The voided customer (in the recycle bin). */
    customerId: string;
    /** The operation refused. */
    operation: string;
    /** When it was voided. */
    voidedAt: Date;
  };
  CUSTOMER_NOT_VOIDED: {
    /** The customer asked to be restored. */
    customerId: string;
  };
  CUSTOMER_DEAL_STATUS_UNCHANGED: {
    /** The customer. */
    customerId: string;
    /** The status it already has (true: 已成交). */
    won: boolean;
  };
  ORDER_TRANSITION_NOT_ALLOWED: {
    /** The contract or order. */
    documentId: string;
    /** `contract` or `order`. */
    kind: string;
    /** Its status. */
    from: string;
    /** The operation refused. */
    operation: string;
    /** The statuses the operation runs from. */
    allowedFrom: readonly string[];
  };
  ORDER_PERMISSION_DENIED: {
    /** The contract or order. */
    documentId: string;
    /** `contract` or `order`. */
    kind: string;
    /** The operation refused. */
    operation: string;
    /** The relations the operation is allowed for. */
    allowedRelations: readonly Relation[];
    /** The relations the actor holds to the document. */
    actorRelations: readonly Relation[];
  };
  ORDER_NOT_AN_APPROVER: {
    /** The contract or order. */
    documentId: string;
    /** `contract` or `order`. */
    kind: string;
    /** The level waiting for a signature. */
    level: string;
    /** Who signs it. */
    approvers: readonly string[];
  };
  ORDER_CONTRACT_REQUIRED: {
    /** The order drawn from a contract. */
    orderId: string;
    /** The contract. */
    contractId: string;
  };
  ORDER_CONTRACT_NOT_APPROVED: {
    /** The order. */
    orderId: string;
    /** The contract. */
    contractId: string;
    /** The contract's status (a `ContractStatus`). */
    status: string;
  };
  ORDER_CONTRACT_MISMATCH: {
    /** The order. */
    orderId: string;
    /** The contract. */
    contractId: string;
    /** `customerId` or `currency`. */
    field: string;
    /** The contract's. */
    expected: string;
    /** The order's. */
    actual: string;
  };
  ORDER_CONTRACT_EXCEEDED: {
    /** The order. */
    orderId: string;
    /** The contract. */
    contractId: string;
    /** The currency code. */
    currency: string;
    /** The contract's total, as a decimal. */
    contractTotal: string;
    /** What its live orders already total, as a decimal. */
    ordered: string;
    /** This order's total, as a decimal. */
    requested: string;
    /** What is left of the contract, as a decimal. */
    remaining: string;
  };
  ORDER_CONTRACT_HAS_ORDERS: {
    /** The contract. */
    contractId: string;
    /** Its live orders (not cancelled). */
    orderIds: readonly string[];
  };
  ORDER_ALREADY_SHIPPED: {
    /** The order. */
    orderId: string;
    /** The lines with units shipped. */
    lineIds: readonly string[];
  };
  ORDER_LINE_UNKNOWN: {
    /** The order. */
    orderId: string;
    /** The line it does not have. */
    lineId: string;
  };
  ORDER_QUANTITY_EXCEEDED: {
    /** The order. */
    orderId: string;
    /** The line. */
    lineId: string;
    /** `ship`, `receive` or `return`. */
    operation: string;
    /** The quantity asked for. */
    requested: string;
    /** What the line allows: ordered − shipped, shipped − received, or received − returned. */
    available: string;
  };
  ORDER_OVER_INVOICED: {
    /** The order. */
    orderId: string;
    /** The currency code. */
    currency: string;
    /** The order's total, as a decimal. */
    total: string;
    /** Invoiced so far, as a decimal. */
    invoiced: string;
    /** The invoice asked for, as a decimal. */
    requested: string;
  };
  ORDER_ALREADY_INVOICED: {
    /** The order. */
    orderId: string;
    /** The currency code. */
    currency: string;
    /** What is invoiced, as a decimal. */
    invoiced: string;
  };
  ORDER_OVER_CREDITED: {
    /** The order. */
    orderId: string;
    /** The currency code. */
    currency: string;
    /** Invoiced so far, as a decimal. */
    invoiced: string;
    /** The credit invoice asked for (negative), as a decimal. */
    requested: string;
  };
  DEDUPE_PHONE_MISSING: {
    /** The default region the number would have been read in. */
    defaultRegion: string;
  };
  DEDUPE_PHONE_NOT_A_NUMBER: {
    /** The default region the number was read in. */
    defaultRegion: string;
    /** The number's region, when its length check named one. */
    region?: string;
  };
  DEDUPE_PHONE_TOO_SHORT: {
    /** The default region the number was read in. */
    defaultRegion: string;
    /** The number's region (or `+<country code>`). */
    region: string;
  };
  DEDUPE_PHONE_TOO_LONG: {
    /** The default region the number was read in. */
    defaultRegion: string;
    /** The number's region (or `+<country code>`). */
    region: string;
  };
  DEDUPE_PHONE_UNKNOWN_COUNTRY: {
    /** The default region given, not a known one. */
    defaultRegion: string;
    /** The region shown for the number (here the default region given). */
    region?: string;
  };
  DEDUPE_PHONE_INVALID: {
    /** The default region the number was read in. */
    defaultRegion: string;
    /** The number's region (or `+<country code>`). */
    region: string;
  };
  /** No details: there is no address to say anything about. */
  DEDUPE_EMAIL_MISSING: NoDetails;
  DEDUPE_EMAIL_INVALID: {
    /** Where the address is wrong (an `EmailProblem`). */
    problem: 'at_sign' | 'local_part' | 'domain' | 'too_long';
  };
  DEDUPE_MERGE_DUPLICATE_IDS: {
    /** The ids of the group, in order, the repeated one included. */
    ids: readonly string[];
  };
  DEDUPE_MERGE_MIXED_OBJECTS: {
    /** The objects the group mixes (a `DedupeObject` each). */
    objects: readonly string[];
  };
  DEDUPE_MERGE_TOO_LARGE: {
    /** Records in the group. */
    records: number;
    /** The most a merge takes. */
    maxRecords: number;
  };
  DEDUPE_ESTIMATE_TOO_FEW_RECORDS: {
    /** Records given. */
    records: number;
  };
  DEDUPE_ESTIMATE_UNREACHABLE: {
    /** The scored group that can no longer reach its threshold (`null`: none found). */
    groupId: string | null;
    /** The most that group can score with the estimated weights, in bits. */
    maxWeight: number;
    /** The group's threshold, in bits (`null`: none found). */
    threshold: number | null;
    /** The estimated probabilities of every scored condition. */
    conditions: readonly {
      /** The condition's group. */
      readonly groupId: string;
      /** The condition's field. */
      readonly field: string;
      /** The estimated probability that a duplicate pair agrees. */
      readonly m: number;
      /** The estimated probability that a random pair agrees. */
      readonly u: number;
    }[];
  };
  DEDUPE_MERGE_CONFLICT: {
    /** The two records that disagree. */
    recordIds: readonly string[];
    /** The fields they disagree on. */
    fields: readonly string[];
  };
  DEDUPE_MERGE_NOT_COHERENT: {
    /** The records no chain of matches joins to the survivor. */
    recordIds: readonly string[];
    /** The survivor. */
    survivorId: string;
  };
  DEDUPE_OPPORTUNITY_EXISTS: {
    /** The existing opportunity. */
    opportunityId: string;
    /** The customer. */
    customerId: string;
  };
  PRICING_NEGATIVE_LINE: {
    /** The line. */
    lineId: string;
    /** Its index in the quote's lines. */
    index: number;
  };
  PRICING_CREDIT_LINE_NOT_SUPPORTED: IssueDetails;
  PRICING_ORDER_DISCOUNT_EXCEEDS_BASE: {
    /** The order discount, as a decimal. */
    discount: string;
    /** What it is taken off, as a decimal. */
    base: string;
    /** The currency code. */
    currency: string;
  };
  PRICING_TRANSITION_NOT_ALLOWED: {
    /** The quote. */
    quoteId: string;
    /** Its status (a `QuoteStatus`). */
    status: string;
    /** The step refused (a `QuoteOperation`, or `edit`). */
    operation: string;
    /** The statuses the step applies to. */
    allowedFrom: readonly string[];
  };
  PRICING_NOT_AN_APPROVER: {
    /** The quote. */
    quoteId: string;
    /** The actor who is not an approver. */
    actorId: string;
    /** The level the quote waits on. */
    level: string;
  };
  PRICING_REASON_REQUIRED: {
    /** The quote. */
    quoteId: string;
    /** The step that needs a reason (a `QuoteOperation`). */
    operation: string;
  };
  PRICING_APPROVAL_REQUIRED: {
    /** The quote. */
    quoteId: string;
    /** What it was to become (a `SalesDocumentKind`). */
    kind: string;
    /** The approval levels this revision was not signed at. */
    levels: readonly string[];
    /** Why each of those levels is needed (an `ApprovalReason` each). */
    reasons: readonly {
      /** The approval rule. */
      readonly ruleId: string;
      /** The level it requires. */
      readonly level: string;
      /** The rule's kind (`lineDiscountAbove`, `totalAbove`…). */
      readonly kind: string;
      /** The line, for line rules. */
      readonly lineId: string | null;
      /** The figure compared. */
      readonly actual: string;
      /** The rule's threshold ('' for `belowFloor`). */
      readonly threshold: string;
    }[];
  };
  PAYMENT_CURRENCY_MISMATCH: {
    /** The payment. */
    paymentId: string;
    /** Its currency code. */
    paymentCurrency: string;
    /** The plan. */
    planId: string;
    /** The plan's currency code. */
    planCurrency: string;
  };
  PAYMENT_CUSTOMER_MISMATCH: {
    /** The payment. */
    paymentId: string;
    /** The payment's customer. */
    customerId: string;
    /** The plan. */
    planId: string;
    /** The plan's customer. */
    planCustomerId: string;
  };
  PAYMENT_OVER_ALLOCATED: {
    /** The payment. */
    paymentId: string;
    /** The plan. */
    planId: string;
    /** The installment. */
    installmentId: string;
    /** The amount asked for, as a decimal. */
    requested: string;
    /** What the installment still owes, as a decimal. */
    outstanding: string;
    /** The currency code. */
    currency: string;
  };
  PAYMENT_EXCEEDS_UNAPPLIED: {
    /** The payment. */
    paymentId: string;
    /** `apply` or `refund`. */
    operation: string;
    /** The amount asked for, as a decimal. */
    requested: string;
    /** What the payment has left, as a decimal. */
    unapplied: string;
    /** The currency code. */
    currency: string;
  };
  PAYMENT_EXCEEDS_APPLIED: {
    /** The payment. */
    paymentId: string;
    /** The amount asked for, as a decimal. */
    requested: string;
    /** What is applied, as a decimal. */
    applied: string;
    /** The currency code. */
    currency: string;
  };
  PAYMENT_NOTHING_TO_APPLY: {
    /** The payment. */
    paymentId: string;
    /** What it has left (zero), as a decimal. */
    unapplied: string;
    /** The currency code. */
    currency: string;
  };
  PAYMENT_NOTHING_OUTSTANDING: {
    /** The payment. */
    paymentId: string;
    /** The customer. */
    customerId: string;
    /** The allocation strategy (an `AllocationStrategyKind`). */
    strategy: string;
    /** The order the strategy looked at (`null`: every order). */
    orderId: string | null;
  };
  PAYMENT_NOT_APPLIED: {
    /** The payment. */
    paymentId: string;
    /** The operation refused (`unapply`). */
    operation: string;
  };
  PAYMENT_REVERSED: {
    /** The payment. */
    paymentId: string;
    /** The operation refused (`apply`, `unapply`, `reverse`, `refund`, `splitRevenue`). */
    operation: string;
  };
  PAYMENT_HAS_REFUNDS: {
    /** The payment. */
    paymentId: string;
    /** What was refunded, as a decimal. */
    refunded: string;
    /** The currency code. */
    currency: string;
  };
  PAYMENT_INSTALLMENT_NOT_FOUND: {
    /** The plan named. */
    planId: string;
    /** The installment named. */
    installmentId: string;
    /** The payment, when a payment's application named it. */
    paymentId?: string;
    /** Where in the input it was named, when it came from a hand-entered application. */
    path?: readonly (string | number)[];
  };
  PAYMENT_ORDER_REQUIRED: {
    /** The payment. */
    paymentId: string;
    /** The allocation strategy (`installmentOrder`). */
    strategy: string;
  };
  PAYMENT_PERCENTAGES_NOT_100: {
    /** What the percentages are of: a payment plan or a revenue split. */
    of: 'plan' | 'split';
    /** Their sum, as a decimal. */
    total: string;
  };
  PAYMENT_PLAN_AMOUNTS_MISMATCH: {
    /** The order total, as a decimal. */
    total: string;
    /** The installments' sum, as a decimal. */
    sum: string;
    /** The currency code. */
    currency: string;
  };
  PAYMENT_WRITE_OFF_ABOVE_TOLERANCE: {
    /** The plan. */
    planId: string;
    /** The installment that owes the smallest amount above the tolerance. */
    installmentId: string;
    /** What it owes, as a decimal. */
    outstanding: string;
    /** The most that may be written off, as a decimal. */
    tolerance: string;
    /** The currency code. */
    currency: string;
  };
  PAYMENT_NOTHING_TO_WRITE_OFF: {
    /** The plan. */
    planId: string;
    /** The installment looked at, or `all`. */
    installments: string;
    /** The kind of write-off. */
    kind: 'smallDifference' | 'badDebt';
  };
  PAYMENT_REFUND_APPROVAL_REQUIRED: {
    /** The payment. */
    paymentId: string;
    /** The refund asked for, as a decimal. */
    requested: string;
    /** The currency code. */
    currency: string;
    /** The approval levels the refund needs, in order. */
    levels: string[];
  };
  PAYMENT_REFUND_NOT_AN_APPROVER: {
    /** The refund request. */
    requestId: string;
    /** The level it waits on. */
    level: string;
    /** Who may sign that level under the policy. */
    approvers: string[];
  };
  PAYMENT_REFUND_NOT_PENDING: {
    /** The refund request. */
    requestId: string;
    /** Its status: `applied` or `rejected`. */
    status: string;
  };
  PAYMENT_REFUND_SELF_APPROVAL: {
    /** The refund request. */
    requestId: string;
    /** Who tried to sign. */
    actorId: string;
    /** The level it waits on. */
    level: string;
    /** `requester`: they asked for the refund; `signedBefore`: they signed an earlier level. */
    why: 'requester' | 'signedBefore';
  };
  SCORE_MODEL_CHANGED: {
    /** The model given. */
    modelId: string;
    /** Its version. */
    modelVersion: number;
    /** The model the stored score state was kept under. */
    stateModelId: string;
    /** And its version. */
    stateModelVersion: number;
  };
}

/** The details of a refusal that has none. @inline */
type NoDetails = Record<string, never>;

/** The counts behind an unassigned item, and the item. @inline */
type AssignmentCounts = {
  /** The item that was not assigned. */
  itemId: string;
  /** The unassigned reason (an `UnassignedReason`, the one of this code). */
  reason: 'NO_ELIGIBLE_MEMBER' | 'ALL_OPTED_OUT' | 'ALL_AT_CAPACITY';
  /** Members of the pool. */
  members: number;
  /** Members whose territory and skills cover the item. */
  eligible: number;
  /** Of those, members who opted out of assignment. */
  optedOut: number;
  /** Of those, members at capacity. */
  atCapacity: number;
};

/**
 * The `details` of a refusal with code `C` (a union of codes gives the union of their details).
 * A code without an entry in `ErrorDetailsByCode` has plain `Record<string, unknown>` details.
 *
 * @example
 * const d: ErrorDetails<'POOL_CLAIM_LIMIT_REACHED'> = error.details; // d.retryAfter is a Date
 */
export type ErrorDetails<C extends ErrorCode> = C extends keyof ErrorDetailsByCode ? ErrorDetailsByCode[C] : Record<string, unknown>;
