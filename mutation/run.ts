/**
 * `npm run mutate -- <area> [<area> …] | all [--score-only] [--force]`
 *
 * Runs Stryker (vitest runner, per-test coverage, incremental) on one area of mutation/areas.ts
 * at a time, then prints each file's score with the documented equivalent mutants
 * (mutation/equivalent-mutants.json) counted as killed, and lists what still survives.
 * `--score-only` reads the last report again without running (after editing the equivalents);
 * `--force` runs every mutant again instead of reusing the incremental file.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { areas, isAreaName, type AreaName } from './areas.js';
import { scoreReport, formatScores, type StrykerReport } from './score.js';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const args = process.argv.slice(2);
const flags = new Set(['--score-only', '--force']);
const unknownFlag = args.find((a) => a.startsWith('--') && !flags.has(a));
const usage = `usage: npm run mutate -- <${Object.keys(areas).join('|')}> [<area> …] | all [--score-only] [--force]`;
if (unknownFlag !== undefined) {
  console.error(`unknown option '${unknownFlag}'\n${usage}`);
  process.exit(2);
}
const scoreOnly = args.includes('--score-only');
const force = args.includes('--force');
const names = [...new Set(args.filter((a) => !a.startsWith('--')))];
if (names.includes('all') && names.length > 1) {
  console.error(`'all' runs every area: give it alone\n${usage}`);
  process.exit(2);
}
const chosen: AreaName[] = [];
for (const name of names[0] === 'all' ? Object.keys(areas) : names) {
  if (!isAreaName(name)) {
    console.error(`unknown area '${name}'; areas: ${Object.keys(areas).join(', ')}, all`);
    process.exit(2);
  }
  chosen.push(name);
}
if (chosen.length === 0) {
  console.error(usage);
  process.exit(2);
}

const reportOf = (area: AreaName) => `reports/mutation/${area}.json`;
const equivalents = JSON.parse(readFileSync('mutation/equivalent-mutants.json', 'utf8'));

let failed = false;
for (const area of chosen) {
  const spec = areas[area];
  const started = Date.now();
  if (!scoreOnly) {
    process.env.CRM_MUTATE_TESTS = JSON.stringify(spec.tests);
    mkdirSync('reports/mutation', { recursive: true });
    const { Stryker } = await import('@stryker-mutator/core');
    const stryker = new Stryker({
      testRunner: 'vitest',
      plugins: ['@stryker-mutator/vitest-runner'],
      vitest: { configFile: 'mutation/vitest.config.ts', related: false },
      coverageAnalysis: 'perTest',
      mutate: [...spec.mutate],
      incremental: true,
      incrementalFile: `mutation/incremental/${area}.json`,
      force,
      concurrency: 2,
      timeoutMS: 8_000,
      reporters: ['json', 'progress'],
      jsonReporter: { fileName: reportOf(area) },
      tempDirName: '.stryker-tmp',
      cleanTempDir: 'always',
      // bench/ stays: the dedupe tests read its data generators
      ignorePatterns: ['dist', 'docs-site', 'demo', 'coverage', 'reports', '.readme-run', 'mutation/incremental'],
    });
    await stryker.runMutationTest();
  }
  // the last report, or (in a fresh clone) the committed incremental file, which holds the same
  const source = [reportOf(area), `mutation/incremental/${area}.json`].find((f) => existsSync(f));
  if (source === undefined) {
    console.error(`${area}: no report at ${reportOf(area)}; run without --score-only first`);
    failed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(source, 'utf8')) as StrykerReport;
  const scores = scoreReport(report, equivalents);
  const seconds = Math.round((Date.now() - started) / 1000);
  const text = formatScores(area, scores, spec.target, scoreOnly ? null : seconds);
  console.log(text);
  mkdirSync('reports/mutation', { recursive: true });
  writeFileSync(`reports/mutation/${area}.md`, text);
  if (scores.files.some((f) => f.score < spec.target)) failed = true;
}
process.exit(failed ? 1 : 0);
