import { z } from 'zod';
import { conditionSchemaOn, type Comparison } from '../core/conditions.js';
import { attributeFieldSchema, idSchema, nameSchema, textSchema, timeZoneSchema } from '../core/validation.js';

/**
 * The lead fields a fit rule may read; any attribute is read as `attribute:<name>` (the same
 * words the metrics group by).
 */
export const SCORE_FIELDS = Object.freeze(['source', 'channel', 'quality', 'stage', 'status', 'poolId', 'ownerId', 'company', 'email', 'phone'] as const);
/** A lead field a fit rule reads: one of `SCORE_FIELDS`, or `attribute:<name>`. */
export type ScoreField = (typeof SCORE_FIELDS)[number] | `attribute:${string}`;

export { CONDITION_OPERATORS, type Comparison, type ConditionValue } from '../core/conditions.js';

const fieldSchema = z.union([z.enum(SCORE_FIELDS), attributeFieldSchema]);

/** A condition on the lead: the field read, and its comparison. */
export type FitCondition = { readonly field: ScoreField } & Comparison;
/** A condition on an event: the path in its `data` (names, outermost first), and its comparison. */
export type EventCondition = { readonly path: readonly string[] } & Comparison;

const fitConditionSchema = conditionSchemaOn<'field', typeof fieldSchema, FitCondition>('field', fieldSchema);
const eventConditionSchema = conditionSchemaOn<'path', z.ZodArray<typeof nameSchema>, EventCondition>('path', z.array(nameSchema).min(1).max(5));

/** Points a rule gives: a whole number from −1,000 to 1,000, not 0 (a negative rule takes points away). */
const pointsSchema = z
  .number()
  .int()
  .min(-1_000)
  .max(1_000)
  .refine((p) => p !== 0, { message: 'a rule gives points (not 0)' });

/**
 * How a behaviour's points fade with time, counted in whole calendar days of the model's zone
 * from the day of the event to the day of `now`: `halfLife` halves each event's points after each full `days`
 * (10 points, half-life 30: 10 for days 0–29, 5 for 30–59, 3 (2.5 rounded half away from zero)
 * for 60–89, …); `expires` counts them in full for `days` days, then not at all.
 */
export type ScoreDecay = { readonly kind: 'halfLife'; readonly days: number } | { readonly kind: 'expires'; readonly days: number };

const decaySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('halfLife'), days: z.number().int().min(1).max(3_650) }).strict(),
  z.object({ kind: z.literal('expires'), days: z.number().int().min(1).max(3_650) }).strict(),
]);

/** A fit rule: points once when every condition on the lead holds. */
export interface FitRule {
  readonly id: string;
  readonly kind: 'fit';
  /** Shown in reasons; null when none. */
  readonly label: string | null;
  readonly when: readonly FitCondition[];
  readonly points: number;
}

/**
 * A behaviour rule: points for each of the lead's events of one of `events`' types whose data
 * meets every `where` condition, faded by `decay`; the rule's total is at most `cap` points
 * away from 0 (null: no cap).
 */
export interface BehaviourRule {
  readonly id: string;
  readonly kind: 'behaviour';
  readonly label: string | null;
  readonly events: readonly string[];
  readonly where: readonly EventCondition[];
  readonly points: number;
  readonly cap: number | null;
  readonly decay: ScoreDecay | null;
}

/** A scoring rule. */
export type ScoreRule = FitRule | BehaviourRule;

/** A grade band: leads scoring at least `min` get `grade` (the last band may have no `min`: every score below the others). */
export interface GradeBand {
  readonly grade: string;
  readonly min: number | null;
}

/**
 * A scoring model, as data an admin edits: its rules, the grade bands (highest first), the
 * score at which a lead counts as marketing-qualified (null: never), and the zone its days are
 * counted in. `version` names this edit of the model: a stored score state of another version
 * is refused (`SCORE_MODEL_CHANGED`), so a changed model means a full rescore.
 */
export interface ScoringModel {
  readonly id: string;
  readonly version: number;
  readonly zone: string;
  readonly rules: readonly ScoreRule[];
  readonly grades: readonly GradeBand[];
  readonly mqlThreshold: number | null;
}

const labelSchema = textSchema.min(1).max(200).nullable().default(null);

const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ id: idSchema, kind: z.literal('fit'), label: labelSchema, when: z.array(fitConditionSchema).min(1).max(20), points: pointsSchema }).strict(),
  z
    .object({
      id: idSchema,
      kind: z.literal('behaviour'),
      label: labelSchema,
      events: z
        .array(textSchema.min(1).max(100))
        .min(1)
        .max(20)
        .refine((ts) => new Set(ts).size === ts.length, { message: 'an event type is listed twice' }),
      where: z.array(eventConditionSchema).max(20).default([]),
      points: pointsSchema,
      cap: z.number().int().min(1).max(100_000).nullable().default(null),
      decay: decaySchema.nullable().default(null),
    })
    .strict(),
]);

/**
 * The scoring model's schema (its input side: labels, `where`, `cap`, `decay` and
 * `mqlThreshold` may be left out).
 *
 * @example
 * scoringModelSchema.safeParse({ id: 'm', version: 1, zone: 'Asia/Shanghai', rules: [], grades: [{ grade: 'A' }] }).success // false: no rules
 */
export const scoringModelSchema = z
  .object({
    id: idSchema,
    version: z.number().int().min(1).max(1_000_000_000),
    zone: timeZoneSchema,
    rules: z
      .array(ruleSchema)
      .min(1)
      .max(200)
      .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, { message: 'a rule id is listed twice' }),
    grades: z
      .array(z.object({ grade: textSchema.min(1).max(20), min: z.number().int().min(-1_000_000).max(1_000_000).nullable().default(null) }).strict())
      .min(1)
      .max(20)
      .refine((gs) => new Set(gs.map((g) => g.grade)).size === gs.length, { message: 'a grade is listed twice' })
      .refine((gs) => gs.every((g, i) => (g.min === null ? i === gs.length - 1 : i === 0 || (gs[i - 1]!.min !== null && gs[i - 1]!.min! > g.min))), {
        message: 'grades go from the highest min down, each min below the one before; only the last may have no min',
      }),
    mqlThreshold: z.number().int().min(-1_000_000).max(1_000_000).nullable().default(null),
  })
  .strict();

/** A scoring model as written (the optional parts may be left out). */
export type ScoringModelInput = z.input<typeof scoringModelSchema>;
