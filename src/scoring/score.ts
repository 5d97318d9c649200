import { InvariantError, refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { comparable, ConditionRefusal, meets, NOT_SCALAR, ownField, readFields, showConditions, visibleFieldsSchema, type ConditionRead } from '../core/conditions.js';
import { zonedDaysIn, dayNumberOfKey, keyOfDayNumber, type ZonedDays } from '../core/time.js';
import { deepFreeze, idSchema, instantMs, isIdText, parseInput } from '../core/validation.js';
import { z } from 'zod';
import {
  scoringModelSchema,
  type BehaviourRule,
  type Comparison,
  type ConditionValue,
  type FitRule,
  type ScoringModel,
} from './model.js';

/** Most events one call reads. */
const MAX_EVENTS = 1_000_000;

/**
 * One condition in a reason: the field it reads (`attribute:industry`, `channel`, or an event's
 * `data.followUp.channel`), its operator, and the values it compares with — null when the
 * viewer may not see that field (the reason then says a condition on it held, not what it was).
 */
export interface ReasonCondition {
  readonly field: string;
  readonly op: Comparison['op'];
  readonly values: readonly ConditionValue[] | null;
}

/** Why a score moved: one rule that added (or took away) points. */
export interface ScoreReason {
  readonly ruleId: string;
  readonly label: string | null;
  readonly kind: 'fit' | 'behaviour';
  /** What the rule gave: never 0 (a rule that gave nothing is not a reason). */
  readonly points: number;
  /** A behaviour rule: the events it counted whose points have not faded away; null for a fit rule. */
  readonly events: number | null;
  /** Whether the rule's cap held its total back. */
  readonly capped: boolean;
  /** A behaviour rule's event types (empty for a fit rule). */
  readonly eventTypes: readonly string[];
  readonly conditions: readonly ReasonCondition[];
}

/** A lead's score at `asOf` by one model version, its grade, whether it reaches the MQL threshold, and its reasons (in the model's rule order). */
export interface LeadScore {
  readonly leadId: string;
  readonly modelId: string;
  readonly modelVersion: number;
  readonly asOf: Date;
  readonly score: number;
  readonly grade: string | null;
  /** Whether the score is at or above the model's `mqlThreshold` (false when it has none): the host may then call `markMql`. */
  readonly mql: boolean;
  readonly reasons: readonly ScoreReason[];
}

/**
 * What a lead's behaviour has added up to so far under one model version, kept by the host
 * beside the lead so a new event is scored without reading the lead's history again: for each
 * behaviour rule that counted an event, the calendar days (`YYYY-MM-DD` in the model's zone)
 * its events fell on and how many on each. Plain JSON; applying events in any order, one at a
 * time or all at once, gives the same state.
 */
export interface ScoreState {
  readonly modelId: string;
  readonly modelVersion: number;
  readonly leadId: string;
  readonly tallies: readonly ScoreTally[];
}

/** One behaviour rule's events: `[day, count]` pairs, days ascending. */
export interface ScoreTally {
  readonly ruleId: string;
  readonly days: readonly (readonly [day: string, count: number])[];
}

/** Who reads a score's reasons: the fields (`SCORE_FIELDS` names, `attribute:<name>`, `data.<path>` of an event) whose compared values they may see; none by default. */
export interface ScoreOptions {
  readonly visibleFields?: readonly string[];
}

type Fields = Readonly<Record<string, unknown>>;
type Issue = { readonly path: readonly (string | number)[]; readonly message: string };

/** A compiled condition: how to read the value, and the comparison. */
interface Test {
  /** A fit test: where its field's value is among the lead's values read (`Compiled.leadFields`); −1 for an event test. */
  readonly slot: number;
  readonly path: readonly string[] | null;
  readonly comparison: Comparison;
  readonly shownAs: string;
}

/** A model compiled once (kept by model object): its rules as tests, behaviour rules by event type, the zone's days. */
interface Compiled {
  readonly model: ScoringModel;
  readonly fits: readonly { readonly rule: FitRule; readonly index: number; readonly tests: readonly Test[] }[];
  readonly behaviours: readonly { readonly rule: BehaviourRule; readonly index: number; readonly tests: readonly Test[] }[];
  /** Event type → the positions (in `behaviours`) of the rules counting it. */
  readonly byType: ReadonlyMap<string, readonly number[]>;
  /** The rules in the model's order, each as its position in `fits` or in `behaviours` (the other −1). */
  readonly order: readonly { readonly fit: number; readonly behaviour: number }[];
  /** The lead fields the fit rules test, each once (`attribute:<name>` or a field name). */
  readonly leadFields: readonly string[];
  readonly days: ZonedDays;
}

const compiledModels = new WeakMap<object, Compiled>();

/** How an event condition's path is named in reasons (and in `visibleFields`): `data.followUp.channel`; a name holding a dot, a quote or a bracket in brackets (`data["a.b"]`), so two paths never share a name. */
function dataPathText(path: readonly string[]): string {
  return `data${path.map((n) => (/^[^."[\]]+$/.test(n) ? `.${n}` : `[${JSON.stringify(n)}]`)).join('')}`;
}

/** A condition compiled: a fit condition's field gets a slot among `fields` (each field read once per lead). */
const testOf =
  (fields: string[]) =>
  (c: { readonly field?: string; readonly path?: readonly string[] } & Comparison): Test => {
    const field = c.field ?? null;
    let slot = -1;
    if (field !== null) {
      slot = fields.indexOf(field);
      if (slot < 0) slot = fields.push(field) - 1;
    }
    return { slot, path: c.path ?? null, comparison: c, shownAs: field ?? dataPathText(c.path!) };
  };

function compile(model: ScoringModel): Compiled {
  const fits: Compiled['fits'][number][] = [];
  const behaviours: Compiled['behaviours'][number][] = [];
  const byType = new Map<string, number[]>();
  const order: { fit: number; behaviour: number }[] = [];
  const leadFields: string[] = [];
  model.rules.forEach((rule, index) => {
    order.push(rule.kind === 'fit' ? { fit: fits.length, behaviour: -1 } : { fit: -1, behaviour: behaviours.length });
    if (rule.kind === 'fit') fits.push({ rule, index, tests: rule.when.map(testOf(leadFields)) });
    else {
      for (const type of rule.events) {
        const list = byType.get(type) ?? [];
        list.push(behaviours.length);
        byType.set(type, list);
      }
      behaviours.push({ rule, index, tests: rule.where.map(testOf([])) });
    }
  });
  const compiled: Compiled = { model, fits, behaviours, byType, order, leadFields, days: zonedDaysIn(model.zone) };
  compiledModels.set(model, compiled);
  return compiled;
}

/**
 * A scoring model read once and kept: a model `parseScoringModel` (or this) returned is known
 * by identity and not read again, so scoring a million leads reads the model once; any other
 * value is read at the door (`INVALID_INPUT` at `model`).
 *
 * @internal
 */
function modelOf(input: unknown): Result<Compiled, CrmError> {
  if (typeof input === 'object' && input !== null) {
    const known = compiledModels.get(input);
    if (known !== undefined) return ok(known);
  }
  const parsed = parseInput(scoringModelSchema, input, ['model']);
  if (!parsed.ok) return parsed;
  return ok(compile(deepFreeze(parsed.value) as ScoringModel));
}

/**
 * A scoring model read at the door: `INVALID_INPUT` with every issue, or the model, frozen and
 * compiled (pass it to `scoreLead`, `startScore`, `applyScoreEvent` and `scoreFromState`:
 * they will not read it again).
 *
 * @example
 * const model = parseScoringModel({ id: 'default', version: 1, zone: 'Asia/Shanghai', rules: [{ id: 'retail', kind: 'fit', when: [{ field: 'attribute:industry', op: 'in', values: ['retail'] }], points: 20 }], grades: [{ grade: 'A', min: 50 }, { grade: 'B' }] });
 */
export function parseScoringModel(input: unknown): Result<ScoringModel, CrmError> {
  const compiled = modelOf(input);
  return compiled.ok ? ok(compiled.value.model) : compiled;
}

const refusal = (path: readonly (string | number)[], message: string) => new ConditionRefusal(path, message);

/** The value at a test's path in an event's data: undefined when a step is missing or not an object, NOT_SCALAR for an object at its end. */
function eventValue(data: unknown, t: Test, k: number): ConditionRead | ConditionRefusal {
  let at: unknown = data;
  const path = t.path!;
  for (let i = 0; i < path.length; i++) {
    if (typeof at !== 'object' || at === null) return undefined;
    const raw = ownField(at, path[i]!, ['events', k, 'data', ...path.slice(0, i + 1)]);
    if (raw instanceof ConditionRefusal) return raw;
    at = raw;
  }
  if (typeof at === 'object' && at !== null) return NOT_SCALAR;
  return comparable(at, ['events', k, 'data', ...path]);
}

/**
 * A lead read for scoring: its id and the fit rules it meets (by position in `fits`), each
 * field the model tests read once, as an own data property; or why it does not read.
 */
function readLead(compiled: Compiled, lead: unknown): { readonly id: string; readonly fits: readonly boolean[] } | ConditionRefusal {
  if (typeof lead !== 'object' || lead === null) return refusal([], 'expected a lead: { id, attributes, ... }');
  const id = ownField(lead, 'id', ['id']);
  if (id instanceof ConditionRefusal) return id;
  if (!isIdText(id)) return refusal(['id'], 'expected an id (1–200 characters of safe text)');
  const values = readFields(lead, compiled.leadFields);
  if (values instanceof ConditionRefusal) return values;
  const fits: boolean[] = [];
  for (const f of compiled.fits) {
    let all = true;
    for (const t of f.tests) if (!meets(values[t.slot]!, t.comparison)) all = false;
    fits.push(all);
  }
  return { id, fits };
}

/**
 * Reads an event (its type, instant and data each read once): for each behaviour rule it
 * counts for, its day is added to `tally`. Why an event does not read, else null.
 */
function readEvent(compiled: Compiled, e: unknown, k: number, tally: Tally): ConditionRefusal | null {
  if (typeof e !== 'object' || e === null) return refusal(['events', k], 'expected an event: { type, at, data }');
  let rules: readonly number[] | undefined;
  let at: unknown;
  let data: unknown;
  try {
    const type: unknown = (e as Fields).type;
    if (typeof type !== 'string') return refusal(['events', k, 'type'], 'expected the event type, a string');
    rules = compiled.byType.get(type);
    if (rules === undefined) return null;
    at = (e as Fields).at;
    data = (e as Fields).data;
  } catch {
    return refusal(['events', k], 'the event could not be read');
  }
  const t = instantMs(at);
  if (t !== t) return refusal(['events', k, 'at'], 'expected an instant from 0001 to 9999 (a Date or an ISO 8601 string with an offset)');
  const day = compiled.days.day(t);
  for (const b of rules) {
    let all = true;
    for (const test of compiled.behaviours[b]!.tests) {
      const v = eventValue(data, test, k);
      if (v instanceof ConditionRefusal) return v;
      if (all && !meets(v, test.comparison)) all = false;
    }
    if (all) tally.add(b, day, 1);
  }
  return null;
}

/** Day numbers are kept in a key as day + 2²² (days of years 0001–9999 lie within ±2²²), under the rule's position times 2²³. */
const DAY_OFFSET = 2 ** 22;
const DAY_SPAN = 2 ** 23;

/**
 * Events counted per behaviour rule and day: keys (position · 2²³ + day + 2²²) with their
 * counts, added in any order; `settle` sorts them and merges equal keys, so the same events
 * added in any order, or some as a stored state's counts, settle the same.
 */
class Tally {
  keys: number[] = [];
  counts: number[] = [];
  /** How many of `keys`/`counts` are in use (the arrays keep their room between leads). */
  size = 0;
  private settled = true;

  add(position: number, day: number, count: number): void {
    const i = this.size++;
    this.keys[i] = position * DAY_SPAN + day + DAY_OFFSET;
    this.counts[i] = count;
    this.settled = false;
  }

  /** Empties the tally for the next lead (a batch reuses one). */
  reset(): void {
    this.size = 0;
    this.settled = true;
  }

  /** Sorts the keys in use (with their counts) and merges equal ones. */
  settle(): void {
    if (this.settled) return;
    this.settled = true;
    const n = this.size;
    if (n <= 32) {
      const keys = this.keys;
      const counts = this.counts;
      for (let i = 1; i < n; i++) {
        const key = keys[i]!;
        const count = counts[i]!;
        let j = i - 1;
        for (; j >= 0 && keys[j]! > key; j--) {
          keys[j + 1] = keys[j]!;
          counts[j + 1] = counts[j]!;
        }
        keys[j + 1] = key;
        counts[j + 1] = count;
      }
    } else {
      const keys = this.keys;
      const counts = this.counts;
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
      this.keys = order.map((i) => keys[i]!);
      this.counts = order.map((i) => counts[i]!);
    }
    const k = this.keys;
    const c = this.counts;
    let w = 0;
    for (let i = 0; i < n; i++) {
      if (w > 0 && k[w - 1] === k[i]) c[w - 1]! += c[i]!;
      else {
        k[w] = k[i]!;
        c[w++] = c[i]!;
      }
    }
    this.size = w;
  }

  /** Whether some rule counts more than `most` events. */
  overfull(most: number): boolean {
    this.settle();
    let position = -1;
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      const p = Math.floor(this.keys[i]! / DAY_SPAN);
      if (p !== position) {
        position = p;
        n = 0;
      }
      if ((n += this.counts[i]!) > most) return true;
    }
    return false;
  }
}

/** The tally as a state (rules in model order, days ascending), frozen. */
function stateOf(compiled: Compiled, leadId: string, tally: Tally): ScoreState {
  tally.settle();
  const list: ScoreTally[] = [];
  const { keys, counts, size } = tally;
  for (let i = 0; i < size; ) {
    const position = Math.floor(keys[i]! / DAY_SPAN);
    const days: (readonly [string, number])[] = [];
    for (; i < size && Math.floor(keys[i]! / DAY_SPAN) === position; i++) days.push(Object.freeze([keyOfDayNumber((keys[i]! % DAY_SPAN) - DAY_OFFSET), counts[i]!] as const));
    list.push(Object.freeze({ ruleId: compiled.behaviours[position]!.rule.id, days: Object.freeze(days) }));
  }
  return Object.freeze({ modelId: compiled.model.id, modelVersion: compiled.model.version, leadId, tallies: Object.freeze(list) });
}

/** One event's points `age` days after its day, faded by the rule's decay (whole points, half away from zero). */
function fadedPoints(points: number, age: number, decay: BehaviourRule['decay']): number {
  if (decay === null) return points;
  if (decay.kind === 'expires') return age < decay.days ? points : 0;
  const halvings = Math.floor(age / decay.days);
  if (halvings > 60) return 0;
  const exact = points / 2 ** halvings;
  return Math.sign(exact) * Math.floor(Math.abs(exact) + 0.5) + 0;
}

/** The score of a lead's fit and tally at `now`'s day, with its reasons. */
function scoreOf(compiled: Compiled, leadId: string, fits: readonly boolean[], tally: Tally, now: number, visible: ReadonlySet<string>, withReasons = true, asOf?: Date): LeadScore {
  const { model } = compiled;
  tally.settle();
  const { keys, counts, size } = tally;
  const today = compiled.days.day(now);
  const reasons: ScoreReason[] = [];
  let score = 0;
  let k = 0;
  const order = compiled.order;
  for (let r = 0; r < order.length; r++) {
    const { fit, behaviour } = order[r]!;
    if (fit >= 0) {
      if (!fits[fit]) continue;
      const f = compiled.fits[fit]!;
      score += f.rule.points;
      if (withReasons) reasons.push(reason(f.rule, f.rule.points, null, false, f.tests, visible));
      continue;
    }
    // behaviour positions rise in the model's order, as the tally's keys do
    while (k < size && Math.floor(keys[k]! / DAY_SPAN) < behaviour) k++;
    const b = compiled.behaviours[behaviour]!;
    const { points: each, decay, cap } = b.rule;
    let total = 0;
    let events = 0;
    for (; k < size && Math.floor(keys[k]! / DAY_SPAN) === behaviour; k++) {
      const day = (keys[k]! % DAY_SPAN) - DAY_OFFSET;
      if (day > today) continue;
      // every event of one day has the same age: each fades alike
      const points = fadedPoints(each, today - day, decay);
      if (points === 0) continue;
      total += points * counts[k]!;
      events += counts[k]!;
    }
    const capped = cap !== null && Math.abs(total) > cap;
    if (capped) total = Math.sign(total) * cap;
    if (total === 0) continue;
    score += total;
    if (withReasons) reasons.push(reason(b.rule, total, events, capped, b.tests, visible));
  }
  let grade: string | null = null;
  for (const g of model.grades) {
    if (g.min === null || score >= g.min) {
      grade = g.grade;
      break;
    }
  }
  return Object.freeze({
    leadId,
    modelId: model.id,
    modelVersion: model.version,
    asOf: asOf ?? Object.freeze(new Date(now)),
    score,
    grade,
    mql: model.mqlThreshold !== null && score >= model.mqlThreshold,
    reasons: withReasons ? Object.freeze(reasons) : NO_REASONS,
  });
}

/** Each rule's reason conditions for a viewer who sees no values, and each fit rule's whole reason (they never change): made once per rule. */
const hiddenConditions = new WeakMap<object, readonly ReasonCondition[]>();
const fitReasons = new WeakMap<object, ScoreReason>();

function reason(rule: FitRule | BehaviourRule, points: number, events: number | null, capped: boolean, tests: readonly Test[], visible: ReadonlySet<string>): ScoreReason {
  const shared = visible === NOTHING_VISIBLE;
  if (shared && rule.kind === 'fit') {
    let known = fitReasons.get(rule);
    if (known === undefined) fitReasons.set(rule, (known = reasonOf(rule, points, events, capped, tests, visible)));
    return known;
  }
  return reasonOf(rule, points, events, capped, tests, visible);
}

function reasonOf(rule: FitRule | BehaviourRule, points: number, events: number | null, capped: boolean, tests: readonly Test[], visible: ReadonlySet<string>): ScoreReason {
  const shared = visible === NOTHING_VISIBLE;
  let conditions = shared ? hiddenConditions.get(rule) : undefined;
  if (conditions === undefined) {
    conditions = conditionsOf(tests, visible);
    if (shared) hiddenConditions.set(rule, conditions);
  }
  return Object.freeze({
    ruleId: rule.id,
    label: rule.label,
    kind: rule.kind,
    points,
    events,
    capped,
    eventTypes: rule.kind === 'behaviour' ? rule.events : NO_TYPES,
    conditions,
  });
}

const NO_TYPES: readonly string[] = Object.freeze([]);
const NO_REASONS: readonly ScoreReason[] = Object.freeze([]);

function conditionsOf(tests: readonly Test[], visible: ReadonlySet<string>): readonly ReasonCondition[] {
  return showConditions(
    tests.map((t) => t.shownAs),
    tests.map((t) => t.comparison),
    visible,
  );
}

/** The viewer who may see no field's values (the default). */
const NOTHING_VISIBLE: ReadonlySet<string> = new Set();

const optionsShape = z.object({ visibleFields: visibleFieldsSchema.optional() }).strict();
const optionsSchema = optionsShape.optional();

const invalid = (issue: Issue, at: readonly (string | number)[]): Result<never, CrmError> => {
  const path = [...at, ...issue.path];
  return refuse('INVALID_INPUT', { issues: [{ path, message: issue.message, code: 'custom' }], summary: `${path.join('.') || '(root)'}: ${issue.message}` });
};

/** The door shared by the scoring functions: the model, `now` and the options. */
function door(model: unknown, now: unknown, options: unknown): Result<{ compiled: Compiled; now: number; visible: ReadonlySet<string> }, CrmError> {
  const compiled = modelOf(model);
  if (!compiled.ok) return compiled;
  const t = instantMs(now);
  if (t !== t) return invalid({ path: [], message: 'expected an instant from 0001 to 9999 (a Date or an ISO 8601 string with an offset)' }, ['now']);
  if (options === undefined) return ok({ compiled: compiled.value, now: t, visible: NOTHING_VISIBLE });
  const o = parseInput(optionsSchema, options, ['options']);
  if (!o.ok) return o;
  const fields = o.value?.visibleFields ?? [];
  return ok({ compiled: compiled.value, now: t, visible: fields.length === 0 ? NOTHING_VISIBLE : new Set(fields) });
}

/** Reads `events` (an array of at most a million) into `tally`; an INVALID_INPUT refusal when one does not read. */
function tallyEvents(compiled: Compiled, events: unknown, tally: Tally, at: readonly (string | number)[] = ['events']): Result<void, CrmError> {
  if (events === undefined || events === null) return ok(undefined);
  let length: unknown;
  try {
    length = Array.isArray(events) ? events.length : undefined;
  } catch {
    length = undefined;
  }
  if (typeof length !== 'number' || !(length <= MAX_EVENTS)) return invalid({ path: [], message: `expected an array of at most ${MAX_EVENTS} events` }, at);
  for (let k = 0; k < length; k++) {
    const bad = readEvent(compiled, (events as readonly unknown[])[k], k, tally);
    if (bad !== null) return invalid({ path: bad.path.slice(1), message: bad.message }, at);
  }
  return ok(undefined);
}

/** Runs `body`, turning a throw while reading a hostile value (a getter, a Proxy) into INVALID_INPUT. */
function guarded<T>(at: readonly (string | number)[], body: () => Result<T, CrmError>): Result<T, CrmError> {
  try {
    return body();
  } catch (e) {
    if (e instanceof InvariantError) throw e;
    return invalid({ path: [], message: 'the input could not be read' }, at);
  }
}

/**
 * A lead's score at `now` from its record and its events (a full score): each fit rule whose
 * conditions all hold adds its points once; each behaviour rule adds its points for every event
 * of its types on a day up to `now`'s day (in the model's zone) whose data meets its `where`,
 * faded by its decay, its total held within its cap. The score is the sum; `reasons` lists every
 * rule that gave points (their points sum to the score); the grade is the first band whose
 * `min` the score reaches. Reasons show a condition's values only for `options.visibleFields`.
 *
 * The lead's id, the fields the model tests and its attributes are read once each, as own data
 * properties (a getter is refused, never called; an inherited field is absent); an event's
 * `type`, `at` and `data` are read once each. Events of types no rule counts are passed over
 * unread; an event that does not read, a lead without an id, a field holding an object (or
 * `attributes` that is not a plain object), text past 10,000 characters where a condition reads
 * is `INVALID_INPUT` for the whole call. At an event's data path, an object or array is present
 * but equals no value (it meets `exists` and `notIn`). Same input, same score, whatever the
 * events' order.
 *
 * @example
 * const r = scoreLead(model, lead, events, '2026-03-20T10:00:00+08:00');
 * if (r.ok) r.value.reasons.map((x) => [x.ruleId, x.points]) // [['retail', 20], ['trade-show', 15], ['follow-ups', 6], ['visits', 15]]
 */
export function scoreLead(model: ScoringModel | unknown, lead: unknown, events: unknown, now: Date | string, options?: ScoreOptions): Result<LeadScore, CrmError> {
  return guarded([], () => {
    const d = door(model, now, options);
    if (!d.ok) return d;
    const { compiled } = d.value;
    const read = readLead(compiled, lead);
    if (read instanceof ConditionRefusal) return invalid(read, ['lead']);
    const tally = new Tally();
    const counted = tallyEvents(compiled, events, tally);
    if (!counted.ok) return counted;
    return ok(scoreOf(compiled, read.id, read.fits, tally, d.value.now, d.value.visible));
  });
}

/** How `scoreLeads` scores: `scoreLead`'s options, and whether to build the reasons (default true). */
export interface ScoreBatchOptions extends ScoreOptions {
  /** False: each score's `reasons` is empty (the score, grade and MQL flag are the same) — for ranking or grading many leads, with the reasons asked of `scoreLead` for the one a person opens. */
  readonly reasons?: boolean;
}

/** A batch's scores, in the journeys' order (null where a journey was refused), and the refusals by index. */
export interface ScoreBatch {
  readonly scores: readonly (LeadScore | null)[];
  readonly refused: readonly { readonly index: number; readonly error: CrmError }[];
}

/** Most journeys one `scoreLeads` call reads. */
const MAX_BATCH = 100_000;

const batchOptionsSchema = optionsShape.extend({ reasons: z.boolean().optional() }).optional();

/**
 * `scoreLead` over a page of journeys (`{ lead, events }`, at most 100,000): the model, `now`
 * and the options are read once for the page, each journey as `scoreLead` reads it. A journey
 * that does not read is refused on its own (`refused`, with its index; its score null) and the
 * others are scored. Every score of the batch shares one frozen `asOf`. With `reasons: false`
 * the reasons are left out (each score's `reasons` is empty); the scores are those `scoreLead`
 * gives.
 *
 * @example
 * const page = scoreLeads(model, journeys, now, { reasons: false });
 * if (page.ok) page.value.scores.filter((s) => s?.grade === 'A').length // the A leads of the page
 */
export function scoreLeads(model: ScoringModel | unknown, journeys: readonly { readonly lead: unknown; readonly events?: unknown }[], now: Date | string, options?: ScoreBatchOptions): Result<ScoreBatch, CrmError> {
  return guarded([], () => {
    const o = parseInput(batchOptionsSchema, options, ['options']);
    if (!o.ok) return o;
    const withReasons = o.value?.reasons ?? true;
    const d = door(model, now, o.value?.visibleFields === undefined ? undefined : { visibleFields: o.value.visibleFields });
    if (!d.ok) return d;
    let length: unknown;
    try {
      length = Array.isArray(journeys) ? journeys.length : undefined;
    } catch {
      length = undefined;
    }
    if (typeof length !== 'number' || !(length <= MAX_BATCH)) return invalid({ path: [], message: `expected an array of at most ${MAX_BATCH} journeys` }, ['journeys']);
    const { compiled, visible } = d.value;
    const t = d.value.now;
    const asOf = Object.freeze(new Date(t));
    const tally = new Tally();
    const scores: (LeadScore | null)[] = new Array(length);
    const refused: { index: number; error: CrmError }[] = [];
    for (let i = 0; i < length; i++) {
      const one = guarded(['journeys', i], () => {
        const j: unknown = (journeys as readonly unknown[])[i];
        if (typeof j !== 'object' || j === null) return invalid({ path: [], message: 'expected a journey: { lead, events }' }, ['journeys', i]);
        const lead: unknown = (j as Fields).lead;
        const events: unknown = (j as Fields).events;
        const read = readLead(compiled, lead);
        if (read instanceof ConditionRefusal) return invalid(read, ['journeys', i, 'lead']);
        tally.reset();
        const counted = tallyEvents(compiled, events, tally, ['journeys', i, 'events']);
        if (!counted.ok) return counted;
        return ok(scoreOf(compiled, read.id, read.fits, tally, t, visible, withReasons, asOf));
      });
      if (one.ok) scores[i] = one.value;
      else {
        scores[i] = null;
        refused.push(deepFreeze({ index: i, error: one.error }));
      }
    }
    return ok(Object.freeze({ scores: Object.freeze(scores), refused: Object.freeze(refused) }));
  });
}

/**
 * A lead's score state from its events so far (see `ScoreState`): what `applyScoreEvent`
 * then keeps up to date one event at a time.
 *
 * @example
 * const state = startScore(model, lead.id, events); // then, on each new event: applyScoreEvent(model, state.value, event)
 */
export function startScore(model: ScoringModel | unknown, leadId: string, events: unknown): Result<ScoreState, CrmError> {
  return guarded([], () => {
    const compiled = modelOf(model);
    if (!compiled.ok) return compiled;
    if (!isIdText(leadId)) return invalid({ path: [], message: 'expected an id (1–200 characters of safe text)' }, ['leadId']);
    const tally = new Tally();
    const counted = tallyEvents(compiled.value, events, tally);
    if (!counted.ok) return counted;
    return ok(stateOf(compiled.value, leadId, tally));
  });
}

/** The calendar days an event between 0001 and 9999 (UTC) can fall on in some zone: 0000-12-31 to 10000-01-01. */
const FIRST_DAY = dayNumberOfKey('0000-12-31');
const LAST_DAY = dayNumberOfKey('10000-01-01');
/** Most events one rule's tally holds (so every score stays an exact whole number). */
const MAX_TALLIED = 1_000_000_000;

/** A stored state read back: its tallies by behaviour position; `SCORE_MODEL_CHANGED` when it was kept under another model or version. */
function readState(compiled: Compiled, state: unknown): Result<{ leadId: string; tally: Tally }, CrmError> {
  const shape = parseInput(scoreStateSchema, state, ['state']);
  if (!shape.ok) return shape;
  const s = shape.value;
  const { model } = compiled;
  if (s.modelId !== model.id || s.modelVersion !== model.version) {
    return refuse('SCORE_MODEL_CHANGED', { modelId: model.id, modelVersion: model.version, stateModelId: s.modelId, stateModelVersion: s.modelVersion });
  }
  const position = new Map(compiled.behaviours.map((b, i) => [b.rule.id, i] as const));
  const tally = new Tally();
  const seen = new Set<number>();
  for (let i = 0; i < s.tallies.length; i++) {
    const t = s.tallies[i]!;
    const at = position.get(t.ruleId);
    if (at === undefined) return invalid({ path: ['tallies', i, 'ruleId'], message: 'no behaviour rule of the model has this id' }, ['state']);
    if (seen.has(at)) return invalid({ path: ['tallies', i, 'ruleId'], message: 'a rule is tallied twice' }, ['state']);
    seen.add(at);
    const days = new Set<number>();
    for (let k = 0; k < t.days.length; k++) {
      const [key, count] = t.days[k]!;
      const day = dayNumberOfKey(key);
      if (!(day >= FIRST_DAY && day <= LAST_DAY)) return invalid({ path: ['tallies', i, 'days', k, 0], message: 'expected a calendar date YYYY-MM-DD' }, ['state']);
      if (days.has(day)) return invalid({ path: ['tallies', i, 'days', k, 0], message: 'a day is listed twice' }, ['state']);
      days.add(day);
      tally.add(at, day, count);
    }
  }
  if (tally.overfull(MAX_TALLIED)) return invalid({ path: ['tallies'], message: `a rule counts at most ${MAX_TALLIED} events` }, ['state']);
  return ok({ leadId: s.leadId, tally });
}

/**
 * A stored score state's schema (see `ScoreState`): its shape only — that its rules are the
 * model's behaviour rules, its days real dates listed once, and its counts within bounds are
 * checked when it is read back with a model.
 *
 * @example
 * scoreStateSchema.safeParse({ modelId: 'm', modelVersion: 1, leadId: 'L-1', tallies: [] }).success // true
 */
export const scoreStateSchema = z
  .object({
    modelId: idSchema,
    modelVersion: z.number().int().min(1).max(1_000_000_000),
    leadId: idSchema,
    tallies: z
      .array(
        z
          .object({
            ruleId: idSchema,
            days: z.array(z.tuple([z.string().regex(/^\d{4,5}-\d{2}-\d{2}$/), z.number().int().min(1).max(MAX_TALLIED)])).max(1_000_000),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();

/**
 * A stored score state with one more event applied (a new state; the one given is not
 * changed). An event no behaviour rule counts gives back an equal state. Apply each event once:
 * the same event applied twice counts twice. A state kept under another model id or version is
 * `SCORE_MODEL_CHANGED` (rescore in full with `startScore`); a state that does not read is
 * `INVALID_INPUT` at `state`.
 *
 * @example
 * const next = applyScoreEvent(model, state, { type: 'lead.followedUp', at: '2026-03-21T09:00:00+08:00', data: { followUp: { channel: 'visit' } } });
 */
export function applyScoreEvent(model: ScoringModel | unknown, state: ScoreState | unknown, event: unknown): Result<ScoreState, CrmError> {
  return guarded([], () => {
    const compiled = modelOf(model);
    if (!compiled.ok) return compiled;
    const read = readState(compiled.value, state);
    if (!read.ok) return read;
    const bad = readEvent(compiled.value, event, 0, read.value.tally);
    if (bad !== null) return invalid({ path: bad.path.slice(2), message: bad.message }, ['event']);
    if (read.value.tally.overfull(MAX_TALLIED)) return invalid({ path: [], message: `a rule counts at most ${MAX_TALLIED} events` }, ['state']);
    return ok(stateOf(compiled.value, read.value.leadId, read.value.tally));
  });
}

/**
 * A lead's score at `now` from its stored state and its record (the fit rules read the lead as
 * it is now): equal to `scoreLead` over the same events.
 *
 * @example
 * const score = scoreFromState(model, state, lead, now);
 */
export function scoreFromState(model: ScoringModel | unknown, state: ScoreState | unknown, lead: unknown, now: Date | string, options?: ScoreOptions): Result<LeadScore, CrmError> {
  return guarded([], () => {
    const d = door(model, now, options);
    if (!d.ok) return d;
    const { compiled } = d.value;
    const read = readState(compiled, state);
    if (!read.ok) return read;
    const fit = readLead(compiled, lead);
    if (fit instanceof ConditionRefusal) return invalid(fit, ['lead']);
    if (fit.id !== read.value.leadId) return invalid({ path: ['id'], message: 'the state was kept for another lead' }, ['lead']);
    return ok(scoreOf(compiled, fit.id, fit.fits, read.value.tally, d.value.now, d.value.visible));
  });
}
