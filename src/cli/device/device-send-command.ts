import type { ErrorFeedback } from '../../contract/index.js';
import type { Clock } from '../../edge/identity/index.js';
import type { Command } from '../command.js';
import { brokerUrl, connectDevice, DeviceCliFailure, loadDeviceDir } from './device-dir.js';
import { MESSAGE_DETAILS, MESSAGE_OPTIONS, signNext } from './message-options.js';
import { parseDuration } from '../sim/duration.js';
import { UsageError, stringOption } from '../command.js';

export function deviceSendCommand(now: Clock): Command {
  return {
    path: ['device', 'send'],
    summary: "Sign a message with a provisioned device's key and publish it as the device would.",
    usage:
      'device send --device DIR --type T [--body JSON|@FILE] (--data DIR | --mqtt URL) [--wait D]',
    details: [
      ...MESSAGE_DETAILS,
      '--data DIR     the data directory of the running platform (its lock names the broker)',
      '--mqtt URL     the broker instead, e.g. mqtts://localhost:8883',
      '--wait D       after the PUBACK, how long to listen for a rejection (default 0: the',
      '               embedded broker sends it before the PUBACK; give 2s for an external one)',
      'It connects over mutual TLS with client id = the serial, subscribes to',
      'devices/errors/<serial>, publishes at QoS 1 and prints what the platform did: stored',
      '(the PUBACK follows the durable write), a duplicate (this counter was stored before), or',
      'rejected with the reason from the error topic (exit 1).',
      'Example: fleetplane device send --device ./fleet-data/devices/CART-0001 --type scan --data ./fleet-data',
    ],
    options: {
      ...MESSAGE_OPTIONS,
      data: { type: 'string' },
      mqtt: { type: 'string' },
      wait: { type: 'string' },
    },
    required: ['device', 'type'],
    async run(values, io) {
      const waitText = stringOption(values, 'wait');
      const waitMs = waitText === undefined ? 0 : parseDuration(waitText);
      if (waitMs === undefined || waitMs < 0)
        throw new UsageError(`--wait must be a duration such as 2s, got '${waitText}'`);
      const url = await brokerUrl(values);
      const { dir, device } = await loadDeviceDir(values);
      const link = await connectDevice(url, device);
      try {
        const signed = await signNext(values, dir, device, now());
        const counter = signed.message['counter'];
        const answer = new Promise<ErrorFeedback>((resolve) =>
          link.onRejected((feedback) => {
            if (feedback.counter === undefined || feedback.counter === counter) resolve(feedback);
          }),
        );
        await link.sendRaw(signed.topic, signed.payload);
        const rejected = await Promise.race([answer, settled(waitMs)]);
        const what = `${signed.type} from ${device.deviceId}, counter ${String(counter)}`;
        if (rejected?.reason === 'replay') {
          io.out(`Duplicate: ${what} was stored before; nothing was stored twice.`);
          return;
        }
        if (rejected) {
          throw new DeviceCliFailure(
            'rejected',
            `the platform rejected ${what}: ${rejected.reason} (${rejected.detail})`,
          );
        }
        const session = signed.message['session_id'];
        io.out(
          `Stored: ${what}${typeof session === 'string' ? `, session ${session}` : ''} (${signed.topic}).`,
        );
      } finally {
        await link.close();
      }
    },
  };
}

/**
 * Resolves after the messages already received are handled, and `ms` more: on the embedded
 * broker the error document travels before the PUBACK on the same connection, so it is already
 * in when the PUBACK is.
 */
function settled(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => setImmediate(() => resolve(undefined)), ms));
}
