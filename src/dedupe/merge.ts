import { z } from 'zod';
import { opportunityNameKey } from '../core/name-keys.js';
import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, freezeBuilt, namedRecordSchema, parseInput, parseIterable, textSchema } from '../core/validation.js';
import { type DedupeHooks, compileRuleSet, conflictingFields, hookShape, isDuplicateValues, prepareValues } from './match.js';
import { dedupeRecordSchema, DEFAULT_RULE_SETS, ruleSetSchema, type DedupeObject, type DedupeRecord, type RecordState, type RuleSet } from './model.js';

/* ------------------------------------------------------------------ merge plans */

/** How a merged field's value is chosen. */
export const SURVIVORSHIP_RULES = ['mostRecent', 'mostComplete', 'survivor', 'concatenate', 'union'] as const;
/** A survivorship rule. */
export type SurvivorshipRule = (typeof SURVIVORSHIP_RULES)[number];

/** The merged value of one field and where it came from. */
export interface MergedField {
  readonly value: string | null;
  /** The records the value came from. */
  readonly from: readonly string[];
  readonly rule: SurvivorshipRule;
}

/** A non-empty value that is not in the merged record, and why. */
export interface DroppedValue {
  readonly recordId: string;
  readonly field: string;
  readonly reason: 'superseded';
  /** The record whose value was kept instead. */
  readonly keptFrom: string;
}

/** What merging a group of duplicates gives: the survivor, each field, and the redirects. */
export interface MergePlan {
  readonly survivorId: string;
  readonly ownerId: string | null;
  readonly fields: Readonly<Record<string, MergedField>>;
  readonly dropped: readonly DroppedValue[];
  /** Every merged id → the survivor's id, for links and old URLs. */
  readonly redirects: Readonly<Record<string, string>>;
}

const mergeOptionsSchema = z
  .object({
    /** A rule per field; others use `default`. */
    rules: namedRecordSchema(z.enum(SURVIVORSHIP_RULES)).default({}),
    default: z.enum(SURVIVORSHIP_RULES).default('mostRecent'),
    /** The largest group planned at once (default 10); a larger one goes to review. */
    maxRecords: z.number().int().min(2).max(10_000).default(10),
    /**
     * The rule set whose matches make a group coherent and whose guards (names that must not
     * differ, tax ids) refuse a merge. Default: the records' object's default rule set.
     */
    ruleSet: ruleSetSchema.optional(),
    /** A person reviewed the group: it need not be connected by matches (conflicts still refuse). */
    reviewed: z.boolean().default(false),
    /** Romanizes Han names so they meet names typed in pinyin (see `DedupeHooks`). */
    ...hookShape,
  })
  .strict()
  .default({ rules: {}, default: 'mostRecent', maxRecords: 10, reviewed: false });

/** Options of a merge plan. @useDeclaredType */
export type MergeOptions = z.input<typeof mergeOptionsSchema>;

const STATE_RANK: Readonly<Record<RecordState, number>> = { converted: 0, active: 1, voided: 2 };

const isBlank = (v: string | null | undefined): v is null | undefined => v === null || v === undefined || v.trim() === '';
const filled = (r: DedupeRecord) => Object.values(r.fields).filter((v) => !isBlank(v)).length;
const time = (r: DedupeRecord) => r.updatedAt?.getTime() ?? Number.NEGATIVE_INFINITY;

/**
 * The survivor of a group: not voided, a converted record over a raw lead, then the most
 * complete, then the most recently updated, then the smallest id (so the answer is stable).
 */
function compareSurvivor(a: DedupeRecord, b: DedupeRecord): number {
  return (
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    filled(b) - filled(a) ||
    time(b) - time(a) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Splits a tag list on the usual separators (comma, semicolon, 、, |, newline). */
function tags(v: string): string[] {
  return v
    .split(/[,;，；、|\n]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

function mergeField(field: string, rule: SurvivorshipRule, ordered: readonly DedupeRecord[], survivor: DedupeRecord): { merged: MergedField; dropped: DroppedValue[] } {
  const withValue = ordered.filter((r) => !isBlank(r.fields[field]));
  const dropRest = (keptFrom: string, keep: (r: DedupeRecord) => boolean): DroppedValue[] =>
    withValue.filter((r) => !keep(r)).map((r) => ({ recordId: r.id, field, reason: 'superseded' as const, keptFrom }));
  if (withValue.length === 0) return { merged: { value: null, from: [], rule }, dropped: [] };
  switch (rule) {
    case 'concatenate': {
      const seen = new Set<string>();
      const parts: string[] = [];
      const from: string[] = [];
      for (const r of withValue) {
        const v = r.fields[field]!.trim();
        if (!seen.has(v)) {
          seen.add(v);
          parts.push(v);
          from.push(r.id);
        } else from.push(r.id);
      }
      return { merged: { value: parts.join('\n'), from, rule }, dropped: [] };
    }
    case 'union': {
      const all = new Set<string>();
      for (const r of withValue) for (const t of tags(r.fields[field]!)) all.add(t);
      return { merged: { value: [...all].sort().join(', '), from: withValue.map((r) => r.id), rule }, dropped: [] };
    }
    case 'survivor': {
      const source = !isBlank(survivor.fields[field]) ? survivor : withValue[0]!;
      const value = source.fields[field]!;
      return { merged: { value, from: [source.id], rule }, dropped: dropRest(source.id, (r) => r.fields[field] === value) };
    }
    case 'mostComplete': {
      const source = [...withValue].sort((a, b) => [...b.fields[field]!.trim()].length - [...a.fields[field]!.trim()].length || compareSurvivor(a, b))[0]!;
      const value = source.fields[field]!;
      return { merged: { value, from: [source.id], rule }, dropped: dropRest(source.id, (r) => r.fields[field] === value) };
    }
    case 'mostRecent': {
      const source = [...withValue].sort((a, b) => time(b) - time(a) || compareSurvivor(a, b))[0]!;
      const value = source.fields[field]!;
      return { merged: { value, from: [source.id], rule }, dropped: dropRest(source.id, (r) => r.fields[field] === value) };
    }
  }
}

/**
 * Plans the merge of a group of duplicates: the survivor (not voided, converted over a raw
 * lead, most complete, newest), each field's value by its survivorship rule (most recent
 * non-empty by default; most complete; the survivor's; notes concatenated; tags united), the
 * survivor's owner, and the redirect map. Every non-empty value is either in the result or in
 * `dropped` with the record whose value was kept instead.
 *
 * A merge destroys data, so a doubtful group is refused, not planned: more records than
 * `maxRecords` (`DEDUPE_MERGE_TOO_LARGE`); two records that conflict (`DEDUPE_MERGE_CONFLICT`,
 * naming the records and the fields, never the values) — two different tax ids or dates of
 * birth always, and, unless a person `reviewed` the group, two records that are not duplicates
 * and name two different people or companies, or differ where a group asks values not to (two
 * phones beside a similar company and the same name); and, unless `reviewed`,
 * records that no chain of matches under the rule set joins to the survivor
 * (`DEDUPE_MERGE_NOT_COHERENT`).
 * Values are not counted here: a common value (`commonAbove`) counts as a match.
 *
 * @example
 * planMerge([a, b, c], { rules: { notes: 'concatenate', tags: 'union', ownerNote: 'survivor' } })
 */
export function planMerge(records: Iterable<unknown>, options: MergeOptions = {}): Result<MergePlan, CrmError> {
  const list = parseIterable(records, ['records']);
  if (!list.ok) return list;
  const parsed = parseInput(z.array(dedupeRecordSchema).min(2), list.value, ['records']);
  if (!parsed.ok) return parsed;
  const ids = new Set(parsed.value.map((r) => r.id));
  if (ids.size !== parsed.value.length) return refuse('DEDUPE_MERGE_DUPLICATE_IDS', { ids: parsed.value.map((r) => r.id) });
  const objects = new Set(parsed.value.map((r) => r.object));
  if (objects.size > 1) return refuse('DEDUPE_MERGE_MIXED_OBJECTS', { objects: [...objects].sort() });
  const opts = parseInput(mergeOptionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const group = parsed.value;
  if (group.length > opts.value.maxRecords) return refuse('DEDUPE_MERGE_TOO_LARGE', { records: group.length, maxRecords: opts.value.maxRecords });
  const ordered = [...group].sort(compareSurvivor);
  const survivor = ordered[0]!;
  const doubt = mergeDoubt(ordered, opts.value.ruleSet ?? defaultRuleSet(survivor.object), opts.value.reviewed, opts.value);
  if (doubt !== null) return doubt;
  const fieldNames = [...new Set(ordered.flatMap((r) => Object.keys(r.fields)))].sort();
  // Keyed by field names and ids: objects without a prototype, so no name is special.
  const fields: Record<string, MergedField> = Object.create(null) as Record<string, MergedField>;
  const dropped: DroppedValue[] = [];
  for (const field of fieldNames) {
    const rule = Object.prototype.hasOwnProperty.call(opts.value.rules, field) ? opts.value.rules[field]! : opts.value.default;
    const result = mergeField(field, rule, ordered, survivor);
    fields[field] = result.merged;
    dropped.push(...result.dropped);
  }
  const redirects: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const r of ordered) if (r.id !== survivor.id) redirects[r.id] = survivor.id;
  return ok(freezeBuilt({ survivorId: survivor.id, ownerId: survivor.ownerId, fields, dropped, redirects }));
}

/** The default rule sets, parsed once (their compiled form is memoized per parsed object). */
const parsedDefaults = new Map<DedupeObject, RuleSet>();
function defaultRuleSet(object: DedupeObject): RuleSet {
  let rs = parsedDefaults.get(object);
  if (rs === undefined) parsedDefaults.set(object, (rs = ruleSetSchema.parse(DEFAULT_RULE_SETS[object])));
  return rs;
}

/**
 * Why a group should not merge, or null: a conflicting pair (the first by survivor order), or
 * records no chain of matches joins to the survivor (unless reviewed).
 */
function mergeDoubt(ordered: readonly DedupeRecord[], ruleSet: RuleSet, reviewed: boolean, hooks: DedupeHooks): Result<never, CrmError> | null {
  const c = compileRuleSet(ruleSet);
  const values = ordered.map((r) => prepareValues(r.fields, c, hooks));
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const fields = conflictingFields(values[i]!, values[j]!, c, reviewed);
      if (fields.length > 0) return refuse('DEDUPE_MERGE_CONFLICT', { recordIds: [ordered[i]!.id, ordered[j]!.id], fields });
    }
  }
  if (reviewed) return null;
  const reached = new Set<number>([0]);
  const queue = [0];
  while (queue.length > 0) {
    const i = queue.pop()!;
    for (let j = 0; j < ordered.length; j++) {
      if (!reached.has(j) && isDuplicateValues(values[i]!, values[j]!, c)) {
        reached.add(j);
        queue.push(j);
      }
    }
  }
  if (reached.size === ordered.length) return null;
  return refuse('DEDUPE_MERGE_NOT_COHERENT', { recordIds: ordered.filter((_, i) => !reached.has(i)).map((r) => r.id), survivorId: ordered[0]!.id });
}

/* ------------------------------------------------------------------ what a viewer may do */

/** What a viewer may do about a duplicate found at entry (the seed's choices). */
export const DUPLICATE_ACTIONS = ['claim', 'view', 'merge', 'askAdmin'] as const;
/** A duplicate action. */
export type DuplicateAction = (typeof DUPLICATE_ACTIONS)[number];

/** What the host knows of the viewer and the existing record. */
export interface DuplicateContext {
  readonly candidate: { readonly state: RecordState; readonly ownerId: string | null; readonly poolId: string | null };
  readonly viewer: {
    readonly id: string;
    /** May the viewer claim from the candidate's pool (a pool member, in a claim pool)? */
    readonly mayClaimFromPool: boolean;
    /** Does the viewer have access to the candidate (owner, team, superior, shared)? */
    readonly hasAccess: boolean;
    /** May the viewer merge records (an admin, or by the company's rules)? */
    readonly mayMerge: boolean;
  };
}

const duplicateContextSchema = z
  .object({
    candidate: z.object({ state: z.enum(['active', 'converted', 'voided']), ownerId: idSchema.nullable(), poolId: idSchema.nullable() }).strict(),
    viewer: z.object({ id: idSchema, mayClaimFromPool: z.boolean(), hasAccess: z.boolean(), mayMerge: z.boolean() }).strict(),
  })
  .strict();

/**
 * The choices a duplicate prompt offers, best first: claim it (in a pool, unowned, the
 * viewer may claim), view it (the viewer has access), merge (the viewer has access and may
 * merge), or ask an admin (a voided record, one with no owner outside any pool, or nothing else
 * applies).
 *
 * @example
 * duplicateActions({ candidate: { state: 'active', ownerId: null, poolId: 'p' }, viewer: { id: 'u', mayClaimFromPool: true, hasAccess: false, mayMerge: false } })
 * // ok: ['claim']
 */
export function duplicateActions(context: DuplicateContext): Result<readonly DuplicateAction[], CrmError> {
  const c = parseInput(duplicateContextSchema, context, ['context']);
  if (!c.ok) return c;
  const { candidate, viewer } = c.value;
  if (candidate.state === 'voided') return ok(Object.freeze(['askAdmin']));
  const actions: DuplicateAction[] = [];
  if (candidate.ownerId === null && candidate.poolId !== null && viewer.mayClaimFromPool) actions.push('claim');
  if (viewer.hasAccess) actions.push('view');
  if (viewer.hasAccess && viewer.mayMerge) actions.push('merge');
  if (actions.length === 0 || (candidate.ownerId === null && candidate.poolId === null)) actions.push('askAdmin');
  return ok(Object.freeze(actions));
}

/* ------------------------------------------------------------------ opportunities */

export { opportunityNameKey };

const opportunityCheckSchema = z
  .object({
    customerId: idSchema,
    name: textSchema.min(1).max(500),
    existing: z.array(z.object({ id: idSchema, customerId: idSchema, name: textSchema.max(500) }).passthrough()).max(100_000),
  })
  .strict();

/**
 * Refuses an opportunity whose normalized name already exists under the same customer
 * (`DEDUPE_OPPORTUNITY_EXISTS`, naming the existing one), so two reps do not chase one project.
 *
 * @example
 * checkOpportunityName({ customerId: 'C1', name: 'CRM 采购', existing: [{ id: 'O1', customerId: 'C1', name: 'crm采购' }] })
 * // { ok: false, error: { code: 'DEDUPE_OPPORTUNITY_EXISTS', details: { opportunityId: 'O1', ... } } }
 */
export function checkOpportunityName(input: { customerId: string; name: string; existing: readonly { id: string; customerId: string; name: string }[] }): Result<true, CrmError> {
  const i = parseInput(opportunityCheckSchema, input, ['input']);
  if (!i.ok) return i;
  const key = opportunityNameKey(i.value.name);
  const clash = i.value.existing.find((o) => o.customerId === i.value.customerId && opportunityNameKey(o.name) === key);
  return clash ? refuse('DEDUPE_OPPORTUNITY_EXISTS', { opportunityId: clash.id, customerId: i.value.customerId }) : ok(true);
}
