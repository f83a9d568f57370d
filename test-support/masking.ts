// Helpers for masking tests: a small rubric, a keyring on a temp directory with a movable clock,
// and a CSV file written from rows.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { LocalKeyring } from '../src/stores/keys/index.js';
import { parseRubric, runMaskJob, type JobOptions } from '../src/domain/privacy/masking/index.js';
import { TestClock } from './identity.js';
import { tempDir } from './temp-dir.js';

export const RUBRIC_V1 = `
rubric: test-telemetry
version: 1
columns:
  recorded_at: { bucket: sensitive, treatment: truncate-time, unit: hour }
  tool_serial: { bucket: direct-identifier, treatment: hmac }
  operator_email: { bucket: direct-identifier, treatment: hmac, normalize: lowercase }
  operator_name: { bucket: quasi-identifier, treatment: token }
  gps_lat: { bucket: sensitive, treatment: grid, step: 0.01 }
  age: { bucket: sensitive, treatment: bin, width: 5 }
  battery_pct: { bucket: behavioral, treatment: keep, reason: "pack replacement planning" }
  site_code: { bucket: behavioral, treatment: keep, reason: "site-level utilisation reports" }
  notes: { bucket: free-text, treatment: redact }
`;

export const HEADER =
  'recorded_at,tool_serial,operator_email,operator_name,gps_lat,age,battery_pct,site_code,notes';
export const ROWS = [
  '2026-05-10T09:41:27Z,TL-0001,Ana.Lima@example.com,Ana Lima,51.50741,37,88,S1,Call Ana Lima on +44 7700 900123',
  '2026-05-10T10:05:00Z,TL-0002,ana.lima@example.com,Kwame Mensah,-33.86881,22,40,S2,',
  '2026-05-10T10:59:59Z,TL-0001,bo@example.org,Ana Lima,48.85661,64,12,S1,torque 45 Nm ok',
];

export async function maskingFixture(t: TestContext, rubricText = RUBRIC_V1) {
  const data = await tempDir(t);
  const work = await tempDir(t);
  const clock = new TestClock(new Date('2026-05-10T12:00:00Z'));
  const keys = new LocalKeyring(data, clock.now);
  const rubric = parseRubric(rubricText, 'test.rubric.yaml');
  const csv = async (name: string, lines: readonly string[]) => {
    const path = join(work, name);
    await writeFile(path, lines.join('\n') + '\n');
    return path;
  };
  const input = await csv('in.csv', [HEADER, ...ROWS]);
  const mask = (over: Partial<JobOptions> = {}) =>
    runMaskJob({
      rubric,
      domain: 'tool-telemetry',
      keys,
      dataDir: data,
      input,
      output: join(work, 'out.csv'),
      now: clock.now,
      ...over,
    });
  return { data, work, clock, keys, rubric, input, csv, mask };
}
