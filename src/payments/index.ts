/**
 * Payment plans and allocation (回款): plans of installments by percentages or amounts with due
 * dates in the tenant's zone; payments and credit notes applied to installments by a strategy
 * (oldest first, proportional, installment order, explicit), never beyond what is owed, the
 * rest kept as the customer's credit; reversals, refunds, write-offs; receivables with aging and
 * reminders; revenue splits; and a service over a store with expected versions. Every `Date` in
 * an answer is made for it: never the caller's, never one a record passed in (an earlier
 * answer) holds, and no record of the answer holds another's. Within one answer a frozen part
 * built once — an application — is the same object in every place that shows it (the payment,
 * the decision's list, the events), so a `setTime` on its `appliedAt` shows in those places and
 * nowhere else, and the payment holding it is parsed again when it comes back. A parser hands a
 * trusted record back as it is: that answer is the input itself.
 *
 * @example
 * import { createPaymentPlan, recordPayment, allocatePayment } from 'crm-rules/payments';
 */
export {
  INSTALLMENT_STATES,
  PAYMENT_KINDS,
  PAYMENT_STATUSES,
  paymentPlanSchema,
  paymentSchema,
  paymentPolicySchema,
  paymentContextSchema,
  dateKeySchema,
  parsePaymentPlan,
  parsePayment,
  parsePaymentPolicy,
  definePaymentPolicy,
  installmentState,
  paymentBalance,
  planOutstanding,
  type Installment,
  type InstallmentState,
  type PaymentPlan,
  type Payment,
  type PaymentKind,
  type PaymentStatus,
  type PaymentApplication,
  type PaymentRefund,
  type PaymentReversal,
  type PaymentBalance,
  type PaymentPolicy,
  type PaymentPolicyInput,
  type RefundLevel,
  type PaymentContext,
  type PaymentActorContext,
  type PaymentActorIdContext,
  type PaymentEvent,
  type PaymentEventType,
} from './model.js';
export type { PaymentEventDataByType, InstallmentReminderData, InstallmentReminderEvent } from './events.js';
export { PAYMENT_ERROR_CODES, type PaymentErrorCode } from './refusals.js';
export {
  REFUND_REQUEST_STATUSES,
  refundRequestSchema,
  refundRequestCommandSchema,
  parseRefundRequest,
  requestRefund,
  decideRefundRequest,
  type RefundRequest,
  type RefundRequestStatus,
  type RefundSignature,
  type RequestRefundInput,
  type RefundRequestCommand,
  type RefundRequestDecision,
} from './refund-requests.js';
export {
  createPaymentPlan,
  installmentDueDate,
  createPaymentPlanInputSchema,
  dueRuleSchema,
  type CreatePaymentPlanInput,
  type InstallmentSpecInput,
  type DueRuleInput,
  type DueDay,
  type PaymentPlanDecision,
} from './plans.js';
export {
  recordPayment,
  refundPayment,
  recordPaymentInputSchema,
  type RecordPaymentInput,
  type RefundOptions,
  type PaymentDecision,
} from './payments.js';
export {
  ALLOCATION_STRATEGIES,
  allocationStrategySchema,
  allocatePayment,
  allocatePayments,
  allocatePaymentsColumnar,
  allocateLedger,
  LEDGER_STRATEGIES,
  recordAndApplyPayment,
  unapplyPayment,
  reversePayment,
  issueCreditNote,
  type AmountInput,
  type AllocationStrategyInput,
  type AllocationStrategyKind,
  type ExplicitApplicationInput,
  type AllocationDecision,
  type AllocationBatch,
  type PaymentAllocation,
  type AllocationColumns,
  type AllocationSkip,
  type LedgerAllocationInput,
  type LedgerAllocation,
  type LedgerColumn,
  type LedgerOptions,
  type LedgerSkipCode,
  type LedgerStrategy,
  type UnapplyDecision,
  type UnapplyOptions,
  type ReverseOptions,
  type IssueCreditNoteInput,
} from './allocation.js';
export {
  agingBucketLabels,
  describePaymentPlan,
  receivables,
  paymentReminders,
  writeOffDifference,
  writeOffBadDebt,
  type AgingBucket,
  type AgingAmount,
  type InstallmentView,
  type OrderReceivable,
  type CustomerReceivable,
  type CurrencyAging,
  type ReceivablesReport,
  type ReceivablesOptions,
  type InstallmentWriteOff,
  type WriteOffDecision,
  type WriteOffDifferenceOptions,
  type WriteOffBadDebtOptions,
} from './receivables.js';
export {
  splitRevenue,
  splitRevenueAmount,
  type RevenueShareInput,
  type RevenueShare,
  type RevenueSplit,
  type SplitRevenueOptions,
} from './splits.js';
export type { PaymentStore, PaymentCommit } from './ports.js';
export { createPaymentService, type PaymentService, type PaymentServiceDeps, type PaymentReportContext } from './service.js';
