import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'leads/index': 'src/leads/index.ts',
    'pools/index': 'src/pools/index.ts',
    'dedupe/index': 'src/dedupe/index.ts',
    'pricing/index': 'src/pricing/index.ts',
    'payments/index': 'src/payments/index.ts',
    'adapters/memory/index': 'src/adapters/memory/index.ts',
    'adapters/postgres/index': 'src/adapters/postgres/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  target: 'node20',
});
