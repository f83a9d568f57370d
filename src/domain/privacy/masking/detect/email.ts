import type { Finding } from './types.js';

// Addresses as RFC 5322 allows them in practice: dotted or quoted local parts, plus-tags,
// apostrophes, internationalised letters, sub-domains.
const LOCAL = String.raw`(?:"[^"\n]{1,64}"|[\p{L}\p{N}!#$%&'*+/=?^_\x60{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_\x60{|}~-]+)*)`;
const DOMAIN = String.raw`(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}`;
const PLAIN = new RegExp(String.raw`(?<![\p{L}\p{N}._%+-])${LOCAL}@${DOMAIN}`, 'gu');

// Obfuscated by hand: "name at example dot com", "name(at)example(dot)com", "name [at] ...".
const AT = String.raw`(?:\s*(?:\(at\)|\[at\]|\{at\})\s*|\s+at\s+)`;
const DOT = String.raw`(?:\s*(?:\(dot\)|\[dot\]|\{dot\})\s*|\s+dot\s+|\.)`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?`;
const OBFUSCATED = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+'-]+${AT}${LABEL}(?:${DOT}${LABEL})+`,
  'giu',
);
const MAYBE_SPELLED = /\sat\s|\(at\)|\[at\]|\{at\}/i;
const SPELLED_DOT = /\(dot\)|\[dot\]|\{dot\}|\sdot\s/i;
const TLDS = new Set(
  'com net org edu gov io co uk de fr es it nl be ch at se no dk fi pl cz pt br ar mx ca us au nz jp cn kr in za ng ke gh ie ru tr ae sa eg il sg hk tw vn th my ph id'.split(
    ' ',
  ),
);

export function findEmails(text: string): Finding[] {
  const found: Finding[] = [];
  if (text.includes('@')) {
    for (const m of text.matchAll(PLAIN)) {
      found.push({ type: 'EMAIL', start: m.index, end: m.index + m[0].length, rule: 'email' });
    }
  }
  if (!MAYBE_SPELLED.test(text)) return found;
  for (const m of text.matchAll(OBFUSCATED)) {
    const s = m[0];
    if (s.includes('@')) continue;
    // "look at example.com" is prose; an address spelled out uses a spelled-out dot somewhere
    // (or bracketed at), and ends in a real top-level domain.
    const bracketed = /\(at\)|\[at\]|\{at\}/i.test(s);
    if (!bracketed && !SPELLED_DOT.test(s)) continue;
    const tld = s
      .split(/\(dot\)|\[dot\]|\{dot\}|\sdot\s|\./i)
      .at(-1)!
      .trim()
      .toLowerCase();
    if (!TLDS.has(tld)) continue;
    found.push({ type: 'EMAIL', start: m.index, end: m.index + s.length, rule: 'email:spelled' });
  }
  return found;
}
