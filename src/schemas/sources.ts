import type { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { attributeFieldSchema, parseInput } from '../core/validation.js';
import { ruleSetSchema, dedupeRecordSchema } from '../dedupe/index.js';
import {
  createLeadInputSchema,
  leadCommandSchema,
  leadSchema,
  openOpportunityInputSchema,
  opportunityCommandSchema,
  opportunitySchema,
  parseLead,
  parseLeadPolicy,
  parseOpportunity,
  parseOpportunityConfig,
  renewalOrderSchema,
  renewalPolicySchema,
  type LeadPolicyInput,
  type OpportunityConfigInput,
} from '../leads/index.js';
import {
  agingBucketLabels,
  allocatePayment,
  allocationStrategySchema,
  createPaymentPlan,
  createPaymentPlanInputSchema,
  parsePayment,
  parsePaymentPlan,
  parsePaymentPolicy,
  paymentPolicySchema,
  paymentPlanSchema,
  paymentSchema,
  recordPayment,
  recordPaymentInputSchema,
  parseRefundRequest,
  refundRequestCommandSchema,
  refundRequestSchema,
  type AllocationStrategyInput,
  type CreatePaymentPlanInput,
  type PaymentPlan,
  type PaymentPolicyInput,
  type RecordPaymentInput,
} from '../payments/index.js';
import {
  assignmentOptionsSchema,
  escalationLadderSchema,
  parseEscalationLadder,
  parsePoolPolicy,
  parseRoutingPolicy,
  poolCustomerSchema,
  poolEventSchema,
  poolMemberSchema,
  poolPolicySchema,
  poolRecordViewSchema,
  reclaimExtensionCommandSchema,
  reclaimExtensionRequestSchema,
  reclaimExtensionVerdictSchema,
  reclaimRuleSchema,
  reminderRuleSchema,
  routingPolicySchema,
  type PoolPolicyInput,
} from '../pools/index.js';
import {
  activityQuerySchema,
  attainmentQuerySchema,
  breakdownTarget,
  collectionQuerySchema,
  forecastQuerySchema,
  funnelQuerySchema,
  marketingQuerySchema,
  opportunitiesQuerySchema,
  pipelineQuerySchema,
  targetPlanSchema,
  PERIOD_UNITS,
  type TargetPlanInput,
} from '../metrics/index.js';
import { parseScoringModel, scoreStateSchema, scoringModelSchema } from '../scoring/index.js';
import { approvalPolicySchema, conversionSchema, createQuote, lineDiscountSchema, newQuoteSchema, quoteEditSchema, quotePricingSchema, storedQuoteSchema, type NewQuoteInput } from '../pricing/index.js';
import { buildSchema } from './build.js';
import { convert, type MutableJson } from './convert.js';
import type { SchemaName } from './names.js';
import { createCustomerInputSchema, customerCommandSchema, customerPolicySchema } from '../customers/index.js';
import { contractSchema, documentCommandSchema, newDocumentSchema, orderPolicySchema, orderSchema } from '../orders/index.js';
import { leadPolicyInputSchema, opportunityConfigInputSchema, poolCallSchemas, poolJobContextSchema, poolRequestSchemas, serviceContextSchema } from './mirrors.js';
import { costGroupRules, forecastRules, groupByRules, groupRules, installmentShareRule, ladderTierRules, leadRules, nonZeroRule, paymentRules, quoteRules, seasonalityRule, siblingWeightRule, tierRules } from './rules.js';
import { amountInJson, attributeDimensionJson, decimalJson, moneyJson, registerLeaf, toleranceJson, VOCABULARY } from './vocabulary.js';

/** What a schema describes: a policy or rule set an admin edits, a record a host stores, a command, or a service request. */
export type SchemaRole = 'policy' | 'record' | 'command' | 'request';
/** The module a schema belongs to. */
export type SchemaModule = 'core' | 'leads' | 'pools' | 'customers' | 'dedupe' | 'pricing' | 'orders' | 'payments' | 'metrics' | 'scoring';

/**
 * A change to the generated JSON at a path: `replace` gives a node zod could not see into (an
 * opaque `unknown` or transform) its schema; `rewrite` replaces a node whose rule the door checks
 * after zod (a percentage that must be above 0); `add` merges keywords into the node (a
 * cross-field rule written as `if`/`then`), and `expresses` says that closes the refinement found
 * there; `limit` says the door checks more there than the schema can (a rule listed in the
 * schema's limits, like a refinement).
 */
export interface Patch {
  readonly replace?: () => MutableJson;
  readonly rewrite?: () => MutableJson;
  readonly add?: () => MutableJson;
  readonly expresses?: boolean;
  readonly limit?: boolean;
}

/** One published schema: where it comes from and the library's own door for its values. */
export interface SchemaSource {
  readonly module: SchemaModule;
  readonly role: SchemaRole;
  /** The zod schema whose input side is published (a module's own, or a mirror of a door zod cannot see through). */
  readonly zod: z.ZodType;
  /** Whether `zod` is a mirror written in src/schemas (checked against `parse` by the tests). */
  readonly mirror?: boolean;
  /** The library's door for such a value: a Result, never a throw. */
  readonly parse: (value: unknown) => Result<unknown, CrmError>;
  readonly patches?: Readonly<Record<string, Patch>>;
}

const parseWith = (schema: z.ZodType) => (value: unknown) => parseInput(schema, value);

/** The refusals that say the input itself is wrong (any other refusal is a decision on valid input). */
const INPUT_REFUSALS: ReadonlySet<string> = new Set(['INVALID_INPUT', 'PRICING_CREDIT_LINE_NOT_SUPPORTED']);
/**
 * A rule's whole door as a parser, for commands whose door reads more than its zod schema (an
 * amount in the plan's currency, a due date in range): a refusal of the input is a refusal; a
 * decision — or a refusal on other grounds (percentages not summing to 100) — means the input was
 * valid, and the input is the answer.
 */
const door =
  (decide: (value: unknown) => Result<unknown, CrmError>) =>
  (value: unknown): Result<unknown, CrmError> => {
    const r = decide(value);
    return r.ok || !INPUT_REFUSALS.has(r.error.code) ? ok(value) : r;
  };
const CHECK_CONTEXT = { now: '2026-01-01T00:00:00Z', actor: { id: 'schema-check' }, policy: { zone: 'Asia/Shanghai' } } as const;

/**
 * `allocatePayment` as a door for a strategy: a CNY payment large enough for anything, and the
 * plans an explicit strategy names (so an amount is read, not refused as an unknown installment
 * first), else one plan of two installments.
 */
function allocationDoor(strategy: unknown): Result<unknown, CrmError> {
  const named = new Map<string, Set<string>>();
  const applications = typeof strategy === 'object' && strategy !== null ? (strategy as { applications?: unknown }).applications : undefined;
  if (Array.isArray(applications)) {
    for (const a of applications) {
      const planId: unknown = typeof a === 'object' && a !== null ? (a as { planId?: unknown }).planId : undefined;
      const installmentId: unknown = typeof a === 'object' && a !== null ? (a as { installmentId?: unknown }).installmentId : undefined;
      if (typeof planId === 'string' && typeof installmentId === 'string') named.set(planId, (named.get(planId) ?? new Set()).add(installmentId));
    }
  }
  const plansFor = (byPlan: ReadonlyMap<string, ReadonlySet<string>>): PaymentPlan[] | null => {
    const plans: PaymentPlan[] = [];
    for (const [planId, installmentIds] of byPlan) {
      const ids = [...installmentIds];
      const plan = createPaymentPlan(
        {
          id: planId,
          orderId: `SO-${plans.length + 1}`,
          customerId: 'C-1',
          orderDate: CHECK_CONTEXT.now,
          total: { currency: 'CNY', minor: 100_000_000 * ids.length },
          installments: ids.map((id) => ({ id, amount: { currency: 'CNY', minor: 100_000_000 }, due: { kind: 'afterOrder', days: 0 } })),
        },
        CHECK_CONTEXT,
      );
      if (!plan.ok) return null;
      plans.push(plan.value.plan);
    }
    return plans;
  };
  // ids a plan cannot have are the strategy door's to refuse: then any plan will do
  const plans = (named.size > 0 ? plansFor(named) : null) ?? plansFor(new Map([['PP-1', new Set(['I1', 'I2'])]]));
  if (plans === null) return ok(strategy);
  const payment = recordPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', minor: 100_000_000_000 }, receivedAt: CHECK_CONTEXT.now, method: 'bankTransfer' }, CHECK_CONTEXT);
  if (!payment.ok) return payment;
  return allocatePayment(payment.value.payment, plans, strategy as AllocationStrategyInput, CHECK_CONTEXT);
}

/** In a new plan, either every installment gives a percent or none does. */
const percentsAllOrNone = (): MutableJson => ({
  not: { allOf: [{ contains: { type: 'object', properties: { percent: {} }, required: ['percent'] } }, { contains: { type: 'object', not: { properties: { percent: {} }, required: ['percent'] } } }] },
});
/** A quote's line stages, each at most once: JSON Schema's `uniqueItems` says it exactly. */
const QUOTE_PATCHES: Readonly<Record<string, Patch>> = { stages: { add: () => ({ uniqueItems: true }), expresses: true }, 'lines[].tiers': { add: tierRules } };
const anyValue = (): MutableJson => ({});
/** The quote patches where a contract or an order keeps its pricing. */
const PRICING_INSIDE: Readonly<Record<string, Patch>> = Object.fromEntries(Object.entries(QUOTE_PATCHES).map(([path, patch]) => [`pricing.${path}`, patch]));
/** A request shape of 0.1 the services still take, marked so (JSON Schema's `deprecated`); 0.3.0 removes it. */
const DEPRECATED: Readonly<Record<string, Patch>> = { '(root)': { add: () => ({ deprecated: true }) } };

// payments reads amounts through its own door (`paymentMoneySchema`, not exported): found behind
// an exported schema that uses it, by identity
const paymentMoneyInput = ((createPaymentPlanInputSchema as unknown as { shape: { total: { _zod: { def: { in: unknown } } } } }).shape.total._zod.def.in);
registerLeaf(paymentMoneyInput, { kind: 'money', json: () => moneyJson('any') });

// `attribute:<name>` (a template literal whose name zod checks in a refinement): one schema in
// core, a metric's attribute dimension and a scoring rule's attribute field alike
registerLeaf(attributeFieldSchema, { kind: 'attributeDimension', json: attributeDimensionJson });

/** The payment policy, as published: also the `policy` of a collection query. */
const PAYMENT_POLICY = {
  module: 'payments',
  role: 'policy',
  zod: paymentPolicySchema,
  parse: (v: unknown) => parsePaymentPolicy(v as PaymentPolicyInput),
  patches: { writeOffTolerance: { replace: toleranceJson }, 'refundApproval.levels[].above': { replace: toleranceJson } },
} as const satisfies SchemaSource;

/**
 * The payment policy's JSON where a collection query holds one (`policy`, an `unknown` to zod:
 * `measureCollection` reads it with `parsePaymentPolicy`); what that schema leaves to the
 * library is listed again below it.
 */
function paymentPolicyJson(): MutableJson {
  const json = structuredClone(buildSchema(PAYMENT_POLICY).json);
  delete json.$schema;
  return json;
}
const PAYMENT_POLICY_LIMITS: Readonly<Record<string, Patch>> = { 'policy.zone': { limit: true }, 'policy.agingBuckets': { limit: true }, 'policy.refundApproval.levels': { limit: true } };

/**
 * `measureCollection`'s reading of its query, without the plans: the query's schema, then its
 * `policy` as the payments rules read it and its aging buckets.
 */
function collectionQueryDoor(value: unknown): Result<unknown, CrmError> {
  const q = parseInput(collectionQuerySchema, value);
  if (!q.ok || q.value.policy === undefined) return q;
  const policy = parsePaymentPolicy(q.value.policy as PaymentPolicyInput, ['policy']);
  if (!policy.ok) return policy;
  const labels = agingBucketLabels(policy.value.agingBuckets);
  return labels.ok ? q : labels;
}

/**
 * A scoring model's patches: a rule's points are not 0 and a behaviour rule lists each event type
 * once (a list of strings: `uniqueItems`) — what JSON Schema says exactly. A `between`'s min at
 * most its max, unique rule ids, and unique grades from the highest min down stay limits.
 */
const SCORING_MODEL_PATCHES: Readonly<Record<string, Patch>> = {
  'rules[].points': { add: nonZeroRule, expresses: true },
  'rules[].events': { add: () => ({ uniqueItems: true }), expresses: true },
};

/**
 * An escalation ladder's patches. Its working days each once (a list of integers: `uniqueItems`)
 * is what JSON Schema says exactly. Its tier order — every tier but the last a pool with hours,
 * the last an owner or a pool that keeps the lead — is written too, one full tuple per length
 * the ladder may have (read from the ladder's own schema); that a pool is on the ladder once
 * stays a limit (pool ids inside objects), and so do working hours' `to` at least an hour after
 * `from` (times of day compared as minutes) and a zone the runtime knows.
 */
const ESCALATION_LADDER_PATCHES: Readonly<Record<string, Patch>> = {
  'workingHours.days': { add: () => ({ uniqueItems: true }), expresses: true },
  tiers: {
    add: () => {
      const tiers = (convert(escalationLadderSchema, VOCABULARY).json.properties as Record<string, { minItems: number; maxItems: number }>).tiers!;
      return ladderTierRules(tiers.minItems, tiers.maxItems);
    },
  },
};

/** A metric query's `groupBy`: each dimension once, at most one period — what JSON Schema says exactly. */
const GROUP_BY: Readonly<Record<string, Patch>> = { groupBy: { add: () => groupByRules(PERIOD_UNITS), expresses: true } };

/**
 * Every published schema, by name. The order is the order of `SCHEMA_NAMES`: by module, the
 * policies first.
 */
export const SOURCES = {
  /* ---------------------------------------------------------------- core */
  serviceContext: { module: 'core', role: 'request', zod: serviceContextSchema, mirror: true, parse: parseWith(serviceContextSchema) },
  /* ---------------------------------------------------------------- pools */
  poolPolicy: { module: 'pools', role: 'policy', zod: poolPolicySchema, parse: (v) => parsePoolPolicy(v as PoolPolicyInput) },
  reclaimRule: { module: 'pools', role: 'policy', zod: reclaimRuleSchema, parse: parseWith(reclaimRuleSchema) },
  reminderRule: { module: 'pools', role: 'policy', zod: reminderRuleSchema, parse: parseWith(reminderRuleSchema) },
  assignmentOptions: {
    module: 'pools',
    role: 'policy',
    zod: assignmentOptionsSchema,
    parse: parseWith(assignmentOptionsSchema),
    patches: { '(root)': { add: () => ({ if: { properties: { strategy: { const: 'weightedRandom' } }, required: ['strategy'] }, then: { properties: { seed: { type: 'integer' } }, required: ['seed'] } }), expresses: true } },
  },
  // a condition is scoring's (conditionSchemaOn, its field attribute:<name> the registered leaf):
  // unique rule ids and a between's min at most its max stay limits, as in a scoring model
  routingPolicy: { module: 'pools', role: 'policy', zod: routingPolicySchema, parse: parseRoutingPolicy },
  escalationLadder: { module: 'pools', role: 'policy', zod: escalationLadderSchema, parse: parseEscalationLadder, patches: ESCALATION_LADDER_PATCHES },
  poolCustomer: { module: 'pools', role: 'record', zod: poolCustomerSchema, parse: parseWith(poolCustomerSchema) },
  poolRecordView: { module: 'pools', role: 'record', zod: poolRecordViewSchema, parse: parseWith(poolRecordViewSchema) },
  poolMember: { module: 'pools', role: 'record', zod: poolMemberSchema, parse: parseWith(poolMemberSchema) },
  poolEvent: { module: 'pools', role: 'record', zod: poolEventSchema, parse: parseWith(poolEventSchema), patches: { 'data.*': { replace: anyValue } } },
  reclaimExtensionRequest: { module: 'pools', role: 'record', zod: reclaimExtensionRequestSchema, parse: parseWith(reclaimExtensionRequestSchema) },
  reclaimExtensionCommand: { module: 'pools', role: 'command', zod: reclaimExtensionCommandSchema, parse: parseWith(reclaimExtensionCommandSchema) },
  reclaimExtensionVerdict: { module: 'pools', role: 'command', zod: reclaimExtensionVerdictSchema, parse: parseWith(reclaimExtensionVerdictSchema) },
  poolRecordKey: { module: 'pools', role: 'request', zod: poolCallSchemas.recordKey, mirror: true, parse: parseWith(poolCallSchemas.recordKey) },
  poolAssignCommand: { module: 'pools', role: 'command', zod: poolCallSchemas.assign, mirror: true, parse: parseWith(poolCallSchemas.assign) },
  poolReturnCommand: { module: 'pools', role: 'command', zod: poolCallSchemas.returnRecord, mirror: true, parse: parseWith(poolCallSchemas.returnRecord) },
  poolTransferCommand: { module: 'pools', role: 'command', zod: poolCallSchemas.transfer, mirror: true, parse: parseWith(poolCallSchemas.transfer) },
  poolChangeOwnerCommand: { module: 'pools', role: 'command', zod: poolCallSchemas.changeOwner, mirror: true, parse: parseWith(poolCallSchemas.changeOwner) },
  poolExtensionCommand: { module: 'pools', role: 'command', zod: poolCallSchemas.requestExtension, mirror: true, parse: parseWith(poolCallSchemas.requestExtension) },
  poolExtensionVerdict: { module: 'pools', role: 'command', zod: poolCallSchemas.decideExtension, mirror: true, parse: parseWith(poolCallSchemas.decideExtension) },
  poolJobContext: { module: 'pools', role: 'request', zod: poolJobContextSchema, mirror: true, parse: parseWith(poolJobContextSchema) },
  poolClaim: { module: 'pools', role: 'request', zod: poolRequestSchemas.claim, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.claim) },
  poolAssign: { module: 'pools', role: 'request', zod: poolRequestSchemas.assign, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.assign) },
  poolReturn: { module: 'pools', role: 'request', zod: poolRequestSchemas.returnRecord, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.returnRecord) },
  poolTransfer: { module: 'pools', role: 'request', zod: poolRequestSchemas.transfer, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.transfer) },
  poolChangeOwner: { module: 'pools', role: 'request', zod: poolRequestSchemas.changeOwner, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.changeOwner) },
  poolReclaim: { module: 'pools', role: 'request', zod: poolRequestSchemas.reclaim, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.reclaim) },
  poolRequestExtension: { module: 'pools', role: 'request', zod: poolRequestSchemas.requestExtension, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.requestExtension) },
  poolDecideExtension: { module: 'pools', role: 'request', zod: poolRequestSchemas.decideExtension, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.decideExtension) },
  poolRunReclaim: { module: 'pools', role: 'request', zod: poolRequestSchemas.runReclaim, mirror: true, patches: DEPRECATED, parse: parseWith(poolRequestSchemas.runReclaim) },
  /* ---------------------------------------------------------------- customers */
  customerPolicy: { module: 'customers', role: 'policy', zod: customerPolicySchema, parse: parseWith(customerPolicySchema) },
  newCustomer: { module: 'customers', role: 'command', zod: createCustomerInputSchema, parse: parseWith(createCustomerInputSchema) },
  customerCommand: { module: 'customers', role: 'command', zod: customerCommandSchema, parse: parseWith(customerCommandSchema) },
  /* ---------------------------------------------------------------- leads */
  leadPolicy: { module: 'leads', role: 'policy', zod: leadPolicyInputSchema, mirror: true, parse: (v) => parseLeadPolicy(v as LeadPolicyInput) },
  opportunityConfig: { module: 'leads', role: 'policy', zod: opportunityConfigInputSchema, mirror: true, parse: (v) => parseOpportunityConfig(v as OpportunityConfigInput) },
  renewalPolicy: { module: 'leads', role: 'policy', zod: renewalPolicySchema, parse: parseWith(renewalPolicySchema) },
  lead: { module: 'leads', role: 'record', zod: leadSchema, parse: (v) => parseLead(v), patches: { '(root)': { add: leadRules } } },
  opportunity: { module: 'leads', role: 'record', zod: opportunitySchema, parse: (v) => parseOpportunity(v) },
  renewalOrder: { module: 'leads', role: 'record', zod: renewalOrderSchema, parse: parseWith(renewalOrderSchema) },
  newLead: { module: 'leads', role: 'command', zod: createLeadInputSchema, parse: parseWith(createLeadInputSchema) },
  leadCommand: { module: 'leads', role: 'command', zod: leadCommandSchema, parse: parseWith(leadCommandSchema) },
  newOpportunity: { module: 'leads', role: 'command', zod: openOpportunityInputSchema, parse: parseWith(openOpportunityInputSchema) },
  opportunityCommand: { module: 'leads', role: 'command', zod: opportunityCommandSchema, parse: parseWith(opportunityCommandSchema) },
  /* ---------------------------------------------------------------- dedupe */
  dedupeRuleSet: { module: 'dedupe', role: 'policy', zod: ruleSetSchema, parse: parseWith(ruleSetSchema), patches: { 'groups[]': { add: groupRules }, 'sameAccount[]': { add: groupRules } } },
  dedupeRecord: { module: 'dedupe', role: 'record', zod: dedupeRecordSchema, parse: parseWith(dedupeRecordSchema) },
  /* ---------------------------------------------------------------- pricing */
  approvalPolicy: { module: 'pricing', role: 'policy', zod: approvalPolicySchema, parse: parseWith(approvalPolicySchema) },
  quotePricing: { module: 'pricing', role: 'record', zod: quotePricingSchema, parse: parseWith(quotePricingSchema), patches: QUOTE_PATCHES },
  quote: { module: 'pricing', role: 'record', zod: storedQuoteSchema, parse: parseWith(storedQuoteSchema), patches: { ...QUOTE_PATCHES, '(root)': { add: quoteRules } } },
  newQuote: { module: 'pricing', role: 'command', zod: newQuoteSchema, parse: door((v) => createQuote(v as NewQuoteInput, { actorId: 'schema-check', now: CHECK_CONTEXT.now })), patches: QUOTE_PATCHES },
  quoteEdit: { module: 'pricing', role: 'command', zod: quoteEditSchema, parse: parseWith(quoteEditSchema), patches: QUOTE_PATCHES },
  quoteConversion: {
    module: 'pricing',
    role: 'command',
    zod: conversionSchema,
    parse: parseWith(conversionSchema),
    patches: {
      'repricing.lineDiscounts': {
        replace: () => {
          const discount = convert(lineDiscountSchema.nullable(), VOCABULARY).json;
          delete discount.$schema;
          return { type: 'object', maxProperties: 10_000, propertyNames: { minLength: 1, maxLength: 200, pattern: '^[^\\u0000\\uD800-\\uDFFF]*$' }, additionalProperties: discount };
        },
      },
    },
  },
  /* ---------------------------------------------------------------- orders */
  orderPolicy: { module: 'orders', role: 'policy', zod: orderPolicySchema, parse: parseWith(orderPolicySchema) },
  contract: { module: 'orders', role: 'record', zod: contractSchema, parse: parseWith(contractSchema), patches: PRICING_INSIDE },
  order: { module: 'orders', role: 'record', zod: orderSchema, parse: parseWith(orderSchema), patches: PRICING_INSIDE },
  newDocument: { module: 'orders', role: 'command', zod: newDocumentSchema, parse: parseWith(newDocumentSchema), patches: PRICING_INSIDE },
  documentCommand: { module: 'orders', role: 'command', zod: documentCommandSchema, parse: parseWith(documentCommandSchema) },
  /* ---------------------------------------------------------------- payments */
  paymentPolicy: PAYMENT_POLICY,
  paymentPlan: { module: 'payments', role: 'record', zod: paymentPlanSchema, parse: (v) => parsePaymentPlan(v) },
  payment: { module: 'payments', role: 'record', zod: paymentSchema, parse: (v) => parsePayment(v), patches: { '(root)': { add: paymentRules } } },
  newPaymentPlan: {
    module: 'payments',
    role: 'command',
    zod: createPaymentPlanInputSchema,
    parse: door((v) => createPaymentPlan(v as CreatePaymentPlanInput, CHECK_CONTEXT)),
    patches: {
      'installments[].amount': { replace: () => amountInJson('positive'), limit: true },
      'installments[].percent': { rewrite: () => decimalJson('positive') },
      'installments[].due': { limit: true },
      'installments[]': { add: installmentShareRule, expresses: true },
      installments: { add: percentsAllOrNone },
    },
  },
  newPayment: { module: 'payments', role: 'command', zod: recordPaymentInputSchema, parse: door((v) => recordPayment(v as RecordPaymentInput, CHECK_CONTEXT)) },
  allocationStrategy: {
    module: 'payments',
    role: 'command',
    zod: allocationStrategySchema,
    parse: door(allocationDoor),
    patches: {
      amount: { replace: () => amountInJson('positive'), limit: true },
      'applications[].amount': { replace: () => amountInJson('positive'), limit: true },
      applications: { limit: true },
    },
  },
  refundRequest: { module: 'payments', role: 'record', zod: refundRequestSchema, parse: (v) => parseRefundRequest(v) },
  refundCommand: { module: 'payments', role: 'command', zod: refundRequestCommandSchema, parse: parseWith(refundRequestCommandSchema) },
  /* ---------------------------------------------------------------- metrics */
  targetPlan: {
    module: 'metrics',
    role: 'policy',
    zod: targetPlanSchema,
    // breakdownTarget reads the tree before zod does (a tree too deep or too large is refused at once)
    parse: door((v) => breakdownTarget(v as TargetPlanInput)),
    patches: {
      // the plan's and each node's seasonality (one zod schema, reported once, at the node)
      seasonality: { add: seasonalityRule, expresses: true },
      'root.seasonality': { add: seasonalityRule, expresses: true },
      // siblings' weights not all 0: the rest of the plan's rule (ids unique, 16 deep, 100,000 nodes) stays a limit
      'root.children': { add: siblingWeightRule },
    },
  },
  funnelQuery: { module: 'metrics', role: 'request', zod: funnelQuerySchema, parse: parseWith(funnelQuerySchema), patches: GROUP_BY },
  opportunitiesQuery: { module: 'metrics', role: 'request', zod: opportunitiesQuerySchema, parse: parseWith(opportunitiesQuerySchema), patches: GROUP_BY },
  pipelineQuery: { module: 'metrics', role: 'request', zod: pipelineQuerySchema, parse: parseWith(pipelineQuerySchema), patches: GROUP_BY },
  forecastQuery: { module: 'metrics', role: 'request', zod: forecastQuerySchema, parse: parseWith(forecastQuerySchema), patches: { ...GROUP_BY, '(root)': { add: forecastRules } } },
  attainmentQuery: { module: 'metrics', role: 'request', zod: attainmentQuerySchema, parse: parseWith(attainmentQuerySchema) },
  collectionQuery: {
    module: 'metrics',
    role: 'request',
    zod: collectionQuerySchema,
    parse: collectionQueryDoor,
    patches: { ...GROUP_BY, policy: { replace: paymentPolicyJson }, ...PAYMENT_POLICY_LIMITS },
  },
  activityQuery: { module: 'metrics', role: 'request', zod: activityQuerySchema, parse: parseWith(activityQuerySchema), patches: GROUP_BY },
  marketingQuery: { module: 'metrics', role: 'request', zod: marketingQuerySchema, parse: parseWith(marketingQuerySchema), patches: { ...GROUP_BY, '(root)': { add: costGroupRules } } },
  /* ---------------------------------------------------------------- scoring */
  scoringModel: { module: 'scoring', role: 'policy', zod: scoringModelSchema, parse: parseScoringModel, patches: SCORING_MODEL_PATCHES },
  // a state's shape only: that its rules are the model's behaviour rules, its days real dates
  // listed once and its counts within bounds is read with the model (applyScoreEvent, scoreFromState)
  scoreState: { module: 'scoring', role: 'record', zod: scoreStateSchema, parse: parseWith(scoreStateSchema) },
} as const satisfies Record<SchemaName, SchemaSource>;
