import { ENTITY_TYPES, detect, type EntityType, type Finding } from '../detect/index.js';
import type { Sample } from './corpus.js';

export interface TypeScore {
  readonly gold: number;
  readonly predicted: number;
  /** Gold entities overlapped by a finding of the same type. */
  readonly found: number;
  /** Findings that overlap a gold entity of the same type. */
  readonly correct: number;
  readonly recall: number;
  readonly precision: number;
  /** Share of the gold entities' characters covered by findings of the same type. */
  readonly charRecall: number;
}

export interface Miss {
  readonly line: number;
  readonly kind: 'missed' | 'spurious';
  readonly type: EntityType;
  readonly text: string;
  readonly sentence: string;
  readonly rule?: string;
}

/**
 * Scores the detector on labelled samples, per type. An entity counts as found when a finding of
 * the same type overlaps it (redaction then covers at least part of it); charRecall says how much
 * of it was covered, so partial spans do not hide behind the overlap rule.
 */
export function score(samples: readonly Sample[]): {
  byType: Record<EntityType, TypeScore>;
  misses: Miss[];
} {
  const counts = Object.fromEntries(
    ENTITY_TYPES.map((t) => [
      t,
      { gold: 0, predicted: 0, found: 0, correct: 0, goldChars: 0, coveredChars: 0 },
    ]),
  ) as Record<
    EntityType,
    {
      gold: number;
      predicted: number;
      found: number;
      correct: number;
      goldChars: number;
      coveredChars: number;
    }
  >;
  const misses: Miss[] = [];
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
    a.start < b.end && b.start < a.end;

  for (const sample of samples) {
    const findings: Finding[] = detect(sample.text);
    for (const g of sample.entities) {
      const c = counts[g.type];
      c.gold++;
      c.goldChars += g.end - g.start;
      const same = findings.filter((f) => f.type === g.type && overlaps(f, g));
      if (same.length > 0) c.found++;
      else
        misses.push({
          line: sample.line,
          kind: 'missed',
          type: g.type,
          text: sample.text.slice(g.start, g.end),
          sentence: sample.text,
        });
      for (let i = g.start; i < g.end; i++)
        if (same.some((f) => f.start <= i && i < f.end)) c.coveredChars++;
    }
    for (const f of findings) {
      const c = counts[f.type];
      c.predicted++;
      if (sample.entities.some((g) => g.type === f.type && overlaps(f, g))) c.correct++;
      else
        misses.push({
          line: sample.line,
          kind: 'spurious',
          type: f.type,
          text: sample.text.slice(f.start, f.end),
          sentence: sample.text,
          rule: f.rule,
        });
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const byType = Object.fromEntries(
    ENTITY_TYPES.map((t) => {
      const c = counts[t];
      return [
        t,
        {
          gold: c.gold,
          predicted: c.predicted,
          found: c.found,
          correct: c.correct,
          recall: ratio(c.found, c.gold),
          precision: ratio(c.correct, c.predicted),
          charRecall: ratio(c.coveredChars, c.goldChars),
        },
      ];
    }),
  ) as Record<EntityType, TypeScore>;
  return { byType, misses };
}
