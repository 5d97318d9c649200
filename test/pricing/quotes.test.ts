import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney } from '../../src/core/money.js';
import {
  approveQuote,
  cancelQuote,
  convertQuote,
  createQuote,
  diffQuotes,
  editQuote,
  QUOTE_STATUSES,
  QUOTE_TRANSITIONS,
  rejectQuote,
  requiredApprovals,
  returnQuote,
  reuseQuote,
  submitQuote,
  type ApprovalPolicyInput,
  type NewQuoteInput,
  type Quote,
} from '../../src/pricing/index.js';
import { error, value } from '../support.js';

const now = new Date('2026-06-01T02:00:00Z');
const rep = { actorId: 'rep-li', now };
const as = (actorId: string) => ({ actorId, now });

/** 10% → team lead, 20% → finance, 30% → the boss; a special price → team lead (简道云). */
const policy: ApprovalPolicyInput = {
  levels: [
    { id: 'teamLead', approvers: ['lead-zhang'] },
    { id: 'finance', approvers: ['fin-wu'] },
    { id: 'boss', approvers: ['boss-chen'] },
  ],
  rules: [
    { id: 'over-10', level: 'teamLead', when: { kind: 'lineDiscountAbove', percent: '10' } },
    { id: 'over-20', level: 'finance', when: { kind: 'lineDiscountAbove', percent: '20' } },
    { id: 'over-30', level: 'boss', when: { kind: 'lineDiscountAbove', percent: '30' } },
    { id: 'special', level: 'teamLead', when: { kind: 'belowFloor' } },
  ],
};

const quoteWith = (discountPercent: string, extra: Partial<NewQuoteInput> = {}): NewQuoteInput => ({
  id: 'Q-1',
  ownerId: 'rep-li',
  customerId: 'C-1',
  currency: 'CNY',
  lines: [
    { id: 'l1', productId: 'P-1', quantity: '10', listPrice: '100', floorPrice: '60', discount: { kind: 'percent', percent: discountPercent } },
    { id: 'l2', productId: 'P-2', quantity: '1', listPrice: '50' },
  ],
  tax: { percent: '13' },
  ...extra,
});
const draft = (discountPercent: string, extra: Partial<NewQuoteInput> = {}): Quote => value(createQuote(quoteWith(discountPercent, extra), rep)).quote;

describe('requiredApprovals', () => {
  it('names the levels in order and why: line, figure and threshold', () => {
    expect(value(requiredApprovals(draft('5'), policy)).levels).toEqual([]);
    expect(value(requiredApprovals(draft('10'), policy)).levels).toEqual([]); // above 10%, not at it
    expect(value(requiredApprovals(draft('15'), policy)).levels).toEqual(['teamLead']);
    const r = value(requiredApprovals(draft('25'), policy));
    expect(r.levels).toEqual(['teamLead', 'finance']);
    expect(r.reasons).toEqual([
      { ruleId: 'over-10', level: 'teamLead', kind: 'lineDiscountAbove', lineId: 'l1', actual: '25', threshold: '10' },
      { ruleId: 'over-20', level: 'finance', kind: 'lineDiscountAbove', lineId: 'l1', actual: '25', threshold: '20' },
    ]);
    expect(value(requiredApprovals(draft('35'), policy)).levels).toEqual(['teamLead', 'finance', 'boss']);
  });

  it('a price below the floor is a special price for the team lead; `through` escalation asks every level below the highest', () => {
    const special = draft('0', { lines: [{ id: 'l1', productId: 'P-1', quantity: '1', listPrice: '100', floorPrice: '95', discount: { kind: 'salePrice', price: '94' } }] });
    const r = value(requiredApprovals(special, policy));
    expect(r.reasons.map((x) => [x.ruleId, x.lineId])).toEqual([['special', 'l1']]);
    const onlyBoss = { ...policy, rules: [{ id: 'big', level: 'boss', when: { kind: 'totalAbove' as const, amount: '100' } }] };
    expect(value(requiredApprovals(draft('0'), onlyBoss)).levels).toEqual(['teamLead', 'finance', 'boss']);
    expect(value(requiredApprovals(draft('0'), { ...onlyBoss, escalation: 'only' })).levels).toEqual(['boss']);
  });

  it('order and total discount rules compare the whole quote', () => {
    const p: ApprovalPolicyInput = {
      levels: policy.levels,
      rules: [
        { id: 'order-5', level: 'finance', when: { kind: 'orderDiscountAbove', percent: '5' } },
        { id: 'total-12', level: 'boss', when: { kind: 'totalDiscountAbove', percent: '12' } },
      ],
    };
    const q = draft('10', { orderDiscount: { kind: 'percent', percent: '6' } });
    // 10% on l1 (1000 → 900) + 50, then 6% off 950: 893 of a 1050 list = 14.95% off
    expect(value(requiredApprovals(q, p)).reasons.map((r) => [r.ruleId, r.actual])).toEqual([
      ['order-5', '6'],
      ['total-12', '14.95'],
    ]);
  });

  it('refuses a policy whose rules name an unknown level', () => {
    expect(error(requiredApprovals(draft('0'), { ...policy, rules: [{ id: 'x', level: 'ceo', when: { kind: 'belowFloor' } }] })).details.issues).toEqual([
      expect.objectContaining({ path: ['policy', 'rules', 0, 'level'] }),
    ]);
  });
});

describe('the approval flow: draft → pending level 1 → … → approved', () => {
  it('a quote within the rep\'s authority is approved on submit', () => {
    const r = value(submitQuote(draft('5'), policy, rep));
    expect(r.quote.status).toBe('approved');
    expect(r.events.map((e) => e.type)).toEqual(['quote.submitted', 'quote.approved']);
  });

  it('25% off goes to the team lead, then finance; each signs their own level only', () => {
    const pending = value(submitQuote(draft('25'), policy, rep)).quote;
    expect(pending).toMatchObject({ status: 'pending', approval: { required: ['teamLead', 'finance'], current: 0 }, version: 2 });
    expect(error(approveQuote(pending, policy, as('fin-wu'))).code).toBe('PRICING_NOT_AN_APPROVER');
    const second = value(approveQuote(pending, policy, as('lead-zhang'))).quote;
    expect(second.approval.current).toBe(1);
    const done = value(approveQuote(second, policy, as('fin-wu')));
    expect(done.quote.status).toBe('approved');
    expect(done.quote.approval.signatures.map((s) => [s.level, s.actorId])).toEqual([
      ['teamLead', 'lead-zhang'],
      ['finance', 'fin-wu'],
    ]);
    expect(done.events.map((e) => e.type)).toEqual(['quote.levelApproved', 'quote.approved']);
  });

  it('rejected with a reason, or returned for editing and submitted again', () => {
    const pending = value(submitQuote(draft('15'), policy, rep)).quote;
    expect(error(rejectQuote(pending, policy, '  ', as('lead-zhang'))).code).toBe('PRICING_REASON_REQUIRED');
    const rejected = value(rejectQuote(pending, policy, '折扣超出授权', as('lead-zhang'))).quote;
    expect(rejected).toMatchObject({ status: 'rejected', approval: { decision: { outcome: 'rejected', reason: '折扣超出授权', actorId: 'lead-zhang' } } });
    expect(error(submitQuote(rejected, policy, rep)).code).toBe('PRICING_TRANSITION_NOT_ALLOWED');
    const returned = value(returnQuote(pending, policy, '请补充交付条款', as('lead-zhang'))).quote;
    const edited = value(editQuote(returned, { lines: [{ ...returned.lines[0]!, discount: { kind: 'percent', percent: '8' } }, returned.lines[1]!] }, rep)).quote;
    expect(edited).toMatchObject({ status: 'draft', revision: 1 });
    expect(value(submitQuote(edited, policy, rep)).quote.status).toBe('approved');
  });

  it('cancelled from anything but cancelled; a pending quote cannot be edited', () => {
    const pending = value(submitQuote(draft('15'), policy, rep)).quote;
    expect(error(editQuote(pending, { orderDiscount: null }, rep)).code).toBe('PRICING_TRANSITION_NOT_ALLOWED');
    const cancelled = value(cancelQuote(pending, rep)).quote;
    expect(cancelled.status).toBe('cancelled');
    expect(error(cancelQuote(cancelled, rep)).details).toMatchObject({ status: 'cancelled', operation: 'cancel' });
  });

  it('editing an approved quote makes a new revision that needs approval again; the old one is kept and can be diffed', () => {
    const approved = value(approveQuote(value(submitQuote(draft('15'), policy, rep)).quote, policy, as('lead-zhang'))).quote;
    const r = value(editQuote(approved, { orderDiscount: { kind: 'percent', percent: '5' } }, rep));
    expect(r.quote).toMatchObject({ status: 'draft', revision: 2, approval: { required: [], signatures: [] } });
    // the approved revision as it stood, a record of its own: setting one of its Dates moves neither the caller's quote nor the new revision
    expect(r.archived).toEqual(approved);
    expect(r.archived).not.toBe(approved);
    r.archived!.updatedAt.setTime(0);
    expect([approved.updatedAt.getTime(), r.quote.createdAt.getTime()]).toEqual([now.getTime(), now.getTime()]);
    expect(r.events.map((e) => e.type)).toEqual(['quote.revised']);
    const diff = value(diffQuotes(approved, r.quote));
    expect(diff.header).toEqual([{ field: 'orderDiscount', from: null, to: { kind: 'percent', percent: '5', base: 'net' } }]);
    expect(diff.lines).toEqual({ added: [], removed: [], changed: [] });
    expect([formatMoney(diff.totals.from!.net), formatMoney(diff.totals.to!.net)]).toEqual(['900.00', '855.00']);
  });

  it('diffs lines added, removed and changed field by field', () => {
    const a = draft('15');
    const b = value(editQuote(a, { lines: [{ ...a.lines[0]!, quantity: '12' }, { id: 'l3', productId: 'P-3', quantity: '1', listPrice: '9.9' }] }, rep)).quote;
    const d = value(diffQuotes(a, b)).lines;
    expect(d.added.map((l) => l.id)).toEqual(['l3']);
    expect(d.removed.map((l) => l.id)).toEqual(['l2']);
    expect(d.changed).toEqual([{ id: 'l1', changes: [{ field: 'quantity', from: '10', to: '12' }] }]);
  });

  it('a quote read back from the database (ISO dates, a fresh object) is accepted; a tampered one is refused', () => {
    const pending = value(submitQuote(draft('15'), policy, rep)).quote;
    const stored = JSON.parse(JSON.stringify(pending));
    expect(value(approveQuote(stored, policy, as('lead-zhang'))).quote.status).toBe('approved');
    expect(error(approveQuote({ ...stored, approval: { ...stored.approval, current: 5 } }, policy, as('lead-zhang'))).code).toBe('INVALID_INPUT');
  });
});

describe('conversion to an order or a contract', () => {
  const approved = () => value(approveQuote(value(submitQuote(draft('15'), policy, rep)).quote, policy, as('lead-zhang'))).quote;

  it('makes the document with the quote\'s pricing and where it came from', () => {
    const c = value(convertQuote(approved(), policy, { kind: 'order', id: 'SO-1' }, rep));
    expect(c.document).toMatchObject({ id: 'SO-1', kind: 'order', quoteId: 'Q-1', quoteRevision: 1, customerId: 'C-1', version: 1 });
    expect(formatMoney(c.document.totals.total)).toBe('1017.00'); // (850 + 50) × 1.13
    expect(c.events.map((e) => e.type)).toEqual(['quote.converted']);
  });

  it('re-pricing within the signed levels goes through; a grown discount that needs a new level is refused with the levels', () => {
    const q = approved();
    const within = value(convertQuote(q, policy, { kind: 'contract', id: 'CT-1', repricing: { lineDiscounts: { l1: { kind: 'percent', percent: '18' } } } }, rep));
    expect(formatMoney(within.document.totals.net)).toBe('870.00');
    const e = error(convertQuote(q, policy, { kind: 'order', id: 'SO-2', repricing: { lineDiscounts: { l1: { kind: 'percent', percent: '22' } } } }, rep));
    expect(e.code).toBe('PRICING_APPROVAL_REQUIRED');
    expect(e.details).toMatchObject({ levels: ['finance'], kind: 'order' });
    // a smaller discount needs nothing more
    expect(value(convertQuote(q, policy, { kind: 'order', id: 'SO-3', repricing: { orderDiscount: null, lineDiscounts: { l1: null } } }, rep)).document.id).toBe('SO-3');
  });

  it('only an approved quote converts; an unknown line in the re-pricing is INVALID_INPUT', () => {
    expect(error(convertQuote(draft('0'), policy, { kind: 'order', id: 'SO-1' }, rep)).code).toBe('PRICING_TRANSITION_NOT_ALLOWED');
    expect(error(convertQuote(approved(), policy, { kind: 'order', id: 'SO-1', repricing: { lineDiscounts: { nope: null } } }, rep)).details.issues).toEqual([
      expect.objectContaining({ path: ['request', 'repricing', 'lineDiscounts', 'nope'] }),
    ]);
  });
});

describe('reusing an earlier quote (复用报价)', () => {
  it('a fresh draft copies it; filling an existing draft names every field it overwrites', () => {
    const old = draft('15', { id: 'Q-OLD' });
    const fresh = value(reuseQuote(old, { id: 'Q-NEW', ownerId: 'rep-wang' }, rep));
    expect(fresh.quote).toMatchObject({ id: 'Q-NEW', ownerId: 'rep-wang', status: 'draft', lines: old.lines, customerId: 'C-1' });
    expect(fresh.overwrites).toEqual([]);
    const mine = draft('0', { id: 'Q-MINE', customerId: null, lines: [{ id: 'x', productId: 'P-9', quantity: '1', listPrice: '1' }] });
    const filled = value(reuseQuote(old, mine, rep));
    expect(filled.overwrites.map((o) => o.field)).toEqual(['lines']);
    expect(filled.overwrites[0]).toMatchObject({ from: mine.lines, to: old.lines });
    expect(filled.quote).toMatchObject({ id: 'Q-MINE', version: mine.version + 1, customerId: 'C-1' });
    expect(filled.events.map((e) => [e.type, e.type === 'quote.reused' ? e.data.overwritten : null])).toEqual([['quote.reused', ['lines']]]);
  });

  it('refuses to fill a quote that is not a draft', () => {
    const submitted = value(submitQuote(draft('15', { id: 'Q-2' }), policy, rep)).quote;
    expect(error(reuseQuote(draft('0'), submitted, rep)).code).toBe('PRICING_TRANSITION_NOT_ALLOWED');
  });
});

describe('trust at the boundary: ids are data, every door validates before reading, outputs are frozen to the last Date', () => {
  const approve = (q: Quote) => value(approveQuote(value(submitQuote(q, policy, rep)).quote, policy, as('lead-zhang'))).quote;

  it('any argument is validated before it is read: undefined, a string target, a number', () => {
    expect(error(requiredApprovals(undefined as never, policy)).details.issues).toEqual([expect.objectContaining({ path: ['quote'] })]);
    expect(error(requiredApprovals(42 as never, policy)).code).toBe('INVALID_INPUT');
    expect(error(reuseQuote(draft('0'), 'Q-2' as never, rep)).details.issues).toEqual([expect.objectContaining({ path: ['target'] })]);
    expect(error(reuseQuote('Q-1' as never, { id: 'Q-2', ownerId: 'rep' }, rep)).details.issues).toEqual([expect.objectContaining({ path: ['source'] })]);
    expect(error(diffQuotes(draft('0'), null as never)).details.issues).toEqual([expect.objectContaining({ path: ['to'] })]);
  });

  it('line ids __proto__ and constructor are ordinary ids: created, approved, re-priced by id (JSON object or Map) and converted', () => {
    const lines = [
      { id: '__proto__', productId: 'P-1', quantity: '10', listPrice: '100', discount: { kind: 'percent' as const, percent: '15' } },
      { id: 'constructor', productId: 'P-2', quantity: '1', listPrice: '50' },
    ];
    const q = approve(draft('0', { lines }));
    expect(q.lines.map((l) => l.id)).toEqual(['__proto__', 'constructor']);
    // a host's request as JSON: "__proto__" is an own key there
    const fromJson = value(convertQuote(q, policy, JSON.parse('{"kind":"order","id":"SO-1","repricing":{"lineDiscounts":{"__proto__":{"kind":"percent","percent":"12"}}}}'), rep));
    expect(fromJson.document.lines.map((l) => l.discount)).toEqual([{ kind: 'percent', percent: '12' }, null]);
    const fromMap = value(convertQuote(q, policy, { kind: 'contract', id: 'CT-1', repricing: { lineDiscounts: new Map([['constructor', { kind: 'salePrice' as const, price: '45' }]]) } }, rep));
    expect(formatMoney(fromMap.document.totals.net)).toBe('895.00'); // 850 + 45
    // a line the quote does not have is named, even when it is called toString
    expect(error(convertQuote(q, policy, { kind: 'order', id: 'SO-2', repricing: { lineDiscounts: new Map([['toString', null]]) } }, rep)).details.issues).toEqual([
      expect.objectContaining({ path: ['request', 'repricing', 'lineDiscounts', 'toString'] }),
    ]);
    expect(value(diffQuotes(q, value(editQuote(q, { lines: [lines[1]!] }, rep)).quote)).lines.removed.map((l) => l.id)).toEqual(['__proto__']);
  });

  it('a line id appears once: duplicates are refused by createQuote, editQuote and a stored quote', () => {
    const twice = [
      { id: 'l1', productId: 'P-1', quantity: '1', listPrice: '1' },
      { id: 'l1', productId: 'P-2', quantity: '1', listPrice: '2' },
    ];
    expect(error(createQuote(quoteWith('0', { lines: twice }), rep)).details.issues).toEqual([expect.objectContaining({ path: ['quote', 'lines', 1, 'id'] })]);
    expect(error(editQuote(draft('0'), { lines: twice }, rep)).details.issues).toEqual([expect.objectContaining({ path: ['edit', 'lines', 1, 'id'] })]);
    const stored = { ...JSON.parse(JSON.stringify(draft('0'))), lines: twice };
    expect(error(submitQuote(stored, policy, rep)).details.issues).toEqual([expect.objectContaining({ path: ['quote', 'lines', 1, 'id'] })]);
  });

  it('what a step returns is frozen all the way down, events included, and no two places share a Date', () => {
    const r = value(editQuote(draft('15'), { orderDiscount: { kind: 'percent', percent: '5' } }, rep));
    const edited = r.events[0]!;
    const fields = (edited.type === 'quote.edited' ? edited.data.fields : []) as string[];
    expect(Object.isFrozen(fields)).toBe(true);
    expect(() => fields.push('x')).toThrow(TypeError);
    expect(Object.isFrozen(r.quote.lines[0]!.discount)).toBe(true);
    expect(r.quote.createdAt).not.toBe(r.quote.updatedAt);
    expect(r.events[0]!.at).not.toBe(r.quote.updatedAt);
    const c = value(convertQuote(approve(draft('15')), policy, { kind: 'order', id: 'SO-1' }, rep));
    expect(Object.isFrozen(c.events) && Object.isFrozen(c.events[0]!.data) && Object.isFrozen(c.document.lines)).toBe(true);
    expect(c.document.createdAt).not.toBe(c.events[0]!.at);
  });

  it('a caller\'s objects are never frozen or changed: the context, the edit, the policy, the request', () => {
    const ctx = { actorId: 'rep-li', now: new Date(now) };
    const edit = { lines: [{ id: 'l1', productId: 'P-1', quantity: '1', listPrice: '5' }] };
    const q = value(editQuote(draft('0'), edit, ctx)).quote;
    expect([Object.isFrozen(ctx), Object.isFrozen(edit), Object.isFrozen(edit.lines[0]), Object.isFrozen(ctx.now)]).toEqual([false, false, false, false]);
    ctx.now.setTime(0);
    expect(q.updatedAt.getTime()).toBe(now.getTime()); // the quote holds its own copy
    const request = { kind: 'order' as const, id: 'SO-1', repricing: { lineDiscounts: { l1: { kind: 'percent' as const, percent: '12' } } } };
    value(convertQuote(approve(draft('15')), policy, request, rep));
    expect(Object.isFrozen(request.repricing.lineDiscounts.l1)).toBe(false);
  });

  it('a returned quote whose Date is set in place is a stranger: Invalid Date refused, any other time validated afresh', () => {
    const q = draft('15');
    q.updatedAt.setTime(Number.NaN);
    expect(error(submitQuote(q, policy, rep)).details.issues).toEqual([expect.objectContaining({ path: ['quote', 'updatedAt'] })]);
    const p = value(submitQuote(draft('15'), policy, rep)).quote;
    p.createdAt.setTime(Date.UTC(2026, 0, 1));
    const r = value(approveQuote(p, policy, as('lead-zhang')));
    expect(r.quote.createdAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a Date-like object or a Date whose getTime changes between reads is read once or refused, never thrown on', () => {
    expect(error(createQuote(quoteWith('0'), { actorId: 'rep', now: Object.create(Date.prototype) })).details.issues).toEqual([expect.objectContaining({ path: ['context', 'now'] })]);
    class Flaky extends Date {
      n = 0;
      override getTime() {
        return this.n++ % 2 ? Number.NaN : super.getTime();
      }
    }
    const q = value(createQuote(quoteWith('0'), { actorId: 'rep', now: new Flaky(now) })).quote;
    expect(q.createdAt.getTime()).toBe(now.getTime());
  });

  it('a reason a database cannot store (NUL, a lone surrogate) is INVALID_INPUT; an empty one PRICING_REASON_REQUIRED', () => {
    const pending = value(submitQuote(draft('15'), policy, rep)).quote;
    expect(error(rejectQuote(pending, policy, 'no\u0000', as('lead-zhang'))).details.issues).toEqual([expect.objectContaining({ path: ['reason'] })]);
    expect(error(returnQuote(pending, policy, '\uD800', as('lead-zhang'))).code).toBe('INVALID_INPUT');
    expect(error(returnQuote(pending, policy, 42 as never, as('lead-zhang'))).code).toBe('PRICING_REASON_REQUIRED');
  });

  it('free text is the core\'s safe text, with pricing\'s lengths: a level name (≤ 200), a reason (≤ 2,000)', () => {
    const named = (name: string): ApprovalPolicyInput => ({ ...policy, levels: policy.levels.map((l, i) => (i === 0 ? { ...l, name } : l)) });
    expect(value(requiredApprovals(draft('15'), named('组长'.repeat(100)))).levels).toEqual(['teamLead']);
    for (const name of ['组长'.repeat(100) + 'x', 'a\u0000b', 'x\uDC00']) {
      expect(error(requiredApprovals(draft('15'), named(name))).details.issues).toEqual([expect.objectContaining({ path: ['policy', 'levels', 0, 'name'] })]);
    }
    const pending = value(submitQuote(draft('15'), policy, rep)).quote;
    expect(value(rejectQuote(pending, policy, 'x'.repeat(2000), as('lead-zhang'))).quote.status).toBe('rejected');
    expect(error(rejectQuote(pending, policy, 'x'.repeat(2001), as('lead-zhang'))).details.issues).toEqual([expect.objectContaining({ path: ['reason'] })]);
    // a stored quote's reason is read by the same rule
    const stored = JSON.parse(JSON.stringify(value(rejectQuote(pending, policy, 'no', as('lead-zhang'))).quote));
    stored.approval.decision.reason = 'no\uD800';
    expect(error(cancelQuote(stored, rep)).details.issues).toEqual([expect.objectContaining({ path: ['quote', 'approval', 'decision', 'reason'] })]);
  });

  it('a version a number cannot count past takes no further step', () => {
    const stored = { ...JSON.parse(JSON.stringify(draft('0'))), version: Number.MAX_SAFE_INTEGER };
    expect(error(submitQuote(stored, policy, rep)).details.issues).toEqual([expect.objectContaining({ path: ['quote', 'version'] })]);
    expect(error(submitQuote({ ...stored, version: 2 ** 53 + 1 }, policy, rep)).code).toBe('INVALID_INPUT');
  });

  it('each input is read once: a policy whose rules change between reads cannot pass one check and fail another', () => {
    let reads = 0;
    const changing = {
      ...policy,
      get rules() {
        reads++;
        return policy.rules;
      },
    };
    const q = approve(draft('15'));
    value(convertQuote(q, changing, { kind: 'order', id: 'SO-1', repricing: { lineDiscounts: { l1: { kind: 'percent', percent: '18' } } } }, rep));
    expect(reads).toBe(1);
  });
});

describe('properties', () => {
  const step = fc.constantFrom('submit', 'approveLead', 'approveFin', 'approveBoss', 'reject', 'return', 'cancel', 'edit');

  it('any sequence of steps keeps the quote valid: pending waits on a real level, approved holds every required signature in order', () => {
    fc.assert(
      fc.property(fc.constantFrom('5', '15', '25', '35'), fc.array(step, { maxLength: 12 }), (pct, steps) => {
        let q = draft(pct);
        for (const s of steps) {
          const r =
            s === 'submit'
              ? submitQuote(q, policy, rep)
              : s === 'approveLead'
                ? approveQuote(q, policy, as('lead-zhang'))
                : s === 'approveFin'
                  ? approveQuote(q, policy, as('fin-wu'))
                  : s === 'approveBoss'
                    ? approveQuote(q, policy, as('boss-chen'))
                    : s === 'reject'
                      ? rejectQuote(q, policy, 'no', as('lead-zhang'))
                      : s === 'return'
                        ? returnQuote(q, policy, 'fix', as('lead-zhang'))
                        : s === 'cancel'
                          ? cancelQuote(q, rep)
                          : editQuote(q, { orderDiscount: null }, rep);
          if (!r.ok) {
            expect(['PRICING_TRANSITION_NOT_ALLOWED', 'PRICING_NOT_AN_APPROVER']).toContain(r.error.code);
            continue;
          }
          expect(r.value.quote.version).toBe(q.version + 1);
          q = r.value.quote;
          expect(QUOTE_STATUSES).toContain(q.status);
          if (q.status === 'pending') expect(q.approval.current).not.toBeNull();
          if (q.status === 'approved') expect(q.approval.signatures.map((x) => x.level)).toEqual(q.approval.required);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('ids are data: any id (__proto__, constructor, toString, hasOwnProperty or anything) is a line id through create, approval, re-pricing by id and conversion', () => {
    const idArb = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '0', 'length'), fc.string({ minLength: 1, maxLength: 20 }));
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { minLength: 1, maxLength: 4 }), fc.nat(), fc.boolean(), (ids, pick, asMap) => {
        const lines = ids.map((id, i) => ({ id, productId: `P-${i}`, quantity: '2', listPrice: '100', discount: { kind: 'percent' as const, percent: '15' } }));
        const created = createQuote(quoteWith('0', { lines }), rep);
        if (!created.ok) {
          // only an id the id schema refuses (the core's rule: e.g. a NUL or a lone surrogate)
          expect(created.error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.arrayContaining(['id']) })]));
          return;
        }
        const q = value(approveQuote(value(submitQuote(created.value.quote, policy, rep)).quote, policy, as('lead-zhang')));
        const target = ids[pick % ids.length]!;
        const discounts = asMap ? new Map([[target, null]]) : Object.defineProperty({}, target, { value: null, enumerable: true });
        const c = value(convertQuote(q.quote, policy, { kind: 'order', id: 'SO-1', repricing: { lineDiscounts: discounts } }, rep));
        expect(c.document.lines.map((l) => [l.id, l.discount === null])).toEqual(ids.map((id) => [id, id === target]));
        expect(Object.getPrototypeOf(c.document.lines[0])).toBe(Object.prototype);
      }),
      { numRuns: 200 },
    );
  });

  it('a missing or bad policy is INVALID_INPUT, never a throw', () => {
    expect(error(submitQuote(draft('15'), undefined as never, rep)).details.issues).toEqual([expect.objectContaining({ path: ['policy'] })]);
    expect(error(approveQuote(draft('15'), { levels: [] } as never, rep)).code).toBe('INVALID_INPUT');
  });

  it('every operation is refused outside its statuses', () => {
    for (const [op, from] of Object.entries(QUOTE_TRANSITIONS)) for (const s of from) expect(QUOTE_STATUSES).toContain(s);
    const cancelled = value(cancelQuote(draft('5'), rep)).quote;
    for (const r of [submitQuote(cancelled, policy, rep), approveQuote(cancelled, policy, as('lead-zhang')), editQuote(cancelled, {}, rep)]) {
      expect(error(r).code).toBe('PRICING_TRANSITION_NOT_ALLOWED');
    }
  });
});
