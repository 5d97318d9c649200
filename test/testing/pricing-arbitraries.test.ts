import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approvalPolicySchema,
  convertQuote,
  createQuote,
  diffQuotes,
  editQuote,
  lineDiscountSchema,
  orderDiscountSchema,
  priceQuote,
  priceQuoteAmounts,
  quoteEditSchema,
  quoteLineSchema,
  quotePricingSchema,
  requiredApprovals,
  storedQuoteSchema,
  submitQuote,
  taxSchema,
  tiersSchema,
  conversionSchema,
  newQuoteSchema,
  type ApprovalPolicyInput,
  type NewQuoteInput,
  type Quote,
  type QuoteEdit,
  type QuotePricingInput,
} from '../../src/pricing/index.js';
import * as kit from '../../src/testing/index.js';

const runs = { numRuns: 150 };
const anything = fc.anything({ withBigInt: true, withNullPrototype: true, withDate: true, withMap: true, withSet: true, maxDepth: 2 });
const ctx = { actorId: 'rep-li', now: new Date('2026-05-06T02:00:00Z') };
const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
/** What a pricing door answers for a malformed input: INVALID_INPUT, or the credit-line code when a negative quantity or price is all that is wrong. */
const REFUSED = ['INVALID_INPUT', 'PRICING_CREDIT_LINE_NOT_SUPPORTED'];
const accepts = (schema: { safeParse(x: unknown): { success: boolean } }) => (x: unknown) => schema.safeParse(x).success;

describe('tiers, discounts and tax: valid for their schemas, twins refused', () => {
  const pairs: [string, fc.Arbitrary<unknown>, fc.Arbitrary<unknown>, (x: unknown) => boolean][] = [
    ['tiers', kit.tiersArb(), kit.invalidTiersArb(), accepts(tiersSchema)],
    ['line discount', kit.lineDiscountArb(), kit.invalidLineDiscountArb(), accepts(lineDiscountSchema)],
    ['order discount', kit.orderDiscountArb(), kit.invalidOrderDiscountArb(), accepts(orderDiscountSchema)],
    ['tax settings', kit.taxSettingsArb(), kit.invalidTaxSettingsArb(), accepts(taxSchema)],
    ['quote edit', kit.quoteEditArb(), kit.invalidQuoteEditArb(), accepts(quoteEditSchema)],
    ['approval policy', kit.approvalPolicyArb(), kit.invalidApprovalPolicyArb(), accepts(approvalPolicySchema)],
    ['conversion request', kit.conversionInputArb({ lineIds: ['l1', 'l2'] }), kit.invalidConversionInputArb(), accepts(conversionSchema)],
  ];
  for (const [name, valid, invalid, check] of pairs) {
    it(name, () => {
      fc.assert(fc.property(valid, (x) => check(x)), runs);
      fc.assert(fc.property(invalid, (x) => !check(x)), { numRuns: 300 });
    });
  }

  it('tiers, line discounts (other than an amount off, which is bounded by the line) and tax settings from the kit price in a quote', () => {
    fc.assert(
      fc.property(kit.tiersArb(), kit.lineDiscountArb().filter((d) => d.kind !== 'amount'), kit.taxSettingsArb(), kit.quoteLineArb(), (tiers, discount, tax, line) => {
        expect(codeOf(priceQuote({ currency: 'CNY', lines: [{ ...line, tiers, discount }], tax }))).toBe('ok');
      }),
      runs,
    );
  });
});

describe('quote lines and pricing inputs', () => {
  it('a line prices alone, and passes the line schema', () => {
    fc.assert(
      fc.property(kit.quoteLineArb(), kit.currencyCodeArb(), (line, currency) => {
        expect(quoteLineSchema.safeParse(line).success).toBe(true);
        expect(codeOf(priceQuote({ currency, lines: [line] }))).toBe('ok');
      }),
      runs,
    );
  });

  it('an invalid line is refused by priceQuote, never priced', () => {
    fc.assert(
      fc.property(kit.invalidQuoteLineArb(), (line) => {
        expect(REFUSED).toContain(codeOf(priceQuote({ currency: 'CNY', lines: [line as never] })));
      }),
      { numRuns: 300 },
    );
  });

  it('a pricing input prices with no refusal, and priceQuoteAmounts gives the same totals', () => {
    fc.assert(
      fc.property(kit.quotePricingInputArb(), (q) => {
        expect(quotePricingSchema.safeParse(q).success).toBe(true);
        const priced = priceQuote(q);
        const amounts = priceQuoteAmounts(q);
        expect(codeOf(priced)).toBe('ok');
        expect(codeOf(amounts)).toBe('ok');
        if (priced.ok && amounts.ok) expect(amounts.value.totals).toEqual(priced.value.totals);
      }),
      runs,
    );
  });

  it('quotes cover the shapes pricing reads: amounts off, tiers of both modes, order discounts of both kinds and bases, inclusive tax', () => {
    const quotes = fc.sample(kit.quotePricingInputArb(), { numRuns: 300, seed: 7 });
    const lines = quotes.flatMap((q) => q.lines);
    expect(lines.some((l) => l.discount?.kind === 'amount' && l.discount.amount !== '0')).toBe(true);
    expect(new Set(lines.map((l) => l.tiers?.mode).filter(Boolean))).toEqual(new Set(['range', 'slab']));
    expect(quotes.some((q) => q.orderDiscount?.kind === 'amount' && q.orderDiscount.base === 'total')).toBe(true);
    expect(quotes.some((q) => q.orderDiscount?.kind === 'percent')).toBe(true);
    expect(quotes.some((q) => q.tax?.mode === 'inclusive')).toBe(true);
  });

  it('an invalid pricing input is refused by priceQuote', () => {
    fc.assert(
      fc.property(kit.invalidQuotePricingInputArb(), (q) => {
        expect(REFUSED).toContain(codeOf(priceQuote(q as QuotePricingInput)));
      }),
      { numRuns: 400 },
    );
  });

  it('the credit-line twin is refused with its own code', () => {
    const codes = new Set(fc.sample(kit.invalidQuotePricingInputArb(), { numRuns: 400, seed: 11 }).map((q) => codeOf(priceQuote(q as QuotePricingInput))));
    expect([...codes].sort()).toEqual(REFUSED);
  });
});

describe('new quotes, policies and stored quotes', () => {
  it('a new quote is created as a draft; its twin is refused', () => {
    fc.assert(
      fc.property(kit.newQuoteInputArb(), (q) => {
        expect(newQuoteSchema.safeParse(q).success).toBe(true);
        const created = createQuote(q, ctx);
        expect(codeOf(created)).toBe('ok');
        if (created.ok) expect(created.value.quote.status).toBe('draft');
      }),
      runs,
    );
    fc.assert(
      fc.property(kit.invalidNewQuoteInputArb(), (q) => {
        expect(REFUSED).toContain(codeOf(createQuote(q as NewQuoteInput, ctx)));
      }),
      { numRuns: 300 },
    );
  });

  it('a policy answers which levels a quote needs; its twin is refused by requiredApprovals', () => {
    fc.assert(
      fc.property(kit.quotePricingInputArb(), kit.approvalPolicyArb(), (q, p) => {
        expect(codeOf(requiredApprovals(q, p))).toBe('ok');
      }),
      runs,
    );
    fc.assert(
      fc.property(kit.quotePricingInputArb(), kit.invalidApprovalPolicyArb(), (q, p) => {
        expect(codeOf(requiredApprovals(q, p as ApprovalPolicyInput))).toBe('INVALID_INPUT');
      }),
      { numRuns: 300 },
    );
  });

  it('a stored quote passes its door (as it is and as JSON from a database) and prices', () => {
    fc.assert(
      fc.property(kit.quoteArb(), (q) => {
        expect(storedQuoteSchema.safeParse(q).success).toBe(true);
        expect(codeOf(diffQuotes(q, q))).toBe('ok');
        expect(codeOf(diffQuotes(JSON.parse(JSON.stringify(q)) as Quote, q))).toBe('ok');
        expect(codeOf(priceQuote(q))).toBe('ok');
      }),
      { numRuns: 100 },
    );
  });

  it('walking the flow reaches every status, and revisions past the first', () => {
    const quotes = fc.sample(kit.quoteArb(), { numRuns: 300, seed: 5 });
    expect(new Set(quotes.map((q) => q.status))).toEqual(new Set(['draft', 'pending', 'approved', 'rejected', 'returned', 'cancelled']));
    expect(quotes.some((q) => q.revision > 1)).toBe(true);
  });

  it('an invalid stored quote is refused at the door', () => {
    fc.assert(
      fc.property(kit.invalidQuoteArb(), (q) => {
        expect(storedQuoteSchema.safeParse(q).success).toBe(false);
        expect(codeOf(diffQuotes(q as Quote, q as Quote))).toBe('INVALID_INPUT');
      }),
      { numRuns: 200 },
    );
  });

  it('an edit is never malformed for editQuote: the quote takes it or refuses it for a domain reason; its twin is INVALID_INPUT', () => {
    fc.assert(
      fc.property(kit.quoteArb({ maxSteps: 3 }), kit.quoteEditArb(), (q, edit) => {
        const r = editQuote(q, edit, ctx);
        if (!r.ok && r.error.code === 'INVALID_INPUT') {
          // the one refusal an edit can earn without a defect of its own: a new currency with fewer
          // decimals than the quote's amount order discount (never rounded silently)
          expect(edit.currency).toBeDefined();
          expect(r.error.details.issues).toEqual([expect.objectContaining({ path: ['orderDiscount', 'amount'] })]);
        }
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(kit.quoteArb({ maxSteps: 2 }), kit.invalidQuoteEditArb(), (q, edit) => {
        expect(codeOf(editQuote(q, edit as QuoteEdit, ctx))).toBe('INVALID_INPUT');
      }),
      { numRuns: 100 },
    );
  });

  it('a conversion request of an approved quote converts, or is refused for a domain reason; its twin is INVALID_INPUT', () => {
    const policy: ApprovalPolicyInput = { levels: [{ id: 'teamLead', approvers: ['lead-zhang'] }], rules: [] };
    const approvedOf = (input: NewQuoteInput) => {
      const created = createQuote(input, ctx);
      if (!created.ok) throw new Error(created.error.code);
      const submitted = submitQuote(created.value.quote, policy, ctx);
      if (!submitted.ok || submitted.value.quote.status !== 'approved') throw new Error('not approved at once');
      return submitted.value.quote;
    };
    fc.assert(
      fc.property(
        kit.newQuoteInputArb({ maxLines: 3 }).chain((q) => fc.tuple(fc.constant(q), kit.conversionInputArb({ lineIds: q.lines.map((l) => l.id) }))),
        ([input, request]) => {
          const r = convertQuote(approvedOf(input), policy, request, ctx);
          // re-priced lines may pass a price (an amount off) or shrink the base of an amount order discount
          expect(['ok', 'PRICING_NEGATIVE_LINE', 'PRICING_ORDER_DISCOUNT_EXCEEDS_BASE', 'PRICING_APPROVAL_REQUIRED']).toContain(codeOf(r));
        },
      ),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(kit.newQuoteInputArb({ maxLines: 2 }), kit.invalidConversionInputArb(), (input, request) => {
        expect(codeOf(convertQuote(approvedOf(input), policy, request as never, ctx))).toBe('INVALID_INPUT');
      }),
      { numRuns: 100 },
    );
  });
});

/*
 * Values one defect from a stored quote that the stored-quote door once accepted, though the
 * rules never make them (found while writing invalidQuoteArb): the door refuses them now.
 */
describe('stored quotes the rules never make are refused at the door (once known gaps)', () => {
  const quotes = fc.sample(kit.quoteArb(), { numRuns: 400, seed: 9 });
  const find = (f: (q: Quote) => boolean) => {
    const q = quotes.find(f);
    if (q === undefined) throw new Error('no such quote in the sample');
    return q;
  };
  const refused = (q: unknown) => expect(codeOf(diffQuotes(q as Quote, q as Quote))).toBe('INVALID_INPUT');

  it('an approved quote missing the signatures of the levels it required (convertQuote turns it into an order)', () => {
    const q = find((x) => x.status === 'approved' && x.approval.required.length > 0);
    refused({ ...q, approval: { ...q.approval, signatures: [] } });
  });

  it('a rejected quote without its decision', () => {
    const q = find((x) => x.status === 'rejected');
    refused({ ...q, approval: { ...q.approval, decision: null } });
  });

  it('a quote updated before it was created (the payments doors refuse this)', () => {
    const q = find((x) => x.status === 'draft');
    refused({ ...q, updatedAt: new Date(q.createdAt.getTime() - 86_400_000) });
  });

  it('a revision above the version (every revision is a step: version ≥ revision)', () => {
    const q = find((x) => x.status === 'draft');
    refused({ ...q, revision: q.version + 1 });
  });
});

describe('the pricing builders accept anything as options: an unusable option is ignored and the default applies', () => {
  it('property: no builder throws, and what it builds is valid', () => {
    fc.assert(
      fc.property(anything, (options) => {
        expect(fc.sample(kit.quotePricingInputArb(options as never), 2).every((q) => priceQuote(q).ok)).toBe(true);
        expect(fc.sample(kit.newQuoteInputArb(options as never), 2).every((q) => createQuote(q, ctx).ok)).toBe(true);
        expect(fc.sample(kit.quoteArb(options as never), 1).every((q) => diffQuotes(q, q).ok)).toBe(true);
        expect(fc.sample(kit.conversionInputArb(options as never), 2).every((r) => conversionSchema.safeParse(r).success)).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect(fc.sample(kit.quotePricingInputArb({ currency: 'JPY', maxLines: 1 }), 20).every((q) => q.currency === 'JPY' && q.lines.length <= 1)).toBe(true);
  });
});
