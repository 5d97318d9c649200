/**
 * Every published schema's name, by module (pools, customers, leads, dedupe, pricing, orders, payments), policies first.
 *
 * @example
 * SCHEMA_NAMES.includes('dedupeRuleSet') // true
 */
export const SCHEMA_NAMES = Object.freeze([
  'serviceContext',
  'poolPolicy',
  'reclaimRule',
  'reminderRule',
  'assignmentOptions',
  'poolCustomer',
  'poolRecordView',
  'poolMember',
  'poolEvent',
  'reclaimExtensionRequest',
  'reclaimExtensionCommand',
  'reclaimExtensionVerdict',
  'poolRecordKey',
  'poolAssignCommand',
  'poolReturnCommand',
  'poolTransferCommand',
  'poolChangeOwnerCommand',
  'poolExtensionCommand',
  'poolExtensionVerdict',
  'poolJobContext',
  'poolClaim',
  'poolAssign',
  'poolReturn',
  'poolTransfer',
  'poolChangeOwner',
  'poolReclaim',
  'poolRequestExtension',
  'poolDecideExtension',
  'poolRunReclaim',
  'customerPolicy',
  'newCustomer',
  'customerCommand',
  'leadPolicy',
  'opportunityConfig',
  'renewalPolicy',
  'lead',
  'opportunity',
  'renewalOrder',
  'newLead',
  'leadCommand',
  'newOpportunity',
  'opportunityCommand',
  'dedupeRuleSet',
  'dedupeRecord',
  'approvalPolicy',
  'quotePricing',
  'quote',
  'newQuote',
  'quoteEdit',
  'quoteConversion',
  'orderPolicy',
  'contract',
  'order',
  'newDocument',
  'documentCommand',
  'paymentPolicy',
  'paymentPlan',
  'payment',
  'newPaymentPlan',
  'newPayment',
  'allocationStrategy',
  'refundRequest',
  'refundCommand',
] as const);

/**
 * The name of a published schema.
 *
 * @example
 * const name: SchemaName = 'poolPolicy';
 */
export type SchemaName = (typeof SCHEMA_NAMES)[number];
