import type { Boot } from './boot.js';
import type { ColdchainTelemetry } from './coldchain-telemetry.js';
import type { CommandResponse } from './command-response.js';
import type { Fault } from './fault.js';
import type { Health } from './health.js';
import type { Identify } from './identify.js';
import type { JobStatus } from './job-status.js';
import type { Scan } from './scan.js';
import type { SessionEnd } from './session-end.js';
import type { SessionStart } from './session-start.js';
import type { ShadowReport } from './shadow-report.js';
import type { ToolTelemetry } from './tool-telemetry.js';

export * from './boot.js';
export * from './catalog-snapshot.js';
export * from './claim-request.js';
export * from './claim-response.js';
export * from './coldchain-telemetry.js';
export * from './command-request.js';
export * from './command-response.js';
export * from './device-api.js';
export * from './error-feedback.js';
export * from './fault.js';
export * from './health.js';
export * from './identify.js';
export * from './job-status.js';
export * from './ota.js';
export * from './proximity-proof.js';
export * from './scan.js';
export * from './sealed-credential.js';
export * from './session-end.js';
export * from './session-start.js';
export * from './shadow-desired.js';
export * from './shadow-report.js';
export * from './shadow-state.js';
export * from './tool-telemetry.js';

/** Any message a device publishes. Narrow on `type`. */
export type DeviceMessage =
  | Scan
  | SessionStart
  | SessionEnd
  | Identify
  | Health
  | Fault
  | Boot
  | ColdchainTelemetry
  | ToolTelemetry
  | CommandResponse
  | ShadowReport
  | JobStatus;
