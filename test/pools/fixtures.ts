import type { EscalationLadderInput, PoolCustomer, PoolRecordView } from '../../src/pools/index.js';

/* 简道云's tiered distribution: a lead unclaimed in the regional pool for 4 working hours goes to the national pool, then to the sales manager. */
export const INBOUND_LADDER: EscalationLadderInput = {
  id: 'inbound',
  version: 1,
  tiers: [
    { kind: 'pool', poolId: 'pool-east', hours: 4 },
    { kind: 'pool', poolId: 'pool-national', hours: 8 },
    { kind: 'owner', ownerId: 'mgr-zhou' },
  ],
  workingHours: { zone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' },
};

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
