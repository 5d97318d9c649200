import { z } from 'zod';

/*
 * zod → JSON Schema (draft 2020-12), the input side: what a host writes, not what a parser
 * returns. zod's own `toJSONSchema` does the walking; this file teaches it the library's opaque
 * building blocks (instants, decimals, amounts, currencies, safe text, names, records keyed by
 * names), which zod sees as `custom`, `unknown` or a transform, and keeps a list of every
 * refinement it could not express, so the gaps are reported instead of silently dropped.
 */

/** A JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
/** A JSON object (a JSON Schema is one). */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}
/** A JSON object under construction (internal). */
export type MutableJson = { [key: string]: unknown };

/** Internal markers, stripped before a schema is handed out (`x-crm-` keys are never emitted). */
export const MARK_OPAQUE = 'x-crm-opaque';
/** The kind of library value a node stands for (for probing and for its generic description). */
export const MARK_LEAF = 'x-crm-leaf';

/** How an opaque zod node reads in JSON: its JSON Schema, and the leaf kind it stands for. */
export interface Leaf {
  readonly kind: string;
  /** The node's JSON Schema (replacing what zod wrote for it). */
  readonly json: () => MutableJson;
  /** The door checks more than this JSON says (reported as a refinement where it is used). */
  readonly partial?: boolean;
}

/** A string check the converter knows: its JSON Schema, merged into the string's node. */
export interface KnownCheck {
  readonly kind: string;
  readonly apply: (json: MutableJson) => void;
  /** A check only partly expressed (a time zone name): still reported as a refinement. */
  readonly partial?: boolean;
}

/** What the converter knows about the library's building blocks. */
export interface Vocabulary {
  readonly leaves: ReadonlyMap<unknown, Leaf>;
  readonly checks: ReadonlyMap<unknown, KnownCheck>;
  /**
   * Classifies a refined node whose input is a decimal or an amount (by asking the schema): its
   * JSON, and whether part of the refinement is still not expressed (null: not recognized).
   */
  readonly refineLeaf: (kind: string, schema: z.ZodType) => { readonly json: MutableJson; readonly partial: boolean } | null;
  /** The JSON of a string refinement the vocabulary recognizes by asking the schema, or null. */
  readonly refineString: (schema: z.ZodType) => ((json: MutableJson) => void) | null;
}

/** A converted schema: the JSON (markers still in), and what it could not express, by path. */
export interface Converted {
  readonly json: MutableJson;
  /** Paths (`reclaimRules`, `lines[].quantity`, `(root)`) of refinements JSON Schema does not check. */
  readonly refinements: readonly string[];
  /** Paths of nodes that stand for any value (to be given a schema by the source table). */
  readonly opaque: readonly string[];
}

type Def = { readonly type: string; readonly checks?: readonly unknown[]; readonly in?: z.ZodType; readonly out?: z.ZodType };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const checkKind = (check: unknown): string => (check as { _zod: { def: { check: string } } })._zod.def.check;

/**
 * A human path of a JSON Schema location: property names joined by dots, `[]` for array items,
 * `*` for the values of a record; union branches and wrappers are transparent.
 *
 * @example
 * humanPath(['properties', 'reclaimRules', 'items', 'properties', 'trigger']) // 'reclaimRules[].trigger'
 */
export function humanPath(path: readonly (string | number)[]): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (seg === 'properties' && i + 1 < path.length) {
      out += (out ? '.' : '') + String(path[++i]);
    } else if (seg === 'items') out += '[]';
    else if (seg === 'additionalProperties') out += (out ? '.' : '') + '*';
    else if (seg === 'propertyNames') out += (out ? '.' : '') + '(key)';
    // anyOf / oneOf / allOf and their indexes: transparent
  }
  return out || '(root)';
}

const join = (prefix: string, path: string): string => (prefix === '(root)' ? path : path === '(root)' ? prefix : path.startsWith('[]') ? prefix + path : `${prefix}.${path}`);

/** Replaces the contents of a JSON object in place (zod shares node objects between parents). */
export function replaceJson(target: MutableJson, source: MutableJson): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

/** Adds a `pattern` to a string schema, as `allOf` when it already has one (JSON Schema takes one per object). */
export function addPattern(json: MutableJson, pattern: string): void {
  if (json.pattern === undefined) json.pattern = pattern;
  else if (json.pattern !== pattern) json.allOf = [...((json.allOf as unknown[] | undefined) ?? []), { pattern }];
}

/**
 * Converts a zod schema's input side to JSON Schema draft 2020-12 with the vocabulary's leaves.
 * Throws only on a schema zod cannot walk at all (a bug in the source table, caught by its tests).
 *
 * @example
 * convert(poolPolicySchema, vocabulary).json.type // 'object'
 */
export function convert(schema: z.ZodType, vocabulary: Vocabulary): Converted {
  const refinements = new Set<string>();
  const opaque = new Set<string>();
  const nested: { at: string; inner: Converted }[] = [];
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    reused: 'inline',
    // a recursive schema (a target plan's tree of nodes) is written once under `$defs` and
    // referenced (`$ref`) wherever it recurs: see `nameDefinitions`
    cycles: 'ref',
    // metadata from no registry: titles and descriptions come from this library's tables only
    metadata: z.registry<Record<string, unknown>>(),
    unrepresentable: ({ zodSchema }) => {
      if (defOf(zodSchema).type === 'bigint') return { not: {} }; // JSON has no bigint: that branch is dropped
      return 'any'; // custom and transform: given a meaning (or marked opaque) by `override`
    },
    override: ({ zodSchema, jsonSchema, path }) => {
      const node = jsonSchema as MutableJson;
      const def = defOf(zodSchema);
      const at = humanPath(path);
      const leaf = vocabulary.leaves.get(zodSchema);
      if (leaf !== undefined) {
        replaceJson(node, { ...leaf.json(), [MARK_LEAF]: leaf.kind });
        if (leaf.partial) refinements.add(at);
        return;
      }
      if (def.type === 'pipe' && def.in !== undefined && def.out !== undefined && defOf(def.in).type === 'custom' && defOf(def.out).type === 'record') {
        // the core's namedRecordSchema: a record whose `__proto__` and symbol keys are refused
        const inner = convert(def.out, vocabulary);
        const record = { ...inner.json };
        delete record.$schema;
        record.propertyNames = { ...((record.propertyNames as MutableJson | undefined) ?? {}), not: { const: '__proto__' } };
        replaceJson(node, record);
        nested.push({ at, inner });
        if ((def.checks ?? []).some((c) => checkKind(c) === 'custom')) refinements.add(at); // a refinement of the whole record
        return;
      }
      if (def.type === 'custom' || def.type === 'unknown' || def.type === 'any' || def.type === 'transform') {
        node[MARK_OPAQUE] = true;
        opaque.add(at);
        return;
      }
      const customChecks = (def.checks ?? []).filter((c) => checkKind(c) === 'custom');
      if (customChecks.length === 0) {
        if (def.type === 'string' && (def.checks ?? []).some((c) => checkKind(c) === 'overwrite')) trimmed(node);
        return;
      }
      const leafKind = node[MARK_LEAF];
      if (def.type === 'pipe' && typeof leafKind === 'string') {
        // a decimal or an amount with a sign or range refinement: asked of the schema itself
        const refined = vocabulary.refineLeaf(leafKind, zodSchema as unknown as z.ZodType);
        if (refined !== null) replaceJson(node, { ...refined.json, [MARK_LEAF]: leafKind });
        if (refined === null || refined.partial) refinements.add(at);
        return;
      }
      if (def.type === 'string') {
        let unknownChecks = 0;
        for (const check of customChecks) {
          const known = vocabulary.checks.get(check);
          if (known === undefined) unknownChecks++;
          else {
            known.apply(node);
            node[MARK_LEAF] ??= known.kind;
            if (known.partial) refinements.add(at);
          }
        }
        if ((def.checks ?? []).some((c) => checkKind(c) === 'overwrite')) trimmed(node);
        if (unknownChecks > 0) {
          const asked = vocabulary.refineString(zodSchema as unknown as z.ZodType);
          if (asked !== null && unknownChecks === 1) asked(node);
          else refinements.add(at);
        }
        return;
      }
      refinements.add(at);
    },
  }) as MutableJson;
  for (const { at, inner } of nested) {
    for (const p of inner.refinements) refinements.add(join(at, p));
    for (const p of inner.opaque) opaque.add(join(at, p));
  }
  nameDefinitions(json);
  return { json, refinements: [...refinements].sort(), opaque: [...opaque].sort() };
}

/** The prefix of a local reference to a definition. */
export const DEFS_REF = '#/$defs/';

/**
 * Gives each definition zod wrote for a recursive schema (`__schema0`…) the human path where it
 * is first met (`root` for a target plan's tree), in `$defs` and in every `$ref` to it — the
 * path its refinements and opaque nodes are reported at, and a name a form builder can show.
 * Characters a JSON pointer or a URI fragment would need escaped become `_`.
 */
function nameDefinitions(json: MutableJson): void {
  const defs = json.$defs;
  if (typeof defs !== 'object' || defs === null) return;
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, [...path, i]));
    if (typeof node !== 'object' || node === null) return;
    const ref = (node as MutableJson).$ref;
    if (typeof ref === 'string' && ref.startsWith(DEFS_REF) && !names.has(ref)) {
      let name = humanPath(path).replace(/\[\]/g, '_items').replace(/[^A-Za-z0-9_.-]/g, '_');
      while (taken.has(name)) name += '_';
      taken.add(name);
      names.set(ref, name);
    }
    for (const [key, value] of Object.entries(node)) if (key !== '$defs') visit(value, [...path, key]);
  };
  visit(json, []);
  // a definition referenced only from another definition is named after it, by its zod name
  for (const key of Object.keys(defs)) if (!names.has(DEFS_REF + key)) names.set(DEFS_REF + key, key);
  const renamed: MutableJson = {};
  for (const [key, value] of Object.entries(defs as MutableJson)) renamed[names.get(DEFS_REF + key)!] = value;
  json.$defs = renamed;
  const rewrite = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(rewrite);
    if (typeof node !== 'object' || node === null) return;
    const n = node as MutableJson;
    if (typeof n.$ref === 'string' && names.has(n.$ref)) n.$ref = DEFS_REF + names.get(n.$ref)!;
    for (const value of Object.values(n)) rewrite(value);
  };
  rewrite(json);
}

/**
 * A string zod trims before checking its length (`textSchema.trim().min(1).max(n)`): the limits
 * are of the text between its first and last character that is not white space, written as a
 * pattern (`\s` is exactly the white space `String.prototype.trim` removes). Supports the limits
 * the library uses: a minimum of 0 or 1.
 *
 * @example
 * // min 1, max 500: ^\s*(?:\S(?:[\s\S]{0,498}\S)?)\s*$
 */
function trimmed(node: MutableJson): void {
  const min = typeof node.minLength === 'number' ? node.minLength : 0;
  const max = typeof node.maxLength === 'number' ? node.maxLength : null;
  delete node.minLength;
  delete node.maxLength;
  if (max === null) {
    if (min >= 1) addPattern(node, '\\S');
    return;
  }
  const core = max >= 2 ? `\\S(?:[\\s\\S]{0,${max - 2}}\\S)?` : '\\S';
  addPattern(node, min >= 1 ? `^\\s*(?:${core})\\s*$` : `^\\s*(?:${core})?\\s*$`);
}
