import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupByTag, operationsOf, search, typeLabel } from './openapi.js';

const DOC = {
  openapi: '3.1.0',
  tags: [{ name: 'staff', description: 'The staff tablet' }],
  components: {
    schemas: { Cart: { type: 'object', properties: { deviceId: { type: 'string' } } } },
    parameters: {
      Store: { name: 'store', in: 'path', required: true, schema: { type: 'string' } },
    },
  },
  paths: {
    '/v1/stores/{store}/carts': {
      parameters: [{ $ref: '#/components/parameters/Store' }],
      get: {
        tags: ['staff'],
        summary: 'The cart locator',
        security: [{ bearer: [] }],
        responses: {
          '200': {
            description: 'Default Response',
            content: {
              'application/json': {
                schema: { type: 'array', items: { $ref: '#/components/schemas/Cart' } },
              },
            },
          },
        },
      },
    },
    '/v1/ota/rollouts': {
      post: {
        tags: ['ota', 'operations'],
        summary: 'Starts a staged rollout',
        description: 'Stages: canary, early, 10 %',
        requestBody: {
          content: { 'application/json': { schema: { type: 'object', required: ['manifest'] } } },
        },
        responses: { '201': { description: 'Created' } },
      },
    },
    '/v1/receipts/public-key': { get: { summary: 'The public key', responses: {} } },
  },
};

describe('the API reference page', () => {
  it('lists each operation under each of its tags, declared tags first', () => {
    const groups = groupByTag(DOC, operationsOf(DOC));
    assert.deepEqual(
      groups.map((g) => [g.tag, g.operations.map((o) => `${o.method} ${o.path}`)]),
      [
        ['staff', ['GET /v1/stores/{store}/carts']],
        ['operations', ['POST /v1/ota/rollouts']],
        ['ota', ['POST /v1/ota/rollouts']],
        ['other', ['GET /v1/receipts/public-key']],
      ],
    );
    assert.equal(groups[0]!.description, 'The staff tablet');
  });

  it('resolves referenced parameters and schemas and reads bodies and responses', () => {
    const [locator] = operationsOf(DOC);
    assert.deepEqual(
      locator!.parameters.map((p) => [p.name, p.in, p.required]),
      [['store', 'path', true]],
    );
    assert.equal(locator!.secured, true);
    const response = locator!.responses[0]!;
    assert.equal(response.status, '200');
    assert.equal(typeLabel(response.schema), 'array of items');
    const rollout = operationsOf(DOC).find((o) => o.method === 'POST')!;
    assert.equal(rollout.requestBody?.contentType, 'application/json');
    assert.deepEqual(rollout.requestBody?.schema?.['required'], ['manifest']);
    assert.equal(rollout.secured, false);
  });

  it('finds operations by every word of the query', () => {
    const groups = groupByTag(DOC, operationsOf(DOC));
    assert.deepEqual(
      search(groups, 'rollout canary').map((g) => g.tag),
      ['operations', 'ota'],
    );
    assert.deepEqual(search(groups, 'POST locator'), []);
    assert.equal(search(groups, '  ').length, 4);
  });

  it('names types in a few words', () => {
    assert.equal(typeLabel({ type: ['integer', 'null'] }), 'integer | null');
    assert.equal(typeLabel({ type: 'array', items: { type: 'string' } }), 'array of string');
    assert.equal(typeLabel({ enum: ['a'] }), 'enum');
    assert.equal(typeLabel(null), 'any');
  });
});
