import { z } from 'zod';
import { ConditionRefusal, conditionSchemaOn, meets, ownField, readFields, showConditions, visibleFieldsSchema, type Comparison, type ConditionValue, type ShownCondition } from '../core/conditions.js';
import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { attributeFieldSchema, deepFreeze, idSchema, instantSchema, isIdText, parseInput, textSchema } from '../core/validation.js';
import type { LeadRoute, LeadRouter } from '../leads/index.js';
import { parseScoringModel, scoreLead, type ScoringModel, type ScoringModelInput } from '../scoring/index.js';

/**
 * The lead fields a routing rule may read (besides `attribute:<name>`): the lead's own, and
 * `score` and `grade` — the lead's score and grade as the host passes them in (from
 * `crm-rules/scoring`, or its own).
 */
export const ROUTING_FIELDS = Object.freeze(['source', 'channel', 'quality', 'stage', 'status', 'ownerId', 'company', 'email', 'phone', 'score', 'grade'] as const);
/** A field a routing rule reads: one of `ROUTING_FIELDS`, or `attribute:<name>`. */
export type RoutingField = (typeof ROUTING_FIELDS)[number] | `attribute:${string}`;

/** A routing condition: the field read, and its comparison (as a scoring rule's). */
export type RoutingCondition = { readonly field: RoutingField } & Comparison;

/** How the rules choose: `firstMatch`, the first rule in order whose conditions all hold; `bestMatch`, of the rules that hold, the one of highest `priority`, then the one with more conditions (the more specific), then the earlier. */
export const ROUTING_MODES = Object.freeze(['firstMatch', 'bestMatch'] as const);

/**
 * A routing rule: when every condition holds (no condition: always), the lead goes to `poolId`,
 * and, when the rule names an `ownerId` (default assignment, 默认分配), to that owner too.
 */
export interface RoutingRule {
  readonly id: string;
  readonly label: string | null;
  readonly when: readonly RoutingCondition[];
  readonly poolId: string;
  /** The owner a lead this rule takes is given to at once (an import lands with them, `pending`); null: it waits in the pool. */
  readonly ownerId: string | null;
  readonly priority: number;
}

/**
 * Where new leads go (按行业或地区分配至线索池): rules as data, read in order, and the pool of a
 * lead no rule takes (`defaultPoolId`; null: such a lead is not routed).
 */
export interface RoutingPolicy {
  readonly id: string;
  readonly version: number;
  readonly mode: (typeof ROUTING_MODES)[number];
  readonly rules: readonly RoutingRule[];
  readonly defaultPoolId: string | null;
}

const fieldSchema = z.union([z.enum(ROUTING_FIELDS), attributeFieldSchema]);

/**
 * The routing policy's schema (its input side: `mode` defaults to `firstMatch`, a rule's
 * `label` to null, `when` to none, `priority` to 0, `defaultPoolId` to null).
 *
 * @example
 * routingPolicySchema.safeParse({ id: 'r', version: 1, rules: [], defaultPoolId: 'pool-general' }).success // true
 */
export const routingPolicySchema = z
  .object({
    id: idSchema,
    version: z.number().int().min(1).max(1_000_000_000),
    mode: z.enum(ROUTING_MODES).default('firstMatch'),
    rules: z
      .array(
        z
          .object({
            id: idSchema,
            label: textSchema.min(1).max(200).nullable().default(null),
            when: z.array(conditionSchemaOn<'field', typeof fieldSchema, RoutingCondition>('field', fieldSchema)).max(20).default([]),
            poolId: idSchema,
            ownerId: idSchema.nullable().default(null),
            priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
          })
          .strict(),
      )
      .max(1_000)
      .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, { message: 'a rule id is listed twice' }),
    defaultPoolId: idSchema.nullable().default(null),
  })
  .strict();

/** A routing policy as written (the optional parts may be left out). */
export type RoutingPolicyInput = z.input<typeof routingPolicySchema>;

/** Where a lead goes, and why. */
export interface RouteDecision {
  readonly leadId: string;
  /** The pool the lead goes to; null when no rule takes it and the policy has no default pool. */
  readonly poolId: string | null;
  /** The owner the chosen rule gives the lead to (default assignment); null when it names none, or no rule took the lead. */
  readonly ownerId: string | null;
  /** `rule`: a rule took it (`ruleId`); `default`: none did, the default pool; `none`: none did and there is no default. */
  readonly by: 'rule' | 'default' | 'none';
  readonly ruleId: string | null;
  readonly label: string | null;
  /** The chosen rule's conditions (all held), their values only for the fields the viewer may see. */
  readonly conditions: readonly ShownCondition[];
  /** The ids of the rules whose conditions held, in the policy's order (`firstMatch` stops at the first). */
  readonly matched: readonly string[];
}

/** What `routeLead` knows besides the lead: its score and grade (from a scoring model, or the host's own), and who reads the explanation. */
export interface RouteOptions {
  readonly score?: number | null;
  readonly grade?: string | null;
  /** The fields whose compared values the viewer may see (as in a score's reasons); none by default. */
  readonly visibleFields?: readonly string[];
}

/** A policy compiled once: each rule's conditions as slots into the fields read once per lead. */
interface CompiledRouting {
  readonly policy: RoutingPolicy;
  /** The lead fields the rules read (not score or grade), each once. */
  readonly fields: readonly string[];
  /** Per rule, per condition: where its value is (≥ 0: in the fields read; −1: score; −2: grade). */
  readonly slots: readonly (readonly number[])[];
}

const compiledPolicies = new WeakMap<object, CompiledRouting>();

function compileRouting(policy: RoutingPolicy): CompiledRouting {
  const fields: string[] = [];
  const slots = policy.rules.map((rule) =>
    rule.when.map((c) => {
      if (c.field === 'score') return -1;
      if (c.field === 'grade') return -2;
      const at = fields.indexOf(c.field);
      return at >= 0 ? at : fields.push(c.field) - 1;
    }),
  );
  const compiled = { policy, fields, slots };
  compiledPolicies.set(policy, compiled);
  return compiled;
}

function routingOf(input: unknown): Result<CompiledRouting, CrmError> {
  if (typeof input === 'object' && input !== null) {
    const known = compiledPolicies.get(input);
    if (known !== undefined) return ok(known);
  }
  const parsed = parseInput(routingPolicySchema, input, ['policy']);
  if (!parsed.ok) return parsed;
  return ok(compileRouting(deepFreeze(parsed.value) as RoutingPolicy));
}

/**
 * A routing policy read at the door: `INVALID_INPUT` with every issue, or the policy, frozen and
 * compiled (pass it to `routeLead`: it is not read again).
 *
 * @example
 * const policy = parseRoutingPolicy({ id: 'inbound', version: 1, rules: [{ id: 'east', when: [{ field: 'attribute:region', op: 'in', values: ['east'] }], poolId: 'pool-east' }], defaultPoolId: 'pool-general' });
 */
export function parseRoutingPolicy(input: unknown): Result<RoutingPolicy, CrmError> {
  const compiled = routingOf(input);
  return compiled.ok ? ok(compiled.value.policy) : compiled;
}

const optionsSchema = z
  .object({
    score: z.number().finite().nullable().optional(),
    grade: textSchema.min(1).max(20).nullable().optional(),
    visibleFields: visibleFieldsSchema.optional(),
  })
  .strict()
  .optional();

const NOTHING_VISIBLE: ReadonlySet<string> = new Set();

/**
 * Where a new lead goes (at import or at creation), by the policy's rules: with `firstMatch`,
 * the first rule whose conditions all hold; with `bestMatch`, of those that hold, the highest
 * `priority`, then the most conditions, then the earliest. A lead no rule takes goes to the
 * default pool (`by: 'default'`), or nowhere when there is none (`by: 'none'`, `poolId` null).
 * Conditions read the lead's fields and attributes (own data, each once; a getter is refused,
 * never called) and `score` and `grade` from `options`; a condition's values are shown only for
 * `options.visibleFields`. A policy, lead or options that do not read are `INVALID_INPUT`.
 *
 * @example
 * const r = routeLead(policy, { id: 'L-1', channel: 'tradeShow', attributes: { industry: 'retail', region: 'east' } });
 * if (r.ok) r.value.poolId // 'pool-east-retail'
 */
export function routeLead(policy: RoutingPolicy | unknown, lead: unknown, options?: RouteOptions): Result<RouteDecision, CrmError> {
  const compiled = routingOf(policy);
  if (!compiled.ok) return compiled;
  const o = parseInput(optionsSchema, options, ['options']);
  if (!o.ok) return o;
  if (typeof lead !== 'object' || lead === null) return invalidLead([], 'expected a lead: { id, attributes, ... }');
  const id = ownField(lead, 'id', ['id']);
  if (id instanceof ConditionRefusal) return invalidLead(id.path, id.message);
  if (!isIdText(id)) return invalidLead(['id'], 'expected an id (1–200 characters of safe text)');
  const { policy: p, fields, slots } = compiled.value;
  const values = readFields(lead, fields);
  if (values instanceof ConditionRefusal) return invalidLead(values.path, values.message);
  const score: ConditionValue | undefined = o.value?.score ?? undefined;
  const grade: ConditionValue | undefined = o.value?.grade ?? undefined;
  const matched: string[] = [];
  let chosen = -1;
  for (let r = 0; r < p.rules.length; r++) {
    const rule = p.rules[r]!;
    const at = slots[r]!;
    let all = true;
    for (let c = 0; c < rule.when.length && all; c++) {
      const slot = at[c]!;
      all = meets(slot === -1 ? score : slot === -2 ? grade : values[slot], rule.when[c]!);
    }
    if (!all) continue;
    matched.push(rule.id);
    if (p.mode === 'firstMatch') {
      chosen = r;
      break;
    }
    const best = chosen < 0 ? undefined : p.rules[chosen]!;
    if (best === undefined || rule.priority > best.priority || (rule.priority === best.priority && rule.when.length > best.when.length)) chosen = r;
  }
  const visible = o.value?.visibleFields === undefined || o.value.visibleFields.length === 0 ? NOTHING_VISIBLE : new Set(o.value.visibleFields);
  const rule = chosen < 0 ? null : p.rules[chosen]!;
  return ok(
    Object.freeze({
      leadId: id,
      poolId: rule !== null ? rule.poolId : p.defaultPoolId,
      ownerId: rule?.ownerId ?? null,
      by: rule !== null ? 'rule' : p.defaultPoolId !== null ? 'default' : 'none',
      ruleId: rule?.id ?? null,
      label: rule?.label ?? null,
      conditions:
        rule === null
          ? Object.freeze([])
          : showConditions(
              rule.when.map((c) => c.field),
              rule.when,
              visible,
            ),
      matched: Object.freeze(matched),
    }),
  );
}

function invalidLead(path: readonly (string | number)[], message: string): Result<never, CrmError> {
  const at = ['lead', ...path];
  return refuse('INVALID_INPUT', { issues: [{ path: at, message, code: 'custom' }], summary: `${at.join('.')}: ${message}` });
}

/** What `createLeadRouter` routes with. */
export interface LeadRouterOptions {
  /** The routing policy (as written, or parsed by `parseRoutingPolicy`). */
  readonly routing: RoutingPolicyInput | RoutingPolicy;
  /** A scoring model: when given, each new lead is scored on its own data (no events yet) and routed on that score and grade. */
  readonly scoring?: ScoringModelInput | ScoringModel;
  /** The fields whose compared values the route shows (none by default). */
  readonly visibleFields?: readonly string[];
}

const routeRequestSchema = z.object({ lead: z.unknown(), actor: z.unknown(), now: instantSchema }).strict();
const routerOptionsSchema = z.object({ routing: z.unknown(), scoring: z.unknown().optional(), visibleFields: visibleFieldsSchema.optional() }).strict();

/**
 * The pools' answer to the lead service's routing seam: a `LeadRouter` that scores a new lead
 * with the scoring model (when one is given; fit rules only, since a new lead has no events)
 * and routes it with the routing policy. Both are read once, here: a malformed one gives a
 * router whose every answer is that refusal. The route names the rule and shows its conditions
 * (values only for `visibleFields`).
 *
 * @example
 * const leads = createLeadService({ store, router: createLeadRouter({ routing: inboundRouting, scoring: inboundModel }) });
 * await leads.create({ id: 'L-1', source: 'import', name: '张伟', channel: 'tradeShow', attributes: { region: 'east', industry: 'retail' } }, { now, actor });
 * // ok: lead.poolId 'pool-east-retail', route { by: 'rule', ruleId: 'east-retail', score: 55, grade: 'C', … }
 */
export function createLeadRouter(options: LeadRouterOptions): LeadRouter {
  const refusing = (r: Result<never, CrmError>): LeadRouter => Object.freeze({ route: async () => r });
  const o = parseInput(routerOptionsSchema, options, ['options']);
  if (!o.ok) return refusing(o);
  const routing = routingOf(o.value.routing);
  if (!routing.ok) return refusing(routing as Result<never, CrmError>);
  let model: ScoringModel | null = null;
  if (o.value.scoring !== undefined) {
    const m = parseScoringModel(o.value.scoring);
    if (!m.ok) return refusing(m);
    model = m.value;
  }
  const visibleFields = o.value.visibleFields;
  const policy = routing.value.policy;
  return Object.freeze({
    async route(request: unknown): Promise<Result<LeadRoute, CrmError>> {
      const r = parseInput(routeRequestSchema, request, ['request']);
      if (!r.ok) return r;
      let score: number | null = null;
      let grade: string | null = null;
      if (model !== null) {
        const s = scoreLead(model, r.value.lead, [], r.value.now);
        if (!s.ok) return s;
        score = s.value.score;
        grade = s.value.grade;
      }
      const d = routeLead(policy, r.value.lead, { score, grade, ...(visibleFields ? { visibleFields } : {}) });
      if (!d.ok) return d;
      const { poolId, ownerId, by, ruleId, conditions } = d.value;
      return ok(deepFreeze({ poolId, ownerId, by, ruleId, conditions, score, grade }));
    },
  });
}
