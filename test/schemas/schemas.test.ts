import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSchema, schemaInfo, SCHEMA_LOCALES, SCHEMA_NAMES, type SchemaName } from '../../src/schemas/index.js';
import { buildSchema, nodesAt } from '../../src/schemas/build.js';
import { SOURCES } from '../../src/schemas/sources.js';
import { SCHEMA_WORDS } from '../../src/schemas/words.js';
import { makeAjv } from './support.js';

const value = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** Every object in a JSON value, with its JSON pointer. */
function* objects(x: unknown, at = '#'): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(x)) for (let i = 0; i < x.length; i++) yield* objects(x[i], `${at}/${i}`);
  else if (typeof x === 'object' && x !== null) {
    yield [at, x as Record<string, unknown>];
    for (const [k, v] of Object.entries(x)) yield* objects(v, `${at}/${k}`);
  }
}

/** The schema with its words taken out: what must be the same in every language. */
const structure = (x: unknown): unknown =>
  Array.isArray(x)
    ? x.map(structure)
    : typeof x === 'object' && x !== null
      ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'title' && k !== 'description').map(([k, v]) => [k, structure(v)]))
      : x;

const HAN = /[\u4e00-\u9fff]/;

describe('the published schemas', () => {
  it('cover the source table and the words table, name for name', () => {
    expect([...SCHEMA_NAMES].sort()).toEqual(Object.keys(SOURCES).sort());
    expect(Object.keys(SCHEMA_WORDS).sort()).toEqual([...SCHEMA_NAMES].sort());
    expect(SCHEMA_NAMES.length).toBeGreaterThanOrEqual(40);
  });

  for (const locale of SCHEMA_LOCALES) {
    it(`every schema compiles with ajv (draft 2020-12, strict mode) in ${locale}`, () => {
      const ajv = makeAjv();
      for (const name of SCHEMA_NAMES) {
        const schema = value(jsonSchema(name, locale));
        expect(schema.$schema, name).toBe('https://json-schema.org/draft/2020-12/schema');
        expect(() => ajv.compile(schema), name).not.toThrow();
      }
    });
  }

  it('is the same schema in every language: only titles and descriptions differ', () => {
    for (const name of SCHEMA_NAMES) expect(structure(value(jsonSchema(name, 'zh-CN'))), name).toEqual(structure(value(jsonSchema(name, 'en'))));
  });

  it('has a title and a description in English and in Chinese, and the Chinese is Chinese', () => {
    for (const name of SCHEMA_NAMES) {
      const en = value(jsonSchema(name, 'en'));
      const zh = value(jsonSchema(name, 'zh-CN'));
      for (const s of [en, zh]) {
        expect(typeof s.title === 'string' && s.title.length > 0, name).toBe(true);
        expect(typeof s.description === 'string' && s.description.length > 10, name).toBe(true);
      }
      expect(HAN.test(String(zh.title)) && HAN.test(String(zh.description)), name).toBe(true);
      expect(zh.title, name).not.toBe(en.title);
      // every described node is described in both languages, in Chinese in zh-CN
      const enTexts = [...objects(en)].filter(([, o]) => typeof o.description === 'string').map(([p]) => p);
      const zhTexts = [...objects(zh)].filter(([, o]) => typeof o.description === 'string');
      expect(zhTexts.map(([p]) => p), name).toEqual(enTexts);
      for (const [p, o] of zhTexts) expect(HAN.test(String(o.description)), `${name} ${p}`).toBe(true);
    }
  });

  it('leaves nothing opaque: every node zod could not see into has a schema', () => {
    for (const name of SCHEMA_NAMES) expect(buildSchema(SOURCES[name]).opaque, name).toEqual([]);
  });

  it('lists every refinement it cannot express as a limit in the description, and no other', () => {
    for (const name of SCHEMA_NAMES) {
      const words = SCHEMA_WORDS[name] as { limits?: Record<string, unknown> };
      expect(Object.keys(words.limits ?? {}).sort(), name).toEqual([...buildSchema(SOURCES[name]).refinements].sort());
      const info = value(schemaInfo(name, 'en'));
      for (const limit of info.limits) expect(String(value(jsonSchema(name)).description), name).toContain(limit);
    }
  });

  it('describes only fields the schema has (no stale paths in the words table)', () => {
    for (const name of SCHEMA_NAMES) {
      const json = buildSchema(SOURCES[name]).json;
      const fields = (SCHEMA_WORDS[name] as { fields?: Record<string, unknown> }).fields ?? {};
      for (const path of Object.keys(fields)) expect(nodesAt(json, path).length, `${name}: ${path}`).toBeGreaterThan(0);
    }
  });

  it('describes every top-level field of every policy an admin edits', () => {
    for (const name of SCHEMA_NAMES.filter((n) => SOURCES[n].role === 'policy')) {
      const schema = value(jsonSchema(name, 'zh-CN'));
      const properties = (schema.properties ?? {}) as Record<string, { description?: string }>;
      for (const [field, node] of Object.entries(properties)) expect(typeof node.description, `${name}.${field}`).toBe('string');
    }
  });

  it('carries no internal marker and no keyword a strict validator does not know', () => {
    for (const locale of SCHEMA_LOCALES) {
      for (const name of SCHEMA_NAMES) {
        for (const [at, o] of objects(value(jsonSchema(name, locale)))) {
          if (/\/(properties|patternProperties|default|const|enum|examples)$/.test(at)) continue;
          for (const k of Object.keys(o)) expect(k.startsWith('x-'), `${name} ${at}/${k}`).toBe(false);
        }
      }
    }
  });

  it('writes patterns every validator reads alike: no lookaround, no backreference', () => {
    for (const name of SCHEMA_NAMES) {
      for (const [at, o] of objects(value(jsonSchema(name)))) {
        const patterns = [...(typeof o.pattern === 'string' ? [o.pattern] : []), ...(/\/patternProperties$/.test(at) ? Object.keys(o) : [])];
        for (const p of patterns) {
          expect(/\(\?[=!<]|\\[1-9]/.test(p), `${name} ${at}: ${p}`).toBe(false);
          expect(() => new RegExp(p, 'u'), `${name} ${at}`).not.toThrow();
        }
      }
    }
  });

  it('is frozen all the way down, and the same document on every call', () => {
    const isDeepFrozen = (x: unknown): boolean =>
      typeof x !== 'object' || x === null || (Object.isFrozen(x) && Object.values(x).every(isDeepFrozen));
    for (const name of SCHEMA_NAMES) {
      const a = value(jsonSchema(name, 'zh-CN'));
      expect(isDeepFrozen(a), name).toBe(true);
      expect(value(jsonSchema(name, 'zh-CN'))).toBe(a);
      expect(isDeepFrozen(value(schemaInfo(name, 'zh-CN'))), name).toBe(true);
    }
  });

  it('answers an unknown name or locale with INVALID_INPUT, never a throw', () => {
    const bad: unknown[] = ['nope', '', '__proto__', 'constructor', 'toString', null, undefined, 42, {}, Symbol('s'), 10n];
    for (const name of bad) {
      const r = jsonSchema(name as SchemaName);
      expect(r.ok ? 'ok' : r.error.code, String(typeof name === 'symbol' ? 'symbol' : name)).toBe('INVALID_INPUT');
      const i = schemaInfo(name as SchemaName);
      expect(i.ok ? 'ok' : i.error.code).toBe('INVALID_INPUT');
    }
    for (const locale of ['fr', 'zh', 'ZH-cn', null, 1]) {
      const r = jsonSchema('poolPolicy', locale as 'en');
      expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
      const info = schemaInfo('poolPolicy', locale as 'en');
      expect(info.ok ? 'ok' : info.error.code).toBe('INVALID_INPUT');
    }
    expect(value(jsonSchema('poolPolicy', undefined)).title).toBe('Pool policy');
  });

  it('gives a Result for any arguments: a frozen document for a name and a locale it knows, INVALID_INPUT otherwise', () => {
    const isDeepFrozen = (x: unknown): boolean =>
      typeof x !== 'object' || x === null || (Object.isFrozen(x) && Object.values(x).every(isDeepFrozen));
    const name = fc.oneof(fc.constantFrom(...SCHEMA_NAMES), fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true }));
    const locale = fc.oneof(fc.constantFrom('en', 'zh-CN', undefined), fc.anything({ withBigInt: true, withNullPrototype: true }));
    fc.assert(
      fc.property(name, locale, (n, l) => {
        for (const r of [jsonSchema(n as SchemaName, l as 'en'), schemaInfo(n as SchemaName, l as 'en')]) {
          const known = (SCHEMA_NAMES as readonly unknown[]).includes(n) && (l === undefined || l === 'en' || l === 'zh-CN');
          expect(r.ok).toBe(known);
          if (r.ok) expect(isDeepFrozen(r.value)).toBe(true);
          else expect(r.error.code).toBe('INVALID_INPUT');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('describes what a host writes: instants as ISO strings, defaults optional', () => {
    const policy = value(jsonSchema('poolPolicy'));
    expect(policy.required).toEqual(['id', 'kind', 'zone', 'admins']);
    const props = policy.properties as Record<string, Record<string, unknown>>;
    expect(props.claimMode!.default).toBe('claim');
    const lead = value(jsonSchema('lead')).properties as Record<string, Record<string, unknown>>;
    expect(lead.createdAt!.type).toBe('string');
    expect(lead.createdAt!.format).toBe('date-time');
  });

  it('names its module and role', () => {
    const info = value(schemaInfo('dedupeRuleSet', 'zh-CN'));
    expect(info).toMatchObject({ name: 'dedupeRuleSet', module: 'dedupe', role: 'policy', title: '查重规则' });
    expect(info.limits.length).toBe(2);
    const roles = new Set(SCHEMA_NAMES.map((n) => SOURCES[n].role));
    expect([...roles].sort()).toEqual(['command', 'policy', 'record', 'request']);
  });
});
