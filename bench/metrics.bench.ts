/**
 * The funnel over a million leads: `npx tsx bench/metrics.bench.ts` (part of `npm run bench`).
 *
 * Issue 18's target: the funnel by owner × channel × month over 1,000,000 leads and 5,000,000
 * events, streamed, in ≤ 1 s and ≤ 200 MB peak. Each case runs in a child process of its own,
 * so its peak resident memory (`maxRSS`, the whole Node process: runtime, tsx and the data
 * generator included) is its own. The journeys are generated page by page (1,000 a page) as the
 * funnel reads them, from two sources built on different assumptions (bench/metrics-data.ts);
 * the time of generating alone (the source drained, no funnel) is measured too, and the funnel's
 * own time is the difference. `BENCH_LEADS` sets the count (default 1,000,000); each figure is
 * the median of `BENCH_ROUNDS` runs inside the child (default 3, after one warm-up).
 *
 * Then the target breakdown of 1 company → 50 departments → 2,000 reps × 12 months (target
 * ≤ 50 ms), from two plans: even (40 reps a department, equal weights, one company seasonality)
 * and uneven (department sizes skewed from 2 to 160 reps, decimal weights, a seasonality of each
 * rep's own); the median of 21 runs after a warm-up, in this process.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { breakdownTarget, type TargetNodeInput, type TargetPlanInput } from '../src/metrics/index.js';
import { measureFunnel } from '../src/metrics/index.js';
import { seededRand } from './seeded.js';
import { drain, messySource, orderlySource, type JourneySource } from './metrics-data.js';

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = Number(process.env.BENCH_PAGE ?? 1000);
const SOURCES: Record<string, JourneySource> = { A: orderlySource, B: messySource };
const NOW = '2027-01-01T00:00:00+08:00';
const QUERY = { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['owner', 'channel', 'month'] } as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function runCase(source: string, what: string, mode: string): Promise<void> {
  const src = SOURCES[source]!;
  const times: number[] = [];
  let detail = '';
  const baseMb = process.memoryUsage().rss / 1048576;
  // memory: one run in a fresh process (its peak is that run's); time: a warm-up, then the rounds
  const rounds = mode === 'memory' ? 0 : ROUNDS;
  for (let round = 0; round <= rounds; round++) {
    const t0 = performance.now();
    if (what === 'generate') {
      const n = await drain(src, LEADS, PAGE);
      detail = `${n.leads} leads, ${n.events} events`;
    } else {
      const r = await measureFunnel(src.pages(LEADS, PAGE), { reading: what as 'cohort' | 'period', ...QUERY }, NOW);
      if (!r.ok) throw new Error(r.error.message);
      detail = `${r.value.rows.length} groups; total ${r.value.total.stages.map((s) => s.count).join(' → ')}; ${r.value.records.excluded} voided`;
    }
    if (round > 0 || rounds === 0) times.push(performance.now() - t0);
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms: median(times), peakMb, baseMb, detail })}\n`);
}

interface CaseResult {
  readonly ms: number;
  readonly peakMb: number;
  /** The process's resident memory before the run: Node, tsx and the loaded modules. */
  readonly baseMb: number;
  readonly detail: string;
}

function child(source: string, what: string, mode: 'time' | 'memory'): CaseResult {
  const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--case', source, what, mode], { encoding: 'utf8', env: process.env });
  if (out.status !== 0) throw new Error(`case ${source} ${what} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as CaseResult;
}

/** A plan of 50 departments and 2,000 reps: even, or uneven (skewed sizes, decimal weights, each rep's own seasonality). */
function targetPlan(uneven: boolean): TargetPlanInput {
  const rand = seededRand(0x51ed270b);
  const sizes = uneven ? skewedSizes(rand) : new Array<number>(50).fill(40);
  let rep = 0;
  const departments: TargetNodeInput[] = sizes.map((size, d) => ({
    id: `dept-${d}`,
    weight: uneven ? `${1 + rand(90)}.${rand(100)}` : 1,
    children: Array.from({ length: size }, () => ({
      id: `rep-${rep++}`,
      weight: uneven ? `${rand(5)}.${1 + rand(99)}` : 1,
      ...(uneven ? { seasonality: Array.from({ length: 12 }, () => 1 + rand(9)) } : {}),
    })),
  }));
  return { fiscalYear: 2026, total: { currency: 'CNY', amount: '123456789.01' }, seasonality: [1, 1, 2, 1, 1, 2, 1, 1, 2, 2, 2, 4], root: { id: 'company', children: departments } };
}

/** 50 department sizes from 2 to 160 summing to 2,000 (a few large, many small). */
function skewedSizes(rand: (n: number) => number): number[] {
  const raw = Array.from({ length: 50 }, (_, i) => 1 / (i + 1) + rand(10) / 100);
  const sum = raw.reduce((a, b) => a + b, 0);
  const sizes = raw.map((r) => Math.max(2, Math.min(160, Math.round((r / sum) * 2000))));
  let diff = 2000 - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % 50) {
    const step = diff > 0 ? 1 : -1;
    if (sizes[i]! + step >= 2 && sizes[i]! + step <= 160) {
      sizes[i]! += step;
      diff -= step;
    }
  }
  return sizes;
}

function benchTargets(): void {
  for (const uneven of [false, true]) {
    const plan = targetPlan(uneven);
    const check = breakdownTarget(plan);
    if (!check.ok) throw new Error(check.error.message);
    const times: number[] = [];
    for (let i = 0; i < 22; i++) {
      const t0 = performance.now();
      breakdownTarget(plan);
      if (i > 0) times.push(performance.now() - t0);
    }
    const ms = median(times);
    console.log(`  target breakdown, ${uneven ? 'uneven plan (skewed departments, decimal weights, each rep its seasonality)' : 'even plan (40 reps a department, equal weights)'}: ${check.value.nodes.length} nodes × 12 months in ${ms.toFixed(1)} ms — ${ms <= 50 ? 'meets' : 'misses'} the target (≤ 50 ms)`);
  }
}

const at = process.argv.indexOf('--case');
if (at >= 0) {
  await runCase(process.argv[at + 1]!, process.argv[at + 2]!, process.argv[at + 3]!);
} else {
  console.log(`metrics: the funnel by owner × channel × month, ${LEADS.toLocaleString('en')} leads streamed in pages of ${PAGE} (${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)})`);
  for (const source of Object.keys(SOURCES)) {
    const gen = child(source, 'generate', 'time');
    const genMemory = child(source, 'generate', 'memory');
    console.log(`  source ${SOURCES[source]!.name}: ${gen.detail}; generating alone ${gen.ms.toFixed(0)} ms, peak ${genMemory.peakMb.toFixed(0)} MB (the process before it: ${genMemory.baseMb.toFixed(0)} MB)`);
    for (const reading of ['cohort', 'period']) {
      const r = child(source, reading, 'time');
      const m = child(source, reading, 'memory');
      const own = r.ms - gen.ms;
      const projected = (own * 1_000_000) / LEADS;
      const verdict = (ok: boolean) => (ok ? 'meets' : 'misses');
      console.log(
        `    ${reading.padEnd(6)} ${r.ms.toFixed(0).padStart(6)} ms with generation, the funnel's own ${own.toFixed(0)} ms (${verdict(projected <= 1000)} ≤ 1 s${LEADS === 1_000_000 ? '' : ', projected to 1M leads'}); peak ${m.peakMb.toFixed(0)} MB, ${(m.peakMb - m.baseMb).toFixed(0)} MB over the process before it (${verdict(m.peakMb <= 200)} ≤ 200 MB); ${r.detail}`,
      );
    }
  }
  benchTargets();
}
