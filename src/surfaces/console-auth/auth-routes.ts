import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/api-deps.js';
import { ApiError, badRequest, notFound, unauthenticated, unavailable } from '../api/api-errors.js';
import { auditActor, authenticate, requireRole } from '../api/auth.js';
import { errorBody, errors } from '../api/schemas.js';
import { ConsoleAuthFailure } from './auth-failure.js';
import {
  assertionBody,
  ceremonyOptions,
  enrolVerifyBody,
  invitationBody,
  invitationView,
  linkBody,
  linkView,
  sessionView,
  signinOptionsBody,
} from './auth-schemas.js';
import { ConsoleAuth, type Opened } from './console-auth.js';
import { sessionIdHash, type LiveSession } from './console-sessions.js';
import { endSessionStreams } from '../live/stream-lifetime.js';
import { linkRequestProblem } from './login-links.js';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from './passkeys.js';
import { relyingParty, type RelyingParty } from './relying-party.js';
import { clearSessionCookie, sessionCookie, setSessionCookie } from './session-cookie.js';

type Answered<T> = { response: T };

/**
 * The console's sign-in API (decision 023), all under /v1/auth. Link, enrolment and sign-in need
 * no credentials (that is what they hand out); session, step-up and sign-out need the session
 * cookie (and X-CSRF-Token for the POSTs); invitations take an ops token or session.
 */
export function registerConsoleAuthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const https = deps.https !== undefined;
  const now = () => (deps.now ? deps.now() : new Date()).getTime();
  const auth = deps.audit
    ? new ConsoleAuth({
        entities: deps.entities,
        tokenKeys: deps.tokenKeys,
        audit: deps.audit,
        storeExists: deps.storeExists,
        now,
      })
    : undefined;
  const ceremonies = (): ConsoleAuth => {
    if (!auth)
      throw unavailable('no audit log is configured; console sign-in is not offered unaudited');
    return auth;
  };
  const rp = (request: FastifyRequest): RelyingParty => {
    const found = relyingParty({
      publicUrl: deps.publicUrl,
      https,
      listening: request.server.addresses().filter((a) => typeof a !== 'string'),
    });
    if (!found)
      throw unavailable('the console origin is not known: give the platform --public-url');
    return found;
  };
  const onRequest = authenticate(deps);
  const config = { auditsItself: true };
  const open = { config, schema: { tags: ['console sign-in'], security: [] } };
  const signedIn = {
    config,
    onRequest,
    schema: { tags: ['console sign-in'], security: [{ session: [] }] },
  };
  const opened = async (request: FastifyRequest, reply: FastifyReply, result: Opened) => {
    // A browser that signs in again leaves its previous session behind: end it.
    const previous = sessionCookie(request, https);
    if (previous) await ceremonies().sessions.end({ idHash: sessionIdHash(previous) });
    setSessionCookie(reply, https, result.sessionId, result.session, now());
    return view(result.session);
  };

  app.post<{ Body: { link: string } }>(
    '/v1/auth/link',
    {
      ...open,
      schema: {
        ...open.schema,
        summary: 'What a one-time sign-in link is for, without using it',
        body: linkBody,
        response: { 200: linkView, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      const { claims, person } = await run(() => ceremonies().describeLink(request.body.link));
      return {
        role: claims.role,
        store: claims.store ?? null,
        subject: claims.subject ?? null,
        name: claims.name ?? null,
        expiresAt: claims.expiresAt.toISOString(),
        hasPasskey: (person?.passkeys ?? 0) > 0,
        person: person ? { personId: person.personId, passkeys: person.passkeys } : null,
      };
    },
  );

  app.post<{ Body: { link: string } }>(
    '/v1/auth/enrol/options',
    {
      ...open,
      schema: {
        ...open.schema,
        summary: 'Options for navigator.credentials.create(): a passkey for the link’s person',
        body: linkBody,
        response: { 200: ceremonyOptions, ...errors, 503: errorBody },
      },
    },
    async (request) => run(() => ceremonies().enrolOptions(request.body.link, rp(request))),
  );

  app.post<{ Body: { link: string } & Answered<RegistrationResponseJSON> }>(
    '/v1/auth/enrol/verify',
    {
      ...open,
      schema: {
        ...open.schema,
        summary: 'Registers the passkey, uses up the link and opens a console session (cookie)',
        description:
          '401 link-used for a second use of the link, link-expired after 15 minutes, challenge-expired for options older than 5 minutes or used, passkey-invalid when the attestation does not verify (wrong origin, no user verification for ops and staff). 409 conflict: the passkey is registered already.',
        body: enrolVerifyBody,
        response: { 200: sessionView, ...errors, 409: errorBody, 503: errorBody },
      },
    },
    async (request, reply) => {
      const { link, response } = request.body;
      const result = await run(() =>
        ceremonies().enrolVerify(link, withExtensions(response), rp(request)),
      );
      return opened(request, reply, result);
    },
  );

  app.post<{ Body: { role?: 'ops' | 'staff' | 'customer' } | undefined }>(
    '/v1/auth/signin/options',
    {
      ...open,
      // The body is optional: no body asks as `{}` does.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        ...open.schema,
        summary: 'Options for navigator.credentials.get(): any passkey registered here',
        body: signinOptionsBody,
        response: { 200: ceremonyOptions, ...errors, 503: errorBody },
      },
    },
    async (request) => run(() => ceremonies().signinOptions(rp(request), request.body?.role)),
  );

  app.post<{ Body: Answered<AuthenticationResponseJSON> }>(
    '/v1/auth/signin/verify',
    {
      ...open,
      schema: {
        ...open.schema,
        summary: 'Checks the passkey assertion and opens a console session (cookie)',
        body: assertionBody,
        response: { 200: sessionView, ...errors, 503: errorBody },
      },
    },
    async (request, reply) => {
      const response = withExtensions(request.body.response);
      const result = await run(() => ceremonies().signinVerify(response, rp(request)));
      return opened(request, reply, result);
    },
  );

  app.get(
    '/v1/auth/session',
    {
      ...signedIn,
      schema: {
        ...signedIn.schema,
        summary: 'The signed-in person, the CSRF token and when the session ends',
        response: { 200: sessionView, ...errors },
      },
    },
    async (request) => view(needSession(request)),
  );

  app.post(
    '/v1/auth/step-up/options',
    {
      ...signedIn,
      schema: {
        ...signedIn.schema,
        summary: "Options for confirming a sensitive action with one of this person's passkeys",
        response: { 200: ceremonyOptions, ...errors, 503: errorBody },
      },
    },
    async (request) => run(() => ceremonies().stepUpOptions(needSession(request), rp(request))),
  );

  app.post<{ Body: Answered<AuthenticationResponseJSON> }>(
    '/v1/auth/step-up/verify',
    {
      ...signedIn,
      schema: {
        ...signedIn.schema,
        summary:
          'Checks the assertion: overrides, deletions, rollout release and abort pass for 5 minutes',
        body: assertionBody,
        response: { 200: sessionView, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      const response = withExtensions(request.body.response);
      const session = needSession(request);
      return view(await run(() => ceremonies().stepUpVerify(session, response, rp(request))));
    },
  );

  app.post(
    '/v1/auth/signout',
    {
      ...signedIn,
      schema: {
        ...signedIn.schema,
        summary: 'Ends the console session and clears its cookie',
        response: { 204: { type: 'null' }, ...errors, 503: errorBody },
      },
    },
    async (request, reply) => {
      const session = needSession(request);
      await run(() => ceremonies().signout(session));
      endSessionStreams(deps.live, session.idHash);
      clearSessionCookie(reply, https);
      return reply.status(204).send();
    },
  );

  app.post<{ Body: { role: 'staff'; store: string; name?: string } }>(
    '/v1/auth/invitations',
    {
      config,
      onRequest,
      schema: {
        summary: 'A one-time sign-in link for a new staff member of one store (ops)',
        tags: ['console sign-in'],
        security: [{ bearer: [] }, { session: [] }],
        body: invitationBody,
        response: { 201: invitationView, ...errors, 503: errorBody },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, ['ops']);
      const { store, name } = request.body;
      const problem = linkRequestProblem({ role: 'staff', store, ...(name ? { name } : {}) });
      if (problem) throw badRequest(problem);
      if (!(await deps.storeExists(store))) throw notFound(`no store ${store}`);
      const invited = await run(() =>
        ceremonies().invite(
          auditActor(principal),
          { store, ...(name ? { name } : {}) },
          rp(request),
        ),
      );
      return reply.status(201).send(invited);
    },
  );
}

function needSession(request: FastifyRequest): LiveSession {
  if (!request.consoleSession) {
    throw unauthenticated('this needs a console session: sign in at the console');
  }
  return request.consoleSession;
}

function view(session: LiveSession) {
  const { person } = session;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    personId: person.personId,
    role: person.role,
    store: person.storeId,
    subject: person.subject,
    name: person.name,
    csrfToken: session.csrfToken,
    expiresAt: iso(session.expiresAt),
    idleExpiresAt: iso(session.endsAt),
    freshUntil: session.freshUntil === null ? null : iso(session.freshUntil),
  };
}

/** The browser JSON may leave out clientExtensionResults, or send a null userHandle. */
function withExtensions<T extends { clientExtensionResults?: unknown; response: object }>(
  credential: T,
): T & { clientExtensionResults: Record<string, unknown> } {
  const response = { ...credential.response } as Record<string, unknown>;
  if (response['userHandle'] === null) delete response['userHandle'];
  return {
    ...credential,
    response,
    clientExtensionResults: (credential.clientExtensionResults ?? {}) as Record<string, unknown>,
  } as T & { clientExtensionResults: Record<string, unknown> };
}

/** A sign-in refusal as the API answers it: 401 with its own code (409 for passkey-taken). */
async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConsoleAuthFailure) {
      if (error.code === 'passkey-taken') throw new ApiError(409, 'conflict', error.message);
      throw new ApiError(401, error.code, error.message);
    }
    throw error;
  }
}
