import { describe, expect, it } from 'vitest';
import {
  availableLeadOperations,
  canLead,
  claimLead,
  convertLead,
  createLead,
  decideLead,
  LEAD_OPERATIONS,
  LEAD_TRANSITIONS,
  leadTransitionEdges,
  parseLead,
  reopenLead,
  restoreLead,
  type Lead,
  type LeadCommandInput,
  type UnassignedLead,
} from '../../src/leads/index.js';
import { messagesZhCn, localizeError, ruleError } from '../../src/core/index.js';
import { apply, at, crmAdmin, ctx, imported, leadIn, must, otherRep, poolAdmin, rep, robot, stranger, superior, T0 } from './fixtures.js';

const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('create', () => {
  it('a salesperson’s own lead is pending and owned by its creator', () => {
    const { lead, events } = must(createLead({ id: 'L-9', source: 'manual', name: '王芳', company: '杭州云启' }, ctx(rep, 0)));
    expect(lead).toMatchObject({ status: 'pending', stage: 'lead', ownerId: 'rep-li', poolId: null, version: 1, createdBy: 'rep-li' });
    expect(events).toEqual([expect.objectContaining({ type: 'lead.created', actorId: 'rep-li', version: 1, subject: { kind: 'lead', id: 'L-9' } })]);
    expect(Object.isFrozen(lead)).toBe(true);
  });

  it('an imported lead lands unassigned in its pool', () => {
    const lead = imported();
    expect(lead).toMatchObject({ status: 'unassigned', ownerId: null, poolId: 'pool-east', source: 'import' });
  });

  it('pooledAt: when the lead last landed unowned in a pool (what an escalation ladder counts from)', () => {
    const lead = imported();
    expect(lead.pooledAt).toEqual(at(0));
    expect(must(createLead({ id: 'L-9', source: 'manual', name: '王芳', poolId: 'pool-east' }, ctx(rep, 0))).lead.pooledAt).toBeNull();
    const claimed = apply(lead, { type: 'claim' }, rep, 30);
    expect(claimed.pooledAt).toBeNull();
    const returned = apply(claimed, { type: 'return', reason: { code: 'unreachable' } }, rep, 90);
    expect(returned.pooledAt).toEqual(at(90));
    const moved = apply(returned, { type: 'transfer', toPoolId: 'pool-west' }, poolAdmin, 200);
    expect(moved).toMatchObject({ poolId: 'pool-west', pooledAt: at(200) });
    // a lead stored before pooledAt existed reads as null
    const { pooledAt: _dropped, ...legacy } = structuredClone(lead);
    expect(must(parseLead(legacy)).pooledAt).toBeNull();
    // and a stored lead cannot be owned and pooled at once
    const bad = parseLead({ ...structuredClone(claimed), pooledAt: at(5) });
    expect(!bad.ok && (bad.error.details.issues as { path: unknown[] }[]).map((i) => i.path.join('.'))).toContain('lead.pooledAt');
  });

  it('an import needs a pool and an importer', () => {
    expect(codeOf(createLead({ id: 'L-2', source: 'import', name: 'x' }, ctx(poolAdmin)))).toBe('LEAD_POOL_REQUIRED');
    const denied = createLead({ id: 'L-2', source: 'import', name: 'x', poolId: 'p' }, ctx(rep));
    expect(codeOf(denied)).toBe('LEAD_PERMISSION_DENIED');
    expect(!denied.ok && denied.error.details).toMatchObject({ operation: 'import', allowedRelations: ['poolAdmin', 'crmAdmin', 'automation'] });
  });

  it('refuses bad input with paths', () => {
    const r = createLead({ id: '', source: 'fax' as never, name: '  ', extra: 1 } as never, { now: 'yesterday', actor: { id: 'u' } } as never);
    expect(codeOf(r)).toBe('INVALID_INPUT');
    const paths = (!r.ok && (r.error.details.issues as { path: string[] }[]).map((i) => i.path.join('.'))) || [];
    expect(paths).toEqual(expect.arrayContaining(['input.id', 'input.source', 'input.name', 'input']));
  });
});

describe('assign and claim', () => {
  it('a pool admin assigns an unassigned lead to a rep', () => {
    const r = must(decideLead(imported(), { type: 'assign', ownerId: 'rep-wang' }, ctx(poolAdmin, 5)));
    expect(r.lead).toMatchObject({ status: 'pending', ownerId: 'rep-wang', ownedSince: at(5), version: 2 });
    expect(r.events[0]).toMatchObject({ type: 'lead.assigned', data: { from: 'unassigned', to: 'pending', ownerId: 'rep-wang' } });
  });

  it('a rep may not assign, and the refusal names who may', () => {
    const r = decideLead(imported(), { type: 'assign', ownerId: 'rep-li' }, ctx(rep));
    expect(codeOf(r)).toBe('LEAD_PERMISSION_DENIED');
    expect(!r.ok && r.error.details).toMatchObject({ operation: 'assign', allowedRelations: ['poolAdmin', 'crmAdmin', 'automation'] });
    expect(!r.ok && r.error.message).toContain('poolAdmin, crmAdmin, automation');
  });

  it('a pool member claims; an outsider may not', () => {
    const lead = imported() as UnassignedLead;
    expect(must(claimLead(lead, ctx(rep))).lead).toMatchObject({ status: 'pending', ownerId: 'rep-li' });
    expect(codeOf(claimLead(lead, ctx(stranger)))).toBe('LEAD_PERMISSION_DENIED');
  });

  it('the pools’ verdict is the seam: a refusal from pool rules is returned as is', () => {
    const quota = ruleError('NOT_FOUND', { entity: 'stand-in for a pool refusal', id: 'x' });
    const r = claimLead(imported() as UnassignedLead, ctx(rep, 1, { poolCheck: { ok: false, error: quota } }));
    expect(!r.ok && r.error).toEqual(quota);
    expect(claimLead(imported() as UnassignedLead, ctx(rep, 1, { poolCheck: { ok: true, value: null } })).ok).toBe(true);
  });

  it('an owned lead cannot be claimed or assigned again', () => {
    const pending = leadIn('pending');
    expect(codeOf(decideLead(pending, { type: 'claim' }, ctx(otherRep, 5)))).toBe('LEAD_TRANSITION_NOT_ALLOWED');
    const r = decideLead(pending, { type: 'assign', ownerId: 'rep-wang' }, ctx(poolAdmin, 5));
    expect(!r.ok && r.error.details).toMatchObject({ from: 'pending', operation: 'assign', allowedFrom: ['unassigned'] });
  });

  it('types refuse a converted lead as input to claim', () => {
    const converted = leadIn('converted');
    // @ts-expect-error a converted lead is not an UnassignedLead
    const r = claimLead(converted, ctx(rep, 9));
    expect(codeOf(r)).toBe('LEAD_TRANSITION_NOT_ALLOWED');
  });
});

describe('follow up and qualify', () => {
  it('logging a follow-up moves pending → following and keeps the record in the event', () => {
    const r = must(
      decideLead(leadIn('pending'), { type: 'followUp', followUpId: 'f-9', result: '已加微信', channel: 'call', nextFollowUpAt: at(60 * 24) }, ctx(rep, 10)),
    );
    expect(r.lead).toMatchObject({ status: 'following', followUpCount: 1, lastFollowUpAt: at(10), nextFollowUpAt: at(60 * 24) });
    expect(r.events[0]!.data).toMatchObject({ followUp: { id: 'f-9', result: '已加微信', channel: 'call' } });
  });

  it('the owner’s superior may follow up; a stranger may not', () => {
    expect(decideLead(leadIn('pending'), { type: 'followUp', followUpId: 'f', result: 'ok' }, ctx(superior, 10)).ok).toBe(true);
    expect(codeOf(decideLead(leadIn('pending'), { type: 'followUp', followUpId: 'f', result: 'ok' }, ctx(stranger, 10)))).toBe(
      'LEAD_PERMISSION_DENIED',
    );
  });

  it('a re-follow-up date in the past is refused', () => {
    const r = decideLead(leadIn('pending'), { type: 'followUp', followUpId: 'f', result: 'ok', nextFollowUpAt: at(0) }, ctx(rep, 10));
    expect(codeOf(r)).toBe('LEAD_FOLLOW_UP_IN_PAST');
  });

  it('marking MQL moves the stage forward and logs a follow-up; twice is refused', () => {
    const mql = must(decideLead(leadIn('pending'), { type: 'markMql', followUpId: 'f-m', result: '预算已确认' }, ctx(rep, 10))).lead;
    expect(mql).toMatchObject({ stage: 'mql', status: 'following', followUpCount: 1 });
    expect(codeOf(decideLead(mql, { type: 'markMql', followUpId: 'f-n', result: 'again' }, ctx(rep, 11)))).toBe('LEAD_ALREADY_MQL');
  });
});

describe('invalid and reopen', () => {
  it.each(['unassigned', 'pending', 'following'] as const)('reopening an invalid lead returns it to %s', (status) => {
    const actor = status === 'unassigned' ? poolAdmin : rep;
    const invalid = apply(leadIn(status), { type: 'markInvalid', reason: '联系不上' }, actor, 10);
    expect(invalid).toMatchObject({ status: 'invalid', invalidation: { reason: '联系不上', from: status } });
    if (invalid.status !== 'invalid') throw new Error('unreachable');
    const reopened = must(reopenLead(invalid, ctx(actor, 11))).lead;
    expect(reopened.status).toBe(status);
    expect(reopened.invalidation).toBeNull();
  });

  it('an invalid lead needs a reason', () => {
    expect(codeOf(decideLead(leadIn('pending'), { type: 'markInvalid', reason: '   ' }, ctx(rep, 10)))).toBe('INVALID_INPUT');
  });
});

describe('return, reclaim, transfer', () => {
  it('the owner returns a lead with a listed reason; the owner is cleared and the release recorded', () => {
    const r = must(decideLead(leadIn('following'), { type: 'return', reason: { code: 'unreachable' } }, ctx(rep, 10)));
    expect(r.lead).toMatchObject({
      status: 'unassigned',
      ownerId: null,
      poolId: 'pool-east',
      nextFollowUpAt: null,
      lastRelease: { kind: 'returned', previousOwnerId: 'rep-li', reasonCode: 'unreachable', at: at(10), by: 'rep-li' },
    });
    expect(r.lead.followUpCount).toBe(1); // history stays
  });

  it('"other" needs a text; an unlisted reason is refused', () => {
    const following = leadIn('following');
    expect(codeOf(decideLead(following, { type: 'return', reason: { code: 'other', text: ' ' } }, ctx(rep, 10)))).toBe('LEAD_REASON_TEXT_REQUIRED');
    expect(decideLead(following, { type: 'return', reason: { code: 'other', text: '客户已被集团统一采购' } }, ctx(rep, 10)).ok).toBe(true);
    const unknown = decideLead(following, { type: 'return', reason: { code: 'lazy' } }, ctx(rep, 10));
    expect(!unknown.ok && unknown.error).toMatchObject({
      code: 'LEAD_RETURN_REASON_UNKNOWN',
      details: { allowedReasons: ['unreachable', 'no_need', 'product_mismatch', 'other'] },
    });
  });

  it('the reason list is the company’s own', () => {
    const policy = { returnReasons: [{ code: 'wrong_region', requiresText: false }] };
    const following = leadIn('following');
    expect(decideLead(following, { type: 'return', reason: { code: 'wrong_region' } }, { ...ctx(rep, 10), policy }).ok).toBe(true);
    expect(codeOf(decideLead(following, { type: 'return', reason: { code: 'unreachable' } }, { ...ctx(rep, 10), policy }))).toBe(
      'LEAD_RETURN_REASON_UNKNOWN',
    );
  });

  it('only the owner returns by default; a company may let the superior too', () => {
    const following = leadIn('following');
    const cmd: LeadCommandInput = { type: 'return', reason: { code: 'no_need' } };
    expect(codeOf(decideLead(following, cmd, ctx(superior, 10)))).toBe('LEAD_PERMISSION_DENIED');
    const policy = { permissions: { return: ['owner', 'ownerSuperior'] as const } };
    expect(decideLead(following, cmd, { ...ctx(superior, 10), policy: { permissions: { return: [...policy.permissions.return] } } }).ok).toBe(true);
  });

  it('a lead goes back to its own pool: returning it elsewhere is refused (that is a transfer)', () => {
    const r = decideLead(leadIn('following'), { type: 'return', reason: { code: 'no_need' }, poolId: 'pool-west' }, ctx(rep, 10));
    expect(!r.ok && r.error).toMatchObject({ code: 'LEAD_RETURN_TO_OTHER_POOL', details: { poolId: 'pool-east', requestedPoolId: 'pool-west' } });
    expect(decideLead(leadIn('following'), { type: 'return', reason: { code: 'no_need' }, poolId: 'pool-east' }, ctx(rep, 10)).ok).toBe(true);
  });

  it('restore and stage correction stay with the CRM admin whatever the policy says', () => {
    const voided = leadIn('voided');
    const policy = { permissions: { restore: ['owner'] } } as never;
    expect(codeOf(decideLead(voided, { type: 'restore' }, { ...ctx(rep, 10), policy }))).toBe('INVALID_INPUT');
    const r = decideLead(voided, { type: 'restore' }, { ...ctx(rep, 10), policy: { permissions: { correctStage: ['owner'] } } as never });
    expect(!r.ok && (r.error.details.issues as { path: string[] }[])[0]!.path).toEqual(['context', 'policy', 'permissions']);
  });

  it('a lead with no pool cannot be returned unless a pool is named', () => {
    const own = must(createLead({ id: 'L-own', source: 'manual', name: '赵六' }, ctx(rep, 0))).lead;
    expect(codeOf(decideLead(own, { type: 'return', reason: { code: 'no_need' } }, ctx(rep, 5)))).toBe('LEAD_POOL_REQUIRED');
    expect(must(decideLead(own, { type: 'return', reason: { code: 'no_need' }, poolId: 'pool-west' }, ctx(rep, 5))).lead.poolId).toBe('pool-west');
  });

  it('a pool admin or an automatic rule reclaims; the owner cannot', () => {
    const following = leadIn('following');
    const auto = must(decideLead(following, { type: 'reclaim', ruleId: 'no-follow-up-15d' }, ctx(robot, 10)));
    expect(auto.lead).toMatchObject({ status: 'unassigned', ownerId: null, lastRelease: { kind: 'reclaimed', ruleId: 'no-follow-up-15d' } });
    expect(auto.events[0]).toMatchObject({ type: 'lead.reclaimed', actorId: 'system:reclaim', data: { ruleId: 'no-follow-up-15d' } });
    expect(decideLead(following, { type: 'reclaim', note: '离职交接' }, ctx(poolAdmin, 10)).ok).toBe(true);
    expect(codeOf(decideLead(following, { type: 'reclaim' }, ctx(rep, 10)))).toBe('LEAD_PERMISSION_DENIED');
  });

  it('a transfer moves the lead to another pool, unassigned there; the same pool is refused', () => {
    const r = must(decideLead(leadIn('following'), { type: 'transfer', toPoolId: 'pool-west' }, ctx(rep, 10)));
    expect(r.lead).toMatchObject({ status: 'unassigned', poolId: 'pool-west', ownerId: null, lastRelease: { kind: 'transferred' } });
    expect(codeOf(decideLead(imported(), { type: 'transfer', toPoolId: 'pool-east' }, ctx(poolAdmin, 10)))).toBe('LEAD_SAME_POOL');
    const moved = must(decideLead(imported(), { type: 'transfer', toPoolId: 'pool-west' }, ctx(poolAdmin, 10))).lead;
    expect(moved.lastRelease).toBeNull(); // nobody owned it, nobody lost it
  });
});

describe('convert', () => {
  it('to a new customer with a contact and an opportunity: stage opportunity, and a plan for the host', () => {
    const following = leadIn('following');
    if (following.status !== 'following') throw new Error('fixture');
    const r = must(
      convertLead(
        following,
        {
          customer: { kind: 'new', customerId: 'C-7', name: '深圳市腾飞科技有限公司' },
          contact: { contactId: 'P-7', name: '张伟' },
          opportunity: { opportunityId: 'O-7', name: '腾飞 CRM 采购', expectedCloseDate: '2026-06-30T00:00:00+08:00' },
        },
        ctx(rep, 10),
      ),
    );
    expect(r.lead).toMatchObject({
      status: 'converted',
      stage: 'opportunity',
      conversion: { customerId: 'C-7', customerIsNew: true, contactId: 'P-7', opportunityId: 'O-7', by: 'rep-li' },
    });
    expect(r.conversion).toEqual({
      customer: { customerId: 'C-7', isNew: true, name: '深圳市腾飞科技有限公司', taxId: null, channel: null },
      contact: { contactId: 'P-7', name: '张伟' },
      opportunity: { opportunityId: 'O-7', name: '腾飞 CRM 采购', stageId: null, expectedCloseDate: new Date('2026-06-29T16:00:00Z'), channel: null },
    });
  });

  it('to an existing customer without an opportunity: stage sql', () => {
    const r = must(decideLead(leadIn('pending'), { type: 'convert', customer: { kind: 'existing', customerId: 'C-1' } }, ctx(rep, 10)));
    expect(r.lead).toMatchObject({ status: 'converted', stage: 'sql', conversion: { customerIsNew: false, contactId: null } });
  });

  it('after conversion no status operation is allowed', () => {
    const converted = leadIn('converted');
    for (const op of LEAD_OPERATIONS.filter((o) => o !== 'linkOpportunity')) {
      const r = decideLead(converted, sampleCommand(op), ctx(crmAdmin, 30));
      expect([op, codeOf(r)]).toEqual([op, 'LEAD_TRANSITION_NOT_ALLOWED']);
    }
  });
});

describe('an opportunity opened after conversion', () => {
  it('links to a lead converted at stage sql, once: sql → opportunity, status unchanged', () => {
    const converted = leadIn('converted');
    expect(converted.stage).toBe('sql');
    const r = must(decideLead(converted, { type: 'linkOpportunity', opportunityId: 'O-9' }, ctx(rep, 10)));
    expect(r.lead).toMatchObject({ status: 'converted', stage: 'opportunity', conversion: { opportunityId: 'O-9', customerId: 'C-1' } });
    expect(r.events[0]).toMatchObject({ type: 'lead.opportunityLinked', data: { opportunityId: 'O-9' } });
    const again = decideLead(r.lead, { type: 'linkOpportunity', opportunityId: 'O-10' }, ctx(rep, 11));
    expect(!again.ok && again.error).toMatchObject({ code: 'LEAD_OPPORTUNITY_ALREADY_LINKED', details: { opportunityId: 'O-9' } });
    expect(availableLeadOperations(r.lead, { id: 'rep-li', relations: [] })).toEqual([]);
    expect(codeOf(decideLead(converted, { type: 'linkOpportunity', opportunityId: 'O-9' }, ctx(stranger, 10)))).toBe('LEAD_PERMISSION_DENIED');
  });
});

describe('owner change', () => {
  it('a pool admin hands an owned lead to another rep; its status and history stay', () => {
    const following = leadIn('following');
    const r = must(decideLead(following, { type: 'changeOwner', ownerId: 'rep-wang' }, ctx(poolAdmin, 10)));
    expect(r.lead).toMatchObject({ status: 'following', ownerId: 'rep-wang', ownedSince: at(10), followUpCount: 1, nextFollowUpAt: null });
    expect(r.events[0]).toMatchObject({ type: 'lead.ownerChanged', data: { ownerFrom: 'rep-li', ownerTo: 'rep-wang' } });
    expect(codeOf(decideLead(following, { type: 'changeOwner', ownerId: 'rep-wang' }, ctx(rep, 10)))).toBe('LEAD_PERMISSION_DENIED');
    expect(codeOf(decideLead(following, { type: 'changeOwner', ownerId: 'rep-li' }, ctx(poolAdmin, 10)))).toBe('LEAD_SAME_OWNER');
    expect(codeOf(decideLead(imported(), { type: 'changeOwner', ownerId: 'rep-li' }, ctx(poolAdmin, 10)))).toBe('LEAD_TRANSITION_NOT_ALLOWED');
  });
});

describe('void and restore', () => {
  it('only a CRM admin restores, to exactly the old status with its records', () => {
    const invalid = leadIn('invalid');
    const voided = apply(invalid, { type: 'void', reason: '垃圾数据' }, rep, 10);
    expect(voided).toMatchObject({ status: 'voided', voiding: { from: 'invalid', reason: '垃圾数据' } });
    if (voided.status !== 'voided') throw new Error('fixture');
    for (const actor of [rep, superior, poolAdmin, robot]) expect(codeOf(restoreLead(voided, ctx(actor, 11)))).toBe('LEAD_PERMISSION_DENIED');
    const restored = must(restoreLead(voided, ctx(crmAdmin, 11))).lead;
    expect(restored.status).toBe('invalid');
    expect(restored.invalidation).toEqual(invalid.invalidation);
    expect(restored.voiding).toBeNull();
  });

  it('a voided lead allows nothing but restore', () => {
    const voided = leadIn('voided');
    expect(availableLeadOperations(voided, crmAdmin)).toEqual(['restore']);
    expect(availableLeadOperations(voided, { id: 'rep-li', relations: [] })).toEqual([]);
  });
});

describe('stage correction', () => {
  it('a CRM admin moves the stage back; nobody else can', () => {
    const mql = apply(leadIn('pending'), { type: 'markMql', followUpId: 'f', result: 'ok' }, rep, 10);
    const cmd: LeadCommandInput = { type: 'correctStage', stage: 'lead', reason: 'qualified by mistake' };
    expect(codeOf(decideLead(mql, cmd, ctx(superior, 11)))).toBe('LEAD_PERMISSION_DENIED');
    const r = must(decideLead(mql, cmd, ctx(crmAdmin, 11)));
    expect(r.lead.stage).toBe('lead');
    expect(r.events[0]).toMatchObject({ type: 'lead.stageCorrected', data: { stageFrom: 'mql', stageTo: 'lead' } });
  });

  it('the stage must fit the status, and a converted lead’s stage is not corrected', () => {
    expect(codeOf(decideLead(leadIn('pending'), { type: 'correctStage', stage: 'sql', reason: 'x' }, ctx(crmAdmin, 11)))).toBe(
      'LEAD_STAGE_INCONSISTENT',
    );
    expect(codeOf(decideLead(leadIn('converted'), { type: 'correctStage', stage: 'lead', reason: 'x' }, ctx(crmAdmin, 11)))).toBe(
      'LEAD_TRANSITION_NOT_ALLOWED',
    );
    expect(codeOf(decideLead(leadIn('pending'), { type: 'correctStage', stage: 'lead', reason: 'x' }, ctx(crmAdmin, 11)))).toBe(
      'LEAD_STAGE_UNCHANGED',
    );
  });
});

describe('time and input', () => {
  it('a change dated before the last change is refused', () => {
    const following = leadIn('following'); // updated at minute 2
    expect(codeOf(decideLead(following, { type: 'followUp', followUpId: 'f', result: 'r' }, ctx(rep, 1)))).toBe('LEAD_TIME_BEFORE_LAST_CHANGE');
  });

  it('refuses an unknown status, a missing id, a garbage date and an extra key, with paths', () => {
    const lead = leadIn('pending');
    const cases: [unknown, string][] = [
      [{ ...lead, status: 'sleeping' }, 'lead.status'],
      [{ ...lead, id: undefined }, 'lead.id'],
      [{ ...lead, createdAt: 'last tuesday' }, 'lead.createdAt'],
      [{ ...lead, colour: 'red' }, 'lead'],
      [{ ...lead, status: 'converted' }, 'lead.conversion'],
      [{ ...lead, ownerId: null }, 'lead.ownerId'],
    ];
    for (const [bad, path] of cases) {
      const r = decideLead(bad as Lead, { type: 'followUp', followUpId: 'f', result: 'r' }, ctx(rep, 10));
      expect(codeOf(r)).toBe('INVALID_INPUT');
      const paths = (!r.ok && (r.error.details.issues as { path: (string | number)[] }[]).map((i) => i.path.join('.'))) || [];
      expect(paths).toContain(path);
    }
    const extra = decideLead(lead, { type: 'followUp', followUpId: 'f', result: 'r', reslt: 'typo' } as never, ctx(rep, 10));
    expect(codeOf(extra)).toBe('INVALID_INPUT');
    expect(codeOf(decideLead(lead, { type: 'teleport' } as never, ctx(rep, 10)))).toBe('INVALID_INPUT');
    expect(codeOf(decideLead(lead, { type: 'claim' }, { now: new Date('x'), actor: rep }))).toBe('INVALID_INPUT');
    expect(codeOf(decideLead(lead, { type: 'claim' }, { now: at(5), actor: { id: 'x', relations: ['owner'] } } as never))).toBe('INVALID_INPUT');
  });

  it('accepts a lead as JSON (ISO strings for instants) and returns Dates', () => {
    const json = JSON.parse(JSON.stringify(leadIn('pending')));
    const r = must(decideLead(json, { type: 'followUp', followUpId: 'f', result: 'r' }, { now: '2026-03-02T09:30:00+08:00', actor: rep }));
    expect(r.lead.createdAt).toEqual(T0);
    expect(r.lead.updatedAt).toEqual(new Date('2026-03-02T01:30:00Z'));
  });

  it('parseLead lets a host validate its stored data', () => {
    expect(parseLead(leadIn('invalid')).ok).toBe(true);
    expect(parseLead({ ...leadIn('invalid'), invalidation: null }).ok).toBe(false);
  });

  it('messages come in Chinese too', () => {
    const r = decideLead(leadIn('converted'), { type: 'claim' }, ctx(rep, 9));
    expect(!r.ok && localizeError(r.error, messagesZhCn).message).toBe('状态为“已转换”的线索不能执行“领取”；该操作适用的状态：未分配。');
  });
});

describe('the transition table as data', () => {
  it('lists every operation with its statuses, and expands "previous" into edges', () => {
    expect(Object.keys(LEAD_TRANSITIONS).sort()).toEqual([...LEAD_OPERATIONS].sort());
    const edges = leadTransitionEdges();
    expect(edges).toContainEqual({ operation: 'restore', from: 'voided', to: 'invalid' });
    expect(edges).toContainEqual({ operation: 'reopen', from: 'invalid', to: 'following' });
    expect(edges).toContainEqual({ operation: 'create', from: null, to: 'unassigned' });
    expect(edges.filter((e) => e.from === 'converted')).toEqual([{ operation: 'linkOpportunity', from: 'converted', to: 'converted' }]);
  });

  it('availableLeadOperations builds a menu for the actor', () => {
    expect(availableLeadOperations(leadIn('pending'), { id: 'rep-li', relations: [] })).toEqual([
      'followUp',
      'markMql',
      'markInvalid',
      'return',
      'transfer',
      'convert',
      'void',
    ]);
    expect(availableLeadOperations(imported(), rep)).toEqual(['claim']);
  });
});

/** A well-formed command for each operation, used to probe what a status allows. */
export function sampleCommand(op: (typeof LEAD_OPERATIONS)[number]): LeadCommandInput {
  switch (op) {
    case 'assign':
      return { type: 'assign', ownerId: 'rep-wang' };
    case 'followUp':
    case 'markMql':
      return { type: op, followUpId: 'f-x', result: 'called' };
    case 'markInvalid':
      return { type: op, reason: 'no answer' };
    case 'return':
      return { type: op, reason: { code: 'no_need' } };
    case 'reclaim':
      return { type: op };
    case 'transfer':
      return { type: op, toPoolId: 'pool-zz' };
    case 'convert':
      return { type: op, customer: { kind: 'existing', customerId: 'C-x' } };
    case 'void':
      return { type: op };
    case 'correctStage':
      return { type: op, stage: 'lead', reason: 'x' };
    case 'linkOpportunity':
      return { type: op, opportunityId: 'O-x' };
    case 'changeOwner':
      return { type: op, ownerId: 'rep-wang' };
    default:
      return { type: op };
  }
}

describe('menus agree with decisions', () => {
  it('an MQL lead does not offer markMql again', () => {
    const mql = apply(leadIn('pending'), { type: 'markMql', followUpId: 'f', result: 'ok' }, rep, 10);
    expect(availableLeadOperations(mql, { id: 'rep-li', relations: [] })).not.toContain('markMql');
  });
});

describe('questions never throw', () => {
  it('canLead answers no to malformed questions', () => {
    const lead = leadIn('pending');
    expect(canLead(lead, 'bogus' as never, rep)).toBe(false);
    expect(canLead(null as never, 'followUp', rep)).toBe(false);
    expect(canLead(lead, 'followUp', null as never)).toBe(false);
    expect(canLead(lead, 'followUp', { id: 'rep-li', relations: [] })).toBe(true);
  });

  it('a host reusing its own Date for now does not change the lead it got back', () => {
    const now = at(30);
    const r = must(decideLead(leadIn('pending'), { type: 'followUp', followUpId: 'f', result: 'ok' }, { now, actor: rep }));
    now.setTime(0);
    expect(r.lead.updatedAt).toEqual(at(30));
    expect(r.lead.lastFollowUpAt).toEqual(at(30));
  });
});

describe('stored-data checks', () => {
  it('an unowned lead with an ownership date or a re-follow-up plan is refused', () => {
    const pooled = imported();
    for (const [patch, path] of [
      [{ ownedSince: at(1) }, 'lead.ownedSince'],
      [{ nextFollowUpAt: at(60) }, 'lead.nextFollowUpAt'],
    ] as const) {
      const r = parseLead({ ...pooled, ...patch });
      expect(!r.ok && (r.error.details.issues as { path: string[] }[]).map((i) => i.path.join('.'))).toContain(path);
    }
  });
});
