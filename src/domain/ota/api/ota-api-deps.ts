import type { KeyObject } from 'node:crypto';
import type { ImageStore } from '../images/image-store.js';
import type { RolloutEngine } from '../rollout/rollout-engine.js';

/** What the rollout routes need: the engine, the images, and the key carts verify with. */
export interface OtaApiDeps {
  readonly engine: RolloutEngine;
  readonly images: Pick<ImageStore, 'has'>;
  /** The firmware-signing public key (DIR/ota); undefined until `ota build` made one. */
  signingKey(): Promise<KeyObject | undefined>;
}
