import type { TLSSocket } from 'node:tls';
import type { DeviceClass } from '../../contract/index.js';
import {
  admitDevice,
  CheckedCertificates,
  type AdmittedDevice,
  type FleetCa,
  type IdentityContext,
  type RevocationWatcher,
} from '../identity/index.js';
import type { DeviceDirectory } from '../../pipeline/ingest/device-directory.js';
import { ApiError } from '../../surfaces/api/api-errors.js';

/** The device behind a request: its id from the certificate, its store from the registry. */
export interface CallingDevice {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  /** DER SPKI (base64) of the certificate this connection presented: what its messages verify with. */
  readonly publicKeySpki: string;
}

/**
 * The broker's admission, for HTTPS: the TLS layer already refused certificates that do not
 * chain to the fleet CA or are on its CRL; this checks the certificate is the device's registered
 * one (registering an unknown device just in time, as the broker does), once per connection. Each
 * request then re-checks revocation against the live watcher and the registry, so a keep-alive
 * connection opened before a revocation gets no further answer.
 */
export class DeviceAdmission {
  readonly #admitted = new WeakMap<TLSSocket, Promise<AdmittedDevice>>();
  /** As the broker's: a cart's every new connection presents the certificate checked before. */
  readonly #certificates = new CheckedCertificates();

  constructor(
    private readonly options: {
      readonly identity: IdentityContext;
      readonly ca: () => FleetCa;
      readonly revocations: RevocationWatcher;
      readonly directory: DeviceDirectory;
      readonly now: () => number;
    },
  ) {}

  async admit(socket: TLSSocket): Promise<CallingDevice> {
    const { identity, revocations, directory, now } = this.options;
    let admitted = this.#admitted.get(socket);
    if (!admitted) {
      // TLS has chained the certificate to the fleet's trust: admission needs only the leaf.
      const leaf = socket.getPeerX509Certificate();
      admitted = admitDevice(identity, leaf ? [leaf] : [], {
        now: new Date(now()),
        ca: this.options.ca(),
        isRevoked: (serial) => revocations.isRevoked(serial),
        certificates: this.#certificates,
      });
      this.#admitted.set(socket, admitted);
    }
    const device = await admitted.catch((error: unknown) => {
      throw new ApiError(403, 'forbidden', error instanceof Error ? error.message : String(error));
    });
    const known = await directory.lookup(device.deviceId);
    if (revocations.isRevoked(device.certSerialHex) || !known || known.revoked) {
      throw new ApiError(403, 'forbidden', `'${device.deviceId}' is revoked or not registered`);
    }
    return {
      deviceId: device.deviceId,
      storeId: known.storeId,
      deviceClass: known.deviceClass,
      publicKeySpki: device.publicKeySpkiBase64,
    };
  }
}
