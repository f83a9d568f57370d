import type { FleetResult } from '../../device/sim/fleet.js';
import { formatDuration } from './duration.js';

/** The run in lines for people. */
export function summaryLines(r: FleetResult, notChecked: readonly string[]): string[] {
  const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
  const lines = [
    `Simulated ${formatDuration(r.simulatedMs)} of ${r.carts} carts (${r.scenario}, seed ${r.seed}) in ${formatDuration(r.realMs)} real`,
    `  sessions ${r.sessions} (${r.customerSessions} customers; ${Object.entries(r.sessionsByStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
    `  scans ${r.scans}, identifies ${r.identifies}, payments ${r.payments}`,
    `  messages ${r.messagesCreated} created, ${r.messagesDelivered} delivered, ${r.messagesLost} lost from RAM in a power loss, ${r.replays} replayed after waiting for a link`,
    `  rejects ${r.rejectsTotal}${
      r.rejectsTotal
        ? ` (${Object.entries(r.rejects)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`
        : ''
    }`,
    `  scan acknowledged online p50 ${ms(r.scanAckOnline.p50)} p99 ${ms(r.scanAckOnline.p99)}; offline p50 ${ms(r.scanAckOffline.p50)} p99 ${ms(r.scanAckOffline.p99)}`,
    `  buffered at most ${r.maxBuffered}, ${r.bufferedAtEnd} left after the flush${r.unflushed.length ? ` on ${r.unflushed.join(', ')}` : ''}`,
  ];
  if (r.tripErrors) lines.push(`  trip errors ${r.tripErrors}: ${r.errors.join('; ')}`);
  if (r.invariants) {
    const broken = r.invariants.violations;
    lines.push(
      broken.length === 0
        ? `Invariants hold for ${r.invariants.checkedSessions} sessions.`
        : `Invariants broken: ${broken.length}`,
    );
    for (const v of broken.slice(0, 50))
      lines.push(`  ${v.kind} ${v.sessionId ?? ''} ${v.deviceId ?? ''}: ${v.detail}`);
    if (broken.length > 50) lines.push(`  … and ${broken.length - 50} more`);
  }
  for (const what of notChecked) lines.push(`Not checked: ${what}`);
  return lines;
}

/** The last line: one JSON object with the counts, for scripts. */
export function summaryJson(
  r: FleetResult,
  notChecked: readonly string[],
): Record<string, unknown> {
  return {
    scenario: r.scenario,
    seed: r.seed,
    carts: r.carts,
    speed: r.speed,
    simulatedMs: r.simulatedMs,
    realMs: r.realMs,
    sessions: r.sessions,
    customerSessions: r.customerSessions,
    scans: r.scans,
    identifies: r.identifies,
    payments: r.payments,
    rejects: r.rejectsTotal,
    rejectsByReason: r.rejects,
    replays: r.replays,
    messagesCreated: r.messagesCreated,
    messagesDelivered: r.messagesDelivered,
    messagesLost: r.messagesLost,
    maxBuffered: r.maxBuffered,
    bufferedAtEnd: r.bufferedAtEnd,
    scanAckP50Ms: r.scanAckOnline.p50,
    scanAckP99Ms: r.scanAckOnline.p99,
    scanAckOfflineP50Ms: r.scanAckOffline.p50,
    scanAckOfflineP99Ms: r.scanAckOffline.p99,
    tripErrors: r.tripErrors,
    faultsApplied: r.faultsApplied,
    invariantsChecked: r.invariants !== undefined,
    invariantViolations: r.invariants?.violations.length ?? 0,
    invariantCheckFailed: r.invariants?.failed ?? null,
    violationsByKind: countBy(r.invariants?.violations.map((v) => v.kind) ?? []),
    notChecked: notChecked.length,
  };
}

function countBy(keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}
