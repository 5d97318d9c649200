import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { freezeBuilt, isSafeText, parseInput } from '../core/validation.js';
import {
  conditionWeights,
  dedupeRecordSchema,
  groupShape,
  minimalWeightSets,
  MAX_KEY_COMBINATIONS,
  ruleSetSchema,
  type DedupeRecord,
  type DedupeRecordInput,
  type FieldCondition,
  type FieldKind,
  type RuleSet,
  type RuleSetInput,
} from './model.js';
import {
  normalizeAddress,
  normalizeCompanyName,
  normalizeDomain,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
  phoneExtension,
} from './normalize.js';
import { jaroWinkler, levenshteinSimilarity, tokenSetSimilarity } from './similarity.js';
import { isMistypedCreditCode, isRoleEmail, normalizeDate, normalizeIdentifier } from './values.js';

/* ------------------------------------------------------------------ prepared records */

/** A normalized value, and for company names what else normalization found. */
export interface PreparedValue {
  readonly value: string;
  /**
   * What the kind keeps beside the value: for a company name, the name without a leading region
   * (for blocking and comparing); for a phone, its extension; for a person name in Han
   * characters, its romanized form when the host injected `romanizeName`.
   */
  readonly core: string | null;
  readonly region: string | null;
  readonly branch: boolean;
  /**
   * Shared by more records than the field's `commonAbove` (a switchboard, a family mailbox):
   * agreeing on it is weak evidence. Set by clustering and the service, which count; false
   * when nobody counted.
   */
  readonly common: boolean;
  /**
   * How many records share the value, when it was counted and found common (0 otherwise): the
   * term-frequency adjustment of a scored group's weight reads it.
   */
  readonly shared: number;
  /**
   * For a person name in Latin letters, when the host injected `phoneticKey`: the phonetic code
   * of each word, joined by spaces (null otherwise).
   */
  readonly sound: string | null;
}

/**
 * A record with every field its rule set reads normalized once (the batch paths reuse it):
 * `values[k]` is the normalized value of `fields[k]` (null when blank). `fields` is shared by
 * every record prepared under one rule set.
 */
export interface PreparedRecord {
  readonly record: DedupeRecord;
  readonly fields: readonly string[];
  readonly values: readonly (PreparedValue | null)[];
}

/**
 * The normalized value of one field of a prepared record (null: blank, or not read by its rule set).
 *
 * @example
 * preparedValue(prepareParsed(record, ruleSet), 'company')?.value // '腾讯科技'
 * @internal
 */
export function preparedValue(prepared: PreparedRecord, field: string): PreparedValue | null {
  const k = prepared.fields.indexOf(field);
  return k < 0 ? null : (prepared.values[k] ?? null);
}

/** The kinds of free text a host's `toSimplified` is applied to. */
const TEXT_KINDS: ReadonlySet<FieldKind> = new Set(['company', 'personName', 'address', 'text']);
const HAS_HAN = /\p{sc=Han}/u;

function normalizeField(kind: FieldKind, input: string | null | undefined, region: string, hooks: DedupeHooks | undefined): PreparedValue | null {
  if (input === null || input === undefined) return null;
  const raw = hooks?.toSimplified !== undefined && TEXT_KINDS.has(kind) && HAS_HAN.test(input) ? simplified(input, hooks.toSimplified) : input;
  switch (kind) {
    case 'company': {
      const c = normalizeCompanyName(raw);
      return c && c.full ? { value: c.full, core: c.blockingCore || c.full, region: c.region, branch: c.branch, common: false, shared: 0, sound: null } : null;
    }
    case 'phone': {
      const phone = normalizePhone(raw, region as never);
      if (phone === null || isPlaceholderPhone(phone)) return null;
      // A phone's `core` is its extension (two desks of one switchboard are not one person).
      return { value: phone, core: phoneExtension(raw), region: null, branch: false, common: false, shared: 0, sound: null };
    }
    case 'email': {
      const email = normalizeEmail(raw);
      return email !== null && isRoleEmail(email) ? null : wrap(email);
    }
    case 'domain':
      return wrap(normalizeDomain(raw));
    case 'personName': {
      // A person name's `core` is its romanized form when it is in Han characters and the host
      // injected `romanizeName`.
      const name = normalizePersonName(raw);
      if (name === null) return null;
      const latin = hooks?.romanizeName !== undefined && HAN_NAME.test(name) ? romanized(name, hooks.romanizeName) : null;
      const sound = hooks?.phoneticKey !== undefined && LATIN_NAME.test(name) ? phonetic(name, hooks.phoneticKey) : null;
      return { value: name, core: latin, region: null, branch: false, common: false, shared: 0, sound };
    }
    case 'address':
      return wrap(normalizeAddress(raw));
    case 'identifier': {
      const id = normalizeIdentifier(raw);
      return id !== null && isMistypedCreditCode(id) ? null : wrap(id);
    }
    case 'date':
      return wrap(normalizeDate(raw));
    case 'text': {
      const t = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
      return wrap(t);
    }
  }
}

/**
 * Numbers people type when they have none (13800138000, 13888888888): they join unrelated
 * records, so matching treats them as blank. 13800138000 and any number whose last eight digits
 * are one digit repeated count as one.
 *
 * @example
 * isPlaceholderPhone('+8613800138000') // true
 */
export function isPlaceholderPhone(e164: string): boolean {
  if (typeof e164 !== 'string') return false;
  if (e164 === '+8613800138000') return true;
  const last8 = e164.replace(/\D/g, '').slice(-8);
  if (last8.length < 8) return false;
  return /^(\d)\1{7}$/.test(last8);
}

function wrap(value: string | null | undefined): PreparedValue | null {
  return value ? { value, core: null, region: null, branch: false, common: false, shared: 0, sound: null } : null;
}

/** The same value marked common (agreeing on it is weak evidence), shared by `count` records. */
export function asCommon(v: PreparedValue, count: number): PreparedValue {
  return v.common && v.shared >= count ? v : { value: v.value, core: v.core, region: v.region, branch: v.branch, common: true, shared: count, sound: v.sound };
}

/**
 * What a host may inject into normalization, from libraries the default bundle does not carry.
 * `romanizeName` takes a name in Han characters and gives its syllables in Latin letters, one
 * per character (pinyin for Chinese: `(han) => pinyin(han, { toneType: 'none', type: 'array',
 * surname: 'head' })` with pinyin-pro); a name so written then meets the same name typed in
 * pinyin (胡敏桐 ~ Hu Mintong ~ Mintong Hu).
 *
 * `phoneticKey` takes one word of a name in Latin letters and gives its phonetic code (Double
 * Metaphone's primary code: `(w) => doubleMetaphone(w)[0]` with the double-metaphone package, or
 * talisman's metaphone): under the `personName` method two words with the same code are alike
 * (0.9: Catherine ~ Kathryn, Steven ~ Stephen), and a name's codes are blocking keys too.
 *
 * `toSimplified` takes free text (company names, person names, addresses, text) containing Han
 * characters and gives it in simplified characters (opencc-js: `OpenCC.Converter({ from: 'hk',
 * to: 'cn' })`), beyond the small table built in (集團, 廣東…).
 *
 * A hook that throws or answers anything unexpected is ignored for that value.
 */
export interface DedupeHooks {
  readonly romanizeName?: (han: string) => unknown;
  readonly phoneticKey?: (word: string) => unknown;
  readonly toSimplified?: (text: string) => unknown;
}

/** A person name in Latin letters (after normalization). */
const LATIN_NAME = /^[a-z][a-z' -]*$/;
const CODE = /^[A-Z0-9]{1,16}$/;

/** A Latin name's words in the host's `phoneticKey` codes, joined by spaces, or null. */
function phonetic(name: string, key: (word: string) => unknown): string | null {
  try {
    const codes: string[] = [];
    for (const word of name.split(' ')) {
      const code = key(word);
      if (typeof code !== 'string') return null;
      const upper = code.toUpperCase();
      if (!CODE.test(upper)) return null;
      codes.push(upper);
    }
    return codes.join(' ');
  } catch {
    return null;
  }
}

/**
 * Text in simplified characters by the host's `toSimplified`, or the text as it was (also when
 * the hook answers text no store can keep — a NUL, a lone surrogate — which would reach the keys).
 */
function simplified(text: string, convert: (text: string) => unknown): string {
  try {
    const out = convert(text);
    return typeof out === 'string' && out.length <= 10_000 && isSafeText(out) ? out : text;
  } catch {
    return text;
  }
}

/** Chinese two-character surnames: their syllables stay together as the family name. */
const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '独孤', '南宫', '西门', '澹台', '轩辕',
]);
const SYLLABLE = /^[a-z]+$/;

/** A Han name as "family given" in Latin letters by the host's `romanizeName`, or null. */
function romanized(han: string, romanize: ((han: string) => unknown) | undefined): string | null {
  if (romanize === undefined) return null;
  try {
    const r = romanize(han);
    const syllables: unknown[] | null = typeof r === 'string' ? r.trim().split(/\s+/) : Array.isArray(r) ? r : null;
    const chars = Array.from(han);
    if (syllables === null || syllables.length !== chars.length) return null;
    const latin: string[] = [];
    for (const x of syllables) {
      if (typeof x !== 'string') return null;
      const folded = x.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
      if (!SYLLABLE.test(folded)) return null;
      latin.push(folded);
    }
    const family = COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
    if (latin.length <= family) return latin.join('');
    return `${latin.slice(0, family).join('')} ${latin.slice(family).join('')}`;
  } catch {
    return null;
  }
}

/** The schema of an injected `romanizeName` (any function; what it answers is checked per name). */
export const romanizeNameSchema = z.custom<(han: string) => unknown>((f) => typeof f === 'function', { message: 'expected a function' }).optional();

const hookSchema = z.custom<(x: string) => unknown>((f) => typeof f === 'function', { message: 'expected a function' }).optional();

/** The hooks as options of every batch entry point (clustering, linking, estimating, merging). */
export const hookShape = { romanizeName: romanizeNameSchema, phoneticKey: hookSchema, toSimplified: hookSchema };

const hooksSchema = z.object(hookShape).strict();

/** Hooks as a host passes them, checked (a function where one is expected, nothing else). */
export function parseHooks(hooks: unknown, at: readonly (string | number)[]): Result<DedupeHooks, CrmError> {
  return parseInput(hooksSchema, hooks ?? {}, at);
}

/* ------------------------------------------------------------------ compiled rule sets */

/** One condition with its field resolved to a slot of the prepared values. */
export interface CompiledCondition {
  readonly slot: number;
  readonly field: string;
  readonly kind: FieldKind;
  readonly method: FieldCondition['method'];
  readonly threshold: number;
  readonly blankMatches: boolean;
  /** Phones of persons (leads, contacts): two extensions of one number are two desks. */
  readonly desks?: boolean;
}

/** A group of conditions: how many must pass and agree, and which conditions its keys combine. */
export interface CompiledGroup {
  readonly id: string;
  readonly conditions: readonly CompiledCondition[];
  /** How many conditions must pass (k of n; n by default). */
  readonly need: number;
  /** How many must agree on real, non-common values. */
  readonly minAgreeing: number;
  /** Every condition exact, failing on blanks, never common, all needed: sharing the key is the match. */
  readonly decidedByKey: boolean;
  /** The condition subsets whose combined keys the group's keys are (a pair the group holds for agrees on one). */
  readonly keySets: readonly (readonly CompiledCondition[])[];
  /** A scored group's threshold and weights in bits, by condition (null: a group of conditions that must pass). */
  readonly scored: { readonly threshold: number; readonly agree: readonly number[]; readonly disagree: readonly number[] } | null;
  /** Per condition, the `commonAbove` of its field (how many records share a typical value). */
  readonly typical: readonly (number | undefined)[];
}

/** A parsed rule set laid out for the hot loops: fields as slots, weights per slot. */
export interface CompiledRuleSet {
  readonly ruleSet: RuleSet;
  readonly fields: readonly string[];
  readonly kinds: readonly FieldKind[];
  readonly weights: readonly number[];
  /** Per slot: the smallest `commonAbove` of the conditions reading it (undefined: never common). */
  readonly commonAbove: readonly (number | undefined)[];
  readonly groups: readonly CompiledGroup[];
  /** The same-account groups (never duplicates). */
  readonly sameAccount: readonly CompiledGroup[];
  /** Per slot: the first condition reading it (how `pairScore` compares the field). */
  readonly probes: readonly CompiledCondition[];
  /**
   * Per identifier or date field, the condition two present values must not fail for two
   * records to share a cluster or a merge, whatever else matches (two tax ids, two dates of
   * birth): a duplicate group's condition on it that passes on a blank, else exact.
   */
  readonly hardGuards: readonly CompiledCondition[];
  /**
   * Per person-name or company field, the condition two present values must not fail unless the
   * records are duplicates anyway: a duplicate group's condition on it that passes on a blank
   * ("the names do not differ"), else the first condition reading it.
   */
  readonly softGuards: readonly CompiledCondition[];
}

const compiled = new WeakMap<RuleSet, CompiledRuleSet>();

/** The kinds whose two different present values mean two different people or companies outright. */
const HARD_KINDS: ReadonlySet<FieldKind> = new Set(['identifier', 'date']);
/**
 * The kinds whose two different present values mean two different people or companies unless
 * the records are duplicates anyway (a person has several phones and mailboxes, so those are
 * not among them).
 */
const SOFT_KINDS: ReadonlySet<FieldKind> = new Set(['personName', 'company']);

function subsets<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  const pick: T[] = [];
  const walk = (from: number): void => {
    if (pick.length === size) {
      out.push(pick.slice());
      return;
    }
    for (let i = from; i <= items.length - (size - pick.length); i++) {
      pick.push(items[i]!);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

/**
 * The compiled form of a parsed rule set (memoized per rule set object).
 *
 * @internal
 * @example
 * compileRuleSet(ruleSet).fields // ['phone', 'name', 'email', 'company', 'taxId']
 */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const known = compiled.get(ruleSet);
  if (known !== undefined) return known;
  const fields: string[] = [];
  const kinds: FieldKind[] = [];
  const commonAbove: (number | undefined)[] = [];
  // The kind each field is read as: the first condition naming it decides.
  for (const group of [...ruleSet.groups, ...ruleSet.sameAccount]) {
    for (const c of group.conditions) {
      let k = fields.indexOf(c.field);
      if (k < 0) {
        k = fields.push(c.field) - 1;
        kinds.push(c.kind);
        commonAbove.push(undefined);
      }
      if (c.commonAbove !== undefined) commonAbove[k] = Math.min(commonAbove[k] ?? c.commonAbove, c.commonAbove);
    }
  }
  const compileGroup = (group: RuleSet['groups'][number]): CompiledGroup => {
    const conditions = group.conditions.map(
      (c): CompiledCondition => ({
        slot: fields.indexOf(c.field),
        field: c.field,
        kind: kinds[fields.indexOf(c.field)]!,
        method: c.method,
        threshold: c.threshold,
        blankMatches: c.blank === 'match',
        desks: ruleSet.object !== 'customer',
      }),
    );
    if (group.score !== undefined) {
      const weights = group.conditions.map((x) => conditionWeights(x));
      const agree = weights.map((w) => w.agree);
      // The schema refused a group with too many sets; a rule set built around it still gets none.
      const sets = minimalWeightSets(agree, group.score.threshold, MAX_KEY_COMBINATIONS) ?? [];
      return {
        id: group.id,
        conditions,
        need: conditions.length,
        minAgreeing: 0,
        decidedByKey: false,
        keySets: sets.map((set) => set.map((i) => conditions[i]!)),
        scored: { threshold: group.score.threshold, agree, disagree: weights.map((w) => w.disagree) },
        typical: conditions.map((x) => commonAbove[x.slot]),
      };
    }
    const shape = groupShape(group.conditions, group.atLeast, group.minAgreeing);
    const pool = shape.keyFromFailing ? conditions.filter((c) => !c.blankMatches) : conditions;
    return {
      scored: null,
      typical: conditions.map((x) => commonAbove[x.slot]),
      id: group.id,
      conditions,
      need: shape.need,
      minAgreeing: shape.minAgreeing,
      decidedByKey:
        shape.need === conditions.length &&
        conditions.every((c) => c.method === 'exact' && !c.blankMatches && commonAbove[c.slot] === undefined),
      keySets: subsets(pool, shape.keySubsetSize),
    };
  };
  const groups = ruleSet.groups.map(compileGroup);
  const probes = fields.map((_, k) => [...groups, ...ruleSet.sameAccount.map(compileGroup)].flatMap((g) => g.conditions).find((x) => x.slot === k)!);
  // One guard per field of an identifying kind: the first duplicate-group condition on it that
  // passes on a blank ("must not differ"), else the first condition reading it.
  const hardGuards: CompiledCondition[] = [];
  const softGuards: CompiledCondition[] = [];
  fields.forEach((field, k) => {
    const kind = kinds[k]!;
    if (!HARD_KINDS.has(kind) && !SOFT_KINDS.has(kind)) return;
    const conditions = groups.flatMap((g) => g.conditions).filter((x) => x.slot === k);
    // The most lenient comparison any duplicate group makes of the field: values it would
    // call different are different.
    const own = conditions.find((x) => x.blankMatches) ?? (kind === 'identifier' ? undefined : conditions.filter((x) => x.method !== 'exact').sort((x, y) => x.threshold - y.threshold)[0]);
    const guard = own ?? (kind === 'identifier' ? { slot: k, field, kind, method: 'exact' as const, threshold: 1, blankMatches: true } : probes[k]!);
    (HARD_KINDS.has(kind) ? hardGuards : softGuards).push(guard);
  });
  const result: CompiledRuleSet = {
    ruleSet,
    fields,
    kinds,
    weights: fields.map((f) => (hasOwn.call(ruleSet.weights, f) ? ruleSet.weights[f]! : 1)),
    commonAbove,
    groups,
    sameAccount: ruleSet.sameAccount.map(compileGroup),
    probes,
    hardGuards,
    softGuards,
  };
  compiled.set(ruleSet, result);
  return result;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A record's own field (never one inherited from Object.prototype, such as `constructor`). */
const ownField = (fields: Readonly<Record<string, unknown>>, name: string): string | null | undefined => {
  if (!hasOwn.call(fields, name)) return undefined;
  const v = fields[name];
  return typeof v === 'string' ? v : null;
};

/** The region a record's phones are read with: its own country field when it names one, else the rule set's. */
function phoneRegion(fields: Readonly<Record<string, string | null | undefined>>, c: CompiledRuleSet): string {
  const field = c.ruleSet.countryField;
  if (field === undefined) return c.ruleSet.defaultRegion;
  const raw = ownField(fields, field);
  if (typeof raw !== 'string') return c.ruleSet.defaultRegion;
  const code = raw.normalize('NFKC').trim().toUpperCase();
  if (code === 'UK') return 'GB';
  return /^[A-Z]{2}$/.test(code) ? code : c.ruleSet.defaultRegion;
}

/** The normalized values of the fields a compiled rule set reads, by slot. */
export function prepareValues(fields: Readonly<Record<string, string | null | undefined>>, c: CompiledRuleSet, hooks?: DedupeHooks): (PreparedValue | null)[] {
  const out = new Array<PreparedValue | null>(c.fields.length);
  let region: string | null = null;
  for (let k = 0; k < c.fields.length; k++) {
    const kind = c.kinds[k]!;
    if (kind === 'phone' && region === null) region = phoneRegion(fields, c);
    out[k] = normalizeField(kind, ownField(fields, c.fields[k]!), region ?? c.ruleSet.defaultRegion, hooks);
  }
  return out;
}

/**
 * Normalizes what a parsed rule set reads of a parsed record.
 *
 * @example
 * prepareParsed(record, ruleSet).values // [{ value: '+8613812345678', ... }, null, ...]
 * @internal
 */
export function prepareParsed(record: DedupeRecord, ruleSet: RuleSet, hooks?: DedupeHooks): PreparedRecord {
  const c = compileRuleSet(ruleSet);
  return { record, fields: c.fields, values: prepareValues(record.fields, c, hooks) };
}

/**
 * The text a value is keyed and compared on exactly: a company name's core (without a leading
 * region; the region is compared apart), anything else its normalized value.
 */
export function exactText(kind: FieldKind, v: PreparedValue): string {
  return kind === 'company' ? (v.core ?? v.value) : v.value;
}

/* ------------------------------------------------------------------ comparing */

/** What a comparison found besides its outcome; explanations name these, never the values. */
export const MATCH_NOTES = ['branch', 'regionDiffers', 'regionMissing', 'common', 'swapped', 'yearOff', 'extension', 'romanized', 'phonetic'] as const;
/** A note of a field comparison. */
export type MatchNote = (typeof MATCH_NOTES)[number];

/** How one field of two records compares: the explanation never carries the values. */
export interface FieldComparison {
  readonly field: string;
  readonly outcome: 'same' | 'similar' | 'different' | 'blank';
  /** 0–1; 1 for the same value, 0 when blank. */
  readonly similarity: number;
  /**
   * What else is known without showing values: `branch`, `regionDiffers` (both name a region,
   * different ones), `regionMissing` (one names a region, the other none), `common` (the
   * agreeing value is shared by many records: weak evidence), `swapped` (given and family
   * names, or day and month, swapped), `yearOff` (dates a year apart), `extension` (one number,
   * and an extension on one side only — weak evidence — or two different extensions: two desks),
   * `romanized` (a Han name compared in its romanized form with a name in Latin letters),
   * `phonetic` (words alike by their phonetic codes, from the host's `phoneticKey`).
   */
  readonly notes: readonly MatchNote[];
}

/** How two records relate under a rule set. */
export type MatchRelation = 'duplicate' | 'sameAccount' | 'distinct';

/** Whether two records are duplicates under a rule set, and why, field by field. */
export interface MatchExplanation {
  readonly recordId: string;
  readonly candidateId: string;
  readonly duplicate: boolean;
  /**
   * `duplicate` (a group held), `sameAccount` (no group held, a same-account group did: the
   * same company with another person — tell the rep, never merge), or `distinct`.
   */
  readonly relation: MatchRelation;
  /** The first group whose conditions held, or null. */
  readonly groupId: string | null;
  /** The first same-account group that held when no duplicate group did, or null. */
  readonly accountGroupId: string | null;
  /** The weighted mean similarity over the fields the rule set reads (0–1). */
  readonly score: number;
  readonly fields: readonly FieldComparison[];
  /**
   * Each scored group's weight in bits against its threshold, with what each condition added
   * (negative: a disagreement; less than its full weight: a common value) — never a value.
   * Empty when the rule set has no scored group.
   */
  readonly scores: readonly GroupScore[];
}

/** How a scored group weighed two records (see `MatchExplanation.scores`). */
export interface GroupScore {
  readonly groupId: string;
  /** The sum of the contributions, in bits (rounded to 0.01). */
  readonly weight: number;
  readonly threshold: number;
  readonly holds: boolean;
  readonly fields: readonly { readonly field: string; readonly weight: number }[];
}

/**
 * Company names whose only difference is a leading region (北京字节跳动 vs 上海字节跳动) are often
 * different legal entities: they come out similar, never the same, and their similarity is
 * held below the default fuzzy threshold unless a rule asks for less. It applies only when
 * both names name a region and the regions differ.
 */
const REGION_ONLY_CAP = 0.75;

/** A condition's verdict on two values. */
const FAIL = 0;
const BLANK_PASS = 1;
const WEAK = 2;
const AGREE = 3;

const NOTE_BRANCH = 1;
const NOTE_REGION_DIFFERS = 2;
const NOTE_REGION_MISSING = 4;
const NOTE_COMMON = 8;
const NOTE_SWAPPED = 16;
const NOTE_YEAR_OFF = 32;
const NOTE_EXTENSION = 64;
const NOTE_ROMANIZED = 128;
const NOTE_PHONETIC = 256;

/** What the last `judge` call found besides its verdict (the hot loop allocates nothing). */
let judgedSimilarity = 0;
let judgedNotes = 0;
let judgedOutcome: FieldComparison['outcome'] = 'blank';

function sortedWords(s: string): string {
  if (!s.includes(' ')) return s;
  return s.split(' ').sort().join(' ');
}

/** A name of Han characters only (after normalization: no spaces, titles stripped). */
const HAN_NAME = /^\p{sc=Han}+$/u;

/**
 * A surname left alone by a title (张总 → 张, 陈女士 → 陈) against a full name with that surname
 * (张伟): 0.9, the same person as far as the names tell.
 */
function surnameOnly(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length <= 2 && long.length > short.length && long.startsWith(short) && HAN_NAME.test(long);
}

/** Two words' phonetic codes equal (the host's `phoneticKey`): the words are alike at 0.9. */
const soundAlike = (x: string | undefined, y: string | undefined): number => (x !== undefined && x === y ? 0.9 : 0);

/** Given names compared: an initial (j) agrees with a name it starts (john) at 0.9. */
function givenSimilarity(a: string, b: string, sa?: string, sb?: string): number {
  if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) return 0.9;
  return Math.max(jaroWinkler(a, b), soundAlike(sa, sb));
}

/**
 * Person names: a surname alone (张总) against a full name with it is 0.9; names of two or more
 * words compare their first and last words apart — the lower of the two similarities, in the
 * written or the swapped order, whichever is higher — so "Daniel Taylor" and "Daniel Patel",
 * which share a first name, are not alike; middle names are ignored. Other names: Jaro–Winkler.
 * With phonetic codes (`sa`, `sb`: one per word), words with the same code are alike at 0.9.
 */
function personNameSimilarity(a: string, b: string, sa: string | null = null, sb: string | null = null): number {
  if (a === b) return 1;
  if (surnameOnly(a, b)) return Math.max(0.9, jaroWinkler(a, b));
  const wa = a.split(' ');
  const wb = b.split(' ');
  const ca = sa === null ? [] : sa.split(' ');
  const cb = sb === null ? [] : sb.split(' ');
  if (wa.length < 2 || wb.length < 2) {
    const plain = jaroWinkler(a, b);
    const sound = wa.length === wb.length ? soundAlike(ca[0], cb[0]) : 0;
    if (sound > plain) judgedNotes |= NOTE_PHONETIC;
    return Math.max(plain, sound);
  }
  const fa = wa[0]!;
  const la = wa[wa.length - 1]!;
  const fb = wb[0]!;
  const lb = wb[wb.length - 1]!;
  const last = (x: string, y: string, cx: string | undefined, cy: string | undefined) => Math.max(jaroWinkler(x, y), soundAlike(cx, cy));
  const cfa = ca[0];
  const cla = ca[ca.length - 1];
  const cfb = cb[0];
  const clb = cb[cb.length - 1];
  const direct = Math.min(givenSimilarity(fa, fb, cfa, cfb), last(la, lb, cla, clb));
  const swapped = Math.min(givenSimilarity(fa, lb, cfa, clb), givenSimilarity(la, fb, cla, cfb));
  const best = Math.max(direct, swapped);
  if (sa !== null && sb !== null) {
    const notes = judgedNotes;
    const plain = personNameSimilarity(a, b);
    judgedNotes = notes | (best > plain ? NOTE_PHONETIC : 0);
  }
  if (swapped > direct) judgedNotes |= NOTE_SWAPPED;
  return best;
}

/** Dates: a day/month swap or a year off by one is 0.9; any other difference 0. */
function dateSimilarity(a: string, b: string): number {
  const ya = a.slice(0, 4);
  const yb = b.slice(0, 4);
  const ma = a.slice(5, 7);
  const mb = b.slice(5, 7);
  const da = a.slice(8, 10);
  const db = b.slice(8, 10);
  if (ya === yb && ma === db && da === mb) {
    judgedNotes |= NOTE_SWAPPED;
    return 0.9;
  }
  if (ma === mb && da === db && Math.abs(Number(ya) - Number(yb)) === 1) {
    judgedNotes |= NOTE_YEAR_OFF;
    return 0.9;
  }
  return 0;
}

function similarityOf(condition: CompiledCondition, a: string, b: string, sa: string | null = null, sb: string | null = null): number {
  if (condition.kind === 'date') return dateSimilarity(a, b);
  switch (condition.method) {
    case 'exact':
      return a === b ? 1 : 0;
    case 'levenshtein':
      return levenshteinSimilarity(a, b);
    case 'jaroWinkler':
      return jaroWinkler(a, b);
    case 'tokenSet':
      return tokenSetSimilarity(a, b);
    case 'personName':
      return personNameSimilarity(a, b, sa, sb);
  }
}

/**
 * One condition's verdict on two values — FAIL, BLANK_PASS, WEAK (agreeing on a common value)
 * or AGREE — with the similarity, outcome and notes left in `judged*` for explanations. Company
 * names compare on their cores: the same core is the same company unless both name a region
 * and the regions differ (then similar, capped); a region in brackets, in front or missing on
 * one side changes nothing.
 */
function judge(condition: CompiledCondition, a: PreparedValue | null, b: PreparedValue | null): number {
  judgedNotes = 0;
  if (a === null || b === null) {
    judgedSimilarity = 0;
    judgedOutcome = 'blank';
    return condition.blankMatches ? BLANK_PASS : FAIL;
  }
  let ta = a.value;
  let tb = b.value;
  let regionsDiffer = false;
  if (condition.kind === 'personName' && (a.core === null) !== (b.core === null)) {
    // One name in Han characters with its romanized form, the other (maybe) in Latin letters.
    judgedNotes |= NOTE_ROMANIZED;
    ta = a.core ?? a.value;
    tb = b.core ?? b.value;
  }
  if (condition.kind === 'company') {
    if (a.branch || b.branch) judgedNotes |= NOTE_BRANCH;
    ta = a.core ?? a.value;
    tb = b.core ?? b.value;
    if (a.region !== b.region) {
      if (a.region !== null && b.region !== null) {
        regionsDiffer = true;
        judgedNotes |= NOTE_REGION_DIFFERS;
      } else judgedNotes |= NOTE_REGION_MISSING;
    }
  }
  if (condition.kind === 'phone' && condition.desks === true && ta === tb && a.core !== b.core) {
    // One switchboard: two extensions are two desks; an extension on one side only is weak.
    judgedNotes |= NOTE_EXTENSION;
    if (a.core !== null && b.core !== null) {
      judgedSimilarity = 0.5;
      judgedOutcome = 'different';
      return FAIL;
    }
    judgedSimilarity = 1;
    judgedOutcome = 'same';
    return WEAK;
  }
  if (ta === tb && !regionsDiffer) {
    judgedSimilarity = 1;
    judgedOutcome = 'same';
    if (a.common || b.common) {
      judgedNotes |= NOTE_COMMON;
      return WEAK;
    }
    return AGREE;
  }
  let similarity: number;
  if (regionsDiffer) {
    // Another region is another legal entity, however close the names.
    similarity = Math.min(ta === tb ? levenshteinSimilarity(a.value, b.value) : condition.method === 'exact' ? 0 : similarityOf(condition, ta, tb), REGION_ONLY_CAP);
  } else if (condition.method === 'exact') similarity = 0;
  else if (condition.kind === 'company' && a.region !== null && a.region === b.region) {
    // The same region on both sides is agreement too: compare the names with it.
    similarity = Math.max(similarityOf(condition, a.value, b.value), similarityOf(condition, ta, tb));
  } else if (a.sound !== null && b.sound !== null && ta === a.value && tb === b.value) similarity = similarityOf(condition, ta, tb, a.sound, b.sound);
  else similarity = similarityOf(condition, ta, tb);
  judgedSimilarity = similarity;
  const holds = condition.method !== 'exact' && similarity >= condition.threshold;
  judgedOutcome = holds || (regionsDiffer && ta === tb) ? 'similar' : 'different';
  return holds ? AGREE : FAIL;
}

/**
 * A condition's contribution to a scored group, from the last `judge` call's verdict: its
 * agreement weight; on a common value one bit less per doubling of the records sharing it past
 * the field's `commonAbove` (never below 0); on one number with an extension on one side only,
 * half; its disagreement weight when it fails on two present values; 0 on a blank.
 */
function contribution(verdict: number, agree: number, disagree: number, typical: number | undefined, x: PreparedValue | null, y: PreparedValue | null): number {
  if (verdict === AGREE) return agree;
  if (verdict === WEAK) {
    if ((judgedNotes & NOTE_COMMON) === 0) return agree / 2;
    const shared = Math.max(x?.shared ?? 0, y?.shared ?? 0);
    return Math.max(0, agree - Math.max(0, Math.log2(shared / (typical ?? 1))));
  }
  return judgedOutcome === 'blank' ? 0 : disagree;
}

/**
 * One condition on two values as a Fellegi–Sunter comparison: 1 agrees (a common value or one
 * side's extension included), 0 fails on two present values, -1 a blank.
 *
 * @internal
 */
export function agreement(condition: CompiledCondition, x: PreparedValue | null, y: PreparedValue | null): 1 | 0 | -1 {
  const v = judge(condition, x, y);
  if (v === AGREE || v === WEAK) return 1;
  return judgedOutcome === 'blank' ? -1 : 0;
}

/**
 * Whether a scored group's weight for two records' values reaches its threshold, stopping as
 * soon as it no longer can (what is left to add is at most the remaining agreement weights).
 */
function scoreHolds(group: CompiledGroup, a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[]): boolean {
  const w = group.scored!;
  let sum = 0;
  let left = 0;
  for (const x of w.agree) left += x;
  for (let i = 0; i < group.conditions.length; i++) {
    const condition = group.conditions[i]!;
    const x = a[condition.slot] ?? null;
    const y = b[condition.slot] ?? null;
    const v = judge(condition, x, y);
    sum += contribution(v, w.agree[i]!, w.disagree[i]!, group.typical[i], x, y);
    left -= w.agree[i]!;
    if (sum + left < w.threshold) return false;
  }
  return sum >= w.threshold;
}

function notesOf(bits: number): MatchNote[] {
  const notes: MatchNote[] = [];
  for (let i = 0; i < MATCH_NOTES.length; i++) if (bits & (1 << i)) notes.push(MATCH_NOTES[i]!);
  return notes;
}

/**
 * Whether a group holds for two records' prepared values: at least `need` conditions pass, and
 * at least `minAgreeing` agree on real, non-common values.
 *
 * @internal
 * @example
 * groupHolds(compileRuleSet(ruleSet).groups[0]!, a.values, b.values) // true
 */
export function groupHolds(group: CompiledGroup, a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[]): boolean {
  if (group.scored !== null) return scoreHolds(group, a, b);
  const conditions = group.conditions;
  let pass = 0;
  let agree = 0;
  let left = conditions.length;
  for (const condition of conditions) {
    const v = judge(condition, a[condition.slot] ?? null, b[condition.slot] ?? null);
    left--;
    if (v !== FAIL) pass++;
    if (v === AGREE) agree++;
    if (pass + left < group.need) return false;
  }
  return pass >= group.need && agree >= group.minAgreeing;
}

/**
 * Whether two records' values conflict: a hard guard fails on two present values (two tax ids,
 * two dates of birth), or they are not duplicates and either a soft guard fails on two present
 * values (two people's names, two companies' names) or a group is vetoed — all it requires
 * agrees, and one of its "must not differ" conditions fails on two present values (a similar
 * company and the same name, but two different phones). Two conflicting records are never put
 * in one cluster, nor merged.
 *
 * @internal
 */
export function valuesConflict(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet): boolean {
  return conflicts(a, b, c, null);
}

/**
 * The fields on which two records' values conflict (see `valuesConflict`), once each.
 *
 * @internal
 */
export function conflictingFields(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet, hardOnly = false): string[] {
  const out: string[] = [];
  conflicts(a, b, c, out, hardOnly);
  return out;
}

function failsOnPresent(guard: CompiledCondition, a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[]): boolean {
  const x = a[guard.slot] ?? null;
  const y = b[guard.slot] ?? null;
  return x !== null && y !== null && judge(guard, x, y) === FAIL;
}

/** Whether two records conflict; with `out`, every conflicting field is listed instead of stopping at the first. */
function conflicts(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet, out: string[] | null, hardOnly = false): boolean {
  let found = false;
  for (const guard of c.hardGuards) {
    if (!failsOnPresent(guard, a, b)) continue;
    if (out === null) return true;
    found = true;
    if (!out.includes(guard.field)) out.push(guard.field);
  }
  if (hardOnly) return found;
  let soft: string[] | null = null;
  for (const guard of c.softGuards) {
    if (!failsOnPresent(guard, a, b)) continue;
    (soft ??= []).push(guard.field);
    if (out === null) break;
  }
  const vetoed = soft === null || out !== null ? vetoedBy(a, b, c) : null;
  if (vetoed !== null) (soft ??= []).push(vetoed);
  if (soft === null || isDuplicateValues(a, b, c)) return found;
  if (out !== null) for (const f of soft) if (!out.includes(f)) out.push(f);
  return true;
}

/** What a pair says about two records belonging to one cluster (see `pairEvidence`). */
export const PAIR_DUPLICATE = 0;
export const PAIR_NEUTRAL = 1;
export const PAIR_AGAINST = 2;
/** A group vetoed: evidence against that counts twice. */
export const PAIR_VETOED = 3;
export const PAIR_CONFLICT = 4;

/**
 * What two records' values say about putting them in one cluster: `PAIR_CONFLICT` (never: a
 * hard guard fails — two tax ids, two dates of birth — or, for non-duplicates, two people's
 * names differ), `PAIR_DUPLICATE`, `PAIR_VETOED` (a group vetoed — all it requires agrees, one of
 * its "must not differ" conditions fails on present values: evidence against that counts
 * twice), `PAIR_AGAINST` (non-duplicates whose company names differ beyond the loosest fuzzy
 * threshold: evidence against, counted once), or `PAIR_NEUTRAL`.
 *
 * @internal
 */
export function pairEvidence(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet): number {
  for (const guard of c.hardGuards) if (failsOnPresent(guard, a, b)) return PAIR_CONFLICT;
  if (isDuplicateValues(a, b, c)) return PAIR_DUPLICATE;
  let against = false;
  for (const guard of c.softGuards) {
    if (!failsOnPresent(guard, a, b)) continue;
    if (guard.kind === 'personName') return PAIR_CONFLICT;
    against = true;
  }
  if (vetoedBy(a, b, c) !== null) return PAIR_VETOED;
  return against ? PAIR_AGAINST : PAIR_NEUTRAL;
}

/** The field of the first group vetoed for two records (all it requires agrees, a guard fails on present values), or null. */
function vetoedBy(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet): string | null {
  for (const group of c.groups) {
    let vetoed: string | null = null;
    let required = true;
    for (const condition of group.conditions) {
      const x = a[condition.slot] ?? null;
      const y = b[condition.slot] ?? null;
      if (!condition.blankMatches) required &&= judge(condition, x, y) !== FAIL;
      else if (vetoed === null && x !== null && y !== null && judge(condition, x, y) === FAIL) vetoed = condition.field;
      if (!required) break;
    }
    if (required && vetoed !== null) return vetoed;
  }
  return null;
}

/**
 * The weighted mean similarity of two records' values, each field compared by the first
 * condition reading it (blank: 0) — the order in which clustering joins pairs.
 *
 * @internal
 */
export function pairScore(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet): number {
  let weighted = 0;
  let total = 0;
  for (let k = 0; k < c.probes.length; k++) {
    judge(c.probes[k]!, a[k] ?? null, b[k] ?? null);
    weighted += c.weights[k]! * judgedSimilarity;
    total += c.weights[k]!;
  }
  return total === 0 ? 0 : weighted / total;
}

/**
 * Compares two prepared records under a parsed rule set.
 *
 * @internal
 */
export function compareParsed(a: PreparedRecord, b: PreparedRecord, ruleSet: RuleSet): MatchExplanation {
  return explainValues(a.record.id, a.values, b.record.id, b.values, compileRuleSet(ruleSet));
}

/** The explanation of two records' prepared values under a compiled rule set. */
export function explainValues(
  recordId: string,
  a: readonly (PreparedValue | null)[],
  candidateId: string,
  b: readonly (PreparedValue | null)[],
  c: CompiledRuleSet,
): MatchExplanation {
  const best: (FieldComparison | undefined)[] = new Array(c.fields.length);
  const visit = (groups: readonly CompiledGroup[]): string | null => {
    let held: string | null = null;
    for (const group of groups) {
      let pass = 0;
      let agree = 0;
      let weight = 0;
      const parts: { field: string; weight: number }[] = [];
      group.conditions.forEach((condition, i) => {
        const k = condition.slot;
        const x = a[k] ?? null;
        const y = b[k] ?? null;
        const v = judge(condition, x, y);
        if (v !== FAIL) pass++;
        if (v === AGREE) agree++;
        if (group.scored !== null) {
          const add = contribution(v, group.scored.agree[i]!, group.scored.disagree[i]!, group.typical[i], x, y);
          weight += add;
          parts.push({ field: condition.field, weight: round2(add) });
        }
        const cmp: FieldComparison = { field: condition.field, outcome: judgedOutcome, similarity: judgedSimilarity, notes: notesOf(judgedNotes) };
        const seen = best[k];
        if (!seen || cmp.similarity > seen.similarity || (seen.outcome === 'different' && cmp.outcome === 'similar')) best[k] = cmp;
      });
      const holds = group.scored !== null ? weight >= group.scored.threshold : pass >= group.need && agree >= group.minAgreeing;
      if (group.scored !== null) scores.push({ groupId: group.id, weight: round2(weight), threshold: group.scored.threshold, holds, fields: parts });
      if (held === null && holds) held = group.id;
    }
    return held;
  };
  const scores: GroupScore[] = [];
  // Two different tax ids or dates of birth: no duplicate group holds, whatever else agrees.
  const vetoedByIdentity = hardConflict(a, b, c);
  const held = visit(c.groups);
  const groupId = vetoedByIdentity ? null : held;
  const accountGroupId = visit(c.sameAccount);
  let weighted = 0;
  let total = 0;
  const fields: FieldComparison[] = [];
  // Fields in the order the rule set first names them.
  for (let k = 0; k < best.length; k++) {
    const cmp = best[k];
    if (cmp === undefined) continue;
    fields.push(cmp);
    const w = c.weights[k]!;
    weighted += w * cmp.similarity;
    total += w;
  }
  return {
    recordId,
    candidateId,
    duplicate: groupId !== null,
    relation: groupId !== null ? 'duplicate' : accountGroupId !== null ? 'sameAccount' : 'distinct',
    groupId,
    accountGroupId: groupId === null ? accountGroupId : null,
    score: total === 0 ? 0 : Math.round((weighted / total) * 1000) / 1000,
    fields,
    scores,
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Whether two records' prepared values are duplicates under a compiled rule set: the verdict of
 * `explainValues` (a test holds them equal), without building the explanation — the clustering
 * hot loop. Groups are tried in order until one holds; two different tax ids or dates of
 * birth make any of them void.
 *
 * @internal
 * @example
 * isDuplicateValues(a.values, b.values, compileRuleSet(ruleSet)) // true
 */
export function isDuplicateValues(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet): boolean {
  for (const group of c.groups) if (groupHolds(group, a, b)) return !hardConflict(a, b, c);
  return false;
}

/** Two different tax ids or dates of birth: never duplicates, whatever else agrees. */
function hardConflict(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet): boolean {
  for (const guard of c.hardGuards) if (failsOnPresent(guard, a, b)) return true;
  return false;
}

/**
 * Compares a record with a candidate under a rule set (default: the record's object's).
 * The explanation names each field's outcome — same, similar, different, blank — with notes
 * such as `regionDiffers`, and never any value of either record, so nobody mines the database
 * through the duplicate prompt. `relation` tells a duplicate from the same account with
 * another person. Values are not counted here (nothing is `common`): the service and
 * clustering count them.
 *
 * @example
 * explainMatch(newLead, existingLead, DEFAULT_RULE_SETS.lead)
 * // ok: { duplicate: true, relation: 'duplicate', groupId: 'phone', fields: [{ field: 'phone', outcome: 'same', ... }, ...] }
 */
export function explainMatch(record: DedupeRecordInput, candidate: DedupeRecordInput, ruleSet: RuleSetInput, hooks: DedupeHooks = {}): Result<MatchExplanation, CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const a = parseInput(dedupeRecordSchema, record, ['record']);
  if (!a.ok) return a;
  const b = parseInput(dedupeRecordSchema, candidate, ['candidate']);
  if (!b.ok) return b;
  const h = parseHooks(hooks, ['hooks']);
  if (!h.ok) return h;
  return ok(freezeBuilt(compareParsed(prepareParsed(a.value, rs.value, h.value), prepareParsed(b.value, rs.value, h.value), rs.value)));
}

/* ------------------------------------------------------------------ blocking keys */

const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/** How many leading (and trailing) code points of a fuzzy value its keys are made from. */
const FUZZY_HEAD = 5;

/** The code points of `s` (UTF-16 units when it has no surrogates). */
const units = (s: string): readonly string[] => (HAS_SURROGATE.test(s) ? Array.from(s) : (s as unknown as readonly string[]));

/** Appends `part` to `out` unless it is there already (from index `first` on). */
function pushOnce(out: string[], first: number, part: string): void {
  for (let m = first; m < out.length; m++) if (out[m] === part) return;
  out.push(part);
}

/**
 * Where key parts go: a part is `marker` followed by `text`'s code points `from`…`to`, less the
 * one at `skip` (-1: none). The string sink builds the parts (the keys a host stores), the hash
 * sink hashes them without building a string (the batch's keys): one logic, two outputs.
 */
interface PartSink {
  part(marker: number, text: string | readonly string[], from: number, to: number, skip: number): void;
}

const NO_MARKER = -1;
const TILDE = 0x7e; // '~'
const GT = 0x3e; // '>'
const CARET = 0x5e; // '^'
const EQUALS = 0x3d; // '='

/** Builds each part as a string, once each (from index `first` on). */
class StringSink implements PartSink {
  first = 0;
  constructor(readonly out: string[]) {}
  part(marker: number, text: string | readonly string[], from: number, to: number, skip: number): void {
    let s = marker === NO_MARKER ? '' : String.fromCharCode(marker);
    if (typeof text === 'string' && skip < 0 && from === 0 && to === text.length) s += text;
    else for (let i = from; i < to; i++) if (i !== skip) s += text[i]!;
    pushOnce(this.out, this.first, s);
  }
}

/** Hashes each part onto `base` (FNV-1a over UTF-16 units, as `hashUnits` of the part's string). */
class HashSink implements PartSink {
  base = FNV_OFFSET;
  constructor(readonly out: number[]) {}
  part(marker: number, text: string | readonly string[], from: number, to: number, skip: number): void {
    let h = marker === NO_MARKER ? this.base : Math.imul(this.base ^ marker, FNV_PRIME);
    if (typeof text === 'string') {
      for (let i = from; i < to; i++) if (i !== skip) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
    } else {
      for (let i = from; i < to; i++) if (i !== skip) h = hashUnits(h, text[i]!);
    }
    this.out.push(h);
  }
}

/**
 * The one-deletion neighbourhood of `text`'s first five code points, marked `~` — and of its
 * last five, marked `>` (not for company names: their ends are industry words, 网络科技, that
 * would join unrelated companies). A value of four code points or fewer gives itself and each
 * of its one-deletions. Two values one edit apart (a replaced, inserted, deleted or swapped
 * character anywhere) always share a part; two edits share one unless they hit both the first
 * and the last five.
 */
function neighbourhoodParts(text: string, tails: boolean, sink: PartSink): void {
  const cps = HAS_SURROGATE.test(text) ? Array.from(text) : text;
  const n = cps.length;
  if (n <= FUZZY_HEAD - 1) {
    sink.part(TILDE, cps, 0, n, -1);
    if (n > 1) for (let k = 0; k < n; k++) sink.part(TILDE, cps, 0, n, k);
    return;
  }
  for (let k = 0; k < FUZZY_HEAD; k++) sink.part(TILDE, cps, 0, FUZZY_HEAD, k);
  if (tails) for (let k = n - FUZZY_HEAD; k < n; k++) sink.part(GT, cps, n - FUZZY_HEAD, n, k);
}

/**
 * What one condition contributes to a group's keys for a value (unnamed: the clustering's own
 * form): for an exact condition its exact text (a company name's core: 深圳X and X（深圳） and X
 * meet); for a fuzzy date the month and day in either order (a swap or a year off keeps it); for
 * another fuzzy condition the neighbourhood parts of its text — for `tokenSet` and
 * `personName` also of its words in sorted order (a given/family swap), for `tokenSet` each word,
 * for `personName` the parts of its phonetic codes when the host gave `phoneticKey`, a Han
 * name's first one and two characters (a surname alone) and, when
 * romanized, the parts of its romanized form.
 */
function conditionParts(condition: CompiledCondition, v: PreparedValue, sink: PartSink): void {
  if (condition.method === 'exact') {
    const text = exactText(condition.kind, v);
    sink.part(NO_MARKER, text, 0, text.length, -1);
    return;
  }
  if (condition.kind === 'date') {
    const m = v.value.slice(5, 7);
    const d = v.value.slice(8, 10);
    const md = m < d ? m + d : d + m;
    sink.part(TILDE, md, 0, 4, -1);
    return;
  }
  if (condition.kind === 'company') {
    neighbourhoodParts(exactText('company', v), false, sink);
    return;
  }
  neighbourhoodParts(v.value, true, sink);
  if (condition.method === 'personName' && v.core !== null) {
    // A Han name meets the same name in pinyin through its romanized form's parts.
    neighbourhoodParts(v.core, true, sink);
    const sortedCore = sortedWords(v.core);
    if (sortedCore !== v.core) neighbourhoodParts(sortedCore, true, sink);
  }
  if (condition.method === 'personName' && v.sound !== null) {
    // Names alike by their phonetic codes meet through the codes' parts (upper case: never a
    // name's own part).
    neighbourhoodParts(v.sound, true, sink);
    const sortedSound = sortedWords(v.sound);
    if (sortedSound !== v.sound) neighbourhoodParts(sortedSound, true, sink);
  }
  if (condition.method === 'personName' && HAN_NAME.test(v.value)) {
    // A surname alone meets the full names it starts (see `surnameOnly`): the first one and
    // two characters are parts too.
    const cps = HAS_SURROGATE.test(v.value) ? Array.from(v.value) : v.value;
    sink.part(CARET, cps, 0, 1, -1);
    if (cps.length > 2) sink.part(CARET, cps, 0, 2, -1);
  }
  if (condition.method === 'tokenSet') {
    // One word set inside the other scores 1 (Lee / Ann Lee): every word is a part.
    for (const word of v.value.split(' ')) if (word) sink.part(EQUALS, word, 0, word.length, -1);
  }
  if (condition.method === 'tokenSet' || condition.method === 'personName') {
    const sorted = sortedWords(v.value);
    if (sorted !== v.value) neighbourhoodParts(sorted, true, sink);
  }
}

/** A condition's part as a named key part: `field=text` for exact, `field~…` / `field>…` for fuzzy. */
const namedPart = (condition: CompiledCondition, part: string): string => (condition.method === 'exact' ? `${condition.field}=${part}` : `${condition.field}${part}`);

const NO_KEYS: readonly string[] = Object.freeze([]);

/**
 * The keys of one group for prepared values: for each of its key sets (the conditions that
 * agree in every pair the group holds for; for a k-of-n group, every such subset), every
 * combination of their parts, joined with `|`; none from a set with a blank value. Two records
 * the group matches share at least one key; for a group decided by its key that is all it
 * takes. Unnamed keys (the default) are local to the group — the clustering's own; named ones
 * start with the field (`phone=…`, `company~…`), the form a host stores.
 *
 * @internal
 * @example
 * groupKeys(compileRuleSet(ruleSet).groups[0]!, prepared.values) // ['+8613812345678']
 */
export function groupKeys(group: CompiledGroup, values: readonly (PreparedValue | null)[], named = false): readonly string[] {
  const out: string[] = [];
  const parts: string[] = [];
  const partSink = new StringSink(parts);
  for (const set of group.keySets) {
    let keys: string[] | null = null;
    for (const condition of set) {
      const v = values[condition.slot] ?? null;
      if (v === null) {
        keys = null;
        break;
      }
      parts.length = 0;
      conditionParts(condition, v, partSink);
      const named_ = named ? parts.map((p) => namedPart(condition, p)) : parts;
      if (keys === null) {
        keys = named_.slice();
        continue;
      }
      const next: string[] = [];
      for (const head of keys) for (const part of named_) next.push(`${head}|${part}`);
      keys = next;
    }
    if (keys !== null) for (const k of keys) pushOnce(out, 0, k);
  }
  return out.length === 0 ? NO_KEYS : out;
}

/* The batch's keys: the same keys as `groupKeys`, hashed to 32 bits. */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** The separator hashed between the parts of a combined key. */
const PART_SEPARATOR = 0x7c; // '|'

function hashUnits(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Murmur3's finalizer: spreads FNV's state over all 32 bits. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The 32-bit hash of a text, as the batch hashes a single exact key.
 *
 * @internal
 */
export function textHash(s: string): number {
  return finish(hashUnits(FNV_OFFSET, s));
}

function dedupeFrom(out: number[], first: number): void {
  let w = first;
  for (let r = first; r < out.length; r++) {
    let seen = false;
    for (let m = first; m < w; m++) if (out[m] === out[r]) seen = true;
    if (!seen) out[w++] = out[r]!;
  }
  out.length = w;
}

/**
 * The keys of `groupKeys(group, values)` as 32-bit hashes, appended to `out` (once each): two
 * records with a key in common have a hash in common. Hashes of different keys may collide
 * (rarely: the batch then compares a pair for nothing, and never joins one without checking).
 * A single exact condition hashes its text without building a string.
 *
 * @internal
 */
export function groupKeyHashes(group: CompiledGroup, values: readonly (PreparedValue | null)[], out: number[]): void {
  const first = out.length;
  for (const set of group.keySets) {
    let states: number[] | null = null;
    for (let c = 0; c < set.length; c++) {
      const condition = set[c]!;
      const v = values[condition.slot] ?? null;
      if (v === null) {
        states = null;
        break;
      }
      const next: number[] = [];
      const sink = new HashSink(next);
      for (const h of states ?? [FNV_OFFSET]) {
        sink.base = c === 0 ? h : Math.imul(h ^ PART_SEPARATOR, FNV_PRIME);
        conditionParts(condition, v, sink);
      }
      states = next;
    }
    if (states !== null) for (const h of states) out.push(finish(h));
  }
  dedupeFrom(out, first);
}

/**
 * Blocking keys of a prepared record: the strings a host stores in an indexed column so its
 * database returns a handful of candidates for a new record at any size. Each group (and each
 * same-account group) gives the combination of its conditions' keys — `phone=+8613812345678`,
 * `email=ab@gmail.com`, `taxId=91440300708461136T`, `company=腾讯科技` (the name without a leading
 * region), and for a fuzzy company name with an exact person name `company~字节跳动|name=张伟`,
 * one per one-deletion of the name's first five characters. Fuzzy conditions of other kinds key
 * on the first and last five characters' neighbourhoods (`name~…`, `name>…`), fuzzy dates on
 * month and day in either order. Keys combine a group's conditions, so a common person name or
 * an industry word alone never makes a block.
 *
 * @internal
 */
export function blockingKeysOfPrepared(prepared: PreparedRecord, ruleSet: RuleSet): string[] {
  const c = compileRuleSet(ruleSet);
  const keys = new Set<string>();
  for (const group of c.groups) for (const key of groupKeys(group, prepared.values, true)) keys.add(key);
  for (const group of c.sameAccount) for (const key of groupKeys(group, prepared.values, true)) keys.add(key);
  return [...keys].sort();
}

/**
 * The blocking keys of a record under a rule set.
 *
 * @example
 * blockingKeys({ id: 'L1', object: 'lead', fields: { phone: '+86 138-1234-5678' } }, DEFAULT_RULE_SETS.lead)
 * // ok: ['phone=+8613812345678']
 */
export function blockingKeys(record: DedupeRecordInput, ruleSet: RuleSetInput, hooks: DedupeHooks = {}): Result<readonly string[], CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const r = parseInput(dedupeRecordSchema, record, ['record']);
  if (!r.ok) return r;
  const h = parseHooks(hooks, ['hooks']);
  if (!h.ok) return h;
  return ok(Object.freeze(blockingKeysOfPrepared(prepareParsed(r.value, rs.value, h.value), rs.value)));
}
