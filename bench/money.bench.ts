/**
 * Throughput of the money kernel: `npx tsx bench/money.bench.ts`.
 *
 * A line total is quantity × unit price × (1 − line discount), computed exactly and rounded
 * once to the fen. Lines are seeded and parsed once at the door (as a pricing run does), then
 * priced in a loop; the working set is 10,000 distinct lines (ten 1,000-line quotes, which stay
 * in cache as a quote being priced does) cycled to 1,000,000 line totals per round; the median of
 * 7 rounds is printed. Target: ≥ 20M line totals per second.
 *
 * Two line mixes:
 * - typical: quantities mostly whole (some with 2–3 decimals), unit prices with 2 decimals
 *   (some 4 or 6), discounts none / whole or half percents / basis points;
 * - heavy: every line with a 3-decimal quantity, a 7-decimal unit price and a basis-point
 *   discount, so nearly every intermediate passes 2^53 (the two-limb number path or BigInt).
 * Also: the frozen `Money` form, the discount complement computed per line, the door (three
 * decimal strings parsed per line), a stream of 1,000,000 distinct lines (memory-bound), and a
 * largest-remainder spread of an order discount over a 1,000-line quote.
 */
import { loadavg, cpus } from 'node:os';
import {
  DECIMAL_ONE,
  allocateMoney,
  moneyFromProduct,
  parseAmount,
  parseDecimal,
  productInMinorUnits,
  subtractDecimals,
  type Decimal,
  type Money,
} from '../src/core/money.js';
import { scaledRoundBig } from '../src/core/money/multiply.js';
import { seededRand } from './seeded.js';

const TOTALS = Number(process.env.BENCH_LINES ?? 1_000_000);
const WORKING_SET = 10_000;
const ROUNDS = 7;

const rand = seededRand(0x2545f491);
const pick = <T>(weighted: readonly [number, T][]): T => {
  let x = rand(weighted.reduce((s, [w]) => s + w, 0));
  for (const [w, v] of weighted) if ((x -= w) < 0) return v;
  return weighted[0]![1];
};

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** n / 10^places as a decimal string. */
const decimalString = (n: number, places: number) => {
  const s = String(n).padStart(places + 1, '0');
  return places === 0 ? s : `${s.slice(0, s.length - places)}.${s.slice(s.length - places)}`;
};

interface RawLine {
  quantity: string;
  unitPrice: string;
  discount: string;
}

function typicalLine(): RawLine {
  const qPlaces = pick<number>([[70, 0], [20, 2], [10, 3]]);
  const pPlaces = pick<number>([[60, 2], [30, 4], [10, 6]]);
  const discount = pick<string>([
    [40, '0'],
    [40, decimalString(rand(61) * 5, 3)], // 0%, 0.5%, … 30%
    [20, decimalString(rand(3001), 4)], // basis points
  ]);
  return {
    quantity: decimalString(1 + rand(10 ** qPlaces * 1000), qPlaces),
    unitPrice: decimalString(1 + rand(Math.min(10 ** pPlaces * 100_000, 2 ** 31)), pPlaces),
    discount,
  };
}

function heavyLine(): RawLine {
  return {
    quantity: decimalString(1 + rand(500_000), 3),
    unitPrice: decimalString(1 + rand(2 ** 31), 6) + String(rand(10)),
    discount: decimalString(rand(3001), 4),
  };
}

interface Lines {
  raw: RawLine[];
  qty: Decimal[];
  price: Decimal[];
  disc: Decimal[];
  keep: Decimal[];
}

function build(n: number, make: () => RawLine): Lines {
  const lines: Lines = { raw: [], qty: [], price: [], disc: [], keep: [] };
  for (let i = 0; i < n; i++) {
    const l = make();
    lines.raw.push(l);
    lines.qty.push(must(parseDecimal(l.quantity)));
    lines.price.push(must(parseDecimal(l.unitPrice)));
    const d = must(parseDecimal(l.discount));
    lines.disc.push(d);
    lines.keep.push(subtractDecimals(DECIMAL_ONE, d));
  }
  return lines;
}

const typical = build(WORKING_SET, typicalLine);
const heavy = build(WORKING_SET, heavyLine);

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Times `run(n)` (a loop over n line totals written out in full, so every case is its own
 * monomorphic loop, as in a pricing run) ROUNDS times after a warm-up; the median rate.
 */
function measure(n: number, run: (n: number) => number, rounds = ROUNDS): { perSecond: number; checksum: number } {
  let checksum = run(Math.min(n, 300_000));
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    checksum += run(n);
    rates.push(n / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return { perSecond: median(rates), checksum: checksum % 1e9 };
}

/** The hot loop: line totals in minor units (`productInMinorUnits`). */
function lineTotals(lines: Lines, n: number, rounds = ROUNDS) {
  const { qty, price, keep } = lines;
  const size = qty.length;
  const factors = [qty[0]!, price[0]!, keep[0]!];
  return measure(
    n,
    (count) => {
      let sum = 0;
      for (let i = 0, j = 0; i < count; i++, j = j + 1 === size ? 0 : j + 1) {
        factors[0] = qty[j]!;
        factors[1] = price[j]!;
        factors[2] = keep[j]!;
        const t = productInMinorUnits('CNY', factors);
        sum += typeof t === 'number' ? t : 1;
      }
      return sum;
    },
    rounds,
  );
}

/**
 * Share of lines whose exact product (before the division) passes 2^53, and of those the share
 * the two-limb number path cannot take (quantity × price or the discount factor ≥ 2^52): BigInt.
 */
function pathShares(lines: Lines): { past: number; big: number } {
  let past = 0;
  let big = 0;
  const limb = 2n ** 52n;
  for (let j = 0; j < lines.qty.length; j++) {
    const qp = BigInt(lines.qty[j]!.units) * BigInt(lines.price[j]!.units);
    const p = qp * BigInt(lines.keep[j]!.units);
    if (p > BigInt(Number.MAX_SAFE_INTEGER) || p < -BigInt(Number.MAX_SAFE_INTEGER)) {
      past++;
      if (qp >= limb || BigInt(lines.keep[j]!.units) >= limb) big++;
    }
  }
  return { past: past / lines.qty.length, big: big / lines.qty.length };
}

const results: [string, string][] = [];
const row = (label: string, r: { perSecond: number }, note = '') =>
  results.push([label, `${fmt(r.perSecond).padStart(12)} /s  ${((1 / r.perSecond) * 1e9).toFixed(1).padStart(7)} ns/line${note ? `   ${note}` : ''}`]);

const kernel = lineTotals(typical, TOTALS);
row('line totals, typical mix', kernel, `target ≥ 20,000,000 /s: ${kernel.perSecond >= 20e6 ? 'met' : 'NOT met'}`);

{
  const { qty, price, keep } = typical;
  const r = measure(TOTALS, (count) => {
    let sum = 0;
    for (let i = 0, j = 0; i < count; i++, j = j + 1 === WORKING_SET ? 0 : j + 1) {
      const m = moneyFromProduct('CNY', [qty[j]!, price[j]!, keep[j]!]);
      sum += typeof m.minor === 'number' ? m.minor : 1;
    }
    return sum;
  });
  row('  as a frozen Money', r, '(moneyFromProduct: + one frozen object per line)');
}
{
  const { qty, price, disc } = typical;
  const r = measure(TOTALS, (count) => {
    let sum = 0;
    for (let i = 0, j = 0; i < count; i++, j = j + 1 === WORKING_SET ? 0 : j + 1) {
      const t = productInMinorUnits('CNY', [qty[j]!, price[j]!, subtractDecimals(DECIMAL_ONE, disc[j]!)]);
      sum += typeof t === 'number' ? t : 1;
    }
    return sum;
  });
  row('  + (1 − discount) per line', r, '(+ one frozen Decimal per line)');
}
{
  const { qty, price, keep } = typical;
  const r = measure(TOTALS, (count) => {
    let sum = 0;
    for (let i = 0, j = 0; i < count; i++, j = j + 1 === WORKING_SET ? 0 : j + 1) {
      const t = productInMinorUnits('CNY', [qty[j]!, price[j]!, keep[j]!], 'halfEven');
      sum += typeof t === 'number' ? t : 1;
    }
    return sum;
  });
  row('  halfEven', r);
}
{
  const { qty, price, keep } = typical;
  const r = measure(
    TOTALS / 5,
    (count) => {
      let sum = 0;
      for (let i = 0, j = 0; i < count; i++, j = j + 1 === WORKING_SET ? 0 : j + 1) {
        const t = scaledRoundBig(1, 0, [qty[j]!, price[j]!, keep[j]!], 2, 1, 0, 0, 1);
        sum += typeof t === 'number' ? t : 1;
      }
      return sum;
    },
    3,
  );
  row('  BigInt only, same lines', r, `(the number path is ×${(kernel.perSecond / r.perSecond).toFixed(1)})`);
}
{
  const { raw } = typical;
  const r = measure(
    TOTALS / 5,
    (count) => {
      let sum = 0;
      for (let i = 0, j = 0; i < count; i++, j = j + 1 === WORKING_SET ? 0 : j + 1) {
        const l = raw[j]!;
        const d = must(parseDecimal(l.discount));
        const t = productInMinorUnits('CNY', [must(parseDecimal(l.quantity)), must(parseDecimal(l.unitPrice)), subtractDecimals(DECIMAL_ONE, d)]);
        sum += typeof t === 'number' ? t : 1;
      }
      return sum;
    },
    3,
  );
  row('  door: 3 strings parsed per line', r, '(parseDecimal × 3: every line validated)');
}
{
  const shares = pathShares(heavy);
  row('line totals, heavy mix', lineTotals(heavy, TOTALS / 5, 3), `(${(shares.past * 100).toFixed(0)}% of lines pass 2^53: ${((shares.past - shares.big) * 100).toFixed(0)}% two-limb numbers, ${(shares.big * 100).toFixed(0)}% BigInt)`);
}
{
  const stream = build(TOTALS, typicalLine);
  row('line totals, 1M distinct lines', lineTotals(stream, TOTALS, 3), '(streamed from memory: memory-bound)');
}

// An order discount spread over a 1,000-line quote by line net (largest remainder).
const quoteLines: Money[] = Array.from({ length: 1000 }, (_, i) => moneyFromProduct('CNY', [typical.qty[i]!, typical.price[i]!, typical.keep[i]!]));
const orderDiscount = must(parseAmount('123456.78', 'CNY'));
const spread = measure(
  2_000,
  (count) => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += must(allocateMoney(orderDiscount, quoteLines)).length;
    return sum;
  },
  5,
);

console.log(`money: quote line totals (quantity × unit price × (1 − discount), exact, rounded once to CNY fen)`);
{
  const shares = pathShares(typical);
  console.log(
    `  ${fmt(TOTALS)} totals per round over ${fmt(WORKING_SET)} distinct parsed lines, median of ${ROUNDS} rounds; ${(shares.past * 100).toFixed(1)}% of typical lines pass 2^53 (${(shares.big * 100).toFixed(1)}% on BigInt)`,
  );
}
for (const [label, text] of results) console.log(`  ${label.padEnd(34)}${text}`);
console.log(`  order discount spread over 1,000 lines (allocateMoney by line net)  ${fmt(spread.perSecond)} /s  (${((1 / spread.perSecond) * 1e6).toFixed(1)} µs per quote)`);
console.log(`  machine: ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)} at the end of the run`);
if (kernel.perSecond < 20e6) process.exitCode = 1;
