import { before, digitsOf, hasWord, lastWord } from './context.js';
import type { Finding } from './types.js';

// A run of digit groups joined by single spaces, dots, dashes or parentheses, optionally led by
// '+'. Which runs are phone numbers is decided by the rules below, not by the regex.
const CANDIDATE =
  /(?<![\p{L}\p{N}+#/.,-])(?:\+\s?)?(?:\(\d{1,5}\)|\d{1,12})(?:(?:[ .-]|\)\s?|\s?\(|\s?\(0\)\s?)\d{1,8}){0,7}\)?(?![\p{L}\p{N}]|[.,-]\d)/gu;

const PHONE_WORDS = new Set([
  'call',
  'called',
  'calling',
  'phone',
  'phoned',
  'tel',
  'telephone',
  'mobile',
  'mob',
  'cell',
  'ring',
  'text',
  'texted',
  'sms',
  'whatsapp',
  'fax',
  'number',
  'contact',
  'reach',
  'dial',
  'line',
  'hotline',
  'handy',
  'landline',
]);
// A number after these words is some other identifier, whatever its shape.
const OTHER_NUMBER_WORDS = new Set([
  'order',
  'po',
  'invoice',
  'ticket',
  'serial',
  'sn',
  'lot',
  'batch',
  'part',
  'pn',
  'tracking',
  'build',
  'imei',
  'account',
  'ref',
  'case',
  'job',
  'version',
  'fw',
  'firmware',
  'model',
  'cert',
  'ssn',
  'sin',
  'nino',
  'id',
  'iban',
  'code',
  'pin',
  '#',
]);

function looksLikeDate(s: string): boolean {
  return (
    /^(?:19|20)\d\d[-./ ]\d{1,3}(?:[-./ ]\d{1,4})?/.test(s) ||
    /^\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d\d$/.test(s) ||
    /^\d{4}-\d{4}$/.test(s) // a time range such as 0700-1530
  );
}

/** Why a candidate is a phone number, or undefined when it is not one. */
function classify(s: string, context: string): string | undefined {
  const digits = digitsOf(s);
  if (digits.length < 7 || digits.length > 15) return undefined;
  if (looksLikeDate(s)) return undefined;
  const groups = s.split(/[^\d]+/).filter(Boolean);
  const separated = groups.length > 1;
  if (separated && groups.some((g) => g.length > 8)) return undefined;
  const spokenOf = hasWord(context, PHONE_WORDS);

  if (s.startsWith('+')) return digits.length >= 8 ? 'phone:international' : undefined;
  if (/\(\d{1,5}\)/.test(s) && digits.length >= 9) return 'phone:area-code';
  // North American 3-3-4, optionally led by 1.
  if (/^(?:1[ .-]?)?[2-9]\d\d[ .-]\d{3}[ .-]\d{4}$/.test(s)) return 'phone:nanp';
  // A national number led by the trunk prefix 0 (UK, DE, FR, JP, AU, IN, BR ...).
  if (s.startsWith('0') && digits.length >= 9 && digits.length <= 12) {
    return separated || digits.length >= 10 ? 'phone:national' : undefined;
  }
  if (spokenOf && separated && digits.length >= 7) return 'phone:context';
  return undefined;
}

export function findPhones(text: string): Finding[] {
  const found: Finding[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    let s = m[0];
    let start = m.index;
    // Trim an unbalanced parenthesis the regex took from the surrounding prose.
    if (s.endsWith(')') && !s.includes('(')) s = s.slice(0, -1);
    if (s.startsWith('(') && !s.includes(')')) {
      s = s.slice(1);
      start += 1;
    }
    s = s.trimEnd();
    const context = before(text, start, 28);
    if (OTHER_NUMBER_WORDS.has(lastWord(context))) continue;
    const rule = classify(s, context);
    if (rule) found.push({ type: 'PHONE', start, end: start + s.length, rule });
  }
  return found;
}
