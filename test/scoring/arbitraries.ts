import fc from 'fast-check';
import type { ScoringModelInput } from '../../src/scoring/index.js';

/* Generated scoring models, leads and events over a small shared vocabulary, so rules match often. */

const INDUSTRIES = ['retail', 'manufacturing', 'finance', 'consulting'];
const REGIONS = ['east', 'south', 'north'];
const CHANNELS = ['tradeShow', 'websiteForm', 'referral'];
export const EVENT_TYPES = ['lead.followedUp', 'form.submitted', 'email.replied', 'web.visited', 'email.unsubscribed'];
const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Pacific/Kiritimati'];

const comparison = (values: readonly (string | number)[]) =>
  fc.oneof(
    fc.record({ op: fc.constantFrom('in' as const, 'notIn' as const), values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }) }),
    fc.record({ op: fc.constantFrom('exists' as const, 'missing' as const) }),
    fc.record({ op: fc.constantFrom('atLeast' as const, 'atMost' as const), value: fc.integer({ min: 0, max: 1000 }) }),
    fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })).map(([a, b]) => ({ op: 'between' as const, min: Math.min(a, b), max: Math.max(a, b) })),
  );

const fitCondition = fc.oneof(
  comparison(INDUSTRIES).map((c) => ({ field: 'attribute:industry', ...c })),
  comparison(REGIONS).map((c) => ({ field: 'attribute:region', ...c })),
  comparison([50, 500, 5000]).map((c) => ({ field: 'attribute:employees', ...c })),
  comparison(CHANNELS).map((c) => ({ field: 'channel', ...c })),
);
const eventCondition = comparison(['visit', 'phone', 'email']).map((c) => ({ path: ['followUp', 'channel'], ...c }));
const points = fc.integer({ min: -50, max: 50 }).filter((p) => p !== 0);

const ruleArb = fc.oneof(
  fc.record({ kind: fc.constant('fit' as const), when: fc.array(fitCondition, { minLength: 1, maxLength: 2 }), points }),
  fc.record(
    {
      kind: fc.constant('behaviour' as const),
      events: fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 2 }),
      where: fc.array(eventCondition, { maxLength: 1 }),
      points,
      cap: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
      decay: fc.option(fc.record({ kind: fc.constantFrom('halfLife' as const, 'expires' as const), days: fc.integer({ min: 1, max: 60 }) }), { nil: null }),
    },
    { requiredKeys: ['kind', 'events', 'points'] },
  ),
);

export const modelArb: fc.Arbitrary<ScoringModelInput> = fc
  .record({
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 8 }),
    zone: fc.constantFrom(...ZONES),
    mins: fc.uniqueArray(fc.integer({ min: -100, max: 200 }), { minLength: 0, maxLength: 3 }),
    catchAll: fc.boolean(),
    mqlThreshold: fc.option(fc.integer({ min: -50, max: 150 }), { nil: null }),
  })
  .map(({ rules, zone, mins, catchAll, mqlThreshold }) => {
    const sorted = [...mins].sort((a, b) => b - a);
    const grades = [...sorted.map((min, i) => ({ grade: 'ABCD'[i]!, min })), ...(catchAll || sorted.length === 0 ? [{ grade: 'E' }] : [])];
    return { id: 'm', version: 1, zone, rules: rules.map((r, i) => ({ id: `r${i}`, ...r })), grades, mqlThreshold } as ScoringModelInput;
  });

export const leadArb = fc.record(
  {
    id: fc.constantFrom('L1', 'L2'),
    channel: fc.option(fc.constantFrom(...CHANNELS), { nil: null }),
    attributes: fc.record({ industry: fc.constantFrom(...INDUSTRIES), region: fc.constantFrom(...REGIONS), employees: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constant(null)) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['id'] },
);

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
/** Instants over ~200 days, some on a 3-day grid (ties), as Dates or ISO strings. */
const instantArb = fc
  .tuple(fc.integer({ min: 0, max: 200 * 24 }), fc.boolean(), fc.boolean())
  .map(([hours, grid, iso]) => {
    const t = START + (grid ? Math.floor(hours / 72) * 3 * DAY : hours * 3_600_000);
    return iso ? new Date(t).toISOString() : new Date(t);
  });

export const eventArb = fc.record({
  type: fc.constantFrom(...EVENT_TYPES, 'task.created'),
  at: instantArb,
  data: fc.option(fc.record({ followUp: fc.record({ channel: fc.constantFrom('visit', 'phone', 'email') }) }), { nil: undefined }),
});

export const nowArb = fc.integer({ min: 0, max: 260 }).map((d) => new Date(START + d * DAY + 13 * 3_600_000));
