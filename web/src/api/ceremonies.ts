import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type { ApiClient, ConsoleSession } from './client.js';

/**
 * The WebAuthn ceremonies against /v1/auth (decision 023). An options answer may wrap the
 * browser's options as `options` beside fields the platform wants back at verify (a ceremony
 * id): those are sent back with the browser's response.
 */
interface Wrapped {
  readonly optionsJSON: never;
  readonly context: Record<string, unknown>;
}

function unwrap(answer: unknown): Wrapped {
  const body = (answer ?? {}) as Record<string, unknown>;
  if (typeof body['options'] === 'object' && body['options'] !== null) {
    const { options, ...context } = body;
    return { optionsJSON: options as never, context };
  }
  return { optionsJSON: body as never, context: {} };
}

/** What a one-time link is for, without using it up. */
export interface LinkInfo {
  readonly role: string;
  readonly store: string | null;
  readonly name: string | null;
  /** The person already has a passkey: the link may sign in instead of enrolling. */
  readonly hasPasskey: boolean;
}

export async function describeLink(api: ApiClient, link: string): Promise<LinkInfo> {
  const body = await api.post<Record<string, unknown>>('/v1/auth/link', { link });
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    role: text(body['role']) ?? 'unknown',
    store: text(body['store']) ?? text(body['storeId']),
    name: text(body['name']),
    hasPasskey: passkeys(body['person']) > 0,
  };
}

/** How many passkeys the person a link names already has (`person.passkeys`; none: 0). */
function passkeys(person: unknown): number {
  const count = (person as { passkeys?: unknown } | null)?.passkeys;
  return typeof count === 'number' ? count : 0;
}

/** Creates a passkey for the person the link names; the platform opens a session. */
export async function enrol(api: ApiClient, link: string): Promise<ConsoleSession | null> {
  const { optionsJSON, context } = unwrap(await api.post('/v1/auth/enrol/options', { link }));
  const response = await startRegistration({ optionsJSON });
  const answer = await api.post('/v1/auth/enrol/verify', {
    ...context,
    link,
    response,
  });
  return api.adopt(answer) ?? api.session();
}

export async function signIn(api: ApiClient): Promise<ConsoleSession | null> {
  const { optionsJSON, context } = unwrap(await api.post('/v1/auth/signin/options', {}));
  const response = await startAuthentication({ optionsJSON });
  const answer = await api.post('/v1/auth/signin/verify', { ...context, response });
  return api.adopt(answer) ?? api.session();
}

/** A fresh assertion for a sensitive action (5 minutes, decision 023). */
export async function stepUp(api: ApiClient): Promise<void> {
  const { optionsJSON, context } = unwrap(await api.post('/v1/auth/step-up/options', {}));
  const response = await startAuthentication({ optionsJSON });
  await api.post('/v1/auth/step-up/verify', { ...context, response });
}
