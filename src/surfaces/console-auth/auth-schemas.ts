import { STORE_ID_PATTERN } from '../../contract/index.js';
import { CONSOLE_ROLES } from '../../stores/entities/entity-store.js';
import { NAME_PATTERN } from './login-links.js';

// JSON Schemas of /v1/auth (OpenAPI 3.1 / JSON Schema 2020-12 keywords only). The WebAuthn
// bodies are what @simplewebauthn/browser (and PublicKeyCredential.toJSON) send; their objects
// stay open, since browsers add fields, but every string is bounded.

const base64url = (maxLength: number) =>
  ({ type: 'string', pattern: '^[A-Za-z0-9_-]*$', maxLength }) as const;

const JWT = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';
const link = {
  type: 'string',
  pattern: JWT,
  maxLength: 4096,
  description: 'The token after #link= in the sign-in URL.',
} as const;

const credentialBase = {
  id: base64url(1366),
  rawId: base64url(1366),
  type: { type: 'string', enum: ['public-key'] },
  authenticatorAttachment: { type: 'string', enum: ['platform', 'cross-platform'] },
  clientExtensionResults: { type: 'object' },
} as const;

const registrationResponse = {
  type: 'object',
  required: ['id', 'rawId', 'type', 'response'],
  description: 'What navigator.credentials.create() answered, as JSON (base64url buffers).',
  properties: {
    ...credentialBase,
    response: {
      type: 'object',
      required: ['clientDataJSON', 'attestationObject'],
      properties: {
        clientDataJSON: base64url(8192),
        attestationObject: base64url(65536),
        authenticatorData: base64url(65536),
        transports: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 32 } },
        publicKeyAlgorithm: { type: 'integer' },
        publicKey: base64url(8192),
      },
    },
  },
} as const;

const authenticationResponse = {
  type: 'object',
  required: ['id', 'rawId', 'type', 'response'],
  description: 'What navigator.credentials.get() answered, as JSON (base64url buffers).',
  properties: {
    ...credentialBase,
    response: {
      type: 'object',
      required: ['clientDataJSON', 'authenticatorData', 'signature'],
      properties: {
        clientDataJSON: base64url(8192),
        authenticatorData: base64url(65536),
        signature: base64url(8192),
        userHandle: { type: ['string', 'null'], pattern: '^[A-Za-z0-9_-]*$', maxLength: 1024 },
      },
    },
  },
} as const;

export const linkBody = {
  type: 'object',
  required: ['link'],
  additionalProperties: false,
  properties: { link },
} as const;

export const enrolVerifyBody = {
  type: 'object',
  required: ['link', 'response'],
  additionalProperties: false,
  properties: { link, response: registrationResponse },
} as const;

export const assertionBody = {
  type: 'object',
  required: ['response'],
  additionalProperties: false,
  properties: { response: authenticationResponse },
} as const;

export const signinOptionsBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    role: {
      type: 'string',
      enum: [...CONSOLE_ROLES],
      description:
        'Which surface asks: customer lets a passkey without user verification through; ops and staff passkeys always need it.',
    },
  },
} as const;

export const invitationBody = {
  type: 'object',
  required: ['role', 'store'],
  additionalProperties: false,
  properties: {
    role: { type: 'string', enum: ['staff'] },
    store: { type: 'string', pattern: STORE_ID_PATTERN },
    name: {
      type: 'string',
      pattern: NAME_PATTERN,
      description: 'Shown to the person and in the console.',
    },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

export const sessionView = {
  type: 'object',
  required: [
    'personId',
    'role',
    'store',
    'subject',
    'name',
    'csrfToken',
    'expiresAt',
    'idleExpiresAt',
    'freshUntil',
  ],
  properties: {
    personId: { type: 'string' },
    role: { type: 'string', enum: [...CONSOLE_ROLES] },
    store: nullableString,
    subject: {
      ...nullableString,
      description: "A customer's account id; the handle of ops or staff.",
    },
    name: { ...nullableString, description: 'Ops and staff only.' },
    csrfToken: {
      type: 'string',
      description: 'Send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE of this session.',
    },
    expiresAt: {
      type: 'string',
      description: 'The absolute end (12 h ops and staff, 30 d customers).',
    },
    idleExpiresAt: { type: 'string', description: 'The end if no request comes before it.' },
    freshUntil: {
      ...nullableString,
      description: 'Sensitive actions pass until then (after a step-up); null: step up first.',
    },
  },
} as const;

export const linkView = {
  type: 'object',
  required: ['role', 'store', 'subject', 'name', 'expiresAt', 'hasPasskey', 'person'],
  properties: {
    role: { type: 'string', enum: [...CONSOLE_ROLES] },
    store: nullableString,
    subject: nullableString,
    name: nullableString,
    expiresAt: { type: 'string' },
    hasPasskey: {
      type: 'boolean',
      description: 'The person the link names has a passkey already: they may sign in instead.',
    },
    person: {
      type: ['object', 'null'],
      description:
        'The person the link names, if they exist: one with passkeys may sign in instead.',
      properties: { personId: { type: 'string' }, passkeys: { type: 'integer' } },
    },
  },
} as const;

/** PublicKeyCredentialCreationOptionsJSON or …RequestOptionsJSON, for @simplewebauthn/browser. */
export const ceremonyOptions = {
  type: 'object',
  required: ['challenge'],
  additionalProperties: true,
  properties: { challenge: { type: 'string' } },
} as const;

export const invitationView = {
  type: 'object',
  required: ['url', 'expiresAt'],
  properties: {
    url: {
      type: 'string',
      description: 'The one-time sign-in URL to hand to the new staff member.',
    },
    expiresAt: { type: 'string' },
  },
} as const;
