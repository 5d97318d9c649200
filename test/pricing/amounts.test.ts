import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createQuote, priceQuote, priceQuoteAmounts, type QuoteLineInput, type QuotePricingInput } from '../../src/pricing/index.js';
import { error, value } from '../support.js';

const line = (id: string, quantity: string, listPrice: string, extra: Record<string, unknown> = {}) => ({ id, productId: `P-${id}`, quantity, listPrice, ...extra });

describe('priceQuoteAmounts: the amounts alone, in minor units', () => {
  it('CNY: 3 × ¥19.99 at 15% off and ¥10 × 2 at list, 10% off the order, 13% VAT per rate', () => {
    const q: QuotePricingInput = {
      currency: 'CNY',
      lines: [line('l1', '3', '19.99', { discount: { kind: 'percent', percent: '15' } }), line('l2', '2', '10')],
      orderDiscount: { kind: 'percent', percent: '10' },
      tax: { percent: '13', rounding: 'perRate' },
    };
    const a = value(priceQuoteAmounts(q));
    // 50.97 + 20.00 = 70.97; 10% = 7.10 (7.097), spread 5.10 / 2.00; nets 45.87 + 18.00 = 63.87;
    // tax 8.30 (8.3031) given back 5.96 / 2.34
    expect(a.lines.list).toEqual([5997, 2000]);
    expect(a.lines.amount).toEqual([5097, 2000]);
    expect(a.lines.orderDiscount).toEqual([510, 200]);
    expect(a.lines.net).toEqual([4587, 1800]);
    expect(a.lines.tax).toEqual([596, 234]);
    expect(a.lines.total).toEqual([5183, 2034]);
    expect(a.totals.total).toEqual({ currency: 'CNY', minor: 7217 });
    expect(a.taxByRate).toEqual([{ percent: '13', net: { currency: 'CNY', minor: 6387 }, tax: { currency: 'CNY', minor: 830 } }]);
    expect(Object.isFrozen(a) && Object.isFrozen(a.lines) && Object.isFrozen(a.lines.total)).toBe(true);
  });

  it('reads a quote the rules made without parsing it again, with the same numbers', () => {
    const stored = value(createQuote({ id: 'Q-1', ownerId: 'rep', currency: 'JPY', lines: [line('l1', '3', '1980', { discount: { kind: 'percent', percent: '10' } })], tax: { percent: '10' } }, { actorId: 'rep', now: new Date(0) })).quote;
    const a = value(priceQuoteAmounts(stored));
    expect([a.lines.amount[0], a.lines.tax[0], a.totals.total.minor]).toEqual([5346, 535, 5881]);
  });

  it('refuses as priceQuote does: a line below zero, an order discount above its base, bad input', () => {
    const negative = { currency: 'CNY', lines: [line('l1', '2', '5', { discount: { kind: 'amount', amount: '6' } })] } as QuotePricingInput;
    expect(error(priceQuoteAmounts(negative))).toMatchObject({ code: 'PRICING_NEGATIVE_LINE', details: { lineId: 'l1', index: 0 } });
    const tooMuch = { currency: 'CNY', lines: [line('l1', '1', '5')], orderDiscount: { kind: 'amount', amount: '5.01' } } as QuotePricingInput;
    expect(error(priceQuoteAmounts(tooMuch)).code).toBe('PRICING_ORDER_DISCOUNT_EXCEEDS_BASE');
    expect(error(priceQuoteAmounts({ currency: 'CNY', lines: [line('l1', '1', 5.5 as never)] } as QuotePricingInput)).code).toBe('INVALID_INPUT');
  });
});

/* Every stage, tier mode, discount kind, order discount base, tax mode and rounding, several currencies. */
const dec = (max: number, scale: number) => fc.integer({ min: 0, max }).map((n) => (n / 10 ** scale).toFixed(scale));
const range: QuoteLineInput['tiers'] = { mode: 'range', bands: [{ from: '0', price: '20' }, { from: '10', price: '18.5' }, { from: '30', percentOff: '12.5' }] };
const slab: QuoteLineInput['tiers'] = { mode: 'slab', bands: [{ from: '0', price: '9.99' }, { from: '5', price: '8' }, { from: '20.5', price: '7.125' }] };
const slabPercent: QuoteLineInput['tiers'] = { mode: 'slab', bands: [{ from: '0', percentOff: '0' }, { from: '5', percentOff: '7.5' }, { from: '12', price: '6.5' }, { from: '20.5', percentOff: '12.5' }] };
const tiersArb = fc.constantFrom<QuoteLineInput['tiers']>(null, range, slab, slabPercent);
const discountArb = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 10_000 }).map((n) => ({ kind: 'percent' as const, percent: (n / 100).toFixed(2) })),
  dec(100_000, 3).map((price) => ({ kind: 'salePrice' as const, price })),
  dec(3_000, 2).map((amount) => ({ kind: 'amount' as const, amount })),
);
const lineArb = fc.record({
  quantity: fc.integer({ min: 1, max: 4000 }).map((n) => (n % 4 === 0 ? `${n / 4}` : n % 7 === 0 ? `${n / 8}` : `${n}`)),
  listPrice: dec(100_000_000, 4),
  contractPrice: fc.oneof(fc.constant(null), dec(1_000_000, 2)),
  tiers: tiersArb,
  discount: discountArb,
  floorPrice: fc.oneof(fc.constant(null), dec(100_000, 2)),
  taxPercent: fc.constantFrom(null, '6', '9', '13', '0', '8.25'),
});
const richQuoteArb: fc.Arbitrary<QuotePricingInput> = fc.record({
  currency: fc.constantFrom('CNY' as const, 'JPY' as const, 'KWD' as const, 'USD' as const),
  lines: fc.array(lineArb, { maxLength: 30 }).map((ls) => ls.map((l, i) => ({ id: `l${i}`, productId: `p${i}`, ...l }))),
  orderDiscount: fc.oneof(
    fc.constant(null),
    fc.record({ kind: fc.constant('percent' as const), percent: fc.constantFrom('0', '7.5', '10', '33.33', '100'), base: fc.constantFrom('net' as const, 'total' as const) }),
    fc.record({ kind: fc.constant('amount' as const), amount: dec(1_000_000, 2), base: fc.constantFrom('net' as const, 'total' as const) }),
  ),
  tax: fc.record({ percent: fc.constantFrom('0', '13', '6', '17.5'), mode: fc.constantFrom('exclusive' as const, 'inclusive' as const), rounding: fc.constantFrom('perLine' as const, 'perRate' as const) }),
  rounding: fc.constantFrom('halfAwayFromZero' as const, 'halfEven' as const, 'up' as const, 'down' as const, 'ceil' as const, 'floor' as const, 'halfUp' as const, 'halfDown' as const),
  stages: fc.shuffledSubarray(['contract' as const, 'tier' as const, 'lineDiscount' as const]),
});

describe('properties', () => {
  it('gives exactly the numbers of priceQuote, line by line, or the same refusal', () => {
    let priced = 0;
    fc.assert(
      fc.property(richQuoteArb, (q) => {
        const full = priceQuote(q);
        const lean = priceQuoteAmounts(q);
        if (!full.ok || !lean.ok) {
          expect(lean).toEqual(full);
          return;
        }
        priced++;
        const p = full.value;
        const a = lean.value;
        expect([a.currency, a.rounding, a.totals, a.taxByRate]).toEqual([p.currency, p.rounding, p.totals, p.taxByRate]);
        const column = (k: 'listAmount' | 'amount' | 'orderDiscount' | 'net' | 'tax' | 'total') => p.lines.map((l) => l[k].minor);
        expect([a.lines.list, a.lines.amount, a.lines.orderDiscount, a.lines.net, a.lines.tax, a.lines.total]).toEqual([
          column('listAmount'),
          column('amount'),
          column('orderDiscount'),
          column('net'),
          column('tax'),
          column('total'),
        ]);
      }),
      { numRuns: 1500 },
    );
    // the generator must mostly make quotes that price (refusals are compared too)
    expect(priced).toBeGreaterThan(1000);
  });
});
