// Every fault scenario `npm run faults` runs, in the order they run, in the groups the engine
// tests run in parallel (one test file each).
import { clockJumpRollout } from './clock-jump-rollout.scenario.js';
import { clockJump } from './clock-jump.scenario.js';
import { diskFull } from './disk-full.scenario.js';
import { mosquittoRestart } from './mosquitto-restart.scenario.js';
import { offlineWorkRestart } from './offline-work-restart.scenario.js';
import { postgresRestart } from './postgres-restart.scenario.js';
import type { FaultScenario } from './scenario.js';
import { sigkillCheckout } from './sigkill-checkout.scenario.js';
import { sigkillIngest } from './sigkill-ingest.scenario.js';
import { sigkillProjection } from './sigkill-projection.scenario.js';
import { sigkillRollout } from './sigkill-rollout.scenario.js';
import { storeOfflineHour } from './store-offline-hour.scenario.js';

/** The platform killed or starved while it takes and stores messages. */
export const INGEST_SCENARIOS: readonly FaultScenario[] = [
  sigkillIngest,
  sigkillProjection,
  diskFull,
];

/** Work for devices (commands, shadow, rollouts) and checkouts across a killed platform. */
export const DOMAIN_SCENARIOS: readonly FaultScenario[] = [
  offlineWorkRestart,
  sigkillRollout,
  sigkillCheckout,
];

/** The engines behind the platform restarted, a store's uplink gone for an hour, the host clock jumping. */
export const ENGINE_SCENARIOS: readonly FaultScenario[] = [
  clockJump,
  clockJumpRollout,
  storeOfflineHour,
  postgresRestart,
  mosquittoRestart,
];

export const SCENARIOS: readonly FaultScenario[] = [
  ...INGEST_SCENARIOS,
  ...DOMAIN_SCENARIOS,
  ...ENGINE_SCENARIOS,
];

/**
 * Scenarios that run and report but do not hold yet, with why: the engine tests mark them todo
 * (reported, not failing CI); `npm run faults` still counts them as failed.
 */
export const KNOWN_GAPS: Readonly<Record<string, string>> = {};
