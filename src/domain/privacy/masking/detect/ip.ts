import { isIPv4, isIPv6 } from 'node:net';
import { before, hasWord } from './context.js';
import type { Finding } from './types.js';

const V4 = /(?<![\p{L}\p{N}.])(?:\d{1,3}\.){3}\d{1,3}(?![\p{L}\p{N}]|\.\d)/gu;
const V6 =
  /(?<![\p{L}\p{N}:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\p{L}\p{N}:])/giu;
// Four dotted numbers after these words are versions, not addresses.
const VERSION_WORDS = new Set([
  'v',
  'fw',
  'firmware',
  'version',
  'ver',
  'build',
  'release',
  'rev',
  'revision',
]);

export function findIps(text: string): Finding[] {
  const found: Finding[] = [];
  for (const m of text.matchAll(V4)) {
    if (!isIPv4(m[0]) || hasWord(before(text, m.index, 16), VERSION_WORDS)) continue;
    found.push({ type: 'IP', start: m.index, end: m.index + m[0].length, rule: 'ip:v4' });
  }
  for (const m of text.matchAll(V6)) {
    // node's parser decides; times (12:30:45) and MAC addresses do not parse as IPv6.
    if (!m[0].includes('::') && m[0].split(':').length < 8) continue;
    if (!isIPv6(m[0])) continue;
    found.push({ type: 'IP', start: m.index, end: m.index + m[0].length, rule: 'ip:v6' });
  }
  return found;
}
