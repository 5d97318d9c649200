import type { CrmError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import type { Lead, LeadCommit, LeadStore, Opportunity } from '../../leads/index.js';
import { VersionedTable } from './versioned-table.js';

/** The in-memory lead store, with its tables exposed for tests and demos. */
export interface MemoryLeadStore extends LeadStore {
  readonly leads: VersionedTable<Lead>;
  readonly opportunities: VersionedTable<Opportunity>;
}

/**
 * An in-memory `LeadStore` that checks versions and commits all-or-nothing across leads and
 * opportunities, like a transaction. The reference a host's own adapter is compared with.
 *
 * @example
 * const store = createMemoryLeadStore();
 * const service = createLeadService({ store });
 */
export function createMemoryLeadStore(): MemoryLeadStore {
  const leads = new VersionedTable<Lead>('lead');
  const opportunities = new VersionedTable<Opportunity>('opportunity');
  return {
    leads,
    opportunities,
    async loadLead(id) {
      return leads.get(id);
    },
    async loadOpportunity(id) {
      return opportunities.get(id);
    },
    async commit(commit: LeadCommit): Promise<Result<void, CrmError>> {
      const leadWrites = commit.leads ?? [];
      const opportunityWrites = commit.opportunities ?? [];
      const checkedLeads = leads.check(leadWrites);
      if (!checkedLeads.ok) return checkedLeads;
      const checkedOpportunities = opportunities.check(opportunityWrites);
      if (!checkedOpportunities.ok) return checkedOpportunities;
      leads.apply(leadWrites);
      opportunities.apply(opportunityWrites);
      return checkedLeads;
    },
  };
}
