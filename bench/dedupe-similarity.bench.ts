/**
 * Throughput of the dedupe normalizers and similarity measures: `tsx bench/dedupe-similarity.bench.ts`.
 * 200,000 seeded inputs per case (BENCH_N to change): Chinese and Latin company names (with
 * regions, legal forms, branches, full-width variants), Chinese mobiles (the fast path) against
 * landlines and foreign numbers (libphonenumber-js), and pairs of normalized names with one-edit
 * typos, BMP-only or carrying an astral character. Prints operations per second per case, each
 * the best of three timed passes after a warm-up.
 */
import fastLevenshtein from 'fast-levenshtein';
import { normalizeCompanyName, normalizePhone } from '../src/dedupe/normalize.js';
import { jaroWinkler, levenshteinSimilarity, tokenSetSimilarity } from '../src/dedupe/similarity.js';
import { seededRand } from './seeded.js';

const N = Number(process.env.BENCH_N ?? 200_000);

const rand = seededRand(0x9e3779b9);
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => rand(10)).join('');
const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

const REGIONS = ['', '', '北京', '上海', '深圳市', '广东省深圳市', '杭州', '成都'];
const SYLLABLES = Array.from('腾讯字节跳动阿里巴华为京东美团小米网易百度滴滴快手拼多蔚来理想比亚迪宁德时代中兴联想海尔格力');
const TRADES = ['科技', '网络', '信息技术', '贸易', '电子商务', '文化传媒', '物流', '医药', '新能源', '智能'];
const FORMS = ['有限公司', '股份有限公司', '有限责任公司', '集团有限公司', '集团', '公司', '(深圳)有限公司', '（北京）有限公司'];
const WORDS = ['Acme', 'Global', 'Pacific', 'Sino', 'Dragon', 'Golden', 'Bright', 'Star', 'Union', 'Apex'];
const LATIN_TRADES = ['Technology', 'Trading', 'Logistics', 'Holdings', 'Electronics', 'Software'];
const LATIN_FORMS = ['Co., Ltd.', 'Inc.', 'LLC', 'Limited', 'Corp', 'GmbH', 'S.A.', 'Pty Ltd'];

function companyName(): string {
  if (rand(10) < 7) {
    const core = Array.from({ length: 2 + rand(3) }, () => pick(SYLLABLES)).join('');
    const name = `${pick(REGIONS)}${core}${pick(TRADES)}${pick(FORMS)}${rand(10) === 0 ? pick(['北京分公司', '上海分行']) : ''}`;
    return rand(5) === 0 ? toFullWidth(name) : name;
  }
  const name = `${rand(4) === 0 ? 'The ' : ''}${pick(WORDS)} ${pick(WORDS)} ${pick(LATIN_TRADES)} ${pick(LATIN_FORMS)}`;
  return rand(5) === 0 ? toFullWidth(name) : name;
}

function mobile(): string {
  const m = `1${pick('3456789'.split(''))}${digits(9)}`;
  const dressed = pick([
    m,
    `+86 ${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`,
    `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`,
    `0086${m}`,
    `+86${m}`,
  ]);
  return rand(5) === 0 ? toFullWidth(dressed) : dressed;
}

function otherPhone(): string {
  return pick([
    () => `010-${digits(8)}`,
    () => `(021) ${digits(4)} ${digits(4)}`,
    () => `0755-${digits(8)}转${digits(3)}`,
    () => `400-${digits(3)}-${digits(4)}`,
    () => `+1 (415) ${digits(3)}-${digits(4)}`,
    () => `+44 20 ${digits(4)} ${digits(4)}`,
  ])();
}

/** A one-edit typo: substitute, insert or delete one character. */
function typo(s: string, alphabet: readonly string[]): string {
  const chars = Array.from(s);
  const at = rand(chars.length + 1);
  switch (rand(3)) {
    case 0:
      chars.splice(Math.min(at, chars.length - 1), 1, pick(alphabet));
      break;
    case 1:
      chars.splice(at, 0, pick(alphabet));
      break;
    default:
      if (chars.length > 1) chars.splice(Math.min(at, chars.length - 1), 1);
  }
  return chars.join('');
}

const ASTRAL = Array.from('𠮷𡈽𠀋𪚲𩸽😀');

const names = Array.from({ length: N }, companyName);
const mobiles = Array.from({ length: N }, mobile);
const others = Array.from({ length: N }, otherPhone);
const keys = names.map((n) => normalizeCompanyName(n)?.full ?? '');
const bmpPairs = keys.map((k): [string, string] => [k, typo(k, SYLLABLES)]);
const astralPairs = keys.map((k): [string, string] => {
  const a = `${pick(ASTRAL)}${k}`;
  return [a, typo(a, ASTRAL)];
});

let sink = 0;
function bench(label: string, run: () => void): number {
  run(); // warm-up
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const opsPerSecond = N / best;
  console.log(`${label.padEnd(48)} ${Math.round(opsPerSecond).toLocaleString('en-US').padStart(12)} ops/s   (${(best * 1000).toFixed(1)} ms for ${N.toLocaleString('en-US')})`);
  return opsPerSecond;
}

console.log(`dedupe normalizers and similarity — ${N.toLocaleString('en-US')} seeded inputs per case, best of 3 passes\n`);
bench('normalizeCompanyName (70% Chinese, 20% full-width)', () => {
  for (const n of names) sink += normalizeCompanyName(n)?.full.length ?? 0;
});
const fast = bench('normalizePhone — Chinese mobiles (fast path)', () => {
  for (const p of mobiles) sink += normalizePhone(p)?.length ?? 0;
});
const slow = bench('normalizePhone — landlines/foreign (library)', () => {
  for (const p of others) sink += normalizePhone(p)?.length ?? 0;
});
console.log(`${''.padEnd(48)} fast path ×${(fast / slow).toFixed(1)}`);
bench('fast-levenshtein.get, BMP pairs (baseline)', () => {
  for (const [a, b] of bmpPairs) sink += fastLevenshtein.get(a, b);
});
bench('levenshteinSimilarity, BMP pairs', () => {
  for (const [a, b] of bmpPairs) sink += levenshteinSimilarity(a, b);
});
bench('levenshteinSimilarity, astral pairs (parked)', () => {
  for (const [a, b] of astralPairs) sink += levenshteinSimilarity(a, b);
});
bench('jaroWinkler, BMP pairs', () => {
  for (const [a, b] of bmpPairs) sink += jaroWinkler(a, b);
});
bench('jaroWinkler, astral pairs', () => {
  for (const [a, b] of astralPairs) sink += jaroWinkler(a, b);
});
bench('tokenSetSimilarity, BMP pairs', () => {
  for (const [a, b] of bmpPairs) sink += tokenSetSimilarity(a, b);
});
console.log(`\n(checksum ${sink.toFixed(0)}; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB)`);
