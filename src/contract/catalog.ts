import type { TSchema } from 'typebox';
import { DEVICE_CLASSES, type DeviceClass } from './ids.js';
import { Boot } from './messages/boot.js';
import { CatalogSnapshot } from './messages/catalog-snapshot.js';
import { CheckoutResult, SealKey, ServerTime } from './messages/device-api.js';
import { ProximityProof } from './messages/proximity-proof.js';
import { ColdchainTelemetry } from './messages/coldchain-telemetry.js';
import { CommandRequest } from './messages/command-request.js';
import { CommandResponse } from './messages/command-response.js';
import { ErrorFeedback } from './messages/error-feedback.js';
import { Fault } from './messages/fault.js';
import { Health } from './messages/health.js';
import { Identify } from './messages/identify.js';
import { JobStatus } from './messages/job-status.js';
import { OtaJob, OtaManifest } from './messages/ota.js';
import { Scan } from './messages/scan.js';
import { ToolTelemetry } from './messages/tool-telemetry.js';
import { SessionEnd } from './messages/session-end.js';
import { SessionStart } from './messages/session-start.js';
import { ShadowDesired } from './messages/shadow-desired.js';
import { ShadowReport } from './messages/shadow-report.js';

/** Which topic a device message travels on (see topics.ts). */
export type DeviceChannel = 'telemetry' | 'command-response' | 'shadow-reported' | 'job-status';

interface DeviceMessageSpec {
  readonly schema: TSchema;
  readonly classes: readonly DeviceClass[];
  readonly channel: DeviceChannel;
  readonly summary: string;
}

const CART: readonly DeviceClass[] = ['cart'];
const ALL: readonly DeviceClass[] = DEVICE_CLASSES;

/** Every message a device publishes, signed. The key is the `type` field. */
export const DEVICE_MESSAGES = {
  scan: { schema: Scan, classes: CART, channel: 'telemetry', summary: 'Barcode read.' },
  'session-start': {
    schema: SessionStart,
    classes: CART,
    channel: 'telemetry',
    summary: 'Session began or resumed.',
  },
  'session-end': {
    schema: SessionEnd,
    classes: CART,
    channel: 'telemetry',
    summary: 'Session ended, with contents and payment outcome.',
  },
  identify: {
    schema: Identify,
    classes: CART,
    channel: 'telemetry',
    summary: 'Customer identified to the session (no PII).',
  },
  health: { schema: Health, classes: CART, channel: 'telemetry', summary: 'Periodic cart health.' },
  fault: { schema: Fault, classes: CART, channel: 'telemetry', summary: 'Cart fault.' },
  boot: {
    schema: Boot,
    classes: ALL,
    channel: 'telemetry',
    summary: 'Firmware boot, slot, rollback.',
  },
  'coldchain-telemetry': {
    schema: ColdchainTelemetry,
    classes: ['coldchain'],
    channel: 'telemetry',
    summary: 'Cold-chain reading.',
  },
  'tool-telemetry': {
    schema: ToolTelemetry,
    classes: ['tool'],
    channel: 'telemetry',
    summary: 'Power-tool usage report.',
  },
  'command-response': {
    schema: CommandResponse,
    classes: ALL,
    channel: 'command-response',
    summary: 'Acknowledgement of a command.',
  },
  'shadow-report': {
    schema: ShadowReport,
    classes: ALL,
    channel: 'shadow-reported',
    summary: 'Reported shadow state.',
  },
  'job-status': {
    schema: JobStatus,
    classes: ALL,
    channel: 'job-status',
    summary: 'OTA job progress.',
  },
} as const satisfies Record<string, DeviceMessageSpec>;

export type DeviceMessageType = keyof typeof DEVICE_MESSAGES;
export const DEVICE_MESSAGE_TYPES = Object.keys(DEVICE_MESSAGES) as DeviceMessageType[];

/** Documents the cloud sends to a device (not signed; the broker's ACL guards the topic). */
export const CLOUD_DOCUMENTS = {
  error: ErrorFeedback,
  command: CommandRequest,
  'shadow-desired': ShadowDesired,
  'ota-job': OtaJob,
} as const satisfies Record<string, TSchema>;

export type CloudDocumentType = keyof typeof CLOUD_DOCUMENTS;

/** Other documents of the contract, published as schemas too. */
export const OTHER_DOCUMENTS = {
  'ota-manifest': OtaManifest,
  catalog: CatalogSnapshot,
  'seal-key': SealKey,
  'checkout-result': CheckoutResult,
  proximity: ProximityProof,
  'server-time': ServerTime,
} as const satisfies Record<string, TSchema>;

export function isDeviceMessageType(value: unknown): value is DeviceMessageType {
  return typeof value === 'string' && Object.hasOwn(DEVICE_MESSAGES, value);
}

export function mayClassSend(deviceClass: DeviceClass, type: DeviceMessageType): boolean {
  return (DEVICE_MESSAGES[type].classes as readonly DeviceClass[]).includes(deviceClass);
}
