import type { ScoringModelInput } from '../../src/scoring/index.js';

/*
 * A scoring model as a trade-show team in East China would set it up (the 销售易 teardown's
 * 线索打分: points from the lead's characteristics, with the reasons shown), and one lead it
 * scores, with figures worked out by hand in score.test.ts.
 */

export const MODEL: ScoringModelInput = {
  id: 'east-retail',
  version: 1,
  zone: 'Asia/Shanghai',
  rules: [
    { id: 'retail', kind: 'fit', label: '零售行业', when: [{ field: 'attribute:industry', op: 'in', values: ['retail'] }], points: 20 },
    { id: 'east-china', kind: 'fit', label: '华东', when: [{ field: 'attribute:region', op: 'in', values: ['east'] }], points: 10 },
    { id: 'trade-show', kind: 'fit', when: [{ field: 'channel', op: 'in', values: ['tradeShow'] }], points: 15 },
    { id: 'large-company', kind: 'fit', when: [{ field: 'attribute:employees', op: 'atLeast', value: 500 }], points: 10 },
    { id: 'consulting', kind: 'fit', when: [{ field: 'attribute:industry', op: 'in', values: ['consulting'] }], points: -30 },
    { id: 'follow-ups', kind: 'behaviour', events: ['lead.followedUp'], points: 5, cap: 20, decay: { kind: 'halfLife', days: 30 } },
    { id: 'visits', kind: 'behaviour', label: '上门拜访', events: ['lead.followedUp'], where: [{ path: ['followUp', 'channel'], op: 'in', values: ['visit'] }], points: 15, decay: { kind: 'expires', days: 90 } },
    { id: 'form-fills', kind: 'behaviour', events: ['form.submitted'], points: 10, cap: 30 },
    { id: 'unsubscribed', kind: 'behaviour', events: ['email.unsubscribed'], points: -25 },
  ],
  grades: [
    { grade: 'A', min: 100 },
    { grade: 'B', min: 60 },
    { grade: 'C', min: 30 },
    { grade: 'D' },
  ],
  mqlThreshold: 60,
};

export const LEAD = {
  id: 'L-2026-0312',
  channel: 'tradeShow',
  source: 'tradeShow',
  company: '华联超市（苏州）',
  attributes: { industry: 'retail', region: 'east', employees: 800 },
  ownerId: null,
  poolId: 'pool-east',
};

const followUp = (at: string, channel: string) => ({ type: 'lead.followedUp', at, actorId: 'rep-li', data: { followUp: { channel, note: '电话沟通' } } });

export const EVENTS = [
  followUp('2026-03-02T15:00:00+08:00', 'phone'),
  followUp('2026-01-15T11:00:00+08:00', 'phone'),
  followUp('2026-03-10T14:00:00+08:00', 'visit'),
  { type: 'form.submitted', at: '2026-03-12T09:00:00+08:00', data: { form: 'price-list' } },
  { type: 'form.submitted', at: '2026-03-15T09:00:00+08:00', data: { form: 'demo' } },
  { type: 'form.submitted', at: '2026-03-16T09:00:00+08:00', data: {} },
  { type: 'form.submitted', at: '2026-03-18T09:00:00+08:00', data: {} },
  { type: 'email.bounced', at: '2026-03-18T10:00:00+08:00', data: {} },
  { type: 'email.unsubscribed', at: '2026-03-19T20:00:00+08:00', data: {} },
  followUp('2026-03-25T10:00:00+08:00', 'phone'),
] as const;

export const NOW = '2026-03-20T10:00:00+08:00';
