/**
 * Lead scoring over a million leads: `npx tsx bench/scoring.bench.ts` (part of `npm run bench`).
 *
 * Issue 19's target: scoring 1,000,000 leads with 10 rules and 5,000,000 events, streamed, in
 * ≤ 2 s. The journeys come page by page from the two sources of bench/metrics-data.ts (A, an
 * orderly pipeline with Date instants; B, a messy export with ISO strings, events in any order,
 * noise types), and each lead is scored by `scoreLead` with a model parsed once (5 fit rules on
 * attributes and channel, 5 behaviour rules with caps, a negative rule, half-life and expiry),
 * reasons included. The time of generating alone is measured too; the scoring's own time is the
 * difference. `BENCH_LEADS` sets the count (default 1,000,000); the median of `BENCH_ROUNDS`
 * runs (default 3) after a warm-up.
 */
import { cpus, loadavg } from 'node:os';
import { parseScoringModel, scoreLead } from '../src/scoring/index.js';
import { drain, messySource, orderlySource, type JourneySource } from './metrics-data.js';

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = 1000;
const NOW = '2026-12-31T12:00:00+08:00';

const parsed = parseScoringModel({
  id: 'bench',
  version: 1,
  zone: 'Asia/Shanghai',
  rules: [
    { id: 'retail', kind: 'fit', when: [{ field: 'attribute:industry', op: 'in', values: ['retail'] }], points: 20 },
    { id: 'manufacturing', kind: 'fit', when: [{ field: 'attribute:industry', op: 'in', values: ['manufacturing'] }], points: 10 },
    { id: 'east', kind: 'fit', when: [{ field: 'attribute:region', op: 'in', values: ['east'] }], points: 10 },
    { id: 'trade-show', kind: 'fit', when: [{ field: 'channel', op: 'in', values: ['tradeShow', 'ch-39'] }], points: 15 },
    { id: 'cold', kind: 'fit', when: [{ field: 'channel', op: 'in', values: ['coldCall', 'ch-0'] }], points: -10 },
    { id: 'follow-ups', kind: 'behaviour', events: ['lead.followedUp'], points: 5, cap: 25, decay: { kind: 'halfLife', days: 30 } },
    { id: 'mql', kind: 'behaviour', events: ['lead.markedMql'], points: 20, cap: 20 },
    { id: 'converted', kind: 'behaviour', events: ['lead.converted'], points: 30, decay: { kind: 'expires', days: 180 } },
    { id: 'lost', kind: 'behaviour', events: ['opportunity.closed'], where: [{ path: ['outcome'], op: 'in', values: ['lost', 'invalid'] }], points: -15 },
    { id: 'calls', kind: 'behaviour', events: ['call.logged', 'email.sent'], points: 2, cap: 10, decay: { kind: 'halfLife', days: 14 } },
  ],
  grades: [{ grade: 'A', min: 60 }, { grade: 'B', min: 35 }, { grade: 'C', min: 15 }, { grade: 'D' }],
  mqlThreshold: 35,
});
if (!parsed.ok) throw new Error(parsed.error.message);
const model = parsed.value;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(run: () => Promise<string>): Promise<{ ms: number; detail: string }> {
  const times: number[] = [];
  let detail = '';
  for (let round = 0; round <= ROUNDS; round++) {
    const t0 = performance.now();
    detail = await run();
    if (round > 0) times.push(performance.now() - t0);
  }
  return { ms: median(times), detail };
}

async function score(source: JourneySource): Promise<string> {
  let total = 0;
  let a = 0;
  let mql = 0;
  let reasons = 0;
  for await (const page of source.pages(LEADS, PAGE)) {
    for (const j of page) {
      const r = scoreLead(model, j.lead, j.events, NOW);
      if (!r.ok) throw new Error(r.error.message);
      total += r.value.score;
      if (r.value.grade === 'A') a++;
      if (r.value.mql) mql++;
      reasons += r.value.reasons.length;
    }
  }
  return `mean score ${(total / LEADS).toFixed(2)}, ${a} graded A, ${mql} MQLs, ${(reasons / LEADS).toFixed(2)} reasons a lead`;
}

console.log(`scoring: ${LEADS.toLocaleString('en')} leads, 10 rules, scoreLead per lead with its reasons (${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)})`);
for (const source of [orderlySource, messySource]) {
  const gen = await timed(async () => {
    const n = await drain(source, LEADS, PAGE);
    return `${n.leads} leads, ${n.events} events`;
  });
  const run = await timed(() => score(source));
  const own = run.ms - gen.ms;
  const projected = (own * 1_000_000) / LEADS;
  console.log(`  ${source.name}: ${gen.detail}; generating ${gen.ms.toFixed(0)} ms; scoring ${run.ms.toFixed(0)} ms with generation, its own ${own.toFixed(0)} ms (${projected <= 2000 ? 'meets' : 'misses'} ≤ 2 s${LEADS === 1_000_000 ? '' : ', projected to 1M leads'}); ${run.detail}`);
}
