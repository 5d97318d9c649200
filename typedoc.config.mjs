// The API site (`npm run docs` → docs-site/): one module per package subpath, taken from
// package.json's "exports" (./dist/leads/index.js is built from src/leads/index.ts), each
// named as a user imports it ("crm-rules/leads"). Any warning fails the build: a public
// signature that uses a type no subpath exports, a broken {@link}, a bad tag.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Converter, ReflectionKind } from 'typedoc';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** `src/…/index.ts` → the specifier a user imports it by. */
const subpathOf = new Map();
for (const [subpath, target] of Object.entries(pkg.exports)) {
  const js = typeof target === 'string' ? target : target?.import?.default ?? target?.default;
  const m = typeof js === 'string' && /^\.\/dist\/(.+)\.(?:c|m)?js$/.exec(js);
  if (m) subpathOf.set(`src/${m[1]}.ts`, subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`);
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints: [...subpathOf.keys()],
  entryPointStrategy: 'resolve',
  // src only: the tests, benches and demo are not the API (and `tsc --noEmit` checks them all)
  tsconfig: './tsconfig.docs.json',
  skipErrorChecking: true,
  out: './docs-site',
  readme: './README.md',
  // TypeDoc's defaults, and what the README and the comments fence besides
  highlightLanguages: ['bash', 'console', 'css', 'html', 'javascript', 'json', 'jsonc', 'json5', 'yaml', 'tsx', 'typescript', 'ts', 'sh', 'sql'],
  name: pkg.name,
  includeVersion: true,
  // no git remote to link "Defined in" to yet: left out until the repository is public (then
  // drop this line, and TypeDoc links each declaration to its source on the remote)
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  sort: ['kind', 'instance-first', 'alphabetical-ignoring-documents'],
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: false, unusedMergeModuleWith: true },
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  plugin: [fileURLToPath(import.meta.url)],
};

/**
 * As a plugin (this file lists itself): names each entry's module by its package specifier,
 * so the site says "crm-rules/leads" where TypeDoc would say "leads" or "index".
 * @param {import('typedoc').Application} app
 */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const file = context.getSymbolFromReflection(mod)?.declarations?.[0]?.getSourceFile().fileName;
      const key = file && [...subpathOf.keys()].find((k) => file.endsWith(`/${k}`));
      if (key) mod.name = subpathOf.get(key);
    }
  });
}
