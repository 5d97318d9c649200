import type { PoolCustomer, PoolRecordView } from '../../src/pools/index.js';

/** A pool record view of an unowned customer in `gh-east`, with overrides. */
export function recordView(extra: Partial<PoolRecordView> = {}): PoolRecordView {
  return {
    id: 'C-1',
    kind: 'customer',
    poolId: 'gh-east',
    ownerId: null,
    level: 'normal',
    won: false,
    openOpportunityCount: 0,
    ownedSince: null,
    lastFollowUpAt: null,
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: [],
    attributes: {},
    extendedUntil: null,
    extensionPendingUntil: null,
    warning: null,
    ...extra,
  };
}

/** A stored pool customer (version 1) with overrides. */
export function storedCustomer(id: string, extra: Partial<PoolCustomer> = {}): PoolCustomer {
  const { kind: _kind, ...view } = recordView({ id, level: null });
  return { ...view, version: 1, ...extra };
}
