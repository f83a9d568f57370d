import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayPublish, maySubscribe, parseDeviceTopic } from '../topics.js';
import {
  claimClientId,
  claimTopics,
  mayClaimPublish,
  mayClaimSubscribe,
  serialOfClaimClientId,
} from './claim-topics.js';

describe('the claim-only policy', () => {
  it('lets a claim connection publish on its own serial request topic and nowhere else', () => {
    assert.equal(mayClaimPublish('CC-0001', 'claim/CC-0001/request'), true);
    for (const topic of [
      'claim/CC-0002/request',
      'claim/CC-0001/response',
      'dt/coldchain/CC-0001/coldchain-telemetry',
      'cmd/CC-0001/response',
      'claim/CC-0001/request/x',
      'claim/+/request',
    ]) {
      assert.equal(mayClaimPublish('CC-0001', topic), false, topic);
    }
  });

  it('lets a claim connection subscribe to its own response topic, exactly', () => {
    assert.equal(mayClaimSubscribe('CC-0001', claimTopics.response('CC-0001')), true);
    for (const filter of ['claim/CC-0002/response', 'claim/+/response', '#', 'claim/CC-0001/#']) {
      assert.equal(mayClaimSubscribe('CC-0001', filter), false, filter);
    }
  });

  it('names the serial in a client id no device can have, so it cannot take over a device session', () => {
    assert.equal(claimClientId('CC-0001'), 'claim:CC-0001');
    assert.equal(serialOfClaimClientId('claim:CC-0001'), 'CC-0001');
    assert.equal(serialOfClaimClientId('CC-0001'), undefined);
    assert.equal(serialOfClaimClientId('claim:'), undefined);
    assert.equal(serialOfClaimClientId('claim:a/b'), undefined);
  });

  it('keeps devices off the claim topics', () => {
    assert.equal(parseDeviceTopic(claimTopics.request('CC-0001')), undefined);
    assert.equal(mayPublish('coldchain', 'CC-0001', claimTopics.request('CC-0001')), false);
    assert.equal(maySubscribe('coldchain', 'CC-0001', claimTopics.response('CC-0001')), false);
  });
});
