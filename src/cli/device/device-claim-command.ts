import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeviceId } from '../../contract/index.js';
import { ClaimRefused, claimCertificate } from '../../device/claim/claim-client.js';
import { loadClaimDir } from '../../device/claim/claim-dir.js';
import type { Clock } from '../../edge/identity/index.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { brokerUrl, connectDevice, DeviceCliFailure, loadDeviceDir } from './device-dir.js';

export function deviceClaimCommand(now: Clock): Command {
  return {
    path: ['device', 'claim'],
    summary: 'Claim a device certificate with a factory claim certificate, as firmware does.',
    usage: 'device claim --claim DIR --serial SN --out DIR (--broker URL | --data DIR)',
    details: [
      '--claim DIR    what provision claim create --out wrote',
      '--serial SN    the serial to claim; a serial claims once',
      '--out DIR      where the device key is made and its certificate written (what device',
      '               send --device reads); a key already there is reused, so a retry after a',
      '               lost response gets the same certificate',
      '--broker URL   the broker, e.g. mqtts://localhost:8883',
      '--data DIR     or the data directory of the running platform (its lock names the broker)',
      'It connects as claim:<serial>, sends a CSR for its new key, writes the certificate it',
      'gets, then connects with that certificate to show it works. A refusal prints the',
      "platform's reason (serial-claimed, serial-not-allowed, bad-csr, claim-expired, …), exit 1.",
    ],
    options: {
      claim: { type: 'string' },
      serial: { type: 'string' },
      out: { type: 'string' },
      broker: { type: 'string' },
      data: { type: 'string' },
    },
    required: ['claim', 'serial', 'out'],
    async run(values, io) {
      const serial = requireString(values, 'serial');
      if (!isDeviceId(serial)) {
        throw new UsageError(`--serial '${serial}' is not a serial (letters, digits, . _ -)`);
      }
      const out = resolve(requireString(values, 'out'));
      const given = stringOption(values, 'broker');
      const url = given ?? (await brokerUrl({ ...values, mqtt: undefined }));
      let claim;
      try {
        claim = await loadClaimDir(resolve(requireString(values, 'claim')));
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      if (existsSync(join(out, 'device.json'))) {
        throw new UsageError(`${out} holds a device already; give another --out`);
      }
      let claimed;
      try {
        claimed = await claimCertificate({ url, claim, serial, out, now });
      } catch (error) {
        if (error instanceof ClaimRefused) {
          throw new DeviceCliFailure('rejected', `${serial}: ${error.reason}: ${error.detail}`);
        }
        throw new DeviceCliFailure(
          'connection-refused',
          error instanceof Error ? error.message : String(error),
        );
      }
      io.out(
        `Claimed ${serial} with ${claim.claimId}: a ${claimed.deviceClass} device of store ${claimed.storeId}`,
      );
      const { device } = await loadDeviceDir({ device: out });
      const link = await connectDevice(url, device);
      await link.close();
      io.out(`  connected with its own certificate; device files in ${out}`);
    },
  };
}
