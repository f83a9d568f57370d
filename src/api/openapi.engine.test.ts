import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { platformFetch } from '../../test-support/api-client.js';
import { openApiProblems } from '../../test-support/openapi-check.js';
import { fleetDataDir, startTestPlatform } from '../../test-support/platform.js';

/** A 3.1 document with one route whose request body has `property` as its only field. */
function documentWith(property: object, openapi = '3.1.0') {
  return {
    openapi,
    info: { title: 't', version: '1' },
    paths: {
      '/v1/things': {
        post: {
          requestBody: {
            content: {
              'application/json': {
                schema: { type: 'object', properties: { n: property } },
              },
            },
          },
          responses: { '204': { description: 'done' } },
        },
      },
    },
  };
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1, every route schema valid JSON Schema 2020-12', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    const response = await platformFetch(platform)(`${platform.apiUrl}/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as { openapi: string; paths: object };
    assert.equal(document.openapi, '3.1.0');
    assert.ok(Object.keys(document.paths).length > 30, 'the routes are in it');
    assert.deepEqual(await openApiProblems(document), []);
  });

  it('the check refuses what a client generator would: 3.0 keywords, bad values, wrong version', async () => {
    assert.deepEqual(
      await openApiProblems(documentWith({ type: 'number', exclusiveMinimum: 0 })),
      [],
    );
    const refused = [
      documentWith({ type: 'number', exclusiveMinimum: true }),
      documentWith({ type: 'string', nullable: true }),
      documentWith({ type: 'string', maxlength: 3 }),
      documentWith({ type: 'strin' }),
      documentWith({ type: ['string', 'null'] }, '3.0.3'),
    ];
    for (const document of refused) {
      const problems = await openApiProblems(document);
      assert.ok(problems.length > 0, JSON.stringify(document.paths));
    }
  });
});
