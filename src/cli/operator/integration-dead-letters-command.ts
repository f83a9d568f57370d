import type { DeadLetter } from '../../surfaces/integrations/integration-dead-letter.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { boundedInteger, printJson, printTable, query, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';
import { relativeTime } from './relative-time.js';

type Listed = Omit<DeadLetter, 'at'> & { at: string };

/** A feed position as the API takes it, refused here with a hint rather than there. */
function seqOption(values: Parameters<Command['run']>[0], name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(text)) {
    throw new UsageError(`--${name} takes the SEQ column of the list, got '${text}'`);
  }
  return Number(text);
}

/**
 * The events an integration parked (`onRefused: dead-letter`, decision 058): list them, send one
 * again once the receiver is fixed, or drop one for good.
 */
export function deadLettersCommand(): Command {
  return {
    path: ['integrations', 'dead-letters'],
    summary:
      'Events an integration parked because its receiver refused them; redeliver or discard.',
    usage: `integrations dead-letters ID [--redeliver SEQ | --discard SEQ] [--limit N] ${TARGET_USAGE}`,
    details: [
      'Only with onRefused: dead-letter on the integration: an event a webhook receiver answered',
      '400, 413, 415 or 422 three times in a row is parked, and the integration goes on.',
      '--redeliver SEQ: send it once more, out of order (it leaves the list when delivered).',
      '--discard SEQ: drop it for good.',
      '--limit: how many to list (1 to 1000, default 100).',
      ...TARGET_DETAILS,
    ],
    options: {
      ...TARGET_OPTIONS,
      id: { type: 'string' },
      redeliver: { type: 'string' },
      discard: { type: 'string' },
      limit: { type: 'string' },
    },
    positional: 'id',
    required: ['id'],
    async run(values, io) {
      const id = requireString(values, 'id');
      const redeliver = seqOption(values, 'redeliver');
      const discard = seqOption(values, 'discard');
      if (redeliver !== undefined && discard !== undefined) {
        throw new UsageError('--redeliver and --discard each act on one event: give one of them');
      }
      const limit = boundedInteger(values, 'limit', 1000);
      const target = await openTarget(values);
      const base = `/v1/integrations/${encodeURIComponent(id)}/dead-letters`;
      if (redeliver !== undefined) {
        const result = (await target.request('POST', `${base}/${redeliver}/redeliver`)) as {
          outcome: 'delivered' | 'failed';
          status: number | null;
          error?: string;
        };
        if (wantsJson(values)) return printJson(io, result);
        if (result.outcome === 'delivered') {
          io.out(
            `Delivered event ${redeliver} to ${id} (HTTP ${result.status ?? '-'}); it is off the list.`,
          );
          return;
        }
        io.err(
          `Event ${redeliver} refused again: ${result.error ?? 'no reason'}; it stays parked.`,
        );
        return 1;
      }
      if (discard !== undefined) {
        await target.request('DELETE', `${base}/${discard}`);
        if (wantsJson(values)) return printJson(io, { discarded: discard });
        io.out(`Discarded event ${discard} of ${id}; its receiver will not get it.`);
        return;
      }
      const listed = (await target.request('GET', `${base}${query({ limit })}`)) as {
        total: number;
        deadLetters: Listed[];
      };
      if (wantsJson(values)) return printJson(io, listed);
      printTable(
        io,
        [
          { header: 'SEQ' },
          { header: 'DELIVERY' },
          { header: 'PARKED' },
          { header: 'STATUS' },
          { header: 'REFUSALS' },
          { header: 'ERROR' },
        ],
        listed.deadLetters.map((l) => [
          ...[String(l.seq), l.deliveryId, relativeTime(l.at)],
          ...[l.status === null ? '-' : String(l.status), String(l.refusals), l.error],
        ]),
        `No parked events for ${id}.`,
      );
      if (listed.total > listed.deadLetters.length) {
        io.out(`(${listed.deadLetters.length} of ${listed.total}; --limit for more)`);
      }
    },
  };
}
