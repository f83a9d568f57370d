import { resolve } from 'node:path';
import { assertPlatformNotRunning } from '../../stores/data-dir/index.js';
import { openCustomerStores, type CustomerStores } from '../../domain/customers/customer-stores.js';
import { openEntityStore } from '../../stores/entities/index.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import { LocalKeyring } from '../../stores/keys/index.js';
import { stringOption, type OptionValues } from '../command.js';

export const CUSTOMER_STORE_OPTIONS = {
  data: { type: 'string' },
  'entity-url': { type: 'string' },
} as const;

/**
 * Opens the entity store, the vaults and the audit log of DIR for one command. The embedded
 * databases take one process at a time: while the platform runs on DIR, use its API instead.
 */
export async function withCustomerStores<T>(
  values: OptionValues,
  doing: string,
  work: (stores: CustomerStores & { entities: EntityStore }) => Promise<T>,
): Promise<T> {
  const dataDir = resolve(String(values['data']));
  const url = stringOption(values, 'entity-url');
  await assertPlatformNotRunning(dataDir, doing);
  const entities = await openEntityStore({ dataDir, ...(url !== undefined ? { url } : {}) });
  try {
    await entities.migrate();
    const stores = await openCustomerStores({ dataDir, keys: new LocalKeyring(dataDir) });
    try {
      return await work({ ...stores, entities });
    } finally {
      await stores.close();
    }
  } finally {
    await entities.close();
  }
}
