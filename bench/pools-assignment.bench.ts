/**
 * Throughput of automatic pool assignment through its public, validating door:
 * `npx tsx bench/pools-assignment.bench.ts`. 100,000 leads to 1,000 members for each strategy,
 * with a realistic mix: 20 territories, 5 skills, regional and national reps, preferences,
 * 5% opted out. Input comes from a seeded generator, so every run sees the same data.
 * Prints the time of `assignBatch` (validation included), items per second, the outcome and
 * the heap in use. BENCH_ITEMS / BENCH_MEMBERS override the sizes.
 */
import { z } from 'zod';
import {
  ASSIGNMENT_STRATEGIES,
  assignBatch,
  assignmentItemSchema,
  assignmentMemberSchema,
  type AssignmentItemInput,
  type AssignmentMemberInput,
  type AssignmentStrategy,
} from '../src/pools/assignment.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000);
const RUNS = 5;

let state = 0x9e3779b9;
function rand(n: number): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % n;
}

const TERRITORIES = [
  'beijing', 'shanghai', 'guangzhou', 'shenzhen', 'hangzhou', 'nanjing', 'suzhou', 'chengdu', 'chongqing', 'wuhan',
  'xian', 'tianjin', 'qingdao', 'xiamen', 'changsha', 'zhengzhou', 'shenyang', 'dalian', 'kunming', 'hefei',
];
const SKILLS = ['english', 'japanese', 'manufacturing', 'finance', 'government'];
const T0 = Date.parse('2026-03-02T01:00:00Z');

function someOf<T>(xs: readonly T[], count: number): T[] {
  const out = new Set<T>();
  while (out.size < count) out.add(xs[rand(xs.length)]!);
  return [...out];
}

const members: AssignmentMemberInput[] = Array.from({ length: MEMBERS }, (_, i) => {
  const national = rand(10) === 0; // 10% cover every territory
  const territories = national ? undefined : someOf(TERRITORIES, 1 + rand(3));
  const skilled = rand(4) === 0; // 25% are restricted to (and trusted with) listed skills
  return {
    id: `rep-${String(i).padStart(4, '0')}`,
    capacity: 60 + rand(120),
    weight: 1 + rand(3),
    optedOut: rand(20) === 0,
    load: rand(200),
    eligible: { ...(territories ? { territories } : {}), ...(skilled ? { skills: someOf(SKILLS, 1 + rand(3)) } : {}) },
    ...(territories && rand(3) === 0 ? { preferred: { territories: territories.slice(0, 1) } } : {}),
  };
});

const items: AssignmentItemInput[] = Array.from({ length: ITEMS }, (_, i) => ({
  id: `L-${String(i).padStart(6, '0')}`,
  priority: rand(50) === 0 ? 10 : 0, // 2% VIP
  territory: rand(25) === 0 ? null : TERRITORIES[rand(TERRITORIES.length)]!,
  skills: rand(3) === 0 ? someOf(SKILLS, 1 + rand(2)) : [],
  receivedAt: new Date(T0 + rand(7 * 24 * 3600) * 1000),
}));

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function run(strategy: AssignmentStrategy) {
  const options = { strategy, cursor: 'rep-0500', seed: 42, overflow: { memberId: 'mgr-zhao' } };
  assignBatch(items.slice(0, 5_000), members, options); // warm-up
  const times: number[] = [];
  let last;
  for (let k = 0; k < RUNS; k++) {
    globalThis.gc?.();
    const t = performance.now();
    const r = assignBatch(items, members, options);
    times.push(performance.now() - t);
    if (!r.ok) throw new Error(r.error.message);
    last = r.value;
  }
  const heap = process.memoryUsage().heapUsed;
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)]!;
  const s = last!.stats;
  console.log(
    `${strategy.padEnd(15)} median ${median.toFixed(0).padStart(4)} ms (best ${times[0]!.toFixed(0)} ms)  ` +
      `${Math.round(ITEMS / (median / 1000)).toLocaleString('en-US').padStart(9)} items/s  ` +
      `assigned ${s.assigned}, overflowed ${s.overflowed}  heap used ${mb(heap)}`,
  );
}

console.log(`assignBatch: ${ITEMS.toLocaleString('en-US')} leads → ${MEMBERS.toLocaleString('en-US')} members, median of ${RUNS} runs (validation included)`);
console.log(`node ${process.version}, input heap ${mb(process.memoryUsage().heapUsed)}`);
for (const strategy of ASSIGNMENT_STRATEGIES) run(strategy);

// The share of the time spent at the door: validating the same input with the exported schemas.
const door = z.object({ items: z.array(assignmentItemSchema), members: z.array(assignmentMemberSchema) });
const doorTimes: number[] = [];
for (let k = 0; k < RUNS; k++) {
  const t = performance.now();
  door.parse({ items, members });
  doorTimes.push(performance.now() - t);
}
doorTimes.sort((a, b) => a - b);
console.log(`of which validation alone: median ${doorTimes[Math.floor(RUNS / 2)]!.toFixed(0)} ms`);
