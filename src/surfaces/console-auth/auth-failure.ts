import { Failure } from '../../shared/failure.js';

/**
 * Why a sign-in step was refused. Each is answered 401 with the code itself (passkey-taken: 409),
 * so the sign-in page can say what to do: ask for a new link, or start the ceremony again.
 */
export type ConsoleAuthCode =
  /** Not a link of this platform: a bad signature, another purpose, missing claims. */
  | 'link-invalid'
  | 'link-expired'
  /** The link was consumed before: a link enrols one passkey. */
  | 'link-used'
  /** The challenge is unknown, used, or older than its 5 minutes: ask for new options. */
  | 'challenge-expired'
  /** The authenticator's answer does not verify, or the passkey is not registered here. */
  | 'passkey-invalid'
  /** The credential is already registered (to this person or another). */
  | 'passkey-taken';

export class ConsoleAuthFailure extends Failure<ConsoleAuthCode> {}
