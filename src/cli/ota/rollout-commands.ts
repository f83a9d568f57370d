import { createHash } from 'node:crypto';
import { readSignedManifest } from '../../domain/ota/signing/index.js';
import {
  UsageError,
  requireString,
  stringOption,
  type Command,
  type CommandIo,
} from '../command.js';
import { dataDir } from '../identity/options.js';
import { callPlatform } from '../platform/platform-client.js';
import { listOption, positiveInteger, readImage } from './ota-options.js';
import { printRolloutStatus, type RolloutStatusView } from './rollout-status-view.js';

const SUBJECT = { subject: 'fleetplane-ota' };
const ROLLOUT_ID = /^[0-9a-f-]{36}$/;

function rolloutId(values: Record<string, unknown>): string {
  const id = values['id'];
  if (typeof id !== 'string' || !ROLLOUT_ID.test(id)) {
    throw new UsageError('--id must be a rollout id (a UUID, as `ota rollout status` lists them)');
  }
  return id;
}

/** A positive number of hours (fractions allowed: tests and demos use minutes). */
function hoursOption(values: Record<string, unknown>, name: string): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(text) || Number(text) <= 0) {
    throw new UsageError(`--${name} must be a number of hours above 0, got '${String(text)}'`);
  }
  return Number(text);
}

/**
 * `fleetplane ota rollout …`: rollouts belong to the running platform (its entity store has one
 * owner), so these commands go through its API, as any script would.
 */
export function otaRolloutCommands(): Command[] {
  return [
    {
      path: ['ota', 'rollout', 'create'],
      summary: 'Upload an image and start a staged rollout of its signed manifest.',
      usage:
        'ota rollout create --data DIR --manifest M --image I [--stores S1,S2] [--hardware REV…] [--devices D1,D2] [--canary D1,D2] [--stage-hours H] [--canary-hours H] [--early-hours H]',
      details: [
        'Stages: canary 10 devices 24 h, 1 % 72 h, then 10 %, 25 % and 100 % (--stage-hours each,',
        'default 24). A stage advances when its time is up and the new version errs no more than',
        '1.5 × the old versions over 30 minutes; otherwise the rollout halts itself. Refused when',
        'some targeted device does not trust the CA generation the image needs.',
        '  --canary      named canary devices instead of the first 10 of the cohort order',
        '  --canary-size N  devices in the canary stage instead of 10',
      ],
      options: {
        data: { type: 'string' },
        manifest: { type: 'string' },
        image: { type: 'string' },
        stores: { type: 'string', multiple: true },
        hardware: { type: 'string', multiple: true },
        devices: { type: 'string', multiple: true },
        canary: { type: 'string', multiple: true },
        'stage-hours': { type: 'string' },
        'canary-hours': { type: 'string' },
        'early-hours': { type: 'string' },
        'canary-size': { type: 'string' },
      },
      required: ['data', 'manifest', 'image'],
      async run(values, io) {
        const dir = dataDir(values);
        const manifest = await readSignedManifest(requireString(values, 'manifest'));
        const image = await readImage(requireString(values, 'image'));
        const sha256 = createHash('sha256').update(image).digest('hex');
        await callPlatform(dir, 'PUT', `/v1/ota/images/${sha256}`, { ...SUBJECT, bytes: image });
        io.err(`Uploaded the image (${image.byteLength} bytes, sha256 ${sha256}).`);
        const body = {
          manifest: { signed: manifest.signedBase64, signature: manifest.signatureBase64 },
          targets: {
            ...nonEmpty('store_ids', listOption(values, 'stores')),
            ...nonEmpty('hardware_revs', listOption(values, 'hardware')),
            ...nonEmpty('device_ids', listOption(values, 'devices')),
          },
          ...nonEmpty('canary_device_ids', listOption(values, 'canary')),
          ...optional('later_stage_hours', hoursOption(values, 'stage-hours')),
          ...optional('canary_hours', hoursOption(values, 'canary-hours')),
          ...optional('early_hours', hoursOption(values, 'early-hours')),
          ...optional('canary_size', positiveInteger(values, 'canary-size')),
        };
        const status = (await callPlatform(dir, 'POST', '/v1/ota/rollouts', {
          ...SUBJECT,
          body,
        })) as RolloutStatusView;
        io.out(`Rollout ${status.rolloutId} started: ${status.targetVersion}.`);
        printRolloutStatus(io, status);
      },
    },
    {
      path: ['ota', 'rollout', 'status'],
      summary: 'Show one rollout stage by stage, or list them all.',
      usage: 'ota rollout status --data DIR [--id ROLLOUT] [--json]',
      options: { data: { type: 'string' }, id: { type: 'string' }, json: { type: 'boolean' } },
      required: ['data'],
      async run(values, io) {
        const dir = dataDir(values);
        if (stringOption(values, 'id') === undefined) {
          const list = (await callPlatform(dir, 'GET', '/v1/ota/rollouts', SUBJECT)) as {
            rollouts: RolloutStatusView[];
          };
          return listRollouts(io, list.rollouts, values['json'] === true);
        }
        const status = (await callPlatform(
          dir,
          'GET',
          `/v1/ota/rollouts/${rolloutId(values)}`,
          SUBJECT,
        )) as RolloutStatusView;
        if (values['json'] === true) io.out(JSON.stringify(status));
        else printRolloutStatus(io, status);
      },
    },
    decision('release', 'Resume a halted rollout (its health window starts again now).'),
    decision('abort', 'Stop a rollout: no more jobs are sent; updated devices stay updated.'),
  ];
}

function decision(action: 'release' | 'abort', summary: string): Command {
  return {
    path: ['ota', 'rollout', action],
    summary,
    usage: `ota rollout ${action} --data DIR --id ROLLOUT [--reason TEXT]`,
    options: { data: { type: 'string' }, id: { type: 'string' }, reason: { type: 'string' } },
    required: ['data', 'id'],
    async run(values, io) {
      const reason = stringOption(values, 'reason');
      const status = (await callPlatform(
        dataDir(values),
        'POST',
        `/v1/ota/rollouts/${rolloutId(values)}/${action}`,
        { ...SUBJECT, body: reason === undefined ? {} : { reason } },
      )) as RolloutStatusView;
      io.out(`Rollout ${status.rolloutId} is ${status.state}.`);
      printRolloutStatus(io, status);
    },
  };
}

function listRollouts(io: CommandIo, rollouts: RolloutStatusView[], json: boolean): void {
  if (json) {
    io.out(JSON.stringify({ rollouts }));
    return;
  }
  if (rollouts.length === 0) {
    io.out('No rollouts yet.');
    return;
  }
  for (const r of rollouts) {
    io.out(
      `${r.rolloutId}  ${r.targetVersion}  ${r.state}  stage ${r.stage.name}  on new version ${r.totals.onNewVersion}/${r.totals.devices}  rolled back ${r.totals.rolledBack}`,
    );
  }
}

function nonEmpty<K extends string>(key: K, list: string[]): Partial<Record<K, string[]>> {
  return list.length > 0 ? ({ [key]: list } as Record<K, string[]>) : {};
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
