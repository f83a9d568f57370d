import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { apiToken, platformFetch } from '../../../test-support/api-client.js';
import { fleetDataDir, startTestPlatform } from '../../../test-support/platform.js';

// PUT /v1/ota/images/:sha256 of a running platform over real HTTP.
describe('HTTP API: firmware image upload', () => {
  it('stores an image by its hash (201, then 200), refuses a wrong hash (422), no token (401) and non-ops (403)', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    const ops = await apiToken(platform, 'ops');
    const image = randomBytes(200_000);
    const sha256 = createHash('sha256').update(image).digest('hex');
    const put = async (path: string, body: Uint8Array, token?: string) => {
      const response = await platformFetch(platform)(`${platform.apiUrl}/v1/ota/images/${path}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/octet-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const created = await put(sha256, image, ops);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body, { image_id: sha256, size: image.length });
    const again = await put(sha256, image, ops);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, created.body);
    assert.ok((await platform.ota.images.get(sha256))?.equals(image));

    const truncated = image.subarray(0, 1000);
    const truncatedId = createHash('sha256').update(truncated).digest('hex');
    const other = createHash('sha256').update('another image').digest('hex');
    const mismatch = await put(other, truncated, ops);
    assert.equal(mismatch.status, 422);
    assert.equal(mismatch.body['error'], 'hash-mismatch');
    assert.match(String(mismatch.body['message']), new RegExp(truncatedId));
    assert.equal(
      await platform.ota.images.has(other),
      false,
      'nothing stored under the claimed hash',
    );
    assert.equal(await platform.ota.images.has(truncatedId), false, 'nor under its own');

    const anonymous = await put(sha256, image);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body['error'], 'unauthenticated');
    for (const role of ['staff', 'customer', 'privacy'] as const) {
      const token = await apiToken(platform, role, role === 'privacy' ? undefined : 'berlin-1');
      const refused = await put(sha256, image, token);
      assert.equal(refused.status, 403, role);
      assert.equal(refused.body['error'], 'forbidden');
    }
    const badPath = await put('not-a-hash', image, ops);
    assert.equal(badPath.status, 400);
    const empty = await put(createHash('sha256').update('').digest('hex'), new Uint8Array(0), ops);
    assert.equal(empty.status, 400);

    const openapi = (await (
      await platformFetch(platform)(`${platform.apiUrl}/openapi.json`)
    ).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content?: object } }>>;
    };
    const documented = openapi.paths['/v1/ota/images/{sha256}']?.['put'];
    assert.ok(documented, 'the route is in the OpenAPI document');
    assert.ok(
      documented.requestBody?.content &&
        'application/octet-stream' in documented.requestBody.content,
      JSON.stringify(documented.requestBody),
    );
  });
});
