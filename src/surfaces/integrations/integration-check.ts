import Ajv from 'ajv';
import { fromAjv, type RuleSetProblem } from '../../domain/alarms/rule-set-check.js';
import { describe } from '../../domain/alarms/rule-set-file.js';
import { webhookUrlRefusal } from '../webhooks/webhook-url.js';
import {
  IntegrationsDocument,
  type IntegrationsDocument as Document,
} from './integration-schema.js';
import { subjectTemplateRefusal } from './integration-match.js';
import { RESERVED_HEADERS } from './webhook-sink.js';

/** Where in the document a problem is (keys and indexes), and what it is. */
export type IntegrationProblem = RuleSetProblem;

export type IntegrationsCheck =
  | { readonly ok: true; readonly document: Document }
  | { readonly ok: false; readonly problem: IntegrationProblem; readonly message: string };

/** An HTTP header name (an RFC 9110 token), at most 64 characters. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

const ajv = new Ajv.default({ strict: true, allErrors: false });
const validate = ajv.compile<Document>(JSON.parse(JSON.stringify(IntegrationsDocument)) as object);

function refused(path: (string | number)[], message: string): IntegrationsCheck {
  const problem = { path, message };
  return { ok: false, problem, message: describe(problem) };
}

/**
 * An integrations document is taken only if every integration can deliver: the schema first, then
 * what a schema cannot say (ids used twice, a webhook URL that is not https to another host, a
 * subject template with an unknown placeholder or a wildcard, a header the platform sets itself).
 * The message names the path, e.g. `integrations[1].sink.subject: unknown placeholder {shop}`.
 */
export function checkIntegrations(value: unknown): IntegrationsCheck {
  if (!validate(value)) {
    const problem = fromAjv(validate.errors ?? []);
    return { ok: false, problem, message: describe(problem) };
  }
  const seen = new Set<string>();
  for (const [i, integration] of value.integrations.entries()) {
    const at = (...rest: (string | number)[]) => ['integrations', i, ...rest];
    if (seen.has(integration.id)) return refused(at('id'), `id ${integration.id} is used twice`);
    seen.add(integration.id);
    const { sink } = integration;
    if (sink.kind === 'webhook') {
      const why = webhookUrlRefusal(sink.url);
      if (why) return refused(at('sink', 'url'), why);
      for (const name of Object.keys(sink.headers ?? {})) {
        // The schema's key pattern does not reach Ajv through a Record: checked here.
        if (!HEADER_NAME.test(name)) {
          return refused(at('sink', 'headers', name), 'is not an HTTP header name');
        }
        if (RESERVED_HEADERS.has(name.toLowerCase())) {
          return refused(at('sink', 'headers', name), 'is set by the platform on every delivery');
        }
      }
    } else {
      if (integration.onRefused === 'dead-letter') {
        // A stream refuses a subject or a size, never one event's content: nothing to park.
        return refused(at('onRefused'), 'dead-letter applies to webhook sinks only');
      }
      const why = natsUrlRefusal(sink.url) ?? subjectTemplateRefusal(sink.subject);
      if (why) return refused(at('sink', natsUrlRefusal(sink.url) ? 'url' : 'subject'), why);
    }
  }
  return { ok: true, document: value };
}

function natsUrlRefusal(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `is not an absolute URL: ${raw}`;
  }
  if (url.protocol !== 'nats:') return `must be nats://HOST:PORT, not ${url.protocol}`;
  if (url.username !== '' || url.password !== '') {
    return 'must not carry a user name or password: it is listed to every ops caller';
  }
  return undefined;
}
