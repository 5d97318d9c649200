/**
 * crm-rules/testing: the kit for hosts' own tests — the repository contract suite (run it on
 * your adapter with one call; its payments section runs when the adapter implements the
 * payments port, or alone through `describePaymentStoreContract`) and fast-check arbitraries of
 * the modules' entities, commands and policies, valid and deliberately invalid. Needs `fast-check` (a peer dependency).
 */
export {
  describeStoreContract,
  type ContractStore,
  type ContractHarness,
  type ContractRunner,
  type ContractAssertion,
  type ContractOptions,
  type ContractTestContext,
} from './contract.js';
export { describePaymentStoreContract, isPaymentStore } from './payment-contract.js';
export { ContractArgumentError } from './harness.js';
export {
  idArb,
  instantArb,
  phoneArb,
  actorArb,
  createLeadInputArb,
  invalidCreateLeadInputArb,
  leadCommandArb,
  invalidLeadCommandArb,
  leadArb,
  invalidLeadArb,
  leadPolicyArb,
  invalidLeadPolicyArb,
  opportunityArb,
  invalidOpportunityArb,
  poolPolicyArb,
  invalidPoolPolicyArb,
  poolMemberArb,
  invalidPoolMemberArb,
  poolCustomerArb,
  invalidPoolCustomerArb,
  poolRecordViewArb,
  invalidPoolRecordViewArb,
  poolRequestArb,
  invalidPoolRequestArb,
  reclaimExtensionCommandArb,
  invalidReclaimExtensionCommandArb,
  dedupeRecordArb,
  invalidDedupeRecordArb,
  duplicateLeadPairArb,
  ruleSetArb,
  invalidRuleSetArb,
  type PoolServiceRequest,
  type PoolRequestBase,
} from './arbitraries.js';
