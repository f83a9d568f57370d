import type { DeviceMessage } from '../../contract/index.js';

/** One stored device message as the platform gives it back (GET /v1/devices/{id}/events). */
export type StoredMessage = Record<string, unknown> & {
  readonly counter: number;
  readonly ts: string;
};

/** What the invariant check reads back: a device's stored messages of one type. */
export interface TelemetryView {
  /** Newest first or in any order; at most `limit`. */
  events(deviceId: string, type: DeviceMessage['type'], limit: number): Promise<StoredMessage[]>;
  /** The ledger's status of a command the simulator sent (succeeded, failed, pending…). */
  commandStatus?(commandId: string): Promise<string | undefined>;
}

/** What the simulator saw one device do. */
export interface DeviceLedger {
  readonly deviceId: string;
  readonly deviceClass: 'coldchain' | 'tool';
  /** Every message the device signed, in creation order. */
  readonly created: DeviceMessage[];
  /** Counters the full store-and-forward queue dropped (the stated overflow policy). */
  readonly dropped: Set<number>;
  /** Counters still in flash at the end (a silenced sensor): not sent, so not missing. */
  readonly held: Set<number>;
  /** Commands the simulator sent this device. */
  readonly commands: string[];
  /** Operator ids badged into this tool: none may be stored in the clear. */
  readonly operators: Set<string>;
}

export type DeviceViolationKind =
  | 'reading-missing'
  | 'reading-duplicated'
  | 'reading-phantom'
  | 'reading-altered'
  | 'counter-not-monotonic'
  | 'command-unanswered'
  | 'command-answered-twice'
  | 'operator-in-clear';

export interface DeviceViolation {
  readonly kind: DeviceViolationKind;
  readonly deviceId: string;
  readonly detail: string;
}

export interface DeviceInvariantReport {
  readonly violations: DeviceViolation[];
  /** Readings compared against what the platform stored. */
  readonly checkedReadings: number;
  readonly notChecked: string[];
}

/** The events route's limit: a device with more readings than this is only partly checked. */
export const EVENTS_LIMIT = 1000;

const READING: Record<DeviceLedger['deviceClass'], 'coldchain-telemetry' | 'tool-telemetry'> = {
  coldchain: 'coldchain-telemetry',
  tool: 'tool-telemetry',
};

/**
 * Per device: every reading it produced is stored exactly once and as sent (same counter, ts and
 * values), none stored that it did not produce, none lost across an outage (only what the full
 * queue dropped, which is counted, may be missing); its counters only rise; each command the
 * simulator sent was answered exactly once (not counting duplicates of a redelivery); no
 * operator id appears in the clear in what the platform stored.
 */
export async function checkDeviceInvariants(
  ledgers: readonly DeviceLedger[],
  view: TelemetryView,
  options: { patienceMs?: number } = {},
): Promise<DeviceInvariantReport> {
  // The platform's pipeline may still be storing the last replay or answer: a reading or an
  // answer not there yet is asked for again until the patience runs out, then it is missing.
  const deadline = Date.now() + (options.patienceMs ?? 0);
  const again = () =>
    Date.now() < deadline && new Promise((r) => setTimeout(r, 250)).then(() => true);
  const violations: DeviceViolation[] = [];
  const notChecked: string[] = [];
  let checkedReadings = 0;
  const v = (kind: DeviceViolationKind, deviceId: string, detail: string) =>
    violations.push({ kind, deviceId, detail });
  for (const ledger of ledgers) {
    const id = ledger.deviceId;
    const counters = ledger.created.map((m) => m.counter);
    const backwards = counters.findIndex((c, i) => i > 0 && c <= counters[i - 1]!);
    if (backwards > 0)
      v('counter-not-monotonic', id, `${counters[backwards - 1]} then ${counters[backwards]}`);

    const type = READING[ledger.deviceClass];
    const made = ledger.created.filter((m) => m.type === type);
    if (made.length > EVENTS_LIMIT) {
      notChecked.push(`${id}: ${made.length} readings, the events route returns ${EVENTS_LIMIT}`);
      continue;
    }
    const expected = made.filter(
      (m) => !ledger.dropped.has(m.counter) && !ledger.held.has(m.counter),
    );
    let stored = await view.events(id, type, EVENTS_LIMIT);
    const complete = () => {
      const have = new Set(stored.map((s) => s.counter));
      return expected.every((m) => have.has(m.counter));
    };
    while (!complete() && (await again())) stored = await view.events(id, type, EVENTS_LIMIT);
    const byCounter = new Map<number, StoredMessage[]>();
    for (const s of stored) byCounter.set(s.counter, [...(byCounter.get(s.counter) ?? []), s]);
    for (const m of made) {
      const found = byCounter.get(m.counter) ?? [];
      if (found.length === 0) {
        if (!ledger.dropped.has(m.counter) && !ledger.held.has(m.counter))
          v('reading-missing', id, `counter ${m.counter} (${m.ts})`);
        continue;
      }
      checkedReadings++;
      if (found.length > 1)
        v('reading-duplicated', id, `counter ${m.counter} stored ${found.length}×`);
      const { received_at: _r, ...body } = found[0]!;
      void _r;
      if (JSON.stringify(sortKeys(body)) !== JSON.stringify(sortKeys(m)))
        v('reading-altered', id, `counter ${m.counter}: stored ${JSON.stringify(body)}`);
    }
    const madeCounters = new Set(made.map((m) => m.counter));
    for (const s of stored)
      if (!madeCounters.has(s.counter)) v('reading-phantom', id, `counter ${s.counter} never sent`);

    if (ledger.operators.size > 0) {
      const text = JSON.stringify(stored);
      for (const operator of ledger.operators)
        if (text.includes(operator))
          v('operator-in-clear', id, 'an operator id is stored unsealed');
    }

    for (const commandId of ledger.commands) {
      const answers = ledger.created.filter(
        (m) => m.type === 'command-response' && m.command_id === commandId && !m.duplicate,
      );
      if (answers.length === 0) v('command-unanswered', id, commandId);
      if (answers.length > 1) v('command-answered-twice', id, `${commandId} ${answers.length}×`);
      let status = await view.commandStatus?.(commandId);
      while (status === 'pending' && (await again()))
        status = await view.commandStatus?.(commandId);
      if (view.commandStatus && status !== 'succeeded')
        v('command-unanswered', id, `${commandId}: the ledger says ${status ?? 'nothing'}`);
    }
  }
  if (!view.commandStatus) notChecked.push('command outcomes in the ledger: no command route');
  return { violations, checkedReadings, notChecked };
}

function sortKeys(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
