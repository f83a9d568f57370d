import { relative } from 'node:path';
import { auditLogFile } from '../../stores/audit/index.js';
import { REGIONS, type Region } from '../../stores/vault/vault-types.js';
import { platformLayout } from '../platform-layout.js';

/**
 * What a backup does with each top-level entry of a data directory (decision 064). Every entry the
 * code writes is named here, included in a set or left out on purpose; inventory.test.ts fails
 * when code starts writing one that is not, so a new store cannot silently miss the backup.
 *
 *   core        everything that is neither personal data of a region nor key material
 *   vault-<r>   DIR/vault/<r>/ only: tier 3 data stays in its region's set (residency)
 *   keys        the keyring and the erasure ledger, kept apart from the data (crypto-shredding)
 */
export type SetName = 'core' | 'keys' | `vault-${Region}`;

export const ALL_SETS: readonly SetName[] = ['core', 'keys', ...REGIONS.map(vaultSet)];

export function vaultSet(region: Region): SetName {
  return `vault-${region}`;
}

export type EntryRule =
  | { readonly set: 'core' | 'keys'; readonly what: string }
  | { readonly set: 'vault'; readonly what: string }
  | { readonly set: 'none'; readonly what: string };

export const TOP_LEVEL: Readonly<Record<string, EntryRule>> = {
  api: { set: 'core', what: "the API's certificate and token-signing key" },
  audit: { set: 'core', what: 'the audit log (SQLite, copied with VACUUM INTO)' },
  blobs: { set: 'core', what: 'firmware images, signed receipts, archives' },
  broker: { set: 'core', what: "the broker's server certificate" },
  ca: { set: 'core', what: 'the fleet CA, its CRL and revocations' },
  // The README's walkthrough provisions its cart's credentials into DIR/devices/.
  devices: { set: 'core', what: 'device credentials provisioned into the directory (--out)' },
  entities: { set: 'core', what: 'the entity store (PGlite: dumped by its owner)' },
  ingest: { set: 'core', what: 'the projection log (SQLite)' },
  integrations: { set: 'core', what: 'integrations, cursors, delivery logs (SQLite)' },
  keys: { set: 'keys', what: 'the local keyring: master, salts, data keys and their tombstones' },
  'keys-kms': { set: 'keys', what: 'data keys wrapped by KMS, and their tombstones' },
  metrics: { set: 'core', what: 'metric history (SQLite)' },
  ota: { set: 'core', what: 'the firmware signing key' },
  payment: { set: 'core', what: 'the payment service: its CA and ledger (SQLite)' },
  'payment-bridge': { set: 'core', what: "the payment bridge's client certificate" },
  privacy: { set: 'core', what: 'masking token segments, erasure list, detokenize audit' },
  registry: { set: 'core', what: 'devices and stores as provisioned' },
  retention: { set: 'core', what: 'how the daily retention job last went (JSON)' },
  sim: { set: 'core', what: 'simulated devices (keys, counters)' },
  telemetry: { set: 'core', what: 'the telemetry store (SQLite)' },
  vault: { set: 'vault', what: "each region's PII vault (PGlite), one set per region" },
  'platform.lock': { set: 'none', what: "the running process's lock: not data" },
};

/** Also copied into the keys set: erasures must outlive a restore of older data. */
export const LEDGER_DIR = 'privacy/token-erasures';

/**
 * Stores in the data directory in the order a live backup copies them. The projection cursor
 * goes first and telemetry after the entities: a restored cursor is then never ahead of the
 * restored entities (the projector re-applies, idempotently, what they lack), and telemetry holds
 * every event the cursor has passed.
 */
export const COPY_ORDER: readonly string[] = ['ingest', 'entities', 'vault', 'telemetry'];

export const PAYMENT_DB = 'payment/payment.db';

/** SQLite files by path relative to the data directory: copied online, without -wal/-shm. */
export function sqliteFiles(root: string): ReadonlySet<string> {
  const layout = platformLayout(root);
  return new Set(
    [
      layout.telemetryDb,
      layout.projectionDb,
      layout.integrationsDb,
      layout.metricsHistoryDb,
      auditLogFile(root),
    ]
      .map((file) => relative(layout.root, file).split('\\').join('/'))
      // The payment service's ledger; the platform may not import its layout (inventory.test.ts
      // checks this path against paymentLayout).
      .concat(PAYMENT_DB),
  );
}

/** The PGlite directories, by the database name the platform's snapshot route knows them by. */
export type EmbeddedDatabase = 'entities' | `vault-${Region}`;

export function embeddedDatabases(): { readonly name: EmbeddedDatabase; readonly path: string }[] {
  return [
    { name: 'entities', path: 'entities/pglite' },
    ...REGIONS.map((region) => ({
      name: vaultSet(region) as EmbeddedDatabase,
      path: `vault/${region}`,
    })),
  ];
}

/** Left behind by an interrupted write (atomic-file.ts, pglite-client.ts): never data. */
export function isScratch(name: string): boolean {
  return (name.startsWith('.') && name.endsWith('.tmp')) || name.endsWith('.creating');
}
