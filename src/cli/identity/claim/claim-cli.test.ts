import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ready } from '../../../../test-support/cli.js';

describe('provision claim create, list and revoke', () => {
  it('issues a claim from a template file, lists it, and revokes it once', async (t) => {
    const { data, work, run, clock } = await ready(t);
    const template = join(work, 'line.yaml');
    await writeFile(
      template,
      'name: line-3\nclass: tool\nstore: berlin-1\nserial_pattern: TL-[0-9]{5}\n',
    );
    const out = join(work, 'claim');
    const created = await run(
      ...['provision', 'claim', 'create', '--data', data, '--template', template],
      ...['--expires', '7d', '--out', out],
    );
    assert.equal(created.code, 0, created.text);
    const info = JSON.parse(await readFile(join(out, 'claim.json'), 'utf8')) as {
      id: string;
      expires_at: string;
    };
    assert.match(
      created.text,
      new RegExp(
        `Issued claim ${info.id} \\(template line-3: tool devices for store berlin-1, serials TL-\\[0-9\\]\\{5\\}\\)`,
      ),
    );
    assert.equal(new Date(info.expires_at).getTime(), clock.now().getTime() + 7 * 86_400_000);
    const cert = await readFile(join(out, 'claim.cert.pem'), 'utf8');
    assert.equal(
      cert.match(/BEGIN CERTIFICATE/g)?.length,
      2,
      'the claim certificate and its issuing CA',
    );

    const listed = await run('provision', 'claim', 'list', '--data', data);
    assert.match(
      listed.text,
      new RegExp(`${info.id}  line-3  tool  berlin-1  TL-\\[0-9\\]\\{5\\}  active until`),
    );

    assert.match(
      (await run('provision', 'claim', 'revoke', '--data', data, info.id)).text,
      /Revoked claim/,
    );
    assert.match(
      (await run('provision', 'claim', 'revoke', '--data', data, info.id)).text,
      /already revoked.*nothing changed/,
    );
    assert.match((await run('provision', 'claim', 'list', '--data', data)).text, /revoked 20/);
  });

  it('refuses a bad template file with its line and field, and bad flags with the usage', async (t) => {
    const { data, work, run } = await ready(t);
    const bad = join(work, 'bad.yaml');
    await writeFile(bad, 'name: line-3\nclass: fridge\nstore: berlin-1\n');
    const create = (...extra: string[]) =>
      run('provision', 'claim', 'create', '--data', data, '--out', join(work, 'c'), ...extra);

    const file = await create('--template', bad);
    assert.equal(file.code, 1);
    assert.match(
      file.text,
      /bad\.yaml:2:1: class: must be equal to one of the allowed values \(cart, coldchain, tool\) \[bad-template\]/,
    );

    const noStore = await create('--template', 'line-3', '--class', 'tool');
    assert.equal(noStore.code, 2);
    assert.match(noStore.text, /--store is required when --template names no file/);
    assert.match(noStore.text, /usage: fleetplane provision claim create/);

    const expiry = await create(
      '--template',
      'line-3',
      '--class',
      'tool',
      '--store',
      'berlin-1',
      '--expires',
      'soon',
    );
    assert.equal(expiry.code, 2);
    assert.match(expiry.text, /--expires must be a duration/);

    const unknownStore = await create(
      '--template',
      'line-3',
      '--class',
      'tool',
      '--store',
      'paris-9',
    );
    assert.equal(unknownStore.code, 1);
    assert.match(unknownStore.text, /paris-9/);

    const unknown = await run('provision', 'claim', 'revoke', '--data', data, 'claim-000000000000');
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.text,
      /no claim 'claim-000000000000' \(see provision claim list\) \[unknown-claim\]/,
    );
  });
});
