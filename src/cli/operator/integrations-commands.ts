import { readFile } from 'node:fs/promises';
import { readRuleSetFile } from '../../domain/alarms/rule-set-file.js';
import { checkIntegrations } from '../../surfaces/integrations/integration-check.js';
import type { IntegrationStatus } from '../../surfaces/integrations/integration-service.js';
import type { Integration } from '../../surfaces/integrations/integration-schema.js';
import type { DeliveryAttempt } from '../../surfaces/integrations/integration-log.js';
import { deadLettersCommand } from './integration-dead-letters-command.js';
import { UsageError, requireString, type Command } from '../command.js';
import { boundedInteger, printJson, printTable, query, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { relativeTime } from './relative-time.js';

interface Listing {
  integrations: Integration[];
  status: IntegrationStatus[];
}

/** The file checked here first, so an error names its line before the platform is asked. */
async function readDocument(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const read = readRuleSetFile(text, file, (value) => {
    const check = checkIntegrations(value);
    return check.ok ? { ok: true, ruleSet: check.document } : check;
  });
  if (!read.ok) throw new UsageError(read.error);
  return read.ruleSet;
}

function printListing(io: Parameters<Command['run']>[1], listing: Listing): void {
  const status = new Map(listing.status.map((s) => [s.id, s]));
  printTable(
    io,
    [
      { header: 'ID' },
      { header: 'SINK' },
      { header: 'MATCH' },
      { header: 'STATE' },
      { header: 'LAG' },
      { header: 'DELIVERED' },
      { header: 'LAST ERROR' },
    ],
    listing.integrations.map((i) => {
      const s = status.get(i.id);
      const where = i.sink.kind === 'webhook' ? i.sink.url : `${i.sink.url} ${i.sink.subject}`;
      const match = [...(i.match.deviceClass ?? ['*']), ...(i.match.type ?? ['*'])].join(' ');
      const state = !i.enabled ? 'disabled' : s?.failing ? 'failing' : 'ok';
      return [
        ...[i.id, `${i.sink.kind} ${where}`, match, state],
        ...[String(s?.lag ?? 0), String(s?.delivered ?? 0), s?.lastError ?? '-'],
      ];
    }),
    'No integrations.',
  );
}

/** Integrations (decision 058): list them with how they stand, replace them, read a log. */
export function integrationsCommands(): Command[] {
  return [
    {
      path: ['integrations', 'list'],
      summary: 'Integrations, with their lag, deliveries and whether they are failing.',
      usage: `integrations list ${TARGET_USAGE}`,
      details: ['LAG: stored events the integration has still to look at.', ...TARGET_DETAILS],
      options: { ...TARGET_OPTIONS },
      async run(values, io) {
        const target = await openTarget(values);
        const listing = (await target.request('GET', '/v1/integrations')) as Listing;
        if (wantsJson(values)) return printJson(io, listing);
        printListing(io, listing);
      },
    },
    {
      path: ['integrations', 'put'],
      summary: 'Replace the integrations with those of a JSON or YAML file.',
      usage: `integrations put FILE ${TARGET_USAGE}`,
      details: [
        'FILE: {integrations: [{id, match: {deviceClass?, type?}, sink, enabled}]}; sink is',
        '{kind: webhook, url, secret?, headers?} or {kind: jetstream, url, subject}. A subject',
        'may hold {class} {type} {device} {store}. Checked here first: an error names its line.',
        'An integration whose id stays keeps its position; a new one starts at what is stored next.',
        ...TARGET_DETAILS,
      ],
      options: { ...TARGET_OPTIONS, file: { type: 'string' } },
      positional: 'file',
      required: ['file'],
      async run(values, io) {
        const document = await readDocument(requireString(values, 'file'));
        const target = await openTarget(values);
        const listing = (await target.request('PUT', '/v1/integrations', document)) as Listing;
        if (wantsJson(values)) return printJson(io, listing);
        printListing(io, listing);
      },
    },
    {
      path: ['integrations', 'deliveries'],
      summary: "An integration's last delivery attempts, newest first.",
      usage: `integrations deliveries ID ${TARGET_USAGE} [--limit N]`,
      details: ['--limit: how many (1 to 200, default 50).', ...TARGET_DETAILS],
      options: { ...TARGET_OPTIONS, id: { type: 'string' }, limit: { type: 'string' } },
      positional: 'id',
      required: ['id'],
      async run(values, io) {
        const id = requireString(values, 'id');
        const limit = boundedInteger(values, 'limit', 200);
        const target = await openTarget(values);
        const { deliveries } = (await target.request(
          'GET',
          `/v1/integrations/${encodeURIComponent(id)}/deliveries${query({ limit })}`,
        )) as { deliveries: (Omit<DeliveryAttempt, 'at'> & { at: string })[] };
        if (wantsJson(values)) return printJson(io, { deliveries });
        printTable(
          io,
          [
            { header: 'WHEN' },
            { header: 'DELIVERY' },
            { header: 'OUTCOME' },
            { header: 'STATUS' },
            { header: 'MS' },
            { header: 'ERROR' },
          ],
          deliveries.map((d) => [
            ...[
              relativeTime(d.at),
              d.deliveryId,
              d.outcome,
              d.status === null ? '-' : String(d.status),
            ],
            ...[String(d.latencyMs), d.error ?? '-'],
          ]),
          `No deliveries for ${id} yet.`,
        );
      },
    },
    deadLettersCommand(),
  ];
}
