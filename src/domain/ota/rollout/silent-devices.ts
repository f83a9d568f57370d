import { SILENCE_AFTER_MS } from '../../../contract/index.js';
import { onClockNow } from './clock-step.js';
import type { FleetTargets, HaltEvidence, RolloutJobRecord, RolloutRecord } from './ports.js';

/** Job states in which the device has taken the job (it answered) and not failed it. */
const TOOK_IT = new Set<RolloutJobRecord['state']>(['in-progress', 'succeeded']);

/**
 * Devices that took this rollout's job and have since been silent for longer than their class's
 * interval (SILENCE_AFTER_MS), not counted before. Each counts once as an error of the new
 * version: a cart that bricks after flashing says nothing more, and leaving it out of the
 * exposure would hide the worst failure there is. Only jobs quiet for that long are looked up.
 * Across a step of the host clock, silence counts from the step (clock-step.ts).
 */
export async function silentDevices(
  targets: FleetTargets,
  rollout: RolloutRecord,
  evidence: HaltEvidence,
  jobs: readonly RolloutJobRecord[],
  now: number,
): Promise<string[]> {
  const after = SILENCE_AFTER_MS[rollout.deviceClass];
  if (after === null) return [];
  const counted = new Set(evidence.silentDeviceIds);
  const quiet = new Map<string, number>();
  for (const j of jobs) {
    if (!TOOK_IT.has(j.state) || j.lastStatusAt === null || counted.has(j.deviceId)) continue;
    if (now - onClockNow(j.lastStatusAt, rollout, now) > after)
      quiet.set(j.deviceId, j.lastStatusAt);
  }
  if (quiet.size === 0) return [];
  const found = await targets.list({
    deviceClass: rollout.deviceClass,
    deviceIds: [...quiet.keys()],
  });
  return found
    .filter((t) => {
      const heard = Math.max(t.lastSeenAt ?? 0, quiet.get(t.deviceId)!);
      return now - onClockNow(heard, rollout, now) > after;
    })
    .map((t) => t.deviceId);
}
