import { isStoreId } from '../../contract/ids.js';
import { DEFAULT_WINDOW, MAX_TOP_ERRORS, windowMs } from '../../domain/fleet-ops/error-window.js';
import {
  MAX_FLEET_LIST,
  SEEN_WITHIN,
  type FleetDiff,
  type FleetDiffDevice,
} from '../../domain/fleet-ops/fleet-diff.js';
import type { DeviceErrorCounts } from '../../stores/entities/entity-store.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { boundedInteger, printJson, printTable, query, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { relativeTime } from './relative-time.js';
import { KEY } from './short-ids.js';

const WINDOWS = Object.keys(SEEN_WITHIN);

/** Issue 18's two operator questions: which devices are missing, and which are the noisiest. */
export function fleetHealthCommands(): Command[] {
  return [
    {
      path: ['fleet', 'diff'],
      summary: "A store's expected devices against the connected and recently seen ones.",
      usage: `fleet diff --store STORE ${TARGET_USAGE} [--seen-within ${WINDOWS.join('|')}] [--limit N]`,
      details: [
        'Expected: every device of the store in the registry, and every one the platform knows,',
        'revoked ones apart. Each is connected, recently seen (within --seen-within, default',
        '15m), silent (seen before, not since) or never seen; the table lists the silent, the',
        `never seen and the revoked, by id, up to --limit of each (1 to ${MAX_FLEET_LIST}).`,
        ...TARGET_DETAILS,
      ],
      options: {
        ...TARGET_OPTIONS,
        store: { type: 'string' },
        'seen-within': { type: 'string' },
        limit: { type: 'string' },
      },
      required: ['store'],
      async run(values, io) {
        const store = requireString(values, 'store');
        if (!isStoreId(store)) throw new UsageError(`--store: '${store}' is not a store id`);
        const seenWithin = stringOption(values, 'seen-within');
        if (seenWithin !== undefined && !WINDOWS.includes(seenWithin)) {
          throw new UsageError(`--seen-within must be one of ${WINDOWS.join(', ')}`);
        }
        const limit = boundedInteger(values, 'limit', MAX_FLEET_LIST);
        const target = await openTarget(values);
        const diff = (await target.request(
          'GET',
          `/v1/stores/${encodeURIComponent(store)}/fleet-diff${query({ seenWithin, limit })}`,
        )) as FleetDiff;
        if (wantsJson(values)) return printJson(io, diff);
        io.out(
          `${diff.storeId}: ${diff.expected} expected, ${diff.connected} connected, ` +
            `${diff.recentlySeen} seen within ${diff.seenWithin}, ${diff.silentCount} silent, ` +
            `${diff.neverSeenCount} never seen; ${diff.revokedCount} revoked`,
        );
        const row = (d: FleetDiffDevice): string[] => [
          d.deviceId,
          d.deviceClass,
          d.state,
          relativeTime(d.lastSeenAt),
        ];
        printTable(
          io,
          [
            { header: 'DEVICE', min: KEY },
            { header: 'CLASS' },
            { header: 'STATE' },
            { header: 'SEEN' },
          ],
          [
            ...diff.silent.map(row),
            ...diff.neverSeen.map(row),
            ...diff.revoked.map((d) => [
              d.deviceId,
              d.deviceClass,
              'revoked',
              relativeTime(d.lastSeenAt),
            ]),
          ],
          `Every expected device is connected or was seen within ${diff.seenWithin}.`,
        );
        if (diff.truncated)
          io.out(`Lists cut at ${limit ?? 1000} devices each; --json has the counts.`);
      },
    },
    {
      path: ['devices', 'top-errors'],
      summary: 'The devices with the most rejects, faults and reboots in a window.',
      usage: `devices top-errors ${TARGET_USAGE} [--since 24h] [--limit N] [--store STORE]`,
      details: [
        '--since: how far back, in minutes, hours or days up to a week (30m, 24h, 7d; default',
        `24h). --limit: how many devices (1 to ${MAX_TOP_ERRORS}, default 20). REJECTS: messages`,
        'ingest refused, by reason; REBOOTS: watchdog, panic or brownout resets and rollbacks.',
        ...TARGET_DETAILS,
      ],
      options: {
        ...TARGET_OPTIONS,
        since: { type: 'string' },
        limit: { type: 'string' },
        store: { type: 'string' },
      },
      async run(values, io) {
        const since = stringOption(values, 'since');
        if (since !== undefined && windowMs(since) === undefined) {
          throw new UsageError(
            `--since must be like 30m, 24h or 7d, at most a week; got '${since}'`,
          );
        }
        const store = stringOption(values, 'store');
        if (store !== undefined && !isStoreId(store)) {
          throw new UsageError(`--store: '${store}' is not a store id`);
        }
        const limit = boundedInteger(values, 'limit', MAX_TOP_ERRORS);
        const target = await openTarget(values);
        const body = (await target.request(
          'GET',
          `/v1/devices/top-errors${query({ since, limit, store })}`,
        )) as { since: string; devices: DeviceErrorCounts[] };
        if (wantsJson(values)) return printJson(io, body);
        printTable(
          io,
          [
            { header: 'DEVICE', min: KEY },
            { header: 'STORE', min: KEY },
            { header: 'REJECTS', align: 'right' },
            { header: 'FAULTS', align: 'right' },
            { header: 'REBOOTS', align: 'right' },
            { header: 'TOTAL', align: 'right' },
            { header: 'REASONS', min: 10 },
          ],
          body.devices.map((d) => [
            d.deviceId,
            d.storeId ?? '-',
            String(d.rejects),
            String(d.faults),
            String(d.reboots),
            String(d.total),
            Object.entries(d.rejectsByReason)
              .map(([reason, n]) => `${reason} ${n}`)
              .join(', ') || '-',
          ]),
          `No device had a reject, fault or reboot in the last ${since ?? DEFAULT_WINDOW}.`,
        );
      },
    },
  ];
}
