import Type, { type Static } from 'typebox';
import { DEVICE_MESSAGE_TYPES } from '../../contract/catalog.js';
import { DEVICE_CLASSES } from '../../contract/ids.js';

/** How many integrations one document may hold: each is a feed reader and a metric label. */
export const MAX_INTEGRATIONS = 50;

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,47}$' });

const Match = Type.Object(
  {
    deviceClass: Type.Optional(
      Type.Array(Type.Enum([...DEVICE_CLASSES]), { minItems: 1, uniqueItems: true }),
    ),
    type: Type.Optional(
      Type.Array(Type.Enum([...DEVICE_MESSAGE_TYPES]), { minItems: 1, uniqueItems: true }),
    ),
  },
  { additionalProperties: false },
);

export const WebhookSink = Type.Object(
  {
    kind: Type.Literal('webhook'),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 256 })),
    headers: Type.Optional(
      Type.Record(
        Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$" }),
        Type.String({ maxLength: 1024, pattern: '^[\\x20-\\x7e]*$' }),
        { maxProperties: 16 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const JetStreamSink = Type.Object(
  {
    kind: Type.Literal('jetstream'),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    subject: Type.String({ minLength: 1, maxLength: 255 }),
  },
  { additionalProperties: false },
);

export const Integration = Type.Object(
  {
    id: Id,
    match: Match,
    sink: Type.Union([WebhookSink, JetStreamSink]),
    enabled: Type.Boolean(),
    /**
     * What a webhook receiver's refusal of one event's content does (integration-dead-letter.ts):
     * `retry` (the default) holds the integration on it; `dead-letter` parks it and goes on.
     */
    onRefused: Type.Optional(Type.Union([Type.Literal('retry'), Type.Literal('dead-letter')])),
  },
  { additionalProperties: false },
);

/** The document `PUT /v1/integrations` and `fleetplane integrations put FILE` take. */
export const IntegrationsDocument = Type.Object(
  { integrations: Type.Array(Integration, { maxItems: MAX_INTEGRATIONS }) },
  { additionalProperties: false },
);

export type Integration = Static<typeof Integration>;
export type IntegrationSink = Integration['sink'];
export type WebhookSink = Static<typeof WebhookSink>;
export type JetStreamSink = Static<typeof JetStreamSink>;
export type IntegrationsDocument = Static<typeof IntegrationsDocument>;
