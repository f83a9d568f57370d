import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { TestDevice } from '../../../test-support/entity-events.js';
import { validateDocument, type CommandRequest } from '../../contract/index.js';
import type { IngestedEvent, SessionLink } from '../../stores/entities/entity-store.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { PlatformMetrics } from '../../shared/observability/metrics.js';
import { SessionLinker } from './session-link.js';

const LINES = [{ barcode: '4006381333931', sku: 'SKU-1029', quantity: 2, price_cents: 249 }];

/** A linker over fixed session links, recording what it publishes. */
function harness(links: SessionLink[], fail = false) {
  const sent: { topic: string; command: CommandRequest }[] = [];
  const metrics = new PlatformMetrics();
  const linker = new SessionLinker({
    entities: { getSessionLink: async (id) => links.find((l) => l.sessionId === id) },
    publish: async (topic, payload) => {
      if (fail) throw new Error('broker down');
      sent.push({ topic, command: JSON.parse(payload.toString('utf8')) as CommandRequest });
    },
    metrics,
    log: silentLogger(),
    now: () => Date.parse('2026-11-23T09:31:00.000Z'),
  });
  return { sent, metrics, linker };
}

function link(fields: Partial<SessionLink> = {}): SessionLink {
  return {
    sessionId: randomUUID(),
    deviceId: 'CART-B',
    storeId: 'store-1',
    open: true,
    customerRef: randomUUID(),
    carried: [],
    mergedInto: null,
    ...fields,
  };
}

function ended(sessionId: string): IngestedEvent {
  return new TestDevice('CART-A').event('session-end', {
    session_id: sessionId,
    status: 'transferred',
  });
}

describe('SessionLinker', () => {
  it('answers an identified session with a valid attach-customer carrying the customer ref', async () => {
    const b = link();
    const { sent, linker, metrics } = harness([b]);
    await linker.identified(b.sessionId, 7);
    assert.equal(sent.length, 1);
    const { topic, command } = sent[0]!;
    assert.equal(topic, 'cmd/CART-B/request');
    assert.ok(validateDocument('command', command).ok);
    assert.equal(command.name, 'attach-customer');
    assert.deepEqual(command.args, { session_id: b.sessionId, customer_id: b.customerRef });
    assert.equal(command.expires_at, '2026-11-23T09:36:00.000Z');
    assert.match(
      await metrics.text(),
      /attach_customer_commands_total\{kind="identify",outcome="sent"\} 1/,
    );
  });

  it("sets the answer's expiry in the cart's own time when its clock runs ahead", async () => {
    const b = link();
    const { sent, linker } = harness([b]);
    await linker.identified(b.sessionId, 7, {}, 3_600_000);
    assert.equal(sent[0]?.command.expires_at, '2026-11-23T10:36:00.000Z');
  });

  it('adds the first name and the pre-shop list the identity service found', async () => {
    const b = link();
    const { sent, linker } = harness([b]);
    await linker.identified(b.sessionId, 7, { firstName: 'Zoë', shoppingList: ['SKU-1029'] });
    const command = sent[0]!.command;
    assert.ok(validateDocument('command', command).ok);
    assert.equal(command.args?.first_name, 'Zoë');
    assert.deepEqual(command.args?.shopping_list, ['SKU-1029']);
  });

  it("sends a merged session's basket once, with the same ids when the batch is replayed", async () => {
    const aId = randomUUID();
    const b = link({ carried: [{ fromSessionId: aId, lines: LINES }] });
    const a = link({ sessionId: aId, deviceId: 'CART-A', open: false, mergedInto: b.sessionId });
    const { sent, linker } = harness([a, b]);
    const replay = async () => {
      await linker.identified(b.sessionId, 7);
      await linker.applied([ended(aId)], [{ fromSessionId: aId, intoSessionId: b.sessionId }]);
    };
    await replay();
    assert.deepEqual(
      sent.map((s) => s.command.args?.from_session_id ?? null),
      [null, aId, aId],
      'the customer ref and the basket; the end of A names the same basket, under the same id',
    );
    assert.deepEqual(sent[1]?.command.args?.carried_lines, LINES);
    const first = sent.map((s) => s.command.command_id);
    assert.equal(new Set(first).size, 2, 'the basket command has one id however it is sent');
    sent.length = 0;
    await replay();
    assert.deepEqual(
      sent.map((s) => s.command.command_id),
      first,
    );
  });

  it("sends the basket when the transferred session's end arrives after the identify", async () => {
    const aId = randomUUID();
    const b = link({ carried: [{ fromSessionId: aId, lines: LINES }] });
    const a = link({ sessionId: aId, deviceId: 'CART-A', open: false, mergedInto: b.sessionId });
    const { sent, linker } = harness([a, b]);
    await linker.applied([ended(aId)], []);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.topic, 'cmd/CART-B/request');
    assert.equal(sent[0]?.command.args?.from_session_id, aId);
  });

  it('sends nothing to a session that is no longer open, or was never identified', async () => {
    const closed = link({ open: false });
    const { sent, linker } = harness([closed]);
    await linker.identified(closed.sessionId, 3);
    await linker.identified(randomUUID(), 4);
    assert.deepEqual(sent, []);
  });

  it('counts a failed publish and does not throw', async () => {
    const b = link();
    const { linker, metrics } = harness([b], true);
    await linker.identified(b.sessionId, 7);
    assert.match(await metrics.text(), /kind="identify",outcome="failed"\} 1/);
  });
});
