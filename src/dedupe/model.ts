import { z } from 'zod';
import { idSchema, instantSchema } from '../core/validation.js';

/**
 * Duplicate detection (查重): records as the rules see them, and matching rule sets as data
 * (like Salesforce matching rules: groups of field conditions, AND inside a group, OR across).
 */

/** The objects duplicates are checked on. */
export const DEDUPE_OBJECTS = ['lead', 'customer', 'contact'] as const;
/** A checked object. */
export type DedupeObject = (typeof DEDUPE_OBJECTS)[number];

/** How a field is normalized before it is compared. */
export const FIELD_KINDS = ['company', 'phone', 'email', 'domain', 'personName', 'address', 'text'] as const;
/** A field kind. */
export type FieldKind = (typeof FIELD_KINDS)[number];

/** How two normalized values are compared. */
export const MATCH_METHODS = ['exact', 'levenshtein', 'jaroWinkler', 'tokenSet'] as const;
/** A comparison method. */
export type MatchMethod = (typeof MATCH_METHODS)[number];

/** A record's standing, which decides what a viewer may do about a duplicate. */
export const RECORD_STATES = ['active', 'converted', 'voided'] as const;
/** A record state. */
export type RecordState = (typeof RECORD_STATES)[number];

/**
 * A record as duplicate checks see it: its fields by name (values as entered), and what the
 * follow-up helpers need (owner, pool, state). Voided records are checked too.
 */
export interface DedupeRecord {
  readonly id: string;
  readonly object: DedupeObject;
  readonly state: RecordState;
  readonly ownerId: string | null;
  readonly poolId: string | null;
  readonly updatedAt: Date | null;
  readonly fields: Readonly<Record<string, string | null>>;
}

/** The schema of a record (strict; `state` defaults to active). */
export const dedupeRecordSchema = z
  .object({
    id: idSchema,
    object: z.enum(DEDUPE_OBJECTS),
    state: z.enum(RECORD_STATES).default('active'),
    ownerId: idSchema.nullable().default(null),
    poolId: idSchema.nullable().default(null),
    updatedAt: instantSchema.nullable().default(null),
    fields: z.record(z.string().min(1).max(100), z.string().max(5000).nullable()),
  })
  .strict();

/** A record as a host passes it (defaults may be omitted). */
export type DedupeRecordInput = z.input<typeof dedupeRecordSchema>;

/** The schema of one field condition. */
export const fieldConditionSchema = z
  .object({
    field: z.string().min(1).max(100),
    kind: z.enum(FIELD_KINDS),
    method: z.enum(MATCH_METHODS).default('exact'),
    /** For fuzzy methods: the similarity (0–1) from which values count as similar. */
    threshold: z.number().min(0).max(1).default(0.85),
    /** When either value is blank: the condition fails (`noMatch`, the default) or holds (`match`). */
    blank: z.enum(['noMatch', 'match']).default('noMatch'),
  })
  .strict();
/** One field condition. */
export type FieldCondition = z.output<typeof fieldConditionSchema>;

/** The schema of a matching rule set. */
export const ruleSetSchema = z
  .object({
    id: idSchema,
    object: z.enum(DEDUPE_OBJECTS),
    /** A record matches when any group matches; a group when all its conditions hold. */
    groups: z
      .array(z.object({ id: idSchema, conditions: z.array(fieldConditionSchema).min(1).max(20) }).strict())
      .min(1)
      .max(20),
    /** Weights of fields in the score (default 1 each). */
    weights: z.record(z.string(), z.number().min(0).max(100)).default({}),
    /** Region for phone numbers written without a country code. */
    defaultRegion: z.string().length(2).default('CN'),
  })
  .strict();
/** A rule set as a host stores it. */
export type RuleSetInput = z.input<typeof ruleSetSchema>;
/** A parsed rule set. */
export type RuleSet = z.output<typeof ruleSetSchema>;

/**
 * Default rule sets, from the Chinese CRMs' duplicate checks: a lead or a customer is a
 * duplicate on the same phone, the same email, or a company name that is the same or very
 * close (with the same web domain, or the same person); a contact on the same mobile or
 * email, or the same name at the same company.
 */
export const DEFAULT_RULE_SETS: Readonly<Record<DedupeObject, RuleSetInput>> = {
  lead: {
    id: 'default-lead',
    object: 'lead',
    groups: [
      { id: 'phone', conditions: [{ field: 'phone', kind: 'phone' }] },
      { id: 'email', conditions: [{ field: 'email', kind: 'email' }] },
      { id: 'company', conditions: [{ field: 'company', kind: 'company' }] },
      {
        id: 'company-similar-person',
        conditions: [
          { field: 'company', kind: 'company', method: 'levenshtein', threshold: 0.85 },
          { field: 'name', kind: 'personName' },
        ],
      },
    ],
    weights: { phone: 3, email: 3, company: 2, name: 1 },
  },
  customer: {
    id: 'default-customer',
    object: 'customer',
    groups: [
      { id: 'company', conditions: [{ field: 'company', kind: 'company' }] },
      { id: 'phone', conditions: [{ field: 'phone', kind: 'phone' }] },
      {
        id: 'company-similar-domain',
        conditions: [
          { field: 'company', kind: 'company', method: 'levenshtein', threshold: 0.8 },
          { field: 'website', kind: 'domain' },
        ],
      },
    ],
    weights: { company: 3, phone: 2, website: 2 },
  },
  contact: {
    id: 'default-contact',
    object: 'contact',
    groups: [
      { id: 'mobile', conditions: [{ field: 'mobile', kind: 'phone' }] },
      { id: 'email', conditions: [{ field: 'email', kind: 'email' }] },
      {
        id: 'name-company',
        conditions: [
          { field: 'name', kind: 'personName' },
          { field: 'company', kind: 'company', method: 'levenshtein', threshold: 0.85 },
        ],
      },
    ],
    weights: { mobile: 3, email: 3, name: 1, company: 1 },
  },
};
