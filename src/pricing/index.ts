/**
 * Quote pricing (报价): exact line math through a configurable price waterfall, the whole-order
 * discount spread over the lines, tax per line or per rate, approval thresholds as data and the
 * approval flow, revisions and their diff, conversion to an order or a contract, and reuse that
 * says what it overwrites.
 */
export {
  LINE_STAGES,
  DEFAULT_LINE_STAGES,
  QUOTE_STATUSES,
  tiersSchema,
  lineDiscountSchema,
  quoteLineSchema,
  orderDiscountSchema,
  taxSchema,
  quotePricingSchema,
  approvalPolicySchema,
  newQuoteSchema,
  quoteContextSchema,
  quoteEditSchema,
  type LineStage,
  type Tiers,
  type LineDiscount,
  type QuoteLineInput,
  type QuoteLine,
  type OrderDiscount,
  type TaxSettings,
  type QuotePricingInput,
  type QuotePricing,
  type ApprovalPolicyInput,
  type ApprovalPolicy,
  type QuoteStatus,
  type QuoteSignature,
  type QuoteApproval,
  type Quote,
  type NewQuoteInput,
  type QuoteContext,
  type QuoteEdit,
  defineApprovalPolicy,
} from './model.js';
export { priceQuote, priceQuoteAmounts, type StageAmount, type PricedLine, type QuoteTotals, type TaxByRate, type PricedQuote, type QuoteAmounts } from './price.js';
export {
  QUOTE_OPERATIONS,
  QUOTE_TRANSITIONS,
  requiredApprovals,
  createQuote,
  editQuote,
  submitQuote,
  approveQuote,
  rejectQuote,
  returnQuote,
  cancelQuote,
  diffQuotes,
  storedQuoteSchema,
  type ApprovalReason,
  type RequiredApprovals,
  type QuoteOperation,
  type QuoteChange,
  type FieldChange,
  type QuoteDiff,
} from './quotes.js';
export {
  SALES_DOCUMENT_KINDS,
  conversionSchema,
  convertQuote,
  reuseQuote,
  type SalesDocumentKind,
  type SalesDocument,
  type ConversionInput,
  type LineDiscountsInput,
  type Conversion,
  type Reuse,
} from './convert.js';
export type { QuoteEventType, QuoteEventDataByType, QuoteEvent } from './events.js';
