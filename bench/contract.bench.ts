// The wire contract's hot path on this machine: schema validations per second (TypeBox's compiler
// and Ajv on the same schema), full key-free decodes per second, and ECDSA P-256 sign/verify on
// one core and on all cores. The all-core verification figure is the ceiling later ingest
// benchmarks measure against. Ends with one JSON line.
import { generateKeyPairSync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import Ajv from 'ajv';
import { Compile } from 'typebox/compile';
import { decodeDeviceMessage } from '../src/contract/decode.js';
import { DEVICE_EXAMPLES } from '../src/contract/examples.js';
import { publishedSchemas } from '../src/contract/json-schema.js';
import { Scan } from '../src/contract/messages/scan.js';
import { validateDeviceMessage } from '../src/contract/validate.js';
import { measureVerifyCeiling } from './verify-ceiling.js';
import { encodeSigned, signBody, verifyBody } from '../src/contract/wire.js';
import { fmt, opsPerSecond } from './measure.js';

const ms = Number(process.env['BENCH_MS'] ?? 1500);
const cores = availableParallelism();
const step = (label: string) => process.stderr.write(`… ${label}\n`);

console.log(
  `fleetplane contract benchmark — Node ${process.version}, OpenSSL ${process.versions.openssl}, ${cores} cores, ${ms} ms per figure`,
);

const scan = structuredClone(DEVICE_EXAMPLES.scan);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const payload = encodeSigned(scan, (b) => signBody(b, privateKey));
const decoded = decodeDeviceMessage(payload);
if (!decoded.ok) throw new Error('example did not decode');
const { body, signature } = decoded;

step('schema validation, TypeBox compiled');
const typebox = Compile(Scan);
const typeboxPerSec = opsPerSecond(() => typebox.Check(scan), ms);
step('schema validation, Ajv compiled');
const ajvValidate = new Ajv.default({ strict: true }).compile(
  publishedSchemas()['scan.schema.json']!,
);
const ajvPerSec = opsPerSecond(() => ajvValidate(scan), ms);
step('contract validate (TypeBox + real-instant check)');
const contractPerSec = opsPerSecond(() => validateDeviceMessage('scan', scan), ms);
step('full decode: size, split, UTF-8, JSON.parse, version, type, schema');
const decodePerSec = opsPerSecond(() => decodeDeviceMessage(payload), ms);
step('ECDSA P-256 sign, one core');
const signPerSec = opsPerSecond(() => signBody(body, privateKey), ms);
step('ECDSA P-256 verify, one core');
const verifyPerSec = opsPerSecond(() => verifyBody(body, signature, publicKey), ms);
step(`ECDSA P-256 verify, ${cores} worker threads`);
const verifyAllCores = await measureVerifyCeiling(ms, cores);

const rows: [string, number][] = [
  ['scan schema validations/s, TypeBox compiled', typeboxPerSec],
  ['scan schema validations/s, Ajv compiled', ajvPerSec],
  ['scan validateDeviceMessage/s (contract)', contractPerSec],
  [`scan full decodes/s (${payload.length}-byte payload)`, decodePerSec],
  ['ECDSA P-256 signs/s, one core', signPerSec],
  ['ECDSA P-256 verifications/s, one core', verifyPerSec],
  [`ECDSA P-256 verifications/s, ${cores} cores (ingest ceiling)`, verifyAllCores],
];
const width = Math.max(...rows.map(([l]) => l.length));
for (const [label, value] of rows)
  console.log(`${label.padEnd(width)}  ${fmt(value).padStart(12)}`);
console.log(
  `decode costs ${((verifyPerSec / decodePerSec) * 100).toFixed(1)} % of a verification: the signature, not the schema, bounds ingest.`,
);
console.log(
  JSON.stringify({
    bench: 'contract',
    node: process.version,
    openssl: process.versions.openssl,
    cores,
    payload_bytes: payload.length,
    validate_typebox_per_s: Math.round(typeboxPerSec),
    validate_ajv_per_s: Math.round(ajvPerSec),
    validate_contract_per_s: Math.round(contractPerSec),
    decode_per_s: Math.round(decodePerSec),
    ecdsa_sign_per_s_1core: Math.round(signPerSec),
    ecdsa_verify_per_s_1core: Math.round(verifyPerSec),
    ecdsa_verify_per_s_all_cores: Math.round(verifyAllCores),
  }),
);
