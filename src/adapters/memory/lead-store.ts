import type { CrmError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import type { Lead, LeadCommit, LeadStore } from '../../leads/index.js';
import { VersionedTable } from './versioned-table.js';

/** The in-memory lead store, with its tables exposed for tests and demos. */
export interface MemoryLeadStore extends LeadStore {
  readonly leads: VersionedTable<Lead>;
}

/**
 * An in-memory `LeadStore` that checks versions and commits all-or-nothing, like a
 * transaction. The reference a host's own adapter is compared with.
 *
 * @example
 * const store = createMemoryLeadStore();
 * const service = createLeadService({ store });
 */
export function createMemoryLeadStore(): MemoryLeadStore {
  const leads = new VersionedTable<Lead>('lead');
  return {
    leads,
    async loadLead(id) {
      return leads.get(id);
    },
    async commit(commit: LeadCommit): Promise<Result<void, CrmError>> {
      const checked = leads.check(commit.leads);
      if (!checked.ok) return checked;
      leads.apply(commit.leads);
      return checked;
    },
  };
}
