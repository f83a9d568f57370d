import { randomUUID } from 'node:crypto';
import type { TokenKeys } from '../api/tokens.js';
import type { AuditActor, AuditEntry, AuditLog } from '../../stores/audit/audit-log.js';
import type {
  EntityStore,
  PasskeyRecord,
  PersonRecord,
} from '../../stores/entities/entity-store.js';
import { ConsoleAuthFailure } from './auth-failure.js';
import { ChallengeStore, type ChallengePurpose } from './challenges.js';
import { ConsoleSessions, type LiveSession } from './console-sessions.js';
import { issueLoginLink, readLoginLink, signinUrl, type LinkClaims } from './login-links.js';
import {
  assertionOptions,
  ChallengeCheck,
  registrationOptions,
  verifyAssertion,
  verifyRegistration,
  type AuthenticationResponseJSON,
  type CreationOptions,
  type RegistrationResponseJSON,
  type RequestOptions,
} from './passkeys.js';
import { passkeyUserName, personScope } from './people.js';
import type { RelyingParty } from './relying-party.js';
import { ROLE_POLICY } from './session-policy.js';

export interface ConsoleAuthDeps {
  readonly entities: EntityStore;
  readonly tokenKeys: TokenKeys;
  /** Required: signing in, enrolling and stepping up are audited before they take effect. */
  readonly audit: AuditLog;
  readonly storeExists: (storeId: string) => Promise<boolean>;
  readonly now: () => number;
}

/** A link as the sign-in page sees it before using it. */
export interface LinkTarget {
  readonly claims: LinkClaims;
  /** The person the link's handle names, when they exist already (they may have passkeys). */
  readonly person: PersonRecord | undefined;
}

export type Opened = Awaited<ReturnType<ConsoleSessions['open']>>;

/**
 * The sign-in ceremonies of decision 023: a one-time link enrols a passkey, a passkey signs in,
 * a step-up assertion makes a session fresh. Every step that changes who may act is audited
 * first, with the person as the actor: a step the audit log cannot record is not taken.
 */
export class ConsoleAuth {
  readonly sessions: ConsoleSessions;
  readonly #challenges: ChallengeStore;

  constructor(private readonly deps: ConsoleAuthDeps) {
    this.sessions = new ConsoleSessions(deps.entities);
    this.#challenges = new ChallengeStore(deps.now);
  }

  /** A link's claims and person, if it is still good: signed here, unexpired, unused, for someone who exists. */
  async describeLink(token: string): Promise<LinkTarget> {
    const claims = await readLoginLink(this.deps.tokenKeys, token, new Date(this.deps.now()));
    if (await this.deps.entities.isLinkUsed(claims.jti)) {
      throw new ConsoleAuthFailure('link-used', 'this sign-in link was used; ask for a new one');
    }
    if (claims.role === 'customer') {
      const account = await this.deps.entities.getAccount(claims.subject ?? '');
      if (!account || account.deletedAt !== null) {
        throw new ConsoleAuthFailure('link-invalid', 'this link names no live customer account');
      }
    }
    if (claims.store !== undefined && !(await this.deps.storeExists(claims.store))) {
      throw new ConsoleAuthFailure(
        'link-invalid',
        `this link is for store ${claims.store}, which does not exist`,
      );
    }
    const person =
      claims.subject === undefined
        ? undefined
        : await this.deps.entities.findPerson({
            role: claims.role,
            storeId: claims.store ?? null,
            subject: claims.subject,
          });
    return { claims, person };
  }

  async enrolOptions(token: string, rp: RelyingParty): Promise<CreationOptions> {
    const { claims, person } = await this.describeLink(token);
    const personId = person?.personId ?? randomUUID();
    const existing = person ? await this.deps.entities.listPasskeys(person.personId) : [];
    const options = await registrationOptions(
      rp,
      {
        personId,
        name: passkeyUserName({
          role: claims.role,
          storeId: claims.store ?? null,
          subject: claims.subject ?? null,
          name: claims.name ?? person?.name ?? null,
        }),
      },
      existing,
      ROLE_POLICY[claims.role].userVerification,
    );
    this.#challenges.put(options.challenge, { kind: 'enrol', jti: claims.jti, personId });
    return options;
  }

  /** Consumes the link, stores the passkey and opens a session. */
  async enrolVerify(
    token: string,
    response: RegistrationResponseJSON,
    rp: RelyingParty,
  ): Promise<Opened> {
    const { claims, person } = await this.describeLink(token);
    let personId: string | undefined;
    const check = new ChallengeCheck((challenge) => {
      const purpose = this.#challenges.take(challenge);
      if (purpose?.kind !== 'enrol' || purpose.jti !== claims.jti) return false;
      personId = purpose.personId;
      return true;
    });
    const uv = ROLE_POLICY[claims.role].userVerification;
    const passkey = await verifyRegistration(rp, response, check, uv);
    const at = this.deps.now();
    const enrolling = {
      personId: person?.personId ?? personId ?? randomUUID(),
      role: claims.role,
      storeId: claims.store ?? null,
      subject: claims.subject ?? null,
      // A customer's name never reaches the entity store (the link cannot carry one either).
      name: claims.role === 'customer' ? null : (claims.name ?? null),
    };
    await this.#audit(enrolling, 'console-enrol', 'enrol a passkey through a one-time link', {
      link: claims.jti,
      passkey: shortId(passkey.credentialId),
    });
    const outcome = await this.deps.entities.enrolPasskey({
      linkJti: claims.jti,
      linkExpiresAt: claims.expiresAt.getTime(),
      at,
      person: enrolling,
      passkey,
    });
    if (!outcome.enrolled) {
      throw outcome.reason === 'link-used'
        ? new ConsoleAuthFailure('link-used', 'this sign-in link was used; ask for a new one')
        : new ConsoleAuthFailure(
            'passkey-taken',
            'this passkey is registered already; sign in with it',
          );
    }
    return this.sessions.open(outcome.person, at);
  }

  /**
   * Options for signing in with any passkey of this site. The person is not known yet, so user
   * verification is asked for unless the page says a customer is signing in; verify enforces
   * what the person's role needs either way.
   */
  async signinOptions(rp: RelyingParty, role?: PersonRecord['role']): Promise<RequestOptions> {
    const options = await assertionOptions(
      rp,
      undefined,
      role === 'customer' ? 'preferred' : 'required',
    );
    this.#challenges.put(options.challenge, { kind: 'signin' });
    return options;
  }

  async signinVerify(response: AuthenticationResponseJSON, rp: RelyingParty): Promise<Opened> {
    const { person, passkey } = await this.#registered(response.id);
    await this.#assert(rp, response, person, passkey, (p) => p.kind === 'signin');
    await this.#audit(person, 'console-sign-in', 'sign in at the console', {
      passkey: shortId(passkey.credentialId),
    });
    return this.sessions.open(person, this.deps.now());
  }

  /** Options for confirming a sensitive action with one of the session's person's passkeys. */
  async stepUpOptions(session: LiveSession, rp: RelyingParty): Promise<RequestOptions> {
    const passkeys = await this.deps.entities.listPasskeys(session.person.personId);
    const uv = ROLE_POLICY[session.person.role].userVerification;
    const options = await assertionOptions(rp, passkeys, uv);
    this.#challenges.put(options.challenge, { kind: 'step-up', sessionHash: session.idHash });
    return options;
  }

  async stepUpVerify(
    session: LiveSession,
    response: AuthenticationResponseJSON,
    rp: RelyingParty,
  ): Promise<LiveSession> {
    const { person, passkey } = await this.#registered(response.id);
    if (person.personId !== session.person.personId) {
      throw new ConsoleAuthFailure('passkey-invalid', "this passkey is not the signed-in person's");
    }
    await this.#assert(
      rp,
      response,
      person,
      passkey,
      (p) => p.kind === 'step-up' && p.sessionHash === session.idHash,
    );
    await this.#audit(person, 'console-step-up', 'confirm a sensitive action with a passkey', {
      passkey: shortId(passkey.credentialId),
    });
    return this.sessions.markFresh(session, this.deps.now());
  }

  async signout(session: LiveSession): Promise<void> {
    await this.#audit(session.person, 'console-sign-out', 'sign out of the console', {});
    await this.sessions.end(session);
  }

  /** A staff sign-in link for one store, made by an ops person or token, audited. */
  async invite(
    inviter: AuditActor,
    request: { readonly store: string; readonly name?: string },
    rp: RelyingParty,
  ): Promise<{ url: string; expiresAt: string }> {
    const link = await issueLoginLink(
      this.deps.tokenKeys,
      { role: 'staff', store: request.store, ...(request.name ? { name: request.name } : {}) },
      new Date(this.deps.now()),
    );
    await this.deps.audit.append({
      actor: inviter,
      action: 'console-invite',
      purpose: 'invite staff to the console',
      storeId: request.store,
      detail: { role: 'staff', link: link.jti },
    });
    return { url: signinUrl(rp.origin, link.token), expiresAt: link.expiresAt.toISOString() };
  }

  async #registered(
    credentialId: string,
  ): Promise<{ person: PersonRecord; passkey: PasskeyRecord }> {
    const passkey = await this.deps.entities.getPasskey(credentialId);
    const person = passkey && (await this.deps.entities.findPerson({ personId: passkey.personId }));
    if (!passkey || !person) {
      throw new ConsoleAuthFailure('passkey-invalid', 'this passkey is not registered here');
    }
    return { person, passkey };
  }

  async #assert(
    rp: RelyingParty,
    response: AuthenticationResponseJSON,
    person: PersonRecord,
    passkey: PasskeyRecord,
    fits: (purpose: ChallengePurpose) => boolean,
  ): Promise<void> {
    const check = new ChallengeCheck((challenge) => {
      const purpose = this.#challenges.take(challenge);
      return purpose !== undefined && fits(purpose);
    });
    const uv = ROLE_POLICY[person.role].userVerification;
    const { counter } = await verifyAssertion(rp, response, passkey, check, uv);
    if (
      !(await this.deps.entities.recordPasskeyUse(passkey.credentialId, counter, this.deps.now()))
    ) {
      throw new ConsoleAuthFailure(
        'passkey-invalid',
        "the passkey's signature counter did not move forward: it may be a copy",
      );
    }
  }

  async #audit(
    person: Pick<PersonRecord, 'personId' | 'role' | 'storeId' | 'subject'>,
    action: AuditEntry['action'],
    purpose: string,
    detail: Record<string, string>,
  ): Promise<void> {
    await this.deps.audit.append({ ...personScope(person), action, purpose, detail });
  }
}

/** Enough of a credential id to tell passkeys apart in the audit trail. */
function shortId(credentialId: string): string {
  return credentialId.slice(0, 16);
}
