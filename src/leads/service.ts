import { localizeService, refuse, type CrmError } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { ok, type Result } from '../core/result.js';
import { parseInput, idSchema } from '../core/validation.js';
import { leadCommandSchema, leadContextSchema, type CreateLeadInput, type LeadCommandInput, type LeadContext } from './commands.js';
import { createLead, decideLead, type LeadDecision, type LeadEvent } from './lifecycle.js';
import {
  decideOpportunity,
  openOpportunity,
  type OpenOpportunity,
  type OpenOpportunityInput,
  type OpportunityCommandInput,
  type OpportunityConfigInput,
  type OpportunityContext,
  type OpportunityDecision,
  type OpportunityEvent,
} from './opportunity.js';
import type { ClaimGate, LeadStore } from './ports.js';

/** What the lead service needs: a store, optionally the pools' claim gate and the opportunity config. */
export interface LeadServiceDeps {
  readonly store: LeadStore;
  readonly claimGate?: ClaimGate;
  /** The stage list used for opportunities created by a conversion. */
  readonly opportunityConfig?: OpportunityConfigInput;
  /** The language of the refusals the service returns (default English). */
  readonly messages?: ShippedLocale | MessageCatalogInput;
}

/** A lead decision as saved: a conversion with an opportunity also returns the opened opportunity and its event. */
export interface SavedLeadDecision extends Omit<LeadDecision, 'events'> {
  readonly events: readonly (LeadEvent | OpportunityEvent)[];
  readonly opportunity?: OpenOpportunity;
}

/** The lead use cases over the ports: load → decide → save with the loaded version. */
export interface LeadService {
  /** Creates a lead; `CONFLICT` if the id is taken. */
  create(input: CreateLeadInput, ctx: LeadContext): Promise<Result<LeadDecision, CrmError>>;
  /**
   * Loads the lead, decides the command, saves over the loaded version. A conversion that
   * names an opportunity opens it (owned by the lead's owner, linked by `sourceLeadId`) and
   * saves both in one commit.
   */
  execute(leadId: string, command: LeadCommandInput, ctx: LeadContext): Promise<Result<SavedLeadDecision, CrmError>>;
}

/**
 * Builds the lead service. Every call is load → rule → commit with the version it loaded, so
 * two people changing the same lead at once get one success and one `CONFLICT`, never a lost
 * update. Claims ask the `claimGate` (pool quota, cooldown) first, when one is given.
 *
 * @example
 * const leads = createLeadService({ store: createMemoryLeadStore() });
 * await leads.execute('L1', { type: 'claim' }, { now, actor: { id: 'u2', relations: ['poolMember'] } });
 */
export function createLeadService(deps: LeadServiceDeps): LeadService {
  const { store, claimGate, opportunityConfig, messages } = deps;
  const service: LeadService = {
    async create(input, ctx) {
      const decided = createLead(input, ctx);
      if (!decided.ok) return decided;
      const saved = await store.commit({ leads: [{ record: decided.value.lead, expectedVersion: null }] });
      return saved.ok ? decided : saved;
    },
    async execute(leadId, command, ctx) {
      const id = parseInput(idSchema, leadId, ['leadId']);
      if (!id.ok) return id;
      const parsedCommand = parseInput(leadCommandSchema, command, ['command']);
      if (!parsedCommand.ok) return parsedCommand;
      const parsedContext = parseInput(leadContextSchema, ctx, ['context']);
      if (!parsedContext.ok) return parsedContext;
      const lead = await store.loadLead(id.value);
      if (!lead) return refuse('NOT_FOUND', { entity: 'lead', id: leadId });
      let context = ctx;
      if (parsedCommand.value.type === 'claim' && claimGate) {
        // The gate is the authority when configured: a caller's own poolCheck is not trusted.
        const { actor, now } = parsedContext.value;
        context = { ...ctx, poolCheck: await claimGate.check({ lead, actor, now }) };
      }
      const decided = decideLead(lead, command, context);
      if (!decided.ok) return decided;
      const plan = decided.value.conversion?.opportunity;
      if (!plan) {
        const saved = await store.commit({ leads: [{ record: decided.value.lead, expectedVersion: lead.version }] });
        return saved.ok ? ok(decided.value) : saved;
      }
      const opened = openOpportunity(
        {
          id: plan.opportunityId,
          name: plan.name,
          customerId: decided.value.conversion!.customer.customerId,
          ownerId: decided.value.lead.ownerId ?? ctx.actor.id,
          sourceLeadId: lead.id,
          expectedCloseDate: plan.expectedCloseDate,
          ...(plan.stageId ? { stageId: plan.stageId } : {}),
        },
        { now: ctx.now, actor: ctx.actor, ...(opportunityConfig ? { config: opportunityConfig } : {}) },
      );
      if (!opened.ok) return opened;
      const saved = await store.commit({
        leads: [{ record: decided.value.lead, expectedVersion: lead.version }],
        opportunities: [{ record: opened.value.opportunity, expectedVersion: null }],
      });
      if (!saved.ok) return saved;
      return ok({
        ...decided.value,
        events: [...decided.value.events, ...opened.value.events],
        opportunity: opened.value.opportunity,
      });
    },
  };
  return messages === undefined ? service : localizeService(service, messages);
}

/** The opportunity use cases over the same store. */
export interface OpportunityService {
  /** Opens an opportunity directly (not from a lead); `CONFLICT` if the id is taken. */
  open(input: OpenOpportunityInput, ctx: OpportunityContext): Promise<Result<OpportunityDecision, CrmError>>;
  /** Loads, decides, saves over the loaded version. */
  execute(opportunityId: string, command: OpportunityCommandInput, ctx: OpportunityContext): Promise<Result<OpportunityDecision, CrmError>>;
}

/**
 * Builds the opportunity service.
 *
 * @example
 * const opportunities = createOpportunityService({ store });
 * await opportunities.execute('O-1', { type: 'advance' }, { now, actor });
 */
export function createOpportunityService(deps: {
  readonly store: LeadStore;
  readonly messages?: ShippedLocale | MessageCatalogInput;
}): OpportunityService {
  const { store, messages } = deps;
  const service: OpportunityService = {
    async open(input, ctx) {
      const opened = openOpportunity(input, ctx);
      if (!opened.ok) return opened;
      const saved = await store.commit({ opportunities: [{ record: opened.value.opportunity, expectedVersion: null }] });
      return saved.ok ? opened : saved;
    },
    async execute(opportunityId, command, ctx) {
      const id = parseInput(idSchema, opportunityId, ['opportunityId']);
      if (!id.ok) return id;
      const current = await store.loadOpportunity(id.value);
      if (!current) return refuse('NOT_FOUND', { entity: 'opportunity', id: opportunityId });
      const decided = decideOpportunity(current, command, ctx);
      if (!decided.ok) return decided;
      const saved = await store.commit({ opportunities: [{ record: decided.value.opportunity, expectedVersion: current.version }] });
      return saved.ok ? decided : saved;
    },
  };
  return messages === undefined ? service : localizeService(service, messages);
}
