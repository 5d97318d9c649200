import { z } from 'zod';
import { ALL_ERROR_CODES, type ErrorCode } from '../core/codes.js';
import { localizeService, refuse, type CrmError } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { messagesOptionSchema } from '../core/catalog.js';
import { observeService, onEventSchema, type EventListener } from '../core/observe.js';
import { ok, type Result } from '../core/result.js';
import { deepFreeze, parseInput, idSchema, textSchema } from '../core/validation.js';
import { ownCopy } from './boundary.js';
import { hasMethods, storeUnavailable } from '../core/boundary.js';
import { createLeadInputSchema, leadCommandSchema, leadContextSchema, poolCheckSchema, type CreateLeadInput, type LeadCommandInput, type LeadContext } from './commands.js';
import { createLead, decideLead, decideParsed, parseLead, type LeadDecision, type LeadEvent } from './lifecycle.js';
import type { Lead } from './model.js';
import {
  decideParsedOpportunity,
  DEFAULT_OPPORTUNITY_CONFIG,
  opportunityCommandSchema,
  opportunityConfigSchema,
  opportunityContextSchema,
  openOpportunityInputSchema,
  openParsedOpportunity,
  parseOpportunity,
  type OpenOpportunity,
  type OpenOpportunityInput,
  type OpportunityCommandInput,
  type OpportunityConfig,
  type OpportunityConfigInput,
  type OpportunityContext,
  type OpportunityDecision,
  type OpportunityEvent,
} from './opportunity.js';
import type { ClaimGate, CustomerCheck, LeadCommit, LeadRoute, LeadRouter, LeadStore } from './ports.js';
import type { Actor } from '../core/permissions.js';
import { shownConditionSchema } from '../core/conditions.js';

/** What the lead service needs: a store, optionally the pools' claim gate and the opportunity config. */
export interface LeadServiceDeps {
  readonly store: LeadStore;
  readonly claimGate?: ClaimGate;
  /**
   * The duplicate-customer seam: asked before a conversion into a new customer; its answer is
   * the context's `existingCustomers` (the caller's own list is not trusted when one is given).
   */
  readonly customerCheck?: CustomerCheck;
  /**
   * The routing seam: asked for a new lead that names no pool (a manual lead's home pool, an
   * import's pool); the pool it answers is the lead's, and the answer comes back as the
   * creation's `route`. A lead that names its pool is not routed.
   */
  readonly router?: LeadRouter;
  /** The stage list used for opportunities created by a conversion. */
  readonly opportunityConfig?: OpportunityConfigInput;
  /** The language of the refusals the service returns (default English). */
  readonly messages?: ShippedLocale | MessageCatalogInput;
  /** Told each event the service saved, in order, after the save (an outbox, an audit log); one that throws is ignored. */
  readonly onEvent?: EventListener;
}

/** A lead decision as saved: a conversion with an opportunity also returns the opened opportunity and its event. */
export interface SavedLeadDecision extends Omit<LeadDecision, 'events'> {
  readonly events: readonly (LeadEvent | OpportunityEvent)[];
  readonly opportunity?: OpenOpportunity;
}

/** A lead created, and where the router sent it (null when it named its pool or no router is set). */
export interface CreatedLead extends LeadDecision {
  readonly route: LeadRoute | null;
}

/** The lead use cases over the ports: load → decide → save with the loaded version. */
export interface LeadService {
  /**
   * Creates a lead; `CONFLICT` if the id is taken. With a `router` and no `poolId` in the input,
   * the router chooses the pool first (an import it sends nowhere is refused
   * `LEAD_POOL_REQUIRED`, as without a router).
   */
  create(input: CreateLeadInput, ctx: LeadContext): Promise<Result<CreatedLead, CrmError>>;
  /**
   * Loads the lead, decides the command, saves over the loaded version. A conversion that
   * names an opportunity opens it (owned by the lead's owner, linked by `sourceLeadId`) and
   * saves both in one commit.
   */
  execute(leadId: string, command: LeadCommandInput, ctx: LeadContext): Promise<Result<SavedLeadDecision, CrmError>>;
}

const messagesSchema = messagesOptionSchema;
const storeSchema = z.custom<LeadStore>(hasMethods('loadLead', 'loadOpportunity', 'commit'), 'expected a LeadStore (loadLead, loadOpportunity, commit)');

const leadDepsSchema = z.object({
  store: storeSchema,
  claimGate: z.custom<ClaimGate>(hasMethods('check'), 'expected a ClaimGate (check)').optional(),
  customerCheck: z.custom<CustomerCheck>(hasMethods('find'), 'expected a CustomerCheck (find)').optional(),
  router: z.custom<LeadRouter>(hasMethods('route'), 'expected a LeadRouter (route)').optional(),
  opportunityConfig: opportunityConfigSchema.optional(),
  messages: messagesSchema.optional(),
  onEvent: onEventSchema,
});

/** The customer check's answer: a Result of customers (read like the context's `existingCustomers`), or a refusal passed on. */
const customerCheckAnswerSchema = z.union([
  z.object({ ok: z.literal(true), value: leadContextSchema.shape.existingCustomers.unwrap() }),
  poolCheckSchema.transform((r) => r as { ok: false; error: CrmError }).refine((r) => !r.ok),
]);

/** A router's answer: a route (copied, frozen), or a refusal passed on. */
const routeAnswerSchema = z.union([
  z.object({
    ok: z.literal(true),
    value: z
      .object({
        poolId: idSchema.nullable(),
        ownerId: idSchema.nullable().default(null),
        by: z.enum(['rule', 'default', 'none']),
        ruleId: idSchema.nullable(),
        conditions: z.array(shownConditionSchema).max(100),
        score: z.number().finite().nullable(),
        grade: textSchema.max(200).nullable(),
      })
      .strict(),
  }),
  poolCheckSchema.transform((r) => r as { ok: false; error: CrmError }).refine((r) => !r.ok),
]);

/** The answer of a store's `commit`: a Result, or `INVALID_INPUT` when the store answered something else. */
const commitAnswerSchema = z.union([
  z.object({ ok: z.literal(true) }).transform(() => ok(undefined)),
  poolCheckSchema.transform((r) => (r.ok ? ok(undefined) : r)),
]);

/**
 * Commits through the store, reading its answer as a Result (a store that answers anything
 * else is refused as `INVALID_INPUT` at `store.commit`).
 *
 * @internal
 */
export async function commitTo(store: LeadStore, commit: LeadCommit): Promise<Result<void, CrmError>> {
  const answer = parseInput(commitAnswerSchema, await store.commit(commit), ['store', 'commit']);
  // the store's own refusal: its code is checked, its details are passed on as they are
  return answer.ok ? (answer.value as Result<void, CrmError>) : answer;
}

/** The siblings list as the context reads it (anything else a store answers is INVALID_INPUT at `store.listOpenOpportunitiesOfCustomer`). */
const siblingsAnswerSchema = opportunityContextSchema.shape.siblings.unwrap();

/** The customer's opportunities from the store, when it lists them (null when it does not). */
async function siblingsOf(store: LeadStore, customerId: string): Promise<Result<z.output<typeof siblingsAnswerSchema> | null, CrmError>> {
  if (typeof store.listOpenOpportunitiesOfCustomer !== 'function') return ok(null);
  return parseInput(siblingsAnswerSchema, await store.listOpenOpportunitiesOfCustomer(customerId), ['store', 'listOpenOpportunitiesOfCustomer']);
}

/** A service whose every method answers the same refusal (its dependencies were malformed). */
function refusing<S>(methods: readonly string[], error: Result<never, CrmError>): S {
  return Object.freeze(Object.fromEntries(methods.map((m) => [m, async () => error]))) as S;
}

/**
 * Builds the lead service. Every call is load → rule → commit with the version it loaded, so
 * two people changing the same lead at once get one success and one `CONFLICT`, never a lost
 * update. Claims ask the `claimGate` (pool quota, cooldown) first, when one is given. Malformed
 * dependencies (no store) give a service whose every call answers `INVALID_INPUT` at `deps`.
 *
 * @example
 * const leads = createLeadService({ store: createMemoryLeadStore() });
 * await leads.execute('L1', { type: 'claim' }, { now, actor: { id: 'u2', relations: ['poolMember'] } });
 */
export function createLeadService(deps: LeadServiceDeps): LeadService {
  const parsedDeps = parseInput(leadDepsSchema, deps, ['deps']);
  if (!parsedDeps.ok) return refusing<LeadService>(['create', 'execute'], parsedDeps);
  const { store, claimGate, customerCheck, router, messages } = parsedDeps.value;
  const config: OpportunityConfig = parsedDeps.value.opportunityConfig ?? DEFAULT_OPPORTUNITY_CONFIG;
  const service: LeadService = {
    async create(input, ctx) {
      let toCreate: unknown = input;
      let route: LeadRoute | null = null;
      let actor: Actor | null = null;
      if (router !== undefined) {
        const read = parseInput(createLeadInputSchema, input, ['input']);
        if (!read.ok) return read;
        toCreate = read.value;
        if (read.value.poolId === undefined || read.value.poolId === null) {
          const c = parseInput(leadContextSchema, ctx, ['context']);
          if (!c.ok) return c;
          actor = c.value.actor;
          // the router reads the lead as it will be created (status, stage, owner…), before its pool
          // is chosen: a draft created in a placeholder pool, shown with no pool (a refusal here,
          // such as an importer's permission, is the creation's)
          const draft = createLead({ ...read.value, poolId: read.value.source === 'import' ? 'routing' : null }, ctx);
          if (!draft.ok) return draft;
          const view = { ...draft.value.lead, poolId: null, pooledAt: null } as unknown as Lead;
          let answer: unknown;
          try {
            answer = await router.route({ lead: ownCopy(view) as Lead, actor: ownCopy(actor) as Actor, now: new Date(c.value.now.getTime()) });
          } catch (e) {
            return storeUnavailable('route', e, 'notApplied');
          }
          const asked = parseInput(routeAnswerSchema, answer, ['router', 'route']);
          if (!asked.ok) return asked;
          if (!asked.value.ok) return asked.value;
          route = deepFreeze(asked.value.value) as LeadRoute;
          if (route.poolId !== null) toCreate = { ...read.value, poolId: route.poolId };
        }
      }
      const decided = createLead(toCreate as CreateLeadInput, ctx);
      if (!decided.ok) return decided;
      let created: LeadDecision = decided.value;
      if (route !== null && route.ownerId !== null && created.lead.status === 'unassigned') {
        // default assignment: the routing rule is the admin's automation. The lead is created
        // already assigned — one decision, so one version (1), its two events both at version 1
        const assigned = decideLead(created.lead, { type: 'assign', ownerId: route.ownerId }, { now: created.lead.createdAt, actor: { id: actor!.id, relations: ['automation'] } });
        if (!assigned.ok) return assigned;
        const version = created.lead.version;
        created = deepFreeze({
          lead: { ...assigned.value.lead, version },
          events: [...created.events, ...assigned.value.events.map((e) => ({ ...e, version }))],
        }) as LeadDecision;
      }
      const saved = await commitTo(store, { leads: [{ record: created.lead, expectedVersion: null }] });
      return saved.ok ? ok(Object.freeze({ ...created, route })) : saved;
    },
    async execute(leadId, command, ctxInput) {
      const id = parseInput(idSchema, leadId, ['leadId']);
      if (!id.ok) return id;
      const parsedCommand = parseInput(leadCommandSchema, command, ['command']);
      if (!parsedCommand.ok) return parsedCommand;
      const parsedContext = parseInput(leadContextSchema, ctxInput, ['context']);
      if (!parsedContext.ok) return parsedContext;
      const stored = await store.loadLead(id.value);
      if (stored === null || stored === undefined) return refuse('NOT_FOUND', { entity: 'lead', id: id.value });
      let loaded = parseLead(stored, ['store', 'lead']);
      if (!loaded.ok) return loaded;
      let ctx = parsedContext.value;
      if (parsedCommand.value.type === 'claim' && claimGate) {
        // The gate is the authority when configured: a caller's own poolCheck is not trusted.
        // It gets copies (nothing it changes reaches the decision), and the lead, which the
        // store may share with others, is read again after the wait: a Date changed meanwhile
        // makes it parsed in full.
        const question = ownCopy({ lead: loaded.value, actor: ctx.actor, now: ctx.now });
        const verdict = parseInput(poolCheckSchema, await claimGate.check(question), ['claimGate']);
        if (!verdict.ok) return verdict;
        ctx = { ...ctx, poolCheck: verdict.value };
        loaded = parseLead(loaded.value, ['store', 'lead']);
        if (!loaded.ok) return loaded;
      }
      const parsed = parsedCommand.value;
      if (parsed.type === 'convert' && parsed.customer.kind === 'new' && customerCheck) {
        // The rule's own checks first (status, permission, time): the check is asked only for a
        // conversion the rules would otherwise allow, about the customer that decision settled
        // (its name and tax id). The check is then the authority: the caller's own list is not
        // trusted. It gets copies; its answer is read as data, never trusted as given.
        const allowed = decideParsed(loaded.value, parsed, { ...ctx, existingCustomers: [] });
        if (!allowed.ok) return allowed;
        const { customerId, name, taxId } = allowed.value.conversion!.customer;
        const question = ownCopy({ lead: loaded.value, customer: { customerId, name: name!, taxId } });
        const found = parseInput(customerCheckAnswerSchema, await customerCheck.find(question), ['customerCheck']);
        if (!found.ok) return found;
        if (!found.value.ok) return found.value;
        ctx = { ...ctx, existingCustomers: found.value.value };
        loaded = parseLead(loaded.value, ['store', 'lead']);
        if (!loaded.ok) return loaded;
      }
      const lead = loaded.value;
      const decided = decideParsed(lead, parsed, ctx);
      if (!decided.ok) return decided;
      const plan = decided.value.conversion?.opportunity;
      if (!plan) {
        const saved = await commitTo(store, { leads: [{ record: decided.value.lead, expectedVersion: lead.version }] });
        return saved.ok ? ok(decided.value) : saved;
      }
      const input = parseInput(
        openOpportunityInputSchema,
        {
          id: plan.opportunityId,
          name: plan.name,
          customerId: decided.value.conversion!.customer.customerId,
          ownerId: decided.value.lead.ownerId ?? ctx.actor.id,
          sourceLeadId: lead.id,
          channel: plan.channel,
          expectedCloseDate: plan.expectedCloseDate,
          ...(plan.stageId ? { stageId: plan.stageId } : {}),
        },
        ['command', 'opportunity'],
      );
      if (!input.ok) return input;
      // the customer's open opportunities, when the store lists them (a "new" customer's id may be taken)
      const siblings = await siblingsOf(store, input.value.customerId);
      if (!siblings.ok) return siblings;
      const opened = openParsedOpportunity({ input: input.value }, { now: ctx.now, actor: ctx.actor, config, ...(siblings.value === null ? {} : { siblings: siblings.value }) });
      if (!opened.ok) return opened;
      const saved = await commitTo(store, {
        leads: [{ record: decided.value.lead, expectedVersion: lead.version }],
        opportunities: [{ record: opened.value.opportunity, expectedVersion: null }],
      });
      if (!saved.ok) return saved;
      return ok(
        deepFreeze({
          ...decided.value,
          events: [...decided.value.events, ...opened.value.events],
          opportunity: opened.value.opportunity,
        }),
      );
    },
  };
  const observed = observeService(service, parsedDeps.value.onEvent);
  return messages === undefined ? observed : localizeService(observed, messages);
}

/** The opportunity use cases over the same store. */
export interface OpportunityService {
  /** Opens an opportunity directly (not from a lead); `CONFLICT` if the id is taken. */
  open(input: OpenOpportunityInput, ctx: OpportunityContext): Promise<Result<OpportunityDecision, CrmError>>;
  /** Loads, decides, saves over the loaded version. */
  execute(opportunityId: string, command: OpportunityCommandInput, ctx: OpportunityContext): Promise<Result<OpportunityDecision, CrmError>>;
}

const opportunityDepsSchema = z.object({ store: storeSchema, messages: messagesSchema.optional(), onEvent: onEventSchema });

/**
 * Builds the opportunity service (malformed dependencies: every call answers `INVALID_INPUT`).
 *
 * @example
 * const opportunities = createOpportunityService({ store });
 * await opportunities.execute('O-1', { type: 'advance' }, { now, actor });
 */
export function createOpportunityService(deps: {
  readonly store: LeadStore;
  readonly messages?: ShippedLocale | MessageCatalogInput;
  /** Told each event the service saved, in order, after the save; one that throws is ignored. */
  readonly onEvent?: EventListener;
}): OpportunityService {
  const parsedDeps = parseInput(opportunityDepsSchema, deps, ['deps']);
  if (!parsedDeps.ok) return refusing<OpportunityService>(['open', 'execute'], parsedDeps);
  const { store, messages } = parsedDeps.value;
  const service: OpportunityService = {
    async open(input, ctxInput) {
      const parsedInput = parseInput(openOpportunityInputSchema, input, ['input']);
      if (!parsedInput.ok) return parsedInput;
      const ctx = parseInput(opportunityContextSchema, ctxInput, ['context']);
      if (!ctx.ok) return ctx;
      // the rule's own checks first (the stage), then the store's list of the customer's open
      // opportunities, which is the authority when it has one
      const plain = openParsedOpportunity({ input: parsedInput.value }, { ...ctx.value, siblings: [] });
      if (!plain.ok) return plain;
      const siblings = await siblingsOf(store, parsedInput.value.customerId);
      if (!siblings.ok) return siblings;
      const opened = openParsedOpportunity({ input: parsedInput.value }, siblings.value === null ? ctx.value : { ...ctx.value, siblings: siblings.value });
      if (!opened.ok) return opened;
      const saved = await commitTo(store, { opportunities: [{ record: opened.value.opportunity, expectedVersion: null }] });
      return saved.ok ? opened : saved;
    },
    async execute(opportunityId, command, ctxInput) {
      const id = parseInput(idSchema, opportunityId, ['opportunityId']);
      if (!id.ok) return id;
      const cmd = parseInput(opportunityCommandSchema, command, ['command']);
      if (!cmd.ok) return cmd;
      const ctx = parseInput(opportunityContextSchema, ctxInput, ['context']);
      if (!ctx.ok) return ctx;
      const stored = await store.loadOpportunity(id.value);
      if (stored === null || stored === undefined) return refuse('NOT_FOUND', { entity: 'opportunity', id: id.value });
      const current = parseOpportunity(stored);
      if (!current.ok) return current;
      const decided = decideParsedOpportunity(current.value, cmd.value, ctx.value);
      if (!decided.ok) return decided;
      const saved = await commitTo(store, { opportunities: [{ record: decided.value.opportunity, expectedVersion: current.value.version }] });
      return saved.ok ? decided : saved;
    },
  };
  const observed = observeService(service, parsedDeps.value.onEvent);
  return messages === undefined ? observed : localizeService(observed, messages);
}
