import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ASSIGNMENT_STRATEGIES,
  UNASSIGNED_REASON_CODES,
  assignBatch,
  assignOne,
  explainUnassigned,
  type AssignmentBatch,
  type AssignmentItemInput,
  type AssignmentMemberInput,
  type AssignmentOptionsInput,
  type AssignmentStrategy,
} from '../../src/pools/assignment.js';
import { localizeError, localizeResult } from '../../src/core/index.js';
import { error, issuePaths, value } from '../support.js';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const pairs = (b: AssignmentBatch) => b.assignments.map((a) => [a.itemId, a.memberId]);
const leads = (n: number, extra: Partial<AssignmentItemInput> = {}): AssignmentItemInput[] =>
  Array.from({ length: n }, (_, i) => ({ id: `L-${i + 1}`, receivedAt: at(i), ...extra }));

describe('round robin (轮流分配)', () => {
  const reps: AssignmentMemberInput[] = [
    { id: 'rep-wang', capacity: 10 },
    { id: 'rep-li', capacity: 10 },
    { id: 'rep-zhang', capacity: 10 },
  ];

  it('deals leads across three reps in id order, resuming after the cursor the host kept', () => {
    const b = value(assignBatch(leads(4), reps, { strategy: 'roundRobin', cursor: 'rep-li' }));
    expect(pairs(b)).toEqual([
      ['L-1', 'rep-wang'],
      ['L-2', 'rep-zhang'],
      ['L-3', 'rep-li'],
      ['L-4', 'rep-wang'],
    ]);
    expect(b.cursor).toBe('rep-wang');
    expect(b.assignments.map((a) => a.reason.strategy === 'roundRobin' && a.reason.detail.cursorFrom)).toEqual([
      'rep-li',
      'rep-wang',
      'rep-zhang',
      'rep-li',
    ]);
    // The next batch picks up where this one stopped.
    expect(pairs(value(assignBatch(leads(1), reps, { strategy: 'roundRobin', cursor: b.cursor })))).toEqual([['L-1', 'rep-zhang']]);
  });

  it('starts at the first rep without a cursor, and after the right place when the cursor rep left the pool', () => {
    expect(pairs(value(assignBatch(leads(1), reps, { strategy: 'roundRobin' })))).toEqual([['L-1', 'rep-li']]);
    // 'rep-max' left; the next id after it is rep-wang.
    expect(pairs(value(assignBatch(leads(1), reps, { strategy: 'roundRobin', cursor: 'rep-max' })))).toEqual([['L-1', 'rep-wang']]);
  });

  it('skips an opted-out rep (on leave) and one whose quota is used up', () => {
    const team = [
      { id: 'rep-li', capacity: 10, optedOut: true },
      { id: 'rep-wang', capacity: 0 },
      { id: 'rep-zhang', capacity: 10 },
    ];
    const b = value(assignBatch(leads(3), team, { strategy: 'roundRobin' }));
    expect(pairs(b).map(([, m]) => m)).toEqual(['rep-zhang', 'rep-zhang', 'rep-zhang']);
  });

  it('a Shenzhen lead goes only to the South China team', () => {
    const team: AssignmentMemberInput[] = [
      { id: 'rep-bj-1', capacity: 10, eligible: { territories: ['beijing', 'tianjin'] } },
      { id: 'rep-sc-1', capacity: 10, eligible: { territories: ['shenzhen', 'guangzhou'] } },
      { id: 'rep-sc-2', capacity: 10, eligible: { territories: ['shenzhen', 'guangzhou', 'xiamen'] } },
      { id: 'rep-sh-1', capacity: 10, eligible: { territories: ['shanghai'] } },
    ];
    const b = value(assignBatch(leads(5, { territory: 'shenzhen' }), team, { strategy: 'roundRobin', cursor: 'rep-sc-2' }));
    expect(pairs(b).map(([, m]) => m)).toEqual(['rep-sc-1', 'rep-sc-2', 'rep-sc-1', 'rep-sc-2', 'rep-sc-1']);
    // A lead without a territory may go to anyone.
    expect(pairs(value(assignBatch([{ id: 'web' }], team, { strategy: 'roundRobin', cursor: 'rep-sc-2' })))).toEqual([['web', 'rep-sh-1']]);
  });

  it('a lead needing Japanese goes only to reps who list it, or who list no skills at all', () => {
    const team: AssignmentMemberInput[] = [
      { id: 'a', capacity: 5, eligible: { skills: ['english'] } },
      { id: 'b', capacity: 5, eligible: { skills: ['english', 'japanese'] } },
      { id: 'c', capacity: 5 },
    ];
    const b = value(assignBatch(leads(4, { skills: ['japanese'] }), team, { strategy: 'roundRobin' }));
    expect(pairs(b).map(([, m]) => m)).toEqual(['b', 'c', 'b', 'c']);
    const both = value(assignBatch(leads(1, { skills: ['japanese', 'english'] }), team, { strategy: 'roundRobin', cursor: 'b' }));
    expect(pairs(both)).toEqual([['L-1', 'c']]);
  });
});

describe('priority, capacity and overflow', () => {
  it('a VIP lead with higher priority is assigned first when capacity is short, whatever the input order', () => {
    const items: AssignmentItemInput[] = [
      { id: 'L-early', receivedAt: at(0) },
      { id: 'L-vip', priority: 10, receivedAt: at(30) },
      { id: 'L-later', receivedAt: at(5) },
    ];
    const b = value(assignBatch(items, [{ id: 'rep-li', capacity: 2 }], { strategy: 'leastLoaded' }));
    expect(pairs(b)).toEqual([
      ['L-vip', 'rep-li'],
      ['L-early', 'rep-li'],
    ]);
    expect(b.unassigned).toEqual([{ itemId: 'L-later', reason: 'ALL_AT_CAPACITY', counts: { members: 1, eligible: 1, optedOut: 0, atCapacity: 1 } }]);
    expect(b.stats).toEqual({ items: 3, assigned: 2, overflowed: 0, unassigned: 1 });
    expect(pairs(value(assignBatch([...items].reverse(), [{ id: 'rep-li', capacity: 2 }], { strategy: 'leastLoaded' })))).toEqual(pairs(b));
  });

  it('never gives a member more than its remaining holding quota', () => {
    const b = value(assignBatch(leads(10), [{ id: 'a', capacity: 3 }, { id: 'b', capacity: 1 }], { strategy: 'weighted' }));
    const count = (id: string) => b.assignments.filter((a) => a.memberId === id).length;
    expect([count('a'), count('b')]).toEqual([3, 1]);
    expect(b.unassigned).toHaveLength(6);
  });

  it('overflows to the manager when everyone is full, saying why', () => {
    const b = value(
      assignBatch(leads(3), [{ id: 'rep-li', capacity: 1 }, { id: 'rep-wang', capacity: 1, optedOut: true }], {
        strategy: 'roundRobin',
        overflow: { memberId: 'mgr-zhao' },
      }),
    );
    expect(pairs(b)).toEqual([['L-1', 'rep-li']]);
    expect(b.overflow).toEqual([
      { itemId: 'L-2', target: { memberId: 'mgr-zhao' }, reason: 'ALL_AT_CAPACITY', counts: { members: 2, eligible: 2, optedOut: 1, atCapacity: 1 } },
      { itemId: 'L-3', target: { memberId: 'mgr-zhao' }, reason: 'ALL_AT_CAPACITY', counts: { members: 2, eligible: 2, optedOut: 1, atCapacity: 1 } },
    ]);
    expect(b.unassigned).toEqual([]);
    expect(b.stats).toEqual({ items: 3, assigned: 1, overflowed: 2, unassigned: 0 });
    expect(b.cursor).toBe('rep-li');
  });

  it('overflows to another pool (公海) as well', () => {
    const b = value(assignBatch(leads(1), [], { strategy: 'leastLoaded', overflow: { poolId: 'pool-public' } }));
    expect(b.overflow).toEqual([expect.objectContaining({ itemId: 'L-1', target: { poolId: 'pool-public' }, reason: 'NO_ELIGIBLE_MEMBER' })]);
  });

  it('names the most basic cause: nobody covers it, everybody who does opted out, or they are full', () => {
    const team: AssignmentMemberInput[] = [
      { id: 'sc', capacity: 0, eligible: { territories: ['shenzhen'] } },
      { id: 'bj', capacity: 5, optedOut: true, eligible: { territories: ['beijing'] } },
    ];
    const b = value(
      assignBatch(
        [
          { id: 'x', territory: 'chengdu' },
          { id: 'y', territory: 'beijing' },
          { id: 'z', territory: 'shenzhen' },
        ],
        team,
        { strategy: 'roundRobin' },
      ),
    );
    expect(b.unassigned.map((u) => [u.itemId, u.reason])).toEqual([
      ['x', 'NO_ELIGIBLE_MEMBER'],
      ['y', 'ALL_OPTED_OUT'],
      ['z', 'ALL_AT_CAPACITY'],
    ]);
    const e = explainUnassigned(b.unassigned[1]!);
    expect(e.code).toBe(UNASSIGNED_REASON_CODES.ALL_OPTED_OUT);
    expect(e.details).toMatchObject({ itemId: 'y', eligible: 1, optedOut: 1 });
    expect(e.message).toBe('No member can take y: all 1 members who cover it have opted out of assignment.');
    expect(localizeError(e, 'zh-CN').message).toBe('y 无法分配：负责它的 1 名成员都已暂停接收分配。');
  });
});

describe('least loaded, weighted, weighted random', () => {
  it('least loaded evens out the holdings, ties by id', () => {
    const team = [
      { id: 'rep-a', capacity: 50, load: 10 },
      { id: 'rep-b', capacity: 50, load: 7 },
      { id: 'rep-c', capacity: 50, load: 3 },
    ];
    const b = value(assignBatch(leads(10), team, { strategy: 'leastLoaded' }));
    expect(pairs(b).map(([, m]) => m)).toEqual(['rep-c', 'rep-c', 'rep-c', 'rep-c', 'rep-b', 'rep-c', 'rep-b', 'rep-c', 'rep-b', 'rep-c']);
    const loadAfter = (id: string) => team.find((m) => m.id === id)!.load + b.assignments.filter((a) => a.memberId === id).length;
    expect(['rep-a', 'rep-b', 'rep-c'].map(loadAfter)).toEqual([10, 10, 10]);
    expect(b.assignments[4]!.reason).toEqual({ strategy: 'leastLoaded', preferred: false, detail: { loadBefore: 7, capacityLeft: 49 } });
  });

  it('weighted gives the next lead to the highest remaining capacity × weight', () => {
    const team = [
      { id: 'junior', capacity: 6, weight: 1 },
      { id: 'senior', capacity: 4, weight: 2 },
    ];
    const b = value(assignBatch(leads(4), team, { strategy: 'weighted' }));
    // scores 8 vs 6 → senior; 6 vs 6, tie by id → junior; 6 vs 5 → senior; 4 vs 5 → junior
    expect(pairs(b).map(([, m]) => m)).toEqual(['senior', 'junior', 'senior', 'junior']);
    expect(b.assignments[0]!.reason).toEqual({
      strategy: 'weighted',
      preferred: false,
      detail: { weight: 2, capacityBefore: 4, score: 8, loadBefore: 0, capacityLeft: 3 },
    });
  });

  it('weighted random is reproducible with a seed, differs with another, and follows the weights', () => {
    const team = [
      { id: 'a', capacity: 10_000, weight: 1 },
      { id: 'b', capacity: 10_000, weight: 2 },
      { id: 'c', capacity: 10_000, weight: 3 },
    ];
    const run = (seed: number) => value(assignBatch(leads(600), team, { strategy: 'weightedRandom', seed }));
    expect(run(7)).toEqual(run(7));
    expect(pairs(run(7))).not.toEqual(pairs(run(8)));
    const share = (id: string) => run(7).assignments.filter((x) => x.memberId === id).length / 600;
    expect(share('a')).toBeCloseTo(1 / 6, 1);
    expect(share('b')).toBeCloseTo(2 / 6, 1);
    expect(share('c')).toBeCloseTo(3 / 6, 1);
  });

  it('weighted random respects capacity: a full member is never drawn', () => {
    const b = value(assignBatch(leads(5), [{ id: 'big', capacity: 1, weight: 1000 }, { id: 'small', capacity: 10 }], { strategy: 'weightedRandom', seed: 1 }));
    expect(b.assignments.filter((a) => a.memberId === 'big')).toHaveLength(1);
    expect(b.assignments).toHaveLength(5);
  });
});

describe('preferences', () => {
  const team: AssignmentMemberInput[] = [
    { id: 'rep-a', capacity: 1, preferred: { territories: ['shenzhen'] } },
    { id: 'rep-b', capacity: 5 },
    { id: 'rep-c', capacity: 5, preferred: { skills: ['finance'] } },
  ];

  it('a preferred rep is chosen over the strategy’s own pick, and the reason says so', () => {
    const b = value(assignBatch([{ id: 'L-1', territory: 'shenzhen' }], team, { strategy: 'roundRobin', cursor: 'rep-a' }));
    expect(b.assignments).toEqual([
      { itemId: 'L-1', memberId: 'rep-a', reason: { strategy: 'roundRobin', preferred: true, detail: { cursorFrom: 'rep-a', loadBefore: 0, capacityLeft: 0 } } },
    ]);
  });

  it('when the preferred ones are full, the others take it', () => {
    const b = value(assignBatch(leads(2, { territory: 'shenzhen' }), team, { strategy: 'leastLoaded' }));
    expect(b.assignments.map((a) => [a.memberId, a.reason.preferred])).toEqual([
      ['rep-a', true],
      ['rep-b', false],
    ]);
  });

  it('skills preferences: every skill of the lead among the preferred ones', () => {
    const b = value(assignBatch([{ id: 'L-1', skills: ['finance'] }, { id: 'L-2', skills: ['finance', 'english'] }], team, { strategy: 'weighted' }));
    expect(b.assignments.map((a) => [a.memberId, a.reason.preferred])).toEqual([
      ['rep-c', true],
      ['rep-b', false],
    ]);
  });
});

describe('a list that cannot be read', () => {
  it('an iterable that throws while it is read (a built-in behind a Proxy, a generator) is INVALID_INPUT at items or members', () => {
    const team = [{ id: 'rep-li', capacity: 1 }];
    for (const bad of [new Proxy(new Uint8Array(2), {}), new Proxy(new Map([['a', 1]]), {}), new Proxy(new Set([1]), {})]) {
      expect(issuePaths(assignBatch(bad as never, team, { strategy: 'roundRobin' }))).toEqual(['items']);
      expect(issuePaths(assignBatch([{ id: 'L-1' }], bad as never, { strategy: 'roundRobin' }))).toEqual(['members']);
      expect(issuePaths(assignOne({ id: 'L-1' }, bad as never, { strategy: 'roundRobin' }))).toEqual(['members']);
    }
    const failing = (function* () {
      yield { id: 'rep-li', capacity: 1 };
      throw new Error('cursor lost');
    })();
    expect(issuePaths(assignOne({ id: 'L-1' }, failing, { strategy: 'roundRobin' }))).toEqual(['members']);
    // a Set of members still reads as a list
    expect(value(assignOne({ id: 'L-1' }, new Set(team), { strategy: 'roundRobin' })).kind).toBe('assigned');
  });
});

describe('assignOne', () => {
  const team = [
    { id: 'rep-li', capacity: 1 },
    { id: 'rep-wang', capacity: 0 },
  ];

  it('assigns a single new lead with the batch rules and returns the next cursor', () => {
    const r = value(assignOne({ id: 'L-9' }, team, { strategy: 'roundRobin', cursor: 'rep-wang' }));
    expect(r).toEqual({
      kind: 'assigned',
      assignment: { itemId: 'L-9', memberId: 'rep-li', reason: { strategy: 'roundRobin', preferred: false, detail: { cursorFrom: 'rep-wang', loadBefore: 0, capacityLeft: 0 } } },
      cursor: 'rep-li',
    });
  });

  it('overflows, or refuses with the reason when no overflow is set', () => {
    const full = [{ id: 'rep-li', capacity: 0 }];
    expect(value(assignOne({ id: 'L-9' }, full, { strategy: 'leastLoaded', overflow: { memberId: 'mgr' } }))).toMatchObject({
      kind: 'overflowed',
      overflow: { itemId: 'L-9', target: { memberId: 'mgr' }, reason: 'ALL_AT_CAPACITY' },
      cursor: null,
    });
    const refused = assignOne({ id: 'L-9' }, full, { strategy: 'leastLoaded' });
    const e = error(refused);
    expect(e.code).toBe('POOL_ASSIGN_ALL_AT_CAPACITY');
    expect(e.details).toMatchObject({ itemId: 'L-9', members: 1, eligible: 1, optedOut: 0, atCapacity: 1 });
    expect(e.message).toBe('No member can take L-9 now: the 1 members who cover it and take assignments have no capacity left (0 more opted out).');
    expect(error(localizeResult(refused, 'zh-CN')).message).toBe('L-9 暂时无法分配：负责它且接收分配的 1 名成员都已达到上限（另有 0 名已暂停接收分配）。');
    expect(error(assignOne({ id: 'L-9', territory: 'xian' }, [{ id: 'a', capacity: 1, eligible: { territories: ['beijing'] } }], { strategy: 'weighted' })).code).toBe(
      'POOL_ASSIGN_NO_ELIGIBLE_MEMBER',
    );
  });

  it('refuses bad input with paths under item', () => {
    const r = assignOne({ id: '', skills: 'en' } as never, team, { strategy: 'weightedRandom' });
    expect(issuePaths(r)).toEqual(expect.arrayContaining(['item.id', 'item.skills', 'options.seed']));
  });
});

describe('the door', () => {
  it('refuses bad input with INVALID_INPUT and every issue’s path, without throwing', () => {
    const r = assignBatch(
      [{ id: '' }, { id: 'L-2', priority: 1.5 }, { id: 'L-2' }, { id: 'L-4', receivedAt: 'yesterday' }, { id: 'L-5', colour: 'red' } as never],
      [{ id: 'a', capacity: -1 }, { id: 'b', capacity: 1, weight: 0 }, { id: 'a', capacity: 1 }, { id: 'c' } as never],
      { strategy: 'fastest' as never, overflow: { memberId: 'm', poolId: 'p' } as never },
    );
    expect(error(r).code).toBe('INVALID_INPUT');
    expect(issuePaths(r)).toEqual(
      expect.arrayContaining([
        'items.0.id',
        'items.1.priority',
        'items.4',
        'items.3.receivedAt',
        'members.0.capacity',
        'members.1.weight',
        'members.3.capacity',
        'options.strategy',
        'options.overflow',
      ]),
    );
    expect(error(r).message).toMatch(/^The input is invalid: /);
  });

  it('refuses duplicate ids, and weightedRandom without a seed', () => {
    const r = assignBatch([{ id: 'L-1' }, { id: 'L-1' }], [{ id: 'a', capacity: 1 }, { id: 'a', capacity: 2 }], { strategy: 'weightedRandom' });
    expect(issuePaths(r)).toEqual(['items.1.id', 'members.1.id', 'options.seed']);
  });

  it.each([null, undefined, 42, 'items', {}])('never throws on garbage (%s)', (garbage) => {
    expect(error(assignBatch(garbage as never, garbage as never, garbage as never)).code).toBe('INVALID_INPUT');
    expect(error(assignOne(garbage as never, garbage as never, garbage as never)).code).toBe('INVALID_INPUT');
  });

  it('takes any iterable and ISO strings or Dates, leaves the input untouched and returns frozen values', () => {
    const items = [{ id: 'L-2', receivedAt: new Date(T0 + 1) }, { id: 'L-1', receivedAt: '2026-03-02T09:00:00+08:00' }];
    const members = [{ id: 'a', capacity: 2, eligible: { territories: ['x'] } }];
    const snapshot = structuredClone({ items, members });
    function* gen() {
      yield* items;
    }
    const b = value(assignBatch(gen(), new Set(members), { strategy: 'roundRobin' }));
    expect(pairs(b)).toEqual([
      ['L-1', 'a'],
      ['L-2', 'a'],
    ]);
    expect({ items, members }).toEqual(snapshot);
    expect(Object.isFrozen(b) && Object.isFrozen(b.assignments) && Object.isFrozen(b.assignments[0]) && Object.isFrozen(b.assignments[0]!.reason)).toBe(true);
  });

  it('an empty batch is fine and keeps the cursor', () => {
    expect(value(assignBatch([], [], { strategy: 'roundRobin', cursor: 'rep-li' }))).toEqual({
      assignments: [],
      unassigned: [],
      overflow: [],
      cursor: 'rep-li',
      stats: { items: 0, assigned: 0, overflowed: 0, unassigned: 0 },
    });
  });
});

/* ------------------------------------------------------------------ properties */

const TERRITORIES = ['shenzhen', 'guangzhou', 'beijing'] as const;
const SKILLS = ['english', 'japanese', 'finance'] as const;
const MEMBER_IDS = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];

const filterArb = fc.record(
  { territories: fc.subarray([...TERRITORIES]), skills: fc.subarray([...SKILLS]) },
  { requiredKeys: [] },
);
const memberArb = (id: string): fc.Arbitrary<AssignmentMemberInput> =>
  fc.record(
    {
      id: fc.constant(id),
      capacity: fc.integer({ min: 0, max: 4 }),
      weight: fc.integer({ min: 1, max: 3 }),
      optedOut: fc.boolean(),
      eligible: filterArb,
      preferred: filterArb,
      load: fc.integer({ min: 0, max: 6 }),
    },
    { requiredKeys: ['id', 'capacity'] },
  );
const membersArb = fc.subarray(MEMBER_IDS).chain((ids) => fc.tuple(...ids.map(memberArb))) as fc.Arbitrary<AssignmentMemberInput[]>;
const itemsArb = fc.uniqueArray(
  fc.record(
    {
      id: fc.integer({ min: 0, max: 99 }).map((n) => `L-${n}`),
      priority: fc.integer({ min: 0, max: 2 }),
      territory: fc.constantFrom(null, ...TERRITORIES),
      skills: fc.subarray([...SKILLS], { maxLength: 2 }),
      receivedAt: fc.integer({ min: 0, max: 5 }).map(at),
    },
    { requiredKeys: ['id'] },
  ),
  { selector: (i) => i.id, maxLength: 30 },
);
const optionsArb: fc.Arbitrary<AssignmentOptionsInput> = fc.record({
  strategy: fc.constantFrom(...ASSIGNMENT_STRATEGIES),
  cursor: fc.constantFrom(null, 'm0', 'm3', 'm35', 'm9', 'a'),
  seed: fc.integer(),
  overflow: fc.constantFrom(null, { memberId: 'mgr' }, { poolId: 'pool-public' }),
});
const caseArb = fc.record({ items: itemsArb, members: membersArb, options: optionsArb });

/** An independent reading of the hard filter. */
function eligible(m: AssignmentMemberInput, item: AssignmentItemInput): boolean {
  const t = m.eligible?.territories ?? [];
  const s = m.eligible?.skills ?? [];
  if (item.territory && t.length > 0 && !t.includes(item.territory)) return false;
  return s.length === 0 || (item.skills ?? []).every((k) => s.includes(k));
}
function prefers(m: AssignmentMemberInput, item: AssignmentItemInput): boolean {
  const t = m.preferred?.territories ?? [];
  const s = m.preferred?.skills ?? [];
  const skills = item.skills ?? [];
  return (!!item.territory && t.includes(item.territory)) || (skills.length > 0 && s.length > 0 && skills.every((k) => s.includes(k)));
}
function workOrder(items: readonly AssignmentItemInput[]): AssignmentItemInput[] {
  const time = (i: AssignmentItemInput) => (i.receivedAt ? new Date(i.receivedAt).getTime() : Infinity);
  return [...items].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A plain O(items × members) model of the deterministic strategies, to check the fast core against. */
function reference(items: readonly AssignmentItemInput[], members: readonly AssignmentMemberInput[], strategy: AssignmentStrategy, cursor: string | null) {
  const people = [...members].sort((a, b) => (a.id < b.id ? -1 : 1));
  const left = new Map(people.map((m) => [m.id, m.capacity]));
  const load = new Map(people.map((m) => [m.id, m.load ?? 0]));
  const out: [string, string | null][] = [];
  for (const item of workOrder(items)) {
    const candidates = people.filter((m) => !m.optedOut && eligible(m, item) && left.get(m.id)! > 0);
    const preferred = candidates.filter((m) => prefers(m, item));
    const pool = preferred.length > 0 ? preferred : candidates;
    let chosen: AssignmentMemberInput | undefined;
    if (strategy === 'roundRobin') chosen = pool.find((m) => cursor === null || m.id > cursor) ?? pool[0];
    if (strategy === 'leastLoaded') chosen = pool.reduce<AssignmentMemberInput | undefined>((best, m) => (!best || load.get(m.id)! < load.get(best.id)! ? m : best), undefined);
    if (strategy === 'weighted') {
      const score = (m: AssignmentMemberInput) => left.get(m.id)! * (m.weight ?? 1);
      chosen = pool.reduce<AssignmentMemberInput | undefined>((best, m) => (!best || score(m) > score(best) ? m : best), undefined);
    }
    out.push([item.id, chosen?.id ?? null]);
    if (chosen) {
      left.set(chosen.id, left.get(chosen.id)! - 1);
      load.set(chosen.id, load.get(chosen.id)! + 1);
      cursor = chosen.id;
    }
  }
  return out;
}

/** A deterministic shuffle for the order-independence property. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('properties', () => {
  const run = (c: { items: AssignmentItemInput[]; members: AssignmentMemberInput[]; options: AssignmentOptionsInput }) =>
    value(assignBatch(c.items, c.members, c.options));

  it('never gives a member more than its capacity', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const b = run(c);
        for (const m of c.members) expect(b.assignments.filter((a) => a.memberId === m.id).length).toBeLessThanOrEqual(m.capacity);
      }),
    );
  });

  it('every item appears exactly once across assignments, overflow and unassigned; stats add up', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const b = run(c);
        const seen = [...b.assignments, ...b.overflow, ...b.unassigned].map((e) => e.itemId).sort();
        expect(seen).toEqual(c.items.map((i) => i.id).sort());
        expect(b.stats).toEqual({ items: c.items.length, assigned: b.assignments.length, overflowed: b.overflow.length, unassigned: b.unassigned.length });
        if (c.options.overflow) expect(b.unassigned).toEqual([]);
        else expect(b.overflow).toEqual([]);
      }),
    );
  });

  it('is deterministic: the same input and seed give the same output', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(run(c)).toEqual(run(structuredClone(c)));
      }),
    );
  });

  it('the input order of items and members does not change the result', () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), (c, seed) => {
        expect(run({ ...c, items: shuffled(c.items, seed), members: shuffled(c.members, seed + 1) })).toEqual(run(c));
      }),
    );
  });

  it('an assigned member is eligible for the item and not opted out; `preferred` tells the truth', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const b = run(c);
        const byId = new Map(c.items.map((i) => [i.id, i]));
        for (const a of b.assignments) {
          const m = c.members.find((x) => x.id === a.memberId)!;
          const item = byId.get(a.itemId)!;
          expect(eligible(m, item)).toBe(true);
          expect(m.optedOut ?? false).toBe(false);
          expect(a.reason.strategy).toBe(c.options.strategy);
          if (a.reason.preferred) expect(prefers(m, item)).toBe(true);
        }
      }),
    );
  });

  it('an item left out had no eligible member with capacity at its turn, and the reason is the right one', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const b = run(c);
        const given = new Map(b.assignments.map((a) => [a.itemId, a.memberId]));
        const missed = new Map([...b.unassigned, ...b.overflow].map((u) => [u.itemId, u]));
        const used = new Map<string, number>();
        for (const item of workOrder(c.items)) {
          const memberId = given.get(item.id);
          if (memberId) {
            used.set(memberId, (used.get(memberId) ?? 0) + 1);
            continue;
          }
          const miss = missed.get(item.id)!;
          const covering = c.members.filter((m) => eligible(m, item));
          const active = covering.filter((m) => !m.optedOut);
          for (const m of active) expect(used.get(m.id) ?? 0).toBe(m.capacity);
          expect(miss.reason).toBe(covering.length === 0 ? 'NO_ELIGIBLE_MEMBER' : active.length === 0 ? 'ALL_OPTED_OUT' : 'ALL_AT_CAPACITY');
          expect(miss.counts).toEqual({ members: c.members.length, eligible: covering.length, optedOut: covering.length - active.length, atCapacity: active.length });
        }
      }),
    );
  });

  it('the indexed core picks exactly what a plain scan of every member picks (roundRobin, leastLoaded, weighted)', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom<AssignmentStrategy>('roundRobin', 'leastLoaded', 'weighted'), (c, strategy) => {
        const b = run({ ...c, options: { ...c.options, strategy } });
        const given = new Map(b.assignments.map((a) => [a.itemId, a.memberId]));
        const ours = workOrder(c.items).map((i) => [i.id, given.get(i.id) ?? null]);
        expect(ours).toEqual(reference(c.items, c.members, strategy, c.options.cursor ?? null));
      }),
      { numRuns: 300 },
    );
  });

  it('the returned cursor is the member who got the last item, or the given cursor', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const b = run(c);
        expect(b.cursor).toBe(b.assignments.at(-1)?.memberId ?? c.options.cursor ?? null);
      }),
    );
  });

  it('assignOne agrees with a batch of one', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const item = c.items[0] ?? { id: 'L-x' };
        const batch = value(assignBatch([item], c.members, c.options));
        const one = assignOne(item, c.members, c.options);
        if (batch.assignments[0]) expect(value(one)).toEqual({ kind: 'assigned', assignment: batch.assignments[0], cursor: batch.cursor });
        else if (batch.overflow[0]) expect(value(one)).toEqual({ kind: 'overflowed', overflow: batch.overflow[0], cursor: batch.cursor });
        else expect(error(one)).toEqual(explainUnassigned(batch.unassigned[0]!));
      }),
    );
  });
});
