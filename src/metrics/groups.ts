import { isIdText, isSafeText } from '../core/validation.js';
import { PERIOD_UNITS, PeriodCalendar, type PeriodUnit, type WeekStart } from './calendar.js';
import { compareGroups, type GroupValue } from '../core/measures.js';
import type { GroupDimension } from './model.js';
import type { Visit } from './source.js';

/** The longest text an attribute may hold (as the leads' attributes). */
const MAX_ATTRIBUTE_TEXT = 10_000;

/** Where a record keeps each non-period dimension. */
const FIELD_OF: Readonly<Record<'owner' | 'pool' | 'channel' | 'customer' | 'stage', string>> = Object.freeze({
  owner: 'ownerId',
  pool: 'poolId',
  channel: 'channel',
  customer: 'customerId',
  stage: 'stageId',
});

type Reader =
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'team' }
  | { readonly kind: 'attribute'; readonly name: string };

/** A group: its values on the dimensions, and its index (where a metric keeps its figures). */
export interface GroupSlot {
  readonly group: readonly GroupValue[];
  readonly index: number;
}

const ID_MESSAGE = 'expected an id (1–200 characters of safe text) or null';

/** A record's id-like field: a string of safe text, 1–200 characters, or null (absent). */
function idValue(raw: unknown): GroupValue | undefined {
  if (raw === undefined || raw === null) return null;
  if (isIdText(raw)) return raw;
  return undefined;
}

/** How many periods (the first seen: a year's months fit) a leaf keeps in an array; later ones go in a map. */
const DENSE_PERIODS = 16;

/** A leaf's groups by period number: the first periods in an array (-1: none yet), the rest in a map. */
interface PeriodSlots {
  readonly dense: number[];
  sparse: Map<number, number> | null;
  /** The group with the period null (a record with no instant for it); -1 until opened. */
  undated: number;
}

/**
 * Records into groups (internal): reads a record's values on the query's dimensions once, then
 * finds — or opens — the group of each instant the metric counts (the period dimension is the
 * instant's period). Groups are kept in a tree of maps keyed by the values themselves (no key
 * strings are built per record), the period by its first day's number. Memory grows with the
 * groups, never with the records.
 *
 * @internal
 * @example
 * const g = new Grouping(['owner', 'month'], teams, 'Asia/Shanghai', 'monday');
 * if (g.read(lead, ['lead']) === null) counts[g.at(createdMs)]++;
 */
export class Grouping {
  private readonly readers: readonly Reader[];
  /** Where the period sits among the dimensions; -1 when there is none. */
  private readonly periodAt: number;
  private readonly calendar: PeriodCalendar | null;
  private readonly root = new Map<GroupValue, unknown>();
  private readonly slots: GroupSlot[] = [];
  private readonly values: GroupValue[];
  /** The leaf of the last record read, once `at` has looked it up: its slots by period, or the slot itself when there is no period. */
  private leaf: PeriodSlots | GroupSlot | null = null;
  /** The periods seen, numbered in the order first seen: first day → number, and back. */
  private readonly periodNumbers = new Map<number, number>();
  private readonly periodFirsts: number[] = [];
  /** A direct-mapped cache of `periodNumbers` (slot: first day mod 1024; NaN: empty). */
  private readonly periodCache = new Float64Array(2048).fill(Number.NaN);

  constructor(
    readonly dimensions: readonly GroupDimension[],
    private readonly teams: ReadonlyMap<string, string>,
    zone: string,
    weekStart: WeekStart,
  ) {
    const periodAt = dimensions.findIndex((d) => (PERIOD_UNITS as readonly string[]).includes(d));
    this.periodAt = periodAt;
    this.readers = dimensions
      .filter((_, i) => i !== periodAt)
      .map((d): Reader => {
        if (d === 'team') return { kind: 'team' };
        if (d === 'owner' || d === 'pool' || d === 'channel' || d === 'customer' || d === 'stage') return { kind: 'field', field: FIELD_OF[d] };
        return { kind: 'attribute', name: d.slice('attribute:'.length) };
      });
    this.calendar = periodAt < 0 ? null : new PeriodCalendar(zone, dimensions[periodAt] as PeriodUnit, weekStart);
    this.values = new Array<GroupValue>(this.readers.length).fill(null);
  }

  /**
   * Reads `record`'s values on the dimensions — each field once; an attribute only as an own
   * data property of `attributes` (a getter there is refused, never called) — or says why they
   * do not read (at `path` + the field). Opens no group: `at` does, for a record it counts.
   */
  read(record: object, path: readonly (string | number)[]): Visit | null {
    const readers = this.readers;
    const values = this.values;
    this.leaf = null;
    let owner: GroupValue | undefined;
    let ownerRead = false;
    for (let i = 0; i < readers.length; i++) {
      const r = readers[i]!;
      let v: GroupValue | undefined;
      if (r.kind === 'field' || r.kind === 'team') {
        const field = r.kind === 'team' ? 'ownerId' : r.field;
        if (field === 'ownerId') {
          if (!ownerRead) {
            owner = idValue((record as Record<string, unknown>).ownerId);
            ownerRead = true;
          }
          v = owner;
        } else v = idValue((record as Record<string, unknown>)[field]);
        if (v === undefined) return { path: [...path, field], message: ID_MESSAGE };
        if (r.kind === 'team') v = v === null ? null : (this.teams.get(v as string) ?? null);
      } else {
        const attributes = (record as Record<string, unknown>).attributes;
        let raw: unknown = null;
        if (attributes !== undefined && attributes !== null) {
          if (typeof attributes !== 'object') return { path: [...path, 'attributes'], message: 'expected an object of attributes or null' };
          const d = Reflect.getOwnPropertyDescriptor(attributes, r.name);
          if (d !== undefined) {
            if (!('value' in d)) return { path: [...path, 'attributes', r.name], message: 'a getter is not data (it is not called)' };
            raw = d.value;
          }
        }
        if (raw === undefined || raw === null) v = null;
        else if (typeof raw === 'boolean') v = raw;
        else if (typeof raw === 'number' && Number.isFinite(raw)) v = raw + 0;
        else if (typeof raw === 'string' && raw.length <= MAX_ATTRIBUTE_TEXT && isSafeText(raw)) v = raw;
        else return { path: [...path, 'attributes', r.name], message: 'expected a string (safe text), a finite number, a boolean or null' };
      }
      values[i] = v;
    }
    return null;
  }

  /**
   * The values last read with another owner (a rep the metric credits): the owner and team
   * dimensions follow it, the rest stay as read — the record is not read again. The owner must
   * be an id the caller checked (or null).
   */
  withOwner(owner: string | null): void {
    const readers = this.readers;
    for (let i = 0; i < readers.length; i++) {
      const r = readers[i]!;
      if (r.kind === 'team') this.values[i] = owner === null ? null : (this.teams.get(owner) ?? null);
      else if (r.kind === 'field' && r.field === 'ownerId') this.values[i] = owner;
    }
    this.leaf = null;
  }

  /** The leaf of the values last read: found, or opened (with its slot, when there is no period). */
  private resolve(): PeriodSlots | GroupSlot {
    const values = this.values;
    let node: Map<GroupValue, unknown> = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]!) as Map<GroupValue, unknown> | undefined;
      if (next === undefined) node.set(values[i]!, (next = new Map()));
      node = next;
    }
    // no dimension but (perhaps) the period: one leaf, under null
    const key = last < 0 ? null : values[last]!;
    let leaf = node.get(key) as PeriodSlots | GroupSlot | undefined;
    if (leaf === undefined) node.set(key, (leaf = this.calendar === null ? this.slot(null) : { dense: [], sparse: null, undated: -1 }));
    return (this.leaf = leaf);
  }

  private slot(period: string | null, undated = false): GroupSlot {
    const group: GroupValue[] = this.values.slice();
    if (period !== null || undated) group.splice(this.periodAt, 0, period);
    const slot = { group: Object.freeze(group), index: this.slots.length };
    this.slots.push(slot);
    return slot;
  }

  /** How many groups have been opened (indexes run from 0 to this, less one). */
  get size(): number {
    return this.slots.length;
  }

  /** The index of the group the last record read falls in, at instant `t` (ms; its period, when the dimensions hold one). */
  at(t: number): number {
    const calendar = this.calendar;
    const found = this.leaf ?? this.resolve();
    if (calendar === null) return (found as GroupSlot).index;
    const period = this.periodOf(calendar.first(t));
    const leaf = found as PeriodSlots;
    if (period < DENSE_PERIODS) {
      const dense = leaf.dense;
      let index = period < dense.length ? dense[period]! : -1;
      if (index < 0) {
        while (dense.length <= period) dense.push(-1);
        index = dense[period] = this.slot(calendar.labelOfFirst(this.periodFirsts[period]!)).index;
      }
      return index;
    }
    const sparse = (leaf.sparse ??= new Map());
    let index = sparse.get(period);
    if (index === undefined) sparse.set(period, (index = this.slot(calendar.labelOfFirst(this.periodFirsts[period]!)).index));
    return index;
  }

  /**
   * The index of the group the last record read falls in with the period null — a record with no
   * instant for the period (an opportunity with no expected close date); without a period
   * dimension, its only group.
   */
  atUndated(): number {
    const found = this.leaf ?? this.resolve();
    if (this.calendar === null) return (found as GroupSlot).index;
    const leaf = found as PeriodSlots;
    if (leaf.undated < 0) leaf.undated = this.slot(null, true).index;
    return leaf.undated;
  }

  /** The number of the period whose first day is `first`. */
  private periodOf(first: number): number {
    const cache = this.periodCache;
    const slot = (first & 1023) * 2;
    if (cache[slot] === first) return cache[slot + 1]!;
    let period = this.periodNumbers.get(first);
    if (period === undefined) {
      period = this.periodFirsts.length;
      this.periodNumbers.set(first, period);
      this.periodFirsts.push(first);
    }
    cache[slot] = first;
    cache[slot + 1] = period;
    return period;
  }

  /** Every group seen, sorted by its values. */
  groups(): readonly GroupSlot[] {
    return [...this.slots].sort((a, b) => compareGroups(a.group, b.group));
  }
}

/**
 * The team of each member, from a query's `teams` (ids as data: a Map, never an object's keys).
 *
 * @internal
 * @example
 * teamsOf([{ memberId: 'u1', teamId: 'east' }]).get('u1') // 'east'
 */
export function teamsOf(teams: readonly { readonly memberId: string; readonly teamId: string }[]): ReadonlyMap<string, string> {
  return new Map(teams.map((t) => [t.memberId, t.teamId]));
}
