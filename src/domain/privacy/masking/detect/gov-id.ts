import { before, digitsOf, hasWord, luhnValid } from './context.js';
import type { Finding } from './types.js';

// US social security numbers: 3-2-4 with dashes stands alone; spaced or run together it needs a
// word like "SSN" before it. Area 000, 666 and 9xx are never issued (9xx are ITINs: need "tax").
const SSN_DASHED = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
const SSN_LOOSE = /(?<![\d-])(\d{3})[ ]?(\d{2})[ ]?(\d{4})(?![\d-])/g;
const SSN_WORDS = new Set(['ssn', 'social', 'security', 'tin', 'itin', 'tax', 'taxpayer']);
const TAX_WORDS = new Set(['tin', 'itin', 'tax', 'taxpayer']);

// UK National Insurance numbers: two letters (not D, F, I, Q, U, V; second not O), six digits,
// a suffix A-D. Some prefixes are never issued.
const NINO = /\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])\b/g;
const NINO_NEVER = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);
// After "NI number" or "national insurance", any two letters: typos and specimen numbers (QQ).
const NINO_LOOSE = /\b([A-Z]{2}) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])\b/g;
const NINO_WORDS = new Set(['ni', 'nino', 'insurance']);

// Canadian social insurance numbers: nine digits, Luhn-valid, with a word like "SIN" before.
const SIN = /(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{3}(?![\d-])/g;
const SIN_WORDS = new Set(['sin', 'insurance']);

// Spanish DNI and NIE: the letter is a checksum of the number.
const DNI = /\b([XYZ]?)[ -]?(\d{7,8})[ -]?([A-Z])\b/g;
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

function ssnShaped(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && group !== '00' && serial !== '0000';
}

export function findGovIds(text: string): Finding[] {
  const found: Finding[] = [];
  const push = (start: number, length: number, rule: string) =>
    found.push({ type: 'GOV_ID', start, end: start + length, rule });

  for (const m of text.matchAll(SSN_DASHED)) {
    const [, area, group, serial] = m as unknown as [string, string, string, string];
    if (!ssnShaped(area, group, serial)) continue;
    const window = before(text, m.index, 30);
    if (area.startsWith('9') && !hasWord(window, TAX_WORDS)) continue;
    push(m.index, m[0].length, 'gov:us-ssn');
  }
  for (const m of text.matchAll(SSN_LOOSE)) {
    if (m[0].includes('-')) continue;
    const [, area, group, serial] = m as unknown as [string, string, string, string];
    if (!ssnShaped(area, group, serial) || area.startsWith('9')) continue;
    if (!hasWord(before(text, m.index, 30), SSN_WORDS)) continue;
    push(m.index, m[0].length, 'gov:us-ssn');
  }
  for (const m of text.matchAll(NINO)) {
    if (NINO_NEVER.has(m[1]!)) continue;
    push(m.index, m[0].length, 'gov:uk-nino');
  }
  for (const m of text.matchAll(NINO_LOOSE)) {
    if (found.some((f) => f.start === m.index)) continue;
    if (!hasWord(before(text, m.index, 30), NINO_WORDS)) continue;
    push(m.index, m[0].length, 'gov:uk-nino');
  }
  for (const m of text.matchAll(SIN)) {
    if (!luhnValid(digitsOf(m[0])) || !hasWord(before(text, m.index, 30), SIN_WORDS)) continue;
    push(m.index, m[0].length, 'gov:ca-sin');
  }
  for (const m of text.matchAll(DNI)) {
    const [, prefix, number, letter] = m as unknown as [string, string, string, string];
    if (prefix === '' && number.length !== 8) continue;
    if (prefix !== '' && number.length !== 7) continue;
    const n = Number(prefix === '' ? number : `${'XYZ'.indexOf(prefix)}${number}`);
    if (DNI_LETTERS[n % 23] !== letter) continue;
    push(m.index, m[0].length, prefix === '' ? 'gov:es-dni' : 'gov:es-nie');
  }
  return found;
}
