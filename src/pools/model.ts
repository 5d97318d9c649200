import { z } from 'zod';
import { idSchema, instantSchema, nameSchema, namedRecordSchema, timeZoneSchema, textSchema } from '../core/validation.js';

/**
 * The pools module: shared customer pools (公海) and lead pools, as data and pure rules.
 * A pool's policy is JSON a host stores and an admin screen edits; the rules read it.
 */

/** A pool of customers (公海) or of leads (线索池). */
export const POOL_KINDS = Object.freeze(['customer', 'lead'] as const);
/** The kind of records a pool holds. */
export type PoolKind = (typeof POOL_KINDS)[number];

/* ------------------------------------------------------------------ conditions */

/** A scalar attribute value. */
export type AttributeValue = string | number | boolean | null;

const scalarSchema = z.union([textSchema, z.number(), z.boolean(), z.null()]);

/**
 * One test on a record's attribute (or `level`): equal, not equal, one of, a number bound, or
 * present at all.
 *
 * @example
 * { field: 'level', op: 'eq', value: 'important' }
 */
export const attributeTestSchema = z.discriminatedUnion('op', [
  z.object({ field: nameSchema, op: z.literal('eq'), value: scalarSchema }).strict(),
  z.object({ field: nameSchema, op: z.literal('neq'), value: scalarSchema }).strict(),
  z.object({ field: nameSchema, op: z.literal('in'), values: z.array(scalarSchema).min(1).max(1000) }).strict(),
  z.object({ field: nameSchema, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }).strict(),
  z.object({ field: nameSchema, op: z.literal('exists') }).strict(),
]);
/** One attribute test. */
export type AttributeTest = z.output<typeof attributeTestSchema>;

/** A condition: every test must hold (an empty list matches every record). */
export const conditionSchema = z.object({ all: z.array(attributeTestSchema).max(50) }).strict();
/** A condition on a record's attributes. */
export type Condition = z.output<typeof conditionSchema>;

/* ------------------------------------------------------------------ the record view */

/**
 * What the pool rules read of a record, whichever it is (a customer or a lead). A host builds
 * it from its own rows; `poolRecordFromLead` builds it from a lead.
 */
export interface PoolRecordView {
  readonly id: string;
  readonly kind: PoolKind;
  readonly poolId: string | null;
  readonly ownerId: string | null;
  /** The customer level (e.g. `important`), for per-level quotas and conditions. */
  readonly level: string | null;
  /** Has this customer made a deal (成交)? */
  readonly won: boolean;
  /** Open opportunities on the record now. */
  readonly openOpportunityCount: number;
  readonly ownedSince: Date | null;
  readonly lastFollowUpAt: Date | null;
  readonly lastDealAt: Date | null;
  /** When the last opportunity was open (or null if never). */
  readonly lastOpenOpportunityAt: Date | null;
  /** Team members (相关团队成员) to notify. */
  readonly teamIds: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** An approved extension pushes an automatic reclaim to this instant. */
  readonly extendedUntil: Date | null;
  /**
   * An extension requested and awaiting approval, up to this instant: until it is decided the
   * record is not reclaimed before that date.
   */
  readonly extensionPendingUntil: Date | null;
  /**
   * The last reclaim warning the host recorded (from a `warn` decision): the record is never
   * reclaimed before the date that warning promised.
   */
  readonly warning: { readonly ruleId: string; readonly warnedAt: Date; readonly reclaimAt: Date } | null;
  /**
   * A lock (锁定) on a customer: while it holds, no pool operation moves the record (claim,
   * assign, return, transfer, change of owner, reclaim by hand) and automatic reclaim exempts it.
   * Absent or null: not locked (a lead's view is never locked).
   */
  readonly locked?: RecordLock | null;
  /**
   * The record is voided (作废, in the recycle bin): no pool operation takes it. A voided
   * customer is out of every pool and owned by nobody; this remembers where it was.
   */
  readonly voided?: RecordVoiding | null;
}

/** Who locked a record, when, and why. */
export interface RecordLock {
  readonly by: string;
  readonly at: Date;
  readonly note: string | null;
}

/** Who voided a record, when and why, and the owner and pool it had (where a restore returns it). */
export interface RecordVoiding {
  readonly by: string;
  readonly at: Date;
  readonly reason: string | null;
  readonly ownerId: string | null;
  readonly poolId: string | null;
}

/** The schema of a record lock. */
export const recordLockSchema = z.object({ by: idSchema, at: instantSchema, note: textSchema.max(2000).nullable() }).strict();

/** The schema of a record's voiding. */
export const recordVoidingSchema = z
  .object({ by: idSchema, at: instantSchema, reason: textSchema.max(2000).nullable(), ownerId: idSchema.nullable(), poolId: idSchema.nullable() })
  .strict();

/**
 * A voided record is in no pool, has no owner (its voiding remembers them) and is not locked.
 *
 * @internal
 */
export function voidedIsOutOfPools(
  r: { readonly voided: RecordVoiding | null; readonly locked: RecordLock | null; readonly ownerId: string | null; readonly poolId: string | null },
  ctx: z.RefinementCtx,
): void {
  if (r.voided !== null && (r.ownerId !== null || r.poolId !== null)) {
    ctx.addIssue({ code: 'custom', path: ['voided'], message: 'a voided record is in no pool and has no owner (its voiding remembers them)' });
  }
  if (r.voided !== null && r.locked !== null) ctx.addIssue({ code: 'custom', path: ['locked'], message: 'a voided record is not locked (a locked one is not voided)' });
}

/**
 * The fields of a record view, before the check across them (what the customer schema extends).
 *
 * @internal
 */
export const poolRecordViewFields = z
  .object({
    id: idSchema,
    kind: z.enum(POOL_KINDS),
    poolId: idSchema.nullable(),
    ownerId: idSchema.nullable(),
    level: textSchema.max(100).nullable(),
    won: z.boolean(),
    openOpportunityCount: z.number().int().min(0),
    ownedSince: instantSchema.nullable(),
    lastFollowUpAt: instantSchema.nullable(),
    lastDealAt: instantSchema.nullable(),
    lastOpenOpportunityAt: instantSchema.nullable(),
    teamIds: z.array(idSchema).max(1000),
    attributes: namedRecordSchema(scalarSchema, textSchema),
    extendedUntil: instantSchema.nullable(),
    extensionPendingUntil: instantSchema.nullable().default(null),
    warning: z.object({ ruleId: idSchema, warnedAt: instantSchema, reclaimAt: instantSchema }).strict().nullable(),
    locked: recordLockSchema.nullable().default(null),
    voided: recordVoidingSchema.nullable().default(null),
  })
  .strict();

/** The schema of a record view (strict; ISO strings accepted for instants). */
export const poolRecordViewSchema = poolRecordViewFields.superRefine(voidedIsOutOfPools);

/** A record view as a host may pass it (ISO strings for instants; `extensionPendingUntil`, `locked` and `voided` optional). */
export type PoolRecordViewInput = z.input<typeof poolRecordViewSchema>;

/* ------------------------------------------------------------------ the policy */

const daysSchema = z.number().int().min(0).max(3660);
const positiveDaysSchema = z.number().int().min(1).max(3660);

/** Who hears of a coming reclaim or a reminder. */
export const NOTIFY_TARGETS = Object.freeze(['owner', 'team', 'admins'] as const);
/** A notification target. */
export type NotifyTarget = (typeof NOTIFY_TARGETS)[number];

/** What starts a reclaim clock: days since the last follow-up, the last deal, the last open opportunity. */
export const RECLAIM_TRIGGERS = Object.freeze(['noFollowUp', 'noDeal', 'noOpenOpportunity'] as const);
/** A reclaim trigger kind. */
export type ReclaimTriggerKind = (typeof RECLAIM_TRIGGERS)[number];

/** The schema of one automatic reclaim rule (收回规则). */
export const reclaimRuleSchema = z
  .object({
    id: idSchema,
    name: textSchema.max(200).optional(),
    /** Which records the rule covers; omitted: all. */
    condition: conditionSchema.optional(),
    trigger: z.object({ kind: z.enum(RECLAIM_TRIGGERS), days: positiveDaysSchema }).strict(),
    /** Warn this many days before the reclaim (0: no warning). */
    noticeDays: daysSchema.default(0),
    notify: z.array(z.enum(NOTIFY_TARGETS)).max(3).default(['owner']),
    exemptWon: z.boolean().default(false),
    exemptWithOpenOpportunity: z.boolean().default(false),
    extension: z
      .object({ allowed: z.boolean(), maxDays: positiveDaysSchema, approvalRequired: z.boolean() })
      .strict()
      .default({ allowed: false, maxDays: 1, approvalRequired: true }),
  })
  .strict();
/** One automatic reclaim rule. */
export type ReclaimRule = z.output<typeof reclaimRuleSchema>;

/** The schema of one reminder rule (提醒规则). */
export const reminderRuleSchema = z
  .object({
    id: idSchema,
    name: textSchema.max(200).optional(),
    condition: conditionSchema.optional(),
    trigger: z.object({ kind: z.enum(['noFollowUp', 'noDeal']), days: positiveDaysSchema }).strict(),
    notify: z.array(z.enum(NOTIFY_TARGETS)).min(1).max(3).default(['owner']),
  })
  .strict();
/** One reminder rule. */
export type ReminderRule = z.output<typeof reminderRuleSchema>;

/**
 * A pool's policy as stored JSON (纷享销客's pool settings). Defaults make a permissive pool:
 * members claim, no quota, no cooldown, no automatic reclaim.
 */
export const poolPolicySchema = z
  .object({
    id: idSchema,
    kind: z.enum(POOL_KINDS),
    name: textSchema.max(200).optional(),
    /** Days are counted in this IANA zone. */
    zone: timeZoneSchema,
    admins: z.array(idSchema).min(1).max(100),
    members: z
      .object({ users: z.array(idSchema).max(100_000).default([]), departments: z.array(idSchema).max(10_000).default([]) })
      .strict()
      .default({ users: [], departments: [] }),
    /** `claim`: members claim and admins assign; `assignOnly`: only admins assign, members do not see the pool. */
    claimMode: z.enum(['claim', 'assignOnly']).default('claim'),
    holding: z
      .object({
        /** The most records one member may hold from this pool; null: no limit. */
        quota: z.number().int().min(0).nullable().default(null),
        /** Do won customers count toward the quota? */
        countWon: z.boolean().default(true),
        /** A quota per customer level, checked besides the overall one. */
        perLevel: namedRecordSchema(z.number().int().min(0)).default({}),
      })
      .strict()
      .default({ quota: null, countWon: true, perLevel: {} }),
    /** At most `max` claims within `periodDays` calendar days (today included). */
    claimLimit: z.object({ max: z.number().int().min(1), periodDays: positiveDaysSchema }).strict().nullable().default(null),
    /** After returning a record (or losing it to a reclaim) a member may not claim it again for this many days. */
    cooldownDays: daysSchema.default(0),
    transfer: z
      .object({
        /** May a record held from this pool be transferred to another pool? */
        allowTransferOut: z.boolean().default(true),
        /** Must a return go back to this pool? */
        returnOnlyHere: z.boolean().default(true),
      })
      .strict()
      .default({ allowTransferOut: true, returnOnlyHere: true }),
    ownerChange: z
      .object({
        /** May an admin move an owned record to another owner without it being returned first? */
        allowForced: z.boolean().default(true),
        /** What happens to the team on an owner change: kept, emptied, or kept with the previous owner added. */
        team: z.enum(['keep', 'clear', 'keepAndAddPreviousOwner']).default('keep'),
      })
      .strict()
      .default({ allowForced: true, team: 'keep' }),
    /** In priority order: the first rule whose condition matches a record is the one that applies. */
    reclaimRules: z
      .array(reclaimRuleSchema)
      .max(100)
      .default([])
      .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, { message: 'reclaim rule ids must be unique' }),
    reminderRules: z
      .array(reminderRuleSchema)
      .max(100)
      .default([])
      .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, { message: 'reminder rule ids must be unique' }),
    visibility: z
      .object({
        /** Fields a member sees of a record before claiming it (besides its id). */
        publicFields: z.array(nameSchema).max(500).default([]),
        showRelated: z.boolean().default(false),
        showPoolLog: z.boolean().default(false),
      })
      .strict()
      .default({ publicFields: [], showRelated: false, showPoolLog: false }),
  })
  .strict();

/** A pool policy as a host stores it (defaults may be omitted). */
export type PoolPolicyInput = z.input<typeof poolPolicySchema>;
/** A parsed pool policy, every default filled in. */
export type PoolPolicy = z.output<typeof poolPolicySchema>;

/**
 * Types a pool policy kept in a `const`: `const policy = definePoolPolicy({ … })` keeps `kind`,
 * `claimMode`, triggers and notify targets the literal names `PoolPolicyInput` takes (a plain
 * object literal widens them to `string`, and then no rule or service takes it), and a misspelt
 * key is a compile error. An identity: it returns its argument as it is — not validated (the
 * rules parse it when it is used, or call `parsePoolPolicy`), not copied, not frozen — and
 * never throws. (`const policy = { … } satisfies PoolPolicyInput` does the same.)
 *
 * @example
 * const policy = definePoolPolicy({ id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], holding: { quota: 50 } });
 * decideClaim(policy, record, { id: 'rep-li', departmentIds: [] }, { holdings: NO_HOLDINGS, claimTimes: [], lastRelease: null }, now);
 */
export function definePoolPolicy(policy: PoolPolicyInput): PoolPolicyInput {
  return policy;
}

/** A member as the pools see one: an id and the departments the host says it belongs to. */
export interface PoolMember {
  readonly id: string;
  readonly departmentIds: readonly string[];
}

/** The schema of a pool member. */
export const poolMemberSchema = z
  .object({ id: idSchema, departmentIds: z.array(idSchema).max(1000).default([]) })
  .strict();
