/**
 * Linking two lists, and a scored (Fellegi–Sunter) rule set fitted to the data:
 * `npx tsx bench/dedupe-link.bench.ts`.
 *
 * On both lead generators (`bench/dedupe-data.ts` "a", `bench/dedupe-data-b.ts` "b"),
 * LINK_N records each (default 200,000), person-level truth:
 *  (1) `linkRecords(left, right, DEFAULT_RULE_SETS.lead)`: the records split by index parity
 *      into two lists; a link is right when both records are one person. Precision over the
 *      links; recall over the most one-to-one links the truth allows (per person, the smaller of
 *      its record counts on the two sides). Wall time.
 *  (2) `estimateWeights` on the first LINK_SAMPLE records (default 50,000) for a scored lead
 *      rule set (name, phone, email, company, tax id; threshold LINK_THRESHOLD bits, default 14),
 *      then `clusterRecords` with the fitted weights on all LINK_N records: the fitted m and u,
 *      pairwise precision / recall beside the default rule set's on the same records.
 */
import { clusterRecords, DEFAULT_RULE_SETS, estimateWeights, linkRecords, type DedupeRecordInput, type RuleSetInput } from '../src/dedupe/index.js';
import { streamLeads } from './dedupe-data.js';
import { streamLeadsB } from './dedupe-data-b.js';

const N = Number(process.env.LINK_N ?? 200_000);
const SAMPLE = Number(process.env.LINK_SAMPLE ?? 50_000);
const THRESHOLD = Number(process.env.LINK_THRESHOLD ?? 14);
const SEED = Number(process.env.DEDUPE_SEED ?? 20_240_917);
const now = (): number => performance.now();
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function load(gen: 'a' | 'b'): { records: DedupeRecordInput[]; person: Int32Array } {
  const records: DedupeRecordInput[] = [];
  const person = new Int32Array(N);
  if (gen === 'a') for (const g of streamLeads(N, SEED)) person[records.push(g.record) - 1] = g.person;
  else for (const g of streamLeadsB(N, SEED)) person[records.push(g.record) - 1] = g.person;
  return { records, person };
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

/** Pairwise precision and recall of clusters against the person of each record. */
function pairwise(clusters: readonly (readonly string[])[], index: ReadonlyMap<string, number>, person: Int32Array): { p: number; r: number } {
  let found = 0;
  let correct = 0;
  for (const cluster of clusters) {
    found += pairs(cluster.length);
    const by = new Map<number, number>();
    for (const id of cluster) {
      const p = person[index.get(id)!]!;
      by.set(p, (by.get(p) ?? 0) + 1);
    }
    for (const n of by.values()) correct += pairs(n);
  }
  const sizes = new Map<number, number>();
  for (const p of person) sizes.set(p, (sizes.get(p) ?? 0) + 1);
  let truth = 0;
  for (const n of sizes.values()) truth += pairs(n);
  return { p: found === 0 ? 1 : correct / found, r: truth === 0 ? 1 : correct / truth };
}

const scoredLeads: RuleSetInput = {
  id: 'scored-lead',
  object: 'lead',
  groups: [
    {
      id: 'scored',
      score: { threshold: THRESHOLD },
      conditions: [
        { field: 'name', kind: 'personName', method: 'personName', threshold: 0.88 },
        { field: 'phone', kind: 'phone', commonAbove: 5 },
        { field: 'email', kind: 'email', commonAbove: 5 },
        { field: 'company', kind: 'company', method: 'levenshtein', threshold: 0.85, commonAbove: 20 },
        { field: 'taxId', kind: 'identifier' },
      ],
    },
  ],
  sameAccount: [{ id: 'same-company', conditions: [{ field: 'company', kind: 'company' }] }],
  countryField: 'country',
};

for (const gen of ['a', 'b'] as const) {
  const { records, person } = load(gen);
  const index = new Map(records.map((r, i) => [r.id, i]));
  console.log(`\n== generator ${gen}: ${N.toLocaleString('en-US')} leads ==`);

  // (1) linking two halves
  const left = records.filter((_, i) => i % 2 === 0);
  const right = records.filter((_, i) => i % 2 === 1);
  let t = now();
  const linked = linkRecords(left, right, DEFAULT_RULE_SETS.lead);
  const linkMs = now() - t;
  if (!linked.ok) throw new Error(linked.error.message);
  const correct = linked.value.links.filter((l) => person[index.get(l.leftId)!] === person[index.get(l.rightId)!]).length;
  const sides = new Map<number, [number, number]>();
  records.forEach((_, i) => {
    const s = sides.get(person[i]!) ?? [0, 0];
    s[i % 2] = s[i % 2]! + 1;
    sides.set(person[i]!, s);
  });
  let possible = 0;
  for (const [l, r] of sides.values()) possible += Math.min(l, r);
  console.log(
    `link (one-to-one, default lead rules): ${linked.value.links.length} links, precision ${pct(correct / Math.max(1, linked.value.links.length))}, recall ${pct(correct / Math.max(1, possible))} of ${possible} possible, contested ${linked.value.stats.contested}, ${secs(linkMs)}`,
  );

  // (2) a scored rule set fitted to a sample
  t = now();
  const est = estimateWeights(records.slice(0, SAMPLE), scoredLeads, { seed: 7 });
  const estMs = now() - t;
  if (!est.ok) {
    console.log(`estimateWeights: ${est.error.code} ${est.error.message}`);
    continue;
  }
  console.log(`estimateWeights on ${SAMPLE.toLocaleString('en-US')}: ${secs(estMs)}, ${est.value.blockedPairs.toLocaleString('en-US')} blocked pairs, ${est.value.iterations} iterations${est.value.converged ? '' : ' (not converged)'}`);
  for (const c of est.value.conditions) console.log(`  ${c.field.padEnd(8)} m ${c.m.toFixed(3)}  u ${c.u.toExponential(2)}  agree ${c.agree.toFixed(2)}  disagree ${c.disagree.toFixed(2)}`);
  t = now();
  const scored = clusterRecords(records, est.value.ruleSet);
  const scoredMs = now() - t;
  t = now();
  const plain = clusterRecords(records, DEFAULT_RULE_SETS.lead);
  const plainMs = now() - t;
  if (!scored.ok || !plain.ok) throw new Error('clustering failed');
  const s = pairwise(scored.value.clusters, index, person);
  const d = pairwise(plain.value.clusters, index, person);
  console.log(`cluster, scored ${THRESHOLD} bits (fitted): precision ${pct(s.p)}, recall ${pct(s.r)}, largest ${scored.value.stats.largestCluster}, ${secs(scoredMs)}`);
  console.log(`cluster, default lead rules:        precision ${pct(d.p)}, recall ${pct(d.r)}, largest ${plain.value.stats.largestCluster}, ${secs(plainMs)}`);
}
