import type { ApiPrincipal } from '../api/roles.js';
import type { LiveSession } from './console-sessions.js';

/**
 * The API caller a console session stands for. A customer's subject is their account id, so the
 * /v1/me routes serve a session as they serve a customer token; ops and staff are `person:<id>`,
 * and staff are bound to their person's store as a staff token is to its store.
 */
export function sessionPrincipal(session: LiveSession): ApiPrincipal {
  const { person } = session;
  return {
    role: person.role,
    via: 'session',
    subject:
      person.role === 'customer' && person.subject !== null
        ? person.subject
        : `person:${person.personId}`,
    ...(person.role === 'staff' && person.storeId !== null ? { store: person.storeId } : {}),
    tokenId: session.idHash,
    expiresAt: new Date(session.endsAt),
    personId: person.personId,
    ...(person.name !== null ? { name: person.name } : {}),
    ...(session.freshUntil !== null ? { freshUntil: new Date(session.freshUntil) } : {}),
  };
}
