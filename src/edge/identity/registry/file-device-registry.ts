import { open, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceId } from '../../../contract/ids.js';
import {
  corruptFile,
  createJsonFileExclusive,
  listDirectory,
  readJsonFile,
  writeJsonFileAtomic,
  type DataLayout,
} from '../../../stores/data-dir/index.js';
import { identityFailure } from '../errors.js';
import type { RevocationReason } from '../revocation/revocation-log.js';
import { deviceRecordProblem, type DeviceRecord } from './device-record.js';
import type { DeviceRegistry, UpdateResult } from './device-registry.js';

/** A lock older than this was left by a process that died mid-update. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

/**
 * Device records as one JSON file each under DIR/registry/devices. Creation is exclusive (no
 * two processes register the same serial); updates take a per-device lock file for the
 * read-compare-write so a renewal and a revocation racing cannot lose either change.
 */
/** How many device files `list()` reads at a time. */
export const LIST_READS_AT_ONCE = 64;

export class FileDeviceRegistry implements DeviceRegistry {
  constructor(private readonly layout: DataLayout) {}

  async get(serial: DeviceId): Promise<DeviceRecord | undefined> {
    const path = this.layout.device(serial);
    const value = await readJsonFile(path);
    if (value === undefined) return undefined;
    const problem = deviceRecordProblem(value);
    if (problem) throw corruptFile(path, problem);
    const record = value as DeviceRecord;
    // On a case-insensitive file system 'abc' finds ABC.json: that is another device.
    return record.serial === serial ? record : undefined;
  }

  async create(record: DeviceRecord): Promise<'created' | 'exists'> {
    const created = await createJsonFileExclusive(this.layout.device(record.serial), record);
    return created ? 'created' : 'exists';
  }

  async update(next: DeviceRecord): Promise<UpdateResult> {
    return this.withLock(next.serial, async () => {
      const current = await this.get(next.serial);
      if (!current) return 'missing';
      if (current.revision !== next.revision - 1) return 'conflict';
      await writeJsonFileAtomic(this.layout.device(next.serial), next);
      return 'updated';
    });
  }

  async list(): Promise<DeviceRecord[]> {
    const names = (await listDirectory(this.layout.devicesDir)).filter((n) => n.endsWith('.json'));
    // A bounded number of files open at once: the fleet sweeps list every device while each
    // connected device holds a socket, and one file per device on top of that ran the process
    // out of descriptors (EMFILE) at 10,000 devices, dropping connections mid-publish.
    const records: (DeviceRecord | undefined)[] = [];
    for (let i = 0; i < names.length; i += LIST_READS_AT_ONCE) {
      const batch = names.slice(i, i + LIST_READS_AT_ONCE);
      records.push(
        ...(await Promise.all(batch.map((n) => this.get(n.slice(0, -'.json'.length) as DeviceId)))),
      );
    }
    return records
      .filter((r): r is DeviceRecord => r !== undefined)
      .sort((a, b) => a.serial.localeCompare(b.serial));
  }

  async markRevoked(
    serial: DeviceId,
    revocation: { at: Date; reason: RevocationReason },
  ): Promise<DeviceRecord | undefined> {
    for (;;) {
      const current = await this.get(serial);
      if (!current || current.status === 'revoked') return current;
      const next: DeviceRecord = {
        ...current,
        status: 'revoked',
        revoked_at: revocation.at.toISOString(),
        revocation_reason: revocation.reason,
        revision: current.revision + 1,
      };
      const result = await this.update(next);
      if (result === 'updated') return next;
      if (result === 'missing') return undefined;
    }
  }

  private async withLock<T>(serial: DeviceId, body: () => Promise<T>): Promise<T> {
    const lock = this.layout.device(serial) + '.lock';
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await (await open(lock, 'wx')).close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return body(); // no devices directory, so no record to update
        }
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const age = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
        else if (Date.now() > deadline) {
          throw identityFailure(
            'concurrent-change',
            `${lock} is held by another process; try again, or remove it if no fleetplane command is running`,
          );
        } else await sleep(20 + Math.random() * 30);
      }
    }
    try {
      return await body();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }
}
