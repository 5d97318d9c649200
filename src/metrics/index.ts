/**
 * `crm-rules/metrics`: the figures a CRM's dashboard shows, as pure functions over the records
 * and events a host streams in — exact (counts and rates as fractions, money per currency),
 * zone-correct (periods on the tenant's wall calendar) and streaming (memory grows with the
 * groups, never with the records): the funnel in two readings, cohort and period; the
 * opportunities closed in a window (win rates, deal size, cycle, loss reasons); the open pipeline
 * (weighted, aging, stale); the forecast by close period and category; targets broken down
 * the organisation and the year, and attainment rolled back up; collection over payment plans,
 * consistent with the payments rules to the fen; the sales team's activity rates; marketing's
 * cost, revenue and ROI per channel and campaign.
 *
 * @example
 * import { measureFunnel } from 'crm-rules/metrics';
 */
export { PERIOD_UNITS, WEEK_STARTS, type PeriodUnit, type WeekStart } from './calendar.js';
export { RATE_DECIMALS, type Rate, type Durations, type GroupValue } from '../core/measures.js';
export {
  GROUP_DIMENSIONS,
  FUNNEL_READINGS,
  FUNNEL_STAGES,
  funnelQuerySchema,
  type GroupDimension,
  type FunnelReading,
  type FunnelStage,
  type MetricScopeInput,
  type FunnelQueryInput,
  type FunnelQuery,
  type MetricLead,
  type MetricEvent,
  type LeadJourney,
  type MetricSource,
  type MetricRecords,
  type FunnelStageFigures,
  type FunnelRow,
  type FunnelReport,
  FORECAST_CATEGORIES,
  opportunitiesQuerySchema,
  pipelineQuerySchema,
  forecastQuerySchema,
  type OpportunityJourney,
  type OpportunitiesQueryInput,
  type PipelineQueryInput,
  type ForecastQueryInput,
  type ForecastCategory,
  type CountedAmounts,
  type AmountRate,
  type OpportunitiesRow,
  type OpportunitiesReport,
  type PipelineRow,
  type PipelineReport,
  type ForecastRow,
  type ForecastReport,
} from './model.js';
export { measureFunnel } from './funnel.js';
export { measureOpportunities, measurePipeline, forecastPipeline } from './opportunities.js';
export {
  targetPlanSchema,
  attainmentQuerySchema,
  breakdownTarget,
  measureAttainment,
  type TargetPlanInput,
  type TargetNodeInput,
  type ParsedTargetNode,
  type TargetUnit,
  type TargetValue,
  type TargetNodeFigures,
  type TargetBreakdown,
  type TargetActualInput,
  type AttainmentCell,
  type NodeAttainment,
  type AttainmentReport,
} from './targets.js';
export {
  collectionQuerySchema,
  measureCollection,
  type CollectionQueryInput,
  type CollectionFigures,
  type CollectionRow,
  type CollectionAging,
  type CollectionReport,
  type DaysSalesOutstanding,
  type MoneyRate,
} from './collection.js';
export {
  DEFAULT_INVITATION_CHANNELS,
  activityQuerySchema,
  measureActivity,
  type ActivityQueryInput,
  type ActivityRow,
  type ActivityReport,
} from './activity.js';
export {
  marketingQuerySchema,
  measureMarketing,
  type MarketingCostInput,
  type MarketingQueryInput,
  type MarketingRow,
  type MarketingReport,
} from './marketing.js';
