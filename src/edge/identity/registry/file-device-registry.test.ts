import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import type { DeviceId } from '../../../contract/ids.js';
import { dataLayout } from '../../../stores/data-dir/index.js';
import { isFailure } from '../../../shared/failure.js';
import { runDeviceRegistryContract, sampleDeviceRecord } from './device-registry.contract.js';
import { FileDeviceRegistry, LIST_READS_AT_ONCE } from './file-device-registry.js';

runDeviceRegistryContract(
  'file',
  async (t) => new FileDeviceRegistry(dataLayout(await tempDir(t))),
);

describe('FileDeviceRegistry', () => {
  it('refuses a hand-edited record that is no longer a device record, naming the file', async (t) => {
    const layout = dataLayout(await tempDir(t));
    await mkdir(layout.devicesDir, { recursive: true });
    await writeFile(layout.device('SN-1'), JSON.stringify({ serial: 'SN-1' }));
    await assert.rejects(new FileDeviceRegistry(layout).get('SN-1' as DeviceId), (error) => {
      assert.ok(isFailure(error));
      assert.equal(error.code, 'corrupt-file');
      assert.match(error.message, /SN-1\.json/);
      return true;
    });
  });

  it('lists a large fleet with a bounded number of device files open at once', async (t) => {
    const registry = new FileDeviceRegistry(dataLayout(await tempDir(t)));
    const count = LIST_READS_AT_ONCE * 3 + 5;
    for (let i = 0; i < count; i++) {
      await registry.create(sampleDeviceRecord(`SN-${String(i).padStart(4, '0')}`));
    }
    const read = registry.get.bind(registry);
    let open = 0;
    let most = 0;
    registry.get = async (serial) => {
      most = Math.max(most, ++open);
      try {
        return await read(serial);
      } finally {
        open--;
      }
    };
    const listed = await registry.list();
    assert.equal(listed.length, count);
    assert.equal(listed[0]?.serial, 'SN-0000');
    assert.ok(most <= LIST_READS_AT_ONCE, `${most} read at once`);
  });
});
