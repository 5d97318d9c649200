/**
 * Every Date pricing returns is a Date of its own: not the caller's `now`, not a stored quote's,
 * not shared between two fields, two events or two records (a step builds on the quote before
 * it, an edit of an approved quote archives it). A Date cannot be frozen, so setting one in place
 * must change nothing else — and a quote whose Date was set is re-validated when it comes back.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  approveQuote,
  cancelQuote,
  convertQuote,
  createQuote,
  diffQuotes,
  editQuote,
  rejectQuote,
  returnQuote,
  reuseQuote,
  submitQuote,
  type ApprovalPolicyInput,
  type NewQuoteInput,
  type Quote,
} from '../../src/pricing/index.js';
import { MAX_INSTANT_MS, MIN_INSTANT_MS } from '../../src/core/validation.js';

const T0 = Date.UTC(2026, 5, 1, 2);

const policy: ApprovalPolicyInput = {
  levels: [
    { id: 'teamLead', approvers: ['lead-zhang'] },
    { id: 'finance', approvers: ['fin-wu'] },
  ],
  rules: [
    { id: 'over-10', level: 'teamLead', when: { kind: 'lineDiscountAbove', percent: '10' } },
    { id: 'over-20', level: 'finance', when: { kind: 'lineDiscountAbove', percent: '20' } },
  ],
};

const newQuote = (id: string, percent: string): NewQuoteInput => ({
  id,
  ownerId: 'rep-li',
  customerId: 'C-1',
  currency: 'CNY',
  lines: [
    { id: 'l1', productId: 'P-1', quantity: '10', listPrice: '100', discount: { kind: 'percent', percent } },
    { id: 'l2', productId: 'P-2', quantity: '1', listPrice: '50' },
  ],
  tax: { percent: '13' },
});

const COMMANDS = ['create', 'submit', 'approveLead', 'approveFin', 'reject', 'return', 'cancel', 'edit', 'convert', 'reuseFresh', 'reuseInto', 'diff'] as const;
type Command = { kind: (typeof COMMANDS)[number]; i: number; j: number; stored: boolean; percent: string };

const command: fc.Arbitrary<Command> = fc.record({
  kind: fc.constantFrom(...COMMANDS),
  i: fc.nat(),
  j: fc.nat(),
  stored: fc.boolean(),
  percent: fc.constantFrom('5', '15', '25'),
});

/** One place a Date sits: the record (a root) and the path inside it. */
interface Place {
  readonly date: Date;
  readonly root: number;
  readonly path: readonly (string | number)[];
}

/** Every place a Date sits in the roots, walking each as a tree (a Date under an object two records share counts twice). */
function places(roots: readonly unknown[]): Place[] {
  const out: Place[] = [];
  const walk = (v: unknown, root: number, path: (string | number)[], depth: number) => {
    if (v instanceof Date) return void out.push({ date: v, root, path });
    if (typeof v !== 'object' || v === null || depth > 50) return;
    if (v instanceof Map) {
      for (const [k, x] of v) walk(x, root, [...path, String(k)], depth + 1);
      return;
    }
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], root, [...path, Array.isArray(v) ? Number(k) : k], depth + 1);
  };
  roots.forEach((r, n) => walk(r, n, [], 0));
  return out;
}

/** Runs the commands: the records every ok step returned, and every object the caller made for the calls. */
function run(commands: readonly Command[]): { outputs: unknown[]; inputs: unknown[] } {
  const outputs: unknown[] = [];
  const inputs: unknown[] = [];
  const pool: Quote[] = [];
  let tick = 0;
  const ctx = (actorId = 'rep-li') => {
    const c = { actorId, now: new Date(T0 + ++tick * 60_000) };
    inputs.push(c);
    return c;
  };
  /** A quote from the pool: the returned record itself (trusted), or as a host stores it (JSON). */
  const pick = (n: number, stored: boolean): Quote | undefined => {
    if (pool.length === 0) return undefined;
    const q = pool[n % pool.length]!;
    if (!stored) return q;
    const copy = JSON.parse(JSON.stringify(q)) as Quote;
    inputs.push(copy);
    return copy;
  };
  for (const c of commands) {
    const q = pick(c.i, c.stored);
    let r: { ok: boolean; value?: unknown };
    if (c.kind === 'create' || q === undefined) r = createQuote(newQuote(`Q-${tick}`, c.percent), ctx());
    else if (c.kind === 'submit') r = submitQuote(q, policy, ctx());
    else if (c.kind === 'approveLead') r = approveQuote(q, policy, ctx('lead-zhang'));
    else if (c.kind === 'approveFin') r = approveQuote(q, policy, ctx('fin-wu'));
    else if (c.kind === 'reject') r = rejectQuote(q, policy, '折扣超出授权', ctx('lead-zhang'));
    else if (c.kind === 'return') r = returnQuote(q, policy, '请补充交付条款', ctx('lead-zhang'));
    else if (c.kind === 'cancel') r = cancelQuote(q, ctx());
    else if (c.kind === 'edit') r = editQuote(q, { orderDiscount: { kind: 'percent', percent: c.percent } }, ctx());
    else if (c.kind === 'convert') r = convertQuote(q, policy, { kind: 'order', id: `SO-${tick}` }, ctx());
    else if (c.kind === 'reuseFresh') r = reuseQuote(q, { id: `Q-${tick}`, ownerId: 'rep-wang' }, ctx());
    else if (c.kind === 'reuseInto') r = reuseQuote(q, pick(c.j, !c.stored)!, ctx());
    else r = diffQuotes(q, pick(c.j, !c.stored)!);
    if (!r.ok) continue;
    outputs.push(r.value);
    const v = r.value as { quote?: Quote; archived?: Quote | null };
    if (v.quote !== undefined) pool.push(v.quote);
    if (v.archived) pool.push(v.archived);
  }
  return { outputs, inputs };
}

describe('properties', () => {
  it('every Date pricing returns is its own: setting it changes no other Date of any output or input, and its quote is re-validated when passed back', () => {
    const times = fc.constantFrom(Number.NaN, 0, Date.UTC(2030, 0, 1), MAX_INSTANT_MS + 1, MIN_INSTANT_MS - 1, MAX_INSTANT_MS);
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 14 }), fc.nat(), times, (commands, which, time) => {
        const { outputs, inputs } = run(commands);
        const all = places([...outputs, ...inputs]);
        const fromOutputs = all.filter((p) => p.root < outputs.length);
        expect(fromOutputs.length).toBeGreaterThan(0);
        // no Date an output holds sits anywhere else: in another field, record or step, or in what the caller passed
        const count = new Map<Date, number>();
        for (const p of all) count.set(p.date, (count.get(p.date) ?? 0) + 1);
        for (const p of fromOutputs) expect(count.get(p.date), `output ${p.root} at ${p.path.join('.')} shares its Date`).toBe(1);

        // set one in place: nothing else moves
        const chosen = fromOutputs[which % fromOutputs.length]!;
        const before = all.map((p) => p.date.getTime());
        chosen.date.setTime(time);
        all.forEach((p, k) => {
          if (p !== chosen) expect(Object.is(p.date.getTime(), before[k]), `${p.root}:${p.path.join('.')} moved`).toBe(true);
        });

        // the quote holding it, passed back: refused at that Date when no door takes the time, else read afresh
        const [field, ...inQuote] = chosen.path;
        if (field !== 'quote' && field !== 'archived') return;
        const q = (outputs[chosen.root] as Record<string, Quote>)[field]!;
        const t = chosen.date.getTime();
        const supported = t >= MIN_INSTANT_MS && t <= MAX_INSTANT_MS;
        const back = cancelQuote(q, { actorId: 'rep-li', now: new Date(T0) });
        if (!supported) {
          expect(back.ok).toBe(false);
          if (!back.ok) expect(back.error.details.issues).toEqual([expect.objectContaining({ path: ['quote', ...inQuote] })]);
          expect(diffQuotes(q, q).ok).toBe(false);
        } else if (q.updatedAt.getTime() < q.createdAt.getTime()) {
          // a time moved past the other: a quote updated before it was created is no quote the rules make
          expect(back.ok ? 'ok' : back.error.code).toBe('INVALID_INPUT');
          if (!back.ok) expect(back.error.details.issues).toEqual([expect.objectContaining({ path: ['quote', 'updatedAt'] })]);
        } else if (q.status === 'cancelled') {
          expect(back.ok ? 'ok' : back.error.code).toBe('PRICING_TRANSITION_NOT_ALLOWED');
        } else if (back.ok) {
          const next = back.value.quote as unknown as Record<string, unknown>;
          // the changed time was read (updatedAt is the step's own now)
          if (inQuote[0] !== 'updatedAt') {
            const read = inQuote.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], next) as Date;
            expect(read.getTime()).toBe(t);
            expect(read).not.toBe(chosen.date);
          }
        } else {
          throw new Error(`cancelQuote refused a valid re-read quote: ${back.error.code}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
