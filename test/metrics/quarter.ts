import { type Opportunity } from '../../src/leads/index.js';
import type { OpportunityJourney } from '../../src/metrics/index.js';

/*
 * A quarter of deals at a company on 纷享销客's default stages (验证客户 10%, 需求确定 30%,
 * 方案/报价 60%, 谈判审核 80%), Q1 2026 in Shanghai, seen on March 31 at 10:00.
 */
export const sh = (wall: string) => `${wall}+08:00`;
export const NOW = sh('2026-03-31T10:00:00');
export const Q1 = { from: sh('2026-01-01T00:00:00'), to: sh('2026-04-01T00:00:00'), zone: 'Asia/Shanghai' } as const;
const STAGE_PROBABILITY: Record<string, number> = { qualify: 10, needs_confirmed: 30, proposal: 60, negotiation: 80 };

interface Spec {
  id: string;
  owner: string;
  created: string;
  status: Opportunity['status'];
  stage?: string;
  closed?: string;
  reason?: string;
  amount?: { currency: string; amount: string };
  expectedClose?: string | null;
  updated?: string;
}
export function opp(s: Spec): Opportunity {
  const closed = s.status !== 'open';
  const stageId = s.stage ?? 'negotiation';
  return {
    id: s.id,
    version: 3,
    name: `${s.id} 年度采购`,
    customerId: `C-${s.id}`,
    ownerId: s.owner,
    stageId,
    probability: s.status === 'won' ? 100 : closed ? 0 : STAGE_PROBABILITY[stageId]!,
    sourceLeadId: null,
    channel: 'tradeShow',
    expectedCloseDate: s.expectedClose ? new Date(sh(s.expectedClose)) : null,
    amount: s.amount ? { currency: s.amount.currency, minor: Math.round(Number(s.amount.amount) * 100) } : null,
    createdAt: new Date(sh(s.created)),
    createdBy: s.owner,
    updatedAt: new Date(sh(s.updated ?? s.closed ?? s.created)),
    status: s.status,
    closeReason: s.reason ?? null,
    closedAt: closed ? new Date(sh(s.closed!)) : null,
    closedBy: closed ? s.owner : null,
  } as Opportunity;
}
export const cny = (amount: string) => ({ currency: 'CNY', amount });
export const usd = (amount: string) => ({ currency: 'USD', amount });
export const ev = (type: string, wall: string, data: Record<string, unknown>) => ({ type, at: sh(wall), data });

export const JOURNEYS: OpportunityJourney[] = [
  { opportunity: opp({ id: 'O1', owner: 'rep-li', created: '2026-01-05T09:00:00', status: 'won', closed: '2026-02-04T09:00:00', amount: cny('100000.00') }) },
  { opportunity: opp({ id: 'O2', owner: 'rep-li', created: '2026-01-10T09:00:00', status: 'lost', closed: '2026-02-20T09:00:00', reason: '价格太高', amount: cny('50000.00') }) },
  { opportunity: opp({ id: 'O3', owner: 'rep-wang', created: '2026-02-01T09:00:00', status: 'won', closed: '2026-03-03T09:00:00', amount: cny('30000.00') }) },
  { opportunity: opp({ id: 'O4', owner: 'rep-wang', created: '2026-02-05T09:00:00', status: 'lost', closed: '2026-03-10T09:00:00', reason: '价格太高', amount: usd('5000.00') }) },
  { opportunity: opp({ id: 'O5', owner: 'rep-wang', created: '2026-02-06T09:00:00', status: 'lost', closed: '2026-03-12T09:00:00', reason: '选择了竞品', amount: cny('20000.00') }) },
  { opportunity: opp({ id: 'O6', owner: 'rep-li', created: '2026-03-01T09:00:00', status: 'invalid', closed: '2026-03-15T09:00:00', reason: '重复商机', amount: cny('10000.00') }) },
  { opportunity: opp({ id: 'O7', owner: 'rep-li', created: '2026-03-01T09:00:00', status: 'won', closed: '2026-03-11T09:00:00' }) },
  { opportunity: opp({ id: 'O8', owner: 'rep-li', created: '2026-03-01T09:00:00', status: 'won', closed: '2026-04-02T09:00:00', amount: cny('1.00'), updated: '2026-04-02T09:00:00' }) },
  {
    opportunity: opp({ id: 'O9', owner: 'rep-li', created: '2026-02-01T09:00:00', status: 'open', stage: 'proposal', amount: cny('200000.00'), expectedClose: '2026-04-15T00:00:00', updated: '2026-03-01T09:00:00' }),
    events: [
      ev('opportunity.opened', '2026-02-01T09:00:00', { stageId: 'qualify' }),
      ev('opportunity.advanced', '2026-02-10T09:00:00', { toStageId: 'needs_confirmed' }),
      ev('opportunity.advanced', '2026-02-20T09:00:00', { toStageId: 'proposal' }),
      ev('opportunity.updated', '2026-03-01T09:00:00', {}),
    ],
  },
  {
    opportunity: opp({ id: 'O10', owner: 'rep-wang', created: '2026-03-02T09:00:00', status: 'open', stage: 'negotiation', amount: cny('150000.00'), expectedClose: '2026-03-28T00:00:00', updated: '2026-03-25T09:00:00' }),
    events: [ev('opportunity.opened', '2026-03-02T09:00:00', { stageId: 'qualify' }), ev('opportunity.movedToStage', '2026-03-25T09:00:00', { toStageId: 'negotiation' })],
  },
  { opportunity: opp({ id: 'O11', owner: 'rep-wang', created: '2026-03-20T09:00:00', status: 'open', stage: 'qualify', amount: usd('10000.00'), expectedClose: null, updated: '2026-03-30T09:00:00' }) },
];

