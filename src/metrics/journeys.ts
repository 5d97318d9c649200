import { instantMs, isIdText } from '../core/validation.js';
import type { Visit } from './source.js';

/** The funnel stages by index: 0 lead, 1 MQL, 2 SQL, 3 opportunity, 4 won. */
export const STAGE_COUNT = 5;

const MQL = 1;
const SQL = 2;
const OPPORTUNITY = 3;
const WON = 4;

/** What an event does to a journey (its kind, times 8, plus the stage it names). */
const RAISE = 1;
const CORRECT = 2;
const UNWIN = 3;
const VOID = 4;
const RESTORE = 5;
const CONVERT = 6;

const LEAD_STAGE_INDEX: ReadonlyMap<unknown, number> = new Map([
  ['lead', 0],
  ['mql', MQL],
  ['sql', SQL],
  ['opportunity', OPPORTUNITY],
]);

/** The event types a funnel reads, and what each does; any other type is passed over. */
const KINDS: ReadonlyMap<string, number> = new Map([
  ['lead.markedMql', RAISE * 8 + MQL],
  ['lead.converted', CONVERT * 8],
  ['lead.opportunityLinked', RAISE * 8 + OPPORTUNITY],
  ['lead.stageCorrected', CORRECT * 8],
  ['opportunity.closed', RAISE * 8 + WON],
  ['opportunity.reopened', UNWIN * 8],
  ['lead.voided', VOID * 8],
  ['lead.restored', RESTORE * 8],
]);

/** What an event is to the activity measures: a follow-up, an owner given, an owner taken away. */
export const FOLLOW_UP = 1;
export const OWNER_GIVEN = 2;
export const OWNER_TAKEN = 3;
/** The activity event types, what each is, and where it names the new owner. */
const ACTIVITY_KINDS: ReadonlyMap<string, readonly [number, string | null]> = new Map([
  ['lead.followedUp', [FOLLOW_UP, null]],
  ['lead.markedMql', [FOLLOW_UP, null]],
  ['lead.created', [OWNER_GIVEN, 'ownerId']],
  ['lead.assigned', [OWNER_GIVEN, 'ownerId']],
  ['lead.claimed', [OWNER_GIVEN, 'ownerId']],
  ['lead.ownerChanged', [OWNER_GIVEN, 'ownerTo']],
  ['lead.returned', [OWNER_TAKEN, null]],
  ['lead.reclaimed', [OWNER_TAKEN, null]],
  ['lead.transferred', [OWNER_TAKEN, null]],
]);

/** An activity a journey's events hold (read when the reader is asked to). */
export interface JourneyActivity {
  readonly kind: number;
  readonly t: number;
  /** A follow-up's actor (null when the event names none); the new owner for an owner given (null: an import into a pool). */
  readonly who: string | null;
  /** A follow-up's channel (null when none). */
  readonly channel: string | null;
}


/** Most events one journey holds. */
const MAX_EVENTS = 1_000_000;

type Fields = Readonly<Record<string, unknown>>;

const issue = (path: readonly (string | number)[], message: string): Visit => ({ path, message });

/**
 * Reads one lead's journey (internal) and works out, as the records stand at `now`, the
 * instant each funnel stage was reached, by the written rule of `measureFunnel`:
 * - the lead stage is reached at the lead's `createdAt`;
 * - `lead.markedMql` reaches MQL; `lead.converted` reaches SQL, and the opportunity stage too
 *   when it converted with one; `lead.opportunityLinked` reaches the opportunity stage;
 *   `opportunity.closed` with outcome `won` reaches won;
 * - a stage reached again counts at its first reach; a stage passed over (a lead converted
 *   without being an MQL, a win with no opportunity event) is reached at the instant of the
 *   later stage, and is marked as not reached on its own;
 * - `lead.stageCorrected` moves the lead to the corrected stage: the stages above it are no
 *   longer reached (a correction says they were recorded wrongly); `opportunity.reopened` of a
 *   won opportunity takes back won; a stage reached again after that counts at the new reach;
 * - `lead.voided` takes the lead out of every metric until `lead.restored`;
 * - `lead.markedInvalid` and `lead.reopened` change no stage: an invalid lead stays where it got;
 * - events after `now` are not seen; events are taken in time order (ties as given).
 *
 * @internal
 * @example
 * const j = new JourneyReader(now); if (j.read(journey) === null) j.reach[1] // when it became an MQL (ms), or NaN
 */
export class JourneyReader {
  /** The lead read (the record its group values are read from). */
  lead: object = {};
  created = 0;
  voided = false;
  /** Instant (ms) each stage was reached; NaN when not reached. */
  readonly reach = new Float64Array(STAGE_COUNT);
  /** 1 when the stage was reached by its own event (or is the lead stage), 0 when passed over. */
  readonly own = new Uint8Array(STAGE_COUNT);
  /** The funnel events read (their instants and codes), the first `held` of each array (kept between journeys: nothing is shrunk or reallocated per journey). */
  private readonly times: number[] = [];
  private readonly codes: number[] = [];
  private held = 0;
  /** The activities read (in the order given), when the reader collects them. */
  readonly activities: JourneyActivity[] = [];

  /** `withActivities`: also read follow-ups and changes of owner (for the activity measures), in the same single pass. */
  constructor(
    private readonly now: number,
    private readonly withActivities = false,
  ) {}

  /** Reads `journey`; null when it reads, else why not. */
  read(journey: unknown): Visit | null {
    if (typeof journey !== 'object' || journey === null) return issue([], 'expected a journey: { lead, events }');
    const lead = (journey as Fields).lead;
    if (typeof lead !== 'object' || lead === null) return issue(['lead'], 'expected a lead: { id, createdAt, ... }');
    const id = (lead as Fields).id;
    if (!isIdText(id)) {
      return issue(['lead', 'id'], 'expected an id (1–200 characters of safe text)');
    }
    const created = instantMs((lead as Fields).createdAt);
    if (created !== created) return issue(['lead', 'createdAt'], 'expected an instant from 0001 to 9999 (a Date or an ISO 8601 string with an offset)');
    const events = (journey as Fields).events;
    this.held = 0;
    if (this.withActivities) this.activities.length = 0;
    if (events !== undefined && events !== null) {
      const length: unknown = Array.isArray(events) ? events.length : undefined;
      if (typeof length !== 'number' || !(length <= MAX_EVENTS)) return issue(['events'], `expected an array of at most ${MAX_EVENTS} events`);
      const bad = this.readEvents(events as readonly unknown[], length);
      if (bad !== null) return bad;
    }
    this.lead = lead as object;
    this.created = created;
    this.walk();
    return null;
  }

  /** Reads the first `length` events (the array's length, read once). */
  private readEvents(events: readonly unknown[], length: number): Visit | null {
    const now = this.now;
    const times = this.times;
    const codes = this.codes;
    let held = 0;
    let sorted = true;
    let last = -Infinity;
    for (let k = 0; k < length; k++) {
      const e = events[k];
      if (typeof e !== 'object' || e === null) return issue(['events', k], 'expected an event: { type, at, data }');
      const type = (e as Fields).type;
      if (typeof type !== 'string') return issue(['events', k, 'type'], 'expected the event type, a string');
      let code = KINDS.get(type);
      const activity = this.withActivities ? ACTIVITY_KINDS.get(type) : undefined;
      if (code === undefined && activity === undefined) continue;
      const t = instantMs((e as Fields).at);
      if (t !== t) return issue(['events', k, 'at'], 'expected an instant from 0001 to 9999 (a Date or an ISO 8601 string with an offset)');
      if (t > now) continue;
      if (activity !== undefined) {
        const bad = this.readActivity(e as Fields, activity, t, k);
        if (bad !== null) return bad;
      }
      if (code === undefined) continue;
      if (code === CONVERT * 8 || code === CORRECT * 8 || code === RAISE * 8 + WON || code === UNWIN * 8) {
        const data = (e as Fields).data;
        if (typeof data !== 'object' || data === null) return issue(['events', k, 'data'], 'expected the event data');
        if (code === RAISE * 8 + WON || code === UNWIN * 8) {
          const field = code === UNWIN * 8 ? 'closedAs' : 'outcome';
          const outcome = (data as Fields)[field];
          if (typeof outcome !== 'string') return issue(['events', k, 'data', field], 'expected won, lost or invalid');
          if (outcome !== 'won') continue;
        } else {
          const stage = LEAD_STAGE_INDEX.get((data as Fields).stageTo);
          if (stage === undefined || (code === CONVERT * 8 && stage < SQL)) {
            return issue(['events', k, 'data', 'stageTo'], code === CONVERT * 8 ? 'expected sql or opportunity' : 'expected lead, mql, sql or opportunity');
          }
          code += stage;
        }
      }
      if (t < last) sorted = false;
      last = t;
      times[held] = t;
      codes[held++] = code;
    }
    this.held = held;
    if (!sorted) this.sortEvents();
    return null;
  }

  /** Reads an activity event: its actor (a follow-up) or new owner, checked. */
  private readActivity(e: Fields, [kind, ownerField]: readonly [number, string | null], t: number, k: number): Visit | null {
    const data = e.data;
    if (typeof data !== 'object' || data === null) return issue(['events', k, 'data'], 'expected the event data');
    if (kind === FOLLOW_UP) {
      const actor = e.actorId;
      if (actor !== undefined && actor !== null && !isIdText(actor)) return issue(['events', k, 'actorId'], 'expected an id (1–200 characters of safe text) or null');
      const followUp = (data as Fields).followUp;
      const channel = typeof followUp === 'object' && followUp !== null ? (followUp as Fields).channel : null;
      this.activities.push({ kind, t, who: (actor ?? null) as string | null, channel: typeof channel === 'string' ? channel : null });
    } else if (kind === OWNER_GIVEN) {
      const owner = (data as Fields)[ownerField!];
      if (owner !== undefined && owner !== null && !isIdText(owner)) return issue(['events', k, 'data', ownerField!], 'expected an id (1–200 characters of safe text) or null');
      this.activities.push({ kind, t, who: (owner ?? null) as string | null, channel: null });
    } else this.activities.push({ kind, t, who: null, channel: null });
    return null;
  }

  /** Puts the events read in time order, ties in the order given (an insertion sort in place for short journeys). */
  private sortEvents(): void {
    const times = this.times;
    const codes = this.codes;
    const held = this.held;
    if (held > 32) {
      const order = Array.from({ length: held }, (_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
      const sortedTimes = order.map((i) => times[i]!);
      const sortedCodes = order.map((i) => codes[i]!);
      for (let i = 0; i < order.length; i++) {
        times[i] = sortedTimes[i]!;
        codes[i] = sortedCodes[i]!;
      }
      return;
    }
    for (let i = 1; i < held; i++) {
      const t = times[i]!;
      const c = codes[i]!;
      let k = i - 1;
      for (; k >= 0 && times[k]! > t; k--) {
        times[k + 1] = times[k]!;
        codes[k + 1] = codes[k]!;
      }
      times[k + 1] = t;
      codes[k + 1] = c;
    }
  }

  private walk(): void {
    const reach = this.reach;
    const own = this.own;
    reach.fill(Number.NaN);
    own.fill(0);
    reach[0] = this.created;
    own[0] = 1;
    this.voided = false;
    const times = this.times;
    const codes = this.codes;
    const held = this.held;
    for (let i = 0; i < held; i++) {
      const code = codes[i]!;
      const kind = code >> 3;
      const stage = code & 7;
      if (kind === RAISE) this.raise(stage, times[i]!);
      else if (kind === CONVERT) {
        // a conversion reaches SQL on its own, and the opportunity stage too when it opened one
        this.raise(SQL, times[i]!);
        if (stage === OPPORTUNITY) this.raise(OPPORTUNITY, times[i]!);
      } else if (kind === CORRECT) {
        this.lowerTo(stage);
        this.raise(stage, times[i]!);
      } else if (kind === UNWIN) this.lowerTo(OPPORTUNITY);
      else this.voided = kind === VOID;
    }
  }

  /** Reaches `stage` at `t` unless it is reached; stages below it not reached are passed over at `t`. */
  private raise(stage: number, t: number): void {
    const reach = this.reach;
    if (reach[stage] === reach[stage]) return;
    reach[stage] = t;
    this.own[stage] = 1;
    for (let k = stage - 1; k > 0 && reach[k] !== reach[k]; k--) {
      reach[k] = t;
      this.own[k] = 0;
    }
  }

  /** Takes back every stage above `stage`. */
  private lowerTo(stage: number): void {
    for (let k = stage + 1; k < STAGE_COUNT; k++) {
      this.reach[k] = Number.NaN;
      this.own[k] = 0;
    }
  }
}
