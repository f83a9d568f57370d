import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apiRequest } from '../../../test-support/api-client.js';
import {
  fleetDataDir,
  importMembersCsv,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { detokenize, parseRubric, runMaskJob } from '../../domain/privacy/masking/index.js';
import { LocalKeyring } from '../../stores/keys/index.js';
import { issueToken, loadTokenKeys } from './tokens.js';

const ANN = '6012345678904321';
const BEA = '6012345678908765';

// The privacy officer's DSAR route on a running platform reaches the token store that
// `fleetplane mask` filled in the same data directory.
describe('HTTP API: a DSAR deletion reaches the masking token store', () => {
  it("lists the member's token domains on export and destroys their entries on delete", async (t) => {
    const data = await fleetDataDir(t);
    await importMembersCsv(
      t,
      data,
      'loyalty_number,first_name,last_name,email,phone,address,region\n' +
        `${ANN},Ann,Baker,ann@example.com,,,eu\n${BEA},Bea,Cole,bea@example.com,,,eu\n`,
    );
    const work = await tempDir(t);
    await writeFile(join(work, 'in.csv'), `member,visits\n${ANN},3\n${BEA},5\n`);
    const keys = new LocalKeyring(data);
    await runMaskJob({
      rubric: parseRubric(
        'rubric: r\nversion: 1\ncolumns:\n  member: { bucket: quasi-identifier, treatment: token }\n  visits: { bucket: behavioral, treatment: keep, reason: "visit frequency" }\n',
        'r.yaml',
      ),
      domain: 'loyalty-events',
      keys,
      dataDir: data,
      input: join(work, 'in.csv'),
      output: join(work, 'out.csv'),
      now: () => new Date(),
    });
    const [, annToken, beaToken] = (await readFile(join(work, 'out.csv'), 'utf8'))
      .split('\n')
      .map((line) => line.split(',')[0]!);
    const platform = await startTestPlatform(t, data);
    const privacy = await issueToken(
      await loadTokenKeys(platform.layout.tokenKey),
      { role: 'privacy', region: 'eu', subject: 'dpo-eu' },
      new Date(),
    );
    const dsar = (kind: string) =>
      apiRequest(platform, 'POST', '/v1/privacy/requests', {
        token: privacy,
        body: { kind, loyalty_number: ANN },
      });

    const exported = await dsar('export');
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    assert.deepEqual(exported.body['tokenDomains'], [{ domain: 'loyalty-events', entries: 1 }]);
    const deleted = await dsar('delete');
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.deepEqual(deleted.body['tokensErased'], [{ domain: 'loyalty-events', entries: 1 }]);

    const lookup = (token: string) =>
      detokenize(
        { dataDir: data, domain: 'loyalty-events', token, reason: 'DSAR check', now: new Date() },
        keys,
      );
    await assert.rejects(lookup(annToken!), (e) => isFailure(e) && e.code === 'token-erased');
    assert.equal((await lookup(beaToken!)).value, BEA);
  });
});
