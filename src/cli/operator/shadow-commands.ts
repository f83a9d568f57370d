import { requireString, type Command, type CommandIo } from '../command.js';
import { cell, jsonObject, printJson, printTable, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { relativeTime } from './relative-time.js';

interface ShadowView {
  deviceId: string;
  desired: Record<string, unknown>;
  desiredVersion: number;
  reported: Record<string, unknown> | null;
  reportedDesiredVersion: number | null;
  reportedAt: string | null;
  delta: Record<string, unknown>;
  inSync: boolean;
  published?: boolean;
}

const DEVICE = { ...TARGET_OPTIONS, device: { type: 'string' } } as const;

export function shadowCommands(): Command[] {
  return [
    {
      path: ['shadow', 'get'],
      summary: "A device's shadow: desired, reported, the delta.",
      usage: `shadow get --device ID ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: DEVICE,
      positional: 'device',
      required: ['device'],
      async run(values, io) {
        const target = await openTarget(values);
        const id = encodeURIComponent(requireString(values, 'device'));
        const shadow = (await target.request('GET', `/v1/devices/${id}/shadow`)) as ShadowView;
        if (wantsJson(values)) return printJson(io, shadow);
        printShadow(io, shadow);
      },
    },
    {
      path: ['shadow', 'set'],
      summary: "Change a device's desired state.",
      usage: `shadow set --device ID --desired JSON ${TARGET_USAGE}`,
      details: [
        'The device gets it now, or when it reconnects.',
        '--desired: a JSON object merged into the desired state; null removes a key,',
        `e.g. '{"telemetry_interval_s": 60}'. Exit 1 when the broker did not take it.`,
        ...TARGET_DETAILS,
      ],
      options: { ...DEVICE, desired: { type: 'string' } },
      positional: 'device',
      required: ['device', 'desired'],
      async run(values, io) {
        const desired = jsonObject(values, 'desired')!;
        const target = await openTarget(values);
        const id = encodeURIComponent(requireString(values, 'device'));
        const shadow = (await target.request('PATCH', `/v1/devices/${id}/shadow`, {
          desired,
        })) as ShadowView;
        if (wantsJson(values)) printJson(io, shadow);
        else printShadow(io, shadow);
        if (shadow.published === false) {
          io.err(
            `The broker did not take desired version ${shadow.desiredVersion} of ${shadow.deviceId}; run this again.`,
          );
          return 1;
        }
      },
    },
  ];
}

function printShadow(io: CommandIo, s: ShadowView): void {
  const reported =
    s.reportedAt === null
      ? 'the device has not reported yet'
      : `the device is at ${cell(s.reportedDesiredVersion)}, reported ${relativeTime(s.reportedAt)}`;
  io.out(
    `${s.deviceId}: desired version ${s.desiredVersion}, ${reported}; ${s.inSync ? 'in sync' : 'not in sync'}.`,
  );
  const keys = [...new Set([...Object.keys(s.desired), ...Object.keys(s.reported ?? {})])].sort();
  printTable(
    io,
    [
      { header: 'KEY' },
      { header: 'DESIRED', min: 10 },
      { header: 'REPORTED', min: 10 },
      { header: 'SYNC' },
    ],
    keys.map((k) => [
      k,
      k in s.desired ? cell(s.desired[k]) : '-',
      s.reported && k in s.reported ? cell(s.reported[k]) : '-',
      k in s.delta ? 'no' : k in s.desired ? 'yes' : '-',
    ]),
    'No state desired or reported yet.',
  );
}
