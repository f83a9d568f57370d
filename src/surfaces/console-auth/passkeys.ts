import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { PasskeyRecord } from '../../stores/entities/entity-store.js';
import { ConsoleAuthFailure } from './auth-failure.js';
import type { RelyingParty } from './relying-party.js';

export type { AuthenticationResponseJSON, RegistrationResponseJSON };
export type CreationOptions = PublicKeyCredentialCreationOptionsJSON;
export type RequestOptions = PublicKeyCredentialRequestOptionsJSON;
export type UserVerification = 'required' | 'preferred';

const RP_NAME = 'fleetplane';
/** How long the browser waits for the authenticator (the challenge itself lives 5 minutes). */
const CEREMONY_TIMEOUT_MS = 120_000;

/**
 * A challenge check that takes the challenge from the store. It remembers whether it said no, so
 * a refused challenge is reported as such and not as a bad signature.
 */
export class ChallengeCheck {
  refused = false;

  constructor(private readonly take: (challenge: string) => boolean) {}

  readonly verify = (challenge: string): boolean => {
    const ok = this.take(challenge);
    this.refused = !ok;
    return ok;
  };
}

/**
 * Options for navigator.credentials.create(). Discoverable credentials (resident keys), so a
 * person signs in later without typing a name; no attestation: the platform trusts the person
 * the link was for, not a make of authenticator.
 */
export function registrationOptions(
  rp: RelyingParty,
  user: { readonly personId: string; readonly name: string },
  existing: readonly PasskeyRecord[],
  userVerification: UserVerification,
): Promise<CreationOptions> {
  return generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userID: new TextEncoder().encode(user.personId),
    userName: user.name,
    userDisplayName: user.name,
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification },
  });
}

/** Checks an attestation; gives the passkey to store. */
export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  check: ChallengeCheck,
  userVerification: UserVerification,
): Promise<Pick<PasskeyRecord, 'credentialId' | 'publicKey' | 'counter' | 'transports'>> {
  let result;
  try {
    result = await verifyRegistrationResponse({
      response,
      expectedChallenge: check.verify,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: userVerification === 'required',
    });
  } catch (error) {
    throw refusal(check, error);
  }
  if (!result.verified) throw new ConsoleAuthFailure('passkey-invalid', 'the passkey was refused');
  const { credential } = result.registrationInfo;
  return {
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: credential.transports ?? response.response.transports ?? [],
  };
}

/** Options for navigator.credentials.get(): any of this site's passkeys, or only `allow`. */
export function assertionOptions(
  rp: RelyingParty,
  allow: readonly PasskeyRecord[] | undefined,
  userVerification: UserVerification,
): Promise<RequestOptions> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification,
    ...(allow
      ? { allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports })) }
      : {}),
  });
}

/** Checks an assertion by a registered passkey; gives its new signature counter. */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  passkey: PasskeyRecord,
  check: ChallengeCheck,
  userVerification: UserVerification,
): Promise<{ counter: number }> {
  let result;
  try {
    result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: check.verify,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification: userVerification === 'required',
    });
  } catch (error) {
    throw refusal(check, error);
  }
  if (!result.verified) throw new ConsoleAuthFailure('passkey-invalid', 'the passkey was refused');
  return { counter: result.authenticationInfo.newCounter };
}

function refusal(check: ChallengeCheck, error: unknown): ConsoleAuthFailure {
  if (check.refused) {
    return new ConsoleAuthFailure(
      'challenge-expired',
      'this challenge is unknown, used or expired; ask for new options and try again',
    );
  }
  const why = error instanceof Error ? error.message : String(error);
  return new ConsoleAuthFailure('passkey-invalid', `the passkey was refused: ${why}`);
}
