import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isDeviceClass } from '../../../src/contract/index.js';
import type {
  DeviceDirectory,
  KnownDevice,
} from '../../../src/pipeline/ingest/device-directory.js';
import { DEVICE_ITEM } from './device-item.js';

const DEFAULT_TTL_MS = 30_000;

/**
 * The device registry table seen through a short cache, like the self-hosted directory: a warm
 * function instance looks each device up once every 30 s, not once a message. A revocation
 * therefore takes up to that long to reach an instance that is already warm.
 */
export class DynamoDbDeviceDirectory implements DeviceDirectory {
  readonly #cache = new Map<string, { device: KnownDevice | undefined; until: number }>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  async lookup(deviceId: string): Promise<KnownDevice | undefined> {
    const at = this.now();
    const hit = this.#cache.get(deviceId);
    if (hit && hit.until > at) return hit.device;
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { [DEVICE_ITEM.key]: { S: deviceId } } }),
    );
    const device = out.Item ? toKnownDevice(out.Item) : undefined;
    this.#cache.set(deviceId, { device, until: at + this.ttlMs });
    return device;
  }

  invalidate(deviceId: string): void {
    this.#cache.delete(deviceId);
  }
}

/** An item that does not have the shape is a registry fault: said loudly, never guessed at. */
export function toKnownDevice(item: Record<string, AttributeValue>): KnownDevice {
  const deviceId = item[DEVICE_ITEM.key]?.S;
  const storeId = item[DEVICE_ITEM.store]?.S;
  const deviceClass = item[DEVICE_ITEM.deviceClass]?.S;
  const keys = item[DEVICE_ITEM.publicKeys]?.L?.map((k) => k.S);
  if (!deviceId || !storeId || !deviceClass || !isDeviceClass(deviceClass) || !keys) {
    throw new Error(
      `device registry item ${deviceId ?? '(no id)'} lacks ${DEVICE_ITEM.store}, a known ` +
        `${DEVICE_ITEM.deviceClass} or ${DEVICE_ITEM.publicKeys} (a list of strings)`,
    );
  }
  return {
    deviceId,
    storeId,
    deviceClass,
    publicKeys: keys.filter((k): k is string => typeof k === 'string'),
    revoked: item[DEVICE_ITEM.revoked]?.BOOL === true,
  };
}
