import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { MovableClock } from './key-provider.contract.js';
import { SaltRotation, type SaltRecords } from './salt-rotation.js';
import type { SaltInfo } from './schedule.js';

type Held = SaltInfo & { material: Buffer };

/** Salts in memory; `rival` plays another process that creates a salt just before we do. */
function memoryRecords(): SaltRecords<Held> & { held: Held[]; rival?: (info: SaltInfo) => void } {
  const held: Held[] = [];
  const records = {
    held,
    rival: undefined as ((info: SaltInfo) => void) | undefined,
    where: 'memory',
    list: async () => [...held],
    async create(info: SaltInfo) {
      const rival = records.rival;
      records.rival = undefined;
      rival?.(info);
      if (held.some((s) => s.id === info.id)) return undefined;
      const material = randomBytes(32);
      held.push({ ...info, material });
      return material;
    },
    material: async (record: Held) => record.material,
  };
  return records;
}

describe('SaltRotation', () => {
  it('uses the salt another process created when it loses the race for a scheduled rotation', async () => {
    const clock = new MovableClock();
    const records = memoryRecords();
    const rotation = new SaltRotation(records, clock.now);
    await rotation.currentSalt();
    clock.set('2026-10-01T10:00:00Z');
    records.rival = (info) => records.held.push({ ...info, material: Buffer.alloc(32, 7) });
    const salt = await rotation.currentSalt();
    assert.equal(salt.id, '2026q4-1');
    assert.deepEqual(salt.material, Buffer.alloc(32, 7));
  });

  it('takes the next number when another process rotated by hand at the same moment', async () => {
    const records = memoryRecords();
    const rotation = new SaltRotation(records, new MovableClock().now);
    await rotation.currentSalt();
    records.rival = (info) => records.held.push({ ...info, material: Buffer.alloc(32, 7) });
    const salt = await rotation.rotateSalt();
    assert.equal(salt.id, '2026q2-3');
    assert.deepEqual(
      (await rotation.saltStatus()).map((s) => [s.id, s.state]),
      [
        ['2026q2-1', 'previous'],
        ['2026q2-2', 'previous'],
        ['2026q2-3', 'current'],
      ],
    );
  });

  it('reports status without material or storage details', async () => {
    const rotation = new SaltRotation(memoryRecords(), new MovableClock().now);
    const [status] = await rotation.saltStatus();
    assert.deepEqual(Object.keys(status!).sort(), [
      'activeFrom',
      'id',
      'quarter',
      'reason',
      'state',
    ]);
  });
});
