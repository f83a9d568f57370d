import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { capture } from '../../../test-support/cli.js';
import { runCli } from '../../../test-support/platform.js';
import { allCommands } from '../commands.js';
import { main } from '../main.js';
import { detokenize, parseRubric, runMaskJob } from '../../domain/privacy/masking/index.js';
import { isFailure } from '../../shared/failure.js';
import { LocalKeyring } from '../../stores/keys/index.js';
import { openVaults } from '../../stores/vault/open-vault.js';
import { readArchive, walk } from '../../platform/backup/archive.js';

// Ann shops in Berlin (EU), Bea in Austin (US).
const ANN = '6012345678905555';
const BEA = '6012345678906666';
const MEMBERS =
  'loyalty_number,first_name,last_name,email,phone,address,region\n' +
  `${ANN},Ann,Baker,ann.baker@example.com,+49 30 1234567,,eu\n` +
  `${BEA},Bea,Cole,bea.cole@example.com,,,us\n`;
const RUBRIC = `
rubric: loyalty-events
version: 1
columns:
  loyalty_number: { bucket: quasi-identifier, treatment: token }
  basket_total: { bucket: behavioral, treatment: keep, reason: "basket size analytics" }
`;
const DOMAIN = 'loyalty-events';

async function fleetplane(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, allCommands);
  return { code, out: io.stdout.join('\n'), text: io.text() };
}

async function ok(...argv: string[]): Promise<string> {
  const run = await fleetplane(...argv);
  assert.equal(run.code, 0, run.text);
  return run.out;
}

/** Every file of every set, unpacked: what a grep of the backup would search. */
async function setContents(file: string, into: string): Promise<Buffer> {
  await readArchive(file, into);
  const parts: Buffer[] = [];
  for (const path of await walk(join(into, 'files'))) {
    parts.push(Buffer.from(path), await readFile(join(into, 'files', path)));
  }
  return Buffer.concat(parts);
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

describe('backups and the rights of the people in them', () => {
  let work: string;
  let data: string;
  let ann: { id: string; emailCt: string; loyaltyToken: string };
  let beaEmailCt: string;
  let sets: Record<string, string>;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'fleetplane-backup-dsar-'));
    data = join(work, 'data');
    await runCli('ca', 'init', '--data', data);
    await runCli(
      'store',
      'add',
      '--data',
      data,
      '--id',
      'berlin-1',
      '--name',
      'Berlin 1',
      '--region',
      'eu',
    );
    await writeFile(join(work, 'members.csv'), MEMBERS);
    await ok('accounts', 'import', '--data', data, '--file', join(work, 'members.csv'));
    await writeFile(
      join(work, 'events.csv'),
      `loyalty_number,basket_total\n${ANN},41.20\n${BEA},12.00\n`,
    );
    await runMaskJob({
      rubric: parseRubric(RUBRIC, 'loyalty-events.rubric.yaml'),
      domain: DOMAIN,
      keys: new LocalKeyring(data),
      dataDir: data,
      input: join(work, 'events.csv'),
      output: join(work, 'events.masked.csv'),
      now: () => new Date(),
    });
    const masked = parse(await readFile(join(work, 'events.masked.csv'), 'utf8'), {
      columns: true,
    }) as {
      loyalty_number: string;
    }[];
    const exported = JSON.parse(
      await ok('dsar', 'export', '--data', data, '--loyalty', ANN, '--region', 'eu'),
    ) as {
      customerId?: string;
      account?: { customerId?: string };
    };
    const id = exported.customerId ?? exported.account?.customerId;
    assert.ok(id, `no customer id in ${JSON.stringify(exported).slice(0, 300)}`);
    const beaExport = JSON.parse(
      await ok('dsar', 'export', '--data', data, '--loyalty', BEA, '--region', 'us'),
    ) as {
      customerId?: string;
      account?: { customerId?: string };
    };
    const beaId = (beaExport.customerId ?? beaExport.account?.customerId)!;
    const vaults = await openVaults({ dataDir: data });
    try {
      ann = {
        id,
        emailCt: (await vaults.get('eu')!.getAccount(id))!.fields.email!.ct,
        loyaltyToken: masked[0]!.loyalty_number,
      };
      beaEmailCt = (await vaults.get('us')!.getAccount(beaId))!.fields.email!.ct;
    } finally {
      for (const vault of vaults.values()) await vault.close();
    }
    const summary = JSON.parse(
      await ok('backup', '--data', data, '--out', join(work, 'before', 'fleet.tar.gz'), '--json'),
    ) as { sets: { set: string; file: string }[]; unknown: string[] };
    sets = Object.fromEntries(summary.sets.map((s) => [s.set, s.file]));
    assert.deepEqual(Object.keys(sets).sort(), ['core', 'keys', 'vault-eu', 'vault-us']);
    assert.deepEqual(summary.unknown, []);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("keeps an EU customer's vault data in the EU set and in no other", async () => {
    const contents: Record<string, Buffer> = {};
    for (const [set, file] of Object.entries(sets)) {
      contents[set] = await setContents(file, join(work, 'grep', set));
    }
    // The grep can find what it looks for: each region's ciphertext is in its own set.
    assert.ok(contents['vault-eu']!.includes(ann.emailCt), "Ann's sealed e-mail is in the EU set");
    assert.ok(
      contents['vault-eu']!.includes(uuidBytes(ann.id)),
      "Ann's vault row is in the EU set",
    );
    assert.ok(contents['vault-us']!.includes(beaEmailCt), "Bea's sealed e-mail is in the US set");
    for (const set of ['core', 'keys', 'vault-us']) {
      assert.ok(!contents[set]!.includes(ann.emailCt), `Ann's sealed e-mail is in the ${set} set`);
    }
    assert.ok(!contents['vault-us']!.includes(uuidBytes(ann.id)), 'the US set has a row of Ann');
    assert.ok(!contents['vault-eu']!.includes(beaEmailCt), "Bea's sealed e-mail is in the EU set");
    for (const [set, bytes] of Object.entries(contents)) {
      assert.ok(!bytes.includes('ann.baker@example.com'), `Ann's e-mail in the clear in ${set}`);
    }
  });

  it('restores a backup taken before a DSAR deletion with the account unreadable and its tokens gone', async () => {
    const lookup = () =>
      detokenize(
        {
          dataDir: data,
          domain: DOMAIN,
          token: ann.loyaltyToken,
          reason: 'backup test',
          now: new Date(),
        },
        new LocalKeyring(data),
      );
    assert.equal((await lookup()).value, ANN);
    await ok('dsar', 'delete', '--data', data, '--loyalty', ANN, '--region', 'eu');
    // The keys alone, taken after the deletion, as an operator backs them up apart and more often.
    await ok(
      'backup',
      '--data',
      data,
      '--out',
      join(work, 'after', 'fleet.tar.gz'),
      '--sets',
      'keys',
    );

    const restored = JSON.parse(
      await ok('restore', '--from', sets['core']!, '--data', data, '--force', '--json'),
    ) as {
      erasedAccounts: number;
      tokenEntriesPurged: number;
      keysKept: number;
      movedAside: string;
    };
    assert.equal(restored.erasedAccounts, 1);
    assert.equal(restored.tokenEntriesPurged, 1);
    assert.ok(restored.keysKept > 0);

    // Bea came back with the backup; Ann's row came back too, but her key did not.
    assert.match(
      await ok('dsar', 'export', '--data', data, '--loyalty', BEA, '--region', 'us'),
      /bea\.cole@example\.com/,
    );
    const annExport = await fleetplane(
      'dsar',
      'export',
      '--data',
      data,
      '--loyalty',
      ANN,
      '--region',
      'eu',
    );
    assert.notEqual(annExport.code, 0, annExport.text);
    assert.match(annExport.text, /erased|destroyed/);
    assert.doesNotMatch(annExport.text, /ann\.baker@example\.com/);
    await assert.rejects(lookup(), (e: unknown) => isFailure(e) && e.code === 'token-erased');
    const segments = await walk(join(data, 'privacy', 'tokens'));
    assert.ok(segments.length > 0);
    for (const segment of segments) {
      const text = await readFile(join(data, 'privacy', 'tokens', segment), 'utf8');
      assert.ok(!text.includes(ann.loyaltyToken), `${segment} still maps Ann's token`);
    }

    // Deleting again unlinks the restored tier 2 record; the key stays destroyed.
    assert.match(
      await ok('dsar', 'delete', '--data', data, '--loyalty', ANN, '--region', 'eu'),
      /key destroyed false/,
    );
    const afterAgain = await fleetplane(
      'dsar',
      'export',
      '--data',
      data,
      '--loyalty',
      ANN,
      '--region',
      'eu',
    );
    assert.match(afterAgain.text, /account-not-found/);

    // A new directory has no keys of its own: the later keys set carries the destroyed key.
    const fresh = join(work, 'fresh');
    await ok(
      'restore',
      '--from',
      sets['core']!,
      '--data',
      fresh,
      '--keys',
      join(work, 'after', 'fleet.keys.tar.gz'),
    );
    const freshExport = await fleetplane(
      'dsar',
      'export',
      '--data',
      fresh,
      '--loyalty',
      ANN,
      '--region',
      'eu',
    );
    assert.notEqual(freshExport.code, 0, freshExport.text);
    assert.match(
      await ok('dsar', 'export', '--data', fresh, '--loyalty', BEA, '--region', 'us'),
      /bea\.cole/,
    );
  });
});
