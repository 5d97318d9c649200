/**
 * Every error code the library can return, with the module that owns it. Codes are the
 * contract: they never change meaning. Wording lives in the message catalogs.
 */
export const ERROR_CODES = {
  INVALID_INPUT: 'core',
  CONFLICT: 'core',
  NOT_FOUND: 'core',
  LEAD_TRANSITION_NOT_ALLOWED: 'leads',
  LEAD_PERMISSION_DENIED: 'leads',
  LEAD_STAGE_INCONSISTENT: 'leads',
  LEAD_POOL_REQUIRED: 'leads',
  LEAD_SAME_POOL: 'leads',
  LEAD_SAME_OWNER: 'leads',
  LEAD_RETURN_REASON_UNKNOWN: 'leads',
  LEAD_REASON_TEXT_REQUIRED: 'leads',
  LEAD_ALREADY_MQL: 'leads',
  LEAD_STAGE_UNCHANGED: 'leads',
  LEAD_OPPORTUNITY_ALREADY_LINKED: 'leads',
  LEAD_RETURN_TO_OTHER_POOL: 'leads',
  LEAD_FOLLOW_UP_IN_PAST: 'leads',
  LEAD_TIME_BEFORE_LAST_CHANGE: 'leads',
  OPPORTUNITY_TRANSITION_NOT_ALLOWED: 'leads',
  OPPORTUNITY_PERMISSION_DENIED: 'leads',
  OPPORTUNITY_STAGE_UNKNOWN: 'leads',
  OPPORTUNITY_NO_NEXT_STAGE: 'leads',
  OPPORTUNITY_NO_PREVIOUS_STAGE: 'leads',
  OPPORTUNITY_CLOSE_REASON_REQUIRED: 'leads',
  OPPORTUNITY_STAGE_UNCHANGED: 'leads',
  OPPORTUNITY_STAGE_SKIP_NOT_ALLOWED: 'leads',
  OPPORTUNITY_TIME_BEFORE_LAST_CHANGE: 'leads',
  OPPORTUNITY_RENEWAL_EXISTS: 'leads',
  POOL_NOT_A_MEMBER: 'pools',
  POOL_NOT_AN_ADMIN: 'pools',
  POOL_CLAIM_NOT_ALLOWED: 'pools',
  POOL_RECORD_NOT_IN_POOL: 'pools',
  POOL_RECORD_OWNED: 'pools',
  POOL_RECORD_NOT_OWNED: 'pools',
  POOL_QUOTA_EXCEEDED: 'pools',
  POOL_LEVEL_QUOTA_EXCEEDED: 'pools',
  POOL_CLAIM_LIMIT_REACHED: 'pools',
  POOL_COOLDOWN_ACTIVE: 'pools',
  POOL_NOT_THE_OWNER: 'pools',
  POOL_RETURN_ONLY_HERE: 'pools',
  POOL_SAME_POOL: 'pools',
  POOL_TRANSFER_NOT_ALLOWED: 'pools',
  POOL_OWNER_CHANGE_NOT_ALLOWED: 'pools',
  POOL_SAME_OWNER: 'pools',
  POOL_NOT_VISIBLE: 'pools',
  POOL_RECLAIM_NOT_SCHEDULED: 'pools',
  POOL_EXTENSION_NOT_ALLOWED: 'pools',
  POOL_EXTENSION_TOO_LONG: 'pools',
  POOL_EXTENSION_TOO_LATE: 'pools',
  POOL_EXTENSION_ALREADY_DECIDED: 'pools',
  POOL_ASSIGN_NO_ELIGIBLE_MEMBER: 'pools',
  POOL_ASSIGN_ALL_OPTED_OUT: 'pools',
  POOL_ASSIGN_ALL_AT_CAPACITY: 'pools',
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** All codes, in declaration order. */
export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as readonly ErrorCode[];
