import type { CommandIo } from '../command.js';

interface Counts {
  devices: number;
  pending: number;
  sent: number;
  onNewVersion: number;
  rolledBack: number;
  failed: number;
  rejected: number;
  timedOut: number;
}

interface HealthView {
  verdict: string;
  target: { events: number; deviceHours: number; rate: number | null };
  others: { events: number; deviceHours: number; rate: number | null };
  baselineRate: number | null;
  threshold: number;
  /** The sequential halt rule's standing (decision 037); absent on older rollouts. */
  logLikelihoodRatio?: number;
  haltBoundary?: number;
  silentDevices?: number;
}

/** A rollout's status as the API answers it (times as RFC 3339). */
export interface RolloutStatusView {
  rolloutId: string;
  state: string;
  targetVersion: string;
  deviceClass: string;
  stage: { index: number; name: string; startedAt: string; endsAt: string; remainingMs: number };
  stages: (Counts & { index: number; name: string; durationMs: number; cohortSize: number })[];
  totals: Counts & {
    onNewVersionPct: number;
    rolledBackPct: number;
    optedOut: number;
    excluded: { hardware: number; newer: number };
  };
  lastHealth: HealthView | null;
  haltReason: string | null;
  optOuts: { storeId: string }[];
}

const rate = (r: number | null) => (r === null ? '–' : r.toFixed(3));
const hours = (ms: number) => `${(ms / 3_600_000).toFixed(ms % 3_600_000 === 0 ? 0 : 1)} h`;

/** One screen: the stage in force, each stage's devices, health, and the halt reason. */
export function printRolloutStatus(io: CommandIo, s: RolloutStatusView): void {
  io.out(`${s.rolloutId}  ${s.deviceClass} → ${s.targetVersion}  ${s.state.toUpperCase()}`);
  io.out(
    `  stage ${s.stage.index + 1}/${s.stages.length} ${s.stage.name}, since ${s.stage.startedAt}, ${hours(s.stage.remainingMs)} left`,
  );
  io.out(
    `  on new version ${s.totals.onNewVersion}/${s.totals.devices} (${s.totals.onNewVersionPct.toFixed(1)} %)   rolled back from new version ${s.totals.rolledBack} (${s.totals.rolledBackPct.toFixed(1)} %)`,
  );
  io.out('  stage        cohort  pending  sent  updated  rolled-back  failed  rejected  timed-out');
  for (const st of s.stages) {
    io.out(
      `  ${st.name.padEnd(12)} ${String(st.cohortSize).padStart(6)}  ${String(st.pending).padStart(7)}  ${String(st.sent).padStart(4)}  ${String(st.onNewVersion).padStart(7)}  ${String(st.rolledBack).padStart(11)}  ${String(st.failed).padStart(6)}  ${String(st.rejected).padStart(8)}  ${String(st.timedOut).padStart(9)}`,
    );
  }
  if (s.lastHealth) {
    const h = s.lastHealth;
    io.out(
      `  health: ${h.verdict}; new ${h.target.events} errors / ${h.target.deviceHours.toFixed(1)} device-h = ${rate(h.target.rate)}, old ${rate(h.baselineRate)}` +
        (h.logLikelihoodRatio !== undefined && h.haltBoundary !== undefined
          ? ` (evidence for ${h.threshold} × ${h.logLikelihoodRatio.toFixed(2)}, halts at ${h.haltBoundary.toFixed(2)}` +
            `${h.silentDevices ? `; ${h.silentDevices} silent` : ''})`
          : ` (halt above ${h.threshold} ×)`),
    );
  }
  if (s.haltReason) io.out(`  HALTED: ${s.haltReason}`);
  if (s.optOuts.length > 0) io.out(`  opted out: ${s.optOuts.map((o) => o.storeId).join(', ')}`);
  const left = s.totals.excluded.hardware + s.totals.excluded.newer;
  if (left > 0) {
    io.out(
      `  left out: ${s.totals.excluded.hardware} other hardware, ${s.totals.excluded.newer} already newer`,
    );
  }
}
