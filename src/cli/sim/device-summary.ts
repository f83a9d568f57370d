import type { ClassSummary, DeviceFleetResult } from '../../device/sim/device-fleet.js';
import { formatDuration } from './duration.js';

/** The sensors' and tools' run in lines for people: one line per class, then the invariants. */
export function deviceSummaryLines(r: DeviceFleetResult): string[] {
  const line = (name: string, c: ClassSummary) =>
    `  ${name}: ${c.devices} devices, ${c.readings} readings, ${c.delivered} messages delivered ` +
    `(${c.replayed} replayed after an outage), ${c.dropped} dropped by a full queue, ` +
    `${c.rejects} rejects, ${c.commandsSent} commands, ${c.leftInQueues} left in queues`;
  const lines = [
    `Simulated ${formatDuration(r.simulatedMs)} of sensors and tools (seed ${r.seed}) in ${formatDuration(r.realMs)} real`,
  ];
  if (r.coldchain.devices) lines.push(line('coldchain', r.coldchain));
  if (r.tool.devices) lines.push(line('tool', r.tool));
  const faults = Object.entries(r.faultsApplied);
  if (faults.length) lines.push(`  faults ${faults.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const e of r.errors.slice(0, 20)) lines.push(`  error: ${e}`);
  const inv = r.invariants;
  if (inv) {
    if (inv.failed) lines.push(`The device invariant check failed: ${inv.failed}`);
    lines.push(
      inv.violations.length === 0
        ? `Device invariants hold for ${inv.checkedReadings} readings.`
        : `Device invariants broken: ${inv.violations.length}`,
    );
    for (const v of inv.violations.slice(0, 50))
      lines.push(`  ${v.kind} ${v.deviceId}: ${v.detail}`);
    for (const what of inv.notChecked) lines.push(`Not checked: ${what}`);
  }
  return lines;
}

/** The sensors' and tools' counts for the last JSON line. */
export function deviceSummaryJson(r: DeviceFleetResult): Record<string, unknown> {
  const kinds: Record<string, number> = {};
  for (const v of r.invariants?.violations ?? []) kinds[v.kind] = (kinds[v.kind] ?? 0) + 1;
  return {
    coldchain: r.coldchain,
    tool: r.tool,
    deviceFaultsApplied: r.faultsApplied,
    deviceReadingsChecked: r.invariants?.checkedReadings ?? 0,
    deviceInvariantViolations: r.invariants?.violations.length ?? 0,
    deviceViolationsByKind: kinds,
    deviceInvariantCheckFailed: r.invariants?.failed ?? null,
  };
}

/** True when the run broke an invariant or could not check them. */
export function deviceRunBroken(r: DeviceFleetResult): boolean {
  return (r.invariants?.violations.length ?? 0) > 0 || r.invariants?.failed !== undefined;
}
