import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken } from '../../../test-support/api-client.js';
import { platformCart } from '../../../test-support/platform-cart.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
  STORE,
} from '../../../test-support/platform.js';
import { ScaledClock } from '../clock/sim-clock.js';
import { loadProvisionedDevice } from '../link/device-link.js';
import { httpsDeviceApi, type CatalogFetch } from './device-api-client.js';

const catalogCsv = (milkCents: number) =>
  [
    'sku,barcode,name,price_cents,weight_g,category',
    `SKU-1,4006381333931,"Milk, 1 l",${milkCents},1030,dairy`,
    'SKU-2,4000000000017,Butter,199,250,dairy',
  ].join('\n');

// A real cart over mutual TLS against the running platform. The cart asks for its catalog when it
// boots, when its desired shadow names a version it does not hold, and on a sync-catalog command;
// it has no timer of its own, so only the push can bring a change while it stays on.
describe('catalog push', () => {
  it("a price changed through the API reaches a connected cart's cache within seconds", async (t) => {
    const data = await fleetDataDir(t);
    const deviceDir = await provisionDevice(data, 'CART-0001');
    const platform = await startTestPlatform(t, data);
    const token = await apiToken(platform, 'ops');
    const put = (milkCents: number) =>
      apiRequest(platform, 'PUT', `/v1/stores/${STORE}/catalog`, {
        token,
        body: catalogCsv(milkCents),
        contentType: 'text/csv',
      });
    assert.equal((await put(119)).status, 200);

    const api = httpsDeviceApi(platform.deviceApiUrl, await loadProvisionedDevice(deviceDir));
    const answers: CatalogFetch['status'][] = [];
    const catalog = {
      async fetch(cachedVersion: string | undefined) {
        const answer = await api.fetch(cachedVersion);
        answers.push(answer.status);
        return answer;
      },
    };
    const cart = await platformCart(t, platform, deviceDir, new ScaledClock(), { catalog });
    await cart.powerOn();
    const before = cart.catalogVersion;
    assert.deepEqual(answers, ['ok'], 'the catalog fetched at boot');
    await eventually(
      async () =>
        (await platform.entities.listStoreDevices(STORE)).some((d) => d.deviceId === cart.deviceId)
          ? true
          : undefined,
      'the cart registered in its store',
    );

    const changed = await put(129);
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const version = changed.body['catalogVersion'];
    assert.equal(typeof version, 'string');
    assert.notEqual(version, before, 'a new price is a new version (the ETag)');
    assert.equal(changed.body['cartsNotified'], 1);

    await eventually(
      () => (cart.catalogVersion === version ? true : undefined),
      'the cart to hold the new catalog',
      30_000,
    );
    assert.deepEqual(answers, ['ok', 'ok'], 'one fetch for the change, with the new ETag');
    const shadow = await eventually(async () => {
      const view = await platform.shadows.get(cart.deviceId);
      return view?.reported?.['catalog_version'] === version ? view : undefined;
    }, 'the shadow report of the new catalog');
    assert.equal(shadow.desired['catalog_version'], version);

    // The same catalog again changes nothing: no new version, no cart told.
    const again = await put(129);
    assert.equal(again.body['changed'], 0);
    assert.equal(again.body['cartsNotified'], undefined);
  });
});
