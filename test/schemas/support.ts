import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonSchema, type SchemaLocale, type SchemaName } from '../../src/schemas/index.js';

/**
 * A standard validator as a host would set one up: ajv for draft 2020-12, strict mode on, every
 * error reported. The formats are accepted as hints (`true`): each schema that names one also
 * carries the equivalent `pattern`, which does the checking.
 */
export function makeAjv(): Ajv2020 {
  return new Ajv2020({ strict: true, allErrors: true, formats: { 'date-time': true, date: true } });
}

const validators = new Map<string, ValidateFunction>();
const shared = makeAjv();

/** The compiled validator of a published schema (one per name and locale). */
export function validatorOf(name: SchemaName, locale: SchemaLocale = 'en'): ValidateFunction {
  const key = `${locale}:${name}`;
  let v = validators.get(key);
  if (v === undefined) {
    const schema = jsonSchema(name, locale);
    if (!schema.ok) throw new Error(schema.error.message);
    validators.set(key, (v = shared.compile(schema.value)));
  }
  return v;
}

/**
 * A value as JSON carries it (what a host stores and an admin screen sends): Dates become ISO
 * strings, undefined keys disappear. Undefined when the value has no JSON form (a bigint, a Map
 * is `{}`…: only a bigint throws).
 */
export function asJson(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The messages of a refusal's issues (empty for a success). */
export function issueMessages(r: { ok: boolean; error?: { details: Record<string, unknown> } }): string[] {
  if (r.ok) return [];
  const issues = r.error?.details.issues;
  return Array.isArray(issues) ? issues.map((i) => String((i as { message?: unknown }).message)) : [String(r.error?.details.summary ?? '')];
}

const root = resolve(import.meta.dirname, '../..');

/** The README's ```json blocks marked `<!-- schema: name -->` on the line before, with their line numbers. */
export function readmeSchemaExamples(): { name: string; line: number; text: string }[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const out: { name: string; line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const mark = /^\s*<!--\s*schema:\s*([A-Za-z]+)\s*-->\s*$/.exec(lines[i]!);
    if (!mark) continue;
    const open = lines[i + 1]?.trim();
    if (open !== '```json') throw new Error(`README.md:${i + 1}: a schema mark must be followed by a \`\`\`json block`);
    const end = lines.findIndex((l, j) => j > i + 1 && l.trim() === '```');
    if (end < 0) throw new Error(`README.md:${i + 2}: unclosed json block`);
    out.push({ name: mark[1]!, line: i + 2, text: lines.slice(i + 2, end).join('\n') });
  }
  return out;
}

/** Values that sit on the edges of the schemas' rules. */
const EDGE_VALUES: readonly unknown[] = [
  null, '', ' ', 'x', '__proto__', 'x'.repeat(201), 'Asia/Shanghai', 'Mars/Olympus', '2026-05-06T10:00:00+08:00', '2026-05-06T10:00:00', '2026-05-06',
  'CNY', 'cny', '0', '-1', '1.5', '100', '101', '0.125', 0, -1, 1, 1.5, 100, 101, 2 ** 53, true, false, [], {}, ['x'], { x: 1 },
];

/** Every place in a JSON value: the container and the key. */
function places(x: unknown, out: { parent: Record<string | number, unknown>; key: string | number }[] = []) {
  if (typeof x !== 'object' || x === null) return out;
  for (const key of Object.keys(x)) {
    const k = Array.isArray(x) ? Number(key) : key;
    out.push({ parent: x as Record<string | number, unknown>, key: k });
    places((x as Record<string, unknown>)[key], out);
  }
  return out;
}

/** A JSON value with one thing changed. */
export const mutated = (valid: fc.Arbitrary<unknown>) =>
  fc.tuple(valid, fc.nat(), fc.nat(EDGE_VALUES.length - 1), fc.constantFrom('remove', 'replace', 'add', 'double')).map(([v, where, what, how]) => {
    const json = asJson(v);
    const spots = places(json);
    const objects = [json, ...spots.map((s) => s.parent[s.key])].filter((o) => typeof o === 'object' && o !== null);
    if (how === 'add' && objects.length > 0) {
      const target = objects[where % objects.length] as Record<string, unknown> | unknown[];
      if (Array.isArray(target)) target.push(structuredClone(EDGE_VALUES[what]));
      else target.extra = EDGE_VALUES[what];
      return json;
    }
    if (spots.length === 0) return how === 'replace' ? EDGE_VALUES[what] : json;
    const { parent, key } = spots[where % spots.length]!;
    if (how === 'remove') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (how === 'double' && Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
    else parent[key] = structuredClone(EDGE_VALUES[what]);
    return json;
  });

