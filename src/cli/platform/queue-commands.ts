import type { Command, CommandIo } from '../command.js';
import { dataDir } from '../identity/options.js';
import { callPlatform as call } from './platform-client.js';

interface QueueDeadLetterView {
  id: number;
  deviceId: string;
  counter: number;
  topic: string;
  error: string;
  deliveries: number;
  failedAt: string;
}

/** The ingest queue's dead letters (decision 055), through the running platform's API. */
const callPlatform = (dir: string, method: 'GET' | 'POST', path: string) =>
  call(dir, method, path, { subject: 'fleetplane-queue' });

function printLetters(
  io: CommandIo,
  body: { queue: string; total: number; deadLetters: QueueDeadLetterView[] },
) {
  if (body.total === 0) {
    io.out(
      body.queue === 'direct'
        ? 'This platform runs without an ingest queue (--queue-url): it has no queue dead letters.'
        : 'The ingest queue has no dead letters.',
    );
    return;
  }
  io.out(`${body.total} ingest dead letter(s):`);
  for (const l of body.deadLetters) {
    io.out(
      `  #${l.id}  ${l.deviceId}  counter ${l.counter}  ${l.topic}  deliveries ${l.deliveries}  failed ${l.failedAt}`,
    );
    io.out(`        ${l.error}`);
  }
}

export function queueCommands(): Command[] {
  return [
    {
      path: ['queue', 'dead-letters'],
      summary: 'Show device messages the ingest queue gave up storing after bounded deliveries.',
      usage: 'queue dead-letters --data DIR [--limit N]',
      options: { data: { type: 'string' }, limit: { type: 'string' } },
      required: ['data'],
      async run(values, io) {
        const limit = typeof values['limit'] === 'string' ? values['limit'] : '100';
        const body = (await callPlatform(
          dataDir(values),
          'GET',
          `/v1/ingest-queue/dead-letters?limit=${encodeURIComponent(limit)}`,
        )) as { queue: string; total: number; deadLetters: QueueDeadLetterView[] };
        printLetters(io, body);
      },
    },
    {
      path: ['queue', 'replay'],
      summary: 'Move the ingest queue dead letters back into the queue; nothing is stored twice.',
      usage: 'queue replay --data DIR',
      details: ['The store side takes them again; one that fails N more times is parked again.'],
      options: { data: { type: 'string' } },
      required: ['data'],
      async run(values, io) {
        const result = (await callPlatform(
          dataDir(values),
          'POST',
          '/v1/ingest-queue/dead-letters/replay',
        )) as { replayed: number; failed: number; remaining: number };
        io.out(
          `Moved ${result.replayed} back into the queue, ${result.failed} unreadable, ${result.remaining} left in the dead-letter stream.`,
        );
        return result.failed > 0 ? 1 : 0;
      },
    },
  ];
}
