import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HOST_NAMES,
  allExamples,
  apiOf,
  checkExample,
  examplesIn,
  formatProblem,
  referencesOf,
  subpathEntries,
  type Api,
  type DocExample,
} from './examples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const entries = subpathEntries(ROOT);
let api: Api;
let examples: DocExample[];

beforeAll(() => {
  api = apiOf(ROOT, entries);
  examples = allExamples(ROOT);
}, 120_000);

/** A fabricated source file: one public function (`claimThing`, as if a subpath exported it) and its doc comment. */
function fabricated(example: string, publicNames: readonly string[] = ['claimThing', 'unwrap', 'Lead']): { readonly examples: DocExample[]; readonly api: Api } {
  const text = `/**\n * Claims a thing.\n *\n * @example\n${example
    .split('\n')
    .map((l) => ` * ${l}`)
    .join('\n')}\n * @returns the thing\n */\nexport function claimThing(): void {}\n`;
  const found = examplesIn('src/things/claim.ts', text);
  return {
    examples: found,
    api: {
      subpaths: new Map([['.', new Set(publicNames)], ['./things', new Set(['claimThing'])]]),
      publicStatements: new Set(found.map((e) => `${e.file}:${e.statementLine}`)),
      internal: new Set(['makeThing', 'THING_LIMITS']),
    },
  };
}

describe('the @example checker', () => {
  it('reads an example out of a doc comment, up to the next tag', () => {
    const { examples: found } = fabricated('const t = unwrap(claimThing()); // the thing');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: 'src/things/claim.ts', line: 4, declaration: 'claimThing', code: 'const t = unwrap(claimThing()); // the thing' });
  });

  it('fails on a test helper, an internal helper and an unexported type; passes on what the package exports', () => {
    const bad = fabricated("const t: Thing = value(claimThing());\nmakeThing(t);\nTHING_LIMITS.max;\nimport { unwrap } from 'crm-rules/things';");
    const problems = bad.examples.flatMap((e) => checkExample(e, bad.api)).map((p) => `${p.role} ${p.name}`);
    expect(problems.sort()).toEqual(['call makeThing', 'call value', 'import unwrap', 'type Thing', 'value THING_LIMITS']);
    const good = fabricated("import { claimThing } from 'crm-rules/things';\nconst lead: Lead = unwrap(claimThing(now, { store }));\nconst n = lead.tags.map((t) => t.length);\nconsole.log(new Date(), n);");
    expect(good.examples.flatMap((e) => checkExample(e, good.api)).map(formatProblem)).toEqual([]);
  });

  it('tells names from references: property names, keys, definitions and parameters are not references', () => {
    const refs = referencesOf("const { a, b: c } = f(x.y, { z: 1, w }, (p) => p + q);\nfunction g(h: H<I>) { return new J(h) satisfies K; }\nawait L();");
    expect([...refs.calls].sort()).toEqual(['J', 'L', 'f']);
    expect([...refs.types].sort()).toEqual(['H', 'I', 'K']);
    expect([...refs.values].sort()).toEqual(['q', 'w', 'x']);
  });

  it('reads a fragment that is an object literal or an object member, not a block', () => {
    expect([...referencesOf("{ field: 'level', op: 'eq', value: 'important' }").values]).toEqual([]);
    expect([...referencesOf('async load(id) { return rows.get(id); }').calls]).toEqual([]);
  });

  it('lets an internal helper\'s example use internal names, but never a test helper', () => {
    const { examples: found, api: fake } = fabricated('makeThing(value(x))');
    const internal = { ...fake, publicStatements: new Set<string>() };
    expect(found.flatMap((e) => checkExample(e, internal)).map((p) => `${p.role} ${p.name}`)).toEqual(['call value']);
  });
});

describe('the TSDoc examples use only what the package exports', () => {
  it('finds every exported subpath\'s entry and its names (values and types)', async () => {
    expect([...entries.keys()]).toEqual(expect.arrayContaining(['.', './leads', './pools', './dedupe', './pricing', './payments', './memory', './postgres', './testing']));
    expect(api.subpaths.get('.')).toContain('unwrap');
    expect(api.subpaths.get('.')).toContain('Result');
    // what TypeScript says each entry exports includes everything it exports at run time
    for (const [subpath, file] of entries) {
      const runtime = Object.keys((await import(pathToFileURL(file).href)) as object);
      const missing = runtime.filter((n) => !api.subpaths.get(subpath)!.has(n));
      expect(missing, subpath).toEqual([]);
    }
  }, 120_000);

  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThan(400);
  });

  it('every example calls, constructs, annotates with and imports only exported names', () => {
    const problems = examples.flatMap((e) => checkExample(e, api));
    expect(problems.map(formatProblem).join('\n\n')).toBe('');
  });

  it('lists only host names the package does not export, and only ones an example uses', () => {
    const exported = new Set([...api.subpaths.values()].flatMap((s) => [...s]));
    expect([...HOST_NAMES.keys()].filter((n) => exported.has(n))).toEqual([]);
    const used = new Set(examples.flatMap((e) => {
      const refs = referencesOf(e.code);
      return [...refs.calls, ...refs.types];
    }));
    expect([...HOST_NAMES.keys()].filter((n) => !used.has(n))).toEqual([]);
  });
});
