import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../src/core/index.js';
import { breakdownTarget, measureAttainment, type TargetBreakdown, type TargetNodeInput, type TargetPlanInput, type TargetValue } from '../../src/metrics/index.js';

/*
 * 纷享销客's "target completion" and the retrospective's "company targets broken down from the
 * top, data rolled back up": a company's ¥12,000,000 year split to East China (2 shares) and
 * South China (1), East's reps equally, the year phased with a heavy fourth quarter.
 */
const SEASON = [1, 1, 2, 1, 1, 2, 1, 1, 2, 2, 2, 4];
const PLAN: TargetPlanInput = {
  fiscalYear: 2026,
  total: { currency: 'CNY', amount: '12000000.00' },
  seasonality: SEASON,
  root: {
    id: 'company',
    name: '公司',
    children: [
      { id: 'east', name: '华东', weight: 2, children: [{ id: 'li' }, { id: 'wang' }, { id: 'zhao' }] },
      { id: 'south', name: '华南', weight: 1, children: [{ id: 'chen' }] },
    ],
  },
};

const fmt = (v: TargetValue) => (typeof v === 'number' ? String(v) : formatMoney(v));
function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) expect.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const node = (b: TargetBreakdown, id: string) => b.nodes.find((n) => n.id === id)!;

describe('a target broken down the company and the year', () => {
  it('splits by weight, then phases each rep by the seasonality, every remainder placed exactly', () => {
    const b = must(breakdownTarget(PLAN));
    expect(b.nodes.map((n) => [n.id, n.parentId, n.depth, fmt(n.year)])).toEqual([
      ['company', null, 0, '12000000.00'],
      ['east', 'company', 1, '8000000.00'],
      ['li', 'east', 2, '2666666.67'],
      ['wang', 'east', 2, '2666666.67'],
      ['zhao', 'east', 2, '2666666.66'],
      ['south', 'company', 1, '4000000.00'],
      ['chen', 'south', 2, '4000000.00'],
    ]);
    // li: the quarters by 4:4:4:8, Q1 by 1:1:2 (a remainder cent to the first of a tie)
    expect(node(b, 'li').quarters.map(fmt)).toEqual(['533333.34', '533333.33', '533333.33', '1066666.67']);
    expect(node(b, 'li').months.slice(0, 3).map(fmt)).toEqual(['133333.34', '133333.33', '266666.67']);
    // a level's months are its reps' summed: the company's Q1 is 2,400,000.01, not 12,000,000 × 4/20 to the cent
    expect(node(b, 'company').quarters.map(fmt)).toEqual(['2400000.01', '2399999.99', '2399999.99', '4800000.01']);
    expect(b.periods).toEqual({ year: '2026', quarters: ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'], months: ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'] });
  });

  it('a fiscal year from April, and a count target', () => {
    const b = must(breakdownTarget({ fiscalYear: 2026, startMonth: 4, total: { count: 120 }, root: { id: 'co', children: [{ id: 'a', weight: '0.5' }, { id: 'b', weight: '0.25' }, { id: 'c', weight: '0.25' }] } }));
    expect(b.unit).toEqual({ kind: 'count' });
    expect(b.nodes.map((n) => n.year)).toEqual([120, 60, 30, 30]);
    expect(node(b, 'a').months).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(b.periods.year).toBe('FY2026');
    expect(b.periods.months[0]).toBe('2026-04');
    expect(b.periods.months[11]).toBe('2027-03');
  });

  it('refuses a bad plan, naming where', () => {
    const paths = (plan: unknown) => {
      const r = breakdownTarget(plan as TargetPlanInput);
      return r.ok ? [] : (r.error.details as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'));
    };
    expect(paths({ ...PLAN, root: { id: 'co', children: [{ id: 'a' }, { id: 'a' }] } })).toEqual(['plan.root.children.1.id']);
    expect(paths({ ...PLAN, root: { id: 'co', children: [{ id: 'a', weight: 0 }, { id: 'b', weight: 0 }] } })).toEqual(['plan.root.children']);
    expect(paths({ ...PLAN, seasonality: [1, 2, 3] })).toEqual(['plan.seasonality']);
    expect(paths({ ...PLAN, total: { currency: 'CNY', amount: '-1.00' } })).toEqual(['plan.total']);
    expect(paths({ ...PLAN, root: { id: 'co', children: [{ id: 'a', weight: -1 }] } })).toEqual(['plan.root.children.0.weight']);
  });
});

describe('attainment rolled back up', () => {
  const sh = (wall: string) => `${wall}+08:00`;
  const won = (nodeId: string, wall: string, amount: string) => ({ nodeId, at: sh(wall), amount: { currency: 'CNY', amount } });

  it('adds each actual to its node and every node above, in its month; says what is still needed', async () => {
    const actuals = [
      won('li', '2026-01-15T10:00:00', '100000.00'),
      won('li', '2026-03-31T23:30:00', '200000.00'), // still March in Shanghai
      won('wang', '2026-02-10T10:00:00', '50000.00'),
      won('chen', '2026-04-01T00:10:00', '300000.00'), // April in Shanghai (March 31 in UTC)
      won('li', '2025-12-31T10:00:00', '999.00'), // before the fiscal year
      won('li', '2026-02-01T10:00:00', '-20000.00'), // a return
    ];
    const r = must(await measureAttainment(PLAN, actuals, { zone: 'Asia/Shanghai' }, sh('2026-04-05T09:00:00')));
    expect(r.monthsToDate).toBe(4);
    const li = r.nodes.find((n) => n.id === 'li')!;
    expect(li.months.slice(0, 3).map((c) => fmt(c.actual))).toEqual(['100000.00', '-20000.00', '200000.00']);
    expect(fmt(li.quarters[0]!.actual)).toBe('280000.00');
    expect(li.quarters[0]!.attainment).toBe('0.5250'); // 280,000 / 533,333.34
    expect(fmt(li.quarters[0]!.remaining)).toBe('253333.34');
    const east = r.nodes.find((n) => n.id === 'east')!;
    expect(fmt(east.year.actual)).toBe('330000.00');
    const company = r.nodes.find((n) => n.id === 'company')!;
    expect(fmt(company.year.actual)).toBe('630000.00');
    expect(fmt(company.months[3]!.actual)).toBe('300000.00');
    // to date: January–April targets of the company, against what came in
    expect(fmt(company.toDate.target)).toBe('3000000.00');
    expect(company.toDate.attainment).toBe('0.2100');
    expect(r.records).toMatchObject({ read: 6, counted: 5 });
  });

  it('refuses an actual for a node the plan does not have, or in another currency', async () => {
    const r = await measureAttainment(PLAN, [{ nodeId: 'nobody', at: sh('2026-01-15T10:00:00'), amount: { currency: 'CNY', amount: '1.00' } }], { zone: 'Asia/Shanghai' }, sh('2026-04-05T09:00:00'));
    expect(r.ok).toBe(false);
    const usd = await measureAttainment(PLAN, [{ nodeId: 'li', at: sh('2026-01-15T10:00:00'), amount: { currency: 'USD', amount: '1.00' } }], { zone: 'Asia/Shanghai', onInvalid: 'skip' }, sh('2026-04-05T09:00:00'));
    expect(usd.ok && usd.value.records.issues[0]!.path).toEqual(['actuals', 0, 'amount', 'currency']);
  });
});

/** A random tree: up to 4 levels, up to 5 children each, weights 0–9 (not all 0). */
const treeArb: fc.Arbitrary<TargetNodeInput> = fc.letrec<{ node: TargetNodeInput }>((tie) => ({
  node: fc.record({
    id: fc.constant('x'),
    weight: fc.integer({ min: 1, max: 9 }),
    seasonality: fc.option(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 12, maxLength: 12 }).filter((ws) => ws.some((w) => w > 0)), { nil: undefined }),
    children: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant([]), fc.array(tie('node'), { maxLength: 4 })),
  }) as fc.Arbitrary<TargetNodeInput>,
})).node;
function withIds(n: TargetNodeInput, next: { i: number }): TargetNodeInput {
  const id = `n${next.i++}`;
  return { ...n, id, children: (n.children ?? []).map((c) => withIds(c, next)) };
}
const sumOf = (vs: readonly TargetValue[]) => vs.reduce<bigint>((a, v) => a + (typeof v === 'number' ? BigInt(v) : BigInt((v as Money).minor)), 0n);
const minor = (v: TargetValue) => (typeof v === 'number' ? BigInt(v) : BigInt((v as Money).minor));

describe('properties of the breakdown', () => {
  it('children add up to their parent, months to quarters, quarters to the year, exactly; shares within one unit of the exact split', () => {
    fc.assert(
      fc.property(treeArb, fc.oneof(fc.integer({ min: 0, max: 1e12 }).map((m) => ({ currency: 'CNY', minor: m })), fc.integer({ min: 0, max: 1e6 }).map((count) => ({ count }))), (tree, total) => {
        const b = must(breakdownTarget({ fiscalYear: 2026, total, root: withIds(tree, { i: 0 }) }));
        for (const n of b.nodes) {
          expect(sumOf(n.quarters)).toBe(minor(n.year));
          for (let q = 0; q < 4; q++) expect(sumOf(n.months.slice(3 * q, 3 * q + 3))).toBe(minor(n.quarters[q]!));
          const children = b.nodes.filter((c) => c.parentId === n.id);
          if (children.length > 0) {
            expect(sumOf(children.map((c) => c.year))).toBe(minor(n.year));
            for (let m = 0; m < 12; m++) expect(sumOf(children.map((c) => c.months[m]!))).toBe(minor(n.months[m]!));
          }
        }
        expect(minor(b.nodes[0]!.year)).toBe(BigInt('count' in total ? total.count : total.minor));
      }),
      { numRuns: 200 },
    );
  });
});

describe('properties of attainment', () => {
  it('a parent achieved what its children did, plus its own; the root all that counted', async () => {
    const plan: TargetPlanInput = { fiscalYear: 2026, total: { count: 1000 }, root: { id: 'co', children: [{ id: 'a', children: [{ id: 'a1' }, { id: 'a2' }] }, { id: 'b' }] } };
    const actualArb = fc.record({ nodeId: fc.constantFrom('co', 'a', 'a1', 'a2', 'b'), at: fc.integer({ min: 0, max: 500 }).map((d) => new Date(Date.UTC(2025, 11, 1) + d * 86_400_000)), count: fc.integer({ min: -3, max: 9 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(actualArb, { maxLength: 60 }), async (actuals) => {
        const r = must(await measureAttainment(plan, actuals, { zone: 'Asia/Shanghai' }, '2027-06-01T00:00:00Z'));
        const by = new Map(r.nodes.map((n) => [n.id, n]));
        const own = (id: string, m: number) => actuals.filter((x) => x.nodeId === id && r.periods.months[m] === new Date(x.at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7)).reduce((s, x) => s + x.count, 0);
        for (let m = 0; m < 12; m++) {
          expect(by.get('a')!.months[m]!.actual).toBe((by.get('a1')!.months[m]!.actual as number) + (by.get('a2')!.months[m]!.actual as number) + own('a', m));
          expect(by.get('co')!.months[m]!.actual).toBe((by.get('a')!.months[m]!.actual as number) + (by.get('b')!.months[m]!.actual as number) + own('co', m));
        }
        const inYear = actuals.filter((x) => new Date(x.at.getTime() + 8 * 3_600_000).toISOString().startsWith('2026'));
        expect(by.get('co')!.year.actual).toBe(inYear.reduce((s, x) => s + x.count, 0));
        expect(r.records.counted).toBe(inYear.length);
        for (const n of r.nodes) expect(n.year.remaining).toBe(Math.max(0, (n.year.target as number) - (n.year.actual as number)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('what the review of the targets found', () => {
  it('refuses a tree too deep or too large at once, naming where, without walking it', () => {
    let chain: TargetNodeInput = { id: 'leaf' };
    for (let i = 0; i < 100_000; i++) chain = { id: `n${i}`, children: [chain] };
    const deep = breakdownTarget({ fiscalYear: 2026, total: { count: 1 }, root: chain });
    expect(!deep.ok && deep.error.details).toMatchObject({ issues: [{ message: 'a target tree is at most 16 deep' }] });
    const shared = { id: 'mid', children: Array.from({ length: 1000 }, () => ({ id: 'same' })) };
    const wide = breakdownTarget({ fiscalYear: 2026, total: { count: 1 }, root: { id: 'co', children: Array.from({ length: 1000 }, () => shared) } });
    expect(!wide.ok && wide.error.details).toMatchObject({ issues: [{ path: ['plan', 'root'], message: 'a target tree holds at most 100000 nodes' }] });
  });

  it('refuses counts that add up past 2^53 − 1 rather than round them', async () => {
    const plan: TargetPlanInput = { fiscalYear: 2026, total: { count: Number.MAX_SAFE_INTEGER }, root: { id: 'co' } };
    const actual = { nodeId: 'co', at: '2026-05-01T00:00:00Z', count: Number.MAX_SAFE_INTEGER };
    const r = await measureAttainment(plan, [actual, actual], { zone: 'UTC' }, '2027-01-01T00:00:00Z');
    expect(r.ok).toBe(false);
    const zero = must(breakdownTarget({ fiscalYear: 2026, total: { count: -0 }, root: { id: 'co' } }));
    expect(Object.is(zero.nodes[0]!.year, 0)).toBe(true);
  });
});

describe('properties of the breakdown, against the exact split', () => {
  it('every share within one unit of its exact share, with decimal and zero weights of any scale', () => {
    const weightArb = fc.oneof(fc.integer({ min: 0, max: 9 }).map(String), fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 6 })).map(([u, k]) => (u / 10 ** k).toFixed(k)));
    fc.assert(
      fc.property(fc.array(weightArb, { minLength: 1, maxLength: 8 }).filter((ws) => ws.some((w) => Number(w) > 0)), fc.bigInt({ min: 0n, max: 10n ** 20n }), (weights, total) => {
        const b = must(breakdownTarget({ fiscalYear: 2026, total: { currency: 'CNY', minor: String(total) }, root: { id: 'co', children: weights.map((w, i) => ({ id: `c${i}`, weight: w })) } }));
        const scaled = weights.map((w) => BigInt(Math.round(Number(w) * 1e6)));
        const sum = scaled.reduce((a, w) => a + w, 0n);
        b.nodes.slice(1).forEach((n, i) => {
          const exactTimesSum = total * scaled[i]!; // share × sum
          const got = BigInt((n.year as Money).minor) * sum;
          expect(got - exactTimesSum < sum && exactTimesSum - got < sum).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the same with weights past plain numbers: many decimals, or units beyond 2^53 (the exact split in bigints)', () => {
    const weightArb = fc.oneof(
      fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
      fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 1, max: 18 })).map(([u, k]) => {
        const digits = u.toString().padStart(k + 1, '0');
        return `${digits.slice(0, -k)}.${digits.slice(-k)}`;
      }),
      fc.integer({ min: 0, max: 9 }).map(String),
    );
    /** A weight as a whole number at 18 decimals. */
    const at18 = (w: string): bigint => {
      const [whole, fraction = ''] = w.split('.');
      return BigInt(whole!) * 10n ** 18n + BigInt(fraction.padEnd(18, '0'));
    };
    fc.assert(
      fc.property(fc.array(weightArb, { minLength: 1, maxLength: 6 }).filter((ws) => ws.some((w) => at18(w) > 0n)), fc.bigInt({ min: 0n, max: 10n ** 20n }), (weights, total) => {
        const b = must(breakdownTarget({ fiscalYear: 2026, total: { currency: 'CNY', minor: String(total) }, root: { id: 'co', children: weights.map((w, i) => ({ id: `c${i}`, weight: w })) } }));
        const scaled = weights.map(at18);
        const sum = scaled.reduce((a, w) => a + w, 0n);
        let given = 0n;
        b.nodes.slice(1).forEach((n, i) => {
          const got = BigInt((n.year as Money).minor);
          given += got;
          const exactTimesSum = total * scaled[i]!;
          expect(got * sum - exactTimesSum < sum && exactTimesSum - got * sum < sum).toBe(true);
        });
        expect(given).toBe(total);
      }),
      { numRuns: 300 },
    );
  });

  it('attainment to date counts the fiscal months through the one holding now, whatever the first month', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: -2, max: 15 }), async (startMonth, monthsIn) => {
        const plan: TargetPlanInput = { fiscalYear: 2026, startMonth, total: { count: 1200 }, root: { id: 'co' } };
        const firstDay = Date.UTC(2026, startMonth - 1, 1);
        const now = new Date(Date.UTC(2026, startMonth - 1 + monthsIn, 15));
        const actuals = Array.from({ length: 12 }, (_, m) => ({ nodeId: 'co', at: new Date(Date.UTC(2026, startMonth - 1 + m, 10)), count: 1 }));
        const r = must(await measureAttainment(plan, actuals, { zone: 'UTC' }, now));
        const expected = Math.max(0, Math.min(12, monthsIn + 1));
        expect(r.monthsToDate).toBe(expected);
        expect(r.nodes[0]!.toDate.target).toBe(100 * expected);
        expect(r.nodes[0]!.toDate.actual).toBe(expected);
        expect(new Date(firstDay).toISOString().slice(0, 7)).toBe(r.periods.months[0]);
      }),
      { numRuns: 100 },
    );
  });
});
