/**
 * Quote pricing speed: `npx tsx bench/pricing.bench.ts`.
 *
 * One 1,000-line CNY quote — a third of the lines on range volume tiers, half with a line
 * discount, a 7.5% order discount spread over the lines, 13% VAT rounded per rate — priced:
 *  - `priceQuoteAmounts` on a quote the rules made: every line's list, amount, share of the
 *    order discount, net, tax and total (minor units, one array each) and the totals — the
 *    figure the target is held to;
 *  - `priceQuote` on the same stored quote: the same numbers plus the per-line breakdown
 *    (waterfall per stage, sale unit price, discount percent, floor check; 12 frozen objects a
 *    line);
 *  - `priceQuote` at the door (zod validation of every line included);
 *  - the same arithmetic with dinero.js v2 (a bench-only dev dependency): line amounts, tiers,
 *    discounts, order discount `allocate`d by line amount, tax per rate `allocate`d back; no
 *    validation, no per-stage output — the bare math, so the ratio flatters it.
 * Median of BENCH_RUNS runs (default 300) after warm-up. Target (issue 5): ≤ 500 µs median,
 * stretch 150 µs. Line totals per second are measured in `bench/money.bench.ts`.
 */
import { allocate, add, dinero, halfEven, multiply, toSnapshot, transformScale, type Dinero } from 'dinero.js';
import { CNY } from 'dinero.js/currencies';
import { formatMoney } from '../src/core/money.js';
import { createQuote, priceQuote, priceQuoteAmounts, type QuotePricingInput } from '../src/pricing/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const LINES = 1000;

const tiers = { mode: 'range' as const, bands: [{ from: '0', price: '20' }, { from: '10', price: '18' }, { from: '30', price: '15' }] };
const lines = Array.from({ length: LINES }, (_, i) => ({
  id: `l${i}`,
  productId: `p${i % 200}`,
  quantity: String(1 + (i % 50)),
  listPrice: (10 + (i % 97) + 0.99).toFixed(2),
  tiers: i % 3 === 0 ? tiers : null,
  discount: i % 2 ? { kind: 'percent' as const, percent: String(i % 15) } : null,
}));
const quote: QuotePricingInput = { currency: 'CNY', lines, orderDiscount: { kind: 'percent', percent: '7.5' }, tax: { percent: '13', rounding: 'perRate' } };

function median(run: () => void): { median: number; p90: number } {
  for (let k = 0; k < Math.min(100, RUNS); k++) run();
  const ts: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t = performance.now();
    run();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return { median: ts[Math.floor(ts.length / 2)]! * 1000, p90: ts[Math.floor(ts.length * 0.9)]! * 1000 };
}

// ── dinero.js: the same math, bare ──
const toCents = (s: string) => Math.round(Number(s) * 100);
function dineroQuote(): Dinero<number> {
  const amounts: Dinero<number>[] = lines.map((l) => {
    const q = Number(l.quantity);
    let unit = dinero({ amount: toCents(l.listPrice), currency: CNY });
    if (l.tiers) unit = dinero({ amount: q >= 30 ? 1500 : q >= 10 ? 1800 : 2000, currency: CNY });
    let amount = multiply(unit, q);
    if (l.discount) amount = multiply(amount, { amount: 100 - Number(l.discount.percent), scale: 2 });
    return transformScale(amount, 2, halfEven);
  });
  const net = amounts.reduce((a, b) => add(a, b));
  const discount = transformScale(multiply(net, { amount: 75, scale: 3 }), 2, halfEven);
  const weights = amounts.map((a) => toSnapshot(a).amount);
  const shares = allocate(discount, weights);
  const after = amounts.map((a, i) => add(a, multiply(shares[i]!, -1)));
  const netAfter = after.reduce((a, b) => add(a, b));
  const tax = transformScale(multiply(netAfter, { amount: 13, scale: 2 }), 2, halfEven);
  const taxes = allocate(tax, after.map((a) => Math.max(0, toSnapshot(a).amount)));
  return add(netAfter, taxes.reduce((a, b) => add(a, b)));
}

const ours = priceQuote(quote);
if (!ours.ok) throw new Error(ours.error.message);
const stored = createQuote({ id: 'Q-bench', ownerId: 'rep', ...quote } as never, { actor: { id: 'rep' }, now: new Date(0) });
if (!stored.ok) throw new Error(stored.error.message);
const storedQuote = stored.value.quote;

const lean = priceQuoteAmounts(storedQuote);
if (!lean.ok || lean.value.totals.total.minor !== ours.value.totals.total.minor) throw new Error('priceQuoteAmounts and priceQuote disagree');
const door = median(() => priceQuote(quote));
const trusted = median(() => priceQuote(storedQuote));
const amounts = median(() => priceQuoteAmounts(storedQuote));
const d = median(() => dineroQuote());
const dTotal = toSnapshot(dineroQuote());

const fmt = (us: number) => `${us.toFixed(0).padStart(6)} µs`;
console.log(`pricing: one ${LINES.toLocaleString('en-US')}-line CNY quote (tiers on 1/3, line discounts on 1/2, 7.5% order discount spread, 13% VAT per rate), median of ${RUNS}`);
const verdict = (us: number) => (us <= 150 ? 'met, stretch 150 µs met too' : us <= 500 ? 'met (stretch 150 µs not)' : 'NOT met');
console.log(`  priceQuoteAmounts, made by rules  ${fmt(amounts.median)}  p90 ${fmt(amounts.p90)}   target ≤ 500 µs: ${verdict(amounts.median)}`);
console.log(`  priceQuote, made by rules         ${fmt(trusted.median)}  p90 ${fmt(trusted.p90)}   (the same numbers + the per-line breakdown objects)`);
console.log(`  priceQuote at the door (zod)      ${fmt(door.median)}  p90 ${fmt(door.p90)}`);
console.log(
  `  dinero.js v2, the bare math       ${fmt(d.median)}  p90 ${fmt(d.p90)}   dinero.js ÷ ours: ${(d.median / amounts.median).toFixed(2)}× (amounts), ${(d.median / trusted.median).toFixed(2)}× (priceQuote), ${(d.median / door.median).toFixed(2)}× (door)`,
);
console.log(`  totals agree: ours ${formatMoney(ours.value.totals.total)}, dinero.js ${(dTotal.amount / 100).toFixed(2)} (both: lines rounded once, the order discount and tax spread by largest remainder)`);
