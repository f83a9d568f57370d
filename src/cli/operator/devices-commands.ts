import { DEVICE_CLASSES, DEVICE_MESSAGES } from '../../contract/index.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import {
  boundedInteger,
  cell,
  printFields,
  printJson,
  printTable,
  query,
  wantsJson,
} from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { relativeTime } from './relative-time.js';
import { KEY, shortId } from './short-ids.js';

/** A device as GET /v1/devices/:id answers it. */
export interface DeviceView {
  deviceId: string;
  storeId: string;
  deviceClass: string;
  connected: boolean;
  lastSeenAt?: string | null;
  firmwareVersion?: string | null;
  batteryPct?: number | null;
  charging?: boolean | null;
  link?: string | null;
  rssiDbm?: number | null;
  state?: string | null;
  maintenance?: boolean;
  activeSessionId?: string | null;
  lastCounter?: number | null;
}

interface ShadowView {
  desired: Record<string, unknown>;
  desiredVersion: number;
  reportedDesiredVersion?: number | null;
  reportedAt?: string | null;
  delta: Record<string, unknown>;
  inSync: boolean;
}

/** Fields of every event that the history's columns already show or nobody reads. */
const ENVELOPE = new Set(['schema_version', 'device_id', 'type', 'counter', 'ts', 'received_at']);
const MAX_EVENTS = 1000;

const battery = (d: DeviceView, digits?: number) =>
  d.batteryPct === null || d.batteryPct === undefined
    ? '-'
    : `${digits === undefined ? d.batteryPct : d.batteryPct.toFixed(digits)}%${d.charging === true ? '+' : ''}`;

export function devicesCommands(): Command[] {
  return [
    {
      path: ['devices', 'list'],
      summary: 'Every device, with what is true of it now.',
      usage: `devices list ${TARGET_USAGE} [--store STORE] [--class cart|coldchain|tool]`,
      details: [
        'ON: connected now. SEEN: when it last sent. BATT: its last charge, + while charging.',
        ...TARGET_DETAILS,
      ],
      options: { ...TARGET_OPTIONS, store: { type: 'string' }, class: { type: 'string' } },
      async run(values, io) {
        const deviceClass = stringOption(values, 'class');
        if (
          deviceClass !== undefined &&
          !(DEVICE_CLASSES as readonly string[]).includes(deviceClass)
        ) {
          throw new UsageError(`--class must be one of ${DEVICE_CLASSES.join(', ')}`);
        }
        const target = await openTarget(values);
        const body = (await target.request(
          'GET',
          `/v1/devices${query({ store: stringOption(values, 'store'), class: deviceClass })}`,
        )) as { devices: DeviceView[] };
        if (wantsJson(values)) return printJson(io, body);
        printTable(
          io,
          [
            { header: 'DEVICE', min: KEY },
            { header: 'STORE', min: KEY },
            { header: 'CLASS' },
            { header: 'ON' },
            { header: 'SEEN' },
            { header: 'FW' },
            { header: 'BATT', align: 'right' },
            { header: 'STATE' },
          ],
          body.devices.map((d) => [
            d.deviceId,
            d.storeId,
            d.deviceClass,
            d.connected ? 'yes' : 'no',
            relativeTime(d.lastSeenAt),
            d.firmwareVersion ?? '-',
            battery(d, 0),
            d.maintenance === true ? 'maintenance' : (d.state ?? '-'),
          ]),
          'No devices have connected yet.',
        );
      },
    },
    {
      path: ['devices', 'show'],
      summary: 'One device: state, battery, link and shadow.',
      usage: `devices show ID ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: { ...TARGET_OPTIONS, id: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const id = encodeURIComponent(requireString(values, 'id'));
        const target = await openTarget(values);
        const device = (await target.request('GET', `/v1/devices/${id}`)) as DeviceView;
        const shadow = (await target.request('GET', `/v1/devices/${id}/shadow`)) as ShadowView;
        if (wantsJson(values)) return printJson(io, { device, shadow });
        const drift = Object.keys(shadow.delta);
        printFields(io, [
          ['Device', `${device.deviceId} (${device.deviceClass}) in store ${device.storeId}`],
          [
            'Connected',
            `${device.connected ? 'yes' : 'no'}, last seen ${relativeTime(device.lastSeenAt)}${device.lastSeenAt ? ` (${device.lastSeenAt})` : ''}`,
          ],
          ['Firmware', device.firmwareVersion ?? '-'],
          ['Battery', battery(device)],
          [
            'Link',
            `${device.link ?? '-'}${device.rssiDbm === null || device.rssiDbm === undefined ? '' : ` ${device.rssiDbm} dBm`}`,
          ],
          [
            'State',
            `${device.state ?? '-'}${device.maintenance === true ? ', in maintenance' : ''}`,
          ],
          ['Session', device.activeSessionId ?? '-'],
          ['Last counter', cell(device.lastCounter)],
          [
            'Shadow',
            shadow.inSync
              ? `in sync at desired version ${shadow.desiredVersion}`
              : `desired version ${shadow.desiredVersion}, device at ${cell(shadow.reportedDesiredVersion)}; differs in ${drift.join(', ') || 'nothing reported yet'}`,
          ],
        ]);
      },
    },
    {
      path: ['devices', 'history'],
      summary: "A device's latest events, newest first.",
      usage: `devices history ID ${TARGET_USAGE} [--limit N] [--type TYPE]`,
      details: [
        `--limit: how many (1 to ${MAX_EVENTS}, default 50); --type: one message type (health, scan, …).`,
        ...TARGET_DETAILS,
      ],
      options: {
        ...TARGET_OPTIONS,
        id: { type: 'string' },
        limit: { type: 'string' },
        type: { type: 'string' },
      },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const limit = boundedInteger(values, 'limit', MAX_EVENTS);
        const type = stringOption(values, 'type');
        if (type !== undefined && !(type in DEVICE_MESSAGES)) {
          throw new UsageError(`--type must be a device message type, e.g. health or scan`);
        }
        const id = encodeURIComponent(requireString(values, 'id'));
        const target = await openTarget(values);
        const body = (await target.request(
          'GET',
          `/v1/devices/${id}/events${query({ limit, type })}`,
        )) as { events: Record<string, unknown>[] };
        if (wantsJson(values)) return printJson(io, body);
        printTable(
          io,
          [
            { header: 'COUNTER', align: 'right' },
            { header: 'TYPE' },
            { header: 'RECEIVED' },
            { header: 'DETAIL', min: 20 },
          ],
          body.events.map((e) => [
            cell(e['counter']),
            cell(e['type']),
            relativeTime(typeof e['received_at'] === 'string' ? e['received_at'] : null),
            Object.entries(e)
              .filter(([k]) => !ENVELOPE.has(k))
              .map(([k, v]) => `${k}=${typeof v === 'string' ? shortId(v) : cell(v)}`)
              .join(' '),
          ]),
          `No events from ${decodeURIComponent(id)}${type ? ` of type ${type}` : ''} yet.`,
        );
      },
    },
  ];
}
