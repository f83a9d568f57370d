import { writeFileAtomic, type DataLayout } from '../../../stores/data-dir/index.js';
import { refreshCrls } from '../revocation/crl.js';
import type { FleetCa } from './fleet-ca.js';

/**
 * Writes what relying parties read from disk: the trust bundle (roots trusted at `now`) and each
 * generation's chain file (its issuing CA, which a device presents after its own certificate).
 */
export async function writeTrustFiles(layout: DataLayout, ca: FleetCa, now: Date): Promise<void> {
  await writeFileAtomic(layout.trustBundle, ca.trustBundlePem(now));
  for (const g of ca.generations) {
    await writeFileAtomic(layout.chain(g.generation), g.issuing.pem.trim() + '\n');
  }
}

/**
 * Brings every derived CA file up to date at `now`. The trust bundle changes when an overlap
 * window closes and CRLs expire after a week, so a long-running platform calls this daily.
 */
export async function refreshCaFiles(layout: DataLayout, ca: FleetCa, now: Date): Promise<void> {
  await writeTrustFiles(layout, ca, now);
  await refreshCrls(layout, ca, now);
}
