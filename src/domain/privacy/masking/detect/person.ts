import { nameLists, type NameLists } from './name-lists.js';
import type { Finding } from './types.js';

// Words and the gaps between them; a run of name-shaped words joined by single spaces is a
// candidate, and lists plus context decide whether it is a person.
const WORD = /[\p{L}\p{M}][\p{L}\p{M}'’-]*\.?/gu;
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'da',
  'dos',
  'das',
  'do',
  'del',
  'della',
  'di',
  'du',
  'la',
  'le',
  'bin',
  'binti',
  'ibn',
  'al',
  'el',
  'ter',
  'ten',
  'zu',
  'af',
  'y',
  'e',
]);
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'dame',
  'herr',
  'frau',
  'mme',
  'mlle',
  'sr',
  'sra',
  'san',
  'sensei',
]);
// Words right before a capitalised word that make it a person even when no list knows it.
const TRIGGERS = new Set([
  'operator',
  'technician',
  'foreman',
  'supervisor',
  'apprentice',
  'manager',
  'engineer',
  'driver',
  'colleague',
  'customer',
  'contact',
  'ask',
  'asked',
  'tell',
  'told',
  'thanks',
  'thank',
  'by',
  'with',
  'met',
  'cc',
  'per',
  'from',
  'to',
  'for',
  'call',
  'remind',
  'message',
]);

// A name followed by one of these is a place named after a person: "Brandon Road", "Victoria Station".
const PLACE_NOUNS = new Set([
  'road',
  'rd',
  'street',
  'st',
  'avenue',
  'ave',
  'lane',
  'drive',
  'way',
  'boulevard',
  'square',
  'station',
  'park',
  'bridge',
  'hall',
  'house',
  'centre',
  'center',
  'hospital',
  'school',
  'college',
  'university',
  'airport',
  'depot',
  'office',
  'site',
  'yard',
  'warehouse',
  'store',
  'mall',
  'plaza',
  'tower',
  'building',
  'estate',
  'county',
  'city',
  'valley',
  'river',
  'lake',
]);

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const isInitial = (w: string) => /^\p{Lu}\.$/u.test(w);
const isCapitalised = (w: string) =>
  /^\p{Lu}/u.test(w) && (w.length === 1 || /\p{Ll}/u.test(w) || isInitial(w));

function key(word: string): string {
  return word
    .replace(/['’]s$/u, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

type Kind = 'strong' | 'weak' | 'unknown' | 'not-name' | 'initial';

// Words repeat (the same names, the same sentence starts): remember each word's kind.
const kinds = new Map<string, Kind>();
let kindsFor: NameLists | undefined;

function kind(word: string, lists: NameLists): Kind {
  if (kindsFor !== lists) {
    kinds.clear();
    kindsFor = lists;
  }
  let k = kinds.get(word);
  if (k === undefined) {
    if (kinds.size > 100_000) kinds.clear();
    kinds.set(word, (k = classify(word, lists)));
  }
  return k;
}

function classify(word: string, lists: NameLists): Kind {
  if (isInitial(word)) return 'initial';
  const k = key(word);
  const inList = (s: ReadonlySet<string>) =>
    s.has(k) || (k.includes('-') && k.split('-').some((p) => p.length > 1 && s.has(p)));
  const named = inList(lists.first) || inList(lists.last);
  const common = lists.notNames.has(k);
  if (named) return common ? 'weak' : 'strong';
  return common ? 'not-name' : 'unknown';
}

export function findPersons(text: string, lists: NameLists = nameLists()): Finding[] {
  const found: Finding[] = [];
  if (!/\p{Lu}/u.test(text)) return found;
  const words: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    words.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  let i = 0;
  while (i < words.length) {
    if (!isCapitalised(words[i]!.text)) {
      i++;
      continue;
    }
    // Extend the run over single spaces: capitalised words, and particles between them.
    let j = i + 1;
    while (j < words.length && text.slice(words[j - 1]!.end, words[j]!.start) === ' ') {
      const w = words[j]!.text;
      if (isCapitalised(w)) j++;
      else if (
        PARTICLES.has(w) &&
        j + 1 < words.length &&
        isCapitalised(words[j + 1]!.text) &&
        text.slice(words[j]!.end, words[j + 1]!.start) === ' '
      )
        j += 2;
      else break;
    }
    const finding = judge(text, words, i, j, lists);
    if (finding) found.push(finding);
    i = j;
  }
  return found;
}

function judge(
  text: string,
  words: readonly Word[],
  from: number,
  to: number,
  lists: NameLists,
): Finding | undefined {
  let run = words.slice(from, to);
  const kindOf = (w: Word) => kind(w.text, lists);
  // The common case: one capitalised word that no list knows (a sentence start).
  if (run.length === 1 && (kindOf(run[0]!) === 'not-name' || kindOf(run[0]!) === 'unknown')) {
    const k = key(run[0]!.text);
    if (!TITLES.has(k)) return undefined;
  }
  let titled = false;
  const previous = words[from - 1];
  const triggered =
    previous !== undefined && TRIGGERS.has(previous.text.toLowerCase().replace(/[.:,]$/, ''));

  // Leading titles and common words are context, not part of the name.
  while (run.length > 0) {
    const first = run[0]!;
    const k = key(first.text);
    if (TITLES.has(k)) titled = true;
    else if (TRIGGERS.has(k)) {
      /* a capitalised trigger ("Ask", "Operator") */
    } else if (kindOf(first) !== 'not-name' && !(kindOf(first) === 'weak' && run.length > 1)) break;
    run = run.slice(1);
  }
  while (run.length > 0 && ['not-name', 'weak'].includes(kindOf(run.at(-1)!))) {
    if (kindOf(run.at(-1)!) === 'weak' && run.some((w) => kindOf(w) === 'strong')) break;
    run = run.slice(0, -1);
  }
  // Particles left at either edge belong to the prose.
  while (run.length > 0 && !isCapitalised(run[0]!.text)) run = run.slice(1);
  while (run.length > 0 && !isCapitalised(run.at(-1)!.text)) run = run.slice(0, -1);
  if (run.length === 0 || run.every((w) => isInitial(w.text))) return undefined;

  const after = words[words.indexOf(run.at(-1)!) + 1];
  const gap = after ? text.slice(run.at(-1)!.end, after.start) : '';
  if (!titled && after && gap === ' ' && PLACE_NOUNS.has(after.text.toLowerCase()))
    return undefined;

  const strong = run.filter((w) => kindOf(w) === 'strong').length;
  const unknown = run.filter((w) => kindOf(w) === 'unknown').length;
  const names = run.filter((w) => isCapitalised(w.text) && !isInitial(w.text)).length;
  let rule: string | undefined;
  if (titled) rule = 'person:title';
  else if (strong >= 1 && (names >= 2 || unknown === 0))
    rule =
      strong >= 2 ? 'person:list-full' : names >= 2 ? 'person:list-partial' : 'person:list-single';
  else if (triggered && unknown >= 1 && names >= 2) rule = 'person:context';
  if (!rule) return undefined;
  const start = run[0]!.start;
  const last = run.at(-1)!;
  // A possessive belongs to the sentence, not the name.
  const end = last.end - (/['’]s$/u.test(last.text) ? 2 : 0);
  void text;
  return { type: 'PERSON', start, end, rule };
}
