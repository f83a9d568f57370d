// How long a DSAR takes to find and erase one person's entries in the masking token store
// (decision 062): a store of RUNS segments of PER_RUN tokens each in one domain, the person's
// loyalty number in one of them. Run: npx tsx bench/dsar-tokens.bench.ts [RUNS] [PER_RUN]
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SubjectTokenStore,
  TokenSegment,
  makeTokenizer,
  tokenKeyName,
  tokensDir,
} from '../src/domain/privacy/masking/index.js';
import { LocalKeyring } from '../src/stores/keys/index.js';

const runs = Number(process.argv[2] ?? 5);
const perRun = Number(process.argv[3] ?? 40_000);
const domain = 'loyalty-events';
const data = await mkdtemp(join(tmpdir(), 'bench-dsar-tokens-'));
try {
  const keys = new LocalKeyring(data);
  const tokenize = makeTokenizer(domain, await keys.dataKey(tokenKeyName(domain)));
  const person = '6012345678905555';
  for (let r = 0; r < runs; r++) {
    const segment = await TokenSegment.open(data, domain, `run-${r}`, keys);
    for (let i = 0; i < perRun; i++) {
      const value =
        r === runs - 1 && i === perRun / 2 ? person : `60${r}${String(i).padStart(14, '0')}`;
      await segment.record(tokenize(value), value);
    }
    await segment.close();
  }
  const bytes = (await stat(join(tokensDir(data, domain), 'run-0.jsonl'))).size * runs;
  const store = new SubjectTokenStore(data, keys);
  const time = async <T>(work: () => Promise<T>) => {
    const started = process.hrtime.bigint();
    const result = await work();
    return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  };
  const found = await time(() => store.find([person, 'a1b2c3d4-0000-4000-8000-000000000000']));
  const erased = await time(() => store.erase([person], new Date()));
  console.log(
    JSON.stringify({
      node: process.version,
      entries: runs * perRun,
      store_mb: +(bytes / 1e6).toFixed(1),
      find_ms: Math.round(found.ms),
      erase_ms: Math.round(erased.ms),
      erased: erased.result,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    }),
  );
} finally {
  await rm(data, { recursive: true, force: true });
}
