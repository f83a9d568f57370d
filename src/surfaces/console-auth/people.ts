import type { AuditActor, AuditEntry } from '../../stores/audit/audit-log.js';
import type { PersonRecord } from '../../stores/entities/entity-store.js';

/** The audit actor of a person: `person:<id>` under their role, whatever signs them in. */
export function personActor(person: Pick<PersonRecord, 'personId' | 'role'>): AuditActor {
  return { role: person.role, subject: `person:${person.personId}` };
}

/** The actor plus where the person belongs: staff their store, a customer their account. */
export function personScope(
  person: Pick<PersonRecord, 'personId' | 'role' | 'storeId' | 'subject'>,
): Pick<AuditEntry, 'actor' | 'storeId' | 'accountId'> {
  return {
    actor: personActor(person),
    ...(person.storeId !== null ? { storeId: person.storeId } : {}),
    ...(person.role === 'customer' && person.subject !== null ? { accountId: person.subject } : {}),
  };
}

/** What a passkey manager shows for the account; never a customer's name (the vault has it). */
export function passkeyUserName(
  person: Pick<PersonRecord, 'role' | 'storeId' | 'subject' | 'name'>,
): string {
  if (person.role === 'customer') return 'fleetplane account';
  const who = person.name ?? person.subject ?? person.role;
  return person.storeId ? `${who} (${person.storeId})` : `${who} (fleetplane ${person.role})`;
}
