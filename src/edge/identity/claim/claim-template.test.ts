import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkClaimTemplate, readClaimTemplateFile, templateAllows } from './claim-template.js';

describe('claim templates', () => {
  it('accepts class, store and an optional serial pattern, and defaults the policy to claim-once', () => {
    const checked = checkClaimTemplate({ name: 'line-3', class: 'tool', store: 'berlin-1' });
    assert.deepEqual(checked, {
      ok: true,
      template: { name: 'line-3', class: 'tool', store: 'berlin-1', policy: 'claim-once' },
    });
  });

  it('matches the whole serial against the pattern', () => {
    const template = {
      name: 't',
      class: 'coldchain' as const,
      store: 's',
      serial_pattern: 'CC-[0-9]{4}',
    };
    assert.equal(templateAllows(template, 'CC-0001'), true);
    assert.equal(templateAllows(template, 'XCC-0001'), false);
    assert.equal(templateAllows(template, 'CC-00011'), false);
    assert.equal(templateAllows({ ...template, serial_pattern: undefined }, 'anything'), true);
  });

  it('refuses a bad file with its line, column and field', () => {
    const cases: [string, string][] = [
      [
        'name: line-3\nclass: fridge\nstore: berlin-1\n',
        't.yaml:2:1: class: must be equal to one of the allowed values (cart, coldchain, tool)',
      ],
      ['name: line-3\nclass: tool\n', "t.yaml:1:1: the field 'store' is required"],
      [
        'name: line-3\nclass: tool\nstore: berlin-1\ncolour: red\n',
        't.yaml:4:1: colour: is not a template field',
      ],
      [
        'name: line-3\nclass: tool\nstore: berlin-1\nserial_pattern: "CC-[0-9"\n',
        't.yaml:4:1: serial_pattern: is not a regular expression',
      ],
      [
        '{ "name": "x", "class": "tool", "store": "b",\n  "policy": "anything" }\n',
        't.yaml:2:3: policy: must be equal to one of the allowed values (claim-once)',
      ],
      ['name: [unclosed\n', 't.yaml:2:1:'],
    ];
    for (const [text, expected] of cases) {
      const read = readClaimTemplateFile(text, 't.yaml');
      assert.equal(read.ok, false, text);
      if (!read.ok)
        assert.ok(read.error.startsWith(expected), `${read.error}\n  wanted ${expected}`);
    }
  });

  it('fills fields the file leaves out from the command line', () => {
    const read = readClaimTemplateFile('name: line-3\nclass: tool\n', 't.yaml', { store: 'b-1' });
    assert.deepEqual(read, {
      ok: true,
      template: { name: 'line-3', class: 'tool', store: 'b-1', policy: 'claim-once' },
    });
  });
});
