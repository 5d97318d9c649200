/**
 * crm-rules/testing: the kit for hosts' own tests — the repository contract suite (run it on
 * your adapter with one call) and fast-check arbitraries of the modules' entities, commands
 * and policies, valid and deliberately invalid. Needs `fast-check` (a peer dependency).
 */
export {
  describeStoreContract,
  type ContractStore,
  type ContractHarness,
  type ContractRunner,
  type ContractAssertion,
  type ContractOptions,
} from './contract.js';
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
