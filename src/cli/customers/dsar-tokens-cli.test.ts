import assert from 'node:assert/strict';
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture, caDataDir } from '../../../test-support/cli.js';
import { main } from '../main.js';
import { maskCommands } from '../privacy/index.js';
import { customerCommands } from './index.js';

const COMMANDS = [...customerCommands(), ...maskCommands({ interactive: false })];
const MEMBERS =
  'loyalty_number,first_name,last_name,email,phone,address,region\n' +
  '6012345678901111,Ann,Baker,ann@example.com,,,us\n' +
  '6012345678902222,Bea,Cole,bea@example.com,,,us\n';
const RUBRIC =
  'rubric: r\nversion: 1\ncolumns:\n  member: { bucket: quasi-identifier, treatment: token }\n';

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, COMMANDS);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('fleetplane dsar delete and mask detokenize', () => {
  it("refuses the deleted member's tokens as deleted under DSAR and keeps the other's", async (t) => {
    const data = await caDataDir(t);
    await writeFile(join(data, 'members.csv'), MEMBERS);
    await writeFile(join(data, 'r.yaml'), RUBRIC);
    await writeFile(join(data, 'in.csv'), 'member\n6012345678901111\n6012345678902222\n');
    assert.equal(
      (await run('accounts', 'import', '--data', data, '--file', join(data, 'members.csv'))).code,
      0,
    );
    const masked = await run(
      ...['mask', '--rubric', join(data, 'r.yaml'), '--domain', 'loyalty-events'],
      ...['--in', join(data, 'in.csv'), '--out', join(data, 'out.csv'), '--data', data],
    );
    assert.equal(masked.code, 0, masked.err);
    const [, ann, bea] = (await readFile(join(data, 'out.csv'), 'utf8')).split('\n');
    const detokenize = (row: string) =>
      run(
        ...['mask', 'detokenize', '--domain', 'loyalty-events', '--token', row.split(',')[0]!],
        ...['--reason', 'DSAR-9', '--data', data],
      );

    const exported = await run('dsar', 'export', '--data', data, '--loyalty', '6012345678901111');
    assert.deepEqual(JSON.parse(exported.out).tokenDomains, [
      { domain: 'loyalty-events', entries: 1 },
    ]);
    const deleted = await run('dsar', 'delete', '--data', data, '--loyalty', '6012345678901111');
    assert.equal(deleted.code, 0, deleted.err);
    assert.match(deleted.out, /masking tokens destroyed: loyalty-events 1;/);

    const refused = await detokenize(ann!);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /was deleted under DSAR at .*audited.*\[token-erased\]/);
    const kept = await detokenize(bea!);
    assert.equal(kept.code, 0, kept.err);
    assert.equal(kept.out, '6012345678902222');
  });
});
