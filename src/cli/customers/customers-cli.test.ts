import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture, caDataDir } from '../../../test-support/cli.js';
import { main } from '../main.js';
import { customerCommands } from './index.js';

const CSV =
  'loyalty_number,first_name,last_name,email,phone,address,region\n' +
  '6012345678901111,Ann,Baker,ann@example.com,+1 555 0100,1 Main St,us\n' +
  '12,Bad,Row,bad@example.com,,,us\n';

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, customerCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('fleetplane accounts and dsar', () => {
  it('imports members with bad rows by line, exports one as JSON, deletes it, and refuses after', async (t) => {
    const data = await caDataDir(t);
    const file = join(data, 'members.csv');
    await writeFile(file, CSV);
    const imported = await run('accounts', 'import', '--data', data, '--file', file);
    assert.equal(imported.code, 1, 'a rejected row makes the exit status 1');
    assert.match(imported.out, /Imported 1 members \(0 already there\); 1 rejected/);
    assert.match(imported.err, /line 3: loyalty_number is not 8 to 19 digits/);
    const again = await run('accounts', 'import', '--data', data, '--file', file);
    assert.match(again.out, /Imported 0 members \(1 already there\)/);

    const exported = await run('dsar', 'export', '--data', data, '--loyalty', '6012345678901111');
    assert.equal(exported.code, 0, exported.err);
    const doc = JSON.parse(exported.out) as { profile: Record<string, string> };
    assert.equal(doc.profile['email'], 'ann@example.com');

    const refused = await run(
      'dsar',
      'export',
      '--data',
      data,
      '--loyalty',
      '6012345678901111',
      '--region',
      'eu',
    );
    assert.equal(refused.code, 1);
    assert.match(refused.err, /residency-refused/);

    const deleted = await run('dsar', 'delete', '--data', data, '--loyalty', '6012345678901111');
    assert.equal(deleted.code, 0, deleted.err);
    assert.match(deleted.out, /key destroyed true/);
    const after = await run('dsar', 'export', '--data', data, '--loyalty', '6012345678901111');
    assert.equal(after.code, 1);
    assert.match(after.err, /account-not-found/);
  });

  it('answers a bad flag with a usage hint', async (t) => {
    const bad = await run('dsar', 'export', '--data', await caDataDir(t), '--loyalty', 'ann');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--loyalty is 8 to 19 digits/);
    const missing = await run('accounts', 'import', '--data', '/tmp');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--file/);
  });
});
