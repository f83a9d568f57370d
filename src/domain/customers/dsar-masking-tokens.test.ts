import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { customerWorld } from '../../../test-support/customer-world.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { LocalKeyring } from '../../stores/keys/index.js';
import { isFailure } from '../../shared/failure.js';
import { detokenize, parseRubric, runMaskJob } from '../privacy/masking/index.js';
import { importMembers } from './members-import.js';
import { parseMembersCsv } from './members-csv.js';

const CLI = { role: 'cli', subject: 'test' };
const DPO = { actor: { role: 'privacy', subject: 'dpo-us' }, region: 'us' as const };
const MEMBERS =
  'loyalty_number,first_name,last_name,email,phone,address,region\n' +
  '6012345678905555,Ann,Baker,ann.baker@example.com,+1 555 0100,,us\n' +
  '6012345678906666,Bea,Cole,bea.cole@example.com,,,us\n';

// Two data domains tokenise the people's identifiers: loyalty events by loyalty number and
// account id, support tickets by e-mail (lower-cased by the rubric, as it arrives mixed-case).
const EVENTS = `
rubric: loyalty-events
version: 1
columns:
  loyalty_number: { bucket: quasi-identifier, treatment: token }
  account: { bucket: quasi-identifier, treatment: token }
  basket_total: { bucket: behavioral, treatment: keep, reason: "basket size analytics" }
`;
const TICKETS = `
rubric: support-tickets
version: 1
columns:
  contact: { bucket: quasi-identifier, treatment: token, normalize: lowercase }
  topic: { bucket: behavioral, treatment: keep, reason: "which topics customers raise" }
`;

async function world(t: Parameters<typeof customerWorld>[0]) {
  const w = await customerWorld(t, { 'austin-1': 'us' });
  await importMembers(parseMembersCsv(MEMBERS).rows, CLI, w);
  const ann = (await w.dsar.findByLoyalty('6012345678905555'))!;
  const bea = (await w.dsar.findByLoyalty('6012345678906666'))!;
  const work = await tempDir(t);
  const at = new Date('2026-11-23T09:00:00Z');
  // Through the real masking job: it derives the tokens and writes the mapping segments.
  const mask = async (rubric: string, domain: string, lines: string[]) => {
    const input = join(work, `${domain}.csv`);
    const output = join(work, `${domain}.masked.csv`);
    await writeFile(input, lines.join('\n') + '\n');
    await runMaskJob({
      rubric: parseRubric(rubric, `${domain}.rubric.yaml`),
      domain,
      keys: w.keys,
      dataDir: w.dataDir,
      input,
      output,
      now: () => at,
    });
    return parse(await readFile(output, 'utf8'), { columns: true }) as Record<string, string>[];
  };
  const events = [
    'loyalty_number,account,basket_total',
    `6012345678905555,${ann},41.20`,
    `6012345678906666,${bea},12.00`,
  ];
  const tickets = ['contact,topic', 'Ann.Baker@Example.com,refund'];
  const [annEvent, beaEvent] = await mask(EVENTS, 'loyalty-events', events);
  const [annTicket] = await mask(TICKETS, 'support-tickets', tickets);
  const lookup = (domain: string, token: string, keys = w.keys) =>
    detokenize({ dataDir: w.dataDir, domain, token, reason: 'DSAR test', now: at }, keys);
  return {
    ...w,
    ann,
    bea,
    tokens: {
      annLoyalty: annEvent!['loyalty_number']!,
      annAccount: annEvent!['account']!,
      annEmail: annTicket!['contact']!,
      beaLoyalty: beaEvent!['loyalty_number']!,
    },
    lookup,
    remask: () => mask(EVENTS, 'loyalty-events', events),
    maskTickets: (lines: string[]) => mask(TICKETS, 'support-tickets', lines),
  };
}

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (isFailure(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
}

async function segmentText(dataDir: string): Promise<string> {
  const root = join(dataDir, 'privacy', 'tokens');
  let text = '';
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) text += await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return text;
}

describe('DSAR and the masking token store', () => {
  it('exports which token domains hold entries for the person, never the values', async (t) => {
    const w = await world(t);
    const ann = await w.dsar.export(w.ann, DPO);
    assert.deepEqual(ann.tokenDomains, [
      { domain: 'loyalty-events', entries: 2 },
      { domain: 'support-tickets', entries: 1 },
    ]);
    const bea = await w.dsar.export(w.bea, DPO);
    assert.deepEqual(bea.tokenDomains, [{ domain: 'loyalty-events', entries: 2 }]);
    assert.ok(!JSON.stringify(ann.tokenDomains).includes(w.tokens.annLoyalty));
  });

  it("deletion destroys the person's entries, audited; their tokens are refused, others' work", async (t) => {
    const w = await world(t);
    assert.equal(
      await (
        await w.lookup('loyalty-events', w.tokens.annLoyalty)
      ).value,
      '6012345678905555',
    );
    const report = await w.dsar.delete(w.ann, DPO);
    assert.deepEqual(report.tokensErased, [
      { domain: 'loyalty-events', entries: 2 },
      { domain: 'support-tickets', entries: 1 },
    ]);
    const [audit] = await w.audit.query({ accountId: w.ann, action: 'delete' });
    assert.equal(audit?.detail?.['token_domains'], 'loyalty-events,support-tickets');
    assert.equal(audit?.detail?.['token_entries'], 3);
    for (const [domain, token] of [
      ['loyalty-events', w.tokens.annLoyalty],
      ['loyalty-events', w.tokens.annAccount],
      ['support-tickets', w.tokens.annEmail],
    ] as const) {
      assert.match(await refusal(w.lookup(domain, token)), /^token-erased: .*deleted under DSAR/);
    }
    assert.equal((await w.lookup('loyalty-events', w.tokens.beaLoyalty)).value, '6012345678906666');
    const text = await segmentText(w.dataDir);
    for (const token of [w.tokens.annLoyalty, w.tokens.annAccount, w.tokens.annEmail]) {
      assert.ok(!text.includes(token), `${token} is gone from the mapping segments`);
    }
    assert.ok(text.includes(w.tokens.beaLoyalty));
    const records = await Promise.all(
      (await readdir(join(w.dataDir, 'privacy', 'audit', 'detokenize'))).map(async (f) =>
        JSON.parse(await readFile(join(w.dataDir, 'privacy', 'audit', 'detokenize', f), 'utf8')),
      ),
    );
    const refused = records.filter((r) => r.refused === 'deleted under DSAR');
    assert.deepEqual(
      refused.map((r) => r.token).sort(),
      [w.tokens.annLoyalty, w.tokens.annAccount, w.tokens.annEmail].sort(),
      'each refusal is audited',
    );
    assert.ok(
      refused.every((r) => r.found === false && r.erased_at === '2026-11-23T09:00:00.000Z'),
    );
    assert.equal((await w.audit.verify()).ok, true);
  });

  it('keeps the deletion after a restart, and a later masking run does not record them again', async (t) => {
    const w = await world(t);
    await w.dsar.delete(w.ann, DPO);
    const reopened = new LocalKeyring(w.dataDir);
    assert.match(
      await refusal(w.lookup('loyalty-events', w.tokens.annLoyalty, reopened)),
      /^token-erased/,
    );
    await w.remask();
    // Her phone number was never tokenised before the deletion; it is not recorded after it.
    const [phone] = await w.maskTickets(['contact,topic', '+1 555 0100,callback']);
    const text = await segmentText(w.dataDir);
    assert.ok(!text.includes(w.tokens.annLoyalty) && !text.includes(w.tokens.annAccount));
    assert.ok(!text.includes(phone!['contact']!), 'a token of hers never held is not recorded');
    assert.match(
      await refusal(w.lookup('loyalty-events', w.tokens.annAccount, reopened)),
      /^token-erased/,
    );
    assert.equal(
      (await w.lookup('loyalty-events', w.tokens.beaLoyalty, reopened)).value,
      '6012345678906666',
    );
  });
});
