/**
 * Lead scoring over a million leads: `npx tsx bench/scoring.bench.ts` (part of `npm run bench`).
 *
 * Issue 19's target: scoring 1,000,000 leads with 10 rules and 5,000,000 events, streamed, in
 * ≤ 2 s. The journeys come page by page from the two sources of bench/metrics-data.ts (A, an
 * orderly pipeline with Date instants; B, a messy export with ISO strings, events in any order,
 * noise types), and each lead is scored by `scoreLead` with a model parsed once (5 fit rules on
 * attributes and channel, 5 behaviour rules with caps, a negative rule, half-life and expiry),
 * reasons included, then `scoreLeads` a page of 1,000 at a time, with and without reasons. The
 * scoring's own time is measured inside each page (the generator's work left out; the time with
 * generation is printed beside it). `BENCH_LEADS` sets the count (default 1,000,000); the median of `BENCH_ROUNDS`
 * runs (default 3) after a warm-up.
 */
import { cpus, loadavg } from 'node:os';
import { parseScoringModel, scoreLead, scoreLeads } from '../src/scoring/index.js';
import { drain, messySource, orderlySource, type JourneySource } from './metrics-data.js';

type Journey = JourneySource extends { pages(n: number, p: number): AsyncIterable<(infer J)[]> } ? J : never;

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

/** The time spent scoring in the last run (inside the pages, generation left out). */
let scoringMs = 0;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(run: () => Promise<string>): Promise<{ ms: number; own: number; detail: string }> {
  const times: number[] = [];
  const owns: number[] = [];
  let detail = '';
  for (let round = 0; round <= ROUNDS; round++) {
    const t0 = performance.now();
    detail = await run();
    if (round > 0) {
      times.push(performance.now() - t0);
      owns.push(scoringMs);
    }
  }
  return { ms: median(times), own: median(owns), detail };
}

async function score(source: JourneySource): Promise<string> {
  let total = 0;
  let a = 0;
  let mql = 0;
  let reasons = 0;
  let spent = 0;
  for await (const page of source.pages(LEADS, PAGE)) {
    const t0 = performance.now();
    for (const j of page) {
      const r = scoreLead(model, j.lead, j.events, NOW);
      if (!r.ok) throw new Error(r.error.message);
      total += r.value.score;
      if (r.value.grade === 'A') a++;
      if (r.value.mql) mql++;
      reasons += r.value.reasons.length;
    }
    spent += performance.now() - t0;
  }
  scoringMs = spent;
  return `mean score ${(total / LEADS).toFixed(2)}, ${a} graded A, ${mql} MQLs, ${(reasons / LEADS).toFixed(2)} reasons a lead`;
}

/** `scoreLeads` a page at a time, with or without the reasons. */
async function scorePages(source: JourneySource, reasons: boolean): Promise<string> {
  let total = 0;
  let a = 0;
  let mql = 0;
  let n = 0;
  let spent = 0;
  for await (const page of source.pages(LEADS, PAGE)) {
    const t0 = performance.now();
    const r = scoreLeads(model, page, NOW, { reasons });
    if (!r.ok || r.value.refused.length > 0) throw new Error('a page was refused');
    for (const s of r.value.scores) {
      total += s!.score;
      if (s!.grade === 'A') a++;
      if (s!.mql) mql++;
      n += s!.reasons.length;
    }
    spent += performance.now() - t0;
  }
  scoringMs = spent;
  return `mean score ${(total / LEADS).toFixed(2)}, ${a} graded A, ${mql} MQLs, ${(n / LEADS).toFixed(2)} reasons a lead`;
}

const HELD = Math.min(LEADS, Number(process.env.BENCH_HELD ?? 100_000));

/** Scoring alone: the first HELD leads' pages held in memory, scored `ROUNDS` times (median), projected to 1M leads. */
async function heldInMemory(source: JourneySource): Promise<void> {
  const pages: Journey[][] = [];
  for await (const page of source.pages(HELD, PAGE)) pages.push(page);
  const cases = [
    ['scoreLead per lead, reasons', () => { for (const page of pages) for (const j of page) if (!scoreLead(model, j.lead, j.events, NOW).ok) throw new Error('refused'); }],
    ['scoreLeads per page, reasons', () => { for (const page of pages) if (!scoreLeads(model, page, NOW).ok) throw new Error('refused'); }],
    ['scoreLeads per page, no reasons', () => { for (const page of pages) if (!scoreLeads(model, page, NOW, { reasons: false }).ok) throw new Error('refused'); }],
  ] as const;
  for (const [name, work] of cases) {
    const times: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const t0 = performance.now();
      work();
      if (round > 0) times.push(performance.now() - t0);
    }
    const ms = median(times);
    const projected = (ms * 1_000_000) / HELD;
    console.log(`    held in memory, ${name}: ${ms.toFixed(0)} ms for ${HELD.toLocaleString('en')} leads → ${projected.toFixed(0)} ms per 1M (${projected <= 2000 ? 'meets' : 'misses'} ≤ 2 s)`);
  }
}

console.log(`scoring: ${LEADS.toLocaleString('en')} leads, 10 rules, scoreLead per lead with its reasons (${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)})`);
for (const source of [orderlySource, messySource]) {
  const gen = await timed(async () => {
    const n = await drain(source, LEADS, PAGE);
    return `${n.leads} leads, ${n.events} events`;
  });
  console.log(`  ${source.name}: ${gen.detail}; generating ${gen.ms.toFixed(0)} ms`);
  await heldInMemory(source);
  for (const [name, work] of [
    ['scoreLead per lead, reasons', () => score(source)],
    ['scoreLeads per page of 1,000, reasons', () => scorePages(source, true)],
    ['scoreLeads per page of 1,000, no reasons', () => scorePages(source, false)],
  ] as const) {
    const run = await timed(work);
    // the scoring's own time: measured inside each page (the generator's work left out)
    const own = run.own;
    const projected = (own * 1_000_000) / LEADS;
    console.log(`    ${name}: ${run.ms.toFixed(0)} ms with generation, its own ${own.toFixed(0)} ms (${projected <= 2000 ? 'meets' : 'misses'} ≤ 2 s${LEADS === 1_000_000 ? '' : ', projected to 1M leads'}); ${run.detail}`);
  }
}
