import { ALERT_KINDS, ALERT_STATES } from '../../stores/entities/entity-store.js';
import {
  UsageError,
  requireString,
  stringOption,
  type Command,
  type OptionValues,
} from '../command.js';
import { boundedInteger, printJson, printTable, query, wantsJson } from './output.js';
import {
  TARGET_DETAILS,
  TARGET_OPTIONS,
  TARGET_USAGE,
  openTarget,
  type PlatformTarget,
} from './platform-target.js';
import { relativeTime } from './relative-time.js';
import { isFullId, KEY, pickByPrefix, shortId } from './short-ids.js';

interface AlertView {
  id: string;
  storeId: string;
  deviceId: string;
  kind: string;
  at: string;
  state: string;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
}

interface AlertPage {
  alerts: AlertView[];
  next: string | null;
}

const MAX_PAGE = 500;
const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function alertsCommands(): Command[] {
  return [
    {
      path: ['alerts', 'list'],
      summary: 'Loss-prevention alerts, newest first.',
      usage: `alerts list ${TARGET_USAGE} [--store STORE] [--state STATE] [--kind KIND] [--since TIME] [--limit N] [--after CURSOR]`,
      details: [
        `--state: ${ALERT_STATES.join(', ')}; --kind: ${ALERT_KINDS.join(', ')}.`,
        '--since: an RFC 3339 time or a span back from now (30m, 2h, 7d), inclusive.',
        `--limit: how many (1 to ${MAX_PAGE}, default 50). --after: the cursor a page of one`,
        'store ends with, for the next page. Without --store every store is asked, newest first.',
        ...TARGET_DETAILS,
      ],
      options: {
        ...TARGET_OPTIONS,
        store: { type: 'string' },
        state: { type: 'string' },
        kind: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        after: { type: 'string' },
      },
      async run(values, io) {
        const filters = alertFilters(values);
        const store = stringOption(values, 'store');
        const after = stringOption(values, 'after');
        if (after !== undefined && store === undefined) {
          throw new UsageError('--after pages through one store; give --store too');
        }
        const target = await openTarget(values);
        let page: AlertPage;
        if (store !== undefined) {
          page = await storeAlerts(target, store, { ...filters, after });
        } else {
          const all: AlertView[] = [];
          for (const id of await storeIds(target))
            all.push(...(await storeAlerts(target, id, filters)).alerts);
          all.sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id));
          page = { alerts: all.slice(0, filters.limit ?? 50), next: null };
        }
        if (wantsJson(values))
          return printJson(io, store !== undefined ? page : { alerts: page.alerts });
        printTable(
          io,
          [
            { header: 'ALERT' },
            { header: 'STORE', min: KEY },
            { header: 'DEVICE', min: KEY },
            { header: 'KIND' },
            { header: 'STATE' },
            { header: 'SEEN' },
            { header: 'BY', min: 8 },
          ],
          page.alerts.map((a) => [
            shortId(a.id),
            a.storeId,
            a.deviceId,
            a.kind,
            a.state,
            relativeTime(a.at),
            a.resolvedBy ?? a.acknowledgedBy ?? '-',
          ]),
          `No ${filters.state ?? ''}${filters.state ? ' ' : ''}alerts${store ? ` in ${store}` : ''}.`,
        );
        if (page.next !== null) io.out(`More: add --after ${page.next}`);
      },
    },
    transition('ack', 'acknowledge', 'Acknowledge an alert: someone is on it.'),
    transition('resolve', 'resolve', 'Resolve an alert.'),
  ];
}

function transition(word: string, action: 'acknowledge' | 'resolve', summary: string): Command {
  return {
    path: ['alerts', word],
    summary,
    usage: `alerts ${word} ID ${TARGET_USAGE} [--store STORE]`,
    details: [
      "ID: the alert's id, or its first characters as 'alerts list' shows them; without",
      '--store, the newest alerts of every store are searched for it. Audited, with who and when.',
      ...TARGET_DETAILS,
    ],
    options: { ...TARGET_OPTIONS, id: { type: 'string' }, store: { type: 'string' } },
    positional: 'id',
    required: ['id'],
    async run(values, io) {
      const given = requireString(values, 'id');
      const store = stringOption(values, 'store');
      const target = await openTarget(values);
      let alert: { id: string; storeId: string };
      if (store !== undefined && isFullId(given)) {
        alert = { id: given, storeId: store };
      } else {
        const candidates: AlertView[] = [];
        for (const id of store !== undefined ? [store] : await storeIds(target)) {
          candidates.push(...(await storeAlerts(target, id, { limit: MAX_PAGE })).alerts);
        }
        alert = pickByPrefix(candidates, (a) => a.id, given, 'alert');
      }
      const done = (await target.request(
        'POST',
        `/v1/stores/${encodeURIComponent(alert.storeId)}/loss-prevention/${alert.id}/${action}`,
      )) as AlertView;
      if (wantsJson(values)) return printJson(io, done);
      io.out(
        `Alert ${shortId(done.id)} (${done.kind} on ${done.deviceId} in ${done.storeId}) is ${done.state}, by ${done.resolvedBy ?? done.acknowledgedBy ?? '-'}.`,
      );
    },
  };
}

interface AlertFilters {
  state?: string;
  kind?: string;
  since?: string;
  limit?: number;
  after?: string;
}

function alertFilters(values: OptionValues): AlertFilters {
  const state = stringOption(values, 'state');
  if (state !== undefined && !(ALERT_STATES as readonly string[]).includes(state)) {
    throw new UsageError(`--state must be one of ${ALERT_STATES.join(', ')}`);
  }
  const kind = stringOption(values, 'kind');
  if (kind !== undefined && !(ALERT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be one of ${ALERT_KINDS.join(', ')}`);
  }
  const since = sinceOption(values);
  const limit = boundedInteger(values, 'limit', MAX_PAGE);
  return { state, kind, since, limit };
}

/** --since as the API takes it: an instant, given as one or as a span back from now. */
function sinceOption(values: OptionValues, now = Date.now()): string | undefined {
  const text = stringOption(values, 'since');
  if (text === undefined) return undefined;
  const span = /^(\d+)([smhd])$/.exec(text);
  const at = span ? now - Number(span[1]) * UNITS[span[2] as keyof typeof UNITS] : Date.parse(text);
  if (Number.isNaN(at)) {
    throw new UsageError(
      `--since must be a time (2026-12-06T09:00:00Z) or a span (2h), got '${text}'`,
    );
  }
  return new Date(at).toISOString();
}

async function storeIds(target: PlatformTarget): Promise<string[]> {
  const body = (await target.request('GET', '/v1/stores')) as { stores: { storeId: string }[] };
  return body.stores.map((s) => s.storeId);
}

function storeAlerts(target: PlatformTarget, store: string, f: AlertFilters): Promise<AlertPage> {
  return target.request(
    'GET',
    `/v1/stores/${encodeURIComponent(store)}/loss-prevention${query({ ...f })}`,
  ) as Promise<AlertPage>;
}
