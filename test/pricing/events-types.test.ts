/**
 * Typed contracts of the pricing module: quote events are a discriminated union (a `switch` on
 * `type` narrows `data`), every step emits exactly what the types list, and
 * `defineApprovalPolicy` keeps a policy literal typed.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  approveQuote,
  cancelQuote,
  convertQuote,
  createQuote,
  defineApprovalPolicy,
  editQuote,
  rejectQuote,
  returnQuote,
  reuseQuote,
  submitQuote,
  type ApprovalPolicyInput,
  type ApprovalReason,
  type NewQuoteInput,
  type QuoteEdit,
  type QuoteEvent,
  type QuoteEventDataByType,
  type QuoteEventType,
  type SalesDocumentKind,
} from '../../src/pricing/index.js';
import { value } from '../support.js';
import { expectDataKeys, type AllTrue, type Covers, type KeyLists } from '../event-keys.js';

const now = new Date('2026-06-01T02:00:00Z');
const rep = { actorId: 'rep-li', now };
const as = (actorId: string) => ({ actorId, now });

/** The keys of each quote event's data, from `QuoteEventDataByType`. */
const QUOTE_KEYS = {
  'quote.created': ['revision'],
  'quote.edited': ['revision', 'fields'],
  'quote.revised': ['revision', 'fields'],
  'quote.submitted': ['revision', 'required', 'reasons'],
  'quote.levelApproved': ['revision', 'level'],
  'quote.approved': ['revision', 'automatic'],
  'quote.rejected': ['revision', 'level', 'reason'],
  'quote.returned': ['revision', 'level', 'reason'],
  'quote.cancelled': ['revision'],
  'quote.converted': ['revision', 'kind', 'documentId', 'repriced'],
  'quote.reused': ['revision', 'sourceId', 'overwritten'],
} as const satisfies KeyLists<QuoteEventDataByType>;

/** 10% off → the team lead; 20% → finance (简道云). */
const policy = defineApprovalPolicy({
  levels: [
    { id: 'teamLead', approvers: ['lead-zhang'] },
    { id: 'finance', approvers: ['fin-wu'] },
  ],
  rules: [
    { id: 'over-10', level: 'teamLead', when: { kind: 'lineDiscountAbove', percent: '10' } },
    { id: 'over-20', level: 'finance', when: { kind: 'lineDiscountAbove', percent: '20' } },
  ],
});

const quote = (id: string, percent: string): NewQuoteInput => ({
  id,
  ownerId: 'rep-li',
  customerId: 'C-1',
  currency: 'CNY',
  lines: [{ id: 'l1', productId: 'P-1', quantity: '10', listPrice: '100', discount: { kind: 'percent', percent } }],
  tax: { percent: '13' },
});

describe('types: a switch on the event type narrows its data', () => {
  it('quote events', () => {
    expectTypeOf<QuoteEvent['type']>().toEqualTypeOf<QuoteEventType>();
    expectTypeOf<Covers<QuoteEventDataByType, typeof QUOTE_KEYS>>().toEqualTypeOf<AllTrue<QuoteEventDataByType>>();
    const seen = (e: QuoteEvent): unknown => {
      switch (e.type) {
        case 'quote.submitted':
          expectTypeOf(e.data.reasons).toEqualTypeOf<readonly ApprovalReason[]>();
          return e.data.required;
        case 'quote.edited':
          expectTypeOf(e.data.fields).toEqualTypeOf<readonly (keyof QuoteEdit)[]>();
          return e.data.fields;
        case 'quote.converted':
          expectTypeOf(e.data.kind).toEqualTypeOf<SalesDocumentKind>();
          // @ts-expect-error a conversion names no approval level
          return e.data.level;
        default:
          return e.data.revision;
      }
    };
    expect(seen).toBeTypeOf('function');
  });
});

describe('types: an approval policy kept in a const', () => {
  it('a plain object literal widens and no door takes it; defineApprovalPolicy keeps it typed', () => {
    const widened = { levels: [{ id: 'teamLead', approvers: ['lead-zhang'] }], rules: [{ id: 'r', level: 'teamLead', when: { kind: 'belowFloor' } }] };
    const draft = value(createQuote(quote('Q-W', '5'), rep)).quote;
    // @ts-expect-error `kind: string` is not a rule kind
    submitQuote(draft, widened, rep);
    const typed = defineApprovalPolicy({ levels: [{ id: 'teamLead', approvers: ['lead-zhang'] }], rules: [{ id: 'r', level: 'teamLead', when: { kind: 'belowFloor' } }] });
    expectTypeOf(typed).toEqualTypeOf<ApprovalPolicyInput>();
    expect(value(submitQuote(draft, typed, rep)).quote.status).toBe('approved');
    // @ts-expect-error a misspelt key is caught (escalation)
    defineApprovalPolicy({ levels: [], rules: [], escalate: 'only' });
  });

  it('returns its argument as it is: not copied, not frozen, not validated, never a throw', () => {
    const mine = { levels: [], rules: [] };
    expect(defineApprovalPolicy(mine)).toBe(mine);
    expect(Object.isFrozen(mine)).toBe(false);
  });
});

describe('runtime: each event carries exactly the keys its type lists', () => {
  it('every quote event type, from real steps', () => {
    const events: QuoteEvent[] = [];
    const keep = <C extends { readonly events: readonly QuoteEvent[] }>(c: C): C => {
      events.push(...c.events);
      return c;
    };
    const created = keep(value(createQuote(quote('Q-1', '15'), rep)));
    const edited = keep(value(editQuote(created.quote, { customerId: 'C-2' }, rep)));
    const submitted = keep(value(submitQuote(edited.quote, policy, rep)));
    const signed = keep(value(approveQuote(submitted.quote, policy, as('lead-zhang'))));
    keep(value(rejectQuote(submitted.quote, policy, '折扣超出授权', as('lead-zhang'))));
    keep(value(returnQuote(submitted.quote, policy, '请补充交付条款', as('lead-zhang'))));
    const atOnce = keep(value(submitQuote(value(createQuote(quote('Q-2', '5'), rep)).quote, policy, rep)));
    keep(value(editQuote(atOnce.quote, { customerId: 'C-3' }, rep)));
    keep(value(cancelQuote(signed.quote, rep)));
    keep(value(convertQuote(signed.quote, policy, { kind: 'order', id: 'SO-1' }, rep)));
    keep(value(reuseQuote(signed.quote, created.quote, rep)));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(QUOTE_KEYS)));
    for (const e of events) expectDataKeys(e, QUOTE_KEYS);
  });
});
