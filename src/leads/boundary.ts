import { z } from 'zod';
import { sealedEntityParser } from '../core/boundary.js';
import { describeValue, ownDataValue, timeOf } from '../core/foreign.js';
import { markDeeplyFrozen, type EntityParser, type InputIssue } from '../core/validation.js';

/*
 * The leads module's one rule for the Dates in what it returns: every `Date` reachable from an
 * answer (the next record, its events, a conversion plan, a refusal's details) is a `Date` of
 * its own — never the caller's, never the input record's, never one shared by two fields or
 * two answers — so a host calling `setTime` on one changes nothing else. Each answer is built,
 * then copied once by `ownCopy`, then sealed (trusted records) or deep-frozen (the rest).
 * The shared boundary helpers (`zoned`, `sealedEntityParser`, `pathPrefix`, `invalidAt`,
 * `deepFreeze`) are the core's.
 */

const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;
/** Deeper than any record or refusal the rules build. */
const MAX_COPY_DEPTH = 32;
/** More objects, arrays and Dates than any answer the rules build holds. */
const MAX_COPY_NODES = 10_000;

interface CopyState {
  nodes: number;
  readonly ancestors: Set<object>;
  /** Freeze each copied object and array as it is made (and mark it deep-frozen for the core's `deepFreeze`). */
  readonly freeze: boolean;
}

/**
 * A copy of plain data, for an answer: arrays and plain objects (their own enumerable
 * string-keyed data properties; a getter is never called) are copied all the way down, and each
 * `Date` — every time it is reached, so two fields holding one `Date` get two — becomes a new
 * plain `Date` of the same time. Primitives stay as they are. Anything else — a Map, a class
 * instance, a function, a Proxy whose traps throw, an object that only looks like a Date, a
 * cycle, nesting deeper than 32 or more than 10,000 objects — becomes its description
 * (`describeValue`), never a reference. The copy is not frozen (seal or deep-freeze it). Never
 * throws.
 *
 * @internal
 * @example
 * const now = new Date('2026-06-01T02:00:00Z');
 * const copy = ownCopy({ updatedAt: now, event: { at: now } });
 * copy.updatedAt === now // false
 * copy.updatedAt === copy.event.at // false
 */
export function ownCopy<T>(value: T): T {
  return copyValue(value, 0, { nodes: 0, ancestors: new Set(), freeze: false }) as T;
}

/**
 * `ownCopy` of an answer the rules built (data properties only: read directly), frozen all the way down as it is made (each object and array frozen once built,
 * and known to the core's `deepFreeze` as deep-frozen, so no second walk): an answer's copy in
 * one pass. The Dates in it are new, and — Dates being what they are — not frozen.
 *
 * @internal
 * @example
 * Object.isFrozen(ownFrozenCopy({ events: [{ data: {} }] }).events[0].data) // true
 */
export function ownFrozenCopy<T>(value: T): T {
  const out = copyValue(value, 0, { nodes: 0, ancestors: new Set(), freeze: true }) as T;
  // the whole copy is frozen: the core's deepFreeze need not walk it (marked at the top only — a
  // WeakSet entry per object would cost more than the walk it saves)
  if (typeof out === 'object' && out !== null) markDeeplyFrozen(out);
  return out;
}

function sealed<T extends object>(out: T, state: CopyState): T {
  return state.freeze ? Object.freeze(out) : out;
}

function copyValue(value: unknown, depth: number, state: CopyState): unknown {
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? describeValue(value) : value;
  if (depth > MAX_COPY_DEPTH || state.nodes >= MAX_COPY_NODES || state.ancestors.has(value)) return describeValue(value);
  state.nodes += 1;
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(value);
  } catch {
    return describeValue(value); // a Proxy whose trap throws
  }
  if (proto !== OBJECT_PROTO && proto !== ARRAY_PROTO && proto !== null) {
    // read from its slot: a Date subclass is copied as a plain Date, a look-alike is not a Date
    const t = timeOf(value);
    return t === undefined ? describeValue(value) : new Date(t);
  }
  state.ancestors.add(value);
  try {
    return proto === ARRAY_PROTO ? copyArray(value, depth, state) : copyObject(value, depth, state);
  } catch {
    return describeValue(value); // a Proxy of an array or an object
  } finally {
    state.ancestors.delete(value);
  }
}

function copyArray(value: object, depth: number, state: CopyState): unknown {
  if (!Array.isArray(value)) return describeValue(value);
  const length = ownDataValue(value, 'length');
  if (typeof length !== 'number' || length > MAX_COPY_NODES - state.nodes) return describeValue(value);
  const out: unknown[] = new Array<unknown>(length);
  // an answer the rules built holds data properties only: read directly (a caller's value, through
  // its own data properties, a getter never called)
  const built = state.freeze;
  for (let i = 0; i < length; i++) out[i] = copyValue(built ? (value as unknown[])[i] : ownDataValue(value, i), depth + 1, state);
  return sealed(out, state);
}

function copyObject(value: object, depth: number, state: CopyState): unknown {
  const keys = Object.keys(value);
  if (keys.length > MAX_COPY_NODES - state.nodes) return describeValue(value);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = copyValue(state.freeze ? (value as Record<string, unknown>)[key] : ownDataValue(value, key), depth + 1, state);
    // a key named __proto__ stays a key (an assignment would set the prototype)
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return sealed(out, state);
}

/**
 * A schema for a configuration value (a lead policy, an opportunity configuration) that takes
 * back what it returned without parsing it again: a value it parsed is sealed (deep-frozen and
 * trusted, see the core's `entityParser`), and passing that value back — alone or inside a
 * context — returns it as it is. Anything else, a copy of a parsed value included, is parsed in
 * full by `shape`, its issues reported at their own paths with their own codes. `parser.trust`
 * seals a value the module built itself (a default).
 *
 * @internal
 * @example
 * const { schema, parser } = trustingSchema(leadPolicyShape);
 * parser.trust(DEFAULT_LEAD_POLICY);
 * schema.parse(DEFAULT_LEAD_POLICY) === DEFAULT_LEAD_POLICY // true, without a parse
 */
export function trustingSchema<T extends object, I>(shape: z.ZodType<T, I>): { schema: z.ZodType<T, I>; parser: EntityParser<T> } {
  const parser = sealedEntityParser(shape as z.ZodType<T, unknown>, []);
  const schema = z.custom<I>(() => true).transform((input, ctx): T => {
    const parsed = parser.parse(input, []);
    if (parsed.ok) return parsed.value;
    for (const issue of parsed.error.details.issues as readonly InputIssue[]) {
      // the issue as zod reported it (its message written already): only its path is relative
      ctx.addIssue({ code: issue.code, path: [...issue.path], message: issue.message } as z.core.$ZodRawIssue);
    }
    return z.NEVER;
  });
  return { schema: schema as unknown as z.ZodType<T, I>, parser };
}
