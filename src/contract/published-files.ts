import {
  CATALOG_EXAMPLE,
  CHECKOUT_RESULT_EXAMPLE,
  CLOUD_EXAMPLES,
  DEVICE_EXAMPLES,
  OTA_MANIFEST_EXAMPLE,
  PROXIMITY_PROOF_EXAMPLE,
  SEAL_KEY_EXAMPLE,
  SERVER_TIME_EXAMPLE,
} from './examples.js';
import { CLAIM_EXAMPLES } from './claim/claim-examples.js';
import { publishedSchemas } from './json-schema.js';

const asJson = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** Every generated file under schemas/, by relative path, with its exact content. */
export function publishedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(publishedSchemas())) files[name] = asJson(schema);
  const examples = {
    ...DEVICE_EXAMPLES,
    ...CLOUD_EXAMPLES,
    'ota-manifest': OTA_MANIFEST_EXAMPLE,
    catalog: CATALOG_EXAMPLE,
    'seal-key': SEAL_KEY_EXAMPLE,
    'checkout-result': CHECKOUT_RESULT_EXAMPLE,
    proximity: PROXIMITY_PROOF_EXAMPLE,
    'server-time': SERVER_TIME_EXAMPLE,
    ...CLAIM_EXAMPLES,
  };
  for (const [type, example] of Object.entries(examples))
    files[`examples/${type}.json`] = asJson(example);
  return files;
}
