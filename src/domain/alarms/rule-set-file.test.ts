import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRuleSetFile } from './rule-set-file.js';

const GOOD = `profile: cart
rules:
  - id: battery-low
    severity: warning
    type: health
    when: { field: battery_pct, below: 15 }
    clearWhen: { field: battery_pct, atLeast: 20 }
`;

function error(text: string): string {
  const read = readRuleSetFile(text, 'rules.yaml');
  assert.equal(read.ok, false, 'refused');
  return read.ok ? '' : read.error;
}

describe('rule set files', () => {
  it('reads a YAML rule set, and the same set written as JSON', () => {
    const yaml = readRuleSetFile(GOOD, 'rules.yaml');
    assert.ok(yaml.ok);
    const json = readRuleSetFile(JSON.stringify(yaml.ruleSet), 'rules.json');
    assert.deepEqual(json, yaml);
  });

  it('names the line of a misspelt field, which the message type does not have', () => {
    assert.equal(
      error(GOOD.replace('when: { field: battery_pct', 'when: { field: batery_pct')),
      'rules.yaml:6:13: rules[0].when.field: health messages have no field batery_pct',
    );
  });

  it('refuses a comparison without exactly one operator, and a numeric operator on a non-number', () => {
    assert.match(
      error(GOOD.replace('below: 15', 'below: 15, above: 2')),
      /rules\.yaml:6:5: rules\[0\]\.when: a comparison needs exactly one of/,
    );
    assert.match(
      error(GOOD.replace('battery_pct, below: 15', 'link, below: 15')),
      /rules\[0\]\.when\.below: link is a string: only equals applies to it/,
    );
  });

  it('refuses a rule for a message the profile never sends, a duplicate id and an unknown key', () => {
    assert.match(
      error(GOOD.replace('type: health', 'type: coldchain-telemetry')),
      /rules\.yaml:5:5: rules\[0\]\.type: cart devices do not send coldchain-telemetry messages/,
    );
    const twice = GOOD + GOOD.split('\n').slice(2).join('\n');
    assert.match(error(twice), /rules\[1\]\.id: rule id battery-low is used twice/);
    assert.match(
      error(GOOD.replace('severity: warning', 'severity: warning\n    sevrity: x')),
      /rules\.yaml:5:5: rules\[0\]\.sevrity: has an unknown key sevrity/,
    );
  });

  it('gives the line and column of a YAML syntax error', () => {
    assert.match(error('profile: cart\nrules: [\n  - id: x\n'), /^rules\.yaml:\d+:\d+: /);
  });
});
