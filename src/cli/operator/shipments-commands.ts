import type {
  ExcursionView,
  ShipmentView,
} from '../../stores/entities/coldchain/coldchain-records.js';
import {
  UsageError,
  requireString,
  stringOption,
  type Command,
  type CommandIo,
  type OptionValues,
} from '../command.js';
import { boundedInteger, printFields, printJson, printTable, query, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { compactDuration } from './relative-time.js';

const MAX_PAGE = 1000;
const ID = /^[A-Za-z0-9._-]{1,64}$/;

interface ShipmentChange {
  readonly shipment: ShipmentView;
  readonly shadowPending: string[];
}

function shipmentId(values: OptionValues): string {
  const id = requireString(values, 'id');
  if (!ID.test(id)) throw new UsageError(`ID must be 1–64 of A-Z a-z 0-9 . _ -, got '${id}'`);
  return id;
}

function printShipment(io: CommandIo, s: ShipmentView): void {
  const p = s.profile;
  const range = [
    p.minTempC === null ? '' : `≥ ${p.minTempC} °C`,
    p.maxTempC === null ? '' : `≤ ${p.maxTempC} °C`,
  ]
    .filter(Boolean)
    .join(', ');
  printFields(io, [
    ['Shipment', s.shipmentId],
    [
      'Profile',
      `${p.profileId} (${range}${p.maxHumidityPct === null ? '' : `, humidity ≤ ${p.maxHumidityPct} %`}${p.maxShockG === null ? '' : `, shock ≤ ${p.maxShockG} g`})`,
    ],
    ['Sensors', s.deviceIds.join(', ')],
    ['Started', s.startedAt],
    ['Closed', s.closedAt === null ? 'open' : `${s.closedAt} by ${s.closedBy ?? '-'}`],
    ['Readings', String(s.readings)],
    ['Excursions', `${s.excursions} (${s.openExcursions} open)`],
  ]);
}

function printExcursions(io: CommandIo, excursions: readonly ExcursionView[], empty: string): void {
  printTable(
    io,
    [
      { header: 'SHIPMENT' },
      { header: 'DEVICE' },
      { header: 'KIND' },
      { header: 'STARTED' },
      { header: 'DURATION' },
      { header: 'PEAK' },
      { header: 'LIMIT' },
      { header: 'READINGS' },
    ],
    excursions.map((e) => [
      e.shipmentId,
      e.deviceId,
      e.kind,
      e.startedAt,
      e.durationS === null ? 'open' : compactDuration(e.durationS * 1000),
      String(e.peak),
      String(e.limit),
      String(e.readings),
    ]),
    empty,
  );
}

/** Shipments and their excursions (decision 046), through the API of a running platform. */
export function shipmentsCommands(): Command[] {
  return [
    {
      path: ['shipments', 'create'],
      summary: 'Create a shipment under a product profile and bind its cold-chain sensors.',
      usage: `shipments create ID --profile P --devices A,B [--start TIME] ${TARGET_USAGE}`,
      details: [
        '--profile: chilled (2–8 °C), frozen (≤ −18 °C), ambient, or one added through the API.',
        "--devices: the sensors' ids, comma-separated; each gets desired shipment_id in its shadow.",
        "--start: readings from this ISO time on are the shipment's (default now).",
        ...TARGET_DETAILS,
      ],
      options: {
        ...TARGET_OPTIONS,
        id: { type: 'string' },
        profile: { type: 'string' },
        devices: { type: 'string' },
        start: { type: 'string' },
      },
      positional: 'id',
      required: ['id', 'profile', 'devices'],
      async run(values, io) {
        const id = shipmentId(values);
        const devices = requireString(values, 'devices')
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean);
        const bad = devices.find((d) => !ID.test(d));
        if (devices.length === 0 || bad !== undefined) {
          throw new UsageError(
            `--devices must list sensor ids separated by commas${bad ? `; '${bad}' is not one` : ''}`,
          );
        }
        const start = stringOption(values, 'start');
        if (start !== undefined && Number.isNaN(Date.parse(start))) {
          throw new UsageError(
            `--start must be an ISO time (2026-12-01T08:00:00Z), got '${start}'`,
          );
        }
        const target = await openTarget(values);
        const made = (await target.request('POST', '/v1/shipments', {
          id,
          profile: requireString(values, 'profile'),
          devices,
          ...(start ? { start: new Date(start).toISOString() } : {}),
        })) as ShipmentChange;
        if (wantsJson(values)) return printJson(io, made);
        io.out(
          `Created shipment ${id} (${made.shipment.profile.profileId}) with ${devices.join(', ')}.`,
        );
        if (made.shadowPending.length > 0) {
          io.out(
            `Not yet connected (shadow set when they are bound again): ${made.shadowPending.join(', ')}`,
          );
        }
      },
    },
    {
      path: ['shipments', 'list'],
      summary: 'Shipments, the latest start first.',
      usage: `shipments list [--open | --closed] [--limit N] ${TARGET_USAGE}`,
      details: [`--limit: 1 to ${MAX_PAGE} (default 100).`, ...TARGET_DETAILS],
      options: {
        ...TARGET_OPTIONS,
        open: { type: 'boolean' },
        closed: { type: 'boolean' },
        limit: { type: 'string' },
      },
      async run(values, io) {
        if (values['open'] === true && values['closed'] === true) {
          throw new UsageError('--open and --closed exclude each other');
        }
        const open =
          values['open'] === true ? 'true' : values['closed'] === true ? 'false' : undefined;
        const limit = boundedInteger(values, 'limit', MAX_PAGE);
        const target = await openTarget(values);
        const { shipments } = (await target.request(
          'GET',
          `/v1/shipments${query({ open, limit })}`,
        )) as {
          shipments: ShipmentView[];
        };
        if (wantsJson(values)) return printJson(io, { shipments });
        printTable(
          io,
          [
            { header: 'SHIPMENT' },
            { header: 'PROFILE' },
            { header: 'SENSORS' },
            { header: 'STARTED' },
            { header: 'STATE' },
            { header: 'READINGS' },
            { header: 'EXCURSIONS' },
          ],
          shipments.map((s) => [
            s.shipmentId,
            s.profile.profileId,
            s.deviceIds.join(','),
            s.startedAt,
            s.closedAt === null ? 'open' : 'closed',
            String(s.readings),
            s.openExcursions > 0
              ? `${s.excursions} (${s.openExcursions} open)`
              : String(s.excursions),
          ]),
          'No shipments.',
        );
      },
    },
    {
      path: ['shipments', 'show'],
      summary: 'One shipment and its excursions.',
      usage: `shipments show ID ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: { ...TARGET_OPTIONS, id: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const id = shipmentId(values);
        const target = await openTarget(values);
        const shipment = (await target.request('GET', `/v1/shipments/${id}`)) as ShipmentView;
        const { excursions } = (await target.request('GET', `/v1/shipments/${id}/excursions`)) as {
          excursions: ExcursionView[];
        };
        if (wantsJson(values)) return printJson(io, { shipment, excursions });
        printShipment(io, shipment);
        io.out('');
        printExcursions(io, excursions, 'No excursions.');
      },
    },
    {
      path: ['shipments', 'close'],
      summary: 'Close a shipment now: later readings are no longer its own.',
      usage: `shipments close ID ${TARGET_USAGE}`,
      details: TARGET_DETAILS,
      options: { ...TARGET_OPTIONS, id: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const id = shipmentId(values);
        const target = await openTarget(values);
        const done = (await target.request('POST', `/v1/shipments/${id}/close`)) as ShipmentChange;
        if (wantsJson(values)) return printJson(io, done);
        io.out(
          `Shipment ${id} closed at ${done.shipment.closedAt ?? '-'}; ${done.shipment.excursions} excursion(s).`,
        );
      },
    },
    {
      path: ['excursions', 'list'],
      summary: 'Excursion records (start, end, peak, duration), the latest start first.',
      usage: `excursions list [--shipment S] [--limit N] ${TARGET_USAGE}`,
      details: [
        'Opened by two consecutive readings outside the profile (one for a shock), closed by two back',
        `inside; DURATION 'open' while it lasts. --limit: 1 to ${MAX_PAGE} (default 100).`,
        ...TARGET_DETAILS,
      ],
      options: { ...TARGET_OPTIONS, shipment: { type: 'string' }, limit: { type: 'string' } },
      async run(values, io) {
        const shipment = stringOption(values, 'shipment');
        if (shipment !== undefined && !ID.test(shipment)) {
          throw new UsageError(`--shipment must be a shipment id, got '${shipment}'`);
        }
        const limit = boundedInteger(values, 'limit', MAX_PAGE);
        const target = await openTarget(values);
        const { excursions } = (await target.request(
          'GET',
          `/v1/excursions${query({ shipment, limit })}`,
        )) as {
          excursions: ExcursionView[];
        };
        if (wantsJson(values)) return printJson(io, { excursions });
        printExcursions(
          io,
          excursions,
          shipment ? `No excursions on ${shipment}.` : 'No excursions.',
        );
      },
    },
  ];
}
