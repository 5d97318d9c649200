import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { parseInput, instantSchema, idSchema } from '../core/validation.js';
import type { CreateLeadInput, LeadCommandInput, LeadContext } from './commands.js';
import { createLead, decideLead, type LeadDecision } from './lifecycle.js';
import type { ClaimGate, LeadStore } from './ports.js';

/** What the lead service needs: a store, and optionally the pools' claim gate. */
export interface LeadServiceDeps {
  readonly store: LeadStore;
  readonly claimGate?: ClaimGate;
}

/** The lead use cases over the ports: load → decide → save with the loaded version. */
export interface LeadService {
  /** Creates a lead; `CONFLICT` if the id is taken. */
  create(input: CreateLeadInput, ctx: LeadContext): Promise<Result<LeadDecision, CrmError>>;
  /** Loads the lead, decides the command, saves over the loaded version. */
  execute(leadId: string, command: LeadCommandInput, ctx: LeadContext): Promise<Result<LeadDecision, CrmError>>;
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
  const { store, claimGate } = deps;
  return {
    async create(input, ctx) {
      const decided = createLead(input, ctx);
      if (!decided.ok) return decided;
      const saved = await store.commit({ leads: [{ record: decided.value.lead, expectedVersion: null }] });
      return saved.ok ? decided : saved;
    },
    async execute(leadId, command, ctx) {
      const id = parseInput(idSchema, leadId, ['leadId']);
      if (!id.ok) return id;
      const lead = await store.loadLead(id.value);
      if (!lead) return refuse('NOT_FOUND', { entity: 'lead', id: leadId });
      let context = ctx;
      if (command.type === 'claim' && claimGate && ctx.poolCheck === undefined) {
        const now = parseInput(instantSchema, ctx.now, ['context', 'now']);
        if (!now.ok) return now;
        context = { ...ctx, poolCheck: await claimGate.check({ lead, actor: ctx.actor, now: now.value }) };
      }
      const decided = decideLead(lead, command, context);
      if (!decided.ok) return decided;
      const saved = await store.commit({ leads: [{ record: decided.value.lead, expectedVersion: lead.version }] });
      return saved.ok ? ok(decided.value) : saved;
    },
  };
}
