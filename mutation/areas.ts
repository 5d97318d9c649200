/**
 * The areas a mutation run covers (issue 20): which source files are changed, which test files
 * must notice, and the score the area is held to. `npm run mutate -- <area>` runs one,
 * `npm run mutate -- all` runs them in turn. On a 2-core machine the money area's first full run
 * took 40 min; a run after a change of tests re-tests only what it touches (17–33 min there).
 */
export interface MutationArea {
  /** Source globs whose code is mutated. */
  readonly mutate: readonly string[];
  /** Test globs run against each mutant (only those that execute it: per-test coverage). */
  readonly tests: readonly string[];
  /** The score (%) the area is held to, counting documented equivalent mutants as killed. */
  readonly target: number;
}

export const areas = {
  money: {
    mutate: ['src/core/money/*.ts'],
    tests: ['test/core/money*.test.ts'],
    target: 90,
  },
  pricing: {
    mutate: ['src/pricing/*.ts'],
    tests: ['test/pricing/**/*.test.ts'],
    target: 90,
  },
  payments: {
    mutate: ['src/payments/allocation.ts'],
    tests: ['test/payments/**/*.test.ts'],
    target: 85,
  },
  pools: {
    mutate: ['src/pools/reclaim.ts', 'src/pools/claims.ts'],
    tests: ['test/pools/**/*.test.ts'],
    target: 85,
  },
  leads: {
    mutate: ['src/leads/lifecycle.ts'],
    tests: ['test/leads/**/*.test.ts'],
    target: 85,
  },
  dedupe: {
    mutate: ['src/dedupe/match.ts', 'src/dedupe/similarity.ts'],
    tests: ['test/dedupe/**/*.test.ts'],
    target: 85,
  },
} as const satisfies Record<string, MutationArea>;

export type AreaName = keyof typeof areas;

export const isAreaName = (name: string): name is AreaName => Object.hasOwn(areas, name);
