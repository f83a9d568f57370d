import type { StoreId } from '../contract/index.js';
import { openCustomerStores, type CustomerStores } from '../domain/customers/customer-stores.js';
import { DataSubjectRequests } from '../domain/customers/data-subject-requests.js';
import { IdentityLinker } from '../domain/customers/identity-linker.js';
import { IdentityService } from '../domain/customers/identity-service.js';
import type { AccountRegion } from '../stores/entities/customers/customer-records.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import type { IdentityContext } from '../edge/identity/index.js';
import type { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import type { KeyProvider } from '../stores/keys/key-provider.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import type { PaymentGateway } from '../domain/payment-bridge/payment-gateway.js';
import { SessionLinker } from '../domain/session-link/session-link.js';
import type { PlatformConfig } from './platform-config.js';
import { VaultOnUse } from '../stores/vault/vault-on-use.js';

export interface CustomerWiring {
  readonly stores: CustomerStores;
  readonly identity: IdentityService;
  readonly dsar: DataSubjectRequests;
}

/**
 * The retail domain's customer side: vaults, audit log, identity service, data-subject requests,
 * and the listeners that answer identify events after projection (decision 020).
 */
export async function wireCustomers(options: {
  readonly config: PlatformConfig;
  readonly keys: KeyProvider;
  readonly entities: EntityStore;
  readonly registry: IdentityContext;
  readonly projector: EntityProjector;
  readonly payments?: PaymentGateway;
  readonly publish: (topic: string, payload: Buffer) => Promise<void>;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now: () => number;
}): Promise<CustomerWiring> {
  const { config, entities, metrics, log, now, publish } = options;
  const stores = await openCustomerStores({
    dataDir: config.dataDir,
    keys: options.keys,
    ...(config.vaultUrls ? { vaultUrls: config.vaultUrls } : {}),
    ...(config.auditUrl ? { auditUrl: config.auditUrl } : {}),
  });
  const identity = new IdentityService({
    entities,
    ...stores,
    ...(options.payments ? { payments: options.payments } : {}),
    storeRegion: async (storeId) =>
      regionOf((await options.registry.stores.get(storeId as StoreId))?.region ?? null),
    now,
  });
  const linker = new SessionLinker({ entities, publish, metrics, log, now });
  const identified = new IdentityLinker({ identity, entities, linker, publish, metrics, log, now });
  options.projector.onApplied(identified.applied);
  options.projector.onApplied(linker.applied);
  return { stores, identity, dsar: new DataSubjectRequests({ entities, ...stores, now }) };
}

/** The store's region from the registry; a store registered without one is served from the US. */
export function regionOf(storeRegion: AccountRegion | null): AccountRegion {
  return storeRegion ?? 'us';
}

/**
 * Where personal data lives, for the compliance report: accounts per region in tier 2, and the
 * records each region's vault holds. An account whose vault row sits in another region's database
 * would be a residency breach; the counts let a reviewer see that none does.
 */
export async function residencyReport(
  entities: EntityStore,
  vaults: CustomerStores['vaults'],
): Promise<unknown> {
  const accounts = await entities.countAccountsByRegion();
  const regions = [];
  for (const [region, vault] of vaults) {
    const counts = await vault.count();
    regions.push({
      region,
      accounts: accounts.find((a) => a.region === region) ?? { region, live: 0, deleted: 0 },
      vault_records: counts.accounts,
      vault_erased: counts.erased,
    });
  }
  return { tier3_store: 'one vault database per region', regions };
}

/**
 * Opens, in the background, the embedded vault of each region that has a registered store, so the
 * first card tap there does not wait for it; a region without stores stays closed until used.
 */
export async function openVaultsOfUsedRegions(
  vaults: CustomerStores['vaults'],
  registry: IdentityContext,
  log: Logger,
): Promise<void> {
  const regions = new Set((await registry.stores.list()).map((s) => regionOf(s.region ?? null)));
  for (const region of regions) {
    const vault = vaults.get(region);
    if (vault instanceof VaultOnUse) {
      vault
        .opened()
        .catch((error: unknown) => log.error({ err: error, region }, 'vault open failed'));
    }
  }
}
