/**
 * `crm-rules/scoring`: lead scoring as data — fit rules on the lead's fields and attributes,
 * behaviour rules on its events (points per event, caps, negative points, fading by half-life
 * or expiry in calendar days of the model's zone), grade bands and an MQL threshold — with the
 * reasons of every score (each rule's points, summing to the score; a condition's values shown
 * only to a viewer who may see the field), and a stored state so a new event is scored without
 * reading the lead's history again.
 */
export {
  CONDITION_OPERATORS,
  SCORE_FIELDS,
  scoringModelSchema,
  type BehaviourRule,
  type Comparison,
  type ConditionValue,
  type EventCondition,
  type FitCondition,
  type FitRule,
  type GradeBand,
  type ScoreDecay,
  type ScoreField,
  type ScoreRule,
  type ScoringModel,
  type ScoringModelInput,
} from './model.js';
export {
  applyScoreEvent,
  parseScoringModel,
  scoreFromState,
  scoreLead,
  scoreLeads,
  scoreStateSchema,
  startScore,
  type LeadScore,
  type ReasonCondition,
  type ScoreBatch,
  type ScoreBatchOptions,
  type ScoreOptions,
  type ScoreReason,
  type ScoreState,
  type ScoreTally,
} from './score.js';
