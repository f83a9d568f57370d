import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkIntegrations } from './integration-check.js';

const webhook = {
  id: 'orders',
  match: { deviceClass: ['cart'], type: ['scan'] },
  sink: { kind: 'webhook', url: 'https://hooks.example.com/in', secret: 'a-secret-of-16-chars' },
  enabled: true,
};
const jetstream = {
  id: 'cold',
  match: { deviceClass: ['coldchain'] },
  sink: {
    kind: 'jetstream',
    url: 'nats://127.0.0.1:4222',
    subject: 'fleet.{store}.{class}.{type}',
  },
  enabled: true,
};

function refusal(document: unknown): string {
  const check = checkIntegrations(document);
  assert.equal(check.ok, false, 'refused');
  return check.ok ? '' : check.message;
}

describe('checking an integrations document', () => {
  it('takes webhook and JetStream integrations, and an empty document', () => {
    assert.equal(checkIntegrations({ integrations: [webhook, jetstream] }).ok, true);
    assert.equal(checkIntegrations({ integrations: [] }).ok, true);
  });

  it('names the path of a field the schema refuses', () => {
    assert.equal(
      refusal({ integrations: [{ ...webhook, match: { deviceClass: ['toaster'] } }] }),
      'integrations[0].match.deviceClass[0]: must be one of: cart, coldchain, tool',
    );
    assert.equal(
      refusal({ integrations: [webhook, { ...jetstream, colour: 'red' }] }),
      'integrations[1].colour: has an unknown key colour',
    );
    assert.match(
      refusal({ integrations: [{ ...webhook, enabled: 'yes' }] }),
      /^integrations\[0\]\.enabled: /,
    );
    assert.match(refusal({}), /integrations/);
  });

  it('refuses an id used twice, naming the second', () => {
    assert.equal(
      refusal({ integrations: [webhook, { ...jetstream, id: 'orders' }] }),
      'integrations[1].id: id orders is used twice',
    );
  });

  it('refuses plain http to another host, as alarm webhooks do', () => {
    const sink = { ...webhook.sink, url: 'http://hooks.example.com/in' };
    assert.match(
      refusal({ integrations: [{ ...webhook, sink }] }),
      /^integrations\[0\]\.sink\.url: url must be https/,
    );
  });

  it('refuses a header name that is not a token', () => {
    const sink = { ...webhook.sink, headers: { 'Bad Header': 'x' } };
    assert.equal(
      refusal({ integrations: [{ ...webhook, sink }] }),
      'integrations[0].sink.headers.Bad Header: is not an HTTP header name',
    );
  });

  it('refuses a header the platform sets itself', () => {
    const sink = { ...webhook.sink, headers: { 'Fleetplane-Delivery': 'x' } };
    assert.equal(
      refusal({ integrations: [{ ...webhook, sink }] }),
      'integrations[0].sink.headers.Fleetplane-Delivery: is set by the platform on every delivery',
    );
  });

  it('refuses a subject with an unknown placeholder or a wildcard, and a URL that is not nats', () => {
    const subject = (s: string) => ({
      integrations: [{ ...jetstream, sink: { ...jetstream.sink, subject: s } }],
    });
    assert.equal(
      refusal(subject('fleet.{shop}')),
      'integrations[0].sink.subject: unknown placeholder {shop}: use {class}, {type}, {device} or {store}',
    );
    assert.match(refusal(subject('fleet.*.{type}')), /sink\.subject: "\*" is not a subject token/);
    assert.match(refusal(subject('fleet..x')), /sink\.subject: "" is not a subject token/);
    const url = {
      integrations: [{ ...jetstream, sink: { ...jetstream.sink, url: 'http://x:4222' } }],
    };
    assert.match(refusal(url), /^integrations\[0\]\.sink\.url: must be nats:\/\/HOST:PORT/);
  });

  it('takes onRefused retry or dead-letter on a webhook, and refuses dead-letter on a stream', () => {
    for (const onRefused of ['retry', 'dead-letter']) {
      assert.equal(checkIntegrations({ integrations: [{ ...webhook, onRefused }] }).ok, true);
    }
    assert.match(
      refusal({ integrations: [{ ...webhook, onRefused: 'skip' }] }),
      /^integrations\[0\]\.onRefused: /,
    );
    assert.equal(
      refusal({ integrations: [webhook, { ...jetstream, onRefused: 'dead-letter' }] }),
      'integrations[1].onRefused: dead-letter applies to webhook sinks only',
    );
    assert.equal(
      checkIntegrations({ integrations: [{ ...jetstream, onRefused: 'retry' }] }).ok,
      true,
    );
  });
});
