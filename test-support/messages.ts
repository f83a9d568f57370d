import { DEVICE_EXAMPLES } from '../src/contract/examples.js';
import type { DeviceMessage, DeviceMessageType } from '../src/contract/index.js';

/** A valid message of `type` from `deviceId` with this counter, timestamped now. */
export function message<T extends DeviceMessageType>(
  type: T,
  deviceId: string,
  counter: number,
  overrides: Record<string, unknown> = {},
): Extract<DeviceMessage, { type: T }> {
  return {
    ...DEVICE_EXAMPLES[type],
    device_id: deviceId,
    counter,
    ts: new Date().toISOString(),
    ...overrides,
  } as Extract<DeviceMessage, { type: T }>;
}
