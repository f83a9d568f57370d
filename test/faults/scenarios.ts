// Every fault scenario `npm run faults` runs, in the order they run, in the groups the engine
// tests run in parallel (one test file each).
import { diskFull } from './disk-full.scenario.js';
import { offlineWorkRestart } from './offline-work-restart.scenario.js';
import type { FaultScenario } from './scenario.js';
import { sigkillIngest } from './sigkill-ingest.scenario.js';
import { sigkillProjection } from './sigkill-projection.scenario.js';
import { sigkillRollout } from './sigkill-rollout.scenario.js';

/** The platform killed or starved while it takes and stores messages. */
export const INGEST_SCENARIOS: readonly FaultScenario[] = [
  sigkillIngest,
  sigkillProjection,
  diskFull,
];

/** Work for devices (commands, shadow, rollouts) across a killed platform. */
export const DOMAIN_SCENARIOS: readonly FaultScenario[] = [offlineWorkRestart, sigkillRollout];

export const SCENARIOS: readonly FaultScenario[] = [...INGEST_SCENARIOS, ...DOMAIN_SCENARIOS];
