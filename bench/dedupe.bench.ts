/**
 * Duplicate detection at scale: `npx tsx bench/dedupe.bench.ts`.
 *
 * On two seeded synthetic lead generators with ground truth, written from different assumptions:
 * "a" (`bench/dedupe-data.ts`: distinctive brands, 1–2 contacts per company, hard negatives of
 * city, branch and brand) and "b" (`bench/dedupe-data-b.ts`: generic and colliding names, many
 * contacts per company, switchboards, role and family mailboxes, US/UK/JP/HK phone formats,
 * pinyin, English names and traditional characters, credit codes). DEDUPE_DATA (default `a,b`)
 * says which; parts (a) and (b) run once per generator. The truth is the PERSON at a company (a
 * lead duplicate is the same person; another person of the company is the same account, not a
 * duplicate): precision and recall are scored on persons, with the company-level figures beside.
 *  (a) `clusterRecords(records, DEFAULT_RULE_SETS.lead)` on DEDUPE_N records (default 1,000,000):
 *      wall time, peak RSS and peak V8 heap (from `--trace-gc`), pairwise precision / recall / F1
 *      against the ground truth (from cluster × person co-membership counts, never O(n²)), the
 *      largest cluster beside the truth's largest, the run's own stats, and which generated cases
 *      are missed or over-matched, with counts and by generator tag (a cost breakdown by phase
 *      comes with the `reference` part).
 *  (b) the online check: an index Map<blocking key, record indices> of DEDUPE_N records, then
 *      DEDUPE_QUERIES new records (default 10,000), each: compute its keys (`blockingKeys`),
 *      fetch the candidates, `explainMatch` against each; p50 / p99 / max latency, candidates
 *      per query, and the check's own precision / recall. Then `createDedupeService(...).check`
 *      over a store answering from the same index with `countKeys` (the index's block sizes,
 *      standing in for the host's `GROUP BY` on its keys table): keys over
 *      DEDUPE_ONLINE_CAP records (the service's `maxCandidatesPerKey`, default 50) are skipped
 *      unless a duplicate group could hold through them; beside it the same service over a store
 *      without `countKeys` (every key up to DEDUPE_ONLINE_MAX_BLOCK fetched, as before the cap),
 *      with how many queries' duplicates differ between the two; each service row also as the
 *      best of 3 runs per query (the child holds a multi-GB index, and its collector's pauses
 *      land on queries of any size).
 *  (c) peers on generator "a": talisman's key-collision clustering with fingerprint keys
 *      on DEDUPE_TALISMAN_N records (default 100,000) and fuzzball's `dedupe` on
 *      DEDUPE_FUZZBALL_N company names (default 2,000), each beside ours on the same records.
 *  (d) the hand-written adversarial pairs of `bench/dedupe-adversarial.ts` through the public
 *      `explainMatch` with `DEFAULT_RULE_SETS.lead`: how many verdicts agree (duplicate /
 *      sameAccount / distinct, from the explanation's `relation` when it has one, else
 *      duplicate → 'duplicate' and not → 'distinct'), both ways round, and which disagree.
 *
 * Each part runs in its own child process (so memory figures are its own), and the parent prints
 * one table at the end. Other knobs: DEDUPE_PINYIN=1 (pinyin-pro injected as romanizeName), DEDUPE_SEED, DEDUPE_PARTS (comma list of cluster, online,
 * talisman, fuzzball, adversarial — the default — and reference), DEDUPE_CHILD_TIMEOUT_S (default 900; a part that runs longer is killed and
 * reported as such), DEDUPE_DIAGNOSE=0 (skip the misses / over-matches breakdown).
 *
 * Targets (printed beside the figures): per generator at 1M leads precision ≥ 98%, recall ≥ 95%,
 * ≤ 20 s, ≤ 1.5 GB peak RSS, largest cluster ≤ the truth's largest + 5; the online check of one
 * new lead against the 1M index p50 ≤ 0.2 ms, p99 ≤ 2 ms.
 */
import { spawn } from 'node:child_process';
import { pinyin } from 'pinyin-pro';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  blockingKeys,
  clusterRecords,
  createDedupeService,
  dedupeRecordSchema,
  DEFAULT_RULE_SETS,
  explainMatch,
  normalizeCompanyName,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
  ruleSetSchema,
  type DedupeRecord,
  type DedupeRecordInput,
  type DedupeStore,
  type DedupeHooks,
  type PreparedCandidate,
  type PreparedRecord,
  type RuleSet,
} from '../src/dedupe/index.js';
import { blockingKeysOfPrepared, compareParsed, prepareParsed, preparedValue } from '../src/dedupe/match.js';
import { ADVERSARIAL_PAIRS, adversarialRecords, type AdversarialVerdict } from './dedupe-adversarial.js';
import { mulberry32, recordIndex, streamLeads, TAG } from './dedupe-data.js';
import { streamLeadsB, TAG_B, TAG_B_NAMES } from './dedupe-data-b.js';

const N = Number(process.env.DEDUPE_N ?? 1_000_000);
const SEED = Number(process.env.DEDUPE_SEED ?? 20_240_917);
const QUERIES = Number(process.env.DEDUPE_QUERIES ?? 10_000);
const TALISMAN_N = Number(process.env.DEDUPE_TALISMAN_N ?? 100_000);
const FUZZBALL_N = Number(process.env.DEDUPE_FUZZBALL_N ?? 2_000);
const PARTS = (process.env.DEDUPE_PARTS ?? 'cluster,online,talisman,fuzzball,adversarial').split(',').map((s) => s.trim());
const CHILD_TIMEOUT_S = Number(process.env.DEDUPE_CHILD_TIMEOUT_S ?? 900);
/** The generators to run parts (a) and (b) on. */
const DATA = (process.env.DEDUPE_DATA ?? 'a,b')
  .split(',')
  .map((s) => s.trim().toLowerCase())
  .filter((s): s is Source => s === 'a' || s === 'b');
/** The targets (see the module comment). */
const TARGET = { precision: 0.98, recall: 0.95, ms: 20_000, rss: 1.5 * 1024 ** 3, clusterSlack: 5, p50: 0.2, p99: 2 } as const;

const RULES = DEFAULT_RULE_SETS.lead;
/**
 * DEDUPE_PINYIN=1: every call gets pinyin-pro as `romanizeName` (a host's injected romanizer);
 * by default the library runs as it ships, with no romanizer.
 */
const HOOKS: DedupeHooks = process.env.DEDUPE_PINYIN === '1' ? { romanizeName: (han: string) => pinyin(han, { toneType: 'none', type: 'array', surname: 'head' }) } : {};
const now = (): number => performance.now();
const fmt = (x: number, d = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const mb = (bytes: number): string => `${fmt(bytes / 1024 / 1024)} MB`;
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const log = (...xs: unknown[]): void => void process.stderr.write(`${xs.join(' ')}\n`);

// ─────────────────────────────────────── data ───────────────────────────────────────

/** A generator: "a" (`dedupe-data.ts`) or "b" (`dedupe-data-b.ts`). */
type Source = 'a' | 'b';

/** One generated lead with its truth, whichever the generator. */
interface Lead {
  readonly record: DedupeRecordInput;
  /** The person (the truth of a lead duplicate). */
  readonly person: number;
  /** The company (A: the entity; B: the company). */
  readonly company: number;
  /** Companies that are each other's hard negatives (A: brand group; B: name group). */
  readonly group: number;
  readonly tags: number;
}

/** The leads of a generator, with the person-level truth (A's `person`, B's `person`). */
function* leads(gen: Source, n: number, seed: number): Generator<Lead> {
  if (gen === 'a') for (const g of streamLeads(n, seed)) yield { record: g.record, person: g.person, company: g.entity, group: g.group, tags: g.tags };
  else for (const g of streamLeadsB(n, seed)) yield { record: g.record, person: g.person, company: g.company, group: g.nameGroup, tags: g.tags };
}

/** The tag marking a Chinese company, per generator. */
const chineseTag = (gen: Source): number => (gen === 'a' ? TAG.chinese : TAG_B.chinese);
/** Names of the tag bits, per generator. */
const tagNamesOf = (gen: Source): readonly string[] => (gen === 'a' ? Object.keys(TAG) : TAG_B_NAMES);

interface DataSet {
  readonly gen: Source;
  readonly records: DedupeRecordInput[];
  /** The truth: the person of each record. */
  readonly person: Int32Array;
  readonly company: Int32Array;
  readonly group: Int32Array;
  readonly tags: Uint32Array;
  /** One more than the largest person number. */
  readonly persons: number;
}

function load(gen: Source, n: number, seed: number): DataSet {
  const records: DedupeRecordInput[] = new Array(n);
  const person = new Int32Array(n);
  const company = new Int32Array(n);
  const group = new Int32Array(n);
  const tags = new Uint32Array(n);
  let i = 0;
  let maxPerson = 0;
  for (const g of leads(gen, n, seed)) {
    records[i] = g.record;
    person[i] = g.person;
    company[i] = g.company;
    group[i] = g.group;
    tags[i] = g.tags;
    if (g.person > maxPerson) maxPerson = g.person;
    i++;
  }
  return { gen, records, person, company, group, tags, persons: maxPerson + 1 };
}

/** The size of the largest truth group (most records of one person, or of one company). */
function largestGroup(truth: Int32Array): number {
  const count = new Map<number, number>();
  let largest = 0;
  for (let i = 0; i < truth.length; i++) {
    const k = (count.get(truth[i]!) ?? 0) + 1;
    count.set(truth[i]!, k);
    if (k > largest) largest = k;
  }
  return largest;
}

// ───────────────────────────────────── metrics ──────────────────────────────────────

interface Pairwise {
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

const pairs = (k: number): number => (k * (k - 1)) / 2;

/**
 * Pairwise precision / recall / F1 of a clustering (`label[i]`, any integers) against the
 * ground truth (`entity[i]`: a person, or a company), from co-membership counts:
 * TP = Σ C(|cluster ∩ entity|, 2), predicted = Σ C(|cluster|, 2), true = Σ C(|entity|, 2).
 * Linear in the number of records.
 */
function pairwise(label: Int32Array, entity: Int32Array): Pairwise {
  const bySize = new Map<number, number>();
  const byEntity = new Map<number, number>();
  const cells = new Map<number, number>();
  let maxEntity = 0;
  for (let i = 0; i < entity.length; i++) if (entity[i]! > maxEntity) maxEntity = entity[i]!;
  const stride = maxEntity + 1;
  for (let i = 0; i < label.length; i++) {
    const l = label[i]!;
    const e = entity[i]!;
    bySize.set(l, (bySize.get(l) ?? 0) + 1);
    byEntity.set(e, (byEntity.get(e) ?? 0) + 1);
    const cell = l * stride + e;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  let predictedPairs = 0;
  for (const k of bySize.values()) predictedPairs += pairs(k);
  let truePairs = 0;
  for (const k of byEntity.values()) truePairs += pairs(k);
  let truePositives = 0;
  for (const k of cells.values()) truePositives += pairs(k);
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  return { truePairs, predictedPairs, truePositives, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** Labels from clusters of record ids (records in no cluster are their own). */
function labelsFromIdClusters(clusters: readonly (readonly string[])[], n: number): Int32Array {
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = i;
  clusters.forEach((c, k) => {
    for (const id of c) label[recordIndex(id)] = n + k;
  });
  return label;
}

/** Labels from clusters of record indices. */
function labelsFromIndexClusters(clusters: readonly (readonly number[])[], n: number): Int32Array {
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = i;
  clusters.forEach((c, k) => {
    for (const i of c) label[i] = n + k;
  });
  return label;
}

const quantile = (sorted: Float64Array | number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

// ─────────────────────────────────── diagnostics ────────────────────────────────────

interface Category {
  pairs: number;
  examples: string[];
}

function bump(map: Map<string, Category>, key: string, count: number, example: () => string): void {
  let c = map.get(key);
  if (!c) map.set(key, (c = { pairs: 0, examples: [] }));
  c.pairs += count;
  if (c.examples.length < 3) c.examples.push(example());
}

const show = (r: DedupeRecordInput): string => {
  const f = r.fields;
  return `${r.id}{${['company', 'name', 'phone', 'email'].map((k) => `${k}=${f[k] === undefined ? '∅' : JSON.stringify(f[k])}`).join(' ')}}`;
};

/** Why a true pair (same person) of generator A did not end up in one cluster. */
function missReasonA(ds: DataSet, a: PreparedRecord, b: PreparedRecord, i: number, j: number, rs: RuleSet): string {
  const m = compareParsed(a, b, rs);
  if (m.duplicate) return `matched when compared, but never compared (blocking / oversized block) [${m.groupId}]`;
  const ti = ds.tags[i]!;
  const tj = ds.tags[j]!;
  const either = (t: number) => ((ti | tj) & t) !== 0;
  const onlyOne = (t: number) => ((ti ^ tj) & t) !== 0;
  const ca = preparedValue(a, 'company');
  const cb = preparedValue(b, 'company');
  let company: string;
  if (!ca || !cb) company = 'company blank on one side';
  else if (either(TAG.typo)) company = 'typo in the brand';
  else if (onlyOne(TAG.cityDropped)) company = 'city left out on one side (上海X vs X)';
  else if (onlyOne(TAG.cityShi)) company = '上海市X vs 上海X (市 kept in the key)';
  else if (either(TAG.branch)) company = 'branch name variant';
  else company = `company differs otherwise (${ca.value} vs ${cb.value})`;
  const pa = preparedValue(a, 'phone');
  const pb = preparedValue(b, 'phone');
  const ea = preparedValue(a, 'email');
  const eb = preparedValue(b, 'email');
  const contact =
    (!pa || !pb) && (!ea || !eb)
      ? 'no phone/email pair to compare'
      : either(TAG.landline)
        ? 'landline vs mobile'
        : 'phone/email differ';
  return `${company}; ${contact}`;
}

/** How two records of different persons of generator A were put together. */
function overMatchReasonA(ds: DataSet, a: PreparedRecord, b: PreparedRecord, i: number, j: number, rs: RuleSet, placeholderCluster: boolean): string {
  const m = compareParsed(a, b, rs);
  if (!m.duplicate) return placeholderCluster ? 'transitive, in a cluster held together by a placeholder phone' : 'transitive (joined through other records)';
  const ti = ds.tags[i]!;
  const tj = ds.tags[j]!;
  if (ds.company[i] === ds.company[j]) return `same company, other contact person [${m.groupId}]`;
  if (m.groupId === 'phone' && (ti & tj & TAG.placeholderPhone) !== 0) return 'placeholder phone (13800138000…) [phone]';
  const sameGroup = ds.group[i] === ds.group[j];
  if (sameGroup && (ti & tj & TAG.citySibling) !== 0) return `same brand, other city [${m.groupId}]`;
  if (sameGroup && ((ti | tj) & TAG.branch) !== 0) return `branch vs parent [${m.groupId}]`;
  if (sameGroup) return `same brand, other industry [${m.groupId}]`;
  return `unrelated entities [${m.groupId}]`;
}

/** Why a true pair (same person) of generator B did not end up in one cluster: company; person; contact. */
function missReasonB(ds: DataSet, a: PreparedRecord, b: PreparedRecord, i: number, j: number, rs: RuleSet): string {
  const m = compareParsed(a, b, rs);
  if (m.duplicate) return `matched when compared, but never compared (blocking / oversized block) [${m.groupId}]`;
  const ti = ds.tags[i]!;
  const tj = ds.tags[j]!;
  const either = (t: number) => ((ti | tj) & t) !== 0;
  const onlyOne = (t: number) => ((ti ^ tj) & t) !== 0;
  const T = TAG_B;
  const ca = preparedValue(a, 'company');
  const cb = preparedValue(b, 'company');
  let company: string;
  if (!ca || !cb) company = either(T.placeholderCompany) ? 'placeholder company on one side' : 'company blank on one side';
  else if (ca.value === cb.value) company = 'same company key';
  else if (onlyOne(T.englishName)) company = 'English name vs Chinese';
  else if (onlyOne(T.romanizedName)) company = 'pinyin/romaji vs characters';
  else if (onlyOne(T.traditional)) company = 'traditional vs simplified';
  else if (either(T.companyTypo)) company = 'typo in the company';
  else if (either(T.regionMoved)) company = 'region moved (深圳X vs X（深圳）)';
  else if (either(T.regionDropped)) company = 'region dropped on one side';
  else if (either(T.formVariant)) company = 'legal form / short name variant';
  else company = 'company written otherwise';
  const na = preparedValue(a, 'name');
  const nb = preparedValue(b, 'name');
  let name: string;
  if (!na || !nb) name = 'name blank on one side';
  else if (na.value === nb.value) name = 'same name key';
  else if (onlyOne(T.nameRomanized)) name = 'name in pinyin/romaji vs characters';
  else if (either(T.nameAlias)) name = 'English name / nickname / initial';
  else if (either(T.nameTypo)) name = 'typo in the name';
  else if (either(T.nameSwap)) name = 'family/given swapped';
  else if (either(T.nameDecorated)) name = 'title / department / middle initial';
  else name = 'name written otherwise';
  const pa = preparedValue(a, 'phone');
  const pb = preparedValue(b, 'phone');
  const ea = preparedValue(a, 'email');
  const eb = preparedValue(b, 'email');
  let contact: string;
  if ((!pa || !pb) && (!ea || !eb)) contact = 'no phone/email pair';
  else if (pa && pb && onlyOne(T.switchboard)) contact = 'switchboard vs mobile';
  else if (pa && pb && onlyOne(T.nationalFormat)) contact = 'national vs international phone';
  else if (either(T.roleMailbox)) contact = 'role mailbox on one side';
  else contact = 'phone/email differ (e.g. work vs personal mailbox)';
  return `${company}; ${name}; ${contact}`;
}

/** How two records of different persons of generator B were put together. */
function overMatchReasonB(ds: DataSet, a: PreparedRecord, b: PreparedRecord, i: number, j: number, rs: RuleSet, placeholderCluster: boolean): string {
  const m = compareParsed(a, b, rs);
  if (!m.duplicate) return placeholderCluster ? 'transitive, in a cluster held together by a placeholder company' : 'transitive (joined through other records)';
  const ti = ds.tags[i]!;
  const tj = ds.tags[j]!;
  const both = (t: number) => (ti & tj & t) !== 0;
  const T = TAG_B;
  const g = m.groupId;
  if (ds.company[i] === ds.company[j]) {
    if (g === 'phone' && both(T.switchboard)) return `same company, other person: shared switchboard [${g}]`;
    if (g === 'email' && both(T.roleMailbox)) return `same company, other person: shared role mailbox [${g}]`;
    if (both(T.namesake)) return `same company, other person: namesakes [${g}]`;
    return `same company, other person [${g}]`;
  }
  if (g === 'email' && both(T.familyMailbox)) return `other company: family mailbox [${g}]`;
  if (both(T.placeholderCompany)) return `other company: placeholder company (个人, N/A) [${g}]`;
  if (ds.group[i] === ds.group[j]) {
    if (both(T.regionSibling)) return `other company: same brand, other region [${g}]`;
    if (both(T.genericName)) return `other company: generic name shared by many [${g}]`;
    return `other company: same name core [${g}]`;
  }
  if (g === 'phone' && ((ti | tj) & T.nationalFormat) !== 0) return `other company: national-format phones read alike [${g}]`;
  return `other company, unrelated [${g}]`;
}

// ───────────────────────────────────── children ─────────────────────────────────────

type Json = Record<string, unknown>;

/**
 * A child's result goes through a file: a large line on stdout can be cut by the `--trace-gc`
 * lines V8 writes to the same pipe while Node writes it in pieces.
 */
function result(part: string, data: Json): void {
  const file = join(tmpdir(), `dedupe-bench-${process.pid}-${part}.json`);
  writeFileSync(file, JSON.stringify({ part, ...data }));
  process.stdout.write(`@@RESULT_FILE ${file}\n`);
}
function mark(phase: string): void {
  process.stdout.write(`@@MARK ${phase}\n`);
}
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** What the misses / over-matches analysis returns. */
type Categories = { reason: string; pairs: number; examples: string[] }[];
/** Per generator tag: true pairs with the tag on either record, of them missed, and over-matched pairs with it. */
type TagRow = { tag: string; truePairs: number; missed: number; overMatched: number };

/**
 * Classifies every missed true pair and every over-matched pair of a clustering (against the
 * person-level truth), and counts both by generator tag (a pair counts for a tag when either
 * record has it).
 */
function diagnose(ds: DataSet, clusters: readonly (readonly number[])[], label: Int32Array): { misses: Categories; overMatches: Categories; byTag: TagRow[] } {
  const n = ds.records.length;
  const rs = ruleSetSchema.parse(RULES);
  const missReason = ds.gen === 'a' ? missReasonA : missReasonB;
  const overMatchReason = ds.gen === 'a' ? overMatchReasonA : overMatchReasonB;
  const placeholderTag = ds.gen === 'a' ? TAG.placeholderPhone : TAG_B.placeholderCompany;
  const names = tagNamesOf(ds.gen);
  const tagTrue = new Float64Array(32);
  const tagMissed = new Float64Array(32);
  const tagOver = new Float64Array(32);
  const count = (into: Float64Array, bits: number, k = 1) => {
    for (let t = 0; t < names.length; t++) if (bits & (1 << t)) into[t]! += k;
  };
  const prepCache = new Map<number, PreparedRecord>();
  const prep = (i: number): PreparedRecord => {
    let p = prepCache.get(i);
    if (!p) {
      p = prepareParsed(dedupeRecordSchema.parse(ds.records[i]) as DedupeRecord, rs);
      if (prepCache.size > 200_000) prepCache.clear();
      prepCache.set(i, p);
    }
    return p;
  };
  // Records by person (counting sort), then every true pair not in one cluster.
  const persons = ds.persons;
  const start = new Int32Array(persons + 1);
  for (let i = 0; i < n; i++) start[ds.person[i]! + 1]!++;
  for (let e = 0; e < persons; e++) start[e + 1]! += start[e]!;
  const order = new Int32Array(n);
  const fill = start.slice(0, persons);
  for (let i = 0; i < n; i++) order[fill[ds.person[i]!]!++] = i;
  const misses = new Map<string, Category>();
  for (let e = 0; e < persons; e++) {
    for (let x = start[e]!; x < start[e + 1]!; x++) {
      for (let y = x + 1; y < start[e + 1]!; y++) {
        const i = order[x]!;
        const j = order[y]!;
        const bits = ds.tags[i]! | ds.tags[j]!;
        count(tagTrue, bits);
        if (label[i] === label[j]) continue;
        count(tagMissed, bits);
        bump(misses, missReason(ds, prep(i), prep(j), i, j, rs), 1, () => `${show(ds.records[i]!)} ~ ${show(ds.records[j]!)}`);
      }
    }
  }
  // Every pair of different persons inside one cluster.
  const overs = new Map<string, Category>();
  for (const idx of clusters) {
    const first = ds.person[idx[0]!]!;
    if (idx.every((i) => ds.person[i] === first)) continue;
    const placeholder = idx.some((i) => (ds.tags[i]! & placeholderTag) !== 0);
    if (idx.length > 400) {
      const counts = new Map<number, number>();
      let sameCompany = 0;
      const byCompany = new Map<number, number>();
      for (const i of idx) {
        counts.set(ds.person[i]!, (counts.get(ds.person[i]!) ?? 0) + 1);
        byCompany.set(ds.company[i]!, (byCompany.get(ds.company[i]!) ?? 0) + 1);
      }
      let same = 0;
      for (const k of counts.values()) same += pairs(k);
      for (const k of byCompany.values()) sameCompany += pairs(k);
      bump(
        overs,
        `one cluster of ${idx.length} records, ${counts.size} persons, ${byCompany.size} companies (not broken down; ${fmt(sameCompany - same)} of its wrong pairs in one company)`,
        pairs(idx.length) - same,
        () => idx.slice(0, 3).map((i) => show(ds.records[i]!)).join(' ~ '),
      );
      continue;
    }
    for (let x = 0; x < idx.length; x++) {
      for (let y = x + 1; y < idx.length; y++) {
        const i = idx[x]!;
        const j = idx[y]!;
        if (ds.person[i] === ds.person[j]) continue;
        count(tagOver, ds.tags[i]! | ds.tags[j]!);
        bump(overs, overMatchReason(ds, prep(i), prep(j), i, j, rs, placeholder), 1, () => `${show(ds.records[i]!)} ~ ${show(ds.records[j]!)}`);
      }
    }
  }
  const sorted = (m: Map<string, Category>): Categories => [...m].sort((a, b) => b[1].pairs - a[1].pairs).map(([reason, c]) => ({ reason, ...c }));
  const byTag = names.map((tag, t) => ({ tag, truePairs: tagTrue[t]!, missed: tagMissed[t]!, overMatched: tagOver[t]! })).filter((r) => r.truePairs + r.overMatched > 0);
  return { misses: sorted(misses), overMatches: sorted(overs), byTag };
}

/**
 * The bench's reference clustering, the straightforward way from the module's exported pieces
 * (zod validation, `prepareParsed`, a sort by id, one map of every public blocking key
 * (`blockingKeysOfPrepared`), the same block-size cap, `compareParsed` with its full
 * explanation for every pair, union-find; each pair compared once by stamping the candidates of
 * record i): the same clusters as `clusterRecords`, with each phase timed, so the gain of
 * `clusterRecords`' own path (records read in place, hashed keys group by group, a yes/no test)
 * shows. Not run by default (DEDUPE_PARTS=reference): at 1M it takes ~40 s and ~2.4 GB.
 */
function referenceCluster(
  records: readonly DedupeRecordInput[],
  maxBlockSize = 500,
): { clusters: number[][]; phases: Record<string, number>; stats: Record<string, number>; heapAfter: Record<string, number>; byType: Json } {
  const phases: Record<string, number> = {};
  const heapAfter: Record<string, number> = {};
  // Heap in use after a phase, after a full GC (outside the timed phases).
  const heap = (label: string) => {
    gc();
    heapAfter[label] = process.memoryUsage().heapUsed;
  };
  heap('input records');
  let t = now();
  const rs = ruleSetSchema.parse(RULES);
  const parsed: DedupeRecord[] = records.map((r) => dedupeRecordSchema.parse(r) as DedupeRecord);
  phases['validate (zod)'] = now() - t;
  heap('+ validated copies');
  t = now();
  const prepared = parsed.map((r) => prepareParsed(r, rs));
  phases['normalize (prepareParsed)'] = now() - t;
  heap('+ prepared records');
  t = now();
  const order = prepared.map((_, i) => i).sort((a, b) => {
    const x = prepared[a]!.record.id;
    const y = prepared[b]!.record.id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  phases['sort by id'] = now() - t;
  t = now();
  const n = prepared.length;
  const blocks = new Map<string, number[]>();
  for (let r = 0; r < n; r++) {
    for (const key of blockingKeysOfPrepared(prepared[order[r]!]!, rs)) {
      let b = blocks.get(key);
      if (!b) blocks.set(key, (b = []));
      b.push(r);
    }
  }
  phases['blocking keys + block map'] = now() - t;
  heap('blocks built');
  const byType: Record<string, { blocks: number; oversized: number; recordsInOversized: number; pairsInKept: number; largest: string; largestSize: number }> = {};
  for (const [key, b] of blocks) {
    const type = key.slice(0, key.indexOf(':') + 1);
    const x = (byType[type] ??= { blocks: 0, oversized: 0, recordsInOversized: 0, pairsInKept: 0, largest: '', largestSize: 0 });
    x.blocks++;
    if (b.length > maxBlockSize) {
      x.oversized++;
      x.recordsInOversized += b.length;
    } else x.pairsInKept += pairs(b.length);
    if (b.length > x.largestSize) {
      x.largestSize = b.length;
      x.largest = key;
    }
  }
  t = now();
  // Per record, the blocks it is in (CSR), skipping singletons and oversized blocks.
  const live: number[][] = [];
  let oversized = 0;
  for (const b of blocks.values()) {
    if (b.length < 2) continue;
    if (b.length > maxBlockSize) oversized++;
    else live.push(b);
  }
  const count = new Int32Array(n + 1);
  for (const b of live) for (const r of b) count[r + 1]!++;
  for (let r = 0; r < n; r++) count[r + 1]! += count[r]!;
  const fill = count.slice(0, n);
  const memberOf = new Int32Array(count[n]!);
  live.forEach((b, k) => {
    for (const r of b) memberOf[fill[r]!++] = k;
  });
  const parent = new Int32Array(n);
  for (let r = 0; r < n; r++) parent[r] = r;
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const stamp = new Int32Array(n).fill(-1);
  let comparisons = 0;
  let duplicatePairs = 0;
  for (let i = 0; i < n; i++) {
    const a = prepared[order[i]!]!;
    for (let m = count[i]!; m < count[i + 1]!; m++) {
      const b = live[memberOf[m]!]!;
      for (let y = b.length - 1; y >= 0; y--) {
        const j = b[y]!;
        if (j <= i) break;
        if (stamp[j] === i) continue;
        stamp[j] = i;
        comparisons++;
        if (compareParsed(a, prepared[order[j]!]!, rs).duplicate) {
          duplicatePairs++;
          const ri = find(i);
          const rj = find(j);
          if (ri !== rj) {
            if (ri < rj) parent[rj] = ri;
            else parent[ri] = rj;
          }
        }
      }
    }
  }
  phases['compare pairs (compareParsed) + union'] = now() - t;
  heap('after comparing');
  t = now();
  const groups = new Map<number, number[]>();
  for (let r = 0; r < n; r++) {
    const root = find(r);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(recordIndex(prepared[order[r]!]!.record.id));
  }
  const clusters = [...groups.values()].filter((g) => g.length > 1);
  phases['clusters out'] = now() - t;
  return { clusters, phases, heapAfter, byType, stats: { records: n, blocks: blocks.size, oversizedBlocksSkipped: oversized, comparisons, duplicatePairs, clusters: clusters.length } };
}

/** The size of a cluster run's data set: `--n` of the child, else DEDUPE_N. */
function childN(): number {
  const at = process.argv.indexOf('--n');
  return at >= 0 ? Number(process.argv[at + 1]) : N;
}

/** The generator of a child: `--data`, else "a". */
function childData(): Source {
  const at = process.argv.indexOf('--data');
  return at >= 0 && process.argv[at + 1] === 'b' ? 'b' : 'a';
}

/** What a cluster run reports about its data and its clusters beside the truth. */
function truthFigures(ds: DataSet, clusters: readonly (readonly number[])[], label: Int32Array): Json {
  const n = ds.records.length;
  let chinese = 0;
  const tag = chineseTag(ds.gen);
  for (let i = 0; i < n; i++) if (ds.tags[i]! & tag) chinese++;
  const companies = new Set<number>();
  const persons = new Set<number>();
  for (let i = 0; i < n; i++) {
    companies.add(ds.company[i]!);
    persons.add(ds.person[i]!);
  }
  // Generator B: true pairs with a record that names no person (no name; no phone or only the
  // switchboard; no email or only a role mailbox): person evidence cannot join them.
  let anonymousPairs = 0;
  if (ds.gen === 'b') {
    const T = TAG_B;
    const byPerson = new Map<number, [number, number]>();
    for (let i = 0; i < n; i++) {
      const t = ds.tags[i]!;
      const anonymous = (t & T.noName) !== 0 && (t & (T.noPhone | T.switchboard)) !== 0 && (t & (T.noEmail | T.roleMailbox)) !== 0;
      const c = byPerson.get(ds.person[i]!) ?? [0, 0];
      c[0]++;
      if (anonymous) c[1]++;
      byPerson.set(ds.person[i]!, c);
    }
    for (const [k, a] of byPerson.values()) anonymousPairs += pairs(k) - pairs(k - a);
  }
  return {
    anonymousPairs,
    chineseShare: chinese / n,
    persons: persons.size,
    companies: companies.size,
    largestCluster: clusters.reduce((m, c) => Math.max(m, c.length), 0),
    truthLargest: largestGroup(ds.person),
    truthLargestCompany: largestGroup(ds.company),
    metrics: pairwise(label, ds.person),
    metricsCompany: pairwise(label, ds.company),
  };
}

/** (a) `clusterRecords` at full size: time, memory, quality; a throw is reported, not fatal. */
function partCluster(): void {
  const n = childN();
  const gen = childData();
  mark('generate');
  const t0 = now();
  const ds = load(gen, n, SEED);
  const generateMs = now() - t0;
  gc();
  const before = process.memoryUsage();
  log(`  generated ${fmt(n)} records in ${secs(generateMs)}; clusterRecords…`);
  mark('cluster');
  const t1 = now();
  let res: ReturnType<typeof clusterRecords>;
  try {
    res = clusterRecords(ds.records, RULES, HOOKS);
  } catch (e) {
    const ms = now() - t1;
    mark('after');
    log(`  clusterRecords threw after ${secs(ms)}: ${String(e)}`);
    result('cluster', { gen, n, generateMs, error: String(e), where: String((e as Error).stack ?? '').split('\n').slice(1, 3).join(' | '), clusterMs: ms, peakRss: process.resourceUsage().maxRSS * 1024 });
    return;
  }
  const clusterMs = now() - t1;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const after = process.memoryUsage();
  mark('after');
  if (!res.ok) throw new Error(`clusterRecords failed: ${JSON.stringify(res.error).slice(0, 500)}`);
  log(`  clustered in ${secs(clusterMs)}; scoring…`);
  const clusters = res.value.clusters.map((c) => c.map(recordIndex));
  const label = labelsFromIndexClusters(clusters, n);
  const figures = truthFigures(ds, clusters, label);
  // Normalizers alone, on the fields of the first 200,000 records.
  const sample = ds.records.slice(0, 200_000);
  const norm: Record<string, number> = {};
  const timeValues = (name: string, values: string[], fn: (s: string) => unknown) => {
    const s = now();
    for (const v of values) fn(v);
    norm[name] = ((now() - s) * 1000) / Math.max(1, values.length);
  };
  const field = (f: string, keep: (i: number) => boolean = () => true) =>
    sample.map((r, i) => (keep(i) ? r.fields[f] : undefined)).filter((v): v is string => typeof v === 'string' && v !== '');
  timeValues('normalizeCompanyName', field('company'), normalizeCompanyName);
  const landline = gen === 'a' ? TAG.landline : TAG_B.switchboard;
  timeValues('normalizePhone, mobiles', field('phone', (i) => (ds.tags[i]! & landline) === 0), (v) => normalizePhone(v, 'CN'));
  timeValues(`normalizePhone, ${gen === 'a' ? 'landlines' : 'switchboards'} (libphonenumber)`, field('phone', (i) => (ds.tags[i]! & landline) !== 0), (v) => normalizePhone(v, 'CN'));
  timeValues('normalizeEmail', field('email'), normalizeEmail);
  timeValues('normalizePersonName', field('name'), normalizePersonName);
  const diagnostics = process.env.DEDUPE_DIAGNOSE === '0' || n !== N ? null : diagnose(ds, clusters, label);
  result('cluster', {
    gen,
    n,
    generateMs,
    clusterMs,
    rssBefore: before.rss,
    heapBefore: before.heapUsed,
    peakRss,
    heapAfter: after.heapUsed,
    stats: res.value.stats,
    ...figures,
    ...diagnostics,
    normalizersUs: norm,
  });
}

/** (a') The bench's reference clustering (see `referenceCluster`) at full size, by phase, with the misses. */
function partReference(): void {
  const n = childN();
  const gen = childData();
  const t0 = now();
  const ds = load(gen, n, SEED);
  const generateMs = now() - t0;
  gc();
  const before = process.memoryUsage();
  log(`  generated ${fmt(n)} records in ${secs(generateMs)}; reference clustering…`);
  mark('cluster');
  const t1 = now();
  const ref = referenceCluster(ds.records);
  const clusterMs = now() - t1;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  mark('after');
  log(`  clustered in ${secs(clusterMs)}; scoring…`);
  const label = labelsFromIndexClusters(ref.clusters, n);
  const figures = truthFigures(ds, ref.clusters, label);
  const diagnostics = process.env.DEDUPE_DIAGNOSE === '0' ? null : diagnose(ds, ref.clusters, label);
  result('reference', {
    gen,
    n,
    generateMs,
    clusterMs,
    rssBefore: before.rss,
    peakRss,
    phases: ref.phases,
    heapAfterPhases: ref.heapAfter,
    blocksByKeyType: ref.byType,
    stats: ref.stats,
    ...figures,
    ...diagnostics,
  });
}

/**
 * (b) The online check against an index of N records. A host's keys table returns every record
 * under a key; like `clusterRecords`, the check skips keys whose block is larger than
 * DEDUPE_ONLINE_MAX_BLOCK (default 500) — too common to tell anything — and the uncapped cost is
 * measured on the first DEDUPE_ONLINE_UNCAPPED queries (default 100). The service rows ask the
 * store how many records each key has (`countKeys`) and skip keys over DEDUPE_ONLINE_CAP (the
 * service's `maxCandidatesPerKey`, default 50) through which no duplicate group can hold.
 */
async function partOnline(): Promise<void> {
  const gen = childData();
  const warmup = 1000;
  const cap = Number(process.env.DEDUPE_ONLINE_MAX_BLOCK ?? 500);
  const perKey = process.env.DEDUPE_ONLINE_CAP === undefined ? undefined : Number(process.env.DEDUPE_ONLINE_CAP);
  const uncappedQueries = Number(process.env.DEDUPE_ONLINE_UNCAPPED ?? 100);
  const total = N + QUERIES + warmup;
  log(`  generating ${fmt(total)} records and indexing ${fmt(N)}…`);
  const pickRng = mulberry32(SEED ^ 0x5bd1e995);
  const records: DedupeRecordInput[] = [];
  // The truth of each indexed record: its person (a duplicate) and its company (the same account).
  const recordEntity: number[] = [];
  const recordCompany: number[] = [];
  const queries: { record: DedupeRecordInput; entity: number; company: number }[] = [];
  const want = QUERIES + warmup;
  const p = want / total;
  for (const g of leads(gen, total, SEED)) {
    if (queries.length < want && (pickRng() < p || total - records.length - queries.length <= want - queries.length)) queries.push({ record: g.record, entity: g.person, company: g.company });
    else {
      records.push(g.record);
      recordEntity.push(g.person);
      recordCompany.push(g.company);
    }
  }
  const rs = ruleSetSchema.parse(RULES);
  const t0 = now();
  const index = new Map<string, number[]>();
  const inIndexByEntity = new Map<number, number>();
  for (let i = 0; i < records.length; i++) {
    const r = dedupeRecordSchema.parse(records[i]) as DedupeRecord;
    for (const key of blockingKeysOfPrepared(prepareParsed(r, rs, HOOKS), rs)) {
      let ids = index.get(key);
      if (!ids) index.set(key, (ids = []));
      ids.push(i);
    }
    const e = recordEntity[i]!;
    inIndexByEntity.set(e, (inIndexByEntity.get(e) ?? 0) + 1);
  }
  const buildMs = now() - t0;
  gc();
  const rssAfterBuild = process.memoryUsage().rss;
  let largestBlock = 0;
  let oversizedKeys = 0;
  const largest: [string, number][] = [];
  for (const [key, ids] of index) {
    if (ids.length > largestBlock) largestBlock = ids.length;
    if (ids.length > cap) {
      oversizedKeys++;
      largest.push([key, ids.length]);
    }
  }
  largest.sort((a, b) => b[1] - a[1]);
  log(`  index of ${fmt(records.length)} records, ${fmt(index.size)} keys, built in ${secs(buildMs)}; querying…`);

  /** Candidate ids under `keys` (blocks over `limit` skipped). */
  const lookup = (keys: readonly string[], limit: number): { ids: number[]; skipped: number } => {
    const seen = new Set<number>();
    let skipped = 0;
    for (const key of keys) {
      const ids = index.get(key);
      if (!ids) continue;
      if (ids.length > limit) {
        skipped++;
        continue;
      }
      for (const id of ids) seen.add(id);
    }
    return { ids: [...seen], skipped };
  };
  // Public path: blockingKeys + explainMatch per candidate (each call validates its inputs).
  const runPublic = (qs: typeof queries, limit: number, measure: boolean) => {
    const latency = new Float64Array(qs.length);
    const candidates = new Float64Array(qs.length);
    let found = 0;
    let correct = 0;
    let sameCompany = 0;
    let expected = 0;
    let skippedKeys = 0;
    for (let q = 0; q < qs.length; q++) {
      const { record, entity, company } = qs[q]!;
      const s = now();
      const keys = blockingKeys(record, RULES, HOOKS);
      const dups: number[] = [];
      let n = 0;
      if (keys.ok) {
        const { ids, skipped } = lookup(keys.value, limit);
        skippedKeys += skipped;
        n = ids.length;
        for (const id of ids) {
          const m = explainMatch(record, records[id]!, RULES, HOOKS);
          if (m.ok && m.value.duplicate) dups.push(id);
        }
      }
      latency[q] = now() - s;
      candidates[q] = n;
      if (measure) {
        found += dups.length;
        for (const id of dups) {
          if (recordEntity[id] === entity) correct++;
          else if (recordCompany[id] === company) sameCompany++;
        }
        expected += inIndexByEntity.get(entity) ?? 0;
      }
    }
    return { latency, candidates, found, correct, sameCompany, expected, skippedKeys };
  };
  // How many records the index holds under each key: the host's `GROUP BY` on its keys table.
  const countKeys = async (keys: readonly string[]): Promise<ReadonlyMap<string, number>> => {
    const counts = new Map<string, number>();
    for (const key of keys) {
      const ids = index.get(key);
      if (ids) counts.set(key, ids.length);
    }
    return counts;
  };
  const limits = { maxBlockSize: cap, ...(perKey === undefined ? {} : { maxCandidatesPerKey: perKey }) };
  // The service: createDedupeService over a store answering from the same index, counting keys
  // (the service skips what it does not need; its maxBlockSize is the store's old limit).
  const store: DedupeStore = {
    async findCandidates(keys) {
      return lookup(keys, Number.POSITIVE_INFINITY).ids.map((id) => records[id]!);
    },
    countKeys,
  };
  const service = createDedupeService({ store, ...HOOKS, ...limits });
  // The same service over a store that keeps each record as the service prepared it (a host's
  // cache beside its rows): candidates are trusted, neither validated nor normalized again. The
  // store can be switched to answer without countKeys, as before the cap (every key up to the
  // store's own limit fetched): one service, so the prepared records are trusted either way.
  let prepared: PreparedCandidate[] = [];
  let counting = true;
  const preparedStore: DedupeStore = {
    async findCandidates(keys) {
      return lookup(keys, counting ? Number.POSITIVE_INFINITY : cap).ids.map((id) => prepared[id]!);
    },
    get countKeys() {
      return counting ? countKeys : undefined;
    },
  };
  const preparedService = createDedupeService({ ...HOOKS, ...limits, store: preparedStore });
  const uncounted = async (run: () => Promise<Awaited<ReturnType<typeof runService>>>) => {
    counting = false;
    try {
      return await run();
    } finally {
      counting = true;
    }
  };
  const positionOf = new Map<string, number>();
  for (let i = 0; i < records.length; i++) positionOf.set(records[i]!.id, i);
  const tp = now();
  prepared = records.map((r) => {
    const x = preparedService.prepare(r);
    if (!x.ok) throw new Error(`prepare failed: ${x.error.code}`);
    return x.value;
  });
  const prepareMs = now() - tp;
  const runService = async (qs: typeof queries, svc = service) => {
    const latency = new Float64Array(qs.length);
    const candidates = new Float64Array(qs.length);
    const duplicates: string[] = new Array(qs.length);
    let truncated = 0;
    let skipped = 0;
    let mayMiss = 0;
    let found = 0;
    let correct = 0;
    let expected = 0;
    // Each query once, then the best of three runs of it: the bench's own process holds a
    // multi-GB index (the stand-in for the host's table), and its collector's pauses land on
    // queries of any size; the best of three is the check's own cost.
    const best = new Float64Array(qs.length);
    for (let q = 0; q < qs.length; q++) {
      const s = now();
      const r = await svc.check(qs[q]!.record);
      latency[q] = now() - s;
      if (!r.ok) throw new Error(`service.check failed: ${r.error.code}`);
      best[q] = latency[q]!;
      for (let k = 1; k < 3; k++) {
        const s2 = now();
        await svc.check(qs[q]!.record);
        best[q] = Math.min(best[q]!, now() - s2);
      }
      candidates[q] = r.value.candidates;
      duplicates[q] = r.value.duplicates.map((d) => d.candidateId).join(' ');
      if (r.value.sameAccountTruncated) truncated++;
      skipped += r.value.skipped.length;
      if (r.value.skipped.some((k) => k.mayMissDuplicates)) mayMiss++;
      found += r.value.duplicates.length;
      for (const d of r.value.duplicates) if (recordEntity[positionOf.get(d.candidateId)!] === qs[q]!.entity) correct++;
      expected += inIndexByEntity.get(qs[q]!.entity) ?? 0;
    }
    return { latency, best, candidates, duplicates, truncated, skipped, mayMiss, found, correct, expected };
  };
  runPublic(queries.slice(0, warmup), cap, false);
  await runService(queries.slice(0, warmup));
  await runService(queries.slice(0, warmup), preparedService);
  await uncounted(() => runService(queries.slice(0, warmup), preparedService));
  const measured = queries.slice(warmup);
  const t1 = now();
  const r = runPublic(measured, cap, true);
  const queryMs = now() - t1;
  const lat = Float64Array.from(r.latency).sort();
  const cand = Float64Array.from(r.candidates).sort();
  const latS = (await runService(measured)).latency.sort();
  const rp = await runService(measured, preparedService);
  const ru = await uncounted(() => runService(measured, preparedService));
  const latP = Float64Array.from(rp.latency).sort();
  const latN = Float64Array.from(ru.latency).sort();
  const bestP = Float64Array.from(rp.best).sort();
  const bestN = Float64Array.from(ru.best).sort();
  const candP = Float64Array.from(rp.candidates).sort();
  const candN = Float64Array.from(ru.candidates).sort();
  let differ = 0;
  for (let q = 0; q < measured.length; q++) if (rp.duplicates[q] !== ru.duplicates[q]) differ++;
  log(`  ${fmt(measured.length)} queries in ${secs(queryMs)}; ${fmt(uncappedQueries)} uncapped…`);
  const u = runPublic(measured.slice(0, uncappedQueries), Number.POSITIVE_INFINITY, true);
  const latU = Float64Array.from(u.latency).sort();
  const candU = Float64Array.from(u.candidates).sort();
  result('online', {
    gen,
    indexed: records.length,
    keys: index.size,
    largestBlock,
    oversizedKeys,
    largestKeys: largest.slice(0, 8),
    cap,
    buildMs,
    rssAfterBuild,
    peakRss: process.resourceUsage().maxRSS * 1024,
    queries: measured.length,
    queryMs,
    p50: quantile(lat, 0.5),
    p90: quantile(lat, 0.9),
    p99: quantile(lat, 0.99),
    max: lat[lat.length - 1],
    candP50: quantile(cand, 0.5),
    candP99: quantile(cand, 0.99),
    candMax: cand[cand.length - 1],
    candMean: cand.reduce((s2, x) => s2 + x, 0) / cand.length,
    skippedKeys: r.skippedKeys,
    serviceP50: quantile(latS, 0.5),
    serviceP90: quantile(latS, 0.9),
    serviceP99: quantile(latS, 0.99),
    serviceMax: latS[latS.length - 1],
    preparedMs: prepareMs,
    preparedP50: quantile(latP, 0.5),
    preparedP90: quantile(latP, 0.9),
    preparedP99: quantile(latP, 0.99),
    preparedMax: latP[latP.length - 1],
    perKey: perKey ?? 50,
    preparedBest: { p50: quantile(bestP, 0.5), p90: quantile(bestP, 0.9), p99: quantile(bestP, 0.99), max: bestP[bestP.length - 1] },
    preparedCand: { mean: candP.reduce((x, y) => x + y, 0) / candP.length, p50: quantile(candP, 0.5), p99: quantile(candP, 0.99), max: candP[candP.length - 1] },
    preparedTruncated: rp.truncated,
    preparedSkipped: rp.skipped,
    preparedMayMiss: rp.mayMiss,
    preparedQuality: { found: rp.found, correct: rp.correct, expected: rp.expected },
    uncounted: {
      p50: quantile(latN, 0.5),
      p90: quantile(latN, 0.9),
      p99: quantile(latN, 0.99),
      max: latN[latN.length - 1],
      best: { p50: quantile(bestN, 0.5), p90: quantile(bestN, 0.9), p99: quantile(bestN, 0.99), max: bestN[bestN.length - 1] },
      cand: { mean: candN.reduce((x, y) => x + y, 0) / candN.length, p50: quantile(candN, 0.5), p99: quantile(candN, 0.99), max: candN[candN.length - 1] },
      found: ru.found,
      correct: ru.correct,
    },
    duplicatesDiffer: differ,
    uncapped: {
      queries: u.latency.length,
      p50: quantile(latU, 0.5),
      p90: quantile(latU, 0.9),
      p99: quantile(latU, 0.99),
      max: latU[latU.length - 1],
      candP50: quantile(candU, 0.5),
      candP99: quantile(candU, 0.99),
      candMax: candU[candU.length - 1],
      found: u.found,
      correct: u.correct,
      expected: u.expected,
    },
    found: r.found,
    correct: r.correct,
    sameCompany: r.sameCompany,
    expected: r.expected,
  });
}

/** Our clustering on a small data set, for the peers' tables. */
function oursOn(ds: DataSet): Json {
  const n = ds.records.length;
  const t = now();
  const res = clusterRecords(ds.records, RULES, HOOKS);
  const ms = now() - t;
  if (!res.ok) throw new Error('clusterRecords failed');
  const label = labelsFromIdClusters(res.value.clusters, n);
  return { ms, metrics: pairwise(label, ds.person), metricsCompany: pairwise(label, ds.company) };
}

/** (c) talisman: key collision on fingerprint keys of the company name. */
function partTalisman(): void {
  const require = createRequire(import.meta.url);
  const keyCollision = require('talisman/clustering/key-collision') as (params: { key: (item: number) => string }, items: number[]) => number[][];
  const fingerprint = require('talisman/keyers/fingerprint') as (s: string) => string;
  const ds = load('a', TALISMAN_N, SEED);
  const items = Array.from({ length: TALISMAN_N }, (_, i) => i);
  const t = now();
  const clusters = keyCollision({ key: (i) => fingerprint(ds.records[i]!.fields.company ?? '') }, items);
  const ms = now() - t;
  const label = labelsFromIndexClusters(clusters, TALISMAN_N);
  result('talisman', { n: TALISMAN_N, ms, metrics: pairwise(label, ds.person), metricsCompany: pairwise(label, ds.company), ours: oursOn(ds) });
}

/** (c) fuzzball: `dedupe` of company names (it scores every pair), union of each item's matches. */
function partFuzzball(): void {
  const require = createRequire(import.meta.url);
  const fuzz = require('fuzzball') as {
    dedupe: (xs: string[], o: Record<string, unknown>) => { item: string; key: number; matches: { choice: string; score: number; key: number }[] }[];
    token_set_ratio: unknown;
    QRatio: unknown;
  };
  const ds = load('a', FUZZBALL_N, SEED);
  const withName: number[] = [];
  const names: string[] = [];
  ds.records.forEach((r, i) => {
    const c = r.fields.company;
    if (typeof c === 'string' && c.trim() !== '') {
      withName.push(i);
      names.push(c);
    }
  });
  const configs = [
    { label: 'token_set_ratio ≥ 85', options: { scorer: fuzz.token_set_ratio, cutoff: 85 } },
    { label: 'default (QRatio ≥ 70)', options: { scorer: fuzz.QRatio, cutoff: 70 } },
  ];
  const runs = configs.map(({ options }) => {
    const t = now();
    const out = fuzz.dedupe(names, { ...options, keepmap: true, returnObjects: true });
    const ms = now() - t;
    // Every item's matches are the same entity in fuzzball's eyes: union them.
    const parent = Int32Array.from({ length: FUZZBALL_N }, (_, i) => i);
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
      return x;
    };
    for (const u of out) {
      const root = find(withName[u.key]!);
      for (const m of u.matches) {
        const other = find(withName[m.key]!);
        if (other !== root) parent[other] = root;
      }
    }
    const label = Int32Array.from({ length: FUZZBALL_N }, (_, i) => find(i));
    return { label, ms, unique: out.length, metrics: pairwise(label, ds.person), metricsCompany: pairwise(label, ds.company) };
  });
  result('fuzzball', {
    n: FUZZBALL_N,
    names: names.length,
    runs: runs.map((r, k) => ({ config: configs[k]!.label, ms: r.ms, unique: r.unique, metrics: r.metrics, metricsCompany: r.metricsCompany })),
    ours: oursOn(ds),
  });
}

// ──────────────────────────────────── adversarial ───────────────────────────────────

/** One adversarial pair's outcome. */
interface AdversarialOutcome {
  readonly id: string;
  readonly expected: AdversarialVerdict;
  /** The verdict of explainMatch(a, b), and of explainMatch(b, a). */
  readonly got: string;
  readonly back: string;
  /** The explanation's own `relation`, when it has one. */
  readonly relation: string | null;
  readonly groupId: string | null;
  readonly reason: string;
}

/**
 * The verdict of an explanation: its `relation` when it has one (spelled as the library
 * spells it, mapped onto duplicate / sameAccount / distinct when it is recognizably one of them),
 * else `duplicate` → 'duplicate' and not → 'distinct'.
 */
function verdictOf(explanation: unknown): string {
  const x = explanation as { relation?: unknown; duplicate?: unknown };
  if (typeof x.relation === 'string') {
    const k = x.relation.toLowerCase().replace(/[^a-z]/g, '');
    if (k === 'duplicate' || k === 'sameperson') return 'duplicate';
    if (k === 'sameaccount' || k === 'samecompany') return 'sameAccount';
    if (k === 'distinct' || k === 'none' || k === 'different' || k === 'unrelated') return 'distinct';
    return x.relation;
  }
  return x.duplicate === true ? 'duplicate' : 'distinct';
}

/** (d) The adversarial pairs through the public `explainMatch`, both ways round. */
function partAdversarial(): void {
  const outcomes: AdversarialOutcome[] = ADVERSARIAL_PAIRS.map((pair) => {
    const [a, b] = adversarialRecords(pair);
    const base = { id: pair.id, expected: pair.expected, reason: pair.reason };
    try {
      const ab = explainMatch(a, b, RULES, HOOKS);
      const ba = explainMatch(b, a, RULES, HOOKS);
      if (!ab.ok) return { ...base, got: `error ${ab.error.code}`, back: '', relation: null, groupId: null };
      const relation = (ab.value as { relation?: unknown }).relation;
      return {
        ...base,
        got: verdictOf(ab.value),
        back: ba.ok ? verdictOf(ba.value) : `error ${ba.error.code}`,
        relation: typeof relation === 'string' ? relation : null,
        groupId: ab.value.groupId,
      };
    } catch (e) {
      return { ...base, got: `threw ${String(e)}`, back: '', relation: null, groupId: null };
    }
  });
  result('adversarial', { pairs: outcomes });
}

/** The adversarial part's report. */
function reportAdversarial(r: Json, say: (s?: string) => void, table: (rows: string[][]) => string): void {
  const list = r.pairs as AdversarialOutcome[];
  const hasRelation = list.some((x) => x.relation !== null);
  const verdicts: AdversarialVerdict[] = ['duplicate', 'sameAccount', 'distinct'];
  say(`\n(d) adversarial pairs (bench/dedupe-adversarial.ts, ${list.length} hand-written pairs) through explainMatch with DEFAULT_RULE_SETS.lead`);
  say(
    hasRelation
      ? `  verdicts from the explanation's \`relation\``
      : `  the explanation has no \`relation\`: duplicate → 'duplicate', not → 'distinct' (so no 'sameAccount' can agree)`,
  );
  const agree = list.filter((x) => x.got === x.expected).length;
  const coarse = list.filter((x) => (x.got === 'duplicate') === (x.expected === 'duplicate')).length;
  const per = verdicts.map((v) => {
    const of = list.filter((x) => x.expected === v);
    return `${v} ${of.filter((x) => x.got === v).length}/${of.length}`;
  });
  say(`  agree: ${agree} of ${list.length} (${per.join(', ')}); duplicate-or-not agrees on ${coarse} of ${list.length}`);
  const gotKinds = [...new Set([...verdicts, ...list.map((x) => x.got)])];
  say(
    table([
      ['    expected \\ got', ...gotKinds],
      ...verdicts.map((v) => [`    ${v}`, ...gotKinds.map((g) => String(list.filter((x) => x.expected === v && x.got === g).length))]),
    ]),
  );
  const asym = list.filter((x) => x.back !== x.got);
  if (asym.length > 0) say(`  not symmetric (a,b vs b,a): ${asym.map((x) => `${x.id} (${x.got} / ${x.back})`).join(', ')}`);
  const wrong = list.filter((x) => x.got !== x.expected);
  if (wrong.length > 0) {
    say(`  disagreements:`);
    for (const x of wrong) say(`    ${x.id}: expected ${x.expected}, got ${x.got}${x.groupId ? ` [${x.groupId}]` : ''}${x.relation !== null && x.relation !== x.got ? ` (relation ${x.relation})` : ''} — ${x.reason}`);
  }
}

// ────────────────────────────────────── parent ──────────────────────────────────────

interface ChildOutcome {
  result: Json | null;
  peakHeapUsed: number;
  peakHeapTotal: number;
  ms: number;
  timedOut: boolean;
  code: number | null;
}

const GC_LINE = /(Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Sweep|Minor Mark-Compact)[^\d]*?([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/;

function runChild(part: string, traceGc: boolean, n?: number, data?: Source): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const self = fileURLToPath(import.meta.url);
    const args = [
      ...process.execArgv,
      '--expose-gc',
      // The online part holds its own index of every key (a Map standing in for the host's
      // database table) beside the records: at 1M that is more than V8's default heap.
      ...(part === 'online' ? ['--max-old-space-size=8192'] : []),
      ...(traceGc ? ['--trace-gc'] : []),
      self,
      '--part',
      part,
      ...(n === undefined ? [] : ['--n', String(n)]),
      ...(data === undefined ? [] : ['--data', data]),
    ];
    const start = now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let buffer = '';
    let phase = '';
    const out: ChildOutcome = { result: null, peakHeapUsed: 0, peakHeapTotal: 0, ms: 0, timedOut: false, code: null };
    const timer = setTimeout(() => {
      out.timedOut = true;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_S * 1000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('@@RESULT_FILE ')) {
          const file = line.slice(14).trim();
          try {
            out.result = JSON.parse(readFileSync(file, 'utf8')) as Json;
            rmSync(file, { force: true });
          } catch (e) {
            log(`  ${part}: unreadable result ${file} (${String(e)})`);
          }
        }
        else if (line.startsWith('@@MARK ')) phase = line.slice(7);
        else if (phase === 'cluster') {
          const m = GC_LINE.exec(line);
          if (m) {
            out.peakHeapUsed = Math.max(out.peakHeapUsed, Number(m[2]) * 1024 * 1024);
            out.peakHeapTotal = Math.max(out.peakHeapTotal, Number(m[3]) * 1024 * 1024);
          }
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      out.code = code;
      out.ms = now() - start;
      resolve(out);
    });
  });
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

const mark3 = (ok: boolean): string => (ok ? '✓' : '✗');

async function parent(): Promise<void> {
  const os = await import('node:os');
  log(`dedupe bench: N=${fmt(N)}, seed ${SEED}, parts ${PARTS.join(',')}, generators ${DATA.join(',')}, ${os.cpus().length} cores, node ${process.version}`);
  /** Outcomes by part, and by `part:generator` for the parts run per generator. */
  const outcomes = new Map<string, ChildOutcome>();
  const fallbacks: Record<Source, ChildOutcome[]> = { a: [], b: [] };
  const perGenerator = new Set(['cluster', 'online', 'reference']);
  for (const part of PARTS) {
    const gens: readonly (Source | undefined)[] = perGenerator.has(part) ? DATA : [undefined];
    for (const gen of gens) {
      const key = gen ? `${part}:${gen}` : part;
      log(`▶ ${key}`);
      const o = await runChild(part, part === 'cluster' || part === 'reference', undefined, gen);
      outcomes.set(key, o);
      log(`  ${key} done in ${secs(o.ms)}${o.timedOut ? ' (TIMED OUT)' : ''}${o.code ? ` (exit ${o.code})` : ''}`);
      // When clusterRecords fails at N, find a size at which it runs (N/4, then N/8).
      let failed = part === 'cluster' && (!o.result || 'error' in o.result);
      for (let n = Math.floor(N / 4), tries = 0; failed && gen && tries < 2; n = Math.floor(n / 2), tries++) {
        log(`▶ cluster:${gen} at ${fmt(n)} (clusterRecords failed at ${fmt(N)})`);
        const f = await runChild('cluster', true, n, gen);
        fallbacks[gen].push(f);
        log(`  done in ${secs(f.ms)}`);
        failed = !f.result || 'error' in f.result;
      }
    }
  }
  const lines: string[] = [];
  const say = (s = ''): void => void lines.push(s);
  say(`\n═══ dedupe benchmark — ${fmt(N)} leads per generator, seed ${SEED}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version} ═══`);
  say(`truth: the same PERSON at the same company is a duplicate; another person of the company is the same account (company-level figures beside)`);

  type Cats = { reason: string; pairs: number; examples: string[] }[];
  const cats = (title: string, list: Cats, of: number) => {
    say(`\n  ${title}`);
    if (list.length === 0) say('    none');
    for (const x of list.slice(0, 16)) {
      say(`    ${fmt(x.pairs).padStart(9)} pairs (${pct(x.pairs / Math.max(1, of))})  ${x.reason}`);
      say(`              e.g. ${x.examples[0]}`);
    }
    if (list.length > 16) say(`    … ${list.length - 16} more categories, ${fmt(list.slice(16).reduce((s2, x) => s2 + x.pairs, 0))} pairs`);
  };
  /** One line per generator for the summary at the end. */
  const summary = new Map<Source, { cluster?: Json; heap?: number; online?: Json }>();
  for (const gen of DATA) summary.set(gen, {});

  for (const gen of DATA) {
    const clusterRuns: { name: string; outcome: ChildOutcome }[] = [];
    const main = outcomes.get(`cluster:${gen}`);
    if (main) clusterRuns.push({ name: 'clusterRecords', outcome: main });
    for (const f of fallbacks[gen]) clusterRuns.push({ name: 'clusterRecords', outcome: f });
    const reference = outcomes.get(`reference:${gen}`);
    if (reference) clusterRuns.push({ name: 'bench reference (stamp, no Set)', outcome: reference });
    if (clusterRuns.length === 0) continue;
    let diagnosed: Json | undefined;
    let generatorLine: string | undefined;
    say(`\n(a) generator "${gen}": clustering with DEFAULT_RULE_SETS.lead (pairwise metrics against the person-level truth)`);
    const at = lines.length;
    const rows: string[][] = [
      ['', 'records', 'time', 'peak RSS', 'peak heap', 'precision', 'recall', 'F1', 'largest cluster (truth)'],
      ['target', '', '≤ 20 s', '≤ 1.5 GB', '', `≥ ${TARGET.precision * 100}%`, `≥ ${TARGET.recall * 100}%`, '', `≤ truth + ${TARGET.clusterSlack}`],
    ];
    const notes: string[] = [];
    for (const { name, outcome } of clusterRuns) {
      const r = outcome.result;
      if (!r) {
        rows.push([name, '', outcome.timedOut ? `killed after ${CHILD_TIMEOUT_S} s` : `exit ${outcome.code}`, '', '', '', '', '', '']);
        continue;
      }
      if ('error' in r) {
        rows.push([name, fmt(r.n as number), `threw after ${secs(r.clusterMs as number)}`, mb(r.peakRss as number), mb(outcome.peakHeapUsed), '—', '—', '—', '—']);
        notes.push(`  ${name} at ${fmt(r.n as number)} threw ${r.error as string} (${r.where as string})`);
        continue;
      }
      const m = r.metrics as Pairwise;
      const mc = r.metricsCompany as Pairwise;
      const n = r.n as number;
      const largest = r.largestCluster as number;
      const truthLargest = r.truthLargest as number;
      // The targets are clusterRecords' own; the bench's reference is there to compare.
      const full = n === N && name === 'clusterRecords';
      if (full) summary.set(gen, { ...summary.get(gen), cluster: r, heap: outcome.peakHeapUsed });
      rows.push([
        name,
        fmt(n),
        `${secs(r.clusterMs as number)}${full ? ` ${mark3((r.clusterMs as number) <= TARGET.ms)}` : ''}`,
        `${mb(r.peakRss as number)}${full ? ` ${mark3((r.peakRss as number) <= TARGET.rss)}` : ''}`,
        mb(outcome.peakHeapUsed),
        `${pct(m.precision)}${full ? ` ${mark3(m.precision >= TARGET.precision)}` : ''}`,
        `${pct(m.recall)}${full ? ` ${mark3(m.recall >= TARGET.recall)}` : ''}`,
        pct(m.f1),
        `${fmt(largest)} (${fmt(truthLargest)})${full ? ` ${mark3(largest <= truthLargest + TARGET.clusterSlack)}` : ''}`,
      ]);
      const st = r.stats as Record<string, number>;
      notes.push(
        `  ${name} at ${fmt(n)}: ${fmt(st.blocks!)} blocks, ${fmt(st.oversizedBlocksSkipped!)} oversized skipped, ${fmt(st.comparisons!)} comparisons, ${fmt(st.duplicatePairs!)} duplicate pairs, ${fmt(st.clusters!)} clusters (largest ${fmt(largest)}; the truth's largest person ${fmt(truthLargest)} records, company ${fmt(r.truthLargestCompany as number)}); pairs ${fmt(m.predictedPairs)} predicted, ${fmt(m.truePositives)} correct, ${fmt(m.truePairs)} true${r.rssBefore ? `; RSS before the call ${mb(r.rssBefore as number)} (input records)` : ''}`,
      );
      notes.push(`    company level (the same account counted as a duplicate): precision ${pct(mc.precision)}, recall ${pct(mc.recall)}, F1 ${pct(mc.f1)} (${fmt(mc.truePairs)} same-company pairs)`);
      const anonymous = (r.anonymousPairs as number | undefined) ?? 0;
      if (anonymous > 0)
        notes.push(`    ${fmt(anonymous)} true pairs (${pct(anonymous / Math.max(1, m.truePairs))}) have a record naming no person (no name; no phone or only the switchboard; no email or only a role mailbox)`);
      if (n === N && r.misses && (!diagnosed || name === 'clusterRecords')) diagnosed = { ...r, name };
      if (n === N || !generatorLine)
        generatorLine = `generator "${gen}": ${fmt(n)} records in ${secs(r.generateMs as number)}, ${fmt(r.persons as number)} persons at ${fmt(r.companies as number)} companies, ${pct(r.chineseShare as number)} Chinese, ${fmt(m.truePairs)} true duplicate pairs (same person), ${fmt(mc.truePairs - m.truePairs)} pairs of the same company, other person`;
    }
    if (generatorLine) lines.splice(at, 0, `  ${generatorLine}`);
    say(table(rows));
    for (const x of notes) say(x);
    const ref = reference?.result;
    if (ref && ref.phases) {
      const ph = ref.phases as Record<string, number>;
      const total = Object.values(ph).reduce((a, b) => a + b, 0);
      say(`\n  where the time goes (bench reference at ${fmt(ref.n as number)}, same steps as clusterRecords):`);
      say(table([['  phase', 'time', 'µs / record', 'share'], ...Object.entries(ph).map(([k, v]) => [`  ${k}`, secs(v), fmt((v * 1000) / (ref.n as number), 2), pct(v / total)])]));
      const ha = ref.heapAfterPhases as Record<string, number>;
      say(`  heap in use after a full GC: ${Object.entries(ha).map(([k, v]) => `${k} ${mb(v)}`).join(' → ')} (${fmt((ha['blocks built']! - ha['input records']!) / (ref.n as number))} B per record on top of the input)`);
      const bt = ref.blocksByKeyType as Record<string, { blocks: number; oversized: number; recordsInOversized: number; pairsInKept: number; largest: string; largestSize: number }>;
      say(`\n  blocks by key type (bench reference at ${fmt(ref.n as number)}; pairs counted per block, before de-duplication across keys):`);
      say(
        table([
          ['  key', 'blocks', 'oversized (> 500)', 'records in oversized', 'pairs in kept blocks', 'largest'],
          ...Object.entries(bt)
            .sort((a, b) => b[1].pairsInKept - a[1].pairsInKept)
            .map(([k, x]) => [`  ${k}`, fmt(x.blocks), fmt(x.oversized), fmt(x.recordsInOversized), fmt(x.pairsInKept), `${x.largest} (${fmt(x.largestSize)})`]),
        ]),
      );
    }
    const lib = [main, ...fallbacks[gen]].map((x) => x?.result).find((r) => r && r.normalizersUs);
    if (lib) say(`  normalizers alone (µs per call): ${Object.entries(lib.normalizersUs as Record<string, number>).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
    if (diagnosed) {
      const m = diagnosed.metrics as Pairwise;
      say(`\n  (from ${diagnosed.name as string} at ${fmt(diagnosed.n as number)}, generator "${gen}")`);
      cats(`missed true pairs (${fmt(m.truePairs - m.truePositives)} of ${fmt(m.truePairs)}):`, diagnosed.misses as Cats, m.truePairs);
      const overs = diagnosed.overMatches as Cats;
      cats(`over-matched pairs (${fmt(m.predictedPairs - m.truePositives)} of ${fmt(m.predictedPairs)} predicted):`, overs, m.predictedPairs);
      const placeholderPairs = overs.filter((x) => x.reason.includes('placeholder')).reduce((a, x) => a + x.pairs, 0);
      if (placeholderPairs > 0) {
        say(`  without the ${fmt(placeholderPairs)} pairs due to placeholders, precision would be ${pct(m.truePositives / (m.predictedPairs - placeholderPairs))}`);
      }
      const sameCompany = overs.filter((x) => x.reason.startsWith('same company')).reduce((a, x) => a + x.pairs, 0);
      if (sameCompany > 0) say(`  ${fmt(sameCompany)} of the over-matched pairs are the same company, another person (the same account, not a duplicate)`);
      const byTag = diagnosed.byTag as TagRow[] | undefined;
      if (byTag && byTag.length > 0) {
        say(`\n  by generator tag (a pair counts for a tag when either record has it):`);
        say(
          table([
            ['    tag', 'true pairs', 'missed', 'miss rate', 'over-matched pairs'],
            ...[...byTag]
              .sort((x, y) => y.missed + y.overMatched - (x.missed + x.overMatched))
              .map((t) => [`    ${t.tag}`, fmt(t.truePairs), fmt(t.missed), t.truePairs ? pct(t.missed / t.truePairs) : '—', fmt(t.overMatched)]),
          ]),
        );
      }
    }
  }

  for (const gen of DATA) {
    const oc = outcomes.get(`online:${gen}`);
    const o = oc?.result as Json | undefined;
    if (oc && !o) say(`\n(b) generator "${gen}": online: no result (${oc.timedOut ? `killed after ${CHILD_TIMEOUT_S} s` : `exit ${oc.code}`})`);
    if (!o) continue;
    summary.set(gen, { ...summary.get(gen), online: o });
    const u = o.uncapped as Record<string, number>;
    const ms = (x: unknown): string => `${(x as number).toFixed(3)} ms`;
    say(`\n(b) generator "${gen}": online check of ${fmt(o.queries as number)} new leads against an index of ${fmt(o.indexed as number)} (keys with more than ${fmt(o.cap as number)} records skipped, as clusterRecords does)`);
    const full = (o.indexed as number) >= N;
    say(
      table([
        ['', 'p50', 'p90', 'p99', 'max'],
        ['target', `≤ ${TARGET.p50} ms`, '', `≤ ${TARGET.p99} ms`, ''],
        [
          'blockingKeys + lookup + explainMatch per candidate',
          `${ms(o.p50)}${full ? ` ${mark3((o.p50 as number) <= TARGET.p50)}` : ''}`,
          ms(o.p90),
          `${ms(o.p99)}${full ? ` ${mark3((o.p99 as number) <= TARGET.p99)}` : ''}`,
          ms(o.max),
        ],
        [
          'createDedupeService(store).check (same lookup)',
          `${ms(o.serviceP50)}${full ? ` ${mark3((o.serviceP50 as number) <= TARGET.p50)}` : ''}`,
          ms(o.serviceP90),
          `${ms(o.serviceP99)}${full ? ` ${mark3((o.serviceP99 as number) <= TARGET.p99)}` : ''}`,
          ms(o.serviceMax),
        ],
        [
          `service.check, prepared candidates, no countKeys (every key ≤ ${fmt(o.cap as number)} fetched)`,
          ms((o.uncounted as Record<string, number>).p50),
          ms((o.uncounted as Record<string, number>).p90),
          ms((o.uncounted as Record<string, number>).p99),
          ms((o.uncounted as Record<string, number>).max),
        ],
        [
          `service.check with countKeys, cap ${fmt(o.perKey as number)} per key, candidates kept as service.prepare made them (prepared in ${secs(o.preparedMs as number)})`,
          `${ms(o.preparedP50)}${full ? ` ${mark3((o.preparedP50 as number) <= TARGET.p50)}` : ''}`,
          ms(o.preparedP90),
          `${ms(o.preparedP99)}${full ? ` ${mark3((o.preparedP99 as number) <= TARGET.p99)}` : ''}`,
          ms(o.preparedMax),
        ],
        ...(['uncounted', 'prepared'] as const).map((which) => {
          const b = (which === 'prepared' ? o.preparedBest : (o.uncounted as Json).best) as Record<string, number>;
          return [`  the same ${which === 'prepared' ? 'with countKeys' : 'without countKeys'}, best of 3 runs per query (the bench's own GC pauses left out)`, ms(b.p50), ms(b.p90), ms(b.p99), ms(b.max)];
        }),
        [`uncapped (every record under every key), ${fmt(u.queries!)} queries`, ms(u.p50), ms(u.p90), ms(u.p99), ms(u.max)],
      ]),
    );
    say(
      `  index: ${fmt(o.keys as number)} keys, built in ${secs(o.buildMs as number)} (parse + prepare + keys), largest block ${fmt(o.largestBlock as number)}, ${fmt(o.oversizedKeys as number)} keys over the cap; RSS after build ${mb(o.rssAfterBuild as number)}, peak ${mb(o.peakRss as number)}`,
    );
    const largestKeys = o.largestKeys as [string, number][];
    say(`  largest blocks: ${largestKeys.length === 0 ? 'none over the cap' : largestKeys.map(([k, n]) => `${k} (${fmt(n)})`).join(', ')}`);
    say(
      `  candidates per query: mean ${(o.candMean as number).toFixed(1)}, p50 ${o.candP50}, p99 ${o.candP99}, max ${o.candMax} (${fmt(o.skippedKeys as number)} oversized keys skipped in all); uncapped p50 ${u.candP50}, p99 ${u.candP99}, max ${u.candMax}`,
    );
    {
      const pc = o.preparedCand as Record<string, number>;
      const nc = (o.uncounted as Record<string, Record<string, number>>).cand!;
      const pq = o.preparedQuality as Record<string, number>;
      const uq = o.uncounted as Record<string, number>;
      say(
        `  service with countKeys (cap ${fmt(o.perKey as number)}): candidates mean ${pc.mean!.toFixed(1)}, p50 ${pc.p50}, p99 ${pc.p99}, max ${pc.max}; without: mean ${nc.mean!.toFixed(1)}, p50 ${nc.p50}, p99 ${nc.p99}, max ${nc.max}`,
      );
      say(
        `  keys skipped ${fmt(o.preparedSkipped as number)} in all; same account said truncated on ${fmt(o.preparedTruncated as number)} queries, a duplicate possibly missed (over maxBlockSize) on ${fmt(o.preparedMayMiss as number)}; duplicates differ from the uncounted service on ${fmt(o.duplicatesDiffer as number)} of ${fmt(o.queries as number)} queries (${fmt(pq.found!)} vs ${fmt(uq.found!)} reported, ${fmt(pq.correct!)} vs ${fmt(uq.correct!)} the same person; recall ${pct(pq.expected ? pq.correct! / pq.expected : 1)})`,
      );
    }
    const found = o.found as number;
    const correct = o.correct as number;
    const expected = o.expected as number;
    const sameCompany = (o.sameCompany as number | undefined) ?? 0;
    say(
      `  quality: ${fmt(found)} duplicates reported, ${fmt(correct)} the same person (precision ${pct(found ? correct / found : 1)}; ${fmt(sameCompany)} more the same company, another person), ${fmt(expected)} true (recall ${pct(expected ? correct / expected : 1)}; direct matches only, no transitivity); uncapped on its ${fmt(u.queries!)}: recall ${pct(u.expected ? u.correct! / u.expected : 1)}`,
    );
  }

  if ([...summary.values()].some((x) => x.cluster || x.online)) {
    say(
      `\nsummary against the targets (${fmt(N)} leads per generator; person-level truth${N < 1_000_000 ? `; the targets are for 1,000,000 leads, so at ${fmt(N)} the marks are only indicative` : ''})`,
    );
    say('  (online: service.check over prepared candidates; the public per-call path is in (b))');
    const rows: string[][] = [['generator', 'precision', 'recall', 'F1', 'time', 'peak RSS', 'peak heap', 'largest (truth)', 'online p50', 'online p99', 'company-level P / R']];
    rows.push(['target', `≥ ${TARGET.precision * 100}%`, `≥ ${TARGET.recall * 100}%`, '', '≤ 20 s', '≤ 1.5 GB', '', `≤ truth + ${TARGET.clusterSlack}`, `≤ ${TARGET.p50} ms`, `≤ ${TARGET.p99} ms`, '']);
    for (const [gen, x] of summary) {
      const c = x.cluster;
      const o = x.online;
      const m = c?.metrics as Pairwise | undefined;
      const mc = c?.metricsCompany as Pairwise | undefined;
      const onlineFull = o ? (o.indexed as number) >= N : false;
      rows.push([
        `"${gen}"`,
        m ? `${pct(m.precision)} ${mark3(m.precision >= TARGET.precision)}` : '—',
        m ? `${pct(m.recall)} ${mark3(m.recall >= TARGET.recall)}` : '—',
        m ? pct(m.f1) : '—',
        c ? `${secs(c.clusterMs as number)} ${mark3((c.clusterMs as number) <= TARGET.ms)}` : '—',
        c ? `${mb(c.peakRss as number)} ${mark3((c.peakRss as number) <= TARGET.rss)}` : '—',
        x.heap !== undefined ? mb(x.heap) : '—',
        c ? `${fmt(c.largestCluster as number)} (${fmt(c.truthLargest as number)}) ${mark3((c.largestCluster as number) <= (c.truthLargest as number) + TARGET.clusterSlack)}` : '—',
        o ? `${(o.preparedP50 as number).toFixed(3)} ms${onlineFull ? ` ${mark3((o.preparedP50 as number) <= TARGET.p50)}` : ''}` : '—',
        o ? `${(o.preparedP99 as number).toFixed(3)} ms${onlineFull ? ` ${mark3((o.preparedP99 as number) <= TARGET.p99)}` : ''}` : '—',
        mc ? `${pct(mc.precision)} / ${pct(mc.recall)}` : '—',
      ]);
    }
    say(table(rows));
  }

  const tl = outcomes.get('talisman')?.result as Json | undefined;
  const fz = outcomes.get('fuzzball')?.result as Json | undefined;
  if (tl || fz) {
    say(`\n(c) peers on generator "a" (pairwise against the same person-level truth; company level beside)`);
    const rows: string[][] = [['system', 'records', 'time', 'precision', 'recall', 'F1', 'company P / R']];
    const row = (name: string, n: number, ms: number, m: Pairwise, mc?: Pairwise) =>
      rows.push([name, fmt(n), ms < 10_000 ? `${fmt(ms)} ms` : secs(ms), pct(m.precision), pct(m.recall), pct(m.f1), mc ? `${pct(mc.precision)} / ${pct(mc.recall)}` : '—']);
    const best = summary.get('a')?.cluster;
    if (best) row('crm-rules clusterRecords', N, best.clusterMs as number, best.metrics as Pairwise, best.metricsCompany as Pairwise);
    if (tl) {
      row('talisman key-collision + fingerprint(company)', tl.n as number, tl.ms as number, tl.metrics as Pairwise, tl.metricsCompany as Pairwise);
      const ours = tl.ours as { ms: number; metrics: Pairwise; metricsCompany: Pairwise };
      row('crm-rules clusterRecords, same records', tl.n as number, ours.ms, ours.metrics, ours.metricsCompany);
    }
    if (fz) {
      for (const r of fz.runs as { config: string; ms: number; metrics: Pairwise; metricsCompany: Pairwise }[]) row(`fuzzball dedupe(company), ${r.config}`, fz.n as number, r.ms, r.metrics, r.metricsCompany);
      const ours = fz.ours as { ms: number; metrics: Pairwise; metricsCompany: Pairwise };
      row('crm-rules clusterRecords, same records', fz.n as number, ours.ms, ours.metrics, ours.metricsCompany);
    }
    say(table(rows));
    if (fz) say(`  fuzzball saw ${fmt(fz.names as number)} of ${fmt(fz.n as number)} records (those with a company name); its clusters are the union of each kept item's match list.`);
  }

  const adv = outcomes.get('adversarial');
  if (adv && !adv.result) say(`\n(d) adversarial pairs: no result (${adv.timedOut ? `killed after ${CHILD_TIMEOUT_S} s` : `exit ${adv.code}`})`);
  if (adv?.result) reportAdversarial(adv.result, say, table);
  for (const [part, oc] of outcomes) if (oc.timedOut) say(`\n! ${part} was killed after ${CHILD_TIMEOUT_S} s: scale it down (DEDUPE_N / DEDUPE_TALISMAN_N / DEDUPE_FUZZBALL_N).`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const partAt = process.argv.indexOf('--part');
if (partAt >= 0) {
  const part = process.argv[partAt + 1];
  const run = { cluster: partCluster, reference: partReference, online: partOnline, talisman: partTalisman, fuzzball: partFuzzball, adversarial: partAdversarial }[part ?? ''];
  if (!run) throw new Error(`unknown part ${part}`);
  await run();
} else {
  await parent();
}
