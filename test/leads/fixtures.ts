import { expect } from 'vitest';
import {
  createLead,
  decideLead,
  type Lead,
  type LeadCommandInput,
  type LeadContext,
  type LeadStatus,
} from '../../src/leads/index.js';
import type { Actor } from '../../src/core/index.js';

export const T0 = new Date('2026-03-02T01:00:00Z'); // 09:00 in Shanghai
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export const rep: Actor = { id: 'rep-li', relations: ['poolMember'] };
export const otherRep: Actor = { id: 'rep-wang', relations: ['poolMember'] };
export const superior: Actor = { id: 'mgr-zhao', relations: ['ownerSuperior'] };
export const poolAdmin: Actor = { id: 'pool-admin', relations: ['poolAdmin'] };
export const crmAdmin: Actor = { id: 'crm-admin', relations: ['crmAdmin'] };
export const robot: Actor = { id: 'system:reclaim', relations: ['automation'] };
export const stranger: Actor = { id: 'nobody', relations: [] };

export const ctx = (actor: Actor, minutes = 1, extra: Partial<LeadContext> = {}): LeadContext => ({ now: at(minutes), actor, ...extra });

/** Unwraps a successful decision, failing the test with the refusal otherwise. */
export function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) expect.fail(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function imported(id = 'L-1', poolId = 'pool-east'): Lead {
  return must(createLead({ id, source: 'import', name: '张伟', company: '深圳市腾飞科技有限公司', phone: '13800138000', poolId }, ctx(poolAdmin, 0))).lead;
}

export function apply(lead: Lead, command: LeadCommandInput, actor: Actor, minutes: number): Lead {
  return must(decideLead(lead, command, ctx(actor, minutes))).lead;
}

/** A lead in the given status, reached through the real rules. Owned ones belong to `rep`. */
export function leadIn(status: LeadStatus, id = 'L-1'): Lead {
  const unassigned = imported(id);
  if (status === 'unassigned') return unassigned;
  const pending = apply(unassigned, { type: 'claim' }, rep, 1);
  if (status === 'pending') return pending;
  const following = apply(pending, { type: 'followUp', followUpId: 'f-1', result: '电话沟通，客户有采购计划' }, rep, 2);
  if (status === 'following') return following;
  if (status === 'invalid') return apply(following, { type: 'markInvalid', reason: '空号' }, rep, 3);
  if (status === 'voided') return apply(following, { type: 'void', reason: '重复录入' }, rep, 3);
  return apply(following, { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '腾飞科技' } }, rep, 3);
}
