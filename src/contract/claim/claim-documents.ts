import Ajv from 'ajv';
import type { TSchema } from 'typebox';
import { ClaimRequest } from '../messages/claim-request.js';
import { ClaimResponse } from '../messages/claim-response.js';

/** The claim documents, published under schemas/ beside the device messages. */
export const CLAIM_DOCUMENTS = {
  'claim-request': ClaimRequest,
  'claim-response': ClaimResponse,
} as const satisfies Record<string, TSchema>;

export type ClaimDocumentType = keyof typeof CLAIM_DOCUMENTS;

const ajv = new Ajv.default({ strict: true, allErrors: false });
const validators = Object.fromEntries(
  Object.entries(CLAIM_DOCUMENTS).map(([type, schema]) => [
    type,
    ajv.compile(JSON.parse(JSON.stringify(schema)) as object),
  ]),
) as Record<ClaimDocumentType, ReturnType<typeof ajv.compile>>;

export type ClaimValidation<T> = { ok: true; value: T } | { ok: false; detail: string };

/** Validates a claim request or response; the detail names the first offending field. */
export function validateClaimDocument<T>(
  type: ClaimDocumentType,
  value: unknown,
): ClaimValidation<T> {
  const validate = validators[type];
  if (validate(value)) return { ok: true, value: value as T };
  const first = validate.errors?.[0];
  const path = first?.instancePath || '(root)';
  const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  return {
    ok: false,
    detail: `${path} ${first?.message ?? 'does not match'}${extra ? `: ${extra}` : ''}`,
  };
}
