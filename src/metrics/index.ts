/**
 * `crm-rules/metrics`: the figures a CRM's dashboard shows, as pure functions over the records
 * and events a host streams in — exact (counts and rates as fractions, money per currency),
 * zone-correct (periods on the tenant's wall calendar) and streaming (memory grows with the
 * groups, never with the records). The funnel in two readings, cohort and period.
 *
 * @example
 * import { measureFunnel } from 'crm-rules/metrics';
 */
export { PERIOD_UNITS, WEEK_STARTS, type PeriodUnit, type WeekStart } from './calendar.js';
export { RATE_DECIMALS, type Rate, type Durations, type GroupValue } from './measures.js';
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
} from './model.js';
export { measureFunnel } from './funnel.js';
