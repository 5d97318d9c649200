import { z } from 'zod';
import { isSafeText, textSchema } from './validation.js';

/*
 * Conditions on a record's fields, as data (internal): the comparisons a scoring rule and a
 * routing rule make, read one way — a value is a string of safe text, a finite number or a
 * boolean; absent, null and '' are missing; fields and attributes are own data properties,
 * read once (a getter is refused, never called).
 */

/** How a condition compares: the value is one of / none of the rule's values, present, absent, or a number at least / at most / between (inclusive). */
export const CONDITION_OPERATORS = Object.freeze(['in', 'notIn', 'exists', 'missing', 'atLeast', 'atMost', 'between'] as const);

/** A value a condition compares with: a string, a finite number or a boolean. */
export type ConditionValue = string | number | boolean;

/** A comparison: its operator and what it compares with. */
export type Comparison =
  | { readonly op: 'in' | 'notIn'; readonly values: readonly ConditionValue[] }
  | { readonly op: 'exists' | 'missing' }
  | { readonly op: 'atLeast' | 'atMost'; readonly value: number }
  | { readonly op: 'between'; readonly min: number; readonly max: number };

const conditionValueSchema = z.union([textSchema.max(1_000), z.number().finite(), z.boolean()]);
const numberSchema = z.number().finite();

/** The comparison part of a condition, one object shape per operator family. */
const COMPARISON_SHAPES = [
  z.object({ op: z.enum(['in', 'notIn']), values: z.array(conditionValueSchema).min(1).max(100) }),
  z.object({ op: z.enum(['exists', 'missing']) }),
  z.object({ op: z.enum(['atLeast', 'atMost']), value: numberSchema }),
  z.object({ op: z.literal('between'), min: numberSchema, max: numberSchema }),
] as const;

const betweenInOrder = (c: { op: string; min?: number; max?: number }): boolean => c.op !== 'between' || c.min! <= c.max!;
const BETWEEN_ORDER = { message: 'min is at most max', path: ['max'] };

/**
 * The schema of a condition: `{ <key>: …, op, … }` — the key naming what is read (a `field`, an
 * event's `path`) with its own schema — one object shape per operator, `between` with its min at
 * most its max (internal).
 *
 * @internal
 * @example
 * const schema = conditionSchemaOn('field', z.enum(['channel']));
 */
export function conditionSchemaOn<K extends string, S extends z.ZodType, T>(key: K, schema: S): z.ZodType<T> {
  return z
    .discriminatedUnion('op', [...COMPARISON_SHAPES.map((s) => s.extend({ [key]: schema } as Record<K, S>).strict())] as never)
    .refine(betweenInOrder, BETWEEN_ORDER) as unknown as z.ZodType<T>;
}

/** Why a value does not read: where, and what (a class of its own, so no data a caller gives can pass for one). */
export class ConditionRefusal {
  constructor(
    readonly path: readonly (string | number)[],
    readonly message: string,
  ) {}
}

/** A value present but no scalar (an object, an array at an event's data path): it meets `exists` and `notIn`, nothing else. */
export const NOT_SCALAR: unique symbol = Symbol('not a scalar');
/** A value as conditions read it: a scalar, missing (undefined), or present but no scalar. */
export type ConditionRead = ConditionValue | undefined | typeof NOT_SCALAR;

/** The longest text a condition compares (longer is refused, as the leads' attributes). */
export const MAX_CONDITION_TEXT = 10_000;

/** A value as a condition compares it: a string (safe text), a finite number, a boolean; undefined when absent (null, undefined or ''); a refusal when it is something else. */
export function comparable(raw: unknown, path: readonly (string | number)[]): ConditionValue | undefined | ConditionRefusal {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw + 0 : new ConditionRefusal(path, 'expected a finite number');
  if (typeof raw === 'string') return raw.length <= MAX_CONDITION_TEXT && isSafeText(raw) ? raw : new ConditionRefusal(path, `expected text of at most ${MAX_CONDITION_TEXT} characters (safe text)`);
  return new ConditionRefusal(path, 'expected a string, a finite number, a boolean or null');
}

/** An own data property of `holder`: undefined when absent (an inherited one too), a refusal for a getter (never called) or a holder that will not say (a Proxy whose trap throws). */
export function ownField(holder: object, key: string, path: readonly (string | number)[]): unknown {
  let d: PropertyDescriptor | undefined;
  try {
    d = Reflect.getOwnPropertyDescriptor(holder, key);
  } catch {
    return new ConditionRefusal(path, 'the value could not be read');
  }
  if (d === undefined) return undefined;
  if (!('value' in d)) return new ConditionRefusal(path, 'a getter is not data (it is not called)');
  return d.value;
}

/** Whether `x` is a plain record (its prototype Object.prototype or null; not an array, a Map, a Proxy that throws). */
function isPlainRecord(x: object): boolean {
  try {
    if (Array.isArray(x)) return false;
    const proto = Object.getPrototypeOf(x) as unknown;
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/**
 * The values of `fields` on `record` as conditions compare them, each read once as an own data
 * property — `attribute:<name>` from the record's `attributes` (a plain object, read once) —
 * or the refusal of the first that does not read (its path from the record).
 */
export function readFields(record: object, fields: readonly string[]): ConditionRead[] | ConditionRefusal {
  const values = new Array<ConditionRead>(fields.length);
  let attributes: unknown;
  let attributesRead = false;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    let v: ConditionValue | undefined | ConditionRefusal;
    if (field.startsWith('attribute:')) {
      if (!attributesRead) {
        attributesRead = true;
        attributes = ownField(record, 'attributes', ['attributes']);
        if (attributes instanceof ConditionRefusal) return attributes;
        if (attributes !== undefined && attributes !== null && (typeof attributes !== 'object' || !isPlainRecord(attributes))) {
          return new ConditionRefusal(['attributes'], 'expected an object of attributes or null');
        }
      }
      const name = field.slice('attribute:'.length);
      if (attributes === undefined || attributes === null) v = undefined;
      else {
        const raw = ownField(attributes, name, ['attributes', name]);
        v = raw instanceof ConditionRefusal ? raw : comparable(raw, ['attributes', name]);
      }
    } else {
      const raw = ownField(record, field, [field]);
      v = raw instanceof ConditionRefusal ? raw : comparable(raw, [field]);
    }
    if (v instanceof ConditionRefusal) return v;
    values[i] = v;
  }
  return values;
}

/** Whether a value meets a comparison (a missing value meets only `missing` and `notIn`; a non-number meets no number comparison; NOT_SCALAR is present and equals no value). */
export function meets(v: ConditionRead, c: Comparison): boolean {
  switch (c.op) {
    case 'in':
      return v !== undefined && v !== NOT_SCALAR && c.values.includes(v);
    case 'notIn':
      return v === undefined || v === NOT_SCALAR || !c.values.includes(v);
    case 'exists':
      return v !== undefined;
    case 'missing':
      return v === undefined;
    case 'atLeast':
      return typeof v === 'number' && v >= c.value;
    case 'atMost':
      return typeof v === 'number' && v <= c.value;
    case 'between':
      return typeof v === 'number' && v >= c.min && v <= c.max;
  }
}

/** A condition as a reason or an explanation shows it: the field it reads, its operator, and the values it compares with — null when the viewer may not see that field. */
export interface ShownCondition {
  readonly field: string;
  readonly op: Comparison['op'];
  readonly values: readonly ConditionValue[] | null;
}

/** The fields a viewer may see the compared values of (scoring's reasons, routing's decisions). */
export const visibleFieldsSchema = z.array(z.string().max(300)).max(1_000);

/** A shown condition as a seam answers it (a host's router): read into a copy. */
export const shownConditionSchema = z
  .object({
    field: textSchema.min(1).max(200),
    op: z.enum(CONDITION_OPERATORS),
    values: z.array(z.union([textSchema.max(MAX_CONDITION_TEXT), z.number().finite(), z.boolean()])).max(1000).nullable(),
  })
  .strict();

/** Conditions shown (frozen), each named `names[i]`, their values only where `visible` holds the name. */
export function showConditions(names: readonly string[], comparisons: readonly Comparison[], visible: ReadonlySet<string>): readonly ShownCondition[] {
  return Object.freeze(
    comparisons.map((c, i) => {
      const values: readonly ConditionValue[] = c.op === 'in' || c.op === 'notIn' ? c.values : c.op === 'atLeast' || c.op === 'atMost' ? [c.value] : c.op === 'between' ? [c.min, c.max] : [];
      return Object.freeze({ field: names[i]!, op: c.op, values: visible.has(names[i]!) ? Object.freeze([...values]) : null });
    }),
  );
}
