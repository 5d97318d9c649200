import type { ActorInput } from '../core/context.js';
import { z } from 'zod';
import type { Result } from '../core/result.js';
import type { CrmError } from '../core/errors.js';
import type { Actor } from '../core/permissions.js';
import { deepFreeze, idSchema, instantSchema, nameSchema, textSchema } from '../core/validation.js';
import { normalizeIdentifier, taxIdInputSchema } from '../core/tax-id.js';
import { ALL_ERROR_CODES, type ErrorCode } from '../core/codes.js';
import {
  actorSchema,
  attributesSchema,
  LEAD_QUALITIES,
  LEAD_STAGES,
  leadPolicySchema,
  type LeadPolicyInput,
  type LeadStage,
  type LeadQuality,
  type LeadAttributes,
} from './model.js';
import { ownCopy } from './boundary.js';

const text = (max: number) => textSchema.trim().min(1).max(max);

/** Data for a new lead. A manual lead is owned by its creator; an import lands unassigned in a pool. */
export const createLeadInputSchema = z
  .object({
    id: idSchema,
    source: z.enum(['manual', 'import']),
    name: text(500),
    company: textSchema.max(500).nullable().optional(),
    phone: textSchema.max(100).nullable().optional(),
    email: textSchema.max(320).nullable().optional(),
    quality: z.enum(LEAD_QUALITIES).nullable().optional(),
    attributes: attributesSchema.optional(),
    /** Required for an import; for a manual lead, its home pool (where a return sends it). */
    poolId: idSchema.nullable().optional(),
    /** The channel it came from: one of the policy's `channels` (default `DEFAULT_LEAD_CHANNELS`). */
    channel: nameSchema.nullable().optional(),
    /** The company's tax id (统一社会信用代码 or another registration number), normalized; a mistyped credit code is refused. */
    taxId: taxIdInputSchema,
  })
  .strict();

/** Input of `createLead`. */
export interface CreateLeadInput {
  readonly id: string;
  readonly source: 'manual' | 'import';
  readonly name: string;
  readonly company?: string | null;
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly quality?: LeadQuality | null;
  readonly attributes?: LeadAttributes;
  readonly poolId?: string | null;
  /** The channel it came from (线索来源): one of the policy's `channels`. */
  readonly channel?: string | null;
  /** The company's tax id (统一社会信用代码), normalized; a mistyped credit code is refused. */
  readonly taxId?: string | null;
}

const returnReasonInput = z.object({ code: textSchema.min(1).max(100), text: textSchema.max(2000).optional() }).strict();

const followUpShape = {
  followUpId: idSchema,
  /** The outcome the salesperson wrote down (处理结果). */
  result: text(2000),
  channel: z.enum(['call', 'visit', 'email', 'message', 'meeting', 'other']).optional(),
  /** A date to follow up again; it puts the lead in that day's agenda. */
  nextFollowUpAt: instantSchema.nullable().optional(),
};

/** The schema of every lead command, discriminated by `type`. Unknown keys are refused. */
export const leadCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign'), ownerId: idSchema }).strict(),
  z.object({ type: z.literal('claim') }).strict(),
  z.object({ type: z.literal('followUp'), ...followUpShape }).strict(),
  z.object({ type: z.literal('markMql'), ...followUpShape }).strict(),
  z.object({ type: z.literal('markInvalid'), reason: text(2000) }).strict(),
  z.object({ type: z.literal('reopen') }).strict(),
  z.object({ type: z.literal('return'), reason: returnReasonInput, poolId: idSchema.optional() }).strict(),
  z.object({ type: z.literal('reclaim'), ruleId: idSchema.optional(), note: textSchema.max(2000).optional() }).strict(),
  z.object({ type: z.literal('transfer'), toPoolId: idSchema }).strict(),
  z
    .object({
      type: z.literal('convert'),
      customer: z.discriminatedUnion('kind', [
        z
          .object({
            kind: z.literal('new'),
            customerId: idSchema,
            /** The standard company name settled at conversion. */
            name: text(500),
            /** The tax id settled at conversion (default: the lead's); a mistyped credit code is refused. */
            taxId: taxIdInputSchema,
            /** The rep saw the customers the duplicate check offered and creates a new one anyway. */
            confirmNew: z.boolean().optional(),
          })
          .strict(),
        z.object({ kind: z.literal('existing'), customerId: idSchema }).strict(),
      ]),
      contact: z.object({ contactId: idSchema, name: text(500) }).strict().optional(),
      opportunity: z
        .object({
          opportunityId: idSchema,
          name: text(500),
          stageId: idSchema.optional(),
          expectedCloseDate: instantSchema.nullable().optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z.object({ type: z.literal('void'), reason: textSchema.max(2000).optional() }).strict(),
  z.object({ type: z.literal('restore') }).strict(),
  z.object({ type: z.literal('correctStage'), stage: z.enum(LEAD_STAGES), reason: text(2000) }).strict(),
  z.object({ type: z.literal('linkOpportunity'), opportunityId: idSchema }).strict(),
  z.object({ type: z.literal('changeOwner'), ownerId: idSchema }).strict(),
]);

/** A command on a lead (any operation but create). Instants may be `Date` or ISO strings. */
export type LeadCommandInput = z.input<typeof leadCommandSchema>;
/** A parsed command (instants are `Date`). */
export type LeadCommand = z.output<typeof leadCommandSchema>;
/** The command of one operation. */
export type LeadCommandOf<T extends LeadCommand['type']> = Extract<LeadCommand, { type: T }>;

/**
 * The context a rule decides in: the time (never read from a clock), the actor with the
 * relations the host resolved, the company's policy, and for a claim the pools' verdict.
 */
export interface LeadContext {
  readonly now: Date | string;
  readonly actor: ActorInput;
  /** The policy as stored, or one `parseLeadPolicy` returned (taken as it is, without a parse). */
  readonly policy?: LeadPolicyInput;
  /**
   * The seam for pool rules (quota, cooldown, claim limits): the verdict of the pools module
   * on whether this actor may claim from this pool now. A refusal is returned as is.
   */
  readonly poolCheck?: Result<unknown, CrmError>;
  /**
   * The seam for duplicate customers at conversion: the customers the host's duplicate check
   * found for the lead's company (by tax id, name, phone…). Converting into a new customer is
   * refused when one has the same tax id (`LEAD_CUSTOMER_EXISTS`, naming it), and while any is
   * offered unless the command confirms a new one (`LEAD_CUSTOMER_MAY_EXIST`).
   */
  readonly existingCustomers?: readonly ExistingCustomer[];
}

/** A customer the host's duplicate check found at conversion: its id, and its name and tax id where known. */
export interface ExistingCustomer {
  readonly customerId: string;
  readonly name?: string | null;
  readonly taxId?: string | null;
}

const existingCustomerSchema = z
  .object({ customerId: idSchema, name: textSchema.max(500).nullable().optional(), taxId: z.union([textSchema.max(200), z.null()]).optional() })
  .strict()
  .transform((c) => ({ customerId: c.customerId, name: c.name ?? null, taxId: c.taxId === undefined || c.taxId === null ? null : normalizeIdentifier(c.taxId) }));

/**
 * @internal
 * The pools' verdict as the lead rules take it: a success (its value is not read), or a refusal
 * with one of the library's codes, returned with its code and message and a copy of its details
 * made all the way down (`ownCopy`: plain data, Dates of their own, anything else described),
 * deep-frozen: the refusal holds nothing the gate or the caller still holds, and freezes
 * nothing of theirs.
 */
export const poolCheckSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }).transform(() => ({ ok: true as const, value: null })),
  z
    .object({
      ok: z.literal(false),
      error: z.object({ code: z.enum(ALL_ERROR_CODES as [ErrorCode, ...ErrorCode[]]), message: textSchema.max(10_000), details: z.record(textSchema, z.unknown()) }),
    })
    .transform((r) => ({ ok: false as const, error: deepFreeze({ code: r.error.code, message: r.error.message, details: ownCopy(r.error.details) }) })),
]);

/** The schema of a lead context. */
export const leadContextSchema = z
  .object({
    now: instantSchema,
    actor: actorSchema,
    policy: leadPolicySchema.optional(),
    poolCheck: poolCheckSchema.optional(),
    existingCustomers: z.array(existingCustomerSchema).max(1000).optional(),
  })
  .strict();

/** A parsed context. */
export type ParsedLeadContext = z.output<typeof leadContextSchema>;

/** The stage a conversion leaves the lead at. */
export function stageAfterConversion(hasOpportunity: boolean): LeadStage {
  return hasOpportunity ? 'opportunity' : 'sql';
}
