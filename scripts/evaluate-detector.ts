// Recall and precision of the free-text detector per entity type, on the tuning part and the
// held-out part of the labelled corpus. `--misses` lists what the tuning part got wrong (the
// held-out part's errors are not printed, so nobody tunes against them by accident).
// Run: npx tsx scripts/evaluate-detector.ts [--misses]
import { loadCorpus, type CorpusPart } from '../src/domain/privacy/masking/corpus/corpus.js';
import { score } from '../src/domain/privacy/masking/corpus/score.js';
import { ENTITY_TYPES } from '../src/domain/privacy/masking/detect/index.js';

const pct = (x: number) => x.toFixed(3);
const result: Record<string, unknown> = {};
for (const part of ['tune', 'held-out', 'stress'] as CorpusPart[]) {
  const samples = loadCorpus(part);
  const { byType, misses } = score(samples);
  console.log(`\n${part}: ${samples.length} sentences`);
  console.log('type      gold  found  recall  precision  char-recall');
  for (const t of ENTITY_TYPES) {
    const s = byType[t];
    console.log(
      `${t.padEnd(8)} ${String(s.gold).padStart(5)} ${String(s.found).padStart(6)}  ${pct(s.recall)}   ${pct(s.precision)}      ${pct(s.charRecall)}`,
    );
  }
  result[part] = Object.fromEntries(
    ENTITY_TYPES.map((t) => [
      t,
      { recall: +pct(byType[t].recall), precision: +pct(byType[t].precision) },
    ]),
  );
  if (part === 'tune' && process.argv.includes('--misses')) {
    for (const m of misses)
      console.log(
        `  ${m.kind} ${m.type} line ${m.line}: «${m.text}» ${m.rule ?? ''} — ${m.sentence}`,
      );
  }
}
console.log(JSON.stringify(result));
