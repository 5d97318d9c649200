import type { ActorInput } from '../core/context.js';
import { z } from 'zod';
import { InvariantError, refuse, ruleError, type CrmError } from '../core/errors.js';
import { opportunityEvent, type OpportunityEvent, type OpportunityEventDataByType } from './events.js';
import { actorRelations, isPermitted, RECORD_EDITORS, RELATIONS, type Actor, type Relation } from '../core/permissions.js';
import { ok, type Result } from '../core/result.js';
import { sealedEntityParser } from '../core/boundary.js';
import { deepFreeze, idSchema, instantSchema, namedRecordSchema, nameSchema, parseInput, textSchema } from '../core/validation.js';
import { parseMoney, type CurrencyCode } from '../core/money.js';
import { opportunityNameKey } from '../core/name-keys.js';
import { actorSchema } from './model.js';
import { ownFrozenCopy, trustingSchema } from './boundary.js';

/* ------------------------------------------------------------------------- the model */

/** Opportunity statuses: in progress, then closed as won (赢单), lost (输单) or invalid (无效). */
export const OPPORTUNITY_STATUSES = Object.freeze(['open', 'won', 'lost', 'invalid'] as const);
/** An opportunity status. */
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

/** How an opportunity can be closed: the terminal "closed" stage (结束) and its outcome. */
export const OPPORTUNITY_CLOSE_OUTCOMES = Object.freeze(['won', 'lost', 'invalid'] as const);
/** A close outcome. */
export type OpportunityCloseOutcome = (typeof OPPORTUNITY_CLOSE_OUTCOMES)[number];

/**
 * The win probability a closed opportunity carries, whatever stage it was closed from.
 *
 * @example
 * CLOSED_PROBABILITY.won // 100
 */
export const CLOSED_PROBABILITY: Readonly<Record<OpportunityCloseOutcome, 100 | 0>> = Object.freeze({ won: 100, lost: 0, invalid: 0 });

/** One open stage of the sales process, with its win probability in whole percent. */
export interface OpportunityStage {
  readonly id: string;
  readonly name: string;
  /** Integer percent, 0–100. */
  readonly probability: number;
}

/**
 * The default stages, from 纷享销客: 验证客户 10%, 需求确定 30%, 方案/报价 60%, 谈判审核 80%.
 * The fifth stage, 结束, is not a stage here: it is `close` with outcome won (100%), lost or
 * invalid (0%).
 *
 * @example
 * DEFAULT_OPPORTUNITY_STAGES.map((s) => s.id) // ['qualify', 'needs_confirmed', 'proposal', 'negotiation']
 */
export const DEFAULT_OPPORTUNITY_STAGES: readonly OpportunityStage[] = Object.freeze([
  Object.freeze({ id: 'qualify', name: '验证客户', probability: 10 }),
  Object.freeze({ id: 'needs_confirmed', name: '需求确定', probability: 30 }),
  Object.freeze({ id: 'proposal', name: '方案/报价', probability: 60 }),
  Object.freeze({ id: 'negotiation', name: '谈判审核', probability: 80 }),
]);

/**
 * An amount: a whole, non-negative count of the currency's minor unit (fen, cents; a safe
 * integer, never -0) and an ISO 4217 code the money kernel knows.
 */
export interface OpportunityAmount {
  readonly minor: number;
  readonly currency: CurrencyCode;
}

/**
 * An amount as a host gives it: minor units (`{ minor: 123456, currency: 'CNY' }`; an integer
 * string or a bigint too), or a decimal string in major units (`{ amount: '1234.56', currency:
 * 'CNY' }`), as the money kernel reads them.
 */
export type OpportunityAmountInput =
  | { readonly minor: number | bigint | string; readonly currency: string }
  | { readonly amount: string; readonly currency: string };

interface OpportunityFields {
  readonly id: string;
  /** Bumped by one on every change; the repository saves only over the version it loaded. */
  readonly version: number;
  readonly name: string;
  readonly customerId: string;
  readonly ownerId: string;
  /** The current stage while open; the stage it was closed from once closed. */
  readonly stageId: string;
  readonly probability: number;
  /** The lead this opportunity was converted from, if any. */
  readonly sourceLeadId: string | null;
  /** The channel its lead came from (first touch), kept for reports by channel; null or absent when none. */
  readonly channel?: string | null;
  readonly expectedCloseDate: Date | null;
  readonly amount?: OpportunityAmount | null;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly updatedAt: Date;
}

/** An opportunity moving through the stages. */
export interface OpenOpportunity extends OpportunityFields {
  readonly status: 'open';
  readonly closeReason: null;
  readonly closedAt: null;
  readonly closedBy: null;
}
/** A won opportunity (probability 100); a reason is optional. */
export interface WonOpportunity extends OpportunityFields {
  readonly status: 'won';
  readonly probability: 100;
  readonly closeReason: string | null;
  readonly closedAt: Date;
  readonly closedBy: string;
}
/** A lost opportunity (probability 0), with the reason it was lost. */
export interface LostOpportunity extends OpportunityFields {
  readonly status: 'lost';
  readonly probability: 0;
  readonly closeReason: string;
  readonly closedAt: Date;
  readonly closedBy: string;
}
/** An opportunity closed as invalid (probability 0), with the reason. */
export interface InvalidOpportunity extends OpportunityFields {
  readonly status: 'invalid';
  readonly probability: 0;
  readonly closeReason: string;
  readonly closedAt: Date;
  readonly closedBy: string;
}

/** An opportunity (商机), discriminated by its status. */
export type Opportunity = OpenOpportunity | WonOpportunity | LostOpportunity | InvalidOpportunity;
/** An opportunity that has been closed. */
export type ClosedOpportunity = Exclude<Opportunity, OpenOpportunity>;

const nonBlank = (max: number) => textSchema.max(max).refine((s) => s.trim().length > 0, { message: 'must not be blank' });

/**
 * The schema of an amount, read by the money kernel (`parseMoney`): a known ISO 4217 currency,
 * whole minor units (or a decimal string with no more decimals than the currency has, never
 * rounded), not negative, at most 2^53 − 1 minor units; −0 is 0.
 *
 * @example
 * opportunityAmountSchema.parse({ minor: 1_000_000, currency: 'CNY' }) // ¥10,000.00
 * opportunityAmountSchema.parse({ amount: '10000.00', currency: 'CNY' }) // the same
 * opportunityAmountSchema.safeParse({ minor: 100, currency: 'ABC' }).success // false: no such currency
 */
export const opportunityAmountSchema: z.ZodType<OpportunityAmount, OpportunityAmountInput> = z
  .object({ currency: textSchema.max(10), minor: z.union([z.number(), z.bigint(), textSchema.max(100)]).optional(), amount: textSchema.max(100).optional() })
  .strict()
  .transform((input, ctx): OpportunityAmount => {
    const money = parseMoney(input);
    if (!money.ok) {
      const issues = money.error.details.issues as { path: (string | number)[]; message: string }[];
      // The kernel stops at an unknown currency; the count is checked too (as minor units of a
      // two-decimal currency), so every issue is reported at once.
      const more = issues.some((i) => i.path[0] === 'currency') && input.minor !== undefined ? parseMoney({ currency: 'USD', minor: input.minor }) : null;
      for (const issue of [...issues, ...(more && !more.ok ? (more.error.details.issues as typeof issues) : [])]) {
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      }
      return z.NEVER;
    }
    const { currency, minor } = money.value;
    if (typeof minor !== 'number') {
      ctx.addIssue({ code: 'custom', path: [input.minor === undefined ? 'amount' : 'minor'], message: 'an opportunity amount is at most 2^53 − 1 minor units' });
      return z.NEVER;
    }
    if (minor < 0) {
      ctx.addIssue({ code: 'custom', path: [input.minor === undefined ? 'amount' : 'minor'], message: 'an opportunity amount is not negative' });
      return z.NEVER;
    }
    return Object.freeze({ minor: minor + 0, currency });
  }) as unknown as z.ZodType<OpportunityAmount, OpportunityAmountInput>;

const fieldsShape = {
  id: idSchema,
  version: z.number().int().min(0),
  name: nonBlank(500),
  customerId: idSchema,
  ownerId: idSchema,
  stageId: idSchema,
  probability: z.number().int().min(0).max(100),
  sourceLeadId: idSchema.nullable(),
  channel: nameSchema.nullable().optional(),
  expectedCloseDate: instantSchema.nullable(),
  amount: opportunityAmountSchema.nullable().optional(),
  createdAt: instantSchema,
  createdBy: idSchema,
  updatedAt: instantSchema,
};
const closedShape = { closedAt: instantSchema, closedBy: idSchema };

const opportunityObjectSchema = z.discriminatedUnion('status', [
  z.object({ ...fieldsShape, status: z.literal('open'), closeReason: z.null(), closedAt: z.null(), closedBy: z.null() }).strict(),
  z.object({ ...fieldsShape, ...closedShape, status: z.literal('won'), probability: z.literal(100), closeReason: nonBlank(2000).nullable() }).strict(),
  z.object({ ...fieldsShape, ...closedShape, status: z.literal('lost'), probability: z.literal(0), closeReason: nonBlank(2000) }).strict(),
  z.object({ ...fieldsShape, ...closedShape, status: z.literal('invalid'), probability: z.literal(0), closeReason: nonBlank(2000) }).strict(),
]);

/**
 * The schema of a stored opportunity: strict (unknown keys refused), discriminated by status,
 * with the closing record present exactly when closed and times in order. ISO strings are
 * accepted for instants.
 *
 * @example
 * opportunitySchema.safeParse({ ...openOpp, status: 'paused' }).success // false
 */
export const opportunitySchema: z.ZodType<Opportunity, unknown> = opportunityObjectSchema.superRefine((o, ctx) => {
  if (o.updatedAt.getTime() < o.createdAt.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['updatedAt'], message: 'updatedAt is before createdAt' });
  }
  if (o.closedAt !== null && (o.closedAt.getTime() < o.createdAt.getTime() || o.closedAt.getTime() > o.updatedAt.getTime())) {
    ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'closedAt must lie between createdAt and updatedAt' });
  }
}) as unknown as z.ZodType<Opportunity, unknown>;

/**
 * Validates an opportunity as stored; hosts may use it to check their own data.
 *
 * @example
 * parseOpportunity({ ...opp, status: 'lost', closeReason: null }).ok // false
 */
export function parseOpportunity(input: unknown): Result<Opportunity, CrmError> {
  return opportunityParser.parse(input);
}

/** Opportunities the rules returned are trusted while sealed (deep-frozen, every `Date` unchanged). */
const opportunityParser = sealedEntityParser(opportunitySchema, ['opportunity']);

/* ---------------------------------------------------------------- the state machine */

/** The operations on an existing opportunity. */
export const OPPORTUNITY_OPERATIONS = Object.freeze(['advance', 'stepBack', 'moveToStage', 'close', 'reopen'] as const);
/** An opportunity operation name. */
export type OpportunityOperation = (typeof OPPORTUNITY_OPERATIONS)[number];

/** One row of the transition table. */
export interface OpportunityTransition {
  readonly from: readonly OpportunityStatus[];
  readonly to: readonly OpportunityStatus[];
}

/**
 * The opportunity state machine as data: for each operation, the statuses it applies to and
 * the statuses it can lead to. Creation (`openOpportunity`) always gives `open`.
 *
 * @example
 * OPPORTUNITY_TRANSITIONS.reopen // { from: ['won', 'lost', 'invalid'], to: ['open'] }
 */
export const OPPORTUNITY_TRANSITIONS: Readonly<Record<OpportunityOperation, OpportunityTransition>> = deepFreeze({
  advance: { from: ['open'], to: ['open'] },
  stepBack: { from: ['open'], to: ['open'] },
  moveToStage: { from: ['open'], to: ['open'] },
  close: { from: ['open'], to: ['won', 'lost', 'invalid'] },
  reopen: { from: ['won', 'lost', 'invalid'], to: ['open'] },
});

const EDITORS = RECORD_EDITORS;

/**
 * Default permissions: the owner, the owner's superior, read-write team members and their
 * superiors, read-write shares and the CRM admin move and close an opportunity; only the
 * owner's superior and the CRM admin reopen a closed one ("reopen with permission").
 *
 * @example
 * DEFAULT_OPPORTUNITY_PERMISSIONS.reopen // ['ownerSuperior', 'crmAdmin']
 */
export const DEFAULT_OPPORTUNITY_PERMISSIONS: Readonly<Record<OpportunityOperation, readonly Relation[]>> = deepFreeze({
  advance: EDITORS,
  stepBack: EDITORS,
  moveToStage: EDITORS,
  close: EDITORS,
  reopen: ['ownerSuperior', 'crmAdmin'],
});

/** The company's opportunity process: stages, whether stages may be skipped, who may do what. */
export interface OpportunityConfig {
  readonly stages: readonly OpportunityStage[];
  /** Whether `moveToStage` may jump forward more than one stage. */
  readonly allowSkip: boolean;
  readonly permissions: Readonly<Record<OpportunityOperation, readonly Relation[]>>;
}

/**
 * The configuration used when the host passes none.
 *
 * @example
 * DEFAULT_OPPORTUNITY_CONFIG.allowSkip // false
 */
export const DEFAULT_OPPORTUNITY_CONFIG: OpportunityConfig = deepFreeze({
  stages: DEFAULT_OPPORTUNITY_STAGES,
  allowSkip: false,
  permissions: DEFAULT_OPPORTUNITY_PERMISSIONS,
});

const relationSchema = z.enum(RELATIONS as [Relation, ...Relation[]]);

const isOpportunityOperation = (name: string): boolean => (OPPORTUNITY_OPERATIONS as readonly string[]).includes(name);

/** The configuration as a host stores it (every key optional); a parsed `OpportunityConfig` is one too. */
export interface OpportunityConfigInput {
  readonly stages?: readonly OpportunityStage[];
  readonly allowSkip?: boolean;
  readonly permissions?: Readonly<Partial<Record<OpportunityOperation, readonly Relation[]>>>;
}

const opportunityConfigShape = z
  .object({
    stages: z
      .array(z.object({ id: idSchema, name: textSchema.min(1).max(200), probability: z.number().int().min(0).max(100) }).strict())
      .min(1)
      .max(50)
      .refine((ss) => new Set(ss.map((s) => s.id)).size === ss.length, { message: 'stage ids must be unique' })
      .optional(),
    allowSkip: z.boolean().optional(),
    permissions: namedRecordSchema(z.array(relationSchema), nameSchema.refine(isOpportunityOperation, { message: 'not an opportunity operation' })).optional(),
  })
  .strict()
  .transform(
    (c): OpportunityConfig =>
      deepFreeze({
        stages: c.stages ?? DEFAULT_OPPORTUNITY_STAGES,
        allowSkip: c.allowSkip ?? false,
        permissions: { ...DEFAULT_OPPORTUNITY_PERMISSIONS, ...c.permissions } as Record<OpportunityOperation, readonly Relation[]>,
      }),
  );

const opportunityConfigs = trustingSchema<OpportunityConfig, OpportunityConfigInput>(
  opportunityConfigShape as unknown as z.ZodType<OpportunityConfig, OpportunityConfigInput>,
);
opportunityConfigs.parser.trust(DEFAULT_OPPORTUNITY_CONFIG);

/**
 * The configuration as stored JSON. Every key is optional (missing keys come from the
 * defaults); `permissions` overrides per operation. Stage ids must be unique. A configuration
 * it returned (deep-frozen) is taken back as it is, without a parse; a copy of one is parsed
 * and gives the same configuration.
 *
 * @example
 * opportunityConfigSchema.parse({ stages: [{ id: 'demo', name: 'Demo', probability: 50 }] }).allowSkip // false
 */
export const opportunityConfigSchema: z.ZodType<OpportunityConfig, OpportunityConfigInput> = opportunityConfigs.schema;

/**
 * Parses a stored configuration once, so a host can keep the parsed one (deep-frozen; passing
 * it back, here or in a context, skips the parse).
 *
 * @example
 * parseOpportunityConfig({ allowSkip: true }) // ok: default stages, allowSkip true
 */
export function parseOpportunityConfig(input: OpportunityConfigInput | undefined): Result<OpportunityConfig, CrmError> {
  return input === undefined ? ok(DEFAULT_OPPORTUNITY_CONFIG) : parseInput(opportunityConfigSchema, input, ['config']);
}

/**
 * Types an opportunity configuration kept in a `const`: `const config = defineOpportunityConfig({ … })`
 * keeps its relations the literal names `OpportunityConfigInput` takes (a plain object literal
 * widens them to `string`), and a misspelt key is a compile error. An identity: it returns its
 * argument as it is — not validated (the doors parse it, or call `parseOpportunityConfig`), not
 * copied, not frozen — and never throws.
 *
 * @example
 * const config = defineOpportunityConfig({ allowSkip: true, permissions: { reopen: ['ownerSuperior', 'crmAdmin'] } });
 * decideOpportunity(opp, { type: 'advance' }, { now, actor, config });
 */
export function defineOpportunityConfig(config: OpportunityConfigInput): OpportunityConfigInput {
  return config;
}

/* --------------------------------------------------------------- commands, context */

const reasonText = textSchema.max(2000);

/**
 * Data for a new opportunity; the owner defaults to the actor, the stage to the first one.
 *
 * @example
 * openOpportunityInputSchema.parse({ id: 'O1', name: 'ERP 升级', customerId: 'C1', amount: { minor: 500_000_00, currency: 'CNY' } })
 */
export const openOpportunityInputSchema = z
  .object({
    id: idSchema,
    name: nonBlank(500),
    customerId: idSchema,
    ownerId: idSchema.optional(),
    stageId: idSchema.optional(),
    sourceLeadId: idSchema.nullable().optional(),
    /** The channel its lead came from (a conversion passes the lead's). */
    channel: nameSchema.nullable().optional(),
    expectedCloseDate: instantSchema.nullable().optional(),
    amount: opportunityAmountSchema.nullable().optional(),
    /** Open it although an open opportunity of the customer has the same name (a superior or the CRM admin only). */
    allowDuplicateName: z.boolean().optional(),
  })
  .strict();

/** Input of `openOpportunity` (instants may be `Date` or ISO strings). */
export type OpenOpportunityInput = z.input<typeof openOpportunityInputSchema>;

/**
 * The schema of every command on an existing opportunity, discriminated by `type`. Unknown keys are refused.
 *
 * @example
 * opportunityCommandSchema.parse({ type: 'close', outcome: 'lost', reason: '预算取消' })
 */
export const opportunityCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('advance') }).strict(),
  z.object({ type: z.literal('stepBack') }).strict(),
  z.object({ type: z.literal('moveToStage'), stageId: idSchema }).strict(),
  z.object({ type: z.literal('close'), outcome: z.enum(OPPORTUNITY_CLOSE_OUTCOMES), reason: reasonText.nullable().optional() }).strict(),
  z.object({ type: z.literal('reopen'), stageId: idSchema.optional(), reason: reasonText.optional() }).strict(),
]);

/** A command on an opportunity, as a host sends it. */
export type OpportunityCommandInput = z.input<typeof opportunityCommandSchema>;
/** A parsed command. */
export type OpportunityCommand = z.output<typeof opportunityCommandSchema>;

/** The context an opportunity rule decides in: the time (never read from a clock), the actor, the config. */
export interface OpportunityContext {
  readonly now: Date | string;
  readonly actor: ActorInput;
  readonly config?: OpportunityConfigInput;
  /**
   * For opening only: the customer's other opportunities (the host's list; the services read
   * the open ones from their store when it lists them). An open one with the same name —
   * compared by `opportunityNameKey`: without case, width, spaces or punctuation — refuses a
   * new one (`OPPORTUNITY_NAME_EXISTS`), so two reps do not chase one project, unless a
   * superior or the CRM admin opens it with `allowDuplicateName`. A check before a write, not a
   * lock: two opens at the same instant can both pass. Other commands and the renewal planner
   * (which has its own check per order) do not read it.
   */
  readonly siblings?: readonly OpportunitySibling[];
}

/** Another opportunity of the customer, as far as the name check reads it (a whole stored opportunity will do). */
export interface OpportunitySibling {
  readonly id: string;
  readonly name: string;
  /** Only an open one clashes; absent is taken as open. */
  readonly status?: OpportunityStatus;
  /** Absent is taken as the new opportunity's customer. */
  readonly customerId?: string;
}

/** Who may open an opportunity under a name an open one of the customer has: those who see both reps' work. */
export const DUPLICATE_OPPORTUNITY_NAME_RELATIONS: readonly Relation[] = Object.freeze(['ownerSuperior', 'crmAdmin'] as const);

const siblingSchema = z.object({ id: idSchema, name: textSchema.max(500), status: z.enum(OPPORTUNITY_STATUSES).optional(), customerId: idSchema.optional() }).loose();

/**
 * The schema of an opportunity context (strict; `now` may be an ISO string).
 *
 * @example
 * opportunityContextSchema.parse({ now: '2026-05-06T01:00:00Z', actor: { id: 'u1', relations: [] } })
 */
export const opportunityContextSchema = z
  .object({ now: instantSchema, actor: actorSchema, config: opportunityConfigSchema.optional(), siblings: z.array(siblingSchema).max(100_000).optional() })
  .strict();

/** A parsed context. */
export type ParsedOpportunityContext = z.output<typeof opportunityContextSchema>;

/* ------------------------------------------------------------------------- decisions */

/** The event types an opportunity rule emits. */
export type OpportunityEventType =
  | 'opportunity.opened'
  | 'opportunity.advanced'
  | 'opportunity.steppedBack'
  | 'opportunity.movedToStage'
  | 'opportunity.closed'
  | 'opportunity.reopened';

export type { OpportunityEvent } from './events.js';

/** A successful decision: the next opportunity (frozen, version + 1) and what happened. */
export interface OpportunityDecision<O extends Opportunity = Opportunity> {
  readonly opportunity: O;
  readonly events: readonly OpportunityEvent[];
}

const OPERATION_EVENT = Object.freeze({
  advance: 'opportunity.advanced',
  stepBack: 'opportunity.steppedBack',
  moveToStage: 'opportunity.movedToStage',
  close: 'opportunity.closed',
  reopen: 'opportunity.reopened',
}) satisfies Readonly<Record<OpportunityOperation, OpportunityEventType>>;

/** The `data` an operation's change adds to its event's status change (`from`, `to`). */
type OperationData<O extends OpportunityOperation> = O extends OpportunityOperation
  ? Omit<OpportunityEventDataByType[(typeof OPERATION_EVENT)[O]], 'from' | 'to'>
  : never;

/** What a renewal adds to its `opportunity.opened` event. */
type RenewalEventData = Pick<OpportunityEventDataByType['opportunity.opened'], 'origin' | 'renewalOfOrderId' | 'serviceEndDate' | 'dueDate' | 'late'>;

/** Parsed data for a new opportunity, plus extra event data (used by the renewal planner). */
interface OpenPlan {
  readonly input: z.output<typeof openOpportunityInputSchema>;
  readonly eventData?: RenewalEventData;
}

/**
 * Builds a new open opportunity from parsed input and context, without validating again.
 * For batch callers inside this module (e.g. the renewal planner); hosts call `openOpportunity`.
 *
 * @internal
 * @example
 * openParsedOpportunity({ input: parsedInput }, parsedCtx)
 */
export function openParsedOpportunity(plan: OpenPlan, ctx: ParsedOpportunityContext): Result<OpportunityDecision<OpenOpportunity>, CrmError> {
  const { input } = plan;
  const config = ctx.config ?? DEFAULT_OPPORTUNITY_CONFIG;
  const stage = input.stageId === undefined ? config.stages[0] : config.stages.find((s) => s.id === input.stageId);
  if (stage === undefined) {
    // no stage found with a configured list of at least one: a stage id was given
    return refuse('OPPORTUNITY_STAGE_UNKNOWN', { stageId: input.stageId!, knownStages: config.stages.map((s) => s.id) });
  }
  // a name of punctuation only keys to nothing, and names nothing another could share
  const key = opportunityNameKey(input.name);
  const clash =
    key === ''
      ? undefined
      : (ctx.siblings ?? []).find(
          (o) => o.id !== input.id && (o.status ?? 'open') === 'open' && (o.customerId ?? input.customerId) === input.customerId && opportunityNameKey(o.name) === key,
        );
  if (clash !== undefined && !(input.allowDuplicateName === true && isPermitted(ctx.actor.relations, DUPLICATE_OPPORTUNITY_NAME_RELATIONS))) {
    return refuse('OPPORTUNITY_NAME_EXISTS', { opportunityId: clash.id, customerId: input.customerId, name: input.name, allowedRelations: DUPLICATE_OPPORTUNITY_NAME_RELATIONS });
  }
  const opportunity = {
      id: input.id,
      version: 1,
      name: input.name,
      customerId: input.customerId,
      ownerId: input.ownerId ?? ctx.actor.id,
      stageId: stage.id,
      status: 'open',
      probability: stage.probability,
      closeReason: null,
      closedAt: null,
      closedBy: null,
      sourceLeadId: input.sourceLeadId ?? null,
      channel: input.channel ?? null,
      expectedCloseDate: input.expectedCloseDate ?? null,
      amount: input.amount ?? null,
      createdAt: ctx.now,
      createdBy: ctx.actor.id,
      updatedAt: ctx.now,
    } as OpenOpportunity;
  const event = opportunityEvent({
    type: 'opportunity.opened',
    at: ctx.now,
    actorId: ctx.actor.id,
    subject: { kind: 'opportunity', id: opportunity.id },
    version: opportunity.version,
    data: {
      to: 'open',
      stageId: stage.id,
      probability: stage.probability,
      ownerId: opportunity.ownerId,
      customerId: opportunity.customerId,
      sourceLeadId: opportunity.sourceLeadId,
      duplicateOf: clash?.id ?? null,
      ...plan.eventData,
    },
  });
  return ok(answer({ opportunity, events: [event] }));
}

/**
 * A decision as the rules return it: copied once (`ownCopy`: every Date in it its own, none the
 * input's or another field's), the opportunity sealed (deep-frozen and trusted when it comes
 * back unchanged), the rest deep-frozen.
 */
function answer<D extends OpportunityDecision>(decision: D): D {
  const out = ownFrozenCopy(decision);
  opportunityParser.trust(out.opportunity);
  return out;
}

/**
 * Opens (creates) an opportunity at the first configured stage, or at `stageId`, with version 1.
 * The owner defaults to the actor.
 *
 * @example
 * openOpportunity({ id: 'O1', name: 'ERP 升级', customerId: 'C1' }, { now, actor: { id: 'u1', relations: [] } })
 * // ok: status 'open', stageId 'qualify', probability 10, one 'opportunity.opened' event
 */
export function openOpportunity(input: OpenOpportunityInput, context: OpportunityContext): Result<OpportunityDecision<OpenOpportunity>, CrmError> {
  const parsedInput = parseInput(openOpportunityInputSchema, input, ['input']);
  if (!parsedInput.ok) return parsedInput;
  const ctx = parseInput(opportunityContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;
  return openParsedOpportunity({ input: parsedInput.value }, ctx.value);
}

/**
 * Decides any command on an opportunity: validates the opportunity, the command and the
 * context, checks the transition table, the actor's permission, the time, and the operation's
 * own rules; returns the next opportunity (version + 1, frozen) and its events — or a refusal,
 * leaving the input untouched.
 *
 * @example
 * decideOpportunity(opp, { type: 'close', outcome: 'lost', reason: '预算取消' }, { now, actor: { id: opp.ownerId, relations: [] } })
 */
export function decideOpportunity(
  opportunity: Opportunity,
  command: OpportunityCommandInput,
  context: OpportunityContext,
): Result<OpportunityDecision, CrmError> {
  const opp = parseOpportunity(opportunity);
  if (!opp.ok) return opp;
  const cmd = parseInput(opportunityCommandSchema, command, ['command']);
  if (!cmd.ok) return cmd;
  const ctx = parseInput(opportunityContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;
  return decideParsedOpportunity(opp.value, cmd.value, ctx.value);
}

function stageIndex(config: OpportunityConfig, stageId: string): number {
  return config.stages.findIndex((s) => s.id === stageId);
}

function unknownStage(config: OpportunityConfig, stageId: string, opportunityId: string): Result<never, CrmError> {
  return refuse('OPPORTUNITY_STAGE_UNKNOWN', { opportunityId, stageId, knownStages: config.stages.map((s) => s.id) });
}

/** Status and permission: the part of a decision that needs neither the command nor the time. */
function gate(opp: Opportunity, operation: OpportunityOperation, actor: Actor, config: OpportunityConfig): CrmError | null {
  const row = OPPORTUNITY_TRANSITIONS[operation];
  if (!row.from.includes(opp.status)) {
    return ruleError('OPPORTUNITY_TRANSITION_NOT_ALLOWED', { opportunityId: opp.id, from: opp.status, operation, allowedFrom: row.from });
  }
  const held = actorRelations(actor, opp.ownerId);
  const allowed = config.permissions[operation];
  if (!isPermitted(held, allowed)) {
    return ruleError('OPPORTUNITY_PERMISSION_DENIED', { opportunityId: opp.id, operation, allowedRelations: allowed, actorRelations: held });
  }
  return null;
}

interface Change<O extends OpportunityOperation = OpportunityOperation> {
  readonly patch: Partial<Record<keyof Opportunity, unknown>>;
  readonly data: OperationData<O>;
}

function stageChange(opp: Opportunity, config: OpportunityConfig, to: number): Result<Change<'advance' | 'stepBack' | 'moveToStage'>, CrmError> {
  const stage = config.stages[to];
  if (stage === undefined) throw new InvariantError(`stage index ${to} out of range`);
  return ok({
    patch: { stageId: stage.id, probability: stage.probability },
    data: { fromStageId: opp.stageId, toStageId: stage.id, previousProbability: opp.probability, probability: stage.probability },
  });
}

function change(opp: Opportunity, cmd: OpportunityCommand, ctx: ParsedOpportunityContext, config: OpportunityConfig): Result<Change, CrmError> {
  const current = stageIndex(config, opp.stageId);
  switch (cmd.type) {
    case 'advance': {
      if (current === -1) return unknownStage(config, opp.stageId, opp.id);
      if (current === config.stages.length - 1) return refuse('OPPORTUNITY_NO_NEXT_STAGE', { opportunityId: opp.id, stageId: opp.stageId });
      return stageChange(opp, config, current + 1);
    }
    case 'stepBack': {
      if (current === -1) return unknownStage(config, opp.stageId, opp.id);
      if (current === 0) return refuse('OPPORTUNITY_NO_PREVIOUS_STAGE', { opportunityId: opp.id, stageId: opp.stageId });
      return stageChange(opp, config, current - 1);
    }
    case 'moveToStage': {
      const target = stageIndex(config, cmd.stageId);
      if (target === -1) return unknownStage(config, cmd.stageId, opp.id);
      if (target === current) return refuse('OPPORTUNITY_STAGE_UNCHANGED', { opportunityId: opp.id, stageId: opp.stageId });
      // From a stage no longer configured, any configured stage is a valid correction.
      if (current !== -1 && !config.allowSkip && target > current + 1) {
        const skipped = config.stages.slice(current + 1, target).map((s) => s.id);
        return refuse('OPPORTUNITY_STAGE_SKIP_NOT_ALLOWED', { opportunityId: opp.id, from: opp.stageId, to: cmd.stageId, skipped });
      }
      return stageChange(opp, config, target);
    }
    case 'close': {
      const reason = cmd.reason?.trim() ? cmd.reason.trim() : null;
      if (cmd.outcome !== 'won' && reason === null) {
        return refuse('OPPORTUNITY_CLOSE_REASON_REQUIRED', { opportunityId: opp.id, outcome: cmd.outcome });
      }
      const probability = CLOSED_PROBABILITY[cmd.outcome];
      return ok<Change<'close'>>({
        patch: { status: cmd.outcome, probability, closeReason: reason, closedAt: ctx.now, closedBy: ctx.actor.id },
        data: { outcome: cmd.outcome, reason, stageId: opp.stageId, previousProbability: opp.probability, probability },
      });
    }
    case 'reopen': {
      const stageId = cmd.stageId ?? opp.stageId;
      const stage = config.stages.find((s) => s.id === stageId);
      if (stage === undefined) return unknownStage(config, stageId, opp.id);
      const reason = cmd.reason?.trim() ? cmd.reason.trim() : null;
      return ok<Change<'reopen'>>({
        patch: { status: 'open', stageId: stage.id, probability: stage.probability, closeReason: null, closedAt: null, closedBy: null },
        data: {
          closedAs: opp.status,
          previousCloseReason: opp.closeReason,
          fromStageId: opp.stageId,
          toStageId: stage.id,
          probability: stage.probability,
          reason,
        },
      });
    }
  }
}

/**
 * Decides a command on values already parsed (the service's path).
 *
 * @internal
 */
export function decideParsedOpportunity(opp: Opportunity, cmd: OpportunityCommand, ctx: ParsedOpportunityContext): Result<OpportunityDecision, CrmError> {
  const config = ctx.config ?? DEFAULT_OPPORTUNITY_CONFIG;
  const operation = cmd.type;
  const refused = gate(opp, operation, ctx.actor, config);
  if (refused) return { ok: false, error: refused };
  if (ctx.now.getTime() < opp.updatedAt.getTime()) {
    return refuse('OPPORTUNITY_TIME_BEFORE_LAST_CHANGE', { opportunityId: opp.id, now: new Date(ctx.now.getTime()), updatedAt: new Date(opp.updatedAt.getTime()) });
  }
  const decided = change(opp, cmd, ctx, config);
  if (!decided.ok) return decided;
  const { patch, data } = decided.value;
  const next = { ...opp, ...patch, version: opp.version + 1, updatedAt: ctx.now } as Opportunity;
  const event = opportunityEvent({
    type: OPERATION_EVENT[operation],
    at: ctx.now,
    actorId: ctx.actor.id,
    subject: { kind: 'opportunity', id: opp.id },
    version: next.version,
    data: { from: opp.status, to: next.status, ...data },
  });
  return ok(answer({ opportunity: next, events: [event] }));
}

/* ------------------------------------------------------------------ questions (menus) */

function stageAvailability(opp: Opportunity, operation: OpportunityOperation, config: OpportunityConfig): boolean {
  const current = stageIndex(config, opp.stageId);
  switch (operation) {
    case 'advance':
      return current !== -1 && current < config.stages.length - 1;
    case 'stepBack':
      return current > 0;
    case 'moveToStage':
      return current === -1 ? config.stages.length > 0 : config.stages.length > 1;
    case 'close':
    case 'reopen':
      return true;
  }
}

/**
 * Whether the actor may run `operation` on this opportunity: the status allows it, one of the
 * actor's relations is permitted, and the stage list leaves somewhere to go (no `advance` from
 * the last open stage). Invalid data or configuration answers `false`.
 *
 * @example
 * canOpportunity(wonOpp, 'reopen', { id: 'rep', relations: [] }) // false: only a superior or CRM admin reopens
 */
export function canOpportunity(
  opportunity: Opportunity,
  operation: OpportunityOperation,
  actor: ActorInput,
  config?: OpportunityConfigInput | OpportunityConfig,
): boolean {
  return (OPPORTUNITY_OPERATIONS as readonly unknown[]).includes(operation) && availableOpportunityOperations(opportunity, actor, config).includes(operation);
}

/**
 * The operations this actor may run on this opportunity now, in table order, for menus.
 *
 * @example
 * availableOpportunityOperations(openAtQualify, { id: ownerId, relations: [] }) // ['advance', 'moveToStage', 'close']
 */
export function availableOpportunityOperations(
  opportunity: Opportunity,
  actor: ActorInput,
  config?: OpportunityConfigInput | OpportunityConfig,
): readonly OpportunityOperation[] {
  const opp = parseOpportunity(opportunity);
  const parsedActor = parseInput(actorSchema, actor);
  const cfg = configOf(config);
  if (!opp.ok || !parsedActor.ok || cfg === null) return NO_OPERATIONS;
  return Object.freeze(
    OPPORTUNITY_OPERATIONS.filter((op) => gate(opp.value, op, parsedActor.value, cfg) === null && stageAvailability(opp.value, op, cfg)),
  );
}

const NO_OPERATIONS: readonly OpportunityOperation[] = Object.freeze([]);

/** A configuration as a question reads it: the default, a parsed one, or stored JSON; null when malformed. */
function configOf(config: unknown): OpportunityConfig | null {
  if (config === undefined) return DEFAULT_OPPORTUNITY_CONFIG;
  const cfg = parseInput(opportunityConfigSchema, config);
  return cfg.ok ? cfg.value : null;
}

/* ------------------------------------------------- typed doors, one per operation */

/**
 * A typed door's command (`closeOpportunity`, `reopenOpportunity`, …): the fields of that
 * operation's command, without `type` (the door supplies it).
 *
 * @example
 * const command: OpportunityCommandFields<'close'> = { outcome: 'lost', reason: '预算取消' };
 */
type Cmd<T extends OpportunityCommand['type']> = Omit<Extract<OpportunityCommandInput, { type: T }>, 'type'>;
export type { Cmd as OpportunityCommandFields };

/**
 * Moves an open opportunity to the next stage (验证客户 → 需求确定 …); at the last open stage it
 * refuses `OPPORTUNITY_NO_NEXT_STAGE` (close it instead).
 *
 * @example
 * advanceOpportunity(opp, { now, actor: { id: opp.ownerId, relations: [] } }) // qualify → needs_confirmed, probability 30
 */
export function advanceOpportunity(opportunity: OpenOpportunity, context: OpportunityContext): Result<OpportunityDecision<OpenOpportunity>, CrmError> {
  return decideOpportunity(opportunity, { type: 'advance' }, context) as Result<OpportunityDecision<OpenOpportunity>, CrmError>;
}

/**
 * Moves an open opportunity back one stage; at the first stage it refuses `OPPORTUNITY_NO_PREVIOUS_STAGE`.
 *
 * @example
 * stepBackOpportunity(oppAtProposal, ctx) // proposal → needs_confirmed
 */
export function stepBackOpportunity(opportunity: OpenOpportunity, context: OpportunityContext): Result<OpportunityDecision<OpenOpportunity>, CrmError> {
  return decideOpportunity(opportunity, { type: 'stepBack' }, context) as Result<OpportunityDecision<OpenOpportunity>, CrmError>;
}

/**
 * Moves an open opportunity to a given stage. Backward moves of any length are allowed;
 * forward jumps beyond the next stage need `config.allowSkip`.
 *
 * @example
 * moveOpportunityToStage(opp, { stageId: 'proposal' }, ctx) // from needs_confirmed: ok
 */
export function moveOpportunityToStage(
  opportunity: OpenOpportunity,
  command: Cmd<'moveToStage'>,
  context: OpportunityContext,
): Result<OpportunityDecision<OpenOpportunity>, CrmError> {
  return decideOpportunity(opportunity, { type: 'moveToStage', ...command }, context) as Result<OpportunityDecision<OpenOpportunity>, CrmError>;
}

/**
 * Closes an open opportunity as won (100%), lost or invalid (0%); lost and invalid need a
 * non-blank reason. The stage it was closed from is kept.
 *
 * @example
 * closeOpportunity(opp, { outcome: 'lost', reason: '客户选择了竞品' }, ctx)
 */
export function closeOpportunity(
  opportunity: OpenOpportunity,
  command: Cmd<'close'>,
  context: OpportunityContext,
): Result<OpportunityDecision<ClosedOpportunity>, CrmError> {
  return decideOpportunity(opportunity, { type: 'close', ...command }, context) as Result<OpportunityDecision<ClosedOpportunity>, CrmError>;
}

/**
 * Reopens a closed opportunity at the stage it was closed from (or `stageId`), with that
 * stage's probability. By default only the owner's superior or a CRM admin may.
 *
 * @example
 * reopenOpportunity(lostOpp, { reason: '客户重新询价' }, { now, actor: { id: 'boss', relations: ['ownerSuperior'] } })
 */
export function reopenOpportunity(
  opportunity: ClosedOpportunity,
  command: Cmd<'reopen'>,
  context: OpportunityContext,
): Result<OpportunityDecision<OpenOpportunity>, CrmError> {
  return decideOpportunity(opportunity, { type: 'reopen', ...command }, context) as Result<OpportunityDecision<OpenOpportunity>, CrmError>;
}

/**
 * The relations allowed to run an operation under a configuration (parsed or stored JSON);
 * none for an unknown operation or a malformed configuration.
 *
 * @example
 * opportunityOperationRelations('reopen') // ['ownerSuperior', 'crmAdmin']
 */
export function opportunityOperationRelations(
  operation: OpportunityOperation,
  config: OpportunityConfig | OpportunityConfigInput = DEFAULT_OPPORTUNITY_CONFIG,
): readonly Relation[] {
  if (typeof operation !== 'string' || !(OPPORTUNITY_OPERATIONS as readonly string[]).includes(operation)) return NO_RELATIONS;
  const cfg = configOf(config);
  return cfg === null ? NO_RELATIONS : cfg.permissions[operation];
}

const NO_RELATIONS: readonly Relation[] = Object.freeze([]);
