// Issue 20: the platform host's clock jumps an hour forward and back while commands wait to
// expire and a device sends telemetry. The platform runs as `fleetplane start` in a child
// process under libfaketime (engines/faked-clock.ts). A rollout across the jump is
// clock-jump-rollout.scenario.ts.
import { DeviceLink, loadProvisionedDevice } from '../../src/device/link/device-link.js';
import { platformApi } from '../../src/cli/platform/platform-client.js';
import { platformLayout } from '../../src/platform/platform-layout.js';
import { issueToken, loadTokenKeys } from '../../src/surfaces/api/tokens.js';
import { message } from '../../test-support/messages.js';
import { spawnFleetplane } from '../../test-support/spawn-cli.js';
import { compare, messageKey, type MessageKey } from './engines/delivery-tally.js';
import { fakedClock, libfaketime } from './engines/faked-clock.js';
import { fleetDir } from './engines/fleet-dir.js';
import type { FaultReport, FaultScenario, ScenarioContext } from './scenario.js';

export const clockJump: FaultScenario = {
  name: 'clock-jump',
  title: "The platform host's clock jumps an hour forward and back during command expiry",
  unavailable: () =>
    Promise.resolve(libfaketime() ? undefined : 'libfaketime missing (apt-get install faketime)'),
  run,
};

const HOUR = 3600_000;
const SWEEP_WAIT_MS = 7000; // the command sweep runs every 5 s
/** A clean stop that has not ended the child by then ends it with SIGKILL. */
const STOP_GRACE_MS = 20_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until the platform lists the device (its first connection is recorded asynchronously). */
async function waitForDevice(
  call: (method: string, path: string) => Promise<Record<string, unknown>>,
  deviceId: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await call('GET', `/v1/devices/${deviceId}`);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

interface CommandView {
  readonly status: string;
  readonly code?: string | null;
  readonly attempts: number;
  readonly expiresAt: string;
}

async function run(context: ScenarioContext): Promise<FaultReport> {
  const started = performance.now();
  const perPhase = context.scale === 'quick' ? 20 : 200;
  const { data, identities } = await fleetDir(context.workDir, 2);
  const clock = await fakedClock(context.workDir);
  const child = spawnFleetplane(
    ['start', '--data', data, '--mqtt-port', '0', '--api-port', '0', '--device-port', '0'],
    clock.env,
  );
  // A scenario that threw or timed out before its `finally` must not leave the platform running.
  const killOnExit = () => child.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    const [, mqttUrl] = await child.waitFor(/MQTT\s+(mqtts:\/\/\S+)/, 90_000);
    const api = await platformApi(data);
    // Valid on the platform's clock at either offset: issued ten minutes ago, for three hours.
    const token = await issueToken(
      await loadTokenKeys(platformLayout(data).tokenKey),
      { role: 'ops', subject: 'clock-jump', ttlSeconds: 3 * 3600 },
      new Date(Date.now() - 10 * 60_000),
    );
    const call = async (method: string, path: string, body?: object) => {
      const response = await api.fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const sender = identities[0]!;
    const offline = identities[1]!.serial;
    const link = await DeviceLink.connect(
      mqttUrl!,
      await loadProvisionedDevice(sender.credentialsDir),
    );
    const acknowledged = new Set<MessageKey>();
    let counter = 0;
    const sendPhase = async () => {
      for (let i = 0; i < perPhase; i++) {
        counter++;
        await link.send(message('health', sender.serial, counter));
        acknowledged.add(messageKey(sender.serial, counter));
      }
    };
    const command = async (id: string) =>
      (await call('GET', `/v1/commands/${id}`)) as unknown as CommandView;

    // The platform learns of a device when it first connects; then it goes away for the run.
    const away = await DeviceLink.connect(
      mqttUrl!,
      await loadProvisionedDevice(identities[1]!.credentialsDir),
    );
    await away.client.endAsync(true);
    // Two commands to the device that went away: one due in 10 minutes, one in 2 hours.
    await sendPhase();
    await waitForDevice(call, offline);
    const short = await call('POST', `/v1/devices/${offline}/commands`, {
      name: 'reboot',
      timeout_s: 600,
    });
    const long = await call('POST', `/v1/devices/${offline}/commands`, {
      name: 'reboot',
      timeout_s: 7200,
    });
    const shortId = String(short['commandId']);
    const longId = String(long['commandId']);

    context.log('clock +1 h');
    await clock.jumpTo(HOUR);
    await sendPhase();
    await sleep(SWEEP_WAIT_MS);
    const shortAhead = await command(shortId);
    const longAhead = await command(longId);

    context.log('clock back to the real time');
    await clock.jumpTo(0);
    await sendPhase();
    await sleep(SWEEP_WAIT_MS);
    const shortBack = await command(shortId);
    const longBack = await command(longId);

    const events = (await call('GET', `/v1/devices/${sender.serial}/events?limit=500`))[
      'events'
    ] as { counter: number }[];
    const copies = new Map<MessageKey, number>();
    for (const e of events) {
      const key = messageKey(sender.serial, e.counter);
      copies.set(key, (copies.get(key) ?? 0) + 1);
    }
    const counts = compare(acknowledged, { copies, byDevice: new Map() });
    const refused = link.rejections.map((r) => `${r.counter}: ${r.reason}`);
    await link.client.endAsync(true);

    const describe = (c: CommandView) => `${c.status}/${c.code ?? '-'} attempts ${c.attempts}`;
    const checks = [
      {
        what: 'an hour ahead, the command due in 10 minutes expired (its expiry had passed on the host clock), once',
        ok:
          shortAhead.status === 'failed' &&
          shortAhead.code === 'timeout' &&
          shortAhead.attempts === 1,
        detail: describe(shortAhead),
      },
      {
        what: 'an hour ahead, the command due in 2 hours was still pending (not expired early)',
        ok: longAhead.status === 'pending',
        detail: describe(longAhead),
      },
      {
        what: 'back on time, the expired command stayed expired, not sent or settled again',
        ok:
          shortBack.status === 'failed' &&
          shortBack.code === 'timeout' &&
          shortBack.attempts === 1 &&
          shortBack.expiresAt === shortAhead.expiresAt,
        detail: describe(shortBack),
      },
      {
        what: 'back on time, the 2-hour command was still pending with its expiry unchanged',
        ok: longBack.status === 'pending' && longBack.expiresAt === longAhead.expiresAt,
        detail: `${describe(longBack)}, expires ${longBack.expiresAt}`,
      },
      {
        what: 'the device had none of its telemetry refused across the jumps',
        ok: refused.length === 0,
        detail: refused.length ? refused.slice(0, 5).join('; ') : 'none refused',
      },
    ];
    return {
      scenario: clockJump.name,
      fault: `host clock of the platform jumped +1 h then back to real time (libfaketime), with commands pending and a device sending telemetry`,
      acknowledged: counts.acknowledged,
      stored: counts.stored,
      lost: counts.lost,
      duplicated: counts.duplicated,
      checks,
      figures: {
        jumpMs: HOUR,
        telemetryPerPhase: perPhase,
        refused: refused.length,
      },
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    const hung = setTimeout(() => child.child.kill('SIGKILL'), STOP_GRACE_MS);
    await child.stop('SIGTERM');
    clearTimeout(hung);
    process.off('exit', killOnExit);
  }
}
