import type { PoolPolicyInput } from '../../src/pools/index.js';

const sh = (local: string) => new Date(`${local}+08:00`);

/** Shanghai local time as an instant. */
export { sh };

/** The moment most customer examples happen at. */
export const NOW = sh('2026-05-06T10:00:00');

/** The East China customer pool: two members, one admin, reclaim after 15 days without a follow-up. */
export const EAST_POOL: PoolPolicyInput = {
  id: 'gh-east',
  kind: 'customer',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li', 'rep-wang'] },
  reclaimRules: [{ id: 'r-15', trigger: { kind: 'noFollowUp', days: 15 } }],
};
