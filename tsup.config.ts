import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig } from 'tsup';

/** The JSON Schemas as files, for hosts in other languages: dist/schemas/<locale>/<name>.json. */
async function writeSchemaFiles(): Promise<void> {
  const built = (await import(pathToFileURL(resolve('dist/schemas/index.js')).href)) as typeof import('./src/schemas/index.js');
  for (const locale of built.SCHEMA_LOCALES) {
    const dir = resolve('dist/schemas', locale);
    mkdirSync(dir, { recursive: true });
    for (const name of built.SCHEMA_NAMES) {
      const schema = built.jsonSchema(name, locale);
      if (!schema.ok) throw new Error(schema.error.message);
      writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(schema.value, null, 2)}\n`);
    }
  }
}

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'leads/index': 'src/leads/index.ts',
    'pools/index': 'src/pools/index.ts',
    'customers/index': 'src/customers/index.ts',
    'dedupe/index': 'src/dedupe/index.ts',
    'pricing/index': 'src/pricing/index.ts',
    'orders/index': 'src/orders/index.ts',
    'payments/index': 'src/payments/index.ts',
    'metrics/index': 'src/metrics/index.ts',
    'scoring/index': 'src/scoring/index.ts',
    'adapters/memory/index': 'src/adapters/memory/index.ts',
    'adapters/postgres/index': 'src/adapters/postgres/index.ts',
    'testing/index': 'src/testing/index.ts',
    'schemas/index': 'src/schemas/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  target: 'node20',
  onSuccess: writeSchemaFiles,
});
