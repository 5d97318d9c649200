export { ok, err, unwrap, RefusalError, type Result, type RuleError } from './result.js';
export { ERROR_CODES, ALL_ERROR_CODES, type ErrorCode } from './codes.js';
export {
  messagesEn,
  messagesZhCn,
  shippedCatalogs,
  resolveCatalog,
  renderMessage,
  type MessageCatalog,
  type MessageCatalogInput,
  type MessageFunction,
  type ShippedLocale,
} from './messages.js';
export { LABEL_KINDS, labelsEn, labelsZhCn, shippedLabels, labelOf, type LabelKind, type LabelCatalog } from './labels.js';
export { describeValue } from './foreign.js';
export { ruleError, refuse, localizeError, localizeResult, localizeService, InvariantError, type CrmError } from './errors.js';
export type { ErrorDetailsByCode, ErrorDetails } from './details.js';
export {
  parseInput,
  parseIterable,
  entityParser,
  type EntityParser,
  instantSchema,
  instantFrom,
  MIN_INSTANT_MS,
  MAX_INSTANT_MS,
  idSchema,
  textSchema,
  isSafeText,
  SAFE_TEXT_MESSAGE,
  deepFreeze,
  timeZoneSchema,
  isValidTimeZone,
  type InputIssue,
} from './validation.js';
export {
  calendarDaysBetween,
  addCalendarDays,
  startOfZonedDay,
  startOfZonedDayAfter,
  zonedDateKey,
  isSameZonedDay,
} from './time.js';
export { ruleEvent, type RuleEvent } from './events.js';
export { JOB_PHASES, type JobHooks, type JobPhase, type JobProgress } from './jobs.js';
export type { EventListener } from './observe.js';
export {
  HOST_RELATIONS,
  RELATIONS,
  RECORD_EDITORS,
  actorRelations,
  isPermitted,
  type HostRelation,
  type Relation,
  type Actor,
} from './permissions.js';
export type { ActorInput, ServiceContext } from './context.js';
export * from './money.js';
