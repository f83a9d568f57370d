import type { SecureContextOptions } from 'node:tls';
import {
  loadFleetCa,
  type FleetCa,
  type IdentityContext,
  type RevocationWatcher,
} from '../identity/index.js';
import type { Logger } from '../../shared/observability/logger.js';
import { fleetTrust, mutualTlsContext } from './tls-policy.js';

/**
 * The fleet's mutual-TLS door as the broker and the device API both keep it: the server's
 * certificate, the fleet CA of the moment, and a TLS context rebuilt whenever the revocation
 * watcher sees a change (a rotation rewrites the CRL bundle too, so that is also where new roots
 * come in).
 */
export class FleetTls {
  #ca: FleetCa;

  constructor(
    private readonly options: {
      readonly server: { readonly keyPem: string; readonly certChainPem: string };
      readonly ca: FleetCa;
      readonly identity: IdentityContext;
      readonly revocations: RevocationWatcher;
      readonly log: Logger;
      readonly now: () => number;
    },
  ) {
    this.#ca = options.ca;
  }

  /** The fleet CA as last loaded, for admission. */
  get ca(): FleetCa {
    return this.#ca;
  }

  /** The server context for the current roots and `crls`. */
  context(crls: readonly string[] = this.options.revocations.crls): SecureContextOptions {
    return mutualTlsContext({
      keyPem: this.options.server.keyPem,
      certChainPem: this.options.server.certChainPem,
      trusted: fleetTrust(this.#ca, new Date(this.options.now())),
      crls,
    });
  }

  /** Reloads the CA and hands the new context to `apply` on every change; returns the unwatch. */
  watch(apply: (context: SecureContextOptions) => void): () => void {
    const { identity, revocations, log } = this.options;
    return revocations.onChange((snapshot) => {
      loadFleetCa(identity.layout)
        .then((ca) => (this.#ca = ca))
        .catch((error: unknown) => log.error({ err: error }, 'could not reload the CA'))
        .finally(() => apply(this.context(snapshot.crls)));
    });
  }
}
