import { z } from 'zod';
import { RELATIONS, type Relation } from '../core/permissions.js';
import { idSchema, instantSchema, nameSchema, textSchema } from '../core/validation.js';
import { actorSchema, CONFIGURABLE_LEAD_OPERATIONS, OPPORTUNITY_OPERATIONS } from '../leads/index.js';
import { POOL_KINDS, poolMemberSchema, reclaimExtensionRequestSchema, reclaimExtensionVerdictSchema } from '../pools/index.js';

/*
 * Input schemas the modules parse behind a door that zod cannot look through: the lead policy
 * and the opportunity configuration (parsed once, then trusted, inside a `z.custom`), and the
 * pool service's requests (internal to the service). Written here from the modules' exported
 * parts, field for field as the doors read them; test/schemas checks each against its door
 * (`parseLeadPolicy`, `parseOpportunityConfig`, the pool service), so a change there fails here.
 */

const relation = z.enum(RELATIONS as [Relation, ...Relation[]]);
const relations = z.array(relation);
/** `restore` and `correctStage` stay with the CRM admin: a policy may only name them as they are. */
const crmAdminOnly = z.array(z.literal('crmAdmin')).min(1);

/** The lead policy as a host stores it (`LeadPolicyInput`); every key optional, defaults from `DEFAULT_LEAD_POLICY`. */
export const leadPolicyInputSchema = z
  .object({
    returnReasons: z
      .array(z.object({ code: textSchema.min(1).max(100), requiresText: z.boolean() }).strict())
      .min(1)
      .refine((rs) => new Set(rs.map((r) => r.code)).size === rs.length, { message: 'return reason codes must be unique' })
      .optional(),
    permissions: z
      .object({
        ...Object.fromEntries(CONFIGURABLE_LEAD_OPERATIONS.map((op) => [op, relations.optional()])),
        restore: crmAdminOnly.optional(),
        correctStage: crmAdminOnly.optional(),
      })
      .strict()
      .optional(),
    importers: relations.optional(),
    channels: z
      .array(nameSchema)
      .min(1)
      .max(200)
      .refine((cs) => new Set(cs).size === cs.length, { message: 'channel ids must be unique' })
      .optional(),
  })
  .strict();

/** The opportunity configuration as a host stores it (`OpportunityConfigInput`). */
export const opportunityConfigInputSchema = z
  .object({
    stages: z
      .array(z.object({ id: idSchema, name: textSchema.min(1).max(200), probability: z.number().int().min(0).max(100) }).strict())
      .min(1)
      .max(50)
      .refine((ss) => new Set(ss.map((s) => s.id)).size === ss.length, { message: 'stage ids must be unique' })
      .optional(),
    allowSkip: z.boolean().optional(),
    permissions: z
      .object(Object.fromEntries(OPPORTUNITY_OPERATIONS.map((op) => [op, relations.optional()])))
      .strict()
      .optional(),
  })
  .strict();

/* ------------------------------------------------------------------ the pool service's requests */

// A request may carry more keys (the service lets them through): these objects are not strict.
const ref = { poolId: idSchema, recordKind: z.enum(POOL_KINDS), recordId: idSchema, now: instantSchema };
const override = z.object({ reason: textSchema.trim().min(1).max(2000) }).strict().optional();

/** The pool service's request of each operation, by the operation's name. */
export const poolRequestSchemas = {
  claim: z.object({ ...ref, member: poolMemberSchema }),
  assign: z.object({ ...ref, admin: poolMemberSchema, assignee: poolMemberSchema, override }),
  returnRecord: z.object({
    ...ref,
    owner: poolMemberSchema,
    toPoolId: idSchema.optional(),
    reason: z.object({ code: textSchema.min(1).max(100), text: textSchema.max(2000).optional() }).strict().optional(),
  }),
  transfer: z.object({ ...ref, actor: poolMemberSchema, toPoolId: idSchema }),
  changeOwner: z.object({ ...ref, admin: poolMemberSchema, newOwner: poolMemberSchema, override }),
  reclaim: z.object({ ...ref, admin: poolMemberSchema }),
  requestExtension: z.object({ ...ref, requestedBy: idSchema, days: z.number().int().min(1).max(3660), reason: textSchema.max(1000).optional() }),
  decideExtension: z.object({ request: reclaimExtensionRequestSchema, verdict: reclaimExtensionVerdictSchema, now: instantSchema }),
  runReclaim: z.object({ poolId: idSchema, now: instantSchema, actorId: idSchema.optional() }),
} as const;

/* ------------------------------------------------------- the calling convention: (subject, command?, context) */

/** The context every service call ends with: when, and who acts. */
export const serviceContextSchema = z.object({ now: instantSchema, actor: actorSchema }).strict();

/** The context of the pool's reclaim run (its hooks are functions: not data, so not here). */
export const poolJobContextSchema = z.object({ now: instantSchema, actor: actorSchema.optional() }).strict();

const returnReason = z.object({ code: textSchema.min(1).max(100), text: textSchema.max(2000).optional() }).strict().optional();

/** The pool service's subject and commands, by the operation's name: each strict, as the service reads them. */
export const poolCallSchemas = {
  recordKey: z.object({ poolId: idSchema, recordKind: z.enum(POOL_KINDS), recordId: idSchema }).strict(),
  assign: z.object({ assignee: actorSchema, override }).strict(),
  returnRecord: z.object({ toPoolId: idSchema.optional(), reason: returnReason }).strict(),
  transfer: z.object({ toPoolId: idSchema }).strict(),
  changeOwner: z.object({ newOwner: actorSchema, override }).strict(),
  requestExtension: z.object({ days: z.number().int().min(1).max(3660), reason: textSchema.max(1000).optional() }).strict(),
  decideExtension: z.object({ approve: z.boolean(), by: idSchema.optional(), note: textSchema.max(1000).optional() }).strict(),
} as const;
