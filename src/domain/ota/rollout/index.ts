// The rollout engine's public surface (issue 8): the platform, API, CLI and OTA simulator import
// from here.
export * from './ports.js';
export { RolloutEngine, type RolloutEngineOptions, type TickReport } from './rollout-engine.js';
export { ROLLOUT_DEFAULTS, type RolloutSpec } from './rollout-spec.js';
export { defaultStages, HOUR_MS } from './stages.js';
export {
  rolloutStatus,
  type JobCounts,
  type RolloutStatus,
  type StageStatus,
} from './rollout-status.js';
export { ROLLOUT_ERRORS, RolloutFailure, type RolloutErrorCode } from './rollout-errors.js';
export {
  insideWindow,
  localMinutes,
  parseWindows,
  type DailyWindow,
} from './maintenance-window.js';
export { localWeekday, openAt, parseOpeningHours, WEEKDAYS } from './opening-hours.js';
export { cohortOrder, cohortSizes, stableHash } from './cohorts.js';
export { MemoryRolloutRepository } from './memory/memory-rollout-repository.js';
export { MemoryFleetTargets, matchesTargets } from './memory/memory-fleet-targets.js';
export { MemoryStoreCalendar } from './memory/memory-store-calendar.js';
export { MemoryVersionHealth, type HealthObservation } from './memory/memory-version-health.js';
export { entityStorePorts } from './sql/entity-store-ports.js';
