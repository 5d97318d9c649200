import { ALL_ERROR_CODES, type ErrorCode } from './codes.js';
import { describeValue, ownDataValue, storableText, timeOf } from './foreign.js';
import { translateIssueText } from './issue-text.js';
import { LABEL_KINDS, labelOf, labelsZhCn, type LabelCatalog, type LabelKind } from './labels.js';

/**
 * A message catalog: one template per error code. `{name}` is replaced by `details.name`
 * (arrays are listed), `{name:kind}` shows it through the catalog's label table `kind` (see
 * `LABEL_KINDS`: a status, an operation, a relation… in the catalog's own words), and
 * `{issues:issues}` lists the validation issues of `INVALID_INPUT` in the catalog's language.
 * Rules write English; a host re-renders a refusal in another catalog with `localizeError` (or
 * gives its services one), so a rule's output never depends on global state.
 */
export type MessageCatalog = Readonly<Record<ErrorCode, string>>;

/**
 * A template written as a function (plurals, lists, anything a `{name}` cannot say): it gets
 * the refusal's frozen details and returns the message. A function that throws or returns no
 * string is not used (the English template is).
 *
 * @example
 * const held = (d: Readonly<Record<string, unknown>>) => `${String(d.holding)} record${d.holding === 1 ? '' : 's'} held`;
 */
export type MessageFunction = (details: Readonly<Record<string, unknown>>) => string;

/** English messages. */
export const messagesEn: MessageCatalog = Object.freeze({
  INVALID_INPUT: 'The input is invalid: {issues:issues}',
  CONFLICT: 'The record {id} was changed by someone else (expected version {expectedVersion}, found {actualVersion}). Reload and try again.',
  NOT_FOUND: 'No {entity} with id {id} exists.',
  STORE_UNAVAILABLE: 'The database could not be reached or kept failing until the retry time ran out; details.outcome says whether anything was written. Try again later.',
  ABORTED: 'The job was stopped by its signal while {phase} ({done} done); nothing it computed is returned.',
  MONEY_CURRENCY_MISMATCH: 'Amounts in different currencies cannot be combined ({operation}: {currencies}); convert them to one currency first.',
  MONEY_ALLOCATION_WEIGHTS_ZERO: 'Cannot split {amount}: all {count} weights are zero.',
  MONEY_DIVISION_BY_ZERO: 'Cannot divide {amount} by zero.',
  LEAD_TRANSITION_NOT_ALLOWED: 'Operation "{operation}" does not apply to a lead in status "{from}"; it applies to: {allowedFrom}.',
  LEAD_PERMISSION_DENIED: 'You may not run "{operation}" on this lead; it is allowed for: {allowedRelations}.',
  LEAD_STAGE_INCONSISTENT: 'Stage "{stage}" does not fit a lead in status "{status}"; allowed stages: {allowedStages}.',
  LEAD_POOL_REQUIRED: 'This operation needs a target pool, and the lead has none.',
  LEAD_SAME_POOL: 'The lead is already in pool {poolId}.',
  LEAD_CHANNEL_UNKNOWN: 'Channel "{channel}" is not one the lead policy lists: {channels}.',
  LEAD_CUSTOMER_EXISTS: 'Customer {customerId} already has tax id {taxId}: convert the lead into it instead of creating another.',
  LEAD_CUSTOMER_MAY_EXIST: 'The duplicate check found customers that may be this company ({customerIds}): convert into one of them, or confirm a new customer.',
  LEAD_SAME_OWNER: 'User {ownerId} already owns this lead.',
  LEAD_RETURN_REASON_UNKNOWN: 'Return reason "{reason}" is not in the configured list: {allowedReasons}.',
  LEAD_REASON_TEXT_REQUIRED: 'Reason "{reason}" needs an explanation text.',
  LEAD_ALREADY_MQL: 'The lead is already a marketing-qualified lead (stage "{stage}").',
  LEAD_STAGE_UNCHANGED: 'The lead is already at stage "{stage}": there is nothing to correct.',
  LEAD_OPPORTUNITY_ALREADY_LINKED: 'The lead already led to opportunity {opportunityId}.',
  LEAD_RETURN_TO_OTHER_POOL: 'A lead of pool {poolId} is returned to its own pool, not to {requestedPoolId}; use a transfer to move it.',
  LEAD_FOLLOW_UP_IN_PAST: 'The next follow-up ({nextFollowUpAt}) must not be before now ({now}).',
  LEAD_TIME_BEFORE_LAST_CHANGE: 'The time given ({now}) is before the lead was last changed ({updatedAt}).',
  OPPORTUNITY_TRANSITION_NOT_ALLOWED: 'Operation "{operation}" does not apply to an opportunity that is "{from}"; it applies to: {allowedFrom}.',
  OPPORTUNITY_PERMISSION_DENIED: 'You may not run "{operation}" on this opportunity; it is allowed for: {allowedRelations}.',
  OPPORTUNITY_STAGE_UNKNOWN: 'Stage "{stageId}" is not in the configured stage list: {knownStages}.',
  OPPORTUNITY_NO_NEXT_STAGE: 'Stage "{stageId}" is the last open stage: close the opportunity instead.',
  OPPORTUNITY_NO_PREVIOUS_STAGE: 'Stage "{stageId}" is the first stage: there is nothing to step back to.',
  OPPORTUNITY_CLOSE_REASON_REQUIRED: 'Closing an opportunity as {outcome} needs a reason.',
  OPPORTUNITY_STAGE_UNCHANGED: 'The opportunity is already at stage "{stageId}".',
  OPPORTUNITY_STAGE_SKIP_NOT_ALLOWED: 'Moving from stage "{from}" to "{to}" skips {skipped}; skipping stages is not allowed.',
  OPPORTUNITY_TIME_BEFORE_LAST_CHANGE: 'The time given ({now}) is before the opportunity was last changed ({updatedAt}).',
  OPPORTUNITY_RENEWAL_EXISTS: 'Order {orderId} already has a renewal opportunity.',
  OPPORTUNITY_NAME_EXISTS: 'Customer {customerId} already has an open opportunity named like "{name}" ({opportunityId}): work that one, or ask {allowedRelations} to open it anyway.',
  POOL_NOT_A_MEMBER: 'Member {memberId} is not a member of pool {poolId}.',
  POOL_NOT_AN_ADMIN: 'Only an admin of pool {poolId} may {operation}; admins: {admins}.',
  POOL_CLAIM_NOT_ALLOWED: 'Pool {poolId} does not let members claim: an admin assigns ({admins}).',
  POOL_RECORD_NOT_IN_POOL: 'Record {recordId} is not in pool {poolId} (it is in {recordPoolId}).',
  POOL_RECORD_OWNED: 'Record {recordId} already has an owner ({ownerId}).',
  POOL_RECORD_NOT_OWNED: 'Record {recordId} has no owner.',
  POOL_RECORD_LOCKED: 'Record {recordId} is locked by {lockedBy}: no pool operation moves it until it is unlocked.',
  POOL_RECORD_VOIDED: 'Record {recordId} is voided (in the recycle bin): restore it first.',
  POOL_QUOTA_EXCEEDED: 'Member {memberId} already holds {holding} of the {quota} records allowed from pool {poolId}.',
  POOL_LEVEL_QUOTA_EXCEEDED: 'Member {memberId} already holds {holding} of the {quota} level-{level} records allowed.',
  POOL_CLAIM_LIMIT_REACHED: 'Member {memberId} has made {claims} claims in the last {periodDays} days (limit {max}); try again from {retryAfter}.',
  POOL_COOLDOWN_ACTIVE: 'Member {memberId} let record {recordId} go on {releasedAt} and may claim it again from {retryAfter}.',
  POOL_NOT_THE_OWNER: 'Member {memberId} is not the owner of record {recordId} (owner: {ownerId}).',
  POOL_RETURN_ONLY_HERE: 'Record {recordId} may only be returned to pool {poolId}, not {requestedPoolId}.',
  POOL_SAME_POOL: 'Record {recordId} is already in pool {poolId}.',
  POOL_TRANSFER_NOT_ALLOWED: 'Pool {poolId} does not let a claimed record move to another pool ({requestedPoolId}).',
  POOL_OWNER_CHANGE_NOT_ALLOWED: 'Pool {poolId} does not allow a forced owner change of record {recordId}.',
  POOL_SAME_OWNER: 'Member {ownerId} already owns record {recordId}.',
  POOL_NOT_VISIBLE: 'Pool {poolId} is not visible to {memberId}.',
  POOL_RECLAIM_NOT_SCHEDULED: 'Record {recordId} has no automatic reclaim date in pool {poolId} ({reason}).',
  POOL_EXTENSION_NOT_ALLOWED: 'Reclaim rule {ruleId} of pool {poolId} does not allow extension requests.',
  POOL_EXTENSION_TOO_LONG: 'An extension of {days} days is longer than the {maxDays} days reclaim rule {ruleId} allows.',
  POOL_EXTENSION_TOO_LATE: 'Record {recordId} was due back in pool {poolId} at {reclaimAt}: too late to extend.',
  POOL_EXTENSION_ALREADY_DECIDED: 'The extension request for record {recordId} is already {status}.',
  POOL_EXTENSION_PENDING: 'Record {recordId} already has an extension request awaiting approval, up to {extensionPendingUntil}.',
  POOL_ASSIGN_NO_ELIGIBLE_MEMBER: 'No member can take {itemId}: none of the {members} members covers its territory and skills.',
  POOL_ASSIGN_ALL_OPTED_OUT: 'No member can take {itemId}: all {optedOut} members who cover it have opted out of assignment.',
  POOL_ASSIGN_ALL_AT_CAPACITY: 'No member can take {itemId} now: the {atCapacity} members who cover it and take assignments have no capacity left ({optedOut} more opted out).',
  POOL_TARGET_KIND_MISMATCH: 'Pool {targetPoolId} holds {targetKind} records; a {kind} record of pool {poolId} cannot go there.',
  CUSTOMER_PERMISSION_DENIED: 'You may not run "{operation}" on customer {customerId}; it is allowed for: {allowedRelations}.',
  CUSTOMER_OWNER_REQUIRED: 'Customer {customerId} needs an owner: a customer outside pools is always owned by someone.',
  CUSTOMER_OWNER_THROUGH_POOL: 'Customer {customerId} goes into pool {poolId} unowned: give it to {ownerId} through the pool (claim or assign), which checks the quota.',
  CUSTOMER_NEW_OWNER_REQUIRED: 'Name the new owner of customer {customerId}: its owner is released only to someone else.',
  CUSTOMER_SAME_OWNER: 'Customer {customerId} is already owned by {ownerId}.',
  CUSTOMER_IN_POOL: 'Customer {customerId} is held from pool {poolId}: run "{operation}" through the pool, whose rules decide it.',
  CUSTOMER_LOCKED: 'Customer {customerId} is locked by {lockedBy}: unlock it before "{operation}".',
  CUSTOMER_NOT_LOCKED: 'Customer {customerId} is not locked.',
  CUSTOMER_VOIDED: 'Customer {customerId} is voided (in the recycle bin): restore it before "{operation}".',
  CUSTOMER_NOT_VOIDED: 'Customer {customerId} is not in the recycle bin.',
  CUSTOMER_DEAL_STATUS_UNCHANGED: 'Customer {customerId} already has that deal status.',
  ORDER_TRANSITION_NOT_ALLOWED: 'A {kind} that is {from} cannot be "{operation}"; that operation runs from: {allowedFrom}.',
  ORDER_PERMISSION_DENIED: 'You may not run "{operation}" on {kind} {documentId}; it is allowed for: {allowedRelations}.',
  ORDER_NOT_AN_APPROVER: 'Level {level} of {kind} {documentId} is signed by {approvers}.',
  ORDER_CONTRACT_REQUIRED: 'Order {orderId} is drawn from contract {contractId}: give the contract and its orders to check it against.',
  ORDER_CONTRACT_NOT_APPROVED: 'Contract {contractId} is {status}: orders are drawn only from an approved contract.',
  ORDER_CONTRACT_MISMATCH: 'Order {orderId} has {field} {actual}, its contract {contractId} {expected}.',
  ORDER_CONTRACT_EXCEEDED: 'Contract {contractId} has {remaining} {currency} left of {contractTotal} {currency} ({ordered} {currency} ordered); order {orderId} is for {requested} {currency}.',
  ORDER_CONTRACT_HAS_ORDERS: 'Contract {contractId} has orders not yet settled: {orderIds}. Cancel them (or, to close it, see them confirmed) first.',
  ORDER_ALREADY_SHIPPED: 'Order {orderId} has shipped lines ({lineIds}): return them instead of cancelling.',
  ORDER_LINE_UNKNOWN: 'Order {orderId} has no line {lineId}.',
  ORDER_QUANTITY_EXCEEDED: 'Line {lineId} of order {orderId} allows {available} more to {operation}, not {requested}.',
  ORDER_OVER_INVOICED: 'Order {orderId} totals {total} {currency} with {invoiced} {currency} invoiced: {requested} {currency} more is too much.',
  ORDER_ALREADY_INVOICED: 'Order {orderId} has {invoiced} {currency} invoiced: reverse the invoices (a negative invoice) before cancelling it.',
  ORDER_OVER_CREDITED: 'Order {orderId} has {invoiced} {currency} invoiced: a credit invoice of {requested} {currency} would take it below 0.',
  DEDUPE_PHONE_MISSING: 'No phone number was given (default region {defaultRegion}).',
  DEDUPE_PHONE_NOT_A_NUMBER: 'This is not a phone number (default region {defaultRegion}).',
  DEDUPE_PHONE_TOO_SHORT: 'The phone number has too few digits for {region}.',
  DEDUPE_PHONE_TOO_LONG: 'The phone number has too many digits for {region}.',
  DEDUPE_PHONE_UNKNOWN_COUNTRY: 'The phone number has no country code and "{defaultRegion}" is not a known default region: write it as +<country code> <number>.',
  DEDUPE_PHONE_INVALID: 'The phone number is not a valid number for {region}.',
  DEDUPE_EMAIL_MISSING: 'No email address was given.',
  DEDUPE_EMAIL_INVALID: 'The email address is not valid (problem: {problem}).',
  DEDUPE_MERGE_DUPLICATE_IDS: 'The same record appears twice in the group to merge: {ids}.',
  DEDUPE_MERGE_MIXED_OBJECTS: 'Only records of one object merge; the group holds {objects}.',
  DEDUPE_ESTIMATE_TOO_FEW_RECORDS: 'Estimating weights needs at least 2 records ({records} given).',
  DEDUPE_ESTIMATE_UNREACHABLE: 'With the estimated weights, scored group {groupId} can reach at most {maxWeight} bits, below its threshold {threshold}: lower the threshold or add conditions.',
  DEDUPE_MERGE_TOO_LARGE: 'A group of {records} records is too large to merge at once (at most {maxRecords}): send it to review.',
  DEDUPE_MERGE_CONFLICT: 'Records {recordIds} disagree on {fields}: they are not the same, so they do not merge.',
  DEDUPE_MERGE_NOT_COHERENT: 'Records {recordIds} match no other record of the group: review the group before merging.',
  DEDUPE_OPPORTUNITY_EXISTS: 'Customer {customerId} already has an opportunity with this name ({opportunityId}).',
  PRICING_NEGATIVE_LINE: 'Line {lineId}: its discounts take the amount below zero.',
  PRICING_CREDIT_LINE_NOT_SUPPORTED: 'A quote line cannot be negative ({summary}): give a trade-in or goodwill credit as an order discount (an amount), and a return as a credit note.',
  PRICING_ORDER_DISCOUNT_EXCEEDS_BASE: 'The order discount {discount} is larger than the {base} it is taken off ({currency}).',
  PRICING_TRANSITION_NOT_ALLOWED: 'Quote {quoteId} is {status}: {operation} is not allowed.',
  PRICING_NOT_AN_APPROVER: '{actorId} is not an approver of level {level} (quote {quoteId}).',
  PRICING_REASON_REQUIRED: 'A reason is required to {operation} quote {quoteId}.',
  PRICING_APPROVAL_REQUIRED: 'Quote {quoteId} needs approval again before it becomes a {kind}: {levels}.',
  PAYMENT_CURRENCY_MISMATCH: 'Payment {paymentId} is in {paymentCurrency}; plan {planId} is in {planCurrency}: a payment only settles plans in its own currency.',
  PAYMENT_CUSTOMER_MISMATCH: 'Payment {paymentId} is from customer {customerId}; plan {planId} belongs to customer {planCustomerId}.',
  PAYMENT_OVER_ALLOCATED: 'Installment {installmentId} of plan {planId} owes {outstanding} {currency}; {requested} {currency} of payment {paymentId} cannot be applied to it.',
  PAYMENT_EXCEEDS_UNAPPLIED: 'Payment {paymentId} has only {unapplied} {currency} unapplied; {requested} {currency} cannot be applied or refunded.',
  PAYMENT_EXCEEDS_APPLIED: 'Payment {paymentId} has {applied} {currency} applied; {requested} {currency} cannot be taken off it.',
  PAYMENT_NOTHING_TO_APPLY: 'Payment {paymentId} has nothing left to apply ({unapplied} {currency} unapplied).',
  PAYMENT_NOTHING_OUTSTANDING: 'Customer {customerId} has nothing outstanding that payment {paymentId} may settle.',
  PAYMENT_NOT_APPLIED: 'Payment {paymentId} is not applied to anything: there is nothing to take off.',
  PAYMENT_REVERSED: 'Payment {paymentId} was reversed and no longer counts.',
  PAYMENT_HAS_REFUNDS: 'Payment {paymentId} has {refunded} {currency} refunded to the customer; it cannot be reversed.',
  PAYMENT_INSTALLMENT_NOT_FOUND: 'Installment {installmentId} of plan {planId} is not among the plans given.',
  PAYMENT_ORDER_REQUIRED: 'Payment {paymentId} names no order: say which order to apply it to in installment order.',
  PAYMENT_PERCENTAGES_NOT_100: 'The percentages add up to {total}%, not 100%.',
  PAYMENT_PLAN_AMOUNTS_MISMATCH: 'The installment amounts ({sum} {currency}) do not fit the order total ({total} {currency}).',
  PAYMENT_WRITE_OFF_ABOVE_TOLERANCE: 'Installment {installmentId} of plan {planId} owes {outstanding} {currency}, more than the {tolerance} {currency} that may be written off.',
  PAYMENT_NOTHING_TO_WRITE_OFF: 'Plan {planId} has nothing outstanding to write off there.',
  PAYMENT_REFUND_APPROVAL_REQUIRED: 'A refund of {requested} {currency} from payment {paymentId} needs approval ({levels}): request it instead.',
  PAYMENT_REFUND_NOT_AN_APPROVER: 'Refund request {requestId} waits on level {level}, which only {approvers} may sign.',
  PAYMENT_REFUND_NOT_PENDING: 'Refund request {requestId} is {status}: nothing is left to decide.',
  PAYMENT_REFUND_SELF_APPROVAL: '{actorId} may not sign level {level} of refund request {requestId} ({why}): a refund is approved by someone other than its requester, one level per person.',
  SCORE_MODEL_CHANGED: 'The score state was kept under scoring model {stateModelId} version {stateModelVersion}, not {modelId} version {modelVersion}: rescore the lead in full.',
});

/** Simplified Chinese messages. */
export const messagesZhCn: MessageCatalog = Object.freeze({
  INVALID_INPUT: '输入无效：{issues:issues}',
  CONFLICT: '记录 {id} 已被他人修改（期望版本 {expectedVersion}，实际版本 {actualVersion}），请刷新后重试。',
  NOT_FOUND: '找不到编号为 {id} 的{entity:entity}。',
  STORE_UNAVAILABLE: '数据库无法连接或持续出错，重试时间已用尽（错误详情说明是否已有数据写入）。请稍后重试。',
  ABORTED: '任务已被调用方中止（{phase:jobPhase}阶段，已完成 {done}），计算结果未返回。',
  MONEY_CURRENCY_MISMATCH: '不同币种的金额不能直接合并计算（{operation:moneyOperation}：{currencies}），请先换算为同一币种。',
  MONEY_ALLOCATION_WEIGHTS_ZERO: '无法拆分 {amount}：全部 {count} 个分配权重均为零。',
  MONEY_DIVISION_BY_ZERO: '不能将 {amount} 除以零。',
  LEAD_TRANSITION_NOT_ALLOWED: '状态为“{from:leadStatus}”的线索不能执行“{operation:leadOperation}”；该操作适用的状态：{allowedFrom:leadStatus}。',
  LEAD_PERMISSION_DENIED: '您无权对该线索执行“{operation:leadOperation}”；可执行者：{allowedRelations:relation}。',
  LEAD_STAGE_INCONSISTENT: '阶段“{stage:leadStage}”与线索状态“{status:leadStatus}”不符；可用阶段：{allowedStages:leadStage}。',
  LEAD_POOL_REQUIRED: '该操作需要指定目标线索池，而该线索不属于任何线索池。',
  LEAD_SAME_POOL: '该线索已在线索池 {poolId} 中。',
  LEAD_CHANNEL_UNKNOWN: '线索来源“{channel:leadChannel}”不在线索规则列出的来源中：{channels:leadChannel}。',
  LEAD_CUSTOMER_EXISTS: '客户 {customerId} 已使用税号 {taxId}：请把线索转换为该客户，不要再新建客户。',
  LEAD_CUSTOMER_MAY_EXIST: '查重发现可能是同一家公司的客户（{customerIds}）：请转换为其中之一，或确认新建客户。',
  LEAD_SAME_OWNER: '用户 {ownerId} 已是该线索的负责人。',
  LEAD_RETURN_REASON_UNKNOWN: '退回原因“{reason}”不在配置的列表中：{allowedReasons}。',
  LEAD_REASON_TEXT_REQUIRED: '原因“{reason}”需要填写说明。',
  LEAD_ALREADY_MQL: '该线索已是市场认可线索（阶段“{stage:leadStage}”）。',
  LEAD_STAGE_UNCHANGED: '该线索已处于阶段“{stage:leadStage}”，无需更正。',
  LEAD_OPPORTUNITY_ALREADY_LINKED: '该线索已关联商机 {opportunityId}。',
  LEAD_RETURN_TO_OTHER_POOL: '线索池 {poolId} 的线索只能退回本线索池，不能退回到 {requestedPoolId}；如需移动请使用转移。',
  LEAD_FOLLOW_UP_IN_PAST: '下次跟进时间（{nextFollowUpAt}）不能早于当前时间（{now}）。',
  LEAD_TIME_BEFORE_LAST_CHANGE: '操作时间（{now}）早于线索的最后修改时间（{updatedAt}）。',
  OPPORTUNITY_TRANSITION_NOT_ALLOWED: '状态为“{from:opportunityStatus}”的商机不能执行“{operation:opportunityOperation}”；该操作适用的状态：{allowedFrom:opportunityStatus}。',
  OPPORTUNITY_PERMISSION_DENIED: '您无权对该商机执行“{operation:opportunityOperation}”；可执行者：{allowedRelations:relation}。',
  OPPORTUNITY_STAGE_UNKNOWN: '阶段“{stageId}”不在配置的阶段列表中：{knownStages}。',
  OPPORTUNITY_NO_NEXT_STAGE: '“{stageId}”已是最后一个进行中阶段，请直接结束商机。',
  OPPORTUNITY_NO_PREVIOUS_STAGE: '“{stageId}”是第一个阶段，无法回退。',
  OPPORTUNITY_CLOSE_REASON_REQUIRED: '以“{outcome:opportunityStatus}”结束商机需要填写原因。',
  OPPORTUNITY_STAGE_UNCHANGED: '商机已处于阶段“{stageId}”。',
  OPPORTUNITY_STAGE_SKIP_NOT_ALLOWED: '从阶段“{from}”到“{to}”会跳过 {skipped}；不允许跳过阶段。',
  OPPORTUNITY_TIME_BEFORE_LAST_CHANGE: '操作时间（{now}）早于商机的最后修改时间（{updatedAt}）。',
  OPPORTUNITY_RENEWAL_EXISTS: '订单 {orderId} 已有续约商机。',
  OPPORTUNITY_NAME_EXISTS: '客户 {customerId} 已有同名的进行中商机“{name}”（{opportunityId}）：请跟进该商机，或请{allowedRelations:relation}另行创建。',
  POOL_NOT_A_MEMBER: '{memberId} 不是公海/线索池 {poolId} 的成员。',
  POOL_NOT_AN_ADMIN: '只有 {poolId} 的管理员可以执行“{operation:poolOperation}”；管理员：{admins}。',
  POOL_CLAIM_NOT_ALLOWED: '{poolId} 不允许成员领取，只能由管理员分配（{admins}）。',
  POOL_RECORD_NOT_IN_POOL: '记录 {recordId} 不在 {poolId} 中（所在：{recordPoolId}）。',
  POOL_RECORD_OWNED: '记录 {recordId} 已有负责人（{ownerId}）。',
  POOL_RECORD_NOT_OWNED: '记录 {recordId} 没有负责人。',
  POOL_RECORD_LOCKED: '记录 {recordId} 已被 {lockedBy} 锁定：解锁前不能进行任何公海操作。',
  POOL_RECORD_VOIDED: '记录 {recordId} 已作废（在回收站中）：请先恢复。',
  POOL_QUOTA_EXCEEDED: '{memberId} 在 {poolId} 已保有 {holding} 条，已达保有量上限 {quota}。',
  POOL_LEVEL_QUOTA_EXCEEDED: '{memberId} 已保有 {holding} 条等级为 {level} 的记录，已达上限 {quota}。',
  POOL_CLAIM_LIMIT_REACHED: '{memberId} 在最近 {periodDays} 天内已领取 {claims} 次（上限 {max}），请于 {retryAfter} 之后再试。',
  POOL_COOLDOWN_ACTIVE: '{memberId} 于 {releasedAt} 放弃了记录 {recordId}，{retryAfter} 之后才能再次领取。',
  POOL_NOT_THE_OWNER: '{memberId} 不是记录 {recordId} 的负责人（负责人：{ownerId}）。',
  POOL_RETURN_ONLY_HERE: '记录 {recordId} 只能退回到 {poolId}，不能退回到 {requestedPoolId}。',
  POOL_SAME_POOL: '记录 {recordId} 已在 {poolId} 中。',
  POOL_TRANSFER_NOT_ALLOWED: '{poolId} 不允许将已领取的记录转移到其他公海/线索池（{requestedPoolId}）。',
  POOL_OWNER_CHANGE_NOT_ALLOWED: '{poolId} 不允许强制更换记录 {recordId} 的负责人。',
  POOL_SAME_OWNER: '{ownerId} 已是记录 {recordId} 的负责人。',
  POOL_NOT_VISIBLE: '{memberId} 看不到 {poolId}。',
  POOL_RECLAIM_NOT_SCHEDULED: '记录 {recordId} 在 {poolId} 中没有自动收回日期（{reason:reclaimReason}）。',
  POOL_EXTENSION_NOT_ALLOWED: '{poolId} 的收回规则 {ruleId} 不允许申请延期。',
  POOL_EXTENSION_TOO_LONG: '申请延期 {days} 天，超过了收回规则 {ruleId} 允许的 {maxDays} 天。',
  POOL_EXTENSION_TOO_LATE: '记录 {recordId} 已于 {reclaimAt} 到期收回到 {poolId}，无法再延期。',
  POOL_EXTENSION_ALREADY_DECIDED: '记录 {recordId} 的延期申请已处理（{status:extensionStatus}）。',
  POOL_EXTENSION_PENDING: '记录 {recordId} 已有一个待审批的延期申请（至 {extensionPendingUntil}）。',
  POOL_ASSIGN_NO_ELIGIBLE_MEMBER: '{itemId} 无法分配：{members} 名成员中没有人负责其区域和技能。',
  POOL_ASSIGN_ALL_OPTED_OUT: '{itemId} 无法分配：负责它的 {optedOut} 名成员都已暂停接收分配。',
  POOL_ASSIGN_ALL_AT_CAPACITY: '{itemId} 暂时无法分配：负责它且接收分配的 {atCapacity} 名成员都已达到上限（另有 {optedOut} 名已暂停接收分配）。',
  POOL_TARGET_KIND_MISMATCH: '{targetPoolId} 存放的是{targetKind:recordKind}记录，{poolId} 的{kind:recordKind}记录不能转入。',
  CUSTOMER_PERMISSION_DENIED: '您无权对客户 {customerId} 执行“{operation:customerOperation}”；可执行者：{allowedRelations:relation}。',
  CUSTOMER_OWNER_REQUIRED: '客户 {customerId} 必须有负责人：不在公海中的客户总要有人负责。',
  CUSTOMER_OWNER_THROUGH_POOL: '客户 {customerId} 进入公海 {poolId} 时没有负责人：请通过公海领取或分配交给 {ownerId}，以校验保有量。',
  CUSTOMER_NEW_OWNER_REQUIRED: '请指定客户 {customerId} 的新负责人：只有交给他人时才能解除原负责人。',
  CUSTOMER_SAME_OWNER: '客户 {customerId} 的负责人已是 {ownerId}。',
  CUSTOMER_IN_POOL: '客户 {customerId} 属于公海 {poolId}：请通过公海执行“{operation:customerOperation}”，由公海规则决定。',
  CUSTOMER_LOCKED: '客户 {customerId} 已被 {lockedBy} 锁定：请先解锁再执行“{operation:customerOperation}”。',
  CUSTOMER_NOT_LOCKED: '客户 {customerId} 未被锁定。',
  CUSTOMER_VOIDED: '客户 {customerId} 已作废（在回收站中）：请先恢复再执行“{operation:customerOperation}”。',
  CUSTOMER_NOT_VOIDED: '客户 {customerId} 不在回收站中。',
  CUSTOMER_DEAL_STATUS_UNCHANGED: '客户 {customerId} 已是该成交状态。',
  ORDER_TRANSITION_NOT_ALLOWED: '状态为“{from:documentStatus}”的{kind:salesDocumentKind}不能执行“{operation:documentOperation}”；该操作适用的状态：{allowedFrom:documentStatus}。',
  ORDER_PERMISSION_DENIED: '您无权对{kind:salesDocumentKind} {documentId} 执行“{operation:documentOperation}”；可执行者：{allowedRelations:relation}。',
  ORDER_NOT_AN_APPROVER: '{kind:salesDocumentKind} {documentId} 的审批级别 {level} 由 {approvers} 审批。',
  ORDER_CONTRACT_REQUIRED: '订单 {orderId} 来自合同 {contractId}：请提供该合同及其订单以便校验。',
  ORDER_CONTRACT_NOT_APPROVED: '合同 {contractId} 的状态为“{status:documentStatus}”：只能基于已审批通过的合同生成订单。',
  ORDER_CONTRACT_MISMATCH: '订单 {orderId} 的 {field} 为 {actual}，与合同 {contractId} 的 {expected} 不一致。',
  ORDER_CONTRACT_EXCEEDED: '合同 {contractId} 总额 {contractTotal} {currency}，已下单 {ordered} {currency}，剩余 {remaining} {currency}；订单 {orderId} 金额 {requested} {currency}，超出合同。',
  ORDER_CONTRACT_HAS_ORDERS: '合同 {contractId} 仍有未完结的订单：{orderIds}。请先取消这些订单（关闭合同时也可待其确认）。',
  ORDER_ALREADY_SHIPPED: '订单 {orderId} 已有发货明细（{lineIds}）：请走退货，不能直接取消。',
  ORDER_LINE_UNKNOWN: '订单 {orderId} 没有明细 {lineId}。',
  ORDER_QUANTITY_EXCEEDED: '订单 {orderId} 的明细 {lineId} 最多还能{operation:documentOperation} {available}，不能 {requested}。',
  ORDER_OVER_INVOICED: '订单 {orderId} 总额 {total} {currency}，已开票 {invoiced} {currency}：不能再开票 {requested} {currency}。',
  ORDER_ALREADY_INVOICED: '订单 {orderId} 已开票 {invoiced} {currency}：请先开具红字发票冲销，再取消订单。',
  ORDER_OVER_CREDITED: '订单 {orderId} 已开票 {invoiced} {currency}：红字发票 {requested} {currency} 会使开票金额小于 0。',
  DEDUPE_PHONE_MISSING: '未填写电话号码（默认地区 {defaultRegion}）。',
  DEDUPE_PHONE_NOT_A_NUMBER: '这不是一个电话号码（默认地区 {defaultRegion}）。',
  DEDUPE_PHONE_TOO_SHORT: '电话号码位数不足（{region}）。',
  DEDUPE_PHONE_TOO_LONG: '电话号码位数过多（{region}）。',
  DEDUPE_PHONE_UNKNOWN_COUNTRY: '电话号码没有国家/地区代码，且“{defaultRegion}”不是可用的默认地区：请按“+国家代码 号码”填写。',
  DEDUPE_PHONE_INVALID: '电话号码不是有效的 {region} 号码。',
  DEDUPE_EMAIL_MISSING: '未填写邮箱地址。',
  DEDUPE_EMAIL_INVALID: '邮箱地址格式不正确（问题：{problem:emailProblem}）。',
  DEDUPE_MERGE_DUPLICATE_IDS: '待合并的记录中有重复：{ids}。',
  DEDUPE_MERGE_MIXED_OBJECTS: '只能合并同一类对象的记录；当前包含{objects:dedupeObject}。',
  DEDUPE_ESTIMATE_TOO_FEW_RECORDS: '估计权重至少需要 2 条记录（当前 {records} 条）。',
  DEDUPE_ESTIMATE_UNREACHABLE: '按估计出的权重，计分规则组 {groupId} 最高只能得到 {maxWeight} 比特，低于阈值 {threshold}：请降低阈值或增加条件。',
  DEDUPE_MERGE_TOO_LARGE: '一次合并 {records} 条记录过多（最多 {maxRecords} 条），请转人工复核。',
  DEDUPE_MERGE_CONFLICT: '记录 {recordIds} 的 {fields} 不一致，不是同一对象，不能合并。',
  DEDUPE_MERGE_NOT_COHERENT: '记录 {recordIds} 与本组其他记录均不匹配，请复核后再合并。',
  DEDUPE_OPPORTUNITY_EXISTS: '客户 {customerId} 下已存在同名商机（{opportunityId}）。',
  PRICING_NEGATIVE_LINE: '明细 {lineId}：折扣后金额小于零。',
  PRICING_CREDIT_LINE_NOT_SUPPORTED: '报价明细的数量和价格不能为负（{summary}）：以旧换新或让利请用整单折扣（金额），退货请开红字单据。',
  PRICING_ORDER_DISCOUNT_EXCEEDS_BASE: '整单折扣 {discount} 超过了可折扣的金额 {base}（{currency}）。',
  PRICING_TRANSITION_NOT_ALLOWED: '报价单 {quoteId} 当前状态为“{status:quoteStatus}”，不能执行“{operation:quoteOperation}”。',
  PRICING_NOT_AN_APPROVER: '{actorId} 不是审批级别 {level} 的审批人（报价单 {quoteId}）。',
  PRICING_REASON_REQUIRED: '“{operation:quoteOperation}”报价单 {quoteId} 需要填写原因。',
  PRICING_APPROVAL_REQUIRED: '报价单 {quoteId} 转为{kind:salesDocumentKind}前需要重新审批：{levels}。',
  PAYMENT_CURRENCY_MISMATCH: '回款 {paymentId} 的币种是 {paymentCurrency}，回款计划 {planId} 的币种是 {planCurrency}：回款只能核销同币种的回款计划。',
  PAYMENT_CUSTOMER_MISMATCH: '回款 {paymentId} 属于客户 {customerId}，回款计划 {planId} 属于客户 {planCustomerId}。',
  PAYMENT_OVER_ALLOCATED: '回款计划 {planId} 的期次 {installmentId} 待回款 {outstanding} {currency}，不能核销回款 {paymentId} 的 {requested} {currency}。',
  PAYMENT_EXCEEDS_UNAPPLIED: '回款 {paymentId} 仅剩未核销金额 {unapplied} {currency}，无法核销或退款 {requested} {currency}。',
  PAYMENT_EXCEEDS_APPLIED: '回款 {paymentId} 已核销 {applied} {currency}，无法撤销 {requested} {currency}。',
  PAYMENT_NOTHING_TO_APPLY: '回款 {paymentId} 已无可核销金额（未核销 {unapplied} {currency}）。',
  PAYMENT_NOTHING_OUTSTANDING: '客户 {customerId} 没有可由回款 {paymentId} 核销的待回款项。',
  PAYMENT_NOT_APPLIED: '回款 {paymentId} 没有任何核销明细，无可撤销。',
  PAYMENT_REVERSED: '回款 {paymentId} 已冲销作废，不能再使用。',
  PAYMENT_HAS_REFUNDS: '回款 {paymentId} 已向客户退款 {refunded} {currency}，不能冲销。',
  PAYMENT_INSTALLMENT_NOT_FOUND: '在提供的回款计划中找不到回款计划 {planId} 的期次 {installmentId}。',
  PAYMENT_ORDER_REQUIRED: '回款 {paymentId} 未关联订单：按期次顺序核销时请指定订单。',
  PAYMENT_PERCENTAGES_NOT_100: '百分比合计为 {total}%，应为 100%。',
  PAYMENT_PLAN_AMOUNTS_MISMATCH: '回款计划各期金额（{sum} {currency}）与订单总额（{total} {currency}）不符。',
  PAYMENT_WRITE_OFF_ABOVE_TOLERANCE: '回款计划 {planId} 期次 {installmentId} 尚欠 {outstanding} {currency}，超过可核销差额上限 {tolerance} {currency}。',
  PAYMENT_NOTHING_TO_WRITE_OFF: '回款计划 {planId} 没有可以核销的待回款。',
  PAYMENT_REFUND_APPROVAL_REQUIRED: '从回款 {paymentId} 退款 {requested} {currency} 需要审批（{levels}）：请提交退款申请。',
  PAYMENT_REFUND_NOT_AN_APPROVER: '退款申请 {requestId} 待 {level} 审批，只有 {approvers} 可以审批。',
  PAYMENT_REFUND_NOT_PENDING: '退款申请 {requestId} 的状态为 {status}，无需再审批。',
  PAYMENT_REFUND_SELF_APPROVAL: '{actorId} 不能审批退款申请 {requestId} 的 {level} 级（{why}）：退款须由申请人以外的人审批，且每人只审批一级。',
  SCORE_MODEL_CHANGED: '该评分状态按评分模型 {stateModelId} 第 {stateModelVersion} 版记录，而非 {modelId} 第 {modelVersion} 版：请对该线索重新完整评分。',
});

/** The catalogs shipped with the library, by locale. */
export const shippedCatalogs = Object.freeze({ en: messagesEn, 'zh-CN': messagesZhCn } as const);

/** A shipped locale. */
export type ShippedLocale = keyof typeof shippedCatalogs;

/**
 * A catalog a host supplies: a template (a string, or a `MessageFunction`) for any codes it
 * words itself — the codes it leaves out fall back to English — and, optionally, the labels its
 * `{name:kind}` placeholders and lists use: a shipped locale's (`labels: 'zh-CN'` also writes
 * lists, dates and validation issues the Chinese way) or a table of its own.
 */
export type MessageCatalogInput = { readonly [C in ErrorCode]?: string | MessageFunction } & {
  readonly labels?: ShippedLocale | LabelCatalog;
};

/** The longest a single detail may be inside a message (longer text is cut with "…"). */
const MAX_RENDERED_VALUE = 1000;
/** How many entries of an array detail a message shows. */
const MAX_RENDERED_ENTRIES = 50;
/** How many validation issues a message lists. */
const MAX_RENDERED_ISSUES = 20;

/** How a catalog writes what the details hold: its labels, and lists, dates and issues in its language. */
interface Style {
  readonly labels: unknown;
  readonly zh: boolean;
}

const EN_STYLE: Style = Object.freeze({ labels: undefined, zh: false });
const ZH_STYLE: Style = Object.freeze({ labels: labelsZhCn, zh: true });

function isShippedLocale(catalog: unknown): catalog is ShippedLocale {
  return catalog === 'en' || catalog === 'zh-CN';
}

/** The style of a catalog: Chinese for zh-CN (its name, its catalog, or a host catalog with `labels: 'zh-CN'`). Never throws. */
function styleOf(catalog: unknown): Style {
  if (catalog === 'zh-CN' || catalog === messagesZhCn) return ZH_STYLE;
  const labels = ownDataValue(catalog, 'labels');
  if (labels === 'zh-CN') return ZH_STYLE;
  if (typeof labels === 'object' && labels !== null) return { labels, zh: false };
  return EN_STYLE;
}

/**
 * The template of `code` in a catalog: a shipped locale's, or a host catalog's own string or
 * function for that code, English where it has none. Never throws, whatever the catalog is (a
 * getter, a Proxy, a template that is neither a string nor a function are simply not used).
 */
function templateOf(code: unknown, catalog: unknown): string | MessageFunction {
  const key = typeof code === 'string' ? code : undefined;
  if (key !== undefined) {
    const source = isShippedLocale(catalog) ? shippedCatalogs[catalog] : catalog;
    const own = ownDataValue(source, key);
    if (typeof own === 'string' || typeof own === 'function') return own as string | MessageFunction;
    const english = ownDataValue(messagesEn, key);
    if (typeof english === 'string') return english;
    return storableText(key);
  }
  return describeValue(code);
}

/**
 * The catalog for a shipped locale, or the host's own (merged over English: only its own
 * string entries for known codes are taken — a function template is used by `localizeError`
 * and `renderMessage` directly). Anything else — an unknown locale, a value that is not a
 * catalog — gives English. Never throws.
 *
 * @example
 * resolveCatalog('zh-CN') === messagesZhCn // true
 */
export function resolveCatalog(catalog: ShippedLocale | MessageCatalogInput): MessageCatalog {
  if (isShippedLocale(catalog)) return shippedCatalogs[catalog];
  if (typeof catalog !== 'object' || catalog === null) return messagesEn;
  const merged: Record<string, string> = { ...messagesEn };
  for (const code of ALL_ERROR_CODES) {
    const own = ownDataValue(catalog, code);
    if (typeof own === 'string') merged[code] = own;
  }
  return Object.freeze(merged) as MessageCatalog;
}

/** A Date as the catalog writes it: ISO 8601 in English, `2026-03-01 08:00:00（协调世界时）` in Chinese. */
function renderTime(t: number, style: Style): string {
  if (t !== t) return style.zh ? '无效日期' : 'Invalid Date';
  const d = new Date(t);
  if (!style.zh) return d.toISOString();
  const two = (n: number) => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : String(y);
  const ms = d.getUTCMilliseconds();
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`}`;
  return `${year}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${time}（协调世界时）`;
}

function renderValue(value: unknown, depth: number, style: Style, kind: LabelKind | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    if (kind !== undefined && style.labels !== undefined) {
      const label = labelOf(kind, value, style.labels as LabelCatalog);
      if (label !== value) return storableText(label);
    }
    return storableText(value.length > MAX_RENDERED_VALUE ? `${value.slice(0, MAX_RENDERED_VALUE)}…` : value);
  }
  if (typeof value === 'boolean' && style.zh) return value ? '是' : '否';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return describeValue(value);
  const t = timeOf(value);
  if (t !== undefined) return renderTime(t, style);
  const list = depth === 0 ? listOf(value, MAX_RENDERED_ENTRIES) : undefined;
  if (list !== undefined) {
    const parts = list.items.map((item) => renderValue(item, depth + 1, style, kind));
    const more = list.length - list.items.length;
    if (more > 0) parts.push(style.zh ? `…（另有 ${more} 项）` : `… (${more} more)`);
    return parts.join(style.zh ? '、' : ', ');
  }
  return describeValue(value);
}

/** An array detail read as a list: its first `max` entries (each read once, getters not called) and its length; undefined for anything else. */
function listOf(value: unknown, max: number): { readonly items: unknown[]; readonly length: number } | undefined {
  let isArray = false;
  try {
    isArray = Array.isArray(value);
  } catch {
    return undefined; // a revoked Proxy
  }
  if (!isArray) return undefined;
  const raw = ownDataValue(value, 'length');
  const length = typeof raw === 'number' ? raw : 0;
  const items: unknown[] = [];
  for (let i = 0; i < length && i < max; i++) items.push(ownDataValue(value, i));
  return { items, length };
}

/** A scalar of an issue as text ('' for anything else). */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? storableText(String(value)) : '';
}

/** What an issue of zod's own kinds says, in Chinese, from its data (undefined: use its text). */
function zodIssueZh(issue: unknown): string | undefined {
  const code = ownDataValue(issue, 'code');
  const type = (name: unknown) => (typeof name === 'string' ? labelOf('valueType', name, 'zh-CN') : '');
  const origin = ownDataValue(issue, 'origin');
  const inclusive = ownDataValue(issue, 'inclusive') !== false;
  const unit = origin === 'string' ? ' 个字符' : origin === 'array' || origin === 'set' || origin === 'map' ? ' 项' : origin === 'file' ? ' 字节' : '';
  const sized = unit !== '';
  switch (code) {
    case 'invalid_type': {
      const expected = type(ownDataValue(issue, 'expected'));
      const received = ownDataValue(issue, 'received');
      if (expected === '') return undefined;
      return typeof received === 'string' ? `应为${expected}，实际为${type(received)}` : `应为${expected}`;
    }
    case 'invalid_value': {
      const values = (listOf(ownDataValue(issue, 'values'), MAX_RENDERED_ENTRIES)?.items ?? []).map((v) => (typeof v === 'string' ? `“${storableText(v)}”` : scalar(v) || describeValue(v)));
      return values.length === 1 ? `应为 ${values[0]}` : `应为以下值之一：${values.join('、')}`;
    }
    case 'too_small': {
      const min = scalar(ownDataValue(issue, 'minimum'));
      if (min === '') return '过小';
      if (sized) return inclusive ? `至少 ${min}${unit}` : `应多于 ${min}${unit}`;
      return inclusive ? `不能小于 ${min}` : `应大于 ${min}`;
    }
    case 'too_big': {
      const max = scalar(ownDataValue(issue, 'maximum'));
      if (max === '') return '过大';
      if (sized) return inclusive ? `最多 ${max}${unit}` : `应少于 ${max}${unit}`;
      return inclusive ? `不能大于 ${max}` : `应小于 ${max}`;
    }
    case 'not_multiple_of':
      return `应为 ${scalar(ownDataValue(issue, 'divisor'))} 的整数倍`;
    case 'unrecognized_keys': {
      const keys = (listOf(ownDataValue(issue, 'keys'), MAX_RENDERED_ENTRIES)?.items ?? []).map((k) => `“${scalar(k)}”`);
      return `含有未知字段：${keys.join('、')}`;
    }
    case 'invalid_format':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return labelOf('issueCode', code, 'zh-CN');
    default:
      return undefined;
  }
}

/** One validation issue of `INVALID_INPUT` as the catalog writes it: `path: what`. */
function renderIssue(issue: unknown, style: Style): string {
  const path = (listOf(ownDataValue(issue, 'path'), MAX_RENDERED_ENTRIES)?.items ?? []).map(scalar).filter((p) => p !== '');
  const where = path.length > 0 ? path.join('.') : style.zh ? '（根）' : '(root)';
  const text = ownDataValue(issue, 'message');
  const english = typeof text === 'string' ? storableText(text.length > MAX_RENDERED_VALUE ? `${text.slice(0, MAX_RENDERED_VALUE)}…` : text) : '';
  if (!style.zh) return `${where}: ${english}`;
  const code = ownDataValue(issue, 'code');
  const zh = (code === 'custom' ? undefined : zodIssueZh(issue)) ?? translateIssueText(english) ?? (english === '' ? '无效' : english);
  return `${where}：${zh}`;
}

/** The issues of `INVALID_INPUT` listed in the catalog's language (the first ones, and how many more). */
function renderIssues(value: unknown, style: Style): string {
  const list = listOf(value, MAX_RENDERED_ISSUES);
  if (list === undefined) return renderValue(value, 0, style, undefined);
  const parts = list.items.map((issue) => renderIssue(issue, style));
  const more = list.length - list.items.length;
  if (more > 0) parts.push(style.zh ? `另有 ${more} 个问题` : `${more} more issues`);
  return parts.join(style.zh ? '；' : '; ');
}

const LABEL_KIND_SET: ReadonlySet<string> = new Set(LABEL_KINDS);

/**
 * Fills a code's template from details: `{name}` is replaced by `details.name` (arrays are
 * listed, Dates written as ISO strings — in Chinese as `2026-03-01 08:00:00（协调世界时）` —,
 * other objects described), `{name:kind}` shows it through the catalog's labels, and
 * `{issues:issues}` lists validation issues in the catalog's language. A function template is
 * called with the details (English if it throws or returns no string). Never throws, whatever
 * the details hold (bigints, symbols, Proxies, getters — which are not called —, cycles); a
 * placeholder whose detail is missing or unreadable stays visible.
 *
 * @example
 * renderMessage('LEAD_SAME_POOL', { poolId: 'p1' }, messagesEn) // 'The lead is already in pool p1.'
 * renderMessage('NOT_FOUND', { entity: 'lead', id: 'L-9' }, 'zh-CN') // '找不到编号为 L-9 的线索。'
 */
export function renderMessage(
  code: ErrorCode,
  details: Readonly<Record<string, unknown>>,
  catalog: ShippedLocale | MessageCatalogInput = messagesEn,
): string {
  const template = templateOf(code, catalog);
  if (typeof template === 'function') {
    let out: unknown;
    try {
      out = template(details);
    } catch {
      out = undefined;
    }
    if (typeof out === 'string') return storableText(out);
    return renderMessage(code, details, messagesEn);
  }
  const style = styleOf(catalog);
  return template.replace(/\{(\w+)(?::(\w+))?\}/g, (whole, name: string, kind: string | undefined) => {
    let own: PropertyDescriptor | undefined;
    try {
      own = typeof details === 'object' && details !== null ? Reflect.getOwnPropertyDescriptor(details, name) : undefined;
    } catch {
      own = undefined;
    }
    if (own === undefined || !('value' in own)) {
      // an INVALID_INPUT a host built with a summary only: its summary, as before
      const summary = kind === 'issues' ? ownDataValue(details, 'summary') : undefined;
      return typeof summary === 'string' ? renderValue(summary, 0, style, undefined) : whole;
    }
    if (kind === 'issues') return renderIssues(own.value, style);
    return renderValue(own.value, 0, style, kind !== undefined && LABEL_KIND_SET.has(kind) ? (kind as LabelKind) : undefined);
  });
}
