/**
 * crm-rules/schemas: JSON Schema (draft 2020-12) for every policy, rule set, record, command and
 * service request a host stores or an admin edits, with titles and descriptions in English and
 * Simplified Chinese — for admin screens (form builders), other languages, and storage checks.
 * Generated from the modules' own zod schemas, input side (what a host writes: instants as ISO
 * strings, defaults optional), each with the rules it cannot express listed in its description.
 */
import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { deepFreeze, parseInput } from '../core/validation.js';
import { buildSchema, nodesAt, type BaseSchema } from './build.js';
import { MARK_LEAF, type JsonObject, type MutableJson } from './convert.js';
import { SCHEMA_NAMES, type SchemaName } from './names.js';
import { SOURCES, type SchemaModule, type SchemaRole } from './sources.js';
import { LEAF_WORDS, LIMITS_INTRO, SCHEMA_WORDS, type SchemaWords } from './words.js';

export type { JsonObject, JsonValue } from './convert.js';
export type { SchemaModule, SchemaRole } from './sources.js';
export { SCHEMA_NAMES, type SchemaName } from './names.js';

/**
 * The languages of the titles and descriptions.
 *
 * @example
 * SCHEMA_LOCALES // ['en', 'zh-CN']
 */
export const SCHEMA_LOCALES = Object.freeze(['en', 'zh-CN'] as const);

/**
 * A language of the titles and descriptions.
 *
 * @example
 * const locale: SchemaLocale = 'zh-CN';
 */
export type SchemaLocale = (typeof SCHEMA_LOCALES)[number];

/**
 * A JSON Schema document (draft 2020-12), frozen: `$schema`, `title`, `description`, then the
 * schema. Plain JSON: `JSON.stringify` it to a file or hand it to a validator or a form builder.
 *
 * @example
 * const schema: JsonSchema = unwrap(jsonSchema('poolPolicy'));
 */
export type JsonSchema = JsonObject;

/**
 * What a schema is: its module, its role (an admin-edited `policy`, a stored `record`, a
 * `command`, or a service `request`), its title and description, and the rules the library
 * checks that the schema does not (in the chosen language).
 *
 * @example
 * unwrap(schemaInfo('poolPolicy', 'zh-CN')).title // '公海 / 线索池规则'
 */
export interface SchemaInfo {
  readonly name: SchemaName;
  readonly module: SchemaModule;
  readonly role: SchemaRole;
  readonly title: string;
  readonly description: string;
  /** Rules the library's parser checks and this JSON Schema does not (cross-field rules, unique ids…). */
  readonly limits: readonly string[];
}

const nameSchema = z.enum(SCHEMA_NAMES, { message: `expected a schema name: ${SCHEMA_NAMES.join(', ')}` });
const localeSchema = z.enum(SCHEMA_LOCALES, { message: 'expected a locale: en or zh-CN' }).optional();

const bases = new Map<SchemaName, BaseSchema>();
const documents = new Map<string, JsonSchema>();

/** The schema before its words (built once, on first use). */
function baseOf(name: SchemaName): BaseSchema {
  let base = bases.get(name);
  if (base === undefined) bases.set(name, (base = buildSchema(SOURCES[name])));
  return base;
}

const isObject = (x: unknown): x is MutableJson => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Gives leaves their generic description and removes the internal markers, everywhere below `node`. */
function finish(node: unknown, index: 0 | 1): void {
  if (Array.isArray(node)) return node.forEach((n) => finish(n, index));
  if (!isObject(node)) return;
  const leaf = node[MARK_LEAF];
  if (typeof leaf === 'string' && node.description === undefined && Object.prototype.hasOwnProperty.call(LEAF_WORDS, leaf)) node.description = LEAF_WORDS[leaf]![index];
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (key.startsWith('x-crm-')) delete node[key];
    else if ((key === 'properties' || key === 'patternProperties') && isObject(value)) for (const schema of Object.values(value)) finish(schema, index);
    else if (!DATA_KEYWORDS.has(key)) finish(value, index);
  }
}

/** Keywords whose values are data, not schemas. */
const DATA_KEYWORDS: ReadonlySet<string> = new Set(['default', 'const', 'enum', 'examples', 'required']);

/** The limits of a schema in a language. */
function limitsOf(words: SchemaWords, index: 0 | 1): string[] {
  return Object.values(words.limits ?? {}).map((w) => w[index]);
}

/** The document of a schema in a language (built once per language, frozen). */
function documentOf(name: SchemaName, locale: SchemaLocale): JsonSchema {
  const key = `${locale}:${name}`;
  const known = documents.get(key);
  if (known !== undefined) return known;
  const index = locale === 'en' ? 0 : 1;
  const words: SchemaWords = SCHEMA_WORDS[name];
  const json = structuredClone(baseOf(name).json);
  for (const [path, text] of Object.entries(words.fields ?? {})) for (const node of nodesAt(json, path)) node.description = text[index];
  finish(json, index);
  const { $schema, ...rest } = json;
  delete rest.title;
  delete rest.description;
  const limits = limitsOf(words, index);
  // English sentences are spaced, Chinese ones are not
  const description =
    limits.length === 0
      ? words.description[index]
      : index === 0
        ? `${words.description[index]} ${LIMITS_INTRO[0]} ${limits.join('; ')}.`
        : `${words.description[index]}${LIMITS_INTRO[1]}${limits.join('；')}。`;
  const document = deepFreeze({ $schema, title: words.title[index], description, ...rest }) as JsonSchema;
  documents.set(key, document);
  return document;
}

/**
 * The JSON Schema of one published schema, its titles and descriptions in `locale` (default
 * `en`; `zh-CN` for Simplified Chinese), frozen. An unknown name or locale is `INVALID_INPUT`.
 * The structure is the same in every language; only `title` and `description` differ.
 *
 * @throws {InvariantError} only when the library's own schema table is broken (a bug, never a verdict on an argument).
 *
 * @example
 * import { Ajv2020 } from 'ajv/dist/2020.js';
 * const schema = unwrap(jsonSchema('poolPolicy', 'zh-CN'));
 * schema.title // '公海 / 线索池规则'
 * new Ajv2020({ formats: { 'date-time': true, date: true } }).compile(schema)(policyFromTheForm) // true or false, with errors
 */
export function jsonSchema(name: SchemaName, locale: SchemaLocale = 'en'): Result<JsonSchema, CrmError> {
  const n = parseInput(nameSchema, name, ['name']);
  if (!n.ok) return n;
  const l = parseInput(localeSchema, locale, ['locale']);
  if (!l.ok) return l;
  return ok(documentOf(n.value, l.value ?? 'en'));
}

/**
 * What a published schema is — module, role, title, description — and the rules the library
 * checks that the JSON Schema cannot (in `locale`, default `en`), frozen. For a list of
 * schemas in an admin screen, or to tell users what is checked only on save.
 *
 * @example
 * unwrap(schemaInfo('dedupeRuleSet')).limits.length // 2
 */
export function schemaInfo(name: SchemaName, locale: SchemaLocale = 'en'): Result<SchemaInfo, CrmError> {
  const n = parseInput(nameSchema, name, ['name']);
  if (!n.ok) return n;
  const l = parseInput(localeSchema, locale, ['locale']);
  if (!l.ok) return l;
  const index = (l.value ?? 'en') === 'en' ? 0 : 1;
  const words: SchemaWords = SCHEMA_WORDS[n.value];
  const source = SOURCES[n.value];
  return ok(
    deepFreeze({ name: n.value, module: source.module, role: source.role, title: words.title[index], description: words.description[index], limits: limitsOf(words, index) }),
  );
}
