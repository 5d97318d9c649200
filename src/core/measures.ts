import { compareCodePoints } from './collation.js';
import type { z } from 'zod';
import type { CrmError } from './errors.js';
import { ok, type Result } from './result.js';
import { instantSchema, parseInput } from './validation.js';

/**
 * A rate as a fraction of two counts, exact: `value` is numerator / denominator written with
 * four decimals (`'0.3333'` is 33.33%), rounded half up; null when the denominator is 0.
 *
 * @example
 * const r: Rate = { numerator: 1, denominator: 3, value: '0.3333' };
 */
export interface Rate {
  readonly numerator: number;
  readonly denominator: number;
  readonly value: string | null;
}

/**
 * n / d of two exact integers written with four decimals, rounded half away from zero (half up
 * for the non-negative), the form of every rate's `value`; null when d is not above 0
 * (internal).
 *
 * @internal
 * @example
 * fractionText(-1n, 3n) // '-0.3333'
 */
export function fractionText(n: bigint, d: bigint): string | null {
  if (d <= 0n) return null;
  const negative = n < 0n;
  const scaled = (2n * (negative ? -n : n) * 10_000n + d) / (2n * d);
  return `${negative && scaled !== 0n ? '-' : ''}${scaled / 10_000n}.${String(scaled % 10_000n).padStart(4, '0')}`;
}

/** Decimals a rate's `value` is written with. */
export const RATE_DECIMALS = 4;
const RATE_SCALE = 10 ** RATE_DECIMALS;

/**
 * The rate numerator / denominator (counts: whole, non-negative, safe integers; internal).
 *
 * @internal
 * @example
 * rateOf(2, 3) // { numerator: 2, denominator: 3, value: '0.6667' }
 * rateOf(0, 0) // { numerator: 0, denominator: 0, value: null }
 */
export function rateOf(numerator: number, denominator: number): Rate {
  // small fractions are the most common (a group of a few leads): one frozen object each
  const small = numerator < 256 && denominator < 256;
  if (small) {
    const known = SMALL_RATES[numerator * 256 + denominator];
    if (known !== undefined) return known;
  }
  const rate = computeRate(numerator, denominator);
  if (small) SMALL_RATES[numerator * 256 + denominator] = rate;
  return rate;
}

/** Rates of fractions with both counts under 256, made once (frozen, shared by every answer). */
const SMALL_RATES: (Rate | undefined)[] = new Array<Rate | undefined>(256 * 256);

function computeRate(numerator: number, denominator: number): Rate {
  if (denominator === 0) return Object.freeze({ numerator, denominator, value: null });
  // round(n / d, 4) half up, in integers: floor((2·n·10⁴ + d) / (2·d)); bigints past 10¹¹
  if (numerator <= 1e11 && denominator <= 1e11) {
    const scaled = Math.floor((2 * numerator * RATE_SCALE + denominator) / (2 * denominator));
    const whole = Math.floor(scaled / RATE_SCALE);
    return Object.freeze({ numerator, denominator, value: `${whole}.${String(scaled - whole * RATE_SCALE).padStart(RATE_DECIMALS, '0')}` });
  }
  return Object.freeze({ numerator, denominator, value: fractionText(BigInt(numerator), BigInt(denominator)) });
}

/**
 * How long something took, over the records measured: how many, and the median and 90th
 * percentile in minutes. Durations are counted in whole minutes (rounded down) and kept at three
 * significant digits (rounded down: 1,234 minutes is kept as 1,230), so a metric's memory grows
 * with its groups, never with its records, and each percentile is within 1% (never above) of the
 * exact one; durations under 1,000 minutes (16 h 40 min) are exact. A percentile is the nearest
 * rank: the smallest kept duration that at least p% of the measured records do not exceed.
 *
 * @example
 * const t: Durations = { measured: 3, medianMinutes: 1440, p90Minutes: 4320 };
 */
export interface Durations {
  readonly measured: number;
  /** Null when nothing was measured. */
  readonly medianMinutes: number | null;
  /** Null when nothing was measured. */
  readonly p90Minutes: number | null;
}

const MINUTE_MS = 60_000;

/**
 * Whole minutes from `ms` (a duration in milliseconds; negative counts as 0) kept at three
 * significant digits, rounded down (internal: the SQL adapter computes the same).
 *
 * @internal
 * @example
 * keptMinutes(1_234 * 60_000) // 1230
 */
export function keptMinutes(ms: number): number {
  let minutes = ms > 0 ? Math.floor(ms / MINUTE_MS) : 0;
  if (minutes < 1000) return minutes;
  let scale = 1;
  while (minutes >= 1000 * scale) scale *= 10;
  minutes = Math.floor(minutes / scale) * scale;
  return minutes;
}

/**
 * The index of a kept value (internal): kept minutes below 1,000 are their own index; above,
 * m·10^k (m of three digits, k ≥ 1) is 1000 + 900·(k − 1) + (m − 100). Indexes are below 2¹³
 * for every duration between supported instants (kept < 10¹⁰), so a log entry `series·2¹³ +
 * index` is exact for 2⁴⁰ series.
 *
 * @internal
 * @example
 * keptIndex(1230) // 1023
 */
export function keptIndex(kept: number): number {
  if (kept < 1000) return kept;
  let k = 0;
  let m = kept;
  while (m >= 1000) {
    m = Math.floor(m / 10);
    k++;
  }
  return 1000 + 900 * (k - 1) + (m - 100);
}

/**
 * The kept value of an index (`keptIndex` inverted; internal).
 *
 * @internal
 * @example
 * keptOfIndex(1023) // 1230
 */
export function keptOfIndex(index: number): number {
  if (index < 1000) return index;
  const k = Math.floor((index - 1000) / 900) + 1;
  return (((index - 1000) % 900) + 100) * 10 ** k;
}

/**
 * Durations of many series at once (internal; a series is a group's stage, numbered by the
 * metric): kept minutes (by their `keptIndex`) are appended to one log of numbers as they come — a write to the end of
 * an array, whatever the series. At the end the log is sorted once and each series' percentiles
 * are read off its run. The log grows to at most 4M entries (32 MB); past that it is folded into
 * each series' sorted pairs `[kept, count, kept, count, …]` and starts again, so memory is
 * bounded by the log and the distinct kept values of each series: it grows with the groups, not
 * the records.
 *
 * @internal
 * @example
 * const d = new DurationLog(); d.add(0, 60_000); d.summary(0) // { measured: 1, medianMinutes: 1, p90Minutes: 1 }
 */
export class DurationLog {
  /** series · 2¹³ + the kept minutes' index (exact up to 2⁴⁰ series). */
  private log = new Float64Array(1024);
  private logged = 0;
  /** Each series' folded pairs, and how many it measured (only once the log has been folded). */
  private readonly pairs = new Map<number, number[]>();
  private readonly counts = new Map<number, number>();
  /** Whether adding is over (the log sorted, or folded). */
  private finished = false;

  /** `cap`: the most entries the log holds before it folds (a power of two; tests set it low). */
  constructor(private readonly cap: number = LOG_CAP) {}

  /** Adds one duration (ms) to `series`. */
  add(series: number, ms: number): void {
    if (this.logged === this.log.length) {
      if (this.log.length < this.cap) {
        const grown = new Float64Array(this.log.length * 2);
        grown.set(this.log);
        this.log = grown;
      } else this.fold();
    }
    this.log[this.logged++] = series * SERIES_SCALE + keptIndex(keptMinutes(ms));
  }

  /** Folds the log into the series' pairs. */
  private fold(): void {
    const log = sortKeys(this.log.subarray(0, this.logged));
    this.logged = 0;
    let i = 0;
    while (i < log.length) {
      const series = Math.floor(log[i]! / SERIES_SCALE);
      let end = i;
      while (end < log.length && Math.floor(log[end]! / SERIES_SCALE) === series) end++;
      this.merge(series, log, i, end);
      i = end;
    }
  }

  /** Merges sorted log entries [from, to) of one series into its pairs. */
  private merge(series: number, log: Float64Array, from: number, to: number): void {
    const base = series * SERIES_SCALE;
    const old = this.pairs.get(series) ?? [];
    const merged: number[] = [];
    let i = 0;
    let w = from;
    while (i < old.length || w < to) {
      const next = w < to ? log[w]! - base : Infinity;
      const k = i < old.length && old[i]! <= next ? old[i]! : next;
      let count = 0;
      if (i < old.length && old[i] === k) {
        count += old[i + 1]!;
        i += 2;
      }
      while (w < to && log[w]! - base === k) {
        count++;
        w++;
      }
      merged.push(k, count);
    }
    this.pairs.set(series, merged);
    this.counts.set(series, (this.counts.get(series) ?? 0) + (to - from));
  }

  /** Ends the adding: sorts the log, or folds it when it was folded before. */
  private finish(): void {
    this.finished = true;
    if (this.pairs.size > 0) this.fold();
    else this.log = sortKeys(this.log.subarray(0, this.logged));
  }

  /** The first index of the sorted log at or above `key`. */
  private lowerBound(key: number): number {
    const log = this.log;
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (log[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The frozen summary of `series`: how many, median and 90th percentile (call once everything is added). */
  summary(series: number): Durations {
    if (!this.finished) this.finish();
    if (this.pairs.size === 0) {
      // the series' run in the sorted log, found by its bounds: the nearest rank is an index
      const base = series * SERIES_SCALE;
      const start = this.lowerBound(base);
      const n = this.lowerBound(base + SERIES_SCALE) - start;
      if (n === 0) return NOTHING_MEASURED;
      const at = (percent: number) => keptOfIndex(this.log[start + Math.floor((n * percent + 99) / 100) - 1]! - base);
      return Object.freeze({ measured: n, medianMinutes: at(50), p90Minutes: at(90) });
    }
    const pairs = this.pairs.get(series);
    const n = this.counts.get(series) ?? 0;
    if (pairs === undefined || n === 0) return NOTHING_MEASURED;
    return Object.freeze({ measured: n, medianMinutes: keptOfIndex(rankOf(pairs, n, 50)), p90Minutes: keptOfIndex(rankOf(pairs, n, 90)) });
  }
}

/**
 * Durations of a few series (internal; a chain's total stages): a count for each kept value of
 * each series, in one array of `series` · 2¹³ counts, so adding is one increment and nothing is
 * sorted. It answers as a `DurationLog` fed the same durations.
 *
 * @internal
 * @example
 * const d = new DurationTally(5); d.add(1, 60_000); d.summary(1) // { measured: 1, medianMinutes: 1, p90Minutes: 1 }
 */
export class DurationTally {
  private readonly tally: Float64Array;
  private readonly measured: Float64Array;

  constructor(series: number) {
    this.tally = new Float64Array(series * SERIES_SCALE);
    this.measured = new Float64Array(series);
  }

  /** Adds one duration (ms) to `series` (below the count the tally was made for). */
  add(series: number, ms: number): void {
    this.tally[series * SERIES_SCALE + keptIndex(keptMinutes(ms))]!++;
    this.measured[series]!++;
  }

  /** The frozen summary of `series`: how many, median and 90th percentile. */
  summary(series: number): Durations {
    const n = this.measured[series]!;
    if (n === 0) return NOTHING_MEASURED;
    const base = series * SERIES_SCALE;
    const at = (percent: number): number => {
      const rank = Math.floor((n * percent + 99) / 100);
      let seen = 0;
      let index = 0;
      while ((seen += this.tally[base + index]!) < rank) index++;
      return keptOfIndex(index);
    };
    return Object.freeze({ measured: n, medianMinutes: at(50), p90Minutes: at(90) });
  }
}

/** The most keys `sortKeys` sorts by their digits (a second array of as many is needed: 16 MB); past that, the built-in sort. */
const RADIX_MOST = 1 << 21;

/**
 * Whole non-negative keys (below 2⁵³) sorted ascending, in `keys` or in a new array: by their
 * 11-bit digits, least first (a few passes over the keys, where the comparison sort of a
 * million doubles takes several times as long), or the built-in sort past `RADIX_MOST` keys.
 */
function sortKeys(keys: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const n = keys.length;
  if (n < 64 || n > RADIX_MOST) return keys.sort();
  let max = 0;
  for (let i = 0; i < n; i++) if (keys[i]! > max) max = keys[i]!;
  let from = keys;
  let to = new Float64Array(n);
  const counts = new Uint32Array(2048);
  for (let scale = 1; scale <= max; scale *= 2048) {
    counts.fill(0);
    // a digit: bits of the key from log2(scale), with integer operations while the key fits 32 bits
    const small = max < 2 ** 32;
    const shift = Math.log2(scale);
    for (let i = 0; i < n; i++) counts[small ? (from[i]! >>> shift) & 2047 : Math.floor(from[i]! / scale) % 2048]!++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = from[i]!;
      to[counts[small ? (key >>> shift) & 2047 : Math.floor(key / scale) % 2048]!++] = key;
    }
    const done = to;
    to = from;
    from = done;
  }
  return from;
}

/** The most entries the duration log holds before it folds (32 MB). */
const LOG_CAP = 1 << 22;
const SERIES_SCALE = 2 ** 13;

/** The nearest rank: the ceil(n·p/100)-th smallest of the pairs' values. */
function rankOf(pairs: readonly number[], n: number, percent: number): number {
  const rank = Math.floor((n * percent + 99) / 100);
  let seen = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    seen += pairs[i + 1]!;
    if (seen >= rank) return pairs[i]!;
  }
  return pairs[pairs.length - 2]!;
}

/** The summary of no durations (one frozen object, shared). */
export const NOTHING_MEASURED: Durations = Object.freeze({ measured: 0, medianMinutes: null, p90Minutes: null });

/** A group's value on one dimension: an id, a label, an attribute's scalar, or null when the record has none. */
export type GroupValue = string | number | boolean | null;

const typeRank = (v: GroupValue): number => (v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : 3);

/**
 * The order rows are listed in: by their group values, first dimension first; on each, null
 * first, then false, true, numbers (ascending), strings (by code point, as PostgreSQL's
 * `COLLATE "C"`).
 *
 * @internal
 * @example
 * [['b'], [null], ['a']].sort(compareGroups) // [[null], ['a'], ['b']]
 */
export function compareGroups(a: readonly GroupValue[], b: readonly GroupValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const rx = typeRank(x);
    const ry = typeRank(y);
    if (rx !== ry) return rx - ry;
    if (typeof x === 'string') return compareCodePoints(x, y as string);
    if (typeof x === 'number') return x - (y as number);
    return x ? 1 : -1;
  }
  return 0;
}


/** One stage of a chain of counts (a funnel's row): its count, its rates and its time from the stage before. */
export interface ChainStage<S extends string> {
  readonly stage: S;
  readonly count: number;
  readonly fromPrevious: Rate | null;
  readonly fromFirst: Rate;
  readonly time: Durations | null;
}

/**
 * The stages of a chain of counts, frozen: each stage's count, its rate from the stage before
 * (null for the first) and from the first, and its time from the stage before (`time(s)`, not
 * asked for the first). The in-process funnel and the SQL adapter's build their rows with it.
 *
 * @internal
 * @example
 * chainStages(['lead', 'mql'], [4, 1], () => NOTHING_MEASURED)[1].fromFirst.value // '0.2500'
 */
export function chainStages<S extends string>(stages: readonly S[], counts: ArrayLike<number>, time: (s: number) => Durations): readonly ChainStage<S>[] {
  return Object.freeze(
    stages.map((stage, s) =>
      Object.freeze({
        stage,
        count: counts[s]!,
        fromPrevious: s === 0 ? null : rateOf(counts[s]!, counts[s - 1]!),
        fromFirst: rateOf(counts[s]!, counts[0]!),
        time: s === 0 ? null : time(s),
      }),
    ),
  );
}

/**
 * A metric's door: its query through its schema (`INVALID_INPUT` at `query`), and `now` (at
 * `now`).
 *
 * @internal
 * @example
 * const door = metricDoor(funnelQuerySchema, query, now); if (!door.ok) return door;
 */
export function metricDoor<S extends z.ZodType>(schema: S, query: unknown, now: unknown): Result<{ readonly query: z.output<S>; readonly now: number }, CrmError> {
  const q = parseInput(schema, query, ['query']);
  if (!q.ok) return q;
  const at = parseInput(instantSchema, now, ['now']);
  if (!at.ok) return at;
  return ok({ query: q.value, now: at.value.getTime() });
}

/**
 * What every windowed report starts with: its window, `now` (as `asOf`), zone and dimensions,
 * each Date its own.
 *
 * @internal
 * @example
 * ({ ...reportHead(fromMs, toMs, nowMs, zone, groupBy), rows, total })
 */
export function reportHead<D extends string>(from: number, to: number, now: number, zone: string, dimensions: readonly D[]) {
  return { from: new Date(from), to: new Date(to), asOf: new Date(now), zone, dimensions: Object.freeze([...dimensions]) as readonly D[] };
}
