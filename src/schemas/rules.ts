import type { MutableJson } from './convert.js';
import { decimalJson } from './vocabulary.js';

/*
 * Cross-field rules of the modules' parsers, written as JSON Schema (`if` / `then` / `else`,
 * `oneOf`) where JSON Schema can say them: the lead's consistency rules, a reversed payment, a
 * pending quote, an installment's one share, a tier band, a scored duplicate group, a metric
 * query's dimensions, a target plan's weights and seasonality, a scoring rule's points, an
 * escalation ladder's tier order. What cannot
 * be said (a date after another, sums, unique ids inside objects) stays a listed limit. Each is
 * checked against its parser by test/schemas: never stricter than the library, and refusing the
 * invalid values the testing kit builds.
 */

const is = (field: string, value: unknown): MutableJson => ({ properties: { [field]: { const: value } } });
const isNull = (field: string): MutableJson => ({ properties: { [field]: { type: 'null' } } });
const notNull = (field: string): MutableJson => ({ properties: { [field]: { not: { type: 'null' } } } });
/** The object in `field` (not null) has `sub` equal to `value`. */
const inside = (field: string, sub: string, value: unknown): MutableJson => ({ properties: { [field]: { type: 'object', properties: { [sub]: { const: value } }, required: [sub] } } });

/** The status a lead would be in if it were not invalid or voided (`effectiveLive` of the lead parser). */
function liveStatusIs(status: 'unassigned' | 'pending' | 'following'): MutableJson {
  return {
    anyOf: [
      is('status', status),
      { allOf: [is('status', 'invalid'), inside('invalidation', 'from', status)] },
      { allOf: [is('status', 'voided'), inside('voiding', 'from', status)] },
      { allOf: [is('status', 'voided'), inside('voiding', 'from', 'invalid'), inside('invalidation', 'from', status)] },
    ],
  };
}

/**
 * A lead's consistency (the lead parser's `checkLeadConsistency`), all but `updatedAt` not before
 * `createdAt`.
 *
 * @example
 * leadRules().allOf.length // 10
 */
export function leadRules(): MutableJson {
  return {
    allOf: [
      { if: is('status', 'converted'), then: { properties: { stage: { enum: ['sql', 'opportunity'] } } }, else: { properties: { stage: { enum: ['lead', 'mql'] } } } },
      { if: liveStatusIs('unassigned'), then: { allOf: [isNull('ownerId'), notNull('poolId')] } },
      { if: { anyOf: [liveStatusIs('pending'), liveStatusIs('following'), is('status', 'converted')] }, then: notNull('ownerId') },
      { if: liveStatusIs('following'), then: notNull('lastFollowUpAt') },
      { if: { anyOf: [is('status', 'invalid'), { allOf: [is('status', 'voided'), inside('voiding', 'from', 'invalid')] }] }, then: notNull('invalidation'), else: isNull('invalidation') },
      { if: is('status', 'voided'), then: notNull('voiding'), else: isNull('voiding') },
      { if: is('status', 'converted'), then: notNull('conversion'), else: isNull('conversion') },
      {
        if: { properties: { conversion: { type: 'object' } } },
        then: {
          anyOf: [
            { allOf: [is('stage', 'opportunity'), { properties: { conversion: { type: 'object', properties: { opportunityId: { not: { type: 'null' } } } } } }] },
            { allOf: [{ properties: { stage: { not: { const: 'opportunity' } } } }, { properties: { conversion: { type: 'object', properties: { opportunityId: { type: 'null' } } } } }] },
          ],
        },
      },
      { if: isNull('ownerId'), then: isNull('ownedSince'), else: notNull('ownedSince') },
      { if: { ...notNull('pooledAt'), required: ['pooledAt'] }, then: { allOf: [isNull('ownerId'), notNull('poolId')] } },
      { if: notNull('nextFollowUpAt'), then: notNull('ownerId') },
      { if: isNull('lastFollowUpAt'), then: is('followUpCount', 0), else: { properties: { followUpCount: { not: { const: 0 } } } } },
    ],
  };
}

/** A reversed payment records its reversal and keeps no applications; only a reversed one has a reversal. */
export function paymentRules(): MutableJson {
  return {
    if: is('status', 'reversed'),
    then: { allOf: [notNull('reversal'), { properties: { applications: { type: 'array', maxItems: 0 } } }] },
    else: isNull('reversal'),
  };
}

/** A pending quote, and only a pending one, waits on a level. */
export function quoteRules(): MutableJson {
  return {
    if: is('status', 'pending'),
    then: { properties: { approval: { type: 'object', properties: { current: { not: { type: 'null' } } } } } },
    else: { properties: { approval: { type: 'object', properties: { current: { type: 'null' } } } } },
  };
}

/** An installment of a new plan gives exactly one of percent, amount or balance. */
export function installmentShareRule(): MutableJson {
  return {
    oneOf: [
      { properties: { percent: {} }, required: ['percent'] },
      { properties: { amount: {} }, required: ['amount'] },
      { properties: { balance: {} }, required: ['balance'] },
    ],
  };
}

/**
 * Tier bands: each a price or a percentOff. (That the first starts at 0 and the bounds ascend
 * stays a limit: a one-element `prefixItems` on an open list is what strict validators refuse.)
 */
export function tierRules(): MutableJson {
  return {
    properties: {
      bands: {
        type: 'array',
        items: { type: 'object', oneOf: [{ properties: { price: {} }, required: ['price'] }, { properties: { percentOff: {} }, required: ['percentOff'] }] },
      },
    },
  };
}

/** A scored group takes no atLeast or minAgreeing and keeps blank at noMatch; an unscored one has no m or u. */
export function groupRules(): MutableJson {
  return {
    if: { properties: { score: {} }, required: ['score'] },
    then: {
      not: { anyOf: [{ properties: { atLeast: {} }, required: ['atLeast'] }, { properties: { minAgreeing: {} }, required: ['minAgreeing'] }] },
      properties: { conditions: { type: 'array', items: { type: 'object', properties: { blank: { not: { const: 'match' } } } } } },
    },
    else: { properties: { conditions: { type: 'array', items: { type: 'object', not: { anyOf: [{ properties: { m: {} }, required: ['m'] }, { properties: { u: {} }, required: ['u'] }] } } } } },
  };
}

/** A number that is not 0 (a scoring rule's points; `-0` is 0 to a validator and to the library alike). */
export function nonZeroRule(): MutableJson {
  return { not: { const: 0 } };
}

/* ------------------------------------------------------------------ pools */

/**
 * An escalation ladder's tier order (the ladder's superRefine but for a pool listed twice): every
 * tier but the last is a pool with hours (so the first is a pool), the last an owner or a pool
 * that keeps the lead (hours null). JSON Schema cannot point at "the last item" of an open list,
 * so each length the ladder may have (`minTiers` to `maxTiers`) is written as a full tuple —
 * `prefixItems` with `minItems` and `maxItems` equal to its length, as strict validators ask.
 *
 * @example
 * ladderTierRules(2, 10).allOf.length // 9: one tuple for each length from 2 to 10
 */
export function ladderTierRules(minTiers: number, maxTiers: number): MutableJson {
  const waits = (): MutableJson => ({ type: 'object', properties: { kind: { const: 'pool' }, hours: { type: 'integer' } } });
  const ends = (): MutableJson => ({ type: 'object', anyOf: [{ properties: { kind: { const: 'owner' } } }, { properties: { hours: { type: 'null' } } }] });
  const allOf: MutableJson[] = [];
  for (let n = Math.max(minTiers, 1); n <= maxTiers; n++) {
    allOf.push({
      if: { minItems: n, maxItems: n },
      then: { minItems: n, maxItems: n, prefixItems: [...Array.from({ length: n - 1 }, waits), ends()] },
    });
  }
  return { allOf };
}

/* ------------------------------------------------------------------ metrics */

/**
 * A metric query's `groupBy`: each dimension at most once (`uniqueItems` says it exactly for a
 * list of strings) and at most one of the periods.
 *
 * @example
 * groupByRules(['day', 'week', 'month', 'quarter', 'year']).uniqueItems // true
 */
export function groupByRules(periods: readonly string[]): MutableJson {
  return { uniqueItems: true, not: { type: 'array', contains: { enum: [...periods] }, minContains: 2 } };
}

/** A seasonality (twelve weights, none negative) has a month above 0. */
export function seasonalityRule(): MutableJson {
  return { contains: decimalJson('positive') };
}

/** A target node's children have a weight above 0 between them (an omitted weight is 1). */
export function siblingWeightRule(): MutableJson {
  return { anyOf: [{ maxItems: 0 }, { contains: { type: 'object', properties: { weight: decimalJson('positive') } } }] };
}

/** A forecast's exchange rates need a reporting currency to convert into. */
export function forecastRules(): MutableJson {
  return { if: { properties: { rates: { type: 'array', minItems: 1 } }, required: ['rates'] }, then: { properties: { reportingCurrency: {} }, required: ['reportingCurrency'] } };
}

/** The most dimensions a metric groups by (the length of a cost's group is one of 0 to this). */
const MAX_DIMENSIONS = 8;

/**
 * Marketing's costs: each cost's group has one value per dimension of `groupBy` (`channel`, one,
 * when the query gives none). (That no group is given two costs stays a limit.)
 */
export function costGroupRules(): MutableJson {
  const groupsOf = (length: number): MutableJson => ({
    properties: { costs: { type: 'array', items: { type: 'object', properties: { group: { type: 'array', minItems: length, maxItems: length } } } } },
  });
  return {
    allOf: [
      { if: { not: { properties: { groupBy: {} }, required: ['groupBy'] } }, then: groupsOf(1) },
      ...Array.from({ length: MAX_DIMENSIONS + 1 }, (_, k) => ({ if: { properties: { groupBy: { type: 'array', minItems: k, maxItems: k } }, required: ['groupBy'] }, then: groupsOf(k) })),
    ],
  };
}
