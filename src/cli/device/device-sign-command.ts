import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Clock } from '../../edge/identity/index.js';
import { requireString, type Command } from '../command.js';
import { loadDeviceDir } from './device-dir.js';
import { MESSAGE_DETAILS, MESSAGE_OPTIONS, signNext } from './message-options.js';

export function deviceSignCommand(now: Clock): Command {
  return {
    path: ['device', 'sign'],
    summary: 'Write a signed message (JSON body, then the 64-byte signature) for mosquitto_pub -f.',
    usage: 'device sign --device DIR --type T [--body JSON|@FILE] --out FILE',
    details: [
      ...MESSAGE_DETAILS,
      '--out FILE     where the payload goes; it prints the topic to publish it on',
      'The payload is exactly what a device publishes; publishing the same file twice shows the',
      "cloud's duplicate answer (reason replay). docs/protocol.md has the mosquitto recipe.",
    ],
    options: { ...MESSAGE_OPTIONS, out: { type: 'string' } },
    required: ['device', 'type', 'out'],
    async run(values, io) {
      const { dir, device } = await loadDeviceDir(values);
      const out = resolve(requireString(values, 'out'));
      const signed = await signNext(values, dir, device, now());
      await writeFile(out, signed.payload);
      io.out(
        `Signed ${signed.type} from ${device.deviceId}, counter ${String(signed.message['counter'])}: ${requireString(values, 'out')} (${signed.payload.length} bytes)`,
      );
      io.out(`Publish it on ${signed.topic}`);
    },
  };
}
