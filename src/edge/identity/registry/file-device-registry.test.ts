import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import type { DeviceId } from '../../../contract/ids.js';
import { dataLayout } from '../../../stores/data-dir/index.js';
import { isFailure } from '../../../shared/failure.js';
import { runDeviceRegistryContract } from './device-registry.contract.js';
import { FileDeviceRegistry } from './file-device-registry.js';

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
});
