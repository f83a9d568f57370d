import { before, digitsOf, hasWord, luhnValid } from './context.js';
import type { Finding } from './types.js';

const CANDIDATE = /(?<![\d.+-])\d(?:[ -]?\d){12,18}(?![\d])/g;

// Issuer prefixes of the card schemes people actually type: Visa, Mastercard (51-55, 2221-2720),
// Amex, Discover, JCB, Diners, UnionPay, Maestro.
const ISSUER =
  /^(?:4|5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6011|65|64[4-9]|35(?:2[89]|[3-8]\d)|3(?:0[0-5]|[689])|62|5[06-9]|6[37])/;

const CARD_WORDS = new Set([
  'card',
  'visa',
  'mastercard',
  'amex',
  'cc',
  'credit',
  'debit',
  'jcb',
  'diners',
  'discover',
  'maestro',
  'unionpay',
]);
// Other Luhn-checked or long numbers people label: an IMEI is Luhn-valid and 15 digits.
const NOT_CARD_WORDS = new Set([
  'imei',
  'serial',
  'sn',
  'order',
  'po',
  'account',
  'iban',
  'tracking',
  'invoice',
  'ref',
  'reference',
  'lot',
  'batch',
  'ticket',
]);

export function findCards(text: string): Finding[] {
  const found: Finding[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const digits = digitsOf(m[0]);
    if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) continue;
    const window = before(text, m.index, 20);
    if (hasWord(window, NOT_CARD_WORDS)) continue;
    if (!ISSUER.test(digits) && !hasWord(window, CARD_WORDS)) continue;
    found.push({ type: 'CARD', start: m.index, end: m.index + m[0].length, rule: 'card:luhn' });
  }
  return found;
}
