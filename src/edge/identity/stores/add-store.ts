import { isStoreId } from '../../../contract/ids.js';
import { identityFailure } from '../errors.js';
import type { Region, StoreRecord, StoreRegistry } from './store-registry.js';

export interface AddStoreRequest {
  readonly id: string;
  readonly name: string;
  readonly region?: Region;
  readonly timezone?: string;
}

/**
 * Adds a store, idempotently: repeating an add with the same values (or leaving out region or
 * time zone) reports the existing store; a different name, region or time zone is a conflict,
 * because silently keeping either value would surprise whoever ran the other command.
 */
export async function addStore(
  stores: StoreRegistry,
  request: AddStoreRequest,
  now: Date,
): Promise<{ created: boolean; store: StoreRecord }> {
  const { id } = request;
  if (!isStoreId(id)) {
    throw identityFailure(
      'invalid-store',
      `'${id}' is not a valid store id (letters, digits, '.', '_', '-'; at most 64; no '..')`,
    );
  }
  const name = request.name.trim();
  if (name === '' || name.length > 200) {
    throw identityFailure('invalid-store', 'a store name is 1 to 200 characters');
  }
  if (request.timezone !== undefined && !isTimeZone(request.timezone)) {
    throw identityFailure(
      'invalid-store',
      `'${request.timezone}' is not an IANA time zone (e.g. Europe/Berlin)`,
    );
  }
  const record: StoreRecord = {
    id,
    name,
    region: request.region ?? null,
    timezone: request.timezone ?? null,
    created_at: now.toISOString(),
  };
  if ((await stores.create(record)) === 'created') return { created: true, store: record };

  const existing = await stores.get(id);
  if (!existing) {
    throw identityFailure('concurrent-change', `store '${id}' exists but could not be read`);
  }
  const differences = [
    existing.name !== name ? `name '${existing.name}'` : undefined,
    request.region !== undefined && existing.region !== request.region
      ? `region ${existing.region ?? '(none)'}`
      : undefined,
    request.timezone !== undefined && existing.timezone !== request.timezone
      ? `time zone ${existing.timezone ?? '(none)'}`
      : undefined,
  ].filter((d) => d !== undefined);
  if (differences.length > 0) {
    throw identityFailure(
      'store-conflict',
      `store '${id}' already exists with ${differences.join(', ')}`,
    );
  }
  return { created: false, store: existing };
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}

/** The store a device names, or a Failure saying how to add it. */
export async function requireStore(stores: StoreRegistry, id: string): Promise<StoreRecord> {
  const store = isStoreId(id) ? await stores.get(id) : undefined;
  if (!store) {
    throw identityFailure(
      'unknown-store',
      `store '${id}' is not known; add it with 'fleetplane store add --id ${id} --name NAME'`,
    );
  }
  return store;
}
