import { InvariantError } from '../core/errors.js';
import { convert, DEFS_REF, MARK_LEAF, MARK_OPAQUE, replaceJson, type MutableJson } from './convert.js';
import type { SchemaSource } from './sources.js';
import { VOCABULARY } from './vocabulary.js';

/*
 * From a source to a schema: convert, patch, and find what is left undescribed. The result is
 * the same in every language; `localize` adds the titles and descriptions.
 */

/** A schema before its words: the JSON (markers in), the refinements it does not check, the nodes left opaque. */
export interface BaseSchema {
  readonly json: MutableJson;
  readonly refinements: readonly string[];
  readonly opaque: readonly string[];
}

const BRANCHES = ['anyOf', 'oneOf', 'allOf'] as const;

const isObject = (x: unknown): x is MutableJson => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The definition a local `$ref` names (`#/$defs/root`), or undefined. */
function definition(root: MutableJson, node: MutableJson): MutableJson | undefined {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith(DEFS_REF) || !isObject(root.$defs)) return undefined;
  const def = root.$defs[ref.slice(DEFS_REF.length)];
  return isObject(def) ? def : undefined;
}

/**
 * A node and, recursively, the members of its unions and intersections, and the definition its
 * `$ref` names (a recursive schema's node, written once in `root`'s `$defs`).
 */
function expand(node: MutableJson, root: MutableJson, out: MutableJson[] = []): MutableJson[] {
  if (out.includes(node)) return out;
  out.push(node);
  for (const key of BRANCHES) {
    const members = node[key];
    if (Array.isArray(members)) for (const m of members) if (isObject(m)) expand(m, root, out);
  }
  const def = definition(root, node);
  if (def !== undefined) expand(def, root, out);
  return out;
}

/** The path's segments: `lines[].tiers.bands[]` → `lines`, `[]`, `tiers`, `bands`, `[]`. */
function segments(path: string): string[] {
  if (path === '(root)') return [];
  return path.split('.').flatMap((part) => {
    const m = /^(.*?)((?:\[\])*)$/.exec(part)!;
    return [...(m[1] ? [m[1]] : []), ...Array.from({ length: m[2]!.length / 2 }, () => '[]')];
  });
}

/**
 * The nodes at a human path (`humanPath`'s syntax), through union branches and references: a
 * property present in several branches of a command gives one node per branch; below a `$ref`
 * the path goes on in its definition (`root.children[].weight` is the tree node's `weight`).
 *
 * @example
 * nodesAt(json, 'reclaimRules[].trigger.days')
 */
export function nodesAt(root: MutableJson, path: string): MutableJson[] {
  let current: MutableJson[] = [root];
  for (const seg of segments(path)) {
    const next: MutableJson[] = [];
    for (const node of current) {
      for (const n of expand(node, root)) {
        const child = seg === '[]' ? n.items : seg === '*' ? n.additionalProperties : isObject(n.properties) ? n.properties[seg] : undefined;
        if (isObject(child) && !next.includes(child)) next.push(child);
      }
    }
    current = next;
  }
  return current;
}

/** Drops the branches zod could not write (a bigint: `{ not: {} }`) from unions. */
function dropImpossible(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(dropImpossible);
  if (!isObject(node)) return;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = node[key];
    if (!Array.isArray(members)) continue;
    const kept = members.filter((m) => !(isObject(m) && isObject(m.not) && Object.keys(m.not).length === 0 && Object.keys(m).length === 1));
    if (kept.length === 1 && Object.keys(node).length === 1) {
      delete node[key];
      Object.assign(node, kept[0]);
    } else node[key] = kept;
  }
  for (const value of Object.values(node)) dropImpossible(value);
}

/** Paths of the nodes still marked opaque (in a definition, from the path it is named after). */
function opaquePaths(node: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(node)) {
    node.forEach((n) => opaquePaths(n, path, out));
    return out;
  }
  if (!isObject(node)) return out;
  if (node[MARK_OPAQUE] === true) out.push(path);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isObject(value)) for (const [name, v] of Object.entries(value)) opaquePaths(v, path === '(root)' ? name : `${path}.${name}`, out);
    else if (key === 'items') opaquePaths(value, path === '(root)' ? '[]' : `${path}[]`, out);
    else if (key === 'additionalProperties') opaquePaths(value, path === '(root)' ? '*' : `${path}.*`, out);
    else if ((BRANCHES as readonly string[]).includes(key)) opaquePaths(value, path, out);
    else if (key === '$defs' && isObject(value)) for (const [name, v] of Object.entries(value)) opaquePaths(v, name, out);
  }
  return out;
}

/**
 * Adds keywords to a node: as they are when the node has none of them, else as one more member
 * of its `allOf` (a conjunction either way).
 */
function addKeywords(node: MutableJson, add: MutableJson): void {
  if (Object.keys(add).every((key) => node[key] === undefined)) Object.assign(node, add);
  else node.allOf = [...((node.allOf as unknown[] | undefined) ?? []), add];
}

/** Where keywords for an object go: the node, the object branch of a nullable or optional wrapper, or the definition it references. */
function objectTargets(node: MutableJson, root: MutableJson): MutableJson[] {
  if (node.type !== undefined) return [node];
  const objects = expand(node, root).filter((n) => n.type === 'object');
  return objects.length > 0 ? objects : [node];
}

/**
 * The schema of a source, every patch applied. Throws `InvariantError` when a patch names a path
 * the schema does not have (the source table is wrong: a bug, caught by its tests).
 *
 * @example
 * buildSchema(SOURCES.poolPolicy).refinements // ['reclaimRules', 'reminderRules', 'zone']
 */
export function buildSchema(source: SchemaSource): BaseSchema {
  const converted = convert(source.zod, VOCABULARY);
  const json = structuredClone(converted.json);
  dropImpossible(json);
  const refinements = new Set(converted.refinements);
  for (const [path, patch] of Object.entries(source.patches ?? {})) {
    const nodes = nodesAt(json, path);
    if (nodes.length === 0) throw new InvariantError(`schemas: no node at ${path}`);
    for (const node of nodes) {
      if (patch.replace !== undefined) {
        const targets = expand(node, json).filter((n) => n[MARK_OPAQUE] === true);
        if (targets.length === 0) throw new InvariantError(`schemas: nothing opaque at ${path}`);
        for (const t of targets) replaceJson(t, { ...patch.replace(), [MARK_LEAF]: 'patched' });
      }
      if (patch.rewrite !== undefined) replaceJson(node, { ...patch.rewrite(), [MARK_LEAF]: node[MARK_LEAF] ?? 'patched' });
      if (patch.add !== undefined) for (const target of objectTargets(node, json)) addKeywords(target, patch.add());
    }
    if (patch.expresses) refinements.delete(path);
    if (patch.limit) refinements.add(path);
  }
  return { json, refinements: [...refinements].sort(), opaque: opaquePaths(json, '(root)', []) };
}
