// Every fault scenario `npm run faults` runs and the engine test checks, in the order they run.
import { sigkillIngest } from './sigkill-ingest.scenario.js';
import { sigkillProjection } from './sigkill-projection.scenario.js';
import { diskFull } from './disk-full.scenario.js';
import type { FaultScenario } from './scenario.js';

export const SCENARIOS: readonly FaultScenario[] = [sigkillIngest, sigkillProjection, diskFull];
