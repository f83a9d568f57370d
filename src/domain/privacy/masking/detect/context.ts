/** Helpers the recognizers share: the words just before a match, checksums. */

/** The lowercased text of up to `chars` characters before `index`. */
export function before(text: string, index: number, chars = 24): string {
  return text.slice(Math.max(0, index - chars), index).toLowerCase();
}

/** True when one of `words` occurs as a whole word in `window`. */
export function hasWord(window: string, words: ReadonlySet<string>): boolean {
  for (const w of window.split(/[^\p{L}\p{N}#]+/u)) if (words.has(w)) return true;
  return false;
}

/** The last whole word of `window`, lowercased, without trailing punctuation. */
export function lastWord(window: string): string {
  const words = window.split(/[^\p{L}\p{N}.#]+/u).filter(Boolean);
  return (words.at(-1) ?? '').replace(/\.$/, '');
}

export function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** Luhn (mod 10), used by card numbers, Canadian SINs and IMEIs. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}
