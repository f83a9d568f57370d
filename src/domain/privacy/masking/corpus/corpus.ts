import { readFileSync } from 'node:fs';
import { ENTITY_TYPES, type EntityType } from '../detect/index.js';

/** One labelled sentence: the plain text and where its entities are. */
export interface Sample {
  readonly line: number;
  readonly text: string;
  readonly entities: readonly { type: EntityType; start: number; end: number }[];
}

export type CorpusPart = 'tune' | 'held-out' | 'stress';

const MARK = /\[([A-Z_]+):((?:[^\][]|\[[^\][]*\])*)\]/g;

/** Parses `[TYPE:text]` marks out of each line; '#' lines are comments. */
export function parseCorpus(source: string): Sample[] {
  const samples: Sample[] = [];
  source.split('\n').forEach((raw, index) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    let text = '';
    let at = 0;
    const entities: { type: EntityType; start: number; end: number }[] = [];
    for (const m of raw.matchAll(MARK)) {
      const type = m[1] as EntityType;
      if (!ENTITY_TYPES.includes(type)) throw new Error(`line ${index + 1}: unknown type ${type}`);
      text += raw.slice(at, m.index);
      entities.push({ type, start: text.length, end: text.length + m[2]!.length });
      text += m[2];
      at = m.index + m[0].length;
    }
    text += raw.slice(at);
    samples.push({ line: index + 1, text, entities });
  });
  return samples;
}

export function loadCorpus(part: CorpusPart): Sample[] {
  return parseCorpus(readFileSync(new URL(`./${part}.txt`, import.meta.url), 'utf8'));
}
