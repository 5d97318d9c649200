import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignBatch, drawBlind, type AssignmentItemInput } from '../../src/pools/index.js';
import { value as unwrap } from '../support.js';


/* The sales-module teardown's three more ways to hand out leads: blind pick (盲选分配), default assignment (默认分配: see escalation's owner tier and routing), queue matching (队列匹配). */

const QUEUE: AssignmentItemInput[] = [
  { id: 'L-1', priority: 0, territory: 'east', receivedAt: '2026-03-20T09:00:00+08:00' },
  { id: 'L-2', priority: 5, territory: 'east', receivedAt: '2026-03-20T10:00:00+08:00' },
  { id: 'L-3', priority: 5, territory: 'east', receivedAt: '2026-03-20T11:00:00+08:00' },
  { id: 'L-4', priority: 5, territory: 'south', receivedAt: '2026-03-20T08:00:00+08:00' },
  { id: 'L-5', priority: 9, territory: 'south', skills: ['ja'], receivedAt: '2026-03-20T12:00:00+08:00' },
];
const LI = { id: 'rep-li', capacity: 2, eligible: { territories: ['east'] } };

describe('blind pick: a member draws the next lead without seeing the list', () => {
  it('draws among the highest-priority leads the member may take, the same for a seed whatever the order', () => {
    const d = unwrap(drawBlind(QUEUE, LI, { seed: 7 }));
    expect(d).toMatchObject({ kind: 'drawn', among: 2 });
    expect(['L-2', 'L-3']).toContain((d as { itemId: string }).itemId);
    expect(unwrap(drawBlind([...QUEUE].reverse(), LI, { seed: 7 }))).toEqual(d);
    expect(Object.isFrozen(d)).toBe(true);
  });

  it('fair: over 10,000 seeds each of four equal leads comes up about a quarter of the time', () => {
    const four = ['A', 'B', 'C', 'D'].map((id) => ({ id }));
    const seen = new Map<string, number>();
    for (let seed = 0; seed < 10_000; seed++) {
      const d = unwrap(drawBlind(four, { id: 'rep', capacity: 1 }, { seed }));
      if (d.kind === 'drawn') seen.set(d.itemId, (seen.get(d.itemId) ?? 0) + 1);
    }
    for (const id of ['A', 'B', 'C', 'D']) expect(Math.abs(seen.get(id)! - 2500)).toBeLessThan(200);
  });

  it('nothing to draw: opted out, at capacity, or no lead fits (a skill the member lacks)', () => {
    expect(unwrap(drawBlind(QUEUE, { ...LI, optedOut: true }, { seed: 1 }))).toEqual({ kind: 'empty', reason: 'OPTED_OUT' });
    expect(unwrap(drawBlind(QUEUE, { ...LI, capacity: 0 }, { seed: 1 }))).toEqual({ kind: 'empty', reason: 'AT_CAPACITY' });
    expect(unwrap(drawBlind([QUEUE[4]!], { id: 'rep-wang', capacity: 3, eligible: { skills: ['en'] } }, { seed: 1 }))).toEqual({ kind: 'empty', reason: 'NO_ELIGIBLE_ITEM' });
    const bad = drawBlind(QUEUE, LI, { seed: 1.5 });
    expect(bad.ok ? null : (bad.error.details as unknown as { issues: { path: unknown[] }[] }).issues[0]!.path).toEqual(['options', 'seed']);
  });

  it('property: the drawn lead is one the member may take, of the top priority among those, and the draw ignores input order', () => {
    const itemArb = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), priority: fc.integer({ min: 0, max: 2 }), territory: fc.constantFrom('east', 'south', null) });
    fc.assert(
      fc.property(fc.uniqueArray(itemArb, { selector: (i) => i.id, maxLength: 6 }), fc.constantFrom<string[] | undefined>(['east'], ['south'], undefined), fc.integer(), (items, territories, seed) => {
        const member = { id: 'rep', capacity: 1, ...(territories ? { eligible: { territories } } : {}) };
        const d = unwrap(drawBlind(items, member, { seed }));
        const fits = items.filter((i) => i.territory === null || territories === undefined || territories.includes(i.territory));
        if (fits.length === 0) return void expect(d).toEqual({ kind: 'empty', reason: 'NO_ELIGIBLE_ITEM' });
        const top = Math.max(...fits.map((i) => i.priority));
        expect(d.kind).toBe('drawn');
        const drawn = fits.find((i) => i.id === (d as { itemId: string }).itemId)!;
        expect(drawn.priority).toBe(top);
        expect((d as { among: number }).among).toBe(fits.filter((i) => i.priority === top).length);
        expect(unwrap(drawBlind([...items].reverse(), member, { seed }))).toEqual(d);
      }),
      { numRuns: 300 },
    );
  });
});

describe('queue matching: leads wait until a member with the territory or skill and free capacity is there', () => {
  it('FIFO within priority: the waiting queue goes to the members present, the rest waits with its reason', () => {
    const r = unwrap(assignBatch(QUEUE, [LI, { id: 'rep-wang', capacity: 1, eligible: { territories: ['south'] } }], { strategy: 'leastLoaded' }));
    // priority 9 first (L-5 needs Japanese: nobody lists skills, so anyone of its territory may take it), then the 5s oldest first, then L-1
    expect(r.assignments.map((a) => [a.itemId, a.memberId])).toEqual([
      ['L-5', 'rep-wang'],
      ['L-2', 'rep-li'],
      ['L-3', 'rep-li'],
    ]);
    expect(r.unassigned.map((u) => [u.itemId, u.reason])).toEqual([
      ['L-4', 'ALL_AT_CAPACITY'],
      ['L-1', 'ALL_AT_CAPACITY'],
    ]);
  });
});
