import { findAddresses } from './address.js';
import { findCards } from './card.js';
import { findEmails } from './email.js';
import { findGovIds } from './gov-id.js';
import { findIps } from './ip.js';
import { findPersons } from './person.js';
import { findPhones } from './phone.js';
import { ENTITY_TYPES, type EntityType, type Finding, type Recognizer } from './types.js';

const RECOGNIZERS: readonly (readonly [EntityType, Recognizer])[] = [
  ['EMAIL', findEmails],
  ['CARD', findCards],
  ['GOV_ID', findGovIds],
  ['IP', findIps],
  ['PHONE', findPhones],
  ['ADDRESS', findAddresses],
  ['PERSON', findPersons],
];

// When two findings overlap, the more specific kind wins: an email's local part is not a name,
// a card number is not a phone number, a street named after a person is an address.
const PRIORITY = new Map<EntityType, number>(
  ENTITY_TYPES.map((t, i) => [t, ENTITY_TYPES.length - i]),
);

/** Every entity in `text`, without overlaps, in order of position. */
export function detect(text: string, types: ReadonlySet<EntityType> = ALL): Finding[] {
  if (text.length === 0) return [];
  const candidates: Finding[] = [];
  for (const [type, recognize] of RECOGNIZERS) {
    if (!types.has(type)) continue;
    for (const f of recognize(text)) if (types.has(f.type) && f.end > f.start) candidates.push(f);
  }
  if (candidates.length <= 1) return candidates;
  candidates.sort(
    (a, b) =>
      PRIORITY.get(b.type)! - PRIORITY.get(a.type)! ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start,
  );
  const kept: Finding[] = [];
  for (const f of candidates) {
    const overlapping = kept.filter((k) => f.start < k.end && k.start < f.end);
    if (overlapping.length === 0) kept.push(f);
    else if (f.type === 'ADDRESS' && overlapping.every((k) => k.type === 'ADDRESS')) {
      // Address rules find parts of one address (street, postcode): join them.
      const merged = {
        ...f,
        start: Math.min(f.start, ...overlapping.map((k) => k.start)),
        end: Math.max(f.end, ...overlapping.map((k) => k.end)),
      };
      for (const k of overlapping) kept.splice(kept.indexOf(k), 1);
      kept.push(merged);
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}

export const ALL: ReadonlySet<EntityType> = new Set(ENTITY_TYPES);

/** `text` with every finding replaced by `[TYPE]`. */
export function redact(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + `[${f.type}]`;
    at = f.end;
  }
  return out + text.slice(at);
}
