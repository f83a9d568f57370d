import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../main.js';
import { platformCommands } from './index.js';
import { openEntityStore } from '../../stores/entities/open-entity-store.js';
import { capture, caDataDir } from '../../../test-support/cli.js';
import { flakyProjection } from '../../../test-support/flaky-entity-store.js';
import { exposed, parseExposition } from '../../../test-support/prometheus-text.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';

describe('dead letters', () => {
  it('parks events the entity store refuses after retries, and replays them once it is back, without duplicates', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0401');
    const state = { down: true };
    const platform = await startTestPlatform(
      t,
      data,
      {},
      {
        openEntities: async () => flakyProjection(await openEntityStore({ dataDir: data }), state),
      },
    );
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    await cart.send(message('health', 'CART-0401', 1, { battery_pct: 33 }));
    await cart.send(message('scan', 'CART-0401', 2));
    assert.equal(
      await platform.telemetry.count(),
      2,
      'telemetry does not wait for the entity store',
    );

    const dlq = async (...argv: string[]) => {
      const io = capture();
      const code = await main(['dlq', ...argv, '--data', data], io, platformCommands());
      return { code, text: io.text() };
    };
    await eventually(
      async () => ((await dlq('list')).text.includes('2 dead letter(s)') ? true : undefined),
      'two dead letters',
      20_000,
    );
    // The dead-letter depth gauge (fleetplane_dead_letters) follows the store: up as events are
    // parked, down to zero once they are replayed.
    const depth = async () =>
      exposed(parseExposition(await platform.metrics.text()), 'fleetplane_dead_letters')[0]?.value;
    await eventually(async () => ((await depth()) === 2 ? true : undefined), 'depth 2');
    const listed = await dlq('list');
    assert.match(listed.text, /CART-0401 {2}health {2}counter 1/);
    assert.match(listed.text, /entity store unavailable/);

    const stillDown = await dlq('replay');
    assert.equal(stillDown.code, 1);
    assert.match(stillDown.text, /Replayed 0, failed again 2, 2 left/);

    state.down = false;
    const replay = await dlq('replay');
    assert.equal(replay.code, 0, replay.text);
    assert.match(replay.text, /Replayed 2, failed again 0, 0 left/);
    assert.match((await dlq('list')).text, /empty/);
    assert.equal(await depth(), 0, 'replayed: nothing waits');
    assert.equal((await platform.entities.getDevice('CART-0401'))?.batteryPct, 33);
    assert.equal(
      (await dlq('replay')).code,
      0,
      'a second replay finds nothing and changes nothing',
    );
    assert.equal(await platform.telemetry.count(), 2, 'nothing stored twice');
    assert.match(await platform.metrics.text(), /fleetplane_dead_lettered_total 2/);
  });

  it('says how to start the platform when none is running', async (t) => {
    const io = capture();
    const code = await main(['dlq', 'list', '--data', await caDataDir(t)], io, platformCommands());
    assert.equal(code, 1);
    assert.match(io.text(), /no platform is running.*fleetplane start/);
    assert.match(io.text(), /\[platform-not-running\]/);
  });
});
