import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';
import type { Integration } from './integration-schema.js';

/** True when the integration takes this event: every given list must name the event's value. */
export function matches(match: Integration['match'], event: StoredEvent): boolean {
  if (match.deviceClass && !(match.deviceClass as readonly string[]).includes(event.deviceClass)) {
    return false;
  }
  if (match.type && !(match.type as readonly string[]).includes(event.type)) return false;
  return true;
}

/**
 * What receivers dedupe on: a device never signs two messages with one counter (ingest refuses the
 * replay), so `<device>:<counter>` names one message however often it is delivered.
 */
export function idempotencyId(event: Pick<StoredEvent, 'deviceId' | 'counter'>): string {
  return `${event.deviceId}:${event.counter}`;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDERS = new Set(['class', 'type', 'device', 'store']);
/** A NATS subject token: no separator, no wildcard, no white space. */
const LITERAL_TOKEN = /^[A-Za-z0-9_\-$]+$/;

/** Why a subject template cannot be published to, or undefined when it can. */
export function subjectTemplateRefusal(template: string): string | undefined {
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!PLACEHOLDERS.has(name ?? '')) {
      return `unknown placeholder {${name}}: use {class}, {type}, {device} or {store}`;
    }
  }
  for (const token of template.split('.')) {
    const literal = token.replace(PLACEHOLDER, 'x');
    if (!LITERAL_TOKEN.test(literal)) {
      return `"${token}" is not a subject token: letters, digits, _ - $ and placeholders between dots, no wildcards (* >)`;
    }
  }
  return undefined;
}

/**
 * The subject for one event. A device or store id may hold a dot, which would split a subject
 * token in two; it becomes `_`, so `{device}` is always exactly one token.
 */
export function renderSubject(
  template: string,
  event: Pick<StoredEvent, 'deviceId' | 'storeId'> & { deviceClass: string; type: string },
): string {
  const values: Record<string, string> = {
    class: event.deviceClass,
    type: event.type,
    device: event.deviceId,
    store: event.storeId,
  };
  return template.replace(PLACEHOLDER, (_, name: string) =>
    (values[name] ?? '').replace(/\./g, '_'),
  );
}
