import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apiRequest, apiToken, opsGet } from '../../../test-support/api-client.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { platformCart, recordingCommands } from '../../../test-support/platform-cart.js';
import { afterEachTap, behindTheCloud, CALM, runTrip } from '../../../test-support/trip-engine.js';
import type { CommandResponse } from '../../contract/index.js';
import { RETURNING_GREETING } from '../cart/display.js';
import type { TripContext } from '../cart/fleet-cart.js';
import { mqttLinkFactory } from '../cart/uplink.js';
import { loadProvisionedDevice } from '../link/device-link.js';
import { mulberry32 } from '../random.js';
import { TRIPS } from './trips.js';

// The golden paths as customer scripts over a cart model, over real MQTT with mutual TLS into
// the embedded platform; assertions on what the cloud holds.

describe('trips end to end (embedded platform)', () => {
  it('golden 1, known customer: loyalty identify, every scan, authorized payment', async (t) => {
    const { platform, cart, result, session } = await runTrip(t, 'knownCustomer');
    const s = await session(result.sessionIds[0], 'complete');
    assert.equal(s.identifyMethod, 'loyalty');
    assert.equal(s.payment?.status, 'authorized');
    assert.equal(s.payment?.method, 'store-terminal');
    assert.equal(s.payment?.amountCents, s.totalCents);
    assert.match(s.payment?.authReference ?? '', /^auth_/);
    const scans = await platform.entities.listSessionScans(s.sessionId);
    assert.equal(s.scanCount, scans.length);
    assert.ok(scans.filter((x) => x.action === 'add').length >= result.scanned);
    assert.deepEqual(cart.rejections.total, 0, JSON.stringify(cart.rejections.byReason));
  });

  it('golden 2, guest: no account, no identify, paid', async (t) => {
    const { result, session } = await runTrip(t, 'guest');
    const s = await session(result.sessionIds[0], 'complete');
    assert.equal(s.identifyMethod, null);
    assert.equal(s.accountId, null);
    assert.equal(s.payment?.status, 'authorized');
  });

  it('golden 3, mid-shop loyalty: the identify links the session already in progress', async (t) => {
    const { platform, result, session } = await runTrip(t, 'midShopLoyalty');
    const s = await session(result.sessionIds[0], 'complete');
    assert.ok(s.identifyMethod === 'loyalty' || s.identifyMethod === 'app-code');
    assert.equal(s.scanCount, (await platform.entities.listSessionScans(s.sessionId)).length);
  });

  it('golden 4, interrupted shop: one session, held through sleep and resumed', async (t) => {
    const { platform, cart, result, session } = await runTrip(t, 'interruptedShop', {
      timing: {},
    });
    const s = await session(result.sessionIds[0], 'complete');
    assert.equal(s.payment?.status, 'authorized');
    const events = await opsGet(platform, `/v1/devices/${cart.deviceId}/events?type=session-start`);
    const reasons = (events.body['events'] as { reason: string }[]).map((e) => e.reason);
    assert.ok(reasons.includes('resume') && reasons.includes('new'), String(reasons));
  });

  it('golden 1, known customer: attach-customer answers the loyalty tap; the id stays in RAM, a generic greeting', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-E2E-K');
    const platform = await startTestPlatform(t, data);
    const clock = behindTheCloud();
    const link = recordingCommands(
      mqttLinkFactory(platform.mqttUrl, await loadProvisionedDevice(dir)),
    );
    const responses: CommandResponse[] = [];
    const cart = await platformCart(t, platform, dir, clock, {
      timing: CALM,
      link: link.factory,
      observer: { created: (m) => void (m.type === 'command-response' && responses.push(m)) },
    });
    await cart.powerOn();
    // The customer looks at the display after the tap until the cloud's answer shows there.
    let greeting: string | undefined;
    let sessionId: string | undefined;
    const waiting = afterEachTap(cart, async () => {
      const attach = await eventually(
        () => link.commands.find((c) => c.name === 'attach-customer'),
        'attach-customer on cmd/<id>/request',
        30_000,
      );
      await eventually(
        () => responses.find((r) => r.command_id === attach.command_id),
        'the cart answers attach-customer',
        30_000,
      );
      greeting = cart.view.greeting;
      sessionId = cart.sessionId;
    });
    const ctx: TripContext = { clock, random: mulberry32(5) };
    const result = await TRIPS.knownCustomer(waiting, ctx, { items: 4, dwellMs: [5_000, 15_000] });
    assert.ok(await cart.flush(10_000));

    const attach = link.commands.filter((c) => c.name === 'attach-customer');
    assert.equal(attach.length, 1, 'one identify, one answer');
    const args = attach[0]!.args!;
    assert.equal(args.session_id, result.sessionIds[0]);
    assert.equal(sessionId, result.sessionIds[0]);
    assert.equal(args.first_name, undefined, 'no first name before the vault');
    assert.equal(args.carried_lines, undefined);
    assert.match(args.customer_id ?? '', /^[0-9a-f-]{36}$/);
    const response = responses.find((r) => r.command_id === attach[0]!.command_id);
    assert.equal(response?.status, 'succeeded');
    assert.equal(response?.duplicate, false);
    // Greeted as a returning customer, without a name: none was sent.
    assert.equal(greeting, RETURNING_GREETING);
    assert.doesNotMatch(greeting ?? '', /^Hello/);
    // The session-scoped customer id and the loyalty number never reached flash.
    const link2 = await platform.entities.getSessionLink(result.sessionIds[0]!);
    assert.equal(link2?.customerRef, args.customer_id, 'the id the cloud keeps for the session');
    const loyalty = result.credentials.find((c) => c.kind === 'loyalty');
    assert.ok(loyalty?.kind === 'loyalty');
    for (const file of await flashFiles(cart.flashDir)) {
      assert.ok(!file.text.includes(args.customer_id!), `${file.name} holds the customer id`);
      assert.ok(!file.text.includes(loyalty.number), `${file.name} holds the loyalty number`);
    }
    const s = await eventually(async () => {
      const found = await platform.entities.getSession(result.sessionIds[0]!);
      return found?.status === 'complete' ? found : undefined;
    }, 'session complete');
    assert.equal(s.identifyMethod, 'loyalty');
    assert.equal(s.payment?.status, 'authorized');
  });

  it('golden 2 over the ops API: GET /v1/sessions/:id and /scans show status, scan count and payment', async (t) => {
    const { platform, result, session } = await runTrip(t, 'guest', { items: 5 });
    const id = result.sessionIds[0];
    await session(id, 'complete');
    const token = await apiToken(platform, 'ops');
    const view = await apiRequest(platform, 'GET', `/v1/sessions/${id}`, { token });
    assert.equal(view.status, 200);
    assert.equal(view.body['sessionId'], id);
    assert.equal(view.body['status'], 'complete');
    assert.equal(view.body['identifyMethod'], null);
    assert.equal(view.body['mergedInto'], null);
    assert.deepEqual(view.body['mergedFrom'], []);
    const payment = view.body['payment'] as { status: string; amountCents: number };
    assert.equal(payment.status, 'authorized');
    assert.equal(payment.amountCents, view.body['totalCents']);
    const scans = await apiRequest(platform, 'GET', `/v1/sessions/${id}/scans`, { token });
    assert.equal(scans.status, 200);
    const list = scans.body['scans'] as { scanSeq: number; action: string }[];
    assert.equal(view.body['scanCount'], list.length);
    assert.ok(list.filter((s) => s.action === 'add').length >= result.scanned);
    const seqs = list.map((s) => s.scanSeq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => x - y),
      'in scan order',
    );
    const staff = await apiToken(platform, 'staff', 'berlin-1');
    assert.equal(
      (await apiRequest(platform, 'GET', `/v1/sessions/${id}`, { token: staff })).status,
      200,
    );
    const customer = await apiToken(platform, 'customer');
    assert.equal(
      (await apiRequest(platform, 'GET', `/v1/sessions/${id}`, { token: customer })).status,
      403,
    );
  });
});

/** Every file under a flash directory, as text. */
async function flashFiles(dir: string): Promise<{ name: string; text: string }[]> {
  const out = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes) out.push({ name: path, text: bytes.toString('latin1') });
  }
  return out;
}
