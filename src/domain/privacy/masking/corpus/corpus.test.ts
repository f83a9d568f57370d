import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCorpus, parseCorpus } from './corpus.js';
import { score } from './score.js';

describe('labelled free-text corpus', () => {
  it('parses [TYPE:text] marks into plain text and spans', () => {
    const [s] = parseCorpus('Ask [PERSON:Ana Lima] at [EMAIL:ops[at]example[dot]com].');
    assert.equal(s!.text, 'Ask Ana Lima at ops[at]example[dot]com.');
    assert.deepEqual(
      s!.entities.map((e) => s!.text.slice(e.start, e.end)),
      ['Ana Lima', 'ops[at]example[dot]com'],
    );
  });

  it('holds several hundred sentences with negatives in both parts', () => {
    for (const part of ['tune', 'held-out'] as const) {
      const samples = loadCorpus(part);
      assert.ok(samples.length >= 150, part);
      assert.ok(samples.filter((s) => s.entities.length === 0).length >= 40, part);
    }
  });

  // The targets: recall 0.95 on emails, phones and cards, 0.90 on names and addresses.
  // Held-out is checked against the same targets so a rule change that overfits the tuning part
  // shows up here.
  for (const part of ['tune', 'held-out'] as const) {
    it(`meets the recall targets with precision of at least 0.9 on the ${part} part`, () => {
      const { byType } = score(loadCorpus(part));
      for (const t of ['EMAIL', 'PHONE', 'CARD'] as const) assert.ok(byType[t].recall >= 0.95, t);
      for (const t of ['PERSON', 'ADDRESS'] as const) assert.ok(byType[t].recall >= 0.9, t);
      for (const [t, s] of Object.entries(byType)) assert.ok(s.precision >= 0.8, t);
    });
  }
});
