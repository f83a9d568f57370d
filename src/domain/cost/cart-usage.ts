import type { CostInputs, PeakType } from './measured-inputs.js';

const TYPES: readonly PeakType[] = ['session-start', 'scan', 'health', 'session-end'];

/** One cart's use of the platform in a month, derived from the inputs (decision 061). */
export interface CartUsage {
  readonly daysPerMonth: number;
  /** Messages a day by type: the sessions' messages plus idle health for the rest of the shift. */
  readonly messagesPerDayByType: Readonly<Record<PeakType, number>>;
  readonly messagesPerDay: number;
  readonly messagesPerMonth: number;
  /** Body plus signature, as metering counts them: the month's storage growth. */
  readonly storedBytesPerMonth: number;
  /** What the stores hold once the retention period is full: the steady state. */
  readonly heldBytes: number;
  readonly heldMessages: number;
  readonly connectedMinutesPerMonth: number;
  /** The soak's CPU per message at peak, held connections included. */
  readonly cpuSecondsPerMessageAtPeak: number;
  readonly cpuSecondsPerMonth: number;
  /** The same month's messages at bench:ingest's saturated rate: the floor without connections. */
  readonly cpuSecondsPerMonthSaturated: number;
  /** Cores one cart takes at the peak (all carts in a session, decision 053). */
  readonly peakCoresPerCart: number;
}

export function cartUsage(inputs: CostInputs, hoursPerMonth: number): CartUsage {
  const daysPerMonth = hoursPerMonth / 24;
  const sessions = inputs.sessionsPerCartDay.value;
  const activeSeconds = sessions * inputs.sessionSeconds.value;
  const shiftSeconds = inputs.shiftHours.value * 3600;
  if (activeSeconds > shiftSeconds) throw new Error('the sessions do not fit in the shift');
  const idleHealth = (shiftSeconds - activeSeconds) / inputs.idleHealthSeconds.value;
  const byType = Object.fromEntries(
    TYPES.map((t) => [
      t,
      sessions * inputs.sessionMessages[t].value + (t === 'health' ? idleHealth : 0),
    ]),
  ) as Record<PeakType, number>;
  const messagesPerDay = TYPES.reduce((n, t) => n + byType[t], 0);
  const bytesPerDay = TYPES.reduce(
    (n, t) => n + byType[t] * (inputs.bodyBytes[t].value + inputs.signatureBytes.value),
    0,
  );
  const messagesPerMonth = messagesPerDay * daysPerMonth;
  const storedBytesPerMonth = bytesPerDay * daysPerMonth;
  const sessionMessages = TYPES.reduce((n, t) => n + inputs.sessionMessages[t].value, 0);
  const peakRatePerCart = sessionMessages / inputs.sessionSeconds.value;
  const peakCoresPerCart = inputs.peakCores.value / inputs.peakCarts.value;
  const cpuSecondsPerMessageAtPeak = peakCoresPerCart / peakRatePerCart;
  return {
    daysPerMonth,
    messagesPerDayByType: byType,
    messagesPerDay,
    messagesPerMonth,
    storedBytesPerMonth,
    heldBytes: storedBytesPerMonth * inputs.retentionMonths.value,
    heldMessages: messagesPerMonth * inputs.retentionMonths.value,
    connectedMinutesPerMonth: inputs.shiftHours.value * 60 * daysPerMonth,
    cpuSecondsPerMessageAtPeak,
    cpuSecondsPerMonth: messagesPerMonth * cpuSecondsPerMessageAtPeak,
    cpuSecondsPerMonthSaturated: messagesPerMonth * inputs.ingestCpuSecondsPerMessage.value,
    peakCoresPerCart,
  };
}
