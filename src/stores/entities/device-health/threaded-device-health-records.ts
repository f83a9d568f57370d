import type { ThreadClient } from '../../../shared/threads/thread-client.js';
import type { DeviceHealthRecords } from './device-health-records.js';

/**
 * DeviceHealthRecords across the thread boundary: each call goes to the worker's SqlEntityStore,
 * which forwards it to SqlDeviceHealthRecords. ThreadedEntityStore forwards to this one.
 */
export class ThreadedDeviceHealthRecords implements DeviceHealthRecords {
  constructor(private readonly thread: ThreadClient) {}

  recordDeviceRejects(
    ...a: Parameters<DeviceHealthRecords['recordDeviceRejects']>
  ): ReturnType<DeviceHealthRecords['recordDeviceRejects']> {
    return this.thread.call('recordDeviceRejects', a);
  }
  listTopErrorDevices(
    ...a: Parameters<DeviceHealthRecords['listTopErrorDevices']>
  ): ReturnType<DeviceHealthRecords['listTopErrorDevices']> {
    return this.thread.call('listTopErrorDevices', a);
  }
}
