/**
 * What a WebAuthn challenge was issued for: enrolment through one link (and the person id the
 * new passkey will belong to), a sign-in, or a step-up of one console session.
 */
export type ChallengePurpose =
  | { readonly kind: 'enrol'; readonly jti: string; readonly personId: string }
  | { readonly kind: 'signin' }
  | { readonly kind: 'step-up'; readonly sessionHash: string };

/** Long enough for someone to find their security key; the options ask the browser for 2. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Sign-in options are handed to anyone who asks: the memory they can take is bounded. */
const MAX_OPEN_CHALLENGES = 10_000;

/**
 * The challenges handed out and not yet answered, in memory: each is answered once (taken on
 * first use, whatever the outcome) and forgotten after 5 minutes. One API process issues and
 * checks its own; behind a load balancer, a ceremony's two requests must reach the same process.
 */
export class ChallengeStore {
  readonly #open = new Map<string, { purpose: ChallengePurpose; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  put(challenge: string, purpose: ChallengePurpose): void {
    const now = this.now();
    for (const [key, entry] of this.#open) {
      if (entry.expiresAt <= now || this.#open.size >= MAX_OPEN_CHALLENGES) this.#open.delete(key);
      else break; // insertion order is expiry order: the rest are younger
    }
    this.#open.set(challenge, { purpose, expiresAt: now + CHALLENGE_TTL_MS });
  }

  /** The challenge's purpose if it is open and unexpired, and it is closed either way. */
  take(challenge: string): ChallengePurpose | undefined {
    const entry = this.#open.get(challenge);
    this.#open.delete(challenge);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.purpose;
  }
}
