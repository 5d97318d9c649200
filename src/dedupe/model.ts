import { z } from 'zod';
import { idSchema, instantSchema, namedRecordSchema, nameSchema, textSchema } from '../core/validation.js';

/**
 * Duplicate detection (查重): records as the rules see them, and matching rule sets as data
 * (like Salesforce matching rules: groups of field conditions, AND inside a group, OR across).
 */

/*
 * Text at the doors is the core's safe text (no NUL, no lone surrogate: what PostgreSQL cannot
 * store, and what would reach the blocking keys a host stores): field names are `nameSchema`
 * (1–100 characters, never `__proto__`), records of values keyed by field names
 * `namedRecordSchema` (a `__proto__` or symbol key refused with its path, never dropped), field
 * values and regions `textSchema` with their own lengths.
 */

/** The objects duplicates are checked on. */
export const DEDUPE_OBJECTS = ['lead', 'customer', 'contact'] as const;
/** A checked object. */
export type DedupeObject = (typeof DEDUPE_OBJECTS)[number];

/**
 * How a field is normalized before it is compared. `identifier` is a registration number such
 * as a tax id (统一社会信用代码): NFKC, upper case, spaces and punctuation removed. `date` is a
 * calendar date (YYYY-MM-DD, YYYY/M/D, 2026年5月1日, D.M.YYYY): a fuzzy method on it also accepts
 * a day/month swap and a year off by one.
 */
export const FIELD_KINDS = ['company', 'phone', 'email', 'domain', 'personName', 'address', 'text', 'identifier', 'date'] as const;
/** A field kind. */
export type FieldKind = (typeof FIELD_KINDS)[number];

/**
 * How two normalized values are compared. `personName` is Jaro–Winkler over the name and over
 * its words in sorted order, whichever is higher (a given/family swap is the same name).
 */
export const MATCH_METHODS = ['exact', 'levenshtein', 'jaroWinkler', 'tokenSet', 'personName'] as const;
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
    fields: namedRecordSchema(textSchema.max(5000).nullable()),
  })
  .strict();

/** A record as a host passes it (defaults may be omitted). */
export type DedupeRecordInput = z.input<typeof dedupeRecordSchema>;

/** The schema of one field condition. */
export const fieldConditionSchema = z
  .object({
    field: nameSchema,
    kind: z.enum(FIELD_KINDS),
    method: z.enum(MATCH_METHODS).default('exact'),
    /** For fuzzy methods: the similarity (0–1) from which values count as similar. */
    threshold: z.number().min(0).max(1).default(0.85),
    /** When either value is blank: the condition fails (`noMatch`, the default) or passes (`match`). */
    blank: z.enum(['noMatch', 'match']).default('noMatch'),
    /**
     * A value shared by more than this many records is common (a switchboard, a shared mailbox,
     * a generic name): agreeing on it is weak evidence that never makes a group hold on its own.
     * Counted over the data being clustered, or over the candidates the store returns for the
     * key. Unset: never common.
     */
    commonAbove: z.number().int().min(1).max(1_000_000).optional(),
    /**
     * Scored groups only (Fellegi–Sunter): the probability that two records of one person or
     * company agree on this condition. Default 0.9 — a starting point; `estimateWeights` fits it
     * to the host's data.
     */
    m: z.number().gt(0).lt(1).optional(),
    /**
     * Scored groups only: the probability that two records of different persons or companies
     * agree on it by chance. Default 0.01; `estimateWeights` measures it on random pairs.
     */
    u: z.number().gt(0).lt(1).optional(),
  })
  .strict();
/** One field condition. */
export type FieldCondition = z.output<typeof fieldConditionSchema>;

/** The most key combinations one group may ask for (k-of-n groups make one per subset). */
export const MAX_KEY_COMBINATIONS = 64;

const binomial = (n: number, k: number): number => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
};

/**
 * How many of a group's conditions must pass, how many must agree on real values, and which
 * conditions its keys combine, by number: the rules of a group in one place (the matcher and the
 * keys read them from here).
 */
export function groupShape(conditions: readonly { readonly blank: 'noMatch' | 'match' }[], atLeast: number | undefined, minAgreeing: number | undefined): {
  readonly need: number;
  readonly minAgreeing: number;
  /** Conditions failing on blanks that agree in every pair the group holds for (0: key on agreeing subsets instead). */
  readonly mustAgree: number;
  readonly keySubsetSize: number;
  readonly keyFromFailing: boolean;
} {
  const n = conditions.length;
  const need = Math.min(atLeast ?? n, n);
  const strict = conditions.filter((c) => c.blank === 'noMatch').length;
  const min = Math.min(minAgreeing ?? Math.max(1, Math.ceil(need / 2)), need);
  const mustAgree = strict - (n - need);
  return mustAgree >= 1
    ? { need, minAgreeing: min, mustAgree, keySubsetSize: mustAgree, keyFromFailing: true }
    : { need, minAgreeing: min, mustAgree: 0, keySubsetSize: min, keyFromFailing: false };
}

/** The `m` of a scored condition when the host gives none. */
export const DEFAULT_M = 0.9;
/** The `u` of a scored condition when the host gives none. */
export const DEFAULT_U = 0.01;

/**
 * The weights of a scored condition (m and u already validated) in bits (log2 Bayes factors): what agreeing adds,
 * what disagreeing adds (negative); a blank adds nothing.
 *
 * @example
 * conditionWeights({ m: 0.9, u: 0.01 }) // { agree: 6.49…, disagree: -3.31… }
 * @internal
 */
export function conditionWeights(c: { readonly m?: number | undefined; readonly u?: number | undefined }): { readonly agree: number; readonly disagree: number } {
  const m = c.m ?? DEFAULT_M;
  const u = c.u ?? DEFAULT_U;
  return { agree: Math.log2(m / u), disagree: Math.log2((1 - m) / (1 - u)) };
}

/**
 * The smallest sets of conditions (by index) whose agreement weights alone reach `threshold`,
 * none containing another: a pair a scored group holds for agrees on every condition of one of
 * them (blanks add nothing, disagreements and common values only take away), so their combined
 * keys are the group's keys. Null when there are more than `cap`.
 *
 * @internal
 */
export function minimalWeightSets(agree: readonly number[], threshold: number, cap: number): number[][] | null {
  let visits = 0;
  const order = agree.map((_, i) => i).sort((x, y) => agree[y]! - agree[x]! || x - y);
  const suffix = new Array<number>(order.length + 1).fill(0);
  for (let i = order.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + Math.max(0, agree[order[i]!]!);
  const out: number[][] = [];
  const pick: number[] = [];
  let overflow = false;
  const walk = (from: number, sum: number): void => {
    // A search that long has more sets than any group may ask for.
    if (overflow || ++visits > 1_000_000) {
      overflow = true;
      return;
    }
    if (sum >= threshold) {
      // Minimal: dropping any picked condition falls below the threshold.
      if (pick.every((i) => sum - agree[i]! < threshold)) {
        if (out.length === cap) overflow = true;
        else out.push(pick.slice().sort((x, y) => x - y));
      }
      return;
    }
    if (sum + suffix[from]! < threshold) return;
    for (let k = from; k < order.length; k++) {
      const i = order[k]!;
      if (agree[i]! <= 0) break;
      pick.push(i);
      walk(k + 1, sum + agree[i]!);
      pick.pop();
    }
  };
  walk(0, 0);
  return overflow ? null : out;
}

/** The schema of a group of conditions. */
export const conditionGroupSchema = z
  .object({
    id: idSchema,
    conditions: z.array(fieldConditionSchema).min(1).max(20),
    /**
     * k of n: the group holds when at least this many conditions pass (default: all of them).
     */
    atLeast: z.number().int().min(1).max(20).optional(),
    /**
     * How many conditions must agree on real, non-common values (not pass by a blank, not agree
     * on a common value). Default: half of the conditions that must pass, rounded up — so a
     * near-empty record cannot match on blanks alone.
     */
    minAgreeing: z.number().int().min(1).max(20).optional(),
    /**
     * A scored group (Fellegi–Sunter): each condition adds its agreement weight
     * log2(m/u) when it agrees, its disagreement weight log2((1−m)/(1−u)) when it fails on two
     * present values, nothing on a blank; the group holds when the sum reaches `threshold` (in
     * bits: 10 means the records are 2^10 times likelier to be one person than two, before any
     * prior). Agreement on a common value (more records share it than the condition's
     * `commonAbove`) loses one bit per doubling past it — a term-frequency adjustment.
     */
    score: z.object({ threshold: z.number().min(0).max(500) }).strict().optional(),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.score !== undefined) {
      if (g.atLeast !== undefined || g.minAgreeing !== undefined) ctx.addIssue({ code: 'custom', path: ['score'], message: 'a scored group takes a threshold, not atLeast or minAgreeing' });
      g.conditions.forEach((c, ci) => {
        if (c.blank === 'match') ctx.addIssue({ code: 'custom', path: ['conditions', ci, 'blank'], message: 'in a scored group a blank adds nothing: blank must stay noMatch' });
        if ((c.m ?? DEFAULT_M) <= (c.u ?? DEFAULT_U)) ctx.addIssue({ code: 'custom', path: ['conditions', ci, 'm'], message: 'm must be above u: agreeing must be evidence for a duplicate' });
      });
      const agree = g.conditions.map((c) => conditionWeights(c).agree);
      if (agree.reduce((x, y) => x + y, 0) < g.score.threshold) ctx.addIssue({ code: 'custom', path: ['score', 'threshold'], message: 'no agreement reaches this threshold: the group could never hold' });
      else if (minimalWeightSets(agree, g.score.threshold, MAX_KEY_COMBINATIONS) === null) ctx.addIssue({ code: 'custom', path: ['score', 'threshold'], message: `this scored group needs more than ${MAX_KEY_COMBINATIONS} key combinations; raise the threshold or split the group` });
      return;
    }
    g.conditions.forEach((c, ci) => {
      if (c.m !== undefined || c.u !== undefined) ctx.addIssue({ code: 'custom', path: ['conditions', ci, c.m !== undefined ? 'm' : 'u'], message: 'm and u weigh conditions of scored groups only' });
    });
    const shape = groupShape(g.conditions, g.atLeast, g.minAgreeing);
    const pool = shape.keyFromFailing ? g.conditions.filter((c) => c.blank === 'noMatch').length : g.conditions.length;
    if (binomial(pool, shape.keySubsetSize) > MAX_KEY_COMBINATIONS) {
      ctx.addIssue({ code: 'custom', path: ['atLeast'], message: `this k-of-n group needs more than ${MAX_KEY_COMBINATIONS} key combinations; raise atLeast or minAgreeing, or split the group` });
    }
  });
/** A group as a host writes it. */
export type ConditionGroupInput = z.input<typeof conditionGroupSchema>;

/** The schema of a matching rule set. */
export const ruleSetSchema = z
  .object({
    id: idSchema,
    object: z.enum(DEDUPE_OBJECTS),
    /** A record is a duplicate when any group holds. */
    groups: z.array(conditionGroupSchema).min(1).max(20),
    /**
     * Groups that mean "the same account, another person" (撞单: tell the rep who already works
     * this company) when no duplicate group holds. Never a duplicate, never clustered or merged.
     */
    sameAccount: z.array(conditionGroupSchema).max(20).default([]),
    /** Weights of fields in the score (default 1 each). */
    weights: namedRecordSchema(z.number().min(0).max(100)).default({}),
    /** Region for phone numbers written without a country code. */
    defaultRegion: textSchema.length(2).default('CN'),
    /**
     * A field holding the record's own country (ISO 3166 alpha-2, e.g. `US`, `GB`, `JP`): its
     * phones are read with that region instead of `defaultRegion`.
     */
    countryField: nameSchema.optional(),
  })
  .strict()
  .superRefine((rs, ctx) => {
    // A field is normalized once, so every condition must read it as the same kind.
    const kinds = new Map<string, string>();
    const check = (groups: readonly { readonly conditions: readonly { readonly field: string; readonly kind: string }[] }[], at: 'groups' | 'sameAccount') =>
      groups.forEach((g, gi) =>
        g.conditions.forEach((c, ci) => {
          const first = kinds.get(c.field);
          if (first === undefined) kinds.set(c.field, c.kind);
          else if (first !== c.kind) {
            ctx.addIssue({ code: 'custom', path: [at, gi, 'conditions', ci, 'kind'], message: `field "${c.field}" is read as ${first} elsewhere in the rule set: one field, one kind` });
          }
        }),
      );
    check(rs.groups, 'groups');
    check(rs.sameAccount, 'sameAccount');
  });
/** A rule set as a host stores it. */
export type RuleSetInput = z.input<typeof ruleSetSchema>;
/** A parsed rule set. */
export type RuleSet = z.output<typeof ruleSetSchema>;

/**
 * Types a matching rule set kept in a `const`: `const rules = defineRuleSet({ … })` keeps its
 * object, field kinds and methods the literal names `RuleSetInput` takes (a plain object literal
 * widens them to `string`, and then no matcher takes it), and a misspelt key is a compile
 * error. An identity: it returns its argument as it is — not validated (every door parses it
 * when it is used), not copied, not frozen — and never throws.
 *
 * @example
 * const rules = defineRuleSet({ id: 'lead-phone', object: 'lead', groups: [{ id: 'same-phone', conditions: [{ field: 'phone', kind: 'phone' }] }] });
 * blockingKeys(record, rules);
 */
export function defineRuleSet(ruleSet: RuleSetInput): RuleSetInput {
  return ruleSet;
}

/**
 * A person's own phone or email, shared by at most 5 records, while the names do not disagree
 * (a missing name passes): the group the lead and contact defaults share.
 */
function personContactGroup(id: string, field: string, kind: 'phone' | 'email'): ConditionGroupInput {
  return {
    id,
    conditions: [
      { field, kind, commonAbove: 5 },
      { field: 'name', kind: 'personName', method: 'personName', threshold: 0.85, blank: 'match' },
    ],
  };
}

/**
 * Default rule sets, chosen as a careful host would (each group's reason is in the README):
 *
 * - **lead / contact**: a duplicate is the same person. The same phone or mobile, or the same
 *   email — role addresses (info@, sales@…) and placeholder numbers never count, and a number or
 *   address more than 5 records share (a switchboard, a family mailbox) is weak evidence — while
 *   the names do not disagree (a missing name passes, a different one does not); the same
 *   company with the same person; a similar company name (a typo) with the same person whose
 *   phone and email do not disagree (one letter apart with a common name — Loro / Lopol
 *   Logistics, both with a John Brown — is two companies); the same tax id (a company's) with
 *   the same person's name. A company name alone is never a
 *   duplicate: the same company with another person is `sameAccount` (撞单), reported apart and
 *   never merged. Salesforce's standard lead and contact rules likewise never match on the
 *   company alone.
 * - **customer**: a duplicate is the same company: the same tax id; the same name (region
 *   included) whose tax ids do not disagree; the same phone with a company name that does not
 *   disagree; a close name with the same web domain.
 */
export const DEFAULT_RULE_SETS: Readonly<Record<DedupeObject, RuleSetInput>> = {
  lead: {
    id: 'default-lead',
    object: 'lead',
    groups: [
      personContactGroup('phone', 'phone', 'phone'),
      personContactGroup('email', 'email', 'email'),
      {
        id: 'company-person',
        conditions: [
          { field: 'company', kind: 'company' },
          { field: 'name', kind: 'personName', method: 'personName', threshold: 0.85 },
        ],
      },
      {
        id: 'similar-company-person',
        conditions: [
          { field: 'company', kind: 'company', method: 'levenshtein', threshold: 0.85 },
          { field: 'name', kind: 'personName' },
          { field: 'phone', kind: 'phone', blank: 'match' },
          { field: 'email', kind: 'email', blank: 'match' },
        ],
      },
      {
        id: 'tax-id-person',
        conditions: [
          { field: 'taxId', kind: 'identifier' },
          { field: 'name', kind: 'personName', method: 'personName', threshold: 0.85 },
        ],
      },
    ],
    sameAccount: [
      { id: 'same-company', conditions: [{ field: 'company', kind: 'company' }] },
      { id: 'same-tax-id', conditions: [{ field: 'taxId', kind: 'identifier' }] },
    ],
    weights: { phone: 3, email: 3, taxId: 3, company: 2, name: 1 },
    countryField: 'country',
  },
  customer: {
    id: 'default-customer',
    object: 'customer',
    groups: [
      { id: 'tax-id', conditions: [{ field: 'taxId', kind: 'identifier' }] },
      {
        id: 'company',
        conditions: [
          { field: 'company', kind: 'company' },
          { field: 'taxId', kind: 'identifier', blank: 'match' },
        ],
      },
      {
        id: 'phone',
        conditions: [
          { field: 'phone', kind: 'phone', commonAbove: 5 },
          { field: 'company', kind: 'company', method: 'levenshtein', threshold: 0.8, blank: 'match' },
        ],
      },
      {
        id: 'company-similar-domain',
        conditions: [
          { field: 'company', kind: 'company', method: 'levenshtein', threshold: 0.8 },
          { field: 'website', kind: 'domain' },
          { field: 'taxId', kind: 'identifier', blank: 'match' },
        ],
      },
    ],
    weights: { taxId: 3, company: 3, phone: 2, website: 2 },
    countryField: 'country',
  },
  contact: {
    id: 'default-contact',
    object: 'contact',
    groups: [
      personContactGroup('mobile', 'mobile', 'phone'),
      personContactGroup('email', 'email', 'email'),
      {
        id: 'name-company',
        conditions: [
          { field: 'name', kind: 'personName' },
          { field: 'company', kind: 'company' },
        ],
      },
      {
        id: 'name-similar-company',
        conditions: [
          { field: 'name', kind: 'personName' },
          { field: 'company', kind: 'company', method: 'levenshtein', threshold: 0.85 },
          { field: 'mobile', kind: 'phone', blank: 'match' },
          { field: 'email', kind: 'email', blank: 'match' },
        ],
      },
    ],
    sameAccount: [{ id: 'same-company', conditions: [{ field: 'company', kind: 'company' }] }],
    weights: { mobile: 3, email: 3, name: 1, company: 1 },
    countryField: 'country',
  },
};
