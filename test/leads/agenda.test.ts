import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { value, error } from '../support.js';
import type { Result } from '../../src/core/result.js';
import { calendarDaysBetween, zonedDateKey } from '../../src/core/time.js';
import { AGENDA_BUCKET_KINDS, buildFollowUpAgenda, type FollowUpAgenda } from '../../src/leads/agenda.js';
import { leadSchema, type Lead, type LeadQuality } from '../../src/leads/model.js';

const ZONE = 'Asia/Shanghai';
// 2026-05-06 09:00 in Shanghai
const NOW = new Date('2026-05-06T01:00:00Z');
const CREATED = new Date('2026-04-01T02:00:00Z');


type Kind = 'pending' | 'following' | 'unassigned' | 'invalid' | 'converted' | 'voided';

interface Spec {
  id: string;
  kind?: Kind;
  ownerId?: string;
  quality?: LeadQuality | null;
  nextFollowUpAt?: Date | null;
  lastFollowUpAt?: Date;
  createdAt?: Date;
}

/** A valid stored lead of the given kind. */
function lead(spec: Spec): Lead {
  const kind = spec.kind ?? 'following';
  const createdAt = spec.createdAt ?? CREATED;
  const ownerId = kind === 'unassigned' ? null : (spec.ownerId ?? 'u1');
  const followed = kind === 'following' || kind === 'converted';
  const lastFollowUpAt = followed ? (spec.lastFollowUpAt ?? new Date(createdAt.getTime() + 3_600_000)) : null;
  const base = {
    id: spec.id,
    version: 3,
    status: kind,
    stage: kind === 'converted' ? 'sql' : 'lead',
    source: 'manual',
    name: `客户 ${spec.id}`,
    company: null,
    phone: null,
    email: null,
    quality: spec.quality ?? null,
    attributes: {},
    ownerId,
    poolId: 'p1',
    createdAt,
    createdBy: 'u1',
    updatedAt: new Date(Math.max(createdAt.getTime(), lastFollowUpAt?.getTime() ?? 0)),
    ownedSince: ownerId ? createdAt : null,
    lastFollowUpAt,
    followUpCount: lastFollowUpAt ? 2 : 0,
    nextFollowUpAt: ownerId ? (spec.nextFollowUpAt ?? null) : null, // nobody plans a re-follow-up of a lead nobody owns
    lastRelease: null,
    invalidation: kind === 'invalid' ? { reason: '空号', at: createdAt, by: 'u1', from: 'pending' } : null,
    voiding: kind === 'voided' ? { reason: null, at: createdAt, by: 'u1', from: 'pending' } : null,
    conversion:
      kind === 'converted' ? { customerId: 'C1', customerIsNew: true, contactId: null, opportunityId: null, at: createdAt, by: 'u1' } : null,
  };
  const parsed = leadSchema.safeParse(base);
  if (!parsed.success) throw new Error(`test lead ${spec.id} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

const bucketIds = (agenda: FollowUpAgenda) => Object.fromEntries(agenda.buckets.map((b) => [b.kind, b.entries.map((e) => e.leadId)]));
const sh = (local: string) => new Date(`${local}+08:00`);

describe('buildFollowUpAgenda', () => {
  it('orders a salesperson’s day as 简道云 does: high quality, first contacts, re-follow-ups today, the rest', () => {
    const leads = [
      lead({ id: 'rest-1', nextFollowUpAt: sh('2026-05-08T10:00:00') }),
      lead({ id: 'refollow-3pm', nextFollowUpAt: sh('2026-05-06T15:00:00') }),
      lead({ id: 'pending', kind: 'pending' }),
      lead({ id: 'high', quality: 'high', nextFollowUpAt: sh('2026-05-20T10:00:00') }),
      lead({ id: 'overdue', nextFollowUpAt: sh('2026-05-04T10:00:00') }),
      lead({ id: 'high-pending', kind: 'pending', quality: 'high' }),
      lead({ id: 'rest-none' }),
      lead({ id: 'not-mine', ownerId: 'u2', quality: 'high' }),
      lead({ id: 'in-pool', kind: 'unassigned', quality: 'high' }),
      lead({ id: 'invalid', kind: 'invalid' }),
      lead({ id: 'converted', kind: 'converted' }),
      lead({ id: 'voided', kind: 'voided' }),
    ];
    const agenda = value(buildFollowUpAgenda(leads, { userId: 'u1', now: NOW, zone: ZONE }));
    expect(agenda.date).toBe('2026-05-06');
    expect(agenda.buckets.map((b) => b.kind)).toEqual(['highQuality', 'dueToday', 'refollowToday', 'rest']);
    expect(bucketIds(agenda)).toEqual({
      highQuality: ['high', 'high-pending'],
      dueToday: ['pending'],
      refollowToday: ['overdue', 'refollow-3pm'],
      rest: ['rest-1', 'rest-none'],
    });
    const whys = Object.fromEntries(agenda.buckets.flatMap((b) => b.entries.map((e) => [e.leadId, e.why])));
    expect(whys).toMatchObject({ overdue: 'refollowOverdue', 'refollow-3pm': 'refollowToday', pending: 'firstContactOwed', 'rest-1': 'inProgress' });
  });

  it('“today” ends at midnight in the zone, not in UTC', () => {
    const leads = [
      lead({ id: 'last-ms-today', nextFollowUpAt: sh('2026-05-06T23:59:59.999') }),
      lead({ id: 'midnight-tomorrow', nextFollowUpAt: sh('2026-05-07T00:00:00') }),
    ];
    const agenda = value(buildFollowUpAgenda(leads, { userId: 'u1', now: NOW, zone: ZONE }));
    expect(bucketIds(agenda)).toMatchObject({ refollowToday: ['last-ms-today'], rest: ['midnight-tomorrow'] });
    // at 2026-05-06T16:30Z it is already May 7 in Shanghai
    const late = value(buildFollowUpAgenda(leads, { userId: 'u1', now: '2026-05-06T16:30:00Z', zone: ZONE }));
    expect(late.date).toBe('2026-05-07');
    expect(bucketIds(late).refollowToday).toEqual(['last-ms-today', 'midnight-tomorrow']);
  });

  it('breaks ties by last contact (oldest first), then id', () => {
    const at = sh('2026-05-06T10:00:00');
    const leads = [
      lead({ id: 'b', nextFollowUpAt: at, lastFollowUpAt: sh('2026-05-01T10:00:00') }),
      lead({ id: 'a', nextFollowUpAt: at, lastFollowUpAt: sh('2026-05-01T10:00:00') }),
      lead({ id: 'c', nextFollowUpAt: at, lastFollowUpAt: sh('2026-04-20T10:00:00') }),
      lead({ id: 'p2', kind: 'pending', createdAt: sh('2026-05-02T10:00:00') }),
      lead({ id: 'p1', kind: 'pending', createdAt: sh('2026-05-03T10:00:00') }),
    ];
    const agenda = value(buildFollowUpAgenda(leads, { userId: 'u1', now: NOW, zone: ZONE }));
    expect(bucketIds(agenda)).toMatchObject({ refollowToday: ['c', 'a', 'b'], dueToday: ['p2', 'p1'] });
  });

  it('gives an empty agenda with all four buckets for a user with no leads', () => {
    const agenda = value(buildFollowUpAgenda([], { userId: 'u9', now: NOW, zone: ZONE }));
    expect(agenda.buckets.map((b) => [b.kind, b.entries.length])).toEqual(AGENDA_BUCKET_KINDS.map((k) => [k, 0]));
  });

  it('refuses bad input with paths', () => {
    const paths = (r: Result<unknown>) => (error(r).details.issues as { path: unknown[] }[]).map((i) => i.path.join('.'));
    const ok = [lead({ id: 'a' })];
    expect(paths(buildFollowUpAgenda(ok, { userId: 'u1', now: NOW, zone: 'Asia/Beijing' }))).toEqual(['options.zone']);
    expect(paths(buildFollowUpAgenda(ok, { userId: 'u1', now: '05/06/2026', zone: ZONE }))).toEqual(['options.now']);
    expect(paths(buildFollowUpAgenda(ok, { userId: 'u1', now: NOW, zone: ZONE, team: 't' } as never))).toEqual(['options']);
    expect(paths(buildFollowUpAgenda([ok[0]!, { ...lead({ id: 'b' }), status: 'hot' } as never], { userId: 'u1', now: NOW, zone: ZONE }))).toContain(
      'leads.1.status',
    );
    expect(paths(buildFollowUpAgenda([ok[0]!, { ...lead({ id: 'b' }), nextFollowUpAt: 'tomorrow' } as never], { userId: 'u1', now: NOW, zone: ZONE }))).toEqual([
      'leads.1.nextFollowUpAt',
    ]);
    expect(paths(buildFollowUpAgenda([ok[0]!, { ...lead({ id: 'b' }), mood: 'happy' } as never], { userId: 'u1', now: NOW, zone: ZONE }))).toEqual(['leads.1']);
    expect(paths(buildFollowUpAgenda([ok[0]!, ok[0]!], { userId: 'u1', now: NOW, zone: ZONE }))).toEqual(['leads.1.id']);
  });
});

/* ------------------------------------------------------------------------ properties */

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'UTC'] as const;
const DAY = 86_400_000;
const BASE = Date.parse('2026-03-01T00:00:00Z');

const specArb = fc.record({
  kind: fc.constantFrom<Kind>('pending', 'following', 'following', 'unassigned', 'invalid', 'converted', 'voided'),
  ownerId: fc.constantFrom('u1', 'u2'),
  quality: fc.constantFrom<LeadQuality | null>('high', 'normal', 'low', null),
  createdOffset: fc.integer({ min: 0, max: 20 * DAY }),
  followOffset: fc.integer({ min: 0, max: 5 * DAY }),
  // a re-follow-up a few days around "now" (or none), often on whole hours to force ties
  next: fc.option(fc.integer({ min: -4 * 24, max: 4 * 24 }), { nil: null }),
});

const worldArb = fc
  .record({
    specs: fc.array(specArb, { maxLength: 25 }),
    zone: fc.constantFrom(...ZONES),
    nowOffset: fc.integer({ min: 25 * DAY, max: 30 * DAY }),
  })
  .map(({ specs, zone, nowOffset }) => {
    const now = new Date(BASE + nowOffset);
    const leads = specs.map((s, i) => {
      const createdAt = new Date(BASE + s.createdOffset);
      return lead({
        id: `L${String(i).padStart(2, '0')}`,
        kind: s.kind,
        ownerId: s.ownerId,
        quality: s.quality,
        createdAt,
        lastFollowUpAt: new Date(createdAt.getTime() + s.followOffset),
        nextFollowUpAt: s.next === null ? null : new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + s.next * 3_600_000),
      });
    });
    return { leads, zone, now };
  });

/** The bucket a lead belongs in, decided independently of the implementation (with calendarDaysBetween). */
function expectedBucket(l: Lead, now: Date, zone: string): string | null {
  if (l.ownerId !== 'u1' || (l.status !== 'pending' && l.status !== 'following')) return null;
  if (l.quality === 'high') return 'highQuality';
  if (l.status === 'pending') return 'dueToday';
  if (l.nextFollowUpAt && calendarDaysBetween(now, l.nextFollowUpAt, zone) <= 0) return 'refollowToday';
  return 'rest';
}

const sortKey = (l: Lead): [number, number, string] => [l.nextFollowUpAt?.getTime() ?? Infinity, (l.lastFollowUpAt ?? l.createdAt).getTime(), l.id];

describe('properties', () => {
  it('every owned active lead appears exactly once, in the first bucket it matches, and nothing else appears', () => {
    fc.assert(
      fc.property(worldArb, ({ leads, zone, now }) => {
        const agenda = value(buildFollowUpAgenda(leads, { userId: 'u1', now, zone }));
        expect(agenda.date).toBe(zonedDateKey(now, zone));
        expect(agenda.buckets.map((b) => b.kind)).toEqual(['highQuality', 'dueToday', 'refollowToday', 'rest']);
        const listed = agenda.buckets.flatMap((b) => b.entries.map((e) => [e.leadId, b.kind] as const));
        expect(new Set(listed.map(([id]) => id)).size).toBe(listed.length);
        const expected = leads.flatMap((l) => {
          const b = expectedBucket(l, now, zone);
          return b ? [[l.id, b] as const] : [];
        });
        expect(new Map(listed)).toEqual(new Map(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('within a bucket, entries follow nextFollowUpAt, then last contact, then id; input order does not matter', () => {
    fc.assert(
      fc.property(
        worldArb.chain((w) => fc.shuffledSubarray(w.leads, { minLength: w.leads.length, maxLength: w.leads.length }).map((shuffled) => ({ ...w, shuffled }))),
        ({ leads, shuffled, zone, now }) => {
          const agenda = value(buildFollowUpAgenda(leads, { userId: 'u1', now, zone }));
          const byId = new Map(leads.map((l) => [l.id, l]));
          for (const bucket of agenda.buckets) {
            const keys = bucket.entries.map((e) => sortKey(byId.get(e.leadId)!));
            for (let i = 1; i < keys.length; i++) {
              const [a, b] = [keys[i - 1]!, keys[i]!];
              const inOrder = a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));
              expect(inOrder).toBe(true);
            }
          }
          const snapshot = structuredClone(shuffled);
          expect(buildFollowUpAgenda(shuffled, { userId: 'u1', now, zone })).toEqual({ ok: true, value: agenda });
          expect(shuffled).toEqual(snapshot);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('agenda input', () => {
  it('something that is not a list of leads is INVALID_INPUT, not a crash', () => {
    const r = buildFollowUpAgenda(null as never, { userId: 'u', now: new Date('2026-01-01T00:00:00Z'), zone: 'Asia/Shanghai' });
    expect(!r.ok && r.error.code).toBe('INVALID_INPUT');
    expect(!r.ok && (r.error.details.issues as { path: string[] }[])[0]!.path).toEqual(['leads']);
  });
});
