import type { TSchema } from 'typebox';
import { CLOUD_DOCUMENTS, DEVICE_MESSAGES, OTHER_DOCUMENTS } from './catalog.js';
import { CLAIM_DOCUMENTS } from './claim/claim-documents.js';

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
export const SCHEMA_ID_BASE = 'https://fleetplane.dev/schemas/v1/';

/**
 * The JSON Schema files published under schemas/ for firmware teams, keyed by file name. Draft-07
 * is the dialect most C, Rust and embedded validators support; the schemas use nothing newer.
 */
export function publishedSchemas(): Record<string, object> {
  const all: Record<string, { schema: TSchema; direction: string }> = {};
  for (const [type, spec] of Object.entries(DEVICE_MESSAGES)) {
    all[type] = {
      schema: spec.schema,
      direction: `device to cloud, signed; classes: ${spec.classes.join(', ')}. ${spec.summary}`,
    };
  }
  for (const [type, schema] of Object.entries(CLOUD_DOCUMENTS)) {
    all[type] = { schema, direction: 'cloud to device, not signed.' };
  }
  for (const [type, schema] of Object.entries(CLAIM_DOCUMENTS)) {
    all[type] = {
      schema,
      direction:
        'claim provisioning (decision 044), not signed: on claim/<serial>/request and /response.',
    };
  }
  for (const [type, schema] of Object.entries(OTHER_DOCUMENTS)) {
    all[type] = { schema, direction: 'signed document carried inside another message.' };
  }
  return Object.fromEntries(
    Object.entries(all).map(([type, { schema, direction }]) => [
      `${type}.schema.json`,
      {
        $schema: SCHEMA_DIALECT,
        $id: `${SCHEMA_ID_BASE}${type}.schema.json`,
        title: type,
        $comment: `fleetplane wire contract v1: ${direction} Generated from src/contract; do not edit.`,
        ...JSON.parse(JSON.stringify(schema)),
      },
    ]),
  );
}
