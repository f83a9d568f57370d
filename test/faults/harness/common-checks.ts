// The checks every ledger scenario ends with, worded once so the reports read alike.
import type { FaultReport } from '../scenario.js';
import type { AcknowledgedLedger } from './ledger-load.js';

type Check = FaultReport['checks'][number];

/** Each refused publish is a message a device gives up on: none may be refused. */
export function nothingRefused(ledger: AcknowledgedLedger): Check {
  return {
    what: 'no publish was refused',
    ok: ledger.refused.size === 0,
    detail: JSON.stringify(Object.fromEntries(ledger.refused)),
  };
}

/** A platform that cannot stop cleanly after the fault has not recovered from it. */
export function stoppedCleanly(exit: number | null | undefined): Check {
  return {
    what: 'the platform stopped cleanly at the end (exit 0)',
    ok: exit === 0,
    detail: `exit ${String(exit)}`,
  };
}

/** A failed check naming a few of what was lost, so a report says which; none when none was. */
export function lostSample(sample: readonly string[], what = 'items'): Check[] {
  return sample.length > 0
    ? [{ what: `lost ${what} (sample)`, ok: false, detail: sample.join(', ') }]
    : [];
}
