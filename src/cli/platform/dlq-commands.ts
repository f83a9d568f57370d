import type { Command, CommandIo } from '../command.js';
import { dataDir } from '../identity/options.js';
import { callPlatform as call } from './platform-client.js';

interface DeadLetterView {
  id: number;
  deviceId: string;
  type: string;
  counter: number;
  error: string;
  attempts: number;
  lastFailedAt: string;
}

/**
 * The dead-letter store belongs to the running platform (one owner per embedded database), so
 * these commands talk to it through its API.
 */
const callPlatform = (dir: string, method: 'GET' | 'POST', path: string) =>
  call(dir, method, path, { subject: 'fleetplane-dlq' });

function printLetters(io: CommandIo, body: { total: number; deadLetters: DeadLetterView[] }) {
  if (body.total === 0) {
    io.out('The dead-letter store is empty.');
    return;
  }
  io.out(`${body.total} dead letter(s):`);
  for (const l of body.deadLetters) {
    io.out(
      `  #${l.id}  ${l.deviceId}  ${l.type}  counter ${l.counter}  attempts ${l.attempts}  last ${l.lastFailedAt}`,
    );
    io.out(`        ${l.error}`);
  }
}

export function dlqCommands(): Command[] {
  return [
    {
      path: ['dlq', 'list'],
      summary: 'Show events the entity store would not take after bounded retries.',
      usage: 'dlq list --data DIR [--limit N]',
      options: { data: { type: 'string' }, limit: { type: 'string' } },
      required: ['data'],
      async run(values, io) {
        const limit = typeof values['limit'] === 'string' ? values['limit'] : '100';
        const body = (await callPlatform(
          dataDir(values),
          'GET',
          `/v1/dead-letters?limit=${encodeURIComponent(limit)}`,
        )) as { total: number; deadLetters: DeadLetterView[] };
        printLetters(io, body);
      },
    },
    {
      path: ['dlq', 'replay'],
      summary: 'Re-apply dead letters to the entity store; nothing is stored twice.',
      usage: 'dlq replay --data DIR',
      details: ['Each event that applies now leaves the store; the others stay with their error.'],
      options: { data: { type: 'string' } },
      required: ['data'],
      async run(values, io) {
        const result = (await callPlatform(dataDir(values), 'POST', '/v1/dead-letters/replay')) as {
          replayed: number;
          failed: number;
          remaining: number;
        };
        io.out(
          `Replayed ${result.replayed}, failed again ${result.failed}, ${result.remaining} left in the dead-letter store.`,
        );
        return result.failed > 0 ? 1 : 0;
      },
    },
  ];
}
