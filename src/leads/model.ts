import { z } from 'zod';
import { HOST_RELATIONS, RECORD_EDITORS, RELATIONS, type Actor, type Relation } from '../core/permissions.js';
import { deepFreeze, idSchema, instantSchema, namedRecordSchema, nameSchema, textSchema } from '../core/validation.js';
import { trustingSchema } from './boundary.js';
import { isMistypedCreditCode, normalizeIdentifier, TAX_ID_CHECK_MESSAGE } from '../core/tax-id.js';

/** Lead statuses, as in 纷享销客: 未分配 / 待处理 / 跟进中 / 无效 / 已转换 / 作废. */
export const LEAD_STATUSES = Object.freeze(['unassigned', 'pending', 'following', 'invalid', 'converted', 'voided'] as const);
/** A lead status. */
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Lifecycle stages, in order: Lead → MQL → SQL → Opportunity. */
export const LEAD_STAGES = Object.freeze(['lead', 'mql', 'sql', 'opportunity'] as const);
/** A lifecycle stage. */
export type LeadStage = (typeof LEAD_STAGES)[number];

/** Statuses from which a lead can be invalidated, voided and reopened/restored back to. */
export type LiveLeadStatus = 'unassigned' | 'pending' | 'following';

/** Stages a lead may have in each status: before conversion lead/mql, after it sql/opportunity. */
export const STAGES_BY_STATUS: Readonly<Record<LeadStatus, readonly LeadStage[]>> = deepFreeze({
  unassigned: ['lead', 'mql'],
  pending: ['lead', 'mql'],
  following: ['lead', 'mql'],
  invalid: ['lead', 'mql'],
  voided: ['lead', 'mql'],
  converted: ['sql', 'opportunity'],
});

/** Where a lead came from: created by a salesperson (owned) or imported into a pool. */
export const LEAD_SOURCES = Object.freeze(['manual', 'import'] as const);
/** How a lead entered the system. */
export type LeadSource = (typeof LEAD_SOURCES)[number];

/**
 * The channels a lead comes from (线索来源) when a company lists none of its own: the seeds'
 * website forms, social media, trade shows, advertising, referrals, cold calls, partners and
 * imports. A company's lead policy may list its own (`channels`); a lead keeps its channel
 * through conversion (first touch), so reports can say which channel pays off.
 */
export const DEFAULT_LEAD_CHANNELS = Object.freeze(['websiteForm', 'socialMedia', 'tradeShow', 'advertising', 'referral', 'coldCall', 'partner', 'import'] as const);

/** A host's quality rating; `high` leads come first in the follow-up agenda. */
export const LEAD_QUALITIES = Object.freeze(['high', 'normal', 'low'] as const);
/** Lead quality. */
export type LeadQuality = (typeof LEAD_QUALITIES)[number];

/** Host attributes: flat, JSON-safe values (e.g. `level: 'important'`, `industry: 'retail'`). */
export type LeadAttributes = Readonly<Record<string, string | number | boolean | null>>;

/** Why and when a lead was marked invalid, and the status `reopen` returns it to. */
export interface LeadInvalidation {
  readonly reason: string;
  readonly at: Date;
  readonly by: string;
  readonly from: LiveLeadStatus;
}

/** When and by whom a lead was voided, and the status `restore` returns it to. */
export interface LeadVoiding {
  readonly reason: string | null;
  readonly at: Date;
  readonly by: string;
  readonly from: Exclude<LeadStatus, 'voided' | 'converted'>;
}

/** The last time an owner lost the lead to a pool: returned, reclaimed or transferred. Pool cooldowns read it. */
export interface LeadRelease {
  readonly kind: 'returned' | 'reclaimed' | 'transferred';
  readonly poolId: string;
  readonly previousOwnerId: string;
  readonly reasonCode: string | null;
  readonly reasonText: string | null;
  readonly ruleId: string | null;
  readonly at: Date;
  readonly by: string;
}

/** What a lead became on conversion. */
export interface LeadConversion {
  readonly customerId: string;
  readonly customerIsNew: boolean;
  /**
   * The customer's tax id settled at conversion (统一社会信用代码, normalized), for a new
   * customer; null when none was given or the customer existed. Absent on leads stored before
   * it was recorded (read as null).
   */
  readonly taxId?: string | null;
  readonly contactId: string | null;
  readonly opportunityId: string | null;
  readonly at: Date;
  readonly by: string;
}

interface LeadFields {
  readonly id: string;
  /** Bumped by one on every change; the repository saves only over the version it loaded. */
  readonly version: number;
  readonly source: LeadSource;
  /** The channel it came from (one of the policy's `channels`); null when not recorded. Absent on leads stored before it was (read as null). */
  readonly channel?: string | null;
  readonly name: string;
  readonly company: string | null;
  /** The company's tax id (统一社会信用代码 or another registration number), normalized; null when not known. Absent on leads stored before it was (read as null). */
  readonly taxId?: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly quality: LeadQuality | null;
  readonly attributes: LeadAttributes;
  /** The one accountable for the lead; null while it sits unassigned in a pool. */
  readonly ownerId: string | null;
  /** The pool the lead lives in (its home pool while owned; where a return sends it). */
  readonly poolId: string | null;
  /**
   * When the lead last entered its pool with no owner (created there by an import, returned,
   * reclaimed, transferred or escalated there, or reopened or restored to `unassigned`); null
   * once someone owns it; between `createdAt` and `updatedAt`. What an escalation
   * ladder's clock counts from. Absent on leads stored before it was (read as null: the
   * escalation falls back to the last release into the pool, else the creation time).
   */
  readonly pooledAt?: Date | null;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly updatedAt: Date;
  readonly ownedSince: Date | null;
  readonly lastFollowUpAt: Date | null;
  readonly followUpCount: number;
  /** A re-follow-up date the salesperson set in the last follow-up. */
  readonly nextFollowUpAt: Date | null;
  readonly lastRelease: LeadRelease | null;
}

/** A lead in a pool, nobody owns it. */
export interface UnassignedLead extends LeadFields {
  readonly status: 'unassigned';
  readonly stage: 'lead' | 'mql';
  readonly ownerId: null;
  readonly poolId: string;
  readonly invalidation: null;
  readonly voiding: null;
  readonly conversion: null;
}
/** An owned lead nobody has followed up yet. */
export interface PendingLead extends LeadFields {
  readonly status: 'pending';
  readonly stage: 'lead' | 'mql';
  readonly ownerId: string;
  readonly invalidation: null;
  readonly voiding: null;
  readonly conversion: null;
}
/** An owned lead with at least one follow-up. */
export interface FollowingLead extends LeadFields {
  readonly status: 'following';
  readonly stage: 'lead' | 'mql';
  readonly ownerId: string;
  readonly lastFollowUpAt: Date;
  readonly invalidation: null;
  readonly voiding: null;
  readonly conversion: null;
}
/** A lead judged worthless for now; reversible. */
export interface InvalidLead extends LeadFields {
  readonly status: 'invalid';
  readonly stage: 'lead' | 'mql';
  readonly invalidation: LeadInvalidation;
  readonly voiding: null;
  readonly conversion: null;
}
/** A lead turned into customer (+ contact, + opportunity). No status operation applies any more. */
export interface ConvertedLead extends LeadFields {
  readonly status: 'converted';
  readonly stage: 'sql' | 'opportunity';
  readonly ownerId: string;
  readonly invalidation: null;
  readonly voiding: null;
  readonly conversion: LeadConversion;
}
/** A lead voided like a delete; only a CRM admin restores it, to exactly its old status. */
export interface VoidedLead extends LeadFields {
  readonly status: 'voided';
  readonly stage: 'lead' | 'mql';
  /** Kept when the lead was voided while invalid, so a restore brings it back whole. */
  readonly invalidation: LeadInvalidation | null;
  readonly voiding: LeadVoiding;
  readonly conversion: null;
}

/** A lead, discriminated by its status. */
export type Lead = UnassignedLead | PendingLead | FollowingLead | InvalidLead | ConvertedLead | VoidedLead;
/** A lead that has not been converted. */
export type OpenLead = Exclude<Lead, ConvertedLead>;

/* ----------------------------------------------------------------------------- schemas */

/** The longest free text a lead holds where no field sets a shorter limit (text is the core's safe `textSchema`). */
const MAX_TEXT = 10_000;

/**
 * Host attributes at the door: flat scalars keyed by attribute name (a `__proto__` or symbol
 * key refused, see the core's `namedRecordSchema`).
 *
 * @internal
 */
export const attributesSchema = namedRecordSchema(z.union([textSchema.max(MAX_TEXT), z.number(), z.boolean(), z.null()]), textSchema.max(MAX_TEXT));

const liveStatusSchema = z.enum(['unassigned', 'pending', 'following']);

/** A tax id as a lead stores it: already normalized, and never a mistyped unified social credit code. */
const storedTaxIdSchema = textSchema
  .min(1)
  .max(100)
  .refine((id) => normalizeIdentifier(id) === id, { message: 'is not a normalized tax id (upper-case letters and digits only)' })
  .refine((id) => !isMistypedCreditCode(id), { message: TAX_ID_CHECK_MESSAGE });

const leadObjectSchema = z
  .object({
    id: idSchema,
    version: z.number().int().min(0),
    status: z.enum(LEAD_STATUSES),
    stage: z.enum(LEAD_STAGES),
    source: z.enum(LEAD_SOURCES),
    channel: nameSchema.nullable().default(null),
    name: textSchema.min(1).max(500),
    company: textSchema.max(500).nullable(),
    taxId: storedTaxIdSchema.nullable().default(null),
    phone: textSchema.max(100).nullable(),
    email: textSchema.max(320).nullable(),
    quality: z.enum(LEAD_QUALITIES).nullable(),
    attributes: attributesSchema,
    ownerId: idSchema.nullable(),
    poolId: idSchema.nullable(),
    pooledAt: instantSchema.nullable().default(null),
    createdAt: instantSchema,
    createdBy: idSchema,
    updatedAt: instantSchema,
    ownedSince: instantSchema.nullable(),
    lastFollowUpAt: instantSchema.nullable(),
    followUpCount: z.number().int().min(0),
    nextFollowUpAt: instantSchema.nullable(),
    lastRelease: z
      .object({
        kind: z.enum(['returned', 'reclaimed', 'transferred']),
        poolId: idSchema,
        previousOwnerId: idSchema,
        reasonCode: textSchema.max(MAX_TEXT).nullable(),
        reasonText: textSchema.max(MAX_TEXT).nullable(),
        ruleId: idSchema.nullable(),
        at: instantSchema,
        by: idSchema,
      })
      .strict()
      .nullable(),
    invalidation: z
      .object({ reason: textSchema.min(1).max(MAX_TEXT), at: instantSchema, by: idSchema, from: liveStatusSchema })
      .strict()
      .nullable(),
    voiding: z
      .object({
        reason: textSchema.max(MAX_TEXT).nullable(),
        at: instantSchema,
        by: idSchema,
        from: z.enum(['unassigned', 'pending', 'following', 'invalid']),
      })
      .strict()
      .nullable(),
    conversion: z
      .object({
        customerId: idSchema,
        customerIsNew: z.boolean(),
        taxId: storedTaxIdSchema.nullable().default(null),
        contactId: idSchema.nullable(),
        opportunityId: idSchema.nullable(),
        at: instantSchema,
        by: idSchema,
      })
      .strict()
      .nullable(),
  })
  .strict();

type LeadShape = z.output<typeof leadObjectSchema>;

/**
 * Checks the cross-field rules of a lead: the stage fits the status, an owner where one is
 * required, the record of each status present exactly when it should be.
 */
function checkLeadConsistency(lead: LeadShape, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const allowedStages = STAGES_BY_STATUS[lead.status];
  if (!allowedStages.includes(lead.stage)) {
    issue('stage', `stage "${lead.stage}" does not fit status "${lead.status}" (allowed: ${allowedStages.join(', ')})`);
  }
  const effective = lead.status === 'voided' ? lead.voiding?.from : lead.status === 'invalid' ? lead.invalidation?.from : lead.status;
  const effectiveLive = lead.status === 'voided' && lead.voiding?.from === 'invalid' ? lead.invalidation?.from : effective;
  if (effectiveLive === 'unassigned') {
    if (lead.ownerId !== null) issue('ownerId', 'an unassigned lead has no owner');
    if (lead.poolId === null) issue('poolId', 'an unassigned lead must be in a pool');
  } else if (effectiveLive === 'pending' || effectiveLive === 'following' || lead.status === 'converted') {
    if (lead.ownerId === null) issue('ownerId', `a ${effectiveLive ?? lead.status} lead must have an owner`);
  }
  if (effectiveLive === 'following' && lead.lastFollowUpAt === null) {
    issue('lastFollowUpAt', 'a following lead has a last follow-up time');
  }
  if (lead.status === 'invalid' || (lead.status === 'voided' && lead.voiding?.from === 'invalid')) {
    if (lead.invalidation === null) issue('invalidation', 'an invalid lead records why it was invalidated');
  } else if (lead.invalidation !== null) {
    issue('invalidation', `a ${lead.status} lead has no invalidation record`);
  }
  if ((lead.status === 'voided') !== (lead.voiding !== null)) {
    issue('voiding', lead.status === 'voided' ? 'a voided lead records its previous status' : 'only a voided lead has a voiding record');
  }
  if ((lead.status === 'converted') !== (lead.conversion !== null)) {
    issue('conversion', lead.status === 'converted' ? 'a converted lead records its conversion' : 'only a converted lead has a conversion record');
  }
  if (lead.conversion !== null && (lead.stage === 'opportunity') !== (lead.conversion.opportunityId !== null)) {
    issue('stage', 'a converted lead is at stage "opportunity" exactly when an opportunity was created');
  }
  if (lead.pooledAt !== null && (lead.ownerId !== null || lead.poolId === null)) {
    issue('pooledAt', 'pooledAt is set only while the lead sits in a pool with no owner');
  }
  if ((lead.ownerId === null) !== (lead.ownedSince === null)) {
    issue('ownedSince', 'ownedSince is set exactly when the lead has an owner');
  }
  if (lead.nextFollowUpAt !== null && lead.ownerId === null) {
    issue('nextFollowUpAt', 'a lead nobody owns has no re-follow-up date');
  }
  if ((lead.lastFollowUpAt === null) !== (lead.followUpCount === 0)) {
    issue('followUpCount', 'followUpCount is 0 exactly when there is no last follow-up');
  }
  if (lead.updatedAt.getTime() < lead.createdAt.getTime()) issue('updatedAt', 'updatedAt is before createdAt');
  if (lead.pooledAt !== null && (lead.pooledAt.getTime() < lead.createdAt.getTime() || lead.pooledAt.getTime() > lead.updatedAt.getTime())) {
    issue('pooledAt', 'pooledAt lies between createdAt and updatedAt');
  }
}

/**
 * The schema of a stored lead: strict (an unknown key is refused, never dropped) and
 * consistent across fields. ISO strings are accepted for instants.
 */
export const leadSchema: z.ZodType<Lead, unknown> = leadObjectSchema.superRefine(checkLeadConsistency) as unknown as z.ZodType<
  Lead,
  unknown
>;

/** The actor schema: an id and the relations the host resolved (never `owner`; default none), and the departments (the pools read them). */
export { actorSchema } from '../core/context.js';

/* ----------------------------------------------------------------------------- policy */

/** The operations on a lead, each a rule of its own. */
export const LEAD_OPERATIONS = Object.freeze([
  'assign',
  'claim',
  'followUp',
  'markMql',
  'markInvalid',
  'reopen',
  'return',
  'reclaim',
  'transfer',
  'convert',
  'void',
  'restore',
  'correctStage',
  'linkOpportunity',
  'changeOwner',
] as const);
/** A lead operation name. */
export type LeadOperation = (typeof LEAD_OPERATIONS)[number];

/** A return reason the company allows; `requiresText` asks the owner to explain. */
export interface ReturnReason {
  readonly code: string;
  readonly requiresText: boolean;
}

/** The company's lead policy: allowed return reasons and who may do what. */
export interface LeadPolicy {
  readonly returnReasons: readonly ReturnReason[];
  readonly permissions: Readonly<Record<LeadOperation, readonly Relation[]>>;
  /** Who may create a lead by import into a pool (a manual lead may be created by anyone). */
  readonly importers: readonly Relation[];
  /** The channels a lead may come from (线索来源), by id; default `DEFAULT_LEAD_CHANNELS`. */
  readonly channels: readonly string[];
}

/** A lead's editors: the record editors plus the admin of the pool the lead lives in. */
const EDITORS: readonly Relation[] = [...RECORD_EDITORS, 'poolAdmin'];

/**
 * The default permissions, from the Chinese CRMs: the owner, the owner's superior, read-write
 * team members and their superiors, users the lead is shared with read-write, the pool admin
 * and the CRM admin change a lead; only pool members claim, only admins (or an automatic rule)
 * assign and reclaim, only the owner returns, only the CRM admin restores and corrects stages.
 */
export const DEFAULT_LEAD_PERMISSIONS: Readonly<Record<LeadOperation, readonly Relation[]>> = deepFreeze({
  assign: ['poolAdmin', 'crmAdmin', 'automation'],
  claim: ['poolMember'],
  followUp: EDITORS,
  markMql: EDITORS,
  markInvalid: EDITORS,
  reopen: EDITORS,
  return: ['owner'],
  reclaim: ['poolAdmin', 'crmAdmin', 'automation'],
  transfer: EDITORS,
  convert: EDITORS,
  void: EDITORS,
  restore: ['crmAdmin'],
  correctStage: ['crmAdmin'],
  linkOpportunity: EDITORS,
  changeOwner: ['poolAdmin', 'crmAdmin'],
});

/** The default return reasons: unreachable, no need, product mismatch, other (with text). */
export const DEFAULT_RETURN_REASONS: readonly ReturnReason[] = deepFreeze([
  { code: 'unreachable', requiresText: false },
  { code: 'no_need', requiresText: false },
  { code: 'product_mismatch', requiresText: false },
  { code: 'other', requiresText: true },
]);

/** The policy used when the host passes none. */
export const DEFAULT_LEAD_POLICY: LeadPolicy = deepFreeze({
  returnReasons: DEFAULT_RETURN_REASONS,
  permissions: DEFAULT_LEAD_PERMISSIONS,
  importers: ['poolAdmin', 'crmAdmin', 'automation'],
  channels: DEFAULT_LEAD_CHANNELS,
});

const relationSchema = z.enum(RELATIONS as [Relation, ...Relation[]]);

/**
 * The operations whose permissions a company may change. `restore` and `correctStage` stay
 * with the CRM admin whatever the policy says: only a CRM admin brings a voided lead back or
 * moves a stage backward.
 */
export const CONFIGURABLE_LEAD_OPERATIONS = Object.freeze(
  LEAD_OPERATIONS.filter((op): op is Exclude<LeadOperation, 'restore' | 'correctStage'> => op !== 'restore' && op !== 'correctStage'),
) as readonly [Exclude<LeadOperation, 'restore' | 'correctStage'>, ...Exclude<LeadOperation, 'restore' | 'correctStage'>[]];

/** The operations whose relations no policy changes, and the relations they keep. */
const FIXED_LEAD_OPERATIONS = Object.freeze(['restore', 'correctStage'] as const);

/** Whether two lists allow the same relations (order and repeats do not matter to `isPermitted`). */
function sameRelations(a: readonly Relation[], b: readonly Relation[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((r) => right.has(r));
}

const isLeadOperation = (name: string): boolean => (LEAD_OPERATIONS as readonly string[]).includes(name);

/** The policy as a host stores it (every key optional); a parsed `LeadPolicy` is one too. */
export interface LeadPolicyInput {
  readonly returnReasons?: readonly ReturnReason[];
  /**
   * Relations per operation. `restore` and `correctStage` may be named only with the relations
   * they always keep (`['crmAdmin']`, as a parsed policy lists them).
   */
  readonly permissions?: Readonly<Partial<Record<LeadOperation, readonly Relation[]>>>;
  readonly importers?: readonly Relation[];
  /** The company's own channel list (ids, unique, 1–200); default `DEFAULT_LEAD_CHANNELS`. */
  readonly channels?: readonly string[];
}

const leadPolicyShape = z
  .object({
    returnReasons: z
      .array(z.object({ code: textSchema.min(1).max(100), requiresText: z.boolean() }).strict())
      .min(1)
      .refine((rs) => new Set(rs.map((r) => r.code)).size === rs.length, { message: 'return reason codes must be unique' })
      .optional(),
    permissions: namedRecordSchema(z.array(relationSchema), nameSchema.refine(isLeadOperation, { message: 'not a lead operation' }))
      .superRefine((permissions, ctx) => {
        for (const op of FIXED_LEAD_OPERATIONS) {
          const given = permissions[op];
          if (given !== undefined && !sameRelations(given, DEFAULT_LEAD_PERMISSIONS[op])) {
            ctx.addIssue({ code: 'custom', path: [], message: `${op} stays with the CRM admin (${DEFAULT_LEAD_PERMISSIONS[op].join(', ')}): a policy cannot change it` });
          }
        }
      })
      .optional(),
    importers: z.array(relationSchema).optional(),
    channels: z
      .array(nameSchema)
      .min(1)
      .max(200)
      .refine((cs) => new Set(cs).size === cs.length, { message: 'channel ids must be unique' })
      .optional(),
  })
  .strict()
  .transform(
    (p): LeadPolicy =>
      deepFreeze({
        returnReasons: p.returnReasons ?? DEFAULT_RETURN_REASONS,
        permissions: { ...DEFAULT_LEAD_PERMISSIONS, ...p.permissions } as Record<LeadOperation, readonly Relation[]>,
        importers: p.importers ?? DEFAULT_LEAD_POLICY.importers,
        channels: p.channels ?? DEFAULT_LEAD_CHANNELS,
      }),
  );

const leadPolicies = trustingSchema<LeadPolicy, LeadPolicyInput>(leadPolicyShape as unknown as z.ZodType<LeadPolicy, LeadPolicyInput>);
leadPolicies.parser.trust(DEFAULT_LEAD_POLICY);

/**
 * The policy as stored JSON. Every key is optional: what is missing comes from the
 * defaults; `permissions` overrides per operation, except `restore` and `correctStage`
 * (an override of those is refused as `INVALID_INPUT`; naming them with the relations they
 * keep, as a parsed policy does, is no override). A policy it returned (deep-frozen) is taken
 * back as it is, without a parse; any copy of one is parsed like any other input and gives the
 * same policy.
 *
 * @example
 * leadPolicySchema.parse({ permissions: { return: ['owner', 'ownerSuperior'] } }).permissions.restore // ['crmAdmin']
 * leadPolicySchema.parse({ ...DEFAULT_LEAD_POLICY }) // a policy equal to the default
 */
export const leadPolicySchema: z.ZodType<LeadPolicy, LeadPolicyInput> = leadPolicies.schema;

/**
 * Types a lead policy kept in a `const`: `const policy = defineLeadPolicy({ … })` keeps its
 * relations the literal names `LeadPolicyInput` takes (a plain object literal widens them to
 * `string`, and then no door takes it), and a misspelt key is a compile error. An identity: it
 * returns its argument as it is — not validated (the doors parse it when it is used, or call
 * `parseLeadPolicy`), not copied, not frozen — and never throws.
 *
 * @example
 * const policy = defineLeadPolicy({ permissions: { return: ['owner', 'ownerSuperior'] } });
 * decideLead(lead, { type: 'return', reason: { code: 'unreachable' } }, { now, actor, policy });
 */
export function defineLeadPolicy(policy: LeadPolicyInput): LeadPolicyInput {
  return policy;
}
