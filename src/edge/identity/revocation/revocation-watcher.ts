import { stat } from 'node:fs/promises';
import { readTextFile, type DataLayout } from '../../../stores/data-dir/index.js';
import { normaliseSerialHex } from '../pem.js';
import { splitCrlBundle } from './crl.js';
import { readRevocation, revokedSerials } from './revocation-log.js';

export interface RevocationSnapshot {
  /** Serials (lower-case hex) of every revoked certificate. */
  readonly certSerials: ReadonlySet<string>;
  /** Device ids with at least one revoked certificate. */
  readonly deviceIds: ReadonlySet<string>;
  /** DIR/ca/crl.pem as last read. */
  readonly crlPem: string | undefined;
  /**
   * The same CRLs one PEM each, for tls.Server#setSecureContext({ crl }): given one string,
   * Node loads only its first CRL, and OpenSSL then refuses every chain for want of the others.
   */
  readonly crls: readonly string[];
}

export type RevocationListener = (snapshot: RevocationSnapshot) => void;

/** Polling every 5 s keeps "a revoked device is refused within 60 s" with a wide margin. */
export const DEFAULT_REVOCATION_POLL_MS = 5_000;

/**
 * Keeps a running broker's view of revocations current without a restart. It polls the
 * revocation log (one file per revoked certificate, so the set is a directory listing) and the
 * CRL bundle, and tells listeners when either changed. Polling rather than fs.watch because
 * watch events are unreliable on network and container file systems and a few stat calls every
 * few seconds cost nothing.
 */
export class RevocationWatcher {
  private serials = new Set<string>();
  private devices = new Map<string, string>();
  private deviceIds = new Set<string>();
  private crl: string | undefined;
  private crlStamp = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<RevocationListener>();
  private readonly errorListeners = new Set<(error: unknown) => void>();

  constructor(
    private readonly layout: DataLayout,
    private readonly options: {
      intervalMs?: number;
      /** Keep the process alive while watching; by default the broker's sockets do that. */
      keepProcessAlive?: boolean;
    } = {},
  ) {}

  /** Loads the current state, then polls until stop(). */
  async start(): Promise<void> {
    await this.poll();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Accepts Node's upper-case serials as well as the registry's lower-case ones. */
  isRevoked(certSerialHex: string): boolean {
    return this.serials.has(normaliseSerialHex(certSerialHex));
  }

  isDeviceRevoked(deviceId: string): boolean {
    return this.deviceIds.has(deviceId);
  }

  get crlPem(): string | undefined {
    return this.crl;
  }

  /** One PEM per CRL: what tls.createServer / setSecureContext need as `crl`. */
  get crls(): string[] {
    return splitCrlBundle(this.crl ?? '');
  }

  snapshot(): RevocationSnapshot {
    return {
      certSerials: new Set(this.serials),
      deviceIds: new Set(this.deviceIds),
      crlPem: this.crl,
      crls: this.crls,
    };
  }

  /** Calls `listener` after every change; returns a function that unsubscribes it. */
  onChange(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A poll failed (e.g. a hand-edited file); the last good state stays in force. */
  onError(listener: (error: unknown) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Checks once now; true if something changed. */
  async poll(): Promise<boolean> {
    const names = await revokedSerials(this.layout);
    const added = names.filter((n) => !this.serials.has(n));
    const removed = [...this.serials].filter((n) => !names.includes(n));
    for (const serial of added) {
      const entry = await readRevocation(this.layout, serial);
      if (entry) this.devices.set(serial, entry.device_id);
    }
    for (const serial of removed) this.devices.delete(serial);
    this.serials = new Set(names);
    if (added.length > 0 || removed.length > 0) this.deviceIds = new Set(this.devices.values());

    const crlChanged = await this.reloadCrl();
    const changed = added.length > 0 || removed.length > 0 || crlChanged;
    if (changed) {
      const snapshot = this.snapshot();
      for (const listener of this.listeners) listener(snapshot);
    }
    return changed;
  }

  private async reloadCrl(): Promise<boolean> {
    const info = await stat(this.layout.crl).catch(() => undefined);
    const stamp = info ? `${info.mtimeMs}:${info.size}:${info.ino}` : '';
    if (stamp === this.crlStamp) return false;
    this.crlStamp = stamp;
    const text = await readTextFile(this.layout.crl);
    if (text === this.crl) return false;
    this.crl = text;
    return true;
  }

  private schedule(): void {
    const interval = this.options.intervalMs ?? DEFAULT_REVOCATION_POLL_MS;
    this.timer = setTimeout(() => {
      this.poll()
        .catch((error: unknown) => {
          for (const listener of this.errorListeners) listener(error);
        })
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, interval);
    // The broker's sockets keep the process alive; a watcher alone should not.
    if (!this.options.keepProcessAlive) this.timer.unref();
  }
}
