import { runRolloutPortsContract } from '../ports.contract.js';
import { MemoryFleetTargets } from './memory-fleet-targets.js';
import { MemoryRolloutRepository } from './memory-rollout-repository.js';
import { MemoryStoreCalendar } from './memory-store-calendar.js';
import { MemoryVersionHealth } from './memory-version-health.js';

const FAILED = ['watchdog', 'panic', 'brownout'];

runRolloutPortsContract('in memory', async () => {
  const targets = new MemoryFleetTargets();
  const calendar = new MemoryStoreCalendar();
  const health = new MemoryVersionHealth((id) => targets.get(id));
  return {
    repository: new MemoryRolloutRepository(),
    targets,
    calendar,
    health,
    async setTimezone(storeId, timezone) {
      calendar.setTimezone(storeId, timezone);
    },
    async boot(deviceId, storeId, boot, at) {
      targets.put({
        deviceId,
        storeId,
        deviceClass: 'cart',
        hardwareRev: boot.hardwareRev,
        firmwareVersion: boot.version,
        caGenerations: boot.caGenerations,
        lastSeenAt: at,
      });
      health.record({ kind: 'running', deviceId, version: boot.version, at });
      if (boot.rolledBack && boot.previousVersion) {
        health.record({ kind: 'failed-boot', deviceId, version: boot.previousVersion, at });
      } else if (FAILED.includes(boot.resetReason ?? '')) {
        health.record({ kind: 'failed-boot', deviceId, version: boot.version, at });
      }
    },
    async fault(deviceId, _storeId, at) {
      const version = targets.get(deviceId)!.firmwareVersion!;
      health.record({ kind: 'fault', deviceId, version, at });
    },
  };
});
