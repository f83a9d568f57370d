/**
 * The payment service's promise that card numbers never enter it: every request is searched for
 * anything that looks like a primary account number (PAN) before it is validated or used, and
 * refused if one is found. What looks like a PAN: 13 to 19 digits, possibly split by spaces or
 * dashes, that pass the Luhn check. A finding names where it was (a JSON path) and why, never the
 * digits, so the refusal can be logged and answered without repeating what it refused.
 */
export interface CardDataFinding {
  /** JSON path of the value, e.g. `$.items[2].note`; `$` for the body as a whole. */
  readonly path: string;
  /** Why, without any of the digits. */
  readonly reason: string;
}

const MIN_PAN = 13;
const MAX_PAN = 19;

/**
 * Digits with up to three separators (spaces, dashes) between them: "4111 1111 1111 1111",
 * "4111-1111-1111-1111", "4111 - 1111 …". ASCII digits only.
 */
const DIGIT_RUN = /[0-9]+(?:[ \t\u00a0\u2010-\u2015-]{1,3}[0-9]+)*/g;
const SEPARATORS = /[^0-9]+/;

/**
 * A canonical UUID (session ids) holds up to 32 digits in 8-4-4-4-12 groups, so a fraction of
 * random UUIDs would contain a 13–19 digit combination that passes Luhn and a session could not
 * be paid for. A string that is exactly a UUID is therefore not searched; a PAN is never written
 * in that shape.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Luhn (mod 10) check every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    const code = digits.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return false;
    let d = code;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * Why `text` looks like it holds a card number, or undefined. Every run of digits is tried whole
 * and, where separators split it into groups, as each sequence of whole groups of 13–19 digits,
 * so "4111 1111 1111 1111 123" (a PAN then a CVV) is caught. Longer runs without separators are
 * not windowed: one in ten 13–19 digit windows of any long number passes Luhn, and a PAN glued to
 * other digits is not how card data leaks.
 */
export function cardNumberIn(text: string): string | undefined {
  if (UUID.test(text)) return undefined;
  for (const match of text.matchAll(DIGIT_RUN)) {
    const groups = match[0].split(SEPARATORS);
    for (let first = 0; first < groups.length; first++) {
      let digits = '';
      for (let last = first; last < groups.length; last++) {
        digits += groups[last]!;
        if (digits.length > MAX_PAN) break;
        if (digits.length >= MIN_PAN && passesLuhn(digits)) {
          return `${digits.length} digits that pass the Luhn check`;
        }
      }
    }
  }
  return undefined;
}

/**
 * Searches every string, number and object key in a parsed JSON value, depth first in document
 * order, and returns the first finding. Iterative, so a deeply nested body cannot exhaust the
 * stack.
 */
export function findCardData(value: unknown, root = '$'): CardDataFinding | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const reason = cardNumberIn(current);
      if (reason) return { path, reason };
    } else if (typeof current === 'number') {
      const reason = numberReason(current);
      if (reason) return { path, reason };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        stack.push({ value: current[i], path: `${path}[${i}]` });
      }
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      for (const [key] of entries) {
        const reason = cardNumberIn(key);
        // The key itself stays out of the path: it is what was refused.
        if (reason) return { path, reason: `an object key holds ${reason}` };
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push({ value: child, path: path + pathSegment(key) });
      }
    }
  }
  return undefined;
}

/** The sentence a refusal answers with and logs: where and why, never what. */
export function cardDataMessage(finding: CardDataFinding): string {
  return (
    `field ${finding.path} looks like a payment card number (${finding.reason}); card data ` +
    `must never be sent here: send the EMV module's payment token or the terminal's auth token`
  );
}

function numberReason(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  // Beyond 2^53 JSON.parse has already rounded the digits, so Luhn cannot be checked; a number
  // of card-number size that large is no amount or count, so it is refused on its size alone.
  if (Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    return Math.abs(n) < 1e19 ? 'a number of card-number length too large to check' : undefined;
  }
  return cardNumberIn(String(n));
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_KEY_IN_PATH = 64;

function pathSegment(key: string): string {
  if (IDENTIFIER.test(key) && key.length <= MAX_KEY_IN_PATH) return `.${key}`;
  const shown = key.length > MAX_KEY_IN_PATH ? key.slice(0, MAX_KEY_IN_PATH) + '…' : key;
  return `[${JSON.stringify(shown)}]`;
}
